package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core/coretest"
)

// fastRetry keeps the backoff short so tests run quickly.
func fastRetry() Option { return WithRetry(3, time.Millisecond, 5*time.Millisecond) }

// newTestClient returns a client whose waits run on an auto-advancing
// virtual clock: nothing sleeps.
func newTestClient(t *testing.T, opts ...Option) *Client {
	t.Helper()
	c, _ := newClockedClient(t, coretest.NewAutoClock(), opts...)
	return c
}

func newClockedClient(t *testing.T, clk *coretest.Clock, opts ...Option) (*Client, *coretest.Clock) {
	t.Helper()
	c, err := New(append([]Option{fastRetry(), WithClock(clk)}, opts...)...)
	require.NoError(t, err)
	return c, clk
}

// jsonClassifier reads {"retry_after":N} (milliseconds) from a 429 body, the
// way party classifiers read their own envelopes.
func jsonClassifier(status int, h http.Header, body []byte) Verdict {
	if status == http.StatusTooManyRequests {
		var v struct {
			RetryAfterMS int `json:"retry_after_ms"`
		}
		_ = json.Unmarshal(body, &v)
		return Verdict{RateLimited: true, RetryAfter: time.Duration(v.RetryAfterMS) * time.Millisecond}
	}
	return DefaultClassifier(status, h, body)
}

func TestDoSendsHeadersAndBody(t *testing.T) {
	t.Parallel()
	var got struct {
		ua, ct, method, extra string
		body                  []byte
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.ua, got.ct, got.method, got.extra = r.UserAgent(), r.Header.Get("Content-Type"), r.Method, r.Header.Get("X-Extra")
		got.body, _ = io.ReadAll(r.Body)
		w.Header().Set("X-Answer", "1")
		w.WriteHeader(201)
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	c := newTestClient(t, WithUserAgent("app/2"))
	resp, err := c.Do(t.Context(), &Call{Operation: "t.op", URL: srv.URL + "/x", Body: []byte(`{"a":1}`),
		ContentType: "application/json", Header: http.Header{"X-Extra": {"e"}}})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, `{"ok":true}`, string(resp.Body))
	assert.Equal(t, "1", resp.Header.Get("X-Answer"))
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, "gosdk/"+Version+" app/2", got.ua)
	assert.Equal(t, "application/json", got.ct)
	assert.Equal(t, http.MethodPost, got.method)
	assert.Equal(t, "e", got.extra)
	assert.Equal(t, `{"a":1}`, string(got.body))
}

func TestRateLimitedCallIsRetriedAfterWait(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.WriteHeader(429)
			_, _ = w.Write([]byte(`{"retry_after_ms":120}`))
			return
		}
		_, _ = w.Write([]byte(`done`))
	}))
	defer srv.Close()
	c, clk := newClockedClient(t, coretest.NewAutoClock(), WithClassifier(jsonClassifier))
	// Not idempotent: a 429 answer means it was not executed, so it is retried.
	resp, err := c.Do(t.Context(), &Call{Operation: "send", URL: srv.URL, Body: []byte("x")})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, clk.Slept(), 120*time.Millisecond, "must wait the party's retry-after")
	assert.Less(t, clk.Slept(), 171*time.Millisecond, "plus at most 50 ms of jitter")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "done", string(resp.Body))
	assert.Equal(t, 2, resp.Attempts)
	assert.EqualValues(t, 2, hits.Load())
}

func TestRetryAfterAboveCapReturnsAtOnce(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "73414")
		w.WriteHeader(429)
	}))
	defer srv.Close()
	c, clk := newClockedClient(t, coretest.NewAutoClock(), WithMaxRetryAfter(30*time.Second))
	call := &Call{Operation: "send", URL: srv.URL, Body: []byte("x")}
	resp, err := c.Do(t.Context(), call)
	require.NoError(t, err)
	assert.Zero(t, clk.Slept(), "a retry-after of hours is never waited")
	assert.EqualValues(t, 1, hits.Load())
	assert.True(t, resp.Verdict.RateLimited)
	assert.Equal(t, 73414*time.Second, resp.Verdict.RetryAfter)

	apiErr := errors.New("party says too many requests")
	ferr := Finish(call, resp, apiErr)
	require.ErrorIs(t, ferr, ErrRateLimited)
	require.ErrorIs(t, ferr, apiErr)
	var rl *RateLimitError
	require.ErrorAs(t, ferr, &rl)
	assert.Equal(t, 73414*time.Second, rl.RetryAfter)
	assert.Equal(t, "send", rl.Operation)
}

