package transport

import (
	"net/http"
	"time"
)

// Call describes one logical API request. The core may send it several times
// (retries); Body is therefore a byte slice that can be replayed.
type Call struct {
	// Operation names the call for logs and errors, e.g. "telegram.sendMessage".
	Operation string
	// Method is the HTTP method; empty means GET without a body, POST with one.
	Method string
	// URL is the absolute request URL. It may contain secrets (a bot token in
	// the path, access_token in the query): the core never logs it unredacted.
	URL string
	// Header holds extra request headers. The core sets User-Agent and
	// Content-Type.
	Header http.Header
	// Body is the request body; nil for none.
	Body []byte
	// ContentType is the body's media type.
	ContentType string
	// Idempotent reports that repeating the call has no further effect, so
	// network errors and transient server failures may be retried.
	Idempotent bool
	// DedupeKey, when not empty, says the party deduplicates repeated
	// requests with this key (VK guid), which makes retries safe as well.
	DedupeKey string
	// LimitKeys are the rate-limit keys the call spends, in order. Each is
	// passed to the client's Limiter before every attempt.
	LimitKeys []string
	// MaxResponseBytes bounds the response body read into memory; zero means
	// the client default (64 MiB).
	MaxResponseBytes int64
}

// safeToRepeat reports whether a failed attempt may be sent again even if it
// may have reached the server.
func (c *Call) safeToRepeat() bool { return c.Idempotent || c.DedupeKey != "" }

// Response is the final HTTP answer to a Call.
type Response struct {
	// StatusCode is the HTTP status of the final attempt.
	StatusCode int
	// Header is the final attempt's response header.
	Header http.Header
	// Body is the final attempt's response body.
	Body []byte
	// Attempts is how many times the request was sent.
	Attempts int
	// Verdict is the party classifier's reading of the final answer.
	Verdict Verdict
}

// Verdict is a party's reading of an HTTP answer, produced by a [Classifier].
type Verdict struct {
	// RateLimited means the party refused the request as "too many requests"
	// without executing it (HTTP 429, VK error 6, ...). Such an answer is
	// retried for every call while RetryAfter is under the client's cap.
	RateLimited bool
	// RetryAfter is the party's wait hint; zero means "use backoff".
	RetryAfter time.Duration
	// Transient means a server-side failure that may be retried when the call
	// is safe to repeat (5xx, VK error 10).
	Transient bool
}

// Classifier reads an HTTP answer (status, header, fully read body) and says
// whether it asks the client to slow down or is a transient failure. It must
// not retain body.
type Classifier func(status int, header http.Header, body []byte) Verdict

// DefaultClassifier treats HTTP 429 (with an optional Retry-After header in
// seconds) as rate limited and every 5xx except 501 as transient.
func DefaultClassifier(status int, header http.Header, _ []byte) Verdict {
	switch {
	case status == http.StatusTooManyRequests:
		return Verdict{RateLimited: true, RetryAfter: ParseRetryAfter(header.Get("Retry-After"))}
	case status >= 500 && status != http.StatusNotImplemented:
		return Verdict{Transient: true}
	}
	return Verdict{}
}
