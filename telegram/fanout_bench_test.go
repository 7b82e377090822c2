// FanOut of one post to many channels through the sandbox.
//
// BenchmarkFanOutDefaultLimits runs the client's real default limits
// (DefaultLimits: 30 msg/s per bot with a burst of 20, 1 msg/s per chat)
// against the emulator's real default flood control (30 msg/s with a burst
// of 30, 1 msg/s per chat with a burst of 3) on the sandbox's world clock,
// stepped together with the client's virtual clock (runStepped), so that
// 1000 channels take about a second of wall time instead of 33:
//
//	go test -run '^$' -bench 'FanOutDefaultLimits' -benchtime 1x -count 3 ./telegram/
//
// It reports the achieved rate (msgs/s of world time), its ratio to the
// 30 msg/s limit and the 429 answers counted; BenchmarkFanOutDefaultLimits
// RealTime does the same on the real clock with 120 channels (about 3.5 s
// per fan-out), where network timing plays too.
//
// BenchmarkFanOut1000 and its sweeps raise both sides to 1000 msg/s and
// more to measure the pipeline's capacity (client, transport, loopback
// HTTP, emulator) on the real clock; BenchmarkFanOut1000Unpaced measures
// its ceiling with no pacing at all. TestFanOut200ChannelsAt1000PerSecond
// is the correctness check that runs with the tests.
package telegram_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

// fanoutConcurrency is FanOutOptions.Concurrency for the fan-outs. At
// 1000 msg/s a send takes well under a millisecond on loopback, so a few
// dozen publications in flight keep the limiter's queue full; 64 also
// matches the sandbox HTTP client's idle connections per host
// (MaxIdleConnsPerHost 64), above which connections are closed after each
// request and dialled again. See BenchmarkFanOut1000Concurrency.
const fanoutConcurrency = 64

// firstFanoutChannel is the id of the first seeded channel; the others
// follow downwards.
const firstFanoutChannel int64 = -1002000000000

// channelsScenario returns the default scenario plus n channels owned by
// the default ministry, where the default bot is an administrator that may
// post, and their ids.
func channelsScenario(n int) (world.Scenario, []int64) {
	sc := mock.DefaultScenario()
	st, err := tgmock.SettingsOf(sc)
	if err != nil {
		panic(err)
	}
	rights := tgmock.AdminRights{CanPostMessages: true, CanEditMessages: true, CanDeleteMessages: true}
	ids := make([]int64, n)
	for i := range n {
		id := firstFanoutChannel - int64(i)
		ids[i] = id
		sc.Pages = append(sc.Pages, world.Page{
			Network: world.NetworkTelegram, ID: id, Kind: world.PageChannel,
			Username: fmt.Sprintf("district_news_%04d", i), Title: fmt.Sprintf("Район %d: новости", i),
			Description: "Официальный канал администрации района", OwnerOrgOID: world.DefaultMinistryOID,
			Admins: []world.PageAdmin{{PersonOID: world.DefaultChiefOID, Role: world.RoleCreator}},
			Open:   true,
		})
		st.Chats = append(st.Chats, tgmock.ChatSettings{ID: id,
			Admins: []tgmock.ChatAdmin{{BotID: tgmock.DefaultBotID, Rights: rights}}})
	}
	if err := tgmock.PutSettings(&sc, st); err != nil {
		panic(err)
	}
	return sc, ids
}

// fanoutSetup starts a sandbox with n channels and returns a client on clk
// with one Publisher per channel. With limit 0 both sides keep their
// default limits. Otherwise it sets the emulator's global flood limit to
// limit msg/s (per-chat and per-group limits as Telegram's) and paces the
// client at the same global rate with a global burst of 1, so what is
// measured is the sustained pace, not an initial burst. A stepped clk
// (steppedClock) needs a frozen world clock: frozen says so.
func fanoutSetup(tb testing.TB, n, limit int, frozen bool, clk func(*mock.Sandbox) core.Clock) (*mock.Sandbox, []social.Publisher, []int64, core.Clock) {
	tb.Helper()
	sc, ids := channelsScenario(n)
	opts := []mock.Option{mock.WithScenario(sc)}
	if frozen {
		opts = append(opts, mock.WithFrozenClock(coretest.Epoch))
	}
	sb := startSandbox(tb, opts...)
	c0 := clk(sb)
	copts := []core.Option{core.WithClock(c0)}
	if limit > 0 {
		l := sb.Telegram.Limits()
		l.GlobalPerSecond = limit
		sb.Telegram.SetLimits(l)
		lim := telegram.DefaultLimits()
		lim.Global, lim.GlobalBurst = core.PerSecond(limit), 1
		copts = append(copts, telegram.WithRateLimits(lim))
	}
	c := sandboxClient(tb, sb, copts...)
	pubs := make([]social.Publisher, n)
	for i, id := range ids {
		pubs[i] = c.Publisher(telegram.ChatIDInt(id))
	}
	return sb, pubs, ids, c0
}

