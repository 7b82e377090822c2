package mock_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// suite is one test suite talking to a shared sandbox over HTTP only, as a
// suite in another process would talk to gosmock.
type suite struct {
	t       *testing.T
	c       *http.Client
	ctl     string
	tgURL   string
	esiaURL string
	name    string
	token   string
	bot     string
	channel int64
	client  string
}

type created struct {
	Name        string `json:"name"`
	Token       string `json:"control_token"`
	Credentials struct {
		Telegram struct {
			BotToken  string `json:"bot_token"`
			ChannelID int64  `json:"channel_id"`
		} `json:"telegram"`
		ESIA struct {
			ClientID string `json:"client_id"`
		} `json:"esia"`
	} `json:"credentials"`
}

func newSuite(t *testing.T, sb *mock.Sandbox, name string) *suite {
	c := sb.HTTPClient()
	var cr created
	require.Equal(t, 201, getJSON(t, c, "POST", sb.ControlURL+"/_mock/tenants", `{"name":"`+name+`"}`, nil, &cr))
	require.Equal(t, name, cr.Name)
	require.True(t, strings.HasPrefix(cr.Token, "mockctl_"))
	require.NotEmpty(t, cr.Credentials.Telegram.BotToken)
	require.NotEqual(t, sb.Credentials.Telegram.BotToken, cr.Credentials.Telegram.BotToken, "a tenant's bot has a token of its own")
	require.NotEqual(t, sb.Credentials.ESIA.ClientID, cr.Credentials.ESIA.ClientID)
	return &suite{t: t, c: c, ctl: sb.ControlURL + "/_mock", tgURL: sb.TelegramURL, esiaURL: sb.ESIAURL, name: name,
		token: cr.Token, bot: cr.Credentials.Telegram.BotToken, channel: cr.Credentials.Telegram.ChannelID,
		client: cr.Credentials.ESIA.ClientID}
}

// control calls the control API with the suite's token (and extra headers).
func (s *suite) control(method, path, body string, out any, hdr ...string) int {
	h := map[string]string{"Authorization": "Bearer " + s.token}
	for i := 0; i+1 < len(hdr); i += 2 {
		h[hdr[i]] = hdr[i+1]
	}
	return getJSON(s.t, s.c, method, s.ctl+path, body, h, out)
}

func (s *suite) telegram(method, tenantHeader string) (int, map[string]any) {
	req, err := http.NewRequest("GET", s.tgURL+"/bot"+s.bot+"/"+method, nil)
	require.NoError(s.t, err)
	if tenantHeader != "" {
		req.Header.Set(mock.TenantHeader, tenantHeader)
	}
	return do(s.t, s.c, req)
}

func (s *suite) esiaToken(tenantHeader string) (int, map[string]any) {
	form := url.Values{"client_id": {s.client}, "grant_type": {"client_credentials"}}
	req, err := http.NewRequest("POST", s.esiaURL+"/aas/oauth2/v3/te", strings.NewReader(form.Encode()))
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if tenantHeader != "" {
		req.Header.Set(mock.TenantHeader, tenantHeader)
	}
	return do(s.t, s.c, req)
}

func do(t *testing.T, c *http.Client, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	return resp.StatusCode, m
}

func (s *suite) journal(query string) []world.Entry {
	var entries []world.Entry
	require.Equal(s.t, 200, s.control("GET", "/journal?"+query, "", &entries))
	return entries
}

// work is what each suite does on its own, concurrently with the other.
func (s *suite) work(advance time.Duration) {
	t := s.t
	var clock struct {
		Now time.Time `json:"now"`
	}
	require.Equal(t, 200, s.control("POST", "/clock/advance?d="+advance.String(), "", &clock))
	st, body := s.telegram("getMe", "")
	require.Equal(t, 200, st, "%v", body)
	st, body = s.telegram("getMe", s.name)
	require.Equal(t, 200, st, "the suite's own tenant may be named: %v", body)
	var rule world.Rule
	require.Equal(t, 201, s.control("POST", "/faults", `{"id":"`+s.name+`-rule","party":"telegram","method":"getMe","kind":"error","code":503,"description":"Service Unavailable"}`, &rule))
	st, _ = s.telegram("getMe", "")
	require.Equal(t, 503, st)
	require.Equal(t, 200, s.control("DELETE", "/faults?id="+rule.ID, "", nil))
	st, _ = s.telegram("getMe", "")
	require.Equal(t, 200, st)
	st, body = s.esiaToken("")
	require.Equal(t, 400, st, "%v", body)

	entries := s.journal("")
	require.Len(t, entries, 5, "%+v", entries)
	for _, e := range entries {
		assert.Equal(t, s.name, e.Tenant)
		assert.Equal(t, clock.Now, e.Time, "the tenant's own clock")
	}
	assert.Equal(t, rule.ID, entries[2].Fault)
	assert.Equal(t, "esia", entries[4].Party)
	var sc map[string]any
	require.Equal(t, 200, s.control("GET", "/state", "", &sc))
	data, _ := json.Marshal(sc)
	assert.NotContains(t, string(data), s.bot, "secrets are left out by default")
	require.Equal(t, 200, s.control("GET", "/state?secrets=1", "", &sc))
	data, _ = json.Marshal(sc)
	assert.Contains(t, string(data), s.bot)
}

