package redisfleet_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/redisfleet"
	"github.com/gospubliki/gosdk/redisfleet/internal/redistest"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
	"github.com/gospubliki/gosdk/vk"
)

const (
	fleetReplicas    = 4
	fleetChannels    = 200
	fleetCommunities = 50
	firstCommunity   = int64(300000)
	fleetConcurrency = 8
	firstChannel     = int64(-1002000000000)
)

// channelsScenario is the default scenario plus n channels where the
// default bot may post.
func channelsScenario(n int) (world.Scenario, []int64) {
	sc := mock.DefaultScenario()
	st, err := tgmock.SettingsOf(sc)
	if err != nil {
		panic(err)
	}
	rights := tgmock.AdminRights{CanPostMessages: true}
	ids := make([]int64, n)
	for i := range n {
		id := firstChannel - int64(i)
		ids[i] = id
		sc.Pages = append(sc.Pages, world.Page{
			Network: world.NetworkTelegram, ID: id, Kind: world.PageChannel,
			Username: fmt.Sprintf("district_%04d", i), Title: fmt.Sprintf("Район %d", i),
			OwnerOrgOID: world.DefaultMinistryOID, Open: true,
			Admins: []world.PageAdmin{{PersonOID: world.DefaultChiefOID, Role: world.RoleCreator}},
		})
		st.Chats = append(st.Chats, tgmock.ChatSettings{ID: id,
			Admins: []tgmock.ChatAdmin{{BotID: tgmock.DefaultBotID, Rights: rights}}})
	}
	if err := tgmock.PutSettings(&sc, st); err != nil {
		panic(err)
	}
	for i := range fleetCommunities {
		sc.Pages = append(sc.Pages, world.Page{
			Network: world.NetworkVK, ID: firstCommunity + int64(i), Kind: world.PagePublic,
			Username: fmt.Sprintf("district%04d", i), Title: fmt.Sprintf("Район %d", i),
			OwnerOrgOID: world.DefaultMinistryOID, Open: true,
			Admins: []world.PageAdmin{{PersonOID: world.DefaultChiefOID, Role: world.RoleCreator}},
		})
	}
	return sc, ids
}

// fleet is N replicas of one service: each its own http.Client, limiter,
// ledger and Telegram client, sharing only Redis (and the test's clock).
type fleet struct {
	sb     *mock.Sandbox
	clk    *coretest.Clock
	ids    []int64
	active atomic.Int64  // publications in progress
	event  chan struct{} // a publication ended
	pubs   [][]social.Publisher
	ledger []social.Ledger
}

// tracked counts a publication in progress for the clock driver.
type tracked struct {
	social.Publisher
	f      *fleet
	before func(ctx context.Context) error // the replica's death, when set
}

func (p *tracked) Publish(ctx context.Context, post social.Post) (social.Receipt, error) {
	p.f.active.Add(1)
	defer func() {
		p.f.active.Add(-1)
		select {
		case p.f.event <- struct{}{}:
		default:
		}
	}()
	if p.before != nil {
		if err := p.before(ctx); err != nil {
			return social.Receipt{}, err
		}
	}
	return p.Publisher.Publish(ctx, post)
}

