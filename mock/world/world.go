package world

import (
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// Option configures a [World].
type Option func(*config)

type config struct {
	start        time.Time
	journalLimit int
	messageLimit int
	budget       *Budget
	logger       *slog.Logger
	empty        bool
	scenario     *Scenario
	prepared     *preparedSeed // set with scenario by WithPreparedScenario
	sections     []Section
}

// WithFrozenClock freezes the world clock at t (a zero t: follow real time).
func WithFrozenClock(t time.Time) Option { return func(c *config) { c.start = t } }

// WithJournalLimit bounds the journal to n entries (default
// [DefaultJournalLimit]).
func WithJournalLimit(n int) Option { return func(c *config) { c.journalLimit = n } }

// WithLogger sets a logger for the world and the emulators built on it
// (silent by default).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithEmptyScenario starts the world with no entities instead of
// [DefaultScenario].
func WithEmptyScenario() Option { return func(c *config) { c.empty = true } }

// WithScenario seeds the world with sc instead of [DefaultScenario] and the
// defaults of its sections.
func WithScenario(sc Scenario) Option {
	return func(c *config) { c.scenario, c.prepared = &sc, nil }
}

// WithSections registers parties' sections (see [Section]) before the
// world is seeded, so that a scenario may carry their content.
func WithSections(s ...Section) Option {
	return func(c *config) { c.sections = append(c.sections, s...) }
}

// World is the sandbox state shared by every emulator. Create it with
// [New]; it is safe for concurrent use.
type World struct {
	// Clock is the world clock.
	Clock *Clock
	// Journal records every request served by the emulators.
	Journal *Journal
	// Faults holds the fault-injection rules.
	Faults *Faults
	// Outbox records what the applications sent to people.
	Outbox *Outbox

	logger       *slog.Logger
	messageLimit int
	budget       *Budget

	version    atomic.Uint64 // bumped by every mutation
	generation atomic.Uint64 // bumped by Reset/Import (runtime state must be dropped)

	mu          sync.RWMutex
	seed        Scenario // what Reset restores
	seedDefault bool     // seed is the default scenario: late sections seed their defaults
	people      map[int64]Person
	orgs        map[int64]Organization
	emps        map[empKey]Employee
	pages       map[pageKey]Page
	names       map[nameKey]int64  // page usernames in use: the id of the page holding each
	logins      map[loginKey]int64 // person logins and accounts in use: the OID holding each

	secMu    sync.RWMutex
	sections []Section // in registration order

	hooksMu sync.Mutex
	hooks   []func()
}

// foldName maps s to a canonical representative of its case-folding class:
// foldName(a) == foldName(b) exactly when strings.EqualFold(a, b).
func foldName(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s) // the smallest rune of an ASCII letter's fold orbit
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b.WriteRune(m)
	}
	return b.String()
}

// New returns a world with the given sections, seeded with
// [DefaultScenario] and each section's default (or with the scenario
// given by the options). It fails when a section cannot be registered or
// the scenario is invalid.
func New(opts ...Option) (*World, error) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	w := &World{
		Clock:   NewClock(c.start),
		Journal: newJournal(c.journalLimit, c.budget),
		Faults:  NewFaults(),
		Outbox:  NewOutbox(0),
		logger:  c.logger,
	}
	w.messageLimit, w.budget = c.messageLimit, c.budget
	if w.messageLimit <= 0 {
		w.messageLimit = DefaultMessageLimit
	}
	if w.logger == nil {
		w.logger = slog.New(slog.DiscardHandler)
	}
	w.loadLocked(Scenario{})
	for _, s := range c.sections {
		if err := w.addSection(s); err != nil {
			return nil, err
		}
	}
	var sc Scenario
	switch {
	case c.scenario != nil:
		sc = *c.scenario
	case c.empty:
		sc = Scenario{Version: ScenarioVersion}
	default:
		sc = DefaultScenario()
		for _, s := range c.sections {
			if d := s.Default(); len(d) > 0 {
				if sc.Sections == nil {
					sc.Sections = map[string]json.RawMessage{}
				}
				sc.Sections[s.Name()] = d
			}
		}
	}
	importSeed := w.Import
	if c.prepared != nil && c.scenario != nil {
		importSeed = func(sc Scenario) error { return w.importPrepared(sc, c.prepared) }
	}
	if err := importSeed(sc); err != nil {
		return nil, err
	}
	w.seedDefault = c.scenario == nil && !c.empty
	return w, nil
}

// Logger returns the world's logger (never nil).
func (w *World) Logger() *slog.Logger { return w.logger }

// Version returns a counter that changes whenever any shared entity
// changes. Emulators compare it to refresh their indexes cheaply (a
// section keeps its own counter for its own content).
func (w *World) Version() uint64 { return w.version.Load() }

// Generation returns a counter that changes on [World.Reset] and
// [World.Import]: emulators must then drop their runtime state (messages,
// update queues, webhooks).
func (w *World) Generation() uint64 { return w.generation.Load() }

// OnReset registers f to run after every [World.Reset] and [World.Import]
// (outside the world's lock). Emulators use it to drop runtime state.
func (w *World) OnReset(f func()) {
	w.hooksMu.Lock()
	w.hooks = append(w.hooks, f)
	w.hooksMu.Unlock()
}

func (w *World) runHooks() {
	w.hooksMu.Lock()
	hooks := slices.Clone(w.hooks)
	w.hooksMu.Unlock()
	for _, h := range hooks {
		h()
	}
}

func (w *World) changed() { w.version.Add(1) }

