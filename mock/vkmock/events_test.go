package vkmock_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/world"
)

type delivered struct {
	body  map[string]any
	retry string
}

func TestCallbackAPIDelivery(t *testing.T) {
	e := newEnv(t)
	var code struct {
		Code string `json:"code"`
	}
	e.ok(&code, "groups.getCallbackConfirmationCode", e.user, "group_id", gid)
	got := make(chan delivered, 16)
	var refuse atomic.Int32
	refuse.Store(1) // the first event gets a non-ok answer
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		got <- delivered{m, r.Header.Get("X-Retry-Counter")}
		switch {
		case m["type"] == "confirmation":
			_, _ = io.WriteString(w, code.Code)
		case refuse.Add(-1) >= 0:
			_, _ = io.WriteString(w, "not ok")
		default:
			_, _ = io.WriteString(w, "ok")
		}
	}))
	defer recv.Close()

	var add struct {
		ServerID int64 `json:"server_id"`
	}
	e.ok(&add, "groups.addCallbackServer", e.group, "group_id", gid, "url", recv.URL, "title", "app", "secret_key", "s3cret")
	d := <-got
	assert.Equal(t, "confirmation", d.body["type"])
	assert.EqualValues(t, world.DefaultVKGroupID, d.body["group_id"])
	sid := strconv.FormatInt(add.ServerID, 10)
	_, err := e.w.Journal.Await(context.Background(), world.Filter{Party: "vk", Method: "callback"})
	require.NoError(t, err)
	waitFor(t, func() bool { return e.srv.CallbackStatus(world.DefaultVKGroupID, add.ServerID) == "ok" })
	e.ok(nil, "groups.setCallbackSettings", e.group, "group_id", gid, "server_id", sid, "api_version", "5.199", "wall_post_new", "1", "wall_reply_new", "1", "message_new", "1")
	var servers struct {
		Count int              `json:"count"`
		Items []map[string]any `json:"items"`
	}
	e.ok(&servers, "groups.getCallbackServers", e.group, "group_id", gid)
	require.Equal(t, 1, servers.Count)
	assert.Equal(t, "ok", servers.Items[0]["status"])

	var post struct {
		PostID int64 `json:"post_id"`
	}
	e.ok(&post, "wall.post", e.user, "owner_id", owner, "from_group", "1", "message", "Событие")
	d = <-got
	assert.Equal(t, "wall_post_new", d.body["type"])
	assert.Equal(t, "s3cret", d.body["secret"])
	assert.Equal(t, "0", d.retry)
	first := d.body["event_id"]
	// The non-ok answer is redelivered after the backoff on the world
	// clock, with X-Retry-Counter.
	select {
	case d = <-got:
		t.Fatalf("redelivered before the clock moved: %v", d.body)
	default:
	}
	waitFor(t, func() bool { return e.w.Clock.Pending() > 0 }) // the backoff is scheduled
	e.w.Clock.Advance(time.Minute)
	d = <-got
	assert.Equal(t, first, d.body["event_id"])
	assert.Equal(t, "1", d.retry)

	_, err = e.srv.PostComment(world.DefaultVKGroupID, post.PostID, world.DefaultEmployeeVKID, "Спасибо")
	require.NoError(t, err)
	d = <-got
	assert.Equal(t, "wall_reply_new", d.body["type"])
	obj := d.body["object"].(map[string]any)
	assert.EqualValues(t, post.PostID, obj["post_id"])
	_, err = e.srv.WriteToCommunity(world.DefaultVKGroupID, world.DefaultEmployeeVKID, "Вопрос")
	require.NoError(t, err)
	d = <-got
	assert.Equal(t, "message_new", d.body["type"])
	assert.Equal(t, "Вопрос", d.body["object"].(map[string]any)["message"].(map[string]any)["text"])

	// Ten servers at most.
	for i := 0; i < 9; i++ {
		e.ok(nil, "groups.addCallbackServer", e.group, "group_id", gid, "url", "http://127.0.0.1:1/", "title", "s"+strconv.Itoa(i))
	}
	assert.Equal(t, 2000, e.call("groups.addCallbackServer", e.group, "group_id", gid, "url", "http://127.0.0.1:1/", "title", "x").code())
}

