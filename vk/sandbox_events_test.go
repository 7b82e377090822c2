package vk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/vk"
)

// eventLog records the events a handler was given, by event_id.
type eventLog struct {
	mu    sync.Mutex
	count map[string]int
	types []string
}

func (l *eventLog) handle(_ context.Context, e *vk.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.count == nil {
		l.count = map[string]int{}
	}
	l.count[e.EventID]++
	l.types = append(l.types, e.Type)
	return nil
}

func (l *eventLog) snapshot() (map[string]int, []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := make(map[string]int, len(l.count))
	for k, v := range l.count {
		m[k] = v
	}
	return m, append([]string(nil), l.types...)
}

// hit is one delivery the emulator made to the callback server.
type hit struct {
	eventType string
	retry     string
	status    int
}

// TestCallbackRedeliveryHandledOnce: the emulator delivers events to a
// vk.CallbackHandler; the first answer to wall_post_new is lost on the way
// back (a proxy answers 502 after the handler said "ok"), so the emulator
// redelivers it with X-Retry-Counter on the world clock. The handler
// handles every event exactly once.
func TestCallbackRedeliveryHandledOnce(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("vk"), mock.WithFrozenClock(coretest.Epoch))
	cr := sb.Credentials.VK
	opts := []core.Option{core.WithBaseURL(sb.VKURL), core.WithHTTPClient(sb.HTTPClient()),
		core.WithClock(coretest.NewDriven(sb.Clock.Now, sb.Clock.Advance))}
	group, err := vk.New(cr.CommunityToken, vk.CommunityToken, opts...)
	require.NoError(t, err)
	user, err := vk.New(cr.UserToken, vk.UserToken, opts...)
	require.NoError(t, err)
	ctx := t.Context()

	code, err := group.GroupsGetCallbackConfirmationCode(ctx, cr.GroupID)
	require.NoError(t, err)
	var log eventLog
	h := vk.NewCallbackHandler(vk.CallbackConfig{GroupID: cr.GroupID, Confirmation: code, Secret: "s3cret-key", Handle: log.handle})
	hits := make(chan hit, 32)
	var mu sync.Mutex
	lost := map[string]bool{} // event types whose first answer was lost
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var ev struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(body, &ev)
		e := ev.Type
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		status := rec.Code
		mu.Lock()
		if e == "wall_post_new" && !lost[e] {
			lost[e], status = true, http.StatusBadGateway
		}
		mu.Unlock()
		hits <- hit{eventType: e, retry: r.Header.Get("X-Retry-Counter"), status: status}
		if status != rec.Code {
			http.Error(w, "bad gateway", status)
			return
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)

	_, _, err = group.SetupCallback(ctx, cr.GroupID, vk.CallbackSetup{URL: srv.URL, Title: "cabinet", Secret: "s3cret-key",
		Settings: vk.EventSettings{APIVersion: vk.DefaultVersion, Events: map[string]bool{"wall_post_new": true, "message_new": true}}})
	require.NoError(t, err)
	// The confirmation request comes first (answered by the handler).
	require.Equal(t, "confirmation", next(t, sb, hits).eventType)

	id, err := user.WallPost(ctx, vk.WallPostRequest{OwnerID: -cr.GroupID, FromGroup: true, Message: "Новость", Key: "news"})
	require.NoError(t, err)
	first := next(t, sb, hits)
	assert.Equal(t, hit{"wall_post_new", "0", http.StatusBadGateway}, first)
	again := next(t, sb, hits) // the world clock moves the backoff
	assert.Equal(t, hit{"wall_post_new", "1", http.StatusOK}, again)

	_, err = sb.VK.WriteToCommunity(cr.GroupID, world.DefaultEmployeeVKID, "Когда приём?")
	require.NoError(t, err)
	assert.Equal(t, hit{"message_new", "0", http.StatusOK}, next(t, sb, hits))

	counts, types := log.snapshot()
	assert.Equal(t, []string{"wall_post_new", "message_new"}, types, "each event handled once")
	for eid, n := range counts {
		assert.Equal(t, 1, n, "event %s", eid)
	}
	assert.Len(t, sb.VK.Posts(cr.GroupID), 1)
	assert.NotZero(t, id)
	select {
	case h := <-hits:
		t.Fatalf("unexpected delivery %+v", h)
	default:
	}
}

// next waits for the next delivery, moving the world clock a minute at a
// time while none has come (redeliveries are scheduled on it).
func next(t *testing.T, sb *mock.Sandbox, hits <-chan hit) hit {
	t.Helper()
	for i := 0; ; i++ {
		select {
		case h := <-hits:
			return h
		case <-t.Context().Done():
			t.Fatal("no delivery")
		default:
		}
		if i > 0 && i%1000 == 0 && sb.Clock.Pending() > 0 {
			sb.Clock.Advance(time.Minute)
		}
		runtime.Gosched()
		if i > 50_000_000 {
			t.Fatal("no delivery")
		}
	}
}

