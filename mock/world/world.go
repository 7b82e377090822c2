package world

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors returned (wrapped) by [World] methods.
var (
	// ErrNotFound reports an unknown id or login.
	ErrNotFound = errors.New("world: not found")
	// ErrDuplicate reports an id (or login, token, username) already used.
	ErrDuplicate = errors.New("world: duplicate")
	// ErrInvalid reports an entity that fails validation.
	ErrInvalid = errors.New("world: invalid")
)

// Option configures a [World].
type Option func(*config)

type config struct {
	start        time.Time
	journalLimit int
	logger       *slog.Logger
	empty        bool
	scenario     *Scenario
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

// WithScenario seeds the world with sc instead of [DefaultScenario].
func WithScenario(sc Scenario) Option { return func(c *config) { c.scenario = &sc } }

// World is the sandbox state shared by every emulator. Create it with
// [New]; it is safe for concurrent use.
type World struct {
	// Clock is the world clock.
	Clock *Clock
	// Journal records every request served by the emulators.
	Journal *Journal
	// Faults holds the fault-injection rules.
	Faults *Faults

	logger *slog.Logger

	version    atomic.Uint64 // bumped by every mutation
	generation atomic.Uint64 // bumped by Reset/Import (runtime state must be dropped)

	mu     sync.RWMutex
	seed   Scenario // what Reset restores
	people map[int64]Person
	orgs   map[int64]Organization
	emps   map[[2]int64]Employee
	pages  map[pageKey]Page
	names  map[nameKey]int64  // page usernames in use: the id of the page holding each
	logins map[loginKey]int64 // person logins and accounts in use: the OID holding each
	bots   map[string]Bot     // by token
	botIDs map[botKey]string  // bot ids in use per network and environment: the token
	botNms map[nameKey]string // bot usernames in use (case-folded): the token

	hooksMu sync.Mutex
	hooks   []func()
}

type pageKey struct {
	network string
	id      int64
}

// nameKey is a page username in its namespace (network and, for Telegram,
// environment), case-folded so that usernames differing only in case
// collide, exactly as [strings.EqualFold] compares them.
type nameKey struct {
	network string
	testEnv bool
	folded  string
}

func nameKeyOf(p Page) nameKey {
	return nameKey{p.Network, p.TestEnv, foldName(p.Username)}
}

// loginKey is one login or account of a person, in the canonical form
// under which two spellings collide: a normalised phone (10 digits), a
// normalised SNILS (11 digits), a case-folded e-mail (as
// [strings.EqualFold] compares) or a Telegram user id.
type loginKey struct {
	kind  loginKind
	value string
	id    int64
}

type loginKind uint8

const (
	loginEmail loginKind = iota + 1
	loginPhone
	loginSNILS
	loginTelegram
)

// loginKeys returns the index keys p holds (none for empty fields).
func loginKeys(p Person) []loginKey {
	keys := make([]loginKey, 0, 4)
	if p.Email != "" {
		keys = append(keys, loginKey{kind: loginEmail, value: foldName(p.Email)})
	}
	if p.Phone != "" {
		keys = append(keys, loginKey{kind: loginPhone, value: NormalizePhone(p.Phone)})
	}
	if p.SNILS != "" {
		keys = append(keys, loginKey{kind: loginSNILS, value: NormalizeSNILS(p.SNILS)})
	}
	if p.TelegramUserID != 0 {
		keys = append(keys, loginKey{kind: loginTelegram, id: p.TelegramUserID})
	}
	return keys
}

// botKey is a bot id in its namespace (network and environment).
type botKey struct {
	network string
	testEnv bool
	id      int64
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

// New returns a world seeded with [DefaultScenario] (or the scenario given
// by the options). It fails only when a given scenario is invalid.
func New(opts ...Option) (*World, error) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	w := &World{
		Clock:   NewClock(c.start),
		Journal: NewJournal(c.journalLimit),
		Faults:  NewFaults(),
		logger:  c.logger,
	}
	if w.logger == nil {
		w.logger = slog.New(slog.DiscardHandler)
	}
	sc := DefaultScenario()
	switch {
	case c.scenario != nil:
		sc = *c.scenario
	case c.empty:
		sc = Scenario{Version: ScenarioVersion}
	}
	if err := w.Import(sc); err != nil {
		return nil, err
	}
	return w, nil
}

// Logger returns the world's logger (never nil).
func (w *World) Logger() *slog.Logger { return w.logger }

// Version returns a counter that changes whenever any entity changes.
// Emulators compare it to refresh their indexes cheaply.
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

// Reset restores the seeded scenario (the last one imported), discards the
// journal and the fault rules, and tells the emulators to drop their
// runtime state. The clock is left as it is.
func (w *World) Reset() {
	w.mu.Lock()
	sc := w.seed
	w.loadLocked(sc) // validated when imported
	w.mu.Unlock()
	w.Journal.Reset()
	w.Faults.Reset()
	w.generation.Add(1)
	w.changed()
	w.runHooks()
}

// Import validates sc and replaces the whole entity state with it; sc
// becomes the state [World.Reset] restores. Journal, faults and clock are
// untouched. On error nothing changes.
func (w *World) Import(sc Scenario) error {
	if err := sc.Validate(); err != nil {
		return err
	}
	sc = sc.clone()
	w.mu.Lock()
	w.seed = sc
	w.loadLocked(sc)
	w.mu.Unlock()
	w.generation.Add(1)
	w.changed()
	w.runHooks()
	return nil
}

func (w *World) loadLocked(sc Scenario) {
	w.people = make(map[int64]Person, len(sc.People))
	w.orgs = make(map[int64]Organization, len(sc.Organizations))
	w.emps = make(map[[2]int64]Employee, len(sc.Employees))
	w.pages = make(map[pageKey]Page, len(sc.Pages))
	w.names = make(map[nameKey]int64, len(sc.Pages))
	w.logins = make(map[loginKey]int64, 3*len(sc.People))
	w.bots = make(map[string]Bot, len(sc.Bots))
	w.botIDs = make(map[botKey]string, len(sc.Bots))
	w.botNms = make(map[nameKey]string, len(sc.Bots))
	for _, p := range sc.People {
		w.putPersonLocked(p.clone())
	}
	for _, o := range sc.Organizations {
		w.orgs[o.OID] = o
	}
	for _, e := range sc.Employees {
		w.emps[[2]int64{e.PersonOID, e.OrgOID}] = e.clone()
	}
	for _, p := range sc.Pages {
		w.putPageLocked(p.clone())
	}
	for _, b := range sc.Bots {
		w.putBotLocked(b)
	}
}

// Export returns the current entity state as a scenario (sorted by id).
func (w *World) Export() Scenario {
	w.mu.RLock()
	defer w.mu.RUnlock()
	sc := Scenario{Version: ScenarioVersion}
	for _, p := range w.people {
		sc.People = append(sc.People, p.clone())
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
	for _, b := range w.bots {
		sc.Bots = append(sc.Bots, b)
	}
	sc.sort()
	return sc
}

// AddPerson validates and adds a person.
func (w *World) AddPerson(p Person) error {
	if err := validatePerson(p); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.people[p.OID]; ok {
		return fmt.Errorf("%w: person %d", ErrDuplicate, p.OID)
	}
	if err := w.loginFreeLocked(p); err != nil {
		return err
	}
	w.putPersonLocked(p.clone())
	w.changed()
	return nil
}

// UpdatePerson replaces an existing person (matched by OID).
func (w *World) UpdatePerson(p Person) error {
	if err := validatePerson(p); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.people[p.OID]; !ok {
		return fmt.Errorf("%w: person %d", ErrNotFound, p.OID)
	}
	if err := w.loginFreeLocked(p); err != nil {
		return err
	}
	w.putPersonLocked(p.clone())
	w.changed()
	return nil
}

// loginFreeLocked reports ErrDuplicate when another person holds one of
// p's logins or accounts: the same phone or SNILS in any spelling, the same
// e-mail in any case, the same Telegram user id. It looks each up in the
// login index instead of scanning every person.
func (w *World) loginFreeLocked(p Person) error {
	for _, k := range loginKeys(p) {
		if oid, ok := w.logins[k]; ok && oid != p.OID {
			return fmt.Errorf("%w: login or account of person %d already used by person %d", ErrDuplicate, p.OID, oid)
		}
	}
	return nil
}

// putPersonLocked stores a person (new or replacing the one with its OID)
// and keeps the login index in step: the old logins are released and the
// new ones taken. The caller has checked [World.loginFreeLocked].
func (w *World) putPersonLocked(p Person) {
	if old, ok := w.people[p.OID]; ok {
		for _, k := range loginKeys(old) {
			if w.logins[k] == old.OID {
				delete(w.logins, k)
			}
		}
	}
	w.people[p.OID] = p
	for _, k := range loginKeys(p) {
		w.logins[k] = p.OID
	}
}

// Person returns the person with the OID.
func (w *World) Person(oid int64) (Person, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	p, ok := w.people[oid]
	if !ok {
		return Person{}, fmt.Errorf("%w: person %d", ErrNotFound, oid)
	}
	return p.clone(), nil
}

// PersonByLogin finds a person by an ESIA login: a phone number (any common
// spelling), an e-mail (case-insensitive) or a SNILS (with or without
// separators).
func (w *World) PersonByLogin(login string) (Person, error) {
	login = strings.TrimSpace(login)
	var keys []loginKey
	if strings.Contains(login, "@") {
		keys = append(keys, loginKey{kind: loginEmail, value: foldName(login)})
	}
	if snils := NormalizeSNILS(login); snils != "" {
		keys = append(keys, loginKey{kind: loginSNILS, value: snils})
	}
	if phone := NormalizePhone(login); phone != "" {
		keys = append(keys, loginKey{kind: loginPhone, value: phone})
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, k := range keys {
		if oid, ok := w.logins[k]; ok {
			return w.people[oid].clone(), nil
		}
	}
	return Person{}, fmt.Errorf("%w: no person with that login", ErrNotFound)
}

// PersonByTelegramID finds the person owning a Telegram user id.
func (w *World) PersonByTelegramID(id int64) (Person, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if oid, ok := w.logins[loginKey{kind: loginTelegram, id: id}]; ok && id != 0 {
		return w.people[oid].clone(), nil
	}
	return Person{}, fmt.Errorf("%w: telegram user %d", ErrNotFound, id)
}

// People returns every person, sorted by OID.
func (w *World) People() []Person {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]Person, 0, len(w.people))
	for _, p := range w.people {
		out = append(out, p.clone())
	}
	slices.SortFunc(out, func(a, b Person) int { return cmp.Compare(a.OID, b.OID) })
	return out
}

// AddOrganization validates and adds an organisation.
func (w *World) AddOrganization(o Organization) error {
	if err := validateOrg(o); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.orgs[o.OID]; ok {
		return fmt.Errorf("%w: organization %d", ErrDuplicate, o.OID)
	}
	if o.ParentOID != 0 {
		if _, ok := w.orgs[o.ParentOID]; !ok {
			return fmt.Errorf("%w: parent organization %d", ErrNotFound, o.ParentOID)
		}
	}
	w.orgs[o.OID] = o
	w.changed()
	return nil
}

// UpdateOrganization replaces an existing organisation (matched by OID).
func (w *World) UpdateOrganization(o Organization) error {
	if err := validateOrg(o); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.orgs[o.OID]; !ok {
		return fmt.Errorf("%w: organization %d", ErrNotFound, o.OID)
	}
	w.orgs[o.OID] = o
	w.changed()
	return nil
}

// Organization returns the organisation with the OID.
func (w *World) Organization(oid int64) (Organization, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	o, ok := w.orgs[oid]
	if !ok {
		return Organization{}, fmt.Errorf("%w: organization %d", ErrNotFound, oid)
	}
	return o, nil
}

// Organizations returns every organisation, sorted by OID.
func (w *World) Organizations() []Organization {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]Organization, 0, len(w.orgs))
	for _, o := range w.orgs {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b Organization) int { return cmp.Compare(a.OID, b.OID) })
	return out
}

