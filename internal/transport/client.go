package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/gospubliki/gosdk/core"
)

// Version is the module version reported in the User-Agent header.
const Version = "0.1.0"

// UserAgent is the default User-Agent header value.
const UserAgent = "gosdk/" + Version

// Defaults used by New.
const (
	DefaultRetryMax         = core.DefaultRetryMax
	DefaultRetryWaitMin     = core.DefaultRetryWaitMin
	DefaultRetryWaitMax     = core.DefaultRetryWaitMax
	DefaultMaxRetryAfter    = core.DefaultRateLimitMaxWait
	DefaultMaxTotalWait     = core.DefaultRateLimitMaxTotalWait
	DefaultMaxResponseBytes = 64 << 20
	// DefaultTimeout bounds a call whose ctx has no deadline (see
	// WithDefaultTimeout); the shared default transport sets no overall
	// timeout (see defaultRoundTripper).
	DefaultTimeout = core.DefaultTimeout
	// maxRateLimitRetries guards against a party that answers "too many
	// requests" without a wait hint while the backoff is zero.
	maxRateLimitRetries = 1000
)

// defaultRoundTripper is shared by every client built without
// WithHTTPClient, so connections are pooled across them. It bounds
// connection set-up (dial 30 s, TLS handshake 10 s, idle connections 90 s)
// but sets no overall request timeout: net/http enforces http.Client.Timeout
// around a wrapped RoundTripper with a timer goroutine and a cloned request
// (about 18 allocations per call), and ResponseHeaderTimeout costs a timer
// per call as well. The call's ctx deadline bounds the whole exchange; pass
// one (or a client of your own through WithHTTPClient) for a hard limit.
var defaultRoundTripper = func() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 32
	return t
}()

// RequestInfo is core.RequestInfo.
type RequestInfo = core.RequestInfo

// ResponseInfo is core.ResponseInfo.
type ResponseInfo = core.ResponseInfo

// Client is the HTTP core. It is safe for concurrent use.
type Client struct {
	retry         *retryablehttp.Client
	retryMax      int
	waitMin       time.Duration
	waitMax       time.Duration
	limiter       Limiter
	clock         core.Clock
	timeout       time.Duration // bound of a call whose ctx has no deadline
	maxTotalWait  time.Duration
	logger        *slog.Logger
	classifier    Classifier
	onRequest     func(context.Context, RequestInfo)
	onResponse    func(context.Context, ResponseInfo)
	userAgent     string
	uaHeader      []string // {userAgent}, shared read-only by every request
	jsonCT        []string // {"application/json"}, likewise
	maxRetryAfter time.Duration
	maxBody       int64
	red           redactor
}

// Option configures a Client.
type Option func(*Client) error

// WithHTTPClient sends requests through hc (its Transport, Timeout, Jar and
// redirect policy). The client is copied, not modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("transport: nil *http.Client")
		}
		cp := *hc
		c.retry.HTTPClient = &cp
		return nil
	}
}

// WithLimiter sets the client-side rate limiter; nil disables limiting.
func WithLimiter(l Limiter) Option {
	return func(c *Client) error {
		if l == nil {
			l = NoLimit{}
		}
		c.limiter = l
		return nil
	}
}

// WithLogger sets the structured logger (silent by default). Log records
// never contain secrets.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l != nil {
			c.logger = l
		}
		return nil
	}
}

// WithClassifier sets how answers are read (default DefaultClassifier).
func WithClassifier(f Classifier) Option {
	return func(c *Client) error {
		if f != nil {
			c.classifier = f
		}
		return nil
	}
}

// WithRetry sets the number of retries after the first attempt and the
// backoff bounds. retryMax 0 disables retries.
func WithRetry(retryMax int, waitMin, waitMax time.Duration) Option {
	return func(c *Client) error {
		if retryMax < 0 || waitMin < 0 || waitMax < waitMin {
			return fmt.Errorf("transport: invalid retry settings (max %d, wait %s..%s)", retryMax, waitMin, waitMax)
		}
		c.retryMax, c.waitMin, c.waitMax = retryMax, waitMin, waitMax
		return nil
	}
}

