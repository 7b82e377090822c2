package tgmock

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gospubliki/gosdk/mock/delivery"
	"github.com/gospubliki/gosdk/mock/world"
)

// env is one Telegram environment (production or test) of the emulator.
type env struct {
	test bool

	mu        sync.RWMutex
	bots      map[string]*bot // by token
	botsByID  map[int64]*bot
	chats     map[int64]*chat // channels and groups
	usernames map[string]int64
	users     map[int64]User  // known people by Telegram id
	personTG  map[int64]int64 // person OID -> Telegram user id

	files fileStore
}

func (s *Server) newEnv(test bool) *env {
	e := newEnv(test)
	e.files.limit = s.fileBytes
	return e
}

func newEnv(test bool) *env {
	return &env{
		test:      test,
		bots:      map[string]*bot{},
		botsByID:  map[int64]*bot{},
		chats:     map[int64]*chat{},
		usernames: map[string]int64{},
		users:     map[int64]User{},
		personTG:  map[int64]int64{},
		files:     fileStore{byID: map[string]*storedFile{}, byPath: map[string]*storedFile{}},
	}
}

// botMeta is the immutable description of a bot, replaced on world changes.
type botMeta struct {
	wb   Bot
	user User
	fp   string // token fingerprint
}

// bot is a bot's runtime state.
type bot struct {
	env  *env
	meta atomic.Pointer[botMeta]

	mu       sync.Mutex
	nextUpd  int64
	queue    []*Update
	notify   chan struct{} // closed when an update is queued; nil when none waits
	poller   *poller
	hook     *webhook
	inflight *hookAttempt     // the webhook delivery under way, if any
	stream   *delivery.Stream // webhook deliveries; nil until the first setWebhook
	allowed  map[string]bool  // nil: the default set
	private  map[int64]*chat
	started  map[int64]bool // people who wrote to the bot (it may write to them)
	blocked  map[int64]bool // people who blocked the bot
	limits   limitState
	commands []BotCommand
	closed   bool
}

// chatMeta is the immutable description of a chat, replaced on world
// changes.
type chatMeta struct {
	kind        string // private, group, supergroup, channel
	title       string
	username    string
	description string
	photoURL    string
	firstName   string
	lastName    string
	owner       *User
	admins      []adminInfo
	botAdmin    map[int64]AdminRights
	botMember   map[int64]bool
	userMember  map[int64]bool // Telegram ids of human members (admins included)
	memberCount int
	migratedTo  int64
}

type adminInfo struct {
	user        User
	role        string
	rights      AdminRights
	customTitle string
}

// storedMsg is a message kept for edits, deletes and pins.
type storedMsg struct {
	msg      Message
	senderID int64 // user or bot id of the author (0 for channel posts of a person)
	date     time.Time
}

// chat is a chat's runtime state.
type chat struct {
	id   int64
	meta atomic.Pointer[chatMeta]

	mu      sync.Mutex
	nextID  int64
	msgs    map[int64]*storedMsg
	order   []int64        // message ids, oldest first, for eviction
	pinned  []int64        // pinned ids, most recent last
	groupID int64          // media group counter
	photo   [2]*storedFile // chat photo, small and big
	kicked  map[int64]bool // bots removed from the chat
}

func newChat(id int64, m *chatMeta) *chat {
	c := &chat{id: id, msgs: map[int64]*storedMsg{}}
	c.meta.Store(m)
	return c
}

// short returns the Chat object of c.
func (c *chat) short() Chat {
	m := c.meta.Load()
	return Chat{ID: c.id, Type: m.kind, Title: m.title, Username: m.username, FirstName: m.firstName, LastName: m.lastName}
}

func (m *chatMeta) isGroup() bool { return m.kind == "group" || m.kind == "supergroup" }

// botRights returns the admin rights of a bot and whether it is an admin.
func (m *chatMeta) botRights(id int64) (AdminRights, bool) {
	r, ok := m.botAdmin[id]
	return r, ok
}

// hasBot reports whether a bot is in the chat.
func (m *chatMeta) hasBot(id int64) bool {
	if _, ok := m.botAdmin[id]; ok {
		return true
	}
	return m.botMember[id]
}

