package okmock

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/govmark"
	"github.com/gospubliki/gosdk/mock/world"
)

// PartyName is the party's name in the journal and fault rules.
const PartyName = "ok"

// DefaultMaxBody bounds request bodies (uploads included).
const DefaultMaxBody = 64 << 20

// Server is the OK emulator of one world. It serves the API at
// /fb.do?method=<name> and /api/<group>/<method> (GET and POST), the OAuth
// token endpoint /oauth/token.do, the upload URLs it hands out, and the
// group settings pages of the «Госорганизация» flow
// (/group/<id>/settings, /gosuslugi/callback).
type Server struct {
	w       *world.World
	sec     *Section
	baseURL string
	tenant  string
	log     *slog.Logger
	issue   func(cred string) error
	gov     *govmark.Verifier
	delay   time.Duration
	review  *govmark.Reviewer
	adapter *adapter
	pipe    *emu.Pipeline

	issuedV atomic.Uint64 // changes when upload ids or ESIA states change

	mu      sync.Mutex
	gen     uint64
	topics  map[string]*topic
	order   []string
	uploads map[string]*upload // upload id → pending upload
	photos  map[string]string  // upload token → photo id
	photoID map[string]bool    // uploaded photo ids
	videos  map[int64]bool     // uploaded video ids
	states  map[string]govState
	timers  map[string]*world.Timer // scheduled topic id → its publication
	// comments are the comments of group topics, by topic id.
	comments map[string][]Comment
	seq      int64
}

// Option configures a [Server].
type Option func(*Server)

// WithBaseURL sets the URL the emulator is reached at (upload URLs and
// the ESIA callback point there).
func WithBaseURL(u string) Option { return func(s *Server) { s.baseURL = strings.TrimRight(u, "/") } }

// WithTenant names the tenant the emulator serves (carried on its calls
// to the ESIA emulator).
func WithTenant(name string) Option { return func(s *Server) { s.tenant = name } }

// WithIssueHook is called with every credential the emulator issues
// (tokens from /oauth/token.do, upload ids, ESIA states), so a sandbox can
// map it to its tenant; an error refuses the issue.
func WithIssueHook(f func(cred string) error) Option { return func(s *Server) { s.issue = f } }

// WithGosuslugi enables the «Подтвердить через Госуслуги» flow through v.
func WithGosuslugi(v *govmark.Verifier) Option { return func(s *Server) { s.gov = v } }

// WithReviewDelay sets when a «Госорганизация» request is decided on the
// world clock (default [govmark.DefaultReviewDelay]).
func WithReviewDelay(d time.Duration) Option { return func(s *Server) { s.delay = d } }

// New returns the OK emulator of w, registering the OK section on w when
// it has none.
func New(w *world.World, opts ...Option) *Server {
	s := &Server{w: w, sec: SectionOf(w), log: w.Logger(), baseURL: "http://ok.sandbox.invalid"}
	for _, o := range opts {
		o(s)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.review = govmark.NewReviewer(w, s.delay)
	s.resetState()
	w.OnReset(s.resetState)
	s.adapter = &adapter{}
	s.pipe = emu.New(s.adapter, emu.ResolverFunc(func(r *http.Request, c *emu.Call) (emu.Target, bool) {
		return emu.Target{Tenant: s.tenant, World: s.w, Handler: s}, true
	}))
	return s
}

func (s *Server) resetState() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.timers {
		t.Stop()
	}
	s.review.Stop()
	s.gen++
	s.topics, s.order, s.comments = map[string]*topic{}, nil, map[string][]Comment{}
	s.uploads, s.photos, s.photoID, s.videos = map[string]*upload{}, map[string]string{}, map[string]bool{}, map[int64]bool{}
	s.states, s.timers = map[string]govState{}, map[string]*world.Timer{}
	s.issuedV.Add(1)
}

