// FanOut of one post to 200 OK groups through the sandbox.
//
// The client's default pacing (DefaultRate: 5 calls a second per access
// token, burst 5) runs on a virtual clock stepped together with the
// sandbox's frozen world clock (runStepped), so a fan-out that takes 40 or
// 80 seconds of world time runs in a fraction of a second of wall time,
// and the emulator sees every call at the instant the pacing released it:
//
//	go test -run '^$' -bench 'FanOut200Groups' -benchmem -benchtime 3x ./ok/
//
// Each benchmark reports the achieved call rate on the world clock, its
// ratio to DefaultRatePerSecond overall and sustained (after the initial
// burst), and topics a second; the wall time per fan-out is ns/op.
// BenchmarkFanOut200GroupsUnpaced measures the whole path (client,
// loopback HTTP, emulator) with the pacing off, on the real clock.
// TestFanOut200GroupsThroughTheEmulator is the correctness check that runs
// with the tests: every group holds exactly one topic.
package ok_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/social"
)

// firstFanoutGroup is the id of the first seeded group; the others follow.
const firstFanoutGroup int64 = 70000000100000

// fanoutConcurrency is FanOutOptions.Concurrency of the fan-outs.
const fanoutConcurrency = 8

// groupsScenario returns the default scenario plus n open OK groups run by
// the ministry, whose ADMIN is the chief (the sandbox token's person).
func groupsScenario(n int) (world.Scenario, []int64) {
	sc := mock.DefaultScenario()
	ids := make([]int64, n)
	for i := range n {
		id := firstFanoutGroup + int64(i)
		ids[i] = id
		sc.Pages = append(sc.Pages, world.Page{
			Network: world.NetworkOK, ID: id, Kind: world.PageGroup,
			Title: fmt.Sprintf("Администрация района %d", i), Description: "Официальная группа администрации района",
			OwnerOrgOID: world.DefaultMinistryOID, City: "Архангельск", Topic: okmock.CategoryGov, Open: true,
			Admins: []world.PageAdmin{{PersonOID: world.DefaultChiefOID, Role: world.OKRoleAdmin}},
		})
	}
	return sc, ids
}

// fanoutSetup starts a frozen sandbox with n groups and returns one
// Publisher per group from a client with the default pacing on a virtual
// clock standing at the world time.
func fanoutSetup(tb testing.TB, n int, opts ...core.Option) (*mock.Sandbox, []social.Publisher, []int64, *coretest.Clock) {
	tb.Helper()
	sc, ids := groupsScenario(n)
	sb := startOK(tb, mock.WithScenario(sc), mock.WithFrozenClock(coretest.Epoch))
	clk := coretest.NewClock(sb.Clock.Now())
	c := sbClient(tb, sb, sbCredentials(sb), append([]core.Option{core.WithClock(clk)}, opts...)...)
	pubs := make([]social.Publisher, n)
	for i, id := range ids {
		pubs[i] = c.Publisher(strconv.FormatInt(id, 10))
	}
	return sb, pubs, ids, clk
}

// runStepped runs a fan-out of n pages with at most conc in flight while it
// steps the client's virtual clock clk and the sandbox's frozen world clock
// together: whenever every publication still running waits on a timer
// (the pacing), both clocks jump to the earliest timer. Nothing sleeps.
// run receives the Progress callback to pass to FanOutOptions. It returns
// the virtual time the fan-out took.
func runStepped(tb testing.TB, sb *mock.Sandbox, clk *coretest.Clock, n, conc int, run func(progress func(social.Progress))) time.Duration {
	tb.Helper()
	start := clk.Now()
	finished := make(chan struct{}, n)
	done := make(chan struct{})
	go func() {
		defer close(done)
		run(func(social.Progress) { finished <- struct{}{} })
	}()
	ended := 0
	for {
		if active := min(conc, n-ended); active > 0 && clk.Pending() >= active {
			at, _ := clk.Next()
			sb.Clock.Set(at) // the emulator's time first, then release
			clk.Set(at)
			continue
		}
		select {
		case <-done:
			return clk.Since(start)
		case <-finished:
			ended++
		case <-clk.Changed():
		case <-tb.Context().Done():
			tb.Fatal("fan-out did not finish")
		}
	}
}

