package gospubliki

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gospubliki/gosdk/core"
)

// ResendInvitation sends an invited user a new invitation e-mail (the
// previous link stops working; LKO administrator).
func (c *Client) ResendInvitation(ctx context.Context, id int64, opts ...core.CallOption) (*User, error) {
	var u User
	return &u, c.do(ctx, "resendInvitation", http.MethodPost, "/users/"+strconv.FormatInt(id, 10)+"/resend-invitation", nil, &u, opts)
}

// UnblockUser lets a blocked user in again (LKO administrator): confirmed
// when they have a password or an ESIA binding, otherwise invited again.
func (c *Client) UnblockUser(ctx context.Context, id int64, opts ...core.CallOption) (*User, error) {
	var u User
	return &u, c.do(ctx, "unblockUser", http.MethodPost, "/users/"+strconv.FormatInt(id, 10)+"/unblock", nil, &u, opts)
}

// SubordinateCabinets returns the cabinets an editorial cabinet oversees
// (its subordinate organisations'); empty for other cabinets.
func (c *Client) SubordinateCabinets(ctx context.Context, opts ...core.CallOption) ([]Cabinet, error) {
	var l struct {
		Items []Cabinet `json:"items"`
	}
	return l.Items, c.do(ctx, "listSubordinateCabinets", http.MethodGet, "/cabinet/subordinates", nil, &l, opts)
}

// Notification event types.
const (
	EventPostSubmitted   = "post.submitted"
	EventPostReturned    = "post.returned"
	EventPostApproved    = "post.approved"
	EventUserInvited     = "user.invited"
	EventTemplateCreated = "template.created"
)

// NotificationSettings are the caller's notification settings.
type NotificationSettings struct {
	UserID int64 `json:"user_id,omitempty"`
	// Email sends notifications to the user's e-mail.
	Email bool `json:"email"`
	// TelegramChatID, when not 0, sends them to that Telegram chat.
	TelegramChatID int64 `json:"telegram_chat_id,omitempty"`
	// Events are the event types notified (the Event* constants).
	Events []string `json:"events"`
}

// NotificationSettings returns the caller's notification settings (by
// default e-mails of every event type).
func (c *Client) NotificationSettings(ctx context.Context, opts ...core.CallOption) (*NotificationSettings, error) {
	var n NotificationSettings
	return &n, c.do(ctx, "getNotifications", http.MethodGet, "/me/notifications", nil, &n, opts)
}

// SetNotificationSettings replaces the caller's notification settings
// (UserID is ignored).
func (c *Client) SetNotificationSettings(ctx context.Context, n NotificationSettings, opts ...core.CallOption) (*NotificationSettings, error) {
	var out NotificationSettings
	n.UserID = 0
	if n.Events == nil {
		n.Events = []string{}
	}
	return &out, c.do(ctx, "putNotifications", http.MethodPut, "/me/notifications", n, &out, opts)
}
