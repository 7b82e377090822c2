package vk

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func postEvent(t *testing.T, h http.Handler, body string, retry string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/vk", strings.NewReader(body))
	if retry != "" {
		r.Header.Set("X-Retry-Counter", retry)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestCallbackHandler(t *testing.T) {
	var handled []*Event
	fail := true
	h := NewCallbackHandler(CallbackConfig{GroupID: 10, Confirmation: "a1b2c3", Secret: "s3cret",
		Handle: func(_ context.Context, e *Event) error {
			if e.Type == EventWallReplyNew && fail {
				fail = false
				return errors.New("database down")
			}
			handled = append(handled, e)
			return nil
		}})
	w := postEvent(t, h, `{"type":"confirmation","group_id":10,"secret":"s3cret"}`, "")
	if w.Code != 200 || w.Body.String() != "a1b2c3" {
		t.Fatalf("confirmation: %d %q", w.Code, w.Body)
	}
	if w := postEvent(t, h, `{"type":"wall_post_new","group_id":10,"event_id":"e1","secret":"wrong","object":{}}`, ""); w.Code != 403 {
		t.Fatalf("wrong secret: %d", w.Code)
	}
	if w := postEvent(t, h, `{"type":"wall_post_new","group_id":11,"event_id":"e1","secret":"s3cret","object":{}}`, ""); w.Code != 403 {
		t.Fatalf("other group: %d", w.Code)
	}
	post := `{"type":"wall_post_new","group_id":10,"event_id":"e1","v":"5.199","secret":"s3cret","object":{"id":5,"owner_id":-10,"from_id":-10,"text":"Новость","date":1}}`
	if w := postEvent(t, h, post, ""); w.Code != 200 || w.Body.String() != "ok" {
		t.Fatalf("post: %d %q", w.Code, w.Body)
	}
	// Redelivery of a handled event: ok, not handled again.
	if w := postEvent(t, h, post, "1"); w.Code != 200 || w.Body.String() != "ok" {
		t.Fatalf("redelivery: %d", w.Code)
	}
	reply := `{"type":"wall_reply_new","group_id":10,"event_id":"e2","secret":"s3cret","object":{"id":7,"post_id":5,"post_owner_id":-10,"text":"Спасибо"}}`
	if w := postEvent(t, h, reply, ""); w.Code != 500 {
		t.Fatalf("failing handler: %d", w.Code)
	}
	if w := postEvent(t, h, reply, "1"); w.Code != 200 {
		t.Fatalf("retried reply: %d", w.Code)
	}
	msg := `{"type":"message_new","group_id":10,"event_id":"e3","secret":"s3cret","object":{"message":{"id":1,"peer_id":3,"from_id":3,"text":"Привет"},"client_info":{}}}`
	postEvent(t, h, msg, "")
	other := `{"type":"group_join","group_id":10,"event_id":"e4","secret":"s3cret","object":{"user_id":3,"join_type":"join"}}`
	postEvent(t, h, other, "")
	if len(handled) != 4 {
		t.Fatalf("handled %d events", len(handled))
	}
	if handled[0].Post == nil || handled[0].Post.Text != "Новость" || handled[0].Secret != "" {
		t.Fatalf("post event %+v", handled[0])
	}
	if handled[1].Comment == nil || handled[1].Comment.PostID != 5 || handled[1].RetryCounter != 1 {
		t.Fatalf("reply event %+v", handled[1])
	}
	if handled[2].Message == nil || handled[2].Message.Text != "Привет" {
		t.Fatalf("message event %+v", handled[2])
	}
	if handled[3].Post != nil || !strings.Contains(string(handled[3].Object), "join_type") {
		t.Fatalf("raw event %+v", handled[3])
	}
	if w := postEvent(t, h, `not json`, ""); w.Code != 400 {
		t.Fatalf("garbage: %d", w.Code)
	}
	r := httptest.NewRequest(http.MethodGet, "/vk", nil)
	rw := httptest.NewRecorder()
	h.ServeHTTP(rw, r)
	if rw.Code != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d", rw.Code)
	}
}

func TestCallbackHandlerConcurrentRedelivery(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	entered := make(chan struct{}, 1)
	h := NewCallbackHandler(CallbackConfig{Handle: func(context.Context, *Event) error {
		calls.Add(1)
		entered <- struct{}{}
		<-release
		return nil
	}})
	ev := `{"type":"wall_post_new","group_id":1,"event_id":"x","object":{}}`
	done := make(chan int)
	go func() { done <- postEvent(t, h, ev, "").Code }()
	<-entered // the first delivery is in the handler
	if w := postEvent(t, h, ev, "1"); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("in-flight duplicate: %d", w.Code)
	}
	close(release)
	if code := <-done; code != 200 || calls.Load() != 1 {
		t.Fatalf("code %d calls %d", code, calls.Load())
	}
}

