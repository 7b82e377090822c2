package vk

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
)

func TestBatchingCoalescesIntoExecute(t *testing.T) {
	f := newFakeVK(t)
	f.handle("groups.getById", func(form url.Values) (any, *apiErr) {
		id, _ := strconv.ParseInt(form.Get("group_id"), 10, 64)
		if id == 13 {
			return nil, &apiErr{Code: 100, Msg: "One of the parameters specified was missing or invalid"}
		}
		return map[string]any{"groups": []any{groupJSON(id, nil)}}, nil
	})
	clk := coretest.NewClock(time.Time{})
	c, err := New(testCommunityToken, CommunityToken, core.WithBaseURL(f.srv.URL), core.WithClock(clk),
		WithBatching(BatchOptions{}), WithRateLimits(Limits{}))
	if err != nil {
		t.Fatal(err)
	}
	const n = 30
	var wg sync.WaitGroup
	groups := make([]*Group, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			groups[i], errs[i] = c.GetGroup(context.Background(), int64(i+1))
		}()
	}
	// 25 calls flush at once; the remaining 5 wait for the window.
	for {
		c.batcher.mu.Lock()
		queued := len(c.batcher.pending)
		c.batcher.mu.Unlock()
		if queued == n-MaxExecuteCalls && f.count("execute") == 1 {
			break
		}
		runtime.Gosched()
	}
	clk.Advance(10 * time.Millisecond)
	wg.Wait()
	for i := range n {
		if i+1 == 13 {
			var ve *Error
			if !errors.As(errs[i], &ve) || ve.Code != 100 || ve.Method != "groups.getById" {
				t.Fatalf("slot 13: %v", errs[i])
			}
			continue
		}
		if errs[i] != nil || groups[i].ID != int64(i+1) {
			t.Fatalf("slot %d: %v %+v", i+1, errs[i], groups[i])
		}
	}
	if got := f.count("execute"); got != 2 {
		t.Fatalf("%d executes for %d calls", got, n)
	}
	if f.count("groups.getById") != 0 {
		t.Fatal("a call went alone")
	}
}

func TestBatchingNeverBatchesSaveAndPost(t *testing.T) {
	c := &Client{kind: UserToken}
	b := newBatcher(c, BatchOptions{Methods: []string{"photos.saveWallPhoto", "wall.post", "groups.getById"}, MaxCalls: 25})
	if b.accepts("photos.saveWallPhoto") || b.accepts("wall.post") || !b.accepts("groups.getById") {
		t.Fatal("allow list")
	}
	if newBatcher(&Client{kind: ServiceToken}, BatchOptions{}) != nil {
		t.Fatal("service tokens cannot execute")
	}
}

func TestExecuteCode(t *testing.T) {
	code := ExecuteCode([]ExecuteCall{
		{Method: "groups.getById", Params: url.Values{"group_id": {"1"}, "fields": {"a", "b"}, "v": {"5.199"}}},
		{Method: "groups.getMembers", Params: url.Values{"group_id": {`2"x`}, "filter": {"managers"}}},
	})
	want := `return [API.groups.getById({"fields":"a,b","group_id":"1"}),API.groups.getMembers({"filter":"managers","group_id":"2\"x"})];`
	if code != want {
		t.Fatalf("code\n%s\nwant\n%s", code, want)
	}
}

func TestMapExecuteResponse(t *testing.T) {
	calls := []ExecuteCall{{Method: "a.b"}, {Method: "c.d"}, {Method: "e.f"}}
	resp := json.RawMessage(`[1,false,false]`)
	slots, err := MapExecuteResponse(resp, []*Error{{Method: "c.d", Code: 15, Msg: "Access denied"}}, calls)
	if err != nil {
		t.Fatal(err)
	}
	if string(slots[0].Response) != "1" || !errors.Is(slots[1].Err, ErrAccessDenied) || slots[2].Err != nil || string(slots[2].Response) != "false" {
		t.Fatalf("slots %+v", slots)
	}
	if _, err := MapExecuteResponse(json.RawMessage(`[1]`), nil, calls); err == nil {
		t.Fatal("length mismatch accepted")
	}
	if _, err := MapExecuteResponse(json.RawMessage(`{}`), nil, calls); err == nil {
		t.Fatal("object accepted")
	}
}

