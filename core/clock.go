package core

import "time"

// Clock is the source of time of a client: timestamps, token expiry,
// pacing and retry waits. The default is the system clock; tests inject a
// virtual clock so that pacing and retries run without sleeping, and the
// sandbox's world clock implements it so that clients and emulators agree
// on time.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// NewTimer returns a timer that fires once d has passed on this clock.
	NewTimer(d time.Duration) Timer
}

// Timer is a single-shot timer of a Clock.
type Timer interface {
	// C returns the channel that receives the clock's time when the timer fires.
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether it did so.
	Stop() bool
}

// SystemClock returns the real-time Clock.
func SystemClock() Clock { return systemClock{} }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) NewTimer(d time.Duration) Timer { return systemTimer{time.NewTimer(d)} }

type systemTimer struct{ t *time.Timer }

func (t systemTimer) C() <-chan time.Time { return t.t.C }
func (t systemTimer) Stop() bool          { return t.t.Stop() }

// NowFunc returns a Clock whose Now is now and whose timers run in real
// time, for a source of time that only tells the time (a sandbox clock's
// Now method).
func NowFunc(now func() time.Time) Clock { return nowFuncClock(now) }

type nowFuncClock func() time.Time

func (f nowFuncClock) Now() time.Time { return f() }

func (nowFuncClock) NewTimer(d time.Duration) Timer { return systemTimer{time.NewTimer(d)} }
