package mock

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func (t *Tenant) vk() (*VK, error) {
	if t.VK == nil {
		return nil, fmt.Errorf("%w: vk", ErrPartyNotStarted)
	}
	return t.VK, nil
}

func (t *Tenant) ok() (*OK, error) {
	if t.OK == nil {
		return nil, fmt.Errorf("%w: ok", ErrPartyNotStarted)
	}
	return t.OK, nil
}

// notFound classifies an emulator's "no such …" error.
func notFound(err error) error {
	if err != nil && (strings.Contains(err.Error(), "no such") || strings.Contains(err.Error(), "no OK group")) {
		return fmt.Errorf("%w: %v", ErrActNotFound, err)
	}
	return err
}

// VKComment: a VK user comments a community's post; the community's
// callback servers and long poll receive wall_reply_new. The result is
// {"comment_id": …}.
type VKComment struct {
	GroupID int64  `json:"group_id"`
	PostID  int64  `json:"post_id"`
	UserID  int64  `json:"user_id"`
	Text    string `json:"text"`
}

// ActionName implements [Action].
func (VKComment) ActionName() (string, string) { return "vk", "comment" }

func (a VKComment) act(_ context.Context, t *Tenant) (any, error) {
	v, err := t.vk()
	if err != nil {
		return nil, err
	}
	if err := checkIDs("group_id", a.GroupID, "post_id", a.PostID, "user_id", a.UserID); err != nil {
		return nil, err
	}
	if err := checkText("text", a.Text, 4096); err != nil {
		return nil, err
	}
	id, err := v.PostComment(a.GroupID, a.PostID, a.UserID, a.Text)
	if err != nil {
		return nil, notFound(err)
	}
	return map[string]int64{"comment_id": id}, nil
}

// VKMessage: a VK user writes to a community; message_new reaches its
// callback servers and long poll, and the community may answer the user
// with messages.send from then on. The result is {"message_id": …}.
type VKMessage struct {
	GroupID int64  `json:"group_id"`
	UserID  int64  `json:"user_id"`
	Text    string `json:"text"`
}

// ActionName implements [Action].
func (VKMessage) ActionName() (string, string) { return "vk", "message" }

func (a VKMessage) act(_ context.Context, t *Tenant) (any, error) {
	v, err := t.vk()
	if err != nil {
		return nil, err
	}
	if err := checkIDs("group_id", a.GroupID, "user_id", a.UserID); err != nil {
		return nil, err
	}
	if err := checkText("text", a.Text, 4096); err != nil {
		return nil, err
	}
	id, err := v.WriteToCommunity(a.GroupID, a.UserID, a.Text)
	if err != nil {
		return nil, notFound(err)
	}
	return map[string]int64{"message_id": id}, nil
}

// JoinResult is the result of [VKJoin] and [OKJoin].
type JoinResult struct {
	GroupID     int64 `json:"group_id"`
	UserID      int64 `json:"user_id"`
	MemberCount int   `json:"member_count"`
}

// VKJoin: a VK user joins a community: its member count grows by one
// (groups.getById members_count, groups.getMembers) and group_join is
// raised. A person of the world with that VK account becomes a member.
// The result is a [JoinResult].
type VKJoin struct {
	GroupID int64 `json:"group_id"`
	UserID  int64 `json:"user_id"`
}

// ActionName implements [Action].
func (VKJoin) ActionName() (string, string) { return "vk", "join" }

func (a VKJoin) act(_ context.Context, t *Tenant) (any, error) {
	v, err := t.vk()
	if err != nil {
		return nil, err
	}
	if err := checkIDs("group_id", a.GroupID, "user_id", a.UserID); err != nil {
		return nil, err
	}
	n, err := v.JoinCommunity(a.GroupID, a.UserID)
	if err != nil {
		return nil, err
	}
	return JoinResult{GroupID: a.GroupID, UserID: a.UserID, MemberCount: n}, nil
}

// OKJoin: an OK user joins a group: its member count grows by one
// (group.getCounters, group.getMembers). A person of the world with that
// OK account becomes a member. The result is a [JoinResult].
type OKJoin struct {
	GroupID int64 `json:"group_id"`
	UserID  int64 `json:"user_id"`
}

// ActionName implements [Action].
func (OKJoin) ActionName() (string, string) { return "ok", "join" }

