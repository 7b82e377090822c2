package world

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ScenarioVersion is the version of the scenario format written by
// [World.Export]. [ParseScenario] accepts versions 0 (unset) and 1.
const ScenarioVersion = 1

// Scenario is the seedable state of a world: what scenario files hold and
// what [World.Export] and [World.Import] exchange.
type Scenario struct {
	// Version is the format version ([ScenarioVersion]).
	Version       int            `json:"version"`
	People        []Person       `json:"people,omitempty"`
	Organizations []Organization `json:"organizations,omitempty"`
	Employees     []Employee     `json:"employees,omitempty"`
	Pages         []Page         `json:"pages,omitempty"`
	Bots          []Bot          `json:"bots,omitempty"`
}

// ParseScenario decodes a scenario from JSON, rejecting unknown fields and
// unsupported versions, and validates it.
func ParseScenario(data []byte) (Scenario, error) {
	var sc Scenario
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return Scenario{}, fmt.Errorf("%w: scenario: %v", ErrInvalid, err)
	}
	if dec.More() {
		return Scenario{}, fmt.Errorf("%w: scenario: trailing data", ErrInvalid)
	}
	if err := sc.Validate(); err != nil {
		return Scenario{}, err
	}
	return sc, nil
}

func (sc Scenario) clone() Scenario {
	out := Scenario{Version: sc.Version}
	for _, p := range sc.People {
		out.People = append(out.People, p.clone())
	}
	out.Organizations = slices.Clone(sc.Organizations)
	for _, e := range sc.Employees {
		out.Employees = append(out.Employees, e.clone())
	}
	for _, p := range sc.Pages {
		out.Pages = append(out.Pages, p.clone())
	}
	out.Bots = slices.Clone(sc.Bots)
	return out
}

func (sc *Scenario) sort() {
	slices.SortFunc(sc.People, func(a, b Person) int { return cmp.Compare(a.OID, b.OID) })
	slices.SortFunc(sc.Organizations, func(a, b Organization) int { return cmp.Compare(a.OID, b.OID) })
	slices.SortFunc(sc.Employees, func(a, b Employee) int {
		return cmp.Or(cmp.Compare(a.OrgOID, b.OrgOID), cmp.Compare(a.PersonOID, b.PersonOID))
	})
	slices.SortFunc(sc.Pages, func(a, b Page) int {
		return cmp.Or(cmp.Compare(a.Network, b.Network), cmp.Compare(a.ID, b.ID))
	})
	slices.SortFunc(sc.Bots, func(a, b Bot) int { return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Token, b.Token)) })
}

// Validate checks every entity and the references between them (employees,
// page owners and admins, parents, duplicate ids and logins, page
// usernames, bot tokens, and bot ids and usernames per network and
// environment, refused exactly as the Add methods refuse them).
func (sc Scenario) Validate() error {
	if sc.Version != 0 && sc.Version != ScenarioVersion {
		return fmt.Errorf("%w: scenario version %d is not supported (want %d)", ErrInvalid, sc.Version, ScenarioVersion)
	}
	w := &World{}
	w.loadLocked(Scenario{})
	for _, p := range sc.People {
		if err := validatePerson(p); err != nil {
			return err
		}
		if _, ok := w.people[p.OID]; ok {
			return fmt.Errorf("%w: person %d", ErrDuplicate, p.OID)
		}
		if err := w.loginFreeLocked(p); err != nil {
			return err
		}
		w.putPersonLocked(p)
	}
	for _, o := range sc.Organizations {
		if err := validateOrg(o); err != nil {
			return err
		}
		if _, ok := w.orgs[o.OID]; ok {
			return fmt.Errorf("%w: organization %d", ErrDuplicate, o.OID)
		}
		w.orgs[o.OID] = o
	}
	for _, o := range sc.Organizations {
		if _, ok := w.orgs[o.ParentOID]; o.ParentOID != 0 && !ok {
			return fmt.Errorf("%w: parent %d of organization %d", ErrNotFound, o.ParentOID, o.OID)
		}
	}
	for _, e := range sc.Employees {
		if _, ok := w.people[e.PersonOID]; !ok {
			return fmt.Errorf("%w: person %d of an employee record", ErrNotFound, e.PersonOID)
		}
		if _, ok := w.orgs[e.OrgOID]; !ok {
			return fmt.Errorf("%w: organization %d of an employee record", ErrNotFound, e.OrgOID)
		}
		k := [2]int64{e.PersonOID, e.OrgOID}
		if _, ok := w.emps[k]; ok {
			return fmt.Errorf("%w: employee %d of organization %d", ErrDuplicate, e.PersonOID, e.OrgOID)
		}
		w.emps[k] = e
	}
	for _, b := range sc.Bots {
		if err := validateBot(b); err != nil {
			return err
		}
		if err := w.botFreeLocked(b); err != nil {
			return err
		}
		w.putBotLocked(b)
	}
	for _, p := range sc.Pages {
		if err := validatePage(p); err != nil {
			return err
		}
		if _, ok := w.pages[pageKey{p.Network, p.ID}]; ok {
			return fmt.Errorf("%w: %s page %d", ErrDuplicate, p.Network, p.ID)
		}
		if err := w.usernameFreeLocked(p); err != nil {
			return err
		}
		if _, ok := w.orgs[p.OwnerOrgOID]; p.OwnerOrgOID != 0 && !ok {
			return fmt.Errorf("%w: owner organization %d of page %d", ErrNotFound, p.OwnerOrgOID, p.ID)
		}
		for _, a := range p.Admins {
			if _, ok := w.people[a.PersonOID]; a.PersonOID != 0 && !ok {
				return fmt.Errorf("%w: admin person %d of page %d", ErrNotFound, a.PersonOID, p.ID)
			}
		}
		for _, m := range p.Members {
			if _, ok := w.people[m]; !ok {
				return fmt.Errorf("%w: member person %d of page %d", ErrNotFound, m, p.ID)
			}
		}
		w.putPageLocked(p)
	}
	return nil
}

