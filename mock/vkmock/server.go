package vkmock

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/gospubliki/gosdk/mock/delivery"
	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/govmark"
	"github.com/gospubliki/gosdk/mock/world"
)

// Party is the emulator's party name in the journal and fault rules.
const Party = "vk"

// APIVersion is the VK API version whose shapes the emulator answers.
const APIVersion = "5.199"

// DefaultMaxBody bounds request bodies (uploads included).
const DefaultMaxBody = 64 << 20

// GuidWindow is how long wall.post remembers a guid: a repeat within the
// window returns the first post's id (VK's documentation: one hour).
const GuidWindow = time.Hour

// Limits are the emulator's rate limits, on the world clock.
type Limits struct {
	// Disabled turns every limit off.
	Disabled bool `json:"disabled,omitempty"`
	// UserRPS, CommunityRPS and ServiceRPS are the requests per second a
	// token of each kind may send (VK: 3, 20, 3); more answer error 6.
	UserRPS      float64 `json:"user_rps,omitempty"`
	CommunityRPS float64 `json:"community_rps,omitempty"`
	ServiceRPS   float64 `json:"service_rps,omitempty"`
	// MethodQuotas caps the calls of a method per token per day of the
	// world clock (UTC); more answer error 29 "Rate limit reached". VK
	// does not publish its quotas; none by default.
	MethodQuotas map[string]int `json:"method_quotas,omitempty"`
	// DailyPosts caps wall.post per community per day of the world clock
	// (UTC); more answer error 214. The default, 50, is the cap VK
	// announced in 2014 (it exempted verified communities; the emulator
	// does not).
	DailyPosts int `json:"daily_posts,omitempty"`
}

// DefaultLimits returns VK's limits: 3 requests per second for user and
// service tokens, 20 for community tokens, 50 posts per community per day.
func DefaultLimits() Limits {
	return Limits{UserRPS: 3, CommunityRPS: 20, ServiceRPS: 3, DailyPosts: 50}
}

// Option configures a [Server].
type Option func(*Server)

// WithBaseURL sets the emulator's own base URL, used in the URLs it hands
// out (upload servers, the long-poll server, captcha pages, the management
// page).
func WithBaseURL(u string) Option { return func(s *Server) { s.base = strings.TrimRight(u, "/") } }

// WithTenant names the tenant the emulator serves, for the journal of its
// deliveries and its calls to the ESIA emulator.
func WithTenant(name string) Option { return func(s *Server) { s.tenant = name } }

// WithIssueHook is called with every credential the emulator hands out
// (upload keys, long-poll keys, captcha ids, ESIA login states), so a
// sandbox can map each to its tenant.
func WithIssueHook(f func(credential string) error) Option {
	return func(s *Server) { s.issue = f }
}

// WithLimits sets the rate limits (default [DefaultLimits]).
func WithLimits(l Limits) Option { return func(s *Server) { s.SetLimits(l) } }

// WithCallbackClient sets the HTTP client of Callback API deliveries.
func WithCallbackClient(c *http.Client) Option { return func(s *Server) { s.hookClient = c } }

// WithCallbackAnyHost lets Callback API deliveries go to any host (by
// default only loopback hosts).
func WithCallbackAnyHost() Option { return func(s *Server) { s.hookAnyHost = true } }

// WithMaxLongPoll bounds the real time a long-poll request waits (default
// 90 s, VK's maximum wait); the wait itself runs on the world clock.
func WithMaxLongPoll(d time.Duration) Option { return func(s *Server) { s.maxLP = d } }

// WithLongPollKeyLifetime sets how long, on the world clock, a long-poll
// key stays valid (default 3 hours); an older key answers failed 2.
func WithLongPollKeyLifetime(d time.Duration) Option { return func(s *Server) { s.keyLife = d } }

// WithGov configures the «Госорганизация» confirmation flow (see [Gov]).
func WithGov(g Gov) Option { return func(s *Server) { s.gov = g } }

// Server is the VK API emulator, an [http.Handler] serving /method/<name>
// and the URLs it hands out over a [world.World] and its VK section.
type Server struct {
	w    *world.World
	sec  *Section
	log  *slog.Logger
	base string

	tenant      string
	issue       func(string) error
	hookClient  *http.Client
	hookAnyHost bool
	maxLP       time.Duration
	keyLife     time.Duration
	gov         Gov

	limMu  sync.Mutex
	limits Limits

	mu  sync.Mutex
	st  *state
	lp  map[string]lpKey // long-poll keys, kept across resets (failed 3)
	gen uint64

	deliv   *delivery.Engine
	review  *govmark.Reviewer
	methods map[string]method
	pipe    *emu.Pipeline
}

