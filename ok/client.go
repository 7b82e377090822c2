package ok

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/google/go-querystring/query"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/internal/transport"
)

// DefaultBaseURL is OK's API server.
const DefaultBaseURL = "https://api.ok.ru"

// Default pacing. OK publishes no per-second limit (its flood protection
// answers codes 8 and 11 without saying when to try again), so the client
// chooses a conservative one: at most DefaultRatePerSecond calls a second
// per access token, in bursts of up to DefaultBurst. Change it with
// WithRateLimit, share it between clients with core.WithLimiter and
// NewLimiter, or turn it off with core.WithLimiter(nil).
const (
	DefaultRatePerSecond = 5
	DefaultBurst         = 5
)

// DefaultRate returns the default pacing per access token:
// DefaultRatePerSecond calls a second.
func DefaultRate() core.Rate { return core.PerSecond(DefaultRatePerSecond) }

// Limiter keys. Every call spends one key: "ok:token:<fingerprint>" for a
// call made with an access token or session key (the fingerprint is
// core.Fingerprint of the token), "ok:app:<fingerprint>" for a call made
// without a session (the fingerprint of the application key). Uploads to
// an upload URL spend none.
const (
	KeyPrefixToken = "ok:token:"
	KeyPrefixApp   = "ok:app:"
)

// LimiterConfig returns the core.KeyedLimiter configuration that paces
// every token (and application) key by rate with burst. Set its Clock to
// pace on a virtual or sandbox clock.
func LimiterConfig(rate core.Rate, burst int) core.KeyedLimiterConfig {
	if rate.Unlimited() {
		return core.KeyedLimiterConfig{}
	}
	return core.KeyedLimiterConfig{Rules: []core.Rule{
		{Prefix: KeyPrefixToken, Rate: rate, Burst: burst},
		{Prefix: KeyPrefixApp, Rate: rate, Burst: burst},
	}}
}

// NewLimiter returns a limiter pacing every token it serves by rate with
// burst. Pass it to several clients with core.WithLimiter to make them
// share a token's budget.
func NewLimiter(rate core.Rate, burst int) *core.KeyedLimiter {
	return core.NewKeyedLimiter(LimiterConfig(rate, burst))
}

// Credentials identify the application and the user a Client calls OK as.
//
// Two ways of signing are supported, as OK documents them:
//
//   - an OAuth access token (AccessToken, or a token source given with
//     WithTokenSource): the signing secret is SessionSecretKey when given,
//     else SecretFromToken(AccessToken, ApplicationSecretKey); the token is
//     sent as access_token and is not signed;
//   - a legacy session (SessionKey with SessionSecretKey): session_key is
//     sent and signed, the secret is SessionSecretKey.
//
// With neither, calls are made without a session and signed with
// ApplicationSecretKey.
type Credentials struct {
	// ApplicationKey is the application's public key (application_key).
	ApplicationKey string
	// ApplicationSecretKey is the application's secret key.
	ApplicationSecretKey string
	// AccessToken is the user's OAuth access token.
	AccessToken string
	// SessionKey is a legacy session key (instead of AccessToken).
	SessionKey string
	// SessionSecretKey is the session's secret, when OK issued one.
	SessionSecretKey string
}

// ErrCredentials is returned by New for incomplete or contradictory
// credentials. No credential is ever echoed.
var ErrCredentials = errors.New("ok: invalid credentials")

