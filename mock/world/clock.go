package world

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// Clock is the sandbox's controllable clock. By default it follows real time
// (plus any offset added with [Clock.Advance] or [Clock.Set]); when frozen it
// stands still until advanced. Emulators use it for message dates, token
// expiry, rate-limit windows and scheduled work (webhook redelivery, a
// 24-hour review, a scheduled post). It implements [core.Clock], so clients
// can be given the same time as the emulators.
//
// Scheduled work is a timer: [Clock.NewTimer] and [Clock.After] deliver the
// clock's time on a channel, [Clock.AfterFunc] runs a function. Every timer
// can be stopped. On a running clock timers also fire as real time passes.
//
// [Clock.Advance] and [Clock.Set] fire the timers that come due in the
// order of their due times, moving the clock to each due time in turn, and
// return only once every function they ran (and every function a timer
// started by real time is running) has returned. A test that advances the
// clock therefore sees the work that came due as done, without sleeping.
//
// The zero value is not usable; create clocks with [NewClock].
type Clock struct {
	advMu sync.Mutex // serialises Advance, Set, Freeze, Unfreeze

	mu      sync.Mutex
	frozen  bool
	at      time.Time     // the frozen time
	offset  time.Duration // added to real time when not frozen
	timers  []*Timer      // pending timers, in no particular order
	seq     uint64        // creation order of timers, to break ties
	running int           // timer functions being run
	idle    *sync.Cond    // signalled when running drops to zero
	added   chan struct{} // closed when a timer is added; nil when nobody waits
}

var _ core.Clock = (*Clock)(nil)

// Timer is a single-shot timer of a [Clock]. It implements [core.Timer].
type Timer struct {
	c     *Clock
	at    time.Time
	seq   uint64
	ch    chan time.Time // nil for AfterFunc timers
	f     func()
	real  *time.Timer // wakes a running clock; nil on a frozen clock
	fired bool        // fired or stopped
}

// NewClock returns a clock. A zero start follows real time; a non-zero start
// freezes the clock at that instant.
func NewClock(start time.Time) *Clock {
	c := &Clock{}
	c.idle = sync.NewCond(&c.mu)
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

// NewTimer returns a timer whose channel receives the clock's time once the
// clock reaches Now()+d. A d ≤ 0 fires at once.
func (c *Clock) NewTimer(d time.Duration) core.Timer { return c.newTimer(d, nil) }

// After returns a channel that receives the clock's time once the clock
// reaches Now()+d, whether real time passes (on a running clock) or the
// clock is moved with [Clock.Advance] or [Clock.Set]. Use [Clock.NewTimer]
// for a wait that can be cancelled.
func (c *Clock) After(d time.Duration) <-chan time.Time { return c.newTimer(d, nil).C() }

// AfterFunc runs f once the clock reaches Now()+d and returns a timer that
// can cancel it. When [Clock.Advance] or [Clock.Set] makes the timer due, f
// runs in the goroutine that moved the clock, which returns only after f
// has; when real time makes it due (on a running clock), f runs in its own
// goroutine, and a concurrent Advance waits for it too. A d ≤ 0 runs f in
// its own goroutine at once.
//
// f may read the clock and schedule further timers (one due within the
// current Advance runs in that Advance), but must not move the clock.
func (c *Clock) AfterFunc(d time.Duration, f func()) *Timer { return c.newTimer(d, f) }

func (c *Clock) newTimer(d time.Duration, f func()) *Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.nowLocked()
	c.seq++
	t := &Timer{c: c, at: now.Add(d), seq: c.seq, f: f}
	if f == nil {
		t.ch = make(chan time.Time, 1)
	}
	if d <= 0 {
		t.fired = true
		if f == nil {
			t.ch <- now
		} else {
			c.running++
			go c.run(f)
		}
		return t
	}
	c.timers = append(c.timers, t)
	c.armLocked(t, now)
	if c.added != nil {
		close(c.added)
		c.added = nil
	}
	return t
}

// C returns the timer's channel; it is nil for a timer made by
// [Clock.AfterFunc].
func (t *Timer) C() <-chan time.Time { return t.ch }

// Stop prevents the timer from firing. It reports whether it did so (false
// when the timer had already fired or been stopped). Stop does not wait for
// a function already started.
func (t *Timer) Stop() bool {
	c := t.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.fired {
		return false
	}
	t.fired = true
	if t.real != nil {
		t.real.Stop()
		t.real = nil
	}
	if i := slices.Index(c.timers, t); i >= 0 {
		c.timers = slices.Delete(c.timers, i, i+1)
	}
	return true
}

// armLocked starts a real timer for t on a running clock.
func (c *Clock) armLocked(t *Timer, now time.Time) {
	if t.real != nil {
		t.real.Stop()
		t.real = nil
	}
	if c.frozen {
		return
	}
	t.real = time.AfterFunc(t.at.Sub(now), func() { c.fireByRealTime(t) })
}

