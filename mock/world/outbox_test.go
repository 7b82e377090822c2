package world_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/world"
)

func TestOutboxFiltersAndBounds(t *testing.T) {
	o := world.NewOutbox(3)
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	o.Send(world.Message{Time: t0, Party: "gospubliki", Channel: world.ChannelEmail, To: "a@x.ru", Text: "1"})
	o.Send(world.Message{Time: t0.Add(time.Minute), Party: "vk", Channel: world.ChannelVK, To: "42", Text: "2"})
	m := o.Send(world.Message{Time: t0.Add(2 * time.Minute), Party: "gospubliki", Channel: world.ChannelEmail,
		To: "b@x.ru", Text: "3", Meta: map[string]string{"link": "l"}})
	require.Equal(t, uint64(3), m.Seq)

	got := o.Messages(world.OutboxFilter{Party: "GOSPUBLIKI"})
	require.Len(t, got, 2)
	require.Equal(t, []string{"1", "3"}, []string{got[0].Text, got[1].Text})
	require.Len(t, o.Messages(world.OutboxFilter{To: "42"}), 1)
	require.Len(t, o.Messages(world.OutboxFilter{Since: t0.Add(time.Minute), Until: t0.Add(2 * time.Minute)}), 1)
	require.Len(t, o.Messages(world.OutboxFilter{AfterSeq: 2}), 1)

	// A copy: changing what was returned changes nothing stored.
	got[1].Meta["link"] = "changed"
	last, ok := o.Last(world.OutboxFilter{Channel: world.ChannelEmail})
	require.True(t, ok)
	require.Equal(t, "l", last.Meta["link"])

	// Bounded: the oldest goes first.
	ch := o.Changed()
	o.Send(world.Message{Time: t0, Party: "pos", Channel: world.ChannelPOS, To: "7", Text: "4"})
	<-ch
	require.Equal(t, 3, o.Len())
	require.Empty(t, o.Messages(world.OutboxFilter{To: "a@x.ru"}))
	require.Equal(t, uint64(4), o.Seq())
}

func TestWorldResetEmptiesTheOutbox(t *testing.T) {
	w, err := world.New(world.WithEmptyScenario())
	require.NoError(t, err)
	w.Outbox.Send(world.Message{Party: "gospubliki", Channel: world.ChannelSMS, To: "+79990000000", Text: "code"})
	require.Equal(t, 1, w.Outbox.Len())
	w.Reset()
	require.Equal(t, 0, w.Outbox.Len())
	m := w.Outbox.Send(world.Message{Text: "after"})
	require.Equal(t, uint64(2), m.Seq, "sequence numbers go on after a reset")
}