func TestCallbackHandlerBoundedMemory(t *testing.T) {
	h := NewCallbackHandler(CallbackConfig{Remember: 3, Handle: func(context.Context, *Event) error { return nil }})
	for i := range 10 {
		postEvent(t, h, `{"type":"wall_post_new","group_id":1,"event_id":"`+string(rune('a'+i))+`","object":{}}`, "")
	}
	if len(h.seen) != 3 {
		t.Fatalf("remembers %d ids", len(h.seen))
	}
}

// longPollFake serves groups.getLongPollServer and a scripted poll server.
type longPollFake struct {
	mu      sync.Mutex
	keys    int
	answers []string // served in order; the last repeats
	polls   []url.Values
}

func TestLongPollFailures(t *testing.T) {
	f := newFakeVK(t)
	lp := &longPollFake{answers: []string{
		`{"ts":"10","updates":[{"type":"wall_post_new","event_id":"a","group_id":1,"object":{"id":1,"text":"one"}}]}`,
		`{"failed":1,"ts":30}`,
		`{"failed":2}`,
		`{"ts":"31","updates":[{"type":"wall_post_new","event_id":"b","group_id":1,"object":{"id":2}},{"type":"wall_post_new","event_id":"c","group_id":1,"object":{"id":3}}]}`,
		`{"ts":"31","updates":[{"type":"wall_post_new","event_id":"b","group_id":1,"object":{"id":2}},{"type":"wall_post_new","event_id":"c","group_id":1,"object":{"id":3}}]}`,
		`{"failed":3}`,
		`{"ts":"101","updates":[]}`,
	}}
	f.handle("groups.getLongPollServer", func(url.Values) (any, *apiErr) {
		lp.mu.Lock()
		defer lp.mu.Unlock()
		lp.keys++
		return map[string]any{"key": "KEY" + string(rune('0'+lp.keys)), "server": f.srv.URL + "/lp", "ts": 100 * lp.keys}, nil
	})
	f.raw["/lp"] = func(w http.ResponseWriter, r *http.Request) {
		lp.mu.Lock()
		defer lp.mu.Unlock()
		lp.polls = append(lp.polls, r.URL.Query())
		a := lp.answers[min(len(lp.polls)-1, len(lp.answers)-1)]
		_, _ = w.Write([]byte(a))
	}
	c, _ := newTestClient(t, f, testCommunityToken, CommunityToken)
	ctx, cancel := context.WithCancel(context.Background())
	var got []string
	failC := true
	err := c.LongPoll(ctx, 1, func(_ context.Context, e *Event) error {
		if e.EventID == "c" && failC {
			failC = false
			return errors.New("busy")
		}
		got = append(got, e.EventID)
		lp.mu.Lock()
		n := len(lp.polls)
		lp.mu.Unlock()
		if n >= 5 {
			cancel()
		}
		return nil
	}, LongPollOptions{Wait: 25})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("LongPoll returned %v", err)
	}
	if strings.Join(got, ",") != "a,b,c" {
		t.Fatalf("events %v", got)
	}
	lp.mu.Lock()
	defer lp.mu.Unlock()
	q := func(i int) string { return lp.polls[i].Get("key") + "/" + lp.polls[i].Get("ts") }
	// poll 0: key 1, ts 100 → events, ts 10; poll 1: failed 1 → ts 30;
	// poll 2: failed 2 → new key, same ts; poll 3: b ok, c fails → same ts
	// again (b is not handled twice); poll 4: c handled, ts 31.
	want := []string{"KEY1/100", "KEY1/10", "KEY1/30", "KEY2/30", "KEY2/30"}
	for i, w := range want {
		if q(i) != w {
			t.Fatalf("poll %d: %s, want %s (all %v)", i, q(i), w, lp.polls)
		}
	}
	if lp.polls[0].Get("act") != "a_check" || lp.polls[0].Get("wait") != "25" {
		t.Fatalf("poll query %v", lp.polls[0])
	}
}

