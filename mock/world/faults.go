package world

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// FaultKind is what a fault rule does besides adding latency.
type FaultKind string

// Fault kinds.
const (
	// FaultNone adds only the rule's latency; the request is then served
	// normally.
	FaultNone FaultKind = ""
	// FaultError answers with an error in the party's own format, using
	// Rule.Code (the party's error code; for Telegram also the HTTP status)
	// and Rule.Description.
	FaultError FaultKind = "error"
	// FaultRateLimit answers with the party's "too many requests" error and
	// Rule.RetryAfter seconds.
	FaultRateLimit FaultKind = "rate_limit"
	// FaultDropBefore closes the connection without answering and without
	// executing the request.
	FaultDropBefore FaultKind = "drop_before"
	// FaultDropAfter executes the request, then closes the connection
	// without answering: the call took effect but the client cannot know.
	FaultDropAfter FaultKind = "drop_after"
	// FaultErrorAfter executes the request, discards its answer and
	// answers instead with an error in the party's own format, using
	// Rule.Code and Rule.Description as [FaultError] does: the call took
	// effect (a message was stored, a code was consumed) but the client was
	// told it failed, as with a server error raised after the commit.
	FaultErrorAfter FaultKind = "error_after"
	// FaultTruncate executes the request, then sends its status, headers
	// and only half of its body (announcing the full length) and closes
	// the connection: the client reads a cut-off answer.
	FaultTruncate FaultKind = "truncate"
	// FaultHTTPStatus answers a bare HTTP status, Rule.Code (default 502),
	// with a proxy's small HTML page instead of the party's envelope, and
	// without executing the request: what a gateway in front of the party
	// answers when the party is down or slow (VK and OK themselves answer
	// 200 with an error envelope; their proxies answer 502 or 504).
	FaultHTTPStatus FaultKind = "http_status"
)

// FaultKinds lists every fault kind.
func FaultKinds() []FaultKind {
	return []FaultKind{FaultNone, FaultError, FaultErrorAfter, FaultRateLimit, FaultDropBefore, FaultDropAfter, FaultTruncate, FaultHTTPStatus}
}

// Rule is a fault-injection rule. A request matches when its party, method,
// tenant and parameters match; the rule then triggers according to Nth,
// First or Probability (all zero: every matching call).
type Rule struct {
	// ID identifies the rule; [Faults.Add] assigns one when empty.
	ID string `json:"id,omitempty"`
	// Party is the emulated party ("telegram"); empty matches any.
	Party string `json:"party,omitempty"`
	// Method is the canonical method name (case-insensitive); "" or "*"
	// matches any.
	Method string `json:"method,omitempty"`
	// Tenant restricts the rule to one tenant (empty: all).
	Tenant string `json:"tenant,omitempty"`
	// Params, when non-empty, restricts the rule to requests whose
	// journalled parameters ([Entry.Params]: the party's decoded request
	// parameters, secrets removed) hold every listed key with exactly the
	// listed value. Values compare as strings, case-sensitively: a VK
	// wall.post to one community is {"owner_id": "-123"}. A parameter the
	// party does not journal never matches.
	Params map[string]string `json:"params,omitempty"`
	// Kind is what the rule does (see the Fault* constants).
	Kind FaultKind `json:"kind,omitempty"`
	// Latency is added before the request is handled.
	Latency time.Duration `json:"latency,omitempty"`
	// Code is the party error code for FaultError and FaultErrorAfter
	// (Telegram: 400, 403, 500, ...; also the HTTP status), and the HTTP
	// status for FaultHTTPStatus.
	Code int `json:"code,omitempty"`
	// Description is the party error description for FaultError and
	// FaultErrorAfter.
	Description string `json:"description,omitempty"`
	// RetryAfter is the wait, in seconds, announced by FaultRateLimit
	// (default 1).
	RetryAfter int `json:"retry_after,omitempty"`
	// Nth, when > 0, triggers only on the Nth matching call (1-based).
	Nth int `json:"nth,omitempty"`
	// First, when > 0, triggers on the first First matching calls.
	First int `json:"first,omitempty"`
	// Probability, when in (0,1), triggers with that probability, drawn
	// from a generator seeded with Seed so runs are reproducible.
	Probability float64 `json:"probability,omitempty"`
	// Seed seeds the probability generator.
	Seed uint64 `json:"seed,omitempty"`
}

// Fault is a triggered rule, handed to a party handler to render.
type Fault struct {
	Rule
	// Call is the 1-based count of matching calls, this one included.
	Call int
}

type ruleState struct {
	rule  Rule
	calls int
	rng   *rand.Rand
}

// Faults holds fault-injection rules. It is safe for concurrent use; with no
// rules, [Faults.Match] costs one atomic load.
type Faults struct {
	n     atomic.Int32
	mu    sync.Mutex
	next  int
	rules []*ruleState
}

// ErrInvalidRule is returned by [Faults.Add] for a malformed rule.
var ErrInvalidRule = errors.New("world: invalid fault rule")

// NewFaults returns an empty rule set.
func NewFaults() *Faults { return &Faults{} }

