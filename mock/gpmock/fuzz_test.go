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

// FuzzRequests sends arbitrary bodies and list queries: the server never
// panics, answers 2xx or the error envelope with a known code, and a
// created post is always a valid draft.
func FuzzRequests(f *testing.F) {
	srv := gpmock.New()
	cb, _ := srv.AddCabinet(gpmock.KindInstitution, 1, "org")
	_, _ = srv.AddUser(cb.ID, gpmock.User{Phone: "+7900", Email: "e@x", Role: gpmock.RoleEditor}, "password-123")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"phone":"+7900","password":"password-123"}`)))
	var s gpmock.Session
	if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil || s.Token == "" {
		f.Fatal("login failed")
	}
	f.Add(`{"text":"a","urgency":"red","targets":["vk:-1"]}`, "status=draft&limit=2")
	f.Add(`{"text":"","targets":["ok:0"]}`, "cursor=MTA&urgency=blue")
	f.Add(`{"text":"x","publish_at":"2026-01-01T00:00:00Z"}`, "from=2026-01-01T00:00:00Z&to=bad")
	f.Add(`[1,2]`, "limit=-1")
	known := map[string]bool{"invalid_request": true, "conflict": true, "not_found": true, "invalid_transition": true}
	f.Fuzz(func(t *testing.T, body, query string) {
		for _, req := range []*http.Request{
			httptest.NewRequest("POST", "/api/v1/posts", strings.NewReader(body)),
			httptest.NewRequest("PATCH", "/api/v1/posts/1", strings.NewReader(body)),
			httptest.NewRequest("POST", "/api/v1/posts/1/return", strings.NewReader(body)),
			httptest.NewRequest("GET", "/api/v1/posts?"+url.PathEscape(query), nil),
			httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(body)),
		} {
			req.Header.Set("Authorization", "Bearer "+s.Token)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code < 300 {
				if req.Method == "POST" && req.URL.Path == "/api/v1/posts" {
					var p gpmock.Post
					if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != gpmock.PostDraft || strings.TrimSpace(p.Text) == "" {
						t.Fatalf("created %q: %v", rec.Body.String(), err)
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
			if !known[env.Error.Code] && !(req.URL.Path == "/api/v1/auth/login" && rec.Code == 401) && !(req.URL.Path == "/api/v1/posts/1/return" && rec.Code == 403) {
				t.Fatalf("%s %s: unexpected %d %s", req.Method, req.URL, rec.Code, env.Error.Code)
			}
		}
	})
}
