package transport

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
)

// notSent reports whether err proves that a request never reached the
// server: the connection could not be made (dial or DNS failure) or the TLS
// handshake failed, both of which happen before any byte of the request is
// written. Every other failure may have happened after the server received
// the request, so a non-idempotent call that ends with it has an unknown
// outcome. (net/http also refuses to write a POST on an idle connection the
// server has just closed; that case reports as unknown too, which is safe.)
func notSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var cv *tls.CertificateVerificationError
	if errors.As(err, &cv) {
		return true
	}
	var rh tls.RecordHeaderError
	return errors.As(err, &rh)
}

// bodyReader is the call's retryablehttp.ReaderFunc: a fresh reader over the
// body for every attempt. It returns *bytes.Reader values (wrapped by
// io.NopCloser), which net/http recognises as in-memory bodies and writes in
// one go with the headers. The readers for the length probe retryablehttp
// makes and for the first attempt live inside the call state, which saves
// allocations on the hot path; later attempts get new ones, so a late Close
// of an earlier attempt's body by net/http never races with a retry.
func (st *callState) bodyReader() (io.Reader, error) {
	st.bodyCalls++
	switch st.bodyCalls {
	case 1:
		st.probe.Reset(st.call.Body)
		return &st.probe, nil
	case 2:
		st.first.Reset(st.call.Body)
		return io.NopCloser(&st.first), nil
	}
	return io.NopCloser(bytes.NewReader(st.call.Body)), nil
}