// checkGroups asserts that every group holds exactly one topic with the
// post's text (and photo, when withPhoto), that every call reached the
// emulator once and that none failed.
func checkGroups(tb testing.TB, sb *mock.Sandbox, ids []int64, text string, withPhoto bool) {
	tb.Helper()
	byGroup := map[int64]int{}
	for _, tp := range sb.OK.Topics(0) {
		byGroup[tp.GroupID]++
		var gotText, gotPhoto bool
		for _, m := range tp.Media {
			gotText = gotText || (m.Type == ok.MediaText && m.Text == text)
			gotPhoto = gotPhoto || (m.Type == ok.MediaPhoto && len(m.PhotoIDs) == 1)
		}
		if !gotText || gotPhoto != withPhoto || !tp.OnBehalfOfGroup {
			tb.Errorf("group %d holds topic %+v", tp.GroupID, tp)
		}
	}
	lost, dup := 0, 0
	for _, id := range ids {
		switch k := byGroup[id]; {
		case k == 0:
			lost++
		case k > 1:
			dup += k - 1
		}
	}
	if lost != 0 || dup != 0 || len(byGroup) != len(ids) {
		tb.Errorf("%d groups without their topic, %d duplicate topics, %d groups with topics (want %d)", lost, dup, len(byGroup), len(ids))
	}
	if k := len(sbCalls(sb, "mediatopic.post")); k != len(ids) {
		tb.Errorf("%d mediatopic.post calls, want %d", k, len(ids))
	}
	if withPhoto {
		if k := len(sbCalls(sb, "photosv2.getuploadurl")); k != len(ids) {
			tb.Errorf("%d photosV2.getUploadUrl calls, want %d", k, len(ids))
		}
	}
	for _, e := range sb.Journal.Entries(world.Filter{Party: okmock.PartyName}) {
		if e.Code != 0 || e.Status != 200 {
			tb.Errorf("%s answered %d (HTTP %d)", e.Method, e.Code, e.Status)
		}
	}
}

func checkPublished(tb testing.TB, rep *social.Report, n int) {
	tb.Helper()
	if rep.Published == n && rep.Failed == 0 && rep.Unknown == 0 {
		return
	}
	for _, r := range rep.Results {
		if r.Outcome != social.Published {
			tb.Fatalf("published %d/%d, failed %d, unknown %d; first problem: %s: %s",
				rep.Published, n, rep.Failed, rep.Unknown, r.Page.ID, r.Reason)
		}
	}
}

// apiCalls counts the paced API calls of the fan-out (uploads to the
// upload URL spend no limiter token).
func apiCalls(sb *mock.Sandbox) int {
	k := 0
	for _, e := range sb.Journal.Entries(world.Filter{Party: okmock.PartyName}) {
		if !strings.HasPrefix(e.Method, "upload.") {
			k++
		}
	}
	return k
}

const fanoutText = "Плановое отключение электроэнергии 12 декабря"

func fanoutPost(tb testing.TB, photo bool) social.Post {
	post := social.Post{Text: fanoutText}
	if photo {
		post.Media = []social.Media{{Kind: social.Photo, Filename: "schedule.png", ContentType: "image/png", Data: tinyPNG(tb)}}
	}
	return post
}

