package ok_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/ok"
)

// The client's request for the published vector carries exactly the
// published signature.
func TestClientSignsPublishedVector(t *testing.T) {
	var got url.Values
	var path, rawQuery string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		got, path, rawQuery = r.Form, r.URL.Path, r.URL.RawQuery
		_, _ = io.WriteString(w, `[]`)
	}))
	defer srv.Close()
	for _, tc := range []struct {
		name string
		cred ok.Credentials
		sig  string
	}{
		{"token secret", ok.Credentials{ApplicationKey: vecAppKey, ApplicationSecretKey: vecAppSecret, AccessToken: vecToken}, vecSig},
		{"session secret", ok.Credentials{ApplicationKey: vecAppKey, AccessToken: vecToken, SessionSecretKey: vecSessionSecret}, vecSessionSig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ok.New(tc.cred, core.WithBaseURL(srv.URL))
			require.NoError(t, err)
			require.NoError(t, c.Read(context.Background(), "events.get", nil, nil))
			assert.Equal(t, "/fb.do", path)
			assert.Equal(t, "method=events.get", rawQuery)
			assert.Equal(t, tc.sig, got.Get("sig"))
			assert.Equal(t, vecToken, got.Get("access_token"))
			assert.Equal(t, "json", got.Get("format"))
			assert.Equal(t, vecAppKey, got.Get("application_key"))
		})
	}
}

func TestRESTPathsAndSessionKey(t *testing.T) {
	f := newFake(t)
	f.on("group.getInfo", func(p url.Values) any { return []map[string]any{{"uid": "1", "name": "Г"}} })
	c := f.client(ok.WithRESTPaths())
	gs, err := c.GetGroupInfo(context.Background(), &ok.GetGroupInfoRequest{GroupIDs: []string{"1"}})
	require.NoError(t, err)
	require.Len(t, gs, 1)
	assert.Equal(t, "/api/group/getInfo", f.paths[len(f.paths)-1])
	assert.Empty(t, f.lastCall().Get("method"), "the REST form sends no method parameter")

	// A legacy session: session_key is sent and signed with its secret.
	sc := f.clientFor(ok.Credentials{ApplicationKey: appKey, SessionKey: sessionKey, SessionSecretKey: sessSecret})
	_, err = sc.GetGroupInfo(context.Background(), &ok.GetGroupInfoRequest{GroupIDs: []string{"1"}})
	require.NoError(t, err)
	last := f.lastCall()
	assert.Equal(t, sessionKey, last.Get("session_key"))
	assert.Empty(t, last.Get("access_token"))
	assert.Equal(t, ok.Signature(last, sessSecret), last.Get("sig"))
}

func TestCredentialsValidation(t *testing.T) {
	for _, cr := range []ok.Credentials{
		{},
		{ApplicationKey: "k"},
		{ApplicationKey: "k", AccessToken: "t"},
		{ApplicationKey: "k", AccessToken: "t", SessionKey: "s", ApplicationSecretKey: "x"},
		{ApplicationKey: "k", SessionKey: "s", ApplicationSecretKey: "x"},
	} {
		_, err := ok.New(cr)
		assert.ErrorIs(t, err, ok.ErrCredentials, "%+v", cr)
	}
	_, err := ok.New(ok.Credentials{ApplicationKey: "k", AccessToken: "t", ApplicationSecretKey: "x"}, core.PartyOption("telegram.X", func(*struct{}) error { return nil }))
	assert.Error(t, err)
}

func TestErrorInHTTP200Body(t *testing.T) {
	f := newFake(t)
	f.on("group.getInfo", func(url.Values) any {
		return apiError{Code: ok.CodeParamGroupID, Msg: "PARAM_GROUP_ID : bad", Data: map[string]any{"gid": 5}}
	})
	_, err := f.client().GetGroupInfo(context.Background(), &ok.GetGroupInfoRequest{GroupIDs: []string{"5"}})
	var e *ok.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, ok.CodeParamGroupID, e.Code)
	assert.Equal(t, "group.getInfo", e.Method)
	assert.JSONEq(t, `{"gid":5}`, string(e.Data))
	assert.Equal(t, "160", core.ErrorCode(err))
	assert.ErrorIs(t, err, ok.ErrNotFound)
	assert.ErrorIs(t, err, ok.ErrParam)
	assert.NotErrorIs(t, err, ok.ErrSessionExpired)
	assert.Contains(t, err.Error(), "160 PARAM_GROUP_ID")
}

