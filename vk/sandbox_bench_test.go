// The vk client at scale against the sandbox's VK emulator, at VK's real
// limits (3 requests a second for a user token, on the world clock):
//
//	go test -run '^$' -bench 'CheckCommunities1000|FanOut200Communities' -benchmem -benchtime 1x ./vk/
//
// The client's pacing runs on a virtual clock stepped together with the
// sandbox's frozen world clock, so minutes of world time run in a second
// or two of wall time, and the emulator's flood control sees every call at
// the instant the pacing released it.
package vk_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/vk"
)

// firstCommunity is the id of the first seeded community; the others follow.
const firstCommunity int64 = 300000000

// userRate is VK's rate of a user token, requests a second.
const userRate = 3

// communitiesScenario is the default scenario plus n open communities of
// the ministry whose creator is the chief (the sandbox's user token).
func communitiesScenario(tb testing.TB, n int) (world.Scenario, []int64) {
	tb.Helper()
	sc := mock.DefaultScenario()
	st, err := vkmock.SettingsOf(sc)
	require.NoError(tb, err)
	ids := make([]int64, n)
	for i := range n {
		id := firstCommunity + int64(i)
		ids[i] = id
		sc.Pages = append(sc.Pages, world.Page{
			Network: world.NetworkVK, ID: id, Kind: world.PagePublic, Username: fmt.Sprintf("district%d", i),
			Title: fmt.Sprintf("Администрация района %d", i), Description: "Официальная страница администрации района",
			PhotoURL: "https://district.example/logo.png", OwnerOrgOID: world.DefaultMinistryOID, City: "Архангельск", Open: true,
			Admins: []world.PageAdmin{{PersonOID: world.DefaultChiefOID, Role: world.RoleCreator}},
		})
		st.Communities = append(st.Communities, vkmock.Community{ID: id, PublicCategory: vkmock.GovCategoryID})
	}
	require.NoError(tb, vkmock.PutSettings(&sc, st))
	return sc, ids
}

// countingTransport counts the requests in flight and in total.
type countingTransport struct {
	next            http.RoundTripper
	inflight, total atomic.Int64
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.inflight.Add(1)
	t.total.Add(1)
	defer t.inflight.Add(-1)
	return t.next.RoundTrip(r)
}

// sandboxRig is a frozen sandbox with n communities and a user-token
// client at the default limits on a virtual clock at the world time.
type sandboxRig struct {
	sb  *mock.Sandbox
	clk *coretest.Clock
	c   *vk.Client
	tr  *countingTransport
	ids []int64
}

func newRig(tb testing.TB, n int, opts ...core.Option) *sandboxRig {
	tb.Helper()
	sc, ids := communitiesScenario(tb, n)
	sb := mock.Start(tb, mock.WithParties("vk"), mock.WithScenario(sc), mock.WithFrozenClock(coretest.Epoch))
	clk := coretest.NewClock(sb.Clock.Now())
	hc := *sb.HTTPClient()
	tr := &countingTransport{next: hc.Transport}
	if tr.next == nil {
		tr.next = http.DefaultTransport
	}
	hc.Transport = tr
	// The limiter waits inside the HTTP client's round trip, so its
	// Timeout would bound the pacing too: minutes of world time pass here.
	hc.Timeout = 0
	base := []core.Option{core.WithBaseURL(sb.VKURL), core.WithHTTPClient(&hc), core.WithClock(clk)}
	c, err := vk.New(sb.Credentials.VK.UserToken, vk.UserToken, append(base, opts...)...)
	require.NoError(tb, err)
	return &sandboxRig{sb: sb, clk: clk, c: c, tr: tr, ids: ids}
}

// step moves the client's clock and the world clock to the earliest timer.
func (r *sandboxRig) step() {
	if at, ok := r.clk.Next(); ok {
		r.sb.Clock.Set(at) // the emulator's time first, then release
		r.clk.Set(at)
	}
}

// runQuiet runs f while stepping both clocks whenever no request is in
// flight and the timers pending stayed the same over many scheduler
// yields (every goroutine waits on the clock). Nothing sleeps.
func (r *sandboxRig) runQuiet(tb testing.TB, f func()) time.Duration {
	tb.Helper()
	start := r.clk.Now()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	last, stall := -1, 0
	for {
		select {
		case <-done:
			return r.clk.Since(start)
		case <-tb.Context().Done():
			tb.Fatal("did not finish")
		default:
		}
		p := r.clk.Pending()
		switch {
		case p == 0 || r.tr.inflight.Load() != 0 || p != last:
			last, stall = p, 0
		case stall < 500:
			stall++
		default:
			r.step()
			last, stall = -1, 0
		}
		runtime.Gosched()
	}
}