// New returns an emulator over w and its VK section ([SectionOf]). Call
// [Server.Close] to stop deliveries and pending decisions.
func New(w *world.World, opts ...Option) *Server {
	s := &Server{w: w, sec: SectionOf(w), log: w.Logger(), maxLP: 90 * time.Second, keyLife: 3 * time.Hour,
		limits: DefaultLimits(), lp: map[string]lpKey{}}
	for _, o := range opts {
		o(s)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.base == "" {
		s.base = "http://vkmock.invalid"
	}
	if s.hookClient == nil {
		s.hookClient = &http.Client{Timeout: 10 * time.Second}
	}
	s.st = newState()
	s.gen = w.Generation()
	s.deliv = delivery.New(delivery.Config{Party: Party, Clock: w.Clock, Journal: w.Journal, Client: s.hookClient,
		AttemptHeader: "X-Retry-Counter", AnyHost: s.hookAnyHost, Logger: s.log, RetryMin: time.Second, RetryMax: time.Minute})
	s.review = govmark.NewReviewer(w, s.gov.Decision)
	s.methods = s.methodTable()
	s.pipe = emu.New(adapter{s}, emu.ResolverFunc(s.resolveLocal))
	w.OnReset(s.reset)
	return s
}

// World returns the world the emulator serves.
func (s *Server) World() *world.World { return s.w }

// Section returns the emulator's VK section.
func (s *Server) Section() *Section { return s.sec }

// URL returns the emulator's base URL.
func (s *Server) URL() string { return s.base }

// SetLimits replaces the rate limits; zero rates take VK's defaults.
func (s *Server) SetLimits(l Limits) {
	d := DefaultLimits()
	if l.UserRPS <= 0 {
		l.UserRPS = d.UserRPS
	}
	if l.CommunityRPS <= 0 {
		l.CommunityRPS = d.CommunityRPS
	}
	if l.ServiceRPS <= 0 {
		l.ServiceRPS = d.ServiceRPS
	}
	if l.DailyPosts <= 0 {
		l.DailyPosts = d.DailyPosts
	}
	s.limMu.Lock()
	s.limits = l
	s.limMu.Unlock()
	s.mu.Lock()
	if s.st != nil {
		s.st.limiters = map[string]*rate.Limiter{}
	}
	s.mu.Unlock()
}

// Limits returns the rate limits.
func (s *Server) Limits() Limits {
	s.limMu.Lock()
	defer s.limMu.Unlock()
	return s.limits
}

// Close stops Callback API deliveries and pending «Госорганизация»
// decisions.
func (s *Server) Close() error {
	s.mu.Lock()
	s.st.stop()
	s.mu.Unlock()
	s.review.Stop()
	s.deliv.Close()
	return nil
}

// reset drops the runtime state when the world is reset.
func (s *Server) reset() {
	s.review.Stop()
	s.mu.Lock()
	s.st.stop()
	s.st = newState()
	s.gen = s.w.Generation()
	s.mu.Unlock()
}

// ServeHTTP implements [http.Handler].
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.pipe.ServeHTTP(w, r) }

// Adapter returns the emulator's adapter for an [emu.Pipeline].
func (s *Server) Adapter() emu.Adapter { return adapter{s} }

func (s *Server) resolveLocal(r *http.Request, c *emu.Call) (emu.Target, bool) {
	return emu.Target{Tenant: s.tenant, World: s.w, Handler: s}, true
}

// newSecret returns a random hexadecimal string of n bytes.
func newSecret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// issueCred hands out a credential, telling the sandbox its tenant.
func (s *Server) issueCred(cred string) {
	if s.issue != nil {
		if err := s.issue(cred); err != nil {
			s.log.Warn("vkmock: credential not indexed", "err", err)
		}
	}
}

// ---- requests ----

// request is what the adapter decodes for the handler.
type request struct {
	kind   string // "method", "upload", "lp", "gov", "captcha", "notfound"
	name   string // method name as sent
	rest   string // the path after the kind's prefix
	token  string
	p      params
	perr   error
	journ  map[string]string
	jdone  bool
	header bool // the token came in the Authorization header
}

