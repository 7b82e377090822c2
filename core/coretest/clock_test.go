package coretest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core/coretest"
)

func fired(t *testing.T, ch <-chan time.Time) bool {
	t.Helper()
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestManualClockFiresOnAdvance(t *testing.T) {
	t.Parallel()
	c := coretest.NewClock(time.Time{})
	assert.Equal(t, coretest.Epoch, c.Now())
	t1, t2 := c.NewTimer(time.Second), c.NewTimer(3*time.Second)
	assert.Equal(t, 2, c.Pending())
	next, ok := c.Next()
	require.True(t, ok)
	assert.Equal(t, coretest.Epoch.Add(time.Second), next)
	c.Advance(999 * time.Millisecond)
	assert.False(t, fired(t, t1.C()))
	c.Advance(time.Millisecond)
	assert.True(t, fired(t, t1.C()))
	assert.False(t, t1.Stop(), "already fired")
	assert.True(t, t2.Stop())
	assert.Zero(t, c.Pending())
	c.Advance(time.Hour)
	assert.False(t, fired(t, t2.C()), "a stopped timer never fires")
	assert.True(t, fired(t, c.NewTimer(0).C()), "a zero timer fires at once")
	c.Set(coretest.Epoch)
	assert.Equal(t, coretest.Epoch.Add(time.Hour+time.Second), c.Now(), "Set never moves backwards")
}

func TestAdvanceToNextAndWaitForTimers(t *testing.T) {
	t.Parallel()
	c := coretest.NewClock(time.Time{})
	done := make(chan time.Duration)
	go func() {
		start := c.Now()
		<-c.NewTimer(5 * time.Second).C()
		done <- c.Since(start)
	}()
	c.WaitForTimers(1)
	require.True(t, c.AdvanceToNext())
	assert.Equal(t, 5*time.Second, <-done)
	assert.False(t, c.AdvanceToNext())
}

func TestAutoClock(t *testing.T) {
	t.Parallel()
	c := coretest.NewAutoClock()
	assert.True(t, fired(t, c.NewTimer(2*time.Second).C()))
	assert.True(t, fired(t, c.NewTimer(time.Second).C()))
	assert.Equal(t, 3*time.Second, c.Slept())
	assert.Equal(t, coretest.Epoch.Add(3*time.Second), c.Now())
}

func TestDriven(t *testing.T) {
	t.Parallel()
	ext := coretest.NewClock(time.Time{})
	d := coretest.NewDriven(ext.Now, ext.Advance)
	assert.True(t, fired(t, d.NewTimer(1500*time.Millisecond).C()))
	assert.Equal(t, coretest.Epoch.Add(1500*time.Millisecond), d.Now())
	assert.Equal(t, 1500*time.Millisecond, d.Slept())
	assert.False(t, d.NewTimer(time.Second).Stop(), "a driven timer has fired already")
}
