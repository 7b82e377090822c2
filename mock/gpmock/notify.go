package gpmock

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/telegram"
)

// NotifyEvents are the event types a user can be notified of: a post
// submitted (to the moderators who see it), returned or approved (to its
// author), a user invited (to the cabinet's LKO administrators) and a new
// template (to the editors of each cabinet it appears in).
func NotifyEvents() []string {
	return []string{"post.submitted", "post.returned", "post.approved", EventUserInvited, EventTemplateCreated}
}

// NotifySettings are a user's notification settings. A user without
// settings gets e-mails of every event type.
type NotifySettings struct {
	UserID int64 `json:"user_id"`
	// Email sends notifications to the user's e-mail.
	Email bool `json:"email"`
	// TelegramChatID, when not 0, sends them to a Telegram chat through
	// the cabinet's notification bot.
	TelegramChatID int64 `json:"telegram_chat_id,omitempty"`
	// Events are the event types notified (NotifyEvents).
	Events []string `json:"events"`
}

// NotifyInput is the body of PUT /api/v1/me/notifications.
type NotifyInput struct {
	Email          bool     `json:"email"`
	TelegramChatID int64    `json:"telegram_chat_id,omitempty"`
	Events         []string `json:"events"`
}

func cloneNotify(n NotifySettings) NotifySettings {
	n.Events = slices.Clone(n.Events)
	if n.Events == nil {
		n.Events = []string{}
	}
	return n
}

func defaultNotify(userID int64) NotifySettings {
	return NotifySettings{UserID: userID, Email: true, Events: NotifyEvents()}
}

func validateNotify(path string, n NotifySettings, users map[int64]bool) error {
	if !users[n.UserID] {
		return fieldErr(path+".user_id", "unknown user", world.ErrNotFound)
	}
	for i, e := range n.Events {
		if !slices.Contains(NotifyEvents(), e) {
			return fieldErr(fmt.Sprintf("%s.events[%d]", path, i), "unknown event type", world.ErrInvalid)
		}
	}
	return nil
}

// WithTelegram sends Telegram notifications through bot (the cabinet's
// notification bot, a telegram.Client); without it they are recorded in
// the outbox only. Either way every Telegram notification is recorded in
// the outbox (Channel telegram), with a bot once it was sent.
func WithTelegram(bot *telegram.Client) Option { return func(s *Server) { s.tgBot = bot } }

func (s *Server) routesNotify() {
	s.handle("getNotifications", "GET", "/api/v1/me/notifications", allRoles, s.getNotify)
	s.handle("putNotifications", "PUT", "/api/v1/me/notifications", allRoles, s.putNotify)
}

func (s *Server) getNotify(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.notify[c.ID]
	if !ok {
		n = defaultNotify(c.ID)
	}
	return http.StatusOK, cloneNotify(n), nil
}

func (s *Server) putNotify(c *caller, r *http.Request) (int, any, error) {
	var in NotifyInput
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	n := NotifySettings{UserID: c.ID, Email: in.Email, TelegramChatID: in.TelegramChatID, Events: []string{}}
	for _, e := range in.Events {
		if !slices.Contains(NotifyEvents(), e) {
			return 0, nil, invalid("unknown event type " + strconv.Quote(e))
		}
		if !slices.Contains(n.Events, e) {
			n.Events = append(n.Events, e)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notify[c.ID] = n
	return http.StatusOK, cloneNotify(n), nil
}

// notification is one message to one user.
type notification struct {
	to      User
	set     NotifySettings
	subject string
	text    string
}

// notifyEvent is the server's own listener: it tells the users concerned
// by e, by e-mail (the outbox) and Telegram, as their settings ask.
func (s *Server) notifyEvent(e Event) {
	if !slices.Contains(NotifyEvents(), e.Type) {
		return
	}
	s.mu.Lock()
	list := s.notificationsLocked(e)
	s.mu.Unlock()
	for _, n := range list {
		if n.set.Email {
			s.outbox.Send(world.Message{Time: e.At, Party: PartyName, Channel: world.ChannelEmail, To: n.to.Email, From: MailFrom,
				Subject: n.subject, Text: n.text, Meta: map[string]string{"event": e.Type, "kind": "notification"}})
		}
		if n.set.TelegramChatID != 0 {
			s.telegramNotify(e, n.set.TelegramChatID, n.subject+"\n"+n.text)
		}
	}
}

// telegramNotify records a Telegram notification in the outbox; with a
// bot it is sent first (on its own goroutine: listeners must not block)
// and recorded with the outcome in Meta["delivery"] ("sent" or the Bot
// API's error code).
func (s *Server) telegramNotify(e Event, chat int64, text string) {
	msg := world.Message{Time: e.At, Party: PartyName, Channel: world.ChannelTelegram, To: strconv.FormatInt(chat, 10),
		Text: text, Meta: map[string]string{"event": e.Type, "kind": "notification"}}
	if s.tgBot == nil {
		s.outbox.Send(msg)
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		m, err := s.tgBot.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(chat), Text: text})
		msg.Meta["delivery"] = "sent"
		if err != nil {
			msg.Meta["delivery"] = "failed: " + core.ErrorCode(err)
		} else if m != nil {
			if m.From != nil {
				msg.From = "@" + m.From.Username
			}
			msg.Meta["message_id"] = strconv.FormatInt(m.MessageID, 10)
		}
		s.outbox.Send(msg)
	}()
}

