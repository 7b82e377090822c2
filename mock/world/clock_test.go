package world_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock/world"
)

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestClockImplementsCoreClock(t *testing.T) {
	var c core.Clock = world.NewClock(epoch)
	tm := c.NewTimer(time.Minute)
	c.(*world.Clock).Advance(time.Minute)
	select {
	case at := <-tm.C():
		assert.Equal(t, epoch.Add(time.Minute), at)
	default:
		t.Fatal("timer did not fire on Advance")
	}
	assert.False(t, tm.Stop(), "a fired timer cannot be stopped")
}

func TestClockTimerStop(t *testing.T) {
	c := world.NewClock(epoch)
	tm := c.NewTimer(time.Hour)
	ran := false
	ft := c.AfterFunc(time.Hour, func() { ran = true })
	assert.Equal(t, 2, c.Pending())
	assert.True(t, tm.Stop())
	assert.False(t, tm.Stop(), "second Stop reports nothing stopped")
	assert.True(t, ft.Stop())
	assert.Zero(t, c.Pending())
	c.Advance(2 * time.Hour)
	assert.False(t, ran)
	select {
	case <-tm.C():
		t.Fatal("a stopped timer fired")
	default:
	}
	assert.Nil(t, ft.C(), "a function timer has no channel")
}

// TestClockAdvanceRunsDueWorkInOrder: Advance fires the timers in due
// order, with the clock at each due time, runs work that came due on the
// way (a retry scheduled by a timer function) and returns after it.
func TestClockAdvanceRunsDueWorkInOrder(t *testing.T) {
	c := world.NewClock(epoch)
	var got []string
	var at []time.Time
	c.AfterFunc(3*time.Second, func() { got = append(got, "c"); at = append(at, c.Now()) })
	c.AfterFunc(time.Second, func() {
		got = append(got, "a")
		at = append(at, c.Now())
		// Scheduled from a timer function and due within the same Advance.
		c.AfterFunc(time.Second, func() { got = append(got, "b"); at = append(at, c.Now()) })
	})
	c.AfterFunc(time.Hour, func() { got = append(got, "late") })
	c.Advance(5 * time.Second)
	assert.Equal(t, []string{"a", "b", "c"}, got)
	assert.Equal(t, []time.Time{epoch.Add(time.Second), epoch.Add(2 * time.Second), epoch.Add(3 * time.Second)}, at)
	assert.Equal(t, epoch.Add(5*time.Second), c.Now())
	assert.Equal(t, 1, c.Pending())

	c.Set(epoch.Add(2 * time.Hour))
	assert.Equal(t, []string{"a", "b", "c", "late"}, got)
	assert.Zero(t, c.Pending())
}

// TestClockAdvanceWaitsForRealTimeWork: on a running clock a timer that
// real time made due runs in its own goroutine; Advance and WaitIdle wait
// for it to finish.
func TestClockAdvanceWaitsForRealTimeWork(t *testing.T) {
	c := world.NewClock(time.Time{})
	started := make(chan struct{})
	release := make(chan struct{})
	var done atomic.Bool
	c.AfterFunc(time.Nanosecond, func() {
		close(started)
		<-release
		done.Store(true)
	})
	<-started
	go close(release)
	c.Advance(time.Second)
	assert.True(t, done.Load(), "Advance returned before the running timer function")

	var n atomic.Int32
	c.AfterFunc(0, func() { n.Add(1) })
	c.WaitIdle()
	assert.Equal(t, int32(1), n.Load())
}

func TestClockFreezeKeepsTimers(t *testing.T) {
	c := world.NewClock(time.Time{})
	c.Freeze()
	ch := c.After(time.Minute)
	c.Unfreeze()
	c.Freeze()
	select {
	case <-ch:
		t.Fatal("fired early")
	default:
	}
	c.Advance(time.Minute)
	select {
	case <-ch:
	default:
		t.Fatal("did not fire after Freeze/Unfreeze and Advance")
	}
}

func TestClockRunningFiresByRealTime(t *testing.T) {
	c := world.NewClock(time.Time{})
	fired := make(chan time.Time, 1)
	c.AfterFunc(time.Millisecond, func() { fired <- c.Now() })
	at := <-fired
	require.False(t, at.IsZero())
}

// TestClockAwaitPending: AwaitPending returns once another goroutine has
// scheduled the timers, so the Advance that follows fires them; it returns
// ctx's error when they never come.
func TestClockAwaitPending(t *testing.T) {
	c := world.NewClock(epoch)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, c.AwaitPending(ctx, 0))
	var fired atomic.Int32
	start := make(chan struct{})
	go func() {
		<-start
		c.AfterFunc(time.Second, func() { fired.Add(1) })
		c.AfterFunc(2*time.Second, func() { fired.Add(1) })
	}()
	close(start)
	require.NoError(t, c.AwaitPending(ctx, 2))
	c.Advance(2 * time.Second)
	assert.Equal(t, int32(2), fired.Load(), "both timers were scheduled before Advance")

	short, stop := context.WithCancel(context.Background())
	stop()
	assert.ErrorIs(t, c.AwaitPending(short, 1), context.Canceled)
}