// Section returns the emulator's OK section.
func (s *Server) Section() *Section { return s.sec }

// World returns the emulator's world.
func (s *Server) World() *world.World { return s.w }

// Adapter returns the emulator's pipeline adapter.
func (s *Server) Adapter() emu.Adapter { return s.adapter }

// ServeHTTP serves the emulator on its own (one tenant), through the
// pipeline (journal, faults).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.pipe.ServeHTTP(w, r) }

func (s *Server) newID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) issued(cred string) error {
	s.issuedV.Add(1)
	if s.issue == nil {
		return nil
	}
	return s.issue(cred)
}

// Credentials lists every credential of the emulator: the section's
// (application key, access and refresh tokens) and those it issued and
// still honours (upload URLs, ESIA states), for a sandbox's credential
// index.
func (s *Server) Credentials() []string {
	out := s.sec.Credentials()
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, up := range s.uploads {
		if !up.used {
			out = append(out, id)
		}
	}
	for st := range s.states {
		out = append(out, st)
	}
	return out
}

// CredentialsVersion changes whenever [Server.Credentials] may have
// changed.
func (s *Server) CredentialsVersion() uint64 { return s.sec.Version() + s.issuedV.Load() }

// request is what the adapter decoded.
type request struct {
	kind   string // "api", "oauth", "upload", "settings", "callback", "unknown"
	method string // API method as sent ("group.getInfo")
	params url.Values
	group  string // settings: group id; upload: "photo" or "video"
	id     string // upload id
	err    *apiError
	// sigChecked and sigValid record the signature check of an API call.
	sigChecked, sigValid bool
}

// adapter reads OK requests for the pipeline.
type adapter struct{}

func (a *adapter) Party() string     { return PartyName }
func (a *adapter) MaxBody() int64    { return DefaultMaxBody }
func (a *adapter) Methods() []string { return canonicalMethods() }

func (a *adapter) Inspect(r *http.Request, c *emu.Call) {
	req := parseRequest(r)
	c.Data = req
	switch req.kind {
	case "api":
		c.Method = strings.ToLower(req.method)
		c.Credential = req.params.Get("application_key")
	case "oauth":
		c.Method = "oauth.token"
		c.Credential = req.params.Get("refresh_token")
		if c.Credential == "" {
			c.Credential = req.params.Get("code")
		}
	case "upload":
		c.Method = "upload." + req.group
		c.Credential = req.id
	case "settings":
		c.Method = "web.settings"
		c.Credential = req.params.Get("access_token")
	case "callback":
		c.Method = "web.gosuslugi"
		c.Credential = req.params.Get("state")
	default:
		c.Method = "unknown"
	}
	if c.Credential != "" {
		c.Token = world.Fingerprint(c.Credential)
	}
}

// secretParams are never journalled.
var secretParams = map[string]bool{"access_token": true, "session_key": true, "sig": true, "refresh_token": true,
	"client_secret": true, "code": true, "session_secret_key": true, "application_secret_key": true, "state": true}

func (a *adapter) Params(c *emu.Call) map[string]string {
	req, ok := c.Data.(*request)
	if !ok || req == nil {
		return nil
	}
	out := map[string]string{}
	for k, v := range req.params {
		if secretParams[k] || len(v) == 0 {
			continue
		}
		out[k] = v[0]
	}
	return out
}

func (a *adapter) WriteError(w http.ResponseWriter, r *http.Request, c *emu.Call, f emu.Failure) {
	var e *apiError
	switch f.Kind {
	case emu.Unauthorized:
		e = errf(CodeParamAPIKey, "application_key belongs to another tenant")
	case emu.Injected:
		code := f.Code
		if code == 0 {
			code = CodeUnknown
		}
		e = errf(code, f.Description)
	case emu.RateLimited:
		e = errf(CodeFloodBlocked, "")
	default:
		e = errf(CodeSystem, "")
	}
	c.Code, c.Description = e.Code, e.Msg
	writeError(w, e)
}

