// Package gppg keeps a Gospubliki cabinet server's state in PostgreSQL,
// for a reference server that runs a long-lived shared environment (the
// in-memory store stays the default for tests and demos):
//
//	pool, err := pgxpool.New(ctx, os.Getenv("GOSPUBLIKI_DATABASE_URL"))
//	st, err := gppg.Open(ctx, pool, "default")
//	srv, err := gpmock.Open(gpmock.WithPostStore(st), gpmock.WithStateStore(st))
//
// It uses github.com/jackc/pgx/v5 (pgxpool), the PostgreSQL driver of
// choice for Go: native protocol, COPY, binary arrays and JSONB.
//
// Posts ([gpmock.PostStore]) are rows of one table: the post as a JSONB
// document (a new field of gpmock.Post needs no migration) plus the
// columns the list filters use (cabinet, status, urgency, creation time,
// target pages as text[] under a GIN index), so a list page is one SQL
// query with keyset pagination (id < cursor ORDER BY id DESC LIMIT n). The
// rest of the state ([gpmock.StateStore]) is one JSONB document per
// instance, written whenever it changes.
//
// The server calls its stores with its lock held, so on PostgreSQL every
// request waits for the one before it and its query round trip (about
// 0.1–1 ms on loopback): ample for a cabinet's staff and integrators, not
// a store for thousands of requests a second.
//
// One database serves many instances (a sandbox's tenants): every row
// carries its instance name. [Open] applies the embedded migrations
// ([Migrate]) first. Every call runs under a timeout (WithTimeout); the
// methods without a context, which gpmock calls under its lock, use a
// background context with that timeout, and each has a ...Context
// variant. Errors are wrapped with what failed; SQL parameters (post texts,
// password hashes) never appear in them.
package gppg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gospubliki/gosdk/mock/gpmock"
)

// DefaultTimeout bounds each call of a store without a context of its own.
const DefaultTimeout = 10 * time.Second

// allBatch is how many posts All reads per query.
const allBatch = 1000

// Store is the PostgreSQL storage of one server instance: a
// [gpmock.PostStore] and a [gpmock.StateStore]. It is safe for concurrent
// use.
type Store struct {
	pool     *pgxpool.Pool
	instance string
	timeout  time.Duration
	log      *slog.Logger
}

var (
	_ gpmock.PostStore  = (*Store)(nil)
	_ gpmock.StateStore = (*Store)(nil)
	_ gpmock.MaxIDer    = (*Store)(nil)
)

// Option configures a Store.
type Option func(*Store)

// WithTimeout bounds each call made without a context (default
// DefaultTimeout).
func WithTimeout(d time.Duration) Option { return func(s *Store) { s.timeout = d } }

// WithLogger logs every failed call (what failed and the driver's error,
// never the data) to l.
func WithLogger(l *slog.Logger) Option { return func(s *Store) { s.log = l } }

// Open migrates the database of pool ([Migrate]) and returns the store of
// instance (a non-empty name; one database holds many instances).
func Open(ctx context.Context, pool *pgxpool.Pool, instance string, opts ...Option) (*Store, error) {
	if instance == "" {
		return nil, errors.New("gppg: the instance name is empty")
	}
	s := &Store{pool: pool, instance: instance, timeout: DefaultTimeout}
	for _, o := range opts {
		o(s)
	}
	if err := Migrate(ctx, pool); err != nil {
		return nil, err
	}
	return s, nil
}

// Instance returns the store's instance name.
func (s *Store) Instance() string { return s.instance }

func (s *Store) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), s.timeout)
}

// fail wraps err with what failed and logs it.
func (s *Store) fail(what string, err error) error {
	err = fmt.Errorf("gppg: %s: %w", what, err)
	if s.log != nil {
		s.log.Error("gppg: call failed", "instance", s.instance, "error", err)
	}
	return err
}

// row is a post's columns.
type row struct {
	cabinet   int64
	status    string
	urgency   string
	targets   []string
	createdAt time.Time
	createdNS int32
	doc       []byte
}

// split returns t to the microsecond and the nanoseconds below it.
func split(t time.Time) (time.Time, int32) {
	us := t.Truncate(time.Microsecond)
	return us.UTC(), int32(t.Sub(us))
}

func rowOf(p gpmock.Post) (row, error) {
	doc, err := json.Marshal(p)
	if err != nil {
		return row{}, err
	}
	at, ns := split(p.CreatedAt)
	ts := p.Targets
	if ts == nil {
		ts = []string{}
	}
	return row{cabinet: p.CabinetID, status: p.Status, urgency: p.Urgency, targets: ts, createdAt: at, createdNS: ns, doc: doc}, nil
}

func decodePost(doc []byte) (gpmock.Post, error) {
	var p gpmock.Post
	if err := json.Unmarshal(doc, &p); err != nil {
		return p, fmt.Errorf("a stored post is malformed: %w", err)
	}
	return p, nil
}

