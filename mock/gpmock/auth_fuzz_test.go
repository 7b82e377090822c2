package gpmock_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/mock/gpmock"
)

// FuzzAuthRequests sends arbitrary bodies and callback queries to the
// authentication, invitation, password-reset and notification endpoints:
// the server never panics, answers 2xx or the error envelope with a
// known code, never accepts a guessed invitation, state or reset code,
// and keeps only known event types in the settings.
func FuzzAuthRequests(f *testing.F) {
	srv := gpmock.New()
	cb, _ := srv.AddCabinet(gpmock.KindInstitution, 1, "org")
	_, _ = srv.AddUser(cb.ID, gpmock.User{Phone: "+7900", Email: "e@x", Role: gpmock.RoleEditor}, "password-123")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"phone":"+7900","password":"password-123"}`)))
	var s gpmock.Session
	if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil || s.Token == "" {
		f.Fatal("login failed")
	}
	// A pending reset code for the user, which the fuzzer must not guess.
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/auth/password-reset", strings.NewReader(`{"phone":"+7900"}`)))
	f.Add(`{"phone":"+7900","code":"123456","password":"new-password"}`, "code=x&state=y")
	f.Add(`{"token":"abc","password":"new-password"}`, "error=access_denied&state=")
	f.Add(`{"email":true,"telegram_chat_id":-100,"events":["post.submitted","post.submitted"]}`, "state=%00")
	f.Add(`{"kind":"editorial"}`, "state="+strings.Repeat("a", 600))
	f.Add(`[1]`, "")
	known := []string{"invalid_request", "invalid_state", "invalid_invitation", "invalid_code", "esia_unavailable"}
	f.Fuzz(func(t *testing.T, body, query string) {
		callback := httptest.NewRequest("GET", "/api/v1/auth/esia/callback", nil)
		callback.URL.RawQuery = query
		for _, req := range []*http.Request{
			httptest.NewRequest("POST", "/api/v1/auth/esia/start", strings.NewReader(body)),
			callback,
			httptest.NewRequest("POST", "/api/v1/auth/invitation/accept", strings.NewReader(body)),
			httptest.NewRequest("POST", "/api/v1/auth/password-reset", strings.NewReader(body)),
			httptest.NewRequest("POST", "/api/v1/auth/password-reset/confirm", strings.NewReader(body)),
			httptest.NewRequest("PUT", "/api/v1/me/notifications", strings.NewReader(body)),
		} {
			req.Header.Set("Authorization", "Bearer "+s.Token)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			path := req.URL.Path
			if rec.Code < 300 {
				switch path {
				case "/api/v1/auth/password-reset":
					if rec.Code != http.StatusAccepted {
						t.Fatalf("reset request answered %d", rec.Code)
					}
				case "/api/v1/me/notifications":
					var n gpmock.NotifySettings
					if err := json.Unmarshal(rec.Body.Bytes(), &n); err != nil {
						t.Fatal(err)
					}
					for _, e := range n.Events {
						if !slices.Contains(gpmock.NotifyEvents(), e) {
							t.Fatalf("unknown event %q kept", e)
						}
					}
				default:
					t.Fatalf("%s %s accepted a guess: %d %s", req.Method, path, rec.Code, rec.Body.String())
				}
				continue
			}
			var env struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
				t.Fatalf("%s %s: %d %q", req.Method, path, rec.Code, rec.Body.String())
			}
			if !slices.Contains(known, env.Error.Code) {
				t.Fatalf("%s %s: unexpected %d %s", req.Method, path, rec.Code, env.Error.Code)
			}
		}
	})
}
