package esiamock

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// Party is the journal and fault-rule party name of the emulator.
const Party = "esia"

// RefreshVariant selects which signed string the emulator accepts for a
// refresh_token grant on /aas/oauth2/v3/te, where public clients disagree.
// A system accepts exactly one variant, so a client signing the other one
// is caught (ESIA-007053) rather than passing in the sandbox and failing
// against ESIA.
type RefreshVariant int

// Refresh signed-string variants. The zero value means "not set": a
// [System] without its own variant uses the server's ([WithRefreshVariant]),
// and a server without one uses [RefreshRedirectURI], the string the esia
// client signs by default.
const (
	// RefreshRedirectURI accepts only client_id + scope + scope_org +
	// timestamp + state + redirect_uri (esia.RefreshSignAuthorize, the
	// esia client's default; ilimurzin/esia 4.x).
	RefreshRedirectURI RefreshVariant = iota + 1
	// RefreshToken accepts only client_id + scope + timestamp + state +
	// refresh_token (esia.RefreshSignToken; AISGorod).
	RefreshToken
	// RefreshAny accepts either string. It catches nothing; use it only
	// for a client whose variant is not known yet.
	RefreshAny
)

// refreshVariantNames are the text forms of the variants (JSON, control
// API).
var refreshVariantNames = map[RefreshVariant]string{
	RefreshRedirectURI: "redirect_uri", RefreshToken: "refresh_token", RefreshAny: "any",
}

// String returns the text form: "redirect_uri", "refresh_token", "any" or
// "" when not set.
func (v RefreshVariant) String() string { return refreshVariantNames[v] }

// MarshalText implements encoding.TextMarshaler.
func (v RefreshVariant) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; it accepts the forms
// of [RefreshVariant.String].
func (v *RefreshVariant) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*v = 0
		return nil
	}
	for k, name := range refreshVariantNames {
		if string(b) == name {
			*v = k
			return nil
		}
	}
	return fmt.Errorf("esiamock: refresh variant %q: want redirect_uri, refresh_token or any", b)
}

// Default lifetimes and windows.
const (
	// DefaultTokenLifetime is the lifetime of access and id tokens.
	DefaultTokenLifetime = time.Hour
	// DefaultCodeLifetime is how long an authorization code may be
	// exchanged.
	DefaultCodeLifetime = 5 * time.Minute
	// DefaultRefreshLifetime is how long a refresh token stays valid.
	DefaultRefreshLifetime = 14 * 24 * time.Hour
	// DefaultTimestampWindow is how far a request timestamp may be from the
	// world clock, in either direction, before ESIA-007015.
	DefaultTimestampWindow = 5 * time.Minute
	// loginLifetime is how long a pending browser login may take.
	loginLifetime = 30 * time.Minute
	// sessionLifetime is how long the ESIA single sign-on session lasts.
	sessionLifetime = 8 * time.Hour
)

// Option configures a [Server].
type Option func(*Server)

// WithKeys sets the emulator's signing keys (default [DefaultKeys]).
func WithKeys(k *Keys) Option { return func(s *Server) { s.keys = k } }

// WithBaseURL sets the public base URL of the emulator ("http://127.0.0.1:8080").
// It is used for the JWT iss ("http://<host>/") and the absolute URLs of
// REST collections. By default both follow the request's Host.
func WithBaseURL(u string) Option {
	return func(s *Server) { s.baseURL = strings.TrimRight(u, "/") }
}

// WithTimestampWindow sets how far a request timestamp may be from the world
// clock (default [DefaultTimestampWindow]).
func WithTimestampWindow(d time.Duration) Option { return func(s *Server) { s.window = d } }

// WithTokenLifetime sets the lifetime of access and id tokens (default one
// hour, as ESIA).
func WithTokenLifetime(d time.Duration) Option { return func(s *Server) { s.tokenTTL = d } }

// WithCodeLifetime sets how long an authorization code may be exchanged.
func WithCodeLifetime(d time.Duration) Option { return func(s *Server) { s.codeTTL = d } }