func TestErrorSentinels(t *testing.T) {
	cases := map[int]error{
		2: ok.ErrService, 8: ok.ErrFloodBlocked, 7: ok.ErrFloodBlocked, 11: ok.ErrLimitReached, 10: ok.ErrPermissionDenied,
		200: ok.ErrPermissionDenied, 50: ok.ErrPermissionDenied, 102: ok.ErrSessionExpired, 103: ok.ErrInvalidSession,
		104: ok.ErrSignature, 101: ok.ErrApplicationKey, 100: ok.ErrParam, 300: ok.ErrNotFound, 601: ok.ErrMediaTopicLimit,
	}
	for code, want := range cases {
		e := &ok.Error{Code: code}
		assert.ErrorIs(t, e, want, "code %d", code)
		assert.NotEmpty(t, ok.CodeName(code))
	}
	assert.NotErrorIs(t, &ok.Error{Code: 1}, ok.ErrService)
	assert.Equal(t, "ok: 9999 SYSTEM", (&ok.Error{Code: 9999}).Error())
}

// The invocation-error header is only a hint: a success body wins, and an
// error body is read without it.
func TestInvocationErrorHeaderIsAHint(t *testing.T) {
	f := newFake(t)
	f.on("url.getInfo", func(url.Values) any {
		return func(w http.ResponseWriter) {
			w.Header().Set("invocation-error", "100")
			_, _ = io.WriteString(w, `{"objectId":42,"type":"GROUP"}`)
		}
	})
	f.on("group.getCounters", func(url.Values) any {
		return rawBody(`{"error_code":"100","error_msg":"PARAM : counterTypes"}`)
	})
	c := f.client()
	info, err := c.GetURLInfo(context.Background(), "https://ok.ru/group/42")
	require.NoError(t, err)
	assert.Equal(t, ok.ID("42"), info.ObjectID)
	assert.Equal(t, "GROUP", info.Type)
	_, err = c.GetCounters(context.Background(), &ok.GetCountersRequest{GroupID: "42", Types: []string{ok.CounterMembers}})
	assert.ErrorIs(t, err, ok.ErrParam)
}

func TestHTTPErrorsAndBadJSON(t *testing.T) {
	var status atomic.Int32
	status.Store(http.StatusForbidden)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s := int(status.Load()); s != 200 {
			w.WriteHeader(s)
			return
		}
		_, _ = io.WriteString(w, `{not json`)
	}))
	defer srv.Close()
	c, err := ok.New(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret, AccessToken: token}, core.WithBaseURL(srv.URL), core.WithClock(autoClock()))
	require.NoError(t, err)
	_, err = c.GetURLInfo(context.Background(), "https://ok.ru/x")
	var he *ok.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 403, he.StatusCode)
	assert.Equal(t, "HTTP 403", core.ErrorCode(err))
	status.Store(200)
	_, err = c.GetURLInfo(context.Background(), "https://ok.ru/x")
	var de *ok.DecodeError
	assert.ErrorAs(t, err, &de)
}

// Code 2 is retried for reads (on the virtual clock) and is an unknown
// outcome for a post, which is sent once.
func TestServiceErrorRetriedOnReadsOnly(t *testing.T) {
	f := newFake(t)
	var n atomic.Int32
	f.on("url.getInfo", func(url.Values) any {
		if n.Add(1) < 3 {
			return apiError{Code: ok.CodeService, Msg: "SERVICE"}
		}
		return map[string]any{"objectId": "7", "type": "GROUP"}
	})
	f.on("mediatopic.post", func(url.Values) any { return apiError{Code: ok.CodeService, Msg: "SERVICE"} })
	clk := autoClock()
	c := f.client(core.WithClock(clk))
	info, err := c.GetURLInfo(context.Background(), "https://ok.ru/g")
	require.NoError(t, err)
	assert.Equal(t, ok.ID("7"), info.ObjectID)
	assert.Equal(t, 3, f.hitCount("url.getInfo"))
	assert.Positive(t, clk.Slept(), "the backoff ran on the virtual clock")

	_, err = c.PostTopic(context.Background(), textTopic("g1", "hi"))
	assert.ErrorIs(t, err, core.ErrUnknownOutcome)
	assert.ErrorIs(t, err, ok.ErrService)
	assert.Equal(t, "2", core.ErrorCode(err))
	assert.Equal(t, 1, f.hitCount("mediatopic.post"))
}

