package vk

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

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/internal/transport"
)

// DefaultBaseURL is VK's API host; methods are called at
// <base>/method/<name>.
const DefaultBaseURL = "https://api.vk.ru"

// DefaultVersion is the API version sent as v.
const DefaultVersion = "5.199"

// TokenKind is the kind of an access token. VK accepts each method with
// some kinds only (see the package documentation).
type TokenKind int

// Token kinds.
const (
	// UserToken is a user's access token (OAuth of a person, for instance a
	// community administrator). It is the only kind that can post to a
	// community wall, upload media and read statistics.
	UserToken TokenKind = iota + 1
	// CommunityToken is a community (group) access token: reads, events,
	// callback and long-poll management, messages.
	CommunityToken
	// ServiceToken is an application's service token: public reads.
	ServiceToken
)

// String returns "user", "community" or "service".
func (k TokenKind) String() string {
	switch k {
	case UserToken:
		return "user"
	case CommunityToken:
		return "community"
	case ServiceToken:
		return "service"
	}
	return "unknown(" + strconv.Itoa(int(k)) + ")"
}

// Limits are the client-side request rates per token kind; a token of a
// kind spends one request of its own bucket per call (an execute counts
// once, as VK counts it).
type Limits struct {
	// User and Service are the rates of user and service tokens (VK: 3
	// requests/s); Community the rate of community tokens (VK: 20/s).
	User, Community, Service core.Rate
	// Burst is the bucket size of every token (default 1: requests are
	// spaced evenly, as VK counts them per second).
	Burst int
}

// DefaultLimits returns VK's published limits: 3 requests/s for user and
// service tokens, 20 requests/s for community tokens.
func DefaultLimits() Limits {
	return Limits{User: core.PerSecond(3), Community: core.PerSecond(20), Service: core.PerSecond(3), Burst: 1}
}

// Limiter key prefixes. Every call spends "vk:<kind>:<fingerprint>" where
// <kind> is user, community or service and <fingerprint> is
// core.Fingerprint of the token: every client of one token (sharing one
// limiter) shares one budget, and keys never contain the token.
const (
	KeyPrefixUser      = "vk:user:"
	KeyPrefixCommunity = "vk:community:"
	KeyPrefixService   = "vk:service:"
)

// LimiterConfig returns the core.KeyedLimiter configuration of l for the
// key scheme above.
func LimiterConfig(l Limits) core.KeyedLimiterConfig {
	var rules []core.Rule
	add := func(prefix string, r core.Rate) {
		if !r.Unlimited() {
			rules = append(rules, core.Rule{Prefix: prefix, Rate: r, Burst: l.Burst})
		}
	}
	add(KeyPrefixUser, l.User)
	add(KeyPrefixCommunity, l.Community)
	add(KeyPrefixService, l.Service)
	return core.KeyedLimiterConfig{Rules: rules}
}

// NewLimiter returns a limiter pacing every VK token it serves by l. Share
// one between clients with core.WithLimiter.
func NewLimiter(l Limits) *core.KeyedLimiter { return core.NewKeyedLimiter(LimiterConfig(l)) }

// defaultLimiter is shared by every client with the default limits on the
// system clock, so that two clients of one token in a process share the
// token's budget without configuration.
var defaultLimiter = sync.OnceValue(func() *core.KeyedLimiter { return NewLimiter(DefaultLimits()) })

// settings are vk's own options; the shared ones are core.Option values.
type settings struct {
	version      string
	tokenInBody  bool
	limits       *Limits
	captcha      CaptchaHandler
	captchaTries int
	batch        *BatchOptions
}

// WithVersion sets the API version sent as v (default DefaultVersion). The
// typed methods decode the 5.199 shapes.
func WithVersion(v string) core.Option {
	return core.PartyOption("vk.WithVersion", func(s *settings) error {
		if v == "" {
			return errors.New("vk: empty API version")
		}
		s.version = v
		return nil
	})
}

// WithAccessTokenParam sends the token as the access_token form parameter
// instead of the default Authorization: Bearer header.
func WithAccessTokenParam() core.Option {
	return core.PartyOption("vk.WithAccessTokenParam", func(s *settings) error { s.tokenInBody = true; return nil })
}

