package gpmock

import (
	"slices"
	"sort"
	"sync"
	"time"
)

// PostQuery selects the posts of a list page.
type PostQuery struct {
	// Cabinets are the cabinets whose posts are listed (at least one).
	Cabinets []int64
	// Status, Urgency and Target, when set, must match (Target: one of the
	// post's target pages).
	Status, Urgency, Target string
	// From and To bound CreatedAt: From ≤ CreatedAt < To (zero: unbounded).
	From, To time.Time
	// Before, when > 0, lists only posts with ID < Before (the cursor).
	Before int64
	// Limit is the most posts returned (> 0).
	Limit int
}

// Match reports whether p passes q's filters (Before and Limit aside).
func (q PostQuery) Match(p *Post) bool {
	switch {
	case !slices.Contains(q.Cabinets, p.CabinetID),
		q.Status != "" && p.Status != q.Status,
		q.Urgency != "" && p.Urgency != q.Urgency,
		q.Target != "" && !slices.Contains(p.Targets, q.Target),
		!q.From.IsZero() && p.CreatedAt.Before(q.From),
		!q.To.IsZero() && !p.CreatedAt.Before(q.To):
		return false
	}
	return true
}

// PostStore is where the cabinet keeps its posts: in memory by default
// ([NewMemoryPostStore]), or a database for a long-lived shared server.
// The server calls it with its own lock held, so an implementation needs
// no locking of its own for the server's sake; every method returns
// copies the caller may keep.
type PostStore interface {
	// Get returns the post id (ok false when there is none).
	Get(id int64) (p Post, ok bool, err error)
	// Put stores p, adding it or replacing the post of the same ID.
	Put(p Post) error
	// List returns the posts matching q, newest (highest ID) first, at
	// most q.Limit of them.
	List(q PostQuery) ([]Post, error)
	// Replace makes posts the whole content (an import or a reset).
	Replace(posts []Post) error
	// All calls yield with every post in ID order until it returns false.
	All(yield func(Post) bool) error
	// Len returns the number of posts.
	Len() (int, error)
}

// memoryPosts is the in-memory PostStore: posts by id, and each
// cabinet's post ids in ascending order for lists.
type memoryPosts struct {
	mu        sync.Mutex
	byID      map[int64]*Post
	byCabinet map[int64][]int64 // ascending
}

// NewMemoryPostStore returns an empty in-memory PostStore.
func NewMemoryPostStore() PostStore {
	return &memoryPosts{byID: map[int64]*Post{}, byCabinet: map[int64][]int64{}}
}

func (m *memoryPosts) Get(id int64) (Post, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.byID[id]
	if p == nil {
		return Post{}, false, nil
	}
	return clonePost(p), true, nil
}

func (m *memoryPosts) Put(p Post) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.putLocked(p)
	return nil
}

func (m *memoryPosts) putLocked(p Post) {
	cp := clonePost(&p)
	old := m.byID[p.ID]
	m.byID[p.ID] = &cp
	if old != nil && old.CabinetID == p.CabinetID {
		return
	}
	if old != nil {
		m.byCabinet[old.CabinetID] = removeID(m.byCabinet[old.CabinetID], p.ID)
	}
	ids := m.byCabinet[p.CabinetID]
	if n := len(ids); n == 0 || ids[n-1] < p.ID {
		m.byCabinet[p.CabinetID] = append(ids, p.ID)
		return
	}
	i := sort.Search(len(ids), func(i int) bool { return ids[i] >= p.ID })
	m.byCabinet[p.CabinetID] = slices.Insert(ids, i, p.ID)
}

func removeID(ids []int64, id int64) []int64 {
	i := sort.Search(len(ids), func(i int) bool { return ids[i] >= id })
	if i < len(ids) && ids[i] == id {
		return slices.Delete(ids, i, i+1)
	}
	return ids
}

func (m *memoryPosts) List(q PostQuery) ([]Post, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	// Walk every listed cabinet's ids backwards, merging newest first.
	type cursor struct{ ids []int64 }
	curs := make([]cursor, 0, len(q.Cabinets))
	for _, c := range q.Cabinets {
		ids := m.byCabinet[c]
		if q.Before > 0 {
			ids = ids[:sort.Search(len(ids), func(i int) bool { return ids[i] >= q.Before })]
		}
		curs = append(curs, cursor{ids})
	}
	out := []Post{}
	for len(out) < q.Limit {
		best := -1
		for i, c := range curs {
			if len(c.ids) > 0 && (best < 0 || c.ids[len(c.ids)-1] > curs[best].ids[len(curs[best].ids)-1]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		ids := curs[best].ids
		p := m.byID[ids[len(ids)-1]]
		curs[best].ids = ids[:len(ids)-1]
		if q.Match(p) {
			out = append(out, clonePost(p))
		}
	}
	return out, nil
}

func (m *memoryPosts) Replace(posts []Post) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byID, m.byCabinet = map[int64]*Post{}, map[int64][]int64{}
	for _, p := range posts {
		m.putLocked(p)
	}
	return nil
}

func (m *memoryPosts) All(yield func(Post) bool) error {
	m.mu.Lock()
	ids := make([]int64, 0, len(m.byID))
	for id := range m.byID {
		ids = append(ids, id)
	}
	m.mu.Unlock()
	slices.Sort(ids)
	for _, id := range ids {
		p, ok, _ := m.Get(id)
		if ok && !yield(p) {
			break
		}
	}
	return nil
}

func (m *memoryPosts) Len() (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.byID), nil
}