// params are a call's parameters: query and body merged, body last.
type params struct {
	v     url.Values
	files map[string][]*multipart.FileHeader
}

func (p params) str(name string) string { return p.v.Get(name) }

func (p params) has(name string) bool { _, ok := p.v[name]; return ok }

var errTooLarge = errors.New("request body too large")

// decodeParams reads the query and the body (urlencoded, multipart, or
// urlencoded when no Content-Type is sent, as VK's own Node client does).
func decodeParams(r *http.Request) (params, error) {
	p := params{v: url.Values{}}
	for k, vs := range r.URL.Query() {
		p.v[k] = append(p.v[k], vs...)
	}
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		return p, nil
	}
	ct := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	switch {
	case mt == "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			return p, err
		}
		form, err := mr.ReadForm(32 << 20)
		if err != nil {
			if strings.Contains(err.Error(), "too large") {
				return p, errTooLarge
			}
			return p, err
		}
		for k, vs := range form.Value {
			p.v[k] = vs
		}
		p.files = form.File
	case mt == "" || mt == "application/x-www-form-urlencoded" || mt == "text/plain":
		body, err := readAll(r)
		if err != nil {
			return p, err
		}
		q, err := url.ParseQuery(string(body))
		if err != nil {
			return p, err
		}
		for k, vs := range q {
			p.v[k] = vs
		}
	}
	return p, nil
}

func readAll(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, errTooLarge
	}
	return b, err
}

type adapter struct{ s *Server }

// Party implements [emu.Adapter].
func (a adapter) Party() string { return Party }

// Methods implements [emu.Adapter]: every API method, lower-case, and the
// emulator's own endpoints ("upload", "longpoll", "gov").
func (a adapter) Methods() []string {
	out := make([]string, 0, len(a.s.methods)+3)
	for m := range a.s.methods {
		out = append(out, m)
	}
	out = append(out, "upload", "longpoll", "gov")
	slices.Sort(out)
	return out
}

// MaxBody implements [emu.BodyLimiter].
func (a adapter) MaxBody() int64 { return DefaultMaxBody }

// Inspect implements [emu.Adapter].
func (a adapter) Inspect(r *http.Request, c *emu.Call) {
	q := &request{}
	c.Data = q
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/method/"):
		q.kind, q.name = "method", path[len("/method/"):]
		c.Method = strings.ToLower(q.name)
	case strings.HasPrefix(path, "/upload/"):
		q.kind, q.rest = "upload", path[len("/upload/"):]
		c.Method = "upload"
		if _, key, ok := strings.Cut(q.rest, "/"); ok {
			c.Credential = key
		}
	case strings.HasPrefix(path, "/lp/"):
		q.kind, q.rest = "lp", path[len("/lp/"):]
		c.Method = "longpoll"
		c.Credential = r.URL.Query().Get("key")
	case strings.HasPrefix(path, "/gov/"):
		q.kind, q.rest = "gov", path[len("/gov/"):]
		c.Method = "gov"
	case strings.HasPrefix(path, "/captcha/"):
		q.kind, q.rest = "captcha", path[len("/captcha/"):]
		c.Method = "captcha"
		c.Credential = strings.TrimSuffix(q.rest, ".html")
		return
	default:
		q.kind = "notfound"
		c.Method = "notfound"
		return
	}
	q.p, q.perr = decodeParams(r)
	if q.kind == "method" || q.kind == "gov" {
		if h := r.Header.Get("Authorization"); h != "" {
			if t, ok := strings.CutPrefix(h, "Bearer "); ok {
				q.token, q.header = strings.TrimSpace(t), true
			}
		}
		if q.token == "" {
			q.token = q.p.str("access_token")
		}
		c.Credential = q.token
		if q.kind == "gov" && q.token == "" {
			c.Credential = q.p.str("state")
		}
	}
}

// secretParam reports whether a request parameter is a secret the journal
// never shows.
func secretParam(k string) bool {
	switch k {
	case "access_token", "code", "state", "key", "captcha_key", "success_token", "secret_key":
		return true
	}
	return false
}

// Params implements [emu.Adapter]: the parameters without the token.
func (a adapter) Params(c *emu.Call) map[string]string {
	q, ok := c.Data.(*request)
	if !ok {
		return nil
	}
	if !q.jdone {
		q.jdone = true
		q.journ = map[string]string{}
		for k, vs := range q.p.v {
			if secretParam(k) {
				continue
			}
			v := strings.Join(vs, ",")
			if len(v) > 256 {
				v = v[:256] + "…"
			}
			q.journ[k] = v
		}
		for k := range q.p.files {
			q.journ[k] = "(file)"
		}
	}
	return q.journ
}

