package telegram_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

func TestCheckChannelAllMet(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"getChat", okResponder(t, fullChannel()))
	mt.RegisterResponder(http.MethodPost, apiBase+"getMe", okResponder(t, json.RawMessage(botUser)))
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"getChatMember", rec.wrap(okResponder(t, adminMember(true))))
	rs, err := c.CheckChannel(t.Context(), telegram.Username("@mincifry"))
	require.NoError(t, err)
	assert.Empty(t, rs.NotMet(), "%+v", rs.NotMet())
	assert.True(t, rs.AllMet(), "%+v", rs)
	assert.Len(t, rs, 7)
	assert.Empty(t, rs.Unverifiable())
	assert.JSONEq(t, `{"chat_id":"@mincifry","user_id":123456789}`, string(rec.last(t).Body))
}

func TestCheckChannelUnmet(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"getChat", okResponder(t, map[string]any{"id": -1001234567890, "type": "supergroup", "title": "Чат"}))
	mt.RegisterResponder(http.MethodPost, apiBase+"getMe", okResponder(t, json.RawMessage(botUser)))
	mt.RegisterResponder(http.MethodPost, apiBase+"getChatMember", okResponder(t, adminMember(false)))
	rs, err := c.CheckChannel(t.Context(), telegram.ChatIDInt(-1001234567890))
	require.NoError(t, err)
	var unmet []social.RequirementCode
	for _, r := range rs.NotMet() {
		unmet = append(unmet, r.Code)
		assert.NotEmpty(t, r.Detail)
	}
	assert.Equal(t, []social.RequirementCode{telegram.ReqIsChannel, telegram.ReqPublicUsername, telegram.ReqDescription, telegram.ReqPhoto, telegram.ReqBotCanPost}, unmet)
}

func TestCheckChannelBotNotMember(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"getChat", okResponder(t, fullChannel()))
	mt.RegisterResponder(http.MethodPost, apiBase+"getMe", okResponder(t, json.RawMessage(botUser)))
	mt.RegisterResponder(http.MethodPost, apiBase+"getChatMember", errResponder(400, "Bad Request: member not found", nil))
	rs, err := c.CheckChannel(t.Context(), telegram.ChatIDInt(-1001234567890))
	require.NoError(t, err)
	var unmet []social.RequirementCode
	for _, r := range rs.NotMet() {
		unmet = append(unmet, r.Code)
	}
	assert.Equal(t, []social.RequirementCode{telegram.ReqBotIsAdmin, telegram.ReqBotCanPost}, unmet)
}

func TestCheckChannelErrors(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"getChat", errResponder(400, "Bad Request: chat not found", nil))
	_, err := c.CheckChannel(t.Context(), telegram.Username("@nosuchchannel"))
	require.ErrorIs(t, err, telegram.ErrChatNotFound)

	_, err = c.CheckChannel(t.Context(), telegram.ChatID{})
	require.ErrorIs(t, err, telegram.ErrInvalidRequest)

	mt.RegisterResponder(http.MethodPost, apiBase+"getChat", okResponder(t, fullChannel()))
	mt.RegisterResponder(http.MethodPost, apiBase+"getMe", errResponder(401, "Unauthorized", nil))
	_, err = c.CheckChannel(t.Context(), telegram.ChatIDInt(-1001234567890))
	require.ErrorIs(t, err, telegram.ErrUnauthorized)
}

func TestCheckChannelBotStatusUnverifiable(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"getChat", okResponder(t, fullChannel()))
	mt.RegisterResponder(http.MethodPost, apiBase+"getMe", okResponder(t, json.RawMessage(botUser)))
	mt.RegisterResponder(http.MethodPost, apiBase+"getChatMember", errResponder(400, "Bad Request: member list is inaccessible", nil))
	rs, err := c.CheckChannel(t.Context(), telegram.ChatIDInt(-1001234567890))
	require.NoError(t, err)
	assert.Empty(t, rs.NotMet(), "an answer that does not say what the bot may do is not a 'no'")
	var codes []social.RequirementCode
	for _, r := range rs.Unverifiable() {
		codes = append(codes, r.Code)
	}
	assert.Equal(t, []social.RequirementCode{telegram.ReqBotIsAdmin, telegram.ReqBotCanPost}, codes)
	r, ok := rs.Find(telegram.ReqBotCanPost)
	require.True(t, ok)
	assert.Contains(t, r.Detail, "member list is inaccessible")
	assert.False(t, rs.AllMet())

	// "user not found" and a 403 do say the bot is not in the channel.
	for _, answer := range []struct {
		code int
		desc string
	}{{400, "Bad Request: user not found"}, {403, "Forbidden: bot is not a member of the channel chat"}} {
		mt.RegisterResponder(http.MethodPost, apiBase+"getChatMember", errResponder(answer.code, answer.desc, nil))
		rs, err = c.CheckChannel(t.Context(), telegram.ChatIDInt(-1001234567890))
		require.NoError(t, err)
		var unmet []social.RequirementCode
		for _, r := range rs.NotMet() {
			unmet = append(unmet, r.Code)
		}
		assert.Equal(t, []social.RequirementCode{telegram.ReqBotIsAdmin, telegram.ReqBotCanPost}, unmet, answer.desc)
	}

	// A server failure is an error, not a checklist.
	mt.RegisterResponder(http.MethodPost, apiBase+"getChatMember", errResponder(401, "Unauthorized", nil))
	_, err = c.CheckChannel(t.Context(), telegram.ChatIDInt(-1001234567890))
	require.ErrorIs(t, err, telegram.ErrUnauthorized)
}