func userOf(p world.Person, a world.Account) User {
	return User{ID: a.UserID, FirstName: p.FirstName, LastName: p.LastName, Username: a.Username, LanguageCode: "ru"}
}

// version is the combined change counter of the world's shared entities
// and the Telegram section.
func (s *Server) version() uint64 { return s.w.Version() + s.sec.Version() }

// refresh brings the emulator's indexes up to date with the world. It is
// cheap when nothing changed (two atomic loads).
func (s *Server) refresh() {
	if s.version() == s.ver.Load() {
		return
	}
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	v := s.version()
	if v == s.ver.Load() {
		return
	}
	if g := s.w.Generation(); g != s.gen {
		s.gen = g
		old := s.envs
		s.envs = [2]*env{s.newEnv(false), s.newEnv(true)}
		for _, e := range old {
			if e != nil {
				e.shutdown()
			}
		}
		s.releaseMessages()
		s.envPtr[0].Store(s.envs[0])
		s.envPtr[1].Store(s.envs[1])
	}
	st := s.sec.Settings()
	pages := s.w.Pages(world.NetworkTelegram)
	people := s.w.People()
	for _, e := range s.envs {
		e.apply(st, pages, people)
	}
	s.ver.Store(v)
}

// apply updates the env's bots, chats and users from world entities,
// keeping the runtime state of those that still exist.
func (e *env) apply(st Settings, pages []world.Page, people []world.Person) {
	users := make(map[int64]User, len(people))
	personTG := make(map[int64]int64, len(people))
	for _, p := range people {
		if a, ok := p.Account(world.NetworkTelegram); ok {
			users[a.UserID] = userOf(p, a)
			personTG[p.OID] = a.UserID
		}
	}
	chatSettings := make(map[int64]ChatSettings, len(st.Chats))
	for _, c := range st.Chats {
		chatSettings[c.ID] = c
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.users, e.personTG = users, personTG

	seenBots := map[string]bool{}
	botUsers := map[int64]User{}
	for _, wb := range st.Bots {
		if wb.TestEnv != e.test {
			continue
		}
		seenBots[wb.Token] = true
		m := &botMeta{wb: wb, fp: world.Fingerprint(wb.Token),
			user: User{ID: wb.ID, IsBot: true, FirstName: wb.FirstName, Username: wb.Username}}
		botUsers[wb.ID] = m.user
		if b, ok := e.bots[wb.Token]; ok {
			b.meta.Store(m)
			continue
		}
		b := &bot{env: e, nextUpd: 1, private: map[int64]*chat{}}
		b.meta.Store(m)
		e.bots[wb.Token] = b
	}
	for tok, b := range e.bots {
		if !seenBots[tok] {
			b.shutdown()
			delete(e.bots, tok)
		}
	}
	e.botsByID = make(map[int64]*bot, len(e.bots))
	for _, b := range e.bots {
		e.botsByID[b.meta.Load().wb.ID] = b
	}

	seenChats := map[int64]bool{}
	e.usernames = map[string]int64{}
	for _, p := range pages {
		if p.TestEnv != e.test {
			continue
		}
		seenChats[p.ID] = true
		cs := chatSettings[p.ID]
		m := &chatMeta{kind: p.Kind, title: p.Title, username: p.Username, description: p.Description,
			photoURL: p.PhotoURL, memberCount: p.MemberCount, migratedTo: cs.MigratedToID,
			botAdmin: map[int64]AdminRights{}, botMember: map[int64]bool{}, userMember: map[int64]bool{}}
		for _, a := range p.Admins {
			id, ok := personTG[a.PersonOID]
			if !ok {
				continue
			}
			u := users[id]
			m.userMember[id] = true
			ca, _ := cs.admin(a.PersonOID, false)
			ai := adminInfo{user: u, role: a.Role, rights: ca.Rights, customTitle: ca.CustomTitle}
			if a.Role == world.RoleCreator {
				ai.rights = FullRights()
				uu := u
				m.owner = &uu
			}
			m.admins = append(m.admins, ai)
		}
		for _, a := range cs.Admins {
			bu, ok := botUsers[a.BotID]
			if a.BotID == 0 || !ok {
				continue
			}
			m.botAdmin[a.BotID] = a.Rights
			m.admins = append(m.admins, adminInfo{user: bu, role: world.RoleAdministrator, rights: a.Rights, customTitle: a.CustomTitle})
		}
		for _, id := range cs.BotMembers {
			m.botMember[id] = true
		}
		for _, oid := range p.Members {
			if id, ok := personTG[oid]; ok {
				m.userMember[id] = true
			}
		}
		if c, ok := e.chats[p.ID]; ok {
			c.meta.Store(m)
		} else {
			e.chats[p.ID] = newChat(p.ID, m)
		}
		if p.Username != "" {
			e.usernames[strings.ToLower(p.Username)] = p.ID
		}
	}
	for id := range e.chats {
		if !seenChats[id] {
			delete(e.chats, id)
		}
	}
}

// shutdown stops every background activity of the env.
func (e *env) shutdown() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, b := range e.bots {
		b.shutdown()
	}
}