// Reset restores the seeded scenario (the last one imported), sections
// included, discards the journal, the outbox and the fault rules, and tells the
// emulators to drop their runtime state. The clock is left as it is.
func (w *World) Reset() {
	w.mu.Lock()
	sc := w.seed.clone()
	w.loadLocked(sc) // validated when imported
	w.mu.Unlock()
	for _, s := range w.registered() {
		if err := s.Import(sc.Sections[s.Name()]); err != nil {
			w.logger.Error("world: reset section", "section", s.Name(), "err", err)
		}
	}
	w.Journal.Reset()
	w.Faults.Reset()
	w.Outbox.Reset()
	w.generation.Add(1)
	w.changed()
	w.runHooks()
}

// Import validates sc, shared entities and sections, and replaces the
// whole state with it; sc becomes the state [World.Reset] restores. A
// registered section that sc does not mention is emptied; a section of sc
// that no party registered is refused. Journal, faults and clock are
// untouched. On a validation error nothing changes.
func (w *World) Import(sc Scenario) error {
	shared, err := sc.validateShared()
	if err != nil {
		return err
	}
	secs := w.registered()
	if err := checkSectionNames(sc, secs); err != nil {
		return err
	}
	for _, s := range secs {
		if err := InField(s.Name(), s.Validate(sc.Sections[s.Name()], shared)); err != nil {
			return err
		}
	}
	return w.load(sc, secs)
}

// load replaces the world's state with sc, validated, and imports each
// section's content.
func (w *World) load(sc Scenario, secs []Section) error {
	sc = sc.clone()
	w.mu.Lock()
	w.seed = sc
	w.seedDefault = false
	w.loadLocked(sc)
	w.mu.Unlock()
	var firstErr error
	for _, s := range secs {
		if err := InField(s.Name(), s.Import(sc.Sections[s.Name()])); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	w.generation.Add(1)
	w.changed()
	w.runHooks()
	return firstErr
}

// Seed adds the entities of sc to the world, in dependency order (people,
// organisations, employees, pages, then each section), keeping what is
// there. It stops at the first error; what was added before stays. The
// state [World.Reset] restores is unchanged.
func (w *World) Seed(sc Scenario) error {
	if sc.Version != 0 && sc.Version != ScenarioVersion {
		return versionError(sc.Version)
	}
	secs := w.registered()
	if err := checkSectionNames(sc, secs); err != nil {
		return err
	}
	for i, p := range sc.People {
		if err := w.AddPerson(p); err != nil {
			return InField(Index("people", i), err)
		}
	}
	for i, o := range sc.Organizations {
		if err := w.AddOrganization(o); err != nil {
			return InField(Index("organizations", i), err)
		}
	}
	for i, e := range sc.Employees {
		if err := w.AddEmployee(e); err != nil {
			return InField(Index("employees", i), err)
		}
	}
	for i, p := range sc.Pages {
		if err := w.AddPage(p); err != nil {
			return InField(Index("pages", i), err)
		}
	}
	for _, s := range secs {
		raw, ok := sc.Sections[s.Name()]
		if !ok {
			continue
		}
		if err := s.Seed(raw, w); err != nil {
			return InField(s.Name(), err)
		}
	}
	return nil
}

func (w *World) loadLocked(sc Scenario) {
	w.people = make(map[int64]Person, len(sc.People))
	w.orgs = make(map[int64]Organization, len(sc.Organizations))
	w.emps = make(map[empKey]Employee, len(sc.Employees))
	w.pages = make(map[pageKey]Page, len(sc.Pages))
	w.names = make(map[nameKey]int64, len(sc.Pages))
	w.logins = make(map[loginKey]int64, 3*len(sc.People))
	for _, p := range sc.People {
		w.putPersonLocked(p.clone())
	}
	for _, o := range sc.Organizations {
		w.orgs[o.OID] = o
	}
	for _, e := range sc.Employees {
		w.emps[empKeyOf(e)] = e.clone()
	}
	for _, p := range sc.Pages {
		w.putPageLocked(p.clone())
	}
}

// ExportOption adjusts [World.Export].
type ExportOption func(*exportConfig)

type exportConfig struct{ noSecrets bool }

// WithoutSecrets leaves secrets out of an export: people's passwords and
// whatever each section counts as a credential (bot tokens, ...). Such an
// export is for reading; importing it back loses the secrets.
func WithoutSecrets() ExportOption { return func(c *exportConfig) { c.noSecrets = true } }

// Export returns the current state as a scenario (sorted by id), with
// every registered section's content. By default it holds secrets, so
// that it imports back unchanged; see [WithoutSecrets].
func (w *World) Export(opts ...ExportOption) Scenario {
	var c exportConfig
	for _, o := range opts {
		o(&c)
	}
	w.mu.RLock()
	sc := Scenario{Version: ScenarioVersion}
	for _, p := range w.people {
		p = p.clone()
		if c.noSecrets {
			p.Password = ""
		}
		sc.People = append(sc.People, p)
	}
	for _, o := range w.orgs {
		sc.Organizations = append(sc.Organizations, o)
	}
	for _, e := range w.emps {
		sc.Employees = append(sc.Employees, e.clone())
	}
	for _, p := range w.pages {
		sc.Pages = append(sc.Pages, p.clone())
	}
	w.mu.RUnlock()
	sc.sort()
	for _, s := range w.registered() {
		raw, err := s.Export(!c.noSecrets)
		if err != nil {
			w.logger.Error("world: export section", "section", s.Name(), "err", err)
			continue
		}
		if len(raw) > 0 {
			if sc.Sections == nil {
				sc.Sections = map[string]json.RawMessage{}
			}
			sc.Sections[s.Name()] = raw
		}
	}
	return sc
}
