package gpmock_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// pngBytes is the smallest content that sniffs as image/png.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")

// publishRig is a rig on a frozen clock whose network clients wait on a
// virtual clock (limiter pauses and Retry-After waits take no time), with
// the three default pages connected and the cabinet's events recorded.
type publishRig struct {
	*cabinetRig
	vkc, okc, tgc *gospubliki.Community
	mu            sync.Mutex
	events        []gpmock.Event
}

// With driven, the clients' waits move the frozen world clock instead
// (coretest.Driven), so that the emulators' own limits see the time the
// waits took; publications run by a world clock timer must not wait then.
func newPublishRig(t *testing.T, driven ...bool) *publishRig {
	t.Helper()
	var clk core.Clock = coretest.NewAutoClock()
	var sb *mock.Sandbox
	if len(driven) > 0 && driven[0] {
		clk = coretest.NewDriven(func() time.Time { return sb.Clock.Now() }, func(d time.Duration) { sb.Clock.Advance(d) })
	}
	r := &publishRig{cabinetRig: newRig(t, mock.WithFrozenClock(start),
		mock.WithGospublikiOptions(gpmock.WithNetworkClock(clk)))}
	sb = r.sb
	r.vkc, r.okc, r.tgc = r.connectAll(t)
	r.sb.DefaultTenant().Gospubliki.OnEvent(func(e gpmock.Event) {
		r.mu.Lock()
		r.events = append(r.events, e)
		r.mu.Unlock()
	})
	return r
}

func (r *publishRig) eventTypes(post int64) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		if e.PostID == post {
			out = append(out, e.Type)
		}
	}
	return out
}

// approved creates a post to targets, submits and approves it.
func (r *publishRig) approved(t *testing.T, in gospubliki.PostInput) *gospubliki.Post {
	t.Helper()
	ctx := context.Background()
	p, err := r.editor.CreatePost(ctx, in)
	require.NoError(t, err)
	_, err = r.editor.SubmitPost(ctx, p.ID)
	require.NoError(t, err)
	a, err := r.moderator.ApprovePost(ctx, p.ID)
	require.NoError(t, err)
	return a
}

func (r *publishRig) all() []string { return []string{r.vkc.Ref, r.okc.Ref, r.tgc.Ref} }

func (r *publishRig) counts() (vk, ok, tg int) {
	cr := r.sb.Credentials
	return len(r.sb.VK.Posts(cr.VK.GroupID)), len(r.sb.OK.Topics(cr.OK.GroupID)), len(r.sb.Telegram.Messages(cr.Telegram.ChannelID))
}

func lineOf(t *testing.T, p *gospubliki.Post, target string) gospubliki.PageReport {
	t.Helper()
	for _, x := range p.Report {
		if x.Target == target {
			return x
		}
	}
	t.Fatalf("no report line for %s", target)
	return gospubliki.PageReport{}
}

// TestPublishScheduledAcrossClockJump: three posts scheduled at 10:00,
// 11:00 and 12:00 are each published exactly once when the clock jumps
// past all three at once; a later jump publishes nothing more.
func TestPublishScheduledAcrossClockJump(t *testing.T) {
	ctx := context.Background()
	r := newPublishRig(t)
	vk0, ok0, tg0 := r.counts()
	var ids []int64
	for i := range 3 {
		at := start.Add(time.Duration(i+1) * time.Hour)
		p := r.approved(t, gospubliki.PostInput{Text: gospubliki.Ptr(fmt.Sprintf("Новость %d", i)), Targets: r.all(), PublishAt: &at,
			Urgency: gospubliki.Ptr(gospubliki.UrgencyOrange)})
		require.Equal(t, gospubliki.PostScheduled, p.Status)
		ids = append(ids, p.ID)
	}
	r.sb.Clock.Advance(90 * time.Minute)
	p0, err := r.editor.Post(ctx, ids[0])
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostPublished, p0.Status)
	p1, err := r.editor.Post(ctx, ids[1])
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostScheduled, p1.Status)

	r.sb.Clock.Advance(5 * time.Hour)
	vk, ok, tg := r.counts()
	require.Equal(t, []int{vk0 + 3, ok0 + 3, tg0 + 3}, []int{vk, ok, tg}, "each post exactly once on each page")
	for _, id := range ids {
		p, err := r.moderator.Post(ctx, id)
		require.NoError(t, err)
		require.Equal(t, gospubliki.PostPublished, p.Status)
		require.NotNil(t, p.PublishedAt)
		require.Len(t, p.Report, 3)
		for _, x := range p.Report {
			require.Equal(t, gospubliki.OutcomePublished, x.Outcome, x.Error)
			require.NotEmpty(t, x.NetworkPostID)
			require.Equal(t, 1, x.Attempts)
		}
		require.Contains(t, lineOf(t, p, r.vkc.Ref).URL, "https://vk.com/wall-")
		rep, err := r.editor.PostReport(ctx, id)
		require.NoError(t, err)
		require.Equal(t, p.Report, rep.Items)
		require.Equal(t, []string{"post.submitted", "post.approved", gpmock.EventPublished}, r.eventTypes(id))
	}
	// Published posts cannot be published, approved or submitted again.
	_, err = r.editor.PublishPost(ctx, ids[0], true)
	requireCode(t, err, gospubliki.CodeInvalidTransition)
	_, err = r.moderator.ApprovePost(ctx, ids[0])
	requireCode(t, err, gospubliki.CodeInvalidTransition)
	_, err = r.editor.SubmitPost(ctx, ids[0])
	requireCode(t, err, gospubliki.CodeInvalidTransition)
	r.sb.Clock.Advance(24 * time.Hour)
	vk2, ok2, tg2 := r.counts()
	require.Equal(t, []int{vk, ok, tg}, []int{vk2, ok2, tg2})
}

func requireCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *gospubliki.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, code, e.Code, "%v", err)
}

// TestPublishNetworkFaults: a dropped connection after VK stored the post
// is retried under the same guid (one post); one after Telegram stored the
// message is an unknown outcome (one message, never retried); an OK
// server error fails with its code and is retried by "publish now", which
// leaves the unknown page alone; a rate-limit answer is waited out.
func TestPublishNetworkFaults(t *testing.T) {
	ctx := context.Background()
	r := newPublishRig(t)
	vk0, ok0, tg0 := r.counts()
	for _, rule := range []world.Rule{
		{Party: "vk", Method: "wall.post", Kind: world.FaultDropAfter, Nth: 1},
		{Party: "telegram", Method: "sendmessage", Kind: world.FaultRateLimit, Nth: 1, RetryAfter: 3},
		{Party: "telegram", Method: "sendmessage", Kind: world.FaultDropAfter, Nth: 2},
		{Party: "ok", Kind: world.FaultError, Code: 1, Description: "UNKNOWN : server error", First: 100},
	} {
		_, err := r.sb.Faults.Add(rule)
		require.NoError(t, err)
	}
	p := r.approved(t, gospubliki.PostInput{Text: gospubliki.Ptr("Сбой сети"), Targets: r.all()})
	got, err := r.editor.PublishPost(ctx, p.ID, true)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostPartiallyPublished, got.Status)
	vkl, okl, tgl := lineOf(t, got, r.vkc.Ref), lineOf(t, got, r.okc.Ref), lineOf(t, got, r.tgc.Ref)
	require.Equal(t, gospubliki.OutcomePublished, vkl.Outcome, vkl.Error)
	require.Equal(t, gospubliki.OutcomeUnknown, tgl.Outcome, tgl.Error)
	require.NotEmpty(t, tgl.Error)
	require.Equal(t, gospubliki.OutcomeFailed, okl.Outcome)
	require.NotEmpty(t, okl.Error)
	require.NotEmpty(t, okl.Code)
	vk, ok, tg := r.counts()
	require.Equal(t, []int{vk0 + 1, ok0, tg0 + 1}, []int{vk, ok, tg}, "VK once despite the retry, Telegram once, OK none")
	require.Equal(t, []string{"post.submitted", "post.approved", gpmock.EventPartiallyPublished, gpmock.EventUnknownOutcome}, r.eventTypes(p.ID))

	// The network recovers: publishing again retries the failed OK page
	// only; the unknown Telegram page is never retried.
	r.sb.Faults.Reset()
	again, err := r.moderator.PublishPost(ctx, p.ID, true)
	require.NoError(t, err)
	require.Equal(t, gospubliki.OutcomePublished, lineOf(t, again, r.okc.Ref).Outcome)
	require.Equal(t, 2, lineOf(t, again, r.okc.Ref).Attempts)
	require.Equal(t, gospubliki.OutcomeUnknown, lineOf(t, again, r.tgc.Ref).Outcome)
	require.Equal(t, 1, lineOf(t, again, r.tgc.Ref).Attempts)
	require.Equal(t, gospubliki.PostPartiallyPublished, again.Status)
	vk, ok, tg = r.counts()
	require.Equal(t, []int{vk0 + 1, ok0 + 1, tg0 + 1}, []int{vk, ok, tg})
	// Nothing left to retry.
	_, err = r.editor.PublishPost(ctx, p.ID, true)
	requireCode(t, err, gospubliki.CodeInvalidTransition)

	// A refusal fails with the network's code and text; a page never
	// connected fails with not_connected.
	_, err = r.sb.Faults.Add(world.Rule{Party: "telegram", Method: "sendmessage", Kind: world.FaultError, Code: 403,
		Description: "Forbidden: bot was kicked from the channel"})
	require.NoError(t, err)
	q := r.approved(t, gospubliki.PostInput{Text: gospubliki.Ptr("Отказ"), Targets: []string{r.tgc.Ref, "vk:-999"}})
	got, err = r.editor.PublishPost(ctx, q.ID, true)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostFailed, got.Status)
	tgl = lineOf(t, got, r.tgc.Ref)
	require.Equal(t, gospubliki.OutcomeFailed, tgl.Outcome)
	require.Equal(t, "403", tgl.Code)
	require.Contains(t, tgl.Error, "bot was kicked")
	require.Equal(t, "not_connected", lineOf(t, got, "vk:-999").Code)
	require.Contains(t, r.eventTypes(q.ID), gpmock.EventFailed)
	b, _ := json.Marshal(got)
	requireNoSecret(t, r.cabinetRig, "a report", string(b))
}