// Add validates and adds a rule and returns its id.
func (f *Faults) Add(r Rule) (string, error) {
	switch r.Kind {
	case FaultNone, FaultError, FaultRateLimit, FaultDropBefore, FaultDropAfter, FaultErrorAfter, FaultTruncate:
	case FaultHTTPStatus:
		if r.Code == 0 {
			r.Code = http.StatusBadGateway
		}
		if r.Code < 400 || r.Code > 599 {
			return "", fmt.Errorf("%w: an http_status rule needs a code from 400 to 599", ErrInvalidRule)
		}
	default:
		return "", fmt.Errorf("%w: unknown kind %q", ErrInvalidRule, r.Kind)
	}
	if r.Kind == FaultNone && r.Latency <= 0 {
		return "", fmt.Errorf("%w: a rule needs a kind or a latency", ErrInvalidRule)
	}
	if r.Latency < 0 || r.Nth < 0 || r.First < 0 || r.RetryAfter < 0 {
		return "", fmt.Errorf("%w: negative value", ErrInvalidRule)
	}
	if r.Probability < 0 || r.Probability > 1 {
		return "", fmt.Errorf("%w: probability must be in [0,1]", ErrInvalidRule)
	}
	if (r.Kind == FaultError || r.Kind == FaultErrorAfter) && r.Code == 0 {
		return "", fmt.Errorf("%w: an error rule needs a code", ErrInvalidRule)
	}
	if r.Method == "*" {
		r.Method = ""
	}
	r.Method = strings.ToLower(r.Method)
	for k := range r.Params {
		if k == "" {
			return "", fmt.Errorf("%w: an empty parameter name", ErrInvalidRule)
		}
	}
	if len(r.Params) == 0 {
		r.Params = nil
	} else {
		r.Params = maps.Clone(r.Params)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.ID == "" {
		f.next++
		r.ID = "f" + strconv.Itoa(f.next)
	}
	for _, s := range f.rules {
		if s.rule.ID == r.ID {
			return "", fmt.Errorf("%w: duplicate id %q", ErrInvalidRule, r.ID)
		}
	}
	st := &ruleState{rule: r}
	if r.Probability > 0 {
		st.rng = rand.New(rand.NewPCG(r.Seed, r.Seed^0x5eed))
	}
	f.rules = append(f.rules, st)
	f.n.Store(int32(len(f.rules)))
	return r.ID, nil
}

// Remove deletes the rule with the id and reports whether it existed.
func (f *Faults) Remove(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, s := range f.rules {
		if s.rule.ID == id {
			f.rules = append(f.rules[:i], f.rules[i+1:]...)
			f.n.Store(int32(len(f.rules)))
			return true
		}
	}
	return false
}

// List returns the rules in the order they are evaluated.
func (f *Faults) List() []Rule {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Rule, len(f.rules))
	for i, s := range f.rules {
		out[i] = s.rule
		out[i].Params = maps.Clone(s.rule.Params)
	}
	return out
}

// Reset removes every rule.
func (f *Faults) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = nil
	f.n.Store(0)
}

// ResetTenant removes the rules scoped to one tenant.
func (f *Faults) ResetTenant(tenant string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.rules[:0]
	for _, s := range f.rules {
		if s.rule.Tenant != tenant {
			out = append(out, s)
		}
	}
	clear(f.rules[len(out):])
	f.rules = out
	f.n.Store(int32(len(f.rules)))
}

// Match counts the call against every rule matching party, method and
// tenant and returns the first rule that triggers, or nil. method is
// compared case-insensitively. A rule with [Rule.Params] never matches
// here; see [Faults.MatchParams].
func (f *Faults) Match(party, method, tenant string) *Fault {
	return f.MatchParams(party, method, tenant, nil)
}

// MatchParams is [Faults.Match] for a request with parameters: params,
// called at most once and only when a rule with [Rule.Params] is
// considered, returns the request's journalled parameters (nil: none).
func (f *Faults) MatchParams(party, method, tenant string, params func() map[string]string) *Fault {
	if f.n.Load() == 0 {
		return nil
	}
	var got map[string]string
	fetched := false
	method = strings.ToLower(method)
	f.mu.Lock()
	defer f.mu.Unlock()
	var hit *Fault
	for _, s := range f.rules {
		r := &s.rule
		if (r.Party != "" && !strings.EqualFold(r.Party, party)) ||
			(r.Method != "" && r.Method != method) ||
			(r.Tenant != "" && r.Tenant != tenant) {
			continue
		}
		if len(r.Params) > 0 {
			if !fetched && params != nil {
				got, fetched = params(), true
			}
			if !paramsMatch(r.Params, got) {
				continue
			}
		}
		s.calls++
		if hit != nil {
			continue
		}
		trig := true
		switch {
		case r.Nth > 0:
			trig = s.calls == r.Nth
		case r.First > 0:
			trig = s.calls <= r.First
		}
		if trig && s.rng != nil {
			trig = s.rng.Float64() < r.Probability
		}
		if trig {
			hit = &Fault{Rule: *r, Call: s.calls}
		}
	}
	return hit
}

// paramsMatch reports whether got holds every key of want with its value.
func paramsMatch(want, got map[string]string) bool {
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			return false
		}
	}
	return true
}

// Wait sleeps for the fault's latency or until ctx is done; it reports
// whether the full latency elapsed. A nil fault returns true at once.
func (ft *Fault) Wait(ctx context.Context) bool {
	if ft == nil || ft.Latency <= 0 {
		return true
	}
	t := time.NewTimer(ft.Latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// DropConnection closes the client connection of w without writing a
// response, as a network failure would. It hijacks the connection when the
// server allows it; otherwise it panics with [http.ErrAbortHandler], which
// net/http turns into an aborted response without logging a stack trace.
// Call it from the handler's goroutine, and write nothing to w before.
func DropConnection(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	conn, _, err := rc.Hijack()
	if err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}