func (a OKJoin) act(_ context.Context, t *Tenant) (any, error) {
	if _, err := t.ok(); err != nil {
		return nil, err
	}
	if err := checkIDs("group_id", a.GroupID, "user_id", a.UserID); err != nil {
		return nil, err
	}
	n, err := joinPage(t.World, world.NetworkOK, a.GroupID, a.UserID)
	if err != nil {
		return nil, err
	}
	return JoinResult{GroupID: a.GroupID, UserID: a.UserID, MemberCount: n}, nil
}

// OKComment: an OK user comments a published group topic; the group's
// administrators read it through discussions.getList and
// discussions.getComments. The result is the [okmock.Comment].
type OKComment struct {
	TopicID string `json:"topic_id"`
	UserID  int64  `json:"user_id"`
	// Name is the user's display name (optional).
	Name string `json:"name,omitempty"`
	Text string `json:"text"`
}

// ActionName implements [Action].
func (OKComment) ActionName() (string, string) { return "ok", "comment" }

func (a OKComment) act(_ context.Context, t *Tenant) (any, error) {
	o, err := t.ok()
	if err != nil {
		return nil, err
	}
	if err := checkIDs("user_id", a.UserID); err != nil {
		return nil, err
	}
	if err := checkText("text", a.Text, 4096); err != nil {
		return nil, err
	}
	if a.TopicID == "" || len(a.TopicID) > 64 {
		return nil, badAction("topic_id must be a topic id")
	}
	c, err := o.CommentTopic(a.TopicID, a.UserID, a.Name, a.Text)
	if errors.Is(err, world.ErrNotFound) {
		return nil, fmt.Errorf("%w: %v", ErrActNotFound, err)
	}
	return c, err
}

// joinPage adds a user to a page's members: a person of the world with
// that network account joins Members; anyone else raises MemberCount.
func joinPage(w *world.World, network string, pageID, userID int64) (int, error) {
	per, perr := w.PersonByAccount(network, userID)
	count := func(p world.Page) int {
		if p.MemberCount > 0 {
			return p.MemberCount
		}
		return len(p.Admins) + len(p.Members)
	}
	n := 0
	err := w.ModifyPage(network, pageID, func(p *world.Page) error {
		if perr == nil {
			if p.RoleOf(per.OID) != "" || slices.Contains(p.Members, per.OID) {
				return badAction("user %d is already in %s group %d", userID, network, pageID)
			}
			p.Members = append(p.Members, per.OID)
			if p.MemberCount > 0 {
				p.MemberCount++
			}
		} else {
			p.MemberCount = count(*p) + 1
		}
		n = count(*p)
		return nil
	})
	return n, err
}

// TwoFactorResult is the result of [VKTwoFactor] and [OKTwoFactor].
type TwoFactorResult struct {
	UserID    int64 `json:"user_id"`
	TwoFactor bool  `json:"two_factor"`
}

// VKTwoFactor: a VK user (an administrator of a community, typically)
// turns «Двойная защита» on or off; the requirement checks of the
// «Госорганизация» mark and the methods needing 2FA see the change. The
// user must be a person of the world. The result is a [TwoFactorResult].
type VKTwoFactor struct {
	UserID int64 `json:"user_id"`
	// Enabled is required: true turns 2FA on, false off.
	Enabled *bool `json:"enabled"`
}

// ActionName implements [Action].
func (VKTwoFactor) ActionName() (string, string) { return "vk", "two_factor" }

func (a VKTwoFactor) act(_ context.Context, t *Tenant) (any, error) {
	if _, err := t.vk(); err != nil {
		return nil, err
	}
	return setTwoFactor(t.World, world.NetworkVK, a.UserID, a.Enabled)
}

// OKTwoFactor is [VKTwoFactor] for an OK account.
type OKTwoFactor struct {
	UserID  int64 `json:"user_id"`
	Enabled *bool `json:"enabled"`
}

// ActionName implements [Action].
func (OKTwoFactor) ActionName() (string, string) { return "ok", "two_factor" }

func (a OKTwoFactor) act(_ context.Context, t *Tenant) (any, error) {
	if _, err := t.ok(); err != nil {
		return nil, err
	}
	return setTwoFactor(t.World, world.NetworkOK, a.UserID, a.Enabled)
}

