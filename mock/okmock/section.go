package okmock

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gospubliki/gosdk/mock/world"
)

// SectionName is the key of the OK section in a world scenario.
const SectionName = "ok"

// SandboxPrefix starts every sandbox OK credential (application key and
// secret, access, refresh and session secrets), so a production credential
// is never seeded into a sandbox by mistake: OK application keys start
// with "CB" and its tokens with "-s-" or a hex digit.
const SandboxPrefix = "MOCK"

// Ids of the default OK section.
const (
	// DefaultApplicationID is the default application's numeric id (the
	// OAuth client_id).
	DefaultApplicationID int64 = 512000000001
	// DefaultGroupID is the default scenario's OK group of the ministry.
	DefaultGroupID int64 = 70000000000001
)

// Permissions an OK token may carry (apiok "permissions").
const (
	PermValuableAccess  = "VALUABLE_ACCESS"
	PermLongAccessToken = "LONG_ACCESS_TOKEN"
	PermGroupContent    = "GROUP_CONTENT"
	PermPhotoContent    = "PHOTO_CONTENT"
	PermVideoContent    = "VIDEO_CONTENT"
)

// Group access types, as group.getInfo reports access_type.
const (
	AccessOpen   = "OPEN"
	AccessClosed = "CLOSED"
	AccessSecret = "SECRET"
)

// Application is the OK application an app under test uses.
type Application struct {
	// ID is the application id (OAuth client_id).
	ID int64 `json:"id"`
	// Key is the public application key (application_key).
	Key string `json:"key"`
	// Secret is the application secret key (signs session-less calls and
	// is the OAuth client_secret).
	Secret string `json:"secret"`
}

