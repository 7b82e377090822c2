package tgmock_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// TestWebhookRedeliveryOnFrozenClock: with a frozen world clock a failed
// webhook delivery waits for the clock; Advance returns after the
// redelivery; every attempt is journaled with its redelivery counter.
func TestWebhookRedeliveryOnFrozenClock(t *testing.T) {
	e := newEnv(t, tgmock.WithWebhookRetry(time.Minute, time.Hour), tgmock.WithWebhookRedeliveryHeader("X-Retry-Counter"))
	e.w.Clock.Freeze()
	var mu sync.Mutex
	var counters []string
	fail := 2
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		defer mu.Unlock()
		counters = append(counters, r.Header.Get("X-Retry-Counter"))
		if fail > 0 {
			fail--
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer hook.Close()
	got := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), counters...)
	}

	require.True(t, e.call("setWebhook", map[string]any{"url": hook.URL}).resp.OK)
	seq := e.w.Journal.Seq()
	_, err := e.srv.PostAsUser(groupID, empTG, "/start")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	first, err := e.w.Journal.Await(ctx, world.Filter{Party: tgmock.Party, Method: "webhook", AfterSeq: seq})
	require.NoError(t, err)
	assert.Equal(t, 503, first.Status)
	assert.Equal(t, "0", first.Params["attempt"])
	assert.Equal(t, "message", first.Params["update"])
	assert.Equal(t, "bot"+i64(tgmock.DefaultBotID), first.Tenant)
	e.srv.WaitWebhooksIdle() // the failed delivery has scheduled its redelivery

	e.w.Clock.Advance(59 * time.Second)
	assert.Equal(t, []string{"0"}, got(), "no redelivery before the backoff")
	e.w.Clock.Advance(time.Second)
	assert.Equal(t, []string{"0", "1"}, got(), "Advance returned after the redelivery")
	var info tgmock.WebhookInfo
	e.call("getWebhookInfo", nil).decode(t, &info)
	assert.Equal(t, "Wrong response from the webhook: 503 Service Unavailable", info.LastErrorMessage)
	assert.Equal(t, e.w.Clock.Now().Unix(), info.LastErrorDate)
	assert.Equal(t, 1, info.PendingUpdateCount)

	e.w.Clock.Advance(2 * time.Minute) // the backoff doubled
	assert.Equal(t, []string{"0", "1", "2"}, got())
	e.call("getWebhookInfo", nil).decode(t, &info)
	assert.Zero(t, info.PendingUpdateCount, "delivered and taken off the queue")
	assert.Equal(t, 3, e.w.Journal.Count(tgmock.Party, "webhook"))

	// deleteWebhook drops nothing scheduled that could fire later.
	require.True(t, e.call("deleteWebhook", nil).resp.OK)
	assert.Zero(t, e.w.Clock.Pending())
}
