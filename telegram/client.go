package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/gospubliki/gosdk/internal/transport"
)

// DefaultBaseURL is the hosted Bot API.
const DefaultBaseURL = "https://api.telegram.org"

// Defaults of a Client.
const (
	// DefaultMaxRetryAfter caps how long a call waits out a 429 answer; a
	// longer retry_after returns the typed error at once.
	DefaultMaxRetryAfter = 30 * time.Second
	// DefaultMaxDownloadBytes bounds DownloadFile (the hosted Bot API serves
	// files up to 20 MB).
	DefaultMaxDownloadBytes = 20 << 20
	// DefaultMaxUploadBytes bounds content read from a FileReader (the hosted
	// Bot API accepts uploads up to 50 MB).
	DefaultMaxUploadBytes = 50 << 20
)

// Limiter paces outgoing messages. Wait blocks until a message spending key
// may be sent, or returns an error when ctx ends first. The client passes
// one key per message-sending call: "chat:<id>" (channels, private chats,
// unknown kinds) or "group:<id>" (groups and supergroups), where <id> is the
// decimal chat id or the lower-cased @username. A shared store (for a fleet
// of replicas) can implement it.
type Limiter interface {
	Wait(ctx context.Context, key string) error
}

// RequestInfo describes one HTTP attempt for a request hook. URL is
// redacted (the token is replaced by REDACTED).
type RequestInfo = transport.RequestInfo

// ResponseInfo describes the answer to one HTTP attempt for a response hook.
// URL and Err are redacted.
type ResponseInfo = transport.ResponseInfo

// Limits are the client-side pacing of message-sending calls. A zero rate
// disables that level. Bursts below 1 are treated as 1.
type Limits struct {
	// Global is the rate across all chats (Telegram: about 30 messages/s).
	Global      rate.Limit
	GlobalBurst int
	// PerChat is the rate inside one chat (Telegram: about 1 message/s,
	// short bursts tolerated).
	PerChat      rate.Limit
	PerChatBurst int
	// PerGroup is the rate inside one group or supergroup (Telegram: 20
	// messages/min); it applies in addition to PerChat.
	PerGroup      rate.Limit
	PerGroupBurst int
}

// DefaultLimits returns the built-in pacing: 30 messages/s globally (burst
// 20), 1 message/s per chat (burst 2) and 20 messages/min per group (burst 3).
//
// The rates are Telegram's; the bursts are kept below the ones Telegram
// tolerates (30 in total, 3 per chat) on purpose. The client paces a message
// when it is sent, Telegram counts it when it arrives, and arrivals are
// closer together than sends whenever an earlier request was slowed down (a
// new connection, a busy network). With bursts equal to Telegram's, a
// message paced exactly on time then arrives a little early and is answered
// 429 (the gosdk sandbox, which enforces the same buckets, showed this for
// about one run in seven of five messages to one chat); the headroom absorbs
// up to a second of jitter per chat and a third of a second in total.
func DefaultLimits() Limits {
	return Limits{
		Global: 30, GlobalBurst: 20,
		PerChat: 1, PerChatBurst: 2,
		PerGroup: rate.Every(3 * time.Second), PerGroupBurst: 3,
	}
}

// Client is a Telegram Bot API client. It is safe for concurrent use and
// makes no network call until a method is called.
type Client struct {
	tr          *transport.Client
	apiPrefix   string // <base>/bot<token>[/test]/
	filePrefix  string // <base>/file/bot<token>[/test]/
	customBase  bool
	limited     bool
	logger      *slog.Logger
	maxDownload int64
	maxUpload   int64
	kinds       chatKinds
	endpoints   map[string]endpoint // read-only after New
}

// endpoint is the precomputed URL and operation name of a method, so that
// the hot path builds no strings.
type endpoint struct{ url, op string }

// methods are the Bot API methods the client calls.
var methods = [...]string{
	"getMe", "getChat", "getChatAdministrators", "getChatMember", "getChatMemberCount",
	"sendMessage", "sendPhoto", "sendVideo", "sendDocument", "sendMediaGroup", "sendPoll",
	"forwardMessage", "copyMessage",
	"editMessageText", "editMessageCaption", "deleteMessage", "deleteMessages", "pinChatMessage", "unpinChatMessage",
	"setWebhook", "deleteWebhook", "getWebhookInfo", "getUpdates", "getFile",
}

