package gospubliki

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core/coretest"
)

func sign(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "."))
	m.Write(body)
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

func signed(secret string, at time.Time, body []byte) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	return http.Header{HeaderWebhookTimestamp: {ts}, HeaderWebhookSignature: {sign(secret, ts, body)}}
}

// TestVerifyWebhook: a good signature within the window passes; a wrong
// secret, a changed body, a stale or future timestamp and malformed
// headers are refused with their error; a rotation header with several
// values passes when one matches.
func TestVerifyWebhook(t *testing.T) {
	now := coretest.Epoch
	body := []byte(`{"id":1,"type":"post.approved","cabinet_id":1,"at":"2026-01-01T00:00:00Z"}`)
	h := signed("whsec_a", now, body)
	require.NoError(t, VerifyWebhook("whsec_a", h, body, now.Add(time.Minute), 0))
	require.ErrorIs(t, VerifyWebhook("whsec_b", h, body, now, 0), ErrWebhookSignature)
	require.ErrorIs(t, VerifyWebhook("whsec_a", h, append(body, ' '), now, 0), ErrWebhookSignature)
	require.ErrorIs(t, VerifyWebhook("whsec_a", h, body, now.Add(DefaultWebhookWindow+time.Second), 0), ErrWebhookStale)
	require.ErrorIs(t, VerifyWebhook("whsec_a", h, body, now.Add(-DefaultWebhookWindow-time.Second), 0), ErrWebhookStale)
	require.NoError(t, VerifyWebhook("whsec_a", h, body, now.Add(time.Hour), 2*time.Hour))

	rot := h.Clone()
	rot.Set(HeaderWebhookSignature, sign("old", h.Get(HeaderWebhookTimestamp), body)+", v0=zz, "+h.Get(HeaderWebhookSignature))
	require.NoError(t, VerifyWebhook("whsec_a", rot, body, now, 0))

	for _, bad := range []http.Header{
		{},
		{HeaderWebhookTimestamp: {"-5"}, HeaderWebhookSignature: h[HeaderWebhookSignature]},
		{HeaderWebhookTimestamp: {"1e9"}, HeaderWebhookSignature: h[HeaderWebhookSignature]},
		{HeaderWebhookTimestamp: h[HeaderWebhookTimestamp], HeaderWebhookSignature: {"v1=abc"}},
		{HeaderWebhookTimestamp: h[HeaderWebhookTimestamp], HeaderWebhookSignature: {"v0=" + strings.Repeat("a", 64)}},
		{HeaderWebhookTimestamp: h[HeaderWebhookTimestamp], HeaderWebhookSignature: {"v1" + strings.Repeat("a", 64)}},
		{HeaderWebhookTimestamp: h[HeaderWebhookTimestamp], HeaderWebhookSignature: {"v1=" + strings.Repeat("g", 64)}},
	} {
		require.ErrorIs(t, VerifyWebhook("whsec_a", bad, body, now, 0), ErrWebhookMalformed, "%v", bad)
	}
}

// TestWebhookVerifierReplay: the same signed request passes once; the
// cache forgets the signature expiring first when full, and expired ones
// first of all.
func TestWebhookVerifierReplay(t *testing.T) {
	clk := coretest.NewClock(coretest.Epoch)
	v := NewWebhookVerifier("s", WithWebhookClock(clk), WithReplayCacheSize(2), WithWebhookWindow(time.Minute))
	require.NotContains(t, v.String()+v.GoString(), "s}")
	body := func(id int) []byte { return []byte(`{"id":` + strconv.Itoa(id) + `,"type":"t","cabinet_id":1}`) }
	h1 := signed("s", clk.Now(), body(1))
	ev, err := v.Verify(h1, body(1))
	require.NoError(t, err)
	require.Equal(t, int64(1), ev.ID)
	_, err = v.Verify(h1, body(1))
	require.ErrorIs(t, err, ErrWebhookReplay)

	clk.Advance(10 * time.Second)
	h2 := signed("s", clk.Now(), body(2))
	_, err = v.Verify(h2, body(2))
	require.NoError(t, err)
	h3 := signed("s", clk.Now(), body(3))
	_, err = v.Verify(h3, body(3)) // full: h1, expiring first, is forgotten
	require.NoError(t, err)
	_, err = v.Verify(h2, body(2))
	require.ErrorIs(t, err, ErrWebhookReplay)
	_, err = v.Verify(h3, body(3))
	require.ErrorIs(t, err, ErrWebhookReplay)
	_, err = v.Verify(signed("s", clk.Now(), []byte(`[]`)), []byte(`[]`))
	require.ErrorIs(t, err, ErrWebhookMalformed)
}

// TestWebhookHandler: the answers of the handler.
func TestWebhookHandler(t *testing.T) {
	clk := coretest.NewClock(coretest.Epoch)
	v := NewWebhookVerifier("s", WithWebhookClock(clk))
	var got []int64
	h := v.Handler(func(_ context.Context, ev *WebhookEvent) error {
		if ev.ID == 13 {
			return errors.New("unlucky")
		}
		got = append(got, ev.ID)
		return nil
	})
	send := func(method string, hdr http.Header, body string) int {
		r := httptest.NewRequest(method, "/hook", strings.NewReader(body))
		for k, vs := range hdr {
			r.Header[k] = vs
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	b := `{"id":7,"type":"post.published","cabinet_id":1}`
	hdr := signed("s", clk.Now(), []byte(b))
	require.Equal(t, http.StatusMethodNotAllowed, send(http.MethodGet, hdr, b))
	require.Equal(t, http.StatusNoContent, send(http.MethodPost, hdr, b))
	require.Equal(t, http.StatusConflict, send(http.MethodPost, hdr, b))
	require.Equal(t, http.StatusBadRequest, send(http.MethodPost, http.Header{}, b))
	require.Equal(t, http.StatusUnauthorized, send(http.MethodPost, signed("other", clk.Now(), []byte(b)), b))
	b13 := `{"id":13,"type":"post.failed","cabinet_id":1}`
	require.Equal(t, http.StatusInternalServerError, send(http.MethodPost, signed("s", clk.Now(), []byte(b13)), b13))
	require.Equal(t, []int64{7}, got)
}

// FuzzWebhookHeaders: the header parsers never panic, accept only
// well-formed values, and a header that verifies under a secret was
// signed with it.
func FuzzWebhookHeaders(f *testing.F) {
	f.Add("1767225600", "v1="+strings.Repeat("ab", 32), []byte(`{}`))
	f.Add("0", "v0=x, v1="+strings.Repeat("0", 64)+",v1=", []byte(``))
	f.Add("99999999999", ",,=", []byte(`{"id":1}`))
	f.Add("", "v1=ZZ", []byte(nil))
	now := time.Unix(1767225600, 0)
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		sigs, err := parseSignatures(sig)
		if err == nil {
			require.NotEmpty(t, sigs)
			for _, s := range sigs {
				require.Len(t, s, sha256.Size)
			}
		}
		if at, err := parseTimestamp(ts); err == nil {
			require.Equal(t, ts, strings.TrimLeft(ts, "+-"))
			require.GreaterOrEqual(t, at.Unix(), int64(0))
		}
		h := http.Header{HeaderWebhookTimestamp: {ts}, HeaderWebhookSignature: {sig}}
		if VerifyWebhook("fuzz-secret", h, body, now, time.Duration(1<<62)) == nil {
			require.Contains(t, sig, sign("fuzz-secret", ts, body)[3:])
		}
	})
}
