package social

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// Mark is the state of a page's «Госорганизация» mark as a network
// reports it. The zero value is MarkUnknown.
type Mark int

// Mark states.
const (
	// MarkUnknown: the network did not say (the field was not returned).
	// It is never taken for MarkAbsent.
	MarkUnknown Mark = iota
	// MarkAbsent: the page has no mark.
	MarkAbsent
	// MarkPresent: the page carries the mark.
	MarkPresent
)

// MarkOf returns the mark of a flag the network may leave out: known says
// whether it returned the flag, marked is its value.
func MarkOf(marked, known bool) Mark {
	switch {
	case !known:
		return MarkUnknown
	case marked:
		return MarkPresent
	}
	return MarkAbsent
}

// String returns "unknown", "absent" or "present".
func (m Mark) String() string {
	switch m {
	case MarkAbsent:
		return "absent"
	case MarkPresent:
		return "present"
	}
	return "unknown"
}

// MarkState is what a network reports of one page at one reading.
type MarkState struct {
	// Network is the page's network.
	Network Network
	// PageID is the page as the watcher was given it.
	PageID string
	// Name is the page's name ("" when the network did not return it).
	Name string
	// Mark is the «Госорганизация» mark.
	Mark Mark
}

// MarkReader reads the current marks of pages. Network clients implement
// it with as few calls as their API allows (vk: groups.getById, 500 pages
// a call; ok: group.getInfo, 100 a call).
type MarkReader interface {
	// ReadMarks returns the states of the pages it could read, each with
	// PageID equal to the id it was asked for. A page the network does
	// not return (deleted, or out of the token's reach) is left out. An
	// error means the reading as a whole failed.
	ReadMarks(ctx context.Context, pageIDs []string) ([]MarkState, error)
}

// MarkChangeKind says what changed on a page between two readings.
type MarkChangeKind string

// Kinds of MarkChange, in the order one reading reports them for a page.
const (
	// PageRenamed: the page's name changed. Networks withdraw the mark
	// when a marked page is renamed, so a MarkLost usually follows, at
	// the same reading or a later one.
	PageRenamed MarkChangeKind = "renamed"
	// MarkLost: the page carried the mark and no longer does; it must be
	// requested again through Gosuslugi.
	MarkLost MarkChangeKind = "lost"
	// MarkGranted: the page had no mark and now carries it.
	MarkGranted MarkChangeKind = "granted"
	// PageGone: the network no longer returns the page (deleted, or out
	// of the token's reach). It is reported once; when the page comes
	// back it is compared with its last state.
	PageGone MarkChangeKind = "gone"
)

// MarkChange is a change a MarkWatcher noticed.
type MarkChange struct {
	// Kind is what changed.
	Kind MarkChangeKind
	// Before is the page's last known state. After is its state now (for
	// PageGone, Before with the mark unknown).
	Before, After MarkState
	// At is the time of the reading that noticed it, on the watcher's
	// clock.
	At time.Time
}

// DefaultMarkWatchInterval is the time between readings when
// WatchOptions.Interval is zero.
const DefaultMarkWatchInterval = time.Hour

// WatchOptions configures a MarkWatcher.
type WatchOptions struct {
	// Interval is the time between readings (DefaultMarkWatchInterval
	// when zero).
	Interval time.Duration
	// Clock paces the readings and stamps changes; when nil, the clock
	// carried by the ctx (WithClock), else the system clock.
	Clock core.Clock
	// OnChange receives every change, in the order noticed.
	OnChange func(MarkChange)
	// OnError receives the error of a reading that failed; Run goes on.
	OnError func(error)
}

// ErrNoPages is returned by Run when the watcher has no page to watch.
var ErrNoPages = errors.New("social: no page to watch")

// MarkWatcher reads the marks of a set of pages and reports when a page
// loses or gains the «Госорганизация» mark, is renamed, or is gone. The
// first reading records the states and reports nothing. An unknown mark
// keeps the last known one, so a network that leaves the field out is
// never taken for a loss; a mark is lost only from present to absent and
// granted only from absent to present. A failed reading changes nothing.
//
// Check and Run must not be called concurrently; State may be called at
// any time.
type MarkWatcher struct {
	reader MarkReader
	pages  []string
	opts   WatchOptions

	mu   sync.Mutex
	last map[string]MarkState
	gone map[string]bool
}

