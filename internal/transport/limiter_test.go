package transport

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// fakeClock drives a KeyedLimiter's reservations deterministically.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func limiterAt(global rate.Limit, burst int, rules []Rule, opts ...KeyedLimiterOption) (*KeyedLimiter, *fakeClock) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := NewKeyedLimiter(global, burst, rules, opts...)
	l.now = clk.now
	return l, clk
}

func mustReserve(t *testing.T, l *KeyedLimiter, key string, now time.Time) time.Duration {
	t.Helper()
	d, _, err := l.reserve(key, now)
	require.NoError(t, err)
	return d
}

func TestKeyedLimiterPerKeyRules(t *testing.T) {
	t.Parallel()
	l, clk := limiterAt(rate.Inf, 1, []Rule{{Prefix: "chat:", Limit: rate.Every(100 * time.Millisecond), Burst: 1}})
	assert.Zero(t, mustReserve(t, l, "chat:1", clk.t))
	assert.Zero(t, mustReserve(t, l, "chat:2", clk.t), "another key has its own bucket")
	assert.Equal(t, 100*time.Millisecond, mustReserve(t, l, "chat:1", clk.t), "same key waits one interval")
	assert.Zero(t, mustReserve(t, l, "other", clk.t), "keys matching no rule spend only the global bucket")
	clk.advance(time.Second)
	assert.Zero(t, mustReserve(t, l, "chat:1", clk.t), "refilled")
	assert.Equal(t, 3, l.Len())
}

func TestKeyedLimiterStackedRules(t *testing.T) {
	t.Parallel()
	// A group key spends a per-second bucket and a 2-per-hour bucket.
	l, clk := limiterAt(rate.Inf, 1, []Rule{
		{Prefix: "group:", Limit: rate.Every(time.Second), Burst: 1},
		{Prefix: "group:", Limit: rate.Every(time.Hour), Burst: 2},
	})
	assert.Zero(t, mustReserve(t, l, "group:9", clk.t))
	clk.advance(time.Second)
	assert.Zero(t, mustReserve(t, l, "group:9", clk.t))
	clk.advance(time.Second)
	d := mustReserve(t, l, "group:9", clk.t)
	assert.InDelta(t, float64(time.Hour-2*time.Second), float64(d), float64(time.Second),
		"the third within the hour waits for the slower bucket")
}

func TestKeyedLimiterGlobalBucket(t *testing.T) {
	t.Parallel()
	l, clk := limiterAt(rate.Every(50*time.Millisecond), 1, nil)
	assert.Zero(t, mustReserve(t, l, "", clk.t))
	assert.Equal(t, 50*time.Millisecond, mustReserve(t, l, "", clk.t))
	assert.Equal(t, 100*time.Millisecond, mustReserve(t, l, "x", clk.t), "every key spends the global bucket")
}

func TestKeyedLimiterCancelReturnsTokens(t *testing.T) {
	t.Parallel()
	l, clk := limiterAt(rate.Every(200*time.Millisecond), 1, nil)
	assert.Zero(t, mustReserve(t, l, "", clk.t)) // bucket now empty
	d, cancel, err := l.reserve("", clk.t)
	require.NoError(t, err)
	assert.Equal(t, 200*time.Millisecond, d)
	cancel()
	// The cancelled reservation was given back: the next one waits one
	// interval, not two.
	assert.Equal(t, 200*time.Millisecond, mustReserve(t, l, "", clk.t))
}

func TestKeyedLimiterWaitHonoursContext(t *testing.T) {
	t.Parallel()
	l := NewKeyedLimiter(rate.Every(time.Hour), 1, nil)
	require.NoError(t, l.Wait(t.Context(), ""), "the first token is free")

	// A deadline that cannot be met fails at once without waiting.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	err := l.Wait(ctx, "")
	require.ErrorIs(t, err, ErrLimiter)

	// Cancellation ends a wait.
	ctx2, cancel2 := context.WithCancel(t.Context())
	go cancel2()
	require.ErrorIs(t, l.Wait(ctx2, ""), context.Canceled)

	// An already cancelled context never waits.
	require.ErrorIs(t, l.Wait(ctx2, ""), context.Canceled)
}

func TestKeyedLimiterZeroBurstRuleRefuses(t *testing.T) {
	t.Parallel()
	l, clk := limiterAt(rate.Inf, 1, []Rule{{Prefix: "k", Limit: 0, Burst: 1}})
	assert.Zero(t, mustReserve(t, l, "k1", clk.t))
	d := mustReserve(t, l, "k1", clk.t)
	assert.Greater(t, d, 24*time.Hour, "a zero rate never refills")
}

func TestKeyedLimiterEvictsIdleKeys(t *testing.T) {
	t.Parallel()
	l, clk := limiterAt(rate.Inf, 1, []Rule{{Prefix: "", Limit: rate.Inf, Burst: 1}}, WithIdleTTL(time.Minute))
	for i := range 100 {
		require.NoError(t, l.Wait(t.Context(), "k"+string(rune('a'+i%26))+string(rune('a'+i/26))))
	}
	assert.Equal(t, 100, l.Len())
	clk.advance(2 * time.Minute)
	require.NoError(t, l.Wait(t.Context(), "fresh"))
	assert.Equal(t, 1, l.Len(), "keys idle for longer than the TTL are evicted")
}

func TestNoLimit(t *testing.T) {
	t.Parallel()
	require.NoError(t, NoLimit{}.Wait(t.Context(), "x"))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, NoLimit{}.Wait(ctx, "x"), context.Canceled)
}
