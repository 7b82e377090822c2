package vkmock

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gospubliki/gosdk/mock/world"
)

// SectionName is the key of the VK section in a world scenario.
const SectionName = "vk"

// Token kinds, as VK names them.
const (
	KindUser      = "user"      // a person's token (OAuth), acting as that person
	KindCommunity = "community" // a community ("group") token
	KindService   = "service"   // an application's service token
)

// Scopes of user tokens and community tokens, as VK names them.
const (
	ScopeWall     = "wall"
	ScopePhotos   = "photos"
	ScopeVideo    = "video"
	ScopeGroups   = "groups"
	ScopeStats    = "stats"
	ScopeOffline  = "offline"
	ScopeManage   = "manage"   // community token: manage the community
	ScopeMessages = "messages" // community token: community messages
)

// Ids and tokens of the default VK section. The community is
// [world.DefaultVKGroupID].
const (
	DefaultAppID int64 = 51000001
)

// SandboxTokenPrefix starts every sandbox VK token, so a production token
// can never be seeded into a sandbox by mistake.
const SandboxTokenPrefix = "vkmock."

// GovCategoryID is the emulator's id of the public category
// «Государственная организация» in groups.getSettings'
// public_category_list. VK does not document the id; clients should find
// the category by name.
const GovCategoryID = 1002

// Token is a VK access token the emulator accepts.
type Token struct {
	// Token is the secret; it must start with [SandboxTokenPrefix].
	Token string `json:"token"`
	// Kind is [KindUser], [KindCommunity] or [KindService].
	Kind string `json:"kind"`
	// UserID is the VK user id of a user token (a person's VK account in
	// the world).
	UserID int64 `json:"user_id,omitempty"`
	// GroupID is the community of a community token.
	GroupID int64 `json:"group_id,omitempty"`
	// AppID is the application that holds the token.
	AppID int64 `json:"app_id,omitempty"`
	// Scopes are the token's permissions (user: wall, photos, video,
	// groups, stats, offline; community: manage, messages, photos, wall).
	// Service tokens have none.
	Scopes []string `json:"scopes,omitempty"`
}

// HasScope reports whether the token carries scope.
func (t Token) HasScope(scope string) bool { return slices.Contains(t.Scopes, scope) }

// MenuItem is an item of a community's menu («Меню»), which VK lets only
// its UI edit; the API reads it through groups.getById fields=menu.
type MenuItem struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
	// Cover names the item's cover image (for instance one of the
	// official POS covers, «Сообщить о проблеме»).
	Cover string `json:"cover,omitempty"`
}

// Link is an item of a community's links block.
type Link struct {
	ID   int64  `json:"id"`
	URL  string `json:"url"`
	Name string `json:"name"`
	Desc string `json:"desc,omitempty"`
}

// Stats are a community's counters reported by stats.get, per day.
type Stats struct {
	Visitors int `json:"visitors,omitempty"`
	Views    int `json:"views,omitempty"`
	Reach    int `json:"reach,omitempty"`
}

// Community is what only VK knows of a VK page of the world (the page
// itself, with its title, description, photo, city, owner and managers, is
// shared in the world).
type Community struct {
	// ID is the world page's id ([world.Page.ID], network "vk").
	ID int64 `json:"id"`
	// PublicCategory and PublicSubcategory are the public page's category
	// ([GovCategoryID] for «Государственная организация»).
	PublicCategory    int `json:"public_category,omitempty"`
	PublicSubcategory int `json:"public_subcategory,omitempty"`
	// Private marks a private community (access 2); otherwise the world
	// page's Open decides between open (0) and closed (1).
	Private bool `json:"private,omitempty"`
	// Verified is the blue check (groups.getById verified).
	Verified bool `json:"verified,omitempty"`
	// Activity is groups.getById activity (the theme of a public page).
	Activity string `json:"activity,omitempty"`
	// Website is the community's site.
	Website string `json:"website,omitempty"`
	// Menu and Links are the menu items and the links block.
	Menu  []MenuItem `json:"menu,omitempty"`
	Links []Link     `json:"links,omitempty"`
	// Stats are the daily counters stats.get reports.
	Stats Stats `json:"stats,omitzero"`
}

func (c Community) clone() Community {
	c.Menu = slices.Clone(c.Menu)
	c.Links = slices.Clone(c.Links)
	return c
}