// awaitEntry waits for a journal entry of method after seq matching ok.
func awaitEntry(t *testing.T, sb *mock.Sandbox, method string, after uint64, ok func(world.Entry) bool) world.Entry {
	t.Helper()
	for {
		e, err := sb.Journal.Await(t.Context(), world.Filter{Party: "vk", Method: method, AfterSeq: after})
		require.NoError(t, err)
		if ok == nil || ok(e) {
			return e
		}
		after = e.Seq
	}
}

// TestLongPollRecoversFromExpiredKeys: the Bots Long Poll loop against the
// emulator. The key expires on the world clock (failed 2: a new key, the
// same ts, so the message written meanwhile still arrives), then the world
// is reset (failed 3: a new key and ts). Every message is handled exactly
// once.
func TestLongPollRecoversFromExpiredKeys(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("vk"), mock.WithFrozenClock(coretest.Epoch),
		mock.WithVKOptions(vkmock.WithLongPollKeyLifetime(time.Hour)))
	cr := sb.Credentials.VK
	group, err := vk.New(cr.CommunityToken, vk.CommunityToken, core.WithBaseURL(sb.VKURL), core.WithHTTPClient(sb.HTTPClient()),
		core.WithClock(coretest.NewDriven(sb.Clock.Now, sb.Clock.Advance)))
	require.NoError(t, err)
	enable := func() {
		require.NoError(t, group.GroupsSetLongPollSettings(t.Context(), cr.GroupID, true,
			vk.EventSettings{APIVersion: vk.DefaultVersion, Events: map[string]bool{"message_new": true}}))
	}
	enable()

	type got struct{ id, text string }
	events := make(chan got, 16)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	var recovered []string
	var mu sync.Mutex
	// The handler holds the loop on "пауза" until release is closed, so the
	// world is reset (and the events re-enabled) while no poll is waiting.
	release := make(chan struct{})
	go func() {
		done <- group.LongPoll(ctx, cr.GroupID, func(_ context.Context, e *vk.Event) error {
			if e.Message != nil {
				events <- got{e.EventID, e.Message.Text}
				if e.Message.Text == "пауза" {
					<-release
				}
			}
			return nil
		}, vk.LongPollOptions{Wait: 25, OnError: func(err error) {
			mu.Lock()
			recovered = append(recovered, err.Error())
			mu.Unlock()
		}})
	}()
	write := func(text string) {
		_, err := sb.VK.WriteToCommunity(cr.GroupID, world.DefaultEmployeeVKID, text)
		require.NoError(t, err)
	}
	receive := func(text string) string {
		select {
		case g := <-events:
			require.Equal(t, text, g.text)
			return g.id
		case err := <-done:
			t.Fatalf("the loop ended: %v", err)
		case <-t.Context().Done():
			t.Fatalf("%q did not arrive", text)
		}
		return ""
	}
	// The loop has a key: a message arrives.
	awaitEntry(t, sb, "groups.getLongPollServer", 0, nil)
	write("первое")
	ids := []string{receive("первое")}

	// The key expires: the waiting poll ends on the world clock, the next
	// one answers failed 2. The message written meanwhile is not lost.
	seq := sb.Journal.Seq()
	sb.Clock.Advance(2 * time.Hour)
	write("второе")
	ids = append(ids, receive("второе"))
	awaitEntry(t, sb, "longpoll", seq, func(e world.Entry) bool { return e.Code == 2 })
	awaitEntry(t, sb, "groups.getLongPollServer", seq, nil)

	// A world reset: the key is from an older generation, failed 3. The
	// loop is held in its handler meanwhile: a reset also turns the
	// community's events off, and a loop asking for a server before they
	// are on again would rightly stop on error 100.
	write("пауза")
	ids = append(ids, receive("пауза"))
	seq = sb.Journal.Seq()
	sb.Reset()
	enable()
	close(release)
	awaitEntry(t, sb, "longpoll", seq, func(e world.Entry) bool { return e.Code == 3 })
	awaitEntry(t, sb, "groups.getLongPollServer", seq, nil)
	write("третье")
	ids = append(ids, receive("третье"))

	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	select {
	case g := <-events:
		t.Fatalf("a duplicate or unexpected event: %+v", g)
	default:
	}
	assert.Len(t, ids, 4)
	mu.Lock()
	t.Logf("recovered from: %q", recovered)
	mu.Unlock()
}