// WithMaxRetryAfter caps how long the client waits when a party answers "too
// many requests"; a longer wait returns the rate-limit error at once.
// Zero never waits.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 {
			return errors.New("transport: negative max retry-after")
		}
		c.maxRetryAfter = d
		return nil
	}
}

// WithMaxTotalWait bounds the total time one call waits out "too many
// requests" answers (default 60 s).
func WithMaxTotalWait(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 {
			return errors.New("transport: negative max total wait")
		}
		c.maxTotalWait = d
		return nil
	}
}

// WithClock sets the clock of limiter-independent waits: retry backoff and
// rate-limit waits (default the system clock).
func WithClock(clk core.Clock) Option {
	return func(c *Client) error {
		if clk == nil {
			return errors.New("transport: nil clock")
		}
		c.clock = clk
		return nil
	}
}

// WithDefaultTimeout bounds every call whose ctx has no deadline (zero:
// no bound). A call with a deadline pays nothing for it.
func WithDefaultTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 {
			return errors.New("transport: negative default timeout")
		}
		c.timeout = d
		return nil
	}
}

// WithSettings applies the shared client settings of core: HTTP client,
// logger, limiter, both retry budgets, user agent, clock, default timeout,
// hooks and secrets. Settings.BaseURL is the party client's business.
func WithSettings(s *core.Settings) Option {
	return func(c *Client) error {
		opts := []Option{
			WithLogger(s.Logger),
			WithRetry(s.RetryMax, s.RetryWaitMin, s.RetryWaitMax),
			WithMaxRetryAfter(s.RateLimitMaxWait),
			WithMaxTotalWait(s.RateLimitMaxTotalWait),
			WithUserAgent(s.UserAgent),
			WithDefaultTimeout(s.DefaultTimeout),
			WithRequestHook(s.OnRequest),
			WithResponseHook(s.OnResponse),
			WithSecrets(s.Secrets...),
		}
		if s.Clock != nil {
			opts = append(opts, WithClock(s.Clock))
		}
		if s.HTTPClient != nil {
			opts = append(opts, WithHTTPClient(s.HTTPClient))
		}
		if s.LimiterSet {
			opts = append(opts, WithLimiter(s.Limiter))
		}
		for _, o := range opts {
			if err := o(c); err != nil {
				return err
			}
		}
		return nil
	}
}

// WithMaxResponseBytes bounds response bodies read into memory.
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return errors.New("transport: max response bytes must be positive")
		}
		c.maxBody = n
		return nil
	}
}

// WithUserAgent appends product to the gosdk User-Agent.
func WithUserAgent(product string) Option {
	return func(c *Client) error {
		if product != "" {
			c.userAgent = UserAgent + " " + product
		}
		return nil
	}
}

// WithRequestHook calls f before every attempt.
func WithRequestHook(f func(context.Context, RequestInfo)) Option {
	return func(c *Client) error { c.onRequest = f; return nil }
}

// WithResponseHook calls f after every attempt.
func WithResponseHook(f func(context.Context, ResponseInfo)) Option {
	return func(c *Client) error { c.onResponse = f; return nil }
}

// WithSecrets adds literal secrets (tokens, client secrets) that must never
// appear in logs or errors, besides the patterns Redact always removes.
func WithSecrets(secrets ...string) Option {
	return func(c *Client) error {
		for _, s := range secrets {
			if s != "" {
				c.red.secrets = append(c.red.secrets, s)
			}
		}
		return nil
	}
}

