package social_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gospubliki/gosdk/social"
)

// apiError stands for a network's API error (*telegram.Error, *vk.Error):
// it carries the network's code.
type apiError struct {
	code int
	text string
}

func (e *apiError) Error() string     { return e.text }
func (e *apiError) ErrorCode() string { return fmt.Sprint(e.code) }

// page is a stand-in Publisher; real ones come from the network clients
// (for example telegram.Client.Publisher).
type page struct {
	id      string
	err     error
	partial bool
	later   time.Time
}

func (p page) Page() social.PageInfo { return social.PageInfo{Network: social.Telegram, ID: p.id} }

func (p page) Publish(_ context.Context, post social.Post) (social.Receipt, error) {
	rc := social.Receipt{Network: social.Telegram, PageID: p.id, PostID: "42", Key: post.StableKey(),
		Parts: []social.Part{{ID: "42", Kind: social.PartText, HasText: true}}, ScheduledAt: p.later}
	switch {
	case p.partial:
		return rc, &social.PartialPublishError{Operation: "telegram.publish", PartIDs: []string{"42"}, Total: 2, Err: p.err}
	case p.err != nil:
		return social.Receipt{}, p.err
	}
	return rc, nil
}

func ExampleFanOut() {
	post := social.Post{Key: "cabinet-post-1017", Text: "Приём граждан переносится на 10:00", Urgency: social.UrgencyOrange}
	rep := social.FanOutOptions{Concurrency: 2}.Run(context.Background(), post,
		page{id: "@minzdrav"},
		page{id: "@school12", err: &apiError{403, "Forbidden: bot is not a member of the channel chat"}},
		page{id: "@mfc", err: &social.UnknownOutcomeError{Operation: "telegram.sendMessage", Err: errors.New("connection reset")}},
		page{id: "@library", partial: true, err: &apiError{400, "Bad Request: poll can't be sent"}},
		page{id: "club42", later: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)},
	)
	for _, r := range rep.Results {
		fmt.Println(r.Page.ID, r.Outcome, r.Code, r.Receipt.PartIDs())
	}
	fmt.Println("published:", rep.Published, "scheduled:", rep.Scheduled, "partially:", rep.PartiallyPublished,
		"failed:", rep.Failed, "unknown:", rep.Unknown)
	// Output:
	// @minzdrav published  [42]
	// @school12 failed 403 []
	// @mfc unknown  []
	// @library partially_published 400 [42]
	// club42 scheduled  [42]
	// published: 1 scheduled: 1 partially: 1 failed: 1 unknown: 1
}

func ExamplePost_StableKey() {
	// The cabinet's own post id is the key of the publication.
	fmt.Println(social.Post{Key: "cabinet-post-1017", Text: "Новость"}.StableKey())
	// Without one, the key is derived from the content: the same content
	// always gives the same key.
	fmt.Println(social.Post{Text: "x"}.StableKey())
	// Output:
	// cabinet-post-1017
	// afdf3518e3f2cbd5cb6d7492b36dae39
}

func ExampleIdempotencyToken() {
	// A VK publisher sends this as wall.post's guid: a repeat of the same
	// post on the same community within VK's window is not posted twice,
	// while the same post on another community is.
	post := social.Post{Key: "cabinet-post-42", Text: "Новость"}
	fmt.Println(post.IdempotencyToken(social.PageInfo{Network: social.VK, ID: "-123456"}))
	fmt.Println(post.IdempotencyToken(social.PageInfo{Network: social.VK, ID: "-654321"}))
	// Output:
	// 46fcd9d2b0b93164fbfc9be0328e6e26
	// 1ff3c0ee2c60032500ef8c9767a81034
}

func ExampleRequirements() {
	rs := social.Requirements{
		{Code: "photo", Name: "photo", Status: social.RequirementMet, Detail: "present"},
		{Code: "description", Name: "description", Status: social.RequirementNotMet, Detail: "the channel has no description"},
		{Code: "admins_two_factor", Name: "administrators use two-step verification", Status: social.RequirementUnverifiable,
			Detail: "not shown by the API"},
	}
	fmt.Println("all met:", rs.AllMet())
	for _, r := range rs.NotMet() {
		fmt.Println("fix:", r.Code, "-", r.Detail)
	}
	for _, r := range rs.Unverifiable() {
		fmt.Println("check by hand:", r.Code)
	}
	// Output:
	// all met: false
	// fix: description - the channel has no description
	// check by hand: admins_two_factor
}

// A cabinet asks a publisher for its optional verbs with type assertions;
// what a network cannot do answers errors.ErrUnsupported.
func ExampleEditor() {
	var pub social.Publisher = page{id: "@mfc"}
	post := social.Post{Key: "cabinet-post-7", Text: "Новость"}
	rc, _ := pub.Publish(context.Background(), post)
	if ed, ok := pub.(social.Editor); ok {
		post.Text = "Новость (исправлено)"
		rc, _ = ed.Edit(context.Background(), rc, post)
	} else {
		fmt.Println("this network cannot edit posts")
	}
	if sr, ok := pub.(social.PostStatsReader); ok {
		if _, err := sr.PostStats(context.Background(), rc); errors.Is(err, errors.ErrUnsupported) {
			fmt.Println("no post statistics on this network")
		}
	}
	fmt.Println(rc.PostID, rc.Key)
	// Output:
	// this network cannot edit posts
	// 42 cabinet-post-7
}

// marksOf is a MarkReader over a map, standing for a network client
// (vk.Client, ok.Client).
type marksOf map[string]social.MarkState

func (m marksOf) ReadMarks(_ context.Context, ids []string) ([]social.MarkState, error) {
	var out []social.MarkState
	for _, id := range ids {
		if s, ok := m[id]; ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// A MarkWatcher reads the marks of a set of pages and reports what
// changed since the last reading: here a community renamed, which the
// network answers by withdrawing its mark.
func ExampleMarkWatcher() {
	pages := marksOf{
		"1": {Network: social.VK, PageID: "1", Name: "Администрация района", Mark: social.MarkPresent},
		"2": {Network: social.VK, PageID: "2", Name: "Школа № 5", Mark: social.MarkAbsent},
	}
	w := social.NewMarkWatcher(pages, []string{"1", "2"}, social.WatchOptions{
		OnChange: func(c social.MarkChange) {
			fmt.Printf("%s %s: %s (%q, %s -> %q, %s)\n", c.After.Network, c.After.PageID, c.Kind,
				c.Before.Name, c.Before.Mark, c.After.Name, c.After.Mark)
		},
	})
	ctx := context.Background()
	_, _ = w.Check(ctx) // the first reading records the states

	pages["1"] = social.MarkState{Network: social.VK, PageID: "1", Name: "Администрация округа", Mark: social.MarkAbsent}
	_, err := w.Check(ctx)
	fmt.Println(err)
	// Output:
	// vk 1: renamed ("Администрация района", present -> "Администрация округа", absent)
	// vk 1: lost ("Администрация района", present -> "Администрация округа", absent)
	// <nil>
}