func TestServerErrorOnSendIsNotRetried(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(502)
	}))
	defer srv.Close()
	c := newTestClient(t)
	call := &Call{Operation: "send", URL: srv.URL, Body: []byte("x")}
	resp, err := c.Do(t.Context(), call)
	require.NoError(t, err)
	assert.EqualValues(t, 1, hits.Load())
	assert.True(t, resp.Verdict.Transient)
	ferr := Finish(call, resp, errors.New("bad gateway"))
	require.ErrorIs(t, ferr, ErrUnknownOutcome)
}

func TestServerErrorOnIdempotentCallIsRetried(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) < 3 {
			w.WriteHeader(503)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	c := newTestClient(t)
	resp, err := c.Do(t.Context(), &Call{Operation: "get", URL: srv.URL, Idempotent: true})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 3, resp.Attempts)

	// With a dedupe key a non-idempotent call is retried as well.
	hits.Store(0)
	resp, err = c.Do(t.Context(), &Call{Operation: "post", URL: srv.URL, Body: []byte("x"), DedupeKey: "guid-1"})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.EqualValues(t, 3, hits.Load())
}

func TestRetriesRunOutReturnsLastAnswer(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(500)
		_, _ = w.Write([]byte("boom"))
	}))
	defer srv.Close()
	c := newTestClient(t)
	resp, err := c.Do(t.Context(), &Call{Operation: "get", URL: srv.URL, Idempotent: true})
	require.NoError(t, err)
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "boom", string(resp.Body))
	assert.EqualValues(t, 4, hits.Load(), "first attempt plus three retries")
}

// dropServer accepts connections, reads the request and closes the
// connection without answering: the request reached the server.
func dropServer(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.ReadAll(r.Body)
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Error("no hijacker")
			return
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &hits
}

func TestDroppedConnectionOnSendIsUnknownOutcome(t *testing.T) {
	t.Parallel()
	u, hits := dropServer(t)
	c := newTestClient(t)
	_, err := c.Do(t.Context(), &Call{Operation: "send", URL: u + "/bot123:SECRETTOKEN/send", Body: []byte("x")})
	require.Error(t, err)
	require.ErrorIs(t, err, ErrUnknownOutcome)
	var uo *UnknownOutcomeError
	require.ErrorAs(t, err, &uo)
	assert.Equal(t, "send", uo.Operation)
	assert.EqualValues(t, 1, hits.Load(), "a send that may have taken effect is never repeated")
	assert.NotContains(t, err.Error(), "SECRETTOKEN")
}

func TestDroppedConnectionOnReadIsRetried(t *testing.T) {
	t.Parallel()
	u, hits := dropServer(t)
	c := newTestClient(t)
	_, err := c.Do(t.Context(), &Call{Operation: "get", URL: u, Idempotent: true})
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrUnknownOutcome)
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 4, te.Attempts)
	assert.EqualValues(t, 4, hits.Load())
}

// refusingClient returns an http.Client whose dials are all refused, the
// way a closed port refuses them (without depending on a free port staying
// free while other tests run).
func refusingClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: func(_ context.Context, network, _ string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	}}}
}

func TestConnectionRefusedIsRetriedEvenForSends(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, WithHTTPClient(refusingClient()))
	_, err := c.Do(t.Context(), &Call{Operation: "send", URL: "http://127.0.0.1:9/?access_token=TOPSECRET", Body: []byte("x")})
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrUnknownOutcome, "a refused connection provably did not deliver the request")
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 4, te.Attempts)
	var opErr *net.OpError
	assert.ErrorAs(t, err, &opErr)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED)
	assert.NotContains(t, err.Error(), "TOPSECRET")
}

