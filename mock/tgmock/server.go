package tgmock

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gospubliki/gosdk/mock/delivery"
	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// Party is the journal and fault-rule party name of this emulator.
const Party = "telegram"

// TenantHeader names the request header that sets the tenant of a request
// for the journal and fault rules. Without it the tenant is "bot<id>" (and
// "bot<id>/test" in the test environment), derived from the token's public
// numeric part.
const TenantHeader = "X-Mock-Tenant"

// Default settings.
const (
	DefaultMaxBody        = 60 << 20 // bytes per request (uploads up to 50 MB fit)
	DefaultMaxLongPoll    = 60 * time.Second
	DefaultMessagesKept   = 10000 // per chat
	DefaultQueueLimit     = 100000
	defaultHookRetryMin   = 100 * time.Millisecond
	defaultHookRetryMax   = 10 * time.Second
	defaultWebhookTimeout = 10 * time.Second
)

// Option configures a [Server].
type Option func(*Server)

// WithLimits sets the flood-control limits (default [DefaultLimits]).
func WithLimits(l Limits) Option { return func(s *Server) { s.limits.Store(&l) } }

// WithoutLimits disables flood control.
func WithoutLimits() Option { return func(s *Server) { s.limits.Store(&Limits{Disabled: true}) } }

// WithLogger sets the logger (default: the world's logger). Tokens are never
// logged.
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// WithMaxLongPoll caps the getUpdates timeout (default [DefaultMaxLongPoll]).
func WithMaxLongPoll(d time.Duration) Option { return func(s *Server) { s.longPollMax = d } }

// WithWebhookClient sets the HTTP client used to deliver webhooks. Its
// Timeout (10s when zero) bounds each delivery.
func WithWebhookClient(c *http.Client) Option { return func(s *Server) { s.hookClient = c } }

// WithWebhookAnyHost lets webhooks be delivered to any host. By default the
// emulator delivers only to loopback addresses (127.0.0.0/8, ::1,
// localhost) and reports other URLs in last_error_message, so a sandbox
// never sends data to the outside world.
func WithWebhookAnyHost() Option { return func(s *Server) { s.hookAnyHost = true } }

// WithWebhookRetry sets the redelivery backoff after a failed webhook
// delivery: it starts at min and doubles up to max (defaults 100ms and
// 10s).
func WithWebhookRetry(min, max time.Duration) Option {
	return func(s *Server) { s.hookRetryMin, s.hookRetryMax = min, max }
}

// WithWebhookRedeliveryHeader makes every webhook delivery carry a
// redelivery counter (0 on the first attempt of an update, then 1, 2, ...)
// in the named header. The official server sends none, which is the
// default.
func WithWebhookRedeliveryHeader(name string) Option {
	return func(s *Server) { s.hookAttemptHeader = name }
}

// WithMessagesKept bounds the messages kept per chat for edits, deletes and
// pins (default [DefaultMessagesKept]); older ones are forgotten.
func WithMessagesKept(n int) Option { return func(s *Server) { s.maxMessages = n } }

// WithFileBytes bounds the uploaded bytes kept per environment (default
// [DefaultFileBytes]); the oldest files are forgotten first.
func WithFileBytes(n int64) Option { return func(s *Server) { s.fileBytes = n } }

// WithTenant names the tenant the emulator serves, recorded on the journal
// entries of its own outbound work (webhook deliveries). Without it those
// entries carry "bot<id>" (and "bot<id>/test"), as requests without
// X-Mock-Tenant do. A sandbox sets it for each tenant's emulator.
func WithTenant(name string) Option { return func(s *Server) { s.tenant = name } }

// WithMaxBody bounds a request body (default [DefaultMaxBody]).
func WithMaxBody(n int64) Option { return func(s *Server) { s.maxBody = n } }

// Server is the Telegram Bot API emulator, an [http.Handler] serving
// /bot<token>/<method>, /bot<token>/test/<method>, /file/bot<token>/<path>
// and /file/bot<token>/test/<path> over a [world.World].
type Server struct {
	w   *world.World
	sec *Section
	log *slog.Logger

	limits            atomic.Pointer[Limits]
	maxBody           int64
	longPollMax       time.Duration
	hookClient        *http.Client
	hookTimeout       time.Duration // bound of one webhook delivery
	hookAnyHost       bool
	hookRetryMin      time.Duration
	hookRetryMax      time.Duration
	hookAttemptHeader string
	deliv             *delivery.Engine
	msgMu             sync.Mutex
	msgs              *world.Ring[msgRef] // every stored message, oldest first
	maxMessages       int
	fileBytes         int64

	syncMu sync.Mutex
	ver    atomic.Uint64
	gen    uint64
	envs   [2]*env
	envPtr [2]atomic.Pointer[env]

	closed atomic.Bool
	bg     sync.WaitGroup

	methods map[string]handler
	tenant  string
	pipe    *emu.Pipeline
	pollSeq atomic.Int64

	onInflightWait func() // test hook: getUpdates waits for a webhook delivery to settle

	pollMu     sync.Mutex
	pollNotify chan struct{} // closed when a long poll starts, if anyone awaits one
}

