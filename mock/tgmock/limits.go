package tgmock

import (
	"math"
	"time"
)

// Limits are the flood-control limits the emulator enforces per bot, with
// Telegram's own 429 answer ("Too Many Requests: retry after N",
// parameters.retry_after and a Retry-After header). They apply to methods
// that send messages (send*). The unit is one message: a media group of n
// items spends n units, since Telegram counts each album item as a
// message.
// Windows use the world clock, so advancing the clock refills them. A
// message up to 50 ms early is still accepted, so a client that paces
// itself at exactly these rates never sees a 429 caused by network jitter.
type Limits struct {
	// Disabled turns flood control off.
	Disabled bool `json:"disabled"`
	// GlobalPerSecond is the bot's rate across all chats (Telegram: about
	// 30 messages per second).
	GlobalPerSecond int `json:"global_per_second"`
	// ChatPerSecond is the sustained rate inside one chat (Telegram: 1 per
	// second).
	ChatPerSecond int `json:"chat_per_second"`
	// ChatBurst is the short burst tolerated inside one chat.
	ChatBurst int `json:"chat_burst"`
	// GroupPerMinute is the rate inside one group or supergroup (Telegram:
	// 20 per minute).
	GroupPerMinute int `json:"group_per_minute"`
}

// DefaultLimits returns Telegram's documented pacing: 30 msg/s per bot, 1
// msg/s per chat with a burst of 3, 20 msg/min per group.
func DefaultLimits() Limits {
	return Limits{GlobalPerSecond: 30, ChatPerSecond: 1, ChatBurst: 3, GroupPerMinute: 20}
}

// limitTolerance is how early a message may arrive and still be accepted.
// A client pacing itself exactly at the limit (its own token bucket, the
// same numbers) sends each message the instant its bucket allows; network
// jitter can make that arrive a little before the emulator's bucket
// refills, and Telegram itself tolerates short bursts, so such clients must
// not see 429s.
const limitTolerance = 50 * time.Millisecond

// bucket is a token bucket driven by an external clock.
type bucket struct {
	tokens float64
	last   time.Time
	init   bool
}

// fill refills the bucket to now and returns the wait until n tokens are
// available (0: available now).
func (b *bucket) fill(now time.Time, rate, burst float64) {
	if !b.init {
		b.tokens, b.last, b.init = burst, now, true
		return
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = math.Min(burst, b.tokens+el*rate)
	}
	b.last = now
}

func (b *bucket) wait(n, rate float64) time.Duration {
	if b.tokens >= n || rate <= 0 {
		return 0
	}
	return time.Duration((n - b.tokens) / rate * float64(time.Second))
}

type limitState struct {
	global bucket
	chats  map[int64]*bucket
	groups map[int64]*bucket
}

// takeLimit consumes n message units for a bot in a chat, or returns the
// 429 answer when a limit is exhausted (consuming nothing). The caller holds
// no locks.
func (c *call) takeLimit(ch *chat, m *chatMeta, n int) *apiError {
	l := c.s.limits.Load()
	if l.Disabled {
		return nil
	}
	b := c.bot
	now := c.now
	fn := float64(n)
	b.mu.Lock()
	defer b.mu.Unlock()
	ls := &b.limits
	if ls.chats == nil {
		ls.chats, ls.groups = map[int64]*bucket{}, map[int64]*bucket{}
	}
	var wait time.Duration
	type use struct {
		b    *bucket
		rate float64
	}
	var uses [3]use
	k := 0
	if l.GlobalPerSecond > 0 {
		r := float64(l.GlobalPerSecond)
		ls.global.fill(now, r, r)
		wait = max(wait, ls.global.wait(fn, r))
		uses[k] = use{&ls.global, r}
		k++
	}
	if l.ChatPerSecond > 0 {
		r, burst := float64(l.ChatPerSecond), float64(max(l.ChatBurst, l.ChatPerSecond, n))
		cb := ls.chats[ch.id]
		if cb == nil {
			cb = &bucket{}
			ls.chats[ch.id] = cb
		}
		cb.fill(now, r, burst)
		wait = max(wait, cb.wait(fn, r))
		uses[k] = use{cb, r}
		k++
	}
	if l.GroupPerMinute > 0 && m.isGroup() {
		r := float64(l.GroupPerMinute) / 60
		gb := ls.groups[ch.id]
		if gb == nil {
			gb = &bucket{}
			ls.groups[ch.id] = gb
		}
		gb.fill(now, r, float64(max(l.GroupPerMinute, n)))
		wait = max(wait, gb.wait(fn, r))
		uses[k] = use{gb, r}
		k++
	}
	if wait > limitTolerance {
		return errTooMany(int(math.Ceil(wait.Seconds())))
	}
	for _, u := range uses[:k] {
		u.b.tokens -= fn
	}
	return nil
}
