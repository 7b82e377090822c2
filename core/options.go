package core

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults of every client built on core. A party may document stricter
// ones of its own (a long poll has its own bound).
const (
	// DefaultRetryMax is how many times a transient failure (network error,
	// 5xx) of a call that is safe to repeat is retried.
	DefaultRetryMax = 3
	// DefaultRetryWaitMin and DefaultRetryWaitMax bound the exponential
	// backoff between transient retries.
	DefaultRetryWaitMin = 200 * time.Millisecond
	DefaultRetryWaitMax = 5 * time.Second
	// DefaultRateLimitMaxWait is the longest single wait a call accepts
	// after a "too many requests" answer; a longer retry-after returns a
	// *RateLimitError at once.
	DefaultRateLimitMaxWait = 30 * time.Second
	// DefaultRateLimitMaxTotalWait bounds the total time one call spends
	// waiting out "too many requests" answers. The budget is a duration,
	// not a count: a party answering "retry after 1 s" ten times costs
	// ten seconds, one answering "retry after 25 s" twice costs fifty.
	DefaultRateLimitMaxTotalWait = 60 * time.Second
	// DefaultTimeout bounds a call whose ctx has no deadline, so that a
	// server that stops answering cannot hang the caller forever. A call
	// whose ctx has a deadline is not affected (and pays nothing for it).
	DefaultTimeout = 60 * time.Second
)

// Settings is what the options of a client configure: the settings every
// client shares, and the party's own settings struct, which party-specific
// options (see [PartyOption]) reach. Client constructors create it with
// [NewSettings] and apply the options with [Settings.Apply]; applications
// only pass [Option] values.
type Settings struct {
	// Client names the client being configured ("telegram", "esia").
	Client string
	// HTTPClient sends the requests (nil: the module's shared pooled
	// transport, no overall timeout).
	HTTPClient *http.Client
	// BaseURL replaces the party's default endpoint ("" keeps it).
	BaseURL string
	// Logger receives debug records (silent by default). Records never
	// contain secrets.
	Logger *slog.Logger
	// Limiter paces requests; LimiterSet reports that an option set it
	// (a nil Limiter with LimiterSet disables pacing).
	Limiter    Limiter
	LimiterSet bool
	// RetryMax, RetryWaitMin and RetryWaitMax are the transient-failure
	// retry budget (count) and backoff bounds.
	RetryMax     int
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// RateLimitMaxWait and RateLimitMaxTotalWait are the separate budget
	// for "too many requests" answers: the longest single wait and the
	// total wait per call.
	RateLimitMaxWait      time.Duration
	RateLimitMaxTotalWait time.Duration
	// UserAgent is appended to the gosdk User-Agent.
	UserAgent string
	// Clock is the clock of pacing, retry waits and timestamps.
	Clock Clock
	// DefaultTimeout bounds calls whose ctx has no deadline (zero: none).
	DefaultTimeout time.Duration
	// OnRequest and OnResponse are called around every HTTP attempt.
	OnRequest  func(context.Context, RequestInfo)
	OnResponse func(context.Context, ResponseInfo)
	// Secrets are literal values that never appear in logs, hooks or
	// errors.
	Secrets []string

	party any // the party's own settings struct, a pointer
}

// NewSettings returns the defaults for the client named client. party is
// a pointer to the party's own settings struct, which the options built
// with [PartyOption] for that struct type modify (nil when the client has
// none).
func NewSettings(client string, party any) Settings {
	return Settings{
		Client:                client,
		Logger:                slog.New(slog.DiscardHandler),
		RetryMax:              DefaultRetryMax,
		RetryWaitMin:          DefaultRetryWaitMin,
		RetryWaitMax:          DefaultRetryWaitMax,
		RateLimitMaxWait:      DefaultRateLimitMaxWait,
		RateLimitMaxTotalWait: DefaultRateLimitMaxTotalWait,
		Clock:                 SystemClock(),
		DefaultTimeout:        DefaultTimeout,
		party:                 party,
	}
}

// Apply applies opts in order (nil options are skipped) and returns the
// first error.
func (s *Settings) Apply(opts ...Option) error {
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(s); err != nil {
			return err
		}
	}
	return nil
}

// Option configures a client. The same Option values are accepted by every
// gosdk client (telegram.New, esia.New, ...); an option that only makes
// sense for one party (see [PartyOption]) fails New of any other client
// with a clear error.
type Option func(*Settings) error

// PartyOption returns an Option named name that applies f to the party's
// own settings struct T. Applied to a client whose settings are not a *T,
// it fails with "option <name> does not apply to the <client> client".
func PartyOption[T any](name string, f func(*T) error) Option {
	return func(s *Settings) error {
		p, ok := s.party.(*T)
		if !ok || p == nil {
			return fmt.Errorf("%s: option %s does not apply to the %s client", s.Client, name, s.Client)
		}
		if err := f(p); err != nil {
			return fmt.Errorf("%s: %s: %w", s.Client, name, err)
		}
		return nil
	}
}

// WithHTTPClient sends requests through hc (its Transport, Timeout, Jar
// and redirect policy); hc is copied, not modified. The default is a
// pooled transport shared by every client, which bounds connection set-up
// but sets no overall timeout (calls are bounded by their ctx and by
// [WithDefaultTimeout]).
func WithHTTPClient(hc *http.Client) Option {
	return func(s *Settings) error {
		if hc == nil {
			return fmt.Errorf("%s: nil *http.Client", s.Client)
		}
		s.HTTPClient = hc
		return nil
	}
}