// runStepped runs a fan-out of n pages with at most conc in flight,
// stepping both clocks whenever every publication still running waits on a
// timer (the pacing). progress is to be passed to FanOutOptions.
func (r *sandboxRig) runStepped(tb testing.TB, n, conc int, run func(progress func(social.Progress))) time.Duration {
	tb.Helper()
	start := r.clk.Now()
	finished := make(chan struct{}, n)
	done := make(chan struct{})
	go func() {
		defer close(done)
		run(func(social.Progress) { finished <- struct{}{} })
	}()
	ended := 0
	for {
		if active := min(conc, n-ended); active > 0 && r.clk.Pending() >= active {
			r.step()
			continue
		}
		select {
		case <-done:
			return r.clk.Since(start)
		case <-finished:
			ended++
		case <-r.clk.Changed():
		case <-tb.Context().Done():
			tb.Fatal("fan-out did not finish")
		}
	}
}

// journal counts the emulator's answers: requests, error 6 answers, and
// requests per method.
func (r *sandboxRig) journal() (total, flood int, byMethod map[string]int) {
	byMethod = map[string]int{}
	for _, e := range r.sb.Journal.Entries(world.Filter{Party: vkmock.Party}) {
		total++
		byMethod[e.Method]++
		if e.Code == vk.CodeTooManyRequests {
			flood++
		}
	}
	return total, flood, byMethod
}

// BenchmarkCheckCommunities1000 builds the requirement reports of 1 000
// communities with and without batching, at VK's limits, and reports the
// HTTP requests, the world time they took and the requests a second.
func BenchmarkCheckCommunities1000(b *testing.B) {
	const n = 1000
	var plainReqs float64
	for _, batched := range []bool{false, true} {
		// 2 000 calls at 3 a second take 11 minutes of world time: more
		// than the default bound of a call (60 s), which the limiter
		// judges before it waits.
		name, opts := "plain", []core.Option{core.WithDefaultTimeout(0)}
		if batched {
			name, opts = "batched", append(opts, vk.WithBatching(vk.BatchOptions{Window: batchWindow}))
		}
		b.Run(name, func(b *testing.B) {
			var reqs, flood int
			var worldTime time.Duration
			for range b.N {
				b.StopTimer()
				r := newRig(b, n, opts...)
				b.StartTimer()
				var reps []*vk.CommunityReport
				var err error
				worldTime += r.runQuiet(b, func() { reps, err = r.c.CheckCommunities(b.Context(), r.ids) })
				b.StopTimer()
				require.NoError(b, err)
				for i, rep := range reps {
					require.NotNil(b, rep, "report %d", i)
					cat, _ := rep.Requirements.Find(social.ReqCategoryGovernment)
					require.True(b, cat.Met(), "report %d: %+v", i, cat)
				}
				t, f, byMethod := r.journal()
				b.Logf("%s: %v", name, byMethod)
				reqs += t
				flood += f
			}
			per := float64(reqs) / float64(b.N)
			b.ReportMetric(per, "requests/op")
			b.ReportMetric(float64(flood)/float64(b.N), "error6/op")
			b.ReportMetric(worldTime.Seconds()/float64(b.N), "world-s/op")
			if batched && plainReqs > 0 {
				b.ReportMetric(per/plainReqs, "requests-vs-plain")
			} else {
				plainReqs = per
			}
		})
	}
}

func benchPNG(tb testing.TB) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for y := range 16 {
		for x := range 16 {
			img.Set(x, y, color.RGBA{R: uint8(x * 16), G: 0x66, B: 0xb3, A: 0xff})
		}
	}
	var b bytes.Buffer
	require.NoError(tb, png.Encode(&b, img))
	return b.Bytes()
}

const fanoutText = "Плановое отключение электроэнергии 12 декабря"

const fanoutConcurrency = 8

func fanoutPost(tb testing.TB, photo bool) social.Post {
	post := social.Post{Key: "outage-12-12", Text: fanoutText}
	if photo {
		post.Media = []social.Media{{Kind: social.Photo, Filename: "schedule.png", ContentType: "image/png", Data: benchPNG(tb)}}
	}
	return post
}

// fanOut publishes post to every community of r through one user token.
func (r *sandboxRig) fanOut(tb testing.TB, post social.Post) (*social.Report, time.Duration) {
	tb.Helper()
	pubs := make([]social.Publisher, len(r.ids))
	for i, id := range r.ids {
		p, err := vk.NewPublisher(r.c, id, vk.PublisherOptions{})
		require.NoError(tb, err)
		pubs[i] = p
	}
	var rep *social.Report
	took := r.runStepped(tb, len(pubs), fanoutConcurrency, func(progress func(social.Progress)) {
		rep = social.FanOutOptions{Concurrency: fanoutConcurrency, Progress: progress, Clock: r.clk}.Run(context.Background(), post, pubs...)
	})
	return rep, took
}

// checkFanOut asserts that every community holds exactly one post with the
// text (and one photo), that every publication succeeded and that no
// error 6 answer was met.
func (r *sandboxRig) checkFanOut(tb testing.TB, rep *social.Report, photo bool) {
	tb.Helper()
	if rep.Published != len(r.ids) || rep.Failed != 0 || rep.Unknown != 0 {
		for _, res := range rep.Results {
			if res.Outcome != social.Published {
				tb.Fatalf("published %d/%d; first problem: %s: %s", rep.Published, len(r.ids), res.Page.ID, res.Reason)
			}
		}
	}
	lost, dup := 0, 0
	for _, id := range r.ids {
		posts := r.sb.VK.Posts(id)
		switch {
		case len(posts) == 0:
			lost++
		case len(posts) > 1:
			dup += len(posts) - 1
		}
		for _, p := range posts {
			if p.Text != fanoutText || (len(p.Attachments) == 1) != photo {
				tb.Errorf("community %d holds %+v", id, p)
			}
		}
	}
	if lost != 0 || dup != 0 {
		tb.Errorf("%d communities without their post, %d duplicate posts", lost, dup)
	}
}

