package tgmock

import (
	"encoding/json"
	"strings"

	"github.com/gospubliki/gosdk/mock/world"
)

// methodTable maps lower-case method names to handlers.
func (s *Server) methodTable() map[string]handler {
	return map[string]handler{
		"getme":                  (*call).getMe,
		"logout":                 (*call).trivialTrue,
		"close":                  (*call).trivialTrue,
		"getchat":                (*call).getChat,
		"getchatadministrators":  (*call).getChatAdministrators,
		"getchatmember":          (*call).getChatMember,
		"getchatmembercount":     (*call).getChatMemberCount,
		"sendchataction":         (*call).sendChatAction,
		"sendmessage":            (*call).sendMessage,
		"sendphoto":              func(c *call) (any, *apiError) { return c.sendMedia(kindPhoto) },
		"sendvideo":              func(c *call) (any, *apiError) { return c.sendMedia(kindVideo) },
		"senddocument":           func(c *call) (any, *apiError) { return c.sendMedia(kindDocument) },
		"sendaudio":              func(c *call) (any, *apiError) { return c.sendMedia(kindAudio) },
		"sendmediagroup":         (*call).sendMediaGroup,
		"sendpoll":               (*call).sendPoll,
		"forwardmessage":         func(c *call) (any, *apiError) { return c.forwardOrCopy(false) },
		"copymessage":            func(c *call) (any, *apiError) { return c.forwardOrCopy(true) },
		"editmessagetext":        (*call).editMessageText,
		"editmessagecaption":     (*call).editMessageCaption,
		"editmessagereplymarkup": (*call).editMessageReplyMarkup,
		"answercallbackquery":    (*call).trivialTrue,
		"setmycommands":          (*call).setMyCommands,
		"deletemycommands":       (*call).deleteMyCommands,
		"getmycommands":          (*call).getMyCommands,
		"deletemessage":          (*call).deleteMessage,
		"deletemessages":         (*call).deleteMessages,
		"pinchatmessage":         (*call).pinChatMessage,
		"unpinchatmessage":       (*call).unpinChatMessage,
		"unpinallchatmessages":   (*call).unpinAllChatMessages,
		"setwebhook":             (*call).setWebhook,
		"deletewebhook":          (*call).deleteWebhook,
		"getwebhookinfo":         (*call).getWebhookInfo,
		"getupdates":             (*call).getUpdates,
		"getfile":                (*call).getFile,
	}
}

func (c *call) trivialTrue() (any, *apiError) { return true, nil }

// BotCommand is one command of a bot's menu.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

func (c *call) setMyCommands() (any, *apiError) {
	var cmds []BotCommand
	if err := json.Unmarshal([]byte(c.p.str("commands")), &cmds); err != nil {
		return nil, errBadRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, errBadRequest("too many commands specified")
	}
	for _, cm := range cmds {
		if cm.Command == "" || len(cm.Command) > 32 || strings.ToLower(cm.Command) != cm.Command {
			return nil, errBadRequest("BOT_COMMAND_INVALID")
		}
		if cm.Description == "" || utf16Len(cm.Description) > 256 {
			return nil, errBadRequest("command description must be 1-256 characters")
		}
	}
	c.bot.mu.Lock()
	c.bot.commands = cmds
	c.bot.mu.Unlock()
	return true, nil
}

func (c *call) deleteMyCommands() (any, *apiError) {
	c.bot.mu.Lock()
	c.bot.commands = nil
	c.bot.mu.Unlock()
	return true, nil
}

func (c *call) getMyCommands() (any, *apiError) {
	c.bot.mu.Lock()
	defer c.bot.mu.Unlock()
	return append([]BotCommand{}, c.bot.commands...), nil
}

func (c *call) getMe() (any, *apiError) {
	wb := c.meta.wb
	return BotUser{User: c.meta.user, CanJoinGroups: wb.CanJoinGroups,
		CanReadAllGroupMessages: wb.CanReadAllGroupMessages, SupportsInlineQueries: wb.SupportsInlineQueries}, nil
}

func notMember(kind string) *apiError {
	return &apiError{403, "Forbidden: bot is not a member of the " + kind + " chat", nil}
}

// target resolves the chat_id parameter. Upgraded groups answer with
// migrate_to_chat_id; member=true requires the bot to be in the chat.
func (c *call) target(member bool) (*chat, *chatMeta, *apiError) {
	ch, aerr := c.env.resolveChat(c.bot, c.p.str("chat_id"))
	if aerr != nil {
		return nil, nil, aerr
	}
	m := ch.meta.Load()
	if m.migratedTo != 0 {
		return nil, nil, &apiError{400, "Bad Request: group chat was upgraded to a supergroup chat", &ResponseParameters{MigrateToChatID: m.migratedTo}}
	}
	if aerr := kickedAnswer(ch, m, c.meta.wb.ID, member); aerr != nil {
		return nil, nil, aerr
	}
	if member && m.kind != "private" && !m.hasBot(c.meta.wb.ID) {
		return nil, nil, notMember(m.kind)
	}
	if member && m.kind == "private" {
		if aerr := c.bot.privateAnswer(ch.id, false); aerr != nil {
			return nil, nil, aerr
		}
	}
	return ch, m, nil
}

