package mock_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/pos"
	"github.com/gospubliki/gosdk/telegram"
	"github.com/gospubliki/gosdk/vk"
)

// TestRoutingTransportDefaultURLs runs every party's client built with its
// default base URL (no core.WithBaseURL) through the routing transport:
// each request lands on the sandbox's emulator of that party, journalled
// there with the real path.
func TestRoutingTransportDefaultURLs(t *testing.T) {
	sb := mock.Start(t)
	ctx := context.Background()
	hc := sb.RealHostClient()
	clock := core.WithClock(core.NowFunc(sb.Clock.Now))

	// Telegram: https://api.telegram.org.
	bot, err := telegram.New(sb.Credentials.Telegram.BotToken, core.WithHTTPClient(hc))
	require.NoError(t, err)
	me, err := bot.GetMe(ctx)
	require.NoError(t, err)
	assert.True(t, me.IsBot)
	e, found := sb.Journal.Last(world.Filter{Party: "telegram", Method: "getme"})
	require.True(t, found)
	require.NotNil(t, e.Decoded)
	assert.Equal(t, "getMe", e.Decoded.Telegram.Method)

	// VK: https://api.vk.ru.
	fast := vk.WithRateLimits(vk.Limits{User: core.PerSecond(1000), Community: core.PerSecond(1000), Service: core.PerSecond(1000)})
	user, err := vk.New(sb.Credentials.VK.UserToken, vk.UserToken, core.WithHTTPClient(hc), fast)
	require.NoError(t, err)
	g, err := user.GetGroup(ctx, sb.Credentials.VK.GroupID)
	require.NoError(t, err)
	assert.Equal(t, sb.Credentials.VK.GroupID, g.ID)
	// The upload URL the emulator hands out is followed through the same
	// transport.
	photo, err := user.UploadGroupWallPhoto(ctx, sb.Credentials.VK.GroupID, "p.png", pngImage(t), "")
	require.NoError(t, err)
	_, err = user.WallPost(ctx, vk.WallPostRequest{OwnerID: -sb.Credentials.VK.GroupID, FromGroup: true, Message: "x", Key: "routed",
		Attachments: []string{photo.Attachment()}})
	require.NoError(t, err)
	e, found = sb.Journal.Last(world.Filter{Party: "vk", Method: "wall.post"})
	require.True(t, found)
	assert.Equal(t, "wall.post", e.Decoded.VK.Method)
	assert.NotContains(t, e.Decoded.VK.Params, "access_token")

	// OK: https://api.ok.ru.
	cr := sb.Credentials.OK
	okc, err := ok.New(ok.Credentials{ApplicationKey: cr.ApplicationKey, ApplicationSecretKey: cr.ApplicationSecret,
		AccessToken: cr.AccessToken, SessionSecretKey: cr.SessionSecret}, core.WithHTTPClient(hc), clock)
	require.NoError(t, err)
	og, err := okc.GetGroup(ctx, strconv.FormatInt(okmock.DefaultGroupID, 10), []string{"name"})
	require.NoError(t, err)
	assert.NotEmpty(t, og.Name)
	e, found = sb.Journal.Last(world.Filter{Party: "ok", Method: "group.getinfo"})
	require.True(t, found)
	require.NotNil(t, e.Decoded)
	assert.True(t, e.Decoded.OK.SignatureChecked)
	assert.True(t, e.Decoded.OK.SignatureValid)

	// POS: https://pos.gosuslugi.ru, token at /oauth/token.
	pc := sb.Credentials.POS
	appeals, err := pos.NewAppealsClient(pos.Credentials{Username: pc.Username, Password: pc.Password}, core.WithHTTPClient(hc), clock)
	require.NoError(t, err)
	regions, err := appeals.Regions(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, regions)

	// The cabinet: https://id-gp.gosuslugi.ru.
	gc, isGP := sb.DefaultTenant().PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	require.True(t, isGP)
	cab, err := gospubliki.New(core.WithBaseURL("https://id-gp.gosuslugi.ru"), core.WithHTTPClient(hc), core.WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = cab.Login(ctx, gc.LKOAdmin.Phone, gc.LKOAdmin.Password)
	require.NoError(t, err)
	cb, err := cab.Cabinet(ctx)
	require.NoError(t, err)
	assert.Equal(t, gospubliki.CabinetEditorial, cb.Kind)

	// ESIA: https://esia.gosuslugi.ru (Config.BaseURL empty), a whole login.
	ec := sb.Credentials.ESIA
	key, err := gost.ParsePrivateKeyPEM([]byte(ec.KeyPEM))
	require.NoError(t, err)
	cert, err := gost.ParseCertificatePEM([]byte(ec.CertificatePEM))
	require.NoError(t, err)
	signer, err := esia.NewGOSTSigner(key, cert)
	require.NoError(t, err)
	ecl, err := esia.New(esia.Config{ClientID: ec.ClientID, RedirectURL: "http://127.0.0.1:18080/esia/callback", Signer: signer,
		Scopes: []string{"openid", "fullname"}, Certificates: [][]byte{[]byte(ec.ESIACertificatePEM)}}, core.WithHTTPClient(hc), clock)
	require.NoError(t, err)
	state := esia.NewState()
	u, err := ecl.AuthCodeURL(ctx, state)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(u, esia.ProdBaseURL+"/"), u)
	sb.ESIA.EnqueueLogin(esiamock.Login{PersonOID: ec.PersonOID})
	nr := sb.RealHostClient()
	nr.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := nr.Get(u)
	require.NoError(t, err)
	_ = resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	code, err := esia.ParseCallbackQuery(loc.Query(), state)
	require.NoError(t, err)
	tok, err := ecl.Exchange(ctx, code)
	require.NoError(t, err)
	assert.NotEmpty(t, tok.AccessToken)
	e, found = sb.Journal.Last(world.Filter{Party: "esia", Method: "v3/te", Status: 200})
	require.True(t, found)
	require.NotNil(t, e.Decoded)
	assert.Equal(t, "authorization_code", e.Decoded.ESIA.GrantType)
	assert.Equal(t, ec.ClientID, e.Decoded.ESIA.ClientID)
	assert.True(t, e.Decoded.ESIA.SignatureChecked)
	assert.True(t, e.Decoded.ESIA.SignatureValid)
}