func TestCallbackWrongConfirmationFails(t *testing.T) {
	e := newEnv(t)
	got := make(chan struct{}, 4)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "wrong")
		got <- struct{}{}
	}))
	defer recv.Close()
	var add struct {
		ServerID int64 `json:"server_id"`
	}
	e.ok(&add, "groups.addCallbackServer", e.user, "group_id", gid, "url", recv.URL, "title", "app")
	<-got
	waitFor(t, func() bool { return e.srv.CallbackStatus(world.DefaultVKGroupID, add.ServerID) == "failed" })
}

type lpAnswer struct {
	TS      json.RawMessage   `json:"ts"`
	Failed  int               `json:"failed"`
	Updates []json.RawMessage `json:"updates"`
}

func TestBotsLongPoll(t *testing.T) {
	e := newEnv(t)
	assert.Equal(t, 100, e.call("groups.getLongPollServer", e.group, "group_id", gid).code(), "disabled")
	e.ok(nil, "groups.setLongPollSettings", e.group, "group_id", gid, "enabled", "1", "wall_post_new", "1", "message_new", "1")
	var lp struct {
		Key    string `json:"key"`
		Server string `json:"server"`
		TS     string `json:"ts"`
	}
	e.ok(&lp, "groups.getLongPollServer", e.group, "group_id", gid)
	require.True(t, len(lp.Server) > len(e.url) && lp.Server[:len(e.url)] == e.url, lp.Server)
	poll := func(key, ts string, wait int) lpAnswer {
		t.Helper()
		q := url.Values{"act": {"a_check"}, "key": {key}, "ts": {ts}, "wait": {strconv.Itoa(wait)}}
		resp, err := http.Get(lp.Server + "?" + q.Encode())
		require.NoError(t, err)
		defer resp.Body.Close()
		var a lpAnswer
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&a))
		return a
	}
	a := poll(lp.Key, lp.TS, 0)
	assert.Zero(t, a.Failed)
	assert.Empty(t, a.Updates)

	// wait runs on the world clock.
	done := make(chan lpAnswer, 1)
	go func() { done <- poll(lp.Key, lp.TS, 25) }()
	waitFor(t, func() bool { return e.w.Clock.Pending() > 0 }) // the poll waits on the world clock
	e.w.Clock.Advance(25 * time.Second)
	a = <-done
	assert.Empty(t, a.Updates)
	assert.Equal(t, `"`+lp.TS+`"`, string(a.TS), "ts is a string in normal replies")

	// An event ends the wait.
	go func() { done <- poll(lp.Key, lp.TS, 25) }()
	waitFor(t, func() bool { return e.w.Clock.Pending() > 0 })
	_, err := e.srv.WriteToCommunity(world.DefaultVKGroupID, world.DefaultChiefVKID, "Привет")
	require.NoError(t, err)
	a = <-done
	require.Len(t, a.Updates, 1)
	var up map[string]any
	require.NoError(t, json.Unmarshal(a.Updates[0], &up))
	assert.Equal(t, "message_new", up["type"])
	var ts string
	require.NoError(t, json.Unmarshal(a.TS, &ts))

	// failed 1: a ts from the future; ts is a number there.
	a = poll(lp.Key, "99999", 0)
	assert.Equal(t, 1, a.Failed)
	assert.Equal(t, ts, string(a.TS))
	// failed 2: the key expires on the world clock.
	e.w.Clock.Advance(4 * time.Hour)
	assert.Equal(t, 2, poll(lp.Key, ts, 0).Failed)
	e.ok(&lp, "groups.getLongPollServer", e.group, "group_id", gid)
	assert.Zero(t, poll(lp.Key, ts, 0).Failed, "a new key, the same ts")
	// failed 3: the world was reset, the history is lost.
	e.w.Reset()
	assert.Equal(t, 3, poll(lp.Key, ts, 0).Failed)
}

// waitFor yields until cond holds (work of other goroutines, no wall-clock
// sleep), failing after a generous real-time bound.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		runtime.Gosched()
	}
}