func (c *Client) endpoint(method string) endpoint {
	if e, ok := c.endpoints[method]; ok {
		return e
	}
	return endpoint{url: c.apiPrefix + method, op: "telegram." + method}
}

type config struct {
	httpClient    *http.Client
	baseURL       string
	testEnv       bool
	limiter       Limiter
	limits        Limits
	noLimits      bool
	logger        *slog.Logger
	retrySet      bool
	retryMax      int
	retryMin      time.Duration
	retryMaxWait  time.Duration
	maxRetryAfter time.Duration
	onRequest     func(context.Context, RequestInfo)
	onResponse    func(context.Context, ResponseInfo)
	userAgent     string
	maxDownload   int64
	maxUpload     int64
}

// Option configures a Client.
type Option func(*config) error

// WithHTTPClient sends requests through hc (its Transport, Timeout and
// redirect policy). hc is copied, not modified. Long polling needs
// hc.Timeout (if any) above the poll timeout. The default client sets no
// overall timeout (it costs allocations on every call): bound calls with
// their ctx.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("telegram: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithBaseURL sends requests to a local Bot API server or an emulator
// instead of https://api.telegram.org. Plain http is allowed; a path prefix
// is kept ("http://127.0.0.1:8081" or "http://host/tg").
func WithBaseURL(base string) Option {
	return func(c *config) error {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return errors.New("telegram: base URL must be an absolute http(s) URL without query")
		}
		c.baseURL = strings.TrimRight(base, "/")
		return nil
	}
}

// WithTestEnvironment uses Telegram's test environment: methods are called
// at /bot<token>/test/<method> and files downloaded from
// /file/bot<token>/test/<path>.
func WithTestEnvironment() Option {
	return func(c *config) error { c.testEnv = true; return nil }
}

// WithLimiter replaces the built-in pacing with l, which receives the keys
// described at Limiter. A nil l disables pacing.
func WithLimiter(l Limiter) Option {
	return func(c *config) error {
		c.limiter = l
		c.noLimits = l == nil
		return nil
	}
}

// WithRateLimits sets the built-in pacing (default DefaultLimits).
func WithRateLimits(l Limits) Option {
	return func(c *config) error {
		if l.Global < 0 || l.PerChat < 0 || l.PerGroup < 0 {
			return errors.New("telegram: negative rate limit")
		}
		c.limits, c.limiter, c.noLimits = l, nil, false
		return nil
	}
}

// WithoutRateLimits disables client-side pacing; 429 answers are still
// handled.
func WithoutRateLimits() Option {
	return func(c *config) error { c.noLimits, c.limiter = true, nil; return nil }
}

// WithLogger sets the structured logger (silent by default). Records never
// contain the token.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.logger = l; return nil }
}

// WithRetry sets the number of retries after the first attempt and the
// backoff bounds (defaults 3, 200 ms, 5 s). Whatever the settings, a
// message-sending call is retried only after a 429 answer or when it
// provably never reached the server.
func WithRetry(maxRetries int, minWait, maxWait time.Duration) Option {
	return func(c *config) error {
		if maxRetries < 0 || minWait < 0 || maxWait < minWait {
			return errors.New("telegram: invalid retry settings")
		}
		c.retrySet, c.retryMax, c.retryMin, c.retryMaxWait = true, maxRetries, minWait, maxWait
		return nil
	}
}

// WithMaxRetryAfter caps how long a call waits out a 429 answer (default
// 30 s). A longer retry_after returns at once with an error matching
// ErrTooManyRequests and social.ErrRateLimited. Zero never waits.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("telegram: negative max retry-after")
		}
		c.maxRetryAfter = d
		return nil
	}
}

// WithRequestHook calls f before every HTTP attempt (URL redacted).
func WithRequestHook(f func(context.Context, RequestInfo)) Option {
	return func(c *config) error { c.onRequest = f; return nil }
}

// WithResponseHook calls f after every HTTP attempt (URL and error redacted).
func WithResponseHook(f func(context.Context, ResponseInfo)) Option {
	return func(c *config) error { c.onResponse = f; return nil }
}