// fireByRealTime fires the timers real time made due; it re-arms woken,
// which is not due yet when the clock was moved back meanwhile.
func (c *Clock) fireByRealTime(woken *Timer) {
	c.mu.Lock()
	now := c.nowLocked()
	if !woken.fired && woken.at.After(now) {
		c.armLocked(woken, now)
	}
	var due []*Timer
	for _, t := range c.timers {
		if !t.at.After(now) {
			due = append(due, t)
		}
	}
	sortTimers(due)
	for _, t := range due {
		if f := c.takeLocked(t, now); f != nil {
			c.running++
			go c.run(f)
		}
	}
	c.mu.Unlock()
}

// takeLocked marks t fired, removes it, delivers a channel timer and returns
// the function of a function timer.
func (c *Clock) takeLocked(t *Timer, now time.Time) func() {
	if t.fired {
		return nil
	}
	t.fired = true
	if t.real != nil {
		t.real.Stop()
		t.real = nil
	}
	if i := slices.Index(c.timers, t); i >= 0 {
		c.timers = slices.Delete(c.timers, i, i+1)
	}
	if t.ch != nil {
		t.ch <- now
		return nil
	}
	return t.f
}

// run runs a timer function and counts it as running meanwhile.
func (c *Clock) run(f func()) {
	defer func() {
		c.mu.Lock()
		c.running--
		if c.running == 0 {
			c.idle.Broadcast()
		}
		c.mu.Unlock()
	}()
	f()
}

func sortTimers(ts []*Timer) {
	slices.SortFunc(ts, func(a, b *Timer) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return int(a.seq) - int(b.seq)
	})
}

// moveTo moves the clock to target, firing the timers due on the way in
// order: the clock stands at each timer's due time while it fires, so that
// work scheduled by a timer function for a time before target fires in
// this same move. It returns once no timer function is running.
func (c *Clock) moveTo(target time.Time) {
	c.mu.Lock()
	for {
		var next *Timer
		for _, t := range c.timers {
			if !t.at.After(target) && (next == nil || t.at.Before(next.at) || t.at.Equal(next.at) && t.seq < next.seq) {
				next = t
			}
		}
		if next == nil {
			break
		}
		if next.at.After(c.nowLocked()) {
			c.setLocked(next.at)
		}
		if f := c.takeLocked(next, c.nowLocked()); f != nil {
			c.running++
			c.mu.Unlock()
			c.run(f)
			c.mu.Lock()
		}
	}
	c.setLocked(target)
	for _, t := range c.timers {
		c.armLocked(t, target)
	}
	for c.running > 0 {
		c.idle.Wait()
	}
	c.mu.Unlock()
}

func (c *Clock) setLocked(t time.Time) {
	if c.frozen {
		c.at = t
	} else {
		c.offset = time.Until(t)
	}
}

// Advance moves the clock forward by d (backwards when d < 0), firing every
// timer that comes due, and returns once their work has finished (see
// [Clock]).
func (c *Clock) Advance(d time.Duration) {
	c.advMu.Lock()
	defer c.advMu.Unlock()
	c.moveTo(c.Now().Add(d))
}

// Set moves the clock to t, firing every timer that comes due (see
// [Clock.Advance]); a running clock keeps running from t.
func (c *Clock) Set(t time.Time) {
	c.advMu.Lock()
	defer c.advMu.Unlock()
	c.moveTo(t)
}

// WaitIdle blocks until no timer function is running: the work real time
// made due on a running clock has finished.
func (c *Clock) WaitIdle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.running > 0 {
		c.idle.Wait()
	}
}

// Pending returns the number of timers that have neither fired nor been
// stopped.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// AwaitPending blocks until at least n timers are pending (neither fired
// nor stopped) or ctx ends, and returns ctx's error then. It waits on the
// creation of timers, not on the wall clock: a test that must advance the
// clock only after some work has scheduled its timer waits here first, so
// the Advance cannot come too early.
func (c *Clock) AwaitPending(ctx context.Context, n int) error {
	for {
		c.mu.Lock()
		if len(c.timers) >= n {
			c.mu.Unlock()
			return nil
		}
		if c.added == nil {
			c.added = make(chan struct{})
		}
		ch := c.added
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Freeze stops the clock at its current time. Pending timers then fire only
// when the clock is moved.
func (c *Clock) Freeze() {
	c.advMu.Lock()
	defer c.advMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.frozen {
		c.at = time.Now().Add(c.offset)
		c.frozen = true
		for _, t := range c.timers {
			c.armLocked(t, c.at)
		}
	}
}

// Unfreeze lets a frozen clock run again from its current time.
func (c *Clock) Unfreeze() {
	c.advMu.Lock()
	defer c.advMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.offset = time.Until(c.at)
		c.frozen = false
		for _, t := range c.timers {
			c.armLocked(t, c.at)
		}
	}
}

// Frozen reports whether the clock is frozen.
func (c *Clock) Frozen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.frozen
}
