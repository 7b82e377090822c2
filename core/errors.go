package core

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

var (
	// ErrRateLimited is matched (errors.Is) by every error that reports a
	// party's "too many requests" answer that the client did not wait out
	// (the wait exceeded the client's cap or its rate-limit retry budget).
	// The request was not executed.
	ErrRateLimited = errors.New("rate limited")
	// ErrUnknownOutcome is matched by every error after which a
	// non-idempotent request may or may not have taken effect. Such a call
	// is never retried by the SDK: check the party's state first.
	ErrUnknownOutcome = errors.New("unknown outcome: the request may have taken effect")
	// ErrPartiallyPublished is matched by every error reporting a
	// publication made of several requests (an album and its caption, a
	// post and its poll) of which some took effect and the rest did not or
	// may not have. Never repeat such a publication blindly.
	ErrPartiallyPublished = errors.New("partially published")
	// ErrLimiter is matched when the client-side rate limiter refused to
	// wait (its context ended first or the wait would pass the deadline);
	// the request was not sent.
	ErrLimiter = errors.New("rate limiter wait failed")
)

// CodedError is implemented by every party's API error type
// (*telegram.Error, *esia.Error, *vk.Error, ...), so that code handling
// several networks (a publication report) can show the party's own error
// code without knowing the party.
type CodedError interface {
	error
	// ErrorCode returns the party's code as the party writes it: "6" for
	// VK error 6, "ESIA-007011", "403" for a Telegram HTTP-style code.
	ErrorCode() string
}

// ErrorCode returns the party's code of the first CodedError in err's
// chain, or "" when there is none.
func ErrorCode(err error) string {
	var ce CodedError
	if errors.As(err, &ce) {
		return ce.ErrorCode()
	}
	return ""
}

// RateLimitError reports that a party refused a request as "too many
// requests" and asked to wait longer than the client may wait, or the
// rate-limit retry budget ran out. The request was not executed.
type RateLimitError struct {
	// Operation is the refused call, such as "telegram.sendMessage".
	Operation string
	// RetryAfter is the party's wait hint (zero when it gave none).
	RetryAfter time.Duration
	// Err is the party's own error value (*telegram.Error, *vk.Error), if any.
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
// may have reached the party (a dropped connection, a timeout, a 5xx
// answer). The SDK never retries such a request: publishing it again could
// duplicate it. Check the party's state before trying again.
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

// PartialPublishError reports a publication made of several requests of
// which the first Published parts took effect and the next one failed (Err
// says how: a plain failure, or an *UnknownOutcomeError when that part may
// have taken effect too). The publisher returns it together with the
// receipt of the published parts, which is enough to edit or delete them.
type PartialPublishError struct {
	// Operation names the publication, such as "telegram.publish".
	Operation string
	// PartIDs are the party's ids of the published parts, in order.
	PartIDs []string
	// Total is the number of parts the publication has.
	Total int
	// Err is the failure of the first part that was not published.
	Err error
}

// Error implements error.
func (e *PartialPublishError) Error() string {
	var b strings.Builder
	b.WriteString(e.Operation)
	b.WriteString(": partially published (")
	b.WriteString(strconv.Itoa(len(e.PartIDs)))
	b.WriteString(" of ")
	b.WriteString(strconv.Itoa(e.Total))
	b.WriteString(" parts")
	if len(e.PartIDs) > 0 {
		b.WriteString(", first ")
		b.WriteString(e.PartIDs[0])
	}
	b.WriteString(")")
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the failure of the first unpublished part.
func (e *PartialPublishError) Unwrap() error { return e.Err }

// Is reports whether target is ErrPartiallyPublished.
func (e *PartialPublishError) Is(target error) bool { return target == ErrPartiallyPublished }
