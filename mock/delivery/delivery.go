// Package delivery is the sandbox's engine for outbound calls: the HTTP
// requests an emulator makes to the application under test (Telegram
// webhooks, the VK Callback API, the cabinet's webhooks).
//
// An [Engine] makes one attempt at a time per [Stream] and keeps a bounded
// number of attempts in flight across all streams. A failed attempt is
// retried with exponential backoff on the world clock, so a test with a
// frozen clock controls redelivery with [world.Clock.Advance], and Advance
// returns after the retry (and every delivery it unblocked) has finished.
// Each attempt carries a redelivery counter in a header the party chooses
// and is recorded in the world's journal. A stream records an attempt only
// once its outcome is in place: the [Source] has been told and, after a
// failure, the retry is scheduled on the clock. A test that has awaited the
// journal entry of a failed attempt can therefore advance the clock at once
// and the retry fires within that Advance ([world.Clock.AwaitPending] waits
// for timers scheduled by other means). Closing the engine cancels the
// attempts under way and every pending retry.
//
// By default an engine delivers only to loopback hosts, so a sandbox never
// sends data to the outside world.
package delivery

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gospubliki/gosdk/mock/world"
)

// Defaults of [Config].
const (
	DefaultTimeout     = 10 * time.Second
	DefaultRetryMin    = 100 * time.Millisecond
	DefaultRetryMax    = 10 * time.Second
	DefaultMaxInFlight = 32
	// MaxResponseBody bounds the part of a receiver's answer that is read.
	MaxResponseBody = 1 << 20
)

// Config configures an [Engine].
type Config struct {
	// Party is the journal party of the deliveries ("telegram", "vk").
	Party string
	// Clock schedules retries. Required.
	Clock *world.Clock
	// Journal records every attempt; nil records nothing.
	Journal *world.Journal
	// Client sends the requests (default: a new http.Client).
	Client *http.Client
	// Timeout bounds one attempt (default: Client.Timeout, or
	// [DefaultTimeout] when that is zero).
	Timeout time.Duration
	// RetryMin and RetryMax bound the backoff after a failed attempt: it
	// starts at RetryMin and doubles up to RetryMax (defaults
	// [DefaultRetryMin] and [DefaultRetryMax]).
	RetryMin, RetryMax time.Duration
	// MaxInFlight bounds the attempts under way at once across every
	// stream (default [DefaultMaxInFlight]).
	MaxInFlight int
	// AttemptHeader names the request header carrying the redelivery
	// counter: 0 on the first attempt of an item, then 1, 2, ... Empty
	// sends no counter (Telegram sends none; VK's Callback API sends
	// X-Retry-Counter).
	AttemptHeader string
	// AnyHost lets requests go to any host; by default only loopback hosts
	// (127.0.0.0/8, ::1, localhost) are allowed and other URLs fail with
	// [KindForbiddenHost] without a connection being made.
	AnyHost bool
	// Logger receives a debug line per failed attempt (silent by default).
	Logger *slog.Logger
}

// Kind classifies a failed attempt.
type Kind int

// The kinds of [Error].
const (
	// KindInvalidURL: the URL does not parse or has no host.
	KindInvalidURL Kind = iota + 1
	// KindForbiddenHost: the host is not loopback and [Config.AnyHost] is
	// off.
	KindForbiddenHost
	// KindRefused: the connection was refused.
	KindRefused
	// KindTimeout: the attempt outlasted its timeout.
	KindTimeout
	// KindConnect: another network failure.
	KindConnect
	// KindStatus: the receiver answered with a status outside 2xx.
	KindStatus
	// KindCanceled: the attempt was aborted or the engine closed.
	KindCanceled
	// KindRejected: the receiver answered 2xx with a body the request's
	// Accept refused (VK's Callback API expects "ok").
	KindRejected
)

// Error is a failed attempt.
type Error struct {
	Kind Kind
	// Status is the receiver's HTTP status for [KindStatus].
	Status int
}

// Error implements error. The text never contains the URL, which may
// carry a secret.
func (e *Error) Error() string {
	switch e.Kind {
	case KindInvalidURL:
		return "delivery: invalid URL"
	case KindForbiddenHost:
		return "delivery: only loopback hosts are allowed"
	case KindRefused:
		return "delivery: connection refused"
	case KindTimeout:
		return "delivery: timeout"
	case KindStatus:
		return "delivery: status " + strconv.Itoa(e.Status)
	case KindCanceled:
		return "delivery: canceled"
	case KindRejected:
		return "delivery: answer refused"
	}
	return "delivery: failed to connect"
}