func (cr Credentials) validate(hasSource bool) error {
	switch {
	case cr.ApplicationKey == "":
		return fmt.Errorf("%w: an application key is required", ErrCredentials)
	case cr.AccessToken != "" && cr.SessionKey != "":
		return fmt.Errorf("%w: give an access token or a session key, not both", ErrCredentials)
	case cr.SessionKey != "" && hasSource:
		return fmt.Errorf("%w: a token source replaces the access token, not a session key", ErrCredentials)
	case cr.SessionKey != "" && cr.SessionSecretKey == "":
		return fmt.Errorf("%w: a session key needs its session secret key", ErrCredentials)
	case (cr.AccessToken != "" || hasSource) && cr.SessionSecretKey == "" && cr.ApplicationSecretKey == "":
		return fmt.Errorf("%w: an access token needs the application secret key or a session secret key", ErrCredentials)
	case cr.AccessToken == "" && cr.SessionKey == "" && !hasSource && cr.ApplicationSecretKey == "":
		return fmt.Errorf("%w: calls without a session need the application secret key", ErrCredentials)
	}
	return nil
}

// settings are ok's own options.
type settings struct {
	rest          bool
	rate          core.Rate
	burst         int
	ts            oauth2.TokenSource
	warnThreshold int
	onCallsLeft   func(context.Context, CallsLeft)
	govCategories []string
}

// WithRESTPaths calls methods at /api/<group>/<method> (such as
// /api/group/getInfo) instead of /fb.do?method=<group>.<method>. In that
// form the method parameter is neither sent nor signed.
func WithRESTPaths() core.Option {
	return core.PartyOption("ok.WithRESTPaths", func(s *settings) error { s.rest = true; return nil })
}

// WithRateLimit sets the built-in pacing per token (default DefaultRate(),
// DefaultBurst); a zero rate disables it. Like core.WithLimiter, the last
// of the two given wins.
func WithRateLimit(rate core.Rate, burst int) core.Option {
	set := core.PartyOption("ok.WithRateLimit", func(s *settings) error {
		if rate.N < 0 || rate.Per < 0 {
			return errors.New("ok: negative rate limit")
		}
		s.rate, s.burst = rate, burst
		return nil
	})
	return func(s *core.Settings) error {
		if err := set(s); err != nil {
			return err
		}
		s.Limiter, s.LimiterSet = nil, false
		return nil
	}
}

// WithTokenSource makes the client take its access token from ts (an
// oauth2.TokenSource over OK's token endpoint, see Endpoint and
// NewTokenSource); Credentials.AccessToken, when given too, is used until
// OK rejects it. When OK answers 102 (session expired), the client asks
// ts for a new token and repeats the call once with it, signed anew; a
// source implementing TokenInvalidator is told first which token OK
// rejected. A token's "session_secret_key" extra, when present, is used
// as its signing secret.
func WithTokenSource(ts oauth2.TokenSource) core.Option {
	return core.PartyOption("ok.WithTokenSource", func(s *settings) error {
		if ts == nil {
			return errors.New("ok: nil token source")
		}
		s.ts = ts
		return nil
	})
}

// WithCallsLeftWarning sets when GetCallsLeft warns: when a method has
// fewer than threshold calls left (default 100), the client logs a warning
// (core.WithLogger) and calls f, when not nil. The client never paces on
// these figures.
func WithCallsLeftWarning(threshold int, f func(context.Context, CallsLeft)) core.Option {
	return core.PartyOption("ok.WithCallsLeftWarning", func(s *settings) error {
		s.warnThreshold, s.onCallsLeft = threshold, f
		return nil
	})
}

// DefaultCallsLeftThreshold is the default threshold of
// WithCallsLeftWarning.
const DefaultCallsLeftThreshold = 100

// auth is one set of credentials a call is signed with.
type auth struct {
	token      string // access token, or ""
	sessionKey string // legacy session key, or ""
	secret     string // signing secret
	key        string // limiter key
}

// Client is an OK API client. It is safe for concurrent use and makes no
// network call until a method is called. It never prints its credentials.
type Client struct {
	tr         *transport.Client
	base       string
	fbdo       string
	appKey     string
	appSecret  string
	rest       bool
	limited    bool
	logger     *slog.Logger
	clock      core.Clock
	ts         oauth2.TokenSource
	sessSecret string // SessionSecretKey of the credentials
	cur        atomic.Pointer[auth]
	app        auth // session-less auth
	refreshMu  sync.Mutex
	secretsMu  sync.RWMutex
	secrets    []string // tokens obtained from ts, redacted from errors
	warnAt     int
	onLeft     func(context.Context, CallsLeft)
	govCats    []string
}