// WithRateLimits sets the client-side pacing (default DefaultLimits, on a
// limiter of the client's own when the clock is not the system clock).
// core.WithLimiter, given after it, replaces it.
func WithRateLimits(l Limits) core.Option {
	set := core.PartyOption("vk.WithRateLimits", func(s *settings) error {
		for _, r := range []core.Rate{l.User, l.Community, l.Service} {
			if r.N < 0 || r.Per < 0 {
				return errors.New("vk: negative rate limit")
			}
		}
		s.limits = &l
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

// WithCaptchaHandler makes error 14 (captcha needed) go to h: the call is
// repeated with the solution h returns, at most tries times (default 2
// when tries < 1). Without a handler error 14 is returned as an *Error with
// CaptchaSID, CaptchaImg and RedirectURI.
func WithCaptchaHandler(h CaptchaHandler, tries int) core.Option {
	return core.PartyOption("vk.WithCaptchaHandler", func(s *settings) error {
		if tries < 1 {
			tries = 2
		}
		s.captcha, s.captchaTries = h, tries
		return nil
	})
}

// Captcha is VK's captcha challenge (error 14).
type Captcha struct {
	// Method is the call that asked for it.
	Method string
	// SID and Img are captcha_sid and captcha_img (classic captcha).
	SID, Img string
	// RedirectURI, when set, is the page where a person solves the captcha;
	// the solution is then a SuccessToken.
	RedirectURI string
	// Attempt counts the captchas of this call, from 1.
	Attempt int
}

// CaptchaSolution answers a Captcha: Key (sent as captcha_key with
// captcha_sid) for a classic captcha, SuccessToken (sent as success_token)
// for the redirect_uri flow.
type CaptchaSolution struct {
	Key          string
	SuccessToken string
}

// CaptchaHandler solves a captcha; an error gives up and returns the
// *Error of code 14 (joined with the handler's error) to the caller.
type CaptchaHandler func(ctx context.Context, c Captcha) (CaptchaSolution, error)

// Client is a VK API client for one access token. It is safe for
// concurrent use, makes no network call until a method is called and
// never prints its token.
type Client struct {
	tr          *transport.Client
	kind        TokenKind
	fp          string
	methodURL   string // <base>/method/
	base        string
	version     string
	token       string
	tokenInBody bool
	tail        string // "&v=<version>[&access_token=<token>]"
	authHeader  http.Header
	limitKey    []string
	limited     bool
	logger      *slog.Logger
	clock       core.Clock
	captcha     CaptchaHandler
	captchaMax  int
	batcher     *batcher
}

// New returns a client for token of kind. It makes no network call. It
// accepts the options of package core (core.WithBaseURL, WithHTTPClient,
// WithLimiter, WithRetry, WithRateLimitRetry, WithClock, ...) and vk's own
// (WithVersion, WithAccessTokenParam, WithRateLimits, WithCaptchaHandler,
// WithBatching).
//
// Defaults: v=5.199, the token in an Authorization: Bearer header, pacing
// of DefaultLimits per token (one process-wide limiter for every client on
// the system clock), errors 6 (too many requests) and 10 (internal error)
// retried with backoff, no batching.
func New(token string, kind TokenKind, opts ...core.Option) (*Client, error) {
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("vk: empty token")
	}
	if kind < UserToken || kind > ServiceToken {
		return nil, fmt.Errorf("vk: unknown token kind %d", int(kind))
	}
	ps := settings{version: DefaultVersion}
	cs := core.NewSettings("vk", &ps)
	if err := cs.Apply(opts...); err != nil {
		return nil, err
	}
	base := DefaultBaseURL
	if cs.BaseURL != "" {
		base = strings.TrimRight(cs.BaseURL, "/")
	}
	fp := core.Fingerprint(token)
	c := &Client{
		kind:        kind,
		fp:          fp,
		base:        base,
		methodURL:   base + "/method/",
		version:     ps.version,
		token:       token,
		tokenInBody: ps.tokenInBody,
		logger:      cs.Logger,
		clock:       cs.Clock,
		captcha:     ps.captcha,
		captchaMax:  ps.captchaTries,
		limitKey:    []string{core.LimitKey("vk", kind.String(), fp, "")},
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	c.tail = "&v=" + url.QueryEscape(ps.version)
	if ps.tokenInBody {
		c.tail += "&access_token=" + url.QueryEscape(token)
	} else {
		c.authHeader = http.Header{"Authorization": {"Bearer " + token}}
	}
	cs.Secrets = append(cs.Secrets, token)
	// A server may quote a token without its public prefix ("vk1.a.").
	if i := strings.LastIndexByte(token, '.'); i >= 0 && len(token)-i-1 >= minQuotedSecret {
		cs.Secrets = append(cs.Secrets, token[i+1:])
	}
	topts := []transport.Option{transport.WithSettings(&cs), transport.WithClassifier(classify)}
	switch {
	case cs.LimiterSet:
		c.limited = cs.Limiter != nil
	case ps.limits == nil && cs.Clock == core.SystemClock():
		c.limited = true
		topts = append(topts, transport.WithLimiter(defaultLimiter()))
	default:
		l := DefaultLimits()
		if ps.limits != nil {
			l = *ps.limits
		}
		cfg := LimiterConfig(l)
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
		return nil, fmt.Errorf("vk: %w", err)
	}
	c.tr = tr
	if ps.batch != nil {
		c.batcher = newBatcher(c, *ps.batch)
	}
	return c, nil
}

// minQuotedSecret is the shortest part of a token redacted on its own: a
// shorter one would redact ordinary words.
const minQuotedSecret = 16

// Kind returns the kind of the client's token.
func (c *Client) Kind() TokenKind { return c.kind }

// Fingerprint returns core.Fingerprint of the client's token.
func (c *Client) Fingerprint() string { return c.fp }

// String describes the client by token kind, fingerprint and base URL; it
// never contains the token.
func (c *Client) String() string {
	return "vk.Client{" + c.kind.String() + " token " + c.fp + ", " + c.base + "}"
}

// GoString is String.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb.
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", c.String())
		return
	}
	_, _ = io.WriteString(f, c.String())
}

// LogValue makes slog record the client as String.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// envelope is VK's answer.
type envelope struct {
	Response      json.RawMessage `json:"response"`
	Error         *wireError      `json:"error"`
	ExecuteErrors []wireExecError `json:"execute_errors"`
}

type wireError struct {
	Code             int            `json:"error_code"`
	Subcode          int            `json:"error_subcode"`
	Msg              string         `json:"error_msg"`
	Text             string         `json:"error_text"`
	Params           []RequestParam `json:"request_params"`
	CaptchaSID       NumString      `json:"captcha_sid"`
	CaptchaImg       string         `json:"captcha_img"`
	RedirectURI      string         `json:"redirect_uri"`
	ConfirmationText string         `json:"confirmation_text"`
}

type wireExecError struct {
	Method string `json:"method"`
	Code   int    `json:"error_code"`
	Msg    string `json:"error_msg"`
}

// NumString is a string VK sends either as a JSON string or as a number
// (captcha_sid, a long poll's ts); both decode.
type NumString string

// UnmarshalJSON accepts a JSON string, a number or null.
func (f *NumString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = NumString(s)
		return nil
	}
	if string(b) == "null" {
		return nil
	}
	*f = NumString(b)
	return nil
}