// WriteError implements [emu.Adapter].
func (a adapter) WriteError(w http.ResponseWriter, r *http.Request, c *emu.Call, f emu.Failure) {
	q, _ := c.Data.(*request)
	var e *apiError
	switch f.Kind {
	case emu.Unauthorized:
		e = errAuth("invalid access_token (4).")
	case emu.RateLimited:
		e = errCode(6)
	case emu.Internal:
		e = errCode(10)
	default:
		e = a.s.injected(f.Code, f.Description)
	}
	if c.Credential != "" {
		c.Token = world.Fingerprint(c.Credential)
	}
	if q == nil {
		q = &request{p: params{v: url.Values{}}}
	}
	a.s.answer(w, c, q, e, nil)
}

// injected renders a fault rule's error: code 14 becomes a captcha
// challenge.
func (s *Server) injected(code int, desc string) *apiError {
	if code == 0 {
		code = 10
	}
	if code == 14 {
		return s.newCaptcha()
	}
	e := errCode(code)
	if desc != "" {
		e.Msg = desc
	}
	return e
}

// ServeCall implements [emu.Handler].
func (s *Server) ServeCall(w http.ResponseWriter, r *http.Request, c *emu.Call) {
	s.sync()
	q, _ := c.Data.(*request)
	if q == nil {
		q = &request{kind: "notfound"}
	}
	if c.Credential != "" {
		c.Token = world.Fingerprint(c.Credential)
	}
	switch q.kind {
	case "method":
		res, e := s.serveMethod(r, c, q)
		s.answer(w, c, q, e, res)
	case "upload":
		s.serveUpload(w, r, c, q)
	case "lp":
		s.serveLongPoll(w, r, c, q)
	case "gov":
		s.serveGov(w, r, c, q)
	case "captcha":
		s.serveCaptcha(w, r, c, q)
	default:
		c.Code, c.Description = 404, "Not Found"
		http.NotFound(w, r)
	}
}

// sync drops the runtime state of a world that was reset without the hook
// (a world replaced by Import).
func (s *Server) sync() {
	if g := s.w.Generation(); g != s.gen {
		s.reset()
	}
}

// answer writes VK's envelope: {"response": …} or {"error": …}, always
// HTTP 200 with Content-Type application/json.
func (s *Server) answer(w http.ResponseWriter, c *emu.Call, q *request, e *apiError, res any) {
	var body []byte
	if e == nil {
		var err error
		if er, ok := res.(executeResult); ok {
			body, err = json.Marshal(struct {
				Response any            `json:"response"`
				Errors   []executeError `json:"execute_errors,omitempty"`
			}{er.Response, er.Errors})
		} else {
			body, err = json.Marshal(struct {
				Response any `json:"response"`
			}{res})
		}
		if err != nil {
			e = errCode(10)
		}
	}
	if e != nil {
		c.Code, c.Description = e.Code, e.Msg
		e.RequestParams = requestParams(q)
		body, _ = json.Marshal(struct {
			Error *apiError `json:"error"`
		}{e})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// param is one entry of request_params.
type param struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// requestParams echoes the request's parameters as VK does: "method",
// "oauth" when a token was sent, then the parameters, without the token.
func requestParams(q *request) []param {
	out := []param{{Key: "method", Value: q.name}}
	if q.token != "" {
		out = append(out, param{Key: "oauth", Value: "1"})
	}
	keys := make([]string, 0, len(q.p.v))
	for k := range q.p.v {
		if k == "access_token" || k == "method" || k == "oauth" {
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := q.p.v.Get(k)
		if k == "code" && len(v) > 200 {
			v = v[:200]
		}
		out = append(out, param{Key: k, Value: v})
	}
	return out
}

// Decode implements [emu.Decoder]: the method as sent and its parameters
// without the token.
func (a adapter) Decode(c *emu.Call, params map[string]string) *world.Decoded {
	q, ok := c.Data.(*request)
	if !ok {
		return nil
	}
	v := &world.VKCall{Method: c.Method, Params: params, TokenInHeader: q.header}
	if q.kind == "method" {
		v.Method = q.name
	}
	return &world.Decoded{VK: v}
}
