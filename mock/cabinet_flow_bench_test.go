package mock_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// cabinetTenant is one tenant's cabinet users, logged in through the SDK's
// client over the sandbox's HTTP listener, and the tenant's three pages
// connected to its cabinet.
type cabinetTenant struct {
	t                 *mock.Tenant
	editor, moderator *gospubliki.Client
	targets           []string
	n                 int
}

func newCabinetTenant(tb testing.TB, sb *mock.Sandbox, t *mock.Tenant) *cabinetTenant {
	tb.Helper()
	ctx := context.Background()
	gc, ok := t.PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	if !ok {
		tb.Fatal("no cabinet credentials")
	}
	login := func(l mock.GospublikiLogin) *gospubliki.Client {
		c, err := gospubliki.New(core.WithBaseURL(gc.URL), core.WithHTTPClient(sb.HTTPClient()))
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := c.Login(ctx, l.Phone, l.Password); err != nil {
			tb.Fatalf("%s: login: %v", t.Name, err)
		}
		return c
	}
	admin := login(gc.LKOAdmin)
	ct := &cabinetTenant{t: t, editor: login(gc.Editor), moderator: login(gc.Moderator)}
	cr := t.Credentials()
	for _, r := range []gospubliki.ConnectCommunityRequest{
		{Network: gospubliki.NetworkVK, PageID: strconv.FormatInt(cr.VK.GroupID, 10), Name: "ВКонтакте",
			Credentials: gospubliki.CommunityCredentials{VKToken: cr.VK.UserToken}},
		{Network: gospubliki.NetworkOK, PageID: strconv.FormatInt(cr.OK.GroupID, 10), Name: "Одноклассники",
			Credentials: gospubliki.CommunityCredentials{OKApplicationKey: cr.OK.ApplicationKey,
				OKApplicationSecretKey: cr.OK.ApplicationSecret, OKAccessToken: cr.OK.AccessToken, OKSessionSecretKey: cr.OK.SessionSecret}},
		{Network: gospubliki.NetworkTelegram, PageID: strconv.FormatInt(cr.Telegram.ChannelID, 10), Name: "Telegram",
			Credentials: gospubliki.CommunityCredentials{TelegramBotToken: cr.Telegram.BotToken}},
	} {
		cm, err := admin.ConnectCommunity(ctx, r)
		if err != nil {
			tb.Fatalf("%s: connect %s: %v", t.Name, r.Network, err)
		}
		ct.targets = append(ct.targets, cm.Ref)
	}
	return ct
}

// flow is the cabinet's cross-posting flow: the editor creates a post for
// the three pages and submits it, the moderator approves it, the editor
// publishes it now (waiting for the publication) and reads the report,
// every page published.
func (c *cabinetTenant) flow(ctx context.Context) error {
	c.n++
	p, err := c.editor.CreatePost(ctx, gospubliki.PostInput{
		Text: gospubliki.Ptr(c.t.Name + ": новость " + strconv.Itoa(c.n)), Targets: c.targets})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	if _, err := c.editor.SubmitPost(ctx, p.ID); err != nil {
		return fmt.Errorf("submit: %w", err)
	}
	if _, err := c.moderator.ApprovePost(ctx, p.ID); err != nil {
		return fmt.Errorf("approve: %w", err)
	}
	if _, err := c.editor.PublishPost(ctx, p.ID, true); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	rep, err := c.editor.PostReport(ctx, p.ID)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if len(rep.Items) != len(c.targets) {
		return fmt.Errorf("report of %d pages, want %d", len(rep.Items), len(c.targets))
	}
	for _, x := range rep.Items {
		if x.Outcome != gospubliki.OutcomePublished {
			return fmt.Errorf("%s: %s %s %s", x.Target, x.Outcome, x.Code, x.Error)
		}
	}
	return nil
}