func textTopic(gid, text string) *ok.PostTopicRequest {
	return &ok.PostTopicRequest{Type: ok.TopicGroupTheme, GroupID: gid,
		Attachment: ok.Attachment{Media: []ok.MediaItem{ok.TextItem(text)}, OnBehalfOfGroup: true}}
}

// dropOnce closes the first connection of each method after reading the
// request, then serves normally.
func dropFirst(f *fakeOK, method string) {
	var dropped atomic.Bool
	inner := f.srv.Config.Handler
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("method") == method && dropped.CompareAndSwap(false, true) {
			_ = r.ParseForm()
			f.mu.Lock()
			f.hits[method]++
			f.mu.Unlock()
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		inner.ServeHTTP(w, r)
	})
}

func TestNetworkErrorRetriedOnReadsUnknownOnPost(t *testing.T) {
	f := newFake(t)
	f.on("url.getInfo", func(url.Values) any { return map[string]any{"objectId": 9, "type": "GROUP"} })
	f.on("mediatopic.post", func(url.Values) any { return "123" })
	dropFirst(f, "url.getInfo")
	c := f.client()
	info, err := c.GetURLInfo(context.Background(), "https://ok.ru/g")
	require.NoError(t, err)
	assert.Equal(t, ok.ID("9"), info.ObjectID)
	assert.Equal(t, 2, f.hitCount("url.getInfo"))

	dropFirst(f, "mediatopic.post")
	_, err = c.PostTopic(context.Background(), textTopic("g1", "hi"))
	var ue *core.UnknownOutcomeError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, 1, f.hitCount("mediatopic.post"), "a post that may have arrived is never repeated")
}

// A post to a port nobody listens on provably never arrived: it is
// retried and then fails without an unknown outcome.
func TestPostRefusedConnectionIsNotUnknown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	c, err := ok.New(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret, AccessToken: token},
		core.WithBaseURL("http://"+addr), core.WithClock(autoClock()))
	require.NoError(t, err)
	_, err = c.PostTopic(context.Background(), textTopic("g", "x"))
	require.Error(t, err)
	assert.NotErrorIs(t, err, core.ErrUnknownOutcome)
	assert.NotContains(t, err.Error(), token)
}

func TestFloodCodesAreRateLimitErrorsNotRetried(t *testing.T) {
	for _, code := range []int{ok.CodeFloodBlocked, ok.CodeLimitReached} {
		f := newFake(t)
		f.on("mediatopic.post", func(url.Values) any { return apiError{Code: code, Msg: "flood"} })
		f.on("url.getInfo", func(url.Values) any { return apiError{Code: code, Msg: "flood"} })
		c := f.client()
		_, err := c.PostTopic(context.Background(), textTopic("g", "x"))
		var rl *core.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.ErrorIs(t, err, core.ErrRateLimited)
		assert.NotErrorIs(t, err, core.ErrUnknownOutcome)
		var e *ok.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, code, e.Code)
		_, err = c.GetURLInfo(context.Background(), "https://ok.ru/g")
		assert.ErrorIs(t, err, core.ErrRateLimited)
		assert.Equal(t, 1, f.hitCount("mediatopic.post"))
		assert.Equal(t, 1, f.hitCount("url.getInfo"))
	}
}

// staticSource hands out tokens in order.
type staticSource struct {
	tokens      []string
	n           atomic.Int32
	invalidated []string
}

func (s *staticSource) Token() (*oauth2.Token, error) {
	i := int(s.n.Add(1)) - 1
	if i >= len(s.tokens) {
		i = len(s.tokens) - 1
	}
	return &oauth2.Token{AccessToken: s.tokens[i]}, nil
}

func (s *staticSource) InvalidateToken(tok string) { s.invalidated = append(s.invalidated, tok) }