func (c *Client) apiError(method string, w *wireError) *Error {
	e := &Error{
		Method: method, Code: w.Code, Subcode: w.Subcode,
		Msg: c.tr.Redact(w.Msg), Text: c.tr.Redact(w.Text),
		CaptchaSID: string(w.CaptchaSID), CaptchaImg: w.CaptchaImg,
		RedirectURI: c.tr.Redact(w.RedirectURI), ConfirmationText: c.tr.Redact(w.ConfirmationText),
	}
	if len(w.Params) > 0 {
		e.Params = make([]RequestParam, 0, len(w.Params))
		for _, p := range w.Params {
			if p.Key == "access_token" || p.Key == "secret_key" {
				p.Value = transport.Redacted
			}
			e.Params = append(e.Params, RequestParam{Key: p.Key, Value: c.tr.Redact(p.Value)})
		}
	}
	return e
}

// DecodeEnvelope decodes a VK answer body: the raw response on success,
// an *Error for {"error": ...}, and the execute_errors of an execute
// (each an *Error with its Method). It never panics on any input.
func DecodeEnvelope(body []byte) (response json.RawMessage, execErrs []*Error, err error) {
	var env envelope
	if derr := json.Unmarshal(body, &env); derr != nil {
		return nil, nil, fmt.Errorf("vk: decode response: %w", derr)
	}
	for _, x := range env.ExecuteErrors {
		execErrs = append(execErrs, &Error{Method: x.Method, Code: x.Code, Msg: x.Msg})
	}
	if env.Error != nil {
		w := env.Error
		return nil, execErrs, &Error{Code: w.Code, Subcode: w.Subcode, Msg: w.Msg, Text: w.Text, Params: w.Params,
			CaptchaSID: string(w.CaptchaSID), CaptchaImg: w.CaptchaImg, RedirectURI: w.RedirectURI,
			ConfirmationText: w.ConfirmationText}
	}
	if env.Response == nil {
		return nil, execErrs, errors.New("vk: answer has neither response nor error")
	}
	return env.Response, execErrs, nil
}

