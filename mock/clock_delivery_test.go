package mock_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/telegram"
)

// TestFrozenClockDrivesWebhookRedelivery: on a frozen sandbox clock a
// failed webhook delivery waits for the clock, and the test sees the
// redelivery as soon as Advance returns, without sleeping.
func TestFrozenClockDrivesWebhookRedelivery(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("telegram"), mock.WithFrozenClock(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)),
		mock.WithTelegramOptions(tgmock.WithWebhookRetry(time.Minute, time.Hour)))
	var calls atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	defer hook.Close()
	cred := sb.Credentials.Telegram
	c := telegramClient(t, sb, cred.BotToken)
	ctx := context.Background()
	require.NoError(t, c.SetWebhook(ctx, &telegram.SetWebhookRequest{URL: hook.URL}))

	seq := sb.Journal.Seq()
	_, err := sb.Telegram.PostAsUser(cred.ChannelID, world.DefaultChiefTelegramID, "Пост")
	require.NoError(t, err)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	first, err := sb.Journal.Await(wctx, world.Filter{Party: tgmock.Party, Method: "webhook", AfterSeq: seq})
	require.NoError(t, err)
	assert.Equal(t, 502, first.Status)
	sb.Telegram.WaitWebhooksIdle() // the failed delivery has scheduled its redelivery

	sb.Clock.Advance(time.Minute)
	assert.Equal(t, int32(2), calls.Load(), "the redelivery ran within Advance")
	es := sb.Journal.Entries(world.Filter{Party: tgmock.Party, Method: "webhook", AfterSeq: seq})
	require.Len(t, es, 2)
	assert.Equal(t, 200, es[1].Status)
	assert.Equal(t, "1", es[1].Params["attempt"])
}
