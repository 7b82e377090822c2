package mock

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"maps"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// DefaultTenant is the name of the tenant every sandbox starts with. It
// serves requests whose credentials belong to no other tenant, and control
// calls that carry no control token.
const DefaultTenant = "default"

// Errors of tenant management.
var (
	// ErrTenantExists: a tenant with that name exists.
	ErrTenantExists = errors.New("mock: tenant exists")
	// ErrNoTenant: no tenant with that name.
	ErrNoTenant = errors.New("mock: no such tenant")
	// ErrTenantName: the name is not 1-32 of a-z, 0-9, '-' and '_'.
	ErrTenantName = errors.New("mock: a tenant name is 1-32 characters of a-z, 0-9, '-' and '_'")
	// ErrTooManyTenants: the sandbox holds its maximum number of tenants
	// (see [WithMaxTenants]).
	ErrTooManyTenants = errors.New("mock: too many tenants; delete some first")
)

// DefaultMaxTenants is how many tenants a sandbox holds at most, the
// default one included, unless [WithMaxTenants] says otherwise.
const DefaultMaxTenants = 1000

// WithMaxTenants bounds the number of tenants, the default one included
// (default [DefaultMaxTenants]); creating one more fails with
// [ErrTooManyTenants].
func WithMaxTenants(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("mock: WithMaxTenants(%d): at least 1", n)
		}
		c.maxTenants = n
		return nil
	}
}

var tenantNameRe = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)

// Tenant is one isolated world of a sandbox: its own entities, clock,
// journal, fault rules and every emulator's runtime state. Every
// credential its emulators issue maps to it, so a test suite is one tenant
// whichever party it calls.
type Tenant struct {
	// Name identifies the tenant ([DefaultTenant] for the first one).
	Name string
	// World is the tenant's state; Clock, Journal and Faults are its parts.
	World   *world.World
	Clock   *world.Clock
	Journal *world.Journal
	Faults  *world.Faults
	// Telegram, ESIA and VK are the tenant's emulators (nil when the party is
	// not started).
	Telegram *Telegram
	ESIA     *ESIA
	OK       *OK
	VK       *VK
	// POS is the tenant's POS emulator (nil when not started).
	POS *POS
	// Gospubliki is the tenant's cabinet server (nil when not started).
	Gospubliki *gpmock.Server

	sb      *Sandbox
	token   string
	parties map[string]*partyRuntime
	synced  atomic.Uint64 // world version whose credentials are indexed
	deleted atomic.Bool
}

// Format prints the tenant's name only, under every verb, so its control
// token never reaches a log.
func (t *Tenant) Format(f fmt.State, verb rune) { fmt.Fprintf(f, "mock.Tenant(%s)", t.Name) }

// LogValue logs the tenant's name only.
func (t *Tenant) LogValue() slog.Value { return slog.StringValue(t.Name) }

// ControlToken returns the tenant's control credential: control calls
// sending "Authorization: Bearer <token>" act on this tenant. The default
// tenant's control calls need no token.
func (t *Tenant) ControlToken() string { return t.token }

// Credentials derives the tenant's credentials from its world as it is now.
func (t *Tenant) Credentials() Credentials {
	var c Credentials
	if t.Telegram != nil {
		c.Telegram = telegramCredentials(t.World, t.Telegram.Section())
	}
	if t.ESIA != nil {
		c.ESIA = esiaCredentials(t)
	}
	if t.OK != nil {
		c.OK = okCredentials(t.World, t.OK.Section(), t.OK.URL)
	}
	if t.VK != nil {
		c.VK = vkCredentials(t.World, t.VK.Section())
	}
	if t.POS != nil {
		c.POS = posCredentials(t.POS)
	}
	return c
}

// PartyCredentials returns each started party's credentials by party name,
// leaving out the parties for which the tenant has none.
func (t *Tenant) PartyCredentials() map[string]any {
	out := map[string]any{}
	for _, name := range t.sb.order {
		if rt := t.parties[name]; rt != nil && rt.credentials != nil {
			if c := rt.credentials(); c != nil {
				out[name] = c
			}
		}
	}
	return out
}

// Reset restores the tenant's seeded scenario, clears its journal and fault
// rules and drops its emulators' runtime state. Other tenants are untouched.
func (t *Tenant) Reset() {
	t.World.Reset()
	_ = t.sb.indexWorld(t)
}

func (t *Tenant) close() error {
	var errs []error
	for _, rt := range t.parties {
		if rt.close != nil {
			errs = append(errs, rt.close())
		}
	}
	return errors.Join(errs...)
}

// tenantSeed is a number derived from a tenant's name, for credentials
// unique to it.
func tenantSeed(name string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	return int64(h.Sum64() >> 1)
}

