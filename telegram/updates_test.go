package telegram_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/telegram"
)

func update(id int64) map[string]any {
	return map[string]any{"update_id": id, "channel_post": channelMessage(id)}
}

func TestGetUpdatesEncoding(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"getUpdates", rec.wrap(okResponder(t, []any{
		update(1001),
		map[string]any{"update_id": 1002, "my_chat_member": map[string]any{
			"chat": map[string]any{"id": -1001, "type": "channel"}, "from": map[string]any{"id": 1, "is_bot": false, "first_name": "И"},
			"date": 1, "old_chat_member": map[string]any{"status": "left", "user": map[string]any{"id": 2, "is_bot": true, "first_name": "B"}},
			"new_chat_member": adminMember(true)}},
	})))
	ups, err := c.GetUpdates(t.Context(), &telegram.GetUpdatesRequest{Offset: 1001, Limit: 10, Timeout: 5, AllowedUpdates: []string{}})
	require.NoError(t, err)
	require.Len(t, ups, 2)
	assert.Equal(t, telegram.UpdateChannelPost, ups[0].Kind())
	assert.Equal(t, "Новость", ups[0].AnyMessage().Text)
	assert.Equal(t, telegram.UpdateMyChatMember, ups[1].Kind())
	assert.True(t, ups[1].MyChatMember.NewChatMember.CanPost())
	assert.JSONEq(t, `{"offset":1001,"limit":10,"timeout":5,"allowed_updates":[]}`, string(rec.last(t).Body))

	_, err = c.GetUpdates(t.Context(), nil)
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(rec.last(t).Body), "nil AllowedUpdates keeps the previous setting")
}

func TestWebhookMethods(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"setWebhook", rec.wrap(okResponder(t, true)))
	mt.RegisterResponder(http.MethodPost, apiBase+"deleteWebhook", rec.wrap(okResponder(t, true)))
	ctx := t.Context()
	require.NoError(t, c.SetWebhook(ctx, &telegram.SetWebhookRequest{
		URL: "https://gov.example/tg", SecretToken: "s3cr3t_-", MaxConnections: 10,
		AllowedUpdates: []string{telegram.UpdateChannelPost, telegram.UpdateMyChatMember}, DropPendingUpdates: true,
	}))
	assert.JSONEq(t, `{"url":"https://gov.example/tg","secret_token":"s3cr3t_-","max_connections":10,
		"allowed_updates":["channel_post","my_chat_member"],"drop_pending_updates":true}`, string(rec.last(t).Body))

	cert := telegram.FileBytes("cert.pem", []byte("-----BEGIN CERTIFICATE-----"))
	require.NoError(t, c.SetWebhook(ctx, &telegram.SetWebhookRequest{URL: "https://gov.example/tg", Certificate: &cert}))
	fields, files := multipartBody(t, rec.last(t))
	assert.Equal(t, map[string]string{"url": "https://gov.example/tg"}, fields)
	assert.Equal(t, "cert.pem", files["certificate"].Filename)

	require.NoError(t, c.DeleteWebhook(ctx, &telegram.DeleteWebhookRequest{DropPendingUpdates: true}))
	assert.JSONEq(t, `{"drop_pending_updates":true}`, string(rec.last(t).Body))
	require.NoError(t, c.DeleteWebhook(ctx, nil))

	// A local Bot API server accepts http webhooks.
	local, mt2 := setup(t, core.WithBaseURL("http://127.0.0.1:8081"))
	mt2.RegisterResponder(http.MethodPost, "http://127.0.0.1:8081/bot"+testToken+"/setWebhook", okResponder(t, true))
	require.NoError(t, local.SetWebhook(ctx, &telegram.SetWebhookRequest{URL: "http://10.0.0.5:8080/tg"}))
}

