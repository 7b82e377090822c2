package mock_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
	"github.com/gospubliki/gosdk/vk"
)

// flowTenant is one tenant with the SDK's clients pointed at the
// sandbox's HTTP listeners with the tenant's credentials.
type flowTenant struct {
	t        *mock.Tenant
	esia     *esia.Client
	person   int64
	redirect *http.Client
	vk       *vk.Client
	groupID  int64
	ok       *ok.Publisher
	tg       *telegram.Client
	channel  int64
	n        int
}

func newFlowTenant(tb testing.TB, sb *mock.Sandbox, t *mock.Tenant) *flowTenant {
	tb.Helper()
	cr := t.Credentials()
	hc := sb.HTTPClient()
	clock := core.WithClock(core.NowFunc(t.Clock.Now))
	key, err := gost.ParsePrivateKeyPEM([]byte(cr.ESIA.KeyPEM))
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := gost.ParseCertificatePEM([]byte(cr.ESIA.CertificatePEM))
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := esia.NewGOSTSigner(key, cert)
	if err != nil {
		tb.Fatal(err)
	}
	ec, err := esia.New(esia.Config{BaseURL: sb.ESIAURL, ClientID: cr.ESIA.ClientID, RedirectURL: "http://127.0.0.1:8080/callback",
		Scopes: []string{"openid", "fullname"}, Signer: signer, Certificates: [][]byte{[]byte(cr.ESIA.ESIACertificatePEM)}},
		core.WithHTTPClient(hc), clock)
	if err != nil {
		tb.Fatal(err)
	}
	redirect := sb.HTTPClient()
	redirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	vc, err := vk.New(cr.VK.UserToken, vk.UserToken, core.WithBaseURL(sb.VKURL), core.WithHTTPClient(hc), clock,
		vk.WithRateLimits(vk.Limits{User: core.PerSecond(1e6), Community: core.PerSecond(1e6), Service: core.PerSecond(1e6)}))
	if err != nil {
		tb.Fatal(err)
	}
	oc, err := ok.New(ok.Credentials{ApplicationKey: cr.OK.ApplicationKey, ApplicationSecretKey: cr.OK.ApplicationSecret,
		AccessToken: cr.OK.AccessToken, SessionSecretKey: cr.OK.SessionSecret},
		core.WithBaseURL(sb.OKURL), core.WithHTTPClient(hc), clock, ok.WithRateLimit(core.PerSecond(1e6), 1000))
	if err != nil {
		tb.Fatal(err)
	}
	tc, err := telegram.New(cr.Telegram.BotToken, core.WithBaseURL(sb.TelegramURL), core.WithHTTPClient(hc), clock,
		telegram.WithoutRateLimits())
	if err != nil {
		tb.Fatal(err)
	}
	return &flowTenant{t: t, esia: ec, person: cr.ESIA.PersonOID, redirect: redirect, vk: vc, groupID: cr.VK.GroupID,
		ok: oc.Publisher(strconv.FormatInt(cr.OK.GroupID, 10)), tg: tc, channel: cr.Telegram.ChannelID}
}

// flow is one cross-posting flow: an ESIA login (authorization, code
// exchange, token verification), then one post to the VK community
// (wall.post), the OK group (mediatopic.post) and the Telegram channel
// (sendMessage).
func (f *flowTenant) flow(ctx context.Context) error {
	f.n++
	f.t.ESIA.EnqueueLogin(esiamock.Login{PersonOID: f.person})
	state := esia.NewState()
	auth, err := f.esia.AuthCodeURL(ctx, state)
	if err != nil {
		return err
	}
	resp, err := f.redirect.Get(auth)
	if err != nil {
		return err
	}
	resp.Body.Close()
	cb, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		return err
	}
	code, err := esia.ParseCallbackQuery(cb.Query(), state)
	if err != nil {
		return err
	}
	tok, err := f.esia.Exchange(ctx, code)
	if err != nil {
		return err
	}
	claims, _, err := f.esia.VerifyToken(tok)
	if err != nil {
		return err
	}
	if claims.SbjID != f.person {
		return fmt.Errorf("logged in as %d, not %d", claims.SbjID, f.person)
	}
	text := "Новость " + strconv.Itoa(f.n)
	key := f.t.Name + "-" + strconv.Itoa(f.n)
	if _, err := f.vk.WallPost(ctx, vk.WallPostRequest{OwnerID: -f.groupID, FromGroup: true, Message: text, Key: key}); err != nil {
		return fmt.Errorf("vk: %w", err)
	}
	if _, err := f.ok.Publish(ctx, social.Post{Text: text, Key: key}); err != nil {
		return fmt.Errorf("ok: %w", err)
	}
	if _, err := f.tg.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(f.channel), Text: text}); err != nil {
		return fmt.Errorf("telegram: %w", err)
	}
	return nil
}

