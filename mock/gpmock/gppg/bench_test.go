package gppg_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/internal/pgtest"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/gpmock/gppg"
)

// benchPosts is the size of the store the list benchmarks run on.
const benchPosts = 100_000

var benchT0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// benchState is a cabinet with an editor and benchPosts posts (ids 10…),
// one every 5 minutes, in a spread of statuses, urgencies and target
// pages; and an empty cabinet with an editor of its own.
func benchState() gpmock.State {
	st := gpmock.State{
		Cabinets: []gpmock.Cabinet{{ID: 1, Kind: gpmock.KindInstitution, OrgOID: 1}, {ID: 2, Kind: gpmock.KindInstitution, OrgOID: 2}},
		Users: []gpmock.StateUser{
			{User: gpmock.User{ID: 3, CabinetID: 1, Phone: "+71", Email: "e@x.ru", Role: gpmock.RoleEditor, Status: gpmock.StatusConfirmed}, Password: pw},
			{User: gpmock.User{ID: 4, CabinetID: 2, Phone: "+72", Email: "f@x.ru", Role: gpmock.RoleEditor, Status: gpmock.StatusConfirmed}, Password: pw},
		},
		Posts: benchPostList(),
	}
	return st
}

func benchPostList() []gpmock.Post {
	statuses := []string{gpmock.PostDraft, gpmock.PostSubmitted, gpmock.PostApproved, gpmock.PostReturned, gpmock.PostEdited}
	urgencies := []string{gpmock.UrgencyGreen, gpmock.UrgencyOrange, gpmock.UrgencyRed}
	posts := make([]gpmock.Post, 0, benchPosts)
	for i := range benchPosts {
		at := benchT0.Add(time.Duration(i) * 5 * time.Minute)
		posts = append(posts, gpmock.Post{ID: int64(10 + i), CabinetID: 1, AuthorID: 3,
			Text:    fmt.Sprintf("Новость №%d: приём граждан переносится на следующую неделю, подробности на сайте учреждения.", i),
			Urgency: urgencies[i%3], Status: statuses[(i/3)%5],
			Targets:  []string{fmt.Sprintf("vk:-%d", 1+i%50), fmt.Sprintf("ok:%d", 1+i%7), "telegram:-1001"},
			Comments: []gpmock.Comment{}, CreatedAt: at, UpdatedAt: at})
	}
	return posts
}

// benchServer is a seeded server over HTTP and its clients.
type benchServer struct {
	url           string
	editor, empty *gospubliki.Client
	store         gpmock.PostStore
}

func newBenchServer(b *testing.B, backend string) *benchServer {
	b.Helper()
	ctx := context.Background()
	var opts []gpmock.Option
	var pool *pgxpool.Pool
	var store gpmock.PostStore = gpmock.NewMemoryPostStore()
	if backend == "postgres" {
		var err error
		pool, err = pgxpool.New(ctx, pgtest.Shared(b).NewDatabase(b))
		require.NoError(b, err)
		b.Cleanup(pool.Close)
		st, err := gppg.Open(ctx, pool, "bench", gppg.WithTimeout(time.Minute))
		require.NoError(b, err)
		store = st
		opts = append(opts, gpmock.WithStateStore(st))
	}
	srv, err := gpmock.Open(append(opts, gpmock.WithPostStore(store))...)
	require.NoError(b, err)
	raw, err := json.Marshal(benchState())
	require.NoError(b, err)
	require.NoError(b, srv.Section.Import(raw)) // posts copied in with Replace (COPY on PostgreSQL)
	if pool != nil {
		_, err := pool.Exec(ctx, "VACUUM ANALYZE gospubliki_posts")
		require.NoError(b, err)
	}
	n, err := store.Len()
	require.NoError(b, err)
	require.Equal(b, benchPosts, n)
	hs := httptest.NewServer(srv)
	b.Cleanup(hs.Close)
	bs := &benchServer{url: hs.URL, store: store}
	bs.editor, bs.empty = bs.login(b, "+71"), bs.login(b, "+72")
	return bs
}

