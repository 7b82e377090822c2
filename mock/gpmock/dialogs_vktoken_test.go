package gpmock_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// TestDialogsVKCommunityToken: a VK page connected with a user token
// cannot answer community messages (VK sends them only with a community
// token) and records VK's refusal; once the community token is stored
// next to the user token, the reply goes through messages.send from the
// community and reaches the citizen; the community token is never shown
// and is sealed in exports.
func TestDialogsVKCommunityToken(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, virtualNetworkClock())
	ten := r.sb.DefaultTenant()
	cr := r.sb.Credentials
	require.NotEmpty(t, cr.VK.CommunityToken)
	vkc, err := r.admin.ConnectCommunity(ctx, gospubliki.ConnectCommunityRequest{Network: gospubliki.NetworkVK,
		PageID: fmt.Sprint(cr.VK.GroupID), Credentials: gospubliki.CommunityCredentials{VKToken: cr.VK.UserToken}})
	require.NoError(t, err)
	res, err := r.admin.CollectDialogs(ctx) // turns the long poll on
	require.NoError(t, err)
	require.Empty(t, res.Errors)

	const citizen = 7770002
	_, err = ten.VK.WriteToCommunity(cr.VK.GroupID, citizen, "Как записаться на приём?")
	require.NoError(t, err)
	res, err = r.admin.CollectDialogs(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, res.Received)
	page, err := r.editor.ListDialogs(ctx, gospubliki.DialogFilter{Source: gospubliki.SourceVKMessage})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	d := page.Items[0]

	// With the user token only, VK refuses messages.send.
	out, err := r.editor.ReplyDialog(ctx, d.ID, "Запись по телефону 112")
	require.NoError(t, err)
	require.Equal(t, gospubliki.ReplyFailed, out.Replies[0].Status)
	require.NotEmpty(t, out.Replies[0].Code)
	vkOut := func() []world.Message {
		return ten.World.Outbox.Messages(world.OutboxFilter{Channel: world.ChannelVK, To: strconv.Itoa(citizen)})
	}
	require.Empty(t, vkOut())

	// The community token next to the user token answers it.
	_, err = r.admin.SetCommunityCredentials(ctx, vkc.ID, gospubliki.CommunityCredentials{VKToken: cr.VK.UserToken,
		VKCommunityToken: cr.VK.CommunityToken})
	require.NoError(t, err)
	out, err = r.editor.ReplyDialog(ctx, d.ID, "Запись по телефону 112")
	require.NoError(t, err)
	last := out.Replies[len(out.Replies)-1]
	require.Equal(t, gospubliki.ReplySent, last.Status, last.Error)
	require.Equal(t, gospubliki.DialogAnswered, out.Status)
	msgs := vkOut()
	require.Len(t, msgs, 1)
	require.Equal(t, "Запись по телефону 112", msgs[0].Text)
	require.Equal(t, "club"+fmt.Sprint(cr.VK.GroupID), msgs[0].From)

	// Publishing still uses the user token (the page's check works).
	_, err = r.admin.CheckCommunity(ctx, vkc.ID)
	require.NoError(t, err)

	// The community token is never shown, and sealed in exports.
	got, err := r.editor.Community(ctx, vkc.ID)
	require.NoError(t, err)
	b, _ := json.Marshal(got)
	require.NotContains(t, string(b), cr.VK.CommunityToken)
	full := ten.World.Export()
	fb, _ := json.Marshal(full.Sections[gpmock.SectionName])
	require.NotContains(t, string(fb), cr.VK.CommunityToken)
	for _, en := range r.sb.Journal.Entries(world.Filter{}) {
		jb, _ := json.Marshal(en)
		require.NotContains(t, string(jb), cr.VK.CommunityToken)
	}
}
