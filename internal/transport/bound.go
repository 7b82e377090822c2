package transport

import (
	"context"
	"sync"
	"time"
)

// The default bound of a call whose ctx has no deadline. context.WithTimeout
// would cost a timer, a timerCtx and their closures on every such call
// (seven allocations, a tenth of a whole Bot API call); instead the call
// gets a plain cancellable context and registers with one watchdog shared
// by every client, which cancels calls that outlive their bound. The
// watchdog runs only while bounded calls are in flight and checks every
// watchTick, so a bound is enforced within watchTick of its expiry.
const watchTick = 100 * time.Millisecond

type watchdog struct {
	mu      sync.Mutex
	calls   []*callState
	running bool
}

var calls watchdog

// bound makes st's call end by now+d: it returns a context cancelled then
// (or when ctx ends). release(st) must be called when the call is over.
func (w *watchdog) bound(ctx context.Context, st *callState, d time.Duration) context.Context {
	cctx, cancel := context.WithCancel(ctx)
	st.cancel = cancel
	st.expires = time.Now().Add(d)
	st.bound = d
	w.mu.Lock()
	st.watchIdx = len(w.calls)
	w.calls = append(w.calls, st)
	if !w.running {
		w.running = true
		go w.run()
	}
	w.mu.Unlock()
	return cctx
}

// release unregisters st and cancels its context.
func (w *watchdog) release(st *callState) {
	w.mu.Lock()
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
		if len(w.calls) == 0 {
			w.running = false
			w.mu.Unlock()
			return
		}
		for _, st := range w.calls {
			if !st.expired.Load() && now.After(st.expires) {
				st.expired.Store(true)
				st.cancel()
			}
		}
		w.mu.Unlock()
	}
}
