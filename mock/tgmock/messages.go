package tgmock

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/mock/world"
)

const deleteWindow = 48 * time.Hour

var errNotUTF8 = errBadRequest("strings must be encoded in UTF-8")

// formatted decodes a text field with its parse_mode and entities fields:
// explicit entities win over parse_mode.
func (c *call) formatted(field, modeField, entField string) (string, []MessageEntity, *apiError) {
	raw := c.p.str(field)
	if !utf8.ValidString(raw) {
		return "", nil, errNotUTF8
	}
	if ej := c.p.str(entField); ej != "" {
		var ents []MessageEntity
		if err := json.Unmarshal([]byte(ej), &ents); err != nil {
			return "", nil, errBadRequest("can't parse entities JSON object")
		}
		n := utf16Len(raw)
		for _, e := range ents {
			if e.Type == "" || e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
				return "", nil, errBadRequest("can't parse entities: entity is out of the text")
			}
		}
		return raw, ents, nil
	}
	text, ents, desc := parseText(raw, c.p.str(modeField))
	if desc != "" {
		return "", nil, &apiError{400, desc, nil}
	}
	return text, ents, nil
}

// baseMessage returns a new outgoing message of the bot in a chat.
func (c *call) baseMessage(ch *chat, m *chatMeta) (Message, *apiError) {
	msg := Message{Date: c.now.Unix(), Chat: ch.short()}
	if m.kind == "channel" {
		sc := ch.short()
		msg.SenderChat = &sc
	} else {
		u := c.meta.user
		msg.From = &u
	}
	msg.HasProtected = c.p.bool("protect_content")
	mk, _, aerr := c.replyMarkup()
	if aerr != nil {
		return msg, aerr
	}
	msg.ReplyMarkup = mk
	replyID, allowMissing := int64(0), c.p.bool("allow_sending_without_reply")
	if rp := c.p.str("reply_parameters"); rp != "" {
		var r struct {
			MessageID                int64 `json:"message_id"`
			AllowSendingWithoutReply bool  `json:"allow_sending_without_reply"`
		}
		if err := json.Unmarshal([]byte(rp), &r); err != nil {
			return msg, errBadRequest("can't parse reply parameters JSON object")
		}
		replyID, allowMissing = r.MessageID, r.AllowSendingWithoutReply
	} else if v, ok := c.p.int64("reply_to_message_id"); ok {
		replyID = v
	}
	if replyID != 0 {
		ch.mu.Lock()
		sm := ch.msgs[replyID]
		var rm Message
		if sm != nil {
			rm = sm.msg
			rm.ReplyToMessage = nil
		}
		ch.mu.Unlock()
		switch {
		case sm != nil:
			msg.ReplyToMessage = &rm
		case !allowMissing:
			return msg, errBadRequest("message to be replied not found")
		}
	}
	return msg, nil
}

// store assigns the next message id of the chat and keeps the message.
// store keeps a new message in its chat, under the chat's bound
// ([WithMessagesKept]) and the world's bound across chats
// ([world.WithMessageLimit], [world.WithBudget]): the oldest messages are
// forgotten first.
func (s *Server) store(ch *chat, msg Message, sender int64, now time.Time) Message {
	msg = ch.store(msg, sender, now, s.maxMessages)
	s.msgMu.Lock()
	s.msgs.Push(msgRef{ch: ch, id: msg.MessageID})
	s.msgMu.Unlock()
	if msg.Chat.Type == "private" && sender != ch.id {
		s.toOutbox(msg, now)
	}
	return msg
}

// msgRef names a stored message in the emulator's ring of messages.
type msgRef struct {
	ch *chat
	id int64
}

// newMessageRing returns the ring bounding the messages kept across chats.
func (s *Server) newMessageRing() *world.Ring[msgRef] {
	return world.NewRing(s.w.MessageLimit(), s.w.MessageQuota(), func(r msgRef) { r.ch.forget(r.id) })
}

// releaseMessages forgets the ring (the chats it names are gone or going)
// and returns its share of the sandbox's budget.
func (s *Server) releaseMessages() {
	s.msgMu.Lock()
	s.msgs.Clear()
	s.msgMu.Unlock()
}

