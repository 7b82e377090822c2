package tgmock

import "encoding/json"

// The wire types below follow the Bot API type definitions (only the fields
// the emulator produces). They are exported so tests can decode results.

// User is a Telegram user or bot.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// BotUser is the result of getMe: a User with the bot-only fields, which
// getMe always includes.
type BotUser struct {
	User
	CanJoinGroups           bool `json:"can_join_groups"`
	CanReadAllGroupMessages bool `json:"can_read_all_group_messages"`
	SupportsInlineQueries   bool `json:"supports_inline_queries"`
	CanConnectToBusiness    bool `json:"can_connect_to_business"`
	HasMainWebApp           bool `json:"has_main_web_app"`
}

// Chat is the short chat object embedded in messages.
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
}

// ChatPhoto is a chat's photo (file ids of the small and big versions).
type ChatPhoto struct {
	SmallFileID       string `json:"small_file_id"`
	SmallFileUniqueID string `json:"small_file_unique_id"`
	BigFileID         string `json:"big_file_id"`
	BigFileUniqueID   string `json:"big_file_unique_id"`
}

// ChatFullInfo is the result of getChat.
type ChatFullInfo struct {
	Chat
	AccentColorID     int        `json:"accent_color_id"`
	MaxReactionCount  int        `json:"max_reaction_count"`
	Photo             *ChatPhoto `json:"photo,omitempty"`
	Description       string     `json:"description,omitempty"`
	Bio               string     `json:"bio,omitempty"`
	InviteLink        string     `json:"invite_link,omitempty"`
	PinnedMessage     *Message   `json:"pinned_message,omitempty"`
	HasVisibleHistory bool       `json:"has_visible_history,omitempty"`
}

// MessageEntity is a special entity in a text (offsets in UTF-16 code
// units).
type MessageEntity struct {
	Type     string `json:"type"`
	Offset   int    `json:"offset"`
	Length   int    `json:"length"`
	URL      string `json:"url,omitempty"`
	User     *User  `json:"user,omitempty"`
	Language string `json:"language,omitempty"`
}

