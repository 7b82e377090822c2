package esiamock_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/mock/world"
)

var hiddenRe = regexp.MustCompile(`name="(rid|nonce)" value="([^"]*)"`)

// browser is a cookie-keeping client that does not follow redirects.
func (e *env) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func do(t *testing.T, c *http.Client, method, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	var resp *http.Response
	var err error
	if method == "POST" {
		resp, err = c.PostForm(u, form)
	} else {
		resp, err = c.Get(u)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func hidden(t *testing.T, page string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range hiddenRe.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], m[2])
	}
	if v.Get("rid") == "" || v.Get("nonce") == "" {
		t.Fatalf("no hidden fields in %q", page)
	}
	return v
}

func TestBrowserLoginAndOrgPicker(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	q := e.v2AC("openid usr_org", "org_shortname")
	resp, _ := do(t, b, "GET", e.ts.URL+"/aas/oauth2/v2/ac?"+q.Encode(), nil)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 302 || !strings.HasPrefix(loc, "/login?rid=") {
		t.Fatalf("ac: %d %s", resp.StatusCode, loc)
	}
	_, page := do(t, b, "GET", e.ts.URL+loc, nil)
	if !strings.Contains(page, "Телефон / Email / СНИЛС") || !strings.Contains(page, `name="password"`) {
		t.Fatalf("login page %q", page)
	}
	form := hidden(t, page)

	// Wrong password: the page shows the error.
	bad := url.Values{"rid": {form.Get("rid")}, "nonce": {form.Get("nonce")}, "login": {"ivanova@minsvyaz29.example"}, "password": {"nope"}}
	resp, page = do(t, b, "POST", e.ts.URL+"/login", bad)
	if resp.StatusCode != 200 || !strings.Contains(page, "Неверный логин или пароль") {
		t.Fatalf("wrong password: %d %q", resp.StatusCode, page)
	}
	// Missing or foreign nonce: refused (CSRF).
	forged := url.Values{"rid": {form.Get("rid")}, "nonce": {"forged"}, "login": {"ivanova@minsvyaz29.example"}, "password": {"Sandbox-Passw0rd"}}
	resp, page = do(t, b, "POST", e.ts.URL+"/login", forged)
	if resp.StatusCode != 400 || !strings.Contains(page, "ESIA-007004") {
		t.Fatalf("forged nonce: %d %q", resp.StatusCode, page)
	}
	resp, _ = do(t, e.browser(), "POST", e.ts.URL+"/login", url.Values{"rid": {form.Get("rid")}, "nonce": {form.Get("nonce")}, "login": {"ivanova@minsvyaz29.example"}, "password": {"Sandbox-Passw0rd"}})
	if resp.StatusCode != 400 {
		t.Fatalf("post without the nonce cookie: %d", resp.StatusCode)
	}

	// Log in with the SNILS spelled without separators.
	p, _ := e.w.Person(world.DefaultChiefOID)
	good := url.Values{"rid": {form.Get("rid")}, "nonce": {form.Get("nonce")}, "login": {world.NormalizeSNILS(p.SNILS)}, "password": {p.Password}}
	resp, _ = do(t, b, "POST", e.ts.URL+"/login", good)
	loc = resp.Header.Get("Location")
	if resp.StatusCode != 302 || !strings.HasPrefix(loc, "/login/org?rid=") {
		t.Fatalf("login: %d %s", resp.StatusCode, loc)
	}
	_, page = do(t, b, "GET", e.ts.URL+loc, nil)
	if !strings.Contains(page, "Минцифры АО") || strings.Contains(page, "Частное лицо") {
		t.Fatalf("org page %q", page)
	}
	form = hidden(t, page)
	// An organisation the person does not work in is refused on the page.
	resp, page = do(t, b, "POST", e.ts.URL+"/login/org", url.Values{"rid": {form.Get("rid")}, "nonce": {form.Get("nonce")}, "org": {"1000002"}})
	if resp.StatusCode != 200 || !strings.Contains(page, "Выберите организацию") {
		t.Fatalf("foreign org: %d %q", resp.StatusCode, page)
	}
	resp, _ = do(t, b, "POST", e.ts.URL+"/login/org", url.Values{"rid": {form.Get("rid")}, "nonce": {form.Get("nonce")}, "org": {"1000001"}})
	cb := e.callback(resp)
	if cb.Get("code") == "" || cb.Get("state") != q.Get("state") {
		t.Fatalf("callback %v", cb)
	}
	st, m := e.post("/aas/oauth2/v3/te", e.v3TE(cb.Get("code"), "openid usr_org", "org_shortname"))
	if st != 200 {
		t.Fatalf("%d %v", st, m)
	}
	_, claims, _, _ := decodeJWT(t, m["access_token"].(string))
	if !strings.Contains(claims["scope"].(string), "org_shortname?org_oid=1000001") {
		t.Fatalf("scope %v", claims["scope"])
	}

	// Single sign-on: the next request skips the login page.
	q = e.v2AC("openid fullname", "")
	resp, _ = do(t, b, "GET", e.ts.URL+"/aas/oauth2/v2/ac?"+q.Encode(), nil)
	if cb := e.callback(resp); cb.Get("code") == "" {
		t.Fatalf("sso callback %v", cb)
	}
	// Logout ends it.
	do(t, b, "GET", e.ts.URL+"/idp/ext/Logout?client_id="+testClient, nil)
	q = e.v2AC("openid fullname", "")
	resp, _ = do(t, b, "GET", e.ts.URL+"/aas/oauth2/v2/ac?"+q.Encode(), nil)
	if !strings.HasPrefix(resp.Header.Get("Location"), "/login?rid=") {
		t.Fatalf("after logout: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestUsrOrgPickerOffersPrivatePerson(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	q := e.v2AC("openid usr_org", "")
	resp, _ := do(t, b, "GET", e.ts.URL+"/aas/oauth2/v2/ac?"+q.Encode(), nil)
	_, page := do(t, b, "GET", e.ts.URL+resp.Header.Get("Location"), nil)
	form := hidden(t, page)
	resp, _ = do(t, b, "POST", e.ts.URL+"/login", url.Values{"rid": {form.Get("rid")}, "nonce": {form.Get("nonce")}, "login": {"+7 900 765-43-21"}, "password": {"Sandbox-Passw0rd"}})
	_, page = do(t, b, "GET", e.ts.URL+resp.Header.Get("Location"), nil)
	if !strings.Contains(page, "Частное лицо") {
		t.Fatalf("org page %q", page)
	}
	resp, _ = do(t, b, "POST", e.ts.URL+"/login/org", url.Values{"rid": {form.Get("rid")}, "nonce": {form.Get("nonce")}, "org": {"0"}})
	if cb := e.callback(resp); cb.Get("code") == "" {
		t.Fatalf("callback %v", cb)
	}
}

func TestDoubleSubmitCompletesOnce(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	q := e.v2AC("openid", "")
	resp, _ := do(t, b, "GET", e.ts.URL+"/aas/oauth2/v2/ac?"+q.Encode(), nil)
	_, page := do(t, b, "GET", e.ts.URL+resp.Header.Get("Location"), nil)
	form := hidden(t, page)
	creds := url.Values{"rid": {form.Get("rid")}, "nonce": {form.Get("nonce")}, "login": {"ivanova@minsvyaz29.example"}, "password": {"Sandbox-Passw0rd"}}
	resp, _ = do(t, b, "POST", e.ts.URL+"/login", creds)
	if cb := e.callback(resp); cb.Get("code") == "" {
		t.Fatalf("first submit: %v", cb)
	}
	resp, page = do(t, b, "POST", e.ts.URL+"/login", creds)
	if resp.StatusCode != 400 || !strings.Contains(page, "ESIA-0070") {
		t.Fatalf("second submit: %d %q", resp.StatusCode, page)
	}
}
