package delivery_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/delivery"
	"github.com/gospubliki/gosdk/mock/world"
)

var epoch = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// receiver answers 500 to the first fail requests and records every
// request's counter header and body.
type receiver struct {
	mu       sync.Mutex
	fail     int
	counters []string
	bodies   []string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counters = append(r.counters, req.Header.Get("X-Retry-Counter"))
	r.bodies = append(r.bodies, string(body))
	if r.fail > 0 {
		r.fail--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	_, _ = io.WriteString(w, "ok")
}

func (r *receiver) snapshot() ([]string, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.counters...), append([]string(nil), r.bodies...)
}

func newEngine(t *testing.T, cfg delivery.Config) (*delivery.Engine, *world.Clock, *world.Journal) {
	t.Helper()
	if cfg.Clock == nil {
		cfg.Clock = world.NewClock(epoch)
	}
	cfg.Journal = world.NewJournal(0)
	cfg.Party = "vk"
	e := delivery.New(cfg)
	t.Cleanup(e.Close)
	return e, cfg.Clock, cfg.Journal
}

func await(t *testing.T, j *world.Journal, attempt string) world.Entry {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	en, err := j.Await(ctx, world.Filter{Party: "vk", Method: "callback", Param: "attempt", ParamValue: attempt})
	require.NoError(t, err, "no attempt %s", attempt)
	return en
}

// TestDeliverRetriesOnTheWorldClock: retries wait for the frozen world
// clock, Advance returns after the retry, each attempt carries the
// redelivery counter and is journaled.
func TestDeliverRetriesOnTheWorldClock(t *testing.T) {
	rec := &receiver{fail: 2}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	e, clock, j := newEngine(t, delivery.Config{RetryMin: time.Second, RetryMax: time.Minute, AttemptHeader: "X-Retry-Counter"})

	type result struct {
		resp *delivery.Response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := e.Deliver(context.Background(), delivery.Request{URL: srv.URL + "/cb?secret=x", Body: []byte(`{"type":"wall_post_new"}`),
			Name: "callback", Tenant: "suite-1", Params: map[string]string{"type": "wall_post_new"}})
		done <- result{resp, err}
	}()
	first := await(t, j, "0")
	assert.Equal(t, 500, first.Status)
	assert.Equal(t, "suite-1", first.Tenant)
	assert.Equal(t, "wall_post_new", first.Params["type"])
	assert.NotContains(t, first.Params["host"], "secret", "the journal keeps the host only")
	assert.Equal(t, 1, clock.Pending(), "the retry is scheduled before the attempt is journaled")

	clock.Advance(999 * time.Millisecond)
	counters, _ := rec.snapshot()
	assert.Len(t, counters, 1, "no retry before the backoff has passed")
	clock.Advance(time.Millisecond)
	counters, _ = rec.snapshot()
	assert.Equal(t, []string{"0", "1"}, counters, "Advance returned after the retry")
	clock.Advance(2 * time.Second) // the backoff doubled
	var r result
	select {
	case r = <-done:
	case <-time.After(10 * time.Second): // a guard against a hang, not a wait
		t.Fatal("Deliver did not return after the last retry")
	}
	require.NoError(t, r.err)
	assert.Equal(t, 200, r.resp.Status)
	assert.Equal(t, "ok", string(r.resp.Body))
	counters, bodies := rec.snapshot()
	assert.Equal(t, []string{"0", "1", "2"}, counters)
	assert.Equal(t, `{"type":"wall_post_new"}`, bodies[2])
	assert.Equal(t, 3, j.Count("vk", "callback"))
	assert.Equal(t, 1*time.Second, e.Backoff(1))
	assert.Equal(t, 4*time.Second, e.Backoff(3))
	assert.Equal(t, time.Minute, e.Backoff(30))
}

func TestDeliverRefusesOutsideHosts(t *testing.T) {
	e, _, j := newEngine(t, delivery.Config{})
	_, err := e.Deliver(context.Background(), delivery.Request{URL: "http://example.com/hook", Name: "callback"})
	var de *delivery.Error
	require.True(t, errors.As(err, &de))
	assert.Equal(t, delivery.KindForbiddenHost, de.Kind)
	en, ok := j.Last(world.Filter{Method: "callback"})
	require.True(t, ok)
	assert.Equal(t, "delivery: only loopback hosts are allowed", en.Description)

	_, err = e.Deliver(context.Background(), delivery.Request{URL: "::not a url", Name: "callback"})
	require.True(t, errors.As(err, &de))
	assert.Equal(t, delivery.KindInvalidURL, de.Kind)
}

