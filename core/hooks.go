package core

import (
	"context"
	"time"
)

// RequestInfo describes one HTTP attempt for a request hook.
type RequestInfo struct {
	// Operation names the call, such as "telegram.sendMessage".
	Operation string
	// Method is the HTTP method.
	Method string
	// URL is the request URL with every secret replaced by REDACTED.
	URL string
	// Attempt counts the attempts of this call, from 1.
	Attempt int
}

// ResponseInfo describes the outcome of one HTTP attempt for a response
// hook.
type ResponseInfo struct {
	// Operation names the call.
	Operation string
	// Method is the HTTP method.
	Method string
	// URL is the request URL, redacted.
	URL string
	// Attempt counts the attempts of this call, from 1.
	Attempt int
	// StatusCode is the HTTP status (zero when no answer arrived).
	StatusCode int
	// Duration is how long the attempt took.
	Duration time.Duration
	// Err is why no answer arrived (redacted), or nil.
	Err error
}

// CallSettings are the per-call overrides a [CallOption] adjusts. The zero
// value changes nothing.
type CallSettings struct {
	// NoRetry disables every retry of the call: transient failures and
	// "too many requests" answers are returned at once.
	NoRetry bool
	// LimitKeys, when LimitKeysSet, replace the limiter keys the call would
	// spend (an empty list spends none).
	LimitKeys    []string
	LimitKeysSet bool
	// Limiter, when set, paces this call instead of the client's limiter.
	Limiter Limiter
	// Timeout, when positive, bounds this call (in addition to its ctx).
	Timeout time.Duration
	// OnRequest and OnResponse are called around every attempt of this
	// call, after the client's own hooks.
	OnRequest  func(context.Context, RequestInfo)
	OnResponse func(context.Context, ResponseInfo)
}

// CallOption adjusts one call alone. Every client method that sends a
// request accepts trailing CallOptions:
//
//	c.SendMessage(ctx, req, core.CallWithoutRetries(), core.CallTimeout(5*time.Second))
type CallOption func(*CallSettings)

// CallWithoutRetries sends the call once: a transient failure or a "too
// many requests" answer is returned at once.
func CallWithoutRetries() CallOption {
	return func(s *CallSettings) { s.NoRetry = true }
}

// CallLimitKeys makes the call spend keys instead of the keys the client
// would choose (none when keys is empty).
func CallLimitKeys(keys ...string) CallOption {
	return func(s *CallSettings) {
		s.LimitKeys, s.LimitKeysSet = append([]string(nil), keys...), true
	}
}

// CallLimiter paces the call with l instead of the client's limiter (nil:
// no pacing for this call).
func CallLimiter(l Limiter) CallOption {
	return func(s *CallSettings) {
		if l == nil {
			l = NoLimit{}
		}
		s.Limiter = l
	}
}

// CallTimeout bounds the call to d, retries and waits included (in
// addition to the ctx's own deadline).
func CallTimeout(d time.Duration) CallOption {
	return func(s *CallSettings) { s.Timeout = d }
}

// CallRequestHook calls f before every attempt of this call.
func CallRequestHook(f func(context.Context, RequestInfo)) CallOption {
	return func(s *CallSettings) { s.OnRequest = f }
}

// CallResponseHook calls f after every attempt of this call.
func CallResponseHook(f func(context.Context, ResponseInfo)) CallOption {
	return func(s *CallSettings) { s.OnResponse = f }
}

type callOptionsKey struct{}

// WithCallOptions returns a ctx carrying opts: every call made with it (or
// a context derived from it) applies them before the call's own trailing
// options. It reaches calls whose signature has no CallOption parameter
// (esia.Client.Person, the token exchanges) and calls made on your behalf
// (a publisher's sends).
func WithCallOptions(ctx context.Context, opts ...CallOption) context.Context {
	if prev := CallOptionsFrom(ctx); len(prev) > 0 {
		opts = append(append([]CallOption(nil), prev...), opts...)
	}
	return context.WithValue(ctx, callOptionsKey{}, opts)
}

// CallOptionsFrom returns the options WithCallOptions put into ctx.
func CallOptionsFrom(ctx context.Context) []CallOption {
	opts, _ := ctx.Value(callOptionsKey{}).([]CallOption)
	return opts
}
