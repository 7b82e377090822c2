package gpmock_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// holdTransport forwards the publishing requests, so they take effect,
// then holds their answers until release is closed: a server stopped at
// that moment never learns how its publications ended.
type holdTransport struct {
	base    http.RoundTripper
	reached chan string
	release chan struct{}
}

func publishing(r *http.Request) string {
	switch {
	case strings.HasSuffix(r.URL.Path, "/method/wall.post"):
		return "vk"
	case r.URL.Query().Get("method") == "mediatopic.post":
		return "ok"
	case strings.HasSuffix(r.URL.Path, "/sendMessage"):
		return "telegram"
	}
	return ""
}

func (h *holdTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	name := publishing(r)
	resp, err := h.base.RoundTrip(r)
	if name != "" {
		h.reached <- name
		<-h.release
	}
	return resp, err
}

// TestPublishRestartMidway: a cabinet server stops while its three
// publications have reached the networks but not answered. A new server
// over the exported state (with secrets, the same key) publishes the VK
// page again under the same guid, which VK answers with the first post,
// and reports the Telegram and OK pages, which cannot de-duplicate, as of
// unknown outcome without retrying them: one post on each page.
func TestPublishRestartMidway(t *testing.T) {
	ctx := context.Background()
	r := newPublishRig(t)
	vk0, ok0, tg0 := r.counts()
	p := r.approved(t, gospubliki.PostInput{Text: gospubliki.Ptr("Перезапуск"), Targets: r.all()})

	// Server A, on the sandbox's world, with answers held.
	hc := r.sb.HTTPClient()
	hold := &holdTransport{base: hc.Transport, reached: make(chan string, 3), release: make(chan struct{})}
	hc.Transport = hold
	nets := gpmock.Networks{VKURL: r.sb.VK.URL, OKURL: r.sb.OK.URL, TelegramURL: r.sb.Telegram.URL, HTTPClient: hc,
		Clock: coretest.NewAutoClock()}
	a := gpmock.New(gpmock.WithWorld(r.sb.World), gpmock.WithCredentialKey(gpmock.SandboxCredentialKey()), gpmock.WithNetworks(nets))
	hs := httptest.NewServer(a)
	defer hs.Close()
	creds := r.sb.DefaultTenant().PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	ca, err := gospubliki.New(core.WithBaseURL(hs.URL), core.WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = ca.Login(ctx, creds.Editor.Phone, creds.Editor.Password)
	require.NoError(t, err)
	got, err := ca.PublishPost(ctx, p.ID, false)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostPublishing, got.Status)
	seen := map[string]bool{}
	for range 3 {
		seen[<-hold.reached] = true
	}
	require.Len(t, seen, 3)
	vk, ok, tg := r.counts()
	require.Equal(t, []int{vk0 + 1, ok0 + 1, tg0 + 1}, []int{vk, ok, tg}, "every publication took effect")

	// The state as a stop leaves it.
	full := r.sb.World.Export()
	st, err := gpmock.StateOf(full)
	require.NoError(t, err)
	for _, x := range st.Posts {
		if x.ID == p.ID {
			require.Equal(t, gpmock.PostPublishing, x.Status)
			for _, l := range x.Report {
				require.Equal(t, gpmock.OutcomePending, l.Outcome, l.Target)
			}
		}
	}

	// Server B over the imported state.
	w2, err := world.New(world.WithFrozenClock(start))
	require.NoError(t, err)
	var events []gpmock.Event
	b := gpmock.New(gpmock.WithWorld(w2), gpmock.WithCredentialKey(gpmock.SandboxCredentialKey()),
		gpmock.WithNetworks(gpmock.Networks{VKURL: r.sb.VK.URL, OKURL: r.sb.OK.URL, TelegramURL: r.sb.Telegram.URL,
			HTTPClient: r.sb.HTTPClient(), Clock: coretest.NewAutoClock()}))
	b.OnEvent(func(e gpmock.Event) { events = append(events, e) })
	only := full
	only.Sections = map[string]json.RawMessage{gpmock.SectionName: full.Sections[gpmock.SectionName]}
	require.NoError(t, w2.Import(only))
	b.Wait()
	st2, err := gpmock.StateOf(w2.Export())
	require.NoError(t, err)
	var after gpmock.Post
	for _, x := range st2.Posts {
		if x.ID == p.ID {
			after = x
		}
	}
	require.Equal(t, gpmock.PostPartiallyPublished, after.Status)
	outcomes := map[string]string{}
	for _, l := range after.Report {
		outcomes[l.Target] = l.Outcome
	}
	require.Equal(t, map[string]string{r.vkc.Ref: gpmock.OutcomePublished, r.okc.Ref: gpmock.OutcomeUnknown,
		r.tgc.Ref: gpmock.OutcomeUnknown}, outcomes)
	vkPosts := r.sb.VK.Posts(r.sb.Credentials.VK.GroupID)
	for _, l := range after.Report {
		if l.Target == r.vkc.Ref {
			require.Equal(t, 2, l.Attempts)
			require.Contains(t, l.URL, "_"+jsonInt(vkPosts[len(vkPosts)-1].ID))
		}
	}
	vk, ok, tg = r.counts()
	require.Equal(t, []int{vk0 + 1, ok0 + 1, tg0 + 1}, []int{vk, ok, tg}, "no duplicate after the restart")
	var types []string
	for _, e := range events {
		types = append(types, e.Type)
	}
	require.Contains(t, types, gpmock.EventUnknownOutcome)

	// Server A wakes up: its answers arrive; still one post on each page.
	close(hold.release)
	a.Wait()
	vk, ok, tg = r.counts()
	require.Equal(t, []int{vk0 + 1, ok0 + 1, tg0 + 1}, []int{vk, ok, tg})
}
