package telegram

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// ParseMode selects how Telegram parses markup in text and captions.
type ParseMode string

// Parse modes. Leave ParseMode empty for plain text.
const (
	ParseModeHTML       ParseMode = "HTML"
	ParseModeMarkdownV2 ParseMode = "MarkdownV2"
	// ParseModeMarkdown is the legacy Markdown mode, kept for compatibility.
	ParseModeMarkdown ParseMode = "Markdown"
)

// ChatType is the type of a chat.
type ChatType string

// Chat types.
const (
	ChatTypePrivate    ChatType = "private"
	ChatTypeGroup      ChatType = "group"
	ChatTypeSupergroup ChatType = "supergroup"
	ChatTypeChannel    ChatType = "channel"
)

// IsGroup reports whether t is a group or a supergroup.
func (t ChatType) IsGroup() bool { return t == ChatTypeGroup || t == ChatTypeSupergroup }

// ChatID identifies a chat either by its numeric id or by the public
// @username of a channel or supergroup. It marshals to a JSON number or a
// JSON string. The zero value is empty and is refused before sending.
type ChatID struct {
	id       int64
	username string
}

// ChatIDInt returns the ChatID of a numeric chat id (channels and
// supergroups have ids like -1001234567890).
func ChatIDInt(id int64) ChatID { return ChatID{id: id} }

// Username returns the ChatID of a public channel or supergroup username.
// The leading "@" is optional ("@mincifry" and "mincifry" are the same). The
// username is checked when the ChatID is used: 5 to 32 characters of
// A-Z, a-z, 0-9 and "_", starting with a letter.
func Username(name string) ChatID {
	name = strings.TrimPrefix(name, "@")
	return ChatID{username: "@" + name}
}

// ID returns the numeric id, or 0 for a username ChatID.
func (c ChatID) ID() int64 { return c.id }

// Username returns the "@username", or "" for a numeric ChatID.
func (c ChatID) Username() string { return c.username }

// IsZero reports whether c is empty.
func (c ChatID) IsZero() bool { return c.id == 0 && c.username == "" }

// String returns the id in decimal or the "@username".
func (c ChatID) String() string {
	if c.username != "" {
		return c.username
	}
	if c.id == 0 {
		return ""
	}
	return strconv.FormatInt(c.id, 10)
}

// Validate reports an empty ChatID or a malformed username.
func (c ChatID) Validate() error {
	if c.username != "" {
		if err := checkUsername(c.username[1:]); err != nil {
			return err
		}
		return nil
	}
	if c.id == 0 {
		return errors.New("empty chat id")
	}
	return nil
}

func checkUsername(u string) error {
	if len(u) < 5 || len(u) > 32 {
		return errors.New("username must be 5 to 32 characters long")
	}
	for i := 0; i < len(u); i++ {
		ch := u[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z':
		case (ch >= '0' && ch <= '9') || ch == '_':
			if i == 0 {
				return errors.New("username must start with a letter")
			}
		default:
			return errors.New("username may contain only A-Z, a-z, 0-9 and _")
		}
	}
	return nil
}

// MarshalJSON encodes the id as a number or the username as a string.
func (c ChatID) MarshalJSON() ([]byte, error) {
	if c.username != "" {
		return json.Marshal(c.username)
	}
	return strconv.AppendInt(nil, c.id, 10), nil
}

// UnmarshalJSON accepts a number or a string (a decimal id or an @username).
func (c *ChatID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			*c = ChatID{id: n}
			return nil
		}
		*c = Username(s)
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*c = ChatID{id: n}
	return nil
}

// kindKey is the chat-kind cache key of c.
func (c ChatID) kindKey() kindKey {
	if c.username != "" {
		return kindKey{user: strings.ToLower(c.username[1:])}
	}
	return kindKey{id: c.id}
}

// key is the canonical form used for rate-limit keys and the chat-kind cache.
func (c ChatID) key() string {
	if c.username != "" {
		return strings.ToLower(c.username)
	}
	return strconv.FormatInt(c.id, 10)
}