// AddEmployee adds (or, when the pair exists, replaces) an employee record.
// The person and the organisation must exist.
func (w *World) AddEmployee(e Employee) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.people[e.PersonOID]; !ok {
		return fmt.Errorf("%w: person %d", ErrNotFound, e.PersonOID)
	}
	if _, ok := w.orgs[e.OrgOID]; !ok {
		return fmt.Errorf("%w: organization %d", ErrNotFound, e.OrgOID)
	}
	w.emps[[2]int64{e.PersonOID, e.OrgOID}] = e.clone()
	w.changed()
	return nil
}

// RemoveEmployee deletes an employee record.
func (w *World) RemoveEmployee(personOID, orgOID int64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	k := [2]int64{personOID, orgOID}
	if _, ok := w.emps[k]; !ok {
		return fmt.Errorf("%w: employee %d of organization %d", ErrNotFound, personOID, orgOID)
	}
	delete(w.emps, k)
	w.changed()
	return nil
}

// Employee returns the employee record of a person in an organisation.
func (w *World) Employee(personOID, orgOID int64) (Employee, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	e, ok := w.emps[[2]int64{personOID, orgOID}]
	if !ok {
		return Employee{}, fmt.Errorf("%w: employee %d of organization %d", ErrNotFound, personOID, orgOID)
	}
	return e.clone(), nil
}

