package social_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/gospubliki/gosdk/social"
)

// page is a stand-in Publisher; real ones come from the network clients
// (for example telegram.Client.Publisher).
type page struct {
	id  string
	err error
}

func (p page) Page() social.PageInfo { return social.PageInfo{Network: social.Telegram, ID: p.id} }

func (p page) Publish(_ context.Context, _ social.Post) (social.Receipt, error) {
	if p.err != nil {
		return social.Receipt{}, p.err
	}
	return social.Receipt{Network: social.Telegram, PageID: p.id, PostID: "42"}, nil
}

func ExampleFanOut() {
	post := social.Post{Text: "Приём граждан переносится на 10:00", Urgency: social.UrgencyOrange}
	rep := social.FanOutOptions{Concurrency: 2}.Run(context.Background(), post,
		page{id: "@minzdrav"},
		page{id: "@school12", err: errors.New("Forbidden: bot is not a member of the channel chat")},
		page{id: "@mfc", err: &social.UnknownOutcomeError{Operation: "telegram.sendMessage", Err: errors.New("connection reset")}},
	)
	for _, r := range rep.Results {
		fmt.Println(r.Page.ID, r.Outcome)
	}
	fmt.Println("published:", rep.Published, "failed:", rep.Failed, "unknown:", rep.Unknown)
	// Output:
	// @minzdrav published
	// @school12 failed
	// @mfc unknown
	// published: 1 failed: 1 unknown: 1
}
