package gpmock_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// TestNotificationSettingsInTheWorld: settings travel with the world's
// export and import, are validated with JSON paths, and a world Reset
// restores the seeded ones.
func TestNotificationSettingsInTheWorld(t *testing.T) {
	w, srv, _ := newWorld(t)
	tok := login(t, srv, "+79990002")
	code, out := call(t, srv, "PUT", "/api/v1/me/notifications", tok, `{"email":false,"telegram_chat_id":777,"events":["post.returned"]}`)
	require.Equal(t, http.StatusOK, code, out)
	exp := w.Export()
	st, err := gpmock.StateOf(exp)
	require.NoError(t, err)
	require.Equal(t, []gpmock.NotifySettings{{UserID: 3, TelegramChatID: 777, Events: []string{"post.returned"}}}, st.Notifications)

	// A fresh world imports them.
	w2, err := world.New(world.WithSections(gpmock.NewSection()))
	require.NoError(t, err)
	srv2 := gpmock.New(gpmock.WithWorld(w2))
	require.NoError(t, w2.Import(exp))
	tok2 := login(t, srv2, "+79990002")
	code, out = call(t, srv2, "GET", "/api/v1/me/notifications", tok2, "")
	require.Equal(t, http.StatusOK, code, out)
	require.Equal(t, float64(777), out["telegram_chat_id"])

	// Validation names the field.
	bad := exp
	st.Notifications = []gpmock.NotifySettings{{UserID: 3, Events: []string{"post.nope"}}}
	require.NoError(t, gpmock.PutState(&bad, st))
	require.ErrorContains(t, w2.Import(bad), "gospubliki.notifications[0].events[0]")
	st.Notifications = []gpmock.NotifySettings{{UserID: 99, Events: []string{}}}
	require.NoError(t, gpmock.PutState(&bad, st))
	require.ErrorContains(t, w2.Import(bad), "gospubliki.notifications[0].user_id")

	// Reset restores the seeded scenario: no settings, defaults again.
	w.Reset()
	tok = login(t, srv, "+79990002")
	code, out = call(t, srv, "GET", "/api/v1/me/notifications", tok, "")
	require.Equal(t, http.StatusOK, code, out)
	require.Equal(t, true, out["email"])
	var raw json.RawMessage = w.Export().Sections[gpmock.SectionName]
	require.NotContains(t, string(raw), "notifications")
}
