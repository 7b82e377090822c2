package tgmock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/tgmock"
)

func updates(t *testing.T, r result) []tgmock.Update {
	t.Helper()
	var ups []tgmock.Update
	r.decode(t, &ups)
	return ups
}

func TestBotsNeverReceiveTheirOwnMessages(t *testing.T) {
	e := newEnv(t)
	e.send(channelID, "mine")
	e.send(groupID, "mine too")
	assert.Empty(t, updates(t, e.call("getUpdates", nil)))
}

func TestOtherBotsReceiveChannelPosts(t *testing.T) {
	e := newEnv(t)
	other := tgmock.Bot{ID: 7100, Token: tgmock.NewBotToken(7100, 9), Username: "other_bot", FirstName: "Other"}
	require.NoError(t, e.srv.AddBot(other))
	require.NoError(t, e.srv.SetAdmin(channelID, 7100, tgmock.AdminRights{CanPostMessages: true}))
	require.NoError(t, e.srv.SetAdmin(groupID, 7100, tgmock.AdminRights{CanPostMessages: true}))
	e.send(channelID, "post")
	e.send(groupID, "bots do not see bots in groups")
	ups := updates(t, e.callAs(other.Token, "getUpdates", nil))
	require.Len(t, ups, 3)
	assert.NotNil(t, ups[0].MyChatMember)
	require.NotNil(t, ups[2].ChannelPost)
	assert.Equal(t, "post", ups[2].ChannelPost.Text)
}

func TestGetUpdatesOffsets(t *testing.T) {
	e := newEnv(t)
	for _, s := range []string{"one", "two", "three"} {
		_, err := e.srv.PostAsUser(groupID, empTG, s)
		require.NoError(t, err)
	}
	ups := updates(t, e.call("getUpdates", nil))
	require.Len(t, ups, 3)
	assert.Equal(t, "message", "message")
	assert.Equal(t, "one", ups[0].Message.Text)
	assert.Equal(t, empTG, ups[0].Message.From.ID)
	first := ups[0].UpdateID
	assert.Equal(t, first+1, ups[1].UpdateID)
	// Without an offset nothing is confirmed.
	assert.Len(t, updates(t, e.call("getUpdates", nil)), 3)
	// limit
	assert.Len(t, updates(t, e.call("getUpdates", map[string]any{"limit": 2})), 2)
	// offset confirms earlier updates.
	ups = updates(t, e.call("getUpdates", map[string]any{"offset": first + 1}))
	require.Len(t, ups, 2)
	assert.Equal(t, "two", ups[0].Message.Text)
	assert.Len(t, updates(t, e.call("getUpdates", nil)), 2)
	// A negative offset keeps the last -offset updates and forgets the rest.
	ups = updates(t, e.call("getUpdates", map[string]any{"offset": -1}))
	require.Len(t, ups, 1)
	assert.Equal(t, "three", ups[0].Message.Text)
	assert.Len(t, updates(t, e.call("getUpdates", nil)), 1)
	// Confirm everything.
	assert.Empty(t, updates(t, e.call("getUpdates", map[string]any{"offset": ups[0].UpdateID + 1})))
	// allowed_updates filters later updates.
	e.call("getUpdates", map[string]any{"allowed_updates": []string{"channel_post"}})
	_, _ = e.srv.PostAsUser(groupID, empTG, "filtered")
	_, _ = e.srv.PostAsUser(channelID, chiefTG, "kept")
	ups = updates(t, e.call("getUpdates", nil))
	require.Len(t, ups, 1)
	assert.Equal(t, "kept", ups[0].ChannelPost.Text)
	require.NotNil(t, ups[0].ChannelPost.SenderChat)
}