// TestPollOffsets checks that an update is confirmed only after its handler
// succeeded, that a failed update is fetched again, and that 409 ends Poll.
func TestPollOffsets(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	var mu sync.Mutex
	var offsets []int64
	calls := 0
	mt.RegisterResponder(http.MethodPost, apiBase+"getUpdates", func(req *http.Request) (*http.Response, error) {
		var body struct {
			Offset  int64 `json:"offset"`
			Timeout int   `json:"timeout"`
			Limit   int   `json:"limit"`
		}
		_ = json.NewDecoder(req.Body).Decode(&body)
		mu.Lock()
		offsets = append(offsets, body.Offset)
		calls++
		n := calls
		mu.Unlock()
		assert.Equal(t, 2, body.Timeout)
		assert.Equal(t, 50, body.Limit)
		switch n {
		case 1:
			return okResponder(t, []any{update(10), update(11)})(req)
		case 2:
			return okResponder(t, []any{update(11), update(12)})(req)
		case 3:
			return okResponder(t, []any{})(req)
		}
		return errResponder(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", nil)(req)
	})
	var handled []int64
	var errs []error
	failed := false
	err := c.LongPoll(t.Context(), telegram.LongPollOptions{
		Timeout: 2 * time.Second, Limit: 50, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond,
		OnError: func(err error) { errs = append(errs, err) },
	}, func(_ context.Context, u telegram.Update) error {
		handled = append(handled, u.UpdateID)
		if u.UpdateID == 11 && !failed {
			failed = true
			return errors.New("database unavailable")
		}
		return nil
	})
	require.ErrorIs(t, err, telegram.ErrConflict)
	assert.Equal(t, []int64{10, 11, 11, 12}, handled)
	mu.Lock()
	assert.Equal(t, []int64{0, 11, 13, 13}, offsets)
	mu.Unlock()
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Error(), "database unavailable")
}

func TestPollBacksOffAndStops(t *testing.T) {
	t.Parallel()
	clk := coretest.NewAutoClock()
	c, mt := setup(t, core.WithRetry(0, 0, 0), core.WithClock(clk))
	mt.RegisterResponder(http.MethodPost, apiBase+"getUpdates", seq(
		errResponder(500, "Internal Server Error", nil),
		okResponder(t, []any{update(1)}),
		errResponder(401, "Unauthorized", nil),
	))
	var errs []error
	var got []int64
	err := c.LongPoll(t.Context(), telegram.LongPollOptions{
		OnError: func(err error) { errs = append(errs, err) }},
		func(_ context.Context, u telegram.Update) error { got = append(got, u.UpdateID); return nil })
	require.ErrorIs(t, err, telegram.ErrUnauthorized)
	assert.Equal(t, []int64{1}, got)
	require.Len(t, errs, 1)
	assert.Equal(t, 3, mt.GetTotalCallCount())
	// One failure: one backoff of the default 1 s (jittered to 0.5-1 s),
	// waited on the client's clock.
	assert.GreaterOrEqual(t, clk.Slept(), 500*time.Millisecond)
	assert.LessOrEqual(t, clk.Slept(), time.Second)

	// Cancelling the context ends Poll with ctx.Err().
	c2, mt2 := setup(t)
	mt2.RegisterResponder(http.MethodPost, apiBase+"getUpdates", okResponder(t, []any{update(1)}))
	ctx, cancel := context.WithCancel(t.Context())
	err = c2.LongPoll(ctx, telegram.LongPollOptions{}, func(context.Context, telegram.Update) error { cancel(); return nil })
	require.ErrorIs(t, err, context.Canceled)

	// A panicking handler is an error, not a crash; the update is retried.
	c3, mt3 := setup(t)
	mt3.RegisterResponder(http.MethodPost, apiBase+"getUpdates", seq(okResponder(t, []any{update(1)}), okResponder(t, []any{update(1)}),
		errResponder(409, "Conflict", nil)))
	n := 0
	err = c3.LongPoll(t.Context(), telegram.LongPollOptions{MinBackoff: time.Millisecond}, func(context.Context, telegram.Update) error {
		n++
		if n == 1 {
			panic("boom")
		}
		return nil
	})
	require.ErrorIs(t, err, telegram.ErrConflict)
	assert.Equal(t, 2, n)
	require.Error(t, c3.LongPoll(t.Context(), telegram.LongPollOptions{}, nil))
}
