package gppg

import (
	"context"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/internal/pgtest"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/gpmock/poststoretest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// newPool returns a pool on a fresh database.
func newPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), pgtest.Shared(t).NewDatabase(t))
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool
}

func TestPostStoreConformance(t *testing.T) {
	pool := newPool(t)
	n := 0
	poststoretest.Run(t, func(t *testing.T) gpmock.PostStore {
		n++
		st, err := Open(context.Background(), pool, "conformance-"+string(rune('a'+n)))
		require.NoError(t, err)
		return st
	})
}

func TestInstancesAreSeparate(t *testing.T) {
	pool := newPool(t)
	ctx := context.Background()
	a, err := Open(ctx, pool, "a")
	require.NoError(t, err)
	b, err := Open(ctx, pool, "b")
	require.NoError(t, err)
	require.NoError(t, a.Put(gpmock.Post{ID: 1, CabinetID: 1, Text: "a"}))
	require.NoError(t, b.Replace([]gpmock.Post{{ID: 1, CabinetID: 1, Text: "b"}, {ID: 2, CabinetID: 1}}))
	p, ok, err := a.Get(1)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "a", p.Text)
	n, _ := a.Len()
	require.Equal(t, 1, n)
	top, err := b.MaxID()
	require.NoError(t, err)
	require.Equal(t, int64(2), top)
	c, err := Open(ctx, pool, "c")
	require.NoError(t, err)
	top, err = c.MaxID()
	require.NoError(t, err)
	require.Zero(t, top)
	list, err := a.List(gpmock.PostQuery{Cabinets: []int64{1}, Limit: 10})
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.NoError(t, a.SaveState([]byte(`{"x":1}`)))
	_, ok, err = b.LoadState()
	require.NoError(t, err)
	require.False(t, ok)
	doc, ok, err := a.LoadState()
	require.NoError(t, err)
	require.True(t, ok)
	require.JSONEq(t, `{"x":1}`, string(doc))
	require.Error(t, a.SaveState([]byte("not json")))
	_, err = Open(ctx, pool, "")
	require.Error(t, err)
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	t.Run("fresh and again", func(t *testing.T) {
		pool := newPool(t)
		require.NoError(t, Migrate(ctx, pool))
		vs, err := AppliedVersions(ctx, pool)
		require.NoError(t, err)
		require.Equal(t, []int{1, 2}, vs)
		require.Equal(t, 2, SchemaVersion())
		require.NoError(t, Migrate(ctx, pool), "idempotent")
		vs2, _ := AppliedVersions(ctx, pool)
		require.Equal(t, vs, vs2)
	})
	t.Run("concurrently", func(t *testing.T) {
		pool := newPool(t)
		errs := make(chan error, 4)
		for range 4 {
			go func() { errs <- Migrate(ctx, pool) }()
		}
		for range 4 {
			require.NoError(t, <-errs)
		}
		vs, _ := AppliedVersions(ctx, pool)
		require.Equal(t, []int{1, 2}, vs)
	})
	t.Run("upgrade keeps the data", func(t *testing.T) {
		pool := newPool(t)
		require.NoError(t, migrate(ctx, pool, migrationFS, 1))
		vs, _ := AppliedVersions(ctx, pool)
		require.Equal(t, []int{1}, vs)
		st := &Store{pool: pool, instance: "old", timeout: time.Minute}
		require.NoError(t, st.Put(gpmock.Post{ID: 3, CabinetID: 1, Text: "before the upgrade"}))
		_, _, err := st.LoadState()
		require.Error(t, err, "no state table at version 1")
		st, err = Open(ctx, pool, "old")
		require.NoError(t, err)
		p, ok, err := st.Get(3)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, "before the upgrade", p.Text)
		require.NoError(t, st.SaveState([]byte(`{}`)))
		vs, _ = AppliedVersions(ctx, pool)
		require.Equal(t, []int{1, 2}, vs)
	})
	t.Run("a failing migration changes nothing", func(t *testing.T) {
		pool := newPool(t)
		bad := fstest.MapFS{
			"migrations/0001_a.sql": {Data: []byte("CREATE TABLE a (x int);")},
			"migrations/0002_b.sql": {Data: []byte("CREATE TABLE b (x int); SELECT * FROM missing;")},
		}
		require.ErrorContains(t, migrate(ctx, pool, bad, 0), "migration 0002_b")
		vs, _ := AppliedVersions(ctx, pool)
		require.Equal(t, []int{1}, vs)
		var n int
		require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE tablename = 'b'").Scan(&n))
		require.Zero(t, n, "the failed migration's transaction rolled back")
	})
	t.Run("malformed names", func(t *testing.T) {
		_, err := migrationsOf(fstest.MapFS{"migrations/x.sql": {Data: []byte("")}})
		require.Error(t, err)
		_, err = migrationsOf(fstest.MapFS{"migrations/0001_a.sql": {}, "migrations/1_b.sql": {}})
		require.ErrorContains(t, err, "two migrations")
	})
}

func TestErrorsAreWrappedAndTimed(t *testing.T) {
	pool := newPool(t)
	st, err := Open(context.Background(), pool, "x", WithTimeout(time.Second))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = st.GetContext(ctx, 1)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorContains(t, err, "gppg: get post 1")
	pool.Close()
	require.ErrorContains(t, st.Put(gpmock.Post{ID: 1, Text: "секрет"}), "gppg: put post 1")
	require.NotContains(t, st.Put(gpmock.Post{ID: 1, Text: "секрет"}).Error(), "секрет")
	_, err = st.List(gpmock.PostQuery{Cabinets: []int64{1}, Limit: 1})
	require.ErrorContains(t, err, "gppg: list posts")
}
