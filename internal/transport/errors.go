package transport

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

var (
	// ErrRateLimited is matched (errors.Is) by every error that reports a
	// party's "too many requests" answer whose wait exceeded the client's cap.
	ErrRateLimited = errors.New("rate limited")
	// ErrUnknownOutcome is matched by every error after which a
	// non-idempotent request may or may not have taken effect.
	ErrUnknownOutcome = errors.New("unknown outcome: the request may have taken effect")
	// ErrLimiter is matched when the client-side rate limiter refused to wait
	// (its context ended first); the request was not sent.
	ErrLimiter = errors.New("rate limiter wait failed")
)

// RateLimitError reports that a party refused a request as "too many
// requests" and asked to wait longer than the client may wait (or the retries
// ran out). The request was not executed. Err is the party's typed API error.
type RateLimitError struct {
	// Operation is the call that was refused.
	Operation string
	// RetryAfter is the party's wait hint (zero when it gave none).
	RetryAfter time.Duration
	// Err is the party's own error value, if any.
	Err error
}

// Error implements error.
func (e *RateLimitError) Error() string {
	var b strings.Builder
	b.WriteString(e.Operation)
	b.WriteString(": rate limited")
	if e.RetryAfter > 0 {
		b.WriteString(", retry after ")
		b.WriteString(e.RetryAfter.String())
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the party's error.
func (e *RateLimitError) Unwrap() error { return e.Err }

// Is reports whether target is ErrRateLimited.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// UnknownOutcomeError reports that a non-idempotent request failed after it
// may have reached the party (a dropped connection, a timeout, a 5xx answer).
// The core never retries such a request: publishing it again could duplicate
// it. The caller must check the party's state before trying again.
type UnknownOutcomeError struct {
	// Operation is the call whose outcome is unknown.
	Operation string
	// Err is the underlying failure (already redacted).
	Err error
}

// Error implements error.
func (e *UnknownOutcomeError) Error() string {
	return fmt.Sprintf("%s: outcome unknown, the request may have taken effect: %v", e.Operation, e.Err)
}

// Unwrap returns the underlying failure.
func (e *UnknownOutcomeError) Unwrap() error { return e.Err }

// Is reports whether target is ErrUnknownOutcome.
func (e *UnknownOutcomeError) Is(target error) bool { return target == ErrUnknownOutcome }

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
