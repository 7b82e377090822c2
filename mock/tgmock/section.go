package tgmock

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gospubliki/gosdk/mock/world"
)

// SectionName is the key of the Telegram section in a world scenario.
const SectionName = "telegram"

// Ids of the default Telegram section's bots.
const (
	DefaultBotID     int64 = 7000000001
	DefaultTestBotID int64 = 7000000002
)

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

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Bot is a Telegram bot that an application under test uses, with a token
// of the real shape.
type Bot struct {
	// ID is the bot's user id, the token's numeric prefix.
	ID int64 `json:"id"`
	// Token is the bot token ("123456789:MOCK…", 35 characters after the
	// colon). Sandbox tokens must start their secret part with
	// [SandboxTokenPrefix] so a real token is never seeded.
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

// AdminRights are the rights of a chat administrator, named as Telegram's
// ChatMemberAdministrator fields.
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

// FullRights returns rights with every flag set (a chat's creator has
// them).
func FullRights() AdminRights {
	return AdminRights{true, true, true, true, true, true, true, true, true, true}
}

// ChatAdmin is the Telegram side of one administrator of a chat: a person
// holding a role on the world's page (creator or administrator), or a bot
// of this section.
type ChatAdmin struct {
	// PersonOID is the person (0 when BotID is set).
	PersonOID int64 `json:"person_oid,omitempty"`
	// BotID is the bot's user id (0 when PersonOID is set).
	BotID int64 `json:"bot_id,omitempty"`
	// Rights are the administrator's rights (ignored for the creator, who
	// has them all).
	Rights AdminRights `json:"rights"`
	// CustomTitle is the administrator's custom title, if any.
	CustomTitle string `json:"custom_title,omitempty"`
}

// ChatSettings holds the Telegram-only settings of a chat, which is a page of
// network "telegram" in the world.
type ChatSettings struct {
	// ID is the chat id, the id of the world's page.
	ID int64 `json:"id"`
	// Admins are the rights of the chat's administrators. A person with the
	// administrator role on the page and no entry here has no rights.
	Admins []ChatAdmin `json:"admins,omitempty"`
	// BotMembers are the user ids of bots that are plain members.
	BotMembers []int64 `json:"bot_members,omitempty"`
	// MigratedToID, for a basic group that was upgraded, is the id of the
	// new supergroup; calls on the old id then fail with migrate_to_chat_id.
	MigratedToID int64 `json:"migrated_to_id,omitempty"`
}

func (c ChatSettings) clone() ChatSettings {
	c.Admins = slices.Clone(c.Admins)
	c.BotMembers = slices.Clone(c.BotMembers)
	return c
}

// admin returns the entry of a person (bot false) or a bot (bot true).
func (c ChatSettings) admin(id int64, bot bool) (ChatAdmin, bool) {
	for _, a := range c.Admins {
		if bot && a.BotID == id || !bot && a.PersonOID == id {
			return a, true
		}
	}
	return ChatAdmin{}, false
}

// Settings are the content of the Telegram section: what a scenario holds
// under "telegram".
type Settings struct {
	Bots  []Bot          `json:"bots,omitempty"`
	Chats []ChatSettings `json:"chats,omitempty"`
}

func (st *Settings) sort() {
	slices.SortFunc(st.Bots, func(a, b Bot) int { return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Token, b.Token)) })
	slices.SortFunc(st.Chats, func(a, b ChatSettings) int { return cmp.Compare(a.ID, b.ID) })
}

// DefaultSettings returns the default Telegram section, which refers to
// the entities of [world.DefaultScenario]: a production bot and a
// test-environment bot owned by the ministry; the bot administers the
// channel (next to the chief, its creator, and the employee, who may post
// and edit) and the supergroup, and is a plain member of the old basic
// group, which was upgraded to that supergroup.
func DefaultSettings() Settings {
	botRights := AdminRights{CanManageChat: true, CanPostMessages: true, CanEditMessages: true,
		CanDeleteMessages: true, CanPinMessages: true, CanInviteUsers: true, CanChangeInfo: true}
	st := Settings{
		Bots: []Bot{{
			ID: DefaultBotID, Token: NewBotToken(DefaultBotID, 1),
			Username: "minsvyaz29_bot", FirstName: "Минцифры АО", OwnerOrgOID: world.DefaultMinistryOID,
			CanJoinGroups: true,
		}, {
			ID: DefaultTestBotID, Token: NewBotToken(DefaultTestBotID, 2),
			Username: "minsvyaz29_test_bot", FirstName: "Минцифры АО (тест)", OwnerOrgOID: world.DefaultMinistryOID,
			TestEnv: true, CanJoinGroups: true,
		}},
		Chats: []ChatSettings{{
			ID: world.DefaultChannelID,
			Admins: []ChatAdmin{
				{PersonOID: world.DefaultEmployeeOID, Rights: AdminRights{CanPostMessages: true, CanEditMessages: true}},
				{BotID: DefaultBotID, Rights: botRights},
			},
		}, {
			ID:     world.DefaultGroupID,
			Admins: []ChatAdmin{{BotID: DefaultBotID, Rights: botRights}},
		}, {
			ID:           world.DefaultOldGroupID,
			BotMembers:   []int64{DefaultBotID},
			MigratedToID: world.DefaultGroupID,
		}},
	}
	st.sort()
	return st
}

