package posmock

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gospubliki/gosdk/mock/world"
)

// SectionName is the key of the POS section in a world scenario.
const SectionName = "pos"

// SandboxPrefix starts every sandbox POS credential (API system
// passwords and the tokens the emulator issues), so a production
// credential is never seeded into a sandbox by mistake.
const SandboxPrefix = "MOCK"

// Ids of the default POS section.
const (
	// DefaultMinistryOpaID is the LKO of the default ministry (connected
	// for appeals and polls).
	DefaultMinistryOpaID int64 = 900001
	// DefaultSubordinateOpaID is the LKO of the default subordinate
	// organisation: not connected for appeals, so its pages carry the
	// ministry's form.
	DefaultSubordinateOpaID int64 = 900002
	// DefaultSystemUsername is the default external system's login for
	// the appeals API.
	DefaultSystemUsername = "mock-system"
)

// LKO is an organisation's personal cabinet (ЛКО) in POS.
type LKO struct {
	// OpaID is the cabinet id (the form's opaId, > 0, unique).
	OpaID int64 `json:"opa_id"`
	// OrgOID is the organisation in the world.
	OrgOID int64 `json:"org_oid"`
	// Appeals and Polls say whether the cabinet is connected for appeals
	// (the form) and for polls and votes.
	Appeals bool `json:"appeals,omitempty"`
	Polls   bool `json:"polls,omitempty"`
	// WidgetSites are the sites and pages listed under «Сайт/соцсети»
	// with «Сайт размещения виджета» checked (absolute http(s) URLs).
	WidgetSites []string `json:"widget_sites,omitempty"`
}

// System is an external system allowed to use the appeals API
// (OAuth2 password grant).
type System struct {
	// Username is the system's login (no spaces or &=;:).
	Username string `json:"username"`
	// Password starts with [SandboxPrefix]; it is left out of exports
	// without secrets.
	Password string `json:"password"`
}

// Applicant is the person who filed an appeal.
type Applicant struct {
	EpguID     int64  `json:"epguId,omitempty"`
	Name       string `json:"name,omitempty"`
	Surname    string `json:"surname,omitempty"`
	Patronymic string `json:"patronymic,omitempty"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
}

// Step is one entry of an appeal's history. As the public integration
// shows it, a step taken by the cabinet names its employee (createdBy) and
// the answer step carries the answer.
type Step struct {
	Status     string    `json:"status"`
	StatusText string    `json:"statusText"`
	CreatedAt  time.Time `json:"createdAt"`
	CreatedBy  *Employee `json:"createdBy,omitempty"`
	Answer     *Answer   `json:"answer,omitempty"`
}

// Employee is the cabinet's employee who took a step.
type Employee struct {
	Surname    string `json:"surname"`
	Name       string `json:"name"`
	Patronymic string `json:"patronymic,omitempty"`
	Position   string `json:"position,omitempty"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
}

// Answer is the answer of the ANSWERED step.
type Answer struct {
	AnswerType string `json:"answerType"`
	Comment    string `json:"comment"`
}

// LKOEmployee is who takes the emulator's IN_WORK and ANSWERED steps.
var LKOEmployee = Employee{Surname: "Петрова", Name: "Анна", Patronymic: "Сергеевна", Position: "специалист ЦУР"}

// StandardAnswer is the answer of the emulator's ANSWERED step.
var StandardAnswer = Answer{AnswerType: "EXPLANATION", Comment: "Ответ направлен заявителю"}

// Appeal is an appeal filed through the form or the API.
type Appeal struct {
	// ID is POS's appeal id (posId).
	ID int64 `json:"id"`
	// OpaID is the cabinet that received it; OrgOID its organisation.
	OpaID  int64 `json:"opa_id"`
	OrgOID int64 `json:"org_oid"`
	// Source is "form" or "api".
	Source string `json:"source"`
	// Description is the appeal's text.
	Description string `json:"description"`
	// SubjectID, SubsubjectID and RegionID are the catalogue entries an
	// API appeal names (zero for a form appeal).
	SubjectID    int64 `json:"subject_id,omitempty"`
	SubsubjectID int64 `json:"subsubject_id,omitempty"`
	RegionID     int64 `json:"region_id,omitempty"`
	// Attachments are file ids from the file storage.
	Attachments []string `json:"attachments,omitempty"`
	// Applicant is who filed it.
	Applicant Applicant `json:"applicant"`
	// UTM holds the utm_* parameters of the form link it came through.
	UTM map[string]string `json:"utm,omitempty"`
	// CreatedAt is when it was filed, on the world clock.
	CreatedAt time.Time `json:"created_at"`
	// History holds the steps reached so far (oldest first); the last
	// one is the current status.
	History []Step `json:"history"`
}

// Appeal statuses and the world-clock delays after which an appeal
// reaches them.
const (
	StatusNew      = "NEW"
	StatusInWork   = "IN_WORK"
	StatusAnswered = "ANSWERED"
)