// TestRoutingTransportRefusesOtherHosts: any host outside the table, a
// real host on another port, or another scheme is refused with a typed
// error naming the host; nothing reaches the network.
func TestRoutingTransportRefusesOtherHosts(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("telegram"))
	hc := sb.RealHostClient()
	for _, tc := range []struct{ url, host, party string }{
		{"https://example.com/", "example.com", ""},
		{"https://api.telegram.org:8443/bot1:x/getMe", "api.telegram.org:8443", ""},
		{"https://vk.com/club1", "vk.com", ""},
		{"https://api.vk.ru/method/users.get", "api.vk.ru", "vk"}, // a party this sandbox does not run
		{"http://127.0.0.1:1/", "127.0.0.1:1", ""},
	} {
		_, err := hc.Get(tc.url)
		require.Error(t, err, tc.url)
		var he *mock.HostRefusedError
		require.ErrorAs(t, err, &he, tc.url)
		assert.Equal(t, tc.host, he.Host)
		assert.Equal(t, tc.party, he.Party)
		assert.ErrorIs(t, err, mock.ErrNotSandboxHost)
		assert.Contains(t, err.Error(), tc.host)
	}
	// The sandbox's own listener passes through.
	resp, err := hc.Get(sb.TelegramURL + "/bot" + sb.Credentials.Telegram.BotToken + "/getMe")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "telegram", mock.RealHosts()["api.telegram.org"])
}
