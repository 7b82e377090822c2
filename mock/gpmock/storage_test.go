package gpmock_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/mock/gpmock"
)

// memState is a StateStore in memory that counts its writes.
type memState struct {
	mu     sync.Mutex
	doc    []byte
	saves  int
	failed error
}

func (m *memState) LoadState() ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failed != nil {
		return nil, false, m.failed
	}
	return m.doc, m.doc != nil, nil
}

func (m *memState) SaveState(doc []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failed != nil {
		return m.failed
	}
	m.doc = append([]byte(nil), doc...)
	m.saves++
	return nil
}

func (m *memState) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.saves
}

// TestStateSurvivesARestart runs a server on a state store and a post
// store, changes it through the API, and starts another server on the
// same stores: users, posts and sessions are there.
func TestStateSurvivesARestart(t *testing.T) {
	clk := coretest.NewClock(coretest.Epoch)
	ss, ps := &memState{}, gpmock.NewMemoryPostStore()
	srv, err := gpmock.Open(gpmock.WithClock(clk), gpmock.WithStateStore(ss), gpmock.WithPostStore(ps))
	require.NoError(t, err)
	require.Equal(t, 1, ss.count(), "the empty state is written at start")
	cab, err := srv.AddCabinet(gpmock.KindInstitution, 42, "Школа")
	require.NoError(t, err)
	_, err = srv.AddUser(cab.ID, gpmock.User{Phone: "+79990001", Email: "a@x.ru", Role: gpmock.RoleLKOAdmin}, pw)
	require.NoError(t, err)
	_, err = srv.AddUser(cab.ID, gpmock.User{Phone: "+79990002", Email: "e@x.ru", Role: gpmock.RoleEditor}, pw)
	require.NoError(t, err)
	admin := login(t, srv, "+79990001") // a request: the state is saved after it
	editor := login(t, srv, "+79990002")
	code, out := call(t, srv, "POST", "/api/v1/posts", editor, `{"text":"Запись","urgency":"red"}`)
	require.Equal(t, http.StatusCreated, code, out)
	saves := ss.count()
	code, _ = call(t, srv, "GET", "/api/v1/posts", editor, "")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, saves, ss.count(), "a request that changes nothing writes nothing")
	code, out = call(t, srv, "POST", "/api/v1/users", admin, `{"phone":"+79990003","email":"m@x.ru","name":"М","role":"moderator"}`)
	require.Equal(t, http.StatusCreated, code, out)
	require.Equal(t, saves+1, ss.count(), "an invitation is saved")
	require.NotContains(t, string(ss.doc), admin, "tokens are kept as digests only")
	require.NotContains(t, string(ss.doc), pw, "passwords are kept as hashes only")
	require.NotContains(t, string(ss.doc), "Запись", "posts live in the post store")

	again, err := gpmock.Open(gpmock.WithClock(clk), gpmock.WithStateStore(ss), gpmock.WithPostStore(ps))
	require.NoError(t, err)
	code, out = call(t, again, "GET", "/api/v1/posts", editor, "")
	require.Equal(t, http.StatusOK, code, "the session survived: %v", out)
	require.Len(t, out["items"], 1)
	code, out = call(t, again, "GET", "/api/v1/users", admin, "")
	require.Equal(t, http.StatusOK, code, out)
	require.Len(t, out["items"], 3)
	login(t, again, "+79990002") // the password hash survived
	code, out = call(t, again, "POST", "/api/v1/posts", editor, `{"text":"Вторая"}`)
	require.Equal(t, http.StatusCreated, code, out)
	require.Greater(t, out["id"].(float64), float64(4), "ids go on after the saved ones")

	// A post stored just before a crash, its state never saved: ids go on
	// after it, never over it.
	require.NoError(t, ps.Put(gpmock.Post{ID: 100, CabinetID: cab.ID, Status: gpmock.PostDraft, Urgency: gpmock.UrgencyGreen, Targets: []string{}}))
	crashed, err := gpmock.Open(gpmock.WithClock(clk), gpmock.WithStateStore(ss), gpmock.WithPostStore(ps))
	require.NoError(t, err)
	code, out = call(t, crashed, "POST", "/api/v1/posts", editor, `{"text":"После сбоя"}`)
	require.Equal(t, http.StatusCreated, code, out)
	require.Equal(t, float64(101), out["id"])
	code, out = call(t, crashed, "POST", "/api/v1/users", admin, `{"phone":"+79990009","email":"x@x.ru","name":"Х","role":"editor"}`)
	require.Equal(t, http.StatusCreated, code, out)
	require.Equal(t, float64(102), out["id"], "one sequence for every entity")
	again = crashed

	// Logging out is saved too: the token is dead after a restart.
	code, _ = call(t, again, "POST", "/api/v1/auth/logout", editor, "")
	require.Equal(t, http.StatusNoContent, code)
	third, err := gpmock.Open(gpmock.WithClock(clk), gpmock.WithStateStore(ss), gpmock.WithPostStore(ps))
	require.NoError(t, err)
	code, _ = call(t, third, "GET", "/api/v1/posts", editor, "")
	require.Equal(t, http.StatusUnauthorized, code)
}

