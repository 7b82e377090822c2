package govmark_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/govmark"
	"github.com/gospubliki/gosdk/mock/world"
)

func okWorld(t *testing.T) (*world.World, int64) {
	w, err := world.New(world.WithFrozenClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)))
	require.NoError(t, err)
	const id = 7001
	require.NoError(t, w.AddPage(world.Page{Network: world.NetworkOK, ID: id, Kind: world.PageGroup, Title: "Группа",
		Admins: []world.PageAdmin{{PersonOID: world.DefaultChiefOID, Role: world.OKRoleAdmin}}}))
	return w, id
}

func TestReviewDecidesOnTheWorldClock(t *testing.T) {
	w, id := okWorld(t)
	calls := 0
	r := govmark.NewReviewer(w, 0)
	mark, err := r.Submit(world.NetworkOK, id, func(p world.Page) []string {
		calls++
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, world.GovUnderReview, mark.Status)
	w.Clock.Advance(govmark.DefaultReviewDelay - time.Second)
	assert.Zero(t, calls)
	w.Clock.Advance(time.Second)
	p, _ := w.Page(world.NetworkOK, id)
	assert.Equal(t, world.GovConfirmed, p.Gov.Status)
	assert.Equal(t, 1, calls)
	// A second request while confirmed is refused by the state machine.
	_, err = r.Submit(world.NetworkOK, id, func(world.Page) []string { return nil })
	require.ErrorIs(t, err, world.ErrGovTransition)
	assert.Zero(t, r.Pending())
}

func TestReviewRejectsWithReasonsAndIgnoresAStaleDecision(t *testing.T) {
	w, id := okWorld(t)
	r := govmark.NewReviewer(w, time.Hour)
	_, err := r.Submit(world.NetworkOK, id, func(world.Page) []string { return []string{"нет города"} })
	require.NoError(t, err)
	w.Clock.Advance(time.Hour)
	p, _ := w.Page(world.NetworkOK, id)
	assert.Equal(t, world.GovRejected, p.Gov.Status)
	assert.Equal(t, []string{"нет города"}, p.Gov.Reasons)

	// A newer request replaces the pending decision, even at the same
	// instant on a frozen clock.
	_, err = r.Submit(world.NetworkOK, id, func(world.Page) []string { return nil })
	require.NoError(t, err)
	_, err = w.RejectGovMark(world.NetworkOK, id, "отозвано")
	require.NoError(t, err)
	_, err = r.Submit(world.NetworkOK, id, func(world.Page) []string { return []string{"later"} })
	require.NoError(t, err)
	assert.Equal(t, 1, r.Pending())
	w.Clock.Advance(time.Hour)
	p, _ = w.Page(world.NetworkOK, id)
	assert.Equal(t, []string{"later"}, p.Gov.Reasons)

	// Stop cancels.
	_, err = r.Submit(world.NetworkOK, id, func(world.Page) []string { return nil })
	require.NoError(t, err)
	r.Stop()
	w.Clock.Advance(2 * time.Hour)
	p, _ = w.Page(world.NetworkOK, id)
	assert.Equal(t, world.GovUnderReview, p.Gov.Status)
}

func TestSystemCredentialsAreStable(t *testing.T) {
	a, err := govmark.SystemCredentials("OKRU")
	require.NoError(t, err)
	b, err := govmark.SystemCredentials("OKRU")
	require.NoError(t, err)
	assert.Same(t, a, b)
	v, err := govmark.SystemCredentials("VKCOM")
	require.NoError(t, err)
	assert.NotEqual(t, a.CertificateHash, v.CertificateHash)
	assert.Contains(t, string(a.KeyPEM), "PRIVATE KEY")
}
