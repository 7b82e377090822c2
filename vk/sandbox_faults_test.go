package vk_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/vk"
)

// faultRig is a frozen sandbox and a user-token client at the default
// limits whose clock drives the world clock (coretest.Driven): every wait
// of the client (pacing, backoff) moves the world clock by as much.
type faultRig struct {
	sb *mock.Sandbox
	c  *vk.Client
}

func newFaultRig(t *testing.T, hc func(*http.Client), opts ...core.Option) *faultRig {
	t.Helper()
	sb := mock.Start(t, mock.WithParties("vk"), mock.WithFrozenClock(coretest.Epoch))
	h := *sb.HTTPClient()
	if hc != nil {
		hc(&h)
	}
	base := []core.Option{core.WithBaseURL(sb.VKURL), core.WithHTTPClient(&h),
		core.WithClock(coretest.NewDriven(sb.Clock.Now, sb.Clock.Advance))}
	c, err := vk.New(sb.Credentials.VK.UserToken, vk.UserToken, append(base, opts...)...)
	require.NoError(t, err)
	return &faultRig{sb: sb, c: c}
}

func (r *faultRig) fault(t *testing.T, rule world.Rule) {
	t.Helper()
	rule.Party = vkmock.Party
	_, err := r.sb.Faults.Add(rule)
	require.NoError(t, err)
}

// post publishes one post on the default community and checks that the
// wall holds exactly that one post.
func (r *faultRig) post(t *testing.T) (int64, error) {
	t.Helper()
	return r.c.WallPost(t.Context(), vk.WallPostRequest{OwnerID: -world.DefaultVKGroupID, FromGroup: true,
		Message: "Приём граждан переносится на пятницу", Key: "reception-friday"})
}

func (r *faultRig) onePost(t *testing.T, id int64) {
	t.Helper()
	posts := r.sb.VK.Posts(world.DefaultVKGroupID)
	require.Len(t, posts, 1, "exactly one post on the wall")
	assert.Equal(t, id, posts[0].ID)
}

// codes lists the error codes the emulator answered to method, in order
// (0: success).
func (r *faultRig) codes(method string) []int {
	var out []int
	for _, e := range r.sb.Journal.Entries(world.Filter{Party: vkmock.Party, Method: method}) {
		out = append(out, e.Code)
	}
	return out
}

// TestFaultErrorSixStorm: five error 6 answers in a row on wall.post are
// waited out from the rate-limit budget; the caller sees one success and
// the wall one post.
func TestFaultErrorSixStorm(t *testing.T) {
	r := newFaultRig(t, nil)
	r.fault(t, world.Rule{Method: "wall.post", Kind: world.FaultRateLimit, First: 5})
	start := r.sb.Clock.Now()
	id, err := r.post(t)
	require.NoError(t, err)
	r.onePost(t, id)
	assert.Equal(t, []int{6, 6, 6, 6, 6, 0}, r.codes("wall.post"))
	assert.Greater(t, r.sb.Clock.Now().Sub(start).Seconds(), 1.0, "the storm was waited out on the world clock")
}

// TestFaultWallPostRetriedOnce: server errors and lost connections on
// wall.post, before or after VK executed it, are retried with the same
// guid: the caller gets the post's id and the wall holds one post.
func TestFaultWallPostRetriedOnce(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rule  world.Rule
		codes []int
	}{
		{"error 10 before", world.Rule{Kind: world.FaultError, Code: 10, First: 2}, []int{10, 10, 0}},
		{"error 10 after executing", world.Rule{Kind: world.FaultErrorAfter, Code: 10, First: 1}, []int{10, 0}},
		{"connection dropped before", world.Rule{Kind: world.FaultDropBefore, First: 1}, nil},
		{"connection dropped after executing", world.Rule{Kind: world.FaultDropAfter, First: 1}, nil},
		{"answer cut off", world.Rule{Kind: world.FaultTruncate, First: 1}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newFaultRig(t, nil)
			tc.rule.Method = "wall.post"
			r.fault(t, tc.rule)
			id, err := r.post(t)
			require.NoError(t, err)
			r.onePost(t, id)
			got := r.codes("wall.post")
			assert.Len(t, got, tc.rule.First+1, "each fault, then the call that went through: %v", got)
			if tc.codes != nil {
				assert.Equal(t, tc.codes, got)
			}
		})
	}
}

