package gospubliki_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock/delivery"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// hookWorld is a cabinet server on a frozen world clock whose webhooks go
// through a delivery engine of the test.
type hookWorld struct {
	t     *testing.T
	w     *world.World
	eng   *delivery.Engine
	srv   *gpmock.Server
	url   string
	users cabinetUsers
}

func newHookWorld(t *testing.T) *hookWorld {
	t.Helper()
	w, err := world.New(world.WithEmptyScenario(), world.WithFrozenClock(coretest.Epoch))
	require.NoError(t, err)
	require.NoError(t, w.AddOrganization(world.Organization{OID: orgA, FullName: "A", Type: world.OrgAgency, AgencyType: world.AgencyRegional}))
	eng := delivery.New(delivery.Config{Party: gpmock.PartyName, Clock: w.Clock, Journal: w.Journal, RetryMin: time.Second, RetryMax: time.Minute})
	t.Cleanup(eng.Close)
	srv := gpmock.New(gpmock.WithWorld(w), gpmock.WithWebhookEngine(eng))
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	hw := &hookWorld{t: t, w: w, eng: eng, srv: srv, url: hs.URL}
	f := &fixture{t: t, srv: srv, url: hs.URL}
	hw.users = f.seedKind(gpmock.KindInstitution, orgA, "+79990000009")
	return hw
}

func (hw *hookWorld) client(u gpmock.User) *gospubliki.Client {
	c, err := gospubliki.New(core.WithBaseURL(hw.url), core.WithRetry(0, 0, 0))
	require.NoError(hw.t, err)
	_, err = c.Login(context.Background(), u.Phone, password)
	require.NoError(hw.t, err)
	return c
}

// captured is a request the receiver got.
type captured struct {
	header http.Header
	body   []byte
}

