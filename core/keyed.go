package core

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is a sustained rate: N events per Per. The zero Rate means
// unlimited.
type Rate struct {
	N   int
	Per time.Duration
}

// PerSecond returns the Rate of n events per second.
func PerSecond(n int) Rate { return Rate{N: n, Per: time.Second} }

// PerMinute returns the Rate of n events per minute.
func PerMinute(n int) Rate { return Rate{N: n, Per: time.Minute} }

// Unlimited reports whether r places no limit (N or Per not positive).
func (r Rate) Unlimited() bool { return r.N <= 0 || r.Per <= 0 }

// PerSecond returns the rate in events per second (+Inf when unlimited).
func (r Rate) PerSecond() float64 {
	if r.Unlimited() {
		return math.Inf(1)
	}
	return float64(r.N) / r.Per.Seconds()
}

// String returns "30/1s", "20/1m0s" or "unlimited".
func (r Rate) String() string {
	if r.Unlimited() {
		return "unlimited"
	}
	return fmt.Sprintf("%d/%s", r.N, r.Per)
}

func (r Rate) limit() rate.Limit {
	if r.Unlimited() {
		return rate.Inf
	}
	return rate.Limit(r.PerSecond())
}

// Rule is one token bucket per key, for every key the rule selects: the
// keys starting with Prefix, or the keys Match accepts when Match is set.
// Several rules may select one key; a request waits until all of them (and
// the global bucket) allow it.
type Rule struct {
	// Prefix selects keys by prefix ("telegram:chat:"); an empty Prefix
	// with a nil Match selects every key.
	Prefix string
	// Match, when not nil, selects keys instead of Prefix.
	Match func(key string) bool
	// Rate is the sustained rate of each key's bucket.
	Rate Rate
	// Burst is the bucket size (values below 1 count as 1).
	Burst int
}

func (r *Rule) matches(key string) bool {
	if r.Match != nil {
		return r.Match(key)
	}
	return strings.HasPrefix(key, r.Prefix)
}

// KeyedLimiterConfig configures a [KeyedLimiter].
type KeyedLimiterConfig struct {
	// Global is one bucket every request spends, whatever its keys (zero:
	// none). Per-token budgets are better expressed as a Rule on a
	// per-token key ("telegram:bot:"), so that one limiter can serve
	// several tokens.
	Global      Rate
	GlobalBurst int
	// Rules are the per-key buckets.
	Rules []Rule
	// IdleTTL is how long the buckets of an unused key are kept (default
	// 10 minutes): memory stays bounded however many chats or pages are
	// used.
	IdleTTL time.Duration
	// Clock paces the waits (default SystemClock).
	Clock Clock
}

// KeyedLimiter is the default in-process [Limiter]: an optional global
// token bucket plus, per key, one bucket for every [Rule] that selects the
// key. It is safe for concurrent use; one KeyedLimiter may serve several
// clients (two clients of one bot token then share the bot's budget).
type KeyedLimiter struct {
	global  *rate.Limiter
	rules   []Rule
	idleTTL time.Duration
	clock   Clock

	mu        sync.Mutex
	keys      map[string]*keyBuckets
	lastSweep time.Time
}

type keyBuckets struct {
	buckets  []*rate.Limiter
	lastUsed time.Time
}

// NewKeyedLimiter returns a KeyedLimiter for cfg.
func NewKeyedLimiter(cfg KeyedLimiterConfig) *KeyedLimiter {
	rs := make([]Rule, len(cfg.Rules))
	copy(rs, cfg.Rules)
	for i := range rs {
		if rs[i].Burst < 1 {
			rs[i].Burst = 1
		}
	}
	l := &KeyedLimiter{
		rules:   rs,
		idleTTL: cfg.IdleTTL,
		clock:   cfg.Clock,
		keys:    make(map[string]*keyBuckets),
	}
	if !cfg.Global.Unlimited() {
		l.global = rate.NewLimiter(cfg.Global.limit(), max(cfg.GlobalBurst, 1))
	}
	if l.idleTTL <= 0 {
		l.idleTTL = 10 * time.Minute
	}
	if l.clock == nil {
		l.clock = SystemClock()
	}
	return l
}