// Section is the Telegram section of a world: bots, and the Telegram-only
// settings of chats (admin rights, bot memberships, upgrades). It
// implements [world.Section]; [New] registers one on its world when the
// world has none.
type Section struct {
	version atomic.Uint64

	mu    sync.RWMutex
	bots  map[string]Bot         // by token
	ids   map[botKey]bool        // bot ids in use per environment
	names map[botKey]bool        // folded usernames in use per environment (id 0)
	chats map[int64]ChatSettings // by chat id
}

type botKey struct {
	test bool
	id   int64
	name string
}

var _ world.Section = (*Section)(nil)

// NewSection returns an empty Telegram section.
func NewSection() *Section {
	s := &Section{}
	s.load(Settings{})
	return s
}

// SectionOf returns the Telegram section of a world, registering a new one
// (seeded with [DefaultSettings] when the world holds the default
// scenario) when it has none.
func SectionOf(w *world.World) *Section {
	s, err := world.SectionOf(w, SectionName, NewSection)
	if err != nil {
		w.Logger().Warn("tgmock: the Telegram section could not be registered; bots start empty", "err", err)
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
	return world.DecodeSection[Settings](raw)
}

// Validate checks the section's content and its references to the
// world's organisations, people and Telegram pages.
func (s *Section) Validate(raw json.RawMessage, shared world.Lookup) error {
	st, err := decodeSettings(raw)
	if err != nil {
		return err
	}
	return validateSettings(st, shared)
}

var botTokenRe = regexp.MustCompile(`^(\d{1,15}):([A-Za-z0-9_-]{35})$`)

func validateBot(b Bot) error {
	m := botTokenRe.FindStringSubmatch(b.Token)
	switch {
	case b.ID <= 0:
		return world.Fieldf(world.ErrInvalid, "id", "must be positive")
	case m == nil:
		return world.Fieldf(world.ErrInvalid, "token", `must look like "<id>:<35 chars of [A-Za-z0-9_-]>"`)
	case m[1] != strconv.FormatInt(b.ID, 10):
		return world.Fieldf(world.ErrInvalid, "token", "the numeric prefix must equal the bot id")
	case !strings.HasPrefix(m[2], SandboxTokenPrefix):
		return world.Fieldf(world.ErrInvalid, "token", "refusing a production-looking token; sandbox tokens start with %q after the colon", SandboxTokenPrefix)
	case b.Username == "" || !strings.HasSuffix(strings.ToLower(b.Username), "bot"):
		return world.Fieldf(world.ErrInvalid, "username", `must end in "bot"`)
	case b.FirstName == "":
		return world.Fieldf(world.ErrInvalid, "first_name", "is empty")
	}
	return nil
}

func botIDKey(b Bot) botKey   { return botKey{test: b.TestEnv, id: b.ID} }
func botNameKey(b Bot) botKey { return botKey{test: b.TestEnv, name: strings.ToLower(b.Username)} }

// validateSettings checks a whole section against the shared entities.
func validateSettings(st Settings, shared world.Lookup) error {
	tokens := map[string]bool{}
	ids, names := map[botKey]bool{}, map[botKey]bool{}
	bots := map[int64]Bot{}
	for i, b := range st.Bots {
		path := world.Index("bots", i)
		if err := validateBot(b); err != nil {
			return world.InField(path, err)
		}
		switch {
		case tokens[b.Token]:
			return world.Fieldf(world.ErrDuplicate, path+".token", "bot %d: token already used", b.ID)
		case ids[botIDKey(b)]:
			return world.Fieldf(world.ErrDuplicate, path+".id", "bot %d appears twice in its environment", b.ID)
		case names[botNameKey(b)]:
			return world.Fieldf(world.ErrDuplicate, path+".username", "@%s already used in its environment", b.Username)
		}
		if b.OwnerOrgOID != 0 {
			if _, err := shared.Organization(b.OwnerOrgOID); err != nil {
				return world.Fieldf(world.ErrNotFound, path+".owner_org_oid", "no organization %d", b.OwnerOrgOID)
			}
		}
		tokens[b.Token], ids[botIDKey(b)], names[botNameKey(b)] = true, true, true
		bots[b.ID] = b
	}
	chats := map[int64]bool{}
	for i, c := range st.Chats {
		if err := validateChat(c, bots, shared); err != nil {
			return world.InField(world.Index("chats", i), err)
		}
		if chats[c.ID] {
			return world.Fieldf(world.ErrDuplicate, world.Index("chats", i)+".id", "chat %d appears twice", c.ID)
		}
		chats[c.ID] = true
	}
	return nil
}

func validateChat(c ChatSettings, bots map[int64]Bot, shared world.Lookup) error {
	page, err := shared.Page(world.NetworkTelegram, c.ID)
	if err != nil {
		return world.Fieldf(world.ErrNotFound, "id", "no telegram page %d", c.ID)
	}
	inChat := map[int64]bool{}
	persons := map[int64]bool{}
	for j, a := range c.Admins {
		path := world.Index("admins", j)
		switch {
		case (a.PersonOID == 0) == (a.BotID == 0):
			return world.Fieldf(world.ErrInvalid, path, "an administrator is either a person (person_oid) or a bot (bot_id)")
		case a.BotID != 0:
			if _, ok := bots[a.BotID]; !ok {
				return world.Fieldf(world.ErrNotFound, path+".bot_id", "no bot %d in this section", a.BotID)
			}
			if inChat[a.BotID] {
				return world.Fieldf(world.ErrDuplicate, path+".bot_id", "bot %d appears twice", a.BotID)
			}
			inChat[a.BotID] = true
		default:
			role := page.RoleOf(a.PersonOID)
			if role != world.RoleCreator && role != world.RoleAdministrator {
				return world.Fieldf(world.ErrInvalid, path+".person_oid",
					"person %d holds no creator or administrator role on telegram page %d (pages[].admins)", a.PersonOID, c.ID)
			}
			if persons[a.PersonOID] {
				return world.Fieldf(world.ErrDuplicate, path+".person_oid", "person %d appears twice", a.PersonOID)
			}
			persons[a.PersonOID] = true
		}
	}
	for j, id := range c.BotMembers {
		path := world.Index("bot_members", j)
		if _, ok := bots[id]; !ok {
			return world.Fieldf(world.ErrNotFound, path, "no bot %d in this section", id)
		}
		if inChat[id] {
			return world.Fieldf(world.ErrDuplicate, path, "bot %d is already in the chat", id)
		}
		inChat[id] = true
	}
	if c.MigratedToID != 0 {
		to, err := shared.Page(world.NetworkTelegram, c.MigratedToID)
		switch {
		case page.Kind != world.PageGroup:
			return world.Fieldf(world.ErrInvalid, "migrated_to_id", "only a basic group is upgraded")
		case err != nil:
			return world.Fieldf(world.ErrNotFound, "migrated_to_id", "no telegram page %d", c.MigratedToID)
		case to.Kind != world.PageSupergroup:
			return world.Fieldf(world.ErrInvalid, "migrated_to_id", "page %d is not a supergroup", c.MigratedToID)
		}
	}
	return nil
}

func (s *Section) load(st Settings) {
	s.bots = make(map[string]Bot, len(st.Bots))
	s.ids = make(map[botKey]bool, len(st.Bots))
	s.names = make(map[botKey]bool, len(st.Bots))
	s.chats = make(map[int64]ChatSettings, len(st.Chats))
	for _, b := range st.Bots {
		s.putBotLocked(b)
	}
	for _, c := range st.Chats {
		s.chats[c.ID] = c.clone()
	}
}

func (s *Section) putBotLocked(b Bot) {
	s.bots[b.Token] = b
	s.ids[botIDKey(b)] = true
	s.names[botNameKey(b)] = true
}

// Import replaces the section's content.
func (s *Section) Import(raw json.RawMessage) error {
	st, err := decodeSettings(raw)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.load(st)
	s.mu.Unlock()
	s.version.Add(1)
	return nil
}

// Seed adds bots and chats to the section: the result must validate as a
// whole, and a bot (token, id or username) or a chat already there is
// refused with [world.ErrDuplicate].
func (s *Section) Seed(raw json.RawMessage, shared world.Lookup) error {
	st, err := decodeSettings(raw)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	merged := s.settingsLocked()
	for i, b := range st.Bots {
		if _, ok := s.bots[b.Token]; ok || s.ids[botIDKey(b)] || s.names[botNameKey(b)] {
			return world.Fieldf(world.ErrDuplicate, world.Index("bots", i), "bot %d (@%s) or its token is already in the world", b.ID, b.Username)
		}
	}
	for i, c := range st.Chats {
		if _, ok := s.chats[c.ID]; ok {
			return world.Fieldf(world.ErrDuplicate, world.Index("chats", i)+".id", "chat %d already has Telegram settings", c.ID)
		}
	}
	merged.Bots = append(merged.Bots, st.Bots...)
	merged.Chats = append(merged.Chats, st.Chats...)
	if err := validateSettings(merged, shared); err != nil {
		return err
	}
	s.load(merged)
	s.version.Add(1)
	return nil
}

// Export returns the section's content; without secrets, bot tokens are
// left out.
func (s *Section) Export(secrets bool) (json.RawMessage, error) {
	st := s.Settings()
	if len(st.Bots) == 0 && len(st.Chats) == 0 {
		return nil, nil
	}
	if !secrets {
		for i := range st.Bots {
			st.Bots[i].Token = ""
		}
	}
	return json.Marshal(st)
}

func (s *Section) settingsLocked() Settings {
	var st Settings
	for _, b := range s.bots {
		st.Bots = append(st.Bots, b)
	}
	for _, c := range s.chats {
		st.Chats = append(st.Chats, c.clone())
	}
	st.sort()
	return st
}

// Settings returns a copy of the section's content, sorted by id.
func (s *Section) Settings() Settings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.settingsLocked()
}