// Get implements gpmock.PostStore.
func (s *Store) Get(id int64) (gpmock.Post, bool, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	return s.GetContext(ctx, id)
}

// GetContext returns the post id (ok false when there is none).
func (s *Store) GetContext(ctx context.Context, id int64) (gpmock.Post, bool, error) {
	var doc []byte
	err := s.pool.QueryRow(ctx, "SELECT doc FROM gospubliki_posts WHERE instance = $1 AND id = $2", s.instance, id).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return gpmock.Post{}, false, nil
	}
	if err != nil {
		return gpmock.Post{}, false, s.fail("get post "+strconv.FormatInt(id, 10), err)
	}
	p, err := decodePost(doc)
	if err != nil {
		return gpmock.Post{}, false, s.fail("get post "+strconv.FormatInt(id, 10), err)
	}
	return p, true, nil
}

// Put implements gpmock.PostStore.
func (s *Store) Put(p gpmock.Post) error {
	ctx, cancel := s.ctx()
	defer cancel()
	return s.PutContext(ctx, p)
}

// PutContext stores p, adding it or replacing the post of the same ID.
func (s *Store) PutContext(ctx context.Context, p gpmock.Post) error {
	r, err := rowOf(p)
	if err != nil {
		return s.fail("encode post "+strconv.FormatInt(p.ID, 10), err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO gospubliki_posts
		(instance, id, cabinet_id, status, urgency, targets, created_at, created_ns, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (instance, id) DO UPDATE SET cabinet_id = EXCLUDED.cabinet_id, status = EXCLUDED.status,
			urgency = EXCLUDED.urgency, targets = EXCLUDED.targets, created_at = EXCLUDED.created_at,
			created_ns = EXCLUDED.created_ns, doc = EXCLUDED.doc`,
		s.instance, p.ID, r.cabinet, r.status, r.urgency, r.targets, r.createdAt, r.createdNS, string(r.doc))
	if err != nil {
		return s.fail("put post "+strconv.FormatInt(p.ID, 10), err)
	}
	return nil
}

// List implements gpmock.PostStore.
func (s *Store) List(q gpmock.PostQuery) ([]gpmock.Post, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	return s.ListContext(ctx, q)
}

// listSQL returns the query of q and its arguments.
func (s *Store) listSQL(q gpmock.PostQuery) (string, []any) {
	args := []any{s.instance, q.Cabinets}
	var b strings.Builder
	b.WriteString("SELECT doc FROM gospubliki_posts WHERE instance = $1 AND cabinet_id = ANY($2)")
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.Status != "" {
		b.WriteString(" AND status = " + arg(q.Status))
	}
	if q.Urgency != "" {
		b.WriteString(" AND urgency = " + arg(q.Urgency))
	}
	if q.Target != "" {
		b.WriteString(" AND targets @> ARRAY[" + arg(q.Target) + "::text]")
	}
	if !q.From.IsZero() {
		at, ns := split(q.From)
		// The plain range lets the planner estimate and use the index;
		// the row comparison is the exact bound.
		a := arg(at)
		b.WriteString(" AND created_at >= " + a + "::timestamptz AND (created_at, created_ns) >= (" + a + "::timestamptz, " + arg(ns) + "::integer)")
	}
	if !q.To.IsZero() {
		at, ns := split(q.To)
		a := arg(at)
		b.WriteString(" AND created_at <= " + a + "::timestamptz AND (created_at, created_ns) < (" + a + "::timestamptz, " + arg(ns) + "::integer)")
	}
	if q.Before > 0 {
		b.WriteString(" AND id < " + arg(q.Before))
	}
	b.WriteString(" ORDER BY id DESC LIMIT " + arg(q.Limit))
	return b.String(), args
}

// ListContext returns the posts matching q, newest (highest ID) first, at
// most q.Limit of them.
func (s *Store) ListContext(ctx context.Context, q gpmock.PostQuery) ([]gpmock.Post, error) {
	out := []gpmock.Post{}
	if q.Limit <= 0 || len(q.Cabinets) == 0 {
		return out, nil
	}
	sql, args := s.listSQL(q)
	// Planned with the values of each call (an unnamed statement): a
	// generic plan cannot tell a week's period from a decade's.
	rows, err := s.pool.Query(ctx, sql, append([]any{pgx.QueryExecModeCacheDescribe}, args...)...)
	if err != nil {
		return nil, s.fail("list posts", err)
	}
	docs, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, s.fail("list posts", err)
	}
	for _, d := range docs {
		p, err := decodePost(d)
		if err != nil {
			return nil, s.fail("list posts", err)
		}
		out = append(out, p)
	}
	return out, nil
}

// Replace implements gpmock.PostStore.
func (s *Store) Replace(posts []gpmock.Post) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout+time.Duration(len(posts))*200*time.Microsecond)
	defer cancel()
	return s.ReplaceContext(ctx, posts)
}

// ReplaceContext makes posts the instance's whole content, in one
// transaction (the new posts are copied in with COPY).
func (s *Store) ReplaceContext(ctx context.Context, posts []gpmock.Post) error {
	rows := make([][]any, 0, len(posts))
	for _, p := range posts {
		r, err := rowOf(p)
		if err != nil {
			return s.fail("encode post "+strconv.FormatInt(p.ID, 10), err)
		}
		rows = append(rows, []any{s.instance, p.ID, r.cabinet, r.status, r.urgency, r.targets, r.createdAt, r.createdNS, string(r.doc)})
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM gospubliki_posts WHERE instance = $1", s.instance); err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		// Later posts of the same ID win, as with Put: keep the last.
		seen := make(map[int64]bool, len(rows))
		uniq := rows[:0:0]
		for i := len(rows) - 1; i >= 0; i-- {
			if id := rows[i][1].(int64); !seen[id] {
				seen[id] = true
				uniq = append(uniq, rows[i])
			}
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"gospubliki_posts"},
			[]string{"instance", "id", "cabinet_id", "status", "urgency", "targets", "created_at", "created_ns", "doc"},
			pgx.CopyFromRows(uniq))
		return err
	})
	if err != nil {
		return s.fail("replace posts", err)
	}
	return nil
}

// All implements gpmock.PostStore.
func (s *Store) All(yield func(gpmock.Post) bool) error {
	return s.AllContext(context.Background(), yield)
}

// AllContext calls yield with every post in ID order until it returns
// false. It reads the posts in batches, each under the store's timeout,
// holding no connection while yield runs.
func (s *Store) AllContext(ctx context.Context, yield func(gpmock.Post) bool) error {
	var after int64 = -1 << 63
	for {
		bctx, cancel := context.WithTimeout(ctx, s.timeout)
		rows, err := s.pool.Query(bctx, "SELECT doc FROM gospubliki_posts WHERE instance = $1 AND id > $2 ORDER BY id LIMIT $3",
			s.instance, after, allBatch)
		var docs [][]byte
		if err == nil {
			docs, err = pgx.CollectRows(rows, pgx.RowTo[[]byte])
		}
		cancel()
		if err != nil {
			return s.fail("read posts", err)
		}
		for _, d := range docs {
			p, err := decodePost(d)
			if err != nil {
				return s.fail("read posts", err)
			}
			if !yield(p) {
				return nil
			}
			after = p.ID
		}
		if len(docs) < allBatch {
			return nil
		}
	}
}

// Len implements gpmock.PostStore.
func (s *Store) Len() (int, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	return s.LenContext(ctx)
}

// LenContext returns the number of posts.
func (s *Store) LenContext(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, "SELECT count(*) FROM gospubliki_posts WHERE instance = $1", s.instance).Scan(&n); err != nil {
		return 0, s.fail("count posts", err)
	}
	return n, nil
}

// MaxID implements gpmock.MaxIDer.
func (s *Store) MaxID() (int64, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var n int64
	if err := s.pool.QueryRow(ctx, "SELECT coalesce(max(id), 0) FROM gospubliki_posts WHERE instance = $1", s.instance).Scan(&n); err != nil {
		return 0, s.fail("read the highest post id", err)
	}
	return n, nil
}

// LoadState implements gpmock.StateStore.
func (s *Store) LoadState() ([]byte, bool, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	return s.LoadStateContext(ctx)
}

// LoadStateContext returns the instance's saved state document (ok false
// when none was saved).
func (s *Store) LoadStateContext(ctx context.Context) ([]byte, bool, error) {
	var doc []byte
	err := s.pool.QueryRow(ctx, "SELECT doc FROM gospubliki_state WHERE instance = $1", s.instance).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, s.fail("load the state", err)
	}
	return doc, true, nil
}

// SaveState implements gpmock.StateStore.
func (s *Store) SaveState(doc []byte) error {
	ctx, cancel := s.ctx()
	defer cancel()
	return s.SaveStateContext(ctx, doc)
}

// SaveStateContext replaces the instance's saved state document (a JSON
// document).
func (s *Store) SaveStateContext(ctx context.Context, doc []byte) error {
	if !json.Valid(doc) {
		return s.fail("save the state", errors.New("the document is not JSON"))
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO gospubliki_state (instance, doc, updated_at) VALUES ($1, $2, now())
		ON CONFLICT (instance) DO UPDATE SET doc = EXCLUDED.doc, updated_at = now()`, s.instance, string(doc))
	if err != nil {
		return s.fail("save the state", err)
	}
	return nil
}
