package tgmock_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func TestSendMessageTextLimitsCountUTF16(t *testing.T) {
	e := newEnv(t)
	send := func(text string) result {
		return e.call("sendMessage", map[string]any{"chat_id": channelID, "text": text})
	}
	require.True(t, send(strings.Repeat("a", 4096)).resp.OK)
	requireError(t, send(strings.Repeat("a", 4097)), 400, "Bad Request: message is too long")
	require.True(t, send(strings.Repeat("я", 4096)).resp.OK, "Cyrillic is one unit per letter")
	require.True(t, send(strings.Repeat("😀", 2048)).resp.OK, "an emoji is two UTF-16 units")
	requireError(t, send(strings.Repeat("😀", 2049)), 400, "Bad Request: message is too long")
	// The limit applies after entity parsing.
	r := e.call("sendMessage", map[string]any{"chat_id": channelID, "parse_mode": "HTML", "text": "<b>" + strings.Repeat("a", 4096) + "</b>"})
	require.True(t, r.resp.OK, string(r.body))
	requireError(t, send(""), 400, "Bad Request: message text is empty")
	requireError(t, send("   "), 400, "Bad Request: message text is empty")
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": channelID}), 400, "Bad Request: message text is empty")
	requireError(t, e.call("sendMessage", map[string]any{"text": "x"}), 400, "Bad Request: chat_id is empty")
}

func TestParseModes(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		mode, in, text string
		ents           []tgmock.MessageEntity
	}{
		{"HTML", `<b>bold</b> &amp; <a href="https://gosuslugi.ru">link</a>`, "bold & link",
			[]tgmock.MessageEntity{{Type: "bold", Length: 4}, {Type: "text_link", Offset: 7, Length: 4, URL: "https://gosuslugi.ru"}}},
		{"HTML", `😀<i>x</i>`, "😀x", []tgmock.MessageEntity{{Type: "italic", Offset: 2, Length: 1}}},
		{"MarkdownV2", `*bold* _it_ __u__ ~s~ ||sp|| \. [l](https://x.ru)`, "bold it u s sp . l",
			[]tgmock.MessageEntity{{Type: "bold", Length: 4}, {Type: "italic", Offset: 5, Length: 2}, {Type: "underline", Offset: 8, Length: 1},
				{Type: "strikethrough", Offset: 10, Length: 1}, {Type: "spoiler", Offset: 12, Length: 2}, {Type: "text_link", Offset: 17, Length: 1, URL: "https://x.ru"}}},
		{"MarkdownV2", "```go\nx := 1\n```", "x := 1\n", []tgmock.MessageEntity{{Type: "pre", Length: 7, Language: "go"}}},
		{"Markdown", "*b* _i_ `c`", "b i c", []tgmock.MessageEntity{{Type: "bold", Length: 1}, {Type: "italic", Offset: 2, Length: 1}, {Type: "code", Offset: 4, Length: 1}}},
	}
	for _, c := range cases {
		r := e.call("sendMessage", map[string]any{"chat_id": channelID, "text": c.in, "parse_mode": c.mode})
		var m tgmock.Message
		r.decode(t, &m)
		assert.Equal(t, c.text, m.Text, c.in)
		assert.Equal(t, c.ents, m.Entities, c.in)
	}
	errs := map[string]string{
		"Hello.": `Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\'`,
		"*open":  "Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 0",
		"a _b":   "Bad Request: can't parse entities: Can't find end of Italic entity at byte offset 2",
	}
	for in, desc := range errs {
		requireError(t, e.call("sendMessage", map[string]any{"chat_id": channelID, "text": in, "parse_mode": "MarkdownV2"}), 400, desc)
	}
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": channelID, "text": "<x>a</x>", "parse_mode": "HTML"}), 400,
		`Bad Request: can't parse entities: Unsupported start tag "x" at byte offset 0`)
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": channelID, "text": "<b>a", "parse_mode": "HTML"}), 400,
		`Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`)
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": channelID, "text": "a", "parse_mode": "BBCode"}), 400, "Bad Request: unsupported parse_mode")
	// Explicit entities win over parse_mode.
	r := e.call("sendMessage", map[string]any{"chat_id": channelID, "text": "*x*", "parse_mode": "MarkdownV2",
		"entities": []map[string]any{{"type": "bold", "offset": 0, "length": 3}}})
	var m tgmock.Message
	r.decode(t, &m)
	assert.Equal(t, "*x*", m.Text)
}