// User is a Telegram user or bot.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#user
type User struct {
	ID                      int64  `json:"id"`
	IsBot                   bool   `json:"is_bot"`
	FirstName               string `json:"first_name"`
	LastName                string `json:"last_name,omitempty"`
	Username                string `json:"username,omitempty"`
	LanguageCode            string `json:"language_code,omitempty"`
	IsPremium               bool   `json:"is_premium,omitempty"`
	CanJoinGroups           bool   `json:"can_join_groups,omitempty"`
	CanReadAllGroupMessages bool   `json:"can_read_all_group_messages,omitempty"`
	SupportsInlineQueries   bool   `json:"supports_inline_queries,omitempty"`
}

// Chat is the short form of a chat that messages and updates carry.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#chat
type Chat struct {
	ID        int64    `json:"id"`
	Type      ChatType `json:"type"`
	Title     string   `json:"title,omitempty"`
	Username  string   `json:"username,omitempty"`
	FirstName string   `json:"first_name,omitempty"`
	LastName  string   `json:"last_name,omitempty"`
	IsForum   bool     `json:"is_forum,omitempty"`
}

// ChatPhoto is a chat's profile photo.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#chatphoto
type ChatPhoto struct {
	SmallFileID       string `json:"small_file_id"`
	SmallFileUniqueID string `json:"small_file_unique_id"`
	BigFileID         string `json:"big_file_id"`
	BigFileUniqueID   string `json:"big_file_unique_id"`
}

// ChatFullInfo is the full description of a chat returned by getChat.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#chatfullinfo
type ChatFullInfo struct {
	Chat
	AccentColorID       int        `json:"accent_color_id,omitempty"`
	MaxReactionCount    int        `json:"max_reaction_count,omitempty"`
	Photo               *ChatPhoto `json:"photo,omitempty"`
	ActiveUsernames     []string   `json:"active_usernames,omitempty"`
	Bio                 string     `json:"bio,omitempty"`
	Description         string     `json:"description,omitempty"`
	InviteLink          string     `json:"invite_link,omitempty"`
	PinnedMessage       *Message   `json:"pinned_message,omitempty"`
	HasProtectedContent bool       `json:"has_protected_content,omitempty"`
	LinkedChatID        int64      `json:"linked_chat_id,omitempty"`
	HasVisibleHistory   bool       `json:"has_visible_history,omitempty"`
}

// MessageEntity is a special entity in a text (a link, bold text, ...).
// Offset and Length are counted in UTF-16 code units.
type MessageEntity struct {
	Type          string `json:"type"`
	Offset        int    `json:"offset"`
	Length        int    `json:"length"`
	URL           string `json:"url,omitempty"`
	User          *User  `json:"user,omitempty"`
	Language      string `json:"language,omitempty"`
	CustomEmojiID string `json:"custom_emoji_id,omitempty"`
}

// PhotoSize is one size of a photo or a thumbnail.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#photosize
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// Video is a video file.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#video
type Video struct {
	FileID       string     `json:"file_id"`
	FileUniqueID string     `json:"file_unique_id"`
	Width        int        `json:"width"`
	Height       int        `json:"height"`
	Duration     int        `json:"duration"`
	Thumbnail    *PhotoSize `json:"thumbnail,omitempty"`
	FileName     string     `json:"file_name,omitempty"`
	MimeType     string     `json:"mime_type,omitempty"`
	FileSize     int64      `json:"file_size,omitempty"`
}

// Document is a general file.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#document
type Document struct {
	FileID       string     `json:"file_id"`
	FileUniqueID string     `json:"file_unique_id"`
	Thumbnail    *PhotoSize `json:"thumbnail,omitempty"`
	FileName     string     `json:"file_name,omitempty"`
	MimeType     string     `json:"mime_type,omitempty"`
	FileSize     int64      `json:"file_size,omitempty"`
}

// PollOption is one answer option of a Poll.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#polloption
type PollOption struct {
	Text         string          `json:"text"`
	TextEntities []MessageEntity `json:"text_entities,omitempty"`
	VoterCount   int             `json:"voter_count"`
}