func realClock(*mock.Sandbox) core.Clock { return core.SystemClock() }

func stepped(sb *mock.Sandbox) core.Clock { return steppedClock(sb) }

// checkFanout asserts that every channel holds exactly rounds messages
// with the post's text, that every send went out exactly once and that the
// emulator never answered 429.
func checkFanout(tb testing.TB, sb *mock.Sandbox, ids []int64, text string, rounds int) {
	tb.Helper()
	if n := tooMany(sb); n != 0 {
		tb.Errorf("%d answers 429", n)
	}
	sends := calls(sb, "sendmessage")
	if len(sends) != len(ids)*rounds {
		tb.Errorf("%d sendMessage requests, want %d (one per channel and round)", len(sends), len(ids)*rounds)
	}
	lost, dup := 0, 0
	for _, id := range ids {
		ms := sb.Telegram.Messages(id)
		switch {
		case len(ms) < rounds:
			lost += rounds - len(ms)
		case len(ms) > rounds:
			dup += len(ms) - rounds
		}
		for _, m := range ms {
			if m.Text != text {
				tb.Errorf("channel %d holds %q", id, m.Text)
			}
		}
	}
	if lost != 0 || dup != 0 {
		tb.Errorf("%d messages lost, %d duplicated", lost, dup)
	}
}

func checkReport(tb testing.TB, rep *social.Report, n int) {
	tb.Helper()
	if rep.Published != n || rep.Failed != 0 || rep.Unknown != 0 {
		for _, r := range rep.Results {
			if r.Outcome != social.Published {
				tb.Fatalf("published %d/%d, failed %d, unknown %d; first problem: %s: %s",
					rep.Published, n, rep.Failed, rep.Unknown, r.Page.ID, r.Reason)
			}
		}
	}
}

// TestFanOut200ChannelsAt1000PerSecond checks correctness (not timing):
// 200 channels at 1000 msg/s, zero 429, nothing lost or duplicated.
func TestFanOut200ChannelsAt1000PerSecond(t *testing.T) {
	t.Parallel()
	const n = 200
	sb, pubs, ids, clk := fanoutSetup(t, n, 1000, true, stepped)
	post := social.Post{Text: "Плановое отключение электроэнергии 12 декабря"}
	var rep *social.Report
	took := runStepped(t, sb, clk.(*coretest.Clock), "sendmessage", n, fanoutConcurrency, func() {
		rep = social.FanOutOptions{Concurrency: fanoutConcurrency}.Run(t.Context(), post, pubs...)
	})
	assert.InDelta(t, float64(n-1)/1000, took.Seconds(), 0.002, "paced at 1000/s with a burst of 1")
	checkReport(t, rep, n)
	for i, r := range rep.Results {
		if r.Page.ID != strconv.FormatInt(ids[i], 10) {
			t.Fatalf("result %d is for page %s, want %d", i, r.Page.ID, ids[i])
		}
		if r.Receipt.PostID != "1" || r.Receipt.URL != fmt.Sprintf("https://t.me/district_news_%04d/1", i) {
			t.Fatalf("result %d: receipt %+v", i, r.Receipt)
		}
	}
	checkFanout(t, sb, ids, post.Text, 1)
}

// BenchmarkFanOutDefaultLimits publishes one post to 1000 channels per
// iteration with both sides' default limits, on the stepped world clock.
func BenchmarkFanOutDefaultLimits(b *testing.B) {
	const n = 1000
	limit := telegram.DefaultLimits().Global.PerSecond()
	var world time.Duration
	var tooManyAnswers int
	for range b.N {
		b.StopTimer()
		sb, pubs, ids, clk := fanoutSetup(b, n, 0, true, stepped)
		post := social.Post{Text: "Плановое отключение электроэнергии 12 декабря"}
		b.StartTimer()
		world += runStepped(b, sb, clk.(*coretest.Clock), "sendmessage", n, fanoutConcurrency, func() {
			checkReport(b, social.FanOutOptions{Concurrency: fanoutConcurrency}.Run(b.Context(), post, pubs...), n)
		})
		b.StopTimer()
		tooManyAnswers += tooMany(sb)
		checkFanout(b, sb, ids, post.Text, 1)
	}
	reportPace(b, n, world, limit)
	b.ReportMetric(float64(tooManyAnswers)/float64(b.N), "429s/op")
}

