package world

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// DefaultRegionSeed is the seed of the region in [DefaultScenario].
const DefaultRegionSeed int64 = 1

// Organisations of the default region ([NewRegion] with
// [DefaultRegionSeed]); the ROIV is [DefaultMinistryOID].
const (
	// DefaultCityOID is the administration of the city district
	// (городской округ «Город Архангельск», ОМСУ).
	DefaultCityOID int64 = 1100101
	// DefaultDistrictOID is the administration of the municipal district
	// (Холмогорский муниципальный район, ОМСУ).
	DefaultDistrictOID int64 = 1100102
	// DefaultRegionalHospitalOID and DefaultDistrictHospitalOID are the
	// ROIV's hospitals (state institutions).
	DefaultRegionalHospitalOID int64 = 1100103
	DefaultDistrictHospitalOID int64 = 1100104
	// DefaultCitySchoolOID and DefaultDistrictSchoolOID are the
	// municipalities' schools (municipal institutions).
	DefaultCitySchoolOID     int64 = 1100105
	DefaultDistrictSchoolOID int64 = 1100106
	// DefaultCenterOID is the regional management centre (ЦУР), a state
	// institution of the ROIV that administers the region's LKOs.
	DefaultCenterOID int64 = 1100107
)

// Kinds of the bodies of a region.
type BodyKind string

// Body kinds.
const (
	BodyROIV         BodyKind = "roiv"         // the regional executive body (РОИВ, [AgencyRegional])
	BodyMunicipality BodyKind = "municipality" // a local self-government body (ОМСУ, [AgencyLocal])
	BodyHospital     BodyKind = "hospital"     // a hospital (a subordinate institution)
	BodySchool       BodyKind = "school"       // a school (a subordinate institution)
	BodyCenter       BodyKind = "center"       // the regional management centre (ЦУР), administering the LKOs
)

// Defect is one way an official page of a region falls short of the
// requirements.
type Defect string

// Defects the region's pages carry.
const (
	// DefectNoTwoFactor: the page's owner has two-factor authentication
	// off on the page's network ([Account.TwoFactor]).
	DefectNoTwoFactor Defect = "no_two_factor"
	// DefectNoCity: the page has no city ([Page.City] is empty).
	DefectNoCity Defect = "no_city"
	// DefectWrongPOSLink: the VK community menu's appeal form links an LKO
	// other than the one the owner's appeals go to
	// ([RegionBody.FormOpaID]).
	DefectWrongPOSLink Defect = "wrong_pos_link"
	// DefectGovMarkLost: the «Госорганизация» mark was confirmed and is
	// lost ([GovLost]).
	DefectGovMarkLost Defect = "gov_mark_lost"
)

// RegionBody is an organisation of a region with what the sections of the
// world hold of it: its LKO in POS and its Gospubliki cabinet.
type RegionBody struct {
	// OID is the organisation.
	OID int64
	// Kind is what the body is.
	Kind BodyKind
	// Chief is the head's person OID; Staff the other employees'.
	Chief int64
	Staff []int64
	// OpaID is the body's LKO in POS (0: none); Appeals reports that it is
	// connected for appeals, and so for polls.
	OpaID   int64
	Appeals bool
	// FormOpaID is the LKO whose appeal form the body's pages carry: its
	// own when connected for appeals, else the nearest superior's that is.
	FormOpaID int64
	// Cabinet is the body's Gospubliki cabinet (0: none): an editorial
	// cabinet for the ROIV and the municipalities, an institution cabinet
	// for the others. Its users have ids Cabinet+1, Cabinet+2, ...
	Cabinet int64
	// Site is the body's website.
	Site string
}

// RegionPage is an official page of a region and what is wrong with it
// (nothing: a compliant page).
type RegionPage struct {
	Network string
	ID      int64
	OrgOID  int64
	Defects []Defect
}

// Compliant reports whether the page has no defect.
func (p RegionPage) Compliant() bool { return len(p.Defects) == 0 }

