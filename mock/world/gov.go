package world

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// GovStatus is the state of a page's «Госорганизация» mark, the one state
// machine the VK and OK emulators share:
//
//	none ──request──▶ under_review ──confirm──▶ confirmed ──name or owner changes──▶ lost
//	                      │    ▲                                                     │
//	                   reject  └──────────────── request ◀──── rejected, lost ◀──────┘
//	                      ▼
//	                  rejected (with reasons)
type GovStatus string

// «Госорганизация» states.
const (
	GovNone        GovStatus = ""             // never requested
	GovUnderReview GovStatus = "under_review" // requested, awaiting a decision
	GovConfirmed   GovStatus = "confirmed"    // the page shows the mark
	GovRejected    GovStatus = "rejected"     // refused, with reasons
	GovLost        GovStatus = "lost"         // was confirmed; the name or owner changed since
)

// GovMark is a page's «Госорганизация» mark.
type GovMark struct {
	// Status is the current state.
	Status GovStatus `json:"status,omitempty"`
	// Since is when the page entered the state, on the world clock (zero
	// for GovNone).
	Since time.Time `json:"since,omitzero"`
	// Reasons are why the request was rejected (GovRejected only).
	Reasons []string `json:"reasons,omitempty"`
}

// Confirmed reports whether the page shows the mark.
func (g GovMark) Confirmed() bool { return g.Status == GovConfirmed }

// ErrGovTransition matches every [*GovTransitionError].
var ErrGovTransition = errors.New("world: illegal «Госорганизация» transition")

// GovTransitionError is an illegal transition of a «Госорганизация» mark.
type GovTransitionError struct {
	// From is the page's state; To the state asked for.
	From, To GovStatus
}

// Error describes the transition.
func (e *GovTransitionError) Error() string {
	return fmt.Sprintf("world: a «Госорганизация» mark cannot go from %s to %s", govName(e.From), govName(e.To))
}

// Is matches [ErrGovTransition].
func (e *GovTransitionError) Is(target error) bool { return target == ErrGovTransition }

func govName(s GovStatus) string {
	if s == GovNone {
		return "none"
	}
	return string(s)
}

// govStatuses lists every state.
var govStatuses = []GovStatus{GovNone, GovUnderReview, GovConfirmed, GovRejected, GovLost}

// transition returns the mark after moving it to status at now, or a
// *GovTransitionError when the move is not allowed. Reasons are required
// for, and kept only by, GovRejected.
func (g GovMark) transition(to GovStatus, now time.Time, reasons []string) (GovMark, error) {
	ok := false
	switch to {
	case GovUnderReview:
		ok = g.Status == GovNone || g.Status == GovRejected || g.Status == GovLost
	case GovConfirmed, GovRejected:
		ok = g.Status == GovUnderReview
	case GovLost:
		ok = g.Status == GovConfirmed
	}
	if !ok {
		return g, &GovTransitionError{From: g.Status, To: to}
	}
	next := GovMark{Status: to, Since: now}
	if to == GovRejected {
		if len(reasons) == 0 || slices.Contains(reasons, "") {
			return g, fmt.Errorf("%w: a rejection needs non-empty reasons", ErrInvalid)
		}
		next.Reasons = slices.Clone(reasons)
	}
	return next, nil
}

func validateGov(p Page) error {
	g := p.Gov
	switch {
	case !slices.Contains(govStatuses, g.Status):
		names := make([]string, 0, len(govStatuses))
		for _, s := range govStatuses[1:] {
			names = append(names, string(s))
		}
		return Fieldf(ErrInvalid, "status", "unknown state %q (known: none as \"\", %s)", g.Status, strings.Join(names, ", "))
	case g.Status != GovNone && p.Network != NetworkVK && p.Network != NetworkOK:
		return Fieldf(ErrInvalid, "status", "only VK and OK pages carry a «Госорганизация» mark")
	case g.Status == GovNone && !g.Since.IsZero():
		return Fieldf(ErrInvalid, "since", "set on a mark never requested")
	case g.Status != GovNone && g.Since.IsZero():
		return Fieldf(ErrInvalid, "since", "missing")
	case g.Status == GovRejected && len(g.Reasons) == 0:
		return Fieldf(ErrInvalid, "reasons", "a rejected mark needs reasons")
	case g.Status != GovRejected && len(g.Reasons) > 0:
		return Fieldf(ErrInvalid, "reasons", "only a rejected mark has reasons")
	}
	return nil
}

// carryGovLocked keeps old's mark on its replacement p, and turns a
// confirmed mark into a lost one when the page's name, owning organisation
// or owner changed.
func (w *World) carryGovLocked(old Page, p *Page) {
	p.Gov = old.Gov
	p.Gov.Reasons = slices.Clone(old.Gov.Reasons)
	if old.Gov.Status == GovConfirmed &&
		(p.Title != old.Title || p.OwnerOrgOID != old.OwnerOrgOID || p.Owner() != old.Owner()) {
		p.Gov = GovMark{Status: GovLost, Since: w.Clock.Now()}
	}
}

// govMove moves a page's mark, on the world clock.
func (w *World) govMove(network string, id int64, to GovStatus, reasons []string) (GovMark, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	k := pageKey{network, id}
	p, ok := w.pages[k]
	if !ok {
		return GovMark{}, fmt.Errorf("%w: %s page %d", ErrNotFound, network, id)
	}
	if network != NetworkVK && network != NetworkOK {
		return GovMark{}, fmt.Errorf("%w: %s page %d: only VK and OK pages carry a «Госорганизация» mark", ErrInvalid, network, id)
	}
	next, err := p.Gov.transition(to, w.Clock.Now(), reasons)
	if err != nil {
		return p.Gov, fmt.Errorf("%s page %d: %w", network, id, err)
	}
	p = p.clone()
	p.Gov = next
	w.pages[k] = p
	w.changed()
	return next, nil
}

// RequestGovMark submits a VK or OK page for the «Госорганизация» mark:
// none, rejected or lost → under review, since now on the world clock.
// Any other state is refused with a [*GovTransitionError].
func (w *World) RequestGovMark(network string, id int64) (GovMark, error) {
	return w.govMove(network, id, GovUnderReview, nil)
}

// ConfirmGovMark grants the mark to a page under review.
func (w *World) ConfirmGovMark(network string, id int64) (GovMark, error) {
	return w.govMove(network, id, GovConfirmed, nil)
}

// RejectGovMark refuses the mark to a page under review, with at least
// one reason.
func (w *World) RejectGovMark(network string, id int64, reasons ...string) (GovMark, error) {
	return w.govMove(network, id, GovRejected, reasons)
}
