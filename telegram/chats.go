package telegram

import (
	"context"

	"github.com/gospubliki/gosdk/core"
)

// GetMe returns the bot's own User. It is a cheap way to check the token.
//
// Telegram API docs: https://core.telegram.org/bots/api#getme
func (c *Client) GetMe(ctx context.Context, opts ...core.CallOption) (*User, error) {
	return doCall[User](ctx, c, "getMe", nil, nil, callOpts{call: opts, idempotent: true})
}

// GetChatRequest is the input of GetChat.
type GetChatRequest struct {
	ChatID ChatID `json:"chat_id"`
}

// GetChat returns up-to-date information about a chat. The chat's type is
// remembered for pacing (see Limiter).
//
// Telegram API docs: https://core.telegram.org/bots/api#getchat
func (c *Client) GetChat(ctx context.Context, req *GetChatRequest, opts ...core.CallOption) (*ChatFullInfo, error) {
	const method = "getChat"
	if req == nil {
		return nil, invalid(method, "request", "nil")
	}
	if err := checkChat(method, req.ChatID); err != nil {
		return nil, err
	}
	ch, err := doCall[ChatFullInfo](ctx, c, method, req, nil, callOpts{call: opts, idempotent: true})
	if err != nil {
		return nil, err
	}
	c.learn(&ch.Chat)
	if req.ChatID.username != "" {
		c.kinds.put(req.ChatID.kindKey(), ch.Type)
	}
	return ch, nil
}

// GetChatAdministratorsRequest is the input of GetChatAdministrators.
type GetChatAdministratorsRequest struct {
	ChatID ChatID `json:"chat_id"`
}

// GetChatAdministrators returns the administrators of a chat (the owner
// included).
//
// Telegram API docs: https://core.telegram.org/bots/api#getchatadministrators
func (c *Client) GetChatAdministrators(ctx context.Context, req *GetChatAdministratorsRequest, opts ...core.CallOption) ([]ChatMember, error) {
	const method = "getChatAdministrators"
	if req == nil {
		return nil, invalid(method, "request", "nil")
	}
	if err := checkChat(method, req.ChatID); err != nil {
		return nil, err
	}
	return doJSON[[]ChatMember](ctx, c, method, req, nil, callOpts{call: opts, idempotent: true})
}

// GetChatMemberRequest is the input of GetChatMember.
type GetChatMemberRequest struct {
	ChatID ChatID `json:"chat_id"`
	UserID int64  `json:"user_id"`
}

// GetChatMember returns one member of a chat.
//
// Telegram API docs: https://core.telegram.org/bots/api#getchatmember
func (c *Client) GetChatMember(ctx context.Context, req *GetChatMemberRequest, opts ...core.CallOption) (*ChatMember, error) {
	const method = "getChatMember"
	if req == nil {
		return nil, invalid(method, "request", "nil")
	}
	if err := checkChat(method, req.ChatID); err != nil {
		return nil, err
	}
	if req.UserID <= 0 {
		return nil, invalid(method, "user_id", "must be positive")
	}
	return doCall[ChatMember](ctx, c, method, req, nil, callOpts{call: opts, idempotent: true})
}

// GetChatMemberCountRequest is the input of GetChatMemberCount.
type GetChatMemberCountRequest struct {
	ChatID ChatID `json:"chat_id"`
}

// GetChatMemberCount returns the number of members (subscribers of a
// channel).
//
// Telegram API docs: https://core.telegram.org/bots/api#getchatmembercount
func (c *Client) GetChatMemberCount(ctx context.Context, req *GetChatMemberCountRequest, opts ...core.CallOption) (int, error) {
	const method = "getChatMemberCount"
	if req == nil {
		return 0, invalid(method, "request", "nil")
	}
	if err := checkChat(method, req.ChatID); err != nil {
		return 0, err
	}
	return doJSON[int](ctx, c, method, req, nil, callOpts{call: opts, idempotent: true})
}
