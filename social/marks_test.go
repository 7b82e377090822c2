package social_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/social"
)

// fakeReader answers ReadMarks with the pages it holds (a page not held is
// gone), or err.
type fakeReader struct {
	mu    sync.Mutex
	pages map[string]social.MarkState
	err   error
	asked [][]string
	// onRead, when set, is called with the number of the reading.
	onRead func(n int)
}

func newFakeReader(states ...social.MarkState) *fakeReader {
	r := &fakeReader{pages: map[string]social.MarkState{}}
	for _, s := range states {
		r.set(s)
	}
	return r
}

func (r *fakeReader) set(s social.MarkState) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s.Network = social.VK
	r.pages[s.PageID] = s
}

func (r *fakeReader) remove(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.pages, id)
}

func (r *fakeReader) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.err = err
}

func (r *fakeReader) ReadMarks(_ context.Context, ids []string) ([]social.MarkState, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked = append(r.asked, ids)
	if r.onRead != nil {
		r.onRead(len(r.asked))
	}
	if r.err != nil {
		return nil, r.err
	}
	var out []social.MarkState
	for _, id := range ids {
		if s, ok := r.pages[id]; ok {
			out = append(out, s)
		}
	}
	return out, nil
}

func markPage(id, name string, m social.Mark) social.MarkState {
	return social.MarkState{PageID: id, Name: name, Mark: m}
}

func kinds(cs []social.MarkChange) map[string][]social.MarkChangeKind {
	out := map[string][]social.MarkChangeKind{}
	for _, c := range cs {
		out[c.Before.PageID] = append(out[c.Before.PageID], c.Kind)
	}
	return out
}

func TestMarkOf(t *testing.T) {
	assert.Equal(t, social.MarkUnknown, social.MarkOf(true, false))
	assert.Equal(t, social.MarkUnknown, social.MarkOf(false, false))
	assert.Equal(t, social.MarkAbsent, social.MarkOf(false, true))
	assert.Equal(t, social.MarkPresent, social.MarkOf(true, true))
	assert.Equal(t, "unknown", social.Mark(0).String())
	assert.Equal(t, "absent", social.MarkAbsent.String())
	assert.Equal(t, "present", social.MarkPresent.String())
	assert.Equal(t, "unknown", social.Mark(7).String())
}

func TestMarkWatcherCheck(t *testing.T) {
	r := newFakeReader(
		markPage("1", "Администрация", social.MarkPresent),
		markPage("2", "Школа", social.MarkAbsent),
		markPage("3", "Больница", social.MarkPresent),
		markPage("4", "Музей", social.MarkUnknown),
	)
	clk := coretest.NewClock(time.Time{})
	var seen []social.MarkChange
	w := social.NewMarkWatcher(r, []string{"1", "2", "3", "4", "5"}, social.WatchOptions{Clock: clk,
		OnChange: func(c social.MarkChange) { seen = append(seen, c) }})
	ctx := context.Background()

	cs, err := w.Check(ctx)
	require.NoError(t, err)
	assert.Empty(t, cs, "the first reading records states")
	assert.Equal(t, [][]string{{"1", "2", "3", "4", "5"}}, r.asked, "one reading of every page")
	_, found := w.State("5")
	assert.False(t, found, "a page never returned has no state")

	clk.Advance(time.Hour)
	r.set(markPage("1", "Администрация города", social.MarkAbsent))
	r.set(markPage("2", "Школа", social.MarkPresent))
	r.remove("3")
	r.set(markPage("4", "Музей", social.MarkPresent)) // unknown before: not "granted"
	cs, err = w.Check(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string][]social.MarkChangeKind{
		"1": {social.PageRenamed, social.MarkLost},
		"2": {social.MarkGranted},
		"3": {social.PageGone},
	}, kinds(cs))
	assert.Equal(t, cs, seen, "OnChange receives what Check returns, in order")
	for _, c := range cs {
		assert.Equal(t, coretest.Epoch.Add(time.Hour), c.At)
	}
	assert.Equal(t, "Администрация", cs[0].Before.Name)
	assert.Equal(t, "Администрация города", cs[0].After.Name)
	assert.Equal(t, social.MarkPresent, cs[1].Before.Mark)
	assert.Equal(t, social.MarkAbsent, cs[1].After.Mark)
	assert.Equal(t, social.MarkUnknown, cs[3].After.Mark, "a gone page's mark is unknown")
	assert.Equal(t, social.MarkPresent, cs[3].Before.Mark)

	// Gone is reported once; an unknown mark or name keeps the last known.
	r.set(markPage("2", "", social.MarkUnknown))
	cs, err = w.Check(ctx)
	require.NoError(t, err)
	assert.Empty(t, cs)
	s, found := w.State("2")
	require.True(t, found)
	assert.Equal(t, markPage("2", "Школа", social.MarkPresent), social.MarkState{PageID: s.PageID, Name: s.Name, Mark: s.Mark})

	// A page that comes back is compared with its last state.
	r.set(markPage("3", "Больница", social.MarkAbsent))
	cs, err = w.Check(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string][]social.MarkChangeKind{"3": {social.MarkLost}}, kinds(cs))

	// A failed reading changes nothing.
	boom := errors.New("network down")
	r.fail(boom)
	r.set(markPage("2", "Школа", social.MarkAbsent))
	cs, err = w.Check(ctx)
	assert.ErrorIs(t, err, boom)
	assert.Empty(t, cs)
	r.fail(nil)
	cs, err = w.Check(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string][]social.MarkChangeKind{"2": {social.MarkLost}}, kinds(cs))
}

