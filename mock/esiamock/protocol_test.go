package esiamock_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/world"
)

var chief = esiamock.Login{PersonOID: world.DefaultChiefOID, OrgOID: world.DefaultMinistryOID}

func TestV2FlowClaims(t *testing.T) {
	e := newEnv(t, nil)
	scope := "openid fullname email usr_org"
	code, _ := e.code(scope, "org_shortname org_ogrn", chief)
	f := e.v3TE(code, scope, "org_shortname org_ogrn")
	st, m := e.post("/aas/oauth2/v3/te", f)
	if st != http.StatusOK {
		t.Fatalf("te: %d %v", st, m)
	}
	if m["state"] != f.Get("state") || m["token_type"] != "Bearer" || m["expires_in"] != float64(3600) {
		t.Fatalf("token response %v", m)
	}
	if rt, _ := m["refresh_token"].(string); len(rt) != 36 {
		t.Fatalf("refresh_token %q is not a UUID", rt)
	}
	h, p, in, sig := decodeJWT(t, m["access_token"].(string))
	if h["ver"] != json.Number("1") || h["typ"] != "JWT" || h["sbt"] != "access" || h["alg"] != esiamock.AlgGOST {
		t.Fatalf("access header %v", h)
	}
	gc, err := gost.ParseCertificatePEM(e.srv.Keys().GOSTCertificatePEM())
	if err != nil {
		t.Fatal(err)
	}
	if !gost.VerifyMessage(gc.PublicKey, []byte(in), sig) {
		t.Fatal("access token signature does not verify with the published certificate")
	}
	iss := "http://" + strings.TrimPrefix(e.ts.URL, "http://") + "/"
	if p["iss"] != iss || p["client_id"] != testClient || p["urn:esia:sbj_id"] != json.Number("1000000101") {
		t.Fatalf("access payload %v", p)
	}
	wantScope := "openid fullname?oid=1000000101 email?oid=1000000101 usr_org?oid=1000000101 org_shortname?org_oid=1000001 org_ogrn?org_oid=1000001"
	if p["scope"] != wantScope {
		t.Fatalf("scope %q, want %q", p["scope"], wantScope)
	}
	nbf, _ := p["nbf"].(json.Number).Int64()
	exp, _ := p["exp"].(json.Number).Int64()
	if exp-nbf != 3600 {
		t.Fatalf("lifetime %d", exp-nbf)
	}
	h, p, _, _ = decodeJWT(t, m["id_token"].(string))
	if h["sbt"] != "id" || p["aud"] != testClient || p["sub"] != json.Number("1000000101") || p["amr"] != "PWD" || p["iss"] != iss {
		t.Fatalf("id token %v %v", h, p)
	}
	sbj := p["urn:esia:sbj"].(map[string]any)
	if sbj["urn:esia:sbj:typ"] != "P" || sbj["urn:esia:sbj:nam"] != "OID.1000000101" || sbj["urn:esia:sbj:is_tru"] != true {
		t.Fatalf("urn:esia:sbj %v", sbj)
	}
	for _, k := range []string{"nbf", "iat", "exp", "auth_time", "urn:esia:amd", "urn:esia:sid"} {
		if _, ok := p[k]; !ok {
			t.Fatalf("id token lacks %s", k)
		}
	}
}

func TestLegacyFlowCMS(t *testing.T) {
	e := newEnv(t, func(s *esiamock.System) { s.JWTAlg = esiamock.AlgRS256 })
	e.srv.EnqueueLogin(chief)
	q := e.legacyAC("openid fullname")
	cb := e.callback(e.get("/aas/oauth2/ac", q))
	if cb.Get("code") == "" {
		t.Fatalf("callback %v", cb)
	}
	f := url.Values{
		"client_id": {testClient}, "code": {cb.Get("code")}, "grant_type": {"authorization_code"},
		"state": {newState()}, "redirect_uri": {testRedirect}, "scope": {"openid fullname"},
		"timestamp": {e.ts0()}, "token_type": {"Bearer"},
	}
	f.Set("client_secret", e.cmsSecret(f.Get("scope")+f.Get("timestamp")+f.Get("client_id")+f.Get("state")))
	st, m := e.post("/aas/oauth2/te", f)
	if st != 200 {
		t.Fatalf("te: %d %v", st, m)
	}
	h, _, _, _ := decodeJWT(t, m["access_token"].(string))
	if h["alg"] != esiamock.AlgRS256 {
		t.Fatalf("alg %v", h["alg"])
	}
	// A v2 code cannot be exchanged at the legacy endpoint and vice versa.
	code, _ := e.code("openid", "", chief)
	f.Set("code", code)
	f.Set("state", newState())
	f.Set("client_secret", e.cmsSecret(f.Get("scope")+f.Get("timestamp")+f.Get("client_id")+f.Get("state")))
	st, m = e.post("/aas/oauth2/te", f)
	wantTokenError(t, st, m, "ESIA-007011", f.Get("state"))
}

