package mock_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/world"
)

// TestHTTPClientKeepsConnectionsAtHighConcurrency runs two rounds of 256
// concurrent requests through the sandbox client: every connection the
// first round opened is kept idle and reused by the second, instead of most
// being closed and reopened. The client still refuses foreign hosts.
func TestHTTPClientKeepsConnectionsAtHighConcurrency(t *testing.T) {
	t.Parallel()
	const clients = 256
	sb := mock.Start(t, mock.WithParties("telegram"))
	// Each getMe holds its connection long enough for all to be in flight
	// at once.
	_, err := sb.Faults.Add(world.Rule{Party: "telegram", Method: "getme", Latency: 300 * time.Millisecond})
	require.NoError(t, err)
	c := sb.HTTPClient()
	u := sb.TelegramURL + "/bot" + sb.Credentials.Telegram.BotToken + "/getMe"

	round := func() (reused int) {
		var n atomic.Int32
		var wg sync.WaitGroup
		errs := make(chan error, clients)
		for range clients {
			wg.Go(func() {
				trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
					if info.Reused {
						n.Add(1)
					}
				}}
				req, err := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), http.MethodGet, u, nil)
				if err != nil {
					errs <- err
					return
				}
				resp, err := c.Do(req)
				if err != nil {
					errs <- err
					return
				}
				if resp.StatusCode != http.StatusOK {
					errs <- errors.New(resp.Status)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		return int(n.Load())
	}
	round()
	assert.Equal(t, clients, round(), "every connection of the first round is reused")

	for _, foreign := range []string{"https://api.telegram.org/bot1:x/getMe", "http://127.0.0.1:1/"} {
		_, err := c.Get(foreign)
		require.Error(t, err, foreign)
		assert.ErrorIs(t, err, mock.ErrNotSandboxHost)
	}
}