// Employees returns the employees of an organisation, sorted by person OID.
func (w *World) Employees(orgOID int64) []Employee {
	return w.employees(func(e Employee) bool { return e.OrgOID == orgOID })
}

// EmployeesOf returns the employee records of a person (one per
// organisation), sorted by organisation OID.
func (w *World) EmployeesOf(personOID int64) []Employee {
	return w.employees(func(e Employee) bool { return e.PersonOID == personOID })
}

func (w *World) employees(keep func(Employee) bool) []Employee {
	w.mu.RLock()
	defer w.mu.RUnlock()
	var out []Employee
	for _, e := range w.emps {
		if keep(e) {
			out = append(out, e.clone())
		}
	}
	slices.SortFunc(out, func(a, b Employee) int {
		return cmp.Or(cmp.Compare(a.OrgOID, b.OrgOID), cmp.Compare(a.PersonOID, b.PersonOID))
	})
	return out
}

// AddPage validates and adds a page.
func (w *World) AddPage(p Page) error {
	if err := validatePage(p); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.pages[pageKey{p.Network, p.ID}]; ok {
		return fmt.Errorf("%w: %s page %d", ErrDuplicate, p.Network, p.ID)
	}
	if err := w.usernameFreeLocked(p); err != nil {
		return err
	}
	w.putPageLocked(p.clone())
	w.changed()
	return nil
}