// Settings is the content of the VK section.
type Settings struct {
	// Tokens are the access tokens the emulator accepts.
	Tokens []Token `json:"tokens,omitempty"`
	// Communities are the VK-only settings of the world's VK pages.
	Communities []Community `json:"communities,omitempty"`
}

func (st *Settings) sort() {
	slices.SortFunc(st.Tokens, func(a, b Token) int { return strings.Compare(a.Token, b.Token) })
	slices.SortFunc(st.Communities, func(a, b Community) int { return cmp.Compare(a.ID, b.ID) })
}

// NewToken returns a sandbox token of a kind, derived deterministically
// from seed: [SandboxTokenPrefix], the kind's letter and 40 hexadecimal
// characters.
func NewToken(kind string, seed int64) string {
	letter := "s"
	switch kind {
	case KindUser:
		letter = "u"
	case KindCommunity:
		letter = "c"
	}
	var b strings.Builder
	b.WriteString(SandboxTokenPrefix)
	b.WriteString(letter)
	b.WriteByte('.')
	x := uint64(seed)*0x9e3779b97f4a7c15 + uint64(len(kind))
	for b.Len() < len(SandboxTokenPrefix)+2+40 {
		x = splitmix64(x)
		fmt.Fprintf(&b, "%016x", x)
	}
	return b.String()[:len(SandboxTokenPrefix)+2+40]
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// DefaultPOSBrokenGroupID is the community of the ministry's subordinate
// organisation in the default scenario ([AddDefault]); its POS menu is
// broken (the polls link says utm_source=vk instead of vk2, and its LKO does
// not list the page as a widget site), while the ministry's community
// carries the POS menu as the placement plan writes it.
const DefaultPOSBrokenGroupID int64 = 200000002

// posBase is the address of POS the default menus link to.
const posBase = "https://pos.gosuslugi.ru"

// defaultMenu is the ministry's menu: the two POS items of its placement
// plan (its own LKO 900001, the regional polls of region 11), then a link.
func defaultMenu() []MenuItem {
	ogrn := world.NewOGRN(1)
	return []MenuItem{
		{ID: 1, Title: "Решаем вместе", Cover: "Сообщить о проблеме",
			URL: posBase + "/form/?opaId=900001&utm_source=vk&utm_medium=11&utm_campaign=" + ogrn},
		{ID: 2, Title: "Решаем вместе", Cover: "Высказать мнение",
			URL: posBase + "/og/org-activities?reg_code=11&utm_source=vk1&utm_medium=11&utm_campaign=" + ogrn},
		{ID: 3, Title: "Госуслуги", URL: "https://www.gosuslugi.ru"},
	}
}

// brokenMenu is the subordinate organisation's menu: the ministry's LKO (the
// subordinate is not connected), and the municipal polls with the wrong
// utm_source.
func brokenMenu() []MenuItem {
	ogrn := world.NewOGRN(2)
	return []MenuItem{
		{ID: 1, Title: "Решаем вместе", Cover: "Сообщить о проблеме",
			URL: posBase + "/form/?opaId=900001&utm_source=vk&utm_medium=11&utm_campaign=" + ogrn},
		{ID: 2, Title: "Решаем вместе", Cover: "Высказать мнение",
			URL: posBase + "/og/org-activities?mun_code=11701000&utm_source=vk&utm_medium=11&utm_campaign=" + ogrn},
	}
}

// AddDefault adds the subordinate organisation's VK community
// ([DefaultPOSBrokenGroupID]) with its broken POS menu to a scenario: the
// page among the shared pages and its settings in the VK section (which
// starts from [DefaultSettings] when absent). A scenario that has the page
// is left alone.
func AddDefault(sc *world.Scenario) {
	for _, p := range sc.Pages {
		if p.Network == world.NetworkVK && p.ID == DefaultPOSBrokenGroupID {
			return
		}
	}
	st := DefaultSettings()
	if _, ok := sc.Sections[SectionName]; ok {
		got, err := SettingsOf(*sc)
		if err != nil {
			return
		}
		st = got
	}
	st.Communities = append(st.Communities, Community{
		ID: DefaultPOSBrokenGroupID, PublicCategory: GovCategoryID, Activity: "Государственное учреждение",
		Menu: brokenMenu(),
	})
	st.sort()
	if err := PutSettings(sc, st); err != nil {
		return
	}
	sc.Pages = append(sc.Pages, world.Page{
		Network: world.NetworkVK, ID: DefaultPOSBrokenGroupID, Kind: world.PagePublic, Username: "ccs29",
		Title: "ГБУ АО «Центр цифровых сервисов»", Description: "Официальная страница ГБУ АО «ЦЦС»",
		OwnerOrgOID: world.DefaultSubordinateOID, City: "Архангельск", Open: true,
		Admins: []world.PageAdmin{{PersonOID: world.DefaultChiefOID, Role: world.RoleCreator}},
	})
	slices.SortFunc(sc.Pages, func(a, b world.Page) int {
		if c := strings.Compare(a.Network, b.Network); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// DefaultSettings returns the VK section of the default scenario: a user
// token of the ministry's chief (owner of [world.DefaultVKGroupID]), a
// community token of that community and a service token, and the
// community's VK settings (its category is not yet «Государственная
// организация», and it has a menu and a link).
func DefaultSettings() Settings {
	st := Settings{
		Tokens: []Token{
			{Token: NewToken(KindUser, 1), Kind: KindUser, UserID: world.DefaultChiefVKID, AppID: DefaultAppID,
				Scopes: []string{ScopeWall, ScopePhotos, ScopeVideo, ScopeGroups, ScopeStats, ScopeOffline}},
			{Token: NewToken(KindCommunity, 2), Kind: KindCommunity, GroupID: world.DefaultVKGroupID, AppID: DefaultAppID,
				Scopes: []string{ScopeManage, ScopeMessages, ScopePhotos, ScopeWall}},
			{Token: NewToken(KindService, 3), Kind: KindService, AppID: DefaultAppID},
		},
		Communities: []Community{{
			ID: world.DefaultVKGroupID, PublicCategory: 1001, Activity: "Органы власти",
			Website: "https://minsvyaz29.example",
			Menu:    defaultMenu(),
			Links:   []Link{{ID: 1, URL: "https://minsvyaz29.example", Name: "Сайт министерства"}},
			Stats:   Stats{Visitors: 120, Views: 480, Reach: 300},
		}},
	}
	st.Communities = append(st.Communities, RegionCommunities(world.DefaultRegion())...)
	st.sort()
	return st
}

// RegionCommunities returns the VK settings of a region's VK communities
// (see [world.Region]): the «Государственная организация» category on its
// public pages, the body's site, and a menu with the two POS items of the
// placement plan, the appeal form of [world.RegionBody.FormOpaID] and the
// polls of the region (the ROIV) or of the municipality (the others).
// A page with [world.DefectWrongPOSLink] links the ministry's LKO instead.
func RegionCommunities(r world.Region) []Community {
	var out []Community
	for i, p := range r.Pages {
		if p.Network != world.NetworkVK {
			continue
		}
		org := world.Organization{}
		for _, o := range r.Organizations {
			if o.OID == p.OwnerOrgOID {
				org = o
			}
		}
		b, _ := r.Body(p.OwnerOrgOID)
		opa := b.FormOpaID
		if slices.Contains(r.PageDefects[i].Defects, world.DefectWrongPOSLink) {
			opa = 900001
		}
		polls := posBase + "/og/org-activities?mun_code=" + org.OKTMO[:8] + "&utm_source=vk2"
		if b.Kind == world.BodyROIV {
			polls = posBase + "/og/org-activities?reg_code=11&utm_source=vk1"
		}
		c := Community{ID: p.ID, Activity: regionActivity[b.Kind], Website: b.Site,
			Menu: []MenuItem{
				{ID: 1, Title: "Решаем вместе", Cover: "Сообщить о проблеме",
					URL: fmt.Sprintf("%s/form/?opaId=%d&utm_source=vk&utm_medium=11&utm_campaign=%s", posBase, opa, org.OGRN)},
				{ID: 2, Title: "Решаем вместе", Cover: "Высказать мнение",
					URL: polls + "&utm_medium=11&utm_campaign=" + org.OGRN},
			},
			Links: []Link{{ID: 1, URL: b.Site, Name: "Официальный сайт"}},
			Stats: Stats{Visitors: p.MemberCount / 20, Views: p.MemberCount / 5, Reach: p.MemberCount / 8},
		}
		if p.Kind == world.PagePublic {
			c.PublicCategory = GovCategoryID
		}
		out = append(out, c)
	}
	return out
}

// regionActivity is the theme of a region's community by body kind.
var regionActivity = map[world.BodyKind]string{
	world.BodyROIV:         "Органы власти",
	world.BodyMunicipality: "Органы власти",
	world.BodyHospital:     "Медицинское учреждение",
	world.BodySchool:       "Образовательное учреждение",
}

// Section is the VK part of a world: tokens and community settings. It is
// safe for concurrent use.
type Section struct {
	mu      sync.RWMutex
	st      Settings
	version atomic.Uint64
}

var _ world.Section = (*Section)(nil)

// NewSection returns an empty VK section.
func NewSection() *Section { return &Section{} }

// SectionOf returns the VK section of a world, registering a new one when
// it has none.
func SectionOf(w *world.World) *Section {
	s, err := world.SectionOf(w, SectionName, NewSection)
	if err != nil {
		w.Logger().Warn("vkmock: the VK section could not be registered; it starts empty", "err", err)
	}
	return s
}

// Name returns [SectionName].
func (s *Section) Name() string { return SectionName }

// Version returns a counter that changes whenever the section changes.
func (s *Section) Version() uint64 { return s.version.Load() }

// Default returns [DefaultSettings] as JSON.
func (s *Section) Default() json.RawMessage {
	b, _ := json.Marshal(DefaultSettings())
	return b
}

func decodeSettings(raw json.RawMessage) (Settings, error) {
	var st Settings
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return st, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		if fe := world.DecodeError(raw, err); fe != err {
			return st, fe
		}
		return st, world.Fieldf(world.ErrInvalid, "", "%v", err)
	}
	return st, nil
}

var tokenRe = regexp.MustCompile(`^[A-Za-z0-9._-]{16,200}$`)

// productionLooking reports a token shaped like a real VK token: the
// current "vk1.a." tokens and the older 85-character hexadecimal ones.
func productionLooking(tok string) bool {
	if strings.HasPrefix(tok, "vk1.") {
		return true
	}
	if len(tok) >= 64 {
		hex := true
		for i := 0; i < len(tok); i++ {
			if !strings.ContainsRune("0123456789abcdef", rune(tok[i])) {
				hex = false
				break
			}
		}
		return hex
	}
	return false
}

// ValidateToken checks a token on its own: a sandbox token
// ([SandboxTokenPrefix]) of a known kind, never a production-looking one.
func ValidateToken(t Token) error {
	switch {
	case productionLooking(t.Token):
		return world.Fieldf(world.ErrInvalid, "token", "looks like a production VK token; sandbox tokens start with %q", SandboxTokenPrefix)
	case !strings.HasPrefix(t.Token, SandboxTokenPrefix) || !tokenRe.MatchString(t.Token):
		return world.Fieldf(world.ErrInvalid, "token", "must start with %q and hold 16 to 200 letters, digits, '.', '_' or '-'", SandboxTokenPrefix)
	}
	switch t.Kind {
	case KindUser:
		if t.UserID <= 0 || t.GroupID != 0 {
			return world.Fieldf(world.ErrInvalid, "user_id", "a user token needs a user_id and no group_id")
		}
	case KindCommunity:
		if t.GroupID <= 0 || t.UserID != 0 {
			return world.Fieldf(world.ErrInvalid, "group_id", "a community token needs a group_id and no user_id")
		}
	case KindService:
		if t.UserID != 0 || t.GroupID != 0 || len(t.Scopes) > 0 {
			return world.Fieldf(world.ErrInvalid, "kind", "a service token has no user, group or scopes")
		}
	default:
		return world.Fieldf(world.ErrInvalid, "kind", "unknown token kind %q (known: user, community, service)", t.Kind)
	}
	return nil
}

func validateSettings(st Settings, shared world.Lookup) error {
	seen := map[string]bool{}
	for i, t := range st.Tokens {
		if err := world.InField(world.Index("tokens", i), ValidateToken(t)); err != nil {
			return err
		}
		if seen[t.Token] {
			return world.Fieldf(world.ErrDuplicate, world.Index("tokens", i)+".token", "the token is listed twice")
		}
		seen[t.Token] = true
		if t.GroupID != 0 {
			if _, err := shared.Page(world.NetworkVK, t.GroupID); err != nil {
				return world.Fieldf(world.ErrNotFound, world.Index("tokens", i)+".group_id", "no VK page %d in the world", t.GroupID)
			}
		}
	}
	ids := map[int64]bool{}
	for i, c := range st.Communities {
		if _, err := shared.Page(world.NetworkVK, c.ID); err != nil {
			return world.Fieldf(world.ErrNotFound, world.Index("communities", i)+".id", "no VK page %d in the world", c.ID)
		}
		if ids[c.ID] {
			return world.Fieldf(world.ErrDuplicate, world.Index("communities", i)+".id", "community %d is listed twice", c.ID)
		}
		ids[c.ID] = true
	}
	return nil
}

// Validate checks content on its own and against the shared entities.
func (s *Section) Validate(raw json.RawMessage, shared world.Lookup) error {
	st, err := decodeSettings(raw)
	if err != nil {
		return err
	}
	return validateSettings(st, shared)
}

// Import replaces the section's content.
func (s *Section) Import(raw json.RawMessage) error {
	st, err := decodeSettings(raw)
	if err != nil {
		return err
	}
	st.sort()
	s.mu.Lock()
	s.st = st
	s.mu.Unlock()
	s.version.Add(1)
	return nil
}

// Seed adds tokens and communities; a token or community already there is
// refused with [world.ErrDuplicate].
func (s *Section) Seed(raw json.RawMessage, shared world.Lookup) error {
	st, err := decodeSettings(raw)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	merged := s.settingsLocked()
	for i, t := range st.Tokens {
		if slices.ContainsFunc(merged.Tokens, func(o Token) bool { return o.Token == t.Token }) {
			return world.Fieldf(world.ErrDuplicate, world.Index("tokens", i)+".token", "the token is already in the world")
		}
	}
	for i, c := range st.Communities {
		if slices.ContainsFunc(merged.Communities, func(o Community) bool { return o.ID == c.ID }) {
			return world.Fieldf(world.ErrDuplicate, world.Index("communities", i)+".id", "community %d already has VK settings", c.ID)
		}
	}
	merged.Tokens = append(merged.Tokens, st.Tokens...)
	merged.Communities = append(merged.Communities, st.Communities...)
	if err := validateSettings(merged, shared); err != nil {
		return err
	}
	merged.sort()
	s.st = merged
	s.version.Add(1)
	return nil
}

// Export returns the section's content; without secrets, tokens are left
// out.
func (s *Section) Export(secrets bool) (json.RawMessage, error) {
	st := s.Settings()
	if len(st.Tokens) == 0 && len(st.Communities) == 0 {
		return nil, nil
	}
	if !secrets {
		st.Tokens = nil
	}
	return json.Marshal(st)
}

func (s *Section) settingsLocked() Settings {
	st := Settings{Tokens: slices.Clone(s.st.Tokens), Communities: make([]Community, len(s.st.Communities))}
	for i := range st.Tokens {
		st.Tokens[i].Scopes = slices.Clone(st.Tokens[i].Scopes)
	}
	for i, c := range s.st.Communities {
		st.Communities[i] = c.clone()
	}
	return st
}

// Settings returns a copy of the section's content.
func (s *Section) Settings() Settings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.settingsLocked()
}

// Tokens returns the section's tokens.
func (s *Section) Tokens() []Token { return s.Settings().Tokens }

// Token returns the token with a secret.
func (s *Section) Token(tok string) (Token, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, t := range s.st.Tokens {
		if t.Token == tok {
			t.Scopes = slices.Clone(t.Scopes)
			return t, true
		}
	}
	return Token{}, false
}

// AddToken validates and adds a token.
func (s *Section) AddToken(t Token, shared world.Lookup) error {
	raw, _ := json.Marshal(Settings{Tokens: []Token{t}})
	return s.Seed(raw, shared)
}

// Community returns the VK settings of a community (zero settings with
// the id when it has none).
func (s *Section) Community(id int64) Community {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, c := range s.st.Communities {
		if c.ID == id {
			return c.clone()
		}
	}
	return Community{ID: id}
}

// ModifyCommunity changes the VK settings of a community under the
// section's lock.
func (s *Section) ModifyCommunity(id int64, f func(*Community) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.st.Communities, func(c Community) bool { return c.ID == id })
	c := Community{ID: id}
	if i >= 0 {
		c = s.st.Communities[i].clone()
	}
	if err := f(&c); err != nil {
		return err
	}
	c.ID = id
	if i >= 0 {
		s.st.Communities[i] = c
	} else {
		s.st.Communities = append(s.st.Communities, c)
		s.st.sort()
	}
	s.version.Add(1)
	return nil
}

// SettingsOf decodes the VK section of a scenario.
func SettingsOf(sc world.Scenario) (Settings, error) {
	st, err := decodeSettings(sc.Sections[SectionName])
	return st, world.InField(SectionName, err)
}

// PutSettings stores st as the VK section of sc.
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
