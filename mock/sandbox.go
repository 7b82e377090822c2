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
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// Option configures a [Sandbox].
type Option func(*config) error

type config struct {
	addr       string
	worldOpts  []world.Option
	tgOpts     []tgmock.Option
	esiaOpts   []esiamock.Option
	vkOpts     []vkmock.Option
	gpStorage  func(tenant string) ([]gpmock.Option, error)
	gpOpts     []gpmock.Option
	logger     *slog.Logger
	scenarioFn string
	scenario   *world.Scenario
	empty      bool
	only       map[string]bool
	ports      map[string]int
	maxTenants int
	// gpNotifyBot is the username of the cabinet's notification bot.
	gpNotifyBot string
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
	return func(c *config) error { c.scenario, c.empty = &sc, false; return nil }
}

// WithScenarioFile seeds the world from a scenario JSON file.
func WithScenarioFile(path string) Option {
	return func(c *config) error { c.scenarioFn = path; return nil }
}

// WithEmptyWorld starts with no entities instead of the default scenario.
func WithEmptyWorld() Option {
	return func(c *config) error { c.scenario, c.empty = nil, true; return nil }
}

// WithPorts binds fixed ports: a port per party name, "control" for the
// control listener. Parties not listed get free ports.
func WithPorts(ports map[string]int) Option {
	return func(c *config) error {
		known := map[string]bool{"control": true}
		for _, p := range parties {
			known[p.name] = true
		}
		for name, port := range ports {
			if !known[name] {
				return fmt.Errorf("mock: unknown party %q", name)
			}
			if port < 0 || port > 65535 {
				return fmt.Errorf("mock: port %d for %s out of range", port, name)
			}
		}
		c.ports = ports
		return nil
	}
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

// Sandbox is a running set of emulators, each on its own listener, plus a
// control listener serving /_mock/. It holds tenants, each a whole world
// (see [Tenant]); the fields below are those of the default tenant, so a
// single test suite uses the sandbox as one world.
type Sandbox struct {
	// World is the default tenant's state; Clock, Journal and Faults are
	// its parts.
	World   *world.World
	Clock   *world.Clock
	Journal *world.Journal
	Faults  *world.Faults

	// Credentials are the default tenant's credentials at start (see
	// [Sandbox.CurrentCredentials] after re-seeding).
	Credentials Credentials

	// Telegram is the default tenant's Telegram emulator with its
	// user-simulation helpers; TelegramURL is the Telegram listener's base
	// URL (use it as the Bot API server URL).
	Telegram    *Telegram
	TelegramURL string

	// ESIA is the default tenant's ESIA emulator (headless logins,
	// registered systems, keys); ESIAURL is its base URL.
	ESIA    *ESIA
	ESIAURL string

	// OK is the default tenant's OK emulator; OKURL its base URL.
	OK    *OK
	OKURL string
	// VK is the default tenant's VK emulator (user simulation, captcha,
	// the «Госорганизация» flow); VKURL is its base URL.
	VK    *VK
	VKURL string
	// POS is the default tenant's POS emulator (forms, LKOs, appeals);
	// POSURL is its base URL (POSURL + "/form/?opaId=…").
	POS    *POS
	POSURL string

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
	index   *emu.Index
	budget  *world.Budget

	mu         sync.Mutex
	def        *Tenant
	tenants    map[string]*Tenant
	tokens     map[string]*Tenant
	creating   map[string]bool
	nextTenant int

	closeOnce sync.Once
	closeErr  error
}

type runningParty struct {
	def  partyDef
	pipe *emu.Pipeline
	ln   net.Listener
	srv  *http.Server
	url  string
}

// maxIdleConnsPerHost is how many idle connections the sandbox transport
// keeps per listener: enough for hundreds of concurrent clients (load
// tests, fan-out to many pages) to reuse their connections instead of
// closing and reopening most of them after each burst.
const maxIdleConnsPerHost = 1024

// New starts a sandbox. Call [Sandbox.Close] when done (or use [Start] in
// tests).
func New(opts ...Option) (*Sandbox, error) {
	cfg := config{addr: "127.0.0.1", maxTenants: DefaultMaxTenants}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	if cfg.scenarioFn != "" {
		data, err := os.ReadFile(cfg.scenarioFn)
		if err != nil {
			return nil, fmt.Errorf("mock: read scenario: %w", err)
		}
		sc, err := world.ParseScenario(data)
		if err != nil {
			return nil, fmt.Errorf("mock: scenario %s: %w", cfg.scenarioFn, err)
		}
		cfg.scenario, cfg.empty = &sc, false
	}
	sb := &Sandbox{
		cfg: cfg, logger: cfg.logger, running: map[string]*runningParty{},
		budget: world.NewBudget(DefaultJournalBudget, DefaultMessageBudget),
		index:  emu.NewIndex(), tenants: map[string]*Tenant{}, tokens: map[string]*Tenant{}, creating: map[string]bool{},
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
		ln, err := net.Listen("tcp", net.JoinHostPort(cfg.addr, strconv.Itoa(cfg.ports[d.name])))
		if err != nil {
			return nil, fmt.Errorf("mock: listen for %s: %w", d.name, err)
		}
		rp := &runningParty{def: d, ln: ln, url: listenerURL(ln)}
		sb.running[d.name] = rp
		sb.order = append(sb.order, d.name)
	}
	ctrlLn, err := net.Listen("tcp", net.JoinHostPort(cfg.addr, strconv.Itoa(cfg.ports["control"])))
	if err != nil {
		return nil, fmt.Errorf("mock: listen for control: %w", err)
	}
	sb.ctrlLn = ctrlLn
	sb.ControlURL = listenerURL(ctrlLn)
	def, err := sb.buildTenant(DefaultTenant, nil)
	if err != nil {
		return nil, err
	}
	sb.def = def
	sb.tenants[DefaultTenant] = def
	sb.World, sb.Clock, sb.Journal, sb.Faults = def.World, def.Clock, def.Journal, def.Faults
	sb.Telegram, sb.ESIA = def.Telegram, def.ESIA
	sb.TelegramURL, sb.ESIAURL = sb.URL("telegram"), sb.URL("esia")
	sb.OK, sb.OKURL = def.OK, sb.URL("ok")
	sb.VK, sb.VKURL = def.VK, sb.URL("vk")
	sb.POS, sb.POSURL = def.POS, sb.URL("pos")
	sb.Credentials = def.Credentials()
	errLog := log.New(io.Discard, "", 0)
	for _, name := range sb.order {
		rp := sb.running[name]
		rp.pipe = emu.New(def.parties[name].adapter, sb.resolver(name))
		rp.srv = &http.Server{Handler: rp.pipe, ReadHeaderTimeout: 10 * time.Second, ErrorLog: errLog}
		sb.serve(rp.srv, rp.ln)
	}
	sb.control = &http.Server{Handler: sb.controlHandler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: errLog}
	sb.serve(sb.control, ctrlLn)
	ok = true
	return sb, nil
}

// listenerURL is the base URL of a listener. A listener on every address
// (0.0.0.0, ::) is reported at the machine's first non-loopback address, or
// at 127.0.0.1, so the URL can be dialled.
func listenerURL(ln net.Listener) string {
	a, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		return "http://" + ln.Addr().String()
	}
	if !a.IP.IsUnspecified() {
		return "http://" + a.String()
	}
	return "http://" + net.JoinHostPort(reachableIP(), strconv.Itoa(a.Port))
}

