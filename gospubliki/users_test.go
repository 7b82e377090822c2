package gospubliki_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// lastMessage returns the last outbox message of channel to to.
func (f *fixture) lastMessage(channel, to string) world.Message {
	f.t.Helper()
	m, ok := f.srv.Outbox().Last(world.OutboxFilter{Party: gpmock.PartyName, Channel: channel, To: to})
	require.True(f.t, ok, "no %s message to %s", channel, to)
	return m
}

func inviteToken(t *testing.T, m world.Message) string {
	t.Helper()
	u, err := url.Parse(m.Meta["link"])
	require.NoError(t, err)
	tok := u.Query().Get("token")
	require.NotEmpty(t, tok)
	require.Contains(t, m.Text, m.Meta["link"], "the e-mail shows the link")
	return tok
}

// TestInvitations: an invitation e-mail with a link; no password login
// before accepting; a resent invitation replaces the link; accepting sets
// the password (confirmed) and works once; blocking ends sessions and
// unblocking lets the user in again.
func TestInvitations(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.client(f.a.admin)
	u, err := admin.InviteUser(ctx, gospubliki.InviteRequest{Phone: "+79995550001", Email: "new@example.org", Name: "Новый", Role: gospubliki.RoleEditor})
	require.NoError(t, err)
	m := f.lastMessage(world.ChannelEmail, "new@example.org")
	require.Equal(t, "Приглашение в кабинет Госпаблики", m.Subject)
	first := inviteToken(t, m)

	// No password yet: refused like a wrong password.
	_, err = f.anon().Login(ctx, "+79995550001", "whatever-password")
	requireCode(t, err, gospubliki.CodeInvalidCredentials)

	// Resending makes a new link; the old one stops working.
	_, err = admin.ResendInvitation(ctx, u.ID)
	require.NoError(t, err)
	second := inviteToken(t, f.lastMessage(world.ChannelEmail, "new@example.org"))
	require.NotEqual(t, first, second)
	_, err = f.anon().AcceptInvitation(ctx, first, "new password 1")
	requireCode(t, err, gospubliki.CodeInvalidInvitation)
	_, err = f.anon().AcceptInvitation(ctx, second, "short")
	requireCode(t, err, gospubliki.CodeInvalidRequest)

	nc := f.anon()
	s, err := nc.AcceptInvitation(ctx, second, "new password 1")
	require.NoError(t, err)
	require.Equal(t, gospubliki.UserConfirmed, s.User.Status)
	me, err := nc.Me(ctx)
	require.NoError(t, err)
	require.Equal(t, u.ID, me.ID)
	_, err = f.anon().AcceptInvitation(ctx, second, "new password 2")
	requireCode(t, err, gospubliki.CodeInvalidInvitation)
	_, err = admin.ResendInvitation(ctx, u.ID)
	requireCode(t, err, gospubliki.CodeConflict)
	_, err = f.anon().Login(ctx, "+79995550001", "new password 1")
	require.NoError(t, err)

	// Blocking ends the sessions; unblocking lets the password in again.
	_, err = admin.BlockUser(ctx, u.ID)
	require.NoError(t, err)
	_, err = nc.Me(ctx)
	requireCode(t, err, gospubliki.CodeUnauthenticated)
	_, err = f.anon().Login(ctx, "+79995550001", "new password 1")
	requireCode(t, err, gospubliki.CodeUserBlocked)
	un, err := admin.UnblockUser(ctx, u.ID)
	require.NoError(t, err)
	require.Equal(t, gospubliki.UserConfirmed, un.Status)
	_, err = admin.UnblockUser(ctx, u.ID)
	requireCode(t, err, gospubliki.CodeConflict)
	_, err = f.anon().Login(ctx, "+79995550001", "new password 1")
	require.NoError(t, err)

	// A blocked invited user is invited again when unblocked.
	v, err := admin.InviteUser(ctx, gospubliki.InviteRequest{Phone: "+79995550002", Email: "other@example.org", Role: gospubliki.RoleModerator})
	require.NoError(t, err)
	_, err = admin.BlockUser(ctx, v.ID)
	require.NoError(t, err)
	before := f.srv.Outbox().Len()
	un, err = admin.UnblockUser(ctx, v.ID)
	require.NoError(t, err)
	require.Equal(t, gospubliki.UserInvited, un.Status)
	require.Greater(t, f.srv.Outbox().Len(), before, "a new invitation e-mail")

	// An invitation link expires on the clock.
	w, err := admin.InviteUser(ctx, gospubliki.InviteRequest{Phone: "+79995550003", Email: "late@example.org", Role: gospubliki.RoleEditor})
	require.NoError(t, err)
	tok := inviteToken(t, f.lastMessage(world.ChannelEmail, "late@example.org"))
	f.clock.Advance(gpmock.InvitationTTL)
	_, err = f.anon().AcceptInvitation(ctx, tok, "late password")
	requireCode(t, err, gospubliki.CodeInvalidInvitation)
	got, err := f.client(f.a.admin).User(ctx, w.ID) // the old session expired too
	require.NoError(t, err)
	require.Equal(t, gospubliki.UserInvited, got.Status)
}

