package gpmock_test

// BenchmarkPublish500Pages publishes one scheduled post to 500 pages
// across the three networks (167 VK communities, 167 OK groups, 166
// Telegram channels, targets interleaved) under the clients' real default
// limits (VK 3 calls/s per user token, OK 5 calls/s per token, Telegram
// 30 msg/s per bot and 1 msg/s per chat) and the emulators' own, on the
// sandbox clock: the cabinet's clock, its network clients' clock and the
// frozen world clock are one virtual time, stepped to the next timer
// whenever no request is in flight (stepper), so that a minute of limits
// takes about a second of wall time. It reports the virtual time from the
// publish time to the end of the publication as a ratio of the limits'
// minimum (the slowest network's pages divided by its rate), the answers
// "too many requests", and the duplicates (pages holding the post more
// than once; must be 0):
//
//	go test -run '^$' -bench Publish500Pages -benchtime 1x -count 3 ./mock/gpmock/

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
)

const (
	benchVK, benchOK, benchTG = 167, 167, 166
	firstVK                   = 300000000
	firstOK                   = 80000000000000
	firstTG                   = -1003000000000
)

// pagesScenario is the default scenario plus the benchmark's pages, owned
// by the ministry and administered by its chief (VK, OK) or its bot
// (Telegram).
func pagesScenario(tb testing.TB) world.Scenario {
	sc := mock.DefaultScenario()
	vst, err := vkmock.SettingsOf(sc)
	if err != nil {
		tb.Fatal(err)
	}
	ost, err := okmock.SettingsOf(sc)
	if err != nil {
		tb.Fatal(err)
	}
	tst, err := tgmock.SettingsOf(sc)
	if err != nil {
		tb.Fatal(err)
	}
	page := func(network string, id int64, i int, role string) world.Page {
		return world.Page{Network: network, ID: id, Kind: world.PagePublic, Username: fmt.Sprintf("district%s%04d", network, i),
			Title: fmt.Sprintf("Район %d", i), Description: "Официальная страница администрации района",
			OwnerOrgOID: world.DefaultMinistryOID, City: "Архангельск", Open: true,
			Admins: []world.PageAdmin{{PersonOID: world.DefaultChiefOID, Role: role}}}
	}
	for i := range benchVK {
		id := int64(firstVK + i)
		sc.Pages = append(sc.Pages, page(world.NetworkVK, id, i, world.RoleCreator))
		vst.Communities = append(vst.Communities, vkmock.Community{ID: id})
	}
	for i := range benchOK {
		id := int64(firstOK + i)
		p := page(world.NetworkOK, id, i, world.OKRoleAdmin)
		p.Kind = world.PageGroup
		sc.Pages = append(sc.Pages, p)
		ost.Groups = append(ost.Groups, okmock.GroupSettings{ID: id})
	}
	rights := tgmock.AdminRights{CanPostMessages: true, CanEditMessages: true, CanDeleteMessages: true}
	for i := range benchTG {
		id := firstTG - int64(i)
		p := page(world.NetworkTelegram, id, i, world.RoleCreator)
		p.Kind = world.PageChannel
		sc.Pages = append(sc.Pages, p)
		tst.Chats = append(tst.Chats, tgmock.ChatSettings{ID: id, Admins: []tgmock.ChatAdmin{{BotID: tgmock.DefaultBotID, Rights: rights}}})
	}
	if err := vkmock.PutSettings(&sc, vst); err != nil {
		tb.Fatal(err)
	}
	if err := okmock.PutSettings(&sc, ost); err != nil {
		tb.Fatal(err)
	}
	if err := tgmock.PutSettings(&sc, tst); err != nil {
		tb.Fatal(err)
	}
	return sc
}

// counting counts the requests in flight.
type counting struct {
	base     http.RoundTripper
	inflight atomic.Int64
}

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	c.inflight.Add(1)
	defer c.inflight.Add(-1)
	return c.base.RoundTrip(r)
}

// stepper moves the virtual clock clk and the frozen world clock together
// to clk's next timer whenever no request is in flight and nothing else
// changes for a while (every goroutine waits on a timer), until done.
func stepper(sb *mock.Sandbox, clk *coretest.Clock, tr *counting, done func() bool) {
	for !done() {
		if tr.inflight.Load() == 0 && clk.Pending() > 0 {
			n, seq, quiet := clk.Pending(), sb.Journal.Seq(), true
			for range 200 {
				runtime.Gosched()
				if tr.inflight.Load() != 0 || clk.Pending() != n || sb.Journal.Seq() != seq {
					quiet = false
					break
				}
			}
			if quiet {
				if at, ok := clk.Next(); ok {
					if at.After(sb.Clock.Now()) {
						sb.Clock.Set(at)
					}
					clk.Set(at)
				}
			}
			continue
		}
		runtime.Gosched()
	}
}

