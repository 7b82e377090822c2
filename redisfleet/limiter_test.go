package redisfleet_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/redisfleet"
	"github.com/gospubliki/gosdk/redisfleet/internal/redistest"
	"github.com/gospubliki/gosdk/telegram"
)

func TestMain(m *testing.M) { redistest.Main(m) }

// prefix returns a Redis key prefix private to t.
func prefix(t testing.TB) string { return "test:" + t.Name() + ":" }

func TestLimiterSharedBetweenReplicas(t *testing.T) {
	srv := redistest.Shared(t)
	clk := coretest.NewAutoClock()
	cfg := core.KeyedLimiterConfig{Rules: []core.Rule{{Prefix: "telegram:bot:", Rate: core.PerSecond(30), Burst: 1}}, Clock: clk}
	var ls []*redisfleet.Limiter
	for range 3 {
		ls = append(ls, redisfleet.NewLimiter(srv.Client(t), redisfleet.LimiterConfig{Rules: cfg, Prefix: prefix(t)}))
	}
	key := core.LimitKey("telegram", "bot", core.Fingerprint("123:secret"), "")
	start := clk.Now()
	for i := range 91 {
		if err := ls[i%3].WaitKeys(context.Background(), key); err != nil {
			t.Fatal(err)
		}
	}
	// 91 requests at 30/s with burst 1 take 3 s whichever replica sends them.
	if got := clk.Now().Sub(start); got < 2990*time.Millisecond || got > 3010*time.Millisecond {
		t.Fatalf("91 requests across 3 replicas took %s on the clock, want 3s", got)
	}
}