// reachableIP returns the first non-loopback IPv4 address of the machine's
// interfaces, or 127.0.0.1.
func reachableIP() string {
	addrs, err := net.InterfaceAddrs()
	if err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
				return n.IP.String()
			}
		}
	}
	return "127.0.0.1"
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
		}
		sb.mu.Lock()
		tenants := make([]*Tenant, 0, len(sb.tenants))
		for _, t := range sb.tenants {
			tenants = append(tenants, t)
		}
		sb.mu.Unlock()
		for _, t := range tenants {
			errs = append(errs, t.close())
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
// a network round trip), or nil: the same pipeline its listener serves,
// every tenant included.
func (sb *Sandbox) Handler(party string) http.Handler {
	if rp, ok := sb.running[party]; ok && rp.pipe != nil {
		return rp.pipe
	}
	return nil
}

// Manifest returns what gosmock prints: one key per party with its URL,
// "control", and "credentials" with the default tenant's credentials of
// each party that has some (a scenario without a bot leaves "telegram"
// out).
func (sb *Sandbox) Manifest() map[string]any {
	m := map[string]any{"control": sb.ControlURL}
	for _, name := range sb.order {
		m[name] = sb.running[name].url
	}
	m["credentials"] = sb.def.PartyCredentials()
	return m
}

// CurrentCredentials derives the default tenant's credentials from its
// world as it is now.
func (sb *Sandbox) CurrentCredentials() Credentials { return sb.def.Credentials() }

// Reset resets the default tenant: restores the seeded scenario, clears
// the journal and the fault rules and drops every emulator's runtime
// state. Other tenants are untouched.
func (sb *Sandbox) Reset() { sb.def.Reset() }

// HTTPClient returns a client for talking to the sandbox that fails
// closed: it refuses any request whose host is not one of the sandbox's
// listeners (or one of extraHosts, given as "host:port"), so a
// misconfigured app can never reach a real service. A request whose
// context carries a tenant ([emu.WithTenant]) sends it as X-Mock-Tenant, so
// one emulator calling another stays in its tenant.
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
		add(strings.TrimPrefix(rp.url, "http://"))
	}
	add(sb.ctrlLn.Addr().String())
	add(strings.TrimPrefix(sb.ControlURL, "http://"))
	for _, h := range extraHosts {
		add(h)
	}
	return &http.Client{Transport: &emu.Transport{Base: &failClosed{allowed: allowed, base: sb.tr}}, Timeout: 2 * time.Minute}
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
