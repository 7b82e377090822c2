package tgmock_test

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// heapMiB returns the live heap after a full collection.
func heapMiB() float64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// fillChats stores total messages spread evenly over chats private chats
// of the default bot (people 1..chats write to it). The bot does not read
// its updates, so its queue stays full.
func fillChats(b *testing.B, srv *tgmock.Server, chats, total int) {
	botID := tgmock.DefaultBotID
	text := "Новость министерства №"
	for i := 0; i < total; i++ {
		user := int64(100000 + i%chats)
		if _, err := srv.WriteToBot(botID, user, text+strconv.Itoa(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMessageMemory stores messages in many chats and reports the live
// heap after GC ("heap-MiB") against the documented bound ("bound-MiB":
// [world.DefaultMessageLimit] stored messages plus the bot's
// [tgmock.DefaultQueueLimit] queued updates, 512 bytes each for a short
// text, plus 16 MiB for the world, chats, indexes and runtime). "ratio" is
// heap-MiB / bound-MiB and must stay below 1. The unbounded case (no limit
// across chats, as before the world's ring) is the baseline: its heap grows
// with the messages.
func BenchmarkMessageMemory(b *testing.B) {
	const boundMiB = float64(world.DefaultMessageLimit+tgmock.DefaultQueueLimit)/2048 + 16
	for _, tc := range []struct {
		name          string
		chats, total  int
		opts          []world.Option
		checkTheBound bool
	}{
		{"unbounded-300k-msgs-1k-chats", 1000, 300000, []world.Option{world.WithMessageLimit(1 << 30)}, false},
		{"default-1M-msgs-10k-chats", 10000, 1000000, nil, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				base := heapMiB()
				w, err := world.New(tc.opts...)
				if err != nil {
					b.Fatal(err)
				}
				srv := tgmock.New(w, tgmock.WithoutLimits())
				fillChats(b, srv, tc.chats, tc.total)
				heap := heapMiB() - base
				b.ReportMetric(heap, "heap-MiB")
				b.ReportMetric(boundMiB, "bound-MiB")
				b.ReportMetric(heap/boundMiB, "ratio")
				if tc.checkTheBound && heap > boundMiB {
					b.Errorf("heap %.1f MiB over the documented bound %.1f MiB", heap, boundMiB)
				}
				runtime.KeepAlive(srv)
				_ = srv.Close()
			}
		})
	}
}

// BenchmarkJournalMemory records 1 000 000 sendMessage-shaped entries and
// reports the live heap after GC against the documented bound:
// [world.DefaultJournalLimit] entries of at most 1 KiB each.
func BenchmarkJournalMemory(b *testing.B) {
	const boundMiB = float64(world.DefaultJournalLimit) / 1024
	for b.Loop() {
		base := heapMiB()
		j := world.NewJournal(0)
		for i := 0; i < 1000000; i++ {
			j.Record(world.Entry{Party: tgmock.Party, Method: "sendmessage", Tenant: "bot7000000001", Token: "7000000001~0a1b2c3d",
				Status: 200, Params: map[string]string{"chat_id": "-1001000000001", "text": "Новость министерства №" + strconv.Itoa(i)}})
		}
		heap := heapMiB() - base
		b.ReportMetric(heap, "heap-MiB")
		b.ReportMetric(boundMiB, "bound-MiB")
		b.ReportMetric(heap/boundMiB, "ratio")
		if heap > boundMiB {
			b.Errorf("heap %.1f MiB over the documented bound %.1f MiB", heap, boundMiB)
		}
		runtime.KeepAlive(j)
	}
}
