package world

import "time"

// Network names used in [Page.Network], [Bot.Network] and as journal parties.
const (
	NetworkTelegram = "telegram"
	NetworkVK       = "vk"
	NetworkOK       = "ok"
)

// Gender of a person, as ESIA spells it.
type Gender string

// Genders.
const (
	GenderMale   Gender = "M"
	GenderFemale Gender = "F"
)

// OrgType is the ESIA organisation type.
type OrgType string

// Organisation types.
const (
	OrgLegal    OrgType = "LEGAL"    // a legal entity
	OrgAgency   OrgType = "AGENCY"   // a state or municipal body
	OrgBusiness OrgType = "BUSINESS" // an individual entrepreneur
)

// Agency types (ESIA agencyType) of state and municipal bodies.
const (
	AgencyFederal   = "10.FED" // federal body
	AgencyRegional  = "11.REG" // regional executive body (ROIV)
	AgencyLocal     = "12.LCL" // local self-government (OMSU)
	AgencySubordFed = "20.FED" // subordinate organisation of a federal body
	AgencySubordReg = "21.REG" // subordinate organisation of a regional body
	AgencySubordLcl = "22.LCL" // subordinate organisation of a local body
)

// Access-group names (ESIA groups of an employee) used by Gospubliki.
const (
	GroupCabinetInstitution = "ПОС. Госпаблики. Кабинет учреждения"
	GroupCabinetEditorial   = "ПОС. Госпаблики. Кабинет редакции"
	GroupLKOAdmin           = "ПОС. Администратор ЛКО"
)

// Person is a synthetic citizen: an ESIA account linked to network accounts.
type Person struct {
	// OID is the ESIA object id of the person (unique, > 0).
	OID int64 `json:"oid"`
	// SNILS is the insurance number, formatted "000-000-600 06".
	SNILS string `json:"snils,omitempty"`
	// INN is the 12-digit taxpayer number.
	INN string `json:"inn,omitempty"`
	// LastName, FirstName and MiddleName are the person's names.
	LastName   string `json:"last_name"`
	FirstName  string `json:"first_name"`
	MiddleName string `json:"middle_name,omitempty"`
	// BirthDate is the date of birth (time of day is ignored).
	BirthDate time.Time `json:"birth_date,omitzero"`
	// Gender is "M" or "F".
	Gender Gender `json:"gender,omitempty"`
	// Email is the confirmed e-mail, usable as an ESIA login.
	Email string `json:"email,omitempty"`
	// Phone is the confirmed mobile phone, "+7(900)1234567" style, usable as
	// an ESIA login.
	Phone string `json:"phone,omitempty"`
	// Password is the ESIA password of this synthetic account.
	Password string `json:"password,omitempty"`
	// Trusted reports a confirmed ("подтверждённая") ESIA account.
	Trusted bool `json:"trusted"`
	// TwoFactor reports that two-factor authentication is on for the
	// person's network accounts («Двойная защита»).
	TwoFactor bool `json:"two_factor,omitempty"`
	// TelegramUserID is the person's Telegram user id (0: none).
	TelegramUserID int64 `json:"telegram_user_id,omitempty"`
	// TelegramUsername is the person's Telegram @username without "@".
	TelegramUsername string `json:"telegram_username,omitempty"`
	// VKUserID is the person's VK user id (0: none).
	VKUserID int64 `json:"vk_user_id,omitempty"`
	// OKUserID is the person's OK user id (0: none).
	OKUserID int64 `json:"ok_user_id,omitempty"`
}

// Organization is an ESIA organisation: a state body, a subordinate
// organisation, a company or an entrepreneur.
type Organization struct {
	// OID is the ESIA object id of the organisation (unique, > 0).
	OID int64 `json:"oid"`
	// FullName and ShortName are the registered names.
	FullName  string `json:"full_name"`
	ShortName string `json:"short_name,omitempty"`
	// OGRN is the 13-digit registration number.
	OGRN string `json:"ogrn,omitempty"`
	// INN is the 10-digit taxpayer number.
	INN string `json:"inn,omitempty"`
	// KPP is the tax registration reason code.
	KPP string `json:"kpp,omitempty"`
	// Type is LEGAL, AGENCY or BUSINESS.
	Type OrgType `json:"type"`
	// AgencyType is the ESIA agency type of a state body ("11.REG", ...).
	AgencyType string `json:"agency_type,omitempty"`
	// AgencyTerRange is the region code of the body's territory ("29").
	AgencyTerRange string `json:"agency_ter_range,omitempty"`
	// OKATO is the territory classifier code; its first two digits are the
	// region.
	OKATO string `json:"okato,omitempty"`
	// OKTMO is the municipal territory code (8 or 11 digits).
	OKTMO string `json:"oktmo,omitempty"`
	// ParentOID is the OID of the superior body (0: none).
	ParentOID int64 `json:"parent_oid,omitempty"`
}

// Employee links a person to an organisation with ESIA roles and groups.
type Employee struct {
	// PersonOID and OrgOID identify the link (unique together).
	PersonOID int64 `json:"person_oid"`
	OrgOID    int64 `json:"org_oid"`
	// Chief reports the head of the organisation.
	Chief bool `json:"chief,omitempty"`
	// Admin reports an administrator of the organisation's ESIA profile.
	Admin bool `json:"admin,omitempty"`
	// Active reports an active (not blocked) employee record.
	Active bool `json:"active"`
	// Position is the job title.
	Position string `json:"position,omitempty"`
	// Groups are the ESIA access-group names granted to the employee, such as
	// [GroupCabinetInstitution].
	Groups []string `json:"groups,omitempty"`
}

