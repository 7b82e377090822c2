package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
)

// statusServer answers with the given statuses in turn (then 200), with
// Retry-After on 429 answers.
func statusServer(t *testing.T, retryAfter string, statuses ...int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(hits.Add(1)) - 1
		if i < len(statuses) {
			if statuses[i] == 429 {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(statuses[i])
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// TestRateLimitBudgetIsSeparateFromTransientRetries: with one transient
// retry allowed, a call still waits out five "too many requests" answers,
// and its transient retry stays available.
func TestRateLimitBudgetIsSeparateFromTransientRetries(t *testing.T) {
	t.Parallel()
	srv, hits := statusServer(t, "1", 429, 429, 429, 429, 429, 503)
	c, clk := newClockedClient(t, coretest.NewAutoClock(), WithRetry(1, time.Millisecond, time.Millisecond))
	resp, err := c.Do(t.Context(), &Call{Operation: "get", URL: srv.URL, Idempotent: true})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 7, resp.Attempts)
	assert.EqualValues(t, 7, hits.Load())
	assert.GreaterOrEqual(t, clk.Slept(), 5*time.Second)
}

// TestRateLimitBudgetIsBoundedByTotalWait: retry-afters of 25 s each are
// under the 30 s cap, but the third would pass the 60 s total.
func TestRateLimitBudgetIsBoundedByTotalWait(t *testing.T) {
	t.Parallel()
	srv, hits := statusServer(t, "25", 429, 429, 429, 429)
	c, clk := newClockedClient(t, coretest.NewAutoClock())
	call := &Call{Operation: "send", URL: srv.URL, Body: []byte("x")}
	resp, err := c.Do(t.Context(), call)
	require.NoError(t, err)
	assert.True(t, resp.Verdict.RateLimited)
	assert.EqualValues(t, 3, hits.Load(), "two waits of 25 s, the third would exceed 60 s")
	assert.Less(t, clk.Slept(), DefaultMaxTotalWait)
	assert.ErrorIs(t, Finish(call, resp, assert.AnError), core.ErrRateLimited)

	c2, _ := newClockedClient(t, coretest.NewAutoClock(), WithMaxTotalWait(2*time.Minute))
	srv2, hits2 := statusServer(t, "25", 429, 429, 429, 429)
	resp, err = c2.Do(t.Context(), &Call{Operation: "send", URL: srv2.URL, Body: []byte("x")})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.EqualValues(t, 5, hits2.Load())
}

func TestCallWithoutRetries(t *testing.T) {
	t.Parallel()
	srv, hits := statusServer(t, "1", 503, 429)
	c := newTestClient(t)
	resp, err := c.Do(t.Context(), &Call{Operation: "get", URL: srv.URL, Idempotent: true}, core.CallWithoutRetries())
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
	resp, err = c.Do(t.Context(), &Call{Operation: "get", URL: srv.URL, Idempotent: true}, core.CallWithoutRetries())
	require.NoError(t, err)
	assert.Equal(t, 429, resp.StatusCode)
	assert.EqualValues(t, 2, hits.Load())
	// Without the option, the same client retries.
	resp, err = c.Do(t.Context(), &Call{Operation: "get", URL: srv.URL, Idempotent: true})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
}

func TestCallLimitKeysLimiterAndHooks(t *testing.T) {
	t.Parallel()
	srv, _ := statusServer(t, "")
	clientLim, callLim := &recordingLimiter{}, &recordingLimiter{}
	var mu sync.Mutex
	var seen []string
	c := newTestClient(t, WithLimiter(clientLim), WithRequestHook(func(_ context.Context, ri RequestInfo) {
		mu.Lock()
		seen = append(seen, "client:"+ri.Operation)
		mu.Unlock()
	}))
	call := &Call{Operation: "send", URL: srv.URL, Body: []byte("x"), LimitKeys: []string{"telegram:chat:fp:1"}}
	_, err := c.Do(t.Context(), call, core.CallLimitKeys("telegram:chat:fp:other"))
	require.NoError(t, err)
	_, err = c.Do(t.Context(), call, core.CallLimiter(callLim),
		core.CallRequestHook(func(_ context.Context, ri RequestInfo) {
			mu.Lock()
			seen = append(seen, "call:"+ri.Operation)
			mu.Unlock()
		}),
		core.CallResponseHook(func(_ context.Context, ri ResponseInfo) {
			mu.Lock()
			seen = append(seen, "call-response:"+http.StatusText(ri.StatusCode))
			mu.Unlock()
		}))
	require.NoError(t, err)
	_, err = c.Do(t.Context(), call, core.CallLimitKeys())
	require.NoError(t, err)
	assert.Equal(t, []string{"telegram:chat:fp:other"}, clientLim.keys, "the third call spends no key")
	assert.Equal(t, []string{"telegram:chat:fp:1"}, callLim.keys)
	assert.Equal(t, []string{"client:send", "client:send", "call:send", "call-response:OK", "client:send"}, seen)
}

// hangServer accepts requests and never answers until the test ends.
func hangServer(t *testing.T) string {
	t.Helper()
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(stop); srv.Close() })
	return srv.URL
}