// TestPasswordReset: a code by SMS; the same answer for an unknown phone;
// wrong codes limited; the code expires on the clock; a reset ends every
// session.
func TestPasswordReset(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	phone := f.a.editor.Phone
	old := f.client(f.a.editor)

	require.NoError(t, f.anon().RequestPasswordReset(ctx, phone))
	sms := f.lastMessage(world.ChannelSMS, phone)
	code := sms.Meta["code"]
	require.Len(t, code, 6)
	require.Contains(t, sms.Text, code)
	before := f.srv.Outbox().Len()
	require.NoError(t, f.anon().RequestPasswordReset(ctx, "+70000000000"), "the same answer for an unknown phone")
	require.Equal(t, before, f.srv.Outbox().Len(), "no SMS for an unknown phone")

	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	err := f.anon().ConfirmPasswordReset(ctx, phone, wrong, "a new password")
	requireCode(t, err, gospubliki.CodeInvalidCode)
	require.NoError(t, f.anon().ConfirmPasswordReset(ctx, phone, code, "a new password"))
	_, err = old.Me(ctx)
	requireCode(t, err, gospubliki.CodeUnauthenticated)
	_, err = f.anon().Login(ctx, phone, password)
	requireCode(t, err, gospubliki.CodeInvalidCredentials)
	_, err = f.anon().Login(ctx, phone, "a new password")
	require.NoError(t, err)
	err = f.anon().ConfirmPasswordReset(ctx, phone, code, "another password")
	requireCode(t, err, gospubliki.CodeInvalidCode)

	// Attempts are limited: after ResetMaxAttempts wrong codes the right
	// one no longer works.
	require.NoError(t, f.anon().RequestPasswordReset(ctx, phone))
	code = f.lastMessage(world.ChannelSMS, phone).Meta["code"]
	wrong = "000000"
	if code == wrong {
		wrong = "111111"
	}
	for range gpmock.ResetMaxAttempts {
		requireCode(t, f.anon().ConfirmPasswordReset(ctx, phone, wrong, "another password"), gospubliki.CodeInvalidCode)
	}
	requireCode(t, f.anon().ConfirmPasswordReset(ctx, phone, code, "another password"), gospubliki.CodeInvalidCode)

	// A code expires on the clock.
	require.NoError(t, f.anon().RequestPasswordReset(ctx, phone))
	code = f.lastMessage(world.ChannelSMS, phone).Meta["code"]
	f.clock.Advance(gpmock.ResetCodeTTL)
	requireCode(t, f.anon().ConfirmPasswordReset(ctx, phone, code, "another password"), gospubliki.CodeInvalidCode)
	_, err = f.anon().Login(ctx, phone, "a new password")
	require.NoError(t, err)
}

// TestAPITokens: tokens are listed without their values and revoked.
func TestAPITokens(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.client(f.a.admin)
	s, err := admin.CreateToken(ctx)
	require.NoError(t, err)
	toks, err := admin.Tokens(ctx)
	require.NoError(t, err)
	require.Len(t, toks, 1)
	require.Equal(t, f.a.admin.ID, toks[0].UserID)
	require.False(t, strings.Contains(s.Token, toks[0].ID), "the id is not a part of the token")
	integrator2 := f.anon(gospubliki.WithToken(s.Token))
	_, err = integrator2.Me(ctx)
	require.NoError(t, err)
	require.NoError(t, admin.RevokeToken(ctx, toks[0].ID))
	_, err = integrator2.Me(ctx)
	requireCode(t, err, gospubliki.CodeUnauthenticated)
	requireCode(t, admin.RevokeToken(ctx, toks[0].ID), gospubliki.CodeNotFound)
	requireCode(t, admin.RevokeToken(ctx, "short"), gospubliki.CodeNotFound)
	toks, err = admin.Tokens(ctx)
	require.NoError(t, err)
	require.Empty(t, toks, "sessions are not API tokens")
}
