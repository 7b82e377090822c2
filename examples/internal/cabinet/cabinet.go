// Package cabinet holds what the examples that use the Gospubliki cabinet
// share: the requests connecting the sandbox's pages, a photo to post and
// the analytics report as text lines.
package cabinet

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
)

// Photo is a 1×1 PNG.
var Photo = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")

// ConnectRequests connects the sandbox's VK community, OK group and
// Telegram channel with the credentials the sandbox published.
func ConnectRequests(cr mock.Credentials) []gospubliki.ConnectCommunityRequest {
	return []gospubliki.ConnectCommunityRequest{
		{Network: gospubliki.NetworkVK, PageID: strconv.FormatInt(cr.VK.GroupID, 10), Name: "ВКонтакте",
			Credentials: gospubliki.CommunityCredentials{VKToken: cr.VK.UserToken}},
		{Network: gospubliki.NetworkOK, PageID: strconv.FormatInt(cr.OK.GroupID, 10), Name: "Одноклассники",
			Credentials: gospubliki.CommunityCredentials{OKApplicationKey: cr.OK.ApplicationKey,
				OKApplicationSecretKey: cr.OK.ApplicationSecret, OKAccessToken: cr.OK.AccessToken, OKSessionSecretKey: cr.OK.SessionSecret}},
		{Network: gospubliki.NetworkTelegram, PageID: strconv.FormatInt(cr.Telegram.ChannelID, 10), Name: "Telegram",
			Credentials: gospubliki.CommunityCredentials{TelegramBotToken: cr.Telegram.BotToken}},
	}
}

// AnalyticsLines renders a report: a line per period that has readings
// (with the subscribers when subscribers is set), a line for a page whose
// reading failed, and one line for a page without readings saying why.
// rows is the number of period lines.
func AnalyticsLines(r *gospubliki.AnalyticsReport, subscribers bool) (lines []string, rows int) {
	for _, p := range r.Pages {
		if p.Error != "" {
			lines = append(lines, fmt.Sprintf("  %-24s error: %s", p.PageRef, p.Error))
			continue
		}
		read := false
		for _, b := range p.Buckets {
			if b.Samples == 0 {
				continue
			}
			read = true
			rows++
			line := fmt.Sprintf("  %-24s %s  %d sample(s): views %d, reach %d, likes %d, comments %d, reposts %d",
				p.PageRef, b.Start.UTC().Format("2006-01-02"), b.Samples, b.Views, b.Reach, b.Likes, b.Comments, b.Reposts)
			if subscribers {
				line += fmt.Sprintf(", subscribers %d (%+d)", b.Subscribers, b.SubscriberGrowth)
			}
			lines = append(lines, line)
		}
		if !read {
			reason := "no readings in the period"
			if strings.HasPrefix(p.PageRef, "telegram:") {
				reason = "no post statistics (the Telegram Bot API has none)"
			}
			lines = append(lines, fmt.Sprintf("  %-24s %s", p.PageRef, reason))
		}
	}
	return lines, rows
}