func newFleet(t *testing.T, srv *redistest.Server, wrap func(r int, p *tracked, l social.Ledger) social.Ledger) *fleet {
	sc, ids := channelsScenario(fleetChannels)
	sb := mock.Start(t, mock.WithParties("telegram", "vk"), mock.WithScenario(sc), mock.WithFrozenClock(coretest.Epoch))
	f := &fleet{sb: sb, clk: coretest.NewClock(sb.Clock.Now()), ids: ids, event: make(chan struct{}, 1)}
	cfg := telegram.LimiterConfig(telegram.DefaultLimits())
	cfg.Clock = f.clk
	vcfg := vk.LimiterConfig(vk.DefaultLimits())
	vcfg.Clock = f.clk
	for r := range fleetReplicas {
		rdb := srv.Client(t)
		lim := redisfleet.NewLimiter(rdb, redisfleet.LimiterConfig{Rules: cfg, Prefix: prefix(t) + "rl:", RetryInterval: 50 * time.Millisecond})
		vlim := redisfleet.NewLimiter(rdb, redisfleet.LimiterConfig{Rules: vcfg, Prefix: prefix(t) + "rl:", RetryInterval: 50 * time.Millisecond})
		hc := sb.HTTPClient()
		var led social.Ledger = redisfleet.NewLedger(rdb, redisfleet.LedgerConfig{Prefix: prefix(t) + "ledger:"})
		c, err := telegram.New(sb.Credentials.Telegram.BotToken, core.WithBaseURL(sb.TelegramURL),
			core.WithHTTPClient(hc), core.WithRetry(3, time.Millisecond, 10*time.Millisecond),
			core.WithClock(f.clk), core.WithLimiter(lim))
		if err != nil {
			t.Fatal(err)
		}
		vc, err := vk.New(sb.Credentials.VK.UserToken, vk.UserToken, core.WithBaseURL(sb.VKURL),
			core.WithHTTPClient(hc), core.WithRetry(3, time.Millisecond, 10*time.Millisecond),
			core.WithClock(f.clk), core.WithLimiter(vlim))
		if err != nil {
			t.Fatal(err)
		}
		pubs := make([]social.Publisher, 0, len(ids)+fleetCommunities)
		for _, id := range ids {
			pubs = append(pubs, c.Publisher(telegram.ChatIDInt(id)))
		}
		for i := range fleetCommunities {
			vp, err := vk.NewPublisher(vc, firstCommunity+int64(i), vk.PublisherOptions{})
			if err != nil {
				t.Fatal(err)
			}
			pubs = append(pubs, vp)
		}
		for i := range pubs {
			p := &tracked{Publisher: pubs[i], f: f}
			if wrap != nil {
				led = wrap(r, p, led)
			}
			pubs[i] = p
		}
		f.pubs = append(f.pubs, pubs)
		f.ledger = append(f.ledger, led)
	}
	return f
}

// run runs one FanOut of post per replica concurrently while it steps the
// client clock and the emulator's frozen clock together: whenever every
// publication in progress waits on a timer, both jump to the earliest one
// (the emulator's first), so the emulator sees each request at the
// instant the shared limiter released it. It returns the reports and the
// virtual time taken.
func (f *fleet) run(ctx context.Context, post social.Post, replicas ...int) ([]*social.Report, time.Duration) {
	start := f.clk.Now()
	reps := make([]*social.Report, fleetReplicas)
	var wg sync.WaitGroup
	for _, r := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[r] = social.FanOutOptions{Concurrency: fleetConcurrency, Clock: f.clk, Ledger: f.ledger[r]}.Run(ctx, post, f.pubs[r]...)
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for {
		if a := f.active.Load(); a > 0 && int64(f.clk.Pending()) >= a {
			at, _ := f.clk.Next()
			f.sb.Clock.Set(at)
			f.clk.Set(at)
			continue
		}
		select {
		case <-done:
			return reps, f.clk.Now().Sub(start)
		case <-f.clk.Changed():
		case <-f.event:
		}
	}
}

// tooMany counts the emulators' "too many requests" answers: Telegram's
// 429s and VK's error 6.
func (f *fleet) tooMany() int {
	n := len(f.sb.Journal.Entries(world.Filter{Party: tgmock.Party, Status: http.StatusTooManyRequests}))
	for _, e := range f.sb.Journal.Entries(world.Filter{Party: "vk"}) {
		if e.Code == 6 {
			n++
		}
	}
	return n
}

// vkPosts returns the wall.post requests the VK emulator received.
func (f *fleet) vkPosts() []world.Entry {
	return f.sb.Journal.Entries(world.Filter{Party: "vk", Method: "wall.post"})
}

// vkWall returns the posts on community i's wall.
func (f *fleet) vkWall(t *testing.T, i int) int {
	n := 0
	for _, e := range f.vkPosts() {
		if e.Status == http.StatusOK && e.Code == 0 && e.Params["owner_id"] == strconv.FormatInt(-(firstCommunity+int64(i)), 10) {
			n++
		}
	}
	return n
}

