package transport

import "net/http/httptrace"

// sentTrace returns a client trace that records in st whether any part of a
// request was written to a connection. A request whose headers were never
// written provably did not reach the server, so even a non-idempotent call
// may be sent again. It is attached once per call; RoundTrip resets the flag
// before each attempt.
func (st *callState) sentTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		WroteHeaderField: func(string, []string) { st.wrote.Store(true) },
		WroteHeaders:     func() { st.wrote.Store(true) },
	}
}
