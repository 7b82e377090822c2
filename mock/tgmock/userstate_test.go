package tgmock_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

var botID = tgmock.DefaultBotID

func TestKickedBot(t *testing.T) {
	e := newEnv(t)
	e.send(channelID, "before")
	require.NoError(t, e.srv.KickBot(channelID, botID))
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": channelID, "text": "x"}), 403, "Forbidden: bot was kicked from the channel chat")
	requireError(t, e.call("getChat", map[string]any{"chat_id": channelID}), 403, "Forbidden: bot was kicked from the channel chat")
	ups := updates(t, e.call("getUpdates", nil))
	require.NotEmpty(t, ups)
	last := ups[len(ups)-1]
	require.NotNil(t, last.MyChatMember)
	assert.Equal(t, "administrator", last.MyChatMember.OldChatMember.Status)
	assert.Equal(t, "kicked", last.MyChatMember.NewChatMember.Status)
	assert.Equal(t, channelID, last.MyChatMember.Chat.ID)

	require.NoError(t, e.srv.KickBot(groupID, botID))
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": groupID, "text": "x"}), 403, "Forbidden: bot was kicked from the supergroup chat")
	// A kicked bot receives nothing more from the chat.
	n := len(e.srv.PendingUpdates(botID))
	_, err := e.srv.PostAsUser(groupID, empTG, "/help")
	require.NoError(t, err)
	assert.Len(t, e.srv.PendingUpdates(botID), n)

	// SetAdmin brings it back.
	require.NoError(t, e.srv.SetAdmin(channelID, botID, tgmock.AdminRights{CanPostMessages: true}))
	e.send(channelID, "after")
	assert.Error(t, e.srv.KickBot(channelID, 1), "unknown bot")
}

func TestKickedFromBasicGroupCanStillRead(t *testing.T) {
	e := newEnv(t)
	const basic = -4242
	require.NoError(t, e.w.AddPage(world.Page{Network: world.NetworkTelegram, ID: basic, Kind: world.PageGroup, Title: "Совет"}))
	require.NoError(t, e.srv.Section().ModifyChat(basic, func(c *tgmock.ChatSettings) error {
		c.BotMembers = append(c.BotMembers, botID)
		return nil
	}))
	assert.True(t, e.call("sendMessage", map[string]any{"chat_id": basic, "text": "before"}).resp.OK)
	require.NoError(t, e.srv.KickBot(basic, botID))
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": basic, "text": "x"}), 403, "Forbidden: bot was kicked from the group chat")
	assert.True(t, e.call("getChat", map[string]any{"chat_id": basic}).resp.OK, "a basic group stays readable")
}

func TestPrivateChatStates(t *testing.T) {
	e := newEnv(t)
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": chiefTG, "text": "hi"}), 403, "Forbidden: bot can't initiate conversation with a user")
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": 424242, "text": "hi"}), 400, "Bad Request: chat not found")

	msg, err := e.srv.StartBot(botID, chiefTG)
	require.NoError(t, err)
	assert.Equal(t, "/start", msg.Text)
	sent := e.send(chiefTG, "hello")

	require.NoError(t, e.srv.BlockBot(botID, chiefTG))
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": chiefTG, "text": "again"}), 403, "Forbidden: bot was blocked by the user")
	requireError(t, e.call("editMessageText", map[string]any{"chat_id": chiefTG, "message_id": sent.MessageID, "text": "edited"}), 403, "Forbidden: bot was blocked by the user")
	_, err = e.srv.WriteToBot(botID, chiefTG, "hey")
	assert.ErrorIs(t, err, tgmock.ErrSim, "a person who blocked the bot must restart it first")

	_, err = e.srv.StartBot(botID, chiefTG)
	require.NoError(t, err)
	e.send(chiefTG, "welcome back")
	var kinds []string
	for _, u := range updates(t, e.call("getUpdates", nil)) {
		switch {
		case u.MyChatMember != nil:
			kinds = append(kinds, "member:"+u.MyChatMember.OldChatMember.Status+">"+u.MyChatMember.NewChatMember.Status)
		case u.Message != nil:
			kinds = append(kinds, "message:"+u.Message.Text)
		}
	}
	assert.Equal(t, []string{"message:/start", "member:member>kicked", "member:kicked>member", "message:/start"}, kinds)
}

func TestLongPollTerminatedBySetWebhook(t *testing.T) {
	e := newEnv(t)
	done := make(chan result, 1)
	go func() { done <- e.call("getUpdates", map[string]any{"timeout": 30}) }()
	awaitPolling(t, e)
	require.True(t, e.srv.Polling(botID))
	require.True(t, e.call("setWebhook", map[string]any{"url": "http://127.0.0.1:1/hook"}).resp.OK)
	requireError(t, <-done, 409, "Conflict: terminated by setWebhook request")
}
