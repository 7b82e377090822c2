package delivery

import (
	"context"
	"sync"

	"github.com/gospubliki/gosdk/mock/world"
)

// Source feeds a [Stream]: an ordered queue of items for one receiver,
// owned by the emulator.
type Source interface {
	// Next returns the item at the head of the queue and its request, or
	// ok=false when nothing is to be delivered now. key identifies the
	// item (a comparable value, such as a pointer): the redelivery counter
	// grows while the same key comes back after failures. Next may be
	// called again after a failure, so the head may change between
	// attempts (an item confirmed by other means, a new receiver URL).
	Next() (key any, req Request, ok bool)
	// Done reports the outcome of the attempt for key. It runs before the
	// stream asks Next for the following item.
	Done(key any, resp *Response, err error)
}

// Stream delivers a [Source]'s items to their receiver one at a time, in
// order. After a failure it waits the engine's backoff on the world clock
// and tries the head again; items queued meanwhile wait as well. Create
// streams with [Engine.NewStream].
type Stream struct {
	e   *Engine
	src Source

	mu       sync.Mutex
	running  bool // a pump is running
	again    bool // kicked while running
	reset    bool // reset while an attempt was under way
	closed   bool
	waiting  *world.Timer // the backoff before the next retry
	waitTok  *struct{}
	cancel   context.CancelFunc // the attempt under way
	lastKey  any
	attempt  int // redelivery counter of lastKey
	failures int // consecutive failures, for the backoff

	pumps sync.WaitGroup // the pump running, if any
}

// NewStream returns a stream over src. It is idle until [Stream.Kick].
func (e *Engine) NewStream(src Source) *Stream {
	s := &Stream{e: e, src: src}
	e.mu.Lock()
	if e.closed {
		s.closed = true
	} else {
		e.streams[s] = struct{}{}
	}
	e.mu.Unlock()
	return s
}

// Kick tells the stream that items may be waiting. It starts delivering
// unless an attempt is under way (which then looks again) or a backoff is
// pending (the retry comes first).
func (s *Stream) Kick() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.waiting != nil {
		return
	}
	s.startLocked()
}

// Reset tells the stream that the receiver changed (a new URL): a pending
// backoff is cancelled, the backoff starts over, and the head is tried at
// once — after the attempt under way, if any, has ended.
func (s *Stream) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.stopWaitLocked()
	s.failures = 0
	s.lastKey, s.attempt = nil, 0
	if s.running {
		s.reset = true
	}
	s.startLocked()
}

// Abort cancels the attempt under way, if any; it then counts as failed.
func (s *Stream) Abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
}

// Close stops the stream: the attempt under way is cancelled, a pending
// retry dropped, and no further attempt is made.
func (s *Stream) Close() {
	s.mu.Lock()
	s.closed = true
	s.stopWaitLocked()
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
	s.e.mu.Lock()
	delete(s.e.streams, s)
	s.e.mu.Unlock()
}

func (s *Stream) stopWaitLocked() {
	if s.waiting != nil {
		s.waiting.Stop()
		s.waiting, s.waitTok = nil, nil
	}
}

// startLocked starts a pump in its own goroutine, or asks the running one
// to look again.
func (s *Stream) startLocked() {
	if s.running {
		s.again = true
		return
	}
	if !s.e.track() {
		return
	}
	s.running = true
	s.pumps.Add(1)
	go func() {
		defer s.e.untrack()
		defer s.pumps.Done()
		s.pump()
	}()
}

// retry runs when the backoff has passed: on the goroutine that advanced
// the world clock (which then returns after the deliveries it unblocked)
// or on the clock's own goroutine as real time passes.
func (s *Stream) retry(tok *struct{}) {
	s.mu.Lock()
	if s.closed || s.waitTok != tok {
		s.mu.Unlock()
		return
	}
	s.waiting, s.waitTok = nil, nil
	if s.running {
		s.again = true
		s.mu.Unlock()
		return
	}
	if !s.e.track() {
		s.mu.Unlock()
		return
	}
	s.running = true
	s.pumps.Add(1)
	s.mu.Unlock()
	defer s.e.untrack()
	defer s.pumps.Done()
	s.pump()
}

// pump delivers items until the source has none, the stream closes or an
// attempt fails (then it schedules the retry).
func (s *Stream) pump() {
	for {
		key, req, ok := s.src.Next()
		s.mu.Lock()
		if s.closed {
			s.running = false
			s.mu.Unlock()
			return
		}
		if !ok {
			if s.again {
				s.again = false
				s.mu.Unlock()
				continue
			}
			s.running = false
			s.mu.Unlock()
			return
		}
		s.again = false
		if s.lastKey != nil && key == s.lastKey {
			s.attempt++
		} else {
			s.lastKey, s.attempt = key, 0
		}
		attempt := s.attempt
		ctx, cancel := context.WithCancel(context.Background())
		s.cancel = cancel
		s.mu.Unlock()

		resp, en, err := s.e.try(ctx, req, attempt)
		cancel()

		s.mu.Lock()
		s.cancel = nil
		s.mu.Unlock()
		s.src.Done(key, resp, err)

		// The journal entry is recorded last, under the stream's lock: a
		// test that has seen it finds the source told and, after a
		// failure, the retry scheduled (so advancing the clock fires it),
		// and the retry's own entry cannot come first.
		s.mu.Lock()
		switch {
		case s.closed:
			s.running = false
			s.e.record(en)
			s.mu.Unlock()
			return
		case err == nil:
			s.failures, s.reset = 0, false
			s.lastKey, s.attempt = nil, 0
			s.e.record(en)
			s.mu.Unlock()
			continue
		case s.reset:
			s.reset, s.failures = false, 0
			s.e.record(en)
			s.mu.Unlock()
			continue
		}
		s.failures++
		tok := &struct{}{}
		s.waitTok = tok
		s.waiting = s.e.cfg.Clock.AfterFunc(s.e.Backoff(s.failures), func() { s.retry(tok) })
		s.running, s.again = false, false
		s.e.record(en)
		s.mu.Unlock()
		return
	}
}