func newControlToken() string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	return "mockctl_" + hex.EncodeToString(b[:])
}

// CreateTenant adds a tenant seeded with sc, or with the sandbox's seed
// scenario when sc is nil (its credentials then made unique to the tenant:
// bot tokens derived from the name, the ESIA system "GOSSDK_SANDBOX-<name>").
// An empty name picks one ("t1", "t2", ...). It fails with
// [ErrTenantExists], [ErrTenantName], or an error wrapping
// [emu.ErrCredentialTaken] when sc holds a credential of another tenant.
func (sb *Sandbox) CreateTenant(name string, sc *world.Scenario) (*Tenant, error) {
	sb.mu.Lock()
	if name == "" {
		for {
			sb.nextTenant++
			name = "t" + strconv.Itoa(sb.nextTenant)
			if sb.tenants[name] == nil {
				break
			}
		}
	}
	if !tenantNameRe.MatchString(name) {
		sb.mu.Unlock()
		return nil, ErrTenantName
	}
	if sb.tenants[name] != nil || sb.creating[name] {
		sb.mu.Unlock()
		return nil, fmt.Errorf("%w: %q", ErrTenantExists, name)
	}
	if limit := sb.cfg.maxTenants; limit > 0 && len(sb.tenants)+len(sb.creating) >= limit {
		sb.mu.Unlock()
		return nil, ErrTooManyTenants
	}
	sb.creating[name] = true
	sb.mu.Unlock()
	t, err := sb.buildTenant(name, sc)
	sb.mu.Lock()
	delete(sb.creating, name)
	if err == nil {
		sb.tenants[name] = t
		sb.tokens[t.token] = t
	}
	sb.mu.Unlock()
	return t, err
}

// Tenant returns the tenant with that name, creating it on first use with
// the sandbox's seed scenario (see [Sandbox.CreateTenant]).
func (sb *Sandbox) Tenant(name string) (*Tenant, error) {
	if t := sb.lookupTenant(name); t != nil {
		return t, nil
	}
	t, err := sb.CreateTenant(name, nil)
	if errors.Is(err, ErrTenantExists) {
		if t := sb.lookupTenant(name); t != nil {
			return t, nil
		}
	}
	return t, err
}

// DefaultTenant returns the tenant the sandbox started with.
func (sb *Sandbox) DefaultTenant() *Tenant { return sb.def }

func (sb *Sandbox) lookupTenant(name string) *Tenant {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return sb.tenants[name]
}

// DeleteTenant removes a tenant: its world, its emulators' state and every
// credential mapped to it. The default tenant cannot be deleted (reset it).
func (sb *Sandbox) DeleteTenant(name string) error {
	if name == DefaultTenant {
		return fmt.Errorf("mock: the default tenant cannot be deleted; reset it")
	}
	sb.mu.Lock()
	t := sb.tenants[name]
	if t != nil {
		delete(sb.tenants, name)
		delete(sb.tokens, t.token)
	}
	sb.mu.Unlock()
	if t == nil {
		return fmt.Errorf("%w: %q", ErrNoTenant, name)
	}
	t.deleted.Store(true)
	sb.index.DropTenant(name)
	return t.close()
}

// ResetTenant resets one tenant (see [Tenant.Reset]).
func (sb *Sandbox) ResetTenant(name string) error {
	t := sb.lookupTenant(name)
	if t == nil {
		return fmt.Errorf("%w: %q", ErrNoTenant, name)
	}
	t.Reset()
	return nil
}

// buildTenant creates a tenant's world and emulators and indexes its
// credentials.
func (sb *Sandbox) buildTenant(name string, sc *world.Scenario) (*Tenant, error) {
	// One budget caps the journal and messages of every tenant's world;
	// WithWorldOptions(world.WithBudget(...)) replaces it.
	wopts := append([]world.Option{world.WithLogger(sb.logger), world.WithBudget(sb.budget)}, sb.cfg.worldOpts...)
	for _, pn := range sb.order {
		if d := sb.running[pn].def; d.sections != nil {
			wopts = append(wopts, world.WithSections(d.sections()...))
		}
	}
	switch {
	case sc != nil:
		if err := sb.checkScenario(*sc, name); err != nil {
			return nil, err
		}
		wopts = append(wopts, world.WithScenario(sb.withoutIdleSections(*sc)))
	case sb.cfg.scenario != nil:
		seed := sb.withoutIdleSections(*sb.cfg.scenario)
		if name != DefaultTenant {
			seed = cloneScenario(seed)
			for _, d := range parties {
				if d.prepare != nil && sb.running[d.name] != nil {
					d.prepare(&seed, name)
				}
			}
		}
		wopts = append(wopts, world.WithScenario(seed))
	case sb.cfg.empty:
		wopts = append(wopts, world.WithEmptyScenario())
	case name != DefaultTenant || sb.extendsDefault():
		def := sb.cachedDefault()
		seed := def.sc
		seed.Sections = maps.Clone(def.sc.Sections)
		for _, d := range parties {
			if d.prepare != nil && sb.running[d.name] != nil && name != DefaultTenant {
				d.prepare(&seed, name)
			}
		}
		wopts = append(wopts, seedOption(def, seed))
	}
	w, err := world.New(wopts...)
	if err != nil {
		return nil, fmt.Errorf("mock: %w", err)
	}
	t := &Tenant{Name: name, World: w, Clock: w.Clock, Journal: w.Journal, Faults: w.Faults,
		sb: sb, token: newControlToken(), parties: map[string]*partyRuntime{}}
	for _, pn := range sb.order {
		rt, err := sb.running[pn].def.start(sb, t)
		if err != nil {
			_ = t.close()
			sb.index.DropTenant(name)
			return nil, fmt.Errorf("mock: start %s: %w", pn, err)
		}
		t.parties[pn] = rt
	}
	if err := sb.indexWorld(t); err != nil {
		_ = t.close()
		sb.index.DropTenant(name)
		return nil, err
	}
	return t, nil
}

