package transport

import (
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// sentTracker records whether any part of a request was written to a
// connection. A request whose headers were never written provably did not
// reach the server, so even a non-idempotent call may be sent again.
type sentTracker struct{ w atomic.Bool }

func (s *sentTracker) wrote() bool { return s.w.Load() }

func withSentTrace(req *http.Request, s *sentTracker) *http.Request {
	trace := &httptrace.ClientTrace{
		WroteHeaderField: func(string, []string) { s.w.Store(true) },
		WroteHeaders:     func() { s.w.Store(true) },
	}
	return req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
}