// notificationsLocked returns who is told of e and what (the caller holds
// s.mu). The acting user is never told of their own action.
func (s *Server) notificationsLocked(e Event) []notification {
	var to []*userRec
	var subject, text string
	var post Post
	if e.PostID != 0 {
		p, ok, err := s.posts.Get(e.PostID)
		if err != nil || !ok {
			return nil
		}
		post = p
	}
	excerpt := func() string {
		r := []rune(post.Text)
		if len(r) > 100 {
			return string(r[:100]) + "…"
		}
		return string(r)
	}
	switch e.Type {
	case "post.submitted":
		// The moderators of the post's cabinet and of the editorial
		// cabinets that see it.
		sees := map[int64]bool{} // cabinet id → sees the post's cabinet
		for _, u := range s.users {
			if u.Role != RoleModerator {
				continue
			}
			v, ok := sees[u.CabinetID]
			if !ok {
				v = u.CabinetID == post.CabinetID || slices.ContainsFunc(s.subordinateCabinetsLocked(u.CabinetID),
					func(c Cabinet) bool { return c.ID == post.CabinetID })
				sees[u.CabinetID] = v
			}
			if v {
				to = append(to, u)
			}
		}
		subject = "Публикация на модерации"
		text = fmt.Sprintf("Публикация №%d ожидает проверки: %s", post.ID, excerpt())
	case "post.returned", "post.approved":
		if u := s.users[post.AuthorID]; u != nil {
			to = append(to, u)
		}
		subject = "Публикация одобрена"
		text = fmt.Sprintf("Публикация №%d одобрена модератором: %s", post.ID, excerpt())
		if e.Type == "post.returned" {
			subject = "Публикация возвращена на доработку"
			comment := ""
			if len(post.Comments) > 0 {
				comment = post.Comments[len(post.Comments)-1].Text
			}
			text = fmt.Sprintf("Публикация №%d возвращена с комментарием: %s", post.ID, comment)
		}
	case EventUserInvited:
		invited := s.users[e.UserID]
		if invited == nil {
			return nil
		}
		for _, u := range s.users {
			if u.Role == RoleLKOAdmin && u.CabinetID == e.CabinetID && u.ID != invited.ID {
				to = append(to, u)
			}
		}
		subject = "Приглашён пользователь"
		text = fmt.Sprintf("В кабинет приглашён пользователь %s (%s, роль %s).", invited.Name, invited.Email, invited.Role)
	case EventTemplateCreated:
		// One event per cabinet the template appears in (a shared template
		// of an editorial cabinet: one for each subordinate cabinet).
		for _, u := range s.users {
			if u.Role == RoleEditor && u.CabinetID == e.CabinetID {
				to = append(to, u)
			}
		}
		subject = "Новый шаблон"
		text = "В кабинете появился новый шаблон публикации."
		if d, ok := e.Data.(TemplateEventData); ok && d.Name != "" {
			text = fmt.Sprintf("В кабинете появился новый шаблон публикации «%s».", d.Name)
		}
	}
	actor := e.UserID
	if e.Type == EventUserInvited {
		actor = 0
		if m, ok := e.Data.(map[string]int64); ok {
			actor = m["invited_by"]
		}
	}
	slices.SortFunc(to, func(a, b *userRec) int { return int(a.ID - b.ID) })
	var out []notification
	for _, u := range to {
		if u.Status == StatusBlocked || u.ID == actor {
			continue
		}
		set, ok := s.notify[u.ID]
		if !ok {
			set = defaultNotify(u.ID)
		}
		if !slices.Contains(set.Events, e.Type) {
			continue
		}
		out = append(out, notification{to: u.User, set: set, subject: subject, text: text})
	}
	return out
}
