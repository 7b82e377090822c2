package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/core"
)

// Bot API limits checked before sending. Lengths are counted in UTF-16
// code units, the unit Telegram uses for entity offsets (and the unit the
// gosdk sandbox counts); a character outside the Basic Multilingual Plane
// (most emoji) counts as two.
const (
	MaxTextLength            = 4096
	MaxCaptionLength         = 1024
	MinMediaGroupSize        = 1
	MaxMediaGroupSize        = 10
	MaxPollQuestionLength    = 300
	MinPollOptions           = 2
	MaxPollOptions           = 12
	MaxPollOptionLength      = 100
	MaxPollExplanationLength = 200
	// MaxDeleteMessages is how many messages one DeleteMessages call takes.
	MaxDeleteMessages = 100
)

// UTF16Len returns the length of s in UTF-16 code units, the unit of the
// Bot API's text limits. Invalid UTF-8 bytes count as one unit each (they
// become U+FFFD).
func UTF16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func checkChat(method string, id ChatID) error {
	return checkChatField(method, "chat_id", id)
}

// checkChatField checks a chat parameter other than chat_id (from_chat_id).
func checkChatField(method, field string, id ChatID) error {
	if err := id.Validate(); err != nil {
		return invalid(method, field, err.Error())
	}
	return nil
}

// checkText checks a message text: not empty, and at most MaxTextLength
// units when no parse mode is set. With a parse mode Telegram removes the
// markup before counting, so the upper bound is left to the server.
func checkText(method, field, text string, mode ParseMode) error {
	n := UTF16Len(text)
	if n == 0 {
		return invalid(method, field, "must not be empty")
	}
	if mode == "" && n > MaxTextLength {
		return invalid(method, field, "is "+strconv.Itoa(n)+" UTF-16 units long, the limit is "+strconv.Itoa(MaxTextLength))
	}
	return nil
}

func checkCaption(method, field, caption string, mode ParseMode) error {
	if mode != "" {
		return nil
	}
	if n := UTF16Len(caption); n > MaxCaptionLength {
		return invalid(method, field, "is "+strconv.Itoa(n)+" UTF-16 units long, the limit is "+strconv.Itoa(MaxCaptionLength))
	}
	return nil
}

func checkFile(method, field string, f InputFile) error {
	if f.IsZero() {
		return invalid(method, field, "empty file")
	}
	return nil
}

