package mock

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// Option configures a [Sandbox].
type Option func(*config) error

type config struct {
	addr       string
	worldOpts  []world.Option
	tgOpts     []tgmock.Option
	esiaOpts   []esiamock.Option
	logger     *slog.Logger
	scenarioFn string
	only       map[string]bool
}

// WithAddr sets the host the listeners bind (default "127.0.0.1"; ports
// are chosen free). Binding a non-loopback address exposes the control API;
// do it only on a trusted network.
func WithAddr(host string) Option { return func(c *config) error { c.addr = host; return nil } }

// WithParties starts only the named parties (default: all registered
// parties, see [PartyNames]); fields of parties not started stay nil or
// empty. Starting fewer parties makes a sandbox cheaper.
func WithParties(names ...string) Option {
	return func(c *config) error {
		known := map[string]bool{}
		for _, p := range parties {
			known[p.name] = true
		}
		c.only = map[string]bool{}
		for _, n := range names {
			if !known[n] {
				return fmt.Errorf("mock: unknown party %q", n)
			}
			c.only[n] = true
		}
		return nil
	}
}

// WithScenario seeds the world with sc instead of the default scenario.
// Start from [DefaultScenario] (not world.DefaultScenario) to keep the
// parties' sections, such as the Telegram bots.
func WithScenario(sc world.Scenario) Option {
	return func(c *config) error { c.worldOpts = append(c.worldOpts, world.WithScenario(sc)); return nil }
}

// WithScenarioFile seeds the world from a scenario JSON file.
func WithScenarioFile(path string) Option {
	return func(c *config) error { c.scenarioFn = path; return nil }
}

// WithEmptyWorld starts with no entities instead of the default scenario.
func WithEmptyWorld() Option {
	return func(c *config) error { c.worldOpts = append(c.worldOpts, world.WithEmptyScenario()); return nil }
}

// WithFrozenClock freezes the world clock at t.
func WithFrozenClock(t time.Time) Option {
	return func(c *config) error { c.worldOpts = append(c.worldOpts, world.WithFrozenClock(t)); return nil }
}

// WithWorldOptions passes options to [world.New].
func WithWorldOptions(opts ...world.Option) Option {
	return func(c *config) error { c.worldOpts = append(c.worldOpts, opts...); return nil }
}

// WithTelegramOptions passes options to [tgmock.New].
func WithTelegramOptions(opts ...tgmock.Option) Option {
	return func(c *config) error { c.tgOpts = append(c.tgOpts, opts...); return nil }
}

// WithLogger sets the logger of the sandbox and its emulators (silent by
// default). Tokens and secrets are never logged.
func WithLogger(l *slog.Logger) Option { return func(c *config) error { c.logger = l; return nil } }

// Sandbox is a running set of emulators sharing one [world.World], each on
// its own loopback listener, plus a control listener serving /_mock/.
type Sandbox struct {
	// World is the shared state; Clock, Journal and Faults are its parts.
	World   *world.World
	Clock   *world.Clock
	Journal *world.Journal
	Faults  *world.Faults

	// Credentials are the sandbox credentials of the seeded scenario at
	// start (see [Sandbox.CurrentCredentials] after re-seeding).
	Credentials Credentials

	// Telegram is the Telegram emulator with its user-simulation helpers;
	// TelegramURL is its base URL (use it as the Bot API server URL).
	Telegram    *Telegram
	TelegramURL string

	// ESIA is the ESIA emulator (headless logins, registered systems,
	// keys); ESIAURL is its base URL.
	ESIA    *ESIA
	ESIAURL string

	// ControlURL is the base URL of the control API (…/_mock/...).
	ControlURL string

	cfg     config
	logger  *slog.Logger
	running map[string]*runningParty
	order   []string
	control *http.Server
	ctrlLn  net.Listener
	wg      sync.WaitGroup
	tr      *http.Transport

	closeOnce sync.Once
	closeErr  error
}

type runningParty struct {
	def partyDef
	rt  *partyRuntime
	ln  net.Listener
	srv *http.Server
	url string
}

// maxIdleConnsPerHost is how many idle connections the sandbox transport
// keeps per listener: enough for hundreds of concurrent clients (load
// tests, fan-out to many pages) to reuse their connections instead of
// closing and reopening most of them after each burst.
const maxIdleConnsPerHost = 1024

