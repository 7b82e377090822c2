package tgmock

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gospubliki/gosdk/mock/world"
)

// CallbackQuery is an incoming callback query: a user pressed an inline
// keyboard button with callback_data under a bot's message.
type CallbackQuery struct {
	ID           string   `json:"id"`
	From         User     `json:"from"`
	Message      *Message `json:"message,omitempty"`
	ChatInstance string   `json:"chat_instance"`
	Data         string   `json:"data,omitempty"`
}

// callbackSeq makes callback query ids unique within the process.
var callbackSeq atomic.Uint64

// inlineKeyboard is the part of a reply markup a button press reads.
type inlineKeyboard struct {
	InlineKeyboard [][]struct {
		Text         string  `json:"text"`
		CallbackData *string `json:"callback_data"`
	} `json:"inline_keyboard"`
}

// hasCallbackButton reports whether a reply markup holds an inline button
// with that callback_data.
func hasCallbackButton(markup json.RawMessage, data string) bool {
	if len(markup) == 0 {
		return false
	}
	var kb inlineKeyboard
	if json.Unmarshal(markup, &kb) != nil {
		return false
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData != nil && *b.CallbackData == data {
				return true
			}
		}
	}
	return false
}

// PressButton makes a user press the inline keyboard button with
// callback_data data under message messageID, which bot botID sent in chat
// chatID (the user's own id for their private chat with the bot). The bot
// receives a "callback_query" update (by long poll or webhook). It fails
// when the chat or message is unknown, the message is not the bot's, or no
// button of its keyboard carries data.
func (s *Server) PressButton(botID, userID, chatID, messageID int64, data string) (CallbackQuery, error) {
	e := s.prod()
	b := e.botByID(botID)
	switch {
	case b == nil:
		return CallbackQuery{}, fmt.Errorf("%w: bot %d not found", ErrSim, botID)
	case userID <= 0:
		return CallbackQuery{}, fmt.Errorf("%w: user id must be positive", ErrSim)
	case data == "":
		return CallbackQuery{}, fmt.Errorf("%w: callback data is empty", ErrSim)
	}
	if chatID == 0 {
		chatID = userID
	}
	var ch *chat
	if chatID > 0 {
		b.mu.Lock()
		ch = b.private[chatID]
		b.mu.Unlock()
	} else {
		ch = e.chatByID(chatID)
	}
	if ch == nil {
		return CallbackQuery{}, fmt.Errorf("%w: chat %d not found", ErrSim, chatID)
	}
	ch.mu.Lock()
	sm := ch.msgs[messageID]
	var msg Message
	var sender int64
	if sm != nil {
		msg, sender = sm.msg, sm.senderID
	}
	ch.mu.Unlock()
	switch {
	case sm == nil:
		return CallbackQuery{}, fmt.Errorf("%w: message %d not found in chat %d", ErrSim, messageID, chatID)
	case sender != botID:
		return CallbackQuery{}, fmt.Errorf("%w: message %d was not sent by bot %d", ErrSim, messageID, botID)
	case !hasCallbackButton(msg.ReplyMarkup, data):
		return CallbackQuery{}, fmt.Errorf("%w: message %d has no inline button with this callback_data", ErrSim, messageID)
	}
	u := e.userByID(userID)
	q := CallbackQuery{
		ID:           strconv.FormatInt(userID, 10) + strconv.FormatUint(1_000_000+callbackSeq.Add(1), 10),
		From:         u,
		Message:      &msg,
		ChatInstance: strconv.FormatInt(chatID^botID, 10),
		Data:         data,
	}
	b.enqueue(Update{CallbackQuery: &q}, DefaultQueueLimit)
	return q, nil
}

// toOutbox records a bot's message to a user in the world's outbox.
func (s *Server) toOutbox(msg Message, now time.Time) {
	text, kind := msg.Text, "text"
	switch {
	case msg.Photo != nil:
		text, kind = msg.Caption, "photo"
	case msg.Video != nil:
		text, kind = msg.Caption, "video"
	case msg.Document != nil:
		text, kind = msg.Caption, "document"
	case msg.Poll != nil:
		text, kind = msg.Poll.Question, "poll"
	}
	from := ""
	meta := map[string]string{"message_id": strconv.FormatInt(msg.MessageID, 10), "kind": kind}
	if msg.From != nil {
		from = msg.From.Username
		meta["bot_id"] = strconv.FormatInt(msg.From.ID, 10)
	}
	if len(msg.ReplyMarkup) > 0 {
		meta["reply_markup"] = string(msg.ReplyMarkup)
	}
	s.w.Outbox.Send(world.Message{Time: now, Party: "telegram", Channel: world.ChannelTelegram,
		To: strconv.FormatInt(msg.Chat.ID, 10), From: from, Text: text, Meta: meta})
}
