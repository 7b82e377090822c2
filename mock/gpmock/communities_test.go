package gpmock_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/social"
)

// cabinetRig is a sandbox with the default cabinet's three users logged in.
type cabinetRig struct {
	sb                       *mock.Sandbox
	admin, editor, moderator *gospubliki.Client
}

func newRig(t *testing.T, opts ...mock.Option) *cabinetRig {
	t.Helper()
	sb := mock.Start(t, opts...)
	creds, ok := sb.DefaultTenant().PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	require.True(t, ok)
	login := func(l mock.GospublikiLogin) *gospubliki.Client {
		c, err := gospubliki.New(core.WithBaseURL(creds.URL), core.WithRetry(0, 0, 0), core.WithHTTPClient(sb.HTTPClient()))
		require.NoError(t, err)
		_, err = c.Login(context.Background(), l.Phone, l.Password)
		require.NoError(t, err)
		return c
	}
	return &cabinetRig{sb: sb, admin: login(creds.LKOAdmin), editor: login(creds.Editor), moderator: login(creds.Moderator)}
}

// virtualNetworkClock paces the cabinet's network clients' limits on a
// virtual clock, so that tests reading the networks often spend no wall
// time waiting for them (the emulators keep their own limits on the world
// clock).
func virtualNetworkClock() mock.Option {
	return mock.WithGospublikiOptions(gpmock.WithNetworkClock(coretest.NewAutoClock()))
}

// connectAll connects the default world's VK community, OK group and
// Telegram channel with the sandbox's credentials.
func (r *cabinetRig) connectAll(t *testing.T) (vkc, okc, tgc *gospubliki.Community) {
	t.Helper()
	ctx := context.Background()
	cr := r.sb.Credentials
	var err error
	vkc, err = r.admin.ConnectCommunity(ctx, gospubliki.ConnectCommunityRequest{Network: gospubliki.NetworkVK,
		PageID: fmt.Sprint(cr.VK.GroupID), Name: "Минцифры АО",
		Credentials: gospubliki.CommunityCredentials{VKToken: cr.VK.UserToken}})
	require.NoError(t, err)
	okc, err = r.admin.ConnectCommunity(ctx, gospubliki.ConnectCommunityRequest{Network: gospubliki.NetworkOK,
		PageID: fmt.Sprint(cr.OK.GroupID), Credentials: gospubliki.CommunityCredentials{OKApplicationKey: cr.OK.ApplicationKey,
			OKApplicationSecretKey: cr.OK.ApplicationSecret, OKAccessToken: cr.OK.AccessToken, OKSessionSecretKey: cr.OK.SessionSecret}})
	require.NoError(t, err)
	tgc, err = r.admin.ConnectCommunity(ctx, gospubliki.ConnectCommunityRequest{Network: gospubliki.NetworkTelegram,
		PageID: fmt.Sprint(cr.Telegram.ChannelID), Credentials: gospubliki.CommunityCredentials{TelegramBotToken: cr.Telegram.BotToken}})
	require.NoError(t, err)
	return vkc, okc, tgc
}

func (r *cabinetRig) secrets() []string {
	cr := r.sb.Credentials
	return []string{cr.VK.UserToken, cr.OK.ApplicationSecret, cr.OK.AccessToken, cr.Telegram.BotToken}
}

func requireNoSecret(t *testing.T, r *cabinetRig, where string, text string) {
	t.Helper()
	for _, s := range r.secrets() {
		if s != "" {
			require.NotContains(t, text, s, "a credential in %s", where)
		}
	}
}

