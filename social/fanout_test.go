package social_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/social"
)

// fakePublisher answers with rc and err. With gate set it announces each
// call on gate.entered and waits for a value on gate.release (or for ctx
// to end) before answering, so tests control concurrency without sleeping.
type fakePublisher struct {
	id       string
	rc       *social.Receipt
	err      error
	gate     *gate
	inFlight *atomic.Int32
	maxSeen  *atomic.Int32
	calls    atomic.Int32
	panics   bool
}

type gate struct {
	entered chan string
	release chan struct{}
}

func (f *fakePublisher) Page() social.PageInfo {
	return social.PageInfo{Network: social.Telegram, ID: f.id}
}

func (f *fakePublisher) Publish(ctx context.Context, p social.Post) (social.Receipt, error) {
	f.calls.Add(1)
	if f.inFlight != nil {
		n := f.inFlight.Add(1)
		defer f.inFlight.Add(-1)
		for {
			m := f.maxSeen.Load()
			if n <= m || f.maxSeen.CompareAndSwap(m, n) {
				break
			}
		}
	}
	if f.panics {
		panic("boom")
	}
	if f.gate != nil {
		f.gate.entered <- f.id
		select {
		case <-f.gate.release:
		case <-ctx.Done():
			return social.Receipt{}, ctx.Err()
		}
	}
	rc := social.Receipt{Network: social.Telegram, PageID: f.id, PostID: "1" + f.id,
		Parts: []social.Part{{ID: "1" + f.id, Kind: social.PartText, HasText: true}}, Key: p.StableKey()}
	if f.rc != nil {
		rc = *f.rc
	}
	if f.err != nil {
		if errors.Is(f.err, social.ErrPartiallyPublished) {
			return rc, f.err
		}
		return social.Receipt{}, f.err
	}
	return rc, nil
}

// codedErr is a network API error with a code, like *telegram.Error.
type codedErr struct{ code int }

func (e *codedErr) Error() string     { return fmt.Sprintf("api error %d", e.code) }
func (e *codedErr) ErrorCode() string { return fmt.Sprint(e.code) }

