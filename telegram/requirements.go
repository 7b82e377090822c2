package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gospubliki/gosdk/social"
)

// Codes of the requirements CheckChannel reports, in order. They are
// stable; the human-readable names are in Requirement.Name.
const (
	// ReqIsChannel: the chat is a channel (getChat type).
	ReqIsChannel social.RequirementCode = "is_channel"
	// ReqPublicUsername: the channel has a public @username.
	ReqPublicUsername social.RequirementCode = "public_username"
	// ReqTitle: the channel has a title.
	ReqTitle social.RequirementCode = "title"
	// ReqDescription: the channel has a description (the code every
	// network shares).
	ReqDescription = social.ReqDescription
	// ReqPhoto: the channel has a photo (the code every network shares).
	ReqPhoto = social.ReqPhoto
	// ReqBotIsAdmin: the bot is the owner or an administrator.
	ReqBotIsAdmin social.RequirementCode = "bot_is_admin"
	// ReqBotCanPost: the bot may post (owner, or can_post_messages).
	ReqBotCanPost social.RequirementCode = "bot_can_post"
)

// Descriptions of getChatMember answers that mean the bot is not in the
// chat (besides the 403 "bot is not a member").
var notMemberDescriptions = []string{
	"Bad Request: member not found",
	"Bad Request: user not found",
}

// CheckChannel checks the requirements an official channel must meet for
// the bot to run it: the chat is a channel with a public username, a title,
// a description and a photo, the bot is an administrator with
// can_post_messages (the owner has every right), and the administrators
// use two-step verification. It calls getChat, getMe and getChatMember.
//
// Each requirement is met, not met, or unverifiable: what the Bot API
// cannot show is reported as social.RequirementUnverifiable with the
// reason, never guessed. The administrators' two-step verification is
// always unverifiable, so the report of a good channel is not AllMet: check
// NotMet for what must be fixed and Unverifiable for what a person has to
// confirm. When getChatMember answers with an error that does not say the
// bot is absent, the bot's rights are unverifiable.
//
// An error means the checklist could not be made at all (the chat does
// not exist or the bot cannot see it, the token is wrong, ...); unmet
// requirements are reported in the list, not as an error.
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
	member, memberErr := c.GetChatMember(ctx, &GetChatMemberRequest{ChatID: chat, UserID: me.ID})
	if memberErr != nil {
		var te *Error
		switch {
		case !errors.As(memberErr, &te) || errors.Is(memberErr, ErrChatNotFound):
			return nil, memberErr
		case te.Code == 403 || te.Code == 400 && hasAnyPrefix(te.Description, notMemberDescriptions):
			// Telegram says the bot is not in the chat.
			member, memberErr = &ChatMember{Status: MemberLeft, User: *me}, nil
		case te.Code != 400:
			return nil, memberErr
		}
		// Any other 400: the answer does not say what the bot may do.
	}
	req := func(code social.RequirementCode, name string, met bool, ok, missing string) social.Requirement {
		r := social.Requirement{Code: code, Name: name, Status: social.RequirementMet, Detail: ok}
		if !met {
			r.Status, r.Detail = social.RequirementNotMet, missing
		}
		return r
	}
	rs := social.Requirements{
		req(ReqIsChannel, "chat is a channel", info.Type == ChatTypeChannel, "channel",
			fmt.Sprintf("chat type is %q, not a channel", info.Type)),
		req(ReqPublicUsername, "public username", info.Username != "", "@"+info.Username, "the channel has no public username"),
		req(ReqTitle, "title", info.Title != "", info.Title, "the channel has no title"),
		req(ReqDescription, "description", info.Description != "", "present", "the channel has no description"),
		req(ReqPhoto, "photo", info.Photo != nil, "present", "the channel has no photo"),
	}
	if memberErr != nil {
		detail := "getChatMember did not show the bot's status: " + memberErr.Error()
		rs = append(rs,
			social.Requirement{Code: ReqBotIsAdmin, Name: "bot is administrator", Status: social.RequirementUnverifiable, Detail: detail},
			social.Requirement{Code: ReqBotCanPost, Name: "bot can post messages", Status: social.RequirementUnverifiable, Detail: detail})
	} else {
		rs = append(rs,
			req(ReqBotIsAdmin, "bot is administrator", member.IsAdministrator(), "status "+member.Status,
				fmt.Sprintf("the bot @%s is not an administrator (status %q)", me.Username, member.Status)),
			req(ReqBotCanPost, "bot can post messages", member.CanPost(), "can_post_messages",
				"the bot lacks the right to post messages (can_post_messages)"))
	}
	return rs, nil
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