func TestPrivacyModeAndCommands(t *testing.T) {
	e := newEnv(t)
	// Demote the bot to a plain member: in privacy mode it sees commands only.
	require.NoError(t, e.srv.RemoveAdmin(groupID, tgmock.DefaultBotID))
	e.call("getUpdates", map[string]any{"offset": -1})
	e.call("getUpdates", map[string]any{"offset": 1 << 40})
	_, _ = e.srv.PostAsUser(groupID, empTG, "chatter")
	_, _ = e.srv.PostAsUser(groupID, empTG, "/start now")
	ups := updates(t, e.call("getUpdates", nil))
	require.Len(t, ups, 1)
	assert.Equal(t, "/start now", ups[0].Message.Text)
	assert.Equal(t, []tgmock.MessageEntity{{Type: "bot_command", Length: 6}}, ups[0].Message.Entities)
	// Private messages.
	_, err := e.srv.WriteToBot(tgmock.DefaultBotID, 777, "hi bot")
	require.NoError(t, err)
	ups = updates(t, e.call("getUpdates", map[string]any{"offset": ups[0].UpdateID + 1}))
	require.Len(t, ups, 1)
	assert.Equal(t, "private", ups[0].Message.Chat.Type)
	// The bot may answer the user now.
	m := e.send(777, "hello")
	assert.Equal(t, int64(777), m.Chat.ID)
	assert.Len(t, e.srv.PrivateMessages(tgmock.DefaultBotID, 777), 2)
}

