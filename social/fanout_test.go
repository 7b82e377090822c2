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

	"github.com/gospubliki/gosdk/social"
)

type fakePublisher struct {
	id       string
	err      error
	delay    time.Duration
	inFlight *atomic.Int32
	maxSeen  *atomic.Int32
	calls    atomic.Int32
	panics   bool
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
	select {
	case <-time.After(f.delay):
	case <-ctx.Done():
		return social.Receipt{}, ctx.Err()
	}
	if f.err != nil {
		return social.Receipt{}, f.err
	}
	return social.Receipt{Network: social.Telegram, PageID: f.id, PostID: "1" + f.id}, nil
}

func TestFanOutReportsEachOutcome(t *testing.T) {
	t.Parallel()
	refused := errors.New("chat not found")
	unknown := &social.UnknownOutcomeError{Operation: "telegram.sendMessage", Err: errors.New("connection reset")}
	pubs := []social.Publisher{
		&fakePublisher{id: "a"},
		&fakePublisher{id: "b", err: refused},
		&fakePublisher{id: "c", err: unknown},
		&fakePublisher{id: "d", panics: true},
	}
	rep := social.FanOut(t.Context(), social.Post{Text: "hello"}, pubs...)
	require.Len(t, rep.Results, 4)
	assert.Equal(t, social.Published, rep.Results[0].Outcome)
	assert.Equal(t, "1a", rep.Results[0].Receipt.PostID)
	assert.Equal(t, social.Failed, rep.Results[1].Outcome)
	assert.ErrorIs(t, rep.Results[1].Err, refused)
	assert.Equal(t, "chat not found", rep.Results[1].Reason)
	assert.Equal(t, social.Unknown, rep.Results[2].Outcome)
	assert.ErrorIs(t, rep.Results[2].Err, social.ErrUnknownOutcome)
	assert.Equal(t, social.Unknown, rep.Results[3].Outcome, "a panicking publisher may have published")
	assert.Equal(t, "b", rep.Results[1].Page.ID)
	assert.Equal(t, 1, rep.Published)
	assert.Equal(t, 1, rep.Failed)
	assert.Equal(t, 2, rep.Unknown)
	for _, p := range pubs {
		assert.EqualValues(t, 1, p.(*fakePublisher).calls.Load(), "exactly one attempt per page")
	}
}

func TestFanOutBoundsConcurrencyAndReportsProgress(t *testing.T) {
	t.Parallel()
	var inFlight, maxSeen atomic.Int32
	pubs := make([]social.Publisher, 40)
	for i := range pubs {
		pubs[i] = &fakePublisher{id: fmt.Sprint(i), delay: 5 * time.Millisecond, inFlight: &inFlight, maxSeen: &maxSeen}
	}
	var mu sync.Mutex
	var seen []int
	rep := social.FanOutOptions{Concurrency: 3, Progress: func(p social.Progress) {
		mu.Lock()
		defer mu.Unlock()
		assert.Equal(t, 40, p.Total)
		seen = append(seen, p.Done)
	}}.Run(t.Context(), social.Post{Text: "x"}, pubs...)
	assert.Equal(t, 40, rep.Published)
	assert.LessOrEqual(t, maxSeen.Load(), int32(3))
	assert.GreaterOrEqual(t, maxSeen.Load(), int32(2), "publications run concurrently")
	require.Len(t, seen, 40)
	for i, d := range seen {
		assert.Equal(t, i+1, d)
	}
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
	rs := social.Requirements{{Name: "a", Met: true}, {Name: "b", Met: false, Detail: "no photo"}}
	assert.False(t, rs.AllMet())
	assert.Equal(t, "b", rs.Unmet()[0].Name)
	assert.True(t, rs[:1].AllMet())
}
