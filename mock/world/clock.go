package world

import (
	"sync"
	"time"
)

// Clock is the sandbox's controllable clock. By default it follows real time
// (plus any offset added with [Clock.Advance] or [Clock.Set]); when frozen it
// stands still until advanced. Emulators use it for message dates, token
// expiry and rate-limit windows. Long-poll waits use real time.
//
// The zero value is not usable; create clocks with [NewClock].
type Clock struct {
	mu     sync.Mutex
	frozen bool
	at     time.Time     // the frozen time
	offset time.Duration // added to real time when not frozen
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
	if c.frozen {
		return c.at
	}
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward by d (backwards when d < 0).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.at = c.at.Add(d)
		return
	}
	c.offset += d
}

// Set moves the clock to t; a running clock keeps running from t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.at = t
		return
	}
	c.offset = time.Until(t)
}

// Freeze stops the clock at its current time.
func (c *Clock) Freeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.frozen {
		c.at = time.Now().Add(c.offset)
		c.frozen = true
	}
}

// Unfreeze lets a frozen clock run again from its current time.
func (c *Clock) Unfreeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.offset = time.Until(c.at)
		c.frozen = false
	}
}

// Frozen reports whether the clock is frozen.
func (c *Clock) Frozen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.frozen
}