func validatePerson(p Person) error {
	switch {
	case p.OID <= 0:
		return fmt.Errorf("%w: person oid must be positive", ErrInvalid)
	case p.SNILS != "" && !ValidSNILS(p.SNILS):
		return fmt.Errorf("%w: person %d: SNILS fails its checksum", ErrInvalid, p.OID)
	case p.INN != "" && (len(p.INN) != 12 || !ValidINN(p.INN)):
		return fmt.Errorf("%w: person %d: INN must be 12 digits with valid check digits", ErrInvalid, p.OID)
	case p.Phone != "" && NormalizePhone(p.Phone) == "":
		return fmt.Errorf("%w: person %d: phone is not a Russian mobile number", ErrInvalid, p.OID)
	case p.Email != "" && !strings.Contains(p.Email, "@"):
		return fmt.Errorf("%w: person %d: email has no @", ErrInvalid, p.OID)
	case p.Gender != "" && p.Gender != GenderMale && p.Gender != GenderFemale:
		return fmt.Errorf("%w: person %d: gender must be M or F", ErrInvalid, p.OID)
	case p.TelegramUserID < 0:
		return fmt.Errorf("%w: person %d: telegram user id must be positive", ErrInvalid, p.OID)
	}
	return nil
}

var kppRe = regexp.MustCompile(`^\d{4}[\dA-Z]{2}\d{3}$`)

func validateOrg(o Organization) error {
	switch {
	case o.OID <= 0:
		return fmt.Errorf("%w: organization oid must be positive", ErrInvalid)
	case o.FullName == "":
		return fmt.Errorf("%w: organization %d: full name is empty", ErrInvalid, o.OID)
	case o.OGRN != "" && !ValidOGRN(o.OGRN):
		return fmt.Errorf("%w: organization %d: OGRN fails its checksum", ErrInvalid, o.OID)
	case o.INN != "" && (len(o.INN) != 10 || !ValidINN(o.INN)):
		return fmt.Errorf("%w: organization %d: INN must be 10 digits with a valid check digit", ErrInvalid, o.OID)
	case o.KPP != "" && !kppRe.MatchString(o.KPP):
		return fmt.Errorf("%w: organization %d: malformed KPP", ErrInvalid, o.OID)
	case o.Type != OrgLegal && o.Type != OrgAgency && o.Type != OrgBusiness:
		return fmt.Errorf("%w: organization %d: type must be LEGAL, AGENCY or BUSINESS", ErrInvalid, o.OID)
	case o.ParentOID == o.OID:
		return fmt.Errorf("%w: organization %d is its own parent", ErrInvalid, o.OID)
	}
	return nil
}

func validatePage(p Page) error {
	switch {
	case p.Network != NetworkTelegram && p.Network != NetworkVK && p.Network != NetworkOK:
		return fmt.Errorf("%w: page %d: unknown network %q", ErrInvalid, p.ID, p.Network)
	case p.ID == 0:
		return fmt.Errorf("%w: page id is zero", ErrInvalid)
	case p.Title == "":
		return fmt.Errorf("%w: page %d: title is empty", ErrInvalid, p.ID)
	}
	if p.Network == NetworkTelegram {
		switch p.Kind {
		case PageChannel, PageSupergroup, PageGroup:
		default:
			return fmt.Errorf("%w: telegram page %d: kind must be channel, supergroup or group", ErrInvalid, p.ID)
		}
		if p.ID > 0 {
			return fmt.Errorf("%w: telegram page %d: chat ids of channels and groups are negative", ErrInvalid, p.ID)
		}
	}
	owners := 0
	for _, a := range p.Admins {
		if (a.PersonOID == 0) == (a.BotID == 0) {
			return fmt.Errorf("%w: page %d: an admin is either a person or a bot", ErrInvalid, p.ID)
		}
		switch a.Role {
		case RoleOwner:
			owners++
			if a.BotID != 0 {
				return fmt.Errorf("%w: page %d: a bot cannot own a page", ErrInvalid, p.ID)
			}
		case RoleAdmin:
		default:
			return fmt.Errorf("%w: page %d: admin role must be %q or %q", ErrInvalid, p.ID, RoleOwner, RoleAdmin)
		}
	}
	if owners > 1 {
		return fmt.Errorf("%w: page %d has more than one owner", ErrInvalid, p.ID)
	}
	return nil
}