// WithUserAgent appends product to the User-Agent header.
func WithUserAgent(product string) Option {
	return func(c *config) error { c.userAgent = product; return nil }
}

// WithMaxDownloadBytes bounds DownloadFile (default 20 MiB; raise it for a
// local Bot API server).
func WithMaxDownloadBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("telegram: max download bytes must be positive")
		}
		c.maxDownload = n
		return nil
	}
}

// WithMaxUploadBytes bounds content read from a FileReader (default 50 MiB;
// a local Bot API server accepts up to 2000 MB).
func WithMaxUploadBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("telegram: max upload bytes must be positive")
		}
		c.maxUpload = n
		return nil
	}
}

// ValidToken reports whether token has the shape of a bot token: a decimal
// bot id, a colon, and at least 30 characters of A-Z, a-z, 0-9, "_" and "-"
// (real tokens have 35).
func ValidToken(token string) bool {
	i := strings.IndexByte(token, ':')
	if i <= 0 || len(token)-i-1 < 30 {
		return false
	}
	for j := 0; j < i; j++ {
		if token[j] < '0' || token[j] > '9' {
			return false
		}
	}
	for j := i + 1; j < len(token); j++ {
		ch := token[j]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '-') {
			return false
		}
	}
	return true
}

// ErrInvalidToken is returned by New for a token that does not have the
// shape of a bot token (see ValidToken). The token is never echoed.
var ErrInvalidToken = errors.New("telegram: malformed bot token (want <digits>:<30+ chars of A-Za-z0-9_->)")

