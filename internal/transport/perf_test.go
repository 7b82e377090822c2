package transport

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadBodyLengths(t *testing.T) {
	t.Parallel()
	c := newTestClient(t)
	call := &Call{MaxResponseBytes: 10}
	for _, tc := range []struct {
		name string
		body string
		size int64
		want string
		err  bool
	}{
		{"exact", "hello", 5, "hello", false},
		{"empty", "", 0, "", false},
		{"unknown", "hello", -1, "hello", false},
		{"declared too short", "hello world", 5, "hello worl", true},
		{"declared short within limit", "hello", 2, "hello", false},
		// A wrong declared length (only a custom RoundTripper can produce
		// one; net/http itself reports a truncated body as an error) is
		// read like an unknown one.
		{"declared too long", "hi", 5, "hi", false},
		{"declared above limit", "x", 11, "", true},
		{"unknown above limit", "0123456789A", -1, "", true},
		{"exactly the limit", "0123456789", 10, "0123456789", false},
	} {
		got, err := c.readBody(call, iotest.OneByteReader(strings.NewReader(tc.body)), tc.size)
		if tc.err {
			assert.Error(t, err, tc.name)
			continue
		}
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, string(got), tc.name)
	}
}

// TestKnownLengthBodyReusesConnection checks that reading a body of known
// length observes EOF, so keep-alive connections are reused.
func TestKnownLengthBodyReusesConnection(t *testing.T) {
	t.Parallel()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Length", "2")
		_, _ = w.Write([]byte("ok"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := newTestClient(t, WithHTTPClient(srv.Client()))
	// The transport puts a connection back in its pool from its own
	// goroutine once the body was read to EOF: wait for that before the
	// next call, so the test does not depend on scheduling.
	idle := make(chan error, 1)
	ctx := httptrace.WithClientTrace(t.Context(), &httptrace.ClientTrace{PutIdleConn: func(err error) { idle <- err }})
	for _, idem := range []bool{true, false, true, false} {
		resp, err := c.Do(ctx, &Call{Operation: "t", URL: srv.URL, Body: []byte("x"), Idempotent: idem})
		require.NoError(t, err)
		assert.Equal(t, "ok", string(resp.Body))
		require.NoError(t, <-idle, "the connection went back to the pool")
	}
	assert.Equal(t, int32(1), conns.Load())
}

// TestSharedHeaderSlicesAreNotCorrupted checks that a RoundTripper that
// appends to the shared User-Agent and Content-Type values does not change
// what later requests send.
func TestSharedHeaderSlicesAreNotCorrupted(t *testing.T) {
	t.Parallel()
	var seen []string
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.Header.Get("User-Agent")+"|"+r.Header.Get("Content-Type"))
		r.Header["User-Agent"] = append(r.Header["User-Agent"], "evil")
		r.Header["Content-Type"] = append(r.Header["Content-Type"], "evil")
		r.Header["User-Agent"][0] = "mutated"
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(nil)), Request: r}, nil
	})
	c := newTestClient(t, WithHTTPClient(&http.Client{Transport: rt}))
	for range 2 {
		_, err := c.Do(t.Context(), &Call{Operation: "t", URL: "http://example.invalid/", Body: []byte("{}"), ContentType: "application/json"})
		require.NoError(t, err)
	}
	require.Len(t, seen, 2)
	assert.Equal(t, UserAgent+"|application/json", seen[1])
}
