package mock_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/world"
)

type outboxAnswer struct {
	Messages []world.Message `json:"messages"`
	LastSeq  uint64          `json:"last_seq"`
}

// TestOutboxHTTP: GET /_mock/outbox filters by party, channel, recipient,
// sequence and time, per tenant, and long-polls with wait=.
func TestOutboxHTTP(t *testing.T) {
	sb, a, b := twoTenants(t)
	t0 := a.Clock.Now()
	a.World.Outbox.Send(world.Message{Time: t0, Party: "telegram", Channel: world.ChannelTelegram, To: "1", Text: "a1"})
	a.World.Outbox.Send(world.Message{Time: t0.Add(time.Minute), Party: "vk", Channel: world.ChannelVK, To: "2", Text: "a2"})
	a.World.Outbox.Send(world.Message{Time: t0.Add(2 * time.Minute), Party: "pos", Channel: world.ChannelPOS, To: "1", Text: "a3"})
	b.World.Outbox.Send(world.Message{Time: t0, Party: "telegram", Channel: world.ChannelTelegram, To: "1", Text: "b1"})

	get := func(token, query string) (int, outboxAnswer) {
		var out outboxAnswer
		code := actCtl(t, sb, token, "GET", "/_mock/outbox?"+query, "", &out)
		return code, out
	}
	texts := func(ms []world.Message) []string {
		out := []string{}
		for _, m := range ms {
			out = append(out, m.Text)
		}
		return out
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{"a1", "a2", "a3"}},
		{"party=TELEGRAM", []string{"a1"}},
		{"channel=vk", []string{"a2"}},
		{"to=1", []string{"a1", "a3"}},
		{"after_seq=1", []string{"a2", "a3"}},
		{"since=" + url.QueryEscape(t0.Add(time.Minute).Format(time.RFC3339)), []string{"a2", "a3"}},
		{"until=" + url.QueryEscape(t0.Add(time.Minute).Format(time.RFC3339)), []string{"a1"}},
		{"limit=1", []string{"a3"}},
	} {
		code, out := get("", c.query)
		require.Equal(t, 200, code, c.query)
		assert.Equal(t, c.want, texts(out.Messages), c.query)
		assert.Equal(t, uint64(3), out.LastSeq)
	}
	// Tenant b sees its own only, over HTTP and in Go.
	code, out := get(b.ControlToken(), "")
	require.Equal(t, 200, code)
	assert.Equal(t, []string{"b1"}, texts(out.Messages))
	assert.Equal(t, []string{"b1"}, texts(b.Outbox(world.OutboxFilter{})))
	assert.Equal(t, []string{"a1", "a2", "a3"}, texts(sb.Outbox(world.OutboxFilter{})))

	// Refusals.
	var e struct{ Error string }
	for _, q := range []string{"after_seq=x", "since=yesterday", "limit=-1", "wait=2h", "wait=x", "tenant=b", "recipient=1"} {
		assert.Equal(t, 400, actCtl(t, sb, "", "GET", "/_mock/outbox?"+q, "", &e), q)
		assert.NotEmpty(t, e.Error, q)
	}
	assert.Equal(t, 405, actCtl(t, sb, "", "DELETE", "/_mock/outbox", "", &e))

	// Long poll: a waiting request returns the next message for its filter.
	done := make(chan outboxAnswer, 1)
	go func() {
		_, out := get(b.ControlToken(), "after_seq=1&wait=30s")
		done <- out
	}()
	b.World.Outbox.Send(world.Message{Time: t0, Party: "vk", Channel: world.ChannelVK, To: "7", Text: "b2"})
	out = <-done
	assert.Equal(t, []string{"b2"}, texts(out.Messages))
	assert.Equal(t, uint64(2), out.LastSeq)
	// A long poll that times out answers an empty list.
	code, out = get(b.ControlToken(), "after_seq=2&wait=1ms")
	require.Equal(t, 200, code)
	assert.Empty(t, out.Messages)

	// AwaitOutbox ends with its context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := a.AwaitOutbox(ctx, world.OutboxFilter{To: strconv.Itoa(99)})
	require.ErrorIs(t, err, context.Canceled)
	// A reset empties the tenant's outbox only.
	a.Reset()
	assert.Empty(t, a.Outbox(world.OutboxFilter{}))
	assert.Len(t, b.Outbox(world.OutboxFilter{}), 2)
}