// UpdatePage replaces an existing page (matched by network and id).
func (w *World) UpdatePage(p Page) error {
	if err := validatePage(p); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.pages[pageKey{p.Network, p.ID}]; !ok {
		return fmt.Errorf("%w: %s page %d", ErrNotFound, p.Network, p.ID)
	}
	if err := w.usernameFreeLocked(p); err != nil {
		return err
	}
	w.putPageLocked(p.clone())
	w.changed()
	return nil
}

// ModifyPage applies f to a copy of a page and stores the result, atomically
// with respect to other mutations.
func (w *World) ModifyPage(network string, id int64, f func(*Page) error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	p, ok := w.pages[pageKey{network, id}]
	if !ok {
		return fmt.Errorf("%w: %s page %d", ErrNotFound, network, id)
	}
	p = p.clone()
	if err := f(&p); err != nil {
		return err
	}
	if p.Network != network || p.ID != id {
		return fmt.Errorf("%w: a page's network and id cannot change", ErrInvalid)
	}
	if err := validatePage(p); err != nil {
		return err
	}
	if err := w.usernameFreeLocked(p); err != nil {
		return err
	}
	w.putPageLocked(p)
	w.changed()
	return nil
}

// usernameFreeLocked reports ErrDuplicate when another page of p's network
// and environment holds p's username (in any case).
func (w *World) usernameFreeLocked(p Page) error {
	if p.Username == "" {
		return nil
	}
	if id, ok := w.names[nameKeyOf(p)]; ok && id != p.ID {
		return fmt.Errorf("%w: username %q", ErrDuplicate, p.Username)
	}
	return nil
}

// putPageLocked stores a page (new or replacing the one with its key) and
// keeps the username index in step: the page's old username is released
// and its new one taken. The caller has checked [World.usernameFreeLocked].
func (w *World) putPageLocked(p Page) {
	k := pageKey{p.Network, p.ID}
	w.deletePageLocked(k)
	w.pages[k] = p
	if p.Username != "" {
		w.names[nameKeyOf(p)] = p.ID
	}
}

// deletePageLocked removes a page and releases its username.
func (w *World) deletePageLocked(k pageKey) {
	old, ok := w.pages[k]
	if !ok {
		return
	}
	if old.Username != "" {
		if nk := nameKeyOf(old); w.names[nk] == old.ID {
			delete(w.names, nk)
		}
	}
	delete(w.pages, k)
}

