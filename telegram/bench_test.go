package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/telegram"
)

// sendMessageAnswer is the fixed envelope the benchmark server returns.
var sendMessageAnswer = []byte(`{"ok":true,"result":{"message_id":42,"date":1767225600,` +
	`"chat":{"id":-1001234567890,"type":"channel","title":"Минцифры России","username":"mincifry"},` +
	`"sender_chat":{"id":-1001234567890,"type":"channel","title":"Минцифры России","username":"mincifry"},` +
	`"text":"Приём граждан переносится на 10:00.","entities":[{"type":"bold","offset":0,"length":5}]}}`)

const benchText = "Приём граждан переносится на 10:00."

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(sendMessageAnswer)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkSendMessage compares SendMessage through the client (transport
// core, retries armed, limiter off) with a floor: a hand-written
// net/http + encoding/json call against the same loopback server.
//
//	go test ./telegram/ -run '^$' -bench SendMessage -benchmem -count 6
func BenchmarkSendMessage(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()

	client := func(ctx context.Context) func(b *testing.B) {
		return func(b *testing.B) {
			c, err := telegram.New(testToken, core.WithBaseURL(srv.URL), core.WithHTTPClient(srv.Client()), telegram.WithoutRateLimits())
			if err != nil {
				b.Fatal(err)
			}
			req := &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(-1001234567890), Text: benchText}
			b.ReportAllocs()
			for b.Loop() {
				m, err := c.SendMessage(ctx, req)
				if err != nil || m.MessageID != 42 {
					b.Fatal(m, err)
				}
			}
		}
	}
	// Without a deadline the client bounds the call (core.DefaultTimeout);
	// with one it adds nothing.
	b.Run("client", client(ctx))
	dctx, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	b.Run("client-deadline", client(dctx))

	b.Run("floor", func(b *testing.B) {
		hc := srv.Client()
		url := srv.URL + "/bot" + testToken + "/sendMessage"
		type sendMessage struct {
			ChatID int64  `json:"chat_id"`
			Text   string `json:"text"`
		}
		type envelope struct {
			OK          bool             `json:"ok"`
			Result      telegram.Message `json:"result"`
			ErrorCode   int              `json:"error_code"`
			Description string           `json:"description"`
		}
		params := &sendMessage{ChatID: -1001234567890, Text: benchText}
		b.ReportAllocs()
		for b.Loop() {
			body, err := json.Marshal(params)
			if err != nil {
				b.Fatal(err)
			}
			hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			hr.Header.Set("Content-Type", "application/json")
			resp, err := hc.Do(hr)
			if err != nil {
				b.Fatal(err)
			}
			data, err := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
			var env envelope
			if err := json.Unmarshal(data, &env); err != nil || !env.OK || env.Result.MessageID != 42 {
				b.Fatal(err)
			}
		}
	})
}