// NewMarkWatcher returns a watcher of pages read through reader.
func NewMarkWatcher(reader MarkReader, pages []string, o WatchOptions) *MarkWatcher {
	if o.Interval <= 0 {
		o.Interval = DefaultMarkWatchInterval
	}
	return &MarkWatcher{
		reader: reader,
		pages:  append([]string(nil), pages...),
		opts:   o,
		last:   make(map[string]MarkState, len(pages)),
		gone:   map[string]bool{},
	}
}

// WatchMarks runs a MarkWatcher of pages until ctx ends and returns ctx's
// error (ErrNoPages at once when pages is empty).
func WatchMarks(ctx context.Context, reader MarkReader, pages []string, o WatchOptions) error {
	return NewMarkWatcher(reader, pages, o).Run(ctx)
}

// Check reads the pages once and returns the changes since the last
// successful reading (none on the first); OnChange receives each as well.
// On error nothing is recorded.
func (w *MarkWatcher) Check(ctx context.Context) ([]MarkChange, error) {
	states, err := w.reader.ReadMarks(ctx, w.pages)
	if err != nil {
		return nil, err
	}
	now := ResolveClock(ctx, w.opts.Clock).Now()
	seen := make(map[string]MarkState, len(states))
	for _, s := range states {
		seen[s.PageID] = s
	}
	var changes []MarkChange
	w.mu.Lock()
	for _, id := range w.pages {
		after, has := seen[id]
		before, had := w.last[id]
		switch {
		case !has:
			if had && !w.gone[id] {
				gone := before
				gone.Mark = MarkUnknown
				changes = append(changes, MarkChange{Kind: PageGone, Before: before, After: gone, At: now})
				w.gone[id] = true
			}
			continue
		case !had:
			w.last[id] = after
			continue
		}
		delete(w.gone, id)
		changes = append(changes, diffMark(before, after, now)...)
		if after.Mark == MarkUnknown {
			after.Mark = before.Mark
		}
		if after.Name == "" {
			after.Name = before.Name
		}
		w.last[id] = after
	}
	w.mu.Unlock()
	if w.opts.OnChange != nil {
		for _, c := range changes {
			w.opts.OnChange(c)
		}
	}
	return changes, nil
}

// diffMark returns the changes from before to after, renaming first.
func diffMark(before, after MarkState, at time.Time) []MarkChange {
	var out []MarkChange
	if after.Name != "" && before.Name != "" && after.Name != before.Name {
		out = append(out, MarkChange{Kind: PageRenamed, Before: before, After: after, At: at})
	}
	switch {
	case before.Mark == MarkPresent && after.Mark == MarkAbsent:
		out = append(out, MarkChange{Kind: MarkLost, Before: before, After: after, At: at})
	case before.Mark == MarkAbsent && after.Mark == MarkPresent:
		out = append(out, MarkChange{Kind: MarkGranted, Before: before, After: after, At: at})
	}
	return out
}

// State returns the last known state of a page (an unknown mark or name
// in the latest reading keeps the earlier value) and whether the page was
// ever read.
func (w *MarkWatcher) State(pageID string) (MarkState, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s, ok := w.last[pageID]
	return s, ok
}

// Run reads at once and then every Interval on the watcher's clock until
// ctx ends, and returns ctx's error. A failed reading goes to OnError and
// does not stop the watcher.
func (w *MarkWatcher) Run(ctx context.Context) error {
	if len(w.pages) == 0 {
		return ErrNoPages
	}
	clock := ResolveClock(ctx, w.opts.Clock)
	for {
		_, err := w.Check(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && w.opts.OnError != nil {
			w.opts.OnError(err)
		}
		t := clock.NewTimer(w.opts.Interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C():
		}
	}
}