// parseRequest reads the path, the query and a form body (urlencoded, or
// no Content-Type; multipart outside uploads) of an OK request.
func parseRequest(r *http.Request) *request {
	req := &request{kind: "unknown", params: url.Values{}}
	path := r.URL.Path
	for k, v := range r.URL.Query() {
		req.params[k] = v
	}
	switch {
	case path == "/fb.do" || path == "/api/fb.do":
		req.kind = "api"
	case strings.HasPrefix(path, "/api/"):
		parts := strings.Split(strings.TrimPrefix(path, "/api/"), "/")
		if len(parts) == 2 && parts[0] != "" && parts[1] != "" {
			req.kind, req.method = "api", parts[0]+"."+parts[1]
		}
	case path == "/oauth/token.do":
		req.kind = "oauth"
	case strings.HasPrefix(path, "/upload/"):
		parts := strings.Split(strings.TrimPrefix(path, "/upload/"), "/")
		if len(parts) == 2 && (parts[0] == "photo" || parts[0] == "video") && parts[1] != "" {
			req.kind, req.group, req.id = "upload", parts[0], parts[1]
		}
		return req // the body is the file
	case strings.HasPrefix(path, "/group/") && strings.HasSuffix(path, "/settings"):
		req.kind = "settings"
		req.group = strings.TrimSuffix(strings.TrimPrefix(path, "/group/"), "/settings")
	case path == "/gosuslugi/callback":
		req.kind = "callback"
	}
	if r.Method == http.MethodPost && r.Body != nil {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		switch ct {
		case "", "application/x-www-form-urlencoded":
			body, err := io.ReadAll(r.Body)
			if err != nil {
				req.err = errf(CodeRequest, "request body too large or unreadable")
				break
			}
			vals, err := url.ParseQuery(string(body))
			if err != nil {
				req.err = errf(CodeRequest, "malformed form body")
				break
			}
			for k, v := range vals {
				req.params[k] = append(v, req.params[k]...)
			}
		case "multipart/form-data":
			if err := r.ParseMultipartForm(1 << 20); err != nil {
				req.err = errf(CodeRequest, "malformed multipart body")
				break
			}
			for k, v := range r.MultipartForm.Value {
				req.params[k] = append(v, req.params[k]...)
			}
		}
	}
	if req.kind == "api" && req.method == "" {
		req.method = req.params.Get("method")
	}
	return req
}

// ServeCall implements [emu.Handler].
func (s *Server) ServeCall(w http.ResponseWriter, r *http.Request, c *emu.Call) {
	req, _ := c.Data.(*request)
	if req == nil {
		req = parseRequest(r)
	}
	if req.err != nil {
		writeError(w, req.err)
		c.Code, c.Description = req.err.Code, req.err.Msg
		return
	}
	switch req.kind {
	case "api":
		s.serveAPI(w, r, c, req)
	case "oauth":
		s.serveOAuth(w, r, c, req)
	case "upload":
		s.serveUpload(w, r, c, req)
	case "settings":
		s.serveSettings(w, r, c, req)
	case "callback":
		s.serveCallback(w, r, c, req)
	default:
		e := errf(CodeMethod, "unknown path")
		c.Code, c.Description = e.Code, e.Msg
		writeError(w, e)
	}
}

// Decode implements [emu.Decoder]: the method as sent, whether its
// signature was checked and valid, and the parameters without secrets.
func (a *adapter) Decode(c *emu.Call, params map[string]string) *world.Decoded {
	req, ok := c.Data.(*request)
	if !ok || req == nil {
		return nil
	}
	o := &world.OKCall{Method: c.Method, Params: params, SignatureChecked: req.sigChecked, SignatureValid: req.sigValid}
	if req.kind == "api" && req.method != "" {
		o.Method = req.method
	}
	return &world.Decoded{OK: o}
}