// TestFanOut200GroupsThroughTheEmulator: a post with one photo to 200
// groups at the default pacing; each group holds exactly one topic, and the
// fan-out took the world time the pacing dictates.
func TestFanOut200GroupsThroughTheEmulator(t *testing.T) {
	const n = 200
	sb, pubs, ids, clk := fanoutSetup(t, n)
	var rep *social.Report
	took := runStepped(t, sb, clk, n, fanoutConcurrency, func(progress func(social.Progress)) {
		rep = social.FanOutOptions{Concurrency: fanoutConcurrency, Progress: progress, Clock: clk}.Run(t.Context(), fanoutPost(t, true), pubs...)
	})
	checkPublished(t, rep, n)
	for i, r := range rep.Results {
		require.Equal(t, strconv.FormatInt(ids[i], 10), r.Page.ID, "result %d", i)
		require.NotEmpty(t, r.Receipt.PostID)
	}
	checkGroups(t, sb, ids, fanoutText, true)
	// 400 paced calls (an upload URL and a topic per group) at 5 a second
	// after a burst of 5.
	calls := apiCalls(sb)
	require.Equal(t, 2*n, calls)
	want := time.Duration(float64(calls-ok.DefaultBurst) / ok.DefaultRatePerSecond * float64(time.Second))
	assert.InDelta(t, want.Seconds(), took.Seconds(), 0.25, "paced at the default rate")
	assert.Equal(t, took, sb.Clock.Now().Sub(coretest.Epoch), "the world clock moved with the client's")
}

// BenchmarkFanOut200Groups publishes one post to 200 groups per iteration
// at the client's default pacing, on the stepped world clock: text only
// (one mediatopic.post per group) and with one photo (photosV2.getUploadUrl,
// the upload, then mediatopic.post).
func BenchmarkFanOut200Groups(b *testing.B) {
	const n = 200
	for _, photo := range []bool{false, true} {
		name := "text"
		if photo {
			name = "photo"
		}
		b.Run(name, func(b *testing.B) {
			var worldTime time.Duration
			var calls, topics int
			for range b.N {
				b.StopTimer()
				sb, pubs, ids, clk := fanoutSetup(b, n)
				post := fanoutPost(b, photo)
				b.StartTimer()
				var rep *social.Report
				worldTime += runStepped(b, sb, clk, n, fanoutConcurrency, func(progress func(social.Progress)) {
					rep = social.FanOutOptions{Concurrency: fanoutConcurrency, Progress: progress, Clock: clk}.Run(b.Context(), post, pubs...)
				})
				b.StopTimer()
				checkPublished(b, rep, n)
				checkGroups(b, sb, ids, fanoutText, photo)
				calls += apiCalls(sb)
				topics += n
			}
			r := float64(calls) / worldTime.Seconds()
			b.ReportMetric(r, "calls/s")
			b.ReportMetric(r/ok.DefaultRatePerSecond, "ratio")
			b.ReportMetric(float64(calls-ok.DefaultBurst*b.N)/worldTime.Seconds()/ok.DefaultRatePerSecond, "sustained-ratio")
			b.ReportMetric(float64(topics)/worldTime.Seconds(), "topics/s")
			b.ReportMetric(worldTime.Seconds()/float64(b.N), "world-s/op")
		})
	}
}

// BenchmarkFanOut200GroupsUnpaced measures the whole path with the pacing
// off (core.WithLimiter(nil)) on the real clock: topics a second through
// the client, loopback HTTP and the emulator.
func BenchmarkFanOut200GroupsUnpaced(b *testing.B) {
	const n = 200
	for _, photo := range []bool{false, true} {
		name := "text"
		if photo {
			name = "photo"
		}
		b.Run(name, func(b *testing.B) {
			sc, ids := groupsScenario(n)
			sb := startOK(b, mock.WithScenario(sc))
			c := sbClient(b, sb, sbCredentials(sb), core.WithLimiter(nil), core.WithClock(core.SystemClock()))
			pubs := make([]social.Publisher, n)
			for i, id := range ids {
				pubs[i] = c.Publisher(strconv.FormatInt(id, 10))
			}
			post := fanoutPost(b, photo)
			opts := social.FanOutOptions{Concurrency: fanoutConcurrency}
			var wall time.Duration
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				checkPublished(b, opts.Run(b.Context(), post, pubs...), n)
				wall += time.Since(start)
			}
			b.StopTimer()
			b.ReportMetric(float64(n*b.N)/wall.Seconds(), "topics/s")
			byGroup := map[int64]int{}
			for _, tp := range sb.OK.Topics(0) {
				byGroup[tp.GroupID]++
			}
			for _, id := range ids {
				if byGroup[id] != b.N {
					b.Fatalf("group %d holds %d topics after %d fan-outs", id, byGroup[id], b.N)
				}
			}
		})
	}
}