// sendTarget resolves a chat the bot may post in.
func (c *call) sendTarget() (*chat, *chatMeta, *apiError) {
	ch, m, aerr := c.target(true)
	if aerr != nil {
		return nil, nil, aerr
	}
	if m.kind == "channel" {
		if r, ok := m.botRights(c.meta.wb.ID); !ok || !r.CanPostMessages {
			return nil, nil, errBadRequest("need administrator rights in the channel chat")
		}
	}
	if m.kind == "private" {
		if aerr := c.bot.privateAnswer(ch.id, true); aerr != nil {
			return nil, nil, aerr
		}
	}
	return ch, m, nil
}

func (c *call) getChat() (any, *apiError) {
	ch, m, aerr := c.target(false)
	if aerr != nil {
		return nil, aerr
	}
	if m.kind != "private" && !m.hasBot(c.meta.wb.ID) && m.username == "" {
		return nil, errChatNotFound
	}
	info := ChatFullInfo{Chat: ch.short(), AccentColorID: int(uint64(ch.id) % 7), MaxReactionCount: 11,
		Description: m.description, HasVisibleHistory: m.kind == "supergroup"}
	if m.kind == "private" {
		info.Description = ""
	}
	if m.photoURL != "" {
		small, big := c.chatPhoto(ch)
		info.Photo = &ChatPhoto{SmallFileID: small.id, SmallFileUniqueID: small.uniqueID, BigFileID: big.id, BigFileUniqueID: big.uniqueID}
	}
	ch.mu.Lock()
	if n := len(ch.pinned); n > 0 {
		if sm := ch.msgs[ch.pinned[n-1]]; sm != nil {
			pm := sm.msg
			info.PinnedMessage = &pm
		}
	}
	ch.mu.Unlock()
	return info, nil
}

// chatPhoto returns the chat's photo files, small (160×160) and big
// (640×640): distinct file ids and unique ids, JPEG bytes that getFile and
// the file URL serve. They are created on first use and again if the file
// store has forgotten them.
func (c *call) chatPhoto(ch *chat) (small, big *storedFile) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	fs := &c.env.files
	if ch.photo[0] == nil || fs.get(ch.photo[0].id) == nil || fs.get(ch.photo[1].id) == nil {
		s, b := chatPhotoJPEGs()
		ch.photo[0] = fs.add(c.env.test, kindPhoto, "", "image/jpeg", s)
		ch.photo[1] = fs.add(c.env.test, kindPhoto, "", "image/jpeg", b)
	}
	return ch.photo[0], ch.photo[1]
}

func boolPtr(b bool) *bool { return &b }

// member renders a ChatMember.
func member(kind string, a adminInfo) ChatMember {
	if a.role == world.RoleCreator {
		return ChatMember{Status: "creator", User: a.user, IsAnonymous: boolPtr(false), CustomTitle: a.customTitle}
	}
	r := a.rights
	mr := &MemberRights{CanManageChat: r.CanManageChat, CanDeleteMessages: r.CanDeleteMessages,
		CanManageVideoChats: r.CanManageVideoChats, CanRestrictMembers: r.CanRestrictMembers,
		CanPromoteMembers: r.CanPromoteMembers, CanChangeInfo: r.CanChangeInfo, CanInviteUsers: r.CanInviteUsers}
	if kind == "channel" {
		mr.CanPostMessages, mr.CanEditMessages = boolPtr(r.CanPostMessages), boolPtr(r.CanEditMessages)
	} else {
		mr.CanPinMessages = boolPtr(r.CanPinMessages)
		if kind == "supergroup" {
			mr.CanManageTopics = boolPtr(false)
		}
	}
	return ChatMember{Status: "administrator", User: a.user, IsAnonymous: boolPtr(false), CustomTitle: a.customTitle, MemberRights: mr}
}

func (c *call) getChatAdministrators() (any, *apiError) {
	ch, m, aerr := c.target(true)
	if aerr != nil {
		return nil, aerr
	}
	if m.kind == "private" {
		return nil, errBadRequest("there are no administrators in the private chat")
	}
	_ = ch
	out := make([]ChatMember, 0, len(m.admins))
	for _, a := range m.admins {
		out = append(out, member(m.kind, a))
	}
	return out, nil
}

func (c *call) getChatMember() (any, *apiError) {
	ch, m, aerr := c.target(true)
	if aerr != nil {
		return nil, aerr
	}
	uid, ok := c.p.int64("user_id")
	if !ok || uid <= 0 {
		return nil, errBadRequest("invalid user_id specified")
	}
	for _, a := range m.admins {
		if a.user.ID == uid {
			return member(m.kind, a), nil
		}
	}
	var u User
	if b := c.env.botByID(uid); b != nil {
		u = b.meta.Load().user
	} else {
		u = c.env.userByID(uid)
	}
	if m.kind == "private" && ch.id == uid || m.userMember[uid] || m.botMember[uid] {
		return ChatMember{Status: "member", User: u}, nil
	}
	return ChatMember{Status: "left", User: u}, nil
}

func (c *call) getChatMemberCount() (any, *apiError) {
	_, m, aerr := c.target(false)
	if aerr != nil {
		return nil, aerr
	}
	if m.kind != "private" && !m.hasBot(c.meta.wb.ID) && m.username == "" {
		return nil, errChatNotFound
	}
	if m.kind == "private" {
		return 2, nil
	}
	if m.memberCount > 0 {
		return m.memberCount, nil
	}
	return len(m.userMember) + len(m.botAdmin) + len(m.botMember), nil
}

func (c *call) sendChatAction() (any, *apiError) {
	if c.p.str("action") == "" {
		return nil, errBadRequest("action is empty")
	}
	if _, _, aerr := c.sendTarget(); aerr != nil {
		return nil, aerr
	}
	return true, nil
}
