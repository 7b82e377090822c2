package gppg

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrationsOf reads the NNNN_name.sql files of fsys's migrations
// directory, in version order.
func migrationsOf(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("gppg: migration %s is not named NNNN_name.sql", base)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: strings.TrimSuffix(base, ".sql"), sql: string(b)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i := range out {
		if i > 0 && out[i].version == out[i-1].version {
			return nil, fmt.Errorf("gppg: two migrations of version %d", out[i].version)
		}
	}
	return out, nil
}

// SchemaVersion is the version of the newest migration this package
// applies.
func SchemaVersion() int {
	ms, err := migrationsOf(migrationFS)
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// advisoryKey serialises concurrent migrations of one database (two
// servers starting at once).
const advisoryKey = 0x676f73707562 // "gospub"

// Migrate brings the database's schema to [SchemaVersion]: it applies, in
// order, each embedded migration that the gospubliki_schema_migrations
// table does not list, each in a transaction that also records it. It is
// safe to run again and from several processes at once.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	return migrate(ctx, pool, migrationFS, 0)
}

// migrate applies the migrations of fsys up to version upTo (0: all).
func migrate(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS, upTo int) error {
	ms, err := migrationsOf(fsys)
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(advisoryKey)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS gospubliki_schema_migrations (
			version    integer     PRIMARY KEY,
			name       text        NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now())`)
		return err
	})
	if err != nil {
		return fmt.Errorf("gppg: create the migrations table: %w", err)
	}
	for _, m := range ms {
		if upTo > 0 && m.version > upTo {
			break
		}
		if err := apply(ctx, pool, m); err != nil {
			return err
		}
	}
	return nil
}

func apply(ctx context.Context, pool *pgxpool.Pool, m migration) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(advisoryKey)); err != nil {
			return fmt.Errorf("gppg: lock for migration %s: %w", m.name, err)
		}
		var done bool
		err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM gospubliki_schema_migrations WHERE version = $1)", m.version).Scan(&done)
		if err != nil {
			return fmt.Errorf("gppg: read the migrations table: %w", err)
		}
		if done {
			return nil
		}
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return fmt.Errorf("gppg: migration %s: %w", m.name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO gospubliki_schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
			return fmt.Errorf("gppg: record migration %s: %w", m.name, err)
		}
		return nil
	})
}

// AppliedVersions returns the versions the database's migrations table
// lists, in order.
func AppliedVersions(ctx context.Context, pool *pgxpool.Pool) ([]int, error) {
	rows, err := pool.Query(ctx, "SELECT version FROM gospubliki_schema_migrations ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("gppg: read the migrations table: %w", err)
	}
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, fmt.Errorf("gppg: read the migrations table: %w", err)
	}
	return vs, nil
}