// AddBot validates and adds a bot. Its token, and its id and username
// (case-insensitively) within its environment, must be free; its owner
// organisation must exist in shared.
func (s *Section) AddBot(b Bot, shared world.Lookup) error {
	if err := validateBot(b); err != nil {
		return fmt.Errorf("bot %d: %w", b.ID, err)
	}
	if b.OwnerOrgOID != 0 {
		if _, err := shared.Organization(b.OwnerOrgOID); err != nil {
			return fmt.Errorf("bot %d: %w", b.ID, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.bots[b.Token]; ok {
		return fmt.Errorf("%w: bot %d token", world.ErrDuplicate, b.ID)
	}
	if s.ids[botIDKey(b)] || s.names[botNameKey(b)] {
		return fmt.Errorf("%w: bot %d (@%s)", world.ErrDuplicate, b.ID, b.Username)
	}
	s.putBotLocked(b)
	s.version.Add(1)
	return nil
}

// RemoveBot deletes the bot with a token and its place in every chat.
func (s *Section) RemoveBot(token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.bots[token]
	if !ok {
		return fmt.Errorf("%w: bot", world.ErrNotFound)
	}
	delete(s.bots, token)
	delete(s.ids, botIDKey(b))
	delete(s.names, botNameKey(b))
	if !s.otherBotLocked(b.ID) {
		for id, c := range s.chats {
			c.Admins = slices.DeleteFunc(c.Admins, func(a ChatAdmin) bool { return a.BotID == b.ID })
			c.BotMembers = slices.DeleteFunc(c.BotMembers, func(x int64) bool { return x == b.ID })
			s.chats[id] = c
		}
	}
	s.version.Add(1)
	return nil
}

// otherBotLocked reports whether a bot with the id remains (in the other
// environment).
func (s *Section) otherBotLocked(id int64) bool {
	for _, b := range s.bots {
		if b.ID == id {
			return true
		}
	}
	return false
}

// Bot returns the bot with a token.
func (s *Section) Bot(token string) (Bot, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.bots[token]
	if !ok {
		return Bot{}, fmt.Errorf("%w: bot", world.ErrNotFound)
	}
	return b, nil
}

// Bots returns every bot, sorted by id.
func (s *Section) Bots() []Bot { return s.Settings().Bots }

// Chat returns the Telegram settings of a chat (zero settings with its id
// when it has none).
func (s *Section) Chat(id int64) ChatSettings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if c, ok := s.chats[id]; ok {
		return c.clone()
	}
	return ChatSettings{ID: id}
}

// ModifyChat applies f to a copy of a chat's settings and stores the
// result, atomically with respect to other changes of the section.
func (s *Section) ModifyChat(id int64, f func(*ChatSettings) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[id]
	if !ok {
		c = ChatSettings{ID: id}
	}
	c = c.clone()
	if err := f(&c); err != nil {
		return err
	}
	c.ID = id
	s.chats[id] = c
	s.version.Add(1)
	return nil
}

// SettingsOf decodes the Telegram section of a scenario (empty settings
// when it has none).
func SettingsOf(sc world.Scenario) (Settings, error) {
	st, err := decodeSettings(sc.Sections[SectionName])
	return st, world.InField(SectionName, err)
}

// PutSettings stores st as the Telegram section of sc.
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
