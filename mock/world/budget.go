package world

import "sync"

// Memory bounds. A world keeps at most [DefaultJournalLimit] journal
// entries and [DefaultMessageLimit] stored messages (each emulator applies
// the message limit to what it stores: Telegram's chat histories); a
// [Budget] shared by several worlds (the tenants of one sandbox) caps the
// sum over all of them. Both are rings: the oldest entry or message goes
// first.
const (
	// DefaultMessageLimit is the number of messages a world's emulators
	// keep by default, across all chats.
	DefaultMessageLimit = 100000
)

// Budget caps the journal entries and stored messages of every world that
// shares it. When the budget is spent, a world makes room by dropping its
// own oldest entry or message, so a busy tenant never evicts another
// tenant's history. A world with nothing of its own to drop may still
// store one item, so the total exceeds the cap by at most one item per
// world. A Budget is safe for concurrent use; the zero value is not
// usable, create budgets with [NewBudget].
type Budget struct {
	journal *Quota
	msgs    *Quota
}

// NewBudget returns a budget of journalEntries journal entries and
// messages stored messages across the worlds sharing it (≤ 0: unbounded).
func NewBudget(journalEntries, messages int) *Budget {
	return &Budget{journal: NewQuota(journalEntries), msgs: NewQuota(messages)}
}

// Journal returns the quota of journal entries.
func (b *Budget) Journal() *Quota { return b.journal }

// Messages returns the quota of stored messages.
func (b *Budget) Messages() *Quota { return b.msgs }

// Quota is a count of items shared by several owners, with a cap. It is
// safe for concurrent use; a nil *Quota is unbounded.
type Quota struct {
	mu    sync.Mutex
	limit int
	used  int
}

// NewQuota returns a quota of limit items (≤ 0: unbounded).
func NewQuota(limit int) *Quota { return &Quota{limit: limit} }

// Take reserves one item; it reports false when the quota is spent.
func (q *Quota) Take() bool {
	if q == nil {
		return true
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.limit > 0 && q.used >= q.limit {
		return false
	}
	q.used++
	return true
}

// Force reserves one item even when the quota is spent.
func (q *Quota) Force() {
	if q == nil {
		return
	}
	q.mu.Lock()
	q.used++
	q.mu.Unlock()
}

// Release returns n items.
func (q *Quota) Release(n int) {
	if q == nil || n <= 0 {
		return
	}
	q.mu.Lock()
	q.used = max(q.used-n, 0)
	q.mu.Unlock()
}

// Used returns the number of items reserved.
func (q *Quota) Used() int {
	if q == nil {
		return 0
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.used
}

// Limit returns the cap (0: unbounded).
func (q *Quota) Limit() int {
	if q == nil {
		return 0
	}
	return max(q.limit, 0)
}

// WithMessageLimit bounds the messages the world's emulators keep, across
// all chats (default [DefaultMessageLimit]); the oldest go first.
func WithMessageLimit(n int) Option { return func(c *config) { c.messageLimit = n } }

// WithBudget makes the world share b with the other worlds given the same
// budget (the tenants of one sandbox): journal entries and stored messages
// are capped over all of them.
func WithBudget(b *Budget) Option { return func(c *config) { c.budget = b } }

// MessageLimit returns the bound on stored messages of the world (see
// [WithMessageLimit]).
func (w *World) MessageLimit() int { return w.messageLimit }

// MessageQuota returns the shared quota of stored messages (see
// [WithBudget]); nil when the world has no budget.
func (w *World) MessageQuota() *Quota {
	if w.budget == nil {
		return nil
	}
	return w.budget.msgs
}

// Ring is a bounded FIFO of items of type T owned by one world, under an
// optional shared [Quota]: adding to a full ring (or when the quota is
// spent) drops the oldest item, which is handed to the ring's drop
// function. Emulators keep their message histories in rings. It is not
// safe for concurrent use; guard it with the owner's lock.
type Ring[T any] struct {
	items []T
	head  int // index of the oldest item
	n     int
	limit int
	quota *Quota
	drop  func(T)
}

// NewRing returns a ring of at most limit items (≤ 0: 1) drawing on quota
// (nil: none); drop, when not nil, is called with each item dropped to make
// room.
func NewRing[T any](limit int, quota *Quota, drop func(T)) *Ring[T] {
	return &Ring[T]{limit: max(limit, 1), quota: quota, drop: drop}
}

// Len returns the number of items.
func (r *Ring[T]) Len() int { return r.n }

// Push adds v, dropping the oldest item when the ring is full or the quota
// is spent.
func (r *Ring[T]) Push(v T) {
	if r.n == r.limit || r.n > 0 && !r.quota.Take() {
		r.dropOldest()
	} else if r.n == 0 && !r.quota.Take() {
		r.quota.Force()
	}
	if r.n < len(r.items) {
		r.items[(r.head+r.n)%len(r.items)] = v
		r.n++
		return
	}
	// Grow: the backing array doubles up to the limit, kept in order.
	size := min(max(2*len(r.items), 16), r.limit)
	items := make([]T, size)
	for i := 0; i < r.n; i++ {
		items[i] = r.items[(r.head+i)%len(r.items)]
	}
	r.items, r.head = items, 0
	r.items[r.n] = v
	r.n++
}

// dropOldest removes the oldest item, keeping its quota reservation for the
// item that takes its place.
func (r *Ring[T]) dropOldest() {
	var zero T
	old := r.items[r.head]
	r.items[r.head] = zero
	r.head = (r.head + 1) % len(r.items)
	r.n--
	if r.drop != nil {
		r.drop(old)
	}
}

// All calls f with each item, oldest first, until f returns false.
func (r *Ring[T]) All(f func(T) bool) {
	for i := 0; i < r.n; i++ {
		if !f(r.items[(r.head+i)%len(r.items)]) {
			return
		}
	}
}

// Backward calls f with each item, newest first, until f returns false.
func (r *Ring[T]) Backward(f func(T) bool) {
	for i := r.n - 1; i >= 0; i-- {
		if !f(r.items[(r.head+i)%len(r.items)]) {
			return
		}
	}
}

// Filter keeps the items for which keep returns true, in order, and
// returns the others' reservations to the quota.
func (r *Ring[T]) Filter(keep func(T) bool) {
	var zero T
	out := 0
	total := r.n
	for i := 0; i < total; i++ {
		v := r.items[(r.head+i)%len(r.items)]
		if keep(v) {
			r.items[(r.head+out)%len(r.items)] = v
			out++
		}
	}
	for i := out; i < total; i++ {
		r.items[(r.head+i)%len(r.items)] = zero
	}
	r.n = out
	r.quota.Release(total - out)
}

// Clear removes every item and returns their reservations to the quota.
func (r *Ring[T]) Clear() { r.Filter(func(T) bool { return false }) }