// receiver verifies deliveries with the client's verifier on the world
// clock; it fails the first `fail` verified deliveries with an error.
type receiver struct {
	mu     sync.Mutex
	v      *gospubliki.WebhookVerifier
	fail   int
	got    []*gospubliki.WebhookEvent
	raw    []captured
	status []int
	srv    *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.raw = append(rc.raw, captured{r.Header.Clone(), body})
		v := rc.v
		rc.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		v.Handler(func(ctx context.Context, ev *gospubliki.WebhookEvent) error {
			rc.mu.Lock()
			defer rc.mu.Unlock()
			if rc.fail > 0 {
				rc.fail--
				return errors.New("busy")
			}
			rc.got = append(rc.got, ev)
			return nil
		}).ServeHTTP(rec, r)
		rc.mu.Lock()
		rc.status = append(rc.status, rec.Code)
		rc.mu.Unlock()
		w.WriteHeader(rec.Code)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// resend sends a captured request to the receiver again and returns the
// status.
func (rc *receiver) resend(t *testing.T, c captured) int {
	req, err := http.NewRequest(http.MethodPost, rc.srv.URL, bytes.NewReader(c.body))
	require.NoError(t, err)
	req.Header = c.header.Clone()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// TestWebhookDeliveryEndToEnd: server → delivery engine → a receiver
// using the client's verifier. The receiver fails twice; the retries come
// as the world clock advances, with the same delivery id, a growing
// redelivery counter and fresh signatures; the log shows the attempts and
// the journal each attempt. A replayed, tampered or stale request is
// refused.
func TestWebhookDeliveryEndToEnd(t *testing.T) {
	hw := newHookWorld(t)
	ctx := context.Background()
	rc := newReceiver(t)
	admin := hw.client(hw.users.admin)
	hook, err := admin.CreateWebhook(ctx, gospubliki.WebhookInput{URL: rc.srv.URL + "/hooks", Events: []string{"post.submitted", "post.approved"}})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(hook.Secret, "whsec_"))
	require.NotContains(t, hook.String(), hook.Secret)
	again, err := admin.Webhook(ctx, hook.ID)
	require.NoError(t, err)
	require.Empty(t, again.Secret, "the secret is shown once")
	rc.mu.Lock()
	rc.v = gospubliki.NewWebhookVerifier(hook.Secret, gospubliki.WithWebhookClock(hw.w.Clock))
	rc.fail = 2
	rc.mu.Unlock()

	ed, mod := hw.client(hw.users.editor), hw.client(hw.users.moderator)
	p, err := ed.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Новость"), Targets: []string{"vk:-1"}})
	require.NoError(t, err)
	hw.eng.WaitIdle()
	require.Empty(t, rc.raw, "a created draft is not a subscribed event")
	_, err = ed.SubmitPost(ctx, p.ID)
	require.NoError(t, err)
	hw.eng.WaitIdle()

	deliveries := func() []gospubliki.WebhookDelivery {
		var out []gospubliki.WebhookDelivery
		for d, err := range admin.WebhookDeliveries(ctx, hook.ID, gospubliki.PageRequest{Limit: 1}) {
			require.NoError(t, err)
			out = append(out, d)
		}
		return out
	}
	ds := deliveries()
	require.Len(t, ds, 1)
	require.Equal(t, gospubliki.DeliveryPending, ds[0].Status)
	require.Equal(t, 1, ds[0].Attempts)
	require.Equal(t, http.StatusInternalServerError, ds[0].LastStatus)

	hw.w.Clock.Advance(time.Second) // the first retry, failing again
	hw.w.Clock.Advance(2 * time.Second)
	hw.eng.WaitIdle()
	ds = deliveries()
	require.Equal(t, gospubliki.DeliveryDelivered, ds[0].Status)
	require.Equal(t, 3, ds[0].Attempts)
	require.Equal(t, http.StatusNoContent, ds[0].LastStatus)
	require.Equal(t, coretest.Epoch.Add(3*time.Second), ds[0].DeliveredAt.UTC())

	rc.mu.Lock()
	require.Len(t, rc.got, 1)
	ev := rc.got[0]
	require.Equal(t, "post.submitted", ev.Type)
	require.Equal(t, p.ID, ev.PostID)
	require.Equal(t, hw.users.cabinet.ID, ev.CabinetID)
	require.Equal(t, hw.users.editor.ID, ev.UserID)
	require.Equal(t, ds[0].ID, ev.ID)
	require.Equal(t, 2, ev.Attempt)
	require.Len(t, rc.raw, 3)
	var sigs []string
	for i, c := range rc.raw {
		require.Equal(t, strconv.FormatInt(ev.ID, 10), c.header.Get(gospubliki.HeaderWebhookDelivery))
		require.Equal(t, strconv.Itoa(i), c.header.Get(gospubliki.HeaderWebhookAttempt))
		require.Equal(t, "post.submitted", c.header.Get(gospubliki.HeaderWebhookEvent))
		sigs = append(sigs, c.header.Get(gospubliki.HeaderWebhookSignature))
	}
	require.NotEqual(t, sigs[0], sigs[2], "each attempt is signed at its own time")
	first, last := rc.raw[0], rc.raw[2]
	rc.mu.Unlock()
	require.Equal(t, 3, hw.w.Journal.Count(gpmock.PartyName, "webhook"))

	// A replay of the accepted request, a tampered body, a stale request.
	require.Equal(t, http.StatusConflict, rc.resend(t, last))
	tampered := captured{last.header, bytes.Replace(last.body, []byte("post.submitted"), []byte("post.approved"), 1)}
	require.Equal(t, http.StatusUnauthorized, rc.resend(t, tampered))
	hw.w.Clock.Advance(6 * time.Minute)
	require.Equal(t, http.StatusUnauthorized, rc.resend(t, first))
	rc.mu.Lock()
	require.Len(t, rc.got, 1)
	rc.mu.Unlock()

	// The approval is delivered at once.
	_, err = mod.ApprovePost(ctx, p.ID)
	require.NoError(t, err)
	hw.eng.WaitIdle()
	rc.mu.Lock()
	require.Len(t, rc.got, 2)
	require.Equal(t, "post.approved", rc.got[1].Type)
	require.Equal(t, 0, rc.got[1].Attempt)
	rc.mu.Unlock()
	ds = deliveries()
	require.Len(t, ds, 2)
	require.Equal(t, "post.approved", ds[0].EventType, "newest first")

	// A deleted endpoint hears nothing more.
	rc.mu.Lock()
	before := len(rc.raw)
	rc.mu.Unlock()
	require.NoError(t, admin.DeleteWebhook(ctx, hook.ID))
	p2, err := ed.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Ещё"), Targets: []string{"vk:-1"}})
	require.NoError(t, err)
	_, err = ed.SubmitPost(ctx, p2.ID)
	require.NoError(t, err)
	hw.eng.WaitIdle()
	rc.mu.Lock()
	require.Len(t, rc.raw, before)
	rc.mu.Unlock()
	_, err = admin.Webhook(ctx, hook.ID)
	requireCode(t, err, gospubliki.CodeNotFound)
}

// TestWebhookGivesUp: a receiver that always fails gets MaxWebhookAttempts
// attempts on the world clock, then the delivery fails for good; a host
// outside loopback fails at once.
func TestWebhookGivesUp(t *testing.T) {
	hw := newHookWorld(t)
	ctx := context.Background()
	var mu sync.Mutex
	var hits int
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(down.Close)
	admin := hw.client(hw.users.admin)
	hook, err := admin.CreateWebhook(ctx, gospubliki.WebhookInput{URL: down.URL, Events: []string{"*"}})
	require.NoError(t, err)
	far, err := admin.CreateWebhook(ctx, gospubliki.WebhookInput{URL: "https://integrator.example/hook", Events: []string{"post.submitted"}})
	require.NoError(t, err)
	for _, bad := range []gospubliki.WebhookInput{
		{URL: "ftp://x/y", Events: []string{"*"}},
		{URL: "https://user:pw@x/y", Events: []string{"*"}},
		{URL: "https://x/y"},
		{URL: "https://x/y", Events: []string{"post.typo"}},
	} {
		_, err := admin.CreateWebhook(ctx, bad)
		requireCode(t, err, gospubliki.CodeInvalidRequest)
	}

	ed := hw.client(hw.users.editor)
	p, err := ed.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Новость"), Targets: []string{"vk:-1"}})
	require.NoError(t, err)
	_, err = ed.SubmitPost(ctx, p.ID)
	require.NoError(t, err)
	hw.eng.WaitIdle()
	hw.w.Clock.Advance(time.Hour) // every retry comes due within it
	hw.eng.WaitIdle()

	page, err := admin.ListWebhookDeliveries(ctx, hook.ID, gospubliki.PageRequest{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	d := page.Items[0]
	require.Equal(t, gospubliki.DeliveryFailed, d.Status)
	require.Equal(t, gpmock.MaxWebhookAttempts, d.Attempts)
	require.Equal(t, http.StatusServiceUnavailable, d.LastStatus)
	mu.Lock()
	require.Equal(t, gpmock.MaxWebhookAttempts, hits)
	mu.Unlock()

	page, err = admin.ListWebhookDeliveries(ctx, far.ID, gospubliki.PageRequest{})
	require.NoError(t, err)
	require.Equal(t, gospubliki.DeliveryFailed, page.Items[0].Status)
	require.Equal(t, 1, page.Items[0].Attempts)
	require.Contains(t, page.Items[0].LastError, "loopback")
}
