// Package poststoretest is the conformance suite of gpmock.PostStore: every
// implementation (the in-memory store, the PostgreSQL store) runs the same
// tests, so that a server behaves the same on any of them.
package poststoretest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/gpmock"
)

// Open returns an empty store for a test.
type Open func(t *testing.T) gpmock.PostStore

var t0 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// Run runs the suite against the stores open returns.
func Run(t *testing.T, open Open) {
	t.Run("RoundTrip", func(t *testing.T) { roundTrip(t, open(t)) })
	t.Run("Lists", func(t *testing.T) { lists(t, open(t)) })
	t.Run("PutReplacesAndCopies", func(t *testing.T) { putReplaces(t, open(t)) })
	t.Run("ReplaceAllLen", func(t *testing.T) { replaceAll(t, open(t)) })
	t.Run("TimeBoundsAreExact", func(t *testing.T) { timeBounds(t, open(t)) })
	t.Run("AgainstReference", func(t *testing.T) { reference(t, open(t)) })
}

func ids(ps []gpmock.Post) []int64 {
	out := []int64{}
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func roundTrip(t *testing.T, s gpmock.PostStore) {
	at := t0.Add(26*time.Hour + 123456789)
	p := gpmock.Post{ID: 7, CabinetID: 3, AuthorID: 4, Text: "Запись «с кавычками» и \"escapes\" \\ \u2028 😀",
		Urgency: gpmock.UrgencyOrange, Targets: []string{"vk:-5", "ok:7", "telegram:-1001"}, PublishAt: &at,
		Status: gpmock.PostReturned, Comments: []gpmock.Comment{{AuthorID: 5, Text: "Исправьте", At: t0.Add(time.Minute)}},
		CreatedAt: t0.Add(1), UpdatedAt: t0.Add(time.Hour + 999)}
	require.NoError(t, s.Put(p))
	got, ok, err := s.Get(7)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, p, got)
	_, ok, err = s.Get(8)
	require.NoError(t, err)
	require.False(t, ok, "a missing post")
	empty := gpmock.Post{ID: 9, CabinetID: 3, Targets: []string{}, Comments: []gpmock.Comment{}}
	require.NoError(t, s.Put(empty))
	got, _, err = s.Get(9)
	require.NoError(t, err)
	require.Equal(t, empty, got, "empty, not nil, slices stay empty")
	list, err := s.List(gpmock.PostQuery{Cabinets: []int64{3}, Limit: 10})
	require.NoError(t, err)
	require.Equal(t, []gpmock.Post{empty, p}, list)
}

func seed(t *testing.T, s gpmock.PostStore) {
	for _, p := range []gpmock.Post{
		{ID: 5, CabinetID: 1, Status: gpmock.PostDraft, Urgency: gpmock.UrgencyRed, Targets: []string{"vk:-1"}, CreatedAt: t0.Add(5 * time.Hour)},
		{ID: 2, CabinetID: 2, Status: gpmock.PostDraft, Urgency: gpmock.UrgencyGreen, CreatedAt: t0.Add(2 * time.Hour)},
		{ID: 3, CabinetID: 1, Status: gpmock.PostApproved, Urgency: gpmock.UrgencyGreen, Targets: []string{"ok:7", "vk:-1"}, CreatedAt: t0.Add(3 * time.Hour)},
		{ID: 1, CabinetID: 1, Status: gpmock.PostDraft, Urgency: gpmock.UrgencyGreen, CreatedAt: t0.Add(time.Hour)},
		{ID: 4, CabinetID: 2, Status: gpmock.PostDraft, Urgency: gpmock.UrgencyRed, CreatedAt: t0.Add(4 * time.Hour)},
	} {
		require.NoError(t, s.Put(p))
	}
}

func lister(t *testing.T, s gpmock.PostStore) func(q gpmock.PostQuery) []int64 {
	return func(q gpmock.PostQuery) []int64 {
		t.Helper()
		if q.Limit == 0 {
			q.Limit = 10
		}
		ps, err := s.List(q)
		require.NoError(t, err)
		return ids(ps)
	}
}