// SendMessageRequest is the input of SendMessage.
// Fields are the method's parameters (JSON names in the tags).
type SendMessageRequest struct {
	ChatID              ChatID                `json:"chat_id"`
	MessageThreadID     int64                 `json:"message_thread_id,omitempty"`
	Text                string                `json:"text"`
	ParseMode           ParseMode             `json:"parse_mode,omitempty"`
	Entities            []MessageEntity       `json:"entities,omitempty"`
	LinkPreviewOptions  *LinkPreviewOptions   `json:"link_preview_options,omitempty"`
	DisableNotification bool                  `json:"disable_notification,omitempty"`
	ProtectContent      bool                  `json:"protect_content,omitempty"`
	ReplyParameters     *ReplyParameters      `json:"reply_parameters,omitempty"`
	ReplyMarkup         *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

// SendMessage sends a text message. It is paced by the limiter and is never
// retried after it may have reached Telegram (only after a 429 answer).
//
// Telegram API docs: https://core.telegram.org/bots/api#sendmessage
func (c *Client) SendMessage(ctx context.Context, req *SendMessageRequest, opts ...core.CallOption) (*Message, error) {
	const method = "sendMessage"
	if req == nil {
		return nil, invalid(method, "request", "nil")
	}
	if err := checkChat(method, req.ChatID); err != nil {
		return nil, err
	}
	if err := checkText(method, "text", req.Text, req.ParseMode); err != nil {
		return nil, err
	}
	return c.sendMessage(ctx, method, req, nil, req.ChatID, opts)
}

func (c *Client) sendMessage(ctx context.Context, method string, req any, up []upload, chat ChatID, opts []core.CallOption) (*Message, error) {
	m, err := doCall[Message](ctx, c, method, req, up, callOpts{call: opts, chat: &chat})
	if err != nil {
		return nil, err
	}
	c.learn(&m.Chat)
	return m, nil
}

// checkMediaSend validates what every single-media send shares: the chat,
// the file under field and the caption.
func checkMediaSend(method, field string, chat ChatID, f InputFile, caption string, pm ParseMode) error {
	if err := checkChat(method, chat); err != nil {
		return err
	}
	if err := checkFile(method, field, f); err != nil {
		return err
	}
	return checkCaption(method, "caption", caption, pm)
}

// mediaUploads returns the multipart parts of a media send: the file under
// field and, when set, the thumbnail (copied, so the caller's request is
// never modified).
func mediaUploads(field string, f *InputFile, thumb **InputFile) []upload {
	up := topUpload(field, f)
	if *thumb != nil {
		th := **thumb
		*thumb = &th
		up = append(up, topUpload("thumbnail", *thumb)...)
	}
	return up
}

// SendPhotoRequest is the input of SendPhoto.
// Fields are the method's parameters (JSON names in the tags).
type SendPhotoRequest struct {
	ChatID                ChatID                `json:"chat_id"`
	MessageThreadID       int64                 `json:"message_thread_id,omitempty"`
	Photo                 InputFile             `json:"photo"`
	Caption               string                `json:"caption,omitempty"`
	ParseMode             ParseMode             `json:"parse_mode,omitempty"`
	CaptionEntities       []MessageEntity       `json:"caption_entities,omitempty"`
	ShowCaptionAboveMedia bool                  `json:"show_caption_above_media,omitempty"`
	HasSpoiler            bool                  `json:"has_spoiler,omitempty"`
	DisableNotification   bool                  `json:"disable_notification,omitempty"`
	ProtectContent        bool                  `json:"protect_content,omitempty"`
	ReplyParameters       *ReplyParameters      `json:"reply_parameters,omitempty"`
	ReplyMarkup           *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

// SendPhoto sends a photo. Uploaded content is sent as multipart/form-data
// with the part named "photo"; a file_id or URL is sent as JSON.
//
// Telegram API docs: https://core.telegram.org/bots/api#sendphoto
func (c *Client) SendPhoto(ctx context.Context, req *SendPhotoRequest, opts ...core.CallOption) (*Message, error) {
	const method = "sendPhoto"
	if req == nil {
		return nil, invalid(method, "request", "nil")
	}
	if err := checkMediaSend(method, "photo", req.ChatID, req.Photo, req.Caption, req.ParseMode); err != nil {
		return nil, err
	}
	r := *req
	return c.sendMessage(ctx, method, &r, topUpload("photo", &r.Photo), r.ChatID, opts)
}

// SendVideoRequest is the input of SendVideo.
// Fields are the method's parameters (JSON names in the tags).
type SendVideoRequest struct {
	ChatID                ChatID                `json:"chat_id"`
	MessageThreadID       int64                 `json:"message_thread_id,omitempty"`
	Video                 InputFile             `json:"video"`
	Duration              int                   `json:"duration,omitempty"`
	Width                 int                   `json:"width,omitempty"`
	Height                int                   `json:"height,omitempty"`
	Thumbnail             *InputFile            `json:"thumbnail,omitempty"`
	Caption               string                `json:"caption,omitempty"`
	ParseMode             ParseMode             `json:"parse_mode,omitempty"`
	CaptionEntities       []MessageEntity       `json:"caption_entities,omitempty"`
	ShowCaptionAboveMedia bool                  `json:"show_caption_above_media,omitempty"`
	HasSpoiler            bool                  `json:"has_spoiler,omitempty"`
	SupportsStreaming     bool                  `json:"supports_streaming,omitempty"`
	DisableNotification   bool                  `json:"disable_notification,omitempty"`
	ProtectContent        bool                  `json:"protect_content,omitempty"`
	ReplyParameters       *ReplyParameters      `json:"reply_parameters,omitempty"`
	ReplyMarkup           *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

// SendVideo sends a video (uploaded content goes in the part "video", an
// uploaded thumbnail in the part "thumbnail").
//
// Telegram API docs: https://core.telegram.org/bots/api#sendvideo
func (c *Client) SendVideo(ctx context.Context, req *SendVideoRequest, opts ...core.CallOption) (*Message, error) {
	const method = "sendVideo"
	if req == nil {
		return nil, invalid(method, "request", "nil")
	}
	if err := checkMediaSend(method, "video", req.ChatID, req.Video, req.Caption, req.ParseMode); err != nil {
		return nil, err
	}
	r := *req
	return c.sendMessage(ctx, method, &r, mediaUploads("video", &r.Video, &r.Thumbnail), r.ChatID, opts)
}

// SendDocumentRequest is the input of SendDocument.
// Fields are the method's parameters (JSON names in the tags).
type SendDocumentRequest struct {
	ChatID                      ChatID                `json:"chat_id"`
	MessageThreadID             int64                 `json:"message_thread_id,omitempty"`
	Document                    InputFile             `json:"document"`
	Thumbnail                   *InputFile            `json:"thumbnail,omitempty"`
	Caption                     string                `json:"caption,omitempty"`
	ParseMode                   ParseMode             `json:"parse_mode,omitempty"`
	CaptionEntities             []MessageEntity       `json:"caption_entities,omitempty"`
	DisableContentTypeDetection bool                  `json:"disable_content_type_detection,omitempty"`
	DisableNotification         bool                  `json:"disable_notification,omitempty"`
	ProtectContent              bool                  `json:"protect_content,omitempty"`
	ReplyParameters             *ReplyParameters      `json:"reply_parameters,omitempty"`
	ReplyMarkup                 *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

// SendDocument sends a general file (uploaded content goes in the part
// "document").
//
// Telegram API docs: https://core.telegram.org/bots/api#senddocument
func (c *Client) SendDocument(ctx context.Context, req *SendDocumentRequest, opts ...core.CallOption) (*Message, error) {
	const method = "sendDocument"
	if req == nil {
		return nil, invalid(method, "request", "nil")
	}
	if err := checkMediaSend(method, "document", req.ChatID, req.Document, req.Caption, req.ParseMode); err != nil {
		return nil, err
	}
	r := *req
	return c.sendMessage(ctx, method, &r, mediaUploads("document", &r.Document, &r.Thumbnail), r.ChatID, opts)
}

// SendMediaGroupRequest is the input of SendMediaGroup.
// Fields are the method's parameters (JSON names in the tags).
type SendMediaGroupRequest struct {
	ChatID              ChatID           `json:"chat_id"`
	MessageThreadID     int64            `json:"message_thread_id,omitempty"`
	Media               []InputMedia     `json:"media"`
	DisableNotification bool             `json:"disable_notification,omitempty"`
	ProtectContent      bool             `json:"protect_content,omitempty"`
	ReplyParameters     *ReplyParameters `json:"reply_parameters,omitempty"`
}

// SendMediaGroup sends 1 to 10 photos and videos, or 1 to 10 documents, as
// an album; Telegram sends a group of one item as a plain message without a
// media_group_id. Uploaded content is sent as parts named file0, file1, ...
// (thumbnails thumb0, ...) referenced as "attach://<name>" in the media
// array. Telegram counts every album item as a message, and so does the
// client-side limiter.
//
// Telegram API docs: https://core.telegram.org/bots/api#sendmediagroup
func (c *Client) SendMediaGroup(ctx context.Context, req *SendMediaGroupRequest, opts ...core.CallOption) ([]Message, error) {
	const method = "sendMediaGroup"
	if req == nil {
		return nil, invalid(method, "request", "nil")
	}
	if err := checkChat(method, req.ChatID); err != nil {
		return nil, err
	}
	n := len(req.Media)
	if n < MinMediaGroupSize || n > MaxMediaGroupSize {
		return nil, invalid(method, "media", "a media group needs 1 to 10 items, got "+strconv.Itoa(n))
	}
	docs := 0
	for i, m := range req.Media {
		field := "media[" + strconv.Itoa(i) + "]"
		switch m.Type {
		case MediaPhoto, MediaVideo:
		case MediaDocument:
			docs++
		default:
			return nil, invalid(method, field, "unsupported type "+strconv.Quote(m.Type))
		}
		if err := checkFile(method, field, m.Media); err != nil {
			return nil, err
		}
		if err := checkCaption(method, field+".caption", m.Caption, m.ParseMode); err != nil {
			return nil, err
		}
	}
	if docs != 0 && docs != n {
		return nil, invalid(method, "media", "documents cannot be grouped with photos or videos")
	}
	r := *req
	r.Media = make([]InputMedia, n)
	copy(r.Media, req.Media)
	var up []upload
	for i := range r.Media {
		m := &r.Media[i]
		if m.Media.IsUpload() {
			m.Media.attach = "file" + strconv.Itoa(i)
			up = append(up, upload{part: m.Media.attach, file: &m.Media})
		}
		if m.Thumbnail != nil && m.Thumbnail.IsUpload() {
			th := *m.Thumbnail
			th.attach = "thumb" + strconv.Itoa(i)
			m.Thumbnail = &th
			up = append(up, upload{part: th.attach, file: m.Thumbnail})
		}
	}
	msgs, err := doJSON[[]Message](ctx, c, method, &r, up, callOpts{call: opts, chat: &r.ChatID, messages: n})
	if err != nil {
		return nil, err
	}
	if len(msgs) > 0 {
		c.learn(&msgs[0].Chat)
	}
	return msgs, nil
}

// SendPollRequest is the input of SendPoll. IsAnonymous is a pointer
// because Telegram's default is true.
type SendPollRequest struct {
	ChatID                ChatID                `json:"chat_id"`
	MessageThreadID       int64                 `json:"message_thread_id,omitempty"`
	Question              string                `json:"question"`
	QuestionParseMode     ParseMode             `json:"question_parse_mode,omitempty"`
	QuestionEntities      []MessageEntity       `json:"question_entities,omitempty"`
	Options               []InputPollOption     `json:"options"`
	IsAnonymous           *bool                 `json:"is_anonymous,omitempty"`
	Type                  string                `json:"type,omitempty"`
	AllowsMultipleAnswers bool                  `json:"allows_multiple_answers,omitempty"`
	CorrectOptionID       *int                  `json:"correct_option_id,omitempty"`
	Explanation           string                `json:"explanation,omitempty"`
	ExplanationParseMode  ParseMode             `json:"explanation_parse_mode,omitempty"`
	OpenPeriod            int                   `json:"open_period,omitempty"`
	CloseDate             int64                 `json:"close_date,omitempty"`
	IsClosed              bool                  `json:"is_closed,omitempty"`
	DisableNotification   bool                  `json:"disable_notification,omitempty"`
	ProtectContent        bool                  `json:"protect_content,omitempty"`
	ReplyParameters       *ReplyParameters      `json:"reply_parameters,omitempty"`
	ReplyMarkup           *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

// SendPoll sends a native poll: a question of 1 to 300 units and 2 to 12
// options of 1 to 100 units each.
//
// Telegram API docs: https://core.telegram.org/bots/api#sendpoll
func (c *Client) SendPoll(ctx context.Context, req *SendPollRequest, opts ...core.CallOption) (*Message, error) {
	const method = "sendPoll"
	if req == nil {
		return nil, invalid(method, "request", "nil")
	}
	if err := checkChat(method, req.ChatID); err != nil {
		return nil, err
	}
	if n := UTF16Len(req.Question); n < 1 || n > MaxPollQuestionLength {
		return nil, invalid(method, "question", "must be 1 to 300 UTF-16 units long, got "+strconv.Itoa(n))
	}
	if n := len(req.Options); n < MinPollOptions || n > MaxPollOptions {
		return nil, invalid(method, "options", "a poll needs 2 to 12 options, got "+strconv.Itoa(n))
	}
	for i, o := range req.Options {
		if n := UTF16Len(o.Text); n < 1 || n > MaxPollOptionLength {
			return nil, invalid(method, "options["+strconv.Itoa(i)+"]", "must be 1 to 100 UTF-16 units long, got "+strconv.Itoa(n))
		}
	}
	if req.ExplanationParseMode == "" && UTF16Len(req.Explanation) > MaxPollExplanationLength {
		return nil, invalid(method, "explanation", "must be at most 200 UTF-16 units long")
	}
	return c.sendMessage(ctx, method, req, nil, req.ChatID, opts)
}

// ForwardMessageRequest is the input of ForwardMessage.
// Fields are the method's parameters (JSON names in the tags).
type ForwardMessageRequest struct {
	ChatID              ChatID `json:"chat_id"`
	MessageThreadID     int64  `json:"message_thread_id,omitempty"`
	FromChatID          ChatID `json:"from_chat_id"`
	MessageID           int64  `json:"message_id"`
	DisableNotification bool   `json:"disable_notification,omitempty"`
	ProtectContent      bool   `json:"protect_content,omitempty"`
}

// checkSource checks the source message of a forward or copy.
func checkSource(method string, chat, from ChatID, messageID int64) error {
	if err := checkChat(method, chat); err != nil {
		return err
	}
	if err := checkChatField(method, "from_chat_id", from); err != nil {
		return err
	}
	if messageID <= 0 {
		return invalid(method, "message_id", "must be positive")
	}
	return nil
}

// ForwardMessage forwards a message from FromChatID to ChatID. The new
// message carries ForwardOrigin, a link to the original. It sends a new
// message: it is paced by the limiter (keyed by ChatID) and is never
// retried after it may have reached Telegram (only after a 429 answer).
// Messages with protected content cannot be forwarded.
//
// Telegram API docs: https://core.telegram.org/bots/api#forwardmessage
func (c *Client) ForwardMessage(ctx context.Context, req *ForwardMessageRequest, opts ...core.CallOption) (*Message, error) {
	const method = "forwardMessage"
	if req == nil {
		return nil, invalid(method, "request", "nil")
	}
	if err := checkSource(method, req.ChatID, req.FromChatID, req.MessageID); err != nil {
		return nil, err
	}
	return c.sendMessage(ctx, method, req, nil, req.ChatID, opts)
}

// CopyMessageRequest is the input of CopyMessage. Caption is a pointer
// because Telegram tells its absence from an empty value: nil keeps the
// original caption, a pointer to "" removes it, any other text replaces it
// (new("text") builds one). ParseMode and CaptionEntities apply to the new
// caption.
type CopyMessageRequest struct {
	ChatID                ChatID                `json:"chat_id"`
	MessageThreadID       int64                 `json:"message_thread_id,omitempty"`
	FromChatID            ChatID                `json:"from_chat_id"`
	MessageID             int64                 `json:"message_id"`
	Caption               *string               `json:"caption,omitempty"`
	ParseMode             ParseMode             `json:"parse_mode,omitempty"`
	CaptionEntities       []MessageEntity       `json:"caption_entities,omitempty"`
	ShowCaptionAboveMedia bool                  `json:"show_caption_above_media,omitempty"`
	DisableNotification   bool                  `json:"disable_notification,omitempty"`
	ProtectContent        bool                  `json:"protect_content,omitempty"`
	ReplyParameters       *ReplyParameters      `json:"reply_parameters,omitempty"`
	ReplyMarkup           *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

// CopyMessage copies a message from FromChatID to ChatID and returns the
// new message's id. Unlike a forward, the copy has no link to the original.
// A new caption is checked like every caption (at most MaxCaptionLength
// UTF-16 units without a parse mode). It sends a new message: it is paced
// by the limiter (keyed by ChatID) and is never retried after it may have
// reached Telegram (only after a 429 answer). Service, paid media,
// giveaway and invoice messages cannot be copied.
//
// Telegram API docs: https://core.telegram.org/bots/api#copymessage
func (c *Client) CopyMessage(ctx context.Context, req *CopyMessageRequest, opts ...core.CallOption) (*MessageID, error) {
	const method = "copyMessage"
	if req == nil {
		return nil, invalid(method, "request", "nil")
	}
	if err := checkSource(method, req.ChatID, req.FromChatID, req.MessageID); err != nil {
		return nil, err
	}
	if req.Caption != nil {
		if err := checkCaption(method, "caption", *req.Caption, req.ParseMode); err != nil {
			return nil, err
		}
	}
	chat := req.ChatID
	return doCall[MessageID](ctx, c, method, req, nil, callOpts{call: opts, chat: &chat})
}

// messageOrTrue decodes the result of an edit: the edited Message, or true
// for an inline message.
type messageOrTrue struct{ msg *Message }

// UnmarshalJSON accepts a Message object or the literal true.
func (m *messageOrTrue) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("true")) {
		m.msg = nil
		return nil
	}
	var msg Message
	if err := json.Unmarshal(b, &msg); err != nil {
		return err
	}
	m.msg = &msg
	return nil
}

// EditMessageTextRequest is the input of EditMessageText. Give ChatID and
// MessageID, or InlineMessageID.
type EditMessageTextRequest struct {
	ChatID             ChatID                `json:"chat_id,omitzero"`
	MessageID          int64                 `json:"message_id,omitempty"`
	InlineMessageID    string                `json:"inline_message_id,omitempty"`
	Text               string                `json:"text"`
	ParseMode          ParseMode             `json:"parse_mode,omitempty"`
	Entities           []MessageEntity       `json:"entities,omitempty"`
	LinkPreviewOptions *LinkPreviewOptions   `json:"link_preview_options,omitempty"`
	ReplyMarkup        *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

func checkTarget(method string, chat ChatID, messageID int64, inline string) error {
	if inline != "" {
		return nil
	}
	if err := checkChat(method, chat); err != nil {
		return err
	}
	if messageID <= 0 {
		return invalid(method, "message_id", "must be positive")
	}
	return nil
}

// EditMessageText edits the text of a message. It returns the edited
// message, or nil for an inline message. Editing to the same content fails
// with an error matching ErrMessageNotModified. Edits are safe to repeat and
// are retried on transient failures.
//
// Telegram API docs: https://core.telegram.org/bots/api#editmessagetext
func (c *Client) EditMessageText(ctx context.Context, req *EditMessageTextRequest, opts ...core.CallOption) (*Message, error) {
	const method = "editMessageText"
	if req == nil {
		return nil, invalid(method, "request", "nil")
	}
	if err := checkTarget(method, req.ChatID, req.MessageID, req.InlineMessageID); err != nil {
		return nil, err
	}
	if err := checkText(method, "text", req.Text, req.ParseMode); err != nil {
		return nil, err
	}
	r, err := doJSON[messageOrTrue](ctx, c, method, req, nil, callOpts{call: opts, idempotent: true})
	if err != nil {
		return nil, err
	}
	return r.msg, nil
}

// EditMessageCaptionRequest is the input of EditMessageCaption.
// Fields are the method's parameters (JSON names in the tags).
type EditMessageCaptionRequest struct {
	ChatID                ChatID                `json:"chat_id,omitzero"`
	MessageID             int64                 `json:"message_id,omitempty"`
	InlineMessageID       string                `json:"inline_message_id,omitempty"`
	Caption               string                `json:"caption"`
	ParseMode             ParseMode             `json:"parse_mode,omitempty"`
	CaptionEntities       []MessageEntity       `json:"caption_entities,omitempty"`
	ShowCaptionAboveMedia bool                  `json:"show_caption_above_media,omitempty"`
	ReplyMarkup           *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

// EditMessageCaption edits the caption of a message (an empty caption
// removes it). It returns the edited message, or nil for an inline message.
//
// Telegram API docs: https://core.telegram.org/bots/api#editmessagecaption
func (c *Client) EditMessageCaption(ctx context.Context, req *EditMessageCaptionRequest, opts ...core.CallOption) (*Message, error) {
	const method = "editMessageCaption"
	if req == nil {
		return nil, invalid(method, "request", "nil")
	}
	if err := checkTarget(method, req.ChatID, req.MessageID, req.InlineMessageID); err != nil {
		return nil, err
	}
	if err := checkCaption(method, "caption", req.Caption, req.ParseMode); err != nil {
		return nil, err
	}
	r, err := doJSON[messageOrTrue](ctx, c, method, req, nil, callOpts{call: opts, idempotent: true})
	if err != nil {
		return nil, err
	}
	return r.msg, nil
}

// DeleteMessageRequest is the input of DeleteMessage.
// Fields are the method's parameters (JSON names in the tags).
type DeleteMessageRequest struct {
	ChatID    ChatID `json:"chat_id"`
	MessageID int64  `json:"message_id"`
}

// DeleteMessage deletes a message. Telegram's result is always true on
// success, so only the error is returned.
//
// Telegram API docs: https://core.telegram.org/bots/api#deletemessage
func (c *Client) DeleteMessage(ctx context.Context, req *DeleteMessageRequest, opts ...core.CallOption) error {
	const method = "deleteMessage"
	if req == nil {
		return invalid(method, "request", "nil")
	}
	if err := checkTarget(method, req.ChatID, req.MessageID, ""); err != nil {
		return err
	}
	_, err := doJSON[bool](ctx, c, method, req, nil, callOpts{call: opts, idempotent: true})
	return err
}

// DeleteMessagesRequest is the input of DeleteMessages.
// Fields are the method's parameters (JSON names in the tags).
type DeleteMessagesRequest struct {
	ChatID     ChatID  `json:"chat_id"`
	MessageIDs []int64 `json:"message_ids"`
}

// DeleteMessages deletes 1 to MaxDeleteMessages messages of one chat at
// once; Telegram skips the ones it cannot find. Telegram's result is always
// true on success, so only the error is returned. Like DeleteMessage it is
// safe to repeat, is retried on transient failures and is not paced.
//
// Telegram API docs: https://core.telegram.org/bots/api#deletemessages
func (c *Client) DeleteMessages(ctx context.Context, req *DeleteMessagesRequest, opts ...core.CallOption) error {
	const method = "deleteMessages"
	if req == nil {
		return invalid(method, "request", "nil")
	}
	if err := checkChat(method, req.ChatID); err != nil {
		return err
	}
	if n := len(req.MessageIDs); n < 1 || n > MaxDeleteMessages {
		return invalid(method, "message_ids", "needs 1 to 100 message ids, got "+strconv.Itoa(n))
	}
	for i, id := range req.MessageIDs {
		if id <= 0 {
			return invalid(method, "message_ids["+strconv.Itoa(i)+"]", "must be positive")
		}
	}
	_, err := doJSON[bool](ctx, c, method, req, nil, callOpts{call: opts, idempotent: true})
	return err
}

// PinChatMessageRequest is the input of PinChatMessage.
// Fields are the method's parameters (JSON names in the tags).
type PinChatMessageRequest struct {
	ChatID              ChatID `json:"chat_id"`
	MessageID           int64  `json:"message_id"`
	DisableNotification bool   `json:"disable_notification,omitempty"`
}

// PinChatMessage pins a message (in a channel the bot needs
// can_edit_messages).
//
// Telegram API docs: https://core.telegram.org/bots/api#pinchatmessage
func (c *Client) PinChatMessage(ctx context.Context, req *PinChatMessageRequest, opts ...core.CallOption) error {
	const method = "pinChatMessage"
	if req == nil {
		return invalid(method, "request", "nil")
	}
	if err := checkTarget(method, req.ChatID, req.MessageID, ""); err != nil {
		return err
	}
	_, err := doJSON[bool](ctx, c, method, req, nil, callOpts{call: opts, idempotent: true})
	return err
}

// UnpinChatMessageRequest is the input of UnpinChatMessage. A zero
// MessageID unpins the most recent pinned message.
type UnpinChatMessageRequest struct {
	ChatID    ChatID `json:"chat_id"`
	MessageID int64  `json:"message_id,omitempty"`
}

// UnpinChatMessage unpins a message.
//
// Telegram API docs: https://core.telegram.org/bots/api#unpinchatmessage
func (c *Client) UnpinChatMessage(ctx context.Context, req *UnpinChatMessageRequest, opts ...core.CallOption) error {
	const method = "unpinChatMessage"
	if req == nil {
		return invalid(method, "request", "nil")
	}
	if err := checkChat(method, req.ChatID); err != nil {
		return err
	}
	_, err := doJSON[bool](ctx, c, method, req, nil, callOpts{call: opts, idempotent: true})
	return err
}