// TestScenarioContentMovesIntoEmptyStores: a world's section content (a
// scenario's) becomes the stores' content when they hold nothing, and a
// saved state wins over it otherwise.
func TestScenarioContentMovesIntoEmptyStores(t *testing.T) {
	w, _, _ := newWorld(t)
	ss, ps := &memState{}, gpmock.NewMemoryPostStore()
	sec := gpmock.SectionOf(w)
	srv := gpmock.New(gpmock.WithWorld(w))
	tok := login(t, srv, "+79990002")
	code, out := call(t, srv, "POST", "/api/v1/posts", tok, `{"text":"В памяти"}`)
	require.Equal(t, http.StatusCreated, code, out)

	onStores, err := gpmock.Open(gpmock.WithWorld(w), gpmock.WithStateStore(ss), gpmock.WithPostStore(ps))
	require.NoError(t, err)
	require.Same(t, sec, onStores.Section)
	n, err := ps.Len()
	require.NoError(t, err)
	require.Equal(t, 1, n, "the section's posts moved into the empty post store")
	code, out = call(t, onStores, "GET", "/api/v1/posts", login(t, onStores, "+79990002"), "")
	require.Equal(t, http.StatusOK, code)
	require.Len(t, out["items"], 1)
	require.NotNil(t, ss.doc)

	// A world reset imports the scenario again, into the stores.
	w.Reset()
	n, _ = ps.Len()
	require.Zero(t, n)
	var saved struct {
		State gpmock.State `json:"state"`
	}
	require.NoError(t, json.Unmarshal(ss.doc, &saved))
	require.Len(t, saved.State.Users, 2)
}

func TestFailingStorage(t *testing.T) {
	ss := &memState{failed: errors.New("database down")}
	srv, err := gpmock.Open(gpmock.WithStateStore(ss))
	require.ErrorContains(t, err, "database down")
	require.ErrorIs(t, srv.StorageError(), ss.failed)
	code, out := call(t, srv, "POST", "/api/v1/auth/login", "", `{"phone":"+7","password":"x"}`)
	require.Equal(t, http.StatusInternalServerError, code)
	require.Equal(t, "internal", out["error"].(map[string]any)["code"])

	ss.failed = nil
	srv, err = gpmock.Open(gpmock.WithStateStore(ss))
	require.NoError(t, err)
	ss.failed = errors.New("disk full")
	_, err = srv.AddCabinet(gpmock.KindInstitution, 1, "x")
	require.NoError(t, err)
	require.ErrorIs(t, srv.StorageError(), ss.failed, "the failed save is reported")
	ss.failed = nil
	code, _ = call(t, srv, "POST", "/api/v1/auth/login", "", `{"phone":"+7","password":"wrong password"}`)
	require.Equal(t, http.StatusUnauthorized, code)
	require.NoError(t, srv.StorageError(), "the next save succeeded")

	ss.doc, ss.failed = []byte(`{"version":99}`), nil
	_, err = gpmock.Open(gpmock.WithStateStore(ss))
	require.ErrorContains(t, err, "unknown version")
}