// 102 renews the token through the source and repeats the call once,
// signed anew, also for a post (102 proves it was not executed).
func TestSessionExpiredRefreshesOnce(t *testing.T) {
	f := newFake(t)
	f.tokens = map[string]bool{newToken: true}
	f.on("mediatopic.post", func(url.Values) any { return "555" })
	src := &staticSource{tokens: []string{token, newToken}}
	c := f.clientFor(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret}, ok.WithTokenSource(src))
	id, err := c.PostTopic(context.Background(), textTopic("g", "x"))
	require.NoError(t, err)
	assert.Equal(t, ok.ID("555"), id)
	assert.Equal(t, 2, f.hitCount("mediatopic.post"))
	assert.Equal(t, []string{token}, src.invalidated)
	last := f.lastCall()
	assert.Equal(t, newToken, last.Get("access_token"))
	assert.Equal(t, ok.Signature(last, ok.SecretFromToken(newToken, appSecret)), last.Get("sig"))

	// A source that cannot renew: the 102 error is returned after one try.
	f2 := newFake(t)
	f2.tokens = map[string]bool{}
	f2.on("url.getInfo", func(url.Values) any { return map[string]any{} })
	stuck := f2.clientFor(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret},
		ok.WithTokenSource(&staticSource{tokens: []string{token}}))
	_, err = stuck.GetURLInfo(context.Background(), "https://ok.ru/g")
	assert.ErrorIs(t, err, ok.ErrSessionExpired)
	assert.Equal(t, 1, f2.hitCount("url.getInfo"))
	assert.NotContains(t, err.Error(), token)

	// Renewed but expired again: no second refresh.
	f3 := newFake(t)
	f3.tokens = map[string]bool{}
	f3.on("url.getInfo", func(url.Values) any { return map[string]any{} })
	c3 := f3.clientFor(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret},
		ok.WithTokenSource(&staticSource{tokens: []string{token, newToken, "third"}}))
	_, err = c3.GetURLInfo(context.Background(), "https://ok.ru/g")
	assert.ErrorIs(t, err, ok.ErrSessionExpired)
	assert.Equal(t, 2, f3.hitCount("url.getInfo"))

	// Without a token source 102 is returned as is.
	f4 := newFake(t)
	f4.tokens = map[string]bool{}
	_, err = f4.client().GetURLInfo(context.Background(), "https://ok.ru/g")
	assert.ErrorIs(t, err, ok.ErrSessionExpired)
	assert.Equal(t, 1, f4.hitCount("url.getInfo"))
}

// The default pacing is DefaultRate per token, on the client's clock.
func TestDefaultPacingPerToken(t *testing.T) {
	f := newFake(t)
	f.on("url.getInfo", func(url.Values) any { return map[string]any{"objectId": 1} })
	clk := coretest.NewAutoClock()
	c, err := ok.New(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret, AccessToken: token},
		core.WithBaseURL(f.srv.URL), core.WithClock(clk))
	require.NoError(t, err)
	start := clk.Now()
	for range 15 {
		_, err := c.GetURLInfo(context.Background(), "https://ok.ru/g")
		require.NoError(t, err)
	}
	// Burst 5, then 10 more at 5/s: about 2 s of virtual time.
	elapsed := clk.Since(start)
	assert.GreaterOrEqual(t, elapsed, 1900*time.Millisecond)
	assert.Less(t, elapsed, 2500*time.Millisecond)

	// A limiter of one's own sees the documented key.
	var keys []string
	c2, err := ok.New(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret, AccessToken: token},
		core.WithBaseURL(f.srv.URL), core.WithLimiter(limiterFunc(func(k string) { keys = append(keys, k) })))
	require.NoError(t, err)
	_, err = c2.GetURLInfo(context.Background(), "https://ok.ru/g")
	require.NoError(t, err)
	assert.Equal(t, []string{core.LimitKey("ok", "token", core.Fingerprint(token), "")}, keys)
	assert.True(t, strings.HasPrefix(keys[0], ok.KeyPrefixToken))
}

type limiterFunc func(string)

func (f limiterFunc) Wait(ctx context.Context, key string) error { f(key); return ctx.Err() }

// No secret reaches logs, hooks or errors, even when OK echoes it.
func TestSecretsNeverLeak(t *testing.T) {
	f := newFake(t)
	f.on("url.getInfo", func(p url.Values) any {
		return apiError{Code: ok.CodeParam, Msg: "echo " + p.Encode() + " " + p.Get("access_token") + " " + p.Get("sig"),
			Data: map[string]any{"token": p.Get("access_token"), "secret": appSecret}}
	})
	f.on("mediatopic.post", func(url.Values) any { return rawBody("not json " + token) })
	var logs bytes.Buffer
	var hooks []string
	c := f.clientFor(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret, AccessToken: token},
		core.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		core.WithRequestHook(func(_ context.Context, ri core.RequestInfo) { hooks = append(hooks, ri.URL) }))
	_, err := c.GetURLInfo(context.Background(), "https://ok.ru/g")
	require.Error(t, err)
	_, err2 := c.PostTopic(context.Background(), textTopic("g", "x"))
	require.Error(t, err2)
	sig := f.lastCall().Get("sig")
	tokenSecret := ok.SecretFromToken(token, appSecret)
	var e *ok.Error
	require.ErrorAs(t, err, &e)
	texts := []string{err.Error(), err2.Error(), string(e.Data), logs.String(), strings.Join(hooks, " "), c.String(), fmt.Sprintf("%v %+v %#v", c, c, c)}
	for _, s := range texts {
		for _, secret := range []string{token, appSecret, tokenSecret, sig} {
			assert.NotContains(t, s, secret)
		}
	}
	assert.NotEmpty(t, logs.String())

	// A session key and its secret are never printed either.
	sc := f.clientFor(ok.Credentials{ApplicationKey: appKey, SessionKey: sessionKey, SessionSecretKey: sessSecret})
	_, err = sc.GetURLInfo(context.Background(), "https://ok.ru/g")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), sessionKey)
	assert.NotContains(t, err.Error(), sessSecret)
}