// Region is a small region generated from a seed ([NewRegion]): the ROIV
// (the default ministry, [DefaultMinistryOID]), two municipalities (a
// city district and a municipal district), two hospitals under the ROIV
// and a school under each municipality, the regional management centre
// (ЦУР) that administers the LKOs, their staff with ESIA roles and
// access groups, and their pages on Telegram, VK and OK, some compliant
// and some not. The shared entities are in Organizations, People,
// Employees and Pages; Bodies and PageDefects describe them for the
// sections (the POS LKOs, the VK menus, the Gospubliki cabinets) and for
// tests.
//
// Every id is derived from the seed: with slot = seed mod 100 and i the
// entity's number (1..99),
//
//	organisations            1 100 000 + 100·slot + i
//	people                   1 100 000 000 + 100·slot + i
//	Telegram user ids        5 100 000 000 + 100·slot + i
//	VK user ids              810 000 000 + 100·slot + i
//	OK user ids              910 000 000 + 100·slot + i
//	Telegram chats           −(1 001 100 000 000 + 100·slot + i)
//	VK communities           210 000 000 + 100·slot + i
//	OK groups                70 000 100 000 000 + 100·slot + i
//	POS LKOs (opaId)         910 000 + 100·slot + i
//	Gospubliki cabinets      10 000 + 100·slot + 10·i (users: cabinet + 1..9)
//	LKO administration cabinet   10 000 + 100·slot + 90
//
// ranges apart from the default scenario's own entities. Usernames and
// e-mails carry a suffix for any seed but [DefaultRegionSeed], so that
// the region of another seed can join a world holding the default one.
type Region struct {
	// Seed is the seed the region was generated from.
	Seed int64
	// ROIV is the regional executive body ([DefaultMinistryOID]).
	ROIV int64
	// Organizations, People, Employees and Pages are the region's shared
	// entities (the ROIV and its existing entities excluded).
	Organizations []Organization
	People        []Person
	Employees     []Employee
	Pages         []Page
	// Bodies are the region's organisations, the ROIV first.
	Bodies []RegionBody
	// PageDefects are the region's pages with their defects, in the order
	// of Pages.
	PageDefects []RegionPage
	// LKOCabinet is the LKO administration cabinet in Gospubliki, of the
	// regional management centre ([BodyCenter]); LKOAdmin the centre's
	// employee administering the region's LKOs.
	LKOCabinet int64
	LKOAdmin   int64
}

// Body returns the body of an organisation.
func (r Region) Body(oid int64) (RegionBody, bool) {
	i := slices.IndexFunc(r.Bodies, func(b RegionBody) bool { return b.OID == oid })
	if i < 0 {
		return RegionBody{}, false
	}
	return r.Bodies[i], true
}

// BodiesOf returns the bodies of a kind, in OID order.
func (r Region) BodiesOf(kind BodyKind) []RegionBody {
	var out []RegionBody
	for _, b := range r.Bodies {
		if b.Kind == kind {
			out = append(out, b)
		}
	}
	return out
}

// Defects returns the defects of a page of the region (nil: compliant or
// not the region's).
func (r Region) Defects(network string, id int64) []Defect {
	for _, p := range r.PageDefects {
		if p.Network == network && p.ID == id {
			return slices.Clone(p.Defects)
		}
	}
	return nil
}

// PagesWith returns the region's pages that have a defect, or the
// compliant ones for d == "".
func (r Region) PagesWith(d Defect) []RegionPage {
	var out []RegionPage
	for _, p := range r.PageDefects {
		if d == "" && p.Compliant() || d != "" && slices.Contains(p.Defects, d) {
			out = append(out, p)
		}
	}
	return out
}

// AddTo appends the region's shared entities to sc.
func (r Region) AddTo(sc *Scenario) {
	for _, p := range r.People {
		sc.People = append(sc.People, p.clone())
	}
	sc.Organizations = append(sc.Organizations, r.Organizations...)
	for _, e := range r.Employees {
		sc.Employees = append(sc.Employees, e.clone())
	}
	for _, p := range r.Pages {
		sc.Pages = append(sc.Pages, p.clone())
	}
	sc.sort()
}

// DefaultRegion is the region of [DefaultScenario]: [NewRegion] with
// [DefaultRegionSeed]. It is generated once per process; each call
// returns a copy of its own.
func DefaultRegion() Region { return defaultRegion().clone() }