// PhotoSize is one size of a photo.
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// Video is a video file.
type Video struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	Duration     int    `json:"duration"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// Document is a general file.
type Document struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// PollOption is one answer option of a poll.
type PollOption struct {
	Text       string `json:"text"`
	VoterCount int    `json:"voter_count"`
}

// Poll is a poll.
type Poll struct {
	ID                    string       `json:"id"`
	Question              string       `json:"question"`
	Options               []PollOption `json:"options"`
	TotalVoterCount       int          `json:"total_voter_count"`
	IsClosed              bool         `json:"is_closed"`
	IsAnonymous           bool         `json:"is_anonymous"`
	Type                  string       `json:"type"`
	AllowsMultipleAnswers bool         `json:"allows_multiple_answers"`
	CorrectOptionID       *int         `json:"correct_option_id,omitempty"`
	Explanation           string       `json:"explanation,omitempty"`
	OpenPeriod            int          `json:"open_period,omitempty"`
	CloseDate             int64        `json:"close_date,omitempty"`
}

// Message is a message.
type Message struct {
	MessageID        int64           `json:"message_id"`
	From             *User           `json:"from,omitempty"`
	SenderChat       *Chat           `json:"sender_chat,omitempty"`
	Date             int64           `json:"date"`
	Chat             Chat            `json:"chat"`
	ForwardOrigin    *MessageOrigin  `json:"forward_origin,omitempty"`
	ReplyToMessage   *Message        `json:"reply_to_message,omitempty"`
	EditDate         int64           `json:"edit_date,omitempty"`
	HasProtected     bool            `json:"has_protected_content,omitempty"`
	MediaGroupID     string          `json:"media_group_id,omitempty"`
	AuthorSignature  string          `json:"author_signature,omitempty"`
	Text             string          `json:"text,omitempty"`
	Entities         []MessageEntity `json:"entities,omitempty"`
	Photo            []PhotoSize     `json:"photo,omitempty"`
	Video            *Video          `json:"video,omitempty"`
	Document         *Document       `json:"document,omitempty"`
	Caption          string          `json:"caption,omitempty"`
	CaptionEntities  []MessageEntity `json:"caption_entities,omitempty"`
	ShowCaptionAbove bool            `json:"show_caption_above_media,omitempty"`
	HasMediaSpoiler  bool            `json:"has_media_spoiler,omitempty"`
	Poll             *Poll           `json:"poll,omitempty"`
	PinnedMessage    *Message        `json:"pinned_message,omitempty"`
	ReplyMarkup      json.RawMessage `json:"reply_markup,omitempty"`
}

// MessageOrigin describes where a forwarded message came from (type
// "user", "chat" or "channel").
type MessageOrigin struct {
	Type            string `json:"type"`
	Date            int64  `json:"date"`
	SenderUser      *User  `json:"sender_user,omitempty"`
	SenderChat      *Chat  `json:"sender_chat,omitempty"`
	Chat            *Chat  `json:"chat,omitempty"`
	MessageID       int64  `json:"message_id,omitempty"`
	AuthorSignature string `json:"author_signature,omitempty"`
}

// MessageID is the result of copyMessage.
type MessageID struct {
	MessageID int64 `json:"message_id"`
}

// ChatMember is a member of a chat; Status is one of creator,
// administrator, member, restricted, left, kicked. Administrator rights are
// present only for creator/administrator.
type ChatMember struct {
	Status      string `json:"status"`
	User        User   `json:"user"`
	IsAnonymous *bool  `json:"is_anonymous,omitempty"`
	CustomTitle string `json:"custom_title,omitempty"`
	*MemberRights
}

// MemberRights are the ChatMemberAdministrator fields. Channel-only and
// group-only rights are pointers so they appear only where Telegram sends
// them.
type MemberRights struct {
	CanBeEdited         bool  `json:"can_be_edited"`
	CanManageChat       bool  `json:"can_manage_chat"`
	CanDeleteMessages   bool  `json:"can_delete_messages"`
	CanManageVideoChats bool  `json:"can_manage_video_chats"`
	CanRestrictMembers  bool  `json:"can_restrict_members"`
	CanPromoteMembers   bool  `json:"can_promote_members"`
	CanChangeInfo       bool  `json:"can_change_info"`
	CanInviteUsers      bool  `json:"can_invite_users"`
	CanPostStories      bool  `json:"can_post_stories"`
	CanEditStories      bool  `json:"can_edit_stories"`
	CanDeleteStories    bool  `json:"can_delete_stories"`
	CanPostMessages     *bool `json:"can_post_messages,omitempty"`
	CanEditMessages     *bool `json:"can_edit_messages,omitempty"`
	CanPinMessages      *bool `json:"can_pin_messages,omitempty"`
	CanManageTopics     *bool `json:"can_manage_topics,omitempty"`
}

// ChatMemberUpdated describes a change of a member's status
// (my_chat_member, chat_member updates).
type ChatMemberUpdated struct {
	Chat          Chat       `json:"chat"`
	From          User       `json:"from"`
	Date          int64      `json:"date"`
	OldChatMember ChatMember `json:"old_chat_member"`
	NewChatMember ChatMember `json:"new_chat_member"`
}

// Update is an incoming update; exactly one of the optional fields is set.
type Update struct {
	UpdateID          int64              `json:"update_id"`
	Message           *Message           `json:"message,omitempty"`
	EditedMessage     *Message           `json:"edited_message,omitempty"`
	ChannelPost       *Message           `json:"channel_post,omitempty"`
	EditedChannelPost *Message           `json:"edited_channel_post,omitempty"`
	MyChatMember      *ChatMemberUpdated `json:"my_chat_member,omitempty"`
	CallbackQuery     *CallbackQuery     `json:"callback_query,omitempty"`
}

// Kind returns the update's type name as used in allowed_updates.
func (u *Update) Kind() string {
	switch {
	case u.Message != nil:
		return "message"
	case u.EditedMessage != nil:
		return "edited_message"
	case u.ChannelPost != nil:
		return "channel_post"
	case u.EditedChannelPost != nil:
		return "edited_channel_post"
	case u.MyChatMember != nil:
		return "my_chat_member"
	case u.CallbackQuery != nil:
		return "callback_query"
	}
	return ""
}

// WebhookInfo is the result of getWebhookInfo.
type WebhookInfo struct {
	URL                  string   `json:"url"`
	HasCustomCertificate bool     `json:"has_custom_certificate"`
	PendingUpdateCount   int      `json:"pending_update_count"`
	IPAddress            string   `json:"ip_address,omitempty"`
	LastErrorDate        int64    `json:"last_error_date,omitempty"`
	LastErrorMessage     string   `json:"last_error_message,omitempty"`
	MaxConnections       int      `json:"max_connections,omitempty"`
	AllowedUpdates       []string `json:"allowed_updates,omitempty"`
}

// File is the result of getFile.
type File struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int64  `json:"file_size,omitempty"`
	FilePath     string `json:"file_path,omitempty"`
}

// ResponseParameters are the optional parameters of an error answer.
type ResponseParameters struct {
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	RetryAfter      int   `json:"retry_after,omitempty"`
}

// Response is the envelope of every answer.
type Response struct {
	OK          bool                `json:"ok"`
	Result      json.RawMessage     `json:"result,omitempty"`
	ErrorCode   int                 `json:"error_code,omitempty"`
	Description string              `json:"description,omitempty"`
	Parameters  *ResponseParameters `json:"parameters,omitempty"`
}