// Request is one outbound call.
type Request struct {
	// Method is the HTTP method (default POST).
	Method string
	// URL is the receiver's URL.
	URL string
	// Header is sent as is (Content-Type included).
	Header http.Header
	// Body is the request body.
	Body []byte
	// Name is the journal method of the call ("webhook"; default
	// "delivery").
	Name string
	// Tenant is the journal tenant.
	Tenant string
	// Accept, when set, judges a 2xx answer: an answer it refuses makes
	// the attempt fail with an [*Error] of [KindRejected] (and be retried).
	Accept func(*Response) bool `json:"-"`
	// Params are journal parameters; they must not hold secrets. The
	// engine adds "host" and "attempt".
	Params map[string]string
}

// Response is a receiver's answer to a successful (2xx) attempt.
type Response struct {
	Status int
	Header http.Header
	// Body holds up to [MaxResponseBody] bytes.
	Body []byte
}

// Engine delivers outbound calls. It is safe for concurrent use.
type Engine struct {
	cfg  Config
	sem  chan struct{}
	ctx  context.Context
	stop context.CancelFunc

	mu      sync.Mutex
	closed  bool
	wg      sync.WaitGroup
	busy    int        // pumps running
	idle    *sync.Cond // on mu: busy dropped to 0
	streams map[*Stream]struct{}
}

// New returns an engine. It panics when cfg.Clock is nil.
func New(cfg Config) *Engine {
	if cfg.Clock == nil {
		panic("delivery: Config.Clock is required")
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = cfg.Client.Timeout
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.RetryMin <= 0 {
		cfg.RetryMin = DefaultRetryMin
	}
	if cfg.RetryMax < cfg.RetryMin {
		cfg.RetryMax = max(DefaultRetryMax, cfg.RetryMin)
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	e := &Engine{cfg: cfg, sem: make(chan struct{}, cfg.MaxInFlight), streams: map[*Stream]struct{}{}}
	e.idle = sync.NewCond(&e.mu)
	e.ctx, e.stop = context.WithCancel(context.Background())
	return e
}

// Timeout returns the bound of one attempt.
func (e *Engine) Timeout() time.Duration { return e.cfg.Timeout }

// Backoff returns the wait before the retry that follows n consecutive
// failures (n ≥ 1).
func (e *Engine) Backoff(n int) time.Duration {
	d := e.cfg.RetryMin
	for i := 1; i < n && d < e.cfg.RetryMax; i++ {
		d *= 2
	}
	return min(d, e.cfg.RetryMax)
}

// Close cancels every attempt under way and every pending retry, and waits
// for the streams' work to end. Later attempts fail with [KindCanceled].
func (e *Engine) Close() {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		e.wg.Wait()
		return
	}
	e.closed = true
	streams := make([]*Stream, 0, len(e.streams))
	for s := range e.streams {
		streams = append(streams, s)
	}
	e.mu.Unlock()
	e.stop()
	for _, s := range streams {
		s.Close()
	}
	e.wg.Wait()
}

// track counts a unit of background work; false when the engine is closed.
func (e *Engine) track() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return false
	}
	e.wg.Add(1)
	e.busy++
	return true
}

// untrack ends a unit of work counted by track.
func (e *Engine) untrack() {
	e.mu.Lock()
	e.busy--
	if e.busy == 0 {
		e.idle.Broadcast()
	}
	e.mu.Unlock()
	e.wg.Done()
}

// WaitIdle blocks until no stream is delivering: every item a stream could
// deliver now has been attempted. A retry waiting its backoff on the world
// clock is not work under way; on a frozen clock, [world.Clock.Advance]
// runs it and returns after it, so Advance then WaitIdle is a barrier past
// which no delivery happens until something new is queued.
func (e *Engine) WaitIdle() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for e.busy > 0 {
		e.idle.Wait()
	}
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Send makes one attempt of req (attempt is the redelivery counter) and
// records it in the journal. A non-2xx answer is an [*Error] of
// [KindStatus]; every error is an [*Error].
func (e *Engine) Send(ctx context.Context, req Request, attempt int) (*Response, error) {
	resp, en, err := e.try(ctx, req, attempt)
	e.record(en)
	return resp, err
}

