package telegram_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/telegram"
)

const botUser = `{"id":123456789,"is_bot":true,"first_name":"Госбот","username":"gov_bot"}`

func fullChannel() map[string]any {
	return map[string]any{
		"id": -1001234567890, "type": "channel", "title": "Минцифры России", "username": "mincifry",
		"description": "Официальный канал", "photo": map[string]any{
			"small_file_id": "s", "small_file_unique_id": "su", "big_file_id": "b", "big_file_unique_id": "bu"},
		"accent_color_id": 1, "max_reaction_count": 11, "linked_chat_id": -1009999,
	}
}

func adminMember(canPost bool) map[string]any {
	return map[string]any{
		"status": "administrator", "user": map[string]any{"id": 123456789, "is_bot": true, "first_name": "Госбот", "username": "gov_bot"},
		"can_be_edited": false, "is_anonymous": false, "can_manage_chat": true, "can_delete_messages": true,
		"can_manage_video_chats": false, "can_restrict_members": true, "can_promote_members": false, "can_change_info": true,
		"can_invite_users": true, "can_post_messages": canPost, "can_edit_messages": true, "can_post_stories": false,
	}
}

func TestGetChatDecoding(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"getChat", rec.wrap(okResponder(t, fullChannel())))
	ch, err := c.GetChat(t.Context(), &telegram.GetChatRequest{ChatID: telegram.Username("@mincifry")})
	require.NoError(t, err)
	assert.Equal(t, int64(-1001234567890), ch.ID)
	assert.Equal(t, telegram.ChatTypeChannel, ch.Type)
	assert.Equal(t, "mincifry", ch.Username)
	assert.Equal(t, "Официальный канал", ch.Description)
	require.NotNil(t, ch.Photo)
	assert.Equal(t, "b", ch.Photo.BigFileID)
	assert.Equal(t, int64(-1009999), ch.LinkedChatID)
	assert.JSONEq(t, `{"chat_id":"@mincifry"}`, string(rec.last(t).Body))
}

func TestChatMembers(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"getChatAdministrators", rec.wrap(okResponder(t, []any{
		map[string]any{"status": "creator", "user": map[string]any{"id": 1, "is_bot": false, "first_name": "Иван"}, "is_anonymous": false},
		adminMember(true),
	})))
	mt.RegisterResponder(http.MethodPost, apiBase+"getChatMember", rec.wrap(seq(
		okResponder(t, map[string]any{"status": "restricted", "user": map[string]any{"id": 5, "is_bot": false, "first_name": "Пётр"},
			"is_member": true, "can_send_messages": false, "until_date": 0}),
		okResponder(t, map[string]any{"status": "kicked", "user": map[string]any{"id": 6, "is_bot": false, "first_name": "Олег"}, "until_date": 1800000000}),
		okResponder(t, map[string]any{"status": "left", "user": map[string]any{"id": 7, "is_bot": false, "first_name": "Анна"}}),
		okResponder(t, map[string]any{"status": "member", "user": map[string]any{"id": 8, "is_bot": false, "first_name": "Юля"}}),
	)))
	mt.RegisterResponder(http.MethodPost, apiBase+"getChatMemberCount", rec.wrap(okResponder(t, 15230)))
	ctx := t.Context()
	ch := telegram.ChatIDInt(-1001234567890)

	admins, err := c.GetChatAdministrators(ctx, &telegram.GetChatAdministratorsRequest{ChatID: ch})
	require.NoError(t, err)
	require.Len(t, admins, 2)
	owner, admin := admins[0], admins[1]
	assert.True(t, owner.IsOwner())
	assert.True(t, owner.IsAdministrator())
	assert.True(t, owner.CanPost(), "the owner has every right without can_* flags")
	assert.True(t, owner.CanEdit())
	assert.True(t, admin.IsAdministrator())
	assert.True(t, admin.CanPost())
	assert.True(t, admin.CanDelete())
	assert.True(t, admin.CanChangeInfo)
	assert.Equal(t, "gov_bot", admin.User.Username)

	want := []struct {
		status         string
		inChat, canPst bool
	}{{"restricted", true, false}, {"kicked", false, false}, {"left", false, false}, {"member", true, false}}
	for _, w := range want {
		m, err := c.GetChatMember(ctx, &telegram.GetChatMemberRequest{ChatID: ch, UserID: 5})
		require.NoError(t, err)
		assert.Equal(t, w.status, m.Status)
		assert.Equal(t, w.inChat, m.IsInChat(), w.status)
		assert.Equal(t, w.canPst, m.CanPost(), w.status)
		assert.False(t, m.IsAdministrator())
	}
	assert.JSONEq(t, `{"chat_id":-1001234567890,"user_id":5}`, string(rec.last(t).Body))

	n, err := c.GetChatMemberCount(ctx, &telegram.GetChatMemberCountRequest{ChatID: ch})
	require.NoError(t, err)
	assert.Equal(t, 15230, n)
}