// String describes the limiter's configuration.
func (l *KeyedLimiter) String() string {
	var b strings.Builder
	b.WriteString("core.KeyedLimiter{")
	if l.global != nil {
		fmt.Fprintf(&b, "global %.4g/s burst %d", float64(l.global.Limit()), l.global.Burst())
	} else {
		b.WriteString("no global")
	}
	for _, r := range l.rules {
		sel := r.Prefix + "*"
		if r.Match != nil {
			sel = "match()"
		}
		fmt.Fprintf(&b, "; %s %s burst %d", sel, r.Rate, r.Burst)
	}
	b.WriteString("}")
	return b.String()
}

// Wait blocks until every bucket of key and the global bucket allow one
// request, or ctx ends. It is WaitKeys with one key.
func (l *KeyedLimiter) Wait(ctx context.Context, key string) error {
	return l.WaitKeys(ctx, key)
}

// WaitKeys blocks until the buckets of every key (a key listed twice
// spends twice) and the global bucket allow one request, or ctx ends.
// Tokens are reserved together, so a cancelled wait gives them all back
// and no bucket is drained while another is waited for. A wait that would
// pass ctx's deadline is refused at once with an error matching
// ErrLimiter.
func (l *KeyedLimiter) WaitKeys(ctx context.Context, keys ...string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := l.clock.Now()
	delay, res, err := l.reserve(keys, now)
	if err != nil {
		return err
	}
	if delay <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
		l.cancel(res)
		return fmt.Errorf("%w: waiting %s would pass the context deadline", ErrLimiter, delay)
	}
	t := l.clock.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		l.cancel(res)
		return ctx.Err()
	}
}

func (l *KeyedLimiter) cancel(res []*rate.Reservation) {
	t := l.clock.Now()
	for _, r := range res {
		r.CancelAt(t)
	}
}

// reserve takes one token from every bucket of keys and from the global
// bucket at now, and returns how long the caller must wait before using
// them and the reservations (to give them back).
func (l *KeyedLimiter) reserve(keys []string, now time.Time) (time.Duration, []*rate.Reservation, error) {
	var delay time.Duration
	var res []*rate.Reservation
	take := func(b *rate.Limiter) bool {
		r := b.ReserveN(now, 1)
		if !r.OK() {
			return false
		}
		res = append(res, r)
		if d := r.DelayFrom(now); d > delay {
			delay = d
		}
		return true
	}
	if l.global != nil && !take(l.global) {
		return 0, nil, fmt.Errorf("%w: global burst is zero", ErrLimiter)
	}
	for _, k := range keys {
		for _, b := range l.bucketsFor(k, now) {
			if !take(b) {
				l.cancel(res)
				return 0, nil, fmt.Errorf("%w: burst of limiter is zero", ErrLimiter)
			}
		}
	}
	return delay, res, nil
}

// Len reports how many keys currently hold buckets (for tests and
// metrics).
func (l *KeyedLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

func (l *KeyedLimiter) bucketsFor(key string, now time.Time) []*rate.Limiter {
	if key == "" || len(l.rules) == 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > l.idleTTL/2 {
		l.sweep(now)
	}
	kb, ok := l.keys[key]
	if !ok {
		kb = &keyBuckets{}
		for i := range l.rules {
			if r := &l.rules[i]; r.matches(key) && !r.Rate.Unlimited() {
				kb.buckets = append(kb.buckets, rate.NewLimiter(r.Rate.limit(), r.Burst))
			}
		}
		l.keys[key] = kb
	}
	kb.lastUsed = now
	return kb.buckets
}

// sweep drops keys idle for longer than idleTTL. Caller holds l.mu.
func (l *KeyedLimiter) sweep(now time.Time) {
	l.lastSweep = now
	for k, kb := range l.keys {
		if now.Sub(kb.lastUsed) > l.idleTTL {
			delete(l.keys, k)
		}
	}
}

// MultiLimiter is implemented by limiters that can reserve the tokens of
// several keys at once ([KeyedLimiter] does). The clients use it when the
// configured Limiter implements it, and call Wait once per key otherwise.
type MultiLimiter interface {
	Limiter
	// WaitKeys is Wait for all keys together.
	WaitKeys(ctx context.Context, keys ...string) error
}
