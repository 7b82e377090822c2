package gpmock_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/mock/gpmock"
)

// FuzzDialogRequests sends arbitrary bodies and queries to the inbox,
// auto-rule and analytics endpoints: the server never panics, answers
// 2xx or the error envelope with a known code, and a created rule always
// assigns or answers.
func FuzzDialogRequests(f *testing.F) {
	srv := gpmock.New(gpmock.WithNetworks(gpmock.Networks{Unavailable: []string{gpmock.NetworkVK, gpmock.NetworkOK, gpmock.NetworkTelegram}}))
	cb, _ := srv.AddCabinet(gpmock.KindInstitution, 1, "org")
	_, _ = srv.AddUser(cb.ID, gpmock.User{Phone: "+7901", Email: "a@x", Role: gpmock.RoleLKOAdmin}, "password-123")
	d, _, err := srv.AddDialog(context.Background(), cb.ID, gpmock.DialogInput{Source: gpmock.SourceVKMessage, PageRef: "vk:-1", NetworkID: "1", Thread: "5", Text: "вопрос"})
	if err != nil || d.ID == 0 {
		f.Fatal("no dialog")
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"phone":"+7901","password":"password-123"}`)))
	var s gpmock.Session
	if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil || s.Token == "" {
		f.Fatal("login failed")
	}
	f.Add(`{"name":"r","keywords":["дорог"],"template":"{author} {id}"}`, "status=new&limit=2")
	f.Add(`{"name":"r","sources":["fax"],"assignee_id":1}`, "source=vk_comment&cursor=MTA")
	f.Add(`{"text":"ответ"}`, "period=week&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z")
	f.Add(`{"assignee_id":-3}`, "period=year&from=bad&assignee=-1")
	f.Add(`[1]`, "limit=0")
	known := map[string]bool{"invalid_request": true, "conflict": true, "not_found": true}
	id := itoa(d.ID)
	f.Fuzz(func(t *testing.T, body, query string) {
		q := url.PathEscape(query)
		for _, req := range []*http.Request{
			httptest.NewRequest("POST", "/api/v1/dialog-rules", strings.NewReader(body)),
			httptest.NewRequest("POST", "/api/v1/dialogs/"+id+"/assign", strings.NewReader(body)),
			httptest.NewRequest("POST", "/api/v1/dialogs/"+id+"/reply", strings.NewReader(body)),
			httptest.NewRequest("GET", "/api/v1/dialogs?"+q, nil),
			httptest.NewRequest("GET", "/api/v1/analytics/pages?"+q, nil),
		} {
			req.Header.Set("Authorization", "Bearer "+s.Token)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code < 300 {
				if req.URL.Path == "/api/v1/dialog-rules" {
					var r gpmock.AutoRule
					if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil || strings.TrimSpace(r.Name) == "" || (r.AssigneeID == 0 && r.Template == "") {
						t.Fatalf("created %q: %v", rec.Body.String(), err)
					}
				}
				continue
			}
			var env struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || !known[env.Error.Code] {
				t.Fatalf("%s %s: %d %q", req.Method, req.URL, rec.Code, rec.Body.String())
			}
		}
	})
}
