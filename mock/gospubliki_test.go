package mock_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func gpLogin(t *testing.T, url string, l mock.GospublikiLogin) *gospubliki.Client {
	t.Helper()
	c, err := gospubliki.New(core.WithBaseURL(url), core.WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = c.Login(context.Background(), l.Phone, l.Password)
	require.NoError(t, err)
	return c
}

// TestGospublikiSandbox: the published logins work, each tenant has its
// own cabinets, users and posts, and sessions expire on the tenant's
// world clock.
func TestGospublikiSandbox(t *testing.T) {
	ctx := context.Background()
	sb, err := mock.New(mock.WithParties(gpmock.PartyName), mock.WithFrozenClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
	require.NoError(t, err)
	defer sb.Close()
	creds, ok := sb.DefaultTenant().PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	require.True(t, ok)
	require.Equal(t, sb.URL(gpmock.PartyName), creds.URL)
	for _, l := range []mock.GospublikiLogin{creds.LKOAdmin, creds.Editor, creds.Moderator} {
		require.NotEmpty(t, l.Phone)
		require.NotEmpty(t, l.Password)
	}
	admin := gpLogin(t, creds.URL, creds.LKOAdmin)
	cb, err := admin.Cabinet(ctx)
	require.NoError(t, err)
	require.Equal(t, gospubliki.CabinetEditorial, cb.Kind)
	require.Equal(t, int64(world.DefaultScenario().Organizations[0].OID), cb.OrgOID)
	editor := gpLogin(t, creds.URL, creds.Editor)
	p, err := editor.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Новость"), Targets: []string{"vk:-200000001"}})
	require.NoError(t, err)
	_, err = editor.SubmitPost(ctx, p.ID)
	require.NoError(t, err)
	moderator := gpLogin(t, creds.URL, creds.Moderator)
	a, err := moderator.ApprovePost(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostApproved, a.Status)

	// Another tenant: its own logins, none of the default tenant's posts.
	other, err := sb.CreateTenant("other", nil)
	require.NoError(t, err)
	oc, ok := other.PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	require.True(t, ok)
	require.NotEqual(t, creds.Editor.Phone, oc.Editor.Phone)
	require.NotEqual(t, creds.Editor.Password, oc.Editor.Password)
	oed := gpLogin(t, oc.URL, oc.Editor)
	_, err = oed.Post(ctx, p.ID)
	var e *gospubliki.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, gospubliki.CodeNotFound, e.Code)
	page, err := oed.ListPosts(ctx, gospubliki.PostFilter{})
	require.NoError(t, err)
	require.Empty(t, page.Items)
	// The default tenant's password does not open the other tenant's
	// account, nor the other way round.
	c, err := gospubliki.New(core.WithBaseURL(oc.URL), core.WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = c.Login(ctx, oc.Editor.Phone, creds.Editor.Password)
	require.ErrorAs(t, err, &e)
	require.Equal(t, gospubliki.CodeInvalidCredentials, e.Code)

	// Sessions expire on each tenant's own world clock.
	other.Clock.Advance(gpmock.DefaultSessionTTL)
	_, err = oed.Me(ctx)
	require.ErrorAs(t, err, &e)
	require.Equal(t, gospubliki.CodeUnauthenticated, e.Code)
	_, err = editor.Me(ctx)
	require.NoError(t, err, "the default tenant's clock did not move")
	sb.Clock.Advance(gpmock.DefaultSessionTTL)
	_, err = editor.Me(ctx)
	require.ErrorAs(t, err, &e)
	require.Equal(t, gospubliki.CodeUnauthenticated, e.Code)

	// The journal names the operation and never the password.
	j, ok := sb.Journal.Last(world.Filter{Party: gpmock.PartyName, Method: "login"})
	require.True(t, ok)
	require.NotContains(t, j.Token, creds.Moderator.Password)
}
