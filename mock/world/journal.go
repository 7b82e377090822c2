package world

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"iter"
	"strings"
	"sync"
	"time"
)

// Entry is one request recorded in the [Journal].
type Entry struct {
	// Seq is the entry's sequence number, increasing from 1.
	Seq uint64 `json:"seq"`
	// Time is the world clock's time of the request.
	Time time.Time `json:"time"`
	// Party is the emulated party ("telegram", "esia", ...).
	Party string `json:"party"`
	// Method is the canonical lower-case method name ("sendmessage").
	Method string `json:"method"`
	// Params are the decoded request parameters. Files appear as
	// "<file name> (<n> bytes)"; tokens and secrets never appear in clear.
	Params map[string]string `json:"params,omitempty"`
	// Status is the HTTP status answered (0 when the connection was
	// dropped).
	Status int `json:"status"`
	// Code is the party's own error code (0 on success).
	Code int `json:"code,omitempty"`
	// Description is the party's error description (empty on success).
	Description string `json:"description,omitempty"`
	// Tenant is the tenant of the request: the X-Mock-Tenant header or a
	// credential-derived key.
	Tenant string `json:"tenant,omitempty"`
	// Token is a short fingerprint of the credential used (see
	// [Fingerprint]), never the credential itself.
	Token string `json:"token,omitempty"`
	// Fault is the id of the fault rule applied, if any.
	Fault string `json:"fault,omitempty"`
	// Duration is how long the emulator took to answer.
	Duration time.Duration `json:"duration_ns"`
	// Decoded is the party's typed reading of the request (see [Decoded]),
	// or nil when the emulator has none. It is never modified once
	// recorded.
	Decoded *Decoded `json:"decoded,omitempty"`
}

// Filter selects journal entries; zero fields match everything.
type Filter struct {
	// Party and Method match case-insensitively.
	Party  string `json:"party,omitempty"`
	Method string `json:"method,omitempty"`
	// Tenant matches exactly.
	Tenant string `json:"tenant,omitempty"`
	// AfterSeq matches entries with Seq > AfterSeq.
	AfterSeq uint64 `json:"after_seq,omitempty"`
	// Status matches the HTTP status exactly.
	Status int `json:"status,omitempty"`
	// Param, when non-empty, requires Params[Param] == ParamValue.
	Param      string `json:"param,omitempty"`
	ParamValue string `json:"param_value,omitempty"`
	// Since, when set, matches entries whose Time (the world clock's) is
	// at or after it.
	Since time.Time `json:"since,omitzero"`
	// Until, when set, matches entries whose Time is before it.
	Until time.Time `json:"until,omitzero"`
}

// Match reports whether e passes the filter.
func (f Filter) Match(e *Entry) bool {
	if f.Party != "" && !strings.EqualFold(f.Party, e.Party) {
		return false
	}
	if f.Method != "" && !strings.EqualFold(f.Method, e.Method) {
		return false
	}
	if f.Tenant != "" && f.Tenant != e.Tenant {
		return false
	}
	if e.Seq <= f.AfterSeq {
		return false
	}
	if f.Status != 0 && f.Status != e.Status {
		return false
	}
	if f.Param != "" && e.Params[f.Param] != f.ParamValue {
		return false
	}
	if !f.Since.IsZero() && e.Time.Before(f.Since) {
		return false
	}
	if !f.Until.IsZero() && !e.Time.Before(f.Until) {
		return false
	}
	return true
}

// DefaultJournalLimit is the number of entries a journal keeps by default;
// older entries are discarded first.
const DefaultJournalLimit = 100000

// Journal records every request the emulators serve, for assertions. It is
// a ring: once full (or once a shared [Budget] is spent) each new entry
// replaces the oldest. It is safe for concurrent use.
type Journal struct {
	mu      sync.Mutex
	seq     uint64
	entries *Ring[Entry]
	notify  chan struct{} // closed on the next Record when waiters exist
	onWait  func()        // test hook: Await is about to wait
}

// NewJournal returns a journal keeping at most limit entries (0:
// [DefaultJournalLimit]).
func NewJournal(limit int) *Journal { return newJournal(limit, nil) }

func newJournal(limit int, b *Budget) *Journal {
	if limit <= 0 {
		limit = DefaultJournalLimit
	}
	var q *Quota
	if b != nil {
		q = b.journal
	}
	return &Journal{entries: NewRing[Entry](limit, q, nil)}
}

// Record appends e, assigning its Seq, and returns the stored entry. The
// caller must not modify e.Params afterwards.
func (j *Journal) Record(e Entry) Entry {
	j.mu.Lock()
	j.seq++
	e.Seq = j.seq
	j.entries.Push(e)
	if j.notify != nil {
		close(j.notify)
		j.notify = nil
	}
	j.mu.Unlock()
	return e
}