func TestChatResolutionAndRights(t *testing.T) {
	e := newEnv(t)
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": -100999, "text": "x"}), 400, "Bad Request: chat not found")
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": "@nobody", "text": "x"}), 400, "Bad Request: chat not found")
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": 42, "text": "x"}), 400, "Bad Request: chat not found")
	r := e.call("sendMessage", map[string]any{"chat_id": oldGroup, "text": "x"})
	requireError(t, r, 400, "Bad Request: group chat was upgraded to a supergroup chat")
	require.NotNil(t, r.resp.Parameters)
	assert.Equal(t, groupID, r.resp.Parameters.MigrateToChatID)

	// The bot is not in a new channel.
	require.NoError(t, e.w.AddPage(world.Page{Network: "telegram", ID: -1002000, Kind: world.PageChannel, Title: "Other", Username: "other"}))
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": -1002000, "text": "x"}), 403, "Forbidden: bot is not a member of the channel chat")
	// Public channels can be read without membership.
	var info tgmock.ChatFullInfo
	e.call("getChat", map[string]any{"chat_id": "@other"}).decode(t, &info)
	assert.Equal(t, "channel", info.Type)
	// Member without posting rights.
	require.NoError(t, e.srv.Section().ModifyChat(-1002000, func(c *tgmock.ChatSettings) error {
		c.Admins = append(c.Admins, tgmock.ChatAdmin{BotID: tgmock.DefaultBotID, Rights: tgmock.AdminRights{CanEditMessages: true}})
		return nil
	}))
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": -1002000, "text": "x"}), 400, "Bad Request: need administrator rights in the channel chat")
	// SetAdmin grants the right and notifies the bot.
	require.NoError(t, e.srv.SetAdmin(-1002000, tgmock.DefaultBotID, tgmock.AdminRights{CanPostMessages: true}))
	require.True(t, e.call("sendMessage", map[string]any{"chat_id": "@other", "text": "x"}).resp.OK)
	ups := e.srv.PendingUpdates(tgmock.DefaultBotID)
	require.Len(t, ups, 1)
	require.NotNil(t, ups[0].MyChatMember)
	assert.Equal(t, "administrator", ups[0].MyChatMember.NewChatMember.Status)
	assert.True(t, *ups[0].MyChatMember.NewChatMember.CanPostMessages)
	assert.False(t, *ups[0].MyChatMember.OldChatMember.CanPostMessages)
}

func TestChatInfoMethods(t *testing.T) {
	e := newEnv(t)
	var info tgmock.ChatFullInfo
	e.call("getChat", map[string]any{"chat_id": "@minsvyaz29"}).decode(t, &info)
	assert.Equal(t, channelID, info.ID)
	assert.Equal(t, "Минцифры Архангельской области", info.Title)
	assert.NotEmpty(t, info.Description)
	require.NotNil(t, info.Photo)

	var admins []tgmock.ChatMember
	e.call("getChatAdministrators", map[string]any{"chat_id": channelID}).decode(t, &admins)
	require.Len(t, admins, 3)
	assert.Equal(t, "creator", admins[0].Status)
	assert.Equal(t, chiefTG, admins[0].User.ID)
	assert.Nil(t, admins[0].MemberRights)
	assert.Equal(t, "administrator", admins[2].Status)
	assert.True(t, admins[2].User.IsBot)
	assert.True(t, *admins[2].CanPostMessages)
	assert.Nil(t, admins[2].CanPinMessages, "channel admins have no can_pin_messages")

	var mem tgmock.ChatMember
	e.call("getChatMember", map[string]any{"chat_id": groupID, "user_id": empTG}).decode(t, &mem)
	assert.Equal(t, "member", mem.Status)
	e.call("getChatMember", map[string]any{"chat_id": groupID, "user_id": 999}).decode(t, &mem)
	assert.Equal(t, "left", mem.Status)

	var n int
	e.call("getChatMemberCount", map[string]any{"chat_id": channelID}).decode(t, &n)
	assert.Equal(t, 1520, n)
	e.call("getChatMembersCount", map[string]any{"chat_id": groupID}).decode(t, &n)
	assert.Equal(t, 3, n)
}