// AdminRights are the rights of a page administrator. The names follow the
// Telegram ChatMemberAdministrator fields; other networks use the subset
// that applies to them.
type AdminRights struct {
	CanManageChat       bool `json:"can_manage_chat,omitempty"`
	CanPostMessages     bool `json:"can_post_messages,omitempty"`
	CanEditMessages     bool `json:"can_edit_messages,omitempty"`
	CanDeleteMessages   bool `json:"can_delete_messages,omitempty"`
	CanPinMessages      bool `json:"can_pin_messages,omitempty"`
	CanInviteUsers      bool `json:"can_invite_users,omitempty"`
	CanRestrictMembers  bool `json:"can_restrict_members,omitempty"`
	CanPromoteMembers   bool `json:"can_promote_members,omitempty"`
	CanChangeInfo       bool `json:"can_change_info,omitempty"`
	CanManageVideoChats bool `json:"can_manage_video_chats,omitempty"`
}

// FullRights returns rights with every flag set.
func FullRights() AdminRights {
	return AdminRights{true, true, true, true, true, true, true, true, true, true}
}

// Page admin roles.
const (
	RoleOwner = "creator"       // the page owner
	RoleAdmin = "administrator" // an administrator
)

// PageAdmin is one administrator of a page: a person or a bot.
type PageAdmin struct {
	// PersonOID is the administrator's person OID (0 when BotID is set).
	PersonOID int64 `json:"person_oid,omitempty"`
	// BotID is the administrator's bot user id (0 when PersonOID is set).
	BotID int64 `json:"bot_id,omitempty"`
	// Role is [RoleOwner] or [RoleAdmin].
	Role string `json:"role"`
	// Rights are the administrator's rights (an owner has them all).
	Rights AdminRights `json:"rights"`
	// CustomTitle is the admin's custom title, if any.
	CustomTitle string `json:"custom_title,omitempty"`
}

// Page kinds.
const (
	PageChannel    = "channel"    // Telegram channel
	PageSupergroup = "supergroup" // Telegram supergroup
	PageGroup      = "group"      // Telegram basic group, VK/OK group
	PagePublic     = "page"       // VK public page
)

// Page is a social-network page: a Telegram channel or group, a VK or OK
// community. It is the cross-party view; emulators keep network-specific
// runtime state (messages, updates) themselves.
type Page struct {
	// Network is "telegram", "vk" or "ok".
	Network string `json:"network"`
	// ID is the network's id of the page (Telegram chat id such as
	// -1001234567890; VK group id).
	ID int64 `json:"id"`
	// Kind is the page kind (channel, supergroup, group, page).
	Kind string `json:"kind"`
	// TestEnv places a Telegram chat in the test environment
	// (/bot<token>/test/...), which is separate from production.
	TestEnv bool `json:"test_env,omitempty"`
	// Username is the public name without "@" (empty: private).
	Username string `json:"username,omitempty"`
	// Title and Description are the page's name and description.
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	// PhotoURL is the page's main photo (empty: none).
	PhotoURL string `json:"photo_url,omitempty"`
	// OwnerOrgOID is the organisation that runs the page (0: none).
	OwnerOrgOID int64 `json:"owner_org_oid,omitempty"`
	// Admins are the page's administrators, owner included.
	Admins []PageAdmin `json:"admins,omitempty"`
	// Members are the person OIDs of ordinary members.
	Members []int64 `json:"members,omitempty"`
	// BotMembers are the user ids of bots that are plain members.
	BotMembers []int64 `json:"bot_members,omitempty"`
	// MemberCount overrides the reported member count (0: count admins and
	// members).
	MemberCount int `json:"member_count,omitempty"`
	// MigratedToID, for a Telegram basic group that was upgraded, is the id
	// of the new supergroup; calls on the old id then fail with
	// migrate_to_chat_id.
	MigratedToID int64 `json:"migrated_to_id,omitempty"`
	// City and Topic are VK/OK page settings used by requirement checks.
	City  string `json:"city,omitempty"`
	Topic string `json:"topic,omitempty"`
	// Open reports an open (public) community.
	Open bool `json:"open,omitempty"`
}

// Bot is a network bot or application credential that an app under test
// uses. For Telegram it is a bot with a token of the real shape.
type Bot struct {
	// Network is the network of the bot ("telegram").
	Network string `json:"network"`
	// ID is the bot's user id; for Telegram it is the token's numeric prefix.
	ID int64 `json:"id"`
	// Token is the bot token ("123456789:MOCK…", 35 characters after the
	// colon). Sandbox tokens must start their secret part with "MOCK" so a
	// real token is never seeded.
	Token string `json:"token"`
	// Username is the bot's @username without "@" (ends in "bot").
	Username string `json:"username"`
	// FirstName is the bot's display name.
	FirstName string `json:"first_name"`
	// TestEnv places the bot in the Telegram test environment.
	TestEnv bool `json:"test_env,omitempty"`
	// OwnerOrgOID is the organisation that owns the bot (0: none).
	OwnerOrgOID int64 `json:"owner_org_oid,omitempty"`
	// CanJoinGroups, CanReadAllGroupMessages and SupportsInlineQueries are
	// reported by getMe.
	CanJoinGroups           bool `json:"can_join_groups,omitempty"`
	CanReadAllGroupMessages bool `json:"can_read_all_group_messages,omitempty"`
	SupportsInlineQueries   bool `json:"supports_inline_queries,omitempty"`
}

func (p Person) clone() Person { return p }

func (e Employee) clone() Employee {
	e.Groups = append([]string(nil), e.Groups...)
	return e
}

func (p Page) clone() Page {
	p.Admins = append([]PageAdmin(nil), p.Admins...)
	p.Members = append([]int64(nil), p.Members...)
	p.BotMembers = append([]int64(nil), p.BotMembers...)
	return p
}
