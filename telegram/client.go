package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/internal/transport"
)

// DefaultBaseURL is the hosted Bot API.
const DefaultBaseURL = "https://api.telegram.org"

// Defaults of a Client.
const (
	// DefaultMaxRetryAfter caps how long a call waits out a 429 answer; a
	// longer retry_after returns the typed error at once (see
	// core.WithRateLimitRetry).
	DefaultMaxRetryAfter = core.DefaultRateLimitMaxWait
	// DefaultMaxDownloadBytes bounds DownloadFile (the hosted Bot API serves
	// files up to 20 MB).
	DefaultMaxDownloadBytes = 20 << 20
	// DefaultMaxUploadBytes bounds content read from a FileReader (the hosted
	// Bot API accepts uploads up to 50 MB).
	DefaultMaxUploadBytes = 50 << 20
)

// Limits are the client-side pacing of message-sending calls. A zero Rate
// disables that level. Bursts below 1 are treated as 1.
type Limits struct {
	// Global is the rate across all chats of one bot (Telegram: about 30
	// messages/s).
	Global      core.Rate
	GlobalBurst int
	// PerChat is the rate inside one chat (Telegram: about 1 message/s,
	// short bursts tolerated).
	PerChat      core.Rate
	PerChatBurst int
	// PerGroup is the rate inside one group or supergroup (Telegram: 20
	// messages/min); it applies in addition to PerChat.
	PerGroup      core.Rate
	PerGroupBurst int
}

// DefaultLimits returns the built-in pacing: 30 messages/s per bot (burst
// 20), 1 message/s per chat (burst 2) and 20 messages/min per group (burst
// 3).
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
		Global: core.PerSecond(30), GlobalBurst: 20,
		PerChat: core.PerSecond(1), PerChatBurst: 2,
		PerGroup: core.PerMinute(20), PerGroupBurst: 3,
	}
}

func (l Limits) validate() error {
	for _, r := range []core.Rate{l.Global, l.PerChat, l.PerGroup} {
		if r.N < 0 || r.Per < 0 {
			return errors.New("negative rate limit")
		}
	}
	return nil
}

// Limiter keys. Every message-sending call spends the bot's key
// "telegram:bot:<fingerprint>" and the chat's key
// "telegram:chat:<fingerprint>:<chat>" (channels, private chats, unknown
// kinds) or "telegram:group:<fingerprint>:<chat>" (groups and
// supergroups), where <fingerprint> is core.Fingerprint of the bot token
// and <chat> the decimal chat id or the lower-cased @username; an album
// spends both once per item. The keys follow core.LimitKey, so a limiter
// of your own (core.WithLimiter) or one shared by several clients sees the
// same keys for the same bot.
const (
	KeyPrefixBot   = "telegram:bot:"
	KeyPrefixChat  = "telegram:chat:"
	KeyPrefixGroup = "telegram:group:"
)

// LimiterConfig returns the core.KeyedLimiter configuration of l for the
// key scheme above. Set its Clock to pace on a virtual or sandbox clock.
func LimiterConfig(l Limits) core.KeyedLimiterConfig {
	var rules []core.Rule
	if !l.Global.Unlimited() {
		rules = append(rules, core.Rule{Prefix: KeyPrefixBot, Rate: l.Global, Burst: l.GlobalBurst})
	}
	if !l.PerChat.Unlimited() {
		rules = append(rules,
			core.Rule{Prefix: KeyPrefixChat, Rate: l.PerChat, Burst: l.PerChatBurst},
			core.Rule{Prefix: KeyPrefixGroup, Rate: l.PerChat, Burst: l.PerChatBurst})
	}
	if !l.PerGroup.Unlimited() {
		rules = append(rules, core.Rule{Prefix: KeyPrefixGroup, Rate: l.PerGroup, Burst: l.PerGroupBurst})
	}
	return core.KeyedLimiterConfig{Rules: rules}
}

// NewLimiter returns a limiter pacing every bot it serves by l. Pass it to
// several clients with core.WithLimiter to make them share the budget (two
// clients of one token in one process, say).
func NewLimiter(l Limits) *core.KeyedLimiter {
	return core.NewKeyedLimiter(LimiterConfig(l))
}