// TestCommunitiesConnectAndCheck: pages of the three networks connect
// with their credentials, which never come back (answers, exports without
// secrets, the journal); exports with secrets carry only ciphertext; the
// check reports the mark, the requirements and POS compliance through
// the network packages.
func TestCommunitiesConnectAndCheck(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	vkc, okc, tgc := r.connectAll(t)
	require.Equal(t, fmt.Sprintf("vk:-%d", r.sb.Credentials.VK.GroupID), vkc.Ref)
	require.Equal(t, fmt.Sprintf("ok:%d", r.sb.Credentials.OK.GroupID), okc.Ref)
	require.True(t, tgc.HasCredentials)

	// The same page twice: conflict.
	_, err := r.admin.ConnectCommunity(ctx, gospubliki.ConnectCommunityRequest{Network: gospubliki.NetworkVK,
		PageID: fmt.Sprint(-r.sb.Credentials.VK.GroupID), Credentials: gospubliki.CommunityCredentials{VKToken: "x"}})
	var e *gospubliki.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, gospubliki.CodeConflict, e.Code)
	// Missing credentials: refused.
	_, err = r.admin.ConnectCommunity(ctx, gospubliki.ConnectCommunityRequest{Network: gospubliki.NetworkOK, PageID: "5",
		Credentials: gospubliki.CommunityCredentials{OKApplicationKey: "k"}})
	require.ErrorAs(t, err, &e)
	require.Equal(t, gospubliki.CodeInvalidRequest, e.Code)

	vk, err := r.editor.CheckCommunity(ctx, vkc.ID)
	require.NoError(t, err)
	require.NotNil(t, vk.Check)
	require.Empty(t, vk.Check.Error)
	require.Contains(t, []string{gospubliki.GovMarkPresent, gospubliki.GovMarkAbsent}, vk.Check.GovMark)
	codes := []string{}
	for _, q := range vk.Check.Requirements {
		codes = append(codes, q.Code)
	}
	require.Equal(t, []string{"open", "photo", "description", "city", "category_government", "managers", "admins_two_factor", "gov_mark"}, codes)
	require.NotNil(t, vk.Check.POS, "VK pages get a POS audit")
	require.Contains(t, []string{"ok", "failed", "unverifiable"}, vk.Check.POS.Status)

	okr, err := r.moderator.CheckCommunity(ctx, okc.ID)
	require.NoError(t, err)
	require.Empty(t, okr.Check.Error)
	require.NotEmpty(t, okr.Check.Requirements)
	require.NotNil(t, okr.Check.POS)

	tg, err := r.admin.CheckCommunity(ctx, tgc.ID)
	require.NoError(t, err)
	require.Empty(t, tg.Check.Error)
	require.Equal(t, gospubliki.GovMarkNotApplicable, tg.Check.GovMark)
	require.Nil(t, tg.Check.POS)
	bot, ok := findReq(tg.Check.Requirements, "bot_can_post")
	require.True(t, ok)
	require.Equal(t, "met", bot.Status)

	// The check is kept.
	got, err := r.editor.Community(ctx, tgc.ID)
	require.NoError(t, err)
	require.Equal(t, tg.Check.CheckedAt, got.Check.CheckedAt)

	// No credential anywhere it could leak.
	list, err := r.editor.Communities(ctx)
	require.NoError(t, err)
	require.Len(t, list, 3)
	b, _ := json.Marshal(list)
	requireNoSecret(t, r, "the list", string(b))
	plain := r.sb.World.Export(world.WithoutSecrets())
	pb, _ := json.Marshal(plain.Sections[gpmock.SectionName])
	requireNoSecret(t, r, "an export", string(pb))
	require.NotContains(t, string(pb), "sealed_credentials")
	full := r.sb.World.Export()
	st, err := gpmock.StateOf(full)
	require.NoError(t, err)
	require.Len(t, st.Communities, 3)
	for _, c := range st.Communities {
		require.NotEmpty(t, c.SealedCredentials)
	}
	fb, _ := json.Marshal(full.Sections[gpmock.SectionName])
	requireNoSecret(t, r, "an export with secrets", string(fb))
	for _, en := range r.sb.Journal.Entries(world.Filter{}) {
		jb, _ := json.Marshal(en)
		requireNoSecret(t, r, "the journal", string(jb))
	}

	// A server over the imported state with the same key publishes; with
	// another key it cannot read the credentials and says so.
	w2, err := world.New()
	require.NoError(t, err)
	same := gpmock.New(gpmock.WithWorld(w2), gpmock.WithCredentialKey(gpmock.SandboxCredentialKey()),
		gpmock.WithNetworks(gpmock.Networks{TelegramURL: r.sb.Telegram.URL, HTTPClient: r.sb.HTTPClient()}))
	only := full
	only.Sections = map[string]json.RawMessage{gpmock.SectionName: full.Sections[gpmock.SectionName]}
	require.NoError(t, w2.Import(only))
	pub, err := same.PagePublisher(ctx, tgc.CabinetID, tgc.Ref)
	require.NoError(t, err)
	rc, err := pub.Publish(ctx, social.Post{Text: "Проверка связи"})
	require.NoError(t, err)
	require.Equal(t, social.Telegram, rc.Network)
	other := gpmock.New(gpmock.WithWorld(w2), gpmock.WithCredentialKey(make([]byte, 32)))
	_, err = other.PagePublisher(ctx, tgc.CabinetID, tgc.Ref)
	require.Error(t, err)
	requireNoSecret(t, r, "an error", err.Error())
	_, err = same.PagePublisher(ctx, tgc.CabinetID+100, tgc.Ref)
	require.ErrorIs(t, err, gpmock.ErrNotConnected)

	// Rotated credentials are used from then on; a disconnected page is gone.
	_, err = r.admin.SetCommunityCredentials(ctx, tgc.ID, gospubliki.CommunityCredentials{TelegramBotToken: "999:wrong-token-zzzz"})
	require.NoError(t, err)
	bad, err := r.admin.CheckCommunity(ctx, tgc.ID)
	require.NoError(t, err)
	require.NotEmpty(t, bad.Check.Error)
	require.NotContains(t, bad.Check.Error, "wrong-token-zzzz")
	require.NoError(t, r.admin.DisconnectCommunity(ctx, tgc.ID))
	_, err = r.editor.Community(ctx, tgc.ID)
	require.ErrorAs(t, err, &e)
	require.Equal(t, gospubliki.CodeNotFound, e.Code)
}

func findReq(rs []gospubliki.Requirement, code string) (gospubliki.Requirement, bool) {
	for _, q := range rs {
		if q.Code == code {
			return q, true
		}
	}
	return gospubliki.Requirement{}, false
}

// TestCommunitiesMissingNetwork: a sandbox without a network's emulator
// refuses that network's pages with an error that says so.
func TestCommunitiesMissingNetwork(t *testing.T) {
	ctx := context.Background()
	sb := mock.Start(t, mock.WithParties("esia", "telegram", gpmock.PartyName))
	creds := sb.DefaultTenant().PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	c, err := gospubliki.New(core.WithBaseURL(creds.URL), core.WithRetry(0, 0, 0), core.WithHTTPClient(sb.HTTPClient()))
	require.NoError(t, err)
	_, err = c.Login(ctx, creds.LKOAdmin.Phone, creds.LKOAdmin.Password)
	require.NoError(t, err)
	cm, err := c.ConnectCommunity(ctx, gospubliki.ConnectCommunityRequest{Network: gospubliki.NetworkVK, PageID: "200000001",
		Credentials: gospubliki.CommunityCredentials{VKToken: "vk1.a.anything"}})
	require.NoError(t, err)
	ck, err := c.CheckCommunity(ctx, cm.ID)
	require.NoError(t, err)
	require.True(t, strings.Contains(ck.Check.Error, "not available"), ck.Check.Error)
}