// InputPollOption is an answer option sent with sendPoll.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#inputpolloption
type InputPollOption struct {
	Text          string          `json:"text"`
	TextParseMode ParseMode       `json:"text_parse_mode,omitempty"`
	TextEntities  []MessageEntity `json:"text_entities,omitempty"`
}

// Poll types.
const (
	PollTypeRegular = "regular"
	PollTypeQuiz    = "quiz"
)

// Poll is a native poll.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#poll
type Poll struct {
	ID                    string          `json:"id"`
	Question              string          `json:"question"`
	QuestionEntities      []MessageEntity `json:"question_entities,omitempty"`
	Options               []PollOption    `json:"options"`
	TotalVoterCount       int             `json:"total_voter_count"`
	IsClosed              bool            `json:"is_closed"`
	IsAnonymous           bool            `json:"is_anonymous"`
	Type                  string          `json:"type"`
	AllowsMultipleAnswers bool            `json:"allows_multiple_answers"`
	CorrectOptionID       *int            `json:"correct_option_id,omitempty"`
	Explanation           string          `json:"explanation,omitempty"`
	ExplanationEntities   []MessageEntity `json:"explanation_entities,omitempty"`
	OpenPeriod            int             `json:"open_period,omitempty"`
	CloseDate             int64           `json:"close_date,omitempty"`
}

// PollAnswer is a user's answer in a non-anonymous poll.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#pollanswer
type PollAnswer struct {
	PollID    string `json:"poll_id"`
	VoterChat *Chat  `json:"voter_chat,omitempty"`
	User      *User  `json:"user,omitempty"`
	OptionIDs []int  `json:"option_ids"`
}

// LinkPreviewOptions controls the link preview of a text message.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#linkpreviewoptions
type LinkPreviewOptions struct {
	IsDisabled       bool   `json:"is_disabled,omitempty"`
	URL              string `json:"url,omitempty"`
	PreferSmallMedia bool   `json:"prefer_small_media,omitempty"`
	PreferLargeMedia bool   `json:"prefer_large_media,omitempty"`
	ShowAboveText    bool   `json:"show_above_text,omitempty"`
}

// ReplyParameters describes the message a new message replies to.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#replyparameters
type ReplyParameters struct {
	MessageID                int64           `json:"message_id"`
	ChatID                   ChatID          `json:"chat_id,omitzero"`
	AllowSendingWithoutReply bool            `json:"allow_sending_without_reply,omitempty"`
	Quote                    string          `json:"quote,omitempty"`
	QuoteParseMode           ParseMode       `json:"quote_parse_mode,omitempty"`
	QuoteEntities            []MessageEntity `json:"quote_entities,omitempty"`
	QuotePosition            int             `json:"quote_position,omitempty"`
}

// InlineKeyboardButton is one button of an inline keyboard.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#inlinekeyboardbutton
type InlineKeyboardButton struct {
	Text         string `json:"text"`
	URL          string `json:"url,omitempty"`
	CallbackData string `json:"callback_data,omitempty"`
}

// InlineKeyboardMarkup is an inline keyboard attached to a message.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#inlinekeyboardmarkup
type InlineKeyboardMarkup struct {
	InlineKeyboard [][]InlineKeyboardButton `json:"inline_keyboard"`
}