func BenchmarkPublish500Pages(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		sb := mock.Start(b, mock.WithScenario(pagesScenario(b)), mock.WithFrozenClock(start))
		clk := coretest.NewClock(start)
		hc := sb.HTTPClient()
		tr := &counting{base: hc.Transport}
		hc.Transport = tr
		srv := gpmock.New(gpmock.WithWorld(sb.World), gpmock.WithClock(clk), gpmock.WithCredentialKey(gpmock.SandboxCredentialKey()),
			gpmock.WithNetworks(gpmock.Networks{VKURL: sb.VK.URL, OKURL: sb.OK.URL, TelegramURL: sb.Telegram.URL, HTTPClient: hc, Clock: clk}))
		var finished atomic.Bool
		srv.OnEvent(func(e gpmock.Event) {
			switch e.Type {
			case gpmock.EventPublished, gpmock.EventPartiallyPublished, gpmock.EventFailed:
				finished.Store(true)
			}
		})
		hs := httptest.NewServer(srv)
		creds := sb.DefaultTenant().PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
		login := func(l mock.GospublikiLogin) *gospubliki.Client {
			c, err := gospubliki.New(core.WithBaseURL(hs.URL), core.WithRetry(0, 0, 0))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.Login(ctx, l.Phone, l.Password); err != nil {
				b.Fatal(err)
			}
			return c
		}
		admin, editor, moderator := login(creds.LKOAdmin), login(creds.Editor), login(creds.Moderator)
		cr := sb.Credentials
		var targets []string
		connect := func(network string, id int64, c gospubliki.CommunityCredentials) string {
			cm, err := admin.ConnectCommunity(ctx, gospubliki.ConnectCommunityRequest{Network: network, PageID: fmt.Sprint(id), Credentials: c})
			if err != nil {
				b.Fatal(err)
			}
			return cm.Ref
		}
		for i := range max(benchVK, benchOK, benchTG) {
			if i < benchVK {
				targets = append(targets, connect(gospubliki.NetworkVK, firstVK+int64(i), gospubliki.CommunityCredentials{VKToken: cr.VK.UserToken}))
			}
			if i < benchOK {
				targets = append(targets, connect(gospubliki.NetworkOK, firstOK+int64(i), gospubliki.CommunityCredentials{
					OKApplicationKey: cr.OK.ApplicationKey, OKApplicationSecretKey: cr.OK.ApplicationSecret,
					OKAccessToken: cr.OK.AccessToken, OKSessionSecretKey: cr.OK.SessionSecret}))
			}
			if i < benchTG {
				targets = append(targets, connect(gospubliki.NetworkTelegram, firstTG-int64(i), gospubliki.CommunityCredentials{TelegramBotToken: cr.Telegram.BotToken}))
			}
		}
		at := start.Add(time.Minute)
		p, err := editor.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Новость для всех районов"), Targets: targets, PublishAt: &at})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := editor.SubmitPost(ctx, p.ID); err != nil {
			b.Fatal(err)
		}
		if _, err := moderator.ApprovePost(ctx, p.ID); err != nil {
			b.Fatal(err)
		}
		j0 := sb.Journal.Seq()
		b.StartTimer()
		stepper(sb, clk, tr, finished.Load)
		b.StopTimer()
		took := clk.Now().Sub(at)
		got, err := editor.Post(ctx, p.ID)
		if err != nil {
			b.Fatal(err)
		}
		published := 0
		for _, x := range got.Report {
			if x.Outcome == gospubliki.OutcomePublished {
				published++
			}
		}
		dup, lost := 0, 0
		count := func(n int) {
			switch {
			case n > 1:
				dup += n - 1
			case n == 0:
				lost++
			}
		}
		for i := range benchVK {
			count(len(sb.VK.Posts(firstVK + int64(i))))
		}
		for i := range benchOK {
			count(len(sb.OK.Topics(firstOK + int64(i))))
		}
		for i := range benchTG {
			count(len(sb.Telegram.Messages(firstTG - int64(i))))
		}
		tooMany := 0
		for _, e := range sb.Journal.Entries(world.Filter{AfterSeq: j0}) {
			if e.Status == http.StatusTooManyRequests || (e.Party == "vk" && e.Code == 6) {
				tooMany++
			}
		}
		minimum := max(time.Duration(benchVK)*time.Second/3, time.Duration(benchOK)*time.Second/5, time.Duration(benchTG)*time.Second/30)
		b.ReportMetric(took.Seconds(), "virtual-s")
		b.ReportMetric(took.Seconds()/minimum.Seconds(), "x-minimum")
		b.ReportMetric(float64(published), "published")
		b.ReportMetric(float64(dup), "duplicates")
		b.ReportMetric(float64(lost), "missing")
		b.ReportMetric(float64(tooMany), "429s")
		if dup != 0 || published != len(targets) {
			b.Errorf("%d of %d pages published, %d duplicates, %d missing; status %s", published, len(targets), dup, lost, got.Status)
		}
		hs.Close()
	}
}
