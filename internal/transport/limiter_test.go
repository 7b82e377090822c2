package transport

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

func TestKeyedLimiterPerKeyRules(t *testing.T) {
	t.Parallel()
	// 1 per 100 ms per chat, burst 1; no global limit.
	l := NewKeyedLimiter(rate.Inf, 1, []Rule{{Prefix: "chat:", Limit: rate.Every(100 * time.Millisecond), Burst: 1}})
	ctx := t.Context()
	start := time.Now()
	require.NoError(t, l.Wait(ctx, "chat:1"))
	require.NoError(t, l.Wait(ctx, "chat:2")) // another key: own bucket, no wait
	assert.Less(t, time.Since(start), 50*time.Millisecond)
	require.NoError(t, l.Wait(ctx, "chat:1")) // same key: waits ~100 ms
	assert.GreaterOrEqual(t, time.Since(start), 90*time.Millisecond)
	// Keys matching no rule only spend the global bucket.
	require.NoError(t, l.Wait(ctx, "other"))
	assert.Equal(t, 3, l.Len())
}

func TestKeyedLimiterStackedRules(t *testing.T) {
	t.Parallel()
	// A group key spends a 1/s-like bucket and a 2-per-window bucket.
	l := NewKeyedLimiter(rate.Inf, 1, []Rule{
		{Prefix: "group:", Limit: rate.Inf, Burst: 1},
		{Prefix: "group:", Limit: rate.Every(time.Hour), Burst: 2},
	})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	require.NoError(t, l.Wait(ctx, "group:9"))
	require.NoError(t, l.Wait(ctx, "group:9"))
	err := l.Wait(ctx, "group:9") // third within the hour: would wait ~1h
	require.ErrorIs(t, err, ErrLimiter)
}

func TestKeyedLimiterGlobalBucket(t *testing.T) {
	t.Parallel()
	l := NewKeyedLimiter(rate.Every(50*time.Millisecond), 1, nil)
	start := time.Now()
	for range 3 {
		require.NoError(t, l.Wait(t.Context(), ""))
	}
	assert.GreaterOrEqual(t, time.Since(start), 95*time.Millisecond)
}

func TestKeyedLimiterCancelReturnsTokens(t *testing.T) {
	t.Parallel()
	l := NewKeyedLimiter(rate.Every(200*time.Millisecond), 1, nil)
	require.NoError(t, l.Wait(t.Context(), "")) // bucket now empty
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Add(1)
	var err error
	go func() { defer wg.Done(); err = l.Wait(ctx, "") }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	wg.Wait()
	require.ErrorIs(t, err, context.Canceled)
	// The cancelled reservation was given back: the next wait is ~200 ms
	// after the first, not ~400 ms.
	start := time.Now()
	require.NoError(t, l.Wait(t.Context(), ""))
	assert.Less(t, time.Since(start), 300*time.Millisecond)
}

func TestKeyedLimiterEvictsIdleKeys(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	l := NewKeyedLimiter(rate.Inf, 1, []Rule{{Prefix: "", Limit: rate.Inf, Burst: 1}}, WithIdleTTL(time.Minute))
	l.now = func() time.Time { return now }
	for i := range 100 {
		require.NoError(t, l.Wait(t.Context(), "k"+string(rune('a'+i%26))+string(rune('a'+i/26))))
	}
	assert.Equal(t, 100, l.Len())
	now = now.Add(2 * time.Minute)
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
