package tgmock

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/mock/world"
)

// Descriptions of the states a publisher must handle, as the official Bot
// API server (tdlib/telegram-bot-api, Client.cpp and ClientManager.cpp)
// writes them.
const (
	descBlocked          = "Forbidden: bot was blocked by the user"
	descCantInitiate     = "Forbidden: bot can't initiate conversation with a user"
	descInvalidToken     = "Unauthorized: invalid token specified"
	descUnallowedToken   = "Misdirected Request: unallowed token specified"
	descTerminatedByHook = "Conflict: terminated by setWebhook request"
)

// errKicked is the answer to a bot removed from a chat: "Forbidden: bot
// was kicked from the channel chat" (group, supergroup likewise).
func errKicked(kind string) *apiError {
	return &apiError{403, "Forbidden: bot was kicked from the " + kind + " chat", nil}
}

// tokenError is the answer to a request whose token names no bot. As the
// official server does, a malformed token (empty, starting with "0",
// longer than 80 bytes, without ':' or with a bot id outside 1..2^54-1) is
// "Unauthorized: invalid token specified"; a bot id that is not a number is
// 421 "Misdirected Request: unallowed token specified"; a well-formed
// token of no bot is plain "Unauthorized".
func tokenError(token string) *apiError {
	idPart, _, ok := strings.Cut(token, ":")
	if token == "" || token[0] == '0' || len(token) > 80 || !ok {
		return &apiError{401, descInvalidToken, nil}
	}
	id, err := strconv.ParseInt(idPart, 10, 64)
	if err != nil {
		return &apiError{421, descUnallowedToken, nil}
	}
	if id <= 0 || id >= 1<<54 {
		return &apiError{401, descInvalidToken, nil}
	}
	return errUnauthorized
}

// isKicked reports whether a bot was removed from the chat.
func (ch *chat) isKicked(botID int64) bool {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	return ch.kicked[botID]
}

func (ch *chat) setKicked(botID int64, v bool) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if v {
		if ch.kicked == nil {
			ch.kicked = map[int64]bool{}
		}
		ch.kicked[botID] = true
		return
	}
	delete(ch.kicked, botID)
}

// kickedAnswer returns the 403 of a bot removed from a channel or group, or
// nil. As the official server does, a bot removed from a basic group may
// still read the chat (write=false); from a supergroup or channel it may
// do nothing.
func kickedAnswer(ch *chat, m *chatMeta, botID int64, write bool) *apiError {
	if m.kind == "private" || !ch.isKicked(botID) {
		return nil
	}
	if m.kind == "group" && !write {
		return nil
	}
	return errKicked(m.kind)
}

// privateAnswer returns the 403 of a private chat the bot may not write
// to: the person blocked the bot, or never wrote to it. nil when the bot
// may write.
func (b *bot) privateAnswer(userID int64, first bool) *apiError {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.blocked[userID] {
		return &apiError{403, descBlocked, nil}
	}
	if first && !b.started[userID] {
		return &apiError{403, descCantInitiate, nil}
	}
	return nil
}

// KickBot removes a bot from a channel or group, as an administrator
// would: the bot gets a my_chat_member update (status "kicked") and from
// then on every call for the chat answers 403 "Forbidden: bot was kicked
// from the channel chat" ("group chat", "supergroup chat"); in a basic
// group reading the chat still works, as on Telegram. The bot receives no
// more updates from the chat. [Server.SetAdmin] brings it back.
func (s *Server) KickBot(chatID, botID int64) error {
	e := s.prod()
	b := e.botByID(botID)
	if b == nil {
		return fmt.Errorf("%w: bot %d not found", ErrSim, botID)
	}
	ch := e.chatByID(chatID)
	if ch == nil {
		return fmt.Errorf("%w: chat %d not found", ErrSim, chatID)
	}
	m := ch.meta.Load()
	if ch.isKicked(botID) {
		return nil
	}
	bm := b.meta.Load()
	oldM := ChatMember{Status: "left", User: bm.user}
	if r, ok := m.botRights(botID); ok {
		oldM = member(m.kind, adminInfo{user: bm.user, rights: r})
	} else if m.botMember[botID] {
		oldM = ChatMember{Status: "member", User: bm.user}
	}
	from := bm.user
	if m.owner != nil {
		from = *m.owner
	}
	b.enqueue(Update{MyChatMember: &ChatMemberUpdated{Chat: ch.short(), From: from, Date: s.w.Clock.Now().Unix(),
		OldChatMember: oldM, NewChatMember: ChatMember{Status: "kicked", User: bm.user}}}, DefaultQueueLimit)
	ch.setKicked(botID, true)
	return nil
}

