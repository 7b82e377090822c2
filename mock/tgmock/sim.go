package tgmock

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gospubliki/gosdk/mock/world"
)

// The methods below simulate users and inspect what bots did. They act on
// the production environment; chat ids are Telegram ids (negative for
// channels and groups).

// ErrSim is wrapped by the errors of the simulation helpers.
var ErrSim = errors.New("tgmock")

func (s *Server) prod() *env {
	s.refresh()
	return s.env(false)
}

func (e *env) chatByID(id int64) *chat {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.chats[id]
}

// userEntities marks a leading /command as a bot_command entity, as
// Telegram clients do.
func userEntities(text string) []MessageEntity {
	if !strings.HasPrefix(text, "/") {
		return nil
	}
	end := strings.IndexAny(text, " \n\t")
	if end < 0 {
		end = len(text)
	}
	return []MessageEntity{{Type: "bot_command", Offset: 0, Length: utf16Len(text[:end])}}
}

// PostAsUser makes a user write text in a channel or group. In a group the
// bots receive a "message" update (bots in privacy mode only for commands
// and mentions of them, unless they are admins); in a channel the user must
// be an admin who may post, and every bot of the channel receives a
// "channel_post". userID is a Telegram user id; unknown ids become
// synthetic users.
func (s *Server) PostAsUser(chatID, userID int64, text string) (Message, error) {
	e := s.prod()
	ch := e.chatByID(chatID)
	if ch == nil {
		return Message{}, fmt.Errorf("%w: chat %d not found (use WriteToBot for private chats)", ErrSim, chatID)
	}
	m := ch.meta.Load()
	if m.migratedTo != 0 {
		return Message{}, fmt.Errorf("%w: chat %d was upgraded to %d", ErrSim, chatID, m.migratedTo)
	}
	now := s.w.Clock.Now()
	msg := Message{Date: now.Unix(), Chat: ch.short(), Text: text, Entities: userEntities(text)}
	u := e.userByID(userID)
	if m.kind == "channel" {
		ok := false
		for _, a := range m.admins {
			if a.user.ID == userID && (a.role == world.RoleCreator || a.rights.CanPostMessages) {
				ok = true
			}
		}
		if !ok {
			return Message{}, fmt.Errorf("%w: user %d may not post in channel %d", ErrSim, userID, chatID)
		}
		sc := ch.short()
		msg.SenderChat = &sc
	} else {
		msg.From = &u
	}
	msg = s.store(ch, msg, userID, now)
	for _, b := range e.botsInChat(ch) {
		mm := msg
		if m.kind == "channel" {
			b.enqueue(Update{ChannelPost: &mm}, DefaultQueueLimit)
			continue
		}
		bm := b.meta.Load()
		_, admin := m.botRights(bm.wb.ID)
		if admin || bm.wb.CanReadAllGroupMessages || strings.HasPrefix(text, "/") ||
			strings.Contains(strings.ToLower(text), "@"+strings.ToLower(bm.wb.Username)) {
			b.enqueue(Update{Message: &mm}, DefaultQueueLimit)
		}
	}
	return msg, nil
}

// WriteToBot makes a user write text to a bot in their private chat; the
// bot receives a "message" update and may write to the user from then on
// (before that, it gets 403 "Forbidden: bot can't initiate conversation
// with a user"). It fails when the user blocked the bot ([Server.StartBot]
// unblocks).
func (s *Server) WriteToBot(botID, userID int64, text string) (Message, error) {
	e := s.prod()
	b := e.botByID(botID)
	if b == nil {
		return Message{}, fmt.Errorf("%w: bot %d not found", ErrSim, botID)
	}
	if userID <= 0 {
		return Message{}, fmt.Errorf("%w: user id must be positive", ErrSim)
	}
	u := e.userByID(userID)
	ch := b.privateChat(userID, u)
	b.mu.Lock()
	if b.blocked[userID] {
		b.mu.Unlock()
		return Message{}, fmt.Errorf("%w: user %d blocked bot %d (StartBot unblocks)", ErrSim, userID, botID)
	}
	if b.started == nil {
		b.started = map[int64]bool{}
	}
	b.started[userID] = true
	b.mu.Unlock()
	now := s.w.Clock.Now()
	msg := Message{Date: now.Unix(), Chat: ch.short(), From: &u, Text: text, Entities: userEntities(text)}
	msg = s.store(ch, msg, userID, now)
	mm := msg
	b.enqueue(Update{Message: &mm}, DefaultQueueLimit)
	return msg, nil
}

// Messages returns the messages kept in a channel or group, oldest first:
// what bots (and simulated users) posted, as edited, without deleted ones.
func (s *Server) Messages(chatID int64) []Message {
	ch := s.prod().chatByID(chatID)
	if ch == nil {
		return nil
	}
	return ch.messages()
}

// PrivateMessages returns the messages of the private chat between a bot
// and a user, oldest first.
func (s *Server) PrivateMessages(botID, userID int64) []Message {
	b := s.prod().botByID(botID)
	if b == nil {
		return nil
	}
	b.mu.Lock()
	ch := b.private[userID]
	b.mu.Unlock()
	if ch == nil {
		return nil
	}
	return ch.messages()
}

func (ch *chat) messages() []Message {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	out := make([]Message, 0, len(ch.order))
	for _, id := range ch.order {
		if sm := ch.msgs[id]; sm != nil {
			out = append(out, sm.msg)
		}
	}
	return out
}