func lists(t *testing.T, s gpmock.PostStore) {
	seed(t, s)
	list := lister(t, s)
	require.Equal(t, []int64{5, 3, 1}, list(gpmock.PostQuery{Cabinets: []int64{1}}))
	require.Equal(t, []int64{5, 4, 3, 2, 1}, list(gpmock.PostQuery{Cabinets: []int64{2, 1}}), "merged newest first")
	require.Equal(t, []int64{3, 2}, list(gpmock.PostQuery{Cabinets: []int64{1, 2}, Before: 4, Limit: 2}))
	require.Equal(t, []int64{5, 4}, list(gpmock.PostQuery{Cabinets: []int64{1, 2}, Urgency: gpmock.UrgencyRed}))
	require.Equal(t, []int64{3}, list(gpmock.PostQuery{Cabinets: []int64{1}, Status: gpmock.PostApproved}))
	require.Equal(t, []int64{3}, list(gpmock.PostQuery{Cabinets: []int64{1}, Target: "ok:7"}))
	require.Equal(t, []int64{5, 3}, list(gpmock.PostQuery{Cabinets: []int64{1, 2}, Target: "vk:-1"}))
	require.Empty(t, list(gpmock.PostQuery{Cabinets: []int64{1}, Target: "vk:-"}), "a target matches whole")
	require.Equal(t, []int64{4, 3}, list(gpmock.PostQuery{Cabinets: []int64{1, 2}, From: t0.Add(3 * time.Hour), To: t0.Add(5 * time.Hour)}))
	require.Equal(t, []int64{3}, list(gpmock.PostQuery{Cabinets: []int64{1}, Status: gpmock.PostApproved, Urgency: gpmock.UrgencyGreen,
		Target: "vk:-1", From: t0, To: t0.Add(4 * time.Hour), Before: 5}), "every filter at once")
	require.Empty(t, list(gpmock.PostQuery{Cabinets: []int64{3}}))
	require.Empty(t, list(gpmock.PostQuery{Cabinets: []int64{1}, Before: 1}))
	ps, err := s.List(gpmock.PostQuery{Cabinets: []int64{1}, Limit: -1})
	require.NoError(t, err)
	require.Empty(t, ps, "no limit, no posts")
}

func putReplaces(t *testing.T, s gpmock.PostStore) {
	seed(t, s)
	list := lister(t, s)
	p, ok, err := s.Get(3)
	require.NoError(t, err)
	require.True(t, ok)
	p.Targets[0] = "changed"
	p.CabinetID = 2
	again, _, _ := s.Get(3)
	require.Equal(t, "ok:7", again.Targets[0], "a copy given out is not the stored post")
	require.NoError(t, s.Put(p))
	require.Equal(t, []int64{5, 1}, list(gpmock.PostQuery{Cabinets: []int64{1}}), "moved to another cabinet")
	require.Equal(t, []int64{4, 3, 2}, list(gpmock.PostQuery{Cabinets: []int64{2}}))
	require.Empty(t, list(gpmock.PostQuery{Cabinets: []int64{1, 2}, Target: "ok:7"}), "the targets were replaced")
	require.Equal(t, []int64{3}, list(gpmock.PostQuery{Cabinets: []int64{1, 2}, Target: "changed"}))
	p.Status, p.Urgency, p.CreatedAt = gpmock.PostSubmitted, gpmock.UrgencyRed, t0.Add(10*time.Hour)
	require.NoError(t, s.Put(p))
	require.Equal(t, []int64{3}, list(gpmock.PostQuery{Cabinets: []int64{2}, Status: gpmock.PostSubmitted}))
	require.Equal(t, []int64{4, 3}, list(gpmock.PostQuery{Cabinets: []int64{2}, Urgency: gpmock.UrgencyRed}))
	require.Equal(t, []int64{3}, list(gpmock.PostQuery{Cabinets: []int64{2}, From: t0.Add(6 * time.Hour)}))
	n, err := s.Len()
	require.NoError(t, err)
	require.Equal(t, 5, n)
	got, _, _ := s.Get(3)
	require.Equal(t, p, got)
}

func replaceAll(t *testing.T, s gpmock.PostStore) {
	seed(t, s)
	n, err := s.Len()
	require.NoError(t, err)
	require.Equal(t, 5, n)
	var all []int64
	require.NoError(t, s.All(func(p gpmock.Post) bool { all = append(all, p.ID); return len(all) < 4 }))
	require.Equal(t, []int64{1, 2, 3, 4}, all, "in ID order, stopping when yield says so")
	require.NoError(t, s.Replace([]gpmock.Post{{ID: 9, CabinetID: 1, Targets: []string{}}, {ID: 8, CabinetID: 1, Targets: []string{"vk:-1"}}}))
	require.Equal(t, []int64{9, 8}, lister(t, s)(gpmock.PostQuery{Cabinets: []int64{1}}))
	_, ok, err := s.Get(5)
	require.NoError(t, err)
	require.False(t, ok, "replaced away")
	require.NoError(t, s.Replace(nil))
	n, err = s.Len()
	require.NoError(t, err)
	require.Zero(t, n)
	all = nil
	require.NoError(t, s.All(func(p gpmock.Post) bool { all = append(all, p.ID); return true }))
	require.Empty(t, all)
	// Many posts: All visits each once, in order.
	var many []gpmock.Post
	for i := range 2500 {
		many = append(many, gpmock.Post{ID: int64(2500 - i), CabinetID: int64(i%3 + 1), Targets: []string{}})
	}
	require.NoError(t, s.Replace(many))
	all = nil
	require.NoError(t, s.All(func(p gpmock.Post) bool { all = append(all, p.ID); return true }))
	require.Len(t, all, 2500)
	require.True(t, slices.IsSorted(all))
	require.Equal(t, int64(1), all[0])
}