func TestLongPollWakesEarlyAndConflicts(t *testing.T) {
	e := newEnv(t)
	e.w.Clock.Freeze() // a long poll's timeout runs on the world clock
	done := make(chan []tgmock.Update, 1)
	go func() {
		done <- updates(t, e.call("getUpdates", map[string]any{"timeout": 10}))
	}()
	awaitPolling(t, e)
	assert.Zero(t, e.w.Journal.Count("telegram", "getupdates"), "the long poll is still waiting")
	_, err := e.srv.PostAsUser(groupID, empTG, "wake up")
	require.NoError(t, err)
	select {
	case ups := <-done:
		require.Len(t, ups, 1)
	case <-time.After(5 * time.Second):
		t.Fatal("long poll did not wake")
	}
	// Confirm, then a second poller terminates the first with 409.
	e.call("getUpdates", map[string]any{"offset": 1 << 40})
	first := make(chan result, 1)
	go func() { first <- e.call("getUpdates", map[string]any{"timeout": 10}) }()
	awaitPolling(t, e)
	second := make(chan result, 1)
	go func() { second <- e.call("getUpdates", map[string]any{"timeout": 1}) }()
	select {
	case r := <-first:
		requireError(t, r, 409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
	case <-time.After(5 * time.Second):
		t.Fatal("first poller was not terminated")
	}
	// The second poller times out on the world clock with an empty list.
	awaitPolling(t, e)
	e.w.Clock.Advance(999 * time.Millisecond)
	select {
	case r := <-second:
		t.Fatalf("the long poll ended before its timeout: %s", r.body)
	default:
	}
	e.w.Clock.Advance(time.Millisecond)
	select {
	case r := <-second:
		require.True(t, r.resp.OK, string(r.body))
		assert.Empty(t, updates(t, r))
	case <-time.After(5 * time.Second):
		t.Fatal("the long poll outlived its timeout on the world clock")
	}
}

type hookRecorder struct {
	mu      sync.Mutex
	bodies  []tgmock.Update
	secrets []string
	fail    atomic.Int32 // number of deliveries to fail with 500
}

func (h *hookRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.fail.Load() > 0 {
		h.fail.Add(-1)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	data, _ := io.ReadAll(r.Body)
	var u tgmock.Update
	_ = json.Unmarshal(data, &u)
	h.mu.Lock()
	h.bodies = append(h.bodies, u)
	h.secrets = append(h.secrets, r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
	h.mu.Unlock()
}

func (h *hookRecorder) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.bodies)
}

func TestWebhookDeliveryRedeliveryAndConflict(t *testing.T) {
	e := newEnv(t, tgmock.WithWebhookRetry(10*time.Millisecond, 40*time.Millisecond))
	e.w.Clock.Freeze() // redeliveries wait for the test to move the clock
	rec := &hookRecorder{}
	rec.fail.Store(2)
	hook := httptest.NewServer(rec)
	defer hook.Close()

	requireError(t, e.call("setWebhook", map[string]any{"url": hook.URL, "secret_token": "bad token!"}), 400, "Bad Request: secret token contains unallowed characters")
	requireError(t, e.call("setWebhook", map[string]any{"url": "http://example.com/hook"}), 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
	require.True(t, e.call("setWebhook", map[string]any{"url": hook.URL + "/tg", "secret_token": "S3cret_-x", "max_connections": 5}).resp.OK)
	requireError(t, e.call("getUpdates", nil), 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")

	_, err := e.srv.PostAsUser(groupID, empTG, "one")
	require.NoError(t, err)
	_, err = e.srv.PostAsUser(groupID, empTG, "two")
	require.NoError(t, err)
	e.srv.WaitWebhooksIdle()
	assert.Zero(t, rec.count(), "the first attempt failed; its redelivery waits its backoff on the world clock")
	e.w.Clock.Advance(time.Minute) // past both backoffs: Advance returns after the redeliveries
	e.srv.WaitWebhooksIdle()
	require.Equal(t, 2, rec.count())
	rec.mu.Lock()
	assert.Equal(t, "one", rec.bodies[0].Message.Text, "order is kept across redelivery")
	assert.Equal(t, "two", rec.bodies[1].Message.Text)
	assert.Equal(t, []string{"S3cret_-x", "S3cret_-x"}, rec.secrets)
	rec.mu.Unlock()

	var info tgmock.WebhookInfo
	e.call("getWebhookInfo", nil).decode(t, &info)
	assert.Zero(t, info.PendingUpdateCount)
	assert.Equal(t, hook.URL+"/tg", info.URL)
	assert.Equal(t, 5, info.MaxConnections)
	assert.NotZero(t, info.LastErrorDate)
	assert.Equal(t, "Wrong response from the webhook: 500 Internal Server Error", info.LastErrorMessage)

	// A dead endpoint keeps updates pending.
	hook.Close()
	_, _ = e.srv.PostAsUser(groupID, empTG, "three")
	e.srv.WaitWebhooksIdle()
	e.call("getWebhookInfo", nil).decode(t, &info)
	assert.Equal(t, 1, info.PendingUpdateCount)
	assert.NotEqual(t, "Wrong response from the webhook: 500 Internal Server Error", info.LastErrorMessage)
	require.True(t, e.call("deleteWebhook", map[string]any{"drop_pending_updates": true}).resp.OK)
	assert.Empty(t, updates(t, e.call("getUpdates", nil)))
}

func TestWebhookAnswerWithMethod(t *testing.T) {
	e := newEnv(t)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"method":"sendMessage","chat_id":`+i64(groupID)+`,"text":"pong"}`)
	}))
	defer hook.Close()
	require.True(t, e.call("setWebhook", map[string]any{"url": hook.URL}).resp.OK)
	_, err := e.srv.PostAsUser(groupID, empTG, "/ping")
	require.NoError(t, err)
	e.srv.WaitWebhooksIdle() // the answer's method runs once its delivery settled
	msgs := e.srv.Messages(groupID)
	require.Len(t, msgs, 2)
	assert.Equal(t, "pong", msgs[1].Text)
}

// TestWebhookChangeDuringDeliveryDeliversOnce changes the webhook while a
// delivery to the old one is in flight: the update answered 200 by the old
// endpoint must not be delivered again to the new one, and later updates go
// to the new one only.
func TestWebhookChangeDuringDeliveryDeliversOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, tgmock.WithWebhookRetry(10*time.Millisecond, 40*time.Millisecond))
	e.w.Clock.Freeze() // redeliveries wait for the test to move the clock

	arrived := make(chan struct{})
	release := make(chan struct{})
	var first sync.Once
	oldRec, newRec := &hookRecorder{}, &hookRecorder{}
	oldHook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		oldRec.ServeHTTP(w, r)
		first.Do(func() {
			close(arrived)
			<-release // blocks until the test has replaced the webhook
		})
	}))
	defer oldHook.Close()
	newHook := httptest.NewServer(newRec)
	defer newHook.Close()

	require.True(t, e.call("setWebhook", map[string]any{"url": oldHook.URL}).resp.OK)
	_, err := e.srv.PostAsUser(groupID, empTG, "one")
	require.NoError(t, err)
	select {
	case <-arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("the first update never reached the old webhook")
	}
	require.True(t, e.call("setWebhook", map[string]any{"url": newHook.URL}).resp.OK)
	close(release)

	_, err = e.srv.PostAsUser(groupID, empTG, "two")
	require.NoError(t, err)
	// A barrier past which nothing more can be delivered: the deliveries
	// under way end, then the world clock passes every redelivery backoff
	// (Advance returns after the redeliveries it ran), and they end again.
	e.srv.WaitWebhooksIdle()
	e.w.Clock.Advance(time.Hour)
	e.srv.WaitWebhooksIdle()
	assert.Zero(t, e.w.Clock.Pending(), "no redelivery is scheduled")

	texts := func(h *hookRecorder) []string {
		h.mu.Lock()
		defer h.mu.Unlock()
		out := make([]string, 0, len(h.bodies))
		for _, u := range h.bodies {
			out = append(out, u.Message.Text)
		}
		return out
	}
	assert.Equal(t, []string{"one"}, texts(oldRec), "the in-flight update completes at the old webhook")
	assert.Equal(t, []string{"two"}, texts(newRec), "the new webhook gets only later updates")
	var info tgmock.WebhookInfo
	e.call("getWebhookInfo", nil).decode(t, &info)
	assert.Zero(t, info.PendingUpdateCount)
}

// TestWebhookDeleteDuringDeliveryKeepsAcceptedUpdate deletes the webhook
// while a delivery is in flight: the endpoint's 2xx still takes the update
// off the queue, so getUpdates does not return it a second time.
func TestWebhookDeleteDuringDeliveryKeepsAcceptedUpdate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	arrived := make(chan struct{})
	release := make(chan struct{})
	rec := &hookRecorder{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.ServeHTTP(w, r)
		close(arrived)
		<-release
	}))
	defer hook.Close()

	require.True(t, e.call("setWebhook", map[string]any{"url": hook.URL}).resp.OK)
	_, err := e.srv.PostAsUser(groupID, empTG, "once")
	require.NoError(t, err)
	select {
	case <-arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("the update never reached the webhook")
	}
	require.True(t, e.call("deleteWebhook", nil).resp.OK)
	close(release)
	e.srv.WaitWebhooksIdle()
	var info tgmock.WebhookInfo
	e.call("getWebhookInfo", nil).decode(t, &info)
	assert.Zero(t, info.PendingUpdateCount)
	assert.Empty(t, updates(t, e.call("getUpdates", nil)))
	assert.Equal(t, 1, rec.count())
}

// heldHook is a webhook endpoint that holds its first request until
// released, then answers it with status.
type heldHook struct {
	rec      hookRecorder
	arrived  chan struct{}
	release  chan struct{}
	status   int
	firstReq sync.Once
}

func newHeldHook(status int) *heldHook {
	return &heldHook{arrived: make(chan struct{}), release: make(chan struct{}), status: status}
}

func (h *heldHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.rec.ServeHTTP(httptest.NewRecorder(), r)
	held := false
	h.firstReq.Do(func() { held = true })
	if held {
		close(h.arrived)
		<-h.release
	}
	w.WriteHeader(h.status)
}

// pollDuringDelivery deletes the webhook while its delivery of one update
// is held at the endpoint, then calls getUpdates and releases the
// endpoint once getUpdates waits for the delivery. It returns what
// getUpdates answered.
func pollDuringDelivery(t *testing.T, status int) (*env, *heldHook, []tgmock.Update) {
	t.Helper()
	waiting := make(chan struct{})
	var once sync.Once
	e := newEnv(t, tgmock.WithWebhookRetry(time.Hour, time.Hour),
		tgmock.WithInflightWaitHook(func() { once.Do(func() { close(waiting) }) }))
	hh := newHeldHook(status)
	hook := httptest.NewServer(hh)
	t.Cleanup(hook.Close)

	require.True(t, e.call("setWebhook", map[string]any{"url": hook.URL}).resp.OK)
	_, err := e.srv.PostAsUser(groupID, empTG, "once")
	require.NoError(t, err)
	select {
	case <-hh.arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("the update never reached the webhook")
	}
	require.True(t, e.call("deleteWebhook", nil).resp.OK)

	res := make(chan result, 1)
	go func() { res <- e.call("getUpdates", nil) }()
	select {
	case <-waiting:
	case r := <-res:
		close(hh.release)
		require.Empty(t, updates(t, r), "getUpdates handed out the update the old webhook is still delivering")
		t.Fatal("getUpdates answered without waiting for the delivery")
	case <-time.After(5 * time.Second):
		t.Fatal("getUpdates neither answered nor waited for the delivery")
	}
	close(hh.release)
	select {
	case r := <-res:
		return e, hh, updates(t, r)
	case <-time.After(5 * time.Second):
		t.Fatal("getUpdates did not answer after the delivery settled")
		return nil, nil, nil
	}
}

// TestGetUpdatesDuringAcceptedDeliveryDeliversOnce calls getUpdates after
// deleteWebhook while the old webhook's delivery is still running: the
// endpoint then accepts the update, so getUpdates must not return it too.
func TestGetUpdatesDuringAcceptedDeliveryDeliversOnce(t *testing.T) {
	t.Parallel()
	e, hh, ups := pollDuringDelivery(t, http.StatusOK)
	assert.Empty(t, ups, "the update went to the webhook")
	assert.Equal(t, 1, hh.rec.count())
	assert.Empty(t, updates(t, e.call("getUpdates", nil)))
	var info tgmock.WebhookInfo
	e.call("getWebhookInfo", nil).decode(t, &info)
	assert.Zero(t, info.PendingUpdateCount)
}

// TestGetUpdatesDuringFailedDeliveryGetsTheUpdate is the other outcome:
// the endpoint refuses the update, which stays queued, so the waiting
// getUpdates returns it.
func TestGetUpdatesDuringFailedDeliveryGetsTheUpdate(t *testing.T) {
	t.Parallel()
	e, hh, ups := pollDuringDelivery(t, http.StatusInternalServerError)
	require.Len(t, ups, 1)
	assert.Equal(t, "once", ups[0].Message.Text)
	assert.Len(t, updates(t, e.call("getUpdates", nil)), 1, "not confirmed yet")
	assert.Empty(t, updates(t, e.call("getUpdates", map[string]any{"offset": ups[0].UpdateID + 1})))
	assert.Equal(t, 1, hh.rec.count(), "a deleted webhook is not retried")
}

// TestGetUpdatesWaitIsBoundedByDeliveryTimeout holds the old webhook's
// delivery past the delivery timeout (the webhook client's Timeout): the
// delivery fails, and getUpdates, which waited for it, returns the update.
func TestGetUpdatesWaitIsBoundedByDeliveryTimeout(t *testing.T) {
	t.Parallel()
	const deliveryTimeout = 300 * time.Millisecond
	arrived := make(chan struct{})
	var first sync.Once
	done := make(chan struct{})
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		first.Do(func() { close(arrived) })
		select { // never answers; the emulator gives up
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(hook.Close)
	t.Cleanup(func() { close(done) })
	e := newEnv(t, tgmock.WithWebhookRetry(time.Hour, time.Hour),
		tgmock.WithWebhookClient(&http.Client{Timeout: deliveryTimeout}))
	require.True(t, e.call("setWebhook", map[string]any{"url": hook.URL}).resp.OK)
	_, err := e.srv.PostAsUser(groupID, empTG, "slow")
	require.NoError(t, err)
	select {
	case <-arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("the update never reached the webhook")
	}
	require.True(t, e.call("deleteWebhook", nil).resp.OK)
	ups := updates(t, e.call("getUpdates", nil))
	require.Len(t, ups, 1)
	assert.Equal(t, "slow", ups[0].Message.Text)
}