func (bs *benchServer) login(b *testing.B, phone string) *gospubliki.Client {
	c, err := gospubliki.New(core.WithBaseURL(bs.url), core.WithRetry(0, 0, 0))
	require.NoError(b, err)
	_, err = c.Login(context.Background(), phone, pw)
	require.NoError(b, err)
	return c
}

// latencies records each operation's time and reports p50 and p99 (µs),
// and p50 as a ratio of base's p50 when base > 0.
type latencies []time.Duration

func (l latencies) report(b *testing.B, base time.Duration) time.Duration {
	if len(l) == 0 {
		return 0
	}
	slices.Sort(l)
	p := func(q float64) time.Duration { return l[min(len(l)-1, int(q*float64(len(l))))] }
	b.ReportMetric(float64(p(0.50).Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(p(0.99).Nanoseconds())/1e3, "p99-µs")
	if base > 0 {
		b.ReportMetric(float64(p(0.50))/float64(base), "p50-x-baseline")
	}
	return p(0.50)
}

// BenchmarkListPosts100k lists a page of 50 posts through the HTTP API
// with the gospubliki client, with 100 000 posts in the store, in memory
// and on PostgreSQL. The baseline is GET /api/v1/me in the same run (the
// same authentication and HTTP path, no store); "empty cabinet" is the
// list of a cabinet without posts.
func BenchmarkListPosts100k(b *testing.B) {
	mid := benchT0.Add(benchPosts / 2 * 5 * time.Minute)
	for _, backend := range []string{"memory", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			bs := newBenchServer(b, backend)
			ctx := context.Background()
			var base time.Duration
			b.Run("baseline GET me", func(b *testing.B) {
				var l latencies
				for b.Loop() {
					t := time.Now()
					_, err := bs.editor.Me(ctx)
					l = append(l, time.Since(t))
					require.NoError(b, err)
				}
				base = l.report(b, 0)
			})
			for _, c := range []struct {
				name  string
				c     *gospubliki.Client
				f     gospubliki.PostFilter
				items int
			}{
				{"empty cabinet", bs.empty, gospubliki.PostFilter{}, 0},
				{"newest", bs.editor, gospubliki.PostFilter{}, 50},
				{"status", bs.editor, gospubliki.PostFilter{Status: gospubliki.PostApproved}, 50},
				{"status+urgency", bs.editor, gospubliki.PostFilter{Status: gospubliki.PostApproved, Urgency: gospubliki.UrgencyRed}, 50},
				{"week in the middle", bs.editor, gospubliki.PostFilter{From: mid, To: mid.Add(7 * 24 * time.Hour)}, 50},
				{"day+status in the middle", bs.editor, gospubliki.PostFilter{Status: gospubliki.PostReturned, From: mid, To: mid.Add(24 * time.Hour)}, 50},
				{"200 newest", bs.editor, gospubliki.PostFilter{Limit: 200}, 200},
			} {
				b.Run(c.name, func(b *testing.B) {
					var l latencies
					for b.Loop() {
						t := time.Now()
						page, err := c.c.ListPosts(ctx, c.f)
						l = append(l, time.Since(t))
						require.NoError(b, err)
						if len(page.Items) != c.items && !(c.name == "day+status in the middle" && len(page.Items) > 0) {
							b.Fatalf("%d items", len(page.Items))
						}
					}
					l.report(b, base)
				})
			}
		})
	}
}

