package esiamock_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/mock/esiamock"
)

// FuzzTokenEndpoint throws arbitrary form bodies at both token endpoints:
// the emulator must never panic and must answer either tokens or an
// ESIA-shaped JSON error.
func FuzzTokenEndpoint(f *testing.F) {
	e := newEnv(f, nil)
	code, _ := e.code("openid fullname", "", chief)
	f.Add(e.v3TE(code, "openid fullname", "").Encode(), true)
	f.Add("grant_type=refresh_token&refresh_token=x&client_id="+testClient, true)
	f.Add("grant_type=client_credentials&scope=org_inn%3Forg_oid%3D1&state=1&timestamp=2025.09.02+13%3A00%3A29+%2B0300", false)
	f.Add("client_secret=%ZZ&&=&state", false)
	f.Add(strings.Repeat("a=b&", 100), true)
	f.Add("scope=http%3A%2F%2Fx%2Forg_inn%3Forg_oid%3D-1&client_id="+testClient, false)
	f.Fuzz(func(t *testing.T, body string, v3 bool) {
		path := "/aas/oauth2/te"
		if v3 {
			path = "/aas/oauth2/v3/te"
		}
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		checkTokenAnswer(t, rec)
	})
}

func checkTokenAnswer(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	body := rec.Body.String()
	if rec.Code == http.StatusOK {
		if !strings.Contains(body, `"access_token"`) {
			t.Fatalf("200 without a token: %s", body)
		}
		return
	}
	if rec.Code != http.StatusBadRequest && rec.Code != http.StatusInternalServerError && rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d: %s", rec.Code, body)
	}
	if !strings.Contains(body, `"error":"`) || !strings.Contains(body, `"error_description":"ESIA-`) {
		t.Fatalf("not an ESIA error: %s", body)
	}
	if esiamock.ParseCode(jsonField(body, "error_description")) == 0 {
		t.Fatalf("no code in %s", body)
	}
}

func jsonField(body, name string) string {
	i := strings.Index(body, `"`+name+`":"`)
	if i < 0 {
		return ""
	}
	return body[i+len(name)+4:]
}

// FuzzAuthorize throws arbitrary queries at both authorization endpoints
// and the callback parameters they echo: the answer is a redirect (to the
// login page or the callback, with an ESIA error) or an ESIA error page.
func FuzzAuthorize(f *testing.F) {
	e := newEnv(f, nil)
	f.Add(e.v2AC("openid", "").Encode(), true)
	f.Add(e.legacyAC("openid").Encode(), false)
	f.Add("client_id="+testClient+"&redirect_uri="+url.QueryEscape(testRedirect)+"&state=x", true)
	f.Add("redirect_uri=%zz", false)
	f.Add("client_id="+testClient+"&client_id=2&redirect_uri="+url.QueryEscape(testRedirect), true)
	f.Fuzz(func(t *testing.T, query string, v2 bool) {
		path := "/aas/oauth2/ac"
		if v2 {
			path = "/aas/oauth2/v2/ac"
		}
		req := httptest.NewRequest(http.MethodGet, "http://esia.test"+path, nil)
		req.URL.RawQuery = query
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusFound:
			loc, err := url.Parse(rec.Header().Get("Location"))
			if err != nil {
				t.Fatalf("bad Location %q", rec.Header().Get("Location"))
			}
			if strings.HasPrefix(loc.Path, "/login") {
				return
			}
			q := loc.Query()
			if q.Get("code") == "" && !strings.HasPrefix(q.Get("error_description"), "ESIA-") {
				t.Fatalf("redirect without code or ESIA error: %s", loc)
			}
			if !strings.HasPrefix(loc.String(), testRedirect) {
				t.Fatalf("redirected to an unregistered URI: %s", loc)
			}
		case http.StatusBadRequest:
			if !strings.HasPrefix(rec.Header().Get("X-ESIA-Error"), "ESIA-") || !utf8.ValidString(rec.Body.String()) {
				t.Fatalf("error page without ESIA code: %v", rec.Header())
			}
		default:
			t.Fatalf("status %d", rec.Code)
		}
	})
}

// FuzzREST throws arbitrary paths and tokens at the REST API.
func FuzzREST(f *testing.F) {
	e := newEnv(f, nil)
	code, _ := e.code("openid fullname usr_org", "org_grps org_emps", chief)
	_, m := e.post("/aas/oauth2/v3/te", e.v3TE(code, "openid fullname usr_org", "org_grps org_emps"))
	tok := m["access_token"].(string)
	for _, p := range []string{"/rs/prns/1000000101", "/rs/prns/1000000101/roles", "/rs/orgs/1000001/emps/1000000101/grps", "/rs/orgs/1000001/grps/x/y", "/rs/prns//", "/rs/orgs/-1"} {
		f.Add(p, "(elements)", tok)
	}
	f.Fuzz(func(t *testing.T, path, embed, token string) {
		if !strings.HasPrefix(path, "/") {
			path = "/rs/" + path
		}
		req := httptest.NewRequest(http.MethodGet, "http://esia.test/", nil)
		req.URL.Path = path
		req.URL.RawQuery = url.Values{"embed": {embed}}.Encode()
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if strings.HasPrefix(path, "/rs/") && rec.Code != 200 && !strings.Contains(rec.Body.String(), `"code":"ESIA-`) {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
	})
}