func TestContextCancelStopsBackoff(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "20")
		w.WriteHeader(429)
	}))
	defer srv.Close()
	c, clk := newClockedClient(t, coretest.NewClock(time.Time{}))
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		clk.WaitForTimers(1) // the client waits out the retry-after
		cancel()
	}()
	_, err := c.Do(ctx, &Call{Operation: "send", URL: srv.URL, Body: []byte("x")})
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, clk.Pending(), "the wait's timer was stopped")
}

type recordingLimiter struct {
	mu   sync.Mutex
	keys []string
	err  error
}

func (l *recordingLimiter) Wait(ctx context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys = append(l.keys, key)
	return l.err
}

func TestLimiterIsConsultedBeforeEveryAttempt(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.WriteHeader(429)
			return
		}
	}))
	defer srv.Close()
	lim := &recordingLimiter{}
	c := newTestClient(t, WithLimiter(lim))
	_, err := c.Do(t.Context(), &Call{Operation: "send", URL: srv.URL, Body: []byte("x"), LimitKeys: []string{"chat:1", "group:1"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"chat:1", "group:1", "chat:1", "group:1"}, lim.keys)
}

func TestLimiterErrorSendsNothing(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	lim := &recordingLimiter{err: context.DeadlineExceeded}
	c := newTestClient(t, WithLimiter(lim))
	_, err := c.Do(t.Context(), &Call{Operation: "send", URL: srv.URL, Body: []byte("x"), LimitKeys: []string{"k"}})
	require.ErrorIs(t, err, ErrLimiter)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, ErrUnknownOutcome)
	assert.EqualValues(t, 0, hits.Load())
	assert.Len(t, lim.keys, 1, "no retry after a limiter failure")
}

func TestSecretsNeverReachLogsHooksOrErrors(t *testing.T) {
	t.Parallel()
	const token = "123456:AAE-verysecretbottoken_xyz"
	const clientSecret = "c2lnbmVkLXNlY3JldA"
	u, _ := dropServer(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var hookURLs []string
	var mu sync.Mutex
	c := newTestClient(t, WithLogger(logger), WithSecrets(clientSecret),
		WithRequestHook(func(_ context.Context, ri RequestInfo) { mu.Lock(); hookURLs = append(hookURLs, ri.URL); mu.Unlock() }),
		WithResponseHook(func(_ context.Context, ri ResponseInfo) {
			mu.Lock()
			hookURLs = append(hookURLs, ri.URL)
			if ri.Err != nil {
				hookURLs = append(hookURLs, ri.Err.Error())
			}
			mu.Unlock()
		}))
	url := u + "/bot" + token + "/sendMessage?client_secret=" + clientSecret + "&x=" + clientSecret
	_, err := c.Do(t.Context(), &Call{Operation: "send", URL: url, Body: []byte("x")})
	require.Error(t, err)
	all := err.Error() + logs.String() + strings.Join(hookURLs, "\n")
	assert.NotContains(t, all, token)
	assert.NotContains(t, all, "verysecret")
	assert.NotContains(t, all, clientSecret)
	assert.Contains(t, all, "/bot"+Redacted+"/sendMessage")
	assert.NotEmpty(t, hookURLs)
	assert.Contains(t, logs.String(), "gosdk attempt")
}

func TestMaxResponseBytes(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(bytes.Repeat([]byte("a"), 1000))
	}))
	defer srv.Close()
	c := newTestClient(t, WithMaxResponseBytes(100))
	_, err := c.Do(t.Context(), &Call{Operation: "get", URL: srv.URL, Idempotent: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "exceeds 100 bytes")
	resp, err := c.Do(t.Context(), &Call{Operation: "get", URL: srv.URL, Idempotent: true, MaxResponseBytes: 1000})
	require.NoError(t, err)
	assert.Len(t, resp.Body, 1000)
}

func TestOptionsValidate(t *testing.T) {
	t.Parallel()
	_, err := New(WithRetry(-1, 0, 0))
	require.Error(t, err)
	_, err = New(WithRetry(1, time.Second, time.Millisecond))
	require.Error(t, err)
	_, err = New(WithHTTPClient(nil))
	require.Error(t, err)
	_, err = New(WithMaxRetryAfter(-time.Second))
	require.Error(t, err)
	_, err = New(WithMaxResponseBytes(0))
	require.Error(t, err)
	_, err = New(nil, WithLimiter(nil))
	require.NoError(t, err)
}