// Message is a message in a chat (a channel post is a Message too).
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#message
type Message struct {
	MessageID           int64                 `json:"message_id"`
	MessageThreadID     int64                 `json:"message_thread_id,omitempty"`
	From                *User                 `json:"from,omitempty"`
	SenderChat          *Chat                 `json:"sender_chat,omitempty"`
	Date                int64                 `json:"date"`
	Chat                Chat                  `json:"chat"`
	ForwardOrigin       *MessageOrigin        `json:"forward_origin,omitempty"`
	IsAutomaticForward  bool                  `json:"is_automatic_forward,omitempty"`
	ReplyToMessage      *Message              `json:"reply_to_message,omitempty"`
	EditDate            int64                 `json:"edit_date,omitempty"`
	HasProtectedContent bool                  `json:"has_protected_content,omitempty"`
	MediaGroupID        string                `json:"media_group_id,omitempty"`
	AuthorSignature     string                `json:"author_signature,omitempty"`
	Text                string                `json:"text,omitempty"`
	Entities            []MessageEntity       `json:"entities,omitempty"`
	LinkPreviewOptions  *LinkPreviewOptions   `json:"link_preview_options,omitempty"`
	Photo               []PhotoSize           `json:"photo,omitempty"`
	Video               *Video                `json:"video,omitempty"`
	Document            *Document             `json:"document,omitempty"`
	Caption             string                `json:"caption,omitempty"`
	CaptionEntities     []MessageEntity       `json:"caption_entities,omitempty"`
	HasMediaSpoiler     bool                  `json:"has_media_spoiler,omitempty"`
	Poll                *Poll                 `json:"poll,omitempty"`
	PinnedMessage       *Message              `json:"pinned_message,omitempty"`
	MigrateToChatID     int64                 `json:"migrate_to_chat_id,omitempty"`
	MigrateFromChatID   int64                 `json:"migrate_from_chat_id,omitempty"`
	ReplyMarkup         *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

// Time returns the message date as a time.Time.
func (m *Message) Time() time.Time { return time.Unix(m.Date, 0) }

// Message origin types (the "type" field of MessageOrigin).
const (
	OriginUser       = "user"
	OriginHiddenUser = "hidden_user"
	OriginChat       = "chat"
	OriginChannel    = "channel"
)

// MessageOrigin says where a forwarded message first came from. It is the
// union of Telegram's MessageOriginUser (SenderUser), MessageOriginHiddenUser
// (SenderUserName), MessageOriginChat (SenderChat, AuthorSignature) and
// MessageOriginChannel (Chat, MessageID, AuthorSignature), keyed by Type;
// fields that do not belong to the Type are zero. Date is when the original
// message was sent.
// https://core.telegram.org/bots/api#messageorigin
type MessageOrigin struct {
	Type            string `json:"type"`
	Date            int64  `json:"date"`
	SenderUser      *User  `json:"sender_user,omitempty"`
	SenderUserName  string `json:"sender_user_name,omitempty"`
	SenderChat      *Chat  `json:"sender_chat,omitempty"`
	Chat            *Chat  `json:"chat,omitempty"`
	MessageID       int64  `json:"message_id,omitempty"`
	AuthorSignature string `json:"author_signature,omitempty"`
}

// MessageID identifies a message in its chat (the result of copyMessage).
// https://core.telegram.org/bots/api#messageid
type MessageID struct {
	MessageID int64 `json:"message_id"`
}

// ChatMember statuses (the "status" field of the ChatMember union).
const (
	// MemberCreator is the owner of the chat (ChatMemberOwner); the wire
	// value is "creator".
	MemberCreator       = "creator"
	MemberAdministrator = "administrator"
	MemberMember        = "member"
	MemberRestricted    = "restricted"
	MemberLeft          = "left"
	MemberKicked        = "kicked"
)

// ChatMember is the union of Telegram's ChatMemberOwner,
// ChatMemberAdministrator, ChatMemberMember, ChatMemberRestricted,
// ChatMemberLeft and ChatMemberBanned, keyed by Status. Fields that do not
// belong to the Status are zero. Use the helper methods rather than reading
// the rights directly: an owner has every right without the can_* flags.
type ChatMember struct {
	Status      string `json:"status"`
	User        User   `json:"user"`
	IsAnonymous bool   `json:"is_anonymous,omitempty"`
	CustomTitle string `json:"custom_title,omitempty"`
	// UntilDate is when a restriction or ban ends (Unix time, 0 = forever).
	UntilDate int64 `json:"until_date,omitempty"`

	// Administrator rights.
	CanBeEdited         bool `json:"can_be_edited,omitempty"`
	CanManageChat       bool `json:"can_manage_chat,omitempty"`
	CanDeleteMessages   bool `json:"can_delete_messages,omitempty"`
	CanManageVideoChats bool `json:"can_manage_video_chats,omitempty"`
	CanRestrictMembers  bool `json:"can_restrict_members,omitempty"`
	CanPromoteMembers   bool `json:"can_promote_members,omitempty"`
	CanChangeInfo       bool `json:"can_change_info,omitempty"`
	CanInviteUsers      bool `json:"can_invite_users,omitempty"`
	CanPostStories      bool `json:"can_post_stories,omitempty"`
	CanEditStories      bool `json:"can_edit_stories,omitempty"`
	CanDeleteStories    bool `json:"can_delete_stories,omitempty"`
	CanPostMessages     bool `json:"can_post_messages,omitempty"`
	CanEditMessages     bool `json:"can_edit_messages,omitempty"`
	CanPinMessages      bool `json:"can_pin_messages,omitempty"`
	CanManageTopics     bool `json:"can_manage_topics,omitempty"`

	// Restricted member fields.
	IsMember              bool `json:"is_member,omitempty"`
	CanSendMessages       bool `json:"can_send_messages,omitempty"`
	CanSendAudios         bool `json:"can_send_audios,omitempty"`
	CanSendDocuments      bool `json:"can_send_documents,omitempty"`
	CanSendPhotos         bool `json:"can_send_photos,omitempty"`
	CanSendVideos         bool `json:"can_send_videos,omitempty"`
	CanSendPolls          bool `json:"can_send_polls,omitempty"`
	CanSendOtherMessages  bool `json:"can_send_other_messages,omitempty"`
	CanAddWebPagePreviews bool `json:"can_add_web_page_previews,omitempty"`
}

// IsOwner reports whether the member owns the chat.
func (m *ChatMember) IsOwner() bool { return m.Status == MemberCreator }

// IsAdministrator reports whether the member is the owner or an administrator.
func (m *ChatMember) IsAdministrator() bool {
	return m.Status == MemberCreator || m.Status == MemberAdministrator
}

// IsInChat reports whether the member is currently in the chat (owner,
// administrator, member, or a restricted user who is still a member).
func (m *ChatMember) IsInChat() bool {
	switch m.Status {
	case MemberCreator, MemberAdministrator, MemberMember:
		return true
	case MemberRestricted:
		return m.IsMember
	}
	return false
}

// CanPost reports whether the member may post in a channel: the owner, or an
// administrator with can_post_messages.
func (m *ChatMember) CanPost() bool {
	return m.Status == MemberCreator || (m.Status == MemberAdministrator && m.CanPostMessages)
}

// CanEdit reports whether the member may edit others' messages in a channel.
func (m *ChatMember) CanEdit() bool {
	return m.Status == MemberCreator || (m.Status == MemberAdministrator && m.CanEditMessages)
}

// CanDelete reports whether the member may delete others' messages.
func (m *ChatMember) CanDelete() bool {
	return m.Status == MemberCreator || (m.Status == MemberAdministrator && m.CanDeleteMessages)
}

// ChatMemberUpdated reports a change of a chat member's status.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#chatmemberupdated
type ChatMemberUpdated struct {
	Chat                    Chat       `json:"chat"`
	From                    User       `json:"from"`
	Date                    int64      `json:"date"`
	OldChatMember           ChatMember `json:"old_chat_member"`
	NewChatMember           ChatMember `json:"new_chat_member"`
	ViaJoinRequest          bool       `json:"via_join_request,omitempty"`
	ViaChatFolderInviteLink bool       `json:"via_chat_folder_invite_link,omitempty"`
}

// CallbackQuery is a press of an inline keyboard button.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#callbackquery
type CallbackQuery struct {
	ID              string   `json:"id"`
	From            User     `json:"from"`
	Message         *Message `json:"message,omitempty"`
	InlineMessageID string   `json:"inline_message_id,omitempty"`
	ChatInstance    string   `json:"chat_instance"`
	Data            string   `json:"data,omitempty"`
	GameShortName   string   `json:"game_short_name,omitempty"`
}

// Update kinds, as used in allowed_updates.
const (
	UpdateMessage           = "message"
	UpdateEditedMessage     = "edited_message"
	UpdateChannelPost       = "channel_post"
	UpdateEditedChannelPost = "edited_channel_post"
	UpdateCallbackQuery     = "callback_query"
	UpdatePoll              = "poll"
	UpdatePollAnswer        = "poll_answer"
	UpdateMyChatMember      = "my_chat_member"
	UpdateChatMember        = "chat_member"
)

// Update is an incoming update: UpdateID plus at most one payload.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#update
type Update struct {
	UpdateID          int64              `json:"update_id"`
	Message           *Message           `json:"message,omitempty"`
	EditedMessage     *Message           `json:"edited_message,omitempty"`
	ChannelPost       *Message           `json:"channel_post,omitempty"`
	EditedChannelPost *Message           `json:"edited_channel_post,omitempty"`
	CallbackQuery     *CallbackQuery     `json:"callback_query,omitempty"`
	Poll              *Poll              `json:"poll,omitempty"`
	PollAnswer        *PollAnswer        `json:"poll_answer,omitempty"`
	MyChatMember      *ChatMemberUpdated `json:"my_chat_member,omitempty"`
	ChatMember        *ChatMemberUpdated `json:"chat_member,omitempty"`
}

// Kind returns the update kind (one of the Update* constants), or "" for a
// payload this package does not decode.
func (u *Update) Kind() string {
	switch {
	case u.Message != nil:
		return UpdateMessage
	case u.EditedMessage != nil:
		return UpdateEditedMessage
	case u.ChannelPost != nil:
		return UpdateChannelPost
	case u.EditedChannelPost != nil:
		return UpdateEditedChannelPost
	case u.CallbackQuery != nil:
		return UpdateCallbackQuery
	case u.Poll != nil:
		return UpdatePoll
	case u.PollAnswer != nil:
		return UpdatePollAnswer
	case u.MyChatMember != nil:
		return UpdateMyChatMember
	case u.ChatMember != nil:
		return UpdateChatMember
	}
	return ""
}

// AnyMessage returns the message of a message, edited_message, channel_post
// or edited_channel_post update, or nil.
func (u *Update) AnyMessage() *Message {
	switch {
	case u.Message != nil:
		return u.Message
	case u.EditedMessage != nil:
		return u.EditedMessage
	case u.ChannelPost != nil:
		return u.ChannelPost
	}
	return u.EditedChannelPost
}

// WebhookInfo is the current webhook status.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#webhookinfo
type WebhookInfo struct {
	URL                          string   `json:"url"`
	HasCustomCertificate         bool     `json:"has_custom_certificate"`
	PendingUpdateCount           int      `json:"pending_update_count"`
	IPAddress                    string   `json:"ip_address,omitempty"`
	LastErrorDate                int64    `json:"last_error_date,omitempty"`
	LastErrorMessage             string   `json:"last_error_message,omitempty"`
	LastSynchronizationErrorDate int64    `json:"last_synchronization_error_date,omitempty"`
	MaxConnections               int      `json:"max_connections,omitempty"`
	AllowedUpdates               []string `json:"allowed_updates,omitempty"`
}

// File is a file ready to be downloaded with DownloadFile. FilePath is
// relative on the hosted Bot API and may be absolute on a local Bot API
// server started with --local.
type File struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int64  `json:"file_size,omitempty"`
	FilePath     string `json:"file_path,omitempty"`
}