// New returns a client for cred. It makes no network call. It accepts the
// options of package core (core.WithBaseURL, core.WithHTTPClient,
// core.WithLimiter, core.WithRetry, core.WithClock, core.WithLogger, ...)
// and ok's own (WithRESTPaths, WithRateLimit, WithTokenSource,
// WithCallsLeftWarning, WithGovCategories).
//
// Defaults: calls POSTed to https://api.ok.ru/fb.do?method=<name> as a
// form with format=json; DefaultRate() per token; reads retried 3 times on
// network errors, 5xx answers and code 2 (SERVICE); posts never retried
// once they may have reached OK; a call whose ctx has no deadline bounded
// to 60 s.
func New(cred Credentials, opts ...core.Option) (*Client, error) {
	ps := settings{rate: DefaultRate(), burst: DefaultBurst, warnThreshold: DefaultCallsLeftThreshold}
	cs := core.NewSettings("ok", &ps)
	if err := cs.Apply(opts...); err != nil {
		return nil, err
	}
	if err := cred.validate(ps.ts != nil); err != nil {
		return nil, err
	}
	base := DefaultBaseURL
	if cs.BaseURL != "" {
		base = strings.TrimRight(cs.BaseURL, "/")
	}
	c := &Client{
		base:       base,
		fbdo:       base + "/fb.do?method=",
		appKey:     cred.ApplicationKey,
		appSecret:  cred.ApplicationSecretKey,
		rest:       ps.rest,
		logger:     cs.Logger,
		clock:      cs.Clock,
		ts:         ps.ts,
		sessSecret: cred.SessionSecretKey,
		warnAt:     ps.warnThreshold,
		onLeft:     ps.onCallsLeft,
		govCats:    ps.govCategories,
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	c.app = auth{secret: cred.ApplicationSecretKey, key: core.LimitKey("ok", "app", core.Fingerprint(cred.ApplicationKey), "")}
	switch {
	case cred.SessionKey != "":
		c.cur.Store(&auth{sessionKey: cred.SessionKey, secret: cred.SessionSecretKey,
			key: core.LimitKey("ok", "token", core.Fingerprint(cred.SessionKey), "")})
	case cred.AccessToken != "":
		c.cur.Store(c.tokenAuth(cred.AccessToken, ""))
	}
	cs.Secrets = append(cs.Secrets, cred.ApplicationSecretKey, cred.AccessToken, cred.SessionKey, cred.SessionSecretKey)
	topts := []transport.Option{transport.WithSettings(&cs), transport.WithClassifier(classify)}
	switch {
	case cs.LimiterSet:
		c.limited = cs.Limiter != nil
	default:
		cfg := LimiterConfig(ps.rate, ps.burst)
		if len(cfg.Rules) > 0 {
			cfg.Clock = cs.Clock
			c.limited = true
			topts = append(topts, transport.WithLimiter(core.NewKeyedLimiter(cfg)))
		} else {
			topts = append(topts, transport.WithLimiter(nil))
		}
	}
	tr, err := transport.New(topts...)
	if err != nil {
		return nil, fmt.Errorf("ok: %w", err)
	}
	c.tr = tr
	return c, nil
}

// tokenAuth returns the auth of an access token; secret, when not empty,
// is the token's own session secret key.
func (c *Client) tokenAuth(token, secret string) *auth {
	switch {
	case secret != "":
	case c.sessSecret != "":
		secret = c.sessSecret
	default:
		secret = SecretFromToken(token, c.appSecret)
	}
	return &auth{token: token, secret: secret, key: core.LimitKey("ok", "token", core.Fingerprint(token), "")}
}

// String describes the client by its application key and base URL; it
// never contains a secret.
func (c *Client) String() string { return "ok.Client{app " + c.appKey + ", " + c.base + "}" }

// GoString is String.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb, so no formatting of a Client shows
// a secret.
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", c.String())
		return
	}
	_, _ = io.WriteString(f, c.String())
}

