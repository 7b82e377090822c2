package tgmock_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func texts(ms []tgmock.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text
	}
	return out
}

// TestWorldMessageLimitAcrossChats: the world's bound applies across chats,
// oldest first, and a forgotten message can no longer be edited.
func TestWorldMessageLimitAcrossChats(t *testing.T) {
	w, err := world.New(world.WithMessageLimit(3))
	require.NoError(t, err)
	e := newEnvWorld(t, w)
	first := e.send(channelID, "c1")
	e.send(groupID, "g1")
	e.send(channelID, "c2")
	e.send(groupID, "g2")
	assert.Equal(t, []string{"c2"}, texts(e.srv.Messages(channelID)))
	assert.Equal(t, []string{"g1", "g2"}, texts(e.srv.Messages(groupID)))
	requireError(t, e.call("editMessageText", map[string]any{"chat_id": channelID, "message_id": first.MessageID, "text": "x"}),
		400, "Bad Request: message to edit not found")
}

// TestBudgetSharedByWorlds: two worlds under one budget of 3 messages; the
// world that stores drops its own oldest once the budget is spent.
func TestBudgetSharedByWorlds(t *testing.T) {
	budget := world.NewBudget(0, 3)
	w1, err := world.New(world.WithBudget(budget))
	require.NoError(t, err)
	w2, err := world.New(world.WithBudget(budget))
	require.NoError(t, err)
	e1, e2 := newEnvWorld(t, w1), newEnvWorld(t, w2)
	e1.send(channelID, "a1")
	e1.send(channelID, "a2")
	e2.send(channelID, "b1")
	e2.send(channelID, "b2")
	assert.Equal(t, []string{"a1", "a2"}, texts(e1.srv.Messages(channelID)))
	assert.Equal(t, []string{"b2"}, texts(e2.srv.Messages(channelID)))
	assert.Equal(t, 3, budget.Messages().Used())
	require.NoError(t, e1.srv.Close())
	assert.Equal(t, 1, budget.Messages().Used(), "a closed emulator returns its share")
}
