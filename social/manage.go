package social

import (
	"context"
	"errors"
	"time"
)

// The optional verbs of a Publisher. A cabinet checks for them with a type
// assertion:
//
//	if ed, ok := pub.(social.Editor); ok { ... }
//
// An implementation that supports a verb only for some posts or some
// metrics returns an error matching errors.ErrUnsupported (an
// *UnsupportedError) for the rest.

// Editor is implemented by publishers that can change a published post.
type Editor interface {
	// Edit makes the publication described by rc show post. What a
	// network can change differs (see each publisher); what it cannot
	// change is refused with an error matching errors.ErrUnsupported and
	// nothing is changed. It returns the receipt of the edited
	// publication. Edits are safe to repeat: editing to the content the
	// post already has succeeds.
	Edit(ctx context.Context, rc Receipt, post Post) (Receipt, error)
}

// Deleter is implemented by publishers that can delete a published post.
type Deleter interface {
	// Delete removes every part of the publication described by rc. It is
	// safe to repeat: parts already gone are not an error where the network
	// lets the publisher tell.
	Delete(ctx context.Context, rc Receipt) error
}

// PostStatsReader is implemented by publishers that can read the
// statistics of a published post.
type PostStatsReader interface {
	// PostStats returns the post's statistics as the network counts them
	// now.
	PostStats(ctx context.Context, rc Receipt) (PostStats, error)
}

// PageStatsReader is implemented by publishers that can read the
// statistics of their page.
type PageStatsReader interface {
	// PageStats returns the page's statistics as the network counts them
	// now.
	PageStats(ctx context.Context) (PageStats, error)
}

// Metrics is a set of statistics a network reported. A metric outside the
// set is unknown, not zero.
type Metrics uint8

// The metrics of PostStats and PageStats.
const (
	MetricReach Metrics = 1 << iota
	MetricViews
	MetricLikes
	MetricComments
	MetricReposts
	MetricSubscribers
)

// Has reports whether every metric of m is in the set.
func (s Metrics) Has(m Metrics) bool { return m != 0 && s&m == m }

// PostStats are the statistics of one publication.
type PostStats struct {
	// Reach is the number of distinct people who saw the post.
	Reach int64
	// Views is the number of views.
	Views int64
	// Likes is the number of likes or reactions.
	Likes int64
	// Comments is the number of comments.
	Comments int64
	// Reposts is the number of reposts or forwards.
	Reposts int64
	// Available says which of the fields the network reported; the others
	// are zero because they are unknown.
	Available Metrics
	// At is when the statistics were read, on the publisher's clock.
	At time.Time
}

// PageStats are the statistics of a page.
type PageStats struct {
	// Subscribers is the number of subscribers (members of a channel).
	Subscribers int64
	// Reach is the number of distinct people who saw the page's posts in
	// the network's reporting period.
	Reach int64
	// Views is the number of views of the page's posts in that period.
	Views int64
	// Likes, Comments and Reposts count the reactions to the page's posts
	// in that period.
	Likes, Comments, Reposts int64
	// Available says which of the fields the network reported; the others
	// are zero because they are unknown.
	Available Metrics
	// At is when the statistics were read, on the publisher's clock.
	At time.Time
}

// UnsupportedError reports an optional verb a network cannot perform
// through its API (post statistics through Telegram's Bot API, replacing
// the media of a published Telegram post). It matches errors.ErrUnsupported.
// Nothing was sent.
type UnsupportedError struct {
	// Network is the network that cannot do it.
	Network Network
	// Operation names the verb, such as "telegram.postStats".
	Operation string
	// Reason says why, for a person.
	Reason string
}

// Error implements error.
func (e *UnsupportedError) Error() string {
	s := e.Operation + ": not supported"
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Is reports whether target is errors.ErrUnsupported.
func (e *UnsupportedError) Is(target error) bool { return target == errors.ErrUnsupported }