// BenchmarkFanOutDefaultLimitsRealTime is BenchmarkFanOutDefaultLimits on
// the real clock with 120 channels.
func BenchmarkFanOutDefaultLimitsRealTime(b *testing.B) {
	const n = 120
	limit := telegram.DefaultLimits().Global.PerSecond()
	var wall time.Duration
	var tooManyAnswers int
	for range b.N {
		b.StopTimer()
		sb, pubs, ids, _ := fanoutSetup(b, n, 0, false, realClock)
		post := social.Post{Text: "Плановое отключение электроэнергии 12 декабря"}
		b.StartTimer()
		start := time.Now()
		checkReport(b, social.FanOutOptions{Concurrency: fanoutConcurrency}.Run(b.Context(), post, pubs...), n)
		wall += time.Since(start)
		b.StopTimer()
		tooManyAnswers += tooMany(sb)
		checkFanout(b, sb, ids, post.Text, 1)
	}
	reportPace(b, n, wall, limit)
	b.ReportMetric(float64(tooManyAnswers)/float64(b.N), "429s/op")
}

// reportPace reports the achieved rate of b.N fan-outs of n messages that
// took elapsed in total, and its ratio to limit: overall, and sustained
// (the messages after the client's initial global burst, over the same
// time), which is 1.000 for a client that keeps exactly to the limit.
func reportPace(b *testing.B, n int, elapsed time.Duration, limit float64) {
	burst := telegram.DefaultLimits().GlobalBurst
	r := float64(n*b.N) / elapsed.Seconds()
	b.ReportMetric(r, "msgs/s")
	b.ReportMetric(r/limit, "ratio")
	b.ReportMetric(float64((n-burst)*b.N)/elapsed.Seconds()/limit, "sustained-ratio")
}

func runFanOutBenchmark(b *testing.B, n, limit, concurrency int) {
	sb, pubs, ids, _ := fanoutSetup(b, n, limit, false, realClock)
	post := social.Post{Text: "Плановое отключение электроэнергии 12 декабря"}
	opts := social.FanOutOptions{Concurrency: concurrency}
	ctx := b.Context()
	var (
		wall time.Duration
		sent int
	)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		rep := opts.Run(ctx, post, pubs...)
		wall += time.Since(start)
		checkReport(b, rep, n)
		sent += rep.Published
	}
	b.StopTimer()
	r := float64(sent) / wall.Seconds()
	b.ReportMetric(r, "msgs/s")
	b.ReportMetric(r/float64(limit), "ratio")
	b.ReportMetric(float64(tooMany(sb)), "429s")
	checkFanout(b, sb, ids, post.Text, b.N)
}

// BenchmarkFanOut1000 publishes one post to 1000 channels per iteration at
// the emulator's global limit of 1000 msg/s.
func BenchmarkFanOut1000(b *testing.B) {
	runFanOutBenchmark(b, 1000, 1000, fanoutConcurrency)
}

// BenchmarkFanOut1000Concurrency sweeps FanOutOptions.Concurrency.
func BenchmarkFanOut1000Concurrency(b *testing.B) {
	for _, c := range []int{8, 16, 32, 64, 128, 256} {
		b.Run("c="+strconv.Itoa(c), func(b *testing.B) { runFanOutBenchmark(b, 1000, 1000, c) })
	}
}

// BenchmarkFanOutLimitSweep raises the global limit (and the number of
// channels with it, so that one fan-out still lasts about a second and no
// channel gets a second message within its per-chat window) to find where
// the pipeline stops keeping up with the pace.
func BenchmarkFanOutLimitSweep(b *testing.B) {
	for _, limit := range []int{2000, 5000, 10000, 20000} {
		b.Run("limit="+strconv.Itoa(limit), func(b *testing.B) { runFanOutBenchmark(b, limit, limit, fanoutConcurrency) })
	}
}

// BenchmarkFanOut1000Unpaced measures the ceiling of the whole path
// (client, transport, loopback HTTP, emulator) with no pacing at all: the
// client's limiter and the emulator's flood control are both off.
func BenchmarkFanOut1000Unpaced(b *testing.B) {
	for _, c := range []int{8, 64, 256} {
		b.Run("c="+strconv.Itoa(c), func(b *testing.B) {
			const n = 1000
			sc, ids := channelsScenario(n)
			sb := startSandbox(b, mock.WithScenario(sc))
			sb.Telegram.SetLimits(tgmock.Limits{Disabled: true})
			cl := sandboxClient(b, sb, telegram.WithoutRateLimits(), core.WithClock(core.SystemClock()))
			pubs := make([]social.Publisher, n)
			for i, id := range ids {
				pubs[i] = cl.Publisher(telegram.ChatIDInt(id))
			}
			post := social.Post{Text: "Плановое отключение электроэнергии 12 декабря"}
			opts := social.FanOutOptions{Concurrency: c}
			var wall time.Duration
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				rep := opts.Run(b.Context(), post, pubs...)
				wall += time.Since(start)
				checkReport(b, rep, n)
			}
			b.StopTimer()
			b.ReportMetric(float64(n*b.N)/wall.Seconds(), "msgs/s")
			checkFanout(b, sb, ids, post.Text, b.N)
		})
	}
}
