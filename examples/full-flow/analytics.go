package main

import (
	"context"
	"fmt"
	"time"

	"github.com/gospubliki/gosdk/examples/internal/cabinet"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
)

// analytics lets a day pass on the sandbox clock (the cabinet reads the
// networks' statistics every hour) and prints the post's and the pages'
// analytics.
func (f *flow) analytics(ctx context.Context) error {
	f.n.Step("Gospubliki: the analytics a day later")
	from := f.sb.Clock.Now().Truncate(24 * time.Hour)
	// The administrator has the cabinet read the statistics now and
	// again the next morning (POST analytics/collect); the cabinet also
	// reads them every hour of its own clock.
	first, err := f.admin.CollectAnalytics(ctx)
	if err != nil {
		return fmt.Errorf("collect: %w", err)
	}
	if len(first.Errors) > 0 {
		return fmt.Errorf("collect: %+v", first.Errors)
	}
	f.n.Say("the cabinet read the networks' statistics: %d snapshot(s)", first.Received)
	// During the day residents join the pages (the sandbox acts as them).
	bar := f.n.Bar("day")
	joined, commented := 0, 0
	for h := 1; h <= 24; h++ {
		f.sb.Clock.Advance(time.Hour)
		if h%4 == 0 {
			resident := int64(910000000 + h)
			if _, err := f.sb.Act(ctx, mock.VKJoin{GroupID: f.sb.Credentials.VK.GroupID, UserID: resident}); err != nil {
				return err
			}
			if _, err := f.sb.Act(ctx, mock.OKJoin{GroupID: f.sb.Credentials.OK.GroupID, UserID: resident}); err != nil {
				return err
			}
			joined++
			if f.vkPost != 0 && h <= 8 {
				if _, err := f.sb.Act(ctx, mock.VKComment{GroupID: f.sb.Credentials.VK.GroupID, PostID: f.vkPost,
					UserID: resident, Text: "Спасибо, полезно!"}); err != nil {
					return err
				}
				commented++
			}
		}
		bar(h, 24)
	}
	f.n.Say("during the day %d resident(s) joined the VK community and the OK group", joined)
	if commented > 0 {
		f.n.Say("%d of them commented on the post on VK", commented)
	}
	f.n.Say("sandbox clock: %s", f.sb.Clock.Now().UTC().Format(clockLayout))
	// A day outlives the sessions: the editor logs in again.
	if f.admin, _, err = f.login(ctx, f.creds.LKOAdmin); err != nil {
		return fmt.Errorf("administrator login: %w", err)
	}
	second, err := f.admin.CollectAnalytics(ctx)
	if err != nil {
		return fmt.Errorf("collect: %w", err)
	}
	f.n.Say("the cabinet read them again: %d snapshot(s)", second.Received)
	if f.editor, _, err = f.login(ctx, f.creds.Editor); err != nil {
		return fmt.Errorf("editor login: %w", err)
	}
	f.n.Say("the editor logged in again (yesterday's session expired)")
	q := gospubliki.AnalyticsQuery{Period: gospubliki.PeriodDay, From: from, To: f.sb.Clock.Now().Add(time.Hour)}
	posted := 0
	if f.postID != 0 {
		post, err := f.editor.PostAnalytics(ctx, f.postID, q)
		if err != nil {
			return fmt.Errorf("post analytics: %w", err)
		}
		f.n.Say("post %d, per page and day:", f.postID)
		posted = printAnalytics(f, post, false)
		if posted == 0 {
			f.n.Say("  no statistics of the post collected")
		}
	}
	pages, err := f.editor.PageAnalytics(ctx, q)
	if err != nil {
		return fmt.Errorf("page analytics: %w", err)
	}
	f.n.Say("pages, per day:")
	if printAnalytics(f, pages, true) == 0 {
		return fmt.Errorf("no analytics collected")
	}
	if posted > 0 {
		f.n.Result("analytics of %d page(s), and of post %d (%d row(s))", len(pages.Pages), f.postID, posted)
	} else {
		f.n.Result("analytics of %d page(s)", len(pages.Pages))
	}
	return nil
}

// printAnalytics prints a report (see cabinet.AnalyticsLines) and
// returns its number of period lines.
func printAnalytics(f *flow, r *gospubliki.AnalyticsReport, pages bool) int {
	lines, rows := cabinet.AnalyticsLines(r, pages)
	for _, l := range lines {
		f.n.Say("%s", l)
	}
	return rows
}