func TestTenantsAreIsolated(t *testing.T) {
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	sb := mock.Start(t, mock.WithFrozenClock(start))
	a, b := newSuite(t, sb, "suite-a"), newSuite(t, sb, "suite-b")

	var wg sync.WaitGroup
	for i, s := range []*suite{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.work(time.Duration(i+1) * time.Hour)
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	var clock struct {
		Now time.Time `json:"now"`
	}
	a.control("GET", "/clock", "", &clock)
	assert.Equal(t, start.Add(time.Hour), clock.Now.UTC())
	b.control("GET", "/clock", "", &clock)
	assert.Equal(t, start.Add(2*time.Hour), clock.Now.UTC())
	assert.Equal(t, start, sb.Clock.Now().UTC(), "the default tenant's clock did not move")
	assert.Zero(t, sb.Journal.Count("", ""), "nothing reached the default tenant")

	// B keeps a rule and a message of its own.
	require.Equal(t, 201, b.control("POST", "/faults", `{"id":"b-only","party":"telegram","method":"getChat","latency":"1ms"}`, nil))
	var msg map[string]any
	require.Equal(t, 200, b.control("POST", "/telegram/post", `{"chat_id":`+strconv.FormatInt(b.channel, 10)+`,"user_id":5000000001,"text":"B's secret"}`, &msg), "%v", msg)
	bEntries := len(b.journal(""))

	// Every attempt of A to reach B.
	var cerr struct {
		Error string `json:"error"`
	}
	var health struct {
		Tenant string    `json:"tenant"`
		Now    time.Time `json:"now"`
	}
	require.Equal(t, 200, a.control("GET", "/health", "", &health))
	assert.Equal(t, "suite-a", health.Tenant)
	assert.Equal(t, start.Add(time.Hour), health.Now.UTC())
	var info map[string]any
	require.Equal(t, 200, a.control("GET", "/tenant", "", &info))
	assert.Equal(t, "suite-a", info["name"])
	data, _ := json.Marshal(info)
	assert.Contains(t, string(data), a.bot)
	assert.NotContains(t, string(data), b.bot, "a tenant sees only its own credentials")
	assert.Equal(t, 400, a.control("GET", "/journal?tenant=suite-b", "", &cerr), "journal of another tenant")
	assert.Equal(t, 401, a.control("GET", "/journal", "", &cerr, "X-Mock-Tenant", "suite-b"), "control header naming another tenant")
	assert.Equal(t, 401, getJSON(t, a.c, "GET", a.ctl+"/journal", "", map[string]string{"X-Mock-Tenant": "suite-b"}, &cerr), "header without a token")
	assert.Equal(t, 401, getJSON(t, a.c, "GET", a.ctl+"/faults", "", map[string]string{"Authorization": "Bearer mockctl_guess"}, &cerr))
	var rules []world.Rule
	require.Equal(t, 200, a.control("GET", "/faults", "", &rules))
	assert.Empty(t, rules, "A lists only its own rules")
	assert.Equal(t, 404, a.control("DELETE", "/faults?id=b-only", "", &cerr), "deleting another tenant's rule by id")
	assert.Equal(t, 400, a.control("POST", "/faults", `{"tenant":"suite-b","party":"telegram","kind":"error","code":500}`, &cerr), "a rule for another tenant")
	assert.Contains(t, cerr.Error, "tenant")
	require.Equal(t, 200, a.control("DELETE", "/faults", "", nil))
	require.Equal(t, 200, a.control("DELETE", "/journal", "", nil))
	require.Equal(t, 200, a.control("POST", "/reset", "", nil))
	var msgs []map[string]any
	require.Equal(t, 200, a.control("GET", "/telegram/messages?chat_id="+strconv.FormatInt(b.channel, 10), "", &msgs))
	assert.Empty(t, msgs, "A cannot read B's messages")
	var sc map[string]any
	a.control("GET", "/state?secrets=1", "", &sc)
	data, _ = json.Marshal(sc)
	assert.NotContains(t, string(data), b.bot)
	st, body := a.telegram("getMe", "suite-b")
	assert.Equal(t, 401, st, "X-Mock-Tenant on the Bot API with another tenant's name")
	assert.Equal(t, "Unauthorized", body["description"])
	st, body = a.esiaToken("suite-b")
	assert.Equal(t, 400, st)
	assert.Contains(t, body["error_description"], "ESIA-007002", "ESIA's own unauthorized error")
	// A's token with B's bot: B's bot answers for B (the credential decides).
	req, _ := http.NewRequest("GET", a.tgURL+"/bot"+b.bot+"/getMe", nil)
	req.Header.Set(mock.TenantHeader, "suite-a")
	st, _ = do(t, a.c, req)
	assert.Equal(t, 401, st, "a credential of B cannot be served as A")

	// B saw none of it, except the refused use of its own credential.
	entries := b.journal("")
	require.Len(t, entries, bEntries+1)
	assert.Equal(t, 401, entries[bEntries].Status)
	require.Equal(t, 200, b.control("GET", "/faults", "", &rules))
	require.Len(t, rules, 1)
	assert.Equal(t, "b-only", rules[0].ID)
	require.Equal(t, 200, b.control("GET", "/telegram/messages?chat_id="+strconv.FormatInt(b.channel, 10), "", &msgs))
	require.Len(t, msgs, 1)
	assert.Equal(t, "B's secret", msgs[0]["text"])

	// Deleting a tenant forgets its credentials.
	require.Equal(t, 200, a.control("DELETE", "/tenant", "", nil))
	st, _ = a.telegram("getMe", "")
	assert.Equal(t, 401, st)
	assert.Equal(t, 401, a.control("GET", "/journal", "", &cerr))
	assert.Equal(t, 400, getJSON(t, a.c, "DELETE", a.ctl+"/tenant", "", nil, &cerr), "the default tenant stays")
}

func TestTenantGoAPIAndCrossPartyCalls(t *testing.T) {
	sb := mock.Start(t)
	ten, err := sb.Tenant("go-suite")
	require.NoError(t, err)
	again, err := sb.Tenant("go-suite")
	require.NoError(t, err)
	assert.Same(t, ten, again, "created on first use, then found")
	_, err = sb.CreateTenant("go-suite", nil)
	assert.ErrorIs(t, err, mock.ErrTenantExists)
	_, err = sb.CreateTenant("Bad Name", nil)
	assert.ErrorIs(t, err, mock.ErrTenantName)
	// A scenario holding another tenant's bot token is refused.
	sc := mock.DefaultScenario()
	_, err = sb.CreateTenant("copy", &sc)
	assert.ErrorIs(t, err, emu.ErrCredentialTaken)

	// A call carrying its tenant in the context (one emulator calling
	// another) is served by that tenant.
	cr := ten.Credentials()
	ctx := emu.WithTenant(context.Background(), ten.Name)
	req, _ := http.NewRequestWithContext(ctx, "GET", sb.TelegramURL+"/bot"+cr.Telegram.BotToken+"/getMe", nil)
	st, _ := do(t, sb.HTTPClient(), req)
	require.Equal(t, 200, st)
	e, ok := ten.Journal.Last(world.Filter{})
	require.True(t, ok)
	assert.Equal(t, "go-suite", e.Tenant)
	// The same context with the default tenant's credential is refused.
	req, _ = http.NewRequestWithContext(ctx, "GET", sb.TelegramURL+"/bot"+sb.Credentials.Telegram.BotToken+"/getMe", nil)
	st, _ = do(t, sb.HTTPClient(), req)
	assert.Equal(t, 401, st)

	// A bot added to a tenant's world later is found by its token.
	tok := tgmock.NewBotToken(7400, 9)
	require.NoError(t, ten.Telegram.Section().AddBot(tgmock.Bot{ID: 7400, Token: tok, Username: "late_bot", FirstName: "Late"}, ten.World))
	req, _ = http.NewRequest("GET", sb.TelegramURL+"/bot"+tok+"/getMe", nil)
	st, _ = do(t, sb.HTTPClient(), req)
	assert.Equal(t, 200, st)
	assert.Equal(t, 2, ten.Journal.Count("telegram", "getme"))

	require.NoError(t, sb.DeleteTenant("go-suite"))
	small := mock.Start(t, mock.WithParties("telegram"), mock.WithMaxTenants(2))
	_, err = small.CreateTenant("one", nil)
	require.NoError(t, err)
	_, err = small.CreateTenant("two", nil)
	assert.ErrorIs(t, err, mock.ErrTooManyTenants)
	var cerr struct {
		Error string `json:"error"`
	}
	assert.Equal(t, 429, getJSON(t, small.HTTPClient(), "POST", small.ControlURL+"/_mock/tenants", `{}`, nil, &cerr))
	require.NoError(t, small.DeleteTenant("one"))
	_, err = small.CreateTenant("two", nil)
	assert.NoError(t, err)
	assert.ErrorIs(t, sb.DeleteTenant("go-suite"), mock.ErrNoTenant)
	assert.Error(t, sb.DeleteTenant(mock.DefaultTenant))
}

func TestControlHardening(t *testing.T) {
	sb := mock.Start(t)
	c := sb.HTTPClient()
	ctl := sb.ControlURL + "/_mock"
	var cerr struct {
		Error string   `json:"error"`
		Field string   `json:"field"`
		Known []string `json:"known"`
	}
	send := func(method, path, ct, body string, hdr map[string]string) int {
		req, err := http.NewRequest(method, ctl+path, strings.NewReader(body))
		require.NoError(t, err)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		for k, v := range hdr {
			if k == "Host" {
				req.Host = v
				continue
			}
			req.Header.Set(k, v)
		}
		resp, err := c.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), "%s %s", method, path)
		cerr.Error, cerr.Field, cerr.Known = "", "", nil
		_ = json.NewDecoder(resp.Body).Decode(&cerr)
		return resp.StatusCode
	}
	_, port, _ := strings.Cut(strings.TrimPrefix(sb.ControlURL, "http://"), ":")
	// DNS rebinding: a name that is not the listener's.
	assert.Equal(t, 403, send("GET", "/state", "", "", map[string]string{"Host": "evil.example:" + port}))
	assert.Equal(t, 403, send("GET", "/state", "", "", map[string]string{"Host": "127.0.0.1:1"}))
	assert.Equal(t, 200, send("GET", "/health", "", "", map[string]string{"Host": "localhost:" + port}))
	// Cross-site POSTs: text/plain bodies and foreign origins.
	assert.Equal(t, 415, send("POST", "/faults", "text/plain", `{"kind":"drop_before"}`, nil))
	assert.Equal(t, 415, send("POST", "/state", "application/x-www-form-urlencoded", "a=b", nil))
	assert.Equal(t, 403, send("POST", "/clock/advance?d=1h", "", "", map[string]string{"Origin": "http://evil.example"}))
	assert.Equal(t, 200, send("POST", "/clock/advance?d=1s", "application/json", "", nil))
	// Wrong methods are 405 with JSON, the ESIA routes included.
	assert.Equal(t, 405, send("PUT", "/faults", "application/json", "{}", nil))
	assert.Contains(t, cerr.Error, "GET")
	assert.Equal(t, 405, send("GET", "/reset", "", "", nil))
	assert.Equal(t, 405, send("GET", "/esia/login", "", "", nil))
	assert.Equal(t, 405, send("GET", "/telegram/post", "", "", nil))
	assert.Contains(t, cerr.Error, "POST")
	assert.Equal(t, 404, send("GET", "/telegram/nothing", "", "", nil))
	assert.Equal(t, 404, send("GET", "/esia/nothing", "", "", nil))
	assert.NotEmpty(t, cerr.Error)
	assert.Equal(t, 400, send("POST", "/esia/systems", "application/json", `{"client_id":"X"}`, nil))
	assert.NotEmpty(t, cerr.Error)
	// Fault rules are validated against what the sandbox serves.
	assert.Equal(t, 400, send("POST", "/faults", "application/json", `{"party":"telgram","kind":"error","code":500}`, nil))
	assert.Equal(t, "party", cerr.Field)
	assert.Contains(t, cerr.Known, "telegram")
	assert.Equal(t, 400, send("POST", "/faults", "application/json", `{"party":"telegram","method":"sendMesage","kind":"error","code":500}`, nil))
	assert.Equal(t, "method", cerr.Field)
	assert.Contains(t, cerr.Known, "sendmessage")
	assert.Equal(t, 400, send("POST", "/faults", "application/json", `{"party":"esia","method":"sendMessage","kind":"error","code":500}`, nil))
	assert.Contains(t, cerr.Known, "v3/te")
	assert.Equal(t, 400, send("POST", "/faults", "application/json", `{"kind":"explode"}`, nil))
	assert.Equal(t, "kind", cerr.Field)
	assert.Contains(t, cerr.Known, "truncate")
	assert.Equal(t, 201, send("POST", "/faults", "application/json", `{"party":"esia","method":"v3/te","kind":"truncate"}`, nil))
}