func TestFanOutReportsEachOutcome(t *testing.T) {
	t.Parallel()
	refused := &codedErr{403}
	unknown := &social.UnknownOutcomeError{Operation: "telegram.sendMessage", Err: errors.New("connection reset")}
	partial := &social.PartialPublishError{Operation: "telegram.publish", PartIDs: []string{"7"}, Total: 2, Err: &codedErr{400}}
	partialUnknown := &social.PartialPublishError{Operation: "telegram.publish", PartIDs: []string{"8"}, Total: 2,
		Err: &social.UnknownOutcomeError{Operation: "telegram.sendPoll", Err: errors.New("EOF")}}
	at := time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)
	pubs := []social.Publisher{
		&fakePublisher{id: "a"},
		&fakePublisher{id: "b", err: refused},
		&fakePublisher{id: "c", err: unknown},
		&fakePublisher{id: "d", panics: true},
		&fakePublisher{id: "e", rc: &social.Receipt{Network: social.VK, PageID: "e", PostID: "5", ScheduledAt: at}},
		&fakePublisher{id: "f", err: partial, rc: &social.Receipt{Network: social.Telegram, PageID: "f", PostID: "7",
			Parts: []social.Part{{ID: "7", Kind: social.PartPhoto, HasText: true}}}},
		&fakePublisher{id: "g", err: partialUnknown, rc: &social.Receipt{Network: social.Telegram, PageID: "g", PostID: "8",
			Parts: []social.Part{{ID: "8", Kind: social.PartText}}}},
	}
	rep := social.FanOut(t.Context(), social.Post{Text: "hello"}, pubs...)
	require.Len(t, rep.Results, 7)
	r := rep.Results
	assert.Equal(t, social.Published, r[0].Outcome)
	assert.Equal(t, "1a", r[0].Receipt.PostID)
	assert.Empty(t, r[0].Code)
	assert.NoError(t, r[0].Err)

	assert.Equal(t, social.Failed, r[1].Outcome)
	assert.ErrorIs(t, r[1].Err, refused)
	assert.Equal(t, "api error 403", r[1].Reason)
	assert.Equal(t, "403", r[1].Code, "the network's code is in the report")
	assert.Equal(t, "b", r[1].Page.ID)

	assert.Equal(t, social.Unknown, r[2].Outcome)
	assert.ErrorIs(t, r[2].Err, social.ErrUnknownOutcome)
	assert.Empty(t, r[2].Code, "a dropped connection has no network code")

	assert.Equal(t, social.Unknown, r[3].Outcome, "a panicking publisher may have published")
	assert.Equal(t, "d", r[3].Page.ID)

	assert.Equal(t, social.Scheduled, r[4].Outcome)
	assert.Equal(t, at, r[4].Receipt.ScheduledAt)
	assert.Equal(t, "scheduled for 2027-01-01T09:00:00Z", r[4].Reason)

	assert.Equal(t, social.PartiallyPublished, r[5].Outcome)
	assert.Equal(t, []string{"7"}, r[5].Receipt.PartIDs(), "the receipt of the published parts is kept")
	assert.Equal(t, "400", r[5].Code)
	assert.ErrorIs(t, r[5].Err, social.ErrPartiallyPublished)

	assert.Equal(t, social.PartiallyPublished, r[6].Outcome, "partial wins over unknown: some parts are certainly published")
	assert.Equal(t, []string{"8"}, r[6].Receipt.PartIDs())
	assert.ErrorIs(t, r[6].Err, social.ErrUnknownOutcome)

	assert.Equal(t, 1, rep.Published)
	assert.Equal(t, 1, rep.Scheduled)
	assert.Equal(t, 2, rep.PartiallyPublished)
	assert.Equal(t, 1, rep.Failed)
	assert.Equal(t, 2, rep.Unknown)
	for o, n := range map[social.Outcome]int{social.Published: 1, social.Scheduled: 1, social.PartiallyPublished: 2,
		social.Failed: 1, social.Unknown: 2, "other": 0} {
		assert.Equal(t, n, rep.Count(o), o)
	}
	for _, p := range pubs {
		assert.EqualValues(t, 1, p.(*fakePublisher).calls.Load(), "exactly one attempt per page")
	}
}

func TestFanOutBoundsConcurrencyAndReportsProgress(t *testing.T) {
	t.Parallel()
	const n, limit = 40, 3
	var inFlight, maxSeen atomic.Int32
	g := &gate{entered: make(chan string, n), release: make(chan struct{})}
	pubs := make([]social.Publisher, n)
	for i := range pubs {
		pubs[i] = &fakePublisher{id: fmt.Sprint(i), gate: g, inFlight: &inFlight, maxSeen: &maxSeen}
	}
	var mu sync.Mutex
	var seen []int
	done := make(chan *social.Report)
	go func() {
		done <- social.FanOutOptions{Concurrency: limit, Progress: func(p social.Progress) {
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, n, p.Total)
			seen = append(seen, p.Done)
		}}.Run(t.Context(), social.Post{Text: "x"}, pubs...)
	}()
	// Wait until the limit is in flight, then let one finish at a time.
	for range limit {
		<-g.entered
	}
	assert.EqualValues(t, limit, inFlight.Load(), "publications run concurrently up to the limit")
	for range n - limit {
		g.release <- struct{}{}
		<-g.entered
	}
	for range limit {
		g.release <- struct{}{}
	}
	rep := <-done
	assert.Equal(t, n, rep.Published)
	assert.EqualValues(t, limit, maxSeen.Load(), "never more than Concurrency in flight")
	require.Len(t, seen, n)
	for i, d := range seen {
		assert.Equal(t, i+1, d)
	}
}

