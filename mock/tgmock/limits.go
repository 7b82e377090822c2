package tgmock

import (
	"math"
	"time"

	"golang.org/x/time/rate"
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

// limitState holds a bot's flood-control windows: token buckets of
// golang.org/x/time/rate fed the world clock's time, so advancing the clock
// refills them.
type limitState struct {
	global *rate.Limiter
	chats  map[int64]*rate.Limiter
	groups map[int64]*rate.Limiter
}

// limiter returns *l, created on first use, set to rate r and burst b at
// now.
func limiter(l **rate.Limiter, now time.Time, r rate.Limit, b int) *rate.Limiter {
	if *l == nil {
		*l = rate.NewLimiter(r, b)
		return *l
	}
	lim := *l
	if lim.Limit() != r {
		lim.SetLimitAt(now, r)
	}
	if lim.Burst() != b {
		lim.SetBurstAt(now, b)
	}
	return lim
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
	b.mu.Lock()
	defer b.mu.Unlock()
	ls := &b.limits
	if ls.chats == nil {
		ls.chats, ls.groups = map[int64]*rate.Limiter{}, map[int64]*rate.Limiter{}
	}
	var lims [3]*rate.Limiter
	k := 0
	if l.GlobalPerSecond > 0 {
		lims[k] = limiter(&ls.global, now, rate.Limit(l.GlobalPerSecond), max(l.GlobalPerSecond, n))
		k++
	}
	if l.ChatPerSecond > 0 {
		cl := ls.chats[ch.id]
		lims[k] = limiter(&cl, now, rate.Limit(l.ChatPerSecond), max(l.ChatBurst, l.ChatPerSecond, n))
		ls.chats[ch.id] = cl
		k++
	}
	if l.GroupPerMinute > 0 && m.isGroup() {
		gl := ls.groups[ch.id]
		lims[k] = limiter(&gl, now, rate.Limit(float64(l.GroupPerMinute)/60), max(l.GroupPerMinute, n))
		ls.groups[ch.id] = gl
		k++
	}
	var res [3]*rate.Reservation
	var wait time.Duration
	for i, lim := range lims[:k] {
		res[i] = lim.ReserveN(now, n)
		wait = max(wait, res[i].DelayFrom(now))
	}
	if wait > limitTolerance {
		for _, r := range res[:k] {
			r.CancelAt(now)
		}
		return errTooMany(int(math.Ceil(wait.Seconds())))
	}
	return nil
}