func TestTruncateFault(t *testing.T) {
	sb := mock.Start(t)
	_, err := sb.Faults.Add(world.Rule{Party: "telegram", Method: "getMe", Kind: world.FaultTruncate})
	require.NoError(t, err)
	resp, err := sb.HTTPClient().Get(sb.TelegramURL + "/bot" + sb.Credentials.Telegram.BotToken + "/getMe")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	data, err := io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "the body is cut off")
	assert.Less(t, int64(len(data)), resp.ContentLength)
	assert.NotEmpty(t, data)
	e, ok := sb.Journal.Last(world.Filter{})
	require.True(t, ok)
	assert.Equal(t, "f1", e.Fault)
	assert.Equal(t, 200, e.Status)
}

// TestTenantControlPerParty proves the parties' own control endpoints act
// on the caller's tenant only.
func TestTenantControlPerParty(t *testing.T) {
	sb := mock.Start(t)
	a, b := newSuite(t, sb, "pa"), newSuite(t, sb, "pb")
	tb, err := sb.Tenant("pb")
	require.NoError(t, err)

	// Telegram limits.
	require.Equal(t, 200, a.control("POST", "/telegram/limits", `{"disabled":true}`, nil))
	var lim struct {
		Disabled bool `json:"disabled"`
	}
	require.Equal(t, 200, b.control("GET", "/telegram/limits", "", &lim))
	assert.False(t, lim.Disabled)

	// ESIA systems: registered in the caller's tenant; a client_id is one
	// tenant's.
	cc, err := esiamock.NewGOSTClientCredentials(rand.Reader, "SHARED_IS")
	require.NoError(t, err)
	body, _ := json.Marshal(esiamock.System{ClientID: "SHARED_IS", Certificates: []string{string(cc.CertificatePEM)}, RedirectURIs: []string{"https://app.example/cb"}})
	require.Equal(t, 200, a.control("POST", "/esia/systems", string(body), nil))
	var cerr struct {
		Error string `json:"error"`
	}
	require.Equal(t, 400, b.control("POST", "/esia/systems", string(body), &cerr))
	assert.Contains(t, cerr.Error, "another tenant")
	var systems []esiamock.System
	require.Equal(t, 200, b.control("GET", "/esia/systems", "", &systems))
	for _, s := range systems {
		assert.NotEqual(t, "SHARED_IS", s.ClientID)
		assert.NotEqual(t, a.client, s.ClientID)
	}

	// Headless logins queue in the caller's tenant.
	require.Equal(t, 200, a.control("POST", "/esia/login", `{"person_oid":`+strconv.FormatInt(world.DefaultChiefOID, 10)+`}`, nil))
	assert.Zero(t, tb.ESIA.PendingLogins())

	// Seeding another tenant's credential is a conflict; importing a state
	// changes only the caller's world.
	seed := `{"telegram":{"bots":[{"id":7000000001,"token":"` + b.bot + `","username":"stolen_bot","first_name":"S"}]}}`
	require.Equal(t, 409, a.control("POST", "/seed", seed, &cerr))
	assert.Contains(t, cerr.Error, "another tenant")
	require.Equal(t, 409, a.control("POST", "/state", seed, &cerr))
	st, _ := a.telegram("getMe", "")
	assert.Equal(t, 200, st, "a refused import leaves the world as it was")
	require.Equal(t, 200, a.control("POST", "/state", `{"version":2}`, nil))
	st, _ = a.telegram("getMe", "")
	assert.Equal(t, 401, st, "A's world has no bot now")
	st, _ = b.telegram("getMe", "")
	assert.Equal(t, 200, st, "B's world is untouched")
	require.Equal(t, 200, a.control("POST", "/reset", "", nil))
	st, _ = a.telegram("getMe", "")
	assert.Equal(t, 401, st, "reset restores the imported state")
	st, _ = b.telegram("getMe", "")
	assert.Equal(t, 200, st)
}

