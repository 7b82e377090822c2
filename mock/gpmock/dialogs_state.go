package gpmock

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gospubliki/gosdk/mock/world"
)

// StateSeries is an analytics time series in a scenario: a page's
// (PostID 0) or a published post's statistics on one page.
type StateSeries struct {
	CabinetID int64      `json:"cabinet_id"`
	PageRef   string     `json:"page_ref"`
	PostID    int64      `json:"post_id,omitempty"`
	Snapshots []Snapshot `json:"snapshots"`
}

// validateInbox checks the dialogs, auto-rules and analytics of st
// against its cabinets and users; ids must be unique with the rest (id).
func validateInbox(st State, cabs map[int64]bool, id func(string, int64) error) error {
	users := map[int64]int64{}
	for _, u := range st.Users {
		users[u.ID] = u.CabinetID
	}
	keys := map[string]bool{}
	for i, d := range st.Dialogs {
		p := fmt.Sprintf("dialogs[%d]", i)
		if err := id(p+".id", d.ID); err != nil {
			return err
		}
		switch {
		case !cabs[d.CabinetID]:
			return fieldErr(p+".cabinet_id", "unknown cabinet", world.ErrNotFound)
		case !slices.Contains(dialogSources, d.Source):
			return fieldErr(p+".source", "unknown source", world.ErrInvalid)
		case d.NetworkID == "" || len(d.NetworkID) > 128:
			return fieldErr(p+".network_id", "network id missing or longer than 128 bytes", world.ErrInvalid)
		case !slices.Contains([]string{DialogNew, DialogAssigned, DialogAnswered, DialogClosed}, d.Status):
			return fieldErr(p+".status", "unknown status", world.ErrInvalid)
		case d.AssigneeID != 0 && users[d.AssigneeID] != d.CabinetID:
			return fieldErr(p+".assignee_id", "not a user of the cabinet", world.ErrNotFound)
		}
		k := dialogKey(d.CabinetID, d.Source, d.NetworkID)
		if keys[k] {
			return fieldErr(p+".network_id", "the same source item twice in a cabinet", world.ErrDuplicate)
		}
		keys[k] = true
		for j, r := range d.Replies {
			if r.Status != ReplySent && r.Status != ReplyFailed {
				return fieldErr(fmt.Sprintf("%s.replies[%d].status", p, j), "unknown status", world.ErrInvalid)
			}
		}
	}
	for i, r := range st.DialogRules {
		p := fmt.Sprintf("dialog_rules[%d]", i)
		if err := id(p+".id", r.ID); err != nil {
			return err
		}
		switch {
		case !cabs[r.CabinetID]:
			return fieldErr(p+".cabinet_id", "unknown cabinet", world.ErrNotFound)
		case strings.TrimSpace(r.Name) == "":
			return fieldErr(p+".name", "name missing", world.ErrInvalid)
		case r.AssigneeID == 0 && r.Template == "":
			return fieldErr(p, "a rule assigns and/or answers", world.ErrInvalid)
		case r.AssigneeID != 0 && users[r.AssigneeID] != r.CabinetID:
			return fieldErr(p+".assignee_id", "not a user of the cabinet", world.ErrNotFound)
		}
		for j, src := range r.Sources {
			if !slices.Contains(dialogSources, src) {
				return fieldErr(fmt.Sprintf("%s.sources[%d]", p, j), "unknown source", world.ErrInvalid)
			}
		}
	}
	for i, sr := range st.Analytics {
		p := fmt.Sprintf("analytics[%d]", i)
		switch {
		case !cabs[sr.CabinetID]:
			return fieldErr(p+".cabinet_id", "unknown cabinet", world.ErrNotFound)
		case sr.PageRef == "":
			return fieldErr(p+".page_ref", "page ref missing", world.ErrInvalid)
		case len(sr.Snapshots) > MaxSnapshots:
			return fieldErr(p+".snapshots", fmt.Sprintf("at most %d snapshots", MaxSnapshots), world.ErrInvalid)
		}
		for j := 1; j < len(sr.Snapshots); j++ {
			if sr.Snapshots[j].At.Before(sr.Snapshots[j-1].At) {
				return fieldErr(fmt.Sprintf("%s.snapshots[%d].at", p, j), "snapshots must be in time order", world.ErrInvalid)
			}
		}
	}
	return nil
}