// TestFanOut200CommunitiesThroughTheEmulator: one post with a photo to 200
// communities through one user token at VK's 3 requests a second: every
// community holds exactly one post, the emulator never answered error 6,
// and the calls ran at the limit on the world clock.
func TestFanOut200CommunitiesThroughTheEmulator(t *testing.T) {
	const n = 200
	r := newRig(t, n)
	rep, took := r.fanOut(t, fanoutPost(t, true))
	r.checkFanOut(t, rep, true)
	total, flood, byMethod := r.journal()
	t.Logf("%d requests in %s of world time: %v", total, took, byMethod)
	assert.Zero(t, flood, "error 6 answers")
	assert.Equal(t, n, byMethod["wall.post"])
	assert.Equal(t, n, byMethod["photos.getwalluploadserver"])
	api := total - uploads(byMethod)
	rate := float64(api) / took.Seconds()
	assert.GreaterOrEqual(t, rate, 0.9*userRate, "%d calls in %s of world time", api, took)
	assert.LessOrEqual(t, rate, userRate*1.01)
	assert.Equal(t, took, r.sb.Clock.Now().Sub(coretest.Epoch), "the world clock moved with the client's")
}

// uploads counts the journal's uploads to upload URLs (not API calls: they
// spend no request of the token's budget).
func uploads(byMethod map[string]int) int {
	k := 0
	for m, c := range byMethod {
		if !strings.Contains(m, ".") || strings.HasPrefix(m, "upload") {
			k += c
		}
	}
	return k
}

// BenchmarkFanOut200Communities publishes one post to 200 communities per
// iteration through one user token: text only (wall.post) and with one
// photo (photos.getWallUploadServer, the upload, photos.saveWallPhoto,
// wall.post). It reports the API calls a second on the world clock and
// their ratio to VK's 3/s, the error 6 answers, and the duplicates.
func BenchmarkFanOut200Communities(b *testing.B) {
	const n = 200
	for _, photo := range []bool{false, true} {
		name := "text"
		if photo {
			name = "photo"
		}
		b.Run(name, func(b *testing.B) {
			var worldTime time.Duration
			var calls, flood int
			for range b.N {
				b.StopTimer()
				r := newRig(b, n)
				post := fanoutPost(b, photo)
				b.StartTimer()
				rep, took := r.fanOut(b, post)
				b.StopTimer()
				worldTime += took
				r.checkFanOut(b, rep, photo)
				total, f, byMethod := r.journal()
				calls += total - uploads(byMethod)
				flood += f
			}
			rate := float64(calls) / worldTime.Seconds()
			b.ReportMetric(rate, "calls/s")
			b.ReportMetric(rate/userRate, "ratio")
			b.ReportMetric(float64(flood)/float64(b.N), "error6/op")
			b.ReportMetric(worldTime.Seconds()/float64(b.N), "world-s/op")
		})
	}
}

// batchWindow is the batching window of the requirement reports: at
// 3 requests a second an execute leaves every 333 ms, so a window of a
// second gathers the calls of the checks three executes set free and
// sends them in full batches of 25.
const batchWindow = time.Second

// TestCheckCommunities1000Batched: the requirement reports of 1 000
// communities at VK's limits take at most 1/20 of the 2 002 requests the
// unbatched client sends (2 groups.getById, then groups.getMembers and
// groups.getSettings per community), with no error 6 answer.
func TestCheckCommunities1000Batched(t *testing.T) {
	const n = 1000
	r := newRig(t, n, core.WithDefaultTimeout(0), vk.WithBatching(vk.BatchOptions{Window: batchWindow}))
	var reps []*vk.CommunityReport
	var err error
	took := r.runQuiet(t, func() { reps, err = r.c.CheckCommunities(t.Context(), r.ids) })
	require.NoError(t, err)
	require.Len(t, reps, n)
	for i, rep := range reps {
		require.NotNil(t, rep, "report %d", i)
		for _, code := range []social.RequirementCode{social.ReqOpen, social.ReqPhoto, social.ReqDescription, social.ReqCity, social.ReqCategoryGovernment, vk.ReqManagers} {
			req, _ := rep.Requirements.Find(code)
			require.True(t, req.Met(), "report %d: %+v", i, req)
		}
	}
	total, flood, byMethod := r.journal()
	t.Logf("%d requests in %s of world time: %v", total, took, byMethod)
	assert.LessOrEqual(t, total*20, 2+2*n)
	assert.Zero(t, flood)
	assert.Equal(t, 2, byMethod["groups.getbyid"])
}