// TestTenantESIALogin runs a whole ESIA login in a tenant: the codes, login
// ids and access tokens the emulator issues all map to the tenant.
func TestTenantESIALogin(t *testing.T) {
	sb := mock.Start(t)
	ten, err := sb.CreateTenant("esia-suite", nil)
	require.NoError(t, err)
	cr := ten.Credentials().ESIA
	require.Equal(t, esiamock.DefaultClientID+"-esia-suite", cr.ClientID)
	key, err := gost.ParsePrivateKeyPEM([]byte(cr.KeyPEM))
	require.NoError(t, err)
	cert, err := gost.ParseCertificatePEM([]byte(cr.CertificatePEM))
	require.NoError(t, err)
	signer, err := esia.NewGOSTSigner(key, cert)
	require.NoError(t, err)
	c, err := esia.New(esia.Config{
		BaseURL: sb.ESIAURL, ClientID: cr.ClientID, RedirectURL: "http://127.0.0.1:18080/cb", Signer: signer,
		Scopes: []string{"openid", "fullname", "usr_org"}, Certificates: [][]byte{[]byte(cr.ESIACertificatePEM)},
	}, core.WithHTTPClient(sb.HTTPClient()), core.WithClock(core.NowFunc(ten.Clock.Now)))
	require.NoError(t, err)
	ctx := context.Background()
	ten.ESIA.EnqueueLogin(esiamock.Login{PersonOID: cr.PersonOID})
	state := esia.NewState()
	u, err := c.AuthCodeURL(ctx, state)
	require.NoError(t, err)
	hc := sb.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(u)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode, "%s", page)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	code, err := esia.ParseCallbackQuery(loc.Query(), state)
	require.NoError(t, err, "%s", loc)
	tok, err := c.Exchange(ctx, code)
	require.NoError(t, err)
	p, err := c.Person(ctx, oauth2StaticSource(tok), cr.PersonOID)
	require.NoError(t, err)
	assert.NotEmpty(t, p.LastName)
	for _, m := range []string{"v2/ac", "v3/te", "rs/prns"} {
		e, ok := ten.Journal.Last(world.Filter{Party: "esia", Method: m})
		require.True(t, ok, m)
		assert.Equal(t, "esia-suite", e.Tenant)
		assert.Less(t, e.Status, 400, m)
	}
	assert.Zero(t, sb.Journal.Count("esia", ""), "nothing reached the default tenant")
}