// LogValue makes slog record the client as String.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Redact removes the client's secrets (application secret, tokens, session
// keys, signatures) from s, for callers that log texts of their own.
func (c *Client) Redact(s string) string {
	c.secretsMu.RLock()
	for _, sec := range c.secrets {
		s = strings.ReplaceAll(s, sec, transport.Redacted)
	}
	c.secretsMu.RUnlock()
	return c.tr.Redact(s)
}

func (c *Client) addSecret(s string) {
	if s == "" {
		return
	}
	c.secretsMu.Lock()
	defer c.secretsMu.Unlock()
	for _, have := range c.secrets {
		if have == s {
			return
		}
	}
	if len(c.secrets) >= 64 {
		c.secrets = c.secrets[1:]
	}
	c.secrets = append(c.secrets, s)
}

// session returns the credentials of a session call, fetching the first
// token from the token source when needed.
func (c *Client) session() (*auth, error) {
	if a := c.cur.Load(); a != nil {
		return a, nil
	}
	if c.ts == nil {
		return &c.app, nil
	}
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	if a := c.cur.Load(); a != nil {
		return a, nil
	}
	return c.fetchToken("")
}

// fetchToken asks the token source for a token; rejected is the token OK
// declared expired ("" for the first one). Called with refreshMu held.
func (c *Client) fetchToken(rejected string) (*auth, error) {
	if inv, ok := c.ts.(TokenInvalidator); ok && rejected != "" {
		inv.InvalidateToken(rejected)
	}
	tok, err := c.ts.Token()
	if err != nil {
		return nil, fmt.Errorf("ok: token source: %s", c.Redact(err.Error()))
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, errors.New("ok: token source returned no access token")
	}
	c.addSecret(tok.AccessToken)
	c.addSecret(tok.RefreshToken)
	secret, _ := tok.Extra("session_secret_key").(string)
	c.addSecret(secret)
	if tok.AccessToken == rejected {
		return nil, errTokenNotRenewed
	}
	a := c.tokenAuth(tok.AccessToken, secret)
	c.cur.Store(a)
	return a, nil
}

var errTokenNotRenewed = errors.New("the token source returned the expired token again")

// refresh replaces the token OK rejected with 102 by a new one from the
// token source. Concurrent calls rejected with the same token refresh once.
func (c *Client) refresh(rejected *auth) (*auth, error) {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	if a := c.cur.Load(); a != nil && a.token != rejected.token {
		return a, nil // another call refreshed it already
	}
	return c.fetchToken(rejected.token)
}

// callOpts says how one API call is sent.
type callOpts struct {
	// idempotent calls (reads) are retried on network errors, 5xx answers
	// and code 2.
	idempotent bool
	// noSession makes a session-less call signed with the application
	// secret key.
	noSession bool
	call      []core.CallOption
}

// read returns the options of a read.
func read(opts []core.CallOption) callOpts { return callOpts{idempotent: true, call: opts} }

// HTTPError reports an answer that is not an OK API answer: a non-2xx HTTP
// status without an error body (a proxy, a gateway failure).
type HTTPError struct {
	// Method is the API method.
	Method string
	// StatusCode is the HTTP status.
	StatusCode int
}

// Error implements error.
func (e *HTTPError) Error() string {
	return "ok: " + e.Method + ": HTTP " + strconv.Itoa(e.StatusCode) + " " + http.StatusText(e.StatusCode)
}

// ErrorCode returns "HTTP <status>", implementing core.CodedError.
func (e *HTTPError) ErrorCode() string { return "HTTP " + strconv.Itoa(e.StatusCode) }