// Len returns the number of entries kept.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.entries.Len()
}

func copyEntry(e Entry) Entry {
	if e.Params != nil {
		p := make(map[string]string, len(e.Params))
		for k, v := range e.Params {
			p[k] = v
		}
		e.Params = p
	}
	e.Decoded = e.Decoded.clone()
	return e
}

// Entries returns copies of the entries matching f, oldest first.
func (j *Journal) Entries(f Filter) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []Entry
	j.entries.All(func(e Entry) bool {
		if f.Match(&e) {
			out = append(out, copyEntry(e))
		}
		return true
	})
	return out
}

// Count returns how many entries have the party and method (either may be
// empty to match any).
func (j *Journal) Count(party, method string) int {
	f := Filter{Party: party, Method: method}
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	j.entries.All(func(e Entry) bool {
		if f.Match(&e) {
			n++
		}
		return true
	})
	return n
}

// Last returns the newest entry matching f.
func (j *Journal) Last(f Filter) (Entry, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	var last Entry
	found := false
	j.entries.Backward(func(e Entry) bool {
		if f.Match(&e) {
			last, found = e, true
			return false
		}
		return true
	})
	if !found {
		return Entry{}, false
	}
	return copyEntry(last), true
}

// Seq returns the sequence number of the newest entry (0 when none was
// recorded). Use it as [Filter.AfterSeq] to wait for later requests.
func (j *Journal) Seq() uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.seq
}

// Reset discards every entry. Sequence numbers keep increasing.
func (j *Journal) Reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries.Clear()
}

// ResetTenant discards the entries of one tenant.
func (j *Journal) ResetTenant(tenant string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries.Filter(func(e Entry) bool { return e.Tenant != tenant })
}

// Await blocks until an entry matching f exists and returns the oldest such
// entry, or returns ctx's error. Set f.AfterSeq (see [Journal.Seq]) to wait
// only for requests made after a point.
func (j *Journal) Await(ctx context.Context, f Filter) (Entry, error) {
	for {
		j.mu.Lock()
		var hit Entry
		found := false
		j.entries.All(func(e Entry) bool {
			if f.Match(&e) {
				hit, found = copyEntry(e), true
				return false
			}
			return true
		})
		if found {
			j.mu.Unlock()
			return hit, nil
		}
		if j.notify == nil {
			j.notify = make(chan struct{})
		}
		ch := j.notify
		onWait := j.onWait
		j.mu.Unlock()
		if onWait != nil {
			onWait()
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return Entry{}, ctx.Err()
		}
	}
}

// Fingerprint returns a short, stable, non-reversible fingerprint of a
// credential for journals and logs: the part before the first ':' when it is
// a number of at most 12 digits (a Telegram bot id, which is public), then
// "~" and the first 8 hex digits of the SHA-256 of the whole credential.
func Fingerprint(secret string) string {
	if secret == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(secret))
	fp := "~" + hex.EncodeToString(sum[:4])
	if i := strings.IndexByte(secret, ':'); i > 0 && i <= 12 && allDigits(secret[:i], i) {
		return secret[:i] + fp
	}
	return fp
}

// Changed returns a channel closed by the next [Journal.Record]. Take it
// before reading the journal, then wait on it when nothing new was found:
// an entry recorded in between closes it, so no entry is missed. It is
// how a live tail (the control API's journal stream) follows the journal
// without polling.
func (j *Journal) Changed() <-chan struct{} {
	ch, _ := j.changed()
	return ch
}

// changed returns the channel of [Journal.Changed] and the newest Seq.
func (j *Journal) changed() (<-chan struct{}, uint64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.notify == nil {
		j.notify = make(chan struct{})
	}
	return j.notify, j.seq
}

// Follow yields, oldest first, the entries matching f that are in the
// journal now, then each matching entry as it is recorded, until ctx is
// done or the loop stops. It is the live tail of the journal: start after
// a known point with f.AfterSeq (an entry's Seq, or [Journal.Seq]).
// Entries the ring discarded before Follow read them are skipped; the
// gap shows in their Seq.
func (j *Journal) Follow(ctx context.Context, f Filter) iter.Seq[Entry] {
	return func(yield func(Entry) bool) {
		for {
			ch, seen := j.changed()
			for _, e := range j.Entries(f) {
				f.AfterSeq = e.Seq
				if !yield(e) {
					return
				}
			}
			// Every entry up to seen was read: skip them next time.
			f.AfterSeq = max(f.AfterSeq, seen)
			if ctx.Err() != nil {
				return
			}
			select {
			case <-ch:
			case <-ctx.Done():
				return
			}
		}
	}
}