// forget drops a message the world's bound pushed out.
func (ch *chat) forget(id int64) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if _, ok := ch.msgs[id]; !ok {
		return
	}
	delete(ch.msgs, id)
	if len(ch.order) > 0 && ch.order[0] == id {
		ch.order = ch.order[1:]
	} else if i := slices.Index(ch.order, id); i >= 0 {
		ch.order = slices.Delete(ch.order, i, i+1)
	}
}

func (ch *chat) store(msg Message, sender int64, now time.Time, keep int) Message {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	ch.nextID++
	msg.MessageID = ch.nextID
	ch.msgs[msg.MessageID] = &storedMsg{msg: msg, senderID: sender, date: now}
	ch.order = append(ch.order, msg.MessageID)
	for len(ch.order) > keep {
		delete(ch.msgs, ch.order[0])
		ch.order = ch.order[1:]
	}
	return msg
}

// publish delivers a new or edited message of a bot to the other bots of
// the chat: channel posts reach every other bot of the channel; messages of
// bots in groups are not delivered to other bots (Telegram does not let
// bots see each other's messages).
func (c *call) publish(ch *chat, m *chatMeta, msg Message, edited bool) {
	if m.kind != "channel" {
		return
	}
	for _, b := range c.env.botsInChat(ch) {
		if b == c.bot {
			continue
		}
		mm := msg
		u := Update{ChannelPost: &mm}
		if edited {
			u = Update{EditedChannelPost: &mm}
		}
		b.enqueue(u, DefaultQueueLimit)
	}
}

func (c *call) sendMessage() (any, *apiError) {
	text, ents, aerr := c.formatted("text", "parse_mode", "entities")
	if aerr != nil {
		return nil, aerr
	}
	if strings.TrimSpace(text) == "" {
		return nil, errBadRequest("message text is empty")
	}
	if utf16Len(text) > maxTextLen {
		return nil, errBadRequest("message is too long")
	}
	ch, m, aerr := c.sendTarget()
	if aerr != nil {
		return nil, aerr
	}
	msg, aerr := c.baseMessage(ch, m)
	if aerr != nil {
		return nil, aerr
	}
	msg.Text, msg.Entities = text, ents
	if aerr := c.takeLimit(ch, m, 1); aerr != nil {
		return nil, aerr
	}
	msg = c.s.store(ch, msg, c.meta.wb.ID, c.now)
	c.publish(ch, m, msg, false)
	return msg, nil
}

func (c *call) caption() (string, []MessageEntity, *apiError) {
	text, ents, aerr := c.formatted("caption", "parse_mode", "caption_entities")
	if aerr != nil {
		return "", nil, aerr
	}
	if utf16Len(text) > maxCaptionLen {
		return "", nil, errBadRequest("message caption is too long")
	}
	return text, ents, nil
}

