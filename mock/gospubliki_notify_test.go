package mock_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// TestGospublikiNotifyBot: with a notification bot the cabinet's Telegram
// notifications reach the Telegram emulator through the telegram client.
func TestGospublikiNotifyBot(t *testing.T) {
	_, err := mock.New(mock.WithParties(gpmock.PartyName), mock.WithGospublikiNotifyBot("minsvyaz29_bot"))
	require.ErrorContains(t, err, "the telegram party is not running")
	sb, err := mock.New(mock.WithParties("telegram", gpmock.PartyName), mock.WithFrozenClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)),
		mock.WithGospublikiNotifyBot("@"+mustBotUsername(t)))
	require.NoError(t, err)
	defer sb.Close()
	ctx := context.Background()
	creds := sb.DefaultTenant().PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	mod := gpLogin(t, creds.URL, creds.Moderator)
	_, err = mod.SetNotificationSettings(ctx, gospubliki.NotificationSettings{TelegramChatID: sb.Credentials.Telegram.ChannelID,
		Events: []string{gospubliki.EventPostSubmitted}})
	require.NoError(t, err)
	ed := gpLogin(t, creds.URL, creds.Editor)
	p, err := ed.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Новость"), Targets: []string{"vk:-200000001"}})
	require.NoError(t, err)
	w := sb.DefaultTenant().World
	mark := w.Outbox.Seq()
	_, err = ed.SubmitPost(ctx, p.ID)
	require.NoError(t, err)
	f := world.OutboxFilter{Channel: world.ChannelTelegram, AfterSeq: mark}
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for len(w.Outbox.Messages(f)) == 0 {
		select {
		case <-w.Outbox.Changed():
		case <-wait.Done():
			t.Fatal("no Telegram notification")
		}
	}
	require.Equal(t, "sent", w.Outbox.Messages(f)[0].Meta["delivery"])
	require.Equal(t, 1, w.Journal.Count("telegram", "sendMessage"))
}

func mustBotUsername(t *testing.T) string {
	t.Helper()
	sb, err := mock.New(mock.WithParties("telegram"))
	require.NoError(t, err)
	defer sb.Close()
	return sb.Credentials.Telegram.BotUsername
}
