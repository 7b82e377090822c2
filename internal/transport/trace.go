package transport

import (
	"io"
	"net/http/httptrace"
	"sync/atomic"
)

// sentTrace returns a client trace that records in st whether any part of a
// request was written to a connection. A request whose headers were never
// written provably did not reach the server, so even a non-idempotent call
// may be sent again. It is attached once per call, for calls without a body
// (those with one are watched by their body reader); RoundTrip resets the
// flag before each attempt.
func (st *callState) sentTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		WroteHeaderField: func(string, []string) { st.wrote.Store(true) },
		WroteHeaders:     func() { st.wrote.Store(true) },
	}
}

// bodyReader is the call's retryablehttp.ReaderFunc: a fresh reader over the
// body for every attempt. net/http reads the body only after it has started
// writing the request, so the first Read marks the attempt as possibly sent.
// The first call (retryablehttp asks once for the length) gets a reader kept
// inside the call state, which saves an allocation on the hot path.
func (st *callState) bodyReader() (io.Reader, error) {
	if !st.probed {
		st.probed = true
		st.probe = trackingBody{data: st.call.Body}
		return &st.probe, nil
	}
	return &trackingBody{data: st.call.Body, wrote: &st.wrote}, nil
}

// trackingBody reads a byte slice and reports the first read. It is an
// io.ReadCloser so that no wrapper is allocated around it.
type trackingBody struct {
	data  []byte
	off   int
	wrote *atomic.Bool
}

func (b *trackingBody) Read(p []byte) (int, error) {
	if b.wrote != nil && !b.wrote.Load() {
		b.wrote.Store(true)
	}
	if b.off >= len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	return n, nil
}

// WriteTo writes the unread body to w in one call; io.Copy uses it, so no
// copy buffer is allocated.
func (b *trackingBody) WriteTo(w io.Writer) (int64, error) {
	if b.wrote != nil && !b.wrote.Load() {
		b.wrote.Store(true)
	}
	if b.off >= len(b.data) {
		return 0, nil
	}
	n, err := w.Write(b.data[b.off:])
	b.off += n
	return int64(n), err
}

// Len reports the unread length (retryablehttp uses it for Content-Length).
func (b *trackingBody) Len() int { return len(b.data) - b.off }

// Close does nothing: the body is an in-memory slice.
func (b *trackingBody) Close() error { return nil }