func TestLongPollFailed3AndFatal(t *testing.T) {
	f := newFakeVK(t)
	var keys atomic.Int32
	f.handle("groups.getLongPollServer", func(url.Values) (any, *apiErr) {
		n := keys.Add(1)
		if n == 3 {
			return nil, &apiErr{Code: 15, Msg: "Access denied"}
		}
		return map[string]any{"key": "K", "server": f.srv.URL + "/lp", "ts": "5"}, nil
	})
	var mu sync.Mutex
	var polls []string
	f.raw["/lp"] = func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		polls = append(polls, r.URL.Query().Get("ts"))
		if len(polls) == 1 {
			_, _ = w.Write([]byte(`{"ts":"6","updates":[]}`))
			return
		}
		_, _ = w.Write([]byte(`{"failed":3}`))
	}
	c, _ := newTestClient(t, f, testCommunityToken, CommunityToken)
	err := c.LongPoll(context.Background(), 1, func(context.Context, *Event) error { return nil }, LongPollOptions{})
	if !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("err %v", err)
	}
	// failed 3 fetched a new key and ts: the third poll starts from the new ts.
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(polls, ",") != "5,6,5" || keys.Load() != 3 {
		t.Fatalf("polls %v keys %d", polls, keys.Load())
	}
	s, _ := newTestClient(t, f, testServiceToken, ServiceToken)
	if err := s.LongPoll(context.Background(), 1, nil, LongPollOptions{}); !errors.Is(err, ErrWrongTokenKind) {
		t.Fatalf("service token: %v", err)
	}
}

func TestParseEventNoPanic(t *testing.T) {
	for _, in := range []string{``, `{}`, `{"type":"wall_post_new","object":5}`, `{"type":"message_new","object":{"message":null}}`, `[]`} {
		e, err := ParseEvent([]byte(in))
		if err == nil && e.Type == "" {
			t.Fatalf("%q: event without type accepted", in)
		}
	}
	e, err := ParseEvent([]byte(`{"type":"wall_post_new","object":"x"}`))
	if err != nil || e.Post != nil || string(e.Object) != `"x"` {
		t.Fatalf("%+v %v", e, err)
	}
}

func TestSetupCallback(t *testing.T) {
	f := newFakeVK(t)
	var mu sync.Mutex
	var servers []map[string]any
	f.handle("groups.getCallbackServers", func(url.Values) (any, *apiErr) {
		mu.Lock()
		defer mu.Unlock()
		return map[string]any{"count": len(servers), "items": servers}, nil
	})
	f.handle("groups.addCallbackServer", func(form url.Values) (any, *apiErr) {
		mu.Lock()
		defer mu.Unlock()
		servers = append(servers, map[string]any{"id": len(servers) + 1, "url": form.Get("url"), "title": form.Get("title")})
		return map[string]any{"server_id": len(servers)}, nil
	})
	f.handle("groups.setCallbackSettings", func(form url.Values) (any, *apiErr) {
		if form.Get("wall_post_new") != "1" || form.Get("server_id") != "1" {
			return nil, &apiErr{Code: 100, Msg: "settings"}
		}
		return 1, nil
	})
	f.handle("groups.getCallbackConfirmationCode", func(url.Values) (any, *apiErr) { return map[string]any{"code": "c0de"}, nil })
	c, _ := newTestClient(t, f, testCommunityToken, CommunityToken)
	s := CallbackSetup{URL: "https://example.org/vk", Title: "gosdk", Secret: "s3cret",
		Settings: EventSettings{APIVersion: "5.199", Events: map[string]bool{EventWallPostNew: true}}}
	for range 2 {
		id, code, err := c.SetupCallback(context.Background(), 10, s)
		if err != nil || id != 1 || code != "c0de" {
			t.Fatalf("id %d code %q err %v", id, code, err)
		}
	}
	if f.count("groups.addCallbackServer") != 1 {
		t.Fatal("the server was added twice")
	}
}

func TestCallbackHandlerPanicIsRedelivered(t *testing.T) {
	calls := 0
	h := NewCallbackHandler(CallbackConfig{Handle: func(context.Context, *Event) error {
		calls++
		if calls == 1 {
			panic("boom")
		}
		return nil
	}})
	ev := `{"type":"wall_post_new","group_id":1,"event_id":"p","object":{}}`
	if w := postEvent(t, h, ev, ""); w.Code != 500 {
		t.Fatalf("panicking handler: %d", w.Code)
	}
	if w := postEvent(t, h, ev, "1"); w.Code != 200 || calls != 2 {
		t.Fatalf("redelivery: %d after %d calls", w.Code, calls)
	}
}