// TestCallWithoutDeadlineGetsDefaultBound: a server that never answers
// cannot hang a call made with a ctx that has no deadline.
func TestCallWithoutDeadlineGetsDefaultBound(t *testing.T) {
	t.Parallel()
	u := hangServer(t)
	c := newTestClient(t, WithDefaultTimeout(30*time.Millisecond))
	_, err := c.Do(context.Background(), &Call{Operation: "send", URL: u, Body: []byte("x")})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorIs(t, err, core.ErrUnknownOutcome, "the request reached the server")
	assert.Contains(t, err.Error(), "default timeout of 30ms")
	_, err = c.Do(context.Background(), &Call{Operation: "get", URL: u, Idempotent: true})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.NotErrorIs(t, err, core.ErrUnknownOutcome)

	// A per-call timeout bounds one call even under a longer ctx deadline.
	c2 := newTestClient(t, WithDefaultTimeout(0))
	ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
	defer cancel()
	_, err = c2.Do(ctx, &Call{Operation: "get", URL: u, Idempotent: true}, core.CallTimeout(20*time.Millisecond))
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestCallWithDeadlineKeepsIt: the default bound never shortens a deadline
// the caller chose.
func TestCallWithDeadlineKeepsIt(t *testing.T) {
	t.Parallel()
	var dl atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d, ok := r.Context().Deadline(); ok {
			dl.Store(d.UnixNano())
		}
	}))
	defer srv.Close()
	c := newTestClient(t, WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if d, ok := r.Context().Deadline(); ok {
			dl.Store(d.UnixNano())
		} else {
			dl.Store(-1)
		}
		return http.DefaultTransport.RoundTrip(r)
	})}), WithDefaultTimeout(time.Hour))
	want := time.Now().Add(3 * time.Hour)
	ctx, cancel := context.WithDeadline(t.Context(), want)
	defer cancel()
	_, err := c.Do(ctx, &Call{Operation: "get", URL: srv.URL, Idempotent: true})
	require.NoError(t, err)
	assert.Equal(t, want.UnixNano(), dl.Load())
	_, err = c.Do(context.Background(), &Call{Operation: "unbounded-get", URL: srv.URL, Idempotent: true})
	require.NoError(t, err)
	assert.EqualValues(t, -1, dl.Load(), "the default bound is enforced by the watchdog, not a ctx deadline")
	calls.mu.Lock()
	defer calls.mu.Unlock()
	for _, st := range calls.calls {
		assert.NotEqual(t, "unbounded-get", st.call.Operation, "a finished call is released")
	}
}

func TestWithSettings(t *testing.T) {
	t.Parallel()
	s := core.NewSettings("test", nil)
	require.NoError(t, s.Apply(core.WithRetry(0, 0, 0), core.WithRateLimitRetry(0, 0), core.WithUserAgent("app/1"),
		core.WithSecrets("s3cr3t-value"), core.WithDefaultTimeout(time.Second)))
	c, err := New(WithSettings(&s))
	require.NoError(t, err)
	assert.Equal(t, 0, c.retryMax)
	assert.Equal(t, time.Duration(0), c.maxRetryAfter)
	assert.Equal(t, time.Second, c.timeout)
	assert.Equal(t, UserAgent+" app/1", c.userAgent)
	assert.Equal(t, "x "+Redacted, c.Redact("x s3cr3t-value"))
	assert.NotContains(t, c.String(), "s3cr3t")
	assert.NotContains(t, c.GoString(), "s3cr3t")
}

// TestDefaultBoundPaths: a ctx that can never end shares a bucket with the
// calls of the same bound started within a tick and keeps its values; a
// ctx that can end (cancellable, no deadline) is bounded on its own.
func TestDefaultBoundPaths(t *testing.T) {
	t.Parallel()
	type key struct{}
	var seen atomic.Value
	c := newTestClient(t, WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen.Store(r.Context().Value(key{}))
		return &http.Response{StatusCode: 200, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
	})}), WithDefaultTimeout(time.Hour+time.Minute))
	ctx := context.WithValue(context.Background(), key{}, "v")
	_, err := c.Do(ctx, &Call{Operation: "a", URL: "http://gosdk.invalid/a", Idempotent: true})
	require.NoError(t, err)
	assert.Equal(t, "v", seen.Load(), "the call's values reach the request")
	calls.mu.Lock()
	first := calls.open[time.Hour+time.Minute]
	calls.mu.Unlock()
	require.NotNil(t, first)
	_, err = c.Do(ctx, &Call{Operation: "b", URL: "http://gosdk.invalid/b", Idempotent: true})
	require.NoError(t, err)
	calls.mu.Lock()
	second := calls.open[time.Hour+time.Minute]
	calls.mu.Unlock()
	if time.Since(first.start) < watchTick {
		assert.Same(t, first, second, "calls within one tick share a bound")
	}

	u := hangServer(t)
	hc := newTestClient(t, WithDefaultTimeout(30*time.Millisecond))
	cctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	_, err = hc.Do(cctx, &Call{Operation: "get", URL: u, Idempotent: true})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "default timeout of 30ms")
}