// New starts a sandbox. Call [Sandbox.Close] when done (or use [Start] in
// tests).
func New(opts ...Option) (*Sandbox, error) {
	cfg := config{addr: "127.0.0.1"}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	// One budget caps the journal and messages of every world of the
	// sandbox; WithWorldOptions(world.WithBudget(...)) replaces it.
	wopts := append([]world.Option{world.WithLogger(cfg.logger), world.WithBudget(world.NewBudget(DefaultJournalBudget, DefaultMessageBudget))}, cfg.worldOpts...)
	if cfg.scenarioFn != "" {
		data, err := os.ReadFile(cfg.scenarioFn)
		if err != nil {
			return nil, fmt.Errorf("mock: read scenario: %w", err)
		}
		sc, err := world.ParseScenario(data)
		if err != nil {
			return nil, fmt.Errorf("mock: scenario %s: %w", cfg.scenarioFn, err)
		}
		wopts = append(wopts, world.WithScenario(sc))
	}
	for _, d := range parties {
		if d.sections != nil && (cfg.only == nil || cfg.only[d.name]) {
			wopts = append(wopts, world.WithSections(d.sections()...))
		}
	}
	w, err := world.New(wopts...)
	if err != nil {
		return nil, fmt.Errorf("mock: %w", err)
	}
	sb := &Sandbox{
		World: w, Clock: w.Clock, Journal: w.Journal, Faults: w.Faults,
		cfg: cfg, logger: cfg.logger, running: map[string]*runningParty{},
		tr: &http.Transport{
			MaxIdleConns:        maxIdleConnsPerHost * (len(parties) + 1), // every party and the control listener
			MaxIdleConnsPerHost: maxIdleConnsPerHost,
			IdleConnTimeout:     30 * time.Second,
			ForceAttemptHTTP2:   false,
		},
	}
	ok := false
	defer func() {
		if !ok {
			_ = sb.Close()
		}
	}()
	// Bind every listener first so each party knows every URL.
	for _, d := range parties {
		if cfg.only != nil && !cfg.only[d.name] {
			continue
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(cfg.addr, "0"))
		if err != nil {
			return nil, fmt.Errorf("mock: listen for %s: %w", d.name, err)
		}
		rp := &runningParty{def: d, ln: ln, url: "http://" + ln.Addr().String()}
		sb.running[d.name] = rp
		sb.order = append(sb.order, d.name)
	}
	ctrlLn, err := net.Listen("tcp", net.JoinHostPort(cfg.addr, "0"))
	if err != nil {
		return nil, fmt.Errorf("mock: listen for control: %w", err)
	}
	sb.ctrlLn = ctrlLn
	sb.ControlURL = "http://" + ctrlLn.Addr().String()
	for _, name := range sb.order {
		rp := sb.running[name]
		rt, err := rp.def.start(sb)
		if err != nil {
			return nil, fmt.Errorf("mock: start %s: %w", name, err)
		}
		rp.rt = rt
	}
	sb.Credentials = sb.CurrentCredentials()
	errLog := log.New(io.Discard, "", 0)
	for _, name := range sb.order {
		rp := sb.running[name]
		rp.srv = &http.Server{Handler: rp.rt.handler, ReadHeaderTimeout: 10 * time.Second, ErrorLog: errLog}
		sb.serve(rp.srv, rp.ln)
	}
	sb.control = &http.Server{Handler: sb.controlHandler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: errLog}
	sb.serve(sb.control, ctrlLn)
	ok = true
	return sb, nil
}

func (sb *Sandbox) serve(srv *http.Server, ln net.Listener) {
	sb.wg.Add(1)
	go func() {
		defer sb.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			sb.logger.Error("mock: server stopped", "error", err)
		}
	}()
}