// classify reads an answer for the transport: error 6 is "too many
// requests" (not executed, waited out from the rate-limit budget), error
// 10 and HTTP 5xx are transient (retried when the call is safe to repeat).
func classify(status int, header http.Header, body []byte) transport.Verdict {
	if status >= 500 {
		return transport.Verdict{Transient: true}
	}
	if status == http.StatusTooManyRequests {
		return transport.Verdict{RateLimited: true, RetryAfter: transport.ParseRetryAfter(header.Get("Retry-After"))}
	}
	i := bytes.Index(body, []byte(`"error"`))
	if i < 0 || i > 16 {
		// The envelope's first key is "error" on failures; a response
		// merely containing the word is not one.
		return transport.Verdict{}
	}
	var e struct {
		Error struct {
			Code int `json:"error_code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return transport.Verdict{}
	}
	switch e.Error.Code {
	case CodeTooManyRequests:
		return transport.Verdict{RateLimited: true}
	case CodeInternal:
		return transport.Verdict{Transient: true}
	}
	return transport.Verdict{}
}

// callKind says how a method is sent.
type callKind struct {
	idempotent bool
	dedupe     string // guid
	noBatch    bool
}

// encodeParams returns the form values of params: nil, url.Values, or a
// struct with `url` tags.
func encodeParams(params any) (url.Values, error) {
	switch p := params.(type) {
	case nil:
		return url.Values{}, nil
	case url.Values:
		out := make(url.Values, len(p)+2)
		for k, v := range p {
			out[k] = append([]string(nil), v...)
		}
		return out, nil
	}
	b, err := transport.EncodeForm(params)
	if err != nil {
		return nil, err
	}
	return url.ParseQuery(string(b))
}

// Call calls method with params (a struct with `url:"…"` tags, url.Values,
// or nil) and decodes the response into out (nil discards it). It checks
// the token kind for the methods the package knows, sends v and the
// token, and returns an *Error for VK's errors. A call of a method that
// may change state is not repeated after it may have reached VK (its
// error then matches core.ErrUnknownOutcome), except wall.post with a guid.
func (c *Client) Call(ctx context.Context, method string, params any, out any, opts ...core.CallOption) error {
	info, known := methodTable[method]
	return c.doKind(ctx, method, params, out, callKind{idempotent: known && info.read}, opts)
}

func (c *Client) checkKind(method string) error {
	info, ok := methodTable[method]
	if !ok || info.kinds.has(c.kind) {
		return nil
	}
	code := CodeAuthFailed // a user token on a community-only method
	switch c.kind {
	case CommunityToken:
		code = CodeGroupAuthFailed
	case ServiceToken:
		code = CodeAppAuthFailed
	}
	return &TokenKindError{Method: method, Kind: c.kind, Allowed: info.kinds.list(), Code: code}
}

func (c *Client) call(ctx context.Context, method string, vals url.Values, out any, k callKind, opts []core.CallOption) error {
	return c.callForm(ctx, method, []byte(vals.Encode()), out, k, opts)
}

// callForm calls method with form, an urlencoded body without v and the
// token.
func (c *Client) callForm(ctx context.Context, method string, form []byte, out any, k callKind, opts []core.CallOption) error {
	if err := c.checkKind(method); err != nil {
		return err
	}
	if c.batcher != nil && !k.noBatch && c.batcher.accepts(method) {
		vals, err := url.ParseQuery(string(form))
		if err != nil {
			return fmt.Errorf("vk: %s: %w", method, err)
		}
		raw, err := c.batcher.submit(ctx, method, vals, opts)
		if err != nil {
			return err
		}
		return decodeInto(method, raw, out)
	}
	raw, _, err := c.send(ctx, method, form, k, opts)
	if err != nil {
		return err
	}
	return decodeInto(method, raw, out)
}

func decodeInto(method string, raw json.RawMessage, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("vk: %s: decode response: %w", method, err)
	}
	return nil
}

// send makes one API request (with captcha handling) and returns the raw
// response and execute errors. form is the urlencoded body without v and
// the token.
func (c *Client) send(ctx context.Context, method string, form []byte, k callKind, opts []core.CallOption) (json.RawMessage, []*Error, error) {
	for attempt := 1; ; attempt++ {
		raw, execErrs, err := c.sendOnce(ctx, method, form, k, opts)
		var ve *Error
		if err == nil || c.captcha == nil || !errors.As(err, &ve) || ve.Code != CodeCaptcha || attempt > c.captchaMax {
			return raw, execErrs, err
		}
		sol, herr := c.captcha(ctx, Captcha{Method: method, SID: ve.CaptchaSID, Img: ve.CaptchaImg, RedirectURI: ve.RedirectURI, Attempt: attempt})
		if herr != nil {
			return nil, nil, errors.Join(err, herr)
		}
		vals, perr := url.ParseQuery(string(form))
		if perr != nil {
			return nil, nil, err
		}
		vals.Del("captcha_sid")
		vals.Del("captcha_key")
		vals.Del("success_token")
		if ve.RedirectURI != "" && sol.SuccessToken != "" {
			vals.Set("success_token", sol.SuccessToken)
		} else {
			vals.Set("captcha_sid", ve.CaptchaSID)
			vals.Set("captcha_key", sol.Key)
		}
		form = []byte(vals.Encode())
	}
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func (c *Client) sendOnce(ctx context.Context, method string, form []byte, k callKind, opts []core.CallOption) (json.RawMessage, []*Error, error) {
	body := make([]byte, 0, len(form)+len(c.tail))
	body = append(body, form...)
	if len(form) == 0 {
		body = append(body, c.tail[1:]...)
	} else {
		body = append(body, c.tail...)
	}
	call := &transport.Call{
		Operation:   "vk." + method,
		Method:      http.MethodPost,
		URL:         c.methodURL + method,
		Header:      c.authHeader,
		Body:        body,
		ContentType: transport.FormContentType,
		Idempotent:  k.idempotent,
		DedupeKey:   k.dedupe,
	}
	if c.limited {
		call.LimitKeys = c.limitKey
	}
	resp, err := c.tr.Do(ctx, call, opts...)
	if err != nil {
		var te *transport.Error
		if k.dedupe != "" && errors.As(err, &te) && te.Attempts > 0 && !errors.Is(err, core.ErrLimiter) {
			// The retries with the guid ran out: the post may exist. A
			// repeat with the same guid within GUIDWindow is still safe.
			return nil, nil, &core.UnknownOutcomeError{Operation: call.Operation, Err: err}
		}
		return nil, nil, err
	}
	raw, execErrs, derr := DecodeEnvelope(resp.Body)
	var ve *Error
	if errors.As(derr, &ve) {
		w := &wireError{Code: ve.Code, Subcode: ve.Subcode, Msg: ve.Msg, Text: ve.Text, Params: ve.Params,
			CaptchaSID: NumString(ve.CaptchaSID), CaptchaImg: ve.CaptchaImg, RedirectURI: ve.RedirectURI,
			ConfirmationText: ve.ConfirmationText}
		return nil, nil, c.finish(call, resp, k, c.apiError(method, w))
	}
	if derr != nil {
		if resp.StatusCode != http.StatusOK {
			return nil, nil, c.finish(call, resp, k, fmt.Errorf("vk: %s: HTTP %d", method, resp.StatusCode))
		}
		return nil, nil, fmt.Errorf("vk: %s: %w", method, derr)
	}
	for _, e := range execErrs {
		e.Msg = c.tr.Redact(e.Msg)
	}
	return raw, execErrs, nil
}

// finish is transport.Finish, and also reports a transient failure of a
// de-duplicated call (wall.post with its guid) as an unknown outcome once
// its retries ran out: the post may exist, and repeating it with the same
// guid within GUIDWindow is safe.
func (c *Client) finish(call *transport.Call, resp *transport.Response, k callKind, apiErr error) error {
	if k.dedupe != "" && resp.Verdict.Transient {
		return &core.UnknownOutcomeError{Operation: call.Operation, Err: apiErr}
	}
	return transport.Finish(call, resp, apiErr)
}
