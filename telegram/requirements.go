package telegram

import (
	"context"
	"errors"
	"fmt"

	"github.com/gospubliki/gosdk/social"
)

// Names of the requirements CheckChannel reports, in order.
const (
	ReqIsChannel      = "chat is a channel"
	ReqPublicUsername = "public username"
	ReqTitle          = "title"
	ReqDescription    = "description"
	ReqPhoto          = "photo"
	ReqBotIsAdmin     = "bot is administrator"
	ReqBotCanPost     = "bot can post messages"
)

// CheckChannel checks the requirements an official channel must meet for
// the bot to run it: the chat is a channel with a public username, a title,
// a description and a photo, and the bot is an administrator with
// can_post_messages (the owner has every right). It calls getChat, getMe and
// getChatMember. An error means a requirement could not be checked (the
// chat does not exist, the token is wrong, ...); unmet requirements are
// reported in the list, not as an error.
func (c *Client) CheckChannel(ctx context.Context, chat ChatID) (social.Requirements, error) {
	if err := checkChat("checkChannel", chat); err != nil {
		return nil, err
	}
	info, err := c.GetChat(ctx, &GetChatRequest{ChatID: chat})
	if err != nil {
		return nil, err
	}
	me, err := c.GetMe(ctx)
	if err != nil {
		return nil, err
	}
	member, err := c.GetChatMember(ctx, &GetChatMemberRequest{ChatID: chat, UserID: me.ID})
	if err != nil {
		// A bot that is not in a channel is reported as such, not as an
		// error: Telegram answers 400 "member not found" or 403.
		var te *Error
		if !errors.As(err, &te) || (te.Code != 400 && te.Code != 403) || errors.Is(err, ErrChatNotFound) {
			return nil, err
		}
		member = &ChatMember{Status: MemberLeft, User: *me}
	}
	req := func(name string, met bool, ok, missing string) social.Requirement {
		r := social.Requirement{Name: name, Met: met, Detail: ok}
		if !met {
			r.Detail = missing
		}
		return r
	}
	rs := social.Requirements{
		req(ReqIsChannel, info.Type == ChatTypeChannel, "channel",
			fmt.Sprintf("chat type is %q, not a channel", info.Type)),
		req(ReqPublicUsername, info.Username != "", "@"+info.Username, "the channel has no public username"),
		req(ReqTitle, info.Title != "", info.Title, "the channel has no title"),
		req(ReqDescription, info.Description != "", "present", "the channel has no description"),
		req(ReqPhoto, info.Photo != nil, "present", "the channel has no photo"),
		req(ReqBotIsAdmin, member.IsAdministrator(), "status "+member.Status,
			fmt.Sprintf("the bot @%s is not an administrator (status %q)", me.Username, member.Status)),
		req(ReqBotCanPost, member.CanPost(), "can_post_messages",
			"the bot lacks the right to post messages (can_post_messages)"),
	}
	return rs, nil
}