// attachFile sets the media field of msg for a file.
func attachFile(msg *Message, f *storedFile, kind string, w, h, dur int) {
	switch kind {
	case kindPhoto:
		msg.Photo = f.photoSizes()
	case kindVideo:
		msg.Video = &Video{FileID: f.id, FileUniqueID: f.uniqueID, Width: w, Height: h, Duration: dur,
			FileName: f.name, MimeType: orDefault(f.mime, "video/mp4"), FileSize: f.size}
	default:
		msg.Document = &Document{FileID: f.id, FileUniqueID: f.uniqueID, FileName: f.name,
			MimeType: f.mime, FileSize: f.size}
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func (c *call) sendMedia(kind string) (any, *apiError) {
	capText, capEnts, aerr := c.caption()
	if aerr != nil {
		return nil, aerr
	}
	f, aerr := c.inputFile(kind, kind)
	if aerr != nil {
		return nil, aerr
	}
	ch, m, aerr := c.sendTarget()
	if aerr != nil {
		return nil, aerr
	}
	msg, aerr := c.baseMessage(ch, m)
	if aerr != nil {
		return nil, aerr
	}
	w, _ := c.p.int64("width")
	h, _ := c.p.int64("height")
	d, _ := c.p.int64("duration")
	attachFile(&msg, f, kind, int(w), int(h), int(d))
	msg.Caption, msg.CaptionEntities = capText, capEnts
	msg.HasMediaSpoiler = c.p.bool("has_spoiler")
	msg.ShowCaptionAbove = c.p.bool("show_caption_above_media")
	if aerr := c.takeLimit(ch, m, 1); aerr != nil {
		return nil, aerr
	}
	msg = c.s.store(ch, msg, c.meta.wb.ID, c.now)
	c.publish(ch, m, msg, false)
	return msg, nil
}

// inputMedia is an InputMedia* object of sendMediaGroup.
type inputMedia struct {
	Type            string          `json:"type"`
	Media           string          `json:"media"`
	Caption         string          `json:"caption"`
	ParseMode       string          `json:"parse_mode"`
	CaptionEntities json.RawMessage `json:"caption_entities"`
	HasSpoiler      bool            `json:"has_spoiler"`
	Width           int             `json:"width"`
	Height          int             `json:"height"`
	Duration        int             `json:"duration"`
}

// maxAlbum is the largest media group.
const maxAlbum = 10

// parseMediaGroup decodes the media parameter of sendMediaGroup with the
// official server's answers: a missing parameter, JSON that does not parse,
// a value that is not an array, an empty array ("there are no messages to
// send") and more than ten items ("too many messages to send as an album",
// TDLib's wording; older servers said "too much"). One item is accepted and
// sent as a single message without media_group_id, as TDLib sends an
// album of one.
func parseMediaGroup(v string) ([]inputMedia, *apiError) {
	if v == "" {
		return nil, errBadRequest(`parameter "media" is required`)
	}
	var raw any
	if err := json.Unmarshal([]byte(v), &raw); err != nil {
		return nil, errBadRequest("can't parse media JSON object")
	}
	if _, ok := raw.([]any); !ok {
		return nil, errBadRequest("expected an Array of InputMedia")
	}
	var items []inputMedia
	if err := json.Unmarshal([]byte(v), &items); err != nil {
		return nil, errBadRequest("can't parse InputMedia: expected an Object")
	}
	switch {
	case len(items) == 0:
		return nil, errBadRequest("there are no messages to send")
	case len(items) > maxAlbum:
		return nil, errBadRequest("too many messages to send as an album")
	}
	return items, nil
}

func (c *call) sendMediaGroup() (any, *apiError) {
	items, aerr := parseMediaGroup(c.p.str("media"))
	if aerr != nil {
		return nil, aerr
	}
	kinds := map[string]bool{}
	for _, it := range items {
		switch it.Type {
		case kindPhoto, kindVideo, kindDocument, kindAudio:
			kinds[it.Type] = true
		default:
			return nil, errBadRequest("unsupported media type \"" + it.Type + "\" specified")
		}
	}
	for _, k := range []string{kindDocument, kindAudio} {
		if kinds[k] && len(kinds) > 1 {
			return nil, errBadRequest(k + " can't be mixed with other media types")
		}
	}
	type prepared struct {
		f       *storedFile
		it      inputMedia
		cap     string
		capEnts []MessageEntity
	}
	prep := make([]prepared, 0, len(items))
	for _, it := range items {
		if !utf8.ValidString(it.Caption) {
			return nil, errNotUTF8
		}
		var ents []MessageEntity
		text := it.Caption
		if len(it.CaptionEntities) > 0 && string(it.CaptionEntities) != "null" {
			if err := json.Unmarshal(it.CaptionEntities, &ents); err != nil {
				return nil, errBadRequest("can't parse entities JSON object")
			}
		} else {
			var desc string
			text, ents, desc = parseText(it.Caption, it.ParseMode)
			if desc != "" {
				return nil, &apiError{400, desc, nil}
			}
		}
		if utf16Len(text) > maxCaptionLen {
			return nil, errBadRequest("message caption is too long")
		}
		up, ref := c.p.attach(it.Media)
		f, aerr := c.resolveFile(up, ref, it.Type)
		if aerr != nil {
			return nil, aerr
		}
		prep = append(prep, prepared{f: f, it: it, cap: text, capEnts: ents})
	}
	ch, m, aerr := c.sendTarget()
	if aerr != nil {
		return nil, aerr
	}
	base, aerr := c.baseMessage(ch, m)
	if aerr != nil {
		return nil, aerr
	}
	base.ReplyMarkup = nil
	if aerr := c.takeLimit(ch, m, len(prep)); aerr != nil {
		return nil, aerr
	}
	gid := ""
	if len(prep) > 1 {
		// A single item is sent as a plain message, outside any album.
		ch.mu.Lock()
		ch.groupID++
		gid = strconv.FormatInt(ch.groupID*7919+int64(uint32(ch.id)), 10)
		ch.mu.Unlock()
	}
	out := make([]Message, 0, len(prep))
	for _, pr := range prep {
		msg := base
		msg.MediaGroupID = gid
		attachFile(&msg, pr.f, pr.it.Type, pr.it.Width, pr.it.Height, pr.it.Duration)
		msg.Caption, msg.CaptionEntities, msg.HasMediaSpoiler = pr.cap, pr.capEnts, pr.it.HasSpoiler
		msg = c.s.store(ch, msg, c.meta.wb.ID, c.now)
		c.publish(ch, m, msg, false)
		out = append(out, msg)
	}
	return out, nil
}

func (c *call) sendPoll() (any, *apiError) {
	q := c.p.str("question")
	if !utf8.ValidString(q) {
		return nil, errNotUTF8
	}
	switch n := utf16Len(q); {
	case strings.TrimSpace(q) == "":
		return nil, errBadRequest("poll question must be non-empty")
	case n > maxQuestionLen:
		return nil, errBadRequest("poll question length must not exceed 300")
	}
	var raw []json.RawMessage
	if err := json.Unmarshal([]byte(c.p.str("options")), &raw); err != nil {
		return nil, errBadRequest("can't parse options JSON object")
	}
	if len(raw) < 2 {
		return nil, errBadRequest("poll must have at least 2 option")
	}
	if len(raw) > 12 {
		return nil, errBadRequest("poll can't have more than 12 options")
	}
	opts := make([]PollOption, 0, len(raw))
	for _, r := range raw {
		var text string
		if err := json.Unmarshal(r, &text); err != nil {
			var o struct {
				Text string `json:"text"`
			}
			if err := json.Unmarshal(r, &o); err != nil {
				return nil, errBadRequest("can't parse options JSON object")
			}
			text = o.Text
		}
		if strings.TrimSpace(text) == "" {
			return nil, errBadRequest("poll options must be non-empty")
		}
		if utf16Len(text) > maxOptionLen {
			return nil, errBadRequest("poll options length must not exceed 100")
		}
		opts = append(opts, PollOption{Text: text})
	}
	poll := Poll{Question: q, Options: opts, IsAnonymous: true, Type: "regular",
		AllowsMultipleAnswers: c.p.bool("allows_multiple_answers"), Explanation: c.p.str("explanation")}
	if c.p.has("is_anonymous") {
		poll.IsAnonymous = c.p.bool("is_anonymous")
	}
	switch t := c.p.str("type"); t {
	case "", "regular":
	case "quiz":
		poll.Type = "quiz"
		id, ok := c.p.int64("correct_option_id")
		if !ok || id < 0 || int(id) >= len(opts) {
			return nil, errBadRequest("wrong correct option ID specified")
		}
		cid := int(id)
		poll.CorrectOptionID = &cid
		poll.AllowsMultipleAnswers = false
	default:
		return nil, errBadRequest("wrong poll type specified")
	}
	if v, ok := c.p.int64("open_period"); ok {
		poll.OpenPeriod = int(v)
	}
	if v, ok := c.p.int64("close_date"); ok {
		poll.CloseDate = v
	}
	poll.IsClosed = c.p.bool("is_closed")
	ch, m, aerr := c.sendTarget()
	if aerr != nil {
		return nil, aerr
	}
	if m.kind == "channel" && !poll.IsAnonymous {
		return nil, errBadRequest("non-anonymous polls can't be sent to channel chats")
	}
	msg, aerr := c.baseMessage(ch, m)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := c.takeLimit(ch, m, 1); aerr != nil {
		return nil, aerr
	}
	poll.ID = strconv.FormatInt(c.s.pollSeq.Add(1)+5000000000000000000, 10)
	msg.Poll = &poll
	msg = c.s.store(ch, msg, c.meta.wb.ID, c.now)
	c.publish(ch, m, msg, false)
	return msg, nil
}

// messageID reads the message_id parameter.
func (c *call) messageID() (int64, *apiError) {
	id, ok := c.p.int64("message_id")
	if !ok || id <= 0 {
		return 0, errBadRequest("message identifier is not specified")
	}
	return id, nil
}

// canModify reports whether the bot may edit a message it did not send.
func (c *call) mayEditOthers(m *chatMeta) bool {
	r, ok := m.botRights(c.meta.wb.ID)
	return ok && m.kind == "channel" && r.CanEditMessages
}

// replyMarkup parses the reply_markup parameter: nil when absent or empty;
// present reports whether the parameter was given at all (an edit without
// it keeps the message's markup).
func (c *call) replyMarkup() (markup json.RawMessage, present bool, aerr *apiError) {
	present = c.p.has("reply_markup")
	mk := c.p.str("reply_markup")
	if mk == "" {
		return nil, present, nil
	}
	if !json.Valid([]byte(mk)) || !strings.HasPrefix(strings.TrimSpace(mk), "{") {
		return nil, present, errBadRequest("can't parse reply keyboard markup JSON object")
	}
	return json.RawMessage(mk), present, nil
}

// editable finds the message an edit names (chat_id + message_id) and
// checks the bot may edit it. On success ch.mu is held: the caller unlocks.
func (c *call) editable() (*chat, *chatMeta, *storedMsg, *apiError) {
	ch, m, aerr := c.target(true)
	if aerr != nil {
		return nil, nil, nil, aerr
	}
	id, aerr := c.messageID()
	if aerr != nil {
		return nil, nil, nil, aerr
	}
	ch.mu.Lock()
	sm := ch.msgs[id]
	if sm == nil {
		ch.mu.Unlock()
		return nil, nil, nil, errBadRequest("message to edit not found")
	}
	if sm.senderID != c.meta.wb.ID && !c.mayEditOthers(m) {
		ch.mu.Unlock()
		return nil, nil, nil, errBadRequest("message can't be edited")
	}
	return ch, m, sm, nil
}

func (c *call) editMessageText() (any, *apiError) {
	return c.edit(false)
}

func (c *call) editMessageCaption() (any, *apiError) {
	return c.edit(true)
}

func (c *call) edit(caption bool) (any, *apiError) {
	if c.p.str("inline_message_id") != "" {
		return nil, errBadRequest("message to edit not found")
	}
	var text string
	var ents []MessageEntity
	var aerr *apiError
	if caption {
		text, ents, aerr = c.caption()
	} else {
		text, ents, aerr = c.formatted("text", "parse_mode", "entities")
		if aerr == nil && strings.TrimSpace(text) == "" {
			aerr = errBadRequest("message text is empty")
		}
		if aerr == nil && utf16Len(text) > maxTextLen {
			aerr = errBadRequest("message is too long")
		}
	}
	if aerr != nil {
		return nil, aerr
	}
	markup, hasMarkup, aerr := c.replyMarkup()
	if aerr != nil {
		return nil, aerr
	}
	ch, m, sm, aerr := c.editable()
	if aerr != nil {
		return nil, aerr
	}
	msg := &sm.msg
	hasMedia := msg.Photo != nil || msg.Video != nil || msg.Document != nil
	switch {
	case caption && !hasMedia:
		ch.mu.Unlock()
		return nil, errBadRequest("there is no caption in the message to edit")
	case !caption && msg.Text == "":
		ch.mu.Unlock()
		return nil, errBadRequest("there is no text in the message to edit")
	}
	oldText, oldEnts := msg.Text, msg.Entities
	if caption {
		oldText, oldEnts = msg.Caption, msg.CaptionEntities
	}
	if oldText == text && slices.Equal(oldEnts, ents) && (!hasMarkup || string(markup) == string(msg.ReplyMarkup)) {
		ch.mu.Unlock()
		return nil, errBadRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	if caption {
		msg.Caption, msg.CaptionEntities = text, ents
	} else {
		msg.Text, msg.Entities = text, ents
	}
	if hasMarkup {
		msg.ReplyMarkup = markup
	}
	msg.EditDate = c.now.Unix()
	out := *msg
	ch.mu.Unlock()
	c.publish(ch, m, out, true)
	return out, nil
}

// mayDelete applies the Bot API deletion rules.
func (c *call) mayDelete(m *chatMeta, sm *storedMsg) bool {
	if c.now.Sub(sm.date) > deleteWindow {
		return false
	}
	r, admin := m.botRights(c.meta.wb.ID)
	own := sm.senderID == c.meta.wb.ID
	switch m.kind {
	case "channel":
		return admin && (r.CanDeleteMessages || own && r.CanPostMessages)
	case "private":
		return own
	case "group":
		return own || admin
	default: // supergroup
		return own || admin && r.CanDeleteMessages
	}
}

func (c *call) deleteMessage() (any, *apiError) {
	ch, m, aerr := c.target(true)
	if aerr != nil {
		return nil, aerr
	}
	id, aerr := c.messageID()
	if aerr != nil {
		return nil, aerr
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	sm := ch.msgs[id]
	if sm == nil {
		return nil, errBadRequest("message to delete not found")
	}
	if !c.mayDelete(m, sm) {
		return nil, errBadRequest("message can't be deleted")
	}
	ch.removeLocked(id)
	return true, nil
}

// deleteMessages follows the Bot API: identifiers of messages that are not
// found are skipped and the answer is true. An existing message the bot may
// not delete refuses the whole call before anything is deleted (stricter
// than skipping it, which the Bot API does not promise).
func (c *call) deleteMessages() (any, *apiError) {
	ch, m, aerr := c.target(true)
	if aerr != nil {
		return nil, aerr
	}
	raw := strings.TrimSpace(c.p.str("message_ids"))
	if raw == "" {
		return nil, errBadRequest("message identifiers are not specified")
	}
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(raw), &items); err != nil {
		return nil, errBadRequest("can't parse message identifiers JSON object")
	}
	switch {
	case len(items) == 0:
		return nil, errBadRequest("message identifiers are not specified")
	case len(items) > 100:
		return nil, errBadRequest("too many message identifiers specified")
	}
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		// Identifiers may come as numbers or as numeric strings.
		s := strings.Trim(string(it), `"`)
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, errBadRequest("invalid message identifier specified")
		}
		ids = append(ids, id)
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	for _, id := range ids {
		if sm := ch.msgs[id]; sm != nil && !c.mayDelete(m, sm) {
			return nil, errBadRequest("message can't be deleted")
		}
	}
	for _, id := range ids {
		if ch.msgs[id] != nil {
			ch.removeLocked(id)
		}
	}
	return true, nil
}

func (ch *chat) removeLocked(id int64) {
	delete(ch.msgs, id)
	if i := slices.Index(ch.order, id); i >= 0 {
		ch.order = slices.Delete(ch.order, i, i+1)
	}
	if i := slices.Index(ch.pinned, id); i >= 0 {
		ch.pinned = slices.Delete(ch.pinned, i, i+1)
	}
}

// mayPin applies the pinning rights.
func (c *call) mayPin(m *chatMeta) bool {
	r, admin := m.botRights(c.meta.wb.ID)
	switch m.kind {
	case "private":
		return true
	case "channel":
		return admin && r.CanEditMessages
	}
	return admin && r.CanPinMessages
}

var errPinRights = errBadRequest("not enough rights to manage pinned messages in the chat")

func (c *call) pinChatMessage() (any, *apiError) {
	ch, m, aerr := c.target(true)
	if aerr != nil {
		return nil, aerr
	}
	id, aerr := c.messageID()
	if aerr != nil {
		return nil, aerr
	}
	if !c.mayPin(m) {
		return nil, errPinRights
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if ch.msgs[id] == nil {
		return nil, errBadRequest("message to pin not found")
	}
	if i := slices.Index(ch.pinned, id); i >= 0 {
		ch.pinned = slices.Delete(ch.pinned, i, i+1)
	}
	ch.pinned = append(ch.pinned, id)
	return true, nil
}

func (c *call) unpinChatMessage() (any, *apiError) {
	ch, m, aerr := c.target(true)
	if aerr != nil {
		return nil, aerr
	}
	if !c.mayPin(m) {
		return nil, errPinRights
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	id, ok := c.p.int64("message_id")
	if !ok {
		if len(ch.pinned) > 0 {
			ch.pinned = ch.pinned[:len(ch.pinned)-1]
		}
		return true, nil
	}
	if ch.msgs[id] == nil {
		return nil, errBadRequest("message to unpin not found")
	}
	if i := slices.Index(ch.pinned, id); i >= 0 {
		ch.pinned = slices.Delete(ch.pinned, i, i+1)
	}
	return true, nil
}

func (c *call) unpinAllChatMessages() (any, *apiError) {
	ch, m, aerr := c.target(true)
	if aerr != nil {
		return nil, aerr
	}
	if !c.mayPin(m) {
		return nil, errPinRights
	}
	ch.mu.Lock()
	ch.pinned = nil
	ch.mu.Unlock()
	return true, nil
}

func (c *call) editMessageReplyMarkup() (any, *apiError) {
	if c.p.str("inline_message_id") != "" {
		return nil, errBadRequest("message to edit not found")
	}
	markup, _, aerr := c.replyMarkup()
	if aerr != nil {
		return nil, aerr
	}
	ch, m, sm, aerr := c.editable()
	if aerr != nil {
		return nil, aerr
	}
	if string(markup) == string(sm.msg.ReplyMarkup) {
		ch.mu.Unlock()
		return nil, errBadRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	sm.msg.ReplyMarkup = markup
	sm.msg.EditDate = c.now.Unix()
	out := sm.msg
	ch.mu.Unlock()
	c.publish(ch, m, out, true)
	return out, nil
}

// forwardOrCopy implements forwardMessage (copy=false) and copyMessage.
func (c *call) forwardOrCopy(copyMsg bool) (any, *apiError) {
	verb := "forward"
	if copyMsg {
		verb = "copy"
	}
	src, aerr := c.env.resolveChat(c.bot, c.p.str("from_chat_id"))
	if aerr != nil {
		return nil, aerr
	}
	sm := src.meta.Load()
	if sm.migratedTo != 0 {
		return nil, &apiError{400, "Bad Request: group chat was upgraded to a supergroup chat", &ResponseParameters{MigrateToChatID: sm.migratedTo}}
	}
	if sm.kind != "private" && !sm.hasBot(c.meta.wb.ID) && sm.username == "" {
		return nil, errChatNotFound
	}
	id, aerr := c.messageID()
	if aerr != nil {
		return nil, aerr
	}
	src.mu.Lock()
	orig := src.msgs[id]
	var om Message
	var senderID int64
	if orig != nil {
		om, senderID = orig.msg, orig.senderID
	}
	src.mu.Unlock()
	if orig == nil {
		return nil, errBadRequest("message to " + verb + " not found")
	}
	if om.HasProtected {
		return nil, errBadRequest("message can't be " + map[bool]string{false: "forwarded", true: "copied"}[copyMsg])
	}
	ch, m, aerr := c.sendTarget()
	if aerr != nil {
		return nil, aerr
	}
	msg, aerr := c.baseMessage(ch, m)
	if aerr != nil {
		return nil, aerr
	}
	msg.Text, msg.Entities, msg.Photo, msg.Video, msg.Document, msg.Poll = om.Text, om.Entities, om.Photo, om.Video, om.Document, om.Poll
	msg.Caption, msg.CaptionEntities = om.Caption, om.CaptionEntities
	if copyMsg && c.p.has("caption") {
		text, ents, aerr := c.caption()
		if aerr != nil {
			return nil, aerr
		}
		msg.Caption, msg.CaptionEntities = text, ents
	}
	if !copyMsg {
		origin := &MessageOrigin{Date: om.Date}
		switch {
		case sm.kind == "channel":
			sc := src.short()
			origin.Type, origin.Chat, origin.MessageID, origin.AuthorSignature = "channel", &sc, om.MessageID, om.AuthorSignature
		case om.SenderChat != nil:
			origin.Type, origin.SenderChat = "chat", om.SenderChat
		default:
			u := c.env.userByID(senderID)
			if b := c.env.botByID(senderID); b != nil {
				u = b.meta.Load().user
			}
			origin.Type, origin.SenderUser = "user", &u
		}
		msg.ForwardOrigin = origin
		msg.ReplyMarkup = nil
	}
	if aerr := c.takeLimit(ch, m, 1); aerr != nil {
		return nil, aerr
	}
	msg = c.s.store(ch, msg, c.meta.wb.ID, c.now)
	c.publish(ch, m, msg, false)
	if copyMsg {
		return MessageID{MessageID: msg.MessageID}, nil
	}
	return msg, nil
}