// fakeClock is a core.Clock that moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) NewTimer(time.Duration) core.Timer { panic("not used") }

// clockPublisher refuses a post due later than its clock says, as a
// publisher that cannot schedule does, and spends a minute publishing.
type clockPublisher struct{ fakePublisher }

func (p *clockPublisher) Publish(ctx context.Context, post social.Post) (social.Receipt, error) {
	clock := social.ResolveClock(ctx, nil)
	if post.PublishAt.After(clock.Now()) {
		return social.Receipt{}, errors.New("PublishAt is in the future")
	}
	if fc, ok := clock.(*fakeClock); ok {
		fc.Advance(time.Minute)
	}
	return p.fakePublisher.Publish(ctx, post)
}

func TestFanOutJudgesPublishAtOnTheSuppliedClock(t *testing.T) {
	t.Parallel()
	// The cabinet's clock is two days ahead of the system clock (a sandbox
	// world clock that was advanced); the post is due on it.
	clock := &fakeClock{now: time.Now().Add(48 * time.Hour)}
	post := social.Post{Text: "по расписанию", PublishAt: clock.Now()}

	rep := social.FanOutOptions{Clock: clock}.Run(t.Context(), post, &clockPublisher{fakePublisher{id: "a"}})
	require.Equal(t, social.Published, rep.Results[0].Outcome, rep.Results[0].Reason)
	assert.Equal(t, time.Minute, rep.Results[0].Duration, "durations are measured on the supplied clock")

	rep = social.FanOut(t.Context(), post, &clockPublisher{fakePublisher{id: "a"}})
	assert.Equal(t, social.Failed, rep.Results[0].Outcome, "on the system clock the post is not due yet")
}

func TestResolveClock(t *testing.T) {
	t.Parallel()
	own, carried := &fakeClock{now: time.Unix(1, 0)}, &fakeClock{now: time.Unix(2, 0)}
	ctx := social.WithClock(t.Context(), carried)
	assert.Same(t, own, social.ResolveClock(ctx, own), "the publisher's own clock wins")
	assert.Same(t, carried, social.ResolveClock(ctx, nil))
	assert.Same(t, carried, social.ClockFrom(ctx))
	assert.Nil(t, social.ClockFrom(t.Context()))
	assert.Equal(t, t.Context(), social.WithClock(t.Context(), nil), "a nil clock changes nothing")
	sys := social.ResolveClock(t.Context(), nil)
	assert.WithinDuration(t, time.Now(), sys.Now(), time.Minute, "the system clock by default")
}

func TestFanOutCancelledContextMarksRestNotAttempted(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	p := &fakePublisher{id: "x"}
	rep := social.FanOut(ctx, social.Post{Text: "x"}, p)
	assert.Equal(t, social.Failed, rep.Results[0].Outcome)
	assert.True(t, strings.HasPrefix(rep.Results[0].Reason, "not attempted"))
	assert.EqualValues(t, 0, p.calls.Load())
}

func TestFanOutInvalidPostSendsNothing(t *testing.T) {
	t.Parallel()
	p := &fakePublisher{id: "x"}
	rep := social.FanOut(t.Context(), social.Post{}, p, nil)
	assert.Equal(t, 2, rep.Failed)
	assert.Contains(t, rep.Results[0].Reason, "invalid post")
	assert.EqualValues(t, 0, p.calls.Load())
}