func TestWithHTTPClientUsesItsTransport(t *testing.T) {
	t.Parallel()
	var used atomic.Bool
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used.Store(true)
		return &http.Response{StatusCode: 204, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}, Request: r}, nil
	})
	hc := &http.Client{Transport: rt}
	c := newTestClient(t, WithHTTPClient(hc))
	resp, err := c.Do(t.Context(), &Call{Operation: "get", URL: "http://example.invalid/", Idempotent: true})
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.True(t, used.Load())
	_, isOurs := hc.Transport.(*attemptTransport)
	assert.False(t, isOurs, "the caller's http.Client must not be modified")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestExpBackoffBounds(t *testing.T) {
	t.Parallel()
	for attempt := 0; attempt < 10; attempt++ {
		d := ExpBackoff(100*time.Millisecond, time.Second, attempt)
		upper := min(100*time.Millisecond<<attempt, time.Second)
		assert.GreaterOrEqual(t, d, upper/2, "attempt %d", attempt)
		assert.LessOrEqual(t, d, upper, "attempt %d", attempt)
	}
	assert.Zero(t, ExpBackoff(0, time.Second, 3))
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	cases := map[string]time.Duration{"": 0, "3": 3 * time.Second, " 10 ": 10 * time.Second, "-1": 0,
		"Wed, 21 Oct 2015 07:28:00 GMT": 0, "abc": 0, strconv.Itoa(73414): 73414 * time.Second}
	for in, want := range cases {
		assert.Equal(t, want, ParseRetryAfter(in), in)
	}
	assert.Positive(t, ParseRetryAfter("99999999999999999999"[:19]))
}

func TestFinishPassesOrdinaryErrors(t *testing.T) {
	t.Parallel()
	call := &Call{Operation: "x"}
	apiErr := errors.New("bad request")
	assert.Same(t, apiErr, Finish(call, &Response{StatusCode: 400}, apiErr))
	assert.NoError(t, Finish(call, &Response{StatusCode: 200}, nil))
	idem := &Call{Operation: "x", Idempotent: true}
	assert.Same(t, apiErr, Finish(idem, &Response{StatusCode: 500, Verdict: Verdict{Transient: true}}, apiErr))
}

func TestSendWithoutBodyOutcome(t *testing.T) {
	t.Parallel()
	// A non-idempotent call without a body is classified the same way: a
	// dropped connection is an unknown outcome, a refused one is retried.
	u, hits := dropServer(t)
	c := newTestClient(t)
	_, err := c.Do(t.Context(), &Call{Operation: "send", Method: http.MethodPost, URL: u})
	require.ErrorIs(t, err, ErrUnknownOutcome)
	assert.EqualValues(t, 1, hits.Load())

	refused := newTestClient(t, WithHTTPClient(refusingClient()))
	_, err = refused.Do(t.Context(), &Call{Operation: "send", Method: http.MethodPost, URL: u})
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrUnknownOutcome)
}

func TestBodyIsReplayedOnEveryAttempt(t *testing.T) {
	t.Parallel()
	var bodies []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b)+"|"+strconv.FormatInt(r.ContentLength, 10))
		n := len(bodies)
		mu.Unlock()
		if n < 3 {
			w.WriteHeader(429)
		}
	}))
	defer srv.Close()
	c := newTestClient(t)
	_, err := c.Do(t.Context(), &Call{Operation: "send", URL: srv.URL, Body: []byte("payload")})
	require.NoError(t, err)
	assert.Equal(t, []string{"payload|7", "payload|7", "payload|7"}, bodies)
}

func TestCancelDuringRateLimitWaitIsNotUnknown(t *testing.T) {
	t.Parallel()
	// The last answer was a 429 (not executed); cancelling while waiting
	// to retry leaves a call that certainly did not take effect.
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(429)
	}))
	defer srv.Close()
	c, clk := newClockedClient(t, coretest.NewClock(time.Time{}))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		clk.WaitForTimers(1)
		cancel()
	}()
	_, err := c.Do(ctx, &Call{Operation: "send", URL: srv.URL, Body: []byte("x")})
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, ErrUnknownOutcome)
	assert.EqualValues(t, 1, hits.Load())
}