// WithBaseURL sends requests to base (a local server or an emulator)
// instead of the party's endpoint. base must be an absolute http(s) URL
// without query or fragment; a path prefix is kept.
func WithBaseURL(base string) Option {
	return func(s *Settings) error {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("%s: base URL must be an absolute http(s) URL without query", s.Client)
		}
		s.BaseURL = strings.TrimRight(base, "/")
		return nil
	}
}

// WithLogger sets the structured logger (silent by default). Records never
// contain secrets.
func WithLogger(l *slog.Logger) Option {
	return func(s *Settings) error {
		if l != nil {
			s.Logger = l
		}
		return nil
	}
}

// WithLimiter replaces the client's pacing with l (several clients may
// share one l, such as one [KeyedLimiter] for two clients of the same
// token); a nil l disables client-side pacing. The keys a client passes
// follow the scheme of [LimitKey].
func WithLimiter(l Limiter) Option {
	return func(s *Settings) error {
		s.Limiter, s.LimiterSet = l, true
		return nil
	}
}

// WithRetry sets the transient-failure budget: how many times a network
// error or 5xx answer of a call that is safe to repeat is retried, and the
// exponential backoff bounds (defaults 3, 200 ms, 5 s). retryMax 0
// disables these retries. A call that is not safe to repeat (a post) is
// retried only when it provably never reached the server, whatever the
// setting. "Too many requests" answers have their own budget
// ([WithRateLimitRetry]).
func WithRetry(retryMax int, waitMin, waitMax time.Duration) Option {
	return func(s *Settings) error {
		if retryMax < 0 || waitMin < 0 || waitMax < waitMin {
			return fmt.Errorf("%s: invalid retry settings (max %d, wait %s..%s)", s.Client, retryMax, waitMin, waitMax)
		}
		s.RetryMax, s.RetryWaitMin, s.RetryWaitMax = retryMax, waitMin, waitMax
		return nil
	}
}

// WithRateLimitRetry sets the budget for "too many requests" answers,
// separate from transient failures: a call waits out such an answer when
// the party's retry-after is at most maxWait and the call's total waiting
// for such answers stays within maxTotalWait (defaults 30 s and 60 s);
// otherwise it returns a *RateLimitError (matching ErrRateLimited) at
// once. Zero maxWait never waits.
func WithRateLimitRetry(maxWait, maxTotalWait time.Duration) Option {
	return func(s *Settings) error {
		if maxWait < 0 || maxTotalWait < 0 {
			return fmt.Errorf("%s: negative rate-limit wait", s.Client)
		}
		s.RateLimitMaxWait, s.RateLimitMaxTotalWait = maxWait, maxTotalWait
		return nil
	}
}

// WithUserAgent appends product ("myapp/1.2") to the gosdk User-Agent.
func WithUserAgent(product string) Option {
	return func(s *Settings) error {
		s.UserAgent = product
		return nil
	}
}

// WithClock sets the clock the client reads time from and waits on for
// pacing and retries (default [SystemClock]). Tests pass a virtual clock
// (package core/coretest); a sandbox passes its world clock.
func WithClock(c Clock) Option {
	return func(s *Settings) error {
		if c == nil {
			return fmt.Errorf("%s: nil clock", s.Client)
		}
		s.Clock = c
		return nil
	}
}

// WithDefaultTimeout bounds every call whose ctx has no deadline (default
// [DefaultTimeout], 60 s); zero removes the bound. A call whose ctx has a
// deadline keeps it. Long polls have a bound of their own (the poll's
// timeout plus a margin).
func WithDefaultTimeout(d time.Duration) Option {
	return func(s *Settings) error {
		if d < 0 {
			return fmt.Errorf("%s: negative default timeout", s.Client)
		}
		s.DefaultTimeout = d
		return nil
	}
}

// WithRequestHook calls f before every HTTP attempt (URL redacted).
func WithRequestHook(f func(context.Context, RequestInfo)) Option {
	return func(s *Settings) error { s.OnRequest = f; return nil }
}

// WithResponseHook calls f after every HTTP attempt (URL and error
// redacted).
func WithResponseHook(f func(context.Context, ResponseInfo)) Option {
	return func(s *Settings) error { s.OnResponse = f; return nil }
}

// WithSecrets registers literal secrets (a password, an application key)
// that must never appear in logs, hooks or error strings, in addition to
// the client's own credentials and the patterns always redacted.
func WithSecrets(secrets ...string) Option {
	return func(s *Settings) error {
		for _, v := range secrets {
			if v != "" {
				s.Secrets = append(s.Secrets, v)
			}
		}
		return nil
	}
}

// String describes the settings without their secrets.
func (s Settings) String() string {
	return fmt.Sprintf("core.Settings{client %s, base %q, retry %d, rate-limit wait %s/%s total, timeout %s, %d secrets}",
		s.Client, s.BaseURL, s.RetryMax, s.RateLimitMaxWait, s.RateLimitMaxTotalWait, s.DefaultTimeout, len(s.Secrets))
}

// GoString is String: settings never print their secrets.
func (s Settings) GoString() string { return s.String() }

// Format prints String for every verb.
func (s Settings) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue makes slog record the settings as String.
func (s Settings) LogValue() slog.Value { return slog.StringValue(s.String()) }
