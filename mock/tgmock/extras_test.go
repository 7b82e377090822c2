package tgmock_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func TestWebhookDescriptionsAndRedaction(t *testing.T) {
	e := newEnv(t)
	r := e.call("setWebhook", map[string]any{"url": "http://user:pa55@127.0.0.1:1/hook"})
	assert.JSONEq(t, `{"ok":true,"result":true,"description":"Webhook was set"}`, string(r.body))
	r = e.call("setWebhook", map[string]any{"url": "http://user:pa55@127.0.0.1:1/hook"})
	assert.Equal(t, "Webhook is already set", r.resp.Description)
	last, _ := e.w.Journal.Last(world.Filter{Method: "setwebhook"})
	assert.NotContains(t, last.Params["url"], "pa55")
	r = e.call("deleteWebhook", nil)
	assert.JSONEq(t, `{"ok":true,"result":true,"description":"Webhook was deleted"}`, string(r.body))
	r = e.call("deleteWebhook", nil)
	assert.Equal(t, "Webhook is already deleted", r.resp.Description)
	var info tgmock.WebhookInfo
	e.call("getWebhookInfo", nil).decode(t, &info)
	assert.Equal(t, tgmock.WebhookInfo{}, info)
	assert.JSONEq(t, `{"ok":true,"result":{"url":"","has_custom_certificate":false,"pending_update_count":0}}`, string(e.call("getWebhookInfo", nil).body))
}

func TestReplyMarkupAndCommands(t *testing.T) {
	e := newEnv(t)
	kb := map[string]any{"inline_keyboard": [][]map[string]any{{{"text": "Госуслуги", "url": "https://gosuslugi.ru"}}}}
	r := e.call("sendMessage", map[string]any{"chat_id": groupID, "text": "x", "reply_markup": kb})
	var m tgmock.Message
	r.decode(t, &m)
	assert.JSONEq(t, `{"inline_keyboard":[[{"text":"Госуслуги","url":"https://gosuslugi.ru"}]]}`, string(m.ReplyMarkup))
	requireError(t, e.call("sendMessage", map[string]any{"chat_id": groupID, "text": "x", "reply_markup": "[1]"}), 400, "Bad Request: can't parse reply keyboard markup JSON object")
	requireError(t, e.call("editMessageReplyMarkup", map[string]any{"chat_id": groupID, "message_id": m.MessageID, "reply_markup": kb}), 400,
		"Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	var ed tgmock.Message
	e.call("editMessageReplyMarkup", map[string]any{"chat_id": groupID, "message_id": m.MessageID}).decode(t, &ed)
	assert.Empty(t, ed.ReplyMarkup)

	require.True(t, e.call("setMyCommands", map[string]any{"commands": []map[string]string{{"command": "start", "description": "Начать"}}}).resp.OK)
	var cmds []tgmock.BotCommand
	e.call("getMyCommands", nil).decode(t, &cmds)
	assert.Equal(t, []tgmock.BotCommand{{Command: "start", Description: "Начать"}}, cmds)
	require.True(t, e.call("deleteMyCommands", nil).resp.OK)
	e.call("getMyCommands", nil).decode(t, &cmds)
	assert.Empty(t, cmds)
	require.True(t, e.call("logOut", nil).resp.OK)
	require.True(t, e.call("close", nil).resp.OK)
	require.True(t, e.call("sendChatAction", map[string]any{"chat_id": channelID, "action": "typing"}).resp.OK)
}

func TestFileStoreIsBounded(t *testing.T) {
	e := newEnv(t, tgmock.WithFileBytes(100))
	png := tinyPNG(t)
	first := e.multipartCall("sendDocument", "", part{name: "chat_id", data: []byte(i64(channelID))}, part{name: "document", filename: "a.png", data: png})
	var m1 tgmock.Message
	first.decode(t, &m1)
	for i := 0; i < 3; i++ {
		e.multipartCall("sendDocument", "", part{name: "chat_id", data: []byte(i64(channelID))}, part{name: "document", filename: "b.png", data: png})
	}
	requireError(t, e.call("getFile", map[string]any{"file_id": m1.Document.FileID}), 400, "Bad Request: invalid file_id")
}

func TestForwardAndCopy(t *testing.T) {
	e := newEnv(t)
	post := e.send(channelID, "новость")
	var fwd tgmock.Message
	e.call("forwardMessage", map[string]any{"chat_id": groupID, "from_chat_id": channelID, "message_id": post.MessageID}).decode(t, &fwd)
	assert.Equal(t, "новость", fwd.Text)
	require.NotNil(t, fwd.ForwardOrigin)
	assert.Equal(t, "channel", fwd.ForwardOrigin.Type)
	assert.Equal(t, post.MessageID, fwd.ForwardOrigin.MessageID)
	var id tgmock.MessageID
	e.call("copyMessage", map[string]any{"chat_id": groupID, "from_chat_id": channelID, "message_id": post.MessageID}).decode(t, &id)
	msgs := e.srv.Messages(groupID)
	require.Len(t, msgs, 2)
	assert.Equal(t, id.MessageID, msgs[1].MessageID)
	assert.Nil(t, msgs[1].ForwardOrigin)
	requireError(t, e.call("forwardMessage", map[string]any{"chat_id": groupID, "from_chat_id": channelID, "message_id": 999}), 400, "Bad Request: message to forward not found")
	requireError(t, e.call("copyMessage", map[string]any{"chat_id": groupID, "from_chat_id": channelID, "message_id": 999}), 400, "Bad Request: message to copy not found")
}