// WithRefreshLifetime sets how long a refresh token stays valid.
func WithRefreshLifetime(d time.Duration) Option { return func(s *Server) { s.refreshTTL = d } }

// WithExpiresInString makes token responses carry expires_in as a numeric
// string ("3600") instead of a number; both occur in the wild.
func WithExpiresInString() Option { return func(s *Server) { s.expiresString = true } }

// WithRSAClients is a test mode that accepts systems registered with RSA
// certificates (client_secret signed with RSA PKCS #1 v1.5 / SHA-256, raw
// or CMS). Real ESIA accepts only GOST certificates.
func WithRSAClients() Option { return func(s *Server) { s.allowRSA = true } }

// WithIssueHook sets a function called with every credential the emulator
// hands out: a system's client_id when it is registered, a pending login's
// id and an access token when they are issued. A sandbox uses it to map
// the credentials to their tenant. An error refuses a system's
// registration (its client_id belongs to someone else); it is ignored for
// the random credentials. The hook must not call back into the server.
func WithIssueHook(f func(credential string) error) Option {
	return func(s *Server) { s.issueHook = f }
}

// WithRefreshVariant sets the refresh signed string accepted on v3/te by
// systems that do not set their own ([System.RefreshVariant]); the default
// is [RefreshRedirectURI].
func WithRefreshVariant(v RefreshVariant) Option { return func(s *Server) { s.refreshVariant = v } }

// Server is the ESIA emulator: an [http.Handler] serving ESIA's URL space
// over a [world.World]. Create it with [New]; it is safe for concurrent use.
type Server struct {
	world          *world.World
	keys           *Keys
	baseURL        string
	window         time.Duration
	tokenTTL       time.Duration
	codeTTL        time.Duration
	refreshTTL     time.Duration
	expiresString  bool
	allowRSA       bool
	refreshVariant RefreshVariant

	mu       sync.Mutex
	systems  map[string]*system
	pending  map[string]*authRequest
	codes    map[string]*authCode
	refresh  map[string]*refreshGrant
	access   map[string]*accessGrant
	sessions map[string]*session
	states   map[string]time.Time // client|kind|state → forget after
	queue    []Login
	lastGC   time.Time

	pipe      *emu.Pipeline
	issueHook func(credential string) error
}

// New returns an emulator over w. It registers no system; add them with
// [Server.RegisterSystem].
func New(w *world.World, opts ...Option) (*Server, error) {
	if w == nil {
		return nil, fmt.Errorf("esiamock: nil world")
	}
	s := &Server{
		world:    w,
		window:   DefaultTimestampWindow,
		tokenTTL: DefaultTokenLifetime,
		codeTTL:  DefaultCodeLifetime, refreshTTL: DefaultRefreshLifetime,
		systems: map[string]*system{},
	}
	for _, o := range opts {
		o(s)
	}
	if s.keys == nil {
		k, err := DefaultKeys()
		if err != nil {
			return nil, err
		}
		s.keys = k
	}
	s.pipe = emu.New(adapter{s}, emu.ResolverFunc(s.resolveLocal))
	s.dropRuntime()
	w.OnReset(s.dropRuntime)
	return s, nil
}

// dropRuntime forgets codes, tokens, sessions, pending logins and the
// headless queue (on creation and on world reset). Systems stay.
func (s *Server) dropRuntime() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = map[string]*authRequest{}
	s.codes = map[string]*authCode{}
	s.refresh = map[string]*refreshGrant{}
	s.access = map[string]*accessGrant{}
	s.sessions = map[string]*session{}
	s.states = map[string]time.Time{}
	s.queue = nil
}

// issued reports a credential to the issue hook.
func (s *Server) issued(cred string) {
	if s.issueHook != nil {
		_ = s.issueHook(cred)
	}
}

// Keys returns the emulator's signing keys.
func (s *Server) Keys() *Keys { return s.keys }

// World returns the world the emulator serves.
func (s *Server) World() *world.World { return s.world }