func TestPostValidate(t *testing.T) {
	t.Parallel()
	ok := []social.Post{
		{Text: "x"},
		{Media: []social.Media{social.MediaFromURL(social.Photo, "https://example.org/a.jpg")}},
		{Poll: &social.Poll{Question: "q", Options: []string{"a", "b"}}},
		{Text: "x", Urgency: social.UrgencyRed, Link: &social.Link{URL: "https://gosuslugi.ru"}},
	}
	for _, p := range ok {
		assert.NoError(t, p.Validate())
	}
	bad := map[string]social.Post{
		"empty post":         {Text: "  "},
		"exactly one":        {Media: []social.Media{{Kind: social.Photo}}},
		"unknown media kind": {Media: []social.Media{{Kind: "gif", URL: "https://x"}}},
		"http(s)":            {Media: []social.Media{{Kind: social.Photo, URL: "ftp://x"}}},
		"question":           {Poll: &social.Poll{Options: []string{"a", "b"}}},
		"two options":        {Poll: &social.Poll{Question: "q", Options: []string{"a"}}},
		"link must":          {Link: &social.Link{URL: "javascript:alert(1)"}},
		"urgency":            {Text: "x", Urgency: "purple"},
	}
	for want, p := range bad {
		err := p.Validate()
		require.Error(t, err, want)
		assert.Contains(t, err.Error(), want)
	}
}

func TestMediaFromReader(t *testing.T) {
	t.Parallel()
	m, err := social.MediaFromReader(social.Photo, "a.jpg", strings.NewReader("JPEGDATA"))
	require.NoError(t, err)
	assert.Equal(t, []byte("JPEGDATA"), m.Data)
	assert.NoError(t, m.Validate())
	_, err = social.MediaFromReader(social.Photo, "a.jpg", nil)
	assert.Error(t, err)
}

func TestRequirements(t *testing.T) {
	t.Parallel()
	rs := social.Requirements{
		{Code: "photo", Name: "photo", Status: social.RequirementMet},
		{Code: "description", Status: social.RequirementNotMet, Detail: "no description"},
		{Code: "admins_two_factor", Status: social.RequirementUnverifiable, Detail: "not shown by the API"},
		{Code: "zero"},
	}
	assert.False(t, rs.AllMet())
	assert.True(t, rs[:1].AllMet())
	assert.False(t, rs[2:3].AllMet(), "cannot be checked counts as not proven")
	assert.False(t, rs[3:].AllMet(), "a zero status is not met")
	assert.True(t, social.Requirements(nil).AllMet())
	codes := func(rs social.Requirements) []social.RequirementCode {
		var out []social.RequirementCode
		for _, r := range rs {
			out = append(out, r.Code)
		}
		return out
	}
	assert.Equal(t, []social.RequirementCode{"description", "admins_two_factor", "zero"}, codes(rs.Unmet()))
	assert.Equal(t, []social.RequirementCode{"description"}, codes(rs.NotMet()))
	assert.Equal(t, []social.RequirementCode{"admins_two_factor", "zero"}, codes(rs.Unverifiable()))
	r, ok := rs.Find("description")
	assert.True(t, ok)
	assert.Equal(t, "no description", r.Detail)
	_, ok = rs.Find("title")
	assert.False(t, ok)
	assert.True(t, rs[0].Met())
	assert.False(t, rs[2].Met())
	for _, s := range []social.RequirementStatus{social.RequirementMet, social.RequirementNotMet, social.RequirementUnverifiable} {
		assert.True(t, s.Valid(), s)
	}
	assert.False(t, social.RequirementStatus("").Valid())
	assert.False(t, social.RequirementStatus("maybe").Valid())
}

func TestFanOutGivesEveryPageTheSameKey(t *testing.T) {
	t.Parallel()
	post := social.Post{Text: "без ключа", Media: []social.Media{{Kind: social.Photo, Data: []byte("JPEG")}}}
	rep := social.FanOut(t.Context(), post, &fakePublisher{id: "a"}, &fakePublisher{id: "b"})
	require.Equal(t, 2, rep.Published)
	assert.Equal(t, post.StableKey(), rep.Results[0].Receipt.Key, "the derived key")
	assert.Equal(t, post.StableKey(), rep.Results[1].Receipt.Key)
	post.Key = "cabinet-post-9"
	rep = social.FanOut(t.Context(), post, &fakePublisher{id: "a"})
	assert.Equal(t, "cabinet-post-9", rep.Results[0].Receipt.Key, "the caller's key")
}
