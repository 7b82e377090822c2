package vk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gospubliki/gosdk/core"
)

func TestWireBearerAndVersion(t *testing.T) {
	f := newFakeVK(t)
	f.handle("groups.getById", func(form url.Values) (any, *apiErr) {
		return map[string]any{"groups": []any{groupJSON(42, nil)}, "profiles": []any{}}, nil
	})
	c, _ := newTestClient(t, f, testUserToken, UserToken)
	g, err := c.GetGroup(context.Background(), -42)
	if err != nil {
		t.Fatal(err)
	}
	if g.ID != 42 || g.Name != "Администрация" || g.City.Title != "Москва" {
		t.Fatalf("group = %+v", g)
	}
	r := f.requests()[0]
	if r.Path != "/method/groups.getById" {
		t.Fatalf("path %q", r.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+testUserToken {
		t.Fatalf("Authorization %q", got)
	}
	if r.Form.Get("access_token") != "" {
		t.Fatal("token sent in the body with the header transport")
	}
	if r.Form.Get("v") != "5.199" || r.Form.Get("group_id") != "42" {
		t.Fatalf("form %v", r.Form)
	}
	if !strings.Contains(r.Form.Get("fields"), "is_government_organization") {
		t.Fatalf("fields %q", r.Form.Get("fields"))
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		t.Fatalf("content type %q", r.Header.Get("Content-Type"))
	}
}

func TestWireAccessTokenParam(t *testing.T) {
	f := newFakeVK(t)
	f.handle("utils.resolveScreenName", func(form url.Values) (any, *apiErr) {
		return map[string]any{"type": "group", "object_id": 7}, nil
	})
	c, _ := newTestClient(t, f, testServiceToken, ServiceToken, WithAccessTokenParam(), WithVersion("5.131"))
	obj, err := c.UtilsResolveScreenName(context.Background(), "adm")
	if err != nil || obj == nil || obj.ObjectID != 7 || obj.Type != "group" {
		t.Fatalf("obj %+v err %v", obj, err)
	}
	r := f.requests()[0]
	if r.Form.Get("access_token") != testServiceToken || r.Header.Get("Authorization") != "" || r.Form.Get("v") != "5.131" {
		t.Fatalf("form %v header %v", r.Form, r.Header)
	}
}

func TestResolveScreenNameFree(t *testing.T) {
	f := newFakeVK(t)
	f.handle("utils.resolveScreenName", func(url.Values) (any, *apiErr) { return []any{}, nil })
	c, _ := newTestClient(t, f, testServiceToken, ServiceToken)
	obj, err := c.UtilsResolveScreenName(context.Background(), "free")
	if err != nil || obj != nil {
		t.Fatalf("obj %+v err %v", obj, err)
	}
}

func TestErrorEnvelope(t *testing.T) {
	f := newFakeVK(t)
	f.handle("groups.getSettings", func(url.Values) (any, *apiErr) {
		// A message that echoes the token must not leak it.
		return nil, &apiErr{Code: 15, Subcode: 1133, Msg: "Access denied: token " + testUserToken}
	})
	var logs bytes.Buffer
	c, _ := newTestClient(t, f, testUserToken, UserToken,
		core.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := c.GroupsGetSettings(context.Background(), 1)
	var ve *Error
	if !errors.As(err, &ve) {
		t.Fatalf("err %T %v", err, err)
	}
	if ve.Code != 15 || ve.Subcode != 1133 || ve.Method != "groups.getSettings" {
		t.Fatalf("error %+v", ve)
	}
	if !errors.Is(err, ErrAccessDenied) || errors.Is(err, ErrCaptcha) || errors.Is(err, core.ErrRateLimited) {
		t.Fatal("errors.Is mismatch")
	}
	if core.ErrorCode(err) != "15" {
		t.Fatalf("code %q", core.ErrorCode(err))
	}
	found := false
	for _, p := range ve.Params {
		if p.Key == "group_id" && p.Value == "1" {
			found = true
		}
	}
	if !found {
		t.Fatalf("request_params %+v", ve.Params)
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", ve), logs.String(), c.String(), fmt.Sprintf("%#v", c)} {
		if strings.Contains(s, testUserToken) {
			t.Fatalf("token leaked: %s", s)
		}
	}
	if !strings.Contains(err.Error(), "error 15") {
		t.Fatalf("message %q", err)
	}
}

func TestTokenKindRefusedBeforeNetwork(t *testing.T) {
	f := newFakeVK(t)
	c, _ := newTestClient(t, f, testCommunityToken, CommunityToken)
	_, err := c.WallPost(context.Background(), WallPostRequest{OwnerID: -1, Message: "x"})
	var ke *TokenKindError
	if !errors.As(err, &ke) || !errors.Is(err, ErrWrongTokenKind) || ke.Code != CodeGroupAuthFailed {
		t.Fatalf("err %v", err)
	}
	if !strings.Contains(err.Error(), "wall.post takes a user token, not a community token") {
		t.Fatalf("message %q", err)
	}
	s, _ := newTestClient(t, f, testServiceToken, ServiceToken)
	// VK answers 28 "Application authorization failed" to a service token.
	if _, err := s.GroupsGetSettings(context.Background(), 1); core.ErrorCode(err) != "28" {
		t.Fatalf("service: %v", err)
	}
	if _, err := NewPublisher(c, 1, PublisherOptions{}); !errors.Is(err, ErrWrongTokenKind) {
		t.Fatalf("publisher with a community token: %v", err)
	}
	if len(f.requests()) != 0 {
		t.Fatalf("%d requests sent", len(f.requests()))
	}
	if !Allows("groups.getById", ServiceToken) || Allows("stats.get", CommunityToken) || !Allows("some.unknown", ServiceToken) {
		t.Fatal("Allows")
	}
}

func TestRetryError6And10(t *testing.T) {
	f := newFakeVK(t)
	var n atomic.Int32
	f.handle("groups.getById", func(url.Values) (any, *apiErr) {
		switch n.Add(1) {
		case 1:
			return nil, &apiErr{Code: 6, Msg: "Too many requests per second"}
		case 2:
			return nil, &apiErr{Code: 10, Msg: "Internal server error"}
		}
		return map[string]any{"groups": []any{groupJSON(1, nil)}}, nil
	})
	c, clk := newTestClient(t, f, testUserToken, UserToken)
	start := clk.Now()
	if _, err := c.GetGroup(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 3 {
		t.Fatalf("%d attempts", n.Load())
	}
	if clk.Since(start) <= 0 {
		t.Fatal("no backoff on the clock")
	}
}

func TestError6OnWallPostRetried(t *testing.T) {
	f := newFakeVK(t)
	var n atomic.Int32
	f.handle("wall.post", func(url.Values) (any, *apiErr) {
		if n.Add(1) == 1 {
			return nil, &apiErr{Code: 6, Msg: "Too many requests per second"}
		}
		return map[string]any{"post_id": 5}, nil
	})
	c, _ := newTestClient(t, f, testUserToken, UserToken)
	id, err := c.WallPost(context.Background(), WallPostRequest{OwnerID: -1, Message: "hi", Key: "k"})
	if err != nil || id != 5 || n.Load() != 2 {
		t.Fatalf("id %d err %v attempts %d", id, err, n.Load())
	}
}

func TestNotRetried9_29_601(t *testing.T) {
	for _, code := range []int{9, 29, 601} {
		f := newFakeVK(t)
		f.handle("groups.getById", func(url.Values) (any, *apiErr) { return nil, &apiErr{Code: code, Msg: "limit"} })
		c, _ := newTestClient(t, f, testUserToken, UserToken)
		_, err := c.GetGroup(context.Background(), 1)
		var ve *Error
		if !errors.As(err, &ve) || ve.Code != code || !errors.Is(err, core.ErrRateLimited) {
			t.Fatalf("code %d: %v", code, err)
		}
		if f.count("groups.getById") != 1 {
			t.Fatalf("code %d retried", code)
		}
	}
}

func TestRateLimitBudgetExhausted(t *testing.T) {
	f := newFakeVK(t)
	f.handle("groups.getById", func(url.Values) (any, *apiErr) { return nil, &apiErr{Code: 6, Msg: "Too many"} })
	c, _ := newTestClient(t, f, testUserToken, UserToken)
	_, err := c.GetGroup(context.Background(), 1)
	var rl *core.RateLimitError
	if !errors.As(err, &rl) || !errors.Is(err, ErrTooManyRequests) {
		t.Fatalf("err %T %v", err, err)
	}
	if n := f.count("groups.getById"); n < 2 {
		t.Fatalf("%d attempts", n)
	}
}

func TestWallPostGUIDStable(t *testing.T) {
	f := newFakeVK(t)
	var mu sync.Mutex
	posts := map[string]int64{}
	nposts := func() int { mu.Lock(); defer mu.Unlock(); return len(posts) }
	var next int64
	var fails atomic.Int32
	f.raw["/method/wall.post"] = func(w http.ResponseWriter, r *http.Request) {
		guid := f.requests()[len(f.requests())-1].Form.Get("guid")
		mu.Lock()
		defer mu.Unlock()
		if fails.Add(1) == 1 {
			// VK posted, but the answer is lost.
			next++
			posts[guid] = next
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		id, ok := posts[guid]
		if !ok {
			next++
			id = next
			posts[guid] = id
		}
		writeEnv(w, map[string]any{"post_id": id}, nil, nil)
	}
	c, _ := newTestClient(t, f, testUserToken, UserToken)
	req := WallPostRequest{OwnerID: -10, FromGroup: true, Message: "news", Key: "post-1"}
	id1, err := c.WallPost(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	id2, err := c.WallPost(context.Background(), req) // the caller repeats
	if err != nil {
		t.Fatal(err)
	}
	if id1 != id2 || nposts() != 1 {
		t.Fatalf("ids %d %d, %d posts", id1, id2, nposts())
	}
	reqs := f.requests()
	g := reqs[0].Form.Get("guid")
	if g == "" || g != PostGUID("post-1", -10) || reqs[1].Form.Get("guid") != g || reqs[2].Form.Get("guid") != g {
		t.Fatalf("guids %q %q %q", g, reqs[1].Form.Get("guid"), reqs[2].Form.Get("guid"))
	}
	if PostGUID("post-1", -11) == g {
		t.Fatal("guid does not depend on the community")
	}
	// Without a key, the guid is still deterministic.
	r2 := WallPostRequest{OwnerID: -10, Message: "other"}
	if _, err := c.WallPost(context.Background(), r2); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WallPost(context.Background(), r2); err != nil {
		t.Fatal(err)
	}
	reqs = f.requests()
	if a, b := reqs[len(reqs)-1].Form.Get("guid"), reqs[len(reqs)-2].Form.Get("guid"); a == "" || a != b || a == g {
		t.Fatalf("content guids %q %q", a, b)
	}
}

func TestCaptchaClassicAndRedirect(t *testing.T) {
	f := newFakeVK(t)
	var n atomic.Int32
	f.handle("groups.getById", func(form url.Values) (any, *apiErr) {
		switch n.Add(1) {
		case 1:
			return nil, &apiErr{Code: 14, Msg: "Captcha needed", Sid: "123", Img: "https://api.vk.ru/captcha.php?sid=123"}
		case 2:
			if form.Get("captcha_sid") != "123" || form.Get("captcha_key") != "abcd" {
				return nil, &apiErr{Code: 14, Msg: "Captcha needed", Sid: "124"}
			}
			return nil, &apiErr{Code: 14, Msg: "Captcha needed", Sid: "125", Redir: "https://id.vk.ru/not_robot_captcha?x=1"}
		case 3:
			if form.Get("success_token") != "tok" || form.Get("captcha_sid") != "" {
				return nil, &apiErr{Code: 14, Msg: "Captcha needed", Sid: "126"}
			}
		}
		return map[string]any{"groups": []any{groupJSON(1, nil)}}, nil
	})
	var seen []Captcha
	h := func(_ context.Context, cp Captcha) (CaptchaSolution, error) {
		seen = append(seen, cp)
		if cp.RedirectURI != "" {
			return CaptchaSolution{SuccessToken: "tok"}, nil
		}
		return CaptchaSolution{Key: "abcd"}, nil
	}
	c, _ := newTestClient(t, f, testUserToken, UserToken, WithCaptchaHandler(h, 3))
	if _, err := c.GetGroup(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0].SID != "123" || seen[1].RedirectURI == "" || seen[1].Attempt != 2 {
		t.Fatalf("captchas %+v", seen)
	}

	// Without a handler: a typed error.
	n.Store(0)
	c2, _ := newTestClient(t, f, testUserToken, UserToken)
	_, err := c2.GetGroup(context.Background(), 1)
	var ve *Error
	if !errors.As(err, &ve) || !errors.Is(err, ErrCaptcha) || ve.CaptchaSID != "123" || ve.CaptchaImg == "" {
		t.Fatalf("err %v", err)
	}
	// A handler giving up returns both errors.
	n.Store(0)
	c3, _ := newTestClient(t, f, testUserToken, UserToken, WithCaptchaHandler(func(context.Context, Captcha) (CaptchaSolution, error) {
		return CaptchaSolution{}, errors.New("no solver")
	}, 1))
	if _, err := c3.GetGroup(context.Background(), 1); !errors.Is(err, ErrCaptcha) || !strings.Contains(err.Error(), "no solver") {
		t.Fatalf("err %v", err)
	}
}

func TestLimiterSharedPerToken(t *testing.T) {
	f := newFakeVK(t)
	f.handle("groups.getById", func(url.Values) (any, *apiErr) {
		return map[string]any{"groups": []any{groupJSON(1, nil)}}, nil
	})
	var keys []string
	lim := limiterFunc(func(_ context.Context, key string) error { keys = append(keys, key); return nil })
	a, _ := newTestClient(t, f, testUserToken, UserToken, core.WithLimiter(lim))
	b, _ := newTestClient(t, f, testUserToken, UserToken, core.WithLimiter(lim))
	cm, _ := newTestClient(t, f, testCommunityToken, CommunityToken, core.WithLimiter(lim))
	for _, c := range []*Client{a, b, cm} {
		if _, err := c.GetGroup(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
	}
	want := core.LimitKey("vk", "user", core.Fingerprint(testUserToken), "")
	if len(keys) != 3 || keys[0] != want || keys[1] != want || !strings.HasPrefix(keys[2], KeyPrefixCommunity) {
		t.Fatalf("keys %v", keys)
	}
	for _, k := range keys {
		if strings.Contains(k, "TOKEN") {
			t.Fatalf("raw token in key %q", k)
		}
	}
}

func TestDefaultLimitsPace(t *testing.T) {
	f := newFakeVK(t)
	f.handle("groups.getById", func(url.Values) (any, *apiErr) {
		return map[string]any{"groups": []any{groupJSON(1, nil)}}, nil
	})
	c, clk := newTestClient(t, f, testUserToken, UserToken)
	start := clk.Now()
	for range 7 {
		if _, err := c.GetGroup(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
	}
	// 3 requests/s, burst 1: 7 requests take at least 2 s.
	if el := clk.Since(start); el < 1900e6 {
		t.Fatalf("7 user-token calls took %v of clock time", el)
	}
}

type limiterFunc func(ctx context.Context, key string) error

func (f limiterFunc) Wait(ctx context.Context, key string) error { return f(ctx, key) }

func TestWallPostDroppedConnectionOnePost(t *testing.T) {
	f := newFakeVK(t)
	var mu sync.Mutex
	posts := map[string]int64{}
	nposts := func() int { mu.Lock(); defer mu.Unlock(); return len(posts) }
	var attempts atomic.Int32
	f.raw["/method/wall.post"] = func(w http.ResponseWriter, r *http.Request) {
		guid := f.requests()[len(f.requests())-1].Form.Get("guid")
		mu.Lock()
		if _, ok := posts[guid]; !ok {
			posts[guid] = int64(len(posts) + 1)
		}
		id := posts[guid]
		mu.Unlock()
		if attempts.Add(1) <= 2 {
			// VK posted, then the connection drops before the answer.
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		writeEnv(w, map[string]any{"post_id": id}, nil, nil)
	}
	c, _ := newTestClient(t, f, testUserToken, UserToken)
	id, err := c.WallPost(context.Background(), WallPostRequest{OwnerID: -3, Message: "storm", Key: "k1"})
	if err != nil || id != 1 || nposts() != 1 || attempts.Load() != 3 {
		t.Fatalf("id %d err %v posts %d attempts %d", id, err, nposts(), attempts.Load())
	}
	// Past the retry budget the outcome is unknown, never a plain failure.
	attempts.Store(-10)
	_, err = c.WallPost(context.Background(), WallPostRequest{OwnerID: -3, Message: "storm 2", Key: "k2"})
	if !errors.Is(err, core.ErrUnknownOutcome) {
		t.Fatalf("err %v", err)
	}
	if nposts() != 2 {
		t.Fatalf("%d posts", nposts())
	}
}