// New returns a client for the bot with token. It checks the token's shape
// (see ValidToken) and makes no network call.
func New(token string, opts ...Option) (*Client, error) {
	if !ValidToken(token) {
		return nil, ErrInvalidToken
	}
	cfg := config{
		baseURL:       DefaultBaseURL,
		limits:        DefaultLimits(),
		maxRetryAfter: DefaultMaxRetryAfter,
		maxDownload:   DefaultMaxDownloadBytes,
		maxUpload:     DefaultMaxUploadBytes,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	c := &Client{
		customBase:  cfg.baseURL != DefaultBaseURL,
		logger:      cfg.logger,
		maxDownload: cfg.maxDownload,
		maxUpload:   cfg.maxUpload,
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	env := ""
	if cfg.testEnv {
		env = "/test"
	}
	c.apiPrefix = cfg.baseURL + "/bot" + token + env + "/"
	c.filePrefix = cfg.baseURL + "/file/bot" + token + env + "/"
	c.endpoints = make(map[string]endpoint, len(methods))
	for _, m := range methods {
		c.endpoints[m] = endpoint{url: c.apiPrefix + m, op: "telegram." + m}
	}

	topts := []transport.Option{
		transport.WithSecrets(token),
		transport.WithClassifier(classify),
		transport.WithMaxRetryAfter(cfg.maxRetryAfter),
		transport.WithLogger(cfg.logger),
		transport.WithUserAgent(cfg.userAgent),
	}
	if cfg.httpClient != nil {
		topts = append(topts, transport.WithHTTPClient(cfg.httpClient))
	}
	if cfg.retrySet {
		topts = append(topts, transport.WithRetry(cfg.retryMax, cfg.retryMin, cfg.retryMaxWait))
	}
	if cfg.onRequest != nil {
		topts = append(topts, transport.WithRequestHook(cfg.onRequest))
	}
	if cfg.onResponse != nil {
		topts = append(topts, transport.WithResponseHook(cfg.onResponse))
	}
	switch {
	case cfg.noLimits:
	case cfg.limiter != nil:
		c.limited = true
		topts = append(topts, transport.WithLimiter(cfg.limiter))
	default:
		if l := buildLimiter(cfg.limits); l != nil {
			c.limited = true
			topts = append(topts, transport.WithLimiter(l))
		}
	}
	tr, err := transport.New(topts...)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	c.tr = tr
	return c, nil
}

func buildLimiter(l Limits) transport.Limiter {
	global := l.Global
	if global == 0 {
		global = rate.Inf
	}
	var rules []transport.Rule
	if l.PerChat > 0 {
		rules = append(rules,
			transport.Rule{Prefix: "chat:", Limit: l.PerChat, Burst: l.PerChatBurst},
			transport.Rule{Prefix: "group:", Limit: l.PerChat, Burst: l.PerChatBurst})
	}
	if l.PerGroup > 0 {
		rules = append(rules, transport.Rule{Prefix: "group:", Limit: l.PerGroup, Burst: l.PerGroupBurst})
	}
	if global == rate.Inf && len(rules) == 0 {
		return nil
	}
	return transport.NewKeyedLimiter(global, l.GlobalBurst, rules)
}

// callOpts says how one Bot API call is sent.
type callOpts struct {
	idempotent bool
	// chat, when set, makes the call a message-sending call paced by the
	// limiter for this chat.
	chat *ChatID
	// messages is how many messages the call sends (an album sends one per
	// item); each spends a limiter token. Zero means one.
	messages int
}

// envelope is the Bot API answer.
type envelope[T any] struct {
	OK          bool                `json:"ok"`
	Result      T                   `json:"result"`
	ErrorCode   int                 `json:"error_code"`
	Description string              `json:"description"`
	Parameters  *ResponseParameters `json:"parameters"`
}

// doJSON sends params as a JSON body (or multipart, when up is not empty)
// and decodes the result into a T.
func doJSON[T any](ctx context.Context, c *Client, method string, params any, up []upload, o callOpts) (T, error) {
	p, err := doCall[T](ctx, c, method, params, up, o)
	if err != nil {
		var zero T
		return zero, err
	}
	return *p, nil
}

// doCall is doJSON returning a pointer into the decoded envelope, which
// callAndEnvelope holds a call and its answer's envelope in one allocation.
type callAndEnvelope[T any] struct {
	call transport.Call
	env  envelope[T]
}

// saves an allocation per call.
func doCall[T any](ctx context.Context, c *Client, method string, params any, up []upload, o callOpts) (*T, error) {
	var body []byte
	var ctype string
	if len(up) > 0 {
		b, ct, err := c.encodeMultipart(method, params, up)
		if err != nil {
			return nil, err
		}
		body, ctype = b, ct
	} else if params != nil {
		b, err := json.Marshal(params)
		if err != nil {
			return nil, fmt.Errorf("telegram: %s: encode request: %w", method, err)
		}
		body, ctype = b, "application/json"
	}
	ep := c.endpoint(method)
	// The call and the answer's envelope share one allocation.
	cs := new(callAndEnvelope[T])
	call := &cs.call
	*call = transport.Call{
		Operation:   ep.op,
		Method:      http.MethodPost,
		URL:         ep.url,
		Body:        body,
		ContentType: ctype,
		Idempotent:  o.idempotent,
	}
	if o.chat != nil && c.limited {
		key := c.limitKey(*o.chat)
		if o.messages <= 1 {
			call.LimitKeys = []string{key}
		} else {
			// Telegram counts every album item as a message.
			call.LimitKeys = make([]string, o.messages)
			for i := range call.LimitKeys {
				call.LimitKeys[i] = key
			}
		}
	}
	resp, err := c.tr.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	env := &cs.env
	derr := json.Unmarshal(resp.Body, env)
	if derr == nil && env.OK && resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return &env.Result, nil
	}
	apiErr := &Error{Method: method, Code: env.ErrorCode, Description: c.tr.Redact(env.Description)}
	if derr != nil || apiErr.Code == 0 {
		apiErr.Code = resp.StatusCode
		if apiErr.Description == "" {
			apiErr.Description = http.StatusText(resp.StatusCode)
		}
		if derr != nil && resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return nil, fmt.Errorf("telegram: %s: decode response: %w", method, derr)
		}
	}
	if env.Parameters != nil {
		apiErr.RetryAfter = seconds(env.Parameters.RetryAfter)
		apiErr.MigrateToChatID = env.Parameters.MigrateToChatID
	}
	if apiErr.RetryAfter == 0 && resp.Verdict.RateLimited {
		apiErr.RetryAfter = resp.Verdict.RetryAfter
	}
	if apiErr.Code == http.StatusTooManyRequests && !resp.Verdict.RateLimited {
		// error_code 429 behind an HTTP status that is not 429 (a proxy
		// rewrote it): Telegram did not execute the call either.
		return nil, &transport.RateLimitError{Operation: call.Operation, RetryAfter: apiErr.RetryAfter, Err: apiErr}
	}
	return nil, transport.Finish(call, resp, apiErr)
}

