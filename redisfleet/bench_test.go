package redisfleet_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/redisfleet"
	"github.com/gospubliki/gosdk/redisfleet/internal/redistest"
	"github.com/gospubliki/gosdk/telegram"
)

// benchKeys are the keys of one Telegram send: the bot and one of 1000
// chats, so that no bucket makes the decision wait.
func benchKeys(i int) []string {
	fp := core.Fingerprint("123:bench")
	return []string{core.LimitKey("telegram", "bot", fp, ""), core.LimitKey("telegram", "chat", fp, strconv.Itoa(i%1000))}
}

func benchConfig() core.KeyedLimiterConfig {
	// Telegram's rules at rates no decision waits on: what is measured is
	// the decision, not the pacing.
	l := telegram.DefaultLimits()
	l.Global, l.GlobalBurst = core.PerSecond(1_000_000_000), 1_000_000
	l.PerChat, l.PerChatBurst = core.PerSecond(1_000_000), 1_000_000
	return telegram.LimiterConfig(l)
}

// BenchmarkDecision compares one limiter decision (a Telegram send: bot
// and chat buckets) in process and on Redis over loopback, in one run:
//
//	go test -run '^$' -bench 'Decision' -benchmem ./redisfleet/
func BenchmarkDecision(b *testing.B) {
	b.Run("InProcess", func(b *testing.B) {
		l := core.NewKeyedLimiter(benchConfig())
		ctx := context.Background()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := l.WaitKeys(ctx, benchKeys(i)...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Redis", func(b *testing.B) {
		l := redisfleet.NewLimiter(redistest.Shared(b).Client(b), redisfleet.LimiterConfig{Rules: benchConfig(), Prefix: "bench:"})
		ctx := context.Background()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := l.WaitKeys(ctx, benchKeys(i)...); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Parallel callers (many replicas' goroutines) on one Redis: the
	// decisions per second it sustains.
	b.Run("RedisParallel", func(b *testing.B) {
		l := redisfleet.NewLimiter(redistest.Shared(b).Client(b), redisfleet.LimiterConfig{Rules: benchConfig(), Prefix: "benchp:"})
		b.ReportAllocs()
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			ctx := context.Background()
			i := 0
			for pb.Next() {
				if err := l.WaitKeys(ctx, benchKeys(i)...); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
	})
}