// Client is a Telegram Bot API client. It is safe for concurrent use and
// makes no network call until a method is called. It never prints its
// token (String, GoString, Format and LogValue describe it by bot id).
type Client struct {
	tr          *transport.Client
	apiPrefix   string // <base>/bot<token>[/test]/
	filePrefix  string // <base>/file/bot<token>[/test]/
	botID       string
	base        string
	customBase  bool
	limited     bool
	botKey      string // telegram:bot:<fp>
	chatPrefix  string // telegram:chat:<fp>:
	groupPrefix string // telegram:group:<fp>:
	logger      *slog.Logger
	clock       core.Clock
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

// settings are telegram's own options (see the party options below); the
// shared ones (HTTP client, base URL, limiter, retries, ...) are
// core.Option values such as core.WithBaseURL.
type settings struct {
	testEnv     bool
	limits      Limits
	maxDownload int64
	maxUpload   int64
}

// WithTestEnvironment uses Telegram's test environment: methods are called
// at /bot<token>/test/<method> and files downloaded from
// /file/bot<token>/test/<path>.
func WithTestEnvironment() core.Option {
	return core.PartyOption("telegram.WithTestEnvironment", func(s *settings) error { s.testEnv = true; return nil })
}

// WithRateLimits sets the built-in pacing (default DefaultLimits). Like
// core.WithLimiter, the last of the two given wins.
func WithRateLimits(l Limits) core.Option {
	set := core.PartyOption("telegram.WithRateLimits", func(s *settings) error {
		if err := l.validate(); err != nil {
			return err
		}
		s.limits = l
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

// WithoutRateLimits disables client-side pacing; 429 answers are still
// handled (see core.WithRateLimitRetry). It is core.WithLimiter(nil),
// accepted only by the telegram client.
func WithoutRateLimits() core.Option {
	set := core.PartyOption("telegram.WithoutRateLimits", func(*settings) error { return nil })
	return func(s *core.Settings) error {
		if err := set(s); err != nil {
			return err
		}
		s.Limiter, s.LimiterSet = nil, true
		return nil
	}
}

// WithMaxDownloadBytes bounds DownloadFile (default 20 MiB; raise it for a
// local Bot API server).
func WithMaxDownloadBytes(n int64) core.Option {
	return core.PartyOption("telegram.WithMaxDownloadBytes", func(s *settings) error {
		if n <= 0 {
			return errors.New("max download bytes must be positive")
		}
		s.maxDownload = n
		return nil
	})
}

// WithMaxUploadBytes bounds content read from a FileReader (default 50 MiB;
// a local Bot API server accepts up to 2000 MB).
func WithMaxUploadBytes(n int64) core.Option {
	return core.PartyOption("telegram.WithMaxUploadBytes", func(s *settings) error {
		if n <= 0 {
			return errors.New("max upload bytes must be positive")
		}
		s.maxUpload = n
		return nil
	})
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
// (see ValidToken) and makes no network call. It accepts the options of
// package core (core.WithBaseURL, core.WithHTTPClient, core.WithLimiter,
// core.WithRetry, core.WithRateLimitRetry, core.WithClock, ...) and
// telegram's own (WithTestEnvironment, WithRateLimits, ...).
//
// Defaults: the pacing of DefaultLimits on the client's clock; transient
// failures of reads retried 3 times; "too many requests" answers waited
// out while each retry_after is at most 30 s and their total at most 60 s
// per call; a call whose ctx has no deadline bounded to 60 s
// (core.WithDefaultTimeout), a long poll to its timeout plus 15 s.
func New(token string, opts ...core.Option) (*Client, error) {
	if !ValidToken(token) {
		return nil, ErrInvalidToken
	}
	ps := settings{
		limits:      DefaultLimits(),
		maxDownload: DefaultMaxDownloadBytes,
		maxUpload:   DefaultMaxUploadBytes,
	}
	cs := core.NewSettings("telegram", &ps)
	if err := cs.Apply(opts...); err != nil {
		return nil, err
	}
	base := DefaultBaseURL
	if cs.BaseURL != "" {
		base = cs.BaseURL
	}
	botID := token[:strings.IndexByte(token, ':')]
	fp := core.Fingerprint(token)
	c := &Client{
		botID:       botID,
		base:        base,
		customBase:  base != DefaultBaseURL,
		logger:      cs.Logger,
		clock:       cs.Clock,
		maxDownload: ps.maxDownload,
		maxUpload:   ps.maxUpload,
		botKey:      core.LimitKey("telegram", "bot", fp, ""),
		chatPrefix:  core.LimitKey("telegram", "chat", fp, "") + ":",
		groupPrefix: core.LimitKey("telegram", "group", fp, "") + ":",
	}
	env := ""
	if ps.testEnv {
		env = "/test"
	}
	c.apiPrefix = base + "/bot" + token + env + "/"
	c.filePrefix = base + "/file/bot" + token + env + "/"
	c.endpoints = make(map[string]endpoint, len(methods))
	for _, m := range methods {
		c.endpoints[m] = endpoint{url: c.apiPrefix + m, op: "telegram." + m}
	}

	// The secret part alone is a secret too: an error description that
	// echoes it must not carry it.
	cs.Secrets = append(cs.Secrets, token, token[len(botID)+1:])
	topts := []transport.Option{
		transport.WithSettings(&cs),
		transport.WithClassifier(classify),
	}
	switch {
	case cs.LimiterSet:
		// core.WithLimiter (transport.WithSettings applies it).
		c.limited = cs.Limiter != nil
	default:
		cfg := LimiterConfig(ps.limits)
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
		return nil, fmt.Errorf("telegram: %w", err)
	}
	c.tr = tr
	return c, nil
}

// String describes the client by its bot id and base URL; it never
// contains the token.
func (c *Client) String() string {
	return "telegram.Client{bot " + c.botID + ", " + c.base + "}"
}

// GoString is String.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb (%v, %+v, %#v, %s, %q, ...), so no
// formatting of a Client shows the token.
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", c.String())
		return
	}
	_, _ = io.WriteString(f, c.String())
}

// LogValue makes slog record the client as String.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// callOpts says how one Bot API call is sent.
type callOpts struct {
	idempotent bool
	// chat, when set, makes the call a message-sending call paced by the
	// limiter for this chat.
	chat *ChatID
	// messages is how many messages the call sends (an album sends one per
	// item); each spends a limiter token. Zero means one.
	messages int
	// call are the caller's per-call options.
	call []core.CallOption
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
	keys [2]string
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
		var fast bool
		if f, ok := params.(fastJSON); ok {
			body, fast = f.appendJSON(nil)
		}
		if !fast {
			b, err := json.Marshal(params)
			if err != nil {
				return nil, fmt.Errorf("telegram: %s: encode request: %w", method, err)
			}
			body = b
		}
		ctype = "application/json"
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
			cs.keys = [2]string{c.botKey, key}
			call.LimitKeys = cs.keys[:]
		} else {
			// Telegram counts every album item as a message.
			call.LimitKeys = make([]string, 0, 2*o.messages)
			for range o.messages {
				call.LimitKeys = append(call.LimitKeys, c.botKey, key)
			}
		}
	}
	resp, err := c.tr.Do(ctx, call, o.call...)
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

// limitKey returns the chat's limiter key of a message-sending call:
// "telegram:group:<fp>:<id>" when the chat is known (or provably) a group
// or supergroup, otherwise "telegram:chat:<fp>:<id>". See the package
// documentation for the heuristic.
func (c *Client) limitKey(chat ChatID) string {
	k := chat.key()
	if t, ok := c.kinds.get(chat.kindKey()); ok {
		if t.IsGroup() {
			return c.groupPrefix + k
		}
		return c.chatPrefix + k
	}
	// Basic groups have negative ids above -10^12; supergroups and channels
	// share the -100... range and cannot be told apart by id.
	if chat.id < 0 && chat.id > -1_000_000_000_000 {
		return c.groupPrefix + k
	}
	return c.chatPrefix + k
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
