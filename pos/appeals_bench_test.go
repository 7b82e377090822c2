package pos_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/pos"
)

var appealAnswer = []byte(`{"posId":1000123,"status":"IN_WORK","statusText":"В работе","history":[` +
	`{"status":"NEW","statusText":"Новое","createdAt":"2026-03-02T09:00:00Z"},` +
	`{"status":"IN_WORK","statusText":"В работе","createdAt":"2026-03-02T10:00:00Z","createdBy":{"surname":"Петров","name":"Пётр","position":"специалист"}}]}`)

// BenchmarkAppeal compares reading an appeal through the client (token
// held, transport core with retries armed, limiter off, typed decoding
// with tolerant timestamps) with a floor: a hand-written net/http GET with
// the same bearer header decoded into the same structs, against the same
// loopback server.
//
//	go test ./pos/ -run '^$' -bench Appeal -benchmem -count 5
func BenchmarkAppeal(b *testing.B) {
	const tok = "bench-token-0123456789abcdef"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/oauth/token" {
			_, _ = io.WriteString(w, `{"access_token":"`+tok+`","token_type":"bearer","expires_in":86400}`)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+tok {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = w.Write(appealAnswer)
	}))
	b.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()

	b.Run("client", func(b *testing.B) {
		c, err := pos.NewAppealsClient(pos.Credentials{Username: "sys", Password: "pw"},
			core.WithBaseURL(srv.URL), core.WithHTTPClient(srv.Client()), core.WithLimiter(nil))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Authenticate(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			st, err := c.Appeal(ctx, 1000123)
			if err != nil || len(st.History) != 2 {
				b.Fatal(st, err)
			}
		}
	})
	b.Run("floor", func(b *testing.B) {
		hc := srv.Client()
		b.ReportAllocs()
		for b.Loop() {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/appeal-service/external-appeal-system/appeals/1000123", nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				b.Fatal(resp.StatusCode, err)
			}
			var st pos.AppealStatus
			if err := json.Unmarshal(body, &st); err != nil || len(st.History) != 2 || !strings.HasPrefix(st.Status, "IN") {
				b.Fatal(err)
			}
		}
	})
}
