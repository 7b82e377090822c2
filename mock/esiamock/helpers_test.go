package esiamock_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/world"
)

const (
	testClient   = esiamock.DefaultClientID
	testRedirect = "http://app.example/callback"
)

// env is an emulator on an httptest server with the default system
// registered (GOST, JWTs signed with GOST).
type env struct {
	t      testing.TB
	w      *world.World
	srv    *esiamock.Server
	ts     *httptest.Server
	key    *gost.PrivateKey
	cert   *gost.Certificate
	hash   string
	client *http.Client // does not follow redirects
}

func newEnv(t testing.TB, sys func(*esiamock.System), opts ...esiamock.Option) *env {
	t.Helper()
	w, err := world.New()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := esiamock.New(w, opts...)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := esiamock.DefaultClientCredentials()
	if err != nil {
		t.Fatal(err)
	}
	s := esiamock.System{
		ClientID: testClient, Certificates: []string{string(cc.CertificatePEM)},
		RedirectURIs: []string{testRedirect}, ClientCredentials: true,
	}
	if sys != nil {
		sys(&s)
	}
	if err := srv.RegisterSystem(s); err != nil {
		t.Fatal(err)
	}
	key, err := gost.ParsePrivateKeyPEM(cc.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := gost.ParseCertificatePEM(cc.CertificatePEM)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &env{t: t, w: w, srv: srv, ts: ts, key: key, cert: cert, hash: cc.CertificateHash,
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func newState() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := string(hexs(b[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func hexs(b []byte) []byte {
	const d = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, d[c>>4], d[c&15])
	}
	return out
}

func (e *env) ts0() string { return e.w.Clock.Now().Format(esiamock.TimestampLayout) }

// rawSecret signs msg with the client key (raw GOST, base64url unpadded).
func (e *env) rawSecret(msg string) string {
	sig, err := gost.SignMessage(rand.Reader, e.key, []byte(msg))
	if err != nil {
		e.t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(sig)
}

// cmsSecret signs msg as a detached CMS.
func (e *env) cmsSecret(msg string) string {
	der, err := gost.SignDetached(rand.Reader, []byte(msg), e.cert, e.key)
	if err != nil {
		e.t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(der)
}

// v2AC returns signed /v2/ac parameters.
func (e *env) v2AC(scope, scopeOrg string) url.Values {
	q := url.Values{
		"client_id": {testClient}, "redirect_uri": {testRedirect}, "scope": {scope},
		"response_type": {"code"}, "state": {newState()}, "access_type": {"offline"},
		"timestamp": {e.ts0()}, "client_certificate_hash": {e.hash},
	}
	if scopeOrg != "" {
		q.Set("scope_org", scopeOrg)
	}
	e.signV2AC(q)
	return q
}

func (e *env) signV2AC(q url.Values) {
	q.Set("client_secret", e.rawSecret(q.Get("client_id")+q.Get("scope")+q.Get("scope_org")+q.Get("timestamp")+q.Get("state")+q.Get("redirect_uri")))
}

// legacyAC returns signed /ac parameters.
func (e *env) legacyAC(scope string) url.Values {
	q := url.Values{
		"client_id": {testClient}, "redirect_uri": {testRedirect}, "scope": {scope},
		"response_type": {"code"}, "state": {newState()}, "access_type": {"offline"},
		"timestamp": {e.ts0()},
	}
	q.Set("client_secret", e.cmsSecret(q.Get("scope")+q.Get("timestamp")+q.Get("client_id")+q.Get("state")))
	return q
}

// get performs a GET without following redirects.
func (e *env) get(path string, q url.Values) *http.Response {
	e.t.Helper()
	u := e.ts.URL + path
	if q != nil {
		u += "?" + q.Encode()
	}
	resp, err := e.client.Get(u)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// callback follows an /ac answer to the callback and returns its query.
func (e *env) callback(resp *http.Response) url.Values {
	e.t.Helper()
	if resp.StatusCode != http.StatusFound {
		b, _ := io.ReadAll(resp.Body)
		e.t.Fatalf("ac: status %d, want 302: %s", resp.StatusCode, b)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	if !strings.HasPrefix(loc.String(), testRedirect) {
		e.t.Fatalf("ac redirected to %s, want the callback", loc)
	}
	return loc.Query()
}

// code runs a headless v2 login and returns the code.
func (e *env) code(scope, scopeOrg string, l esiamock.Login) (string, url.Values) {
	e.t.Helper()
	e.srv.EnqueueLogin(l)
	q := e.v2AC(scope, scopeOrg)
	cb := e.callback(e.get("/aas/oauth2/v2/ac", q))
	if cb.Get("error") != "" {
		e.t.Fatalf("callback error %s: %s", cb.Get("error"), cb.Get("error_description"))
	}
	if cb.Get("state") != q.Get("state") {
		e.t.Fatalf("state %q, want %q", cb.Get("state"), q.Get("state"))
	}
	return cb.Get("code"), q
}

// v3TE returns signed v3/te parameters for a code.
func (e *env) v3TE(code, scope, scopeOrg string) url.Values {
	f := url.Values{
		"client_id": {testClient}, "code": {code}, "grant_type": {"authorization_code"},
		"client_certificate_hash": {e.hash}, "state": {newState()}, "redirect_uri": {testRedirect},
		"scope": {scope}, "timestamp": {e.ts0()}, "token_type": {"Bearer"},
	}
	if scopeOrg != "" {
		f.Set("scope_org", scopeOrg)
	}
	e.signV3(f)
	return f
}

func (e *env) signV3(f url.Values) {
	f.Set("client_secret", e.rawSecret(f.Get("client_id")+f.Get("scope")+f.Get("scope_org")+f.Get("timestamp")+f.Get("state")+f.Get("redirect_uri")+f.Get("code")))
}

// post posts a form and decodes the JSON answer.
func (e *env) post(path string, f url.Values) (int, map[string]any) {
	e.t.Helper()
	resp, err := e.client.PostForm(e.ts.URL+path, f)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		e.t.Fatalf("%s: decode: %v", path, err)
	}
	return resp.StatusCode, m
}

// wantTokenError checks a token endpoint error.
func wantTokenError(t testing.TB, status int, m map[string]any, code string, state string) {
	t.Helper()
	desc, _ := m["error_description"].(string)
	if status != http.StatusBadRequest || !strings.HasPrefix(desc, code+": ") || m["error"] == "" {
		t.Fatalf("got %d %v, want 400 with %s", status, m, code)
	}
	if state != "" && m["state"] != state {
		t.Fatalf("state %v, want %s", m["state"], state)
	}
}

// wantACError checks an /ac error redirected to the callback.
func (e *env) wantACError(resp *http.Response, code, state string) {
	e.t.Helper()
	cb := e.callback(resp)
	if !strings.HasPrefix(cb.Get("error_description"), code+": ") || cb.Get("error") == "" || cb.Get("code") != "" {
		e.t.Fatalf("callback %v, want %s", cb, code)
	}
	if state != "" && cb.Get("state") != state {
		e.t.Fatalf("state %q, want %q", cb.Get("state"), state)
	}
}

// wantPageError checks an /ac error rendered as a page.
func wantPageError(t testing.TB, resp *http.Response, code string) {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), code+": ") ||
		!strings.HasPrefix(resp.Header.Get("X-ESIA-Error"), code+": ") {
		t.Fatalf("got %d %q, want a 400 page with %s", resp.StatusCode, b, code)
	}
}

// decodeJWT splits a token into header, payload and the signing input.
func decodeJWT(t testing.TB, tok string) (map[string]any, map[string]any, string, []byte) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	var h, p map[string]any
	for i, v := range []*map[string]any{&h, &p} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		d := json.NewDecoder(strings.NewReader(string(b)))
		d.UseNumber()
		if err := d.Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	return h, p, parts[0] + "." + parts[1], sig
}

var _ = time.Second