func oauth2StaticSource(t *oauth2.Token) oauth2.TokenSource { return oauth2.StaticTokenSource(t) }

func TestUnspecifiedAddressURLs(t *testing.T) {
	sb := mock.Start(t, mock.WithAddr("0.0.0.0"), mock.WithParties("telegram"))
	for name, u := range sb.URLs() {
		assert.NotContains(t, u, "0.0.0.0", name)
		assert.NotContains(t, u, "[::]", name)
	}
	resp, err := sb.HTTPClient().Get(sb.ControlURL + "/_mock/health")
	require.NoError(t, err, "the printed URL is reachable and allowed")
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
}

func TestTenantPrintsNoControlToken(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("telegram"))
	ten, err := sb.CreateTenant("quiet", nil)
	require.NoError(t, err)
	var buf strings.Builder
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		buf.WriteString(fmt.Sprintf(verb, ten))
	}
	slog.New(slog.NewTextHandler(&buf, nil)).Info("tenant", "tenant", ten)
	assert.NotContains(t, buf.String(), ten.ControlToken())
	assert.Contains(t, buf.String(), "quiet")
}

func TestTenantWebhookJournal(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("telegram"))
	ten, err := sb.CreateTenant("hooks", nil)
	require.NoError(t, err)
	got := make(chan struct{}, 4)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- struct{}{}
	}))
	defer app.Close()
	cr := ten.Credentials().Telegram
	st, body := do(t, sb.HTTPClient(app.Listener.Addr().String()), mustRequest(t, "GET", sb.TelegramURL+"/bot"+cr.BotToken+"/setWebhook?url="+url.QueryEscape(app.URL)))
	require.Equal(t, 200, st, "%v", body)
	_, err = ten.Telegram.PostAsUser(cr.GroupID, world.DefaultEmployeeTGID, "hello")
	require.NoError(t, err)
	<-got
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e, err := ten.Journal.Await(ctx, world.Filter{Method: "webhook"})
	require.NoError(t, err)
	assert.Equal(t, "hooks", e.Tenant, "outbound work is journalled under the tenant's name")
	assert.Zero(t, sb.Journal.Count("", ""))
}

func mustRequest(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	require.NoError(t, err)
	return req
}