// DecodeError reports a 2xx answer whose body is not the JSON the method
// returns.
type DecodeError struct {
	// Method is the API method.
	Method string
	// Err is the JSON error.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	return "ok: " + e.Method + ": decode response: " + e.Err.Error()
}

// Unwrap returns the JSON error.
func (e *DecodeError) Unwrap() error { return e.Err }

// values returns the parameters of a typed request (nil gives none).
func values(params any) (url.Values, error) {
	if params == nil {
		return url.Values{}, nil
	}
	v, err := query.Values(params)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// do calls method with params (a struct with `url` tags, or nil) and
// decodes the answer into out (nil to ignore it).
func (c *Client) do(ctx context.Context, method string, params any, out any, o callOpts) error {
	vals, err := values(params)
	if err != nil {
		return fmt.Errorf("ok: %s: encode request: %w", method, err)
	}
	return c.doValues(ctx, method, vals, out, o)
}

// doValues is do with the parameters already encoded. vals is modified.
func (c *Client) doValues(ctx context.Context, method string, vals url.Values, out any, o callOpts) error {
	a := &c.app
	if !o.noSession {
		var err error
		if a, err = c.session(); err != nil {
			return err
		}
	}
	refreshed := false
	for {
		call := c.newCall(method, vals, a, o)
		resp, err := c.tr.Do(ctx, call, o.call...)
		if err != nil {
			return err
		}
		apiErr := c.decode(method, resp, out, a, vals.Get(paramSig))
		var e *Error
		if errors.As(apiErr, &e) && e.Code == CodeParamSessionExpired && c.ts != nil && !refreshed && !o.noSession {
			// OK refused the call before executing it: a new token
			// (new signature, new body) may repeat it once.
			na, rerr := c.refresh(a)
			if rerr != nil {
				return fmt.Errorf("%w (refresh failed: %s)", apiErr, c.Redact(rerr.Error()))
			}
			a, refreshed = na, true
			continue
		}
		if apiErr == nil {
			return nil
		}
		if errors.As(apiErr, &e) && floodCode(e.Code) {
			return &core.RateLimitError{Operation: call.Operation, Err: apiErr}
		}
		return transport.Finish(call, resp, apiErr)
	}
}

// newCall signs vals with a and builds the transport call.
func (c *Client) newCall(method string, vals url.Values, a *auth, o callOpts) *transport.Call {
	vals.Set("application_key", c.appKey)
	vals.Set("format", "json")
	vals.Del(paramAccessToken)
	vals.Del("session_key")
	vals.Del(paramSig)
	var u string
	if c.rest {
		vals.Del("method")
		u = c.base + "/api/" + strings.Replace(method, ".", "/", 1)
	} else {
		vals.Set("method", method)
		u = c.fbdo + method
	}
	if a.sessionKey != "" {
		vals.Set("session_key", a.sessionKey)
	}
	sig := Signature(vals, a.secret)
	if !c.rest {
		// method travels in the query string; it is signed all the same.
		vals.Del("method")
	}
	vals.Set(paramSig, sig)
	if a.token != "" {
		vals.Set(paramAccessToken, a.token)
	}
	body := vals.Encode()
	if !c.rest {
		vals.Set("method", method)
	}
	call := &transport.Call{
		Operation:   "ok." + method,
		Method:      http.MethodPost,
		URL:         u,
		Body:        []byte(body),
		ContentType: transport.FormContentType,
		Idempotent:  o.idempotent,
	}
	if c.limited {
		call.LimitKeys = []string{a.key}
	}
	return call
}

// errorBody is OK's error answer.
type errorBody struct {
	ErrorCode json.RawMessage `json:"error_code"`
	ErrorMsg  string          `json:"error_msg"`
	ErrorData json.RawMessage `json:"error_data"`
}

// decode reads an answer: an OK error (by error_code in the body, whatever
// the status), a non-2xx status, or the result into out.
func (c *Client) decode(method string, resp *transport.Response, out any, a *auth, sig string) error {
	body := bytes.TrimSpace(resp.Body)
	hint := resp.Header.Get("invocation-error")
	if e := parseError(body); e != nil {
		e.Method = method
		e.Msg = c.scrub(e.Msg, a, sig)
		if len(e.Data) > 0 {
			e.Data = json.RawMessage(c.scrub(string(e.Data), a, sig))
			if !json.Valid(e.Data) {
				e.Data, _ = json.Marshal(string(e.Data))
			}
		}
		return e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if code, err := strconv.Atoi(strings.TrimSpace(hint)); err == nil && code > 0 {
			return &Error{Method: method, Code: code, Msg: "HTTP " + strconv.Itoa(resp.StatusCode) + " without an error body"}
		}
		return &HTTPError{Method: method, StatusCode: resp.StatusCode}
	}
	if hint != "" {
		c.logger.LogAttrs(context.Background(), slog.LevelDebug, "ok: invocation-error header on an answer without error_code",
			slog.String("method", method), slog.String("header", c.Redact(hint)))
	}
	if out == nil {
		return nil
	}
	if len(body) == 0 {
		return &DecodeError{Method: method, Err: io.ErrUnexpectedEOF}
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &DecodeError{Method: method, Err: errors.New(c.scrub(err.Error(), a, sig))}
	}
	return nil
}

// parseError returns the error of an answer that carries error_code, or
// nil.
func parseError(body []byte) *Error {
	if len(body) == 0 || body[0] != '{' || !bytes.Contains(body, []byte(`"error_code"`)) {
		return nil
	}
	var eb errorBody
	if json.Unmarshal(body, &eb) != nil || len(eb.ErrorCode) == 0 || string(eb.ErrorCode) == "null" {
		return nil
	}
	raw := strings.Trim(string(eb.ErrorCode), `"`)
	code, err := strconv.Atoi(raw)
	if err != nil {
		code = CodeUnknown
	}
	e := &Error{Code: code, Msg: eb.ErrorMsg}
	if len(eb.ErrorData) > 0 && string(eb.ErrorData) != "null" {
		e.Data = eb.ErrorData
	}
	return e
}

// scrub removes the call's credentials and signature from s.
func (c *Client) scrub(s string, a *auth, sig string) string {
	for _, sec := range []string{a.token, a.sessionKey, a.secret, sig} {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, transport.Redacted)
		}
	}
	return c.Redact(s)
}

