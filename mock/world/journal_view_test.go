package world_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/world"
)

// TestJournalTimeFilter: Since is inclusive, Until exclusive, both on the
// entries' world-clock times.
func TestJournalTimeFilter(t *testing.T) {
	j := world.NewJournal(0)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range 5 {
		j.Record(world.Entry{Party: "vk", Time: t0.Add(time.Duration(i) * time.Hour)})
	}
	seqs := func(f world.Filter) []uint64 {
		var out []uint64
		for _, e := range j.Entries(f) {
			out = append(out, e.Seq)
		}
		return out
	}
	assert.Equal(t, []uint64{2, 3, 4, 5}, seqs(world.Filter{Since: t0.Add(time.Hour)}))
	assert.Equal(t, []uint64{1, 2}, seqs(world.Filter{Until: t0.Add(2 * time.Hour)}))
	assert.Equal(t, []uint64{3}, seqs(world.Filter{Since: t0.Add(2 * time.Hour), Until: t0.Add(3 * time.Hour)}))
	assert.Empty(t, seqs(world.Filter{Since: t0.Add(5 * time.Hour)}))
	assert.Len(t, seqs(world.Filter{}), 5)
}

// TestJournalDecodedIsCopied: a reader cannot change the decoded view of
// a stored entry through the copy it got.
func TestJournalDecodedIsCopied(t *testing.T) {
	j := world.NewJournal(0)
	j.Record(world.Entry{Party: "vk", Params: map[string]string{"owner_id": "-1"},
		Decoded: &world.Decoded{VK: &world.VKCall{Method: "wall.post", Params: map[string]string{"owner_id": "-1"}}}})
	j.Record(world.Entry{Party: "esia", Decoded: &world.Decoded{ESIA: &world.ESIACall{Endpoint: "te", Scopes: []string{"openid"}}}})
	for _, e := range j.Entries(world.Filter{}) {
		if e.Decoded.VK != nil {
			e.Decoded.VK.Params["owner_id"] = "changed"
			e.Decoded.VK.Method = "changed"
		}
		if e.Decoded.ESIA != nil {
			e.Decoded.ESIA.Scopes[0] = "changed"
		}
	}
	vk, _ := j.Last(world.Filter{Party: "vk"})
	assert.Equal(t, "wall.post", vk.Decoded.VK.Method)
	assert.Equal(t, "-1", vk.Decoded.VK.Params["owner_id"])
	es, _ := j.Last(world.Filter{Party: "esia"})
	assert.Equal(t, []string{"openid"}, es.Decoded.ESIA.Scopes)
}

// TestJournalStaysBoundedWithDecodedViews: entries with decoded views
// still replace the oldest once the limit is reached.
func TestJournalStaysBoundedWithDecodedViews(t *testing.T) {
	j := world.NewJournal(64)
	for i := range 1000 {
		p := map[string]string{"i": fmt.Sprint(i)}
		j.Record(world.Entry{Party: "vk", Params: p, Decoded: &world.Decoded{VK: &world.VKCall{Method: "wall.post", Params: p}}})
	}
	assert.Equal(t, 64, j.Len())
	all := j.Entries(world.Filter{})
	require.Len(t, all, 64)
	assert.Equal(t, uint64(937), all[0].Seq)
	assert.Equal(t, "999", all[63].Decoded.VK.Params["i"])
}

// TestJournalFollow: Follow yields the entries present, then each new one
// as it is recorded (woken by the journal, not by a timer), honouring the
// filter and AfterSeq, and stops with its context.
func TestJournalFollow(t *testing.T) {
	j := world.NewJournal(0)
	j.Record(world.Entry{Party: "vk"})
	j.Record(world.Entry{Party: "ok"})
	j.Record(world.Entry{Party: "vk"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan world.Entry)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e := range j.Follow(ctx, world.Filter{Party: "vk", AfterSeq: 1}) {
			got <- e
		}
	}()
	assert.Equal(t, uint64(3), (<-got).Seq)
	j.Record(world.Entry{Party: "ok"})
	j.Record(world.Entry{Party: "vk"})
	assert.Equal(t, uint64(5), (<-got).Seq)
	j.Record(world.Entry{Party: "vk"})
	assert.Equal(t, uint64(6), (<-got).Seq)
	cancel()
	<-done

	// Changed is closed by the next Record.
	ch := j.Changed()
	select {
	case <-ch:
		t.Fatal("closed before a record")
	default:
	}
	j.Record(world.Entry{})
	<-ch
}

