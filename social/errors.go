package social

import "github.com/gospubliki/gosdk/core"

var (
	// ErrRateLimited is matched (errors.Is) by every client error that reports
	// a network's "too many requests" answer the client did not wait out.
	ErrRateLimited = core.ErrRateLimited
	// ErrUnknownOutcome is matched by every client error after which a
	// publication may or may not have taken effect. Such a call is never
	// retried by the SDK: check the page before publishing again.
	ErrUnknownOutcome = core.ErrUnknownOutcome
	// ErrPartiallyPublished is matched by every *PartialPublishError: some
	// parts of a post are on the page, the rest are not (or may not be).
	ErrPartiallyPublished = core.ErrPartiallyPublished
)

// RateLimitError is the typed form of ErrRateLimited: it carries the
// network's wait hint (RetryAfter) and wraps the network's own API error.
type RateLimitError = core.RateLimitError

// UnknownOutcomeError is the typed form of ErrUnknownOutcome.
type UnknownOutcomeError = core.UnknownOutcomeError

// PartialPublishError is the typed form of ErrPartiallyPublished. A
// publisher returns it together with the Receipt of the published parts.
type PartialPublishError = core.PartialPublishError