// RegisterSystem registers (or replaces) an information system.
func (s *Server) RegisterSystem(sys System) error {
	p, err := parseSystem(sys, s.allowRSA)
	if err != nil {
		return err
	}
	if s.issueHook != nil {
		if err := s.issueHook(sys.ClientID); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.systems[sys.ClientID] = p
	s.mu.Unlock()
	return nil
}

// RemoveSystem unregisters a system.
func (s *Server) RemoveSystem(clientID string) {
	s.mu.Lock()
	delete(s.systems, clientID)
	s.mu.Unlock()
}

// Systems returns the registered systems.
func (s *Server) Systems() []System {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]System, 0, len(s.systems))
	for _, p := range s.systems {
		out = append(out, p.System)
	}
	return out
}

func (s *Server) system(clientID string) *system {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.systems[clientID]
}

// Login is a headless login: who logs in at the next /ac request and, for
// organisation scopes, as an employee of which organisation.
type Login struct {
	// PersonOID is the person who logs in.
	PersonOID int64 `json:"person_oid"`
	// OrgOID is the organisation chosen in the picker (0: private person,
	// or the first active organisation when one is required).
	OrgOID int64 `json:"org_oid,omitempty"`
	// ClientID, when set, restricts the login to that system's requests.
	ClientID string `json:"client_id,omitempty"`
}

// EnqueueLogin queues a headless login: the next matching /ac request (in
// FIFO order) skips the pages and redirects straight to the callback with a
// code, or with the error the pages would have led to.
func (s *Server) EnqueueLogin(l Login) {
	s.mu.Lock()
	s.queue = append(s.queue, l)
	s.mu.Unlock()
}

// PendingLogins returns how many headless logins are queued.
func (s *Server) PendingLogins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

func (s *Server) popLogin(clientID string) (Login, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, l := range s.queue {
		if l.ClientID == "" || l.ClientID == clientID {
			s.queue = append(s.queue[:i:i], s.queue[i+1:]...)
			return l, true
		}
	}
	return Login{}, false
}

func (s *Server) now() time.Time { return s.world.Clock.Now() }

// base returns the public base URL for r.
func (s *Server) base(r *http.Request) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// issuer returns the JWT iss: "http://<host>/" (http even behind TLS, with
// the trailing slash, like ESIA).
func (s *Server) issuer(r *http.Request) string {
	b := s.base(r)
	if i := strings.Index(b, "://"); i >= 0 {
		b = b[i+3:]
	}
	if i := strings.IndexByte(b, '/'); i >= 0 {
		b = b[:i]
	}
	return "http://" + b + "/"
}

func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newUUID returns a random UUID v4.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// gcLocked drops expired runtime records, at most once a minute.
func (s *Server) gcLocked(now time.Time) {
	if now.Sub(s.lastGC) < time.Minute && now.After(s.lastGC) {
		return
	}
	s.lastGC = now
	for k, v := range s.states {
		if now.After(v) {
			delete(s.states, k)
		}
	}
	for k, v := range s.pending {
		if now.Sub(v.created) > loginLifetime {
			delete(s.pending, k)
		}
	}
	for k, v := range s.codes {
		if now.After(v.expires.Add(time.Hour)) {
			delete(s.codes, k)
		}
	}
	for k, v := range s.access {
		if now.After(v.expires.Add(time.Hour)) {
			delete(s.access, k)
		}
	}
	for k, v := range s.refresh {
		if now.After(v.expires) {
			delete(s.refresh, k)
		}
	}
	for k, v := range s.sessions {
		if now.After(v.expires) {
			delete(s.sessions, k)
		}
	}
}

// call collects what the journal records about one request.
type call struct {
	method string
	formOK bool
	params map[string]string
	code   int
	desc   string
	token  string
	sigOK  *bool
	tenant string
}

func (c *call) fail(e *oauthError) {
	c.code, c.desc = e.Code, e.Description
}

func (c *call) signature(ok bool) { c.sigOK = &ok }