func setTwoFactor(w *world.World, network string, userID int64, enabled *bool) (any, error) {
	if err := checkIDs("user_id", userID); err != nil {
		return nil, err
	}
	if enabled == nil {
		return nil, badAction("enabled is required (true or false)")
	}
	per, err := w.PersonByAccount(network, userID)
	if err != nil {
		return nil, fmt.Errorf("%w: no person of the world has %s account %d", ErrActNotFound, network, userID)
	}
	accounts := make(map[string]world.Account, len(per.Accounts))
	for k, v := range per.Accounts {
		accounts[k] = v
	}
	acc := accounts[network]
	acc.TwoFactor = *enabled
	accounts[network] = acc
	per.Accounts = accounts
	if err := w.UpdatePerson(per); err != nil {
		return nil, err
	}
	return TwoFactorResult{UserID: userID, TwoFactor: *enabled}, nil
}

// VKMenu: a community administrator replaces the community's menu (the
// links groups.getById fields=menu shows); anyone else is refused with
// [vkmock.ErrNotAdmin]. The result is {"items": [...]}.
type VKMenu struct {
	GroupID int64             `json:"group_id"`
	UserID  int64             `json:"user_id"`
	Items   []vkmock.MenuItem `json:"items"`
}

// ActionName implements [Action].
func (VKMenu) ActionName() (string, string) { return "vk", "menu" }

func (a VKMenu) act(_ context.Context, t *Tenant) (any, error) {
	v, err := t.vk()
	if err != nil {
		return nil, err
	}
	if err := checkIDs("group_id", a.GroupID, "user_id", a.UserID); err != nil {
		return nil, err
	}
	if err := v.SetMenu(a.GroupID, a.UserID, a.Items); err != nil {
		return nil, err
	}
	return map[string]any{"items": v.Menu(a.GroupID)}, nil
}

// maxVKDescription is the longest community description VK accepts.
const maxVKDescription = 4000

// VKDescription: a community administrator (creator or administrator)
// replaces the community's description. The result is {"group_id",
// "description"}.
type VKDescription struct {
	GroupID int64  `json:"group_id"`
	UserID  int64  `json:"user_id"`
	Text    string `json:"text"`
}

// ActionName implements [Action].
func (VKDescription) ActionName() (string, string) { return "vk", "description" }

func (a VKDescription) act(_ context.Context, t *Tenant) (any, error) {
	if _, err := t.vk(); err != nil {
		return nil, err
	}
	if err := checkIDs("group_id", a.GroupID, "user_id", a.UserID); err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(a.Text) > maxVKDescription {
		return nil, badAction("text is longer than %d characters", maxVKDescription)
	}
	p, err := t.World.Page(world.NetworkVK, a.GroupID)
	if err != nil {
		return nil, err
	}
	per, err := t.World.PersonByAccount(world.NetworkVK, a.UserID)
	if r := p.RoleOf(per.OID); err != nil || (r != world.RoleCreator && r != world.RoleAdministrator) {
		return nil, fmt.Errorf("%w: %v", ErrActForbidden, vkmock.ErrNotAdmin)
	}
	err = t.World.ModifyPage(world.NetworkVK, a.GroupID, func(p *world.Page) error {
		p.Description = a.Text
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"group_id": a.GroupID, "description": a.Text}, nil
}

// OKDescription: the group's administrator (ADMIN) replaces the group's
// description, where OK groups show the POS links; anyone else is refused
// with [okmock.ErrNotAdmin]. The result is {"group_id", "description"}.
type OKDescription struct {
	GroupID int64  `json:"group_id"`
	UserID  int64  `json:"user_id"`
	Text    string `json:"text"`
}

// ActionName implements [Action].
func (OKDescription) ActionName() (string, string) { return "ok", "description" }

func (a OKDescription) act(_ context.Context, t *Tenant) (any, error) {
	o, err := t.ok()
	if err != nil {
		return nil, err
	}
	if err := checkIDs("group_id", a.GroupID, "user_id", a.UserID); err != nil {
		return nil, err
	}
	if err := o.SetDescription(a.GroupID, a.UserID, a.Text); err != nil {
		return nil, notFound(err)
	}
	return map[string]any{"group_id": a.GroupID, "description": a.Text}, nil
}
