package tgmock_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// benchSend drives sendMessage-shaped JSON POSTs at h over real loopback
// HTTP with keep-alive from parallel goroutines and reports requests/s.
func benchSend(b *testing.B, h http.Handler, path string) {
	hs := httptest.NewServer(h)
	defer hs.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 256, MaxIdleConns: 256}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	body := []byte(`{"chat_id":-1001000000001,"text":"Бенчмарк: новость министерства"}`)
	url := hs.URL + path
	b.ReportAllocs()
	b.SetParallelism(8) // 8×GOMAXPROCS clients keep both ends busy
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkSendMessage compares the emulator with a bare net/http handler
// that decodes the same JSON and answers a fixed envelope.
func BenchmarkSendMessage(b *testing.B) {
	b.Run("bare", func(b *testing.B) {
		fixed := []byte(`{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":-1001000000001,"type":"channel"},"text":"x"}}`)
		benchSend(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var req struct {
				ChatID any    `json:"chat_id"`
				Text   string `json:"text"`
			}
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
				w.WriteHeader(400)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(fixed)
		}), "/bot1:x/sendMessage")
	})
	b.Run("emulator", func(b *testing.B) {
		w, err := world.New()
		if err != nil {
			b.Fatal(err)
		}
		srv := tgmock.New(w, tgmock.WithoutLimits())
		defer srv.Close()
		benchSend(b, srv, "/bot"+world.DefaultScenario().Bots[0].Token+"/sendMessage")
	})
}
