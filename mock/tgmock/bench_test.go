package tgmock_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"sync/atomic"
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

func bareHandler() http.Handler {
	fixed := []byte(`{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":-1001000000001,"type":"channel"},"text":"x"}}`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
	})
}

// rate drives sendMessage POSTs at url from n goroutines for d and
// returns requests per second.
func rate(t *testing.T, client *http.Client, url string, n int, d time.Duration) float64 {
	body := []byte(`{"chat_id":-1001000000001,"text":"Бенчмарк: новость министерства"}`)
	var count atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				count.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(count.Load()) / time.Since(start).Seconds()
}

// TestSendMessageThroughputRatio measures the emulator against the bare
// handler in alternating rounds (so both see the same machine load) and
// reports the median ratio. It runs only with GOSDK_PERF=1:
//
//	GOSDK_PERF=1 go test -run TestSendMessageThroughputRatio -v ./mock/tgmock/
func TestSendMessageThroughputRatio(t *testing.T) {
	if os.Getenv("GOSDK_PERF") == "" {
		t.Skip("set GOSDK_PERF=1 to measure throughput")
	}
	w, err := world.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := tgmock.New(w, tgmock.WithoutLimits())
	defer srv.Close()
	emu := httptest.NewServer(srv)
	defer emu.Close()
	bare := httptest.NewServer(bareHandler())
	defer bare.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 64, MaxIdleConns: 128}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	emuURL := emu.URL + "/bot" + tgmock.DefaultSettings().Bots[0].Token + "/sendMessage"
	var ratios, bares, emus []float64
	for range 9 {
		b := rate(t, client, bare.URL+"/bot1:x/sendMessage", 8, 300*time.Millisecond)
		e := rate(t, client, emuURL, 8, 300*time.Millisecond)
		bares, emus, ratios = append(bares, b), append(emus, e), append(ratios, e/b)
	}
	slices.Sort(ratios)
	slices.Sort(bares)
	slices.Sort(emus)
	t.Logf("bare median %.0f req/s, emulator median %.0f req/s, median ratio %.2f (ratios %v)",
		bares[len(bares)/2], emus[len(emus)/2], ratios[len(ratios)/2], ratios)
	if ratios[len(ratios)/2] < 0.5 {
		t.Errorf("emulator below 0.5x of a bare handler")
	}
}

// BenchmarkSendMessage compares the emulator with a bare net/http handler
// that decodes the same JSON and answers a fixed envelope.
func BenchmarkSendMessage(b *testing.B) {
	b.Run("bare", func(b *testing.B) {
		benchSend(b, bareHandler(), "/bot1:x/sendMessage")
	})
	b.Run("emulator", func(b *testing.B) {
		w, err := world.New()
		if err != nil {
			b.Fatal(err)
		}
		srv := tgmock.New(w, tgmock.WithoutLimits())
		defer srv.Close()
		benchSend(b, srv, "/bot"+tgmock.DefaultSettings().Bots[0].Token+"/sendMessage")
	})
}