func timeBounds(t *testing.T, s gpmock.PostStore) {
	// Nanoseconds count, and zones do not.
	msk := time.FixedZone("MSK", 3*3600)
	base := t0.Add(500 * time.Microsecond)
	for i, d := range []time.Duration{0, 1, 999, 1000, 1001} {
		require.NoError(t, s.Put(gpmock.Post{ID: int64(i + 1), CabinetID: 1, Targets: []string{}, CreatedAt: base.Add(d).In(msk)}))
	}
	list := lister(t, s)
	require.Equal(t, []int64{5, 4, 3, 2}, list(gpmock.PostQuery{Cabinets: []int64{1}, From: base.Add(1)}))
	require.Equal(t, []int64{2, 1}, list(gpmock.PostQuery{Cabinets: []int64{1}, To: base.Add(999)}))
	require.Equal(t, []int64{4, 3}, list(gpmock.PostQuery{Cabinets: []int64{1}, From: base.Add(999).UTC(), To: base.Add(1001).In(msk)}))
	require.NoError(t, s.Put(gpmock.Post{ID: 6, CabinetID: 1, Targets: []string{}}))
	require.Equal(t, []int64{6}, list(gpmock.PostQuery{Cabinets: []int64{1}, To: base}), "a zero creation time is the earliest")
}

// reference checks random queries against q.Match over every post.
func reference(t *testing.T, s gpmock.PostStore) {
	rng := rand.New(rand.NewPCG(1, 2))
	statuses := []string{gpmock.PostDraft, gpmock.PostSubmitted, gpmock.PostApproved, gpmock.PostReturned, gpmock.PostEdited}
	urgencies := []string{gpmock.UrgencyGreen, gpmock.UrgencyOrange, gpmock.UrgencyRed}
	targets := []string{"vk:-1", "vk:-2", "ok:3", "telegram:-4"}
	var posts []gpmock.Post
	for id := int64(1); id <= 400; id++ {
		var ts []string
		for _, x := range targets {
			if rng.IntN(3) == 0 {
				ts = append(ts, x)
			}
		}
		if ts == nil {
			ts = []string{}
		}
		posts = append(posts, gpmock.Post{ID: id, CabinetID: int64(rng.IntN(4) + 1), Status: statuses[rng.IntN(5)],
			Urgency: urgencies[rng.IntN(3)], Targets: ts, Comments: []gpmock.Comment{},
			CreatedAt: t0.Add(time.Duration(rng.IntN(1000)) * time.Minute)})
	}
	require.NoError(t, s.Replace(posts[:200]))
	for _, p := range posts[200:] {
		require.NoError(t, s.Put(p))
	}
	pick := func(xs []string) string {
		if rng.IntN(2) == 0 {
			return ""
		}
		return xs[rng.IntN(len(xs))]
	}
	for i := range 60 {
		q := gpmock.PostQuery{Status: pick(statuses), Urgency: pick(urgencies), Target: pick(targets), Limit: rng.IntN(40) + 1}
		for c := int64(1); c <= 5; c++ {
			if rng.IntN(2) == 0 {
				q.Cabinets = append(q.Cabinets, c)
			}
		}
		if rng.IntN(2) == 0 {
			q.From = t0.Add(time.Duration(rng.IntN(1000)) * time.Minute)
		}
		if rng.IntN(2) == 0 {
			q.To = t0.Add(time.Duration(rng.IntN(1000)) * time.Minute)
		}
		var want []int64
		for j := len(posts) - 1; j >= 0; j-- {
			if q.Match(&posts[j]) {
				want = append(want, posts[j].ID)
			}
		}
		// Page through with the cursor, as the API does.
		var got []int64
		for {
			page, err := s.List(q)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page), q.Limit)
			for _, p := range page {
				require.Equal(t, posts[p.ID-1], p)
			}
			got = append(got, ids(page)...)
			if len(page) < q.Limit {
				break
			}
			q.Before = page[len(page)-1].ID
		}
		require.Equal(t, fmt.Sprint(want), fmt.Sprint(got), "query %d: %+v", i, q)
	}
}