// ResponseParameters are the "parameters" of an error answer.
// Fields mirror the Bot API object field by field (JSON names in the tags):
// https://core.telegram.org/bots/api#responseparameters
type ResponseParameters struct {
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	RetryAfter      int64 `json:"retry_after,omitempty"`
}

// InputFile is a file to send: an existing file_id, an HTTP URL Telegram
// fetches itself, or content uploaded with multipart/form-data. Build it with
// FileID, FileURL, FileBytes or FileReader; the zero value is empty.
type InputFile struct {
	fileID      string
	url         string
	name        string
	contentType string
	data        []byte
	reader      io.Reader
	attach      string // part name for multipart uploads, set while encoding
}

// FileID refers to a file already stored on Telegram's servers.
func FileID(id string) InputFile { return InputFile{fileID: id} }

// FileURL asks Telegram to fetch the file from an HTTP(S) URL.
func FileURL(u string) InputFile { return InputFile{url: u} }

// FileBytes uploads data under filename.
func FileBytes(filename string, data []byte) InputFile {
	if data == nil {
		data = []byte{}
	}
	return InputFile{name: filename, data: data}
}

// FileReader uploads the content of r under filename. The reader is read
// into memory (bounded by the client's upload limit) when the request is
// encoded, so it is consumed by the first call that uses it.
func FileReader(filename string, r io.Reader) InputFile {
	return InputFile{name: filename, reader: r}
}

