package world_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/world"
)

func collect(r *world.Ring[int]) []int {
	var out []int
	r.All(func(v int) bool { out = append(out, v); return true })
	return out
}

func TestRingKeepsTheNewest(t *testing.T) {
	var dropped []int
	r := world.NewRing[int](3, nil, func(v int) { dropped = append(dropped, v) })
	for i := 1; i <= 5; i++ {
		r.Push(i)
	}
	assert.Equal(t, []int{3, 4, 5}, collect(r))
	assert.Equal(t, []int{1, 2}, dropped)
	var back []int
	r.Backward(func(v int) bool { back = append(back, v); return len(back) < 2 })
	assert.Equal(t, []int{5, 4}, back)
	r.Filter(func(v int) bool { return v != 4 })
	assert.Equal(t, []int{3, 5}, collect(r))
	r.Push(6)
	r.Push(7)
	assert.Equal(t, []int{5, 6, 7}, collect(r))
	r.Clear()
	assert.Zero(t, r.Len())
}

// TestRingsShareAQuota: two owners under one quota of 4; a full quota makes
// the owner that adds drop its own oldest item, never the other's.
func TestRingsShareAQuota(t *testing.T) {
	q := world.NewQuota(4)
	a := world.NewRing[int](10, q, nil)
	b := world.NewRing[int](10, q, nil)
	for i := 1; i <= 3; i++ {
		a.Push(i)
	}
	b.Push(100)
	assert.Equal(t, 4, q.Used())
	b.Push(101) // spent: b drops its own oldest
	assert.Equal(t, []int{101}, collect(b))
	assert.Equal(t, []int{1, 2, 3}, collect(a))
	a.Push(4)
	assert.Equal(t, []int{2, 3, 4}, collect(a))
	assert.Equal(t, 4, q.Used())
	a.Clear()
	assert.Equal(t, 1, q.Used(), "Clear returns the reservations")
	assert.Equal(t, 4, q.Limit())
}

func TestJournalBudgetAcrossWorlds(t *testing.T) {
	budget := world.NewBudget(5, 0)
	w1, err := world.New(world.WithBudget(budget), world.WithEmptyScenario())
	require.NoError(t, err)
	w2, err := world.New(world.WithBudget(budget), world.WithEmptyScenario(), world.WithJournalLimit(2))
	require.NoError(t, err)
	for i := 0; i < 4; i++ {
		w1.Journal.Record(world.Entry{Party: "telegram", Method: "a"})
	}
	for i := 0; i < 3; i++ {
		w2.Journal.Record(world.Entry{Party: "telegram", Method: "b"})
	}
	// The budget (5) was spent after w2's first entry: w2 then replaces its
	// own oldest entry, and w1 keeps its four.
	assert.Equal(t, 1, w2.Journal.Len())
	assert.Equal(t, 4, w1.Journal.Len())
	assert.Equal(t, 5, budget.Journal().Used())
	e, ok := w2.Journal.Last(world.Filter{})
	require.True(t, ok)
	assert.Equal(t, uint64(3), e.Seq, "the newest entry is kept")
	w3, err := world.New(world.WithEmptyScenario(), world.WithJournalLimit(2))
	require.NoError(t, err)
	for i := 0; i < 3; i++ {
		w3.Journal.Record(world.Entry{Party: "telegram", Method: "c"})
	}
	assert.Equal(t, 2, w3.Journal.Len(), "the world's own ring bound")
	last, ok := w1.Journal.Last(world.Filter{})
	require.True(t, ok)
	assert.Equal(t, uint64(4), last.Seq)
	assert.Equal(t, world.DefaultMessageLimit, w1.MessageLimit())
	assert.Same(t, budget.Messages(), w1.MessageQuota())
}