// gateway502 answers HTTP 502 to the first n wall.post after the emulator
// executed them: a proxy that lost VK's answer.
type gateway502 struct {
	next http.RoundTripper
	n    atomic.Int32
}

func (g *gateway502) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := g.next.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, "/wall.post") || g.n.Add(-1) < 0 {
		return resp, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return &http.Response{StatusCode: http.StatusBadGateway, Status: "502 Bad Gateway", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"text/html"}}, Body: io.NopCloser(strings.NewReader("<html>502 Bad Gateway</html>")), Request: r}, nil
}

// TestFaultWallPostBehindA502Gateway: two HTTP 502 answers after VK posted;
// the retries carry the same guid, so the wall holds one post.
func TestFaultWallPostBehindA502Gateway(t *testing.T) {
	r := newFaultRig(t, func(hc *http.Client) {
		g := &gateway502{next: hc.Transport}
		if g.next == nil {
			g.next = http.DefaultTransport
		}
		g.n.Store(2)
		hc.Transport = g
	})
	id, err := r.post(t)
	require.NoError(t, err)
	r.onePost(t, id)
	assert.Equal(t, []int{0, 0, 0}, r.codes("wall.post"), "three executions, one post (guid)")
}

// TestFaultCaptcha: error 14 goes to the CaptchaHandler, which solves it
// through the sandbox as a person would: reading the image (captcha_key) or
// on the redirect_uri page (success_token). A wrong answer gets a new
// challenge.
func TestFaultCaptcha(t *testing.T) {
	for _, tc := range []struct {
		name  string
		wrong bool // the first answer is wrong
		solve func(sb *mock.Sandbox, c vk.Captcha) (vk.CaptchaSolution, error)
	}{
		{"classic captcha_key", false, func(sb *mock.Sandbox, c vk.Captcha) (vk.CaptchaSolution, error) {
			key, ok := sb.VK.CaptchaKey(c.SID)
			if !ok || c.Img == "" {
				return vk.CaptchaSolution{}, errors.New("no captcha image")
			}
			return vk.CaptchaSolution{Key: key}, nil
		}},
		{"redirect_uri success_token", false, func(sb *mock.Sandbox, c vk.Captcha) (vk.CaptchaSolution, error) {
			if c.RedirectURI == "" {
				return vk.CaptchaSolution{}, errors.New("no redirect_uri")
			}
			tok, ok := sb.VK.SolveCaptcha(c.SID)
			if !ok {
				return vk.CaptchaSolution{}, errors.New("unknown captcha")
			}
			return vk.CaptchaSolution{SuccessToken: tok}, nil
		}},
		{"wrong key, then the right one", true, func(sb *mock.Sandbox, c vk.Captcha) (vk.CaptchaSolution, error) {
			if c.Attempt == 1 {
				return vk.CaptchaSolution{Key: "wrong"}, nil
			}
			key, _ := sb.VK.CaptchaKey(c.SID)
			return vk.CaptchaSolution{Key: key}, nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sb *mock.Sandbox
			var seen []vk.Captcha
			h := func(_ context.Context, c vk.Captcha) (vk.CaptchaSolution, error) {
				seen = append(seen, c)
				return tc.solve(sb, c)
			}
			r := newFaultRig(t, nil, vk.WithCaptchaHandler(h, 3))
			sb = r.sb
			r.fault(t, world.Rule{Method: "wall.post", Kind: world.FaultError, Code: 14, First: 1})
			id, err := r.post(t)
			require.NoError(t, err)
			r.onePost(t, id)
			want := []int{14, 0}
			if tc.wrong {
				want = []int{14, 14, 0}
			}
			assert.Equal(t, want, r.codes("wall.post"))
			require.Len(t, seen, len(want)-1)
			for i, c := range seen {
				assert.Equal(t, "wall.post", c.Method)
				assert.Equal(t, i+1, c.Attempt)
				assert.NotEmpty(t, c.SID)
			}
		})
	}
	t.Run("no handler", func(t *testing.T) {
		r := newFaultRig(t, nil)
		r.fault(t, world.Rule{Method: "wall.post", Kind: world.FaultError, Code: 14, First: 1})
		_, err := r.post(t)
		require.ErrorIs(t, err, vk.ErrCaptcha)
		var ve *vk.Error
		require.ErrorAs(t, err, &ve)
		assert.NotEmpty(t, ve.CaptchaSID)
		assert.Empty(t, r.sb.VK.Posts(world.DefaultVKGroupID))
	})
}