// WithContentType returns f with the media type sent for uploaded content
// (default application/octet-stream).
func (f InputFile) WithContentType(ct string) InputFile {
	f.contentType = ct
	return f
}

// IsZero reports whether f is empty.
func (f InputFile) IsZero() bool {
	return f.fileID == "" && f.url == "" && f.data == nil && f.reader == nil
}

// IsUpload reports whether f carries content to upload.
func (f InputFile) IsUpload() bool { return f.data != nil || f.reader != nil }

// Name returns the filename of uploaded content.
func (f InputFile) Name() string { return f.name }

// String describes f without its content.
func (f InputFile) String() string {
	switch {
	case f.fileID != "":
		return "file_id:" + f.fileID
	case f.url != "":
		return f.url
	case f.IsUpload():
		return "upload:" + f.name
	}
	return ""
}

// MarshalJSON encodes a file_id or URL as a string and uploaded content as
// its "attach://<name>" reference.
func (f InputFile) MarshalJSON() ([]byte, error) {
	switch {
	case f.fileID != "":
		return json.Marshal(f.fileID)
	case f.url != "":
		return json.Marshal(f.url)
	case f.IsUpload():
		if f.attach == "" {
			return nil, errors.New("telegram: uploaded content cannot be used here")
		}
		return json.Marshal("attach://" + f.attach)
	}
	return []byte(`""`), nil
}