// withoutIdleSections returns sc without the untouched default sections
// of registered parties this sandbox does not run ([DefaultScenario]
// carries every party's section; a sandbox started WithParties("telegram")
// has no use for the others). A section with other content is kept, and
// refused by the world as before.
func (sb *Sandbox) withoutIdleSections(sc world.Scenario) world.Scenario {
	var idle []string
	for _, d := range parties {
		if sb.running[d.name] != nil || d.sections == nil {
			continue
		}
		ext := world.Scenario{Sections: map[string]json.RawMessage{}}
		for _, s := range d.sections() {
			if def := s.Default(); len(def) > 0 {
				ext.Sections[s.Name()] = def
			}
		}
		if d.extendDefault != nil {
			d.extendDefault(&ext)
		}
		for _, s := range d.sections() {
			raw, ok := sc.Sections[s.Name()]
			def := ext.Sections[s.Name()]
			if ok && len(def) > 0 && bytes.Equal(bytes.TrimSpace(raw), bytes.TrimSpace(def)) {
				idle = append(idle, s.Name())
			}
		}
	}
	if len(idle) == 0 {
		return sc
	}
	secs := make(map[string]json.RawMessage, len(sc.Sections))
	for k, v := range sc.Sections {
		secs[k] = v
	}
	for _, n := range idle {
		delete(secs, n)
	}
	sc.Sections = secs
	return sc
}

// extendsDefault reports whether a started party adds to the default
// scenario's shared entities (the world's own default then falls short).
func (sb *Sandbox) extendsDefault() bool {
	for _, pn := range sb.order {
		if sb.running[pn].def.extendDefault != nil {
			return true
		}
	}
	return false
}

// defaultScenarios caches, per set of started parties, the default
// scenario with their sections, validated: it depends on nothing else, and
// building and validating it (each party encodes and decodes its section)
// would otherwise be most of a tenant's start. Cached values are never
// changed; tenants get copies.
var defaultScenarios sync.Map // parties joined by "," → *defaultSeed

// defaultSeed is a cached default scenario and, when it validates, the
// same prepared for seeding worlds without validating it again.
type defaultSeed struct {
	sc world.Scenario
	p  *world.Prepared
}

// cachedDefault returns the default scenario of the started parties,
// built and validated once per process and set of parties.
func (sb *Sandbox) cachedDefault() *defaultSeed {
	key := strings.Join(sb.order, ",")
	if v, ok := defaultScenarios.Load(key); ok {
		return v.(*defaultSeed)
	}
	d := &defaultSeed{sc: sb.buildDefaultScenario()}
	var secs []world.Section
	for _, pn := range sb.order {
		if def := sb.running[pn].def; def.sections != nil {
			secs = append(secs, def.sections()...)
		}
	}
	if p, err := world.Prepare(d.sc, secs...); err == nil {
		d.p = p
	} // else each world validates it, and reports the error
	v, _ := defaultScenarios.LoadOrStore(key, d)
	return v.(*defaultSeed)
}

// seedOption seeds a world with seed, the cached default def with some
// sections replaced: only those are validated again. A seed whose set of
// sections differs is validated whole.
func seedOption(def *defaultSeed, seed world.Scenario) world.Option {
	if def.p == nil || len(seed.Sections) != len(def.sc.Sections) {
		return world.WithScenario(seed)
	}
	changed := map[string]json.RawMessage{}
	for k, raw := range seed.Sections {
		orig, ok := def.sc.Sections[k]
		if !ok {
			return world.WithScenario(seed)
		}
		if len(raw) != len(orig) || (len(raw) > 0 && &raw[0] != &orig[0]) {
			changed[k] = raw
		}
	}
	return world.WithPreparedScenario(def.p, changed)
}