// Pinned returns the ids of the pinned messages of a chat, most recent
// last.
func (s *Server) Pinned(chatID int64) []int64 {
	ch := s.prod().chatByID(chatID)
	if ch == nil {
		return nil
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	return slices.Clone(ch.pinned)
}

// PendingUpdates returns the updates queued for a bot and not yet
// confirmed.
func (s *Server) PendingUpdates(botID int64) []Update {
	b := s.prod().botByID(botID)
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Update, len(b.queue))
	for i, u := range b.queue {
		out[i] = *u
	}
	return out
}

// SetAdmin makes a bot or a person (given by Telegram user id) an
// administrator of a channel or group with the rights, or updates the
// rights. The change is stored in the world (the person's role on the page,
// the rights in the Telegram section, so both are exported) and a bot
// receives a my_chat_member update.
func (s *Server) SetAdmin(chatID, userID int64, rights AdminRights) error {
	return s.setMember(chatID, userID, &rights)
}

// RemoveAdmin demotes a bot or person to a plain member (a bot stays in the
// chat as a member).
func (s *Server) RemoveAdmin(chatID, userID int64) error {
	return s.setMember(chatID, userID, nil)
}

func (s *Server) setMember(chatID, userID int64, rights *AdminRights) error {
	e := s.prod()
	b := e.botByID(userID)
	var personOID int64
	if b == nil {
		p, err := s.w.PersonByAccount(world.NetworkTelegram, userID)
		if err != nil {
			return fmt.Errorf("%w: user %d is neither a bot nor a known person", ErrSim, userID)
		}
		personOID = p.OID
	}
	ch := e.chatByID(chatID)
	if ch == nil {
		return fmt.Errorf("%w: chat %d not found", ErrSim, chatID)
	}
	old := ch.meta.Load()
	if b == nil {
		err := s.w.ModifyPage(world.NetworkTelegram, chatID, func(p *world.Page) error {
			idx := slices.IndexFunc(p.Admins, func(a world.PageAdmin) bool { return a.PersonOID == personOID })
			if idx >= 0 && p.Admins[idx].Role == world.RoleCreator {
				return fmt.Errorf("%w: cannot change the owner's rights", ErrSim)
			}
			if idx >= 0 {
				p.Admins = slices.Delete(p.Admins, idx, idx+1)
			}
			p.Members = slices.DeleteFunc(p.Members, func(m int64) bool { return m == personOID })
			if rights != nil {
				p.Admins = append(p.Admins, world.PageAdmin{PersonOID: personOID, Role: world.RoleAdministrator})
			} else {
				p.Members = append(p.Members, personOID)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	err := s.sec.ModifyChat(chatID, func(c *ChatSettings) error {
		c.Admins = slices.DeleteFunc(c.Admins, func(a ChatAdmin) bool {
			return b != nil && a.BotID == userID || b == nil && a.PersonOID == personOID
		})
		if rights != nil {
			a := ChatAdmin{Rights: *rights}
			if b != nil {
				a.BotID = userID
			} else {
				a.PersonOID = personOID
			}
			c.Admins = append(c.Admins, a)
		}
		if b != nil {
			c.BotMembers = slices.DeleteFunc(c.BotMembers, func(id int64) bool { return id == userID })
			if rights == nil {
				c.BotMembers = append(c.BotMembers, userID)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if b == nil {
		return nil
	}
	ch.setKicked(userID, false)
	s.refresh()
	bm := b.meta.Load()
	oldM := ChatMember{Status: "left", User: bm.user}
	if r, ok := old.botRights(userID); ok {
		oldM = member(old.kind, adminInfo{user: bm.user, role: world.RoleAdministrator, rights: r})
	} else if old.botMember[userID] {
		oldM = ChatMember{Status: "member", User: bm.user}
	}
	newM := ChatMember{Status: "member", User: bm.user}
	if rights != nil {
		newM = member(old.kind, adminInfo{user: bm.user, role: world.RoleAdministrator, rights: *rights})
	}
	from := bm.user
	if old.owner != nil {
		from = *old.owner
	}
	b.enqueue(Update{MyChatMember: &ChatMemberUpdated{Chat: ch.short(), From: from, Date: s.w.Clock.Now().Unix(),
		OldChatMember: oldM, NewChatMember: newM}}, DefaultQueueLimit)
	return nil
}

// ResetTenant drops the runtime state of the bot a tenant key names
// ("bot<id>" or "bot<id>/test"): its update queue, webhook, update filter,
// flood-control windows and private chats. Messages it posted in shared
// channels and groups stay, as other tenants may see them. Other tenant keys
// (custom X-Mock-Tenant values) have no Telegram state and are ignored.
func (s *Server) ResetTenant(tenant string) {
	rest, ok := strings.CutPrefix(tenant, "bot")
	if !ok {
		return
	}
	test := false
	if r, ok := strings.CutSuffix(rest, "/test"); ok {
		rest, test = r, true
	}
	id, ok := parseChatID(rest)
	if !ok {
		return
	}
	s.refresh()
	b := s.env(test).botByID(id)
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.hook = nil
	b.abortDeliveryLocked()
	if b.poller != nil {
		close(b.poller.conflict)
		b.poller = nil
	}
	b.queue, b.allowed, b.limits, b.commands = nil, nil, limitState{}, nil
	b.private = map[int64]*chat{}
	b.started, b.blocked = nil, nil
}
