package gpmock

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func ids(ps []Post) []int64 {
	out := []int64{}
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestMemoryPostStoreLists(t *testing.T) {
	m := NewMemoryPostStore()
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	// Out of order, two cabinets.
	for _, p := range []Post{
		{ID: 5, CabinetID: 1, Status: PostDraft, Urgency: UrgencyRed, Targets: []string{"vk:-1"}, CreatedAt: t0.Add(5 * time.Hour)},
		{ID: 2, CabinetID: 2, Status: PostDraft, Urgency: UrgencyGreen, CreatedAt: t0.Add(2 * time.Hour)},
		{ID: 3, CabinetID: 1, Status: PostApproved, Urgency: UrgencyGreen, Targets: []string{"ok:7"}, CreatedAt: t0.Add(3 * time.Hour)},
		{ID: 1, CabinetID: 1, Status: PostDraft, Urgency: UrgencyGreen, CreatedAt: t0.Add(time.Hour)},
		{ID: 4, CabinetID: 2, Status: PostDraft, Urgency: UrgencyRed, CreatedAt: t0.Add(4 * time.Hour)},
	} {
		require.NoError(t, m.Put(p))
	}
	list := func(q PostQuery) []int64 {
		if q.Limit == 0 {
			q.Limit = 10
		}
		ps, err := m.List(q)
		require.NoError(t, err)
		return ids(ps)
	}
	require.Equal(t, []int64{5, 3, 1}, list(PostQuery{Cabinets: []int64{1}}))
	require.Equal(t, []int64{5, 4, 3, 2, 1}, list(PostQuery{Cabinets: []int64{2, 1}}), "merged newest first")
	require.Equal(t, []int64{3, 2}, list(PostQuery{Cabinets: []int64{1, 2}, Before: 4, Limit: 2}))
	require.Equal(t, []int64{5, 4}, list(PostQuery{Cabinets: []int64{1, 2}, Urgency: UrgencyRed}))
	require.Equal(t, []int64{3}, list(PostQuery{Cabinets: []int64{1}, Status: PostApproved}))
	require.Equal(t, []int64{3}, list(PostQuery{Cabinets: []int64{1}, Target: "ok:7"}))
	require.Equal(t, []int64{4, 3}, list(PostQuery{Cabinets: []int64{1, 2}, From: t0.Add(3 * time.Hour), To: t0.Add(5 * time.Hour)}))
	require.Empty(t, list(PostQuery{Cabinets: []int64{3}}))

	// Put replaces; a copy given out is not the stored post.
	p, ok, err := m.Get(3)
	require.NoError(t, err)
	require.True(t, ok)
	p.Targets[0] = "changed"
	p.CabinetID = 2
	again, _, _ := m.Get(3)
	require.Equal(t, "ok:7", again.Targets[0])
	require.NoError(t, m.Put(p))
	require.Equal(t, []int64{5, 1}, list(PostQuery{Cabinets: []int64{1}}), "moved to another cabinet")
	require.Equal(t, []int64{4, 3, 2}, list(PostQuery{Cabinets: []int64{2}}))

	n, _ := m.Len()
	require.Equal(t, 5, n)
	var all []int64
	require.NoError(t, m.All(func(p Post) bool { all = append(all, p.ID); return len(all) < 4 }))
	require.Equal(t, []int64{1, 2, 3, 4}, all)
	require.NoError(t, m.Replace([]Post{{ID: 9, CabinetID: 1}}))
	require.Equal(t, []int64{9}, list(PostQuery{Cabinets: []int64{1}}))
	_, ok, _ = m.Get(5)
	require.False(t, ok)
}

func TestModerationEventsReachListeners(t *testing.T) {
	s := New()
	var got []Event
	s.OnEvent(func(e Event) { got = append(got, e) })
	s.mu.Lock()
	s.emit(Event{Type: "post.approved", CabinetID: 1, PostID: 2})
	s.mu.Unlock()
	require.Empty(t, got, "queued until dispatched")
	s.dispatch()
	require.Len(t, got, 1)
	require.Equal(t, "post.approved", got[0].Type)
	s.dispatch()
	require.Len(t, got, 1, "dispatched once")
}
