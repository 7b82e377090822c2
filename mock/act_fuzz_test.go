package mock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzAct feeds arbitrary bodies to every action's route: the answer is
// always JSON, 200 with a result, or a refusal with a non-empty error and
// a status that says why.
func FuzzAct(f *testing.F) {
	sb, err := New()
	if err != nil {
		f.Fatal(err)
	}
	defer sb.Close()
	names := ActionNames()
	for i, s := range []string{
		`{"bot_id":1,"user_id":2,"text":"hi"}`, `{"bot_id":1,"user_id":2,"command":"/start"}`,
		`{"group_id":200000001,"user_id":5,"text":"x"}`, `{"group_id":200000001,"post_id":1,"user_id":5,"text":"x"}`,
		`{"user_id":800000001,"enabled":false}`, `{"person_oid":1,"auth_url":"http://x/ac"}`,
		`{"opa_id":900001,"description":"Яма"}`, `{"as":{"role":"moderator"},"post_id":1,"comment":"c"}`,
		`{"phone":"+7900","role":"editor"}`, `[]`, `{"items":[{"title":"t","url":"ftp://x"}],"group_id":1,"user_id":1}`,
	} {
		f.Add(uint8(i), []byte(s))
	}
	t := sb.def
	f.Fuzz(func(tt *testing.T, which uint8, body []byte) {
		name := names[int(which)%len(names)]
		party, action, _ := strings.Cut(name, "/")
		req := httptest.NewRequest("POST", "/_mock/act/"+name, bytes.NewReader(body))
		req.SetPathValue("party", party)
		req.SetPathValue("name", action)
		rec := httptest.NewRecorder()
		serveAct(rec, req, t)
		var out map[string]any
		var anyOut any
		if err := json.Unmarshal(rec.Body.Bytes(), &anyOut); err != nil {
			tt.Fatalf("%s: answer is not JSON: %q", name, rec.Body.String())
		}
		switch rec.Code {
		case http.StatusOK:
		case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge:
			if json.Unmarshal(rec.Body.Bytes(), &out) != nil || out["error"] == "" || out["error"] == nil {
				tt.Fatalf("%s: %d without an error: %s", name, rec.Code, rec.Body.String())
			}
		default:
			tt.Fatalf("%s: unexpected status %d: %s", name, rec.Code, rec.Body.String())
		}
	})
}

// FuzzOutboxQuery feeds arbitrary queries to GET /_mock/outbox: 200 with
// {"messages": [...]} or 400 with an error, always JSON.
func FuzzOutboxQuery(f *testing.F) {
	sb, err := New()
	if err != nil {
		f.Fatal(err)
	}
	defer sb.Close()
	for _, s := range []string{"party=telegram&to=5", "after_seq=3&limit=2", "since=2026-03-02T09:00:00Z&until=x", "wait=1h", "channel=vk&x=1", "limit=-1"} {
		f.Add(s)
	}
	t := sb.def
	f.Fuzz(func(tt *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil || q.Has("wait") {
			return // a valid wait would hold the request open
		}
		req := httptest.NewRequest("GET", "/_mock/outbox", nil)
		req.URL.RawQuery = q.Encode()
		rec := httptest.NewRecorder()
		serveOutbox(rec, req, t)
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			tt.Fatalf("answer is not JSON: %q", rec.Body.String())
		}
		switch rec.Code {
		case http.StatusOK:
			if _, ok := out["messages"].([]any); !ok {
				tt.Fatalf("no messages array: %s", rec.Body.String())
			}
		case http.StatusBadRequest:
			if s, _ := out["error"].(string); s == "" {
				tt.Fatalf("400 without an error: %s", rec.Body.String())
			}
		default:
			tt.Fatalf("unexpected status %d", rec.Code)
		}
	})
}