// New returns an emulator over w and its Telegram section ([SectionOf]
// registers one when w has none). Call [Server.Close] to stop webhook
// deliveries.
func New(w *world.World, opts ...Option) *Server {
	s := &Server{
		w:            w,
		sec:          SectionOf(w),
		log:          w.Logger(),
		maxBody:      DefaultMaxBody,
		longPollMax:  DefaultMaxLongPoll,
		hookRetryMin: defaultHookRetryMin,
		hookRetryMax: defaultHookRetryMax,
		maxMessages:  DefaultMessagesKept,
	}
	l := DefaultLimits()
	s.limits.Store(&l)
	for _, o := range opts {
		o(s)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.hookClient == nil {
		s.hookClient = &http.Client{Timeout: defaultWebhookTimeout}
	}
	s.hookTimeout = s.hookClient.Timeout
	if s.hookTimeout <= 0 {
		s.hookTimeout = defaultWebhookTimeout
	}
	if s.hookRetryMin <= 0 {
		s.hookRetryMin = defaultHookRetryMin
	}
	if s.hookRetryMax < s.hookRetryMin {
		s.hookRetryMax = s.hookRetryMin
	}
	s.deliv = s.newDelivery()
	s.msgs = s.newMessageRing()
	s.envs = [2]*env{s.newEnv(false), s.newEnv(true)}
	s.envPtr[0].Store(s.envs[0])
	s.envPtr[1].Store(s.envs[1])
	s.gen = w.Generation()
	s.methods = s.methodTable()
	s.pipe = emu.New(adapter{s}, emu.ResolverFunc(s.resolveLocal))
	s.refresh()
	w.OnReset(s.refresh)
	return s
}

// World returns the world the emulator serves.
func (s *Server) World() *world.World { return s.w }

// Section returns the world's Telegram section the emulator serves.
func (s *Server) Section() *Section { return s.sec }

// AddBot adds a bot to the emulator's Telegram section (see
// [Section.AddBot]).
func (s *Server) AddBot(b Bot) error { return s.sec.AddBot(b, s.w) }

// WaitWebhooksIdle blocks until no webhook delivery is under way: every
// update a webhook could receive now has been attempted. A redelivery
// waiting its backoff on the world clock is not under way; on a frozen clock
// world.Clock.Advance runs it and returns after it. Advancing past the
// longest backoff, then WaitWebhooksIdle, is a barrier after which a test
// can assert that something was not delivered.
func (s *Server) WaitWebhooksIdle() { s.deliv.WaitIdle() }

// Close stops webhook deliveries and wakes long polls. It is safe to call
// more than once; the handler keeps answering afterwards.
func (s *Server) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.syncMu.Lock()
	envs := s.envs
	s.syncMu.Unlock()
	for _, e := range envs {
		e.shutdown()
	}
	s.deliv.Close()
	s.releaseMessages()
	s.bg.Wait()
	return nil
}

// SetLimits replaces the flood-control limits at run time.
func (s *Server) SetLimits(l Limits) { s.limits.Store(&l) }

// Limits returns the flood-control limits in force.
func (s *Server) Limits() Limits { return *s.limits.Load() }

func (s *Server) env(test bool) *env {
	if test {
		return s.envPtr[1].Load()
	}
	return s.envPtr[0].Load()
}

// apiError is an error answer.
type apiError struct {
	code   int
	desc   string
	params *ResponseParameters
}

func errBadRequest(msg string) *apiError { return &apiError{400, "Bad Request: " + msg, nil} }

var (
	errUnauthorized   = &apiError{401, "Unauthorized", nil}
	errNotFound       = &apiError{404, "Not Found", nil}
	errMethodNotFound = &apiError{404, "Not Found: method not found", nil}
	errChatNotFound   = errBadRequest("chat not found")
)

func errTooMany(retryAfter int) *apiError {
	return &apiError{429, "Too Many Requests: retry after " + strconv.Itoa(retryAfter), &ResponseParameters{RetryAfter: retryAfter}}
}