// Start starts a sandbox for a test and closes it when the test ends. It
// fails the test if the sandbox cannot start.
func Start(t testing.TB, opts ...Option) *Sandbox {
	t.Helper()
	sb, err := New(opts...)
	if err != nil {
		t.Fatalf("mock.Start: %v", err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	return sb
}

// Close stops every listener and background job. Open connections (long
// polls included) are closed. It is safe to call more than once.
func (sb *Sandbox) Close() error {
	sb.closeOnce.Do(func() {
		var errs []error
		for _, name := range sb.order {
			rp := sb.running[name]
			if rp.srv != nil {
				errs = append(errs, rp.srv.Close())
			} else if rp.ln != nil {
				_ = rp.ln.Close()
			}
			if rp.rt != nil && rp.rt.close != nil {
				errs = append(errs, rp.rt.close())
			}
		}
		if sb.control != nil {
			errs = append(errs, sb.control.Close())
		} else if sb.ctrlLn != nil {
			_ = sb.ctrlLn.Close()
		}
		sb.wg.Wait()
		sb.tr.CloseIdleConnections()
		sb.closeErr = errors.Join(errs...)
	})
	return sb.closeErr
}

// URL returns the base URL of a party ("telegram", "control", ...), or ""
// for an unknown party.
func (sb *Sandbox) URL(party string) string {
	if party == "control" {
		return sb.ControlURL
	}
	if rp, ok := sb.running[party]; ok {
		return rp.url
	}
	return ""
}

// URLs returns every party's base URL and the control URL, by name.
func (sb *Sandbox) URLs() map[string]string {
	m := map[string]string{"control": sb.ControlURL}
	for name, rp := range sb.running {
		m[name] = rp.url
	}
	return m
}

// Handler returns the http.Handler of a party (for in-process use without
// a network round trip), or nil.
func (sb *Sandbox) Handler(party string) http.Handler {
	if rp, ok := sb.running[party]; ok && rp.rt != nil {
		return rp.rt.handler
	}
	return nil
}

// Manifest returns what gosmock prints: one key per party with its URL,
// "control", and "credentials" with each party's credentials.
func (sb *Sandbox) Manifest() map[string]any {
	m := map[string]any{"control": sb.ControlURL}
	creds := map[string]any{}
	for _, name := range sb.order {
		rp := sb.running[name]
		m[name] = rp.url
		if rp.rt.credentials != nil {
			if c := rp.rt.credentials(); c != nil {
				creds[name] = c
			}
		}
	}
	m["credentials"] = creds
	return m
}

// CurrentCredentials derives the credentials from the world as it is now.
func (sb *Sandbox) CurrentCredentials() Credentials {
	var tg TelegramCredentials
	if sec, ok := sb.World.Section(tgmock.SectionName).(*tgmock.Section); ok {
		tg = telegramCredentials(sb.World, sec)
	}
	return Credentials{Telegram: tg, ESIA: esiaCredentials(sb)}
}

// Reset restores the seeded scenario, clears the journal and the fault
// rules and drops every emulator's runtime state.
func (sb *Sandbox) Reset() { sb.World.Reset() }

// ResetTenant drops the journal entries, fault rules and emulator runtime
// state of one tenant, leaving the others untouched.
func (sb *Sandbox) ResetTenant(tenant string) {
	sb.Journal.ResetTenant(tenant)
	sb.Faults.ResetTenant(tenant)
	for _, name := range sb.order {
		if rt := sb.running[name].rt; rt != nil && rt.resetTenant != nil {
			rt.resetTenant(tenant)
		}
	}
}

// HTTPClient returns a client for talking to the sandbox that fails
// closed: it refuses any request whose host is not one of the sandbox's
// listeners (or one of extraHosts, given as "host:port"), so a
// misconfigured app can never reach a real service.
func (sb *Sandbox) HTTPClient(extraHosts ...string) *http.Client {
	allowed := map[string]bool{}
	add := func(hostport string) {
		allowed[hostport] = true
		if host, port, err := net.SplitHostPort(hostport); err == nil && (host == "127.0.0.1" || host == "::1") {
			allowed[net.JoinHostPort("localhost", port)] = true
		}
	}
	for _, rp := range sb.running {
		add(rp.ln.Addr().String())
	}
	add(sb.ctrlLn.Addr().String())
	for _, h := range extraHosts {
		add(h)
	}
	return &http.Client{Transport: &failClosed{allowed: allowed, base: sb.tr}, Timeout: 2 * time.Minute}
}

// ErrNotSandboxHost is returned (wrapped) by the fail-closed transport for a
// host that is not a sandbox listener.
var ErrNotSandboxHost = errors.New("mock: refusing a host that is not a sandbox listener (fail closed)")

type failClosed struct {
	allowed map[string]bool
	base    http.RoundTripper
}

func (f *failClosed) RoundTrip(r *http.Request) (*http.Response, error) {
	host := r.URL.Host
	if r.URL.Port() == "" {
		if r.URL.Scheme == "https" {
			host = net.JoinHostPort(r.URL.Hostname(), "443")
		} else {
			host = net.JoinHostPort(r.URL.Hostname(), "80")
		}
	}
	if !f.allowed[host] || r.URL.Scheme != "http" {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, fmt.Errorf("%w: %s://%s", ErrNotSandboxHost, r.URL.Scheme, r.URL.Host)
	}
	return f.base.RoundTrip(r)
}

// Wait blocks until a journal entry matches f or ctx ends; a shorthand for
// sb.Journal.Await.
func (sb *Sandbox) Wait(ctx context.Context, f world.Filter) (world.Entry, error) {
	return sb.Journal.Await(ctx, f)
}