func seriesKey(cab, post int64, ref string) (pages bool, key string) {
	if post == 0 {
		return true, itoa(cab) + "|" + ref
	}
	return false, itoa(cab) + "|" + itoa(post) + "|" + ref
}

// loadInbox adds st's dialogs, rules and series to an unshared store.
func (st *store) loadInbox(in State) {
	for _, d := range in.Dialogs {
		cp := cloneDialog(&d)
		st.inbox.dialogs[d.ID] = &cp
		st.inbox.keys[dialogKey(d.CabinetID, d.Source, d.NetworkID)] = d.ID
		st.nextID = max(st.nextID, d.ID)
		for _, r := range d.Replies {
			st.nextID = max(st.nextID, r.ID)
		}
	}
	for _, r := range in.DialogRules {
		cp := cloneRule(&r)
		st.inbox.rules[r.ID] = &cp
		st.nextID = max(st.nextID, r.ID)
	}
	for _, sr := range in.Analytics {
		pages, k := seriesKey(sr.CabinetID, sr.PostID, sr.PageRef)
		m := st.stats.posts
		if pages {
			m = st.stats.pages
		}
		m[k] = &series{snaps: slices.Clone(sr.Snapshots)}
	}
}

// mergeInbox moves fresh's dialogs, rules and series into s; the caller
// holds s.mu.
func (st *store) mergeInbox(fresh *store) {
	for k, v := range fresh.inbox.dialogs {
		st.inbox.dialogs[k] = v
	}
	for k, v := range fresh.inbox.keys {
		st.inbox.keys[k] = v
	}
	for k, v := range fresh.inbox.rules {
		st.inbox.rules[k] = v
	}
	for k, v := range fresh.stats.pages {
		st.stats.pages[k] = v
	}
	for k, v := range fresh.stats.posts {
		st.stats.posts[k] = v
	}
}

// exportInbox adds the dialogs, rules and series to out; the caller
// holds s.mu.
func (st *store) exportInbox(out *State) {
	for _, d := range st.inbox.dialogs {
		out.Dialogs = append(out.Dialogs, cloneDialog(d))
	}
	slices.SortFunc(out.Dialogs, func(a, b Dialog) int { return int(a.ID - b.ID) })
	for _, r := range st.inbox.rules {
		out.DialogRules = append(out.DialogRules, cloneRule(r))
	}
	slices.SortFunc(out.DialogRules, func(a, b AutoRule) int { return int(a.ID - b.ID) })
	add := func(m map[string]*series, pages bool) {
		for k, sr := range m {
			if len(sr.snaps) == 0 {
				continue
			}
			parts := strings.SplitN(k, "|", 3)
			x := StateSeries{Snapshots: slices.Clone(sr.snaps)}
			_, _ = fmt.Sscan(parts[0], &x.CabinetID)
			if pages {
				x.PageRef = parts[1]
			} else {
				_, _ = fmt.Sscan(parts[1], &x.PostID)
				x.PageRef = parts[2]
			}
			out.Analytics = append(out.Analytics, x)
		}
	}
	add(st.stats.pages, true)
	add(st.stats.posts, false)
	slices.SortFunc(out.Analytics, func(a, b StateSeries) int {
		if a.CabinetID != b.CabinetID {
			return int(a.CabinetID - b.CabinetID)
		}
		if a.PostID != b.PostID {
			return int(a.PostID - b.PostID)
		}
		return strings.Compare(a.PageRef, b.PageRef)
	})
}