// RemovePage deletes a page.
func (w *World) RemovePage(network string, id int64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.pages[pageKey{network, id}]; !ok {
		return fmt.Errorf("%w: %s page %d", ErrNotFound, network, id)
	}
	w.deletePageLocked(pageKey{network, id})
	w.changed()
	return nil
}

// Page returns a page by network and id.
func (w *World) Page(network string, id int64) (Page, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	p, ok := w.pages[pageKey{network, id}]
	if !ok {
		return Page{}, fmt.Errorf("%w: %s page %d", ErrNotFound, network, id)
	}
	return p.clone(), nil
}

// Pages returns the pages of a network ("" for all), sorted by network and
// id.
func (w *World) Pages(network string) []Page {
	w.mu.RLock()
	defer w.mu.RUnlock()
	var out []Page
	for k, p := range w.pages {
		if network == "" || k.network == network {
			out = append(out, p.clone())
		}
	}
	slices.SortFunc(out, func(a, b Page) int {
		return cmp.Or(cmp.Compare(a.Network, b.Network), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// PagesOf returns the pages run by an organisation, sorted by network and
// id.
func (w *World) PagesOf(orgOID int64) []Page {
	var out []Page
	for _, p := range w.Pages("") {
		if p.OwnerOrgOID == orgOID {
			out = append(out, p)
		}
	}
	return out
}

// AddBot validates and adds a bot. Its token, and its id and username
// (case-insensitively) within its network and environment, must be free.
func (w *World) AddBot(b Bot) error {
	if err := validateBot(b); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.botFreeLocked(b); err != nil {
		return err
	}
	w.putBotLocked(b)
	w.changed()
	return nil
}

// botFreeLocked reports ErrDuplicate when b's token is taken, or another
// bot of its network and environment has its id or its username in any
// case. It looks them up in the bot indexes instead of scanning every bot.
func (w *World) botFreeLocked(b Bot) error {
	if _, ok := w.bots[b.Token]; ok {
		return fmt.Errorf("%w: bot %d token", ErrDuplicate, b.ID)
	}
	_, idTaken := w.botIDs[botKeyOf(b)]
	_, nameTaken := w.botNms[botNameKeyOf(b)]
	if idTaken || nameTaken {
		return fmt.Errorf("%w: bot %d (@%s)", ErrDuplicate, b.ID, b.Username)
	}
	return nil
}

func botKeyOf(b Bot) botKey { return botKey{b.Network, b.TestEnv, b.ID} }

func botNameKeyOf(b Bot) nameKey { return nameKey{b.Network, b.TestEnv, foldName(b.Username)} }

// putBotLocked stores a new bot and takes its id and username in the
// indexes. The caller has checked [World.botFreeLocked].
func (w *World) putBotLocked(b Bot) {
	w.bots[b.Token] = b
	w.botIDs[botKeyOf(b)] = b.Token
	w.botNms[botNameKeyOf(b)] = b.Token
}

// deleteBotLocked removes a bot and releases its id and username.
func (w *World) deleteBotLocked(token string) {
	b, ok := w.bots[token]
	if !ok {
		return
	}
	if k := botKeyOf(b); w.botIDs[k] == token {
		delete(w.botIDs, k)
	}
	if k := botNameKeyOf(b); w.botNms[k] == token {
		delete(w.botNms, k)
	}
	delete(w.bots, token)
}

// Bot returns the bot with a token.
func (w *World) Bot(token string) (Bot, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	b, ok := w.bots[token]
	if !ok {
		return Bot{}, fmt.Errorf("%w: bot", ErrNotFound)
	}
	return b, nil
}

// Bots returns the bots of a network ("" for all), sorted by id.
func (w *World) Bots(network string) []Bot {
	w.mu.RLock()
	defer w.mu.RUnlock()
	var out []Bot
	for _, b := range w.bots {
		if network == "" || b.Network == network {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b Bot) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Token, b.Token))
	})
	return out
}

// RemoveBot deletes the bot with a token.
func (w *World) RemoveBot(token string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.bots[token]; !ok {
		return fmt.Errorf("%w: bot", ErrNotFound)
	}
	w.deleteBotLocked(token)
	w.changed()
	return nil
}