// classify reads a Bot API answer for the transport: 429 asks to wait
// parameters.retry_after seconds (or the Retry-After header), 5xx is
// transient. Telegram sets the HTTP status to error_code.
func classify(status int, header http.Header, body []byte) transport.Verdict {
	switch {
	case status == http.StatusTooManyRequests:
		var e struct {
			Parameters struct {
				RetryAfter int64 `json:"retry_after"`
			} `json:"parameters"`
		}
		v := transport.Verdict{RateLimited: true}
		if json.Unmarshal(body, &e) == nil && e.Parameters.RetryAfter > 0 {
			v.RetryAfter = seconds(e.Parameters.RetryAfter)
		} else {
			v.RetryAfter = transport.ParseRetryAfter(header.Get("Retry-After"))
		}
		return v
	case status >= 500:
		return transport.Verdict{Transient: true}
	}
	return transport.Verdict{}
}

// seconds converts a retry_after in seconds to a Duration, clamping
// negative values to zero and huge ones to the largest Duration.
func seconds(n int64) time.Duration {
	const maxSeconds = int64(1<<63-1) / int64(time.Second)
	switch {
	case n <= 0:
		return 0
	case n > maxSeconds:
		return time.Duration(maxSeconds) * time.Second
	}
	return time.Duration(n) * time.Second
}

// limitKey returns the limiter key of a message-sending call to chat:
// "group:<id>" when the chat is known (or provably) a group or supergroup,
// otherwise "chat:<id>". See the package documentation for the heuristic.
func (c *Client) limitKey(chat ChatID) string {
	k := chat.key()
	if t, ok := c.kinds.get(chat.kindKey()); ok {
		if t.IsGroup() {
			return "group:" + k
		}
		return "chat:" + k
	}
	// Basic groups have negative ids above -10^12; supergroups and channels
	// share the -100... range and cannot be told apart by id.
	if chat.id < 0 && chat.id > -1_000_000_000_000 {
		return "group:" + k
	}
	return "chat:" + k
}

// learn records the type of a chat seen in an answer.
func (c *Client) learn(ch *Chat) {
	if ch == nil || ch.ID == 0 || ch.Type == "" {
		return
	}
	c.kinds.put(kindKey{id: ch.ID}, ch.Type)
	if ch.Username != "" {
		c.kinds.put(kindKey{user: strings.ToLower(ch.Username)}, ch.Type)
	}
}

// kindKey identifies a chat in the chat-kind cache: by id, or by the
// lower-cased username without "@".
type kindKey struct {
	id   int64
	user string
}

// chatKinds remembers the types of chats seen in answers (bounded).
type chatKinds struct {
	mu sync.RWMutex
	m  map[kindKey]ChatType
}

const maxChatKinds = 10000

func (k *chatKinds) get(key kindKey) (ChatType, bool) {
	k.mu.RLock()
	t, ok := k.m[key]
	k.mu.RUnlock()
	return t, ok
}

func (k *chatKinds) put(key kindKey, t ChatType) {
	k.mu.RLock()
	old, ok := k.m[key]
	k.mu.RUnlock()
	if ok && old == t {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil || len(k.m) >= maxChatKinds {
		k.m = make(map[kindKey]ChatType)
	}
	k.m[key] = t
}

// SetChatType tells the client the type of a chat it sends to, so that the
// per-group limit applies to a supergroup before the first answer reveals
// its type (supergroup and channel ids look alike).
func (c *Client) SetChatType(chat ChatID, t ChatType) {
	if chat.IsZero() || t == "" {
		return
	}
	c.kinds.put(chat.kindKey(), t)
}

// Redact removes the bot token and other secrets from s, for callers that
// log URLs or errors of their own.
func (c *Client) Redact(s string) string { return c.tr.Redact(s) }