// TestMaxInFlight: with one slot, a second stream's attempt waits until
// the first has ended.
func TestMaxInFlight(t *testing.T) {
	var cur, peak atomic.Int32
	release := make(chan struct{})
	arrived := make(chan struct{}, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		arrived <- struct{}{}
		<-release
		cur.Add(-1)
	}))
	defer srv.Close()
	e, _, _ := newEngine(t, delivery.Config{MaxInFlight: 1})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.Deliver(context.Background(), delivery.Request{URL: srv.URL, Name: "callback"})
			assert.NoError(t, err)
		}()
	}
	<-arrived
	select {
	case <-arrived:
		t.Fatal("a second attempt ran while the only slot was taken")
	default:
	}
	release <- struct{}{}
	<-arrived
	release <- struct{}{}
	wg.Wait()
	assert.Equal(t, int32(1), peak.Load())
}

// TestCloseCancels: closing the engine aborts the attempt under way and
// the pending retries.
func TestCloseCancels(t *testing.T) {
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	}))
	defer srv.Close()
	e, clock, _ := newEngine(t, delivery.Config{})
	errc := make(chan error, 1)
	go func() {
		_, err := e.Deliver(context.Background(), delivery.Request{URL: srv.URL, Name: "callback"})
		errc <- err
	}()
	<-arrived
	e.Close()
	err := <-errc
	var de *delivery.Error
	require.True(t, errors.As(err, &de))
	assert.Equal(t, delivery.KindCanceled, de.Kind)
	assert.Zero(t, clock.Pending(), "no retry left scheduled")
	_, err = e.Send(context.Background(), delivery.Request{URL: srv.URL}, 0)
	require.True(t, errors.As(err, &de))
	assert.Equal(t, delivery.KindCanceled, de.Kind)
}

// queue is a Source over a slice of bodies.
type queue struct {
	mu    sync.Mutex
	url   string
	items []*string
	seen  []string
}

func (q *queue) Next() (any, delivery.Request, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return nil, delivery.Request{}, false
	}
	return q.items[0], delivery.Request{URL: q.url, Body: []byte(*q.items[0]), Name: "callback"}, true
}

func (q *queue) Done(key any, _ *delivery.Response, err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err == nil && len(q.items) > 0 && q.items[0] == key {
		q.seen = append(q.seen, *q.items[0])
		q.items = q.items[1:]
	}
}

// TestStreamOrderAndReset: a stream keeps order across failures, items
// queued during a backoff wait for the retry, and Reset (a new receiver)
// retries at once.
func TestStreamOrderAndReset(t *testing.T) {
	rec := &receiver{fail: 1}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	e, clock, j := newEngine(t, delivery.Config{RetryMin: time.Hour, RetryMax: time.Hour, AttemptHeader: "X-Retry-Counter"})
	a, b := "a", "b"
	q := &queue{url: srv.URL, items: []*string{&a}}
	s := e.NewStream(q)
	s.Kick()
	await(t, j, "0")
	q.mu.Lock()
	q.items = append(q.items, &b)
	q.mu.Unlock()
	s.Kick() // ignored: the retry comes first
	counters, _ := rec.snapshot()
	assert.Len(t, counters, 1)
	assert.Equal(t, 1, clock.Pending(), "one retry scheduled")

	s.Reset()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := j.Await(ctx, world.Filter{Method: "callback", Status: 200, AfterSeq: 2})
	require.NoError(t, err)
	clock.WaitIdle()
	s.Close()
	e.Close()
	_, bodies := rec.snapshot()
	assert.Equal(t, []string{"a", "a", "b"}, bodies)
	q.mu.Lock()
	assert.Equal(t, []string{"a", "b"}, q.seen)
	q.mu.Unlock()
	assert.Zero(t, clock.Pending(), "Reset dropped the pending retry")
}

func TestSendAcceptRefusesAnAnswer(t *testing.T) {
	rcv := &receiver{}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	e, _, j := newEngine(t, delivery.Config{AttemptHeader: "X-Retry-Counter"})
	want := "confirmed"
	req := delivery.Request{URL: srv.URL, Name: "callback", Accept: func(r *delivery.Response) bool { return string(r.Body) == want }}
	_, err := e.Send(context.Background(), req, 0)
	var de *delivery.Error
	require.ErrorAs(t, err, &de)
	assert.Equal(t, delivery.KindRejected, de.Kind)
	assert.Equal(t, http.StatusOK, de.Status)
	assert.Equal(t, "delivery: answer refused", de.Error())
	want = "ok"
	resp, err := e.Send(context.Background(), req, 1)
	require.NoError(t, err)
	assert.Equal(t, "ok", string(resp.Body))
	assert.Equal(t, 2, j.Count("vk", "callback"))
}
