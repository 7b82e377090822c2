package world

import (
	"sync"
	"time"
)

// Clock is the sandbox's controllable clock. By default it follows real time
// (plus any offset added with [Clock.Advance] or [Clock.Set]); when frozen it
// stands still until advanced. Emulators use it for message dates, token
// expiry and rate-limit windows; [Clock.After] waits on it. Long-poll waits
// use real time.
//
// The zero value is not usable; create clocks with [NewClock].
type Clock struct {
	mu      sync.Mutex
	frozen  bool
	at      time.Time     // the frozen time
	offset  time.Duration // added to real time when not frozen
	waiters []*clockWaiter
}

type clockWaiter struct {
	at    time.Time
	ch    chan time.Time
	timer *time.Timer
}

// NewClock returns a clock. A zero start follows real time; a non-zero start
// freezes the clock at that instant.
func NewClock(start time.Time) *Clock {
	c := &Clock{}
	if !start.IsZero() {
		c.frozen, c.at = true, start
	}
	return c
}

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Time {
	if c.frozen {
		return c.at
	}
	return time.Now().Add(c.offset)
}

// After returns a channel that receives the clock's time once the clock
// reaches Now()+d, whether real time passes (on a running clock) or the
// clock is moved with [Clock.Advance] or [Clock.Set]. Scheduled emulator
// work (a 24-hour review, a scheduled post) waits on it.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.nowLocked()
	if d <= 0 {
		ch <- now
		return ch
	}
	w := &clockWaiter{at: now.Add(d), ch: ch}
	c.waiters = append(c.waiters, w)
	c.armLocked(w, d)
	return ch
}

// armLocked starts a real timer for a waiter on a running clock.
func (c *Clock) armLocked(w *clockWaiter, d time.Duration) {
	if c.frozen {
		return
	}
	w.timer = time.AfterFunc(d, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.fireLocked()
	})
}

// fireLocked delivers every waiter whose time has come and re-arms the
// others.
func (c *Clock) fireLocked() {
	now := c.nowLocked()
	keep := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(now) {
			if w.timer != nil {
				w.timer.Stop()
			}
			w.ch <- now
			continue
		}
		if w.timer != nil {
			w.timer.Stop()
			w.timer = nil
		}
		c.armLocked(w, w.at.Sub(now))
		keep = append(keep, w)
	}
	clear(c.waiters[len(keep):])
	c.waiters = keep
}

// Advance moves the clock forward by d (backwards when d < 0).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.at = c.at.Add(d)
	} else {
		c.offset += d
	}
	c.fireLocked()
}

// Set moves the clock to t; a running clock keeps running from t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.at = t
	} else {
		c.offset = time.Until(t)
	}
	c.fireLocked()
}

// Freeze stops the clock at its current time.
func (c *Clock) Freeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.frozen {
		c.at = time.Now().Add(c.offset)
		c.frozen = true
		c.fireLocked()
	}
}

// Unfreeze lets a frozen clock run again from its current time.
func (c *Clock) Unfreeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.offset = time.Until(c.at)
		c.frozen = false
		c.fireLocked()
	}
}

// Frozen reports whether the clock is frozen.
func (c *Clock) Frozen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.frozen
}