// Lifecycle is the schedule an appeal follows on the world clock: it is
// NEW when filed, IN_WORK an hour later and ANSWERED a day later.
var Lifecycle = []struct {
	Status, Text string
	After        time.Duration
}{
	{StatusNew, "Новое", 0},
	{StatusInWork, "В работе", time.Hour},
	{StatusAnswered, "Ответ направлен", 24 * time.Hour},
}

// Settings is the content of the POS section.
type Settings struct {
	// LKOs are the organisations' cabinets (one per organisation).
	LKOs []LKO `json:"lkos,omitempty"`
	// Systems may call the appeals API.
	Systems []System `json:"systems,omitempty"`
	// Appeals are the appeals filed so far, oldest first.
	Appeals []Appeal `json:"appeals,omitempty"`
}

// DefaultSettings returns the default POS section for the default
// scenario's organisations: the ministry connected for appeals and polls
// with its site as the widget site, the subordinate organisation's LKO
// connected for neither (it uses the ministry's form), the LKOs of the
// default region ([RegionLKOs] of [world.DefaultRegion]), and one
// external system for the appeals API.
func DefaultSettings() Settings { return SettingsFor(1) }

// SettingsFor is [DefaultSettings] with the system password derived
// from seed (each tenant has its own).
func SettingsFor(seed int64) Settings {
	st := Settings{
		LKOs: []LKO{
			{OpaID: DefaultMinistryOpaID, OrgOID: world.DefaultMinistryOID, Appeals: true, Polls: true,
				WidgetSites: []string{"https://minsvyaz29.example/", "https://vk.com/minsvyaz29"}},
			{OpaID: DefaultSubordinateOpaID, OrgOID: world.DefaultSubordinateOID},
		},
		Systems: []System{{Username: DefaultSystemUsername, Password: NewCredential("password", seed, 24)}},
	}
	st.LKOs = append(st.LKOs, RegionLKOs(world.DefaultRegion())...)
	return st
}

// RegionLKOs returns the LKOs of a region's bodies (see [world.Region]):
// one per body with an opaId, connected for appeals and polls as the body
// says, listing as widget sites the body's site and the VK communities
// whose appeal form is this LKO's ([world.RegionBody.FormOpaID]).
// The ROIV's LKO ([DefaultMinistryOpaID]) is not among them.
func RegionLKOs(r world.Region) []LKO {
	var out []LKO
	for _, b := range r.Bodies {
		if b.OpaID == 0 || b.Kind == world.BodyROIV {
			continue
		}
		l := LKO{OpaID: b.OpaID, OrgOID: b.OID, Appeals: b.Appeals, Polls: b.Appeals}
		if b.Site != "" {
			l.WidgetSites = append(l.WidgetSites, b.Site)
		}
		// The VK communities whose appeal form is this LKO's: the body's
		// own, and those of bodies below it not connected for appeals.
		for _, p := range r.Pages {
			if o, ok := r.Body(p.OwnerOrgOID); ok && p.Network == world.NetworkVK && o.FormOpaID == b.OpaID && p.Username != "" {
				l.WidgetSites = append(l.WidgetSites, "https://vk.com/"+p.Username)
			}
		}
		out = append(out, l)
	}
	return out
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
		x += 0x9e3779b97f4a7c15
		z := (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
		b.WriteByte(alphabet[z%uint64(len(alphabet))])
	}
	return b.String()
}

// Section is the POS section of a world. It implements [world.Section].
type Section struct {
	version atomic.Uint64
	mu      sync.RWMutex
	st      Settings
}

var _ world.Section = (*Section)(nil)

// NewSection returns an empty POS section.
func NewSection() *Section { return &Section{} }

// SectionOf returns the POS section of a world, registering an empty one
// when it has none.
func SectionOf(w *world.World) *Section {
	s, _ := world.SectionOf(w, SectionName, NewSection)
	return s
}

// Name returns [SectionName].
func (s *Section) Name() string { return SectionName }

// Version changes whenever the section changes.
func (s *Section) Version() uint64 { return s.version.Load() }

// Default returns nil: the sandbox adds [DefaultSettings] to its default
// scenario ([PutSettings]), so a world built from another scenario starts
// with no LKO.
func (s *Section) Default() json.RawMessage { return nil }

// PutSettings stores st as the POS section of sc.
func PutSettings(sc *world.Scenario, st Settings) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	if sc.Sections == nil {
		sc.Sections = map[string]json.RawMessage{}
	}
	sc.Sections[SectionName] = b
	return nil
}

// SettingsOf reads the POS section of sc.
func SettingsOf(sc world.Scenario) (Settings, error) { return decodeSettings(sc.Sections[SectionName]) }

func decodeSettings(raw json.RawMessage) (Settings, error) {
	return world.DecodeSection[Settings](raw)
}