// classify reads an OK answer for the transport: code 2 (SERVICE) and 5xx
// are transient (retried for reads, an unknown outcome for posts); HTTP 429
// asks to wait. Flood codes 8 and 11 are final: OK gives no wait hint.
func classify(status int, header http.Header, body []byte) transport.Verdict {
	if status == http.StatusOK && len(body) > 0 {
		if e := parseError(bytes.TrimSpace(body)); e != nil {
			return transport.Verdict{Transient: e.Code == CodeService}
		}
		return transport.Verdict{}
	}
	return transport.DefaultClassifier(status, header, body)
}

// Call calls any OK method: params is a struct with `url` tags (or nil)
// and the answer is decoded into out (nil to ignore it). It is signed and
// paced like the typed methods, and treated as a write: it is never
// repeated once it may have reached OK. Use Read for methods that only
// read.
func (c *Client) Call(ctx context.Context, method string, params any, out any, opts ...core.CallOption) error {
	if method == "" {
		return invalid("call", "no method")
	}
	return c.do(ctx, method, params, out, callOpts{call: opts})
}

// Read is Call for a method that only reads: it is retried on network
// errors, 5xx answers and code 2 (SERVICE).
func (c *Client) Read(ctx context.Context, method string, params any, out any, opts ...core.CallOption) error {
	if method == "" {
		return invalid("read", "no method")
	}
	return c.do(ctx, method, params, out, read(opts))
}
