package core_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
)

// elapsed runs f on an auto-advancing clock and returns the virtual time
// its waits took.
func waitsOf(t *testing.T, clk *coretest.Clock, f func()) time.Duration {
	t.Helper()
	start := clk.Now()
	f()
	return clk.Since(start)
}

func TestKeyedLimiterPerKeyRules(t *testing.T) {
	t.Parallel()
	clk := coretest.NewAutoClock()
	l := core.NewKeyedLimiter(core.KeyedLimiterConfig{Clock: clk,
		Rules: []core.Rule{{Prefix: "chat:", Rate: core.Rate{N: 1, Per: 100 * time.Millisecond}, Burst: 1}}})
	ctx := t.Context()
	assert.Zero(t, waitsOf(t, clk, func() { require.NoError(t, l.Wait(ctx, "chat:1")) }))
	assert.Zero(t, waitsOf(t, clk, func() { require.NoError(t, l.Wait(ctx, "chat:2")) }), "another key has its own bucket")
	assert.Equal(t, 100*time.Millisecond, waitsOf(t, clk, func() { require.NoError(t, l.Wait(ctx, "chat:1")) }), "same key waits one interval")
	assert.Zero(t, waitsOf(t, clk, func() { require.NoError(t, l.Wait(ctx, "other")) }), "keys matching no rule are not paced")
	assert.Equal(t, 3, l.Len())
}

func TestKeyedLimiterMatchAndStackedRules(t *testing.T) {
	t.Parallel()
	clk := coretest.NewAutoClock()
	// A group key spends a per-second bucket and a 2-per-hour bucket.
	l := core.NewKeyedLimiter(core.KeyedLimiterConfig{Clock: clk, Rules: []core.Rule{
		{Prefix: "group:", Rate: core.PerSecond(1), Burst: 1},
		{Match: func(k string) bool { return k == "group:9" }, Rate: core.Rate{N: 2, Per: time.Hour}, Burst: 2},
	}})
	ctx := t.Context()
	d := waitsOf(t, clk, func() {
		for range 3 {
			require.NoError(t, l.Wait(ctx, "group:9"))
		}
	})
	assert.InDelta(t, float64(30*time.Minute), float64(d), float64(time.Second),
		"the third within the hour waits for the slower bucket (2/h refills one every 30 min)")
	d = waitsOf(t, clk, func() {
		for range 3 {
			require.NoError(t, l.Wait(ctx, "group:8"))
		}
	})
	assert.Equal(t, 2*time.Second, d, "Match selects only group:9")
}

func TestKeyedLimiterGlobalBucketAndWaitKeys(t *testing.T) {
	t.Parallel()
	clk := coretest.NewAutoClock()
	l := core.NewKeyedLimiter(core.KeyedLimiterConfig{Clock: clk, Global: core.Rate{N: 1, Per: 50 * time.Millisecond}, GlobalBurst: 1,
		Rules: []core.Rule{{Prefix: "k", Rate: core.PerSecond(1), Burst: 1}}})
	ctx := t.Context()
	assert.Zero(t, waitsOf(t, clk, func() { require.NoError(t, l.Wait(ctx, "")) }))
	assert.Equal(t, 50*time.Millisecond, waitsOf(t, clk, func() { require.NoError(t, l.Wait(ctx, "x")) }), "every key spends the global bucket")
	// Two keys reserved together: the wait is the longest of the buckets,
	// not their sum; "k1" twice spends its bucket twice.
	assert.Equal(t, time.Second, waitsOf(t, clk, func() { require.NoError(t, l.WaitKeys(ctx, "k1", "k1", "k2")) }))
}

func TestKeyedLimiterCancelReturnsTokens(t *testing.T) {
	t.Parallel()
	clk := coretest.NewClock(time.Time{})
	l := core.NewKeyedLimiter(core.KeyedLimiterConfig{Clock: clk, Global: core.Rate{N: 1, Per: 200 * time.Millisecond}})
	require.NoError(t, l.Wait(t.Context(), "")) // bucket now empty
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- l.Wait(ctx, "") }()
	clk.WaitForTimers(1)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	// The cancelled reservation was given back: the next wait is one
	// interval, not two.
	go func() { done <- l.Wait(t.Context(), "") }()
	clk.WaitForTimers(1)
	clk.Advance(199 * time.Millisecond)
	select {
	case <-done:
		t.Fatal("woke before the interval")
	default:
	}
	clk.Advance(time.Millisecond)
	require.NoError(t, <-done)
}

