package gpmock_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/telegram"
)

// TestTelegramNotificationsThroughTheBot: with WithTelegram the cabinet
// sends a notification through the telegram client to the Telegram
// emulator, and records it in the outbox once sent.
func TestTelegramNotificationsThroughTheBot(t *testing.T) {
	sb, err := mock.New(mock.WithParties("telegram"), mock.WithFrozenClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
	require.NoError(t, err)
	defer sb.Close()
	cr := sb.Credentials.Telegram
	bot, err := telegram.New(cr.BotToken, core.WithBaseURL(sb.URL("telegram")), core.WithHTTPClient(sb.HTTPClient()))
	require.NoError(t, err)
	w := sb.DefaultTenant().World
	srv := gpmock.New(gpmock.WithWorld(w), gpmock.WithTelegram(bot))
	cb, err := srv.AddCabinet(gpmock.KindInstitution, world.DefaultSubordinateOID, "ЦЦС")
	require.NoError(t, err)
	for _, u := range []gpmock.User{
		{Phone: "+79990002", Email: "e@x.ru", Role: gpmock.RoleEditor},
		{Phone: "+79990003", Email: "m@x.ru", Role: gpmock.RoleModerator},
	} {
		_, err := srv.AddUser(cb.ID, u, pw)
		require.NoError(t, err)
	}
	mod := login(t, srv, "+79990003")
	code, out := call(t, srv, "PUT", "/api/v1/me/notifications", mod, `{"email":false,"telegram_chat_id":`+itoa(cr.ChannelID)+`,"events":["post.submitted"]}`)
	require.Equal(t, http.StatusOK, code, out)
	ed := login(t, srv, "+79990002")
	code, out = call(t, srv, "POST", "/api/v1/posts", ed, `{"text":"Новость для канала","targets":["vk:-1"]}`)
	require.Equal(t, http.StatusCreated, code, out)
	mark := w.Outbox.Seq()
	code, out = call(t, srv, "POST", "/api/v1/posts/"+itoa(int64(out["id"].(float64)))+"/submit", ed, "")
	require.Equal(t, http.StatusOK, code, out)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	f := world.OutboxFilter{Party: gpmock.PartyName, Channel: world.ChannelTelegram, AfterSeq: mark}
	for len(w.Outbox.Messages(f)) == 0 {
		select {
		case <-w.Outbox.Changed():
		case <-ctx.Done():
			t.Fatal("no Telegram notification recorded")
		}
	}
	m := w.Outbox.Messages(f)[0]
	require.Equal(t, "sent", m.Meta["delivery"])
	require.NotEmpty(t, m.Meta["message_id"])
	require.Contains(t, m.Text, "Новость для канала")
	// The Telegram emulator served the bot's sendMessage.
	require.Len(t, w.Journal.Entries(world.Filter{Party: "telegram", Method: "sendMessage", Status: http.StatusOK}), 1)
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
