package ok_test

import (
	"context"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/ok"
)

// groupState is a changing group.getInfo answer.
type groupState struct {
	mu     sync.Mutex
	groups map[string]map[string]any
}

func (s *groupState) set(id string, g map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g == nil {
		delete(s.groups, id)
		return
	}
	s.groups[id] = g
}

func (s *groupState) handler(p url.Values) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for id, g := range s.groups {
		c := map[string]any{"uid": id}
		for k, v := range g {
			c[k] = v
		}
		out = append(out, c)
	}
	return out
}

func TestMarkWatcherCheck(t *testing.T) {
	f := newFake(t)
	st := &groupState{groups: map[string]map[string]any{
		"1": {"name": "Администрация", "gos_org": true},
		"2": {"name": "Школа", "gos_org": false},
		"3": {"name": "Больница", "gos_org": true},
	}}
	f.on("group.getInfo", st.handler)
	var seen []ok.MarkEvent
	w := f.client().WatchMarks(ok.WatchConfig{GroupIDs: []string{"1", "2", "3"}, OnEvent: func(e ok.MarkEvent) { seen = append(seen, e) }})
	evs, err := w.Check(context.Background())
	require.NoError(t, err)
	assert.Empty(t, evs, "the first poll records states")

	st.set("1", map[string]any{"name": "Администрация города", "gos_org": false})
	st.set("2", map[string]any{"name": "Школа", "gos_org": true})
	st.set("3", nil)
	evs, err = w.Check(context.Background())
	require.NoError(t, err)
	kinds := map[string][]ok.MarkEventKind{}
	for _, e := range evs {
		kinds[e.GroupID] = append(kinds[e.GroupID], e.Kind)
	}
	assert.Equal(t, []ok.MarkEventKind{ok.NameChanged, ok.MarkLost}, kinds["1"])
	assert.Equal(t, []ok.MarkEventKind{ok.MarkGranted}, kinds["2"])
	assert.Equal(t, []ok.MarkEventKind{ok.GroupGone}, kinds["3"])
	assert.Equal(t, evs, seen)
	assert.Equal(t, "Администрация", evs[0].Before.Name)

	// A poll without gos_org keeps the last known flag and reports nothing.
	st.set("1", map[string]any{"name": "Администрация города"})
	evs, err = w.Check(context.Background())
	require.NoError(t, err)
	assert.Empty(t, evs)
	s, found := w.State("1")
	require.True(t, found)
	require.NotNil(t, s.Marked)
	assert.False(t, *s.Marked)
}

// Run polls every Interval on the watcher's clock: virtual time, no
// sleeping.
func TestMarkWatcherRunOnVirtualClock(t *testing.T) {
	f := newFake(t)
	st := &groupState{groups: map[string]map[string]any{"1": {"name": "Г", "gos_org": true}}}
	f.on("group.getInfo", st.handler)
	clk := coretest.NewClock(time.Time{})
	c, err := ok.New(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret, AccessToken: token},
		core.WithBaseURL(f.srv.URL), core.WithLimiter(nil), core.WithClock(clk))
	require.NoError(t, err)
	events := make(chan ok.MarkEvent, 4)
	ctx, cancel := context.WithCancel(context.Background())
	w := c.WatchMarks(ok.WatchConfig{GroupIDs: []string{"1"}, Interval: 30 * time.Minute, OnEvent: func(e ok.MarkEvent) { events <- e }})
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()

	clk.WaitForTimers(1) // the first poll is done, the next is due in 30 min
	assert.Equal(t, 1, f.hitCount("group.getInfo"))
	st.set("1", map[string]any{"name": "Г", "gos_org": false})
	clk.Advance(29 * time.Minute)
	assert.Equal(t, 1, f.hitCount("group.getInfo"), "not due yet")
	clk.Advance(time.Minute)
	e := <-events
	assert.Equal(t, ok.MarkLost, e.Kind)
	assert.Equal(t, coretest.Epoch.Add(30*time.Minute), e.After.At)
	clk.WaitForTimers(1)
	assert.Equal(t, 2, f.hitCount("group.getInfo"))
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
}
