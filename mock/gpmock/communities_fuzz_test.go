package gpmock_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/mock/gpmock"
)

// FuzzCommunitiesAndMedia sends arbitrary page connections, credential
// replacements and uploads: the server never panics, answers 2xx or the
// error envelope with a known code, never echoes a credential, and a
// connected page's ref is its network and normalised id.
func FuzzCommunitiesAndMedia(f *testing.F) {
	srv := gpmock.New(gpmock.WithNetworks(gpmock.Networks{Unavailable: []string{"vk", "ok", "telegram"}}))
	cb, _ := srv.AddCabinet(gpmock.KindInstitution, 1, "org")
	_, _ = srv.AddUser(cb.ID, gpmock.User{Phone: "+7901", Email: "a@x", Role: gpmock.RoleLKOAdmin}, "password-123")
	_, _ = srv.AddUser(cb.ID, gpmock.User{Phone: "+7902", Email: "e@x", Role: gpmock.RoleEditor}, "password-123")
	token := func(phone string) string {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"phone":"`+phone+`","password":"password-123"}`)))
		var s gpmock.Session
		if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil || s.Token == "" {
			f.Fatal("login failed")
		}
		return s.Token
	}
	admin, editor := token("+7901"), token("+7902")
	f.Add(`{"network":"vk","page_id":"200000001","credentials":{"vk_token":"vk1.a.SECRETTOKEN"}}`, "image/png", "a.png", "\x89PNG\r\n\x1a\n")
	f.Add(`{"network":"ok","page_id":"-5","credentials":{"ok_application_key":"k","ok_access_token":"SECRETTOKEN"}}`, "text/html", "../x", "<html>")
	f.Add(`{"network":"telegram","page_id":"-1001","credentials":{"telegram_bot_token":"1:SECRETTOKEN"}}`, "application/pdf", "doc.pdf", "%PDF-1.4")
	f.Add(`{"credentials":{"vk_token":"SECRETTOKEN"}}`, "video/mp4", "", "")
	known := map[string]bool{"invalid_request": true, "conflict": true, "not_found": true}
	f.Fuzz(func(t *testing.T, body, ctype, name, data string) {
		for _, req := range []*http.Request{
			httptest.NewRequest("POST", "/api/v1/communities", strings.NewReader(body)),
			httptest.NewRequest("PUT", "/api/v1/communities/3/credentials", strings.NewReader(body)),
			httptest.NewRequest("POST", "/api/v1/media?filename="+url.QueryEscape(name), strings.NewReader(data)),
		} {
			tok := admin
			if strings.HasPrefix(req.URL.Path, "/api/v1/media") {
				tok = editor
				req.Header.Set("Content-Type", ctype)
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if strings.Contains(rec.Body.String(), "SECRETTOKEN") {
				t.Fatalf("%s %s echoed a credential: %s", req.Method, req.URL, rec.Body.String())
			}
			if rec.Code < 300 {
				if req.URL.Path == "/api/v1/communities" {
					var c gpmock.Community
					if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil || c.Ref != c.Network+":"+c.PageID || !c.HasCredentials {
						t.Fatalf("connected %q: %v", rec.Body.String(), err)
					}
				}
				continue
			}
			var env struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
				t.Fatalf("%s %s: %d %q", req.Method, req.URL, rec.Code, rec.Body.String())
			}
			if !known[env.Error.Code] && !(rec.Code == 413 && env.Error.Code == "too_large") {
				t.Fatalf("%s %s: unexpected %d %s", req.Method, req.URL, rec.Code, env.Error.Code)
			}
		}
	})
}

// FuzzParseCredentialKey: any input is a 32-byte key or an error that does
// not repeat it.
func FuzzParseCredentialKey(f *testing.F) {
	f.Add(strings.Repeat("ab", 32))
	f.Add("q83vEjRWeJA=")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := gpmock.ParseCredentialKey(s)
		switch {
		case err == nil && len(k) != 32:
			t.Fatalf("key of %d bytes", len(k))
		case err != nil && len(s) > 8 && strings.Contains(err.Error(), s):
			t.Fatalf("the error repeats the input")
		}
	})
}
