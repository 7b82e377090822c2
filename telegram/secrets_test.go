package telegram_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/telegram"
)

// TestNoSecretOnAnyErrorPath provokes every failure a call can end with
// (DNS failure, refused connection, timeout, TLS failure, 5xx, invalid
// JSON, cancelled ctx, an API error echoing the token) and finds the token
// and its secret part in no error, however formatted, and in no log
// record.
func TestNoSecretOnAnyErrorPath(t *testing.T) {
	t.Parallel()
	secret := testToken[strings.IndexByte(testToken, ':')+1:]
	answer := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	refused := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		require.NoError(t, l.Close())
		return "http://" + addr
	}()
	hang := func() string {
		stop := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-stop:
			case <-r.Context().Done():
			}
		}))
		t.Cleanup(func() { close(stop); srv.Close() })
		return srv.URL
	}()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(tlsSrv.Close)
	dnsFail := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: r.URL.Host, IsNotFound: true}}
	})}
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()

	cases := []struct {
		name string
		base string
		opts []core.Option
		ctx  context.Context
		call []core.CallOption
	}{
		{"dns", "http://api.telegram.invalid", []core.Option{core.WithHTTPClient(dnsFail)}, t.Context(), nil},
		{"refused", refused, nil, t.Context(), nil},
		{"timeout", hang, nil, t.Context(), []core.CallOption{core.CallTimeout(50 * time.Millisecond)}},
		{"tls", tlsSrv.URL, nil, t.Context(), nil},
		{"5xx", answer(500, `{"ok":false,"error_code":500,"description":"Internal: bot`+testToken+` failed"}`), nil, t.Context(), nil},
		{"invalid json", answer(200, `{"ok":true,"result":{"message_id":"`+secret), nil, t.Context(), nil},
		{"cancelled", hang, nil, cancelled, nil},
		{"echo", answer(401, `{"ok":false,"error_code":401,"description":"Unauthorized: `+secret+`"}`), nil, t.Context(), nil},
	}
	for _, tc := range cases {
		var logs bytes.Buffer
		opts := append([]core.Option{
			core.WithBaseURL(tc.base), telegram.WithoutRateLimits(), core.WithRetry(1, time.Millisecond, time.Millisecond),
			core.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		}, tc.opts...)
		c, err := telegram.New(testToken, opts...)
		require.NoError(t, err)
		_, err = c.SendMessage(tc.ctx, &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"}, tc.call...)
		require.Error(t, err, tc.name)
		_, rerr := c.GetMe(tc.ctx, tc.call...)
		require.Error(t, rerr, tc.name)
		for _, e := range []error{err, rerr} {
			for _, s := range []string{e.Error(), fmt.Sprintf("%v", e), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e), fmt.Sprintf("%q", e)} {
				assert.NotContains(t, s, secret, tc.name)
			}
		}
		assert.NotContains(t, logs.String(), secret, tc.name)
	}
}
