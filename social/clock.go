package social

import (
	"context"

	"github.com/gospubliki/gosdk/core"
)

type clockKey struct{}

// WithClock returns a copy of ctx that carries clock. Publishers judge a
// post's PublishAt on the clock of the ctx they are given when they have
// none of their own; FanOut passes FanOutOptions.Clock this way. A cabinet
// that schedules posts on a clock other than the system's (the sandbox's
// world clock) gives it here so that a post due on that clock is not
// refused as "in the future".
func WithClock(ctx context.Context, clock core.Clock) context.Context {
	if clock == nil {
		return ctx
	}
	return context.WithValue(ctx, clockKey{}, clock)
}

// ClockFrom returns the clock carried by ctx (see WithClock), or nil.
func ClockFrom(ctx context.Context) core.Clock {
	c, _ := ctx.Value(clockKey{}).(core.Clock)
	return c
}

// ResolveClock returns own when it is not nil, else the clock carried by
// ctx, else the system clock. Publishers use it to pick the clock that
// judges PublishAt.
func ResolveClock(ctx context.Context, own core.Clock) core.Clock {
	if own != nil {
		return own
	}
	if c := ClockFrom(ctx); c != nil {
		return c
	}
	return core.SystemClock()
}
