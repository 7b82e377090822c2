package transport

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// The outcome errors are core's public types; the engine returns them.
var (
	// ErrRateLimited is core.ErrRateLimited.
	ErrRateLimited = core.ErrRateLimited
	// ErrUnknownOutcome is core.ErrUnknownOutcome.
	ErrUnknownOutcome = core.ErrUnknownOutcome
	// ErrLimiter is core.ErrLimiter.
	ErrLimiter = core.ErrLimiter
)

// RateLimitError is core.RateLimitError.
type RateLimitError = core.RateLimitError

// UnknownOutcomeError is core.UnknownOutcomeError.
type UnknownOutcomeError = core.UnknownOutcomeError

// Error wraps a transport failure (network error, cancelled context, limiter)
// with the operation name; its message is redacted.
type Error struct {
	// Operation is the failed call.
	Operation string
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the underlying error, redacted.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %v", e.Operation, e.Err)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Finish wraps a party's API error according to how the call ended: when the
// answer was a rate-limit refusal it returns a *RateLimitError around apiErr;
// when it was a server failure after which a non-idempotent call may have
// taken effect it returns an *UnknownOutcomeError around apiErr; otherwise it
// returns apiErr unchanged. A nil apiErr is returned as nil.
func Finish(call *Call, resp *Response, apiErr error) error {
	if apiErr == nil || resp == nil {
		return apiErr
	}
	if resp.Verdict.RateLimited {
		return &RateLimitError{Operation: call.Operation, RetryAfter: resp.Verdict.RetryAfter, Err: apiErr}
	}
	if resp.Verdict.Transient && !call.safeToRepeat() {
		return &UnknownOutcomeError{Operation: call.Operation, Err: apiErr}
	}
	return apiErr
}

// ParseRetryAfter parses a Retry-After header given in seconds. An HTTP date
// or a malformed value gives zero.
func ParseRetryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	const maxSeconds = uint64(1<<63-1) / uint64(time.Second)
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			n = maxSeconds
		} else {
			return 0
		}
	}
	if n > maxSeconds {
		n = maxSeconds
	}
	return time.Duration(n) * time.Second
}