// New returns a Client. It makes no network call.
func New(opts ...Option) (*Client, error) {
	c := &Client{
		retryMax:      DefaultRetryMax,
		waitMin:       DefaultRetryWaitMin,
		waitMax:       DefaultRetryWaitMax,
		clock:         core.SystemClock(),
		timeout:       DefaultTimeout,
		maxTotalWait:  DefaultMaxTotalWait,
		limiter:       NoLimit{},
		logger:        slog.New(slog.DiscardHandler),
		classifier:    DefaultClassifier,
		userAgent:     UserAgent,
		maxRetryAfter: DefaultMaxRetryAfter,
		maxBody:       DefaultMaxResponseBytes,
	}
	// The engine keeps its own budgets (transient retries by count,
	// "too many requests" by total wait) and waits on its clock inside
	// checkRetry; retryablehttp only runs the attempt loop.
	c.retry = &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: defaultRoundTripper},
		RetryMax:     math.MaxInt32,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	base := c.retry.HTTPClient.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.retry.HTTPClient.Transport = &attemptTransport{c: c, base: base}
	// Header value slices shared by every request (len == cap, so an
	// append by a RoundTripper copies instead of writing into them); this
	// saves an allocation per header per call.
	c.uaHeader = []string{c.userAgent}
	c.jsonCT = []string{"application/json"}
	c.retry.CheckRetry = c.checkRetry
	c.retry.Backoff = noBackoff
	c.retry.Logger = nil
	return c, nil
}

// Redact removes secrets known to this client and the generic patterns.
func (c *Client) Redact(s string) string { return c.red.redact(s) }

var errBodyTooLarge = errors.New("response too large")

// callState travels in the request context so the retry hooks know the
// call: it is that context (its parent embedded, Value answering stateKey),
// which saves context.WithValue's allocation on every call.
type callState struct {
	context.Context
	call      *Call
	opts      core.CallSettings
	attempts  int
	retries   int           // transient retries so far
	rlRetries int           // rate-limit retries so far
	rlWaited  time.Duration // time waited out for rate-limit answers
	// The default bound (bound.go): set when the call's ctx had no
	// deadline.
	cancel    context.CancelFunc
	expires   time.Time
	bound     time.Duration
	watchIdx  int
	expired   atomic.Bool
	bkt       *bucket // the shared bound, when ctx can never end
	verdict   Verdict
	body      []byte
	sent      bool // the last attempt's request may have reached the server
	limitErr  error
	tooLong   bool         // the last rate-limit wait exceeded the cap
	bodyCalls int          // how many readers bodyReader has made
	probe     bytes.Reader // reader for retryablehttp's length probe
	first     bytes.Reader // reader for the first attempt
	resp      Response
}

type stateKey struct{}

// Done follows the shared bound of the call, if any, and the call's
// context otherwise.
func (st *callState) Done() <-chan struct{} {
	if st.bkt != nil {
		return st.bkt.ctx.Done()
	}
	return st.Context.Done()
}

// Err follows Done.
func (st *callState) Err() error {
	if st.bkt != nil {
		return st.bkt.ctx.Err()
	}
	return st.Context.Err()
}

// timedOut reports whether the default bound ended the call.
func (st *callState) timedOut() bool {
	return st.expired.Load() || st.bkt != nil && st.bkt.expired.Load()
}

// Value returns the call state for stateKey and asks the parent otherwise.
func (st *callState) Value(key any) any {
	if key == (stateKey{}) {
		return st
	}
	return st.Context.Value(key)
}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(stateKey{}).(*callState)
	return st
}