func TestFleetFourReplicasShareOneBudget(t *testing.T) {
	f := newFleet(t, redistest.Shared(t), nil)
	post := social.Post{Text: "Плановое отключение электроэнергии 12 декабря"}
	reps, took := f.run(t.Context(), post, 0, 1, 2, 3)
	sent := len(f.sb.Journal.Entries(world.Filter{Party: tgmock.Party, Method: "sendmessage"}))
	if sent != fleetChannels {
		t.Fatalf("%d sendMessage requests, want %d (one per channel)", sent, fleetChannels)
	}
	if n := f.tooMany(); n != 0 {
		t.Fatalf("the emulators answered 429 or error 6 %d times", n)
	}
	for _, id := range f.ids {
		if ms := f.sb.Telegram.Messages(id); len(ms) != 1 {
			t.Fatalf("channel %d holds %d messages, want 1", id, len(ms))
		}
	}
	published := 0
	for _, rep := range reps {
		published += rep.Published
		for _, r := range rep.Results {
			if r.Outcome != social.Published && !errors.Is(r.Err, social.ErrInProgressElsewhere) {
				t.Fatalf("page %s: %s (%s)", r.Page.ID, r.Outcome, r.Reason)
			}
		}
	}
	if published < fleetChannels {
		t.Fatalf("%d pages reported published across the fleet, want at least %d", published, fleetChannels)
	}
	// The rate each token achieved, on the emulators' clock, after the
	// initial burst: (requests after the burst) / (time from the first to
	// the last request).
	checkRate(t, "telegram", f.sb.Journal.Entries(world.Filter{Party: tgmock.Party, Method: "sendmessage"}),
		telegram.DefaultLimits().GlobalBurst, telegram.DefaultLimits().Global.PerSecond())
	checkRate(t, "vk", f.sb.Journal.Entries(world.Filter{Party: "vk"}), max(vk.DefaultLimits().Burst, 1),
		vk.DefaultLimits().User.PerSecond())
	if posts := f.vkPosts(); len(posts) != fleetCommunities {
		t.Fatalf("%d wall.post requests, want %d (one per community)", len(posts), fleetCommunities)
	}
	for i := range fleetCommunities {
		if n := f.vkWall(t, i); n != 1 {
			t.Fatalf("community %d holds %d posts, want 1", i, n)
		}
	}
	t.Logf("%d pages published once by 4 replicas in %s of clock time", fleetChannels+fleetCommunities, took)
}

func checkRate(t *testing.T, party string, es []world.Entry, burst int, limit float64) {
	t.Helper()
	if len(es) <= burst+1 {
		t.Fatalf("%s: only %d requests", party, len(es))
	}
	span := es[len(es)-1].Time.Sub(es[0].Time)
	rate := float64(len(es)-burst) / span.Seconds()
	t.Logf("%s: %d requests in %s of the emulator's clock: %.2f req/s after a burst of %d, %.0f%% of one token's %g/s",
		party, len(es), span, rate, burst, 100*rate/limit, limit)
	if rate < 0.9*limit || rate > 1.01*limit {
		t.Fatalf("%s: aggregate rate %.2f req/s, want 90%% to 100%% of %g/s", party, rate, limit)
	}
}

// deadLedger drops the records of a killed replica: its process is gone.
type deadLedger struct {
	social.Ledger
	dead *atomic.Bool
}

func (l deadLedger) Claim(ctx context.Context, key string, page social.PageInfo) (social.LedgerEntry, error) {
	if l.dead.Load() {
		return social.LedgerEntry{}, errors.New("replica killed")
	}
	return l.Ledger.Claim(ctx, key, page)
}

func (l deadLedger) Record(ctx context.Context, key string, r social.PageResult) error {
	if l.dead.Load() {
		return nil
	}
	return l.Ledger.Record(ctx, key, r)
}

