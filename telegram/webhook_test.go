package telegram_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/telegram"
)

const hookSecret = "gov-secret_token-1"

const channelPostBody = `{"update_id": 1001,
 "channel_post": {"message_id": 42, "date": 1767225600,
   "chat": {"id": -1001234567890, "type": "channel", "title": "Минцифры", "username": "mincifry"},
   "sender_chat": {"id": -1001234567890, "type": "channel", "title": "Минцифры"},
   "text": "Новость", "entities": [{"type": "bold", "offset": 0, "length": 7}]}}`

func deliver(h http.Handler, method, secret, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/tg/webhook", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(telegram.SecretTokenHeader, secret)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestWebhookHandler(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []telegram.Update
	var fail error
	h, err := telegram.NewWebhookHandler(hookSecret, func(_ context.Context, u telegram.Update) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, u)
		return fail
	}, telegram.WithWebhookMaxBodyBytes(4096))
	require.NoError(t, err)

	assert.Equal(t, http.StatusUnauthorized, deliver(h, http.MethodPost, "wrong", channelPostBody).Code)
	assert.Equal(t, http.StatusUnauthorized, deliver(h, http.MethodPost, "", channelPostBody).Code)
	assert.Equal(t, http.StatusUnauthorized, deliver(h, http.MethodPost, hookSecret+"x", channelPostBody).Code)
	w := deliver(h, http.MethodGet, hookSecret, "")
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
	assert.Equal(t, http.MethodPost, w.Header().Get("Allow"))
	assert.Empty(t, got, "rejected deliveries never reach the handler")

	assert.Equal(t, http.StatusOK, deliver(h, http.MethodPost, hookSecret, channelPostBody).Code)
	require.Len(t, got, 1)
	assert.Equal(t, int64(1001), got[0].UpdateID)
	require.NotNil(t, got[0].ChannelPost)
	assert.Equal(t, "Новость", got[0].ChannelPost.Text)
	assert.Equal(t, "bold", got[0].ChannelPost.Entities[0].Type)

	fail = errors.New("queue full")
	assert.Equal(t, http.StatusInternalServerError, deliver(h, http.MethodPost, hookSecret, channelPostBody).Code)

	for _, bad := range []string{"", "{", "null", "[]", `"x"`, `{"update_id":"one"}`, `{"message":{}}`, `{"update_id":1} trailing`} {
		assert.Equal(t, http.StatusBadRequest, deliver(h, http.MethodPost, hookSecret, bad).Code, bad)
	}
	big := `{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"` + strings.Repeat("a", 5000) + `"}}`
	assert.Equal(t, http.StatusRequestEntityTooLarge, deliver(h, http.MethodPost, hookSecret, big).Code)
	assert.Len(t, got, 2)
}

func TestWebhookHandlerPanicIs500(t *testing.T) {
	t.Parallel()
	h, err := telegram.NewWebhookHandler(hookSecret, func(context.Context, telegram.Update) error { panic("boom") })
	require.NoError(t, err)
	assert.Equal(t, http.StatusInternalServerError, deliver(h, http.MethodPost, hookSecret, channelPostBody).Code)
}

func TestNewWebhookHandlerChecks(t *testing.T) {
	t.Parallel()
	noop := func(context.Context, telegram.Update) error { return nil }
	_, err := telegram.NewWebhookHandler("", noop)
	require.Error(t, err)
	_, err = telegram.NewWebhookHandler("bad secret", noop)
	require.Error(t, err)
	_, err = telegram.NewWebhookHandler(hookSecret, nil)
	require.Error(t, err)
	h, err := telegram.NewWebhookHandler("", noop, telegram.WithoutSecretToken())
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, deliver(h, http.MethodPost, "", channelPostBody).Code)
	// A secret given together with WithoutSecretToken is still checked.
	h, err = telegram.NewWebhookHandler(hookSecret, noop, telegram.WithoutSecretToken())
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, deliver(h, http.MethodPost, "", channelPostBody).Code)
}