var defaultRegion = sync.OnceValue(func() Region { return NewRegion(DefaultRegionSeed) })

// clone returns a deep copy of r.
func (r Region) clone() Region {
	c := r
	c.Organizations = slices.Clone(r.Organizations)
	c.People = make([]Person, len(r.People))
	for i, p := range r.People {
		c.People[i] = p.clone()
	}
	c.Employees = make([]Employee, len(r.Employees))
	for i, e := range r.Employees {
		c.Employees[i] = e.clone()
	}
	c.Pages = make([]Page, len(r.Pages))
	for i, p := range r.Pages {
		c.Pages[i] = p.clone()
	}
	c.Bodies = slices.Clone(r.Bodies)
	for i := range c.Bodies {
		c.Bodies[i].Staff = slices.Clone(r.Bodies[i].Staff)
	}
	c.PageDefects = slices.Clone(r.PageDefects)
	for i := range c.PageDefects {
		c.PageDefects[i].Defects = slices.Clone(r.PageDefects[i].Defects)
	}
	return c
}

// regionOrg is the fixed part of a region's organisation.
type regionOrg struct {
	kind                 BodyKind
	full, short          string
	agency               string
	parent               int // index of the parent (0: the ROIV, -1: none)
	kpp, okato, oktmo    string
	city, site, username string
	appeals              bool // LKO connected for appeals
	lko                  bool // has an LKO
	cabinet              bool // has a Gospubliki cabinet
}

var regionOrgs = [...]regionOrg{
	{kind: BodyMunicipality, full: "Администрация городского округа «Город Архангельск»",
		short: "Администрация ГО «Город Архангельск»", agency: AgencyLocal, parent: -1,
		kpp: "290101001", okato: "11401000000", oktmo: "11701000", city: "Архангельск",
		site: "https://arhcity.example/", username: "arhcity", appeals: true, lko: true, cabinet: true},
	{kind: BodyMunicipality, full: "Администрация Холмогорского муниципального района",
		short: "Администрация Холмогорского района", agency: AgencyLocal, parent: -1,
		kpp: "292301001", okato: "11256000000", oktmo: "11656000", city: "Холмогоры",
		site: "https://holmogory.example/", username: "holmogory_rayon", appeals: true, lko: true, cabinet: true},
	{kind: BodyHospital, full: "Государственное бюджетное учреждение здравоохранения Архангельской области «Архангельская областная клиническая больница»",
		short: "ГБУЗ АО «АОКБ»", agency: AgencyGovernment, parent: 0,
		kpp: "290101001", okato: "11401000000", oktmo: "11701000", city: "Архангельск",
		site: "https://aokb29.example/", username: "aokb29", appeals: true, lko: true, cabinet: true},
	{kind: BodyHospital, full: "Государственное бюджетное учреждение здравоохранения Архангельской области «Холмогорская центральная районная больница»",
		short: "ГБУЗ АО «Холмогорская ЦРБ»", agency: AgencyGovernment, parent: 0,
		kpp: "292301001", okato: "11256000000", oktmo: "11656000", city: "Холмогоры",
		site: "https://holmcrb.example/", username: "holmogory_crb", appeals: true, lko: true, cabinet: true},
	{kind: BodySchool, full: "Муниципальное бюджетное общеобразовательное учреждение городского округа «Город Архангельск» «Средняя школа № 1»",
		short: "МБОУ СШ № 1", agency: AgencyMunicipal, parent: 1,
		kpp: "290101001", okato: "11401000000", oktmo: "11701000", city: "Архангельск",
		site: "https://school1-arh.example/", username: "school1_arh", lko: true, cabinet: true},
	{kind: BodySchool, full: "Муниципальное бюджетное общеобразовательное учреждение «Холмогорская средняя школа имени М. В. Ломоносова»",
		short: "МБОУ «Холмогорская СШ»", agency: AgencyMunicipal, parent: 2,
		kpp: "292301001", okato: "11256000000", oktmo: "11656000", city: "Холмогоры",
		site: "https://holmschool.example/", username: "holmogory_school"},
	{kind: BodyCenter, full: "Государственное автономное учреждение Архангельской области «Центр управления регионом»",
		short: "ГАУ АО «ЦУР»", agency: AgencyGovernment, parent: 0,
		kpp: "290101001", okato: "11401000000", oktmo: "11701000", city: "Архангельск",
		site: "https://cur29.example/", username: "cur29"},
}