// call is one request being served.
type call struct {
	s      *Server
	env    *env
	bot    *bot
	meta   *botMeta
	p      *params
	r      *http.Request
	now    time.Time
	method string
}

type handler func(c *call) (any, *apiError)

// described is a result with the optional success description Telegram
// adds to a few answers ("Webhook was set").
type described struct {
	v    any
	desc string
}

// ServeHTTP implements [http.Handler]: the request goes through the
// emulator pipeline (fault rules, journal) with the tenant taken from the
// X-Mock-Tenant header or derived from the token ("bot<id>").
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.pipe.ServeHTTP(w, r) }

// Adapter returns the emulator's adapter for an [emu.Pipeline]: methods,
// credentials (the bot token) and the Bot API error envelope.
func (s *Server) Adapter() emu.Adapter { return adapter{s} }

// request is what the adapter decodes for the handler.
type request struct {
	notFound bool
	isFile   bool
	test     bool
	token    string
	rest     string
	p        params
	perr     error
	journal  map[string]string
	done     bool
}

// params returns the journal parameters once (params.journal takes over
// the decoded values).
func (q *request) params() map[string]string {
	if !q.done {
		q.done = true
		if q.isFile {
			q.journal = map[string]string{"file_path": q.rest}
		} else {
			q.journal = q.p.journal()
		}
	}
	return q.journal
}

type adapter struct{ s *Server }

// Party implements [emu.Adapter].
func (a adapter) Party() string { return Party }

// Methods implements [emu.Adapter]: every Bot API method the emulator
// serves, lower-case, and "file" for downloads.
func (a adapter) Methods() []string {
	out := make([]string, 0, len(a.s.methods)+1)
	for m := range a.s.methods {
		out = append(out, m)
	}
	out = append(out, "file")
	slices.Sort(out)
	return out
}

// Inspect implements [emu.Adapter].
func (a adapter) Inspect(r *http.Request, c *emu.Call) {
	q := &request{}
	c.Data = q
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/file/bot"):
		q.isFile, path = true, path[len("/file/bot"):]
	case strings.HasPrefix(path, "/bot"):
		path = path[len("/bot"):]
	default:
		q.notFound = true
		return
	}
	token, rest, _ := strings.Cut(path, "/")
	if r2, ok := strings.CutPrefix(rest, "test/"); ok {
		q.test, rest = true, r2
	}
	q.token, q.rest = token, rest
	c.Credential = token
	if q.isFile {
		c.Method = "file"
		return
	}
	q.p, q.perr = decodeParams(r, a.s.maxBody)
	method := strings.ToLower(rest)
	if method == "" {
		method = strings.ToLower(q.p.str("method"))
	}
	if method == "getchatmemberscount" {
		method = "getchatmembercount"
	}
	c.Method = method
}

// MaxBody implements [emu.BodyLimiter]: the [WithMaxBody] bound.
func (a adapter) MaxBody() int64 { return a.s.maxBody }

// Params implements [emu.Adapter].
func (a adapter) Params(c *emu.Call) map[string]string {
	if q, ok := c.Data.(*request); ok {
		return q.params()
	}
	return nil
}

// WriteError implements [emu.Adapter].
func (a adapter) WriteError(w http.ResponseWriter, r *http.Request, c *emu.Call, f emu.Failure) {
	var aerr *apiError
	switch f.Kind {
	case emu.Unauthorized:
		aerr = tokenError(c.Credential)
	case emu.RateLimited:
		aerr = errTooMany(f.RetryAfter)
	case emu.Internal:
		aerr = &apiError{500, "Internal Server Error", nil}
	default:
		aerr = faultError(f.Code, f.Description)
	}
	if c.Token == "" && c.Credential != "" {
		c.Token = a.s.fingerprint(c.Credential)
	}
	a.s.answer(w, c, aerr, nil)
}

// ServeCall implements [emu.Handler]: it serves a request whose tenant the
// pipeline has resolved.
func (s *Server) ServeCall(w http.ResponseWriter, r *http.Request, c *emu.Call) {
	s.refresh()
	q, _ := c.Data.(*request)
	if q == nil || q.notFound {
		s.answer(w, c, errNotFound, nil)
		return
	}
	e := s.env(q.test)
	b := e.lookupBot(q.token)
	if b != nil {
		c.Token = b.meta.Load().fp
	} else {
		c.Token = world.Fingerprint(q.token)
	}
	if q.isFile {
		s.serveFile(w, r, c, e, b, q.rest)
		return
	}
	var result any
	var aerr *apiError
	switch {
	case b == nil:
		aerr = tokenError(q.token)
	case q.perr == errTooLarge:
		aerr = &apiError{413, "Request Entity Too Large", nil}
	case q.perr != nil:
		aerr = &apiError{400, q.perr.Error(), nil}
	default:
		h, ok := s.methods[c.Method]
		if !ok || strings.Contains(c.Method, "/") {
			aerr = errMethodNotFound
			break
		}
		cl := &call{s: s, env: e, bot: b, meta: b.meta.Load(), p: &q.p, r: r, now: s.w.Clock.Now(), method: c.Method}
		result, aerr = h(cl)
	}
	s.answer(w, c, aerr, result)
}