// Run reads at once and then every Interval on the watcher's clock, in
// virtual time; errors go to OnError and the watch goes on.
func TestMarkWatcherRun(t *testing.T) {
	r := newFakeReader(markPage("1", "Г", social.MarkPresent))
	clk := coretest.NewClock(time.Time{})
	changes := make(chan social.MarkChange, 4)
	errs := make(chan error, 4)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- social.WatchMarks(ctx, r, []string{"1"}, social.WatchOptions{Clock: clk, Interval: 30 * time.Minute,
			OnChange: func(c social.MarkChange) { changes <- c }, OnError: func(err error) { errs <- err }})
	}()
	reads := func() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.asked) }

	clk.WaitForTimers(1)
	assert.Equal(t, 1, reads())
	r.set(markPage("1", "Г", social.MarkAbsent))
	clk.Advance(29 * time.Minute)
	assert.Equal(t, 1, reads(), "not due yet")
	clk.Advance(time.Minute)
	c := <-changes
	assert.Equal(t, social.MarkLost, c.Kind)
	assert.Equal(t, coretest.Epoch.Add(30*time.Minute), c.At)

	clk.WaitForTimers(1)
	boom := errors.New("503")
	r.fail(boom)
	clk.Advance(30 * time.Minute)
	assert.ErrorIs(t, <-errs, boom)
	clk.WaitForTimers(1)
	assert.Equal(t, 3, reads())
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
	assert.Empty(t, changes)
}

// Without a clock of its own the watcher runs on the ctx's clock, and Run
// returns as soon as ctx ends.
func TestMarkWatcherClockFromContext(t *testing.T) {
	r := newFakeReader(markPage("1", "Г", social.MarkPresent))
	clk := coretest.NewAutoClock()
	ctx, cancel := context.WithCancel(social.WithClock(context.Background(), clk))
	r.onRead = func(n int) {
		if n == 2 {
			r.pages["1"] = markPage("1", "Г", social.MarkAbsent)
			cancel()
		}
	}
	var got []social.MarkChange
	w := social.NewMarkWatcher(r, []string{"1"}, social.WatchOptions{OnChange: func(c social.MarkChange) { got = append(got, c) }})
	assert.ErrorIs(t, w.Run(ctx), context.Canceled)
	assert.Equal(t, social.DefaultMarkWatchInterval, clk.Slept(), "one wait of the default interval on the ctx's clock")
	require.Len(t, got, 1)
	assert.Equal(t, social.MarkLost, got[0].Kind)
	assert.Equal(t, coretest.Epoch.Add(social.DefaultMarkWatchInterval), got[0].At)
	assert.Len(t, r.asked, 2)
}

func TestMarkWatcherNoPages(t *testing.T) {
	r := newFakeReader()
	assert.ErrorIs(t, social.WatchMarks(context.Background(), r, nil, social.WatchOptions{}), social.ErrNoPages)
	assert.Empty(t, r.asked)
}

func TestMarkRequirement(t *testing.T) {
	for m, want := range map[social.Mark]social.RequirementStatus{
		social.MarkPresent: social.RequirementMet,
		social.MarkAbsent:  social.RequirementNotMet,
		social.MarkUnknown: social.RequirementUnverifiable,
	} {
		r := social.MarkRequirement(m, "gos_org")
		assert.Equal(t, social.ReqGovMark, r.Code)
		assert.Equal(t, want, r.Status, m.String())
		assert.NotEmpty(t, r.Detail)
	}
	assert.Contains(t, social.MarkRequirement(social.MarkUnknown, "gos_org").Detail, "gos_org; "+social.CannotCheck)
}