// regionPerson is the fixed part of a region's person.
type regionPerson struct {
	org                   int // index of the organisation (0: the ROIV)
	last, first, middle   string
	gender                Gender
	born                  time.Time
	login                 string // e-mail local part and Telegram username
	position              string
	chief                 bool
	groups                []string
	vk2FA, ok2FA, noPhone bool
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var regionPeople = [...]regionPerson{
	{org: 1, last: "Смирнов", first: "Алексей", middle: "Викторович", gender: GenderMale, born: day(1975, 2, 14),
		login: "smirnov_av", position: "Глава городского округа", chief: true,
		groups: []string{GroupCabinetEditorial, GroupLKOAdmin}, vk2FA: true, ok2FA: true},
	{org: 1, last: "Кузнецова", first: "Мария", middle: "Андреевна", gender: GenderFemale, born: day(1990, 7, 2),
		login: "kuznetsova_ma", position: "Пресс-секретарь", groups: []string{GroupCabinetEditorial}, vk2FA: true, ok2FA: true},
	{org: 2, last: "Попов", first: "Дмитрий", middle: "Николаевич", gender: GenderMale, born: day(1969, 10, 21),
		login: "popov_dn", position: "Глава Холмогорского муниципального района", chief: true,
		groups: []string{GroupCabinetEditorial, GroupLKOAdmin}, ok2FA: true},
	{org: 2, last: "Васильева", first: "Ольга", middle: "Петровна", gender: GenderFemale, born: day(1987, 4, 9),
		login: "vasilieva_op", position: "Ведущий специалист", groups: []string{GroupCabinetEditorial}, vk2FA: true},
	{org: 3, last: "Соколов", first: "Игорь", middle: "Михайлович", gender: GenderMale, born: day(1966, 1, 30),
		login: "sokolov_im", position: "Главный врач", chief: true,
		groups: []string{GroupCabinetInstitution}, vk2FA: true, ok2FA: true},
	{org: 3, last: "Морозова", first: "Екатерина", middle: "Дмитриевна", gender: GenderFemale, born: day(1994, 12, 5),
		login: "morozova_ed", position: "Специалист по связям с общественностью",
		groups: []string{GroupCabinetInstitution}, vk2FA: true, ok2FA: true},
	{org: 4, last: "Новиков", first: "Сергей", middle: "Александрович", gender: GenderMale, born: day(1972, 6, 17),
		login: "novikov_sa", position: "Главный врач", chief: true,
		groups: []string{GroupCabinetInstitution}, vk2FA: true},
	{org: 5, last: "Фёдорова", first: "Наталья", middle: "Игоревна", gender: GenderFemale, born: day(1978, 9, 12),
		login: "fedorova_ni", position: "Директор", chief: true,
		groups: []string{GroupCabinetInstitution}, vk2FA: true},
	{org: 6, last: "Волков", first: "Андрей", middle: "Павлович", gender: GenderMale, born: day(1981, 3, 3),
		login: "volkov_ap", position: "Директор", chief: true, vk2FA: true, noPhone: true},
	{org: 7, last: "Лебедева", first: "Татьяна", middle: "Юрьевна", gender: GenderFemale, born: day(1985, 8, 25),
		login: "lebedeva_ty", position: "Руководитель направления обратной связи",
		groups: []string{GroupLKOAdmin}, vk2FA: true},
	{org: 7, last: "Орлов", first: "Константин", middle: "Евгеньевич", gender: GenderMale, born: day(1983, 11, 8),
		login: "orlov_ke", position: "Директор", chief: true, vk2FA: true},
}

// regionPage is the fixed part of a region's page.
type regionPage struct {
	network string
	kind    string
	org     int   // index of the organisation
	admins  []int // indexes of people: the first is the owner
	gov     GovStatus
	defects []Defect
	members int
}

var regionPages = [...]regionPage{
	{network: NetworkTelegram, kind: PageChannel, org: 1, admins: []int{1, 2}, members: 8300},
	{network: NetworkTelegram, kind: PageChannel, org: 2, admins: []int{3}, members: 940},
	{network: NetworkTelegram, kind: PageChannel, org: 3, admins: []int{5, 6}, members: 2100},
	{network: NetworkVK, kind: PagePublic, org: 1, admins: []int{1, 2}, gov: GovConfirmed, members: 25400},
	{network: NetworkVK, kind: PagePublic, org: 2, admins: []int{3, 4}, members: 3100,
		defects: []Defect{DefectNoTwoFactor}},
	{network: NetworkVK, kind: PagePublic, org: 3, admins: []int{5, 6}, gov: GovLost, members: 6900,
		defects: []Defect{DefectGovMarkLost}},
	{network: NetworkVK, kind: PagePublic, org: 4, admins: []int{7}, gov: GovConfirmed, members: 1200,
		defects: []Defect{DefectWrongPOSLink}},
	{network: NetworkVK, kind: PageGroup, org: 5, admins: []int{8}, members: 760,
		defects: []Defect{DefectNoCity}},
	{network: NetworkVK, kind: PagePublic, org: 6, admins: []int{9}, gov: GovUnderReview, members: 410},
	{network: NetworkOK, kind: PageGroup, org: 1, admins: []int{1, 2}, gov: GovConfirmed, members: 11800},
	{network: NetworkOK, kind: PageGroup, org: 2, admins: []int{3}, members: 1700,
		defects: []Defect{DefectNoCity}},
	{network: NetworkOK, kind: PageGroup, org: 3, admins: []int{5, 6}, gov: GovConfirmed, members: 3900},
	{network: NetworkOK, kind: PageGroup, org: 5, admins: []int{8}, members: 520,
		defects: []Defect{DefectNoTwoFactor}},
}

// regionGovSince is when the seeded «Госорганизация» marks entered their
// state.
var regionGovSince = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// okCategoryGov is the OK category «Госорганизация» (the OK emulator's
// CategoryGov).
const okCategoryGov = "Госорганизация"

// NewRegion generates a region from a seed (see [Region] for its content
// and id ranges). The same seed gives the same region; the identifiers
// (OGRN, INN, KPP, OKATO, OKTMO, SNILS) pass their checksums.
func NewRegion(seed int64) Region {
	slot := seed % 100
	if slot < 0 {
		slot += 100
	}
	off := 100 * slot
	suffix := ""
	if seed != DefaultRegionSeed {
		suffix = fmt.Sprintf("_r%d", slot)
	}
	r := Region{Seed: seed, ROIV: DefaultMinistryOID, LKOCabinet: 10_000 + off + 90}
	orgOID := func(i int) int64 {
		if i == 0 {
			return DefaultMinistryOID
		}
		return 1_100_000 + off + int64(i)
	}
	personOID := func(i int) int64 { return 1_100_000_000 + off + int64(i) }
	r.Bodies = append(r.Bodies, RegionBody{OID: DefaultMinistryOID, Kind: BodyROIV, Chief: DefaultChiefOID,
		Staff: []int64{DefaultEmployeeOID}, OpaID: 900001, Appeals: true, FormOpaID: 900001, Cabinet: 1,
		Site: "https://minsvyaz29.example/"})
	for n, o := range regionOrgs {
		i := n + 1
		org := Organization{OID: orgOID(i), FullName: o.full, ShortName: o.short,
			OGRN: NewOGRN(seed*1000 + int64(i)), INN: NewLegalINN(seed*1000 + int64(i)), KPP: o.kpp,
			Type: OrgAgency, AgencyType: o.agency, AgencyTerRange: "29", OKATO: o.okato, OKTMO: o.oktmo}
		if o.parent >= 0 {
			org.ParentOID = orgOID(o.parent)
		}
		r.Organizations = append(r.Organizations, org)
		b := RegionBody{OID: org.OID, Kind: o.kind, Appeals: o.appeals, Site: o.site}
		if o.lko {
			b.OpaID = 910_000 + off + int64(i)
		}
		if o.cabinet {
			b.Cabinet = 10_000 + off + 10*int64(i)
		}
		b.FormOpaID = b.OpaID
		if !b.Appeals {
			for p := o.parent; ; p = regionOrgs[p-1].parent {
				if p == 0 {
					b.FormOpaID = 900001
					break
				}
				if regionOrgs[p-1].appeals {
					b.FormOpaID = 910_000 + off + int64(p)
					break
				}
			}
		}
		r.Bodies = append(r.Bodies, b)
	}
	for n, p := range regionPeople {
		i := n + 1
		oid := personOID(i)
		domain := "minsvyaz29.example"
		if p.org > 0 {
			domain = regionOrgs[p.org-1].site[len("https://") : len(regionOrgs[p.org-1].site)-1]
		}
		per := Person{OID: oid, SNILS: NewSNILS(seed*1000 + int64(i)), INN: NewPersonINN(seed*1000 + int64(i)),
			LastName: p.last, FirstName: p.first, MiddleName: p.middle, BirthDate: p.born, Gender: p.gender,
			Email: p.login + suffix + "@" + domain, Password: "Sandbox-Passw0rd", Trusted: true,
			Accounts: map[string]Account{
				NetworkTelegram: {UserID: 5_100_000_000 + off + int64(i), Username: p.login + suffix},
				NetworkVK:       {UserID: 810_000_000 + off + int64(i), TwoFactor: p.vk2FA},
				NetworkOK:       {UserID: 910_000_000 + off + int64(i), TwoFactor: p.ok2FA},
			}}
		if !p.noPhone {
			per.Phone = fmt.Sprintf("+7(911)%07d", off+int64(i))
		}
		r.People = append(r.People, per)
		r.Employees = append(r.Employees, Employee{OrgOID: orgOID(p.org), PersonOID: oid, Chief: p.chief,
			Admin: p.chief, Active: true, Position: p.position, Groups: slices.Clone(p.groups)})
		b := &r.Bodies[p.org]
		if b.Kind == BodyCenter && slices.Contains(p.groups, GroupLKOAdmin) && r.LKOAdmin == 0 {
			r.LKOAdmin = oid
		}
		if p.chief {
			b.Chief = oid
		} else {
			b.Staff = append(b.Staff, oid)
		}
	}
	for n, pg := range regionPages {
		i := n + 1
		o := regionOrgs[pg.org-1]
		page := Page{Network: pg.network, Kind: pg.kind, Username: o.username + suffix, Title: o.short,
			Description: "Официальная страница: " + o.full, PhotoURL: o.site + "logo.png",
			OwnerOrgOID: orgOID(pg.org), MemberCount: pg.members, City: o.city, Open: true}
		switch pg.network {
		case NetworkTelegram:
			page.ID = -(1_001_100_000_000 + off + int64(i))
			page.Description = "Официальный канал: " + o.full
			page.City = ""
		case NetworkVK:
			page.ID = 210_000_000 + off + int64(i)
		case NetworkOK:
			page.ID = 70_000_100_000_000 + off + int64(i)
			page.Topic = okCategoryGov
		}
		if slices.Contains(pg.defects, DefectNoCity) {
			page.City = ""
		}
		for j, a := range pg.admins {
			role := OwnerRole(pg.network)
			if j > 0 {
				role = map[string]string{NetworkTelegram: RoleAdministrator, NetworkVK: RoleEditor, NetworkOK: OKRoleEditor}[pg.network]
			}
			page.Admins = append(page.Admins, PageAdmin{PersonOID: personOID(a), Role: role})
		}
		if pg.gov != GovNone {
			page.Gov = GovMark{Status: pg.gov, Since: regionGovSince}
		}
		r.Pages = append(r.Pages, page)
		r.PageDefects = append(r.PageDefects, RegionPage{Network: pg.network, ID: page.ID, OrgOID: page.OwnerOrgOID,
			Defects: slices.Clone(pg.defects)})
	}
	return r
}