func TestInvalidRequestsSendNothing(t *testing.T) {
	f := newFake(t)
	c := f.client()
	ctx := context.Background()
	_, err := c.GetGroupInfo(ctx, nil)
	assert.ErrorIs(t, err, ok.ErrInvalidRequest)
	_, err = c.PostTopic(ctx, &ok.PostTopicRequest{Type: ok.TopicGroupTheme})
	assert.ErrorIs(t, err, ok.ErrInvalidRequest)
	_, err = c.PostTopic(ctx, &ok.PostTopicRequest{Type: ok.TopicGroupTheme, GroupID: "1"})
	assert.ErrorIs(t, err, ok.ErrInvalidRequest)
	assert.ErrorIs(t, c.Call(ctx, "", nil, nil), ok.ErrInvalidRequest)
	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Empty(t, f.calls)
}

func TestCallsLeftWarnsWithoutPacing(t *testing.T) {
	f := newFake(t)
	f.on("users.getCallsLeft", func(p url.Values) any {
		assert.Equal(t, "mediatopic.post,group.getInfo", p.Get("methods"))
		return []map[string]any{{"name": "mediatopic.post", "available": true, "callsLeft": 3},
			{"name": "group.getInfo", "available": "true", "callsLeft": "5000"}}
	})
	var warned []ok.CallsLeft
	var logs bytes.Buffer
	c := f.client(ok.WithCallsLeftWarning(10, func(_ context.Context, cl ok.CallsLeft) { warned = append(warned, cl) }),
		core.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	left, err := c.GetCallsLeft(context.Background(), []string{"mediatopic.post", "group.getInfo"})
	require.NoError(t, err)
	assert.Equal(t, []ok.CallsLeft{{Method: "mediatopic.post", Available: true, Left: 3}, {Method: "group.getInfo", Available: true, Left: 5000}}, left)
	assert.Equal(t, []ok.CallsLeft{{Method: "mediatopic.post", Available: true, Left: 3}}, warned)
	assert.Contains(t, logs.String(), "level=WARN")
	assert.Contains(t, logs.String(), "mediatopic.post")
}

var _ = errors.New

// Calls rejected together with the same expired token renew it once.
func TestConcurrentRefreshRenewsOnce(t *testing.T) {
	f := newFake(t)
	f.tokens = map[string]bool{newToken: true}
	f.on("url.getInfo", func(url.Values) any { return map[string]any{"objectId": 1} })
	src := &staticSource{tokens: []string{token, newToken, "third"}}
	c := f.clientFor(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret}, ok.WithTokenSource(src))
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := c.GetURLInfo(context.Background(), "https://ok.ru/g")
			errs <- err
		}()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
	assert.Equal(t, int32(2), src.n.Load(), "one token at start, one renewal")
}

// Without an error body, a non-2xx answer's invocation-error header names
// the code.
func TestInvocationErrorHeaderWithoutBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("invocation-error", "9")
		w.WriteHeader(http.StatusForbidden)
	}))
	defer srv.Close()
	c, err := ok.New(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret, AccessToken: token}, core.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = c.GetURLInfo(context.Background(), "https://ok.ru/g")
	var e *ok.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, ok.CodeIPBlocked, e.Code)
}

func TestErrorWireForm(t *testing.T) {
	b, err := json.Marshal(&ok.Error{Method: "x", Code: 104, Msg: "PARAM_SIGNATURE : Invalid signature"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"error_code":104,"error_msg":"PARAM_SIGNATURE : Invalid signature","error_data":null}`, string(b))
	b, err = json.Marshal(&ok.Error{Code: 100, Data: json.RawMessage(`{"f":1}`)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"error_code":100,"error_msg":"","error_data":{"f":1}}`, string(b))
}
