package cabinet

import (
	"strings"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
)

func TestAnalyticsLines(t *testing.T) {
	day := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	r := &gospubliki.AnalyticsReport{Pages: []gospubliki.PageAnalytics{
		{PageRef: "vk:-1", Buckets: []gospubliki.AnalyticsBucket{{Start: day, Samples: 2, Views: 5, Subscribers: 10, SubscriberGrowth: 3},
			{Start: day.Add(24 * time.Hour)}}},
		{PageRef: "telegram:-100", Buckets: []gospubliki.AnalyticsBucket{{Start: day}}},
		{PageRef: "ok:7"},
		{PageRef: "ok:8", Error: "ok: error 102"},
	}}
	lines, rows := AnalyticsLines(r, true)
	if rows != 1 || len(lines) != 4 {
		t.Fatalf("rows %d, lines %q", rows, lines)
	}
	for i, want := range []string{"2026-03-03  2 sample(s): views 5,", "no post statistics (the Telegram Bot API has none)",
		"no readings in the period", "error: ok: error 102"} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d %q lacks %q", i, lines[i], want)
		}
	}
	if !strings.HasSuffix(lines[0], "subscribers 10 (+3)") {
		t.Errorf("no subscribers: %q", lines[0])
	}
	if lines, _ := AnalyticsLines(r, false); strings.Contains(lines[0], "subscribers") {
		t.Errorf("subscribers without asking: %q", lines[0])
	}
}

func TestConnectRequestsCarryTheSandboxCredentials(t *testing.T) {
	var cr mock.Credentials
	cr.VK.GroupID, cr.VK.UserToken = 5, "vk-token"
	cr.OK.GroupID, cr.OK.AccessToken = 7, "ok-token"
	cr.Telegram.ChannelID, cr.Telegram.BotToken = -100, "1:tg"
	reqs := ConnectRequests(cr)
	if len(reqs) != 3 || reqs[0].PageID != "5" || reqs[0].Credentials.VKToken != "vk-token" ||
		reqs[1].PageID != "7" || reqs[1].Credentials.OKAccessToken != "ok-token" ||
		reqs[2].PageID != "-100" || reqs[2].Credentials.TelegramBotToken != "1:tg" {
		t.Fatalf("%+v", reqs)
	}
}