// BenchmarkTenantsCabinetFlow runs the cabinet's cross-posting flow
// (editor creates a post for the tenant's VK community, OK group and
// Telegram channel; moderator approves; publish now; report) through the
// SDK's gospubliki client over the sandbox's HTTP listeners, for 1 tenant
// and for 50 tenants concurrently in one sandbox, one goroutine per
// tenant. The cabinet's network clients keep their default limits but
// pace on a clock that advances to each wait at once (the limits cost no
// wall time: this measures the sandbox, not the networks' rates). It
// reports flows per second, the CPU the process used per flow and the
// heap each tenant adds (its pages connected, its journal full), and
// checks every tenant's journal against its limit.
//
//	go test -run '^$' -bench BenchmarkTenantsCabinetFlow -benchtime 300x ./mock/
func BenchmarkTenantsCabinetFlow(b *testing.B) {
	for _, n := range []int{1, 50} {
		b.Run(strconv.Itoa(n)+"-tenants", func(b *testing.B) {
			const journalLimit = 20
			sb := flowSandbox(b, mock.WithWorldOptions(world.WithJournalLimit(journalLimit)),
				mock.WithGospublikiOptions(gpmock.WithNetworkClock(coretest.NewAutoClock())))
			base := liveHeap()
			tenants := make([]*cabinetTenant, n)
			for i := range n {
				t, err := sb.CreateTenant("cab-"+strconv.Itoa(i), nil)
				if err != nil {
					b.Fatal(err)
				}
				tenants[i] = newCabinetTenant(b, sb, t)
			}
			run := func(total int) {
				flows := make([]func(context.Context) error, len(tenants))
				names := make([]string, len(tenants))
				for i, ct := range tenants {
					flows[i], names[i] = ct.flow, ct.t.Name
				}
				runEach(b, names, flows, total)
			}
			run(n)
			perTenant := (liveHeap() - base) / float64(n)
			b.ResetTimer()
			cpu := processCPU()
			start := time.Now()
			run(b.N)
			elapsed := time.Since(start)
			cpu = processCPU() - cpu
			b.StopTimer()
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "flows/s")
			b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/flow")
			b.ReportMetric(perTenant/1024, "KiB/tenant")
			longest := 0
			for _, ct := range tenants {
				got := ct.t.Journal.Len()
				if got > journalLimit || got == 0 {
					b.Fatalf("%s: %d journal entries, limit %d", ct.t.Name, got, journalLimit)
				}
				longest = max(longest, got)
			}
			b.ReportMetric(float64(longest), "journal-max")
		})
	}
}

// TestTenantsCabinetFlow runs the cabinet's flow three times in each of two
// concurrent tenants: each tenant's posts reach its own VK community, OK
// group and Telegram channel and no other tenant's, and each journal ends
// full at its limit.
func TestTenantsCabinetFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("runs six cabinet flows")
	}
	const limit = 10
	sb := flowSandbox(t, mock.WithWorldOptions(world.WithJournalLimit(limit)),
		mock.WithGospublikiOptions(gpmock.WithNetworkClock(coretest.NewAutoClock())))
	tenants := make([]*cabinetTenant, 2)
	for i := range tenants {
		tn, err := sb.CreateTenant("cab-"+strconv.Itoa(i), nil)
		require.NoError(t, err)
		tenants[i] = newCabinetTenant(t, sb, tn)
	}
	errs := make([]error, len(tenants))
	var wg sync.WaitGroup
	for i, ct := range tenants {
		wg.Go(func() {
			for range 3 {
				if errs[i] = ct.flow(context.Background()); errs[i] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for i, ct := range tenants {
		require.NoError(t, errs[i], ct.t.Name)
		cr := ct.t.Credentials()
		posts := ct.t.VK.Posts(cr.VK.GroupID)
		require.Len(t, posts, 3, ct.t.Name)
		for _, p := range posts {
			assert.True(t, strings.HasPrefix(p.Text, ct.t.Name+": "), "%s: %q", ct.t.Name, p.Text)
		}
		assert.Len(t, ct.t.OK.Topics(cr.OK.GroupID), 3, ct.t.Name)
		msgs := 0
		for _, m := range ct.t.Telegram.Messages(cr.Telegram.ChannelID) {
			if strings.HasPrefix(m.Text, ct.t.Name+": ") {
				msgs++
			} else {
				assert.NotContains(t, m.Text, "cab-", "%s: another tenant's post", ct.t.Name)
			}
		}
		assert.Equal(t, 3, msgs, ct.t.Name)
		assert.Equal(t, limit, ct.t.Journal.Len(), "%s: the journal is full and bounded", ct.t.Name)
	}
}
