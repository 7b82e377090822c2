package pgtest

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/gospubliki/gosdk/internal/testserver"
)

func TestMain(m *testing.M) { Main(m) }

// TestMissingServer runs TestNeedsServer in a child process that finds no
// binaries: it skips, unless GOSDK_REQUIRE_POSTGRES=1, which fails it.
func TestMissingServer(t *testing.T) {
	testserver.CheckMissing(t, "TestNeedsServer", []string{"PGTEST_CHILD=1", "PATH=" + t.TempDir(), "GOSDK_POSTGRES_BIN=",
		"PGTEST_NO_SYSTEM=1"}, "GOSDK_REQUIRE_POSTGRES", "binaries are missing")
}

// TestNeedsServer is the child of TestMissingServer.
func TestNeedsServer(t *testing.T) {
	if os.Getenv("PGTEST_CHILD") != "1" {
		t.Skip("run by TestMissingServer")
	}
	Start(t)
	t.Fatal("a server started without binaries")
}

func TestDatabasesAreSeparate(t *testing.T) {
	s := Shared(t)
	ctx := context.Background()
	a, b := s.NewDatabase(t), s.NewDatabase(t)
	require := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ca, err := pgx.Connect(ctx, a)
	require(err)
	defer ca.Close(ctx)
	cb, err := pgx.Connect(ctx, b)
	require(err)
	defer cb.Close(ctx)
	_, err = ca.Exec(ctx, "CREATE TABLE x (v int); INSERT INTO x VALUES (42)")
	require(err)
	var v int
	require(ca.QueryRow(ctx, "SELECT v FROM x").Scan(&v))
	if v != 42 {
		t.Fatalf("read %d", v)
	}
	if _, err := cb.Exec(ctx, "SELECT v FROM x"); err == nil {
		t.Fatal("a table of one database is visible in another")
	}
}

func TestStartAndStop(t *testing.T) {
	s := Start(t)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close(ctx)
	s.Stop()
	if _, err := os.Stat(s.dir); !os.IsNotExist(err) {
		t.Fatalf("data directory left behind: %v", err)
	}
	if c, err := pgx.Connect(ctx, s.URL("postgres")); err == nil {
		_ = c.Close(ctx)
		t.Fatal("the stopped server still answers")
	}
}
