package govmark_test

import (
	"context"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/esiamock"
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

// TestVerifierBuildsItsClientOnceAtFirstUse: a verifier's ESIA client is
// built at the first login; concurrent first logins all get a valid
// authorization URL (from one client), and credentials that do not parse
// are still refused when the verifier is built.
func TestVerifierBuildsItsClientOnceAtFirstUse(t *testing.T) {
	cc, err := govmark.SystemCredentials("OKRU")
	require.NoError(t, err)
	keys, err := esiamock.DefaultKeys()
	require.NoError(t, err)
	v, err := govmark.NewVerifier(govmark.VerifierConfig{BaseURL: "http://127.0.0.1:1", ClientID: "OKRU",
		Credentials: cc, ESIACertificatesPEM: keys.CertificatesPEM(), RedirectURL: "http://127.0.0.1:2/cb"})
	require.NoError(t, err)
	const n = 8
	urls := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { urls[i], errs[i] = v.AuthURL(context.Background(), "state-"+strconv.Itoa(i)) })
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		u, err := url.Parse(urls[i])
		require.NoError(t, err)
		assert.Equal(t, "OKRU", u.Query().Get("client_id"))
		assert.Equal(t, "state-"+strconv.Itoa(i), u.Query().Get("state"))
		assert.NotEmpty(t, u.Query().Get("client_secret"), "the request is signed")
	}

	bad := *cc
	bad.KeyPEM = []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
	_, err = govmark.NewVerifier(govmark.VerifierConfig{Credentials: &bad, ESIACertificatesPEM: keys.CertificatesPEM()})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "system key")
	_, err = govmark.NewVerifier(govmark.VerifierConfig{})
	require.Error(t, err)
}
