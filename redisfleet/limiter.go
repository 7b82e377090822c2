package redisfleet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/redis/go-redis/v9"
)

// ErrUnavailable is matched (errors.Is) by the errors a Limiter returns
// when Redis cannot be reached and no fallback is configured (they also
// match core.ErrLimiter) and by those of a Ledger that cannot reach it.
var ErrUnavailable = errors.New("redisfleet: redis unavailable")

// UnavailableError reports that the shared store could not decide. It
// matches core.ErrLimiter and ErrUnavailable.
type UnavailableError struct {
	// Err is the last Redis error (never contains a token: keys are
	// fingerprints).
	Err error
}

// Error describes the failure.
func (e *UnavailableError) Error() string {
	return fmt.Sprintf("%v: %v: %v", core.ErrLimiter, ErrUnavailable, e.Err)
}

// Is reports whether target is core.ErrLimiter or ErrUnavailable.
func (e *UnavailableError) Is(target error) bool {
	return target == core.ErrLimiter || target == ErrUnavailable
}

// Unwrap returns the Redis error.
func (e *UnavailableError) Unwrap() error { return e.Err }

// LimiterConfig configures a Limiter.
type LimiterConfig struct {
	// Rules are the same rules (and global bucket) a core.KeyedLimiter
	// takes; every replica must be given the same ones. IdleTTL bounds how
	// long an idle key's state stays in Redis; Clock paces the local waits
	// and gives the time of each decision (replicas' clocks must agree
	// to within a small fraction of the shortest emission interval, as
	// NTP-synchronised hosts do).
	Rules core.KeyedLimiterConfig
	// Prefix namespaces the Redis keys (default "{gosdk-rl}:"). Every key a
	// request may spend must live in one Redis Cluster slot: keep a hash
	// tag ({...}) in a custom Prefix.
	Prefix string
	// RetryInterval is how often a call retries Redis while it is
	// unreachable, until ctx ends (default 200ms). Without a fallback a
	// call then returns an *UnavailableError; with one, Redis is tried
	// again at most once per RetryInterval and the fallback paces the
	// calls in between.
	RetryInterval time.Duration
	// FallbackFraction, when in (0, 1], makes the limiter pace calls with
	// an in-process core.KeyedLimiter at that fraction of every rate while
	// Redis is unreachable (1/N for N replicas keeps the fleet within the
	// platform's limit). Zero: fail closed. The switch is logged once.
	FallbackFraction float64
	// Logger receives the one fallback record (default slog.Default()).
	Logger *slog.Logger
}

// Limiter is a core.MultiLimiter whose buckets live in Redis, so that any
// number of replicas sharing one token share one budget. It applies the
// rules of a core.KeyedLimiterConfig with the same key scheme (token
// fingerprints, chat and page scopes, the global bucket) as GCRA buckets
// kept in one Redis hash per key. All buckets a request spends are
// reserved in one Lua script, atomically: either every bucket is charged
// or none is; a wait that is cancelled gives the tokens back.
//
// The wait itself is local, on the configured core.Clock.
type Limiter struct {
	rdb      redis.UniversalClient
	cfg      LimiterConfig
	rules    []core.Rule
	clock    core.Clock
	prefix   string
	retry    time.Duration
	fallback *core.KeyedLimiter
	logOnce  sync.Once

	mu        sync.Mutex
	downUntil time.Time // with a fallback: skip Redis until then
}

var _ core.MultiLimiter = (*Limiter)(nil)

// NewLimiter returns a Limiter on rdb for cfg.
func NewLimiter(rdb redis.UniversalClient, cfg LimiterConfig) *Limiter {
	l := &Limiter{rdb: rdb, cfg: cfg, clock: cfg.Rules.Clock, prefix: cfg.Prefix, retry: cfg.RetryInterval}
	l.rules = make([]core.Rule, len(cfg.Rules.Rules))
	copy(l.rules, cfg.Rules.Rules)
	for i := range l.rules {
		l.rules[i].Burst = max(l.rules[i].Burst, 1)
	}
	if l.clock == nil {
		l.clock = core.SystemClock()
	}
	if l.prefix == "" {
		l.prefix = "{gosdk-rl}:"
	}
	if l.retry <= 0 {
		l.retry = 200 * time.Millisecond
	}
	if l.cfg.Rules.IdleTTL <= 0 {
		l.cfg.Rules.IdleTTL = 10 * time.Minute
	}
	if f := cfg.FallbackFraction; f > 0 {
		f = math.Min(f, 1)
		fc := cfg.Rules
		fc.Clock = l.clock
		fc.Global = scale(fc.Global, f)
		fc.Rules = make([]core.Rule, len(l.rules))
		for i, r := range l.rules {
			r.Rate = scale(r.Rate, f)
			r.Burst = max(int(float64(r.Burst)*f), 1)
			fc.Rules[i] = r
		}
		l.fallback = core.NewKeyedLimiter(fc)
	}
	return l
}

// scale returns r at fraction f, keeping its precision by stretching Per.
func scale(r core.Rate, f float64) core.Rate {
	if r.Unlimited() {
		return r
	}
	return core.Rate{N: r.N, Per: time.Duration(float64(r.Per) / f)}
}

// String describes the limiter.
func (l *Limiter) String() string {
	return "redisfleet.Limiter{" + strings.TrimPrefix(core.NewKeyedLimiter(l.cfg.Rules).String(), "core.KeyedLimiter{")
}

// Wait is WaitKeys with one key.
func (l *Limiter) Wait(ctx context.Context, key string) error { return l.WaitKeys(ctx, key) }

// bucket is one GCRA bucket the script charges.
type bucket struct {
	key      string // Redis key
	interval int64  // emission interval, microseconds
	burst    int64
}

