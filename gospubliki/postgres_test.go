package gospubliki_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/internal/pgtest"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/gpmock/gppg"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var (
	onPostgres   sync.Map // *testing.T → *pgxpool.Pool: fixtures of that test run on PostgreSQL
	pgInstances  int
	pgInstanceMu sync.Mutex
)

// storageOptions returns the fixture's storage: memory, or a fresh
// instance in PostgreSQL for a test TestOnPostgreSQL runs.
func storageOptions(t *testing.T) []gpmock.Option {
	v, ok := onPostgres.Load(t)
	if !ok {
		return nil
	}
	pgInstanceMu.Lock()
	pgInstances++
	name := fmt.Sprintf("fixture-%d", pgInstances)
	pgInstanceMu.Unlock()
	st, err := gppg.Open(context.Background(), v.(*pgxpool.Pool), name)
	require.NoError(t, err)
	return []gpmock.Option{gpmock.WithPostStore(st), gpmock.WithStateStore(st)}
}

// TestOnPostgreSQL runs the client's flows against a server that keeps
// its state in PostgreSQL.
func TestOnPostgreSQL(t *testing.T) {
	pool, err := pgxpool.New(context.Background(), pgtest.Shared(t).NewDatabase(t))
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	for _, c := range []struct {
		name string
		f    func(*testing.T)
	}{
		{"ListFiltersAndPagination", TestListFiltersAndPagination},
		{"ModerationFlow", TestModerationFlow},
		{"ModerationStateMachine", TestModerationStateMachine},
		{"LoginAndBlocking", TestLoginAndBlocking},
		{"CrossCabinetIsolation", TestCrossCabinetIsolation},
		{"Restart", testRestart},
	} {
		t.Run(c.name, func(t *testing.T) {
			onPostgres.Store(t, pool)
			defer onPostgres.Delete(t)
			c.f(t)
		})
	}
}

// swappable serves with the handler it holds (a server restart).
type swappable struct{ h atomic.Pointer[gpmock.Server] }

func (s *swappable) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.Load().ServeHTTP(w, r) }

// testRestart: a client keeps working, with its session, across a restart
// of the server on the same database.
func testRestart(t *testing.T) {
	ctx := context.Background()
	v, _ := onPostgres.Load(t)
	clk := coretest.NewClock(coretest.Epoch)
	open := func() *gpmock.Server {
		st, err := gppg.Open(ctx, v.(*pgxpool.Pool), "restart")
		require.NoError(t, err)
		srv, err := gpmock.Open(gpmock.WithClock(clk), gpmock.WithPostStore(st), gpmock.WithStateStore(st))
		require.NoError(t, err)
		return srv
	}
	srv := open()
	h := &swappable{}
	h.h.Store(srv)
	hs := httptest.NewServer(h)
	defer hs.Close()
	f := &fixture{t: t, clock: clk, srv: srv, url: hs.URL}
	f.a = f.seed(1000001, "+79990000001")
	ed := f.client(f.a.editor)
	p, err := ed.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("До перезапуска"), Targets: []string{"vk:-1"}})
	require.NoError(t, err)
	_, err = ed.SubmitPost(ctx, p.ID)
	require.NoError(t, err)

	h.h.Store(open()) // the restarted server: the same database, a new memory
	got, err := ed.Post(ctx, p.ID)
	require.NoError(t, err, "the session and the post survived")
	require.Equal(t, gospubliki.PostSubmitted, got.Status)
	_, err = f.client(f.a.moderator).ApprovePost(ctx, p.ID)
	require.NoError(t, err, "the moderator's password survived")
	var n int
	for p, err := range ed.Posts(ctx, gospubliki.PostFilter{Status: gospubliki.PostApproved}) {
		require.NoError(t, err)
		require.Equal(t, "До перезапуска", p.Text)
		n++
	}
	require.Equal(t, 1, n)
}