// Input media types.
const (
	MediaPhoto    = "photo"
	MediaVideo    = "video"
	MediaDocument = "document"
)

// InputMedia is one item of a media group (InputMediaPhoto,
// InputMediaVideo or InputMediaDocument, told apart by Type). Build it with
// NewInputMediaPhoto, NewInputMediaVideo or NewInputMediaDocument. Fields
// that do not apply to the Type are left zero.
type InputMedia struct {
	Type                        string          `json:"type"`
	Media                       InputFile       `json:"media"`
	Thumbnail                   *InputFile      `json:"thumbnail,omitempty"`
	Caption                     string          `json:"caption,omitempty"`
	ParseMode                   ParseMode       `json:"parse_mode,omitempty"`
	CaptionEntities             []MessageEntity `json:"caption_entities,omitempty"`
	ShowCaptionAboveMedia       bool            `json:"show_caption_above_media,omitempty"`
	HasSpoiler                  bool            `json:"has_spoiler,omitempty"`
	Width                       int             `json:"width,omitempty"`
	Height                      int             `json:"height,omitempty"`
	Duration                    int             `json:"duration,omitempty"`
	SupportsStreaming           bool            `json:"supports_streaming,omitempty"`
	DisableContentTypeDetection bool            `json:"disable_content_type_detection,omitempty"`
}

// NewInputMediaPhoto returns a photo item of a media group.
func NewInputMediaPhoto(f InputFile, caption string) InputMedia {
	return InputMedia{Type: MediaPhoto, Media: f, Caption: caption}
}

// NewInputMediaVideo returns a video item of a media group.
func NewInputMediaVideo(f InputFile, caption string) InputMedia {
	return InputMedia{Type: MediaVideo, Media: f, Caption: caption}
}

// NewInputMediaDocument returns a document item of a media group.
func NewInputMediaDocument(f InputFile, caption string) InputMedia {
	return InputMedia{Type: MediaDocument, Media: f, Caption: caption}
}