func TestKeyedLimiterWaitHonoursDeadline(t *testing.T) {
	t.Parallel()
	clk := coretest.NewClock(time.Time{})
	l := core.NewKeyedLimiter(core.KeyedLimiterConfig{Clock: clk, Global: core.Rate{N: 1, Per: time.Hour}})
	require.NoError(t, l.Wait(t.Context(), ""), "the first token is free")
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	require.ErrorIs(t, l.Wait(ctx, ""), core.ErrLimiter, "a deadline that cannot be met fails at once")
	cctx, ccancel := context.WithCancel(t.Context())
	ccancel()
	require.ErrorIs(t, l.Wait(cctx, ""), context.Canceled, "an ended context never waits")
	assert.Zero(t, clk.Pending())
}

func TestKeyedLimiterEvictsIdleKeys(t *testing.T) {
	t.Parallel()
	clk := coretest.NewClock(time.Time{})
	l := core.NewKeyedLimiter(core.KeyedLimiterConfig{Clock: clk, IdleTTL: time.Minute,
		Rules: []core.Rule{{Rate: core.PerSecond(100), Burst: 1}}})
	for i := range 100 {
		require.NoError(t, l.Wait(t.Context(), fmt.Sprint("k", i)))
	}
	assert.Equal(t, 100, l.Len())
	clk.Advance(2 * time.Minute)
	require.NoError(t, l.Wait(t.Context(), "fresh"))
	assert.Equal(t, 1, l.Len(), "keys idle for longer than the TTL are evicted")
}

// TestKeyedLimiterSharedByTwoClients: one limiter serving two users of
// the same key paces them together.
func TestKeyedLimiterShared(t *testing.T) {
	t.Parallel()
	clk := coretest.NewAutoClock()
	l := core.NewKeyedLimiter(core.KeyedLimiterConfig{Clock: clk, Rules: []core.Rule{{Prefix: "telegram:bot:", Rate: core.PerSecond(10), Burst: 1}}})
	key := core.LimitKey("telegram", "bot", core.Fingerprint("123:secret"), "")
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for range 5 {
				require.NoError(t, l.Wait(t.Context(), key))
			}
		})
	}
	wg.Wait()
	assert.GreaterOrEqual(t, clk.Since(coretest.Epoch), 900*time.Millisecond, "ten requests at 10/s with burst 1")
}

func TestRate(t *testing.T) {
	t.Parallel()
	assert.InDelta(t, 1.0/3, core.PerMinute(20).PerSecond(), 1e-12)
	assert.True(t, core.Rate{}.Unlimited())
	assert.Equal(t, "30/1s", core.PerSecond(30).String())
	assert.Equal(t, "unlimited", core.Rate{}.String())
	l := core.NewKeyedLimiter(core.KeyedLimiterConfig{Global: core.PerSecond(30), GlobalBurst: 20,
		Rules: []core.Rule{{Prefix: "telegram:chat:", Rate: core.PerSecond(1), Burst: 2}}})
	assert.Equal(t, "core.KeyedLimiter{global 30/s burst 20; telegram:chat:* 1/1s burst 2}", l.String())
}

func TestNoLimit(t *testing.T) {
	t.Parallel()
	require.NoError(t, core.NoLimit{}.Wait(t.Context(), "x"))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, core.NoLimit{}.Wait(ctx, "x"), context.Canceled)
}

func TestLimitKeyAndFingerprint(t *testing.T) {
	t.Parallel()
	const token = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
	fp := core.Fingerprint(token)
	assert.Len(t, fp, 12)
	assert.Equal(t, fp, core.Fingerprint(token), "stable")
	assert.NotEqual(t, fp, core.Fingerprint(token+"x"))
	assert.NotContains(t, fp, "AAHdq")
	assert.Equal(t, "telegram:chat:"+fp+":-100123", core.LimitKey("telegram", "chat", fp, "-100123"))
	assert.Equal(t, "vk:app:"+fp, core.LimitKey("vk", "app", fp, ""))
}
