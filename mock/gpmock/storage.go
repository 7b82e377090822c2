package gpmock

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// StateStore keeps the section's state apart from its posts, so that it
// survives a restart of the server: cabinets, users with their password
// hashes, and every entity a feature adds to [State], as one document
// (see [WithStateStore]). The server calls it outside its lock, one call
// at a time.
type StateStore interface {
	// LoadState returns the saved document (ok false when none was
	// saved).
	LoadState() (doc []byte, ok bool, err error)
	// SaveState replaces the saved document.
	SaveState(doc []byte) error
}

// WithPostStore keeps the server's posts in ps instead of memory (a
// database for a long-lived shared server). What ps holds is kept; an
// empty ps of a server without a saved state receives the section's
// current posts (a scenario's).
func WithPostStore(ps PostStore) Option { return func(s *Server) { s.storage.posts = ps } }

// WithStateStore saves the section's state other than posts in ss after
// every change and loads it when the server starts: a saved state replaces
// the section's current content (a scenario's), a missing one is written
// from it.
//
// The state is one document: [State] with its secrets (password hashes,
// a scenario's seeded sandbox passwords as exports carry them, and
// whatever a feature exports only with secrets), without the posts
// (they live in the [PostStore]), plus the SHA-256 digests of the live
// sessions and API tokens (never the tokens themselves), so that logins
// and integrators' tokens survive a restart. The document is written
// after every request and after scheduled work (when the server
// dispatches its events), and after an import or a seed, whenever its
// content changed. So every entity in State is persisted with no work of
// its own, at the cost of rewriting the whole document on a change: right
// for a cabinet's hundreds of users, pages and templates, not for
// unbounded collections, which get a store of their own as posts do.
//
// Page credentials are saved sealed: give the server a fixed key
// (WithCredentialKey), or the random key of a server without one leaves
// the saved credentials unreadable after a restart.
func WithStateStore(ss StateStore) Option { return func(s *Server) { s.storage.state = ss } }

// Open is New for a server with storage (WithPostStore, WithStateStore):
// it returns the error of loading the saved state or moving the posts.
// New, which cannot return it, answers every request of such a server
// with 500 internal instead.
func Open(opts ...Option) (*Server, error) {
	s := New(opts...)
	return s, s.storage.err
}

// StorageError returns the last failure to save the state (nil once a
// save succeeds again), or the failure of Open.
func (s *Server) StorageError() error {
	s.storage.mu.Lock()
	defer s.storage.mu.Unlock()
	return s.storage.err
}

// storage is a server's configured stores.
type storage struct {
	posts PostStore
	state StateStore
	mu    sync.Mutex
	err   error
}

// persister writes a section's state to its StateStore.
type persister struct {
	mu    sync.Mutex // one save at a time, snapshots in order
	sec   *Section
	ss    StateStore
	saved [sha256.Size]byte
	err   *storage
}

// persistedDoc is the document a StateStore keeps.
type persistedDoc struct {
	Version int             `json:"version"`
	State   json.RawMessage `json:"state"`
	// NextID is the last id the server gave (cabinets, users, posts and
	// every other entity share one sequence).
	NextID   int64              `json:"next_id"`
	Sessions []persistedSession `json:"sessions,omitempty"`
}

type persistedSession struct {
	Digest  string     `json:"digest"`
	UserID  int64      `json:"user_id"`
	Expires *time.Time `json:"expires,omitempty"`
}

// attachStorage moves the section onto the configured stores (New).
func (s *Server) attachStorage() error {
	st := &s.storage
	if st.posts == nil && st.state == nil {
		return nil
	}
	sec := s.Section
	loaded := false
	if st.state != nil {
		doc, ok, err := st.state.LoadState()
		if err != nil {
			return fmt.Errorf("gpmock: load the state: %w", err)
		}
		if ok {
			if err := sec.restore(doc); err != nil {
				return err
			}
			loaded = true
		}
	}
	if st.posts != nil {
		n, err := st.posts.Len()
		if err != nil {
			return fmt.Errorf("gpmock: count the stored posts: %w", err)
		}
		sec.mu.Lock()
		var posts []Post
		if !loaded && n == 0 {
			_ = sec.posts.All(func(p Post) bool { posts = append(posts, p); return true })
		}
		sec.mu.Unlock()
		if len(posts) > 0 {
			if err := st.posts.Replace(posts); err != nil {
				return fmt.Errorf("gpmock: store the posts: %w", err)
			}
		}
		top, err := maxPostID(st.posts)
		if err != nil {
			return fmt.Errorf("gpmock: read the stored posts: %w", err)
		}
		sec.mu.Lock()
		sec.posts = st.posts
		// A post stored just before a crash may be newer than the saved
		// state: ids go on after it.
		sec.nextID = max(sec.nextID, top)
		sec.mu.Unlock()
	}
	if st.state != nil {
		p := &persister{sec: sec, ss: st.state, err: &s.storage}
		sec.mu.Lock()
		sec.persist = p
		sec.mu.Unlock()
		if err := p.save(); err != nil {
			return err
		}
	}
	return nil
}