var botTokenRe = regexp.MustCompile(`^(\d{1,15}):([A-Za-z0-9_-]{35})$`)

// SandboxTokenPrefix starts the secret part of every sandbox bot token, so a
// production token can never be seeded into a sandbox by mistake.
const SandboxTokenPrefix = "MOCK"

// NewBotToken returns a sandbox bot token of the real shape
// ("<id>:" + 35 characters) for a bot id, derived deterministically from
// seed. The secret part starts with [SandboxTokenPrefix].
func NewBotToken(id int64, seed int64) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	var b strings.Builder
	b.WriteString(strconv.FormatInt(id, 10))
	b.WriteByte(':')
	b.WriteString(SandboxTokenPrefix)
	x := uint64(seed) ^ uint64(id)<<1
	for i := len(SandboxTokenPrefix); i < 35; i++ {
		x = splitmix64(x)
		b.WriteByte(alphabet[x%64])
	}
	return b.String()
}

func validateBot(b Bot) error {
	m := botTokenRe.FindStringSubmatch(b.Token)
	switch {
	case b.Network != NetworkTelegram:
		return fmt.Errorf("%w: bot %d: only telegram bots are supported", ErrInvalid, b.ID)
	case m == nil:
		return fmt.Errorf(`%w: bot %d: token must look like "<id>:<35 chars of [A-Za-z0-9_-]>"`, ErrInvalid, b.ID)
	case m[1] != strconv.FormatInt(b.ID, 10):
		return fmt.Errorf("%w: bot %d: the token's numeric prefix must equal the bot id", ErrInvalid, b.ID)
	case !strings.HasPrefix(m[2], SandboxTokenPrefix):
		return fmt.Errorf("%w: bot %d: refusing a production-looking token; sandbox tokens start with %q after the colon", ErrInvalid, b.ID, SandboxTokenPrefix)
	case b.Username == "" || !strings.HasSuffix(strings.ToLower(b.Username), "bot"):
		return fmt.Errorf("%w: bot %d: username must end in \"bot\"", ErrInvalid, b.ID)
	case b.FirstName == "":
		return fmt.Errorf("%w: bot %d: first name is empty", ErrInvalid, b.ID)
	}
	return nil
}

// Ids of the default scenario's entities.
const (
	DefaultMinistryOID     int64 = 1000001
	DefaultSubordinateOID  int64 = 1000002
	DefaultChiefOID        int64 = 1000000101
	DefaultEmployeeOID     int64 = 1000000102
	DefaultBotID           int64 = 7000000001
	DefaultTestBotID       int64 = 7000000002
	DefaultChannelID       int64 = -1001000000001
	DefaultGroupID         int64 = -1001000000002
	DefaultOldGroupID      int64 = -1000000003
	DefaultChiefTelegramID int64 = 5000000001
	DefaultEmployeeTGID    int64 = 5000000002
)

