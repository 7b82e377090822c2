package world

import (
	"sync"
	"time"
)

// Ids of the default scenario's entities. The bots, and their ids, belong
// to the Telegram section (mock/tgmock), which refers to these pages.
const (
	DefaultMinistryOID     int64 = 1000001
	DefaultSubordinateOID  int64 = 1000002
	DefaultChiefOID        int64 = 1000000101
	DefaultEmployeeOID     int64 = 1000000102
	DefaultChannelID       int64 = -1001000000001
	DefaultGroupID         int64 = -1001000000002
	DefaultOldGroupID      int64 = -1000000003
	DefaultChiefTelegramID int64 = 5000000001
	DefaultEmployeeTGID    int64 = 5000000002
	// DefaultVKGroupID is the ministry's VK community (a public page);
	// DefaultChiefVKID and DefaultEmployeeVKID are the VK user ids of the
	// chief (its owner) and the employee (an editor).
	DefaultVKGroupID    int64 = 200000001
	DefaultChiefVKID    int64 = 800000001
	DefaultEmployeeVKID int64 = 800000002
)

// DefaultScenario returns the shared part of the default sandbox world: a
// regional ministry (an AGENCY, 11.REG, region 29) with a subordinate state
// institution (20.GOV); its chief, who is also its ESIA administrator with
// the Gospubliki access groups; a plain employee; a Telegram channel and a
// supergroup run by the ministry; a basic group that was upgraded to
// that supergroup; and the ministry's VK community (a public page owned by
// the chief, with the employee as an editor, both with two-factor
// authentication on); and around them the region of [DefaultRegion]
// (two municipalities, hospitals and schools, their staff and pages, some
// of them broken: see [Region]). Each party adds its own section's
// default (the Telegram section adds the bots and their rights in these
// chats, the POS section the LKOs, the VK section the community menus,
// the Gospubliki section the cabinets). It is built once per process;
// each call returns a copy of its own.
func DefaultScenario() Scenario { return defaultScenario().clone() }

// defaultScenario builds the default scenario once per process;
// [DefaultScenario] hands out copies.
var defaultScenario = sync.OnceValue(func() Scenario {
	sc := Scenario{
		Version: ScenarioVersion,
		People: []Person{{
			OID: DefaultChiefOID, SNILS: NewSNILS(101), INN: NewPersonINN(101),
			LastName: "Иванова", FirstName: "Анна", MiddleName: "Сергеевна",
			BirthDate: time.Date(1980, 5, 12, 0, 0, 0, 0, time.UTC), Gender: GenderFemale,
			Email: "ivanova@minsvyaz29.example", Phone: "+7(900)1234567", Password: "Sandbox-Passw0rd",
			Trusted: true,
			Accounts: map[string]Account{
				NetworkTelegram: {UserID: DefaultChiefTelegramID, Username: "ivanova_anna", TwoFactor: true},
				NetworkVK:       {UserID: DefaultChiefVKID, TwoFactor: true},
				NetworkOK:       {UserID: 900000001},
			},
		}, {
			OID: DefaultEmployeeOID, SNILS: NewSNILS(102), INN: NewPersonINN(102),
			LastName: "Петров", FirstName: "Пётр", MiddleName: "Иванович",
			BirthDate: time.Date(1991, 11, 3, 0, 0, 0, 0, time.UTC), Gender: GenderMale,
			Email: "petrov@minsvyaz29.example", Phone: "+7(900)7654321", Password: "Sandbox-Passw0rd",
			Trusted: true,
			Accounts: map[string]Account{
				NetworkTelegram: {UserID: DefaultEmployeeTGID, Username: "petrov_petr"},
				NetworkVK:       {UserID: DefaultEmployeeVKID, TwoFactor: true},
				NetworkOK:       {UserID: 900000002},
			},
		}},
		Organizations: []Organization{{
			OID: DefaultMinistryOID, FullName: "Министерство цифрового развития и связи Архангельской области",
			ShortName: "Минцифры АО", OGRN: NewOGRN(1), INN: NewLegalINN(1), KPP: "290101001",
			Type: OrgAgency, AgencyType: AgencyRegional, AgencyTerRange: "29",
			OKATO: "11401000000", OKTMO: "11701000",
		}, {
			OID: DefaultSubordinateOID, FullName: "Государственное бюджетное учреждение Архангельской области «Центр цифровых сервисов»",
			ShortName: "ГБУ АО «ЦЦС»", OGRN: NewOGRN(2), INN: NewLegalINN(2), KPP: "290101001",
			Type: OrgAgency, AgencyType: AgencyGovernment, AgencyTerRange: "29",
			OKATO: "11401000000", OKTMO: "11701000", ParentOID: DefaultMinistryOID,
		}},
		Employees: []Employee{{
			OrgOID: DefaultMinistryOID, PersonOID: DefaultChiefOID, Chief: true, Admin: true, Active: true,
			Position: "Министр", Groups: []string{GroupCabinetInstitution, GroupCabinetEditorial, GroupLKOAdmin},
		}, {
			OrgOID: DefaultMinistryOID, PersonOID: DefaultEmployeeOID, Active: true,
			Position: "Главный специалист", Groups: []string{GroupCabinetInstitution, GroupCabinetEditorial},
		}},
		Pages: []Page{{
			Network: NetworkTelegram, ID: DefaultChannelID, Kind: PageChannel, Username: "minsvyaz29",
			Title: "Минцифры Архангельской области", Description: "Официальный канал министерства цифрового развития и связи Архангельской области",
			PhotoURL: "https://minsvyaz29.example/logo.png", OwnerOrgOID: DefaultMinistryOID,
			Admins: []PageAdmin{
				{PersonOID: DefaultChiefOID, Role: RoleCreator},
				{PersonOID: DefaultEmployeeOID, Role: RoleAdministrator},
			},
			MemberCount: 1520, Open: true,
		}, {
			Network: NetworkTelegram, ID: DefaultGroupID, Kind: PageSupergroup, Username: "minsvyaz29_chat",
			Title: "Чат Минцифры Архангельской области", Description: "Обсуждение новостей министерства",
			OwnerOrgOID: DefaultMinistryOID,
			Admins:      []PageAdmin{{PersonOID: DefaultChiefOID, Role: RoleCreator}},
			Members:     []int64{DefaultEmployeeOID}, Open: true,
		}, {
			Network: NetworkTelegram, ID: DefaultOldGroupID, Kind: PageGroup,
			Title: "Чат Минцифры АО (старый)", OwnerOrgOID: DefaultMinistryOID,
			Admins: []PageAdmin{{PersonOID: DefaultChiefOID, Role: RoleCreator}},
		}, {
			Network: NetworkVK, ID: DefaultVKGroupID, Kind: PagePublic, Username: "minsvyaz29",
			Title: "Минцифры Архангельской области", Description: "Официальная страница министерства цифрового развития и связи Архангельской области",
			PhotoURL: "https://minsvyaz29.example/logo.png", OwnerOrgOID: DefaultMinistryOID,
			Admins: []PageAdmin{
				{PersonOID: DefaultChiefOID, Role: RoleCreator},
				{PersonOID: DefaultEmployeeOID, Role: RoleEditor},
			},
			MemberCount: 4210, City: "Архангельск", Open: true,
		}},
	}
	DefaultRegion().AddTo(&sc)
	return sc
})