// try makes one attempt of req and returns the journal entry that records
// it; the caller records the entry once the attempt's consequences (the
// source told, a retry scheduled) are in place, so that a test awaiting
// the entry sees them.
func (e *Engine) try(ctx context.Context, req Request, attempt int) (*Response, *world.Entry, error) {
	start := time.Now()
	host := ""
	resp, err := e.send(ctx, req, attempt, &host)
	if err != nil {
		e.cfg.Logger.Debug("delivery: attempt failed", "party", e.cfg.Party, "name", req.Name, "attempt", attempt, "error", err.Error())
	}
	if e.cfg.Journal == nil {
		return resp, nil, err
	}
	p := make(map[string]string, len(req.Params)+2)
	maps.Copy(p, req.Params)
	p["attempt"] = strconv.Itoa(attempt)
	if host != "" {
		p["host"] = host
	}
	name := req.Name
	if name == "" {
		name = "delivery"
	}
	en := &world.Entry{Time: e.cfg.Clock.Now(), Party: e.cfg.Party, Method: name, Params: p,
		Tenant: req.Tenant, Duration: time.Since(start)}
	var de *Error
	switch {
	case err == nil:
		en.Status = resp.Status
	case errors.As(err, &de):
		en.Status = de.Status
		en.Description = de.Error()
	}
	return resp, en, err
}

// record adds en to the journal; a nil en records nothing.
func (e *Engine) record(en *world.Entry) {
	if en != nil && e.cfg.Journal != nil {
		e.cfg.Journal.Record(*en)
	}
}

func (e *Engine) send(ctx context.Context, req Request, attempt int, host *string) (*Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, &Error{Kind: KindInvalidURL}
	}
	*host = u.Host
	if !e.cfg.AnyHost && !isLoopbackHost(u.Hostname()) {
		return nil, &Error{Kind: KindForbiddenHost}
	}
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	stopOnClose := context.AfterFunc(e.ctx, cancel)
	defer stopOnClose()
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctxError(ctx.Err())
	}
	defer func() { <-e.sem }()
	method := req.Method
	if method == "" {
		method = http.MethodPost
	}
	hr, err := http.NewRequestWithContext(ctx, method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return nil, &Error{Kind: KindInvalidURL}
	}
	for k, v := range req.Header {
		hr.Header[k] = v
	}
	if e.cfg.AttemptHeader != "" {
		hr.Header.Set(e.cfg.AttemptHeader, strconv.Itoa(attempt))
	}
	resp, err := e.cfg.Client.Do(hr)
	if err != nil {
		var ne net.Error
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			return nil, &Error{Kind: KindRefused}
		case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
			return nil, &Error{Kind: KindTimeout}
		case errors.Is(err, context.Canceled):
			return nil, &Error{Kind: KindCanceled}
		}
		return nil, &Error{Kind: KindConnect}
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody))
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &Error{Kind: KindStatus, Status: resp.StatusCode}
	}
	out := &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
	if req.Accept != nil && !req.Accept(out) {
		return nil, &Error{Kind: KindRejected, Status: resp.StatusCode}
	}
	return out, nil
}

func ctxError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: KindTimeout}
	}
	return &Error{Kind: KindCanceled}
}

// Deliver sends req until an attempt succeeds, retrying with backoff on
// the world clock, and returns the answer. It returns an [*Error] of
// [KindCanceled] when ctx ends or the engine closes first, and an error
// at once for [KindInvalidURL] and [KindForbiddenHost], which no retry
// cures.
func (e *Engine) Deliver(ctx context.Context, req Request) (*Response, error) {
	done := make(chan result, 1)
	src := &single{req: req, done: done}
	s := e.NewStream(src)
	defer s.Close()
	s.Kick()
	select {
	case r := <-done:
		// The attempt is journaled after the source heard of it: wait
		// for that, so the caller finds every attempt in the journal.
		s.Close()
		s.pumps.Wait()
		return r.resp, r.err
	case <-ctx.Done():
		return nil, &Error{Kind: KindCanceled}
	case <-e.ctx.Done():
		return nil, &Error{Kind: KindCanceled}
	}
}

// single is the one-item source of Deliver.
type single struct {
	mu   sync.Mutex
	req  Request
	sent bool
	done chan<- result
}

type result struct {
	resp *Response
	err  error
}

func (s *single) Next() (any, Request, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s, s.req, !s.sent
}

func (s *single) Done(_ any, resp *Response, err error) {
	var de *Error
	final := err == nil || errors.As(err, &de) && (de.Kind == KindInvalidURL || de.Kind == KindForbiddenHost)
	if !final {
		return
	}
	s.mu.Lock()
	s.sent = true
	s.mu.Unlock()
	s.done <- result{resp, err}
}