// Do sends call and returns the final answer. An HTTP answer of any status is
// returned with a nil error: the party client decodes its body and uses Finish
// to wrap its API error. A non-nil error means no usable answer arrived: it is
// an *UnknownOutcomeError when a non-idempotent request may have taken effect,
// otherwise an *Error wrapping the cause (context errors, limiter errors and
// network errors stay reachable with errors.Is). Errors never contain secrets.
//
// A call whose ctx has no deadline is bounded by the client's default
// timeout; opts adjust this call alone (see core.CallOption).
func (c *Client) Do(ctx context.Context, call *Call, opts ...core.CallOption) (*Response, error) {
	if call == nil {
		return nil, errors.New("transport: nil call")
	}
	st := &callState{call: call}
	for _, o := range core.CallOptionsFrom(ctx) {
		if o != nil {
			o(&st.opts)
		}
	}
	for _, o := range opts {
		if o != nil {
			o(&st.opts)
		}
	}
	if st.opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, st.opts.Timeout)
		defer cancel()
	} else if c.timeout > 0 {
		if _, ok := ctx.Deadline(); !ok {
			ctx = calls.bound(ctx, st, c.timeout)
			defer calls.release(st)
		}
	}
	method := call.Method
	if method == "" {
		method = http.MethodGet
		if call.Body != nil {
			method = http.MethodPost
		}
	}
	st.Context = ctx
	var rctx context.Context = st
	var body any
	if call.Body != nil {
		body = retryablehttp.ReaderFunc(st.bodyReader)
	}
	req, err := retryablehttp.NewRequestWithContext(rctx, method, call.URL, body)
	if err != nil {
		return nil, &Error{Operation: call.Operation, Err: c.red.scrubError(err)}
	}
	for k, vs := range call.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header["User-Agent"] = c.uaHeader
	switch call.ContentType {
	case "":
	case "application/json":
		req.Header["Content-Type"] = c.jsonCT
	default:
		req.Header.Set("Content-Type", call.ContentType)
	}
	resp, err := c.retry.Do(req)
	if err != nil {
		if resp != nil && resp.Body != nil {
			_ = resp.Body.Close()
		}
		return nil, c.failure(ctx, st, err)
	}
	defer resp.Body.Close()
	out := &st.resp // allocated with the call state
	*out = Response{StatusCode: resp.StatusCode, Header: resp.Header, Attempts: st.attempts, Verdict: st.verdict}
	if st.body != nil {
		out.Body = st.body
	} else {
		b, rerr := c.readBody(call, resp.Body, resp.ContentLength)
		if rerr != nil {
			return nil, c.failure(ctx, st, rerr)
		}
		out.Body = b
		out.Verdict = c.classifier(resp.StatusCode, resp.Header, b)
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "gosdk request done",
		slog.String("operation", call.Operation), slog.Int("status", out.StatusCode),
		slog.Int("attempts", out.Attempts), slog.Bool("rate_limited", out.Verdict.RateLimited))
	return out, nil
}

// failure turns the error that ended a call into the documented error types.
func (c *Client) failure(ctx context.Context, st *callState, err error) error {
	call := st.call
	if st.timedOut() {
		// The default bound ended the call: report it as the deadline it
		// is, not as a cancellation by the caller.
		err = &boundError{d: st.bound, err: err}
	}
	var uo *UnknownOutcomeError
	if errors.As(err, &uo) {
		if st.timedOut() {
			uo.Err = &boundError{d: st.bound, err: uo.Err}
		}
		return uo
	}
	scrubbed := c.red.scrubError(err)
	if st.limitErr != nil {
		scrubbed = c.red.scrubError(st.limitErr)
	} else if st.sent && !call.safeToRepeat() {
		// The last attempt may have reached the server (including a
		// request in flight when ctx was cancelled): outcome unknown.
		return &UnknownOutcomeError{Operation: call.Operation, Err: scrubbed}
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "gosdk request failed",
		slog.String("operation", call.Operation), slog.String("error", scrubbed.Error()))
	return &Error{Operation: call.Operation, Attempts: st.attempts, Err: scrubbed}
}

func (c *Client) readBody(call *Call, r io.Reader, size int64) ([]byte, error) {
	limit := call.MaxResponseBytes
	if limit <= 0 {
		limit = c.maxBody
	}
	if size > limit {
		return nil, fmt.Errorf("%w: response body of %d bytes exceeds %d bytes", errBodyTooLarge, size, limit)
	}
	var b []byte
	if size >= 0 {
		// Known length: one exact allocation. Asking for one byte more
		// than declared makes the read observe EOF, so the connection is
		// reused; a RoundTripper that declared a wrong length falls
		// through to the bounded read below.
		b = make([]byte, size+1)
		n, err := io.ReadFull(r, b)
		switch {
		case err == io.ErrUnexpectedEOF && int64(n) == size, err == io.EOF && size == 0:
			return b[:n], nil
		case err != nil && err != io.ErrUnexpectedEOF && err != io.EOF:
			return nil, err
		}
		b = b[:n]
	}
	rest, err := io.ReadAll(io.LimitReader(r, limit+1-int64(len(b))))
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		b = rest // the usual unknown-length case: no copy
	} else {
		b = append(b, rest...)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: response body exceeds %d bytes", errBodyTooLarge, limit)
	}
	return b, nil
}

