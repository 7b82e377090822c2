package gpmock_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/gospubliki"
)

// TestPostAnalyticsFromTheReport: without WithPublishedParts the server
// reads the statistics of the posts it published itself, at the pages of
// their publication report; a page the post did not reach has none.
func TestPostAnalyticsFromTheReport(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	vkc, okc, _ := r.connectAll(t)
	p, err := r.editor.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Новость"), Targets: []string{vkc.Ref}})
	require.NoError(t, err)
	_, err = r.editor.SubmitPost(ctx, p.ID)
	require.NoError(t, err)
	_, err = r.moderator.ApprovePost(ctx, p.ID)
	require.NoError(t, err)
	got, err := r.editor.PublishPost(ctx, p.ID, true)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostPublished, got.Status)
	rep, err := r.editor.PostReport(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, rep.Items, 1)

	res, err := r.admin.CollectAnalytics(ctx)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	an, err := r.editor.PostAnalytics(ctx, p.ID, gospubliki.AnalyticsQuery{})
	require.NoError(t, err)
	require.Len(t, an.Pages, 1, "the post's one page")
	require.Equal(t, vkc.Ref, an.Pages[0].PageRef)
	require.NotEqual(t, okc.Ref, an.Pages[0].PageRef)
	require.Empty(t, an.Pages[0].Error)
	samples := 0
	for _, b := range an.Pages[0].Buckets {
		samples += b.Samples
	}
	require.Equal(t, 1, samples, "one reading of the post's statistics on VK")
}
