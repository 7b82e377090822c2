package ok_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/social"
)

// groupState is a changing group.getInfo answer: the groups asked for
// that exist, or an error.
type groupState struct {
	mu     sync.Mutex
	groups map[string]map[string]any
	err    *apiError
	sizes  []int
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

func (s *groupState) fail(e *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = e
}

func (s *groupState) handler(p url.Values) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return *s.err
	}
	ids := strings.Split(p.Get("uids"), ",")
	s.sizes = append(s.sizes, len(ids))
	out := []map[string]any{}
	for _, id := range ids {
		g, found := s.groups[id]
		if !found {
			continue
		}
		c := map[string]any{"uid": id}
		for k, v := range g {
			c[k] = v
		}
		out = append(out, c)
	}
	return out
}

// ReadMarks reads 100 groups a call and keeps gos_org's three states.
func TestReadMarks(t *testing.T) {
	f := newFake(t)
	st := &groupState{groups: map[string]map[string]any{
		"1": {"name": "Администрация", "gos_org": true},
		"2": {"name": "Школа", "gos_org": false},
		"3": {"name": "Больница"},
	}}
	ids := []string{"1", "2", "3", "4"}
	for i := 100; len(ids) < 205; i++ {
		id := fmt.Sprint(i)
		st.groups[id] = map[string]any{"name": "Г", "gos_org": false}
		ids = append(ids, id)
	}
	f.on("group.getInfo", st.handler)
	states, err := f.client().ReadMarks(context.Background(), ids)
	require.NoError(t, err)
	assert.Equal(t, []int{100, 100, 5}, st.sizes)
	require.Len(t, states, 204, "group 4 does not exist and is left out")
	assert.Equal(t, []social.MarkState{
		{Network: social.OK, PageID: "1", Name: "Администрация", Mark: social.MarkPresent},
		{Network: social.OK, PageID: "2", Name: "Школа", Mark: social.MarkAbsent},
		{Network: social.OK, PageID: "3", Name: "Больница", Mark: social.MarkUnknown},
	}, states[:3])
	assert.Equal(t, "103", states[6].PageID)

	st.fail(&apiError{Code: ok.CodePermissionDenied, Msg: "PERMISSION_DENIED"})
	states, err = f.client().ReadMarks(context.Background(), ids)
	assert.True(t, errors.Is(err, ok.ErrPermissionDenied), "%v", err)
	assert.Nil(t, states)
}

// The watcher runs on the client's clock: virtual time, no sleeping. A
// loss is reported at the reading that sees it, a failed reading goes to
// OnError and the watch goes on.
func TestWatchMarksOnClientClock(t *testing.T) {
	f := newFake(t)
	st := &groupState{groups: map[string]map[string]any{"1": {"name": "Г", "gos_org": true}, "2": {"name": "Школа", "gos_org": true}}}
	f.on("group.getInfo", st.handler)
	clk := coretest.NewClock(time.Time{})
	c, err := ok.New(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret, AccessToken: token},
		core.WithBaseURL(f.srv.URL), core.WithLimiter(nil), core.WithClock(clk))
	require.NoError(t, err)
	changes := make(chan social.MarkChange, 4)
	errs := make(chan error, 4)
	ctx, cancel := context.WithCancel(context.Background())
	w := c.WatchMarks([]string{"1", "2"}, social.WatchOptions{Interval: 30 * time.Minute,
		OnChange: func(e social.MarkChange) { changes <- e }, OnError: func(err error) { errs <- err }})
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()

	clk.WaitForTimers(1) // the first reading is done, the next is due in 30 min
	assert.Equal(t, 1, f.hitCount("group.getInfo"))
	st.set("1", map[string]any{"name": "Г", "gos_org": false})
	st.set("2", map[string]any{"name": "Школа"}) // gos_org left out: unknown, not a loss
	clk.Advance(29 * time.Minute)
	assert.Equal(t, 1, f.hitCount("group.getInfo"), "not due yet")
	clk.Advance(time.Minute)
	e := <-changes
	assert.Equal(t, social.MarkLost, e.Kind)
	assert.Equal(t, "1", e.After.PageID)
	assert.Equal(t, coretest.Epoch.Add(30*time.Minute), e.At)
	clk.WaitForTimers(1)
	assert.Equal(t, 2, f.hitCount("group.getInfo"))
	s, _ := w.State("2")
	assert.Equal(t, social.MarkPresent, s.Mark, "the last known mark is kept")

	st.fail(&apiError{Code: ok.CodePermissionDenied, Msg: "PERMISSION_DENIED"})
	clk.Advance(30 * time.Minute)
	assert.True(t, errors.Is(<-errs, ok.ErrPermissionDenied))
	clk.WaitForTimers(1) // the watch goes on
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
	assert.Empty(t, changes)
}