// checkRetry decides, after each attempt, whether to send the call again,
// and waits (on the client's clock) before saying yes.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st := stateFrom(ctx)
	if st == nil {
		return false, err
	}
	call := st.call
	st.body, st.verdict, st.tooLong = nil, Verdict{}, false
	if err != nil {
		if st.limitErr != nil || ctx.Err() != nil {
			return false, err
		}
		if !st.sent || call.safeToRepeat() {
			// Provably never reached the server, or harmless to repeat.
			return c.retryTransient(ctx, st, err)
		}
		return false, &UnknownOutcomeError{Operation: call.Operation, Err: c.red.scrubError(err)}
	}
	body, rerr := c.readBody(call, resp.Body, resp.ContentLength)
	_ = resp.Body.Close()
	if rerr != nil {
		resp.Body = http.NoBody
		if errors.Is(rerr, errBodyTooLarge) {
			return false, rerr
		}
		if call.safeToRepeat() {
			return c.retryTransient(ctx, st, rerr)
		}
		return false, &UnknownOutcomeError{Operation: call.Operation, Err: c.red.scrubError(rerr)}
	}
	// Do takes the body from st.body; the response keeps an empty one.
	resp.Body = http.NoBody
	st.body = body
	v := c.classifier(resp.StatusCode, resp.Header, body)
	st.verdict = v
	if v.RateLimited {
		// The party refused the request without executing it.
		st.sent = false
	}
	if ctx.Err() != nil {
		// An answer arrived but the caller gave up: return the answer
		// rather than lose what it says about the outcome.
		return false, nil
	}
	switch {
	case v.RateLimited:
		wait := v.RetryAfter
		if wait > 0 {
			// Wait at least what the party asked, plus a little jitter so
			// that many clients do not come back in the same instant.
			wait += time.Duration(rand.Int64N(int64(50 * time.Millisecond)))
		} else {
			// No hint: 1 s, 2 s, 4 s, ... (capped by the single-wait cap),
			// so the total-wait budget also bounds the number of tries.
			wait = rateLimitBackoff(st.rlRetries, c.maxRetryAfter)
		}
		if st.opts.NoRetry || v.RetryAfter > c.maxRetryAfter || c.maxRetryAfter == 0 || st.rlWaited+wait > c.maxTotalWait ||
			st.rlRetries >= maxRateLimitRetries {
			st.tooLong = true
			return false, nil
		}
		st.rlRetries++
		st.rlWaited += wait
		if err := c.sleep(ctx, wait); err != nil {
			return false, err // not executed: a plain error, never unknown
		}
		return true, nil
	case v.Transient:
		if !call.safeToRepeat() {
			return false, nil
		}
		return c.retryTransient(ctx, st, nil)
	}
	return false, nil
}

// retryTransient spends one transient retry and waits the backoff. It
// returns false (with err) when the budget is spent or ctx ended.
func (c *Client) retryTransient(ctx context.Context, st *callState, err error) (bool, error) {
	if st.opts.NoRetry || st.retries >= c.retryMax {
		return false, err
	}
	wait := ExpBackoff(c.waitMin, c.waitMax, st.retries)
	st.retries++
	if serr := c.sleep(ctx, wait); serr != nil {
		return false, serr
	}
	return true, nil
}

// sleep waits d on the client's clock, or returns ctx's error when it ends
// first.
func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := c.clock.NewTimer(d)
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	}
}

// rateLimitBackoff is the wait after the attempt-th "too many requests"
// answer without a wait hint: 1 s doubling per answer, at most maxWait,
// plus up to 50 ms of jitter.
func rateLimitBackoff(attempt int, maxWait time.Duration) time.Duration {
	d := time.Second
	for i := 0; i < attempt && d < maxWait; i++ {
		d *= 2
	}
	d = min(d, maxWait)
	return d + time.Duration(rand.Int64N(int64(50*time.Millisecond)))
}

// noBackoff is retryablehttp's backoff: the engine has already waited in
// checkRetry.
func noBackoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration { return 0 }

