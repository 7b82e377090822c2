package transport

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/gospubliki/gosdk/core"
)

// Limiter is core.Limiter.
type Limiter = core.Limiter

// NoLimit is core.NoLimit.
type NoLimit = core.NoLimit

// Rule is one token bucket applied to every key that starts with Prefix.
// Several rules may match one key; a request waits until all of them and the
// global bucket allow it.
type Rule struct {
	// Prefix selects the keys the rule applies to ("chat:", "group:").
	Prefix string
	// Limit is the sustained rate (events per second); use rate.Every for
	// slower rates such as 20 per minute.
	Limit rate.Limit
	// Burst is the bucket size (at least 1).
	Burst int
}

// KeyedLimiter is the default Limiter: one global token bucket plus, per key,
// one bucket for every matching Rule. Buckets of keys unused for IdleTTL are
// evicted, so memory stays bounded however many chats or pages are used.
// It is safe for concurrent use.
type KeyedLimiter struct {
	global  *rate.Limiter
	rules   []Rule
	idleTTL time.Duration
	now     func() time.Time

	mu        sync.Mutex
	keys      map[string]*keyBuckets
	lastSweep time.Time
}

type keyBuckets struct {
	buckets  []*rate.Limiter
	lastUsed time.Time
}

// KeyedLimiterOption configures a KeyedLimiter.
type KeyedLimiterOption func(*KeyedLimiter)

// WithIdleTTL sets how long an unused key's buckets are kept (default 10 min).
func WithIdleTTL(d time.Duration) KeyedLimiterOption {
	return func(l *KeyedLimiter) {
		if d > 0 {
			l.idleTTL = d
		}
	}
}

// NewKeyedLimiter returns a limiter with a global bucket (limit rate.Inf
// disables it) and the per-key rules. It panics on nothing; rules with a
// non-positive burst get a burst of 1.
func NewKeyedLimiter(global rate.Limit, globalBurst int, rules []Rule, opts ...KeyedLimiterOption) *KeyedLimiter {
	if globalBurst < 1 {
		globalBurst = 1
	}
	rs := make([]Rule, len(rules))
	copy(rs, rules)
	for i := range rs {
		if rs[i].Burst < 1 {
			rs[i].Burst = 1
		}
	}
	l := &KeyedLimiter{
		global:  rate.NewLimiter(global, globalBurst),
		rules:   rs,
		idleTTL: 10 * time.Minute,
		now:     time.Now,
		keys:    make(map[string]*keyBuckets),
	}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Wait blocks until every bucket for key and the global bucket allow one
// request, or ctx ends. Tokens are reserved together, so a cancelled wait
// gives them back and no bucket is drained while another is waited for.
func (l *KeyedLimiter) Wait(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := l.now()
	delay, cancel, err := l.reserve(key, now)
	if err != nil {
		return err
	}
	if delay <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && dl.Sub(now) < delay {
		cancel()
		return fmt.Errorf("%w: waiting %s would pass the context deadline", ErrLimiter, delay)
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		cancel()
		return ctx.Err()
	}
}

// reserve takes one token from every bucket of key and from the global
// bucket at now, and returns how long the caller must wait before using
// them and a func that gives them back.
func (l *KeyedLimiter) reserve(key string, now time.Time) (time.Duration, func(), error) {
	buckets := l.bucketsFor(key, now)
	res := make([]*rate.Reservation, 0, len(buckets)+1)
	cancelAll := func() {
		t := l.now()
		for _, r := range res {
			r.CancelAt(t)
		}
	}
	var delay time.Duration
	for i := 0; i <= len(buckets); i++ {
		b := l.global
		if i < len(buckets) {
			b = buckets[i]
		}
		r := b.ReserveN(now, 1)
		if !r.OK() {
			cancelAll()
			return 0, nil, fmt.Errorf("%w: burst of limiter for %q is zero", ErrLimiter, key)
		}
		res = append(res, r)
		if d := r.DelayFrom(now); d > delay {
			delay = d
		}
	}
	return delay, cancelAll, nil
}

// Len reports how many keys currently hold buckets (for tests and metrics).
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
		for _, r := range l.rules {
			if strings.HasPrefix(key, r.Prefix) {
				kb.buckets = append(kb.buckets, rate.NewLimiter(r.Limit, r.Burst))
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