// flowSandbox starts a sandbox with every party listening on loopback,
// the networks' rate limits off (this measures the sandbox, not VK's
// three requests per second).
func flowSandbox(tb testing.TB, opts ...mock.Option) *mock.Sandbox {
	tb.Helper()
	return mock.Start(tb, append([]mock.Option{mock.WithTelegramOptions(tgmock.WithoutLimits()),
		mock.WithVKOptions(vkmock.WithLimits(vkmock.Limits{Disabled: true}))}, opts...)...)
}

// flowTenants creates n tenants with CreateTenant (each seeded with the
// default scenario) and their clients.
func flowTenants(tb testing.TB, sb *mock.Sandbox, n int) []*flowTenant {
	tb.Helper()
	out := make([]*flowTenant, n)
	for i := range n {
		t, err := sb.CreateTenant("flow-"+strconv.Itoa(i), nil)
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = newFlowTenant(tb, sb, t)
	}
	return out
}

// runFlows runs total flows spread over the tenants, one goroutine per
// tenant (a tenant's flows run one after another, as one application's
// would; the tenants run concurrently).
func runFlows(tb testing.TB, tenants []*flowTenant, total int) {
	names := make([]string, len(tenants))
	flows := make([]func(context.Context) error, len(tenants))
	for i, ft := range tenants {
		names[i], flows[i] = ft.t.Name, ft.flow
	}
	runEach(tb, names, flows, total)
}

// runEach runs total calls of the flows, one goroutine per flow, each
// taking the next call until total are taken; it fails tb with the first
// error, named.
func runEach(tb testing.TB, names []string, flows []func(context.Context) error, total int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Pointer[error]
	for i, flow := range flows {
		wg.Go(func() {
			for next.Add(1) <= int64(total) && failed.Load() == nil {
				if err := flow(context.Background()); err != nil {
					err = fmt.Errorf("%s: %w", names[i], err)
					failed.CompareAndSwap(nil, &err)
				}
			}
		})
	}
	wg.Wait()
	if p := failed.Load(); p != nil {
		tb.Fatal(*p)
	}
}

// BenchmarkTenantsCrossPosting runs the cross-posting flow (ESIA login,
// VK wall.post, OK mediatopic.post, Telegram sendMessage through the
// SDK's clients over the sandbox's HTTP listeners) for 1 tenant and for
// 50 tenants concurrently, in one sandbox. It reports flows per second
// and the heap each tenant adds (live heap after a GC with the tenants
// created and used, minus the heap of the sandbox alone, over the number
// of tenants), and checks that every tenant's journal stays within its
// limit. The CPU time the process used per flow (clients and sandbox
// together) is the steadier figure when other work shares the machine.
//
//	go test -run '^$' -bench BenchmarkTenantsCrossPosting -benchtime 500x ./mock/
func BenchmarkTenantsCrossPosting(b *testing.B) {
	for _, n := range []int{1, 50} {
		b.Run(strconv.Itoa(n)+"-tenants", func(b *testing.B) {
			const journalLimit = 20 // reached after a few flows: the ring is full
			sb := flowSandbox(b, mock.WithWorldOptions(world.WithJournalLimit(journalLimit)))
			base := liveHeap()
			tenants := flowTenants(b, sb, n)
			runFlows(b, tenants, n) // every tenant's first flow: clients and lazy parts warm
			perTenant := (liveHeap() - base) / float64(n)
			b.ResetTimer()
			cpu := processCPU()
			runFlows(b, tenants, b.N)
			cpu = processCPU() - cpu
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "flows/s")
			b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/flow")
			b.ReportMetric(perTenant/1024, "KiB/tenant")
			longest := 0
			for _, ft := range tenants {
				got := ft.t.Journal.Len()
				if got > journalLimit || got == 0 {
					b.Fatalf("%s: %d journal entries, limit %d", ft.t.Name, got, journalLimit)
				}
				longest = max(longest, got)
			}
			b.ReportMetric(float64(longest), "journal-max")
		})
	}
}

// liveHeap returns the live heap in bytes after a full collection.
func liveHeap() float64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc)
}

// TestTenantsJournalStaysBounded runs many cross-posting flows in three
// concurrent tenants whose journal limit is far below what the flows
// write: every tenant's journal ends full and never above its limit, and
// the newest entries are the ones kept (the last flow's Telegram call).
func TestTenantsJournalStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 30 flows")
	}
	const limit = 12
	sb := flowSandbox(t, mock.WithWorldOptions(world.WithJournalLimit(limit)))
	tenants := flowTenants(t, sb, 3)
	errs := make([]error, len(tenants))
	var wg sync.WaitGroup
	for i, ft := range tenants {
		wg.Go(func() {
			for range 10 {
				if errs[i] = ft.flow(context.Background()); errs[i] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for i, ft := range tenants {
		require.NoError(t, errs[i], ft.t.Name)
		assert.Equal(t, limit, ft.t.Journal.Len(), "%s: the journal is full and bounded", ft.t.Name)
		last, ok := ft.t.Journal.Last(world.Filter{})
		require.True(t, ok)
		assert.Equal(t, "telegram", last.Party, "%s: the newest entry is kept", ft.t.Name)
		assert.Equal(t, ft.t.Name, last.Tenant)
	}
}