// buildDefaultScenario builds the default scenario with the default
// sections of the started parties.
func (sb *Sandbox) buildDefaultScenario() world.Scenario {
	sc := world.DefaultScenario()
	for _, pn := range sb.order {
		d := sb.running[pn].def
		if d.sections == nil {
			continue
		}
		for _, s := range d.sections() {
			if raw := s.Default(); len(raw) > 0 {
				if sc.Sections == nil {
					sc.Sections = map[string]json.RawMessage{}
				}
				sc.Sections[s.Name()] = raw
			}
		}
	}
	// The parties extend the defaults (a party may add to its section).
	for _, pn := range sb.order {
		if d := sb.running[pn].def; d.extendDefault != nil {
			d.extendDefault(&sc)
		}
	}
	return sc
}

// cloneScenario returns a deep enough copy of sc for prepare functions to
// change credentials (a JSON round trip keeps this file free of the
// world's entity details).
func cloneScenario(sc world.Scenario) world.Scenario {
	data, err := json.Marshal(sc)
	if err != nil {
		return sc
	}
	out, err := world.ParseScenario(data)
	if err != nil {
		return sc
	}
	return out
}

// checkScenario refuses a scenario holding a credential of another tenant
// than t (nil: a tenant being created).
func (sb *Sandbox) checkScenario(sc world.Scenario, tenant string) error {
	for _, d := range parties {
		if d.scenarioCredentials == nil || sb.running[d.name] == nil {
			continue
		}
		for _, cred := range d.scenarioCredentials(sc) {
			if owner, ok := sb.index.Lookup(d.name, cred); ok && owner != tenant {
				return fmt.Errorf("%w: a %s credential", emu.ErrCredentialTaken, d.name)
			}
		}
	}
	return nil
}

// credVersion is a counter that changes whenever the credentials held in
// a tenant's world may have changed.
func (t *Tenant) credVersion() uint64 {
	v := t.World.Version()
	for _, rt := range t.parties {
		if rt.credentialsVersion != nil {
			v += rt.credentialsVersion()
		}
	}
	return v
}

// indexWorld binds the credentials held in a tenant's world (bot tokens)
// to it.
func (sb *Sandbox) indexWorld(t *Tenant) error {
	v := t.credVersion()
	for _, pn := range sb.order {
		rt := t.parties[pn]
		if rt == nil || rt.worldCredentials == nil {
			continue
		}
		if err := sb.index.Sync(pn, t.Name, rt.worldCredentials()); err != nil {
			return err
		}
	}
	t.synced.Store(v)
	return nil
}

// tenantFor returns the tenant a credential of party belongs to, and
// whether it belongs to one; credentials of no tenant are served by the
// default tenant.
func (sb *Sandbox) tenantFor(party, cred string) (*Tenant, bool) {
	if cred == "" {
		return sb.def, false
	}
	if name, ok := sb.index.Lookup(party, cred); ok {
		if t := sb.lookupTenant(name); t != nil {
			return t, true
		}
	}
	// The credential may have been added to a world since it was indexed.
	sb.mu.Lock()
	var stale []*Tenant
	for _, t := range sb.tenants {
		if t.credVersion() != t.synced.Load() {
			stale = append(stale, t)
		}
	}
	sb.mu.Unlock()
	if len(stale) == 0 {
		return sb.def, false
	}
	for _, t := range stale {
		if err := sb.indexWorld(t); err != nil {
			sb.logger.Warn("mock: tenant credentials not indexed", "tenant", t.Name, "error", err)
		}
	}
	if name, ok := sb.index.Lookup(party, cred); ok {
		if t := sb.lookupTenant(name); t != nil {
			return t, true
		}
	}
	return sb.def, false
}

// resolver returns the pipeline resolver of a party: the tenant owning the
// request's credential; X-Mock-Tenant may only name that tenant.
func (sb *Sandbox) resolver(party string) emu.Resolver {
	return emu.ResolverFunc(func(r *http.Request, c *emu.Call) (emu.Target, bool) {
		t, owned := sb.tenantFor(party, c.Credential)
		if named := r.Header.Get(emu.TenantHeader); named != "" && c.Anonymous && c.Credential == "" {
			if nt := sb.lookupTenant(named); nt != nil {
				t, owned = nt, true
			}
		}
		target := emu.Target{Tenant: t.Name, World: t.World}
		if rt := t.parties[party]; rt != nil {
			target.Handler = rt.handler
		}
		if named := r.Header.Get(emu.TenantHeader); named != "" && (!owned || named != t.Name) {
			return target, false
		}
		return target, true
	})
}