// Validate checks the section's content and its references to
// organisations.
func (s *Section) Validate(raw json.RawMessage, shared world.Lookup) error {
	st, err := decodeSettings(raw)
	if err != nil {
		return err
	}
	return validateSettings(st, shared)
}

// ValidWidgetSite reports why a widget site is refused ("" when it is
// accepted): an absolute http or https URL with a host and no spaces.
func ValidWidgetSite(s string) string {
	if strings.ContainsAny(s, " \t\r\n") {
		return "holds a space"
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "must be an absolute http(s) URL"
	}
	return ""
}

func validateSettings(st Settings, shared world.Lookup) error {
	opa := map[int64]bool{}
	orgs := map[int64]bool{}
	for i, l := range st.LKOs {
		path := world.Index("lkos", i)
		if l.OpaID <= 0 {
			return world.Fieldf(world.ErrInvalid, path+".opa_id", "must be positive")
		}
		if opa[l.OpaID] {
			return world.Fieldf(world.ErrDuplicate, path+".opa_id", "opaId %d listed twice", l.OpaID)
		}
		opa[l.OpaID] = true
		if _, err := shared.Organization(l.OrgOID); err != nil {
			return world.Fieldf(world.ErrNotFound, path+".org_oid", "no organisation %d", l.OrgOID)
		}
		if orgs[l.OrgOID] {
			return world.Fieldf(world.ErrDuplicate, path+".org_oid", "organisation %d has two LKOs", l.OrgOID)
		}
		orgs[l.OrgOID] = true
		for j, site := range l.WidgetSites {
			if why := ValidWidgetSite(site); why != "" {
				return world.Fieldf(world.ErrInvalid, world.Index(path+".widget_sites", j), "%s", why)
			}
		}
	}
	users := map[string]bool{}
	for i, sy := range st.Systems {
		path := world.Index("systems", i)
		if sy.Username == "" || strings.ContainsAny(sy.Username, " \t\r\n&=;:") {
			return world.Fieldf(world.ErrInvalid, path+".username", "must be non-empty without spaces or &=;:")
		}
		if users[sy.Username] {
			return world.Fieldf(world.ErrDuplicate, path+".username", "listed twice")
		}
		users[sy.Username] = true
		if !strings.HasPrefix(sy.Password, SandboxPrefix) {
			return world.Fieldf(world.ErrInvalid, path+".password", "refusing a production-looking password; sandbox POS passwords start with %q", SandboxPrefix)
		}
	}
	ids := map[int64]bool{}
	for i, a := range st.Appeals {
		path := world.Index("appeals", i)
		if a.ID <= 0 || ids[a.ID] {
			return world.Fieldf(world.ErrInvalid, path+".id", "must be positive and unique")
		}
		ids[a.ID] = true
		if !opa[a.OpaID] {
			return world.Fieldf(world.ErrNotFound, path+".opa_id", "no LKO %d", a.OpaID)
		}
		if len(a.History) == 0 {
			return world.Fieldf(world.ErrInvalid, path+".history", "is empty")
		}
	}
	return nil
}

func (st Settings) clone() Settings {
	out := Settings{LKOs: make([]LKO, len(st.LKOs)), Systems: slices.Clone(st.Systems), Appeals: make([]Appeal, len(st.Appeals))}
	for i, l := range st.LKOs {
		l.WidgetSites = slices.Clone(l.WidgetSites)
		out.LKOs[i] = l
	}
	for i, a := range st.Appeals {
		a.History = slices.Clone(a.History)
		a.Attachments = slices.Clone(a.Attachments)
		if a.UTM != nil {
			m := make(map[string]string, len(a.UTM))
			for k, v := range a.UTM {
				m[k] = v
			}
			a.UTM = m
		}
		out.Appeals[i] = a
	}
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

// Seed adds LKOs, systems and appeals; the result must validate as a
// whole.
func (s *Section) Seed(raw json.RawMessage, shared world.Lookup) error {
	st, err := decodeSettings(raw)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	merged := s.st.clone()
	merged.LKOs = append(merged.LKOs, st.LKOs...)
	merged.Systems = append(merged.Systems, st.Systems...)
	merged.Appeals = append(merged.Appeals, st.Appeals...)
	if err := validateSettings(merged, shared); err != nil {
		return err
	}
	s.st = merged
	s.version.Add(1)
	return nil
}

// Export returns the section's content; without secrets the systems'
// passwords are left out.
func (s *Section) Export(secrets bool) (json.RawMessage, error) {
	st := s.Settings()
	if len(st.LKOs) == 0 && len(st.Systems) == 0 && len(st.Appeals) == 0 {
		return nil, nil
	}
	if !secrets {
		for i := range st.Systems {
			st.Systems[i].Password = ""
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

// modify runs f on the section's content under the lock; on error
// nothing changes.
func (s *Section) modify(f func(st *Settings) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st.clone()
	if err := f(&st); err != nil {
		return err
	}
	s.st = st
	s.version.Add(1)
	return nil
}
