package gpmock_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/gospubliki"
)

// TestPostAnalyticsFromReport: a post published through the cabinet to
// the VK page and the OK group gets post statistics from both networks
// once the clock has advanced a day, with no WithPublishedParts: the
// server reads the receipts of its publication report. A failed page has
// no post statistics.
func TestPostAnalyticsFromReport(t *testing.T) {
	ctx := context.Background()
	r := &publishRig{cabinetRig: newRig(t)}
	r.vkc, r.okc, r.tgc = r.connectAll(t)
	ten := r.sb.DefaultTenant()
	p := r.approved(t, gospubliki.PostInput{Text: gospubliki.Ptr("Итоги недели"), Targets: []string{r.vkc.Ref, r.okc.Ref}})
	got, err := r.editor.PublishPost(ctx, p.ID, true)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostPublished, got.Status)
	vkl, okl := lineOf(t, got, r.vkc.Ref), lineOf(t, got, r.okc.Ref)
	require.NotEmpty(t, vkl.NetworkPostID)
	require.NotEmpty(t, okl.NetworkPostID)
	// Not published anywhere yet: no pages in its analytics.
	draft, err := r.editor.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Черновик"), Targets: []string{r.vkc.Ref}})
	require.NoError(t, err)
	none, err := r.editor.PostAnalytics(ctx, draft.ID, gospubliki.AnalyticsQuery{})
	require.NoError(t, err)
	require.Empty(t, none.Pages)

	// Two readings an hour apart (the clock's move also runs the hourly
	// schedule): both pages of the report have samples of their own.
	from := ten.Clock.Now().UTC()
	res, err := r.admin.CollectAnalytics(ctx)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	ten.Clock.Advance(time.Hour)
	res, err = r.admin.CollectAnalytics(ctx)
	require.NoError(t, err)
	require.Empty(t, res.Errors)

	rep, err := r.moderator.PostAnalytics(ctx, p.ID, gospubliki.AnalyticsQuery{From: from, To: from.Add(48 * time.Hour)})
	require.NoError(t, err)
	require.Len(t, rep.Pages, 2)
	for _, pa := range rep.Pages {
		require.Contains(t, []string{r.vkc.Ref, r.okc.Ref}, pa.PageRef)
		require.Empty(t, pa.Error, pa.PageRef)
		samples, views := 0, int64(0)
		for _, b := range pa.Buckets {
			samples += b.Samples
			views = max(views, b.Views, b.Reach) // OK reports reach, VK views
		}
		require.GreaterOrEqual(t, samples, 2, "%s: a sample per reading", pa.PageRef)
		require.Positive(t, views, pa.PageRef)
	}
}