func TestFleetReplicaKilledMidRun(t *testing.T) {
	srv := redistest.Shared(t)
	var dead atomic.Bool
	var started atomic.Int64
	errKilled := errors.New("replica killed")
	f := newFleet(t, srv, func(r int, p *tracked, l social.Ledger) social.Ledger {
		if r != 3 {
			return l
		}
		inner := p.Publisher
		p.before = func(ctx context.Context) error {
			// The replica dies after 20 publications started; of those in
			// flight, half had sent their request, half had not.
			if started.Add(1) > 20 {
				dead.Store(true)
			}
			if dead.Load() {
				if started.Load()%2 == 0 {
					_, _ = inner.Publish(ctx, social.Post{Text: "Отключение воды"})
				}
				return errKilled
			}
			return nil
		}
		if dl, ok := l.(deadLedger); ok {
			return dl
		}
		return deadLedger{Ledger: l, dead: &dead}
	})
	post := social.Post{Text: "Отключение воды"}
	f.run(t.Context(), post, 0, 1, 2, 3)
	if !dead.Load() {
		t.Fatal("replica 3 never died")
	}
	// The dead replica's claims expire (ClaimTTL): drop what is left.
	rdb := srv.Client(t)
	claims, err := rdb.Keys(t.Context(), prefix(t)+"ledger:claim:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(claims) == 0 {
		t.Fatal("the killed replica left no claim")
	}
	if err := rdb.Del(t.Context(), claims...).Err(); err != nil {
		t.Fatal(err)
	}
	// A survivor publishes the post again to every page: nothing twice,
	// nothing lost silently.
	reps, _ := f.run(t.Context(), post, 0)
	rep := reps[0]
	if n := f.tooMany(); n != 0 {
		t.Fatalf("the emulators answered 429 or error 6 %d times", n)
	}
	unknown := 0
	for i, id := range f.ids {
		ms := f.sb.Telegram.Messages(id)
		r := rep.Results[i]
		if r.Page.ID != strconv.FormatInt(id, 10) {
			t.Fatalf("result %d is for %s", i, r.Page.ID)
		}
		switch {
		case len(ms) > 1:
			t.Fatalf("channel %d holds %d messages", id, len(ms))
		case r.Outcome == social.Unknown:
			unknown++
		case r.Outcome == social.Published && len(ms) == 1:
		default:
			t.Fatalf("channel %d: %d messages, reported %s (%s)", id, len(ms), r.Outcome, r.Reason)
		}
	}
	for i := range fleetCommunities {
		n, r := f.vkWall(t, i), rep.Results[len(f.ids)+i]
		switch {
		case n > 1:
			t.Fatalf("community %d holds %d posts", i, n)
		case r.Outcome == social.Unknown:
			unknown++
		case r.Outcome == social.Published && n == 1:
		default:
			t.Fatalf("community %d: %d posts, reported %s (%s)", i, n, r.Outcome, r.Reason)
		}
	}
	if unknown != len(claims) {
		t.Fatalf("%d pages unknown, want the %d claims of the dead replica", unknown, len(claims))
	}
	t.Logf("replica killed: %d pages unknown (its claims), %d published once", unknown, rep.Published)
}

func TestFleetRedisStoppedMidRun(t *testing.T) {
	srv := redistest.Start(t)
	var started atomic.Int64
	f := newFleet(t, srv, func(r int, p *tracked, l social.Ledger) social.Ledger {
		p.before = func(context.Context) error {
			if started.Add(1) == 50 {
				srv.Stop()
			}
			return nil
		}
		return l
	})
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	begin := time.Now()
	reps, _ := f.run(ctx, social.Post{Text: "Redis down"}, 0, 1, 2, 3)
	if el := time.Since(begin); el > 4*time.Second {
		t.Fatalf("the run took %s past a 2s deadline", el)
	}
	failed := 0
	for _, rep := range reps {
		for _, r := range rep.Results {
			if r.Outcome == social.Failed && (errors.Is(r.Err, redisfleet.ErrUnavailable) || errors.Is(r.Err, core.ErrLimiter)) {
				failed++
			}
		}
	}
	if failed == 0 {
		t.Fatal("no page reported the unavailable store")
	}
	for _, id := range f.ids {
		if ms := f.sb.Telegram.Messages(id); len(ms) > 1 {
			t.Fatalf("channel %d holds %d messages", id, len(ms))
		}
	}
	for i := range fleetCommunities {
		if n := f.vkWall(t, i); n > 1 {
			t.Fatalf("community %d holds %d posts", i, n)
		}
	}
	if n := f.tooMany(); n != 0 {
		t.Fatalf("the emulators answered 429 or error 6 %d times", n)
	}
	t.Logf("Redis stopped: %d page results failed closed within the deadline", failed)
}
