package gospubliki_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock/gpmock"
)

// TestPublishTransitions: publishing is refused from every status but
// approved, scheduled, failed and partially published; a page whose
// network cannot be reached fails with its reason and may be published
// again; a deleted scheduled post is never published.
func TestPublishTransitions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e := env{f: f, cu: f.a}
	ed := f.client(f.a.editor)
	for _, st := range []gospubliki.PostStatus{gospubliki.PostDraft, gospubliki.PostSubmitted, gospubliki.PostReturned, gospubliki.PostEdited} {
		_, err := ed.PublishPost(ctx, e.post(st), true)
		requireCode(t, err, gospubliki.CodeInvalidTransition)
	}

	id := e.post(gospubliki.PostApproved)
	p, err := ed.PublishPost(ctx, id, true)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostFailed, p.Status)
	require.Len(t, p.Report, 2)
	for _, x := range p.Report {
		require.Equal(t, gospubliki.OutcomeFailed, x.Outcome)
		require.Equal(t, "not_connected", x.Code)
		require.Equal(t, 1, x.Attempts)
	}
	// Failed pages are published again on demand.
	p, err = ed.PublishPost(ctx, id, true)
	require.NoError(t, err)
	require.Equal(t, 2, p.Report[0].Attempts)
	// A failed post cannot go back to moderation or be edited as a draft.
	_, err = ed.SubmitPost(ctx, id)
	requireCode(t, err, gospubliki.CodeInvalidTransition)
	_, err = ed.UpdatePost(ctx, id, gospubliki.PostInput{Text: gospubliki.Ptr("x")})
	requireCode(t, err, gospubliki.CodeInvalidTransition)
	rep, err := f.client(f.a.moderator).PostReport(ctx, id)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostFailed, rep.Status)
	require.Equal(t, p.Report, rep.Items)

	// A scheduled post deleted before its time is never published.
	mod := f.client(f.a.moderator)
	at := f.clock.Now().Add(time.Hour)
	q, err := ed.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Позже"), Targets: []string{"vk:-1"}, PublishAt: &at})
	require.NoError(t, err)
	_, err = ed.SubmitPost(ctx, q.ID)
	require.NoError(t, err)
	a, err := mod.ApprovePost(ctx, q.ID)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostScheduled, a.Status)
	d, err := ed.DeletePost(ctx, q.ID)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostDeleted, d.Status)
	f.clock.Advance(2 * time.Hour)
	got, err := ed.Post(ctx, q.ID)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostDeleted, got.Status)
	require.Empty(t, got.Report)
	_, err = ed.PublishPost(ctx, q.ID, true)
	requireCode(t, err, gospubliki.CodeInvalidTransition)

	// A scheduled post is published when the clock reaches its time.
	r, err := ed.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("В срок"), Targets: []string{"ok:1"}, PublishAt: gospubliki.Ptr(f.clock.Now().Add(time.Hour))})
	require.NoError(t, err)
	_, err = ed.SubmitPost(ctx, r.ID)
	require.NoError(t, err)
	_, err = mod.ApprovePost(ctx, r.ID)
	require.NoError(t, err)
	events := make(chan string, 4)
	f.srv.OnEvent(func(e gpmock.Event) {
		if e.PostID == r.ID {
			events <- e.Type
		}
	})
	f.clock.Advance(time.Hour)
	select {
	case typ := <-events:
		require.Equal(t, gpmock.EventFailed, typ, "published by the clock (failed: nothing connected)")
	case <-t.Context().Done():
		t.Fatal("the scheduled post was not published")
	}
	got, err = ed.Post(ctx, r.ID)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostFailed, got.Status)
}