func TestSecretEncodings(t *testing.T) {
	e := newEnv(t, nil)
	for name, enc := range map[string]func([]byte) string{
		"rawurl": base64.RawURLEncoding.EncodeToString,
		"url":    base64.URLEncoding.EncodeToString,
		"std":    base64.StdEncoding.EncodeToString,
	} {
		t.Run(name, func(t *testing.T) {
			e.srv.EnqueueLogin(chief)
			q := e.v2AC("openid", "")
			raw, _ := base64.RawURLEncoding.DecodeString(q.Get("client_secret"))
			q.Set("client_secret", enc(raw))
			cb := e.callback(e.get("/aas/oauth2/v2/ac", q))
			if cb.Get("code") == "" {
				t.Fatalf("callback %v", cb)
			}
		})
	}
}

func TestMissingParams(t *testing.T) {
	e := newEnv(t, nil)
	st, m := e.post("/aas/oauth2/v3/te", url.Values{
		"client_secret": {"x"}, "client_certificate_hash": {e.hash}, "grant_type": {"authorization_code"},
		"timestamp": {e.ts0()}, "code": {"c"}, "redirect_uri": {testRedirect}, "scope": {"openid"},
	})
	want := "ESIA-007014: The request doesn`t contain the mandatory parameter [state, client_id]."
	if st != 400 || m["error"] != "invalid_request" || m["error_description"] != want {
		t.Fatalf("got %d %v, want %q", st, m, want)
	}
	// A JSON body is not a form: ESIA answers 007014.
	resp, err := http.Post(e.ts.URL+"/aas/oauth2/v3/te", "application/json", strings.NewReader(`{"client_id":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	var jm map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&jm)
	resp.Body.Close()
	wantTokenError(t, resp.StatusCode, jm, "ESIA-007014", "")
	// /ac without state but with a valid client and redirect: redirected.
	q := e.v2AC("openid", "")
	q.Del("state")
	e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007014", "")
	// Without client_id: a page (no trusted callback).
	q = e.v2AC("openid", "")
	q.Del("client_id")
	wantPageError(t, e.get("/aas/oauth2/v2/ac", q), "ESIA-007014")
}

func TestTimestampWindow(t *testing.T) {
	e := newEnv(t, nil)
	for name, d := range map[string]time.Duration{"stale": -10 * time.Minute, "future": 10 * time.Minute} {
		t.Run(name, func(t *testing.T) {
			q := url.Values{
				"client_id": {testClient}, "redirect_uri": {testRedirect}, "scope": {"openid"},
				"response_type": {"code"}, "state": {newState()}, "client_certificate_hash": {e.hash},
				"timestamp": {e.w.Clock.Now().Add(d).Format(esiamock.TimestampLayout)},
			}
			e.signV2AC(q)
			e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007015", q.Get("state"))
		})
	}
	t.Run("clock skew", func(t *testing.T) {
		q := e.v2AC("openid", "") // signed now
		e.w.Clock.Advance(time.Hour)
		defer e.w.Clock.Advance(-time.Hour)
		e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007015", q.Get("state"))
	})
	t.Run("unparseable", func(t *testing.T) {
		q := e.v2AC("openid", "")
		q.Set("timestamp", "2025-09-02T13:00:29Z")
		e.signV2AC(q)
		e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007015", q.Get("state"))
	})
}

func TestRedirectURI(t *testing.T) {
	e := newEnv(t, nil)
	q := e.v2AC("openid", "")
	q.Set("redirect_uri", "http://evil.example/callback")
	e.signV2AC(q)
	wantPageError(t, e.get("/aas/oauth2/v2/ac", q), "ESIA-007023")
	// At the token endpoint too.
	f := e.v3TE("whatever", "openid", "")
	f.Set("redirect_uri", "http://evil.example/callback")
	e.signV3(f)
	st, m := e.post("/aas/oauth2/v3/te", f)
	wantTokenError(t, st, m, "ESIA-007023", f.Get("state"))
}

func TestBadSignature(t *testing.T) {
	e := newEnv(t, nil)
	t.Run("tampered scope", func(t *testing.T) {
		q := e.v2AC("openid", "")
		q.Set("scope", "openid fullname")
		e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007053", q.Get("state"))
	})
	t.Run("wrong hash", func(t *testing.T) {
		q := e.v2AC("openid", "")
		q.Set("client_certificate_hash", strings.Repeat("AB", 32))
		e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007053", q.Get("state"))
	})
	t.Run("sha256 hash", func(t *testing.T) {
		q := e.v2AC("openid", "")
		h := sha256.Sum256(e.cert.Raw)
		q.Set("client_certificate_hash", strings.ToUpper(string(hexs(h[:]))))
		e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007053", q.Get("state"))
	})
	t.Run("other key", func(t *testing.T) {
		other, err := esiamock.NewGOSTClientCredentials(rand.Reader, "OTHER")
		if err != nil {
			t.Fatal(err)
		}
		k, _ := gost.ParsePrivateKeyPEM(other.KeyPEM)
		c, _ := gost.ParseCertificatePEM(other.CertificatePEM)
		q := e.v2AC("openid", "")
		sig, _ := gost.SignMessage(rand.Reader, k, []byte(testClient+"openid"+q.Get("timestamp")+q.Get("state")+testRedirect))
		q.Set("client_secret", base64.RawURLEncoding.EncodeToString(sig))
		e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007053", q.Get("state"))
		// Legacy: a CMS by a certificate that is not registered.
		lq := e.legacyAC("openid")
		der, _ := gost.SignDetached(rand.Reader, []byte(lq.Get("scope")+lq.Get("timestamp")+lq.Get("client_id")+lq.Get("state")), c, k)
		lq.Set("client_secret", base64.RawURLEncoding.EncodeToString(der))
		e.wantACError(e.get("/aas/oauth2/ac", lq), "ESIA-007053", lq.Get("state"))
	})
	t.Run("raw at legacy", func(t *testing.T) {
		lq := e.legacyAC("openid")
		lq.Set("client_secret", e.rawSecret(lq.Get("scope")+lq.Get("timestamp")+lq.Get("client_id")+lq.Get("state")))
		e.wantACError(e.get("/aas/oauth2/ac", lq), "ESIA-007053", lq.Get("state"))
	})
	t.Run("legacy string at v2", func(t *testing.T) {
		q := e.v2AC("openid", "")
		q.Set("client_secret", e.rawSecret(q.Get("scope")+q.Get("timestamp")+q.Get("client_id")+q.Get("state")))
		e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007053", q.Get("state"))
	})
	t.Run("token endpoint", func(t *testing.T) {
		code, _ := e.code("openid", "", chief)
		f := e.v3TE(code, "openid", "")
		f.Set("client_secret", e.rawSecret("nonsense"))
		st, m := e.post("/aas/oauth2/v3/te", f)
		wantTokenError(t, st, m, "ESIA-007053", f.Get("state"))
		entry, ok := e.w.Journal.Last(world.Filter{Party: "esia", Method: "v3/te"})
		if !ok || entry.Params["signature_valid"] != "false" || entry.Code != 7053 {
			t.Fatalf("journal %+v", entry)
		}
		// The failed attempt did not burn the code.
		f = e.v3TE(code, "openid", "")
		if st, m := e.post("/aas/oauth2/v3/te", f); st != 200 {
			t.Fatalf("exchange after a bad attempt: %d %v", st, m)
		}
	})
}

func TestOrgNotEmployee(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultEmployeeOID, OrgOID: world.DefaultSubordinateOID})
	q := e.v2AC("openid usr_org", "org_shortname")
	e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007194", q.Get("state"))
	// Legacy org-scoped item for an organisation the user does not work in.
	e.srv.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultEmployeeOID})
	lq := e.legacyAC("openid http://esia.gosuslugi.ru/org_shortname?org_oid=1000002")
	e.wantACError(e.get("/aas/oauth2/ac", lq), "ESIA-007194", lq.Get("state"))
	// An inactive employee is not offered either.
	emp, _ := e.w.Employee(world.DefaultMinistryOID, world.DefaultEmployeeOID)
	emp.Active = false
	_ = e.w.AddEmployee(emp)
	e.srv.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultEmployeeOID, OrgOID: world.DefaultMinistryOID})
	q = e.v2AC("openid", "org_shortname")
	e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007194", q.Get("state"))
}

func TestCodeReuseExpiryRefresh(t *testing.T) {
	e := newEnv(t, nil)
	code, _ := e.code("openid fullname", "", chief)
	st, m := e.post("/aas/oauth2/v3/te", e.v3TE(code, "openid fullname", ""))
	if st != 200 {
		t.Fatalf("%d %v", st, m)
	}
	rt := m["refresh_token"].(string)
	f := e.v3TE(code, "openid fullname", "")
	st, m = e.post("/aas/oauth2/v3/te", f)
	wantTokenError(t, st, m, "ESIA-007011", f.Get("state"))
	// Reuse revoked the refresh token issued from the code.
	rf := url.Values{
		"client_id": {testClient}, "refresh_token": {rt}, "grant_type": {"refresh_token"},
		"client_certificate_hash": {e.hash}, "state": {newState()}, "redirect_uri": {testRedirect},
		"scope": {"openid fullname"}, "timestamp": {e.ts0()}, "token_type": {"Bearer"},
	}
	rf.Set("client_secret", e.rawSecret(testClient+"openid fullname"+rf.Get("timestamp")+rf.Get("state")+testRedirect))
	st, m = e.post("/aas/oauth2/v3/te", rf)
	wantTokenError(t, st, m, "ESIA-007011", rf.Get("state"))

	// Expired code.
	code, _ = e.code("openid", "", chief)
	e.w.Clock.Advance(esiamock.DefaultCodeLifetime + time.Second)
	f = e.v3TE(code, "openid", "")
	st, m = e.post("/aas/oauth2/v3/te", f)
	wantTokenError(t, st, m, "ESIA-007011", f.Get("state"))

	// Unknown code.
	f = e.v3TE("not-a-code", "openid", "")
	st, m = e.post("/aas/oauth2/v3/te", f)
	wantTokenError(t, st, m, "ESIA-007011", f.Get("state"))
}

func TestRefreshVariants(t *testing.T) {
	for _, v := range []struct {
		name    string
		variant esiamock.RefreshVariant
		aisOK   bool
		ilimOK  bool
	}{
		{"default: the esia client's", 0, false, true},
		{"any", esiamock.RefreshAny, true, true},
		{"redirect", esiamock.RefreshRedirectURI, false, true},
		{"token", esiamock.RefreshToken, true, false},
	} {
		t.Run(v.name, func(t *testing.T) {
			e := newEnv(t, nil, esiamock.WithRefreshVariant(v.variant))
			refresh := func(rt string, ais bool) (int, map[string]any) {
				rf := url.Values{
					"client_id": {testClient}, "refresh_token": {rt}, "grant_type": {"refresh_token"},
					"client_certificate_hash": {e.hash}, "state": {newState()}, "redirect_uri": {testRedirect},
					"scope": {"openid"}, "timestamp": {e.ts0()}, "token_type": {"Bearer"},
				}
				msg := testClient + "openid" + rf.Get("timestamp") + rf.Get("state") + testRedirect
				if ais {
					msg = testClient + "openid" + rf.Get("timestamp") + rf.Get("state") + rt
				}
				rf.Set("client_secret", e.rawSecret(msg))
				return e.post("/aas/oauth2/v3/te", rf)
			}
			code, _ := e.code("openid", "", chief)
			_, m := e.post("/aas/oauth2/v3/te", e.v3TE(code, "openid", ""))
			rt := m["refresh_token"].(string)
			for _, c := range []struct {
				ais, ok bool
			}{{true, v.aisOK}, {false, v.ilimOK}} {
				st, m := refresh(rt, c.ais)
				if c.ok != (st == 200) {
					t.Fatalf("ais=%v: %d %v", c.ais, st, m)
				}
				if st == 200 {
					// Rotation: the old refresh token is gone.
					if st2, m2 := refresh(rt, c.ais); st2 != 400 || !strings.HasPrefix(m2["error_description"].(string), "ESIA-007011") {
						t.Fatalf("old refresh token still works: %d %v", st2, m2)
					}
					rt = m["refresh_token"].(string)
				} else if !strings.HasPrefix(m["error_description"].(string), "ESIA-007053") {
					t.Fatalf("want 007053, got %v", m)
				}
			}
		})
	}
}

func TestPKCE(t *testing.T) {
	e := newEnv(t, func(s *esiamock.System) { s.RequirePKCE = true })
	q := e.v2AC("openid", "")
	e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007039", q.Get("state"))

	verifier := strings.Repeat("v", 50)
	// RFC 7636 "plain" is refused, as the esia client refuses to send it.
	q = e.v2AC("openid", "")
	q.Set("code_challenge", verifier)
	q.Set("code_challenge_method", "plain")
	resp := e.get("/aas/oauth2/v2/ac", q)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, url.QueryEscape("[code_challenge_method]")) {
		t.Fatalf("plain: redirect %q, want ESIA-007003 naming code_challenge_method", loc)
	}
	e.wantACError(resp, "ESIA-007003", q.Get("state"))

	h := sha256.Sum256([]byte(verifier))
	e.srv.EnqueueLogin(chief)
	q = e.v2AC("openid", "")
	q.Set("code_challenge", base64.RawURLEncoding.EncodeToString(h[:]))
	q.Set("code_challenge_method", "S256")
	cb := e.callback(e.get("/aas/oauth2/v2/ac", q))
	f := e.v3TE(cb.Get("code"), "openid", "")
	f.Set("code_verifier", strings.Repeat("w", 50))
	st, m := e.post("/aas/oauth2/v3/te", f)
	wantTokenError(t, st, m, "ESIA-007040", f.Get("state"))
	f = e.v3TE(cb.Get("code"), "openid", "")
	f.Set("code_verifier", verifier)
	if st, m := e.post("/aas/oauth2/v3/te", f); st != 200 {
		t.Fatalf("%d %v", st, m)
	}
}

func TestReplayedState(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.EnqueueLogin(chief)
	q := e.v2AC("openid", "")
	e.callback(e.get("/aas/oauth2/v2/ac", q))
	// The very same signed request again.
	e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007003", q.Get("state"))

	code, _ := e.code("openid", "", chief)
	f := e.v3TE(code, "openid", "")
	code2, _ := e.code("openid", "", chief)
	if st, m := e.post("/aas/oauth2/v3/te", f); st != 200 {
		t.Fatalf("%d %v", st, m)
	}
	// A second exchange reusing the first request's state (re-signed).
	f.Set("code", code2)
	e.signV3(f)
	st, m := e.post("/aas/oauth2/v3/te", f)
	wantTokenError(t, st, m, "ESIA-007003", f.Get("state"))
	// Not a UUID.
	f = e.v3TE(code2, "openid", "")
	f.Set("state", "abc")
	e.signV3(f)
	st, m = e.post("/aas/oauth2/v3/te", f)
	wantTokenError(t, st, m, "ESIA-007003", "abc")
}

func TestClientCredentials(t *testing.T) {
	e := newEnv(t, nil)
	f := url.Values{
		"client_id": {testClient}, "grant_type": {"client_credentials"}, "client_certificate_hash": {e.hash},
		"state": {newState()}, "redirect_uri": {testRedirect}, "scope": {"org_emps?org_oid=1000001 org_grps?org_oid=1000001"},
		"timestamp": {e.ts0()}, "token_type": {"Bearer"},
	}
	f.Set("client_secret", e.rawSecret(testClient+f.Get("scope")+f.Get("timestamp")+f.Get("state")+testRedirect))
	st, m := e.post("/aas/oauth2/v3/te", f)
	if st != 200 {
		t.Fatalf("%d %v", st, m)
	}
	tok := m["access_token"].(string)
	var coll map[string]any
	if st := e.rest(tok, "/rs/orgs/1000001/emps?embed=(elements)", &coll); st != 200 || coll["size"] != float64(2) {
		t.Fatalf("emps %d %v", st, coll)
	}
	if st := e.rest(tok, "/rs/orgs/1000002/emps", &coll); st != 403 || coll["code"] != "ESIA-005029" {
		t.Fatalf("other org: %d %v", st, coll)
	}
	// Not allowed for a system registered without client_credentials.
	e2 := newEnv(t, func(s *esiamock.System) { s.ClientCredentials = false })
	f.Set("state", newState())
	f.Set("timestamp", e2.ts0())
	f.Set("client_secret", e2.rawSecret(testClient+f.Get("scope")+f.Get("timestamp")+f.Get("state")+testRedirect))
	st, m = e2.post("/aas/oauth2/v3/te", f)
	wantTokenError(t, st, m, "ESIA-007005", f.Get("state"))
	if d := m["error_description"]; d != "ESIA-007005: The client is not authorized to request an access token using this method." {
		t.Fatalf("007005 text %q", d)
	}
	// ESIA-007011 has one text whatever the reason.
	f = e.v3TE("not-a-code", "openid", "")
	st, m = e.post("/aas/oauth2/v3/te", f)
	wantTokenError(t, st, m, "ESIA-007011", f.Get("state"))
	if d := m["error_description"]; d != "ESIA-007011: The provided authorization grant or refresh token is invalid, expired, revoked, "+
		"does not match the redirection URI used in the authorization request, or was issued to another client." {
		t.Fatalf("007011 text %q", d)
	}
}

// rest GETs a REST path with a bearer token and decodes the JSON.
func (e *env) rest(tok, path string, v any) int {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, v); err != nil {
		e.t.Fatalf("%s: %v: %s", path, err, b)
	}
	return resp.StatusCode
}

func TestREST(t *testing.T) {
	e := newEnv(t, nil)
	scope := "openid fullname birthdate gender snils email mobile usr_org"
	code, _ := e.code(scope, "org_shortname org_ogrn org_inn org_agencytype org_emps org_grps", chief)
	_, m := e.post("/aas/oauth2/v3/te", e.v3TE(code, scope, "org_shortname org_ogrn org_inn org_agencytype org_emps org_grps"))
	tok := m["access_token"].(string)
	var p map[string]any
	if st := e.rest(tok, "/rs/prns/1000000101", &p); st != 200 || p["lastName"] != "Иванова" || p["birthDate"] != "12.05.1980" || p["gender"] != "F" || p["trusted"] != true {
		t.Fatalf("person %d %v", st, p)
	}
	if _, ok := p["inn"]; ok {
		t.Fatal("inn returned without the inn scope")
	}
	var c map[string]any
	if st := e.rest(tok, "/rs/prns/1000000101/ctts", &c); st != 200 || c["size"] != float64(2) {
		t.Fatalf("ctts %d %v", st, c)
	}
	if sf := c["stateFacts"].([]any); sf[0] != "hasSize" {
		t.Fatalf("stateFacts %v", sf)
	}
	el := c["elements"].([]any)[0].(string)
	if !strings.HasPrefix(el, e.ts.URL+"/rs/prns/1000000101/ctts/") {
		t.Fatalf("element %q is not an absolute URL", el)
	}
	var ct map[string]any
	if st := e.rest(tok, strings.TrimPrefix(el, e.ts.URL), &ct); st != 200 || ct["type"] != "MBT" {
		t.Fatalf("contact %d %v", st, ct)
	}
	if st := e.rest(tok, "/rs/prns/1000000101?embed=(contacts.elements)", &p); st != 200 || p["contacts"].(map[string]any)["elements"].([]any)[1].(map[string]any)["type"] != "EML" {
		t.Fatalf("embedded contacts %v", p)
	}
	if st := e.rest(tok, "/rs/prns/1000000101/roles", &c); st != 200 || c["size"] != float64(1) {
		t.Fatalf("roles %d %v", st, c)
	}
	r := c["elements"].([]any)[0].(map[string]any)
	if r["oid"] != float64(1000001) || r["chief"] != true || r["admin"] != true || r["active"] != true || r["type"] != "AGENCY" {
		t.Fatalf("role %v", r)
	}
	if st := e.rest(tok, "/rs/prns/1000000101/orgs", &c); st != 200 || c["elements"].([]any)[0] != e.ts.URL+"/rs/orgs/1000001" {
		t.Fatalf("orgs %d %v", st, c)
	}
	var o map[string]any
	if st := e.rest(tok, "/rs/orgs/1000001", &o); st != 200 || o["ogrn"] == "" || o["agencyType"] != "11.REG" || o["shortName"] != "Минцифры АО" {
		t.Fatalf("org %d %v", st, o)
	}
	if _, ok := o["kpp"]; ok {
		t.Fatal("kpp returned without org_kpp")
	}
	if st := e.rest(tok, "/rs/orgs/1000001/emps", &c); st != 200 || c["size"] != float64(2) {
		t.Fatalf("emps %d %v", st, c)
	}
	if st := e.rest(tok, "/rs/orgs/1000001/emps/1000000101/grps?embed=(elements)", &c); st != 200 || c["size"] != float64(3) {
		t.Fatalf("emp grps %d %v", st, c)
	}
	g := c["elements"].([]any)[0].(map[string]any)
	if g["grp_id"] == "" || g["name"] != world.GroupCabinetInstitution {
		t.Fatalf("group %v", g)
	}
	if st := e.rest(tok, "/rs/orgs/1000001/grps", &c); st != 200 || !strings.HasPrefix(c["elements"].([]any)[0].(string), e.ts.URL+"/rs/orgs/1000001/grps/") {
		t.Fatalf("grps %d %v", st, c)
	}
	// Negative paths.
	if st := e.rest(tok, "/rs/prns/1000000102", &c); st != 403 || c["code"] != "ESIA-005029" {
		t.Fatalf("other person %d %v", st, c)
	}
	if st := e.rest(tok, "/rs/orgs/1000002", &c); st != 403 || c["code"] != "ESIA-005029" {
		t.Fatalf("other org %d %v", st, c)
	}
	if st := e.rest(tok+"x", "/rs/prns/1000000101", &c); st != 401 || c["code"] != "ESIA-005011" || c["message"] != "SecurityErrorEnum.invalidToken" {
		t.Fatalf("bad token %d %v", st, c)
	}
	if st := e.rest("", "/rs/prns/1000000101", &c); st != 401 {
		t.Fatalf("no token %d %v", st, c)
	}
	e.w.Clock.Advance(time.Hour + time.Second)
	if st := e.rest(tok, "/rs/prns/1000000101", &c); st != 401 || c["code"] != "ESIA-005013" {
		t.Fatalf("expired %d %v", st, c)
	}
}

func TestJournalRedactsSecrets(t *testing.T) {
	e := newEnv(t, nil)
	code, _ := e.code("openid", "", chief)
	f := e.v3TE(code, "openid", "")
	_, m := e.post("/aas/oauth2/v3/te", f)
	for _, en := range e.w.Journal.Entries(world.Filter{Party: "esia"}) {
		b, _ := json.Marshal(en)
		for _, secret := range []string{f.Get("client_secret"), code, m["access_token"].(string), m["refresh_token"].(string)} {
			if strings.Contains(string(b), secret) {
				t.Fatalf("journal entry %s leaks a secret", b)
			}
		}
	}
	en, ok := e.w.Journal.Last(world.Filter{Party: "esia", Method: "v3/te"})
	if !ok || en.Status != 200 || en.Params["signature_valid"] != "true" || en.Params["grant_type"] != "authorization_code" ||
		!strings.HasPrefix(en.Params["client_secret"], "[redacted ~") {
		t.Fatalf("journal %+v", en)
	}
	if _, ok := e.w.Journal.Last(world.Filter{Party: "esia", Method: "v2/ac"}); !ok {
		t.Fatal("v2/ac not journalled")
	}
}

func TestFaults(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := e.w.Faults.Add(world.Rule{Party: "esia", Method: "v3/te", Kind: world.FaultError, Code: 7007, Nth: 1}); err != nil {
		t.Fatal(err)
	}
	code, _ := e.code("openid", "", chief)
	f := e.v3TE(code, "openid", "")
	resp, err := e.client.PostForm(e.ts.URL+"/aas/oauth2/v3/te", f)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	if resp.StatusCode != 500 || m["error"] != "server_error" || !strings.HasPrefix(m["error_description"].(string), "ESIA-007007: ") || m["state"] != f.Get("state") {
		t.Fatalf("fault: %d %v", resp.StatusCode, m)
	}
	// The fault did not consume the code.
	if st, m := e.post("/aas/oauth2/v3/te", e.v3TE(code, "openid", "")); st != 200 {
		t.Fatalf("%d %v", st, m)
	}
	// An /ac fault is redirected in ESIA's format.
	if _, err := e.w.Faults.Add(world.Rule{Party: "esia", Method: "v2/ac", Kind: world.FaultRateLimit}); err != nil {
		t.Fatal(err)
	}
	q := e.v2AC("openid", "")
	e.wantACError(e.get("/aas/oauth2/v2/ac", q), "ESIA-007008", q.Get("state"))
}

func TestLogout(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.get("/idp/ext/Logout", url.Values{"client_id": {testClient}, "redirect_url": {testRedirect}})
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != testRedirect {
		t.Fatalf("logout %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	wantPageError(t, e.get("/idp/ext/Logout", url.Values{"client_id": {testClient}, "redirect_url": {"http://evil.example/"}}), "ESIA-007023")
}

func TestPublishedCertificates(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.get("/_mock/esia/cert.pem", nil)
	b, _ := io.ReadAll(resp.Body)
	if string(b) != string(e.srv.Keys().CertificatesPEM()) || strings.Count(string(b), "BEGIN CERTIFICATE") != 2 {
		t.Fatalf("cert.pem %q", b)
	}
	if resp := e.get("/public/esia.zip", nil); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("esia.zip %d", resp.StatusCode)
	}
}

func TestWorldResetDropsTokens(t *testing.T) {
	e := newEnv(t, nil)
	code, _ := e.code("openid fullname", "", chief)
	_, m := e.post("/aas/oauth2/v3/te", e.v3TE(code, "openid fullname", ""))
	e.w.Reset()
	var c map[string]any
	if st := e.rest(m["access_token"].(string), "/rs/prns/1000000101", &c); st != 401 {
		t.Fatalf("token survived reset: %d %v", st, c)
	}
}

func TestLegacyOrgScopedHeadless(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultChiefOID}) // no org: the scope names it
	scope := "openid usr_org http://esia.gosuslugi.ru/org_inn?org_oid=1000001"
	q := e.legacyAC(scope)
	cb := e.callback(e.get("/aas/oauth2/ac", q))
	if cb.Get("code") == "" {
		t.Fatalf("callback %v", cb)
	}
	f := url.Values{
		"client_id": {testClient}, "code": {cb.Get("code")}, "grant_type": {"authorization_code"},
		"state": {newState()}, "redirect_uri": {testRedirect}, "scope": {scope}, "timestamp": {e.ts0()},
	}
	f.Set("client_secret", e.cmsSecret(f.Get("scope")+f.Get("timestamp")+f.Get("client_id")+f.Get("state")))
	st, m := e.post("/aas/oauth2/te", f)
	if st != 200 {
		t.Fatalf("%d %v", st, m)
	}
	_, p, _, _ := decodeJWT(t, m["access_token"].(string))
	if !strings.Contains(p["scope"].(string), "http://esia.gosuslugi.ru/org_inn?org_oid=1000001") {
		t.Fatalf("scope %v", p["scope"])
	}
	var o map[string]any
	if st := e.rest(m["access_token"].(string), "/rs/orgs/1000001", &o); st != 200 || o["inn"] == nil || o["ogrn"] != nil {
		t.Fatalf("org card %d %v", st, o)
	}
	// The request asked for access_type=offline.
	if m["refresh_token"] == nil {
		t.Fatal("no refresh token for access_type=offline")
	}
}

func TestExpiresInString(t *testing.T) {
	e := newEnv(t, nil, esiamock.WithExpiresInString())
	code, _ := e.code("openid", "", chief)
	_, m := e.post("/aas/oauth2/v3/te", e.v3TE(code, "openid", ""))
	if m["expires_in"] != "3600" {
		t.Fatalf("expires_in %#v", m["expires_in"])
	}
	c := e.esiaClient(nil)
	tok := e.login(c, chief)
	if tok.Expiry.IsZero() {
		t.Fatal("client did not read a string expires_in")
	}
}

func TestOnlineAccessHasNoRefreshToken(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.EnqueueLogin(chief)
	q := e.v2AC("openid", "")
	q.Set("access_type", "online")
	e.signV2AC(q)
	cb := e.callback(e.get("/aas/oauth2/v2/ac", q))
	_, m := e.post("/aas/oauth2/v3/te", e.v3TE(cb.Get("code"), "openid", ""))
	if _, ok := m["refresh_token"]; ok || m["access_token"] == nil {
		t.Fatalf("online: %v", m)
	}
}

func TestTenants(t *testing.T) {
	e := newEnv(t, nil)
	code, _ := e.code("openid fullname", "", chief)
	_, m := e.post("/aas/oauth2/v3/te", e.v3TE(code, "openid fullname", ""))
	for _, method := range []string{"v2/ac", "v3/te"} {
		en, _ := e.w.Journal.Last(world.Filter{Party: "esia", Method: method})
		if en.Tenant != "esia:"+testClient {
			t.Fatalf("%s tenant %q", method, en.Tenant)
		}
	}
	var p map[string]any
	e.rest(m["access_token"].(string), "/rs/prns/1000000101", &p)
	if en, _ := e.w.Journal.Last(world.Filter{Party: "esia", Method: "rs/prns"}); en.Tenant != "esia:"+testClient {
		t.Fatalf("rest tenant %q", en.Tenant)
	}
	// A fault scoped to another tenant does not touch this one.
	if _, err := e.w.Faults.Add(world.Rule{Party: "esia", Tenant: "esia:OTHER", Kind: world.FaultError, Code: 7007}); err != nil {
		t.Fatal(err)
	}
	if st := e.rest(m["access_token"].(string), "/rs/prns/1000000101", &p); st != 200 {
		t.Fatalf("%d %v", st, p)
	}
	// ResetTenant drops the system's tokens.
	e.srv.ResetTenant("esia:" + testClient)
	if st := e.rest(m["access_token"].(string), "/rs/prns/1000000101", &p); st != 401 {
		t.Fatalf("after ResetTenant: %d %v", st, p)
	}
}
