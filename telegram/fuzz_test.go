package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"unicode/utf16"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/telegram"
)

func FuzzDecodeUpdate(f *testing.F) {
	f.Add([]byte(channelPostBody))
	f.Add([]byte(`{"update_id":1,"my_chat_member":{"chat":{"id":-1,"type":"channel"},"from":{"id":1},"date":1,` +
		`"old_chat_member":{"status":"left","user":{"id":2}},"new_chat_member":{"status":"administrator","user":{"id":2},"can_post_messages":true}}}`))
	f.Add([]byte(`{"update_id":2,"callback_query":{"id":"x","from":{"id":1},"chat_instance":"c","data":"d"}}`))
	f.Add([]byte(`{"update_id":3,"poll":{"id":"p","question":"q","options":[{"text":"a","voter_count":1}]}}`))
	f.Add([]byte(`{"update_id":4,"channel_post":{"message_id":2,"date":1,"chat":{"id":-1001,"type":"channel"},` +
		`"forward_origin":{"type":"channel","date":1,"chat":{"id":-1002,"type":"channel"},"message_id":7},"text":"t"}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"update_id":1e400}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := telegram.DecodeUpdate(data)
		if err != nil {
			return
		}
		if _, err := json.Marshal(u); err != nil {
			t.Fatalf("decoded update does not re-encode: %v", err)
		}
		_ = u.Kind()
		_ = u.AnyMessage()
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// FuzzEnvelope feeds arbitrary answers (status and body) to the client's
// decoding and error mapping: it must never panic nor leak the token.
func FuzzEnvelope(f *testing.F) {
	f.Add(200, []byte(`{"ok":true,"result":{"id":-100,"type":"channel","title":"t"}}`))
	f.Add(200, []byte(`{"ok":true,"result":[{"update_id":1,"channel_post":{"message_id":1,"date":1,"chat":{"id":1,"type":"channel"}}}]}`))
	f.Add(400, []byte(`{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`))
	f.Add(429, []byte(`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}`))
	f.Add(429, []byte(`{"ok":false,"error_code":429,"parameters":{"retry_after":99999999999999999}}`))
	f.Add(400, []byte(`{"ok":false,"error_code":400,"parameters":{"migrate_to_chat_id":-1001}}`))
	f.Add(502, []byte(`<html>`))
	f.Add(200, []byte(`{"ok":false}`))
	f.Add(200, []byte(`{"ok":true,"result":true}`))
	f.Add(200, []byte(`{"ok":true,"result":{"message_id":43}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		rt := roundTripFunc(func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}, nil
		})
		c, err := telegram.New(testToken, core.WithHTTPClient(&http.Client{Transport: rt}), telegram.WithoutRateLimits(),
			core.WithRetry(0, 0, 0), core.WithRateLimitRetry(0, core.DefaultRateLimitMaxTotalWait))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		check := func(err error) {
			if err != nil && bytes.Contains([]byte(err.Error()), []byte(testToken)) {
				t.Fatalf("token leaked: %v", err)
			}
		}
		_, err = c.GetChat(ctx, &telegram.GetChatRequest{ChatID: telegram.ChatIDInt(-100)})
		check(err)
		_, err = c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(-100), Text: "x"})
		check(err)
		_, err = c.GetUpdates(ctx, nil)
		check(err)
		_, err = c.EditMessageText(ctx, &telegram.EditMessageTextRequest{ChatID: telegram.ChatIDInt(1), MessageID: 1, Text: "x"})
		check(err)
		check(c.DeleteMessage(ctx, &telegram.DeleteMessageRequest{ChatID: telegram.ChatIDInt(1), MessageID: 1}))
		check(c.DeleteMessages(ctx, &telegram.DeleteMessagesRequest{ChatID: telegram.ChatIDInt(1), MessageIDs: []int64{1, 2}}))
		_, err = c.ForwardMessage(ctx, &telegram.ForwardMessageRequest{ChatID: telegram.ChatIDInt(1), FromChatID: telegram.ChatIDInt(2), MessageID: 1})
		check(err)
		_, err = c.CopyMessage(ctx, &telegram.CopyMessageRequest{ChatID: telegram.ChatIDInt(1), FromChatID: telegram.ChatIDInt(2), MessageID: 1})
		check(err)
		_, err = c.DownloadFile(ctx, &telegram.DownloadFileRequest{FilePath: "a/b"}, io.Discard)
		check(err)
	})
}

// FuzzWebhookHandler checks that any delivery gets a 2xx/4xx/5xx answer and
// never a panic, and that only the right secret reaches the handler.
func FuzzWebhookHandler(f *testing.F) {
	f.Add(hookSecret, "POST", []byte(channelPostBody))
	f.Add("wrong", "POST", []byte(channelPostBody))
	f.Add(hookSecret, "GET", []byte(""))
	f.Add(hookSecret, "POST", []byte(`{"update_id":`))
	f.Add(hookSecret, "POST", []byte(`{"update_id":1,"message":{"chat":{"id":"x"}}}`))
	f.Fuzz(func(t *testing.T, secret, method string, body []byte) {
		called := false
		h, err := telegram.NewWebhookHandler(hookSecret, func(_ context.Context, u telegram.Update) error {
			called = true
			if u.UpdateID%2 == 1 {
				return io.ErrUnexpectedEOF
			}
			return nil
		}, telegram.WithWebhookMaxBodyBytes(1<<16))
		if err != nil {
			t.Fatal(err)
		}
		if !validMethod(method) {
			method = http.MethodPost
		}
		req := httptest.NewRequest(method, "/hook", bytes.NewReader(body))
		req.Header.Set(telegram.SecretTokenHeader, secret)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch w.Code {
		case 200, 400, 401, 405, 413, 500:
		default:
			t.Fatalf("unexpected status %d", w.Code)
		}
		if called && secret != hookSecret {
			t.Fatal("handler called with a wrong secret")
		}
	})
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		if m[i] < 'A' || m[i] > 'Z' {
			return false
		}
	}
	return true
}

func FuzzChatIDAndUTF16(f *testing.F) {
	f.Add([]byte(`-1001234567890`), "Новость 🏛")
	f.Add([]byte(`"@mincifry"`), "a\xffb")
	f.Add([]byte(`"123"`), "")
	f.Fuzz(func(t *testing.T, data []byte, s string) {
		var id telegram.ChatID
		if json.Unmarshal(data, &id) == nil {
			b, err := json.Marshal(id)
			if err != nil {
				t.Fatal(err)
			}
			var back telegram.ChatID
			if err := json.Unmarshal(b, &back); err != nil || back != id {
				t.Fatalf("round trip %s → %s: %v", data, b, err)
			}
			_ = id.Validate()
		}
		if got, want := telegram.UTF16Len(s), len(utf16.Encode([]rune(s))); got != want {
			t.Fatalf("UTF16Len(%q) = %d, want %d", s, got, want)
		}
	})
}