// ExpBackoff returns a capped exponential backoff with jitter for attempt
// (0-based): a random duration in [d/2, d] where d = min(max, min*2^attempt).
func ExpBackoff(minWait, maxWait time.Duration, attempt int) time.Duration {
	if minWait <= 0 {
		return 0
	}
	d := minWait
	for i := 0; i < attempt && d < maxWait; i++ {
		d *= 2
	}
	if d > maxWait {
		d = maxWait
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

// attemptTransport runs the limiter, hooks and logging around each attempt
// and records whether the request may have reached the server.
type attemptTransport struct {
	c    *Client
	base http.RoundTripper
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st := stateFrom(ctx)
	c := t.c
	if st == nil {
		return t.base.RoundTrip(req)
	}
	st.attempts++
	st.sent = false
	if err := c.wait(ctx, st); err != nil {
		if !errors.Is(err, ErrLimiter) {
			err = fmt.Errorf("%w: %w", ErrLimiter, err)
		}
		st.limitErr = err
		return nil, err
	}
	onReq, onResp := st.opts.OnRequest, st.opts.OnResponse
	redURL := ""
	if c.onRequest != nil || c.onResponse != nil || onReq != nil || onResp != nil || c.logger.Enabled(ctx, slog.LevelDebug) {
		redURL = c.red.redact(req.URL.String())
	}
	if c.onRequest != nil || onReq != nil {
		ri := RequestInfo{Operation: st.call.Operation, Method: req.Method, URL: redURL, Attempt: st.attempts}
		if c.onRequest != nil {
			c.onRequest(ctx, ri)
		}
		if onReq != nil {
			onReq(ctx, ri)
		}
	}
	start := time.Now()
	var resp *http.Response
	var err error
	resp, err = t.base.RoundTrip(req)
	st.sent = err == nil || !notSent(err)
	if err == nil && resp != nil && resp.Request == nil {
		// Some RoundTrippers (test doubles, custom wrappers) leave
		// Request unset; backoff needs it to find the call's state and
		// honour the party's retry-after.
		resp.Request = req
	}
	dur := time.Since(start)
	info := ResponseInfo{Operation: st.call.Operation, Method: req.Method, URL: redURL, Attempt: st.attempts, Duration: dur}
	if err != nil {
		info.Err = c.red.scrubError(err)
	} else {
		info.StatusCode = resp.StatusCode
	}
	if c.onResponse != nil {
		c.onResponse(ctx, info)
	}
	if onResp != nil {
		onResp(ctx, info)
	}
	if c.logger.Enabled(ctx, slog.LevelDebug) {
		attrs := []slog.Attr{slog.String("operation", info.Operation), slog.String("method", info.Method),
			slog.String("url", info.URL), slog.Int("attempt", info.Attempt), slog.Duration("duration", dur)}
		if err != nil {
			attrs = append(attrs, slog.String("error", info.Err.Error()), slog.Bool("sent", st.sent))
		} else {
			attrs = append(attrs, slog.Int("status", info.StatusCode))
		}
		c.logger.LogAttrs(ctx, slog.LevelDebug, "gosdk attempt", attrs...)
	}
	return resp, err
}

// wait spends the call's limiter keys before an attempt.
func (c *Client) wait(ctx context.Context, st *callState) error {
	keys := st.call.LimitKeys
	if st.opts.LimitKeysSet {
		keys = st.opts.LimitKeys
	}
	if len(keys) == 0 {
		return nil
	}
	l := c.limiter
	if st.opts.Limiter != nil {
		l = st.opts.Limiter
	}
	if ml, ok := l.(core.MultiLimiter); ok && len(keys) > 1 {
		return ml.WaitKeys(ctx, keys...)
	}
	for _, k := range keys {
		if err := l.Wait(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// String describes the client without its secrets.
func (c *Client) String() string {
	return fmt.Sprintf("transport.Client{user-agent %q, %d secrets redacted}", c.userAgent, len(c.red.secrets))
}

// GoString is String: a client never prints its secrets.
func (c *Client) GoString() string { return c.String() }

// boundError reports a call ended by the client's default bound. It
// matches context.DeadlineExceeded.
type boundError struct {
	d   time.Duration
	err error
}

func (e *boundError) Error() string {
	return fmt.Sprintf("no answer within the default timeout of %s (a ctx without deadline): %v", e.d, e.err)
}

func (e *boundError) Unwrap() []error { return []error{context.DeadlineExceeded, e.err} }