// BenchmarkPostStoreList100k calls the stores' List directly (no HTTP),
// including the target-page filter and a page deep in the list; the
// baseline is Get of one post in the same store.
func BenchmarkPostStoreList100k(b *testing.B) {
	mid := benchT0.Add(benchPosts / 2 * 5 * time.Minute)
	for _, backend := range []string{"memory", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			bs := newBenchServer(b, backend)
			var base time.Duration
			b.Run("baseline Get", func(b *testing.B) {
				var l latencies
				for b.Loop() {
					t := time.Now()
					_, ok, err := bs.store.Get(50_000)
					l = append(l, time.Since(t))
					require.NoError(b, err)
					require.True(b, ok)
				}
				base = l.report(b, 0)
			})
			cab := []int64{1}
			for _, c := range []struct {
				name string
				q    gpmock.PostQuery
			}{
				{"newest", gpmock.PostQuery{Cabinets: cab, Limit: 51}},
				{"target (1 in 50)", gpmock.PostQuery{Cabinets: cab, Target: "vk:-7", Limit: 51}},
				{"target+status", gpmock.PostQuery{Cabinets: cab, Target: "vk:-7", Status: gpmock.PostEdited, Limit: 51}},
				{"deep page", gpmock.PostQuery{Cabinets: cab, Before: 50_000, Limit: 51}},
				{"day in the middle", gpmock.PostQuery{Cabinets: cab, From: mid, To: mid.Add(24 * time.Hour), Limit: 51}},
				{"no match", gpmock.PostQuery{Cabinets: cab, Target: "vk:-999", Limit: 51}},
			} {
				b.Run(c.name, func(b *testing.B) {
					var l latencies
					for b.Loop() {
						t := time.Now()
						_, err := bs.store.List(c.q)
						l = append(l, time.Since(t))
						require.NoError(b, err)
					}
					l.report(b, base)
				})
			}
		})
	}
}

// BenchmarkMemoryPer100kPosts measures the live heap of the in-memory
// store holding 100 000 posts (after a GC, against the heap before), as
// bytes per post and as a ratio of the posts' JSON size; and the size of
// the same posts in PostgreSQL (table, indexes and TOAST).
func BenchmarkMemoryPer100kPosts(b *testing.B) {
	posts := benchPostList()
	raw, err := json.Marshal(posts)
	require.NoError(b, err)
	b.Run("memory", func(b *testing.B) {
		var heap uint64
		for b.Loop() {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			s := gpmock.NewMemoryPostStore()
			fresh := benchPostList() // counted: the store keeps its texts
			require.NoError(b, s.Replace(fresh))
			fresh = nil
			runtime.GC()
			runtime.ReadMemStats(&after)
			heap = after.HeapAlloc - before.HeapAlloc
			runtime.KeepAlive(s)
		}
		b.ReportMetric(float64(heap)/(1<<20), "heap-MiB/100k")
		b.ReportMetric(float64(heap)/benchPosts, "heap-B/post")
		b.ReportMetric(float64(heap)/float64(len(raw)), "x-json")
	})
	b.Run("postgres", func(b *testing.B) {
		ctx := context.Background()
		pool, err := pgxpool.New(ctx, pgtest.Shared(b).NewDatabase(b))
		require.NoError(b, err)
		defer pool.Close()
		st, err := gppg.Open(ctx, pool, "size", gppg.WithTimeout(time.Minute))
		require.NoError(b, err)
		var size, table int64
		for b.Loop() {
			t := time.Now()
			require.NoError(b, st.Replace(posts))
			b.Logf("Replace of %d posts: %v", len(posts), time.Since(t))
			_, err := pool.Exec(ctx, "VACUUM ANALYZE gospubliki_posts")
			require.NoError(b, err)
			require.NoError(b, pool.QueryRow(ctx, "SELECT pg_total_relation_size('gospubliki_posts'), pg_table_size('gospubliki_posts')").Scan(&size, &table))
		}
		b.ReportMetric(float64(size)/(1<<20), "disk-MiB/100k")
		b.ReportMetric(float64(table)/(1<<20), "table-MiB/100k")
		b.ReportMetric(float64(size)/float64(len(raw)), "x-json")
	})
}