// MaxIDer is a PostStore that tells its highest post id cheaply; others
// are read whole (All) when the server starts on them.
type MaxIDer interface {
	// MaxID returns the highest post id (0 when there are none).
	MaxID() (int64, error)
}

func maxPostID(ps PostStore) (int64, error) {
	if m, ok := ps.(MaxIDer); ok {
		return m.MaxID()
	}
	var top int64
	err := ps.All(func(p Post) bool { top = max(top, p.ID); return true })
	return top, err
}

// restore imports a saved document: the state (the posts stay in their
// store) and the sessions.
func (sec *Section) restore(doc []byte) error {
	var d persistedDoc
	if err := json.Unmarshal(doc, &d); err != nil || d.Version != 1 {
		return errors.New("gpmock: the saved state is malformed or of an unknown version")
	}
	st, err := decodeState(d.State)
	if err != nil {
		return fmt.Errorf("gpmock: the saved state: %w", err)
	}
	if err := validateState(st, nil); err != nil {
		return fmt.Errorf("gpmock: the saved state: %w", err)
	}
	sec.mu.Lock()
	ps := sec.posts
	sec.posts = NewMemoryPostStore() // Import replaces the posts: not these
	sec.mu.Unlock()
	err = sec.Import(d.State)
	sec.mu.Lock()
	defer sec.mu.Unlock()
	sec.posts = ps
	if err != nil {
		return fmt.Errorf("gpmock: the saved state: %w", err)
	}
	sec.nextID = max(sec.nextID, d.NextID)
	for _, x := range d.Sessions {
		if sec.users[x.UserID] == nil {
			continue
		}
		ss := session{userID: x.UserID}
		if x.Expires != nil {
			ss.expires = *x.Expires
		}
		sec.sessions[x.Digest] = ss
	}
	return nil
}

// changed saves the state when it has a StateStore and its content
// changed; the caller does not hold s.mu.
func (st *store) changed() {
	st.mu.Lock()
	p := st.persist
	st.mu.Unlock()
	if p != nil {
		_ = p.save()
	}
}

// save writes the section's state when it differs from the last one saved.
func (p *persister) save() error {
	sec := p.sec
	p.mu.Lock()
	defer p.mu.Unlock()
	st := sec.snapshot(true, false)
	raw, err := json.Marshal(st)
	if err == nil {
		d := persistedDoc{Version: 1, State: raw}
		sec.mu.Lock()
		d.NextID = sec.nextID
		for k, x := range sec.sessions {
			ps := persistedSession{Digest: k, UserID: x.userID}
			if !x.expires.IsZero() {
				t := x.expires
				ps.Expires = &t
			}
			d.Sessions = append(d.Sessions, ps)
		}
		sec.mu.Unlock()
		sortSessions(d.Sessions)
		var doc []byte
		if doc, err = json.Marshal(d); err == nil {
			sum := sha256.Sum256(doc)
			if sum == p.saved {
				return nil
			}
			if err = p.ss.SaveState(doc); err == nil {
				p.saved = sum
			}
		}
	}
	if err != nil {
		err = fmt.Errorf("gpmock: save the state: %w", err)
	}
	p.err.mu.Lock()
	p.err.err = err
	p.err.mu.Unlock()
	return err
}

func sortSessions(ss []persistedSession) {
	slices.SortFunc(ss, func(a, b persistedSession) int { return strings.Compare(a.Digest, b.Digest) })
}

// brokenMux answers every request with 500 internal: a server whose
// storage failed to open.
func brokenMux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeErr(w, &apiError{http.StatusInternalServerError, "internal", "the cabinet's storage is unavailable"})
	})
	return m
}