// TestFaultParamsMatch: a rule with Params matches only requests whose
// parameters hold every listed value exactly; Match (no parameters) never
// triggers it; List returns copies.
func TestFaultParamsMatch(t *testing.T) {
	f := world.NewFaults()
	params := map[string]string{"owner_id": "-123"}
	id, err := f.Add(world.Rule{Party: "vk", Method: "wall.post", Kind: world.FaultError, Code: 15, Params: params})
	require.NoError(t, err)
	params["owner_id"] = "-999" // the rule keeps its own copy
	p := func(kv ...string) func() map[string]string {
		return func() map[string]string {
			m := map[string]string{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i]] = kv[i+1]
			}
			return m
		}
	}
	assert.Nil(t, f.Match("vk", "wall.post", ""))
	assert.Nil(t, f.MatchParams("vk", "wall.post", "", p("owner_id", "-999")))
	assert.Nil(t, f.MatchParams("vk", "wall.post", "", p("owner_id", "-1234")))
	assert.Nil(t, f.MatchParams("vk", "wall.get", "", p("owner_id", "-123")))
	hit := f.MatchParams("vk", "WALL.POST", "", p("owner_id", "-123", "message", "x"))
	require.NotNil(t, hit)
	assert.Equal(t, id, hit.ID)
	f.List()[0].Params["owner_id"] = "changed"
	assert.Equal(t, "-123", f.List()[0].Params["owner_id"])
	_, err = f.Add(world.Rule{Kind: world.FaultDropBefore, Params: map[string]string{"": "x"}})
	assert.ErrorIs(t, err, world.ErrInvalidRule)

	// Parameters are fetched once per call, and only when a rule needs them.
	calls := 0
	counted := func() map[string]string { calls++; return map[string]string{"owner_id": "-123"} }
	_, err = f.Add(world.Rule{Party: "vk", Kind: world.FaultDropBefore, Params: map[string]string{"owner_id": "-123"}})
	require.NoError(t, err)
	f.MatchParams("vk", "wall.post", "", counted)
	assert.Equal(t, 1, calls)
	f.MatchParams("ok", "wall.post", "", counted)
	assert.Equal(t, 1, calls, "no rule of party ok")
}

// TestFaultSeedReplay: a probabilistic rule with a seed fires on the same
// calls after the rules are reset and the rule added again, and on other
// calls with another seed.
func TestFaultSeedReplay(t *testing.T) {
	run := func(seed uint64) []int {
		f := world.NewFaults()
		_, err := f.Add(world.Rule{Party: "vk", Kind: world.FaultError, Code: 10, Probability: 0.3, Seed: seed})
		require.NoError(t, err)
		var fired []int
		for i := range 200 {
			if f.Match("vk", "wall.post", "") != nil {
				fired = append(fired, i)
			}
		}
		return fired
	}
	first := run(42)
	assert.InDelta(t, 60, len(first), 25, "about 30%% of 200 calls")
	assert.Equal(t, first, run(42), "the same seed, the same calls")
	assert.NotEqual(t, first, run(43))

	// Reset and re-add on one rule set replays too.
	f := world.NewFaults()
	rule := world.Rule{ID: "p", Party: "vk", Kind: world.FaultDropBefore, Probability: 0.5, Seed: 7}
	seq := func() []bool {
		_, err := f.Add(rule)
		require.NoError(t, err)
		out := make([]bool, 50)
		for i := range out {
			out[i] = f.Match("vk", "x", "") != nil
		}
		f.Reset()
		return out
	}
	assert.Equal(t, seq(), seq())
}