// TestPublishContentEditDelete: a post with a photo, a poll and a link is
// published; an edit reaches VK and Telegram and is reported unsupported
// on OK; a deletion removes it from VK and Telegram.
func TestPublishContentEditDelete(t *testing.T) {
	ctx := context.Background()
	r := newPublishRig(t, true)
	m, err := r.editor.UploadMedia(ctx, "photo.png", "image/png", pngBytes)
	require.NoError(t, err)
	require.Equal(t, len(pngBytes), m.Size)
	_, err = r.editor.UploadMedia(ctx, "fake.png", "image/png", []byte("not a picture"))
	requireCode(t, err, gospubliki.CodeInvalidRequest)
	_, err = r.editor.UploadMedia(ctx, "x.exe", "application/x-msdownload", pngBytes)
	requireCode(t, err, gospubliki.CodeInvalidRequest)
	_, err = r.editor.UploadMedia(ctx, "big.png", "image/png", append(append([]byte{}, pngBytes...), make([]byte, gpmock.MaxMediaBytes)...))
	var e *gospubliki.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, http.StatusRequestEntityTooLarge, e.StatusCode)

	p := r.approved(t, gospubliki.PostInput{Text: gospubliki.Ptr("С фото"), Targets: []string{r.vkc.Ref, r.tgc.Ref},
		Media: []int64{m.ID}, Link: &gospubliki.Link{URL: "https://pos.gosuslugi.ru/"}})
	got, err := r.editor.PublishPost(ctx, p.ID, true)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostPublished, got.Status, "%+v", got.Report)
	require.Equal(t, "photo", lineOf(t, got, r.tgc.Ref).Parts[0].Kind)

	poll := r.approved(t, gospubliki.PostInput{Text: gospubliki.Ptr("Опрос"), Targets: []string{r.tgc.Ref},
		Poll: &gospubliki.Poll{Question: "Удобно?", Options: []string{"Да", "Нет"}}})
	got, err = r.editor.PublishPost(ctx, poll.ID, true)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostPublished, got.Status, "%+v", got.Report)

	ed, err := r.editor.UpdatePost(ctx, p.ID, gospubliki.PostInput{Text: gospubliki.Ptr("С фото, исправлено")})
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostPublished, ed.Status)
	for _, x := range ed.Report {
		require.NotNil(t, x.Edit, x.Target)
		require.True(t, x.Edit.OK, "%s: %s", x.Target, x.Edit.Error)
	}
	vkPosts := r.sb.VK.Posts(r.sb.Credentials.VK.GroupID)
	require.Equal(t, "С фото, исправлено", vkPosts[len(vkPosts)-1].Text)
	_, err = r.editor.UpdatePost(ctx, p.ID, gospubliki.PostInput{Targets: []string{r.okc.Ref}})
	requireCode(t, err, gospubliki.CodeInvalidRequest)

	vk0, _, tg0 := r.counts()
	del, err := r.editor.DeletePost(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostDeleted, del.Status)
	for _, x := range del.Report {
		require.True(t, x.Delete.OK, "%s: %s", x.Target, x.Delete.Error)
	}
	vk1, _, tg1 := r.counts()
	require.Equal(t, vk0-1, vk1)
	require.Less(t, tg1, tg0)
	_, err = r.editor.DeletePost(ctx, p.ID)
	requireCode(t, err, gospubliki.CodeInvalidTransition)
}