// BlockBot makes a person block a bot: the bot gets a my_chat_member update
// for the private chat (status "kicked"), and every message it sends the
// person answers 403 "Forbidden: bot was blocked by the user" until the
// person starts the bot again ([Server.StartBot]).
func (s *Server) BlockBot(botID, userID int64) error {
	e := s.prod()
	b := e.botByID(botID)
	if b == nil {
		return fmt.Errorf("%w: bot %d not found", ErrSim, botID)
	}
	if userID <= 0 {
		return fmt.Errorf("%w: user id must be positive", ErrSim)
	}
	u := e.userByID(userID)
	ch := b.privateChat(userID, u)
	b.mu.Lock()
	if b.blocked[userID] {
		b.mu.Unlock()
		return nil
	}
	if b.blocked == nil {
		b.blocked = map[int64]bool{}
	}
	b.blocked[userID] = true
	b.mu.Unlock()
	bm := b.meta.Load()
	b.enqueue(Update{MyChatMember: &ChatMemberUpdated{Chat: ch.short(), From: u, Date: s.w.Clock.Now().Unix(),
		OldChatMember: ChatMember{Status: "member", User: bm.user}, NewChatMember: ChatMember{Status: "kicked", User: bm.user}}}, DefaultQueueLimit)
	return nil
}

// StartBot makes a person start a bot, as pressing "Start" does: a bot the
// person had blocked is unblocked (the bot gets a my_chat_member update,
// status "member"), and the person sends "/start", which the bot receives
// as a message. From then on the bot may write to the person.
func (s *Server) StartBot(botID, userID int64) (Message, error) {
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
	wasBlocked := b.blocked[userID]
	delete(b.blocked, userID)
	b.mu.Unlock()
	if wasBlocked {
		bm := b.meta.Load()
		b.enqueue(Update{MyChatMember: &ChatMemberUpdated{Chat: ch.short(), From: u, Date: s.w.Clock.Now().Unix(),
			OldChatMember: ChatMember{Status: "kicked", User: bm.user}, NewChatMember: ChatMember{Status: "member", User: bm.user}}}, DefaultQueueLimit)
	}
	return s.WriteToBot(botID, userID, "/start")
}

// privateChat returns the private chat of the bot with a person, creating
// it.
func (b *bot) privateChat(userID int64, u User) *chat {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch := b.private[userID]
	if ch == nil {
		b.trimPrivateLocked(maxPrivateChats)
		ch = newChat(userID, privateMeta(u))
		b.private[userID] = ch
	}
	return ch
}

// maxPrivateChats bounds the private chats a bot keeps. Beyond it the
// emulator forgets arbitrary ones (with their history and whether the
// person started or blocked the bot), so simulated users cannot grow the
// sandbox's memory without bound.
const maxPrivateChats = world.DefaultMessageLimit

// trimPrivateLocked makes room for one more private chat; b.mu is held.
func (b *bot) trimPrivateLocked(limit int) {
	for id := range b.private {
		if len(b.private) < limit {
			return
		}
		delete(b.private, id)
		delete(b.started, id)
		delete(b.blocked, id)
	}
}

// Polling reports whether a getUpdates long poll of the bot is waiting, so
// a test can act while it waits (a setWebhook that cuts it off) without
// sleeping.
func (s *Server) Polling(botID int64) bool {
	b := s.prod().botByID(botID)
	if b == nil {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.poller != nil
}

// AwaitPolling blocks until [Server.Polling] reports a waiting getUpdates
// long poll of the bot, or returns ctx's error. A test starts a long poll in
// another goroutine, awaits it here, then acts on it without sleeping.
func (s *Server) AwaitPolling(ctx context.Context, botID int64) error {
	for {
		// Take the channel before looking, so a poll that starts after
		// the look closes it.
		s.pollMu.Lock()
		if s.pollNotify == nil {
			s.pollNotify = make(chan struct{})
		}
		ch := s.pollNotify
		s.pollMu.Unlock()
		if s.Polling(botID) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// notifyPolling wakes [Server.AwaitPolling] callers: a long poll started.
func (s *Server) notifyPolling() {
	s.pollMu.Lock()
	if s.pollNotify != nil {
		close(s.pollNotify)
		s.pollNotify = nil
	}
	s.pollMu.Unlock()
}
