// Package coretest holds test doubles for package core: a virtual clock
// whose timers fire when the test advances it, so that pacing and retry
// tests run without sleeping.
package coretest

import (
	"sort"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// Clock is a virtual core.Clock. Time stands still until [Clock.Advance]
// or [Clock.Set] moves it; timers fire when the clock reaches them. With
// AutoAdvance, every timer created moves the clock to its own deadline at
// once (when that is later than now), so code that waits runs without
// waiting while the clock records the time it would have taken.
//
// A Clock is safe for concurrent use.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	auto   bool
	timers []*timer
	slept  time.Duration
	added  chan struct{}
}

// Epoch is the default start of a Clock: 2026-01-01 00:00:00 UTC.
var Epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// NewClock returns a manual clock standing at start (Epoch when zero).
func NewClock(start time.Time) *Clock {
	if start.IsZero() {
		start = Epoch
	}
	return &Clock{now: start, added: make(chan struct{}, 1)}
}

// NewAutoClock returns a clock standing at Epoch that advances to every
// timer's deadline as soon as the timer is created.
func NewAutoClock() *Clock {
	c := NewClock(time.Time{})
	c.auto = true
	return c
}

var _ core.Clock = (*Clock)(nil)

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Since returns the virtual time elapsed since t.
func (c *Clock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }

// NewTimer returns a timer that fires when the clock reaches Now()+d.
func (c *Clock) NewTimer(d time.Duration) core.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{c: c, at: c.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		t.fired = true
		t.ch <- c.now
		return t
	}
	c.timers = append(c.timers, t)
	if c.auto {
		c.slept += d
		c.setLocked(t.at)
	}
	select {
	case c.added <- struct{}{}:
	default:
	}
	return t
}

// Advance moves the clock forward by d and fires every timer due.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(c.now.Add(d))
}

// Set moves the clock to t (never backwards) and fires every timer due.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(t)
}

// AdvanceToNext moves the clock to the earliest pending timer and fires
// it; it reports false when no timer is pending.
func (c *Clock) AdvanceToNext() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.timers) == 0 {
		return false
	}
	sort.Slice(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
	c.setLocked(c.timers[0].at)
	return true
}

// Next returns the time of the earliest pending timer; false when none is
// pending.
func (c *Clock) Next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.timers) == 0 {
		return time.Time{}, false
	}
	at := c.timers[0].at
	for _, t := range c.timers[1:] {
		if t.at.Before(at) {
			at = t.at
		}
	}
	return at, true
}

// Changed returns a channel that receives a value after a timer was
// created (at most one value is buffered): a driver waits on it instead of
// polling Pending.
func (c *Clock) Changed() <-chan struct{} { return c.added }

// Pending returns how many timers wait to fire.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// WaitForTimers blocks until at least n timers are pending. It waits on
// the creation of timers, not on the wall clock.
func (c *Clock) WaitForTimers(n int) {
	for c.Pending() < n {
		<-c.added
	}
}

// Slept returns the total duration of the timers an AutoAdvance clock has
// skipped.
func (c *Clock) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept
}

func (c *Clock) setLocked(t time.Time) {
	if t.After(c.now) {
		c.now = t
	}
	keep := c.timers[:0]
	for _, tm := range c.timers {
		if !tm.at.After(c.now) {
			tm.fired = true
			tm.ch <- c.now
			continue
		}
		keep = append(keep, tm)
	}
	clear(c.timers[len(keep):])
	c.timers = keep
}

type timer struct {
	c     *Clock
	at    time.Time
	ch    chan time.Time
	fired bool
}

func (t *timer) C() <-chan time.Time { return t.ch }

func (t *timer) Stop() bool {
	if t.c == nil {
		return false // a Driven timer fires when created
	}
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if t.fired {
		return false
	}
	for i, tm := range t.c.timers {
		if tm == t {
			t.c.timers = append(t.c.timers[:i], t.c.timers[i+1:]...)
			break
		}
	}
	t.fired = true
	return true
}

// Driven is a core.Clock over an external clock that can be moved (a
// sandbox's world clock): every timer created moves the external clock to
// the timer's end at once and fires. Code paced on it runs without
// waiting, and a server reading the external clock (an emulator's flood
// control) sees the time the waits would have taken.
type Driven struct {
	mu      sync.Mutex
	now     func() time.Time
	advance func(time.Duration)
	slept   time.Duration
}

// NewDriven returns a Driven clock reading now and moving with advance.
func NewDriven(now func() time.Time, advance func(time.Duration)) *Driven {
	return &Driven{now: now, advance: advance}
}

var _ core.Clock = (*Driven)(nil)

// Now returns the external clock's time.
func (c *Driven) Now() time.Time { return c.now() }

// NewTimer moves the external clock forward by d and returns a fired
// timer.
func (c *Driven) NewTimer(d time.Duration) core.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.advance(d)
		c.slept += d
	}
	t := &timer{c: nil, ch: make(chan time.Time, 1), fired: true}
	t.ch <- c.now()
	return t
}

// Slept returns the total duration of the timers the clock has skipped.
func (c *Driven) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept
}