func TestExecuteDirect(t *testing.T) {
	f := newFakeVK(t)
	f.handle("groups.getById", func(url.Values) (any, *apiErr) { return map[string]any{"groups": []any{}}, nil })
	c, _ := newTestClient(t, f, testUserToken, UserToken)
	var out []json.RawMessage
	errs, err := c.Execute(context.Background(), `return [API.groups.getById({"group_id":"1"}),API.nope.nope({})];`, nil, &out)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || string(out[1]) != "false" || len(errs) != 1 || errs[0].Code != 3 || errs[0].Method != "nope.nope" {
		t.Fatalf("out %s errs %v", out, errs)
	}
	s, _ := newTestClient(t, f, testServiceToken, ServiceToken)
	if _, err := s.Execute(context.Background(), "return 1;", nil, nil); !errors.Is(err, ErrWrongTokenKind) {
		t.Fatalf("service execute: %v", err)
	}
}

func TestBatchSlotError6SentAlone(t *testing.T) {
	f := newFakeVK(t)
	var inner atomic.Int32
	f.handle("utils.resolveScreenName", func(form url.Values) (any, *apiErr) {
		if form.Get("screen_name") == "busy" && inner.Add(1) == 1 {
			return nil, &apiErr{Code: 6, Msg: "Too many requests per second"}
		}
		return map[string]any{"type": "group", "object_id": len(form.Get("screen_name"))}, nil
	})
	clk := coretest.NewClock(time.Time{})
	c, err := New(testUserToken, UserToken, core.WithBaseURL(f.srv.URL), core.WithClock(clk),
		WithBatching(BatchOptions{MaxCalls: 2}), WithRateLimits(Limits{}))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	res := map[string]*ResolvedObject{}
	var mu sync.Mutex
	for _, name := range []string{"busy", "ok"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, err := c.UtilsResolveScreenName(context.Background(), name)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			res[name] = o
			mu.Unlock()
		}()
	}
	wg.Wait()
	if res["busy"] == nil || res["busy"].ObjectID != 4 || res["ok"].ObjectID != 2 {
		t.Fatalf("results %+v", res)
	}
	if f.count("execute") != 1 || f.count("utils.resolveScreenName") != 1 {
		t.Fatalf("%d executes, %d direct calls", f.count("execute"), f.count("utils.resolveScreenName"))
	}
}

func TestWallIterator(t *testing.T) {
	f := newFakeVK(t)
	f.handle("wall.get", func(form url.Values) (any, *apiErr) {
		off, _ := strconv.Atoi(form.Get("offset"))
		var items []any
		for i := off; i < min(off+100, 150); i++ {
			items = append(items, map[string]any{"id": 150 - i, "owner_id": -1, "text": "p"})
		}
		return map[string]any{"count": 150, "items": items}, nil
	})
	c, _ := newTestClient(t, f, testServiceToken, ServiceToken)
	n := 0
	for p, err := range c.Wall(context.Background(), WallGetRequest{OwnerID: -1}) {
		if err != nil {
			t.Fatal(err)
		}
		if p.ID != int64(150-n) {
			t.Fatalf("post %d is %d", n, p.ID)
		}
		n++
		if n == 120 {
			break
		}
	}
	if n != 120 || f.count("wall.get") != 2 {
		t.Fatalf("%d posts in %d calls", n, f.count("wall.get"))
	}
}

func TestBatchSlotCaptchaGoesToHandler(t *testing.T) {
	f := newFakeVK(t)
	f.handle("utils.resolveScreenName", func(form url.Values) (any, *apiErr) {
		if form.Get("screen_name") == "bot" && form.Get("captcha_key") != "k" {
			return nil, &apiErr{Code: 14, Msg: "Captcha needed", Sid: "9", Img: "https://x/c.png"}
		}
		return map[string]any{"type": "group", "object_id": 1}, nil
	})
	clk := coretest.NewClock(time.Time{})
	var solved atomic.Int32
	c, err := New(testUserToken, UserToken, core.WithBaseURL(f.srv.URL), core.WithClock(clk), WithRateLimits(Limits{}),
		WithBatching(BatchOptions{MaxCalls: 2}),
		WithCaptchaHandler(func(_ context.Context, cp Captcha) (CaptchaSolution, error) {
			solved.Add(1)
			return CaptchaSolution{Key: "k"}, nil
		}, 1))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, name := range []string{"bot", "ok"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.UtilsResolveScreenName(context.Background(), name)
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || solved.Load() != 1 {
		t.Fatalf("errs %v, %d captchas", errs, solved.Load())
	}
	if f.count("execute") != 1 || f.count("utils.resolveScreenName") != 2 {
		t.Fatalf("%d executes, %d direct", f.count("execute"), f.count("utils.resolveScreenName"))
	}
}
