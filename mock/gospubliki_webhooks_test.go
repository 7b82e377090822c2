package mock_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// TestGospublikiWebhooksSandbox: in a sandbox the cabinet's webhooks go
// through the tenant's delivery engine: attempts journaled under the
// tenant, the retry driven by the tenant's world clock, the receiver
// verifying with the client's verifier on that clock.
func TestGospublikiWebhooksSandbox(t *testing.T) {
	ctx := context.Background()
	sb, err := mock.New(mock.WithParties(gpmock.PartyName), mock.WithFrozenClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
	require.NoError(t, err)
	defer sb.Close()
	tn := sb.DefaultTenant()
	creds := tn.PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	admin := gpLogin(t, creds.URL, creds.LKOAdmin)

	var mu sync.Mutex
	var v *gospubliki.WebhookVerifier
	var got []*gospubliki.WebhookEvent
	fail := 1
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		vv := v
		mu.Unlock()
		vv.Handler(func(_ context.Context, ev *gospubliki.WebhookEvent) error {
			mu.Lock()
			defer mu.Unlock()
			if fail > 0 {
				fail--
				return errors.New("not yet")
			}
			got = append(got, ev)
			return nil
		}).ServeHTTP(w, r)
	}))
	defer rcv.Close()
	hook, err := admin.CreateWebhook(ctx, gospubliki.WebhookInput{URL: rcv.URL, Events: []string{"post.submitted"}})
	require.NoError(t, err)
	mu.Lock()
	v = gospubliki.NewWebhookVerifier(hook.Secret, gospubliki.WithWebhookClock(tn.Clock))
	mu.Unlock()

	editor := gpLogin(t, creds.URL, creds.Editor)
	p, err := editor.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Новость"), Targets: []string{"vk:-200000001"}})
	require.NoError(t, err)
	_, err = editor.SubmitPost(ctx, p.ID)
	require.NoError(t, err)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	first, err := tn.Journal.Await(wctx, world.Filter{Party: gpmock.PartyName, Method: "webhook", Param: "attempt", ParamValue: "0"})
	require.NoError(t, err)
	require.Equal(t, http.StatusInternalServerError, first.Status)
	require.Equal(t, tn.Name, first.Tenant)
	tn.Clock.Advance(time.Second) // the retry, within the Advance
	second, err := tn.Journal.Await(wctx, world.Filter{Party: gpmock.PartyName, Method: "webhook", Param: "attempt", ParamValue: "1"})
	require.NoError(t, err)
	require.Equal(t, http.StatusNoContent, second.Status)

	mu.Lock()
	require.Len(t, got, 1)
	require.Equal(t, p.ID, got[0].PostID)
	require.Equal(t, 1, got[0].Attempt)
	mu.Unlock()
	page, err := admin.ListWebhookDeliveries(ctx, hook.ID, gospubliki.PageRequest{})
	require.NoError(t, err)
	require.Equal(t, gospubliki.DeliveryDelivered, page.Items[0].Status)
	require.Equal(t, 2, page.Items[0].Attempts)
}
