package vkmock

import (
	"time"

	"golang.org/x/time/rate"

	"github.com/gospubliki/gosdk/mock/delivery"
	"github.com/gospubliki/gosdk/mock/world"
)

// state is the emulator's runtime state (posts, uploads, events), dropped
// when the world is reset.
type state struct {
	limiters   map[string]*rate.Limiter
	quotas     map[quotaKey]int
	dailyPosts map[dayKey]int

	posts    map[int64][]*post // by owner id (negative for communities)
	nextPost map[int64]int64
	guids    map[guidKey]guidEntry
	// replies are the comments and messages communities sent.
	replies []Reply

	uploads  map[string]*uploadSession
	uploaded map[string]*uploadedFile // by hash
	photos   map[int64]*photo
	videos   map[int64]*video
	polls    map[int64]*poll
	nextID   int64

	callbacks map[int64]*callbackGroup
	lpGroups  map[int64]*lpGroup

	captchas map[string]string // sid → key
	success  map[string]bool   // redirect-flow success tokens

	govSess map[string]*govSession
	// msgAllowed holds, by community, the users who wrote to it (it may
	// write to them).
	msgAllowed map[int64]map[int64]bool
	timers     []*world.Timer
	streams    []*delivery.Stream
}

type quotaKey struct{ token, method, day string }

type dayKey struct {
	group int64
	day   string
}

type guidKey struct {
	owner int64
	guid  string
}

type guidEntry struct {
	postID int64
	at     time.Time
}

func newState() *state {
	return &state{
		limiters: map[string]*rate.Limiter{}, quotas: map[quotaKey]int{}, dailyPosts: map[dayKey]int{},
		posts: map[int64][]*post{}, nextPost: map[int64]int64{}, guids: map[guidKey]guidEntry{},
		uploads: map[string]*uploadSession{}, uploaded: map[string]*uploadedFile{},
		photos: map[int64]*photo{}, videos: map[int64]*video{}, polls: map[int64]*poll{}, nextID: 456239000,
		callbacks: map[int64]*callbackGroup{}, lpGroups: map[int64]*lpGroup{},
		captchas: map[string]string{}, success: map[string]bool{},
		govSess: map[string]*govSession{},
	}
}

// stop cancels the state's timers and delivery streams.
func (st *state) stop() {
	for _, t := range st.timers {
		t.Stop()
	}
	st.timers = nil
	for _, s := range st.streams {
		s.Close()
	}
	st.streams = nil
}

// Bounds of the runtime state: older entries go first.
const (
	// PostsKept is the number of posts kept per community wall.
	PostsKept = 10000
	// maxPending bounds guids, upload sessions and captchas.
	maxPending = 10000
)

// prune drops what has expired once a map grows past its bound, and the
// oldest posts of a wall past PostsKept.
func (st *state) prune(now time.Time, owner int64) {
	if len(st.guids) > maxPending {
		for k, g := range st.guids {
			if now.Sub(g.at) >= time.Hour {
				delete(st.guids, k)
			}
		}
	}
	if len(st.uploads) > maxPending {
		for k, u := range st.uploads {
			if now.After(u.expires) {
				delete(st.uploads, k)
			}
		}
	}
	if len(st.uploaded) > maxPending {
		for k, u := range st.uploaded {
			if u.saved {
				delete(st.uploaded, k)
			}
		}
	}
	if len(st.captchas) > maxPending {
		clear(st.captchas)
	}
	if len(st.success) > maxPending {
		clear(st.success)
	}
	if list := st.posts[owner]; len(list) > PostsKept {
		st.posts[owner] = append([]*post(nil), list[len(list)-PostsKept:]...)
	}
}

func (st *state) newID() int64 {
	st.nextID++
	return st.nextID
}
