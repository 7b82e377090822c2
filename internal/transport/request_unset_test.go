package transport

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core/coretest"
)

// TestRetryAfterHonouredWhenRoundTripperLeavesRequestUnset covers
// RoundTrippers (httpmock, custom wrappers) that return a response without
// Request: backoff must still find the call and wait the party's
// retry-after instead of falling back to exponential backoff.
func TestRetryAfterHonouredWhenRoundTripperLeavesRequestUnset(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	rt := roundTripFunc(func(*http.Request) (*http.Response, error) {
		if n.Add(1) == 1 {
			h := http.Header{}
			h.Set("Retry-After", "1")
			return &http.Response{StatusCode: 429, Header: h, Body: io.NopCloser(strings.NewReader("slow down"))}, nil
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("ok"))}, nil
	})
	c, clk := newClockedClient(t, coretest.NewAutoClock(), WithHTTPClient(&http.Client{Transport: rt}))
	resp, err := c.Do(t.Context(), &Call{Operation: "t.send", URL: "http://example.invalid/send", Body: []byte("x")})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, int32(2), n.Load())
	assert.GreaterOrEqual(t, clk.Slept(), time.Second)
}