// Token is an access token OK issued to the application for a person.
type Token struct {
	// PersonOID is the person (who must have an OK account).
	PersonOID int64 `json:"person_oid"`
	// AccessToken is the token; SessionSecret its session_secret_key.
	AccessToken   string `json:"access_token"`
	SessionSecret string `json:"session_secret,omitempty"`
	// RefreshToken renews the token at /oauth/token.do (empty: none).
	RefreshToken string `json:"refresh_token,omitempty"`
	// Permissions are the granted permissions ([PermValuableAccess], ...).
	Permissions []string `json:"permissions,omitempty"`
	// ExpiresAt is when the token expires on the world clock (zero:
	// never).
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

// Has reports whether the token carries a permission.
func (t Token) Has(perm string) bool { return slices.Contains(t.Permissions, perm) }

// GroupSettings are the OK-only settings of a group; the shared page
// (title, description, photo, city, category as Topic, open, roles) is the
// world's.
type GroupSettings struct {
	// ID is the group's page id in the world.
	ID int64 `json:"id"`
	// Secret makes a group that is not open SECRET rather than CLOSED.
	Secret bool `json:"secret,omitempty"`
	// Views is the reach reported by the statistics methods for each
	// topic (0: a value derived from the member count).
	Views int `json:"views,omitempty"`
}

// Settings is the content of the OK section.
type Settings struct {
	Application Application     `json:"application"`
	Tokens      []Token         `json:"tokens,omitempty"`
	Groups      []GroupSettings `json:"groups,omitempty"`
}

// NewCredential returns a deterministic sandbox credential: [SandboxPrefix]
// then n characters derived from kind and seed.
func NewCredential(kind string, seed int64, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var b strings.Builder
	b.WriteString(SandboxPrefix)
	x := uint64(seed)
	for _, c := range kind {
		x = x*31 + uint64(c)
	}
	for range n {
		x = splitmix64(x)
		b.WriteByte(alphabet[x%uint64(len(alphabet))])
	}
	return b.String()
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// DefaultSettings returns the default OK section for [DefaultPage]: an
// application, a long-lived token with every permission for the ministry's
// chief (the group's ADMIN) and the group's settings.
func DefaultSettings() Settings {
	return SettingsFor(1)
}

// SettingsFor returns the default OK section with credentials derived from
// seed (the sandbox gives each tenant its own).
func SettingsFor(seed int64) Settings {
	return Settings{
		Application: Application{ID: DefaultApplicationID, Key: NewCredential("key", seed, 17), Secret: NewCredential("secret", seed, 28)},
		Tokens: []Token{{
			PersonOID: world.DefaultChiefOID, AccessToken: NewCredential("token", seed, 60),
			SessionSecret: NewCredential("session", seed, 28), RefreshToken: NewCredential("refresh", seed, 60),
			Permissions: []string{PermValuableAccess, PermLongAccessToken, PermGroupContent, PermPhotoContent, PermVideoContent},
		}},
		Groups: append([]GroupSettings{{ID: DefaultGroupID}}, RegionGroups(world.DefaultRegion())...),
	}
}

// RegionGroups returns the OK settings of a region's OK groups (see
// [world.Region]): open groups with the reach derived from their member
// count.
func RegionGroups(r world.Region) []GroupSettings {
	var out []GroupSettings
	for _, p := range r.Pages {
		if p.Network == world.NetworkOK {
			out = append(out, GroupSettings{ID: p.ID})
		}
	}
	return out
}

// DefaultPage is the OK group the sandbox adds to the default scenario:
// the ministry's group, which meets every condition of the
// «Госорганизация» mark (open, photo, description, city, the
// «Госорганизация» category; its ADMIN, the chief, has two-factor
// authentication on).
func DefaultPage() world.Page {
	return world.Page{
		Network: world.NetworkOK, ID: DefaultGroupID, Kind: world.PageGroup, Username: "minsvyaz29",
		Title:       "Минцифры Архангельской области",
		Description: "Официальная группа министерства цифрового развития и связи Архангельской области",
		PhotoURL:    "https://minsvyaz29.example/logo.png", OwnerOrgOID: world.DefaultMinistryOID,
		Admins: []world.PageAdmin{
			{PersonOID: world.DefaultChiefOID, Role: world.OKRoleAdmin},
			{PersonOID: world.DefaultEmployeeOID, Role: world.OKRoleEditor},
		},
		MemberCount: 2840, City: "Архангельск", Topic: CategoryGov, Open: true,
	}
}

// AddDefault adds the OK part of the default scenario's shared entities
// to sc: [DefaultPage] (when absent) and two-factor authentication on the
// chief's OK account.
func AddDefault(sc *world.Scenario) {
	for i := range sc.People {
		if sc.People[i].OID == world.DefaultChiefOID {
			if a, ok := sc.People[i].Accounts[world.NetworkOK]; ok {
				a.TwoFactor = true
				sc.People[i].Accounts[world.NetworkOK] = a
			}
		}
	}
	for _, p := range sc.Pages {
		if p.Network == world.NetworkOK && p.ID == DefaultGroupID {
			return
		}
	}
	sc.Pages = append(sc.Pages, DefaultPage())
	slices.SortFunc(sc.Pages, func(a, b world.Page) int {
		if c := strings.Compare(a.Network, b.Network); c != 0 {
			return c
		}
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
}

// Section is the OK section of a world. It implements [world.Section].
type Section struct {
	version atomic.Uint64
	mu      sync.RWMutex
	st      Settings
}

var _ world.Section = (*Section)(nil)

// NewSection returns an empty OK section.
func NewSection() *Section { return &Section{} }

// SectionOf returns the OK section of a world, registering an empty one
// when it has none.
func SectionOf(w *world.World) *Section {
	s, _ := world.SectionOf(w, SectionName, NewSection)
	return s
}

// Name returns [SectionName].
func (s *Section) Name() string { return SectionName }

// Version returns a counter that changes whenever the section changes.
func (s *Section) Version() uint64 { return s.version.Load() }

// Default returns nil: the OK section's default refers to [DefaultPage],
// which only the sandbox's default scenario holds ([AddDefault]).
func (s *Section) Default() json.RawMessage { return nil }

func decodeSettings(raw json.RawMessage) (Settings, error) {
	return world.DecodeSection[Settings](raw)
}

// Validate checks the section's content and its references to people and
// OK pages.
func (s *Section) Validate(raw json.RawMessage, shared world.Lookup) error {
	st, err := decodeSettings(raw)
	if err != nil {
		return err
	}
	return validateSettings(st, shared)
}

func sandboxCredential(path, v string, required bool) error {
	switch {
	case v == "" && required:
		return world.Fieldf(world.ErrInvalid, path, "is empty")
	case v != "" && !strings.HasPrefix(v, SandboxPrefix):
		return world.Fieldf(world.ErrInvalid, path, "refusing a production-looking credential; sandbox OK credentials start with %q", SandboxPrefix)
	case strings.ContainsAny(v, " \t\r\n&=;"):
		return world.Fieldf(world.ErrInvalid, path, "holds a space or one of &=;")
	}
	return nil
}

var knownPerms = []string{PermValuableAccess, PermLongAccessToken, PermGroupContent, PermPhotoContent, PermVideoContent}

func validateSettings(st Settings, shared world.Lookup) error {
	empty := st.Application == (Application{}) && len(st.Tokens) == 0 && len(st.Groups) == 0
	if empty {
		return nil
	}
	if st.Application.ID <= 0 {
		return world.Fieldf(world.ErrInvalid, "application.id", "must be positive")
	}
	if err := sandboxCredential("application.key", st.Application.Key, true); err != nil {
		return err
	}
	if err := sandboxCredential("application.secret", st.Application.Secret, true); err != nil {
		return err
	}
	seen := map[string]bool{st.Application.Key: true, st.Application.Secret: true}
	for i, t := range st.Tokens {
		path := world.Index("tokens", i)
		p, err := shared.Person(t.PersonOID)
		if err != nil {
			return world.Fieldf(world.ErrNotFound, path+".person_oid", "no person %d", t.PersonOID)
		}
		if _, ok := p.Accounts[world.NetworkOK]; !ok {
			return world.Fieldf(world.ErrInvalid, path+".person_oid", "person %d has no OK account", t.PersonOID)
		}
		for _, f := range []struct{ name, v string }{{"access_token", t.AccessToken}, {"session_secret", t.SessionSecret}, {"refresh_token", t.RefreshToken}} {
			if err := sandboxCredential(path+"."+f.name, f.v, f.name == "access_token"); err != nil {
				return err
			}
			if f.v != "" && seen[f.v] {
				return world.Fieldf(world.ErrDuplicate, path+"."+f.name, "used twice")
			}
			seen[f.v] = f.v != ""
		}
		for j, perm := range t.Permissions {
			if !slices.Contains(knownPerms, perm) {
				return world.Fieldf(world.ErrInvalid, world.Index(path+".permissions", j), "unknown permission %q (known: %s)", perm, strings.Join(knownPerms, ", "))
			}
		}
	}
	ids := map[int64]bool{}
	for i, g := range st.Groups {
		path := world.Index("groups", i)
		if _, err := shared.Page(world.NetworkOK, g.ID); err != nil {
			return world.Fieldf(world.ErrNotFound, path+".id", "no OK page %d", g.ID)
		}
		if ids[g.ID] {
			return world.Fieldf(world.ErrDuplicate, path+".id", "group %d listed twice", g.ID)
		}
		ids[g.ID] = true
		if g.Views < 0 {
			return world.Fieldf(world.ErrInvalid, path+".views", "is negative")
		}
	}
	return nil
}

func (st Settings) clone() Settings {
	out := st
	out.Tokens = make([]Token, len(st.Tokens))
	for i, t := range st.Tokens {
		t.Permissions = slices.Clone(t.Permissions)
		out.Tokens[i] = t
	}
	out.Groups = slices.Clone(st.Groups)
	return out
}

// Import replaces the section's content.
func (s *Section) Import(raw json.RawMessage) error {
	st, err := decodeSettings(raw)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.st = st
	s.mu.Unlock()
	s.version.Add(1)
	return nil
}

// Seed adds tokens and groups (and the application, when the section has
// none); the result must validate as a whole.
func (s *Section) Seed(raw json.RawMessage, shared world.Lookup) error {
	st, err := decodeSettings(raw)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	merged := s.st.clone()
	if st.Application != (Application{}) {
		if merged.Application != (Application{}) {
			return world.Fieldf(world.ErrDuplicate, "application", "the world already has an OK application")
		}
		merged.Application = st.Application
	}
	merged.Tokens = append(merged.Tokens, st.Tokens...)
	merged.Groups = append(merged.Groups, st.Groups...)
	if err := validateSettings(merged, shared); err != nil {
		return err
	}
	s.st = merged
	s.version.Add(1)
	return nil
}

// Export returns the section's content; without secrets, the application
// secret and every token are left out.
func (s *Section) Export(secrets bool) (json.RawMessage, error) {
	st := s.Settings()
	if st.Application == (Application{}) && len(st.Tokens) == 0 && len(st.Groups) == 0 {
		return nil, nil
	}
	if !secrets {
		st.Application.Secret = ""
		for i := range st.Tokens {
			st.Tokens[i].AccessToken, st.Tokens[i].SessionSecret, st.Tokens[i].RefreshToken = "", "", ""
		}
	}
	return json.Marshal(st)
}

// Settings returns a copy of the section's content.
func (s *Section) Settings() Settings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.clone()
}

// Application returns the world's OK application.
func (s *Section) Application() Application {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.Application
}

// Token returns the token with an access token.
func (s *Section) Token(accessToken string) (Token, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, t := range s.st.Tokens {
		if t.AccessToken == accessToken {
			t.Permissions = slices.Clone(t.Permissions)
			return t, true
		}
	}
	return Token{}, false
}

// tokenBy returns the first token match accepts.
func (s *Section) tokenBy(match func(Token) bool) (Token, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, t := range s.st.Tokens {
		if match(t) {
			t.Permissions = slices.Clone(t.Permissions)
			return t, true
		}
	}
	return Token{}, false
}

// PutToken adds a token, or replaces the one with the same access token
// (or, when replaces is set, the one whose access token is replaces).
func (s *Section) PutToken(t Token, replaces string) error {
	for _, f := range []struct{ name, v string }{{"access_token", t.AccessToken}, {"session_secret", t.SessionSecret}, {"refresh_token", t.RefreshToken}} {
		if err := sandboxCredential(f.name, f.v, f.name == "access_token"); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if replaces == "" {
		replaces = t.AccessToken
	}
	t.Permissions = slices.Clone(t.Permissions)
	for i, o := range s.st.Tokens {
		if o.AccessToken == replaces {
			s.st.Tokens[i] = t
			s.version.Add(1)
			return nil
		}
	}
	s.st.Tokens = append(s.st.Tokens, t)
	s.version.Add(1)
	return nil
}

// Group returns the OK settings of a group (zero settings with the id
// when none are stored).
func (s *Section) Group(id int64) GroupSettings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, g := range s.st.Groups {
		if g.ID == id {
			return g
		}
	}
	return GroupSettings{ID: id}
}

// Credentials lists every credential of the section (application key,
// access and refresh tokens), for the sandbox's credential
// index.
func (s *Section) Credentials() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []string{}
	if s.st.Application.Key != "" {
		out = append(out, s.st.Application.Key)
	}
	for _, t := range s.st.Tokens {
		out = append(out, t.AccessToken)
		if t.RefreshToken != "" {
			out = append(out, t.RefreshToken)
		}
	}
	return out
}

// SettingsOf decodes the OK section of a scenario.
func SettingsOf(sc world.Scenario) (Settings, error) {
	st, err := decodeSettings(sc.Sections[SectionName])
	return st, world.InField(SectionName, err)
}

// PutSettings stores st as the OK section of sc.
func PutSettings(sc *world.Scenario, st Settings) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	if sc.Sections == nil {
		sc.Sections = map[string]json.RawMessage{}
	}
	sc.Sections[SectionName] = raw
	return nil
}
