//go:build sandbox

// Integration test against the module's sandbox (mock.Start). It is behind
// the "sandbox" build tag while the sandbox is being written:
//
//	go test -tags sandbox -run Sandbox ./telegram/
package telegram_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

func pngBytes() []byte {
	var b bytes.Buffer
	_ = png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4)))
	return b.Bytes()
}

func TestSandboxEndToEnd(t *testing.T) {
	sb := mock.Start(t)
	cr := sb.Credentials.Telegram
	c, err := telegram.New(cr.BotToken, telegram.WithBaseURL(sb.TelegramURL), telegram.WithHTTPClient(sb.HTTPClient()),
		telegram.WithRateLimits(telegram.Limits{Global: 30, GlobalBurst: 30, PerChat: 20, PerChatBurst: 20}))
	require.NoError(t, err)
	ctx := t.Context()
	ch := telegram.ChatIDInt(cr.ChannelID)

	me, err := c.GetMe(ctx)
	require.NoError(t, err)
	assert.Equal(t, cr.BotID, me.ID)

	rs, err := c.CheckChannel(ctx, ch)
	require.NoError(t, err)
	assert.True(t, rs.AllMet(), "%+v", rs.Unmet())

	m, err := c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: ch, Text: "Привет 🏛"})
	require.NoError(t, err)
	_, err = c.EditMessageText(ctx, &telegram.EditMessageTextRequest{ChatID: ch, MessageID: m.MessageID, Text: "Привет 🏛"})
	require.ErrorIs(t, err, telegram.ErrMessageNotModified)

	ph, err := c.SendPhoto(ctx, &telegram.SendPhotoRequest{ChatID: ch, Photo: telegram.FileBytes("a.png", pngBytes()), Caption: "cap"})
	require.NoError(t, err)
	require.NotEmpty(t, ph.Photo)
	msgs, err := c.SendMediaGroup(ctx, &telegram.SendMediaGroupRequest{ChatID: ch, Media: []telegram.InputMedia{
		telegram.NewInputMediaPhoto(telegram.FileBytes("a.png", pngBytes()), "x"),
		telegram.NewInputMediaPhoto(telegram.FileID(ph.Photo[0].FileID), ""),
	}})
	require.NoError(t, err)
	require.Len(t, msgs, 2)
	assert.NotEmpty(t, msgs[0].MediaGroupID)

	f, err := c.GetFile(ctx, &telegram.GetFileRequest{FileID: ph.Photo[len(ph.Photo)-1].FileID})
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = c.DownloadFile(ctx, &telegram.DownloadFileRequest{FilePath: f.FilePath}, &buf)
	require.NoError(t, err)
	assert.Equal(t, pngBytes(), buf.Bytes())

	rc, err := c.Publisher(ch).Publish(ctx, social.Post{Text: "Пост", Link: &social.Link{URL: "https://gosuslugi.ru"},
		Media: []social.Media{{Kind: social.Photo, Data: pngBytes()}, {Kind: social.Photo, Data: pngBytes()}},
		Poll:  &social.Poll{Question: "Q", Options: []string{"a", "b"}}})
	require.NoError(t, err)
	assert.Contains(t, rc.URL, "https://t.me/"+cr.ChannelUsername[1:]+"/")

	_, err = c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: telegram.Username("@nosuchchannelxx"), Text: "x"})
	require.ErrorIs(t, err, telegram.ErrChatNotFound)

	require.NoError(t, c.DeleteWebhook(ctx, nil))
	_, err = sb.Telegram.PostAsUser(cr.GroupID, 0, "hello group")
	require.NoError(t, err)
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	got := 0
	err = c.Poll(pctx, telegram.PollOptions{Timeout: time.Second}, func(_ context.Context, u telegram.Update) error {
		got++
		cancel()
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, got)

	require.NoError(t, c.SetWebhook(ctx, &telegram.SetWebhookRequest{URL: "https://gov.example/hook", SecretToken: "abc"}))
	_, err = c.GetUpdates(ctx, nil)
	require.ErrorIs(t, err, telegram.ErrConflict)
}