// resolveLocal is the resolver of a stand-alone emulator: one world, the
// tenant from the header or the token.
func (s *Server) resolveLocal(r *http.Request, c *emu.Call) (emu.Target, bool) {
	tenant := r.Header.Get(TenantHeader)
	if tenant == "" {
		if q, ok := c.Data.(*request); ok {
			tenant = tenantOf(q.token, q.test)
		}
	}
	return emu.Target{Tenant: tenant, World: s.w, Handler: s}, true
}

// faultError is the answer of an error or error_after fault rule.
func faultError(code int, desc string) *apiError {
	if desc == "" {
		desc = http.StatusText(code)
	}
	return &apiError{code, desc, nil}
}

func tenantOf(token string, test bool) string {
	id, _, ok := strings.Cut(token, ":")
	if !ok || id == "" || len(id) > 15 {
		return ""
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return ""
		}
	}
	if test {
		return "bot" + id + "/test"
	}
	return "bot" + id
}

// answer writes the Bot API envelope of a result or an error and records
// the error in c for the journal.
func (s *Server) answer(w http.ResponseWriter, c *emu.Call, aerr *apiError, result any) {
	var body []byte
	status := http.StatusOK
	if aerr == nil {
		desc := ""
		if d, ok := result.(described); ok {
			result, desc = d.v, d.desc
		}
		raw, err := json.Marshal(result)
		if err != nil {
			aerr = &apiError{500, "Internal Server Error: can't encode the result", nil}
		} else {
			body = make([]byte, 0, len(raw)+24+len(desc))
			body = append(body, `{"ok":true,"result":`...)
			body = append(body, raw...)
			if desc != "" {
				dj, _ := json.Marshal(desc)
				body = append(body, `,"description":`...)
				body = append(body, dj...)
			}
			body = append(body, '}')
		}
	}
	if aerr != nil {
		status = aerr.code
		body = errorBody(aerr)
		c.Code, c.Description = aerr.code, aerr.desc
	}
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	if aerr != nil && aerr.params != nil && aerr.params.RetryAfter > 0 {
		h["Retry-After"] = []string{strconv.Itoa(aerr.params.RetryAfter)}
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func errorBody(e *apiError) []byte {
	b := make([]byte, 0, 96+len(e.desc))
	b = append(b, `{"ok":false,"error_code":`...)
	b = strconv.AppendInt(b, int64(e.code), 10)
	b = append(b, `,"description":`...)
	d, _ := json.Marshal(e.desc)
	b = append(b, d...)
	if e.params != nil {
		pb, _ := json.Marshal(e.params)
		b = append(b, `,"parameters":`...)
		b = append(b, pb...)
	}
	return append(b, '}')
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// fingerprint returns the journal fingerprint of a token, cached for known
// bots.
func (s *Server) fingerprint(token string) string {
	for _, test := range [2]bool{false, true} {
		if b := s.env(test).lookupBot(token); b != nil {
			return b.meta.Load().fp
		}
	}
	return world.Fingerprint(token)
}

// FaultParams implements [emu.FaultParamer]: the request's parameters for
// fault rules, before the handler runs (secret_token removed).
func (a adapter) FaultParams(c *emu.Call) map[string]string {
	q, ok := c.Data.(*request)
	if !ok || q.isFile {
		return nil
	}
	out := make(map[string]string, len(q.p.vals))
	for k, v := range q.p.vals {
		if k != "secret_token" {
			out[k] = v
		}
	}
	return out
}

// Decode implements [emu.Decoder]: the method as sent and the chat.
func (a adapter) Decode(c *emu.Call, params map[string]string) *world.Decoded {
	q, ok := c.Data.(*request)
	if !ok || q.notFound {
		return nil
	}
	t := &world.TelegramCall{Method: q.rest, ChatID: params["chat_id"], Test: q.test}
	if q.isFile {
		t.Method = "file"
	} else if t.Method == "" {
		t.Method = params["method"]
	}
	return &world.Decoded{Telegram: t}
}
