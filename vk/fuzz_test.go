package vk

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func FuzzDecodeEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"response":{"groups":[],"profiles":[]}}`,
		`{"error":{"error_code":29,"error_msg":"Rate limit reached","request_params":[{"key":"method","value":"groups.getLongPollServer"},{"key":"oauth","value":"1"}]}}`,
		`{"error":{"error_code":14,"error_msg":"Captcha needed","captcha_sid":123,"captcha_img":"https://x","redirect_uri":"https://y"}}`,
		`{"response":[1,false,3],"execute_errors":[{"method":"wall.post","error_code":214,"error_msg":"Access to adding post denied"}]}`,
		`{"response":null}`, `{}`, `[]`, `null`, `{"error":null,"response":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		raw, execErrs, err := DecodeEnvelope(b)
		var ve *Error
		if err != nil {
			if raw != nil {
				t.Fatal("response with an error")
			}
			if errors.As(err, &ve) {
				_ = ve.Error()
				_ = ve.ErrorCode()
				_ = errors.Is(err, ErrCaptcha)
			}
			return
		}
		if !json.Valid(raw) {
			t.Fatalf("invalid raw response %q", raw)
		}
		for _, e := range execErrs {
			_ = e.Error()
		}
		_ = classify(200, http.Header{}, b)
	})
}

func FuzzCallbackHandler(f *testing.F) {
	for _, s := range []string{
		`{"type":"confirmation","group_id":1,"secret":"s"}`,
		`{"type":"wall_post_new","group_id":1,"event_id":"e","secret":"s","object":{"id":1,"text":"x"}}`,
		`{"type":"message_new","group_id":1,"event_id":"m","secret":"s","object":{"message":{"text":"x"}}}`,
		`{"type":"wall_reply_new","group_id":1,"event_id":"r","secret":"s","object":{"post_id":"bad"}}`,
		`{"type":1}`, `garbage`,
	} {
		f.Add([]byte(s), "")
	}
	f.Fuzz(func(t *testing.T, body []byte, retry string) {
		handled := 0
		h := NewCallbackHandler(CallbackConfig{GroupID: 1, Secret: "s", Confirmation: "code", Remember: 4,
			Handle: func(context.Context, *Event) error { handled++; return nil }})
		for range 2 {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
			r.Header.Set("X-Retry-Counter", retry)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			switch w.Code {
			case 200, 400, 403:
			default:
				t.Fatalf("status %d", w.Code)
			}
			if w.Code == 200 && w.Body.String() != "ok" && w.Body.String() != "code" {
				t.Fatalf("body %q", w.Body)
			}
		}
		if handled > 1 {
			// The same body delivered twice: one event id is handled once
			// (an event without an id cannot be de-duplicated).
			var e Event
			if json.Unmarshal(body, &e) == nil && e.EventID != "" {
				t.Fatalf("event %q handled %d times", e.EventID, handled)
			}
		}
		if len(h.seen) > 4 {
			t.Fatalf("remembers %d ids", len(h.seen))
		}
	})
}

func FuzzMapExecuteResponse(f *testing.F) {
	f.Add([]byte(`[1,false,{"a":1}]`), 3, 1)
	f.Add([]byte(`[false,false]`), 2, 3)
	f.Add([]byte(`{}`), 1, 0)
	f.Add([]byte(`[`), 0, 0)
	f.Fuzz(func(t *testing.T, resp []byte, ncalls, nerrs int) {
		ncalls, nerrs = ncalls%30, nerrs%30
		if ncalls < 0 {
			ncalls = -ncalls
		}
		if nerrs < 0 {
			nerrs = -nerrs
		}
		calls := make([]ExecuteCall, ncalls)
		for i := range calls {
			calls[i].Method = "m.m"
		}
		errs := make([]*Error, nerrs)
		for i := range errs {
			errs[i] = &Error{Code: 100 + i}
		}
		slots, err := MapExecuteResponse(resp, errs, calls)
		if err != nil {
			return
		}
		if len(slots) != ncalls {
			t.Fatalf("%d slots for %d calls", len(slots), ncalls)
		}
		used := 0
		for _, s := range slots {
			if s.Err != nil {
				var ve *Error
				if !errors.As(s.Err, &ve) || ve.Code != 100+used || ve.Method != "m.m" {
					t.Fatalf("slot error %v out of order", s.Err)
				}
				used++
			} else if !json.Valid(s.Response) {
				t.Fatalf("invalid slot %q", s.Response)
			}
		}
		if used > nerrs {
			t.Fatal("more errors than given")
		}
	})
}