// shutdown stops the bot's webhook delivery and wakes its pollers.
func (b *bot) shutdown() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.hook = nil
	if b.stream != nil {
		b.stream.Close()
	}
	b.wakeLocked()
	if b.poller != nil {
		close(b.poller.conflict)
		b.poller = nil
	}
}

// lookupBot returns the bot with a token.
func (e *env) lookupBot(token string) *bot {
	e.mu.RLock()
	b := e.bots[token]
	e.mu.RUnlock()
	return b
}

// resolveChat finds the chat named by a chat_id parameter (an integer id or
// "@username") for a bot. Private chats are per bot; a private chat exists
// for every known person and for users who wrote to the bot.
func (e *env) resolveChat(b *bot, v string) (*chat, *apiError) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, errBadRequest("chat_id is empty")
	}
	e.mu.RLock()
	if name, ok := strings.CutPrefix(v, "@"); ok {
		id, found := e.usernames[strings.ToLower(name)]
		c := e.chats[id]
		e.mu.RUnlock()
		if !found || c == nil {
			return nil, errChatNotFound
		}
		return c, nil
	}
	id, ok := parseChatID(v)
	if !ok {
		e.mu.RUnlock()
		return nil, errChatNotFound
	}
	if id < 0 {
		c := e.chats[id]
		e.mu.RUnlock()
		if c == nil {
			return nil, errChatNotFound
		}
		return c, nil
	}
	u, known := e.users[id]
	e.mu.RUnlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	if c := b.private[id]; c != nil {
		return c, nil
	}
	if !known {
		return nil, errChatNotFound
	}
	b.trimPrivateLocked(maxPrivateChats)
	c := newChat(id, privateMeta(u))
	b.private[id] = c
	return c, nil
}

func privateMeta(u User) *chatMeta {
	return &chatMeta{kind: "private", firstName: u.FirstName, lastName: u.LastName, username: u.Username,
		userMember: map[int64]bool{u.ID: true}}
}

func parseChatID(v string) (int64, bool) {
	var n int64
	neg := false
	if v != "" && v[0] == '-' {
		neg, v = true, v[1:]
	}
	if v == "" || len(v) > 18 {
		return 0, false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if n == 0 {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// botsInChat returns the bots of a chat (channels and groups only).
func (e *env) botsInChat(c *chat) []*bot {
	m := c.meta.Load()
	e.mu.RLock()
	defer e.mu.RUnlock()
	var out []*bot
	for id := range m.botAdmin {
		if b := e.botsByID[id]; b != nil && !c.isKicked(id) {
			out = append(out, b)
		}
	}
	for id := range m.botMember {
		if _, dup := m.botAdmin[id]; !dup {
			if b := e.botsByID[id]; b != nil && !c.isKicked(id) {
				out = append(out, b)
			}
		}
	}
	return out
}

// botByID returns the bot with a user id, or nil.
func (e *env) botByID(id int64) *bot {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.botsByID[id]
}

// userByID returns a known user or a synthetic one.
func (e *env) userByID(id int64) User {
	e.mu.RLock()
	u, ok := e.users[id]
	e.mu.RUnlock()
	if ok {
		return u
	}
	return User{ID: id, FirstName: "User " + itoa(id), LanguageCode: "ru"}
}