// buckets lists the buckets keys spend, in a fixed order.
func (l *Limiter) buckets(keys []string) []bucket {
	var bs []bucket
	add := func(name string, r core.Rate, burst int) {
		if r.Unlimited() {
			return
		}
		iv := max(int64(r.Per/time.Microsecond)/int64(r.N), 1)
		bs = append(bs, bucket{key: name, interval: iv, burst: int64(max(burst, 1))})
	}
	add(l.prefix+"global", l.cfg.Rules.Global, l.cfg.Rules.GlobalBurst)
	for _, k := range keys {
		if k == "" {
			continue
		}
		for i := range l.rules {
			r := &l.rules[i]
			sel := strings.HasPrefix(k, r.Prefix)
			if r.Match != nil {
				sel = r.Match(k)
			}
			if sel {
				// The rule's index and rate are part of the name, so
				// that a changed rule does not inherit an old state.
				add(l.prefix+strconv.Itoa(i)+":"+r.Rate.String()+":"+k, r.Rate, r.Burst)
			}
		}
	}
	return bs
}

// reserveScript charges every bucket (KEYS[i]: interval ARGV[2i+2], burst
// ARGV[2i+3]) one emission interval at time ARGV[1] (µs), unless the
// longest resulting delay exceeds ARGV[#] (µs, -1: no bound). It returns
// the delay in µs, or -1 when refused (nothing charged). The state of a
// bucket is its theoretical arrival time (TAT), written with %.0f: Lua
// would print a 16-digit microsecond time with 14 significant digits.
var reserveScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local maxwait = tonumber(ARGV[#ARGV - 1])
local ttl = tonumber(ARGV[#ARGV])
local delay = 0
local tats = {}
for i = 1, #KEYS do
  local iv = tonumber(ARGV[2*i])
  local burst = tonumber(ARGV[2*i + 1])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  local new = tat + iv
  local d = new - burst * iv - now
  if d > delay then delay = d end
  tats[i] = new
end
if maxwait >= 0 and delay > maxwait then return -1 end
for i = 1, #KEYS do
  local keep = tats[i] - now + ttl
  redis.call('SET', KEYS[i], string.format('%.0f', tats[i]), 'PX', string.format('%.0f', math.ceil(keep / 1000)))
end
return delay
`)

// releaseScript gives back one emission interval of every bucket.
var releaseScript = redis.NewScript(`
for i = 1, #KEYS do
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  local iv = tonumber(ARGV[i])
  if tat > 0 then
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl > 0 then redis.call('SET', KEYS[i], string.format('%.0f', tat - iv), 'PX', ttl) end
  end
end
return 0
`)

// WaitKeys blocks until every bucket of keys (and the global bucket)
// allows one request, or ctx ends. The buckets are charged atomically in
// Redis; a wait that would pass ctx's deadline is refused at once with an
// error matching core.ErrLimiter and charges nothing; a wait cancelled by
// ctx gives its tokens back. While Redis is unreachable the call retries
// until ctx ends and returns an *UnavailableError, or, with
// FallbackFraction set, is paced by the local fallback limiter.
func (l *Limiter) WaitKeys(ctx context.Context, keys ...string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	bs := l.buckets(keys)
	if len(bs) == 0 {
		return nil
	}
	names := make([]string, len(bs))
	args := make([]any, 0, 2*len(bs)+3)
	args = append(args, 0)
	for i, b := range bs {
		names[i] = b.key
		args = append(args, b.interval, b.burst)
	}
	maxWait := int64(-1)
	if dl, ok := ctx.Deadline(); ok {
		maxWait = max(int64(time.Until(dl)/time.Microsecond), 0)
	}
	args = append(args, maxWait, int64(l.cfg.Rules.IdleTTL/time.Microsecond))
	if l.fallback != nil && l.isDown() {
		return l.fallback.WaitKeys(ctx, keys...)
	}
	for {
		args[0] = l.clock.Now().UnixMicro()
		res, err := reserveScript.Run(ctx, l.rdb, names, args...).Int64()
		if err == nil {
			if res < 0 {
				return fmt.Errorf("%w: the shared buckets would pass the context deadline", core.ErrLimiter)
			}
			return l.sleep(ctx, time.Duration(res)*time.Microsecond, bs)
		}
		if ctx.Err() != nil {
			return &UnavailableError{Err: err}
		}
		if l.fallback != nil {
			l.logOnce.Do(func() {
				l.logger().Warn("redisfleet: redis unreachable, pacing with the local fallback limiter",
					"fraction", l.cfg.FallbackFraction, "err", err.Error())
			})
			l.mu.Lock()
			l.downUntil = l.clock.Now().Add(l.retry)
			l.mu.Unlock()
			return l.fallback.WaitKeys(ctx, keys...)
		}
		t := l.clock.NewTimer(l.retry)
		select {
		case <-t.C():
		case <-ctx.Done():
			t.Stop()
			return &UnavailableError{Err: err}
		}
	}
}

// isDown reports whether Redis failed less than RetryInterval ago.
func (l *Limiter) isDown() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.clock.Now().Before(l.downUntil)
}

func (l *Limiter) logger() *slog.Logger {
	if l.cfg.Logger != nil {
		return l.cfg.Logger
	}
	return slog.Default()
}

func (l *Limiter) sleep(ctx context.Context, d time.Duration, bs []bucket) error {
	if d <= 0 {
		return nil
	}
	t := l.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		names := make([]string, len(bs))
		ivs := make([]any, len(bs))
		for i, b := range bs {
			names[i], ivs[i] = b.key, b.interval
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = releaseScript.Run(rctx, l.rdb, names, ivs...).Err()
		return ctx.Err()
	}
}
