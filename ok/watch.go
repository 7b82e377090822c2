package ok

import (
	"context"
	"errors"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// MarkState is what the watcher saw of a group at one poll.
type MarkState struct {
	// Name is the group's name.
	Name string
	// Marked is OK's gos_org flag; nil when OK did not return it.
	Marked *bool
	// At is when the group was polled, on the watcher's clock.
	At time.Time
}

// MarkEventKind says what changed.
type MarkEventKind string

// Kinds of MarkEvent.
const (
	// MarkLost: the group had the «Госорганизация» mark and no longer has
	// it; it must be requested again through Gosuslugi.
	MarkLost MarkEventKind = "mark_lost"
	// MarkGranted: the group gained the mark.
	MarkGranted MarkEventKind = "mark_granted"
	// NameChanged: the group's name changed. OK withdraws the mark when a
	// marked group is renamed, so a MarkLost usually follows.
	NameChanged MarkEventKind = "name_changed"
	// GroupGone: OK no longer returns the group (deleted, or the token
	// lost access to it).
	GroupGone MarkEventKind = "group_gone"
)

// MarkEvent is a change the watcher noticed between two polls.
type MarkEvent struct {
	// GroupID is the group.
	GroupID string
	// Kind is what changed.
	Kind MarkEventKind
	// Before and After are the group's states at the two polls (After is
	// zero for GroupGone).
	Before, After MarkState
}

// DefaultWatchInterval is how often a MarkWatcher polls by default.
const DefaultWatchInterval = time.Hour

// WatchConfig configures a MarkWatcher.
type WatchConfig struct {
	// GroupIDs are the groups to watch.
	GroupIDs []string
	// Interval is the time between polls (DefaultWatchInterval when
	// zero).
	Interval time.Duration
	// OnEvent receives every change, in the order noticed.
	OnEvent func(MarkEvent)
	// OnError receives the error of a poll that failed; Run goes on.
	OnError func(error)
	// Clock paces the polls and stamps states (the client's clock when
	// nil).
	Clock core.Clock
}

// MarkWatcher polls groups (group.getInfo: name and gos_org) and reports
// when a group loses or gains the «Госорганизация» mark or is renamed.
// The first poll records the states and reports nothing. Build it with
// Client.WatchMarks; it is not safe for concurrent use of Check and Run.
type MarkWatcher struct {
	c    *Client
	cfg  WatchConfig
	last map[string]MarkState
}

// WatchMarks returns a watcher of cfg.GroupIDs.
func (c *Client) WatchMarks(cfg WatchConfig) *MarkWatcher {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultWatchInterval
	}
	if cfg.Clock == nil {
		cfg.Clock = c.clock
	}
	if cfg.Clock == nil {
		cfg.Clock = core.SystemClock()
	}
	return &MarkWatcher{c: c, cfg: cfg}
}

// watchFields are the fields a poll reads.
var watchFields = []string{"uid", "name", "gos_org"}

// Check polls every group once and returns the changes since the last
// poll (none on the first). OnEvent is called for each as well.
func (w *MarkWatcher) Check(ctx context.Context) ([]MarkEvent, error) {
	now := w.cfg.Clock.Now()
	seen := make(map[string]MarkState, len(w.cfg.GroupIDs))
	for start := 0; start < len(w.cfg.GroupIDs); start += 100 {
		ids := w.cfg.GroupIDs[start:min(start+100, len(w.cfg.GroupIDs))]
		gs, err := w.c.GetGroupInfo(ctx, &GetGroupInfoRequest{GroupIDs: ids, Fields: watchFields})
		if err != nil {
			return nil, err
		}
		for i := range gs {
			seen[string(gs[i].UID)] = MarkState{Name: gs[i].Name, Marked: gs[i].GosOrg, At: now}
		}
	}
	var evs []MarkEvent
	if w.last != nil {
		for _, id := range w.cfg.GroupIDs {
			before, had := w.last[id]
			after, has := seen[id]
			switch {
			case had && !has:
				evs = append(evs, MarkEvent{GroupID: id, Kind: GroupGone, Before: before})
				continue
			case !had || !has:
				continue
			}
			if before.Name != after.Name {
				evs = append(evs, MarkEvent{GroupID: id, Kind: NameChanged, Before: before, After: after})
			}
			if after.Marked == nil {
				// OK did not say: keep the last known flag.
				after.Marked = before.Marked
				seen[id] = after
				continue
			}
			wasMarked := before.Marked != nil && *before.Marked
			switch {
			case wasMarked && !*after.Marked:
				evs = append(evs, MarkEvent{GroupID: id, Kind: MarkLost, Before: before, After: after})
			case before.Marked != nil && !wasMarked && *after.Marked:
				evs = append(evs, MarkEvent{GroupID: id, Kind: MarkGranted, Before: before, After: after})
			}
		}
	}
	w.last = seen
	if w.cfg.OnEvent != nil {
		for _, e := range evs {
			w.cfg.OnEvent(e)
		}
	}
	return evs, nil
}

// State returns the last polled state of a group.
func (w *MarkWatcher) State(groupID string) (MarkState, bool) {
	s, ok := w.last[groupID]
	return s, ok
}

// Run polls at once and then every Interval on the watcher's clock until
// ctx ends, and returns ctx's error. A failed poll is passed to OnError
// and does not stop the watcher.
func (w *MarkWatcher) Run(ctx context.Context) error {
	if len(w.cfg.GroupIDs) == 0 {
		return errors.New("ok: no group to watch")
	}
	for {
		if _, err := w.Check(ctx); err != nil && ctx.Err() == nil && w.cfg.OnError != nil {
			w.cfg.OnError(err)
		}
		t := w.cfg.Clock.NewTimer(w.cfg.Interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C():
		}
	}
}