func TestLimiterKeysAreFingerprints(t *testing.T) {
	srv := redistest.Shared(t)
	rdb := srv.Client(t)
	cfg := telegram.LimiterConfig(telegram.DefaultLimits())
	cfg.Clock = coretest.NewAutoClock()
	l := redisfleet.NewLimiter(rdb, redisfleet.LimiterConfig{Rules: cfg, Prefix: prefix(t)})
	const token = "987654:AAH-very-secret-token"
	fp := core.Fingerprint(token)
	keys := []string{core.LimitKey("telegram", "bot", fp, ""), core.LimitKey("telegram", "chat", fp, "-100123")}
	if err := l.WaitKeys(context.Background(), keys...); err != nil {
		t.Fatal(err)
	}
	stored, err := rdb.Keys(context.Background(), prefix(t)+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 2 {
		t.Fatalf("stored keys %q, want one per rule (bot, chat)", stored)
	}
	for _, k := range stored {
		if strings.Contains(k, "secret") || !strings.Contains(k, fp) {
			t.Fatalf("stored key %q must name the fingerprint, never the token", k)
		}
	}
}

func TestLimiterRefusalSpendsNothing(t *testing.T) {
	srv := redistest.Shared(t)
	clk := coretest.NewClock(time.Time{})
	cfg := core.KeyedLimiterConfig{
		Global: core.PerMinute(1), GlobalBurst: 2,
		Rules: []core.Rule{{Prefix: "a", Rate: core.PerMinute(1), Burst: 1}},
		Clock: clk,
	}
	l := redisfleet.NewLimiter(srv.Client(t), redisfleet.LimiterConfig{Rules: cfg, Prefix: prefix(t)})
	if err := l.WaitKeys(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	// "a" is empty for a minute: refused at once, and the global token it
	// would have needed is not spent.
	if err := l.WaitKeys(ctx, "a"); !errors.Is(err, core.ErrLimiter) {
		t.Fatalf("err = %v, want core.ErrLimiter", err)
	}
	if clk.Pending() != 0 {
		t.Fatal("a refused wait must not wait")
	}
	if err := l.WaitKeys(ctx, "b"); err != nil {
		t.Fatalf("the global bucket lost a token to a refused request: %v", err)
	}
	if clk.Pending() != 0 {
		t.Fatal("the second global token must be free")
	}
}

func TestLimiterCancelledWaitGivesTokensBack(t *testing.T) {
	srv := redistest.Shared(t)
	clk := coretest.NewClock(time.Time{})
	cfg := core.KeyedLimiterConfig{Rules: []core.Rule{{Prefix: "", Rate: core.PerSecond(1), Burst: 1}}, Clock: clk}
	l := redisfleet.NewLimiter(srv.Client(t), redisfleet.LimiterConfig{Rules: cfg, Prefix: prefix(t)})
	if err := l.Wait(context.Background(), "k"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Wait(ctx, "k") }()
	<-clk.Changed() // the waiter's timer exists
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// The cancelled reservation was given back: the next waiter waits one
	// interval (1s), not two.
	go func() { done <- l.Wait(context.Background(), "k") }()
	<-clk.Changed()
	next, _ := clk.Next()
	if d := next.Sub(clk.Now()); d != time.Second {
		t.Fatalf("next wait %s, want 1s", d)
	}
	clk.Advance(time.Second)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestLimiterUnavailableFailsClosed(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	srv.Stop()
	l := redisfleet.NewLimiter(rdb, redisfleet.LimiterConfig{
		Rules:         core.KeyedLimiterConfig{Rules: []core.Rule{{Rate: core.PerSecond(1)}}},
		RetryInterval: 20 * time.Millisecond,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := l.Wait(ctx, "k")
	var ue *redisfleet.UnavailableError
	if !errors.As(err, &ue) || !errors.Is(err, core.ErrLimiter) || !errors.Is(err, redisfleet.ErrUnavailable) {
		t.Fatalf("err = %v, want *UnavailableError matching core.ErrLimiter", err)
	}
	if el := time.Since(start); el < 250*time.Millisecond || el > 2*time.Second {
		t.Fatalf("returned after %s, want at the context deadline (300ms)", el)
	}
}

type countHandler struct {
	mu  sync.Mutex
	buf bytes.Buffer
	n   int
}

func (h *countHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.n++
	h.buf.WriteString(r.Message)
	return nil
}
func (h *countHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countHandler) WithGroup(string) slog.Handler      { return h }

func TestLimiterFallbackAtFraction(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	srv.Stop()
	clk := coretest.NewAutoClock()
	h := &countHandler{}
	l := redisfleet.NewLimiter(rdb, redisfleet.LimiterConfig{
		Rules:            core.KeyedLimiterConfig{Rules: []core.Rule{{Rate: core.PerSecond(30), Burst: 1}}, Clock: clk},
		FallbackFraction: 0.5,
		RetryInterval:    time.Hour,
		Logger:           slog.New(h),
	})
	start := clk.Now()
	for range 16 {
		if err := l.Wait(context.Background(), "k"); err != nil {
			t.Fatal(err)
		}
	}
	// Half of 30/s is 15/s: 16 requests take one second.
	if got := clk.Now().Sub(start); got < 990*time.Millisecond || got > 1010*time.Millisecond {
		t.Fatalf("16 requests took %s, want 1s at half the rate", got)
	}
	if h.n != 1 || !strings.Contains(h.buf.String(), "fallback") {
		t.Fatalf("logged %d records (%q), want one about the fallback", h.n, h.buf.String())
	}
}

func TestLimiterStoresExactMicroseconds(t *testing.T) {
	srv := redistest.Shared(t)
	rdb := srv.Client(t)
	clk := coretest.NewClock(time.Date(2026, 12, 6, 18, 0, 0, 123456000, time.UTC))
	cfg := core.KeyedLimiterConfig{Rules: []core.Rule{{Prefix: "k", Rate: core.PerSecond(30), Burst: 1}}, Clock: clk}
	l := redisfleet.NewLimiter(rdb, redisfleet.LimiterConfig{Rules: cfg, Prefix: prefix(t)})
	if err := l.Wait(context.Background(), "k"); err != nil {
		t.Fatal(err)
	}
	keys, err := rdb.Keys(context.Background(), prefix(t)+"*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys %q, %v", keys, err)
	}
	got, err := rdb.Get(context.Background(), keys[0]).Result()
	if err != nil {
		t.Fatal(err)
	}
	// The bucket's theoretical arrival time: now + one interval (33333µs),
	// to the microsecond (16 digits, not Lua's 14-digit float printing).
	if want := strconv.FormatInt(clk.Now().UnixMicro()+33333, 10); got != want {
		t.Fatalf("stored %q, want %q", got, want)
	}
}