// DefaultScenario returns the default sandbox world: a regional ministry (an
// AGENCY, 11.REG, region 29) with a subordinate organisation; its chief, who
// is also its ESIA administrator with the Gospubliki access groups; a plain
// employee; a Telegram bot; a channel and a supergroup owned by the ministry
// where the bot is an administrator; and a basic group that was upgraded to
// that supergroup.
func DefaultScenario() Scenario {
	bot := Bot{
		Network: NetworkTelegram, ID: DefaultBotID, Token: NewBotToken(DefaultBotID, 1),
		Username: "minsvyaz29_bot", FirstName: "Минцифры АО", OwnerOrgOID: DefaultMinistryOID,
		CanJoinGroups: true,
	}
	testBot := Bot{
		Network: NetworkTelegram, ID: DefaultTestBotID, Token: NewBotToken(DefaultTestBotID, 2),
		Username: "minsvyaz29_test_bot", FirstName: "Минцифры АО (тест)", OwnerOrgOID: DefaultMinistryOID,
		TestEnv: true, CanJoinGroups: true,
	}
	botRights := AdminRights{CanManageChat: true, CanPostMessages: true, CanEditMessages: true,
		CanDeleteMessages: true, CanPinMessages: true, CanInviteUsers: true, CanChangeInfo: true}
	return Scenario{
		Version: ScenarioVersion,
		People: []Person{{
			OID: DefaultChiefOID, SNILS: NewSNILS(101), INN: NewPersonINN(101),
			LastName: "Иванова", FirstName: "Анна", MiddleName: "Сергеевна",
			BirthDate: time.Date(1980, 5, 12, 0, 0, 0, 0, time.UTC), Gender: GenderFemale,
			Email: "ivanova@minsvyaz29.example", Phone: "+7(900)1234567", Password: "Sandbox-Passw0rd",
			Trusted: true, TwoFactor: true,
			TelegramUserID: DefaultChiefTelegramID, TelegramUsername: "ivanova_anna",
			VKUserID: 800000001, OKUserID: 900000001,
		}, {
			OID: DefaultEmployeeOID, SNILS: NewSNILS(102), INN: NewPersonINN(102),
			LastName: "Петров", FirstName: "Пётр", MiddleName: "Иванович",
			BirthDate: time.Date(1991, 11, 3, 0, 0, 0, 0, time.UTC), Gender: GenderMale,
			Email: "petrov@minsvyaz29.example", Phone: "+7(900)7654321", Password: "Sandbox-Passw0rd",
			Trusted:        true,
			TelegramUserID: DefaultEmployeeTGID, TelegramUsername: "petrov_petr",
			VKUserID: 800000002, OKUserID: 900000002,
		}},
		Organizations: []Organization{{
			OID: DefaultMinistryOID, FullName: "Министерство цифрового развития и связи Архангельской области",
			ShortName: "Минцифры АО", OGRN: NewOGRN(1), INN: NewLegalINN(1), KPP: "290101001",
			Type: OrgAgency, AgencyType: AgencyRegional, AgencyTerRange: "29",
			OKATO: "11401000000", OKTMO: "11701000",
		}, {
			OID: DefaultSubordinateOID, FullName: "Государственное бюджетное учреждение Архангельской области «Центр цифровых сервисов»",
			ShortName: "ГБУ АО «ЦЦС»", OGRN: NewOGRN(2), INN: NewLegalINN(2), KPP: "290101001",
			Type: OrgAgency, AgencyType: AgencySubordReg, AgencyTerRange: "29",
			OKATO: "11401000000", OKTMO: "11701000", ParentOID: DefaultMinistryOID,
		}},
		Employees: []Employee{{
			PersonOID: DefaultChiefOID, OrgOID: DefaultMinistryOID, Chief: true, Admin: true, Active: true,
			Position: "Министр", Groups: []string{GroupCabinetInstitution, GroupCabinetEditorial, GroupLKOAdmin},
		}, {
			PersonOID: DefaultEmployeeOID, OrgOID: DefaultMinistryOID, Active: true,
			Position: "Главный специалист", Groups: []string{GroupCabinetInstitution},
		}},
		Pages: []Page{{
			Network: NetworkTelegram, ID: DefaultChannelID, Kind: PageChannel, Username: "minsvyaz29",
			Title: "Минцифры Архангельской области", Description: "Официальный канал министерства цифрового развития и связи Архангельской области",
			PhotoURL: "https://minsvyaz29.example/logo.png", OwnerOrgOID: DefaultMinistryOID,
			Admins: []PageAdmin{
				{PersonOID: DefaultChiefOID, Role: RoleOwner, Rights: FullRights()},
				{PersonOID: DefaultEmployeeOID, Role: RoleAdmin, Rights: AdminRights{CanPostMessages: true, CanEditMessages: true}},
				{BotID: DefaultBotID, Role: RoleAdmin, Rights: botRights},
			},
			MemberCount: 1520, Open: true,
		}, {
			Network: NetworkTelegram, ID: DefaultGroupID, Kind: PageSupergroup, Username: "minsvyaz29_chat",
			Title: "Чат Минцифры Архангельской области", Description: "Обсуждение новостей министерства",
			OwnerOrgOID: DefaultMinistryOID,
			Admins: []PageAdmin{
				{PersonOID: DefaultChiefOID, Role: RoleOwner, Rights: FullRights()},
				{BotID: DefaultBotID, Role: RoleAdmin, Rights: botRights},
			},
			Members: []int64{DefaultEmployeeOID}, Open: true,
		}, {
			Network: NetworkTelegram, ID: DefaultOldGroupID, Kind: PageGroup,
			Title: "Чат Минцифры АО (старый)", OwnerOrgOID: DefaultMinistryOID,
			Admins: []PageAdmin{
				{PersonOID: DefaultChiefOID, Role: RoleOwner, Rights: FullRights()},
			},
			BotMembers:   []int64{DefaultBotID},
			MigratedToID: DefaultGroupID,
		}},
		Bots: []Bot{bot, testBot},
	}
}