func TestEditDeletePin(t *testing.T) {
	e := newEnv(t, tgmock.WithLogger(nil))
	m := e.send(channelID, "first")
	r := e.call("editMessageText", map[string]any{"chat_id": channelID, "message_id": m.MessageID, "text": "first"})
	requireError(t, r, 400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	var ed tgmock.Message
	e.call("editMessageText", map[string]any{"chat_id": channelID, "message_id": m.MessageID, "text": "second"}).decode(t, &ed)
	assert.Equal(t, "second", ed.Text)
	assert.NotZero(t, ed.EditDate)
	requireError(t, e.call("editMessageText", map[string]any{"chat_id": channelID, "message_id": 999, "text": "x"}), 400, "Bad Request: message to edit not found")
	requireError(t, e.call("editMessageCaption", map[string]any{"chat_id": channelID, "message_id": m.MessageID, "caption": "x"}), 400, "Bad Request: there is no caption in the message to edit")

	require.True(t, e.call("pinChatMessage", map[string]any{"chat_id": channelID, "message_id": m.MessageID}).resp.OK)
	assert.Equal(t, []int64{m.MessageID}, e.srv.Pinned(channelID))
	var info tgmock.ChatFullInfo
	e.call("getChat", map[string]any{"chat_id": channelID}).decode(t, &info)
	require.NotNil(t, info.PinnedMessage)
	assert.Equal(t, "second", info.PinnedMessage.Text)
	require.True(t, e.call("unpinChatMessage", map[string]any{"chat_id": channelID, "message_id": m.MessageID}).resp.OK)
	assert.Empty(t, e.srv.Pinned(channelID))

	require.True(t, e.call("deleteMessage", map[string]any{"chat_id": channelID, "message_id": m.MessageID}).resp.OK)
	requireError(t, e.call("deleteMessage", map[string]any{"chat_id": channelID, "message_id": m.MessageID}), 400, "Bad Request: message to delete not found")

	// In a group, the bot may not delete a user's message without can_delete_messages...
	um, err := e.srv.PostAsUser(groupID, empTG, "hello")
	require.NoError(t, err)
	require.True(t, e.call("deleteMessage", map[string]any{"chat_id": groupID, "message_id": um.MessageID}).resp.OK, "the bot is an admin with can_delete_messages")
	require.NoError(t, e.srv.SetAdmin(groupID, tgmock.DefaultBotID, tgmock.AdminRights{CanPostMessages: true}))
	um, _ = e.srv.PostAsUser(groupID, empTG, "again")
	requireError(t, e.call("deleteMessage", map[string]any{"chat_id": groupID, "message_id": um.MessageID}), 400, "Bad Request: message can't be deleted")
	requireError(t, e.call("pinChatMessage", map[string]any{"chat_id": groupID, "message_id": um.MessageID}), 400, "Bad Request: not enough rights to manage pinned messages in the chat")
	requireError(t, e.call("editMessageText", map[string]any{"chat_id": groupID, "message_id": um.MessageID, "text": "x"}), 400, "Bad Request: message can't be edited")

	// Own messages older than 48 hours can't be deleted (world clock).
	old := e.send(channelID, "old")
	e.w.Clock.Advance(49 * time.Hour)
	requireError(t, e.call("deleteMessage", map[string]any{"chat_id": channelID, "message_id": old.MessageID}), 400, "Bad Request: message can't be deleted")
}

func TestMediaGroupAndPoll(t *testing.T) {
	e := newEnv(t)
	png := tinyPNG(t)
	r := e.multipartCall("sendMediaGroup", "",
		part{name: "chat_id", data: []byte(i64(channelID))},
		part{name: "media", data: []byte(`[{"type":"photo","media":"attach://a","caption":"one"},{"type":"photo","media":"attach://b"},{"type":"video","media":"https://x.invalid/v.mp4"}]`)},
		part{name: "a", filename: "a.png", data: png}, part{name: "b", filename: "b.png", data: png})
	var msgs []tgmock.Message
	r.decode(t, &msgs)
	require.Len(t, msgs, 3)
	assert.NotEmpty(t, msgs[0].MediaGroupID)
	assert.Equal(t, msgs[0].MediaGroupID, msgs[2].MediaGroupID)
	assert.Equal(t, msgs[0].MessageID+1, msgs[1].MessageID)
	assert.Equal(t, "one", msgs[0].Caption)
	require.NotNil(t, msgs[2].Video)
	// One item: a single message outside any album, as TDLib sends it.
	var single []tgmock.Message
	e.call("sendMediaGroup", map[string]any{"chat_id": channelID, "media": []any{map[string]any{"type": "photo", "media": msgs[0].Photo[0].FileID}}}).decode(t, &single)
	require.Len(t, single, 1)
	assert.Empty(t, single[0].MediaGroupID)
	require.NotEmpty(t, single[0].Photo)
	requireError(t, e.call("sendMediaGroup", map[string]any{"chat_id": channelID, "media": []any{}}),
		400, "Bad Request: there are no messages to send")
	eleven := make([]any, 11)
	for i := range eleven {
		eleven[i] = map[string]any{"type": "photo", "media": msgs[0].Photo[0].FileID}
	}
	requireError(t, e.call("sendMediaGroup", map[string]any{"chat_id": channelID, "media": eleven}),
		400, "Bad Request: too many messages to send as an album")
	requireError(t, e.call("sendMediaGroup", map[string]any{"chat_id": channelID}), 400, `Bad Request: parameter "media" is required`)
	requireError(t, e.call("sendMediaGroup", map[string]any{"chat_id": channelID, "media": map[string]any{"type": "photo"}}),
		400, "Bad Request: expected an Array of InputMedia")
	requireError(t, e.call("sendMediaGroup", map[string]any{"chat_id": channelID, "media": []any{
		map[string]any{"type": "photo", "media": msgs[0].Photo[0].FileID}, map[string]any{"type": "document", "media": "https://x.invalid/a.pdf"}}}),
		400, "Bad Request: document can't be mixed with other media types")
	requireError(t, e.call("sendPhoto", map[string]any{"chat_id": channelID, "photo": msgs[0].Photo[0].FileID, "caption": strings.Repeat("c", 1025)}),
		400, "Bad Request: message caption is too long")

	var pm tgmock.Message
	e.call("sendPoll", map[string]any{"chat_id": channelID, "question": "Как вам?", "options": []any{"Хорошо", map[string]any{"text": "Плохо"}}}).decode(t, &pm)
	require.NotNil(t, pm.Poll)
	assert.Equal(t, []tgmock.PollOption{{Text: "Хорошо"}, {Text: "Плохо"}}, pm.Poll.Options)
	assert.True(t, pm.Poll.IsAnonymous)
	requireError(t, e.call("sendPoll", map[string]any{"chat_id": channelID, "question": "q", "options": []string{"a"}}), 400, "Bad Request: poll must have at least 2 option")
	requireError(t, e.call("sendPoll", map[string]any{"chat_id": channelID, "question": "q", "options": make([]string, 13)}), 400, "Bad Request: poll can't have more than 12 options")
	requireError(t, e.call("sendPoll", map[string]any{"chat_id": channelID, "question": strings.Repeat("q", 301), "options": []string{"a", "b"}}), 400, "Bad Request: poll question length must not exceed 300")
	requireError(t, e.call("sendPoll", map[string]any{"chat_id": channelID, "question": "q", "options": []string{"a", "b"}, "is_anonymous": false}), 400, "Bad Request: non-anonymous polls can't be sent to channel chats")
}

func TestMessagesInspection(t *testing.T) {
	e := newEnv(t)
	e.send(channelID, "a")
	e.send(channelID, "b")
	got := e.srv.Messages(channelID)
	require.Len(t, got, 2)
	assert.Equal(t, "a", got[0].Text)
	assert.Equal(t, int64(1), got[0].MessageID)
	require.NotNil(t, got[0].SenderChat)
	assert.Nil(t, got[0].From, "channel posts have no from")
	gm := e.send(groupID, "g")
	require.NotNil(t, gm.From)
	assert.True(t, gm.From.IsBot)
}

func TestDeleteMessagesSkipsMissingAndChecksInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ch := world.DefaultChannelID
	var ids []int64
	for i := range 3 {
		ids = append(ids, e.send(ch, "m"+strconv.Itoa(i)).MessageID)
	}
	// Missing identifiers are skipped; numeric strings are accepted.
	r := e.call("deleteMessages", map[string]any{"chat_id": ch, "message_ids": []any{ids[0], strconv.FormatInt(ids[1], 10), 999999}})
	require.True(t, r.resp.OK, "answer: %s", r.body)
	remaining := e.srv.Messages(ch)
	require.Len(t, remaining, 1)
	assert.Equal(t, ids[2], remaining[0].MessageID)

	// All missing: still true, as the Bot API skips them.
	r = e.call("deleteMessages", map[string]any{"chat_id": ch, "message_ids": []int64{999998, 999999}})
	assert.True(t, r.resp.OK, "answer: %s", r.body)

	hundredAndOne := make([]int64, 101)
	for i := range hundredAndOne {
		hundredAndOne[i] = int64(i + 1)
	}
	cases := []struct {
		ids  any
		want string
	}{
		{[]int64{}, "Bad Request: message identifiers are not specified"},
		{[]int64{0}, "Bad Request: invalid message identifier specified"},
		{[]string{"x"}, "Bad Request: invalid message identifier specified"},
		{"not json", "Bad Request: can't parse message identifiers JSON object"},
		{hundredAndOne, "Bad Request: too many message identifiers specified"},
	}
	for _, c := range cases {
		requireError(t, e.call("deleteMessages", map[string]any{"chat_id": ch, "message_ids": c.ids}), 400, c.want)
	}
	assert.Len(t, e.srv.Messages(ch), 1, "refused calls delete nothing")
}
