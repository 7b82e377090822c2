package mock_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/telegram"
)

// telegramClient returns a client of the sandbox's bot, with the sandbox's
// fail-closed HTTP client.
func telegramClient(t *testing.T, sb *mock.Sandbox, token string, opts ...core.Option) *telegram.Client {
	t.Helper()
	c, err := telegram.New(token, append([]core.Option{core.WithBaseURL(sb.TelegramURL), core.WithHTTPClient(sb.HTTPClient()),
		core.WithRetry(1, time.Millisecond, time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	return c
}

func requireTelegramError(t *testing.T, err error, sentinel error, code int, desc string) {
	t.Helper()
	var te *telegram.Error
	require.True(t, errors.As(err, &te), "want *telegram.Error, got %v", err)
	assert.ErrorIs(t, err, sentinel)
	assert.Equal(t, code, te.Code)
	assert.Equal(t, desc, te.Description)
}

// TestTelegramUserStatesThroughTheClient drives kick, block and start
// through the control API and checks the typed errors the telegram client
// returns.
func TestTelegramUserStatesThroughTheClient(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("telegram"))
	cred := sb.Credentials.Telegram
	// The client's pacing (1 message a second per chat, on the real clock)
	// is tested in telegram; here it would only slow the test down.
	c := telegramClient(t, sb, cred.BotToken, telegram.WithoutRateLimits())
	hc := sb.HTTPClient()
	ctl := sb.ControlURL + "/_mock/telegram"
	ctx := context.Background()
	user := world.DefaultChiefTelegramID
	body := func(kv ...any) string {
		s := "{"
		for i := 0; i < len(kv); i += 2 {
			if i > 0 {
				s += ","
			}
			s += strconv.Quote(kv[i].(string)) + ":" + strconv.FormatInt(kv[i+1].(int64), 10)
		}
		return s + "}"
	}

	// A bot may not write first.
	_, err := c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(user), Text: "hi"})
	requireTelegramError(t, err, telegram.ErrForbidden, 403, "Forbidden: bot can't initiate conversation with a user")

	var started struct{ Text string }
	require.Equal(t, 200, getJSON(t, hc, "POST", ctl+"/start", body("bot_id", cred.BotID, "user_id", user), nil, &started))
	assert.Equal(t, "/start", started.Text)
	_, err = c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(user), Text: "hi"})
	require.NoError(t, err)

	require.Equal(t, 200, getJSON(t, hc, "POST", ctl+"/block", body("bot_id", cred.BotID, "user_id", user), nil, nil))
	_, err = c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(user), Text: "hi"})
	requireTelegramError(t, err, telegram.ErrForbidden, 403, "Forbidden: bot was blocked by the user")

	require.Equal(t, 200, getJSON(t, hc, "POST", ctl+"/kick", body("chat_id", cred.ChannelID, "bot_id", cred.BotID), nil, nil))
	_, err = c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(cred.ChannelID), Text: "post"})
	requireTelegramError(t, err, telegram.ErrForbidden, 403, "Forbidden: bot was kicked from the channel chat")

	var cerr struct{ Error string }
	assert.Equal(t, 400, getJSON(t, hc, "POST", ctl+"/kick", `{"chat_id":1}`, nil, &cerr))
	assert.Contains(t, cerr.Error, "bot_id")

	// A malformed token.
	bad := telegramClient(t, sb, "0123456:MOCK"+strings.Repeat("x", 30))
	_, err = bad.GetMe(ctx)
	requireTelegramError(t, err, telegram.ErrUnauthorized, 401, "Unauthorized: invalid token specified")
}

// TestTelegramLongPollCutBySetWebhook: a long poll under way answers 409
// "Conflict: terminated by setWebhook request" when the webhook is set.
func TestTelegramLongPollCutBySetWebhook(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("telegram"))
	cred := sb.Credentials.Telegram
	poller := telegramClient(t, sb, cred.BotToken)
	setter := telegramClient(t, sb, cred.BotToken)
	ctx := context.Background()
	errc := make(chan error, 1)
	go func() {
		_, err := poller.GetUpdates(ctx, &telegram.GetUpdatesRequest{Timeout: 30})
		errc <- err
	}()
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(t, sb.Telegram.AwaitPolling(wctx, cred.BotID), "the long poll never started")
	require.NoError(t, setter.SetWebhook(ctx, &telegram.SetWebhookRequest{URL: "http://127.0.0.1:1/hook"}))
	requireTelegramError(t, <-errc, telegram.ErrConflict, 409, "Conflict: terminated by setWebhook request")
}
