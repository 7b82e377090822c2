package okmock_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/social"
)

// okClient is the SDK's own OK client pointed at the emulator.
func okClient(t *testing.T, sb *mock.Sandbox, opts ...core.Option) *ok.Client {
	cr := sb.Credentials.OK
	c, err := ok.New(ok.Credentials{ApplicationKey: cr.ApplicationKey, ApplicationSecretKey: cr.ApplicationSecret,
		AccessToken: cr.AccessToken, SessionSecretKey: cr.SessionSecret},
		append([]core.Option{core.WithBaseURL(sb.OKURL), core.WithHTTPClient(sb.HTTPClient()),
			core.WithClock(core.NowFunc(sb.Clock.Now))}, opts...)...)
	require.NoError(t, err)
	return c
}

func TestOKClientAgainstTheEmulator(t *testing.T) {
	sb := mock.Start(t)
	ctx := context.Background()
	gid := strconv.FormatInt(okmock.DefaultGroupID, 10)
	for _, rest := range []bool{false, true} {
		var opts []core.Option
		if rest {
			opts = append(opts, ok.WithRESTPaths())
		}
		c := okClient(t, sb, opts...)
		g, err := c.GetGroup(ctx, gid, []string{"name", "access_type", "city", "category", "description", "pic_avatar", "photo_id", "gos_org"})
		require.NoError(t, err)
		assert.Equal(t, "Минцифры Архангельской области", g.Name)
		assert.Equal(t, ok.AccessOpen, g.AccessType)
		require.NotNil(t, g.GosOrg)
		assert.False(t, *g.GosOrg)

		reqs, err := c.CheckGroup(ctx, gid)
		require.NoError(t, err)
		require.Len(t, reqs.NotMet(), 1, "%+v", reqs)
		assert.Equal(t, "gov_mark", string(reqs.NotMet()[0].Code), "only the mark itself is missing")

		rc, err := c.Publisher(gid).Publish(ctx, social.Post{Text: "Новость", Key: "k-" + strconv.FormatBool(rest),
			Media: []social.Media{{Kind: social.Photo, Filename: "a.png", Data: []byte("\x89PNG....")}},
			Poll:  &social.Poll{Question: "Удобно?", Options: []string{"Да", "Нет"}}})
		require.NoError(t, err)
		assert.NotEmpty(t, rc.PostID)
	}
	ts := sb.OK.Topics(okmock.DefaultGroupID)
	require.Len(t, ts, 2)
	assert.True(t, ts[0].OnBehalfOfGroup)
	// Calls were journalled without secrets.
	for _, e := range sb.Journal.Entries(world.Filter{Party: "ok"}) {
		for k := range e.Params {
			assert.NotContains(t, []string{"access_token", "sig", "session_key"}, k)
		}
	}
}

func TestOKClientRenewsAnExpiredTokenThroughTheTokenEndpoint(t *testing.T) {
	sb := mock.Start(t)
	cr := sb.Credentials.OK
	sec := sb.OK.Section()
	// A short-lived token with a refresh token, expired on the world clock.
	short := okmock.Token{PersonOID: world.DefaultChiefOID, AccessToken: "MOCKshortlived", SessionSecret: "MOCKshortsecret",
		RefreshToken: "MOCKshortrefresh", Permissions: []string{okmock.PermValuableAccess, okmock.PermGroupContent},
		ExpiresAt: sb.Clock.Now().Add(time.Minute)}
	require.NoError(t, sec.PutToken(short, ""))
	sb.Clock.Advance(time.Hour)
	cfg := &oauth2.Config{ClientID: strconv.FormatInt(cr.ApplicationID, 10), ClientSecret: cr.ApplicationSecret,
		Endpoint: oauth2.Endpoint{TokenURL: cr.TokenURL, AuthStyle: oauth2.AuthStyleInParams}}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, sb.HTTPClient())
	src := ok.NewTokenSource(ctx, cfg, &oauth2.Token{AccessToken: short.AccessToken, RefreshToken: short.RefreshToken,
		Expiry: time.Now().Add(time.Hour)})
	c, err := ok.New(ok.Credentials{ApplicationKey: cr.ApplicationKey, ApplicationSecretKey: cr.ApplicationSecret},
		core.WithBaseURL(sb.OKURL), core.WithHTTPClient(sb.HTTPClient()), ok.WithTokenSource(src))
	require.NoError(t, err)
	g, err := c.GetGroup(context.Background(), strconv.FormatInt(okmock.DefaultGroupID, 10), []string{"name"})
	require.NoError(t, err)
	assert.NotEmpty(t, g.Name)
	var codes []int
	for _, e := range sb.Journal.Entries(world.Filter{Party: "ok"}) {
		codes = append(codes, e.Code)
	}
	assert.Contains(t, codes, okmock.CodeParamSessionExpired, "the first call met 102, then the token was renewed")
}
