package tgmock_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func TestFloodLimitsAnswer429WithBothForms(t *testing.T) {
	e := newEnv(t, tgmock.WithLimits(tgmock.DefaultLimits()))
	e.w.Clock.Freeze()
	for i := 0; i < 3; i++ {
		e.send(channelID, "burst")
	}
	r := e.call("sendMessage", map[string]any{"chat_id": channelID, "text": "one too many"})
	requireError(t, r, 429, "Too Many Requests: retry after 1")
	require.NotNil(t, r.resp.Parameters)
	assert.Equal(t, 1, r.resp.Parameters.RetryAfter)
	assert.Equal(t, "1", r.header.Get("Retry-After"))
	assert.JSONEq(t, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`, string(r.body))
	// A refused message was not sent.
	assert.Len(t, e.srv.Messages(channelID), 3)
	// Advancing the world clock refills the window.
	e.w.Clock.Advance(time.Second)
	e.send(channelID, "after a second")

	// 20 messages per minute in a group.
	e.srv.SetLimits(tgmock.Limits{GroupPerMinute: 20})
	for i := 0; i < 20; i++ {
		e.send(groupID, "g")
	}
	r = e.call("sendMessage", map[string]any{"chat_id": groupID, "text": "21st"})
	requireError(t, r, 429, "Too Many Requests: retry after 3")
	e.w.Clock.Advance(3 * time.Second)
	e.send(groupID, "ok again")

	// Global rate across chats.
	_, err := e.srv.StartBot(tgmock.DefaultBotID, chiefTG)
	require.NoError(t, err)
	e.srv.SetLimits(tgmock.Limits{GlobalPerSecond: 2})
	e.send(channelID, "1")
	e.send(groupID, "2")
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": chiefTG, "text": "3"}), 429, "Too Many Requests: retry after 1")
	// Disabled.
	e.srv.SetLimits(tgmock.Limits{Disabled: true})
	for i := 0; i < 50; i++ {
		e.send(channelID, "free")
	}
}

func TestFaults(t *testing.T) {
	e := newEnv(t)
	f := e.w.Faults
	// Error in Telegram's format on the 2nd call only.
	_, err := f.Add(world.Rule{Party: "telegram", Method: "sendMessage", Kind: world.FaultError, Code: 500, Description: "Internal Server Error", Nth: 2})
	require.NoError(t, err)
	e.send(channelID, "1")
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": channelID, "text": "2"}), 500, "Internal Server Error")
	e.send(channelID, "3")
	assert.Len(t, e.srv.Messages(channelID), 2, "a faulted call has no effect")
	f.Reset()

	// Rate-limit answer on the first two calls of any method.
	_, err = f.Add(world.Rule{Party: "telegram", Kind: world.FaultRateLimit, RetryAfter: 7, First: 2})
	require.NoError(t, err)
	r := e.call("getMe", nil)
	requireError(t, r, 429, "Too Many Requests: retry after 7")
	assert.Equal(t, "7", r.header.Get("Retry-After"))
	assert.Equal(t, 7, r.resp.Parameters.RetryAfter)
	requireError(t, e.call("getChat", map[string]any{"chat_id": channelID}), 429, "Too Many Requests: retry after 7")
	require.True(t, e.call("getMe", nil).resp.OK)
	last, _ := e.w.Journal.Last(world.Filter{Status: 429})
	assert.Equal(t, "f2", last.Fault)
	f.Reset()

	// Latency.
	_, err = f.Add(world.Rule{Party: "telegram", Method: "getme", Latency: 150 * time.Millisecond})
	require.NoError(t, err)
	t0 := time.Now()
	require.True(t, e.call("getMe", nil).resp.OK)
	assert.GreaterOrEqual(t, time.Since(t0), 150*time.Millisecond)
	f.Reset()

	// Drop before: no effect, no answer.
	_, err = f.Add(world.Rule{Party: "telegram", Method: "sendmessage", Kind: world.FaultDropBefore, First: 1})
	require.NoError(t, err)
	_, err = http.Post(e.hs.URL+"/bot"+e.token+"/sendMessage?chat_id="+i64(groupID)+"&text=lost", "", nil)
	require.Error(t, err)
	assert.Empty(t, e.srv.Messages(groupID))
	f.Reset()

	// Drop after: the message is sent but the client gets no answer.
	_, err = f.Add(world.Rule{Party: "telegram", Method: "sendmessage", Kind: world.FaultDropAfter, First: 1})
	require.NoError(t, err)
	_, err = http.Post(e.hs.URL+"/bot"+e.token+"/sendMessage?chat_id="+i64(groupID)+"&text=ghost", "", nil)
	require.Error(t, err)
	msgs := e.srv.Messages(groupID)
	require.Len(t, msgs, 1)
	assert.Equal(t, "ghost", msgs[0].Text)
	last, _ = e.w.Journal.Last(world.Filter{Method: "sendmessage"})
	assert.Equal(t, 0, last.Status)
	f.Reset()

	// Seeded probability is reproducible.
	pattern := func() string {
		ff := world.NewFaults()
		_, err := ff.Add(world.Rule{Kind: world.FaultError, Code: 500, Probability: 0.5, Seed: 42})
		require.NoError(t, err)
		var b strings.Builder
		for i := 0; i < 32; i++ {
			if ff.Match("telegram", "getme", "") != nil {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	p1 := pattern()
	assert.Equal(t, p1, pattern())
	assert.Contains(t, p1, "x")
	assert.Contains(t, p1, ".")
}

func TestLatencyRespectsClientCancel(t *testing.T) {
	e := newEnv(t)
	_, err := e.w.Faults.Add(world.Rule{Party: "telegram", Latency: time.Hour})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.hs.URL+"/bot"+e.token+"/getMe", nil)
	resp, err := http.DefaultClient.Do(req)
	if resp != nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	require.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
	_, err = e.w.Journal.Await(context.Background(), world.Filter{Method: "getme"})
	require.NoError(t, err)
}

func TestFloodLimitToleratesJitter(t *testing.T) {
	e := newEnv(t, tgmock.WithLimits(tgmock.Limits{ChatPerSecond: 1, ChatBurst: 1}))
	e.w.Clock.Freeze()
	e.send(channelID, "1")
	e.w.Clock.Advance(960 * time.Millisecond) // 40 ms early: accepted
	e.send(channelID, "2")
	e.w.Clock.Advance(900 * time.Millisecond) // 100 ms early: refused
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": channelID, "text": "3"}), 429, "Too Many Requests: retry after 1")
}

// TestFaultErrorAfterStoresTheMessage injects "the message was stored but
// the client got a 5xx": the request runs, its answer is replaced by the
// rule's error in Telegram's format.
func TestFaultErrorAfterStoresTheMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, err := e.w.Faults.Add(world.Rule{Party: "telegram", Method: "sendMessage", Kind: world.FaultErrorAfter, Code: 502, Description: "Bad Gateway", Nth: 1})
	require.NoError(t, err)

	r := e.call("sendMessage", map[string]any{"chat_id": groupID, "text": "stored"})
	requireError(t, r, 502, "Bad Gateway")
	assert.Nil(t, r.resp.Result, "the real answer is thrown away")
	msgs := e.srv.Messages(groupID)
	require.Len(t, msgs, 1, "the request took effect")
	assert.Equal(t, "stored", msgs[0].Text)

	last, ok := e.w.Journal.Last(world.Filter{Method: "sendmessage"})
	require.True(t, ok)
	assert.Equal(t, id, last.Fault)
	assert.Equal(t, 502, last.Status)
	assert.Equal(t, 502, last.Code)
	assert.Equal(t, "Bad Gateway", last.Description)

	// Without a description the HTTP status text is used; a failing request
	// still fails with the rule's error.
	_, err = e.w.Faults.Add(world.Rule{Party: "telegram", Kind: world.FaultErrorAfter, Code: 500})
	require.NoError(t, err)
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": groupID, "text": "again"}), 500, "Internal Server Error")
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": groupID}), 500, "Internal Server Error")
	assert.Len(t, e.srv.Messages(groupID), 2)

	_, err = e.w.Faults.Add(world.Rule{Kind: world.FaultErrorAfter})
	assert.ErrorIs(t, err, world.ErrInvalidRule, "error_after needs a code")
}

// TestMediaGroupSpendsOneUnitPerItem pins the flood-control cost of an
// album: each item is a message, as in Telegram, so an album of n items
// spends n units of every window it passes through.
func TestMediaGroupSpendsOneUnitPerItem(t *testing.T) {
	t.Parallel()
	e := newEnv(t, tgmock.WithLimits(tgmock.Limits{GlobalPerSecond: 30, GroupPerMinute: 20}))
	e.w.Clock.Freeze()
	album := func(chatID int64, n int) result {
		media := make([]any, n)
		for i := range media {
			media[i] = map[string]any{"type": "photo", "media": "https://x.invalid/" + strconv.Itoa(i) + ".png"}
		}
		return e.call("sendMediaGroup", map[string]any{"chat_id": chatID, "media": media})
	}
	// A group allows 20 messages a minute: two albums of 10 use it up.
	require.True(t, album(groupID, 10).resp.OK)
	require.True(t, album(groupID, 10).resp.OK)
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": groupID, "text": "21st"}), 429, "Too Many Requests: retry after 3")
	// 30 per second for the bot: the 20 album items and 10 more are the lot.
	require.True(t, album(channelID, 10).resp.OK)
	requireError(t, album(channelID, 2), 429, "Too Many Requests: retry after 1")
	assert.Len(t, e.srv.Messages(groupID), 20)
	assert.Len(t, e.srv.Messages(channelID), 10)
}
