package transport

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// The default bound of a call whose ctx has no deadline. context.WithTimeout
// would cost a timer, a timerCtx and their closures on every such call
// (seven allocations, a tenth of a whole Bot API call); instead one watchdog
// shared by every client cancels calls that outlive their bound. The
// watchdog runs only while bounded calls are in flight (or their shared
// bounds, below, have not been cleaned up) and checks every watchTick, so a
// bound is enforced within watchTick of its expiry.
//
// A call whose ctx can never end (ctx.Done() == nil: context.Background and
// values on it, the usual case) costs nothing of its own: calls with the
// same bound that start within one watchTick share one cancellable context,
// a bucket, which expires watchTick after its last call could have started
// plus the bound, so each such call gets at least its bound and at most
// watchTick more. A call whose ctx can end gets a cancellable context of
// its own, registered with the watchdog.
const watchTick = 100 * time.Millisecond

type watchdog struct {
	mu      sync.Mutex
	calls   []*callState
	buckets []*bucket
	open    map[time.Duration]*bucket // the bucket new calls of a bound join
	running bool
}

// bucket is the shared bound of calls that started within one watchTick.
type bucket struct {
	ctx     context.Context
	cancel  context.CancelFunc
	d       time.Duration
	start   time.Time
	expires time.Time
	expired atomic.Bool
	n       int // calls in flight, under watchdog.mu
}

var calls watchdog

// bound makes st's call end by now+d (at most watchTick later): it returns
// the context the call runs on, which st's Done and Err follow. release(st)
// must be called when the call is over.
func (w *watchdog) bound(ctx context.Context, st *callState, d time.Duration) context.Context {
	st.bound = d
	now := time.Now()
	if ctx.Done() == nil {
		w.mu.Lock()
		b := w.open[d]
		if b == nil || now.Sub(b.start) >= watchTick {
			b = &bucket{d: d, start: now, expires: now.Add(d + watchTick)}
			b.ctx, b.cancel = context.WithCancel(context.Background())
			if w.open == nil {
				w.open = map[time.Duration]*bucket{}
			}
			w.open[d] = b
			w.buckets = append(w.buckets, b)
		}
		b.n++
		st.bkt = b
		w.startLocked()
		w.mu.Unlock()
		return ctx
	}
	cctx, cancel := context.WithCancel(ctx)
	st.cancel = cancel
	st.expires = now.Add(d)
	w.mu.Lock()
	st.watchIdx = len(w.calls)
	w.calls = append(w.calls, st)
	w.startLocked()
	w.mu.Unlock()
	return cctx
}

func (w *watchdog) startLocked() {
	if !w.running {
		w.running = true
		go w.run()
	}
}

// release unregisters st and cancels its context.
func (w *watchdog) release(st *callState) {
	w.mu.Lock()
	if b := st.bkt; b != nil {
		b.n--
		w.mu.Unlock()
		return // the watchdog drops the bucket once its window has passed
	}
	if i := st.watchIdx; i >= 0 && i < len(w.calls) && w.calls[i] == st {
		last := len(w.calls) - 1
		w.calls[i] = w.calls[last]
		w.calls[i].watchIdx = i
		w.calls[last] = nil
		w.calls = w.calls[:last]
	}
	st.watchIdx = -1
	w.mu.Unlock()
	st.cancel()
}

func (w *watchdog) run() {
	t := time.NewTicker(watchTick)
	defer t.Stop()
	for now := range t.C {
		w.mu.Lock()
		for _, st := range w.calls {
			if !st.expired.Load() && now.After(st.expires) {
				st.expired.Store(true)
				st.cancel()
			}
		}
		kept := w.buckets[:0]
		for _, b := range w.buckets {
			switch {
			case now.After(b.expires):
				b.expired.Store(true)
			case b.n == 0 && now.Sub(b.start) >= watchTick:
				// Idle and closed to new calls: nothing left to bound.
			default:
				kept = append(kept, b)
				continue
			}
			b.cancel()
			if w.open[b.d] == b {
				delete(w.open, b.d)
			}
		}
		clear(w.buckets[len(kept):])
		w.buckets = kept
		if len(w.calls) == 0 && len(w.buckets) == 0 {
			w.running = false
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
	}
}
