// Package pgtest starts throwaway PostgreSQL servers for tests, from the
// binaries of Debian's postgresql package (initdb and postgres, found on
// PATH, under $GOSDK_POSTGRES_BIN or under /usr/lib/postgresql/<version>/bin).
// Each server has its data directory in a temporary directory, listens on
// a free loopback port with trust authentication and runs without fsync.
// When the process runs as root (initdb refuses to), the server runs as the
// "postgres" system user the package creates.
//
// When the binaries are missing the tests that need them are skipped,
// unless GOSDK_REQUIRE_POSTGRES=1, which makes them fail instead (CI sets
// it so that the PostgreSQL tests cannot be skipped silently).
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gospubliki/gosdk/internal/testserver"
)

// Server is one postgres process.
type Server struct {
	// Addr is its loopback address, "127.0.0.1:port".
	Addr   string
	dir    string
	proc   *os.Process
	exited chan struct{}
	once   sync.Once
	dbs    atomic.Int64
}

// URL returns the connection URL of database db on the server.
func (s *Server) URL(db string) string {
	return "postgres://postgres@" + s.Addr + "/" + db + "?sslmode=disable"
}

// NewDatabase creates an empty database for t and returns its URL; the
// database is dropped in t.Cleanup.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), s.dbs.Add(1))
	if err := s.exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() { _ = s.exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	return s.URL(name)
}

func (s *Server) exec(ctx context.Context, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return err
	}
	defer c.Close(context.Background())
	_, err = c.Exec(ctx, sql)
	return err
}

// Stop stops the server (an immediate shutdown), waits for it to exit and
// removes its data directory (idempotent).
func (s *Server) Stop() {
	s.once.Do(func() {
		_ = s.proc.Signal(syscall.SIGQUIT)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			_ = s.proc.Kill()
			<-s.exited
		}
		_ = os.RemoveAll(s.dir)
	})
}

// binDir returns the directory of initdb and postgres ("" when missing).
func binDir() string {
	if d := os.Getenv("GOSDK_POSTGRES_BIN"); d != "" {
		return d
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("postgres"); err == nil {
			return filepath.Dir(p)
		}
	}
	if os.Getenv("PGTEST_NO_SYSTEM") == "1" {
		return "" // the package's own test of missing binaries
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	return ""
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

func need(t testing.TB) string {
	t.Helper()
	d := binDir()
	testserver.Need(t, d != "", "GOSDK_REQUIRE_POSTGRES", "the PostgreSQL server binaries are missing", "apt-get install postgresql")
	return d
}

// Start starts a private server for t, stopped in t.Cleanup.
func Start(t testing.TB) *Server {
	t.Helper()
	d := need(t)
	return testserver.Start(t, func() (*Server, error) { return start(d) })
}

var shared testserver.Shared[*Server]

// Shared returns the package's server, started on first use and stopped
// by Main after the tests. Tests isolate themselves by database
// (NewDatabase).
func Shared(t testing.TB) *Server {
	t.Helper()
	d := need(t)
	return shared.Get(t, func() (*Server, error) { return start(d) })
}

// Main runs the package's tests (call it from TestMain) and stops the
// shared server afterwards.
func Main(m *testing.M) { testserver.Main(m, StopShared) }

// StopShared stops the package's shared server, if one started (for a
// TestMain that does more than Main).
func StopShared() { shared.Stop() }

// asUser returns the credential the server runs under: nil, or the
// "postgres" user's when running as root.
func asUser(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgtest: running as root needs the postgres system user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	err = filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
	if err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func start(bin string) (*Server, error) {
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "sock")
	if err := os.Mkdir(sock, 0o700); err != nil {
		return nil, err
	}
	cred, err := asUser(dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	attr := func() *syscall.SysProcAttr {
		return &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: syscall.SIGKILL}
	}
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = attr()
	initdb.Dir = dir
	if out, err := initdb.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: initdb: %v: %s", err, lastLines(string(out)))
	}
	var last error
	for range 5 {
		port, err := testserver.FreePort()
		if err != nil {
			return nil, err
		}
		cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-k", sock, "-p", strconv.Itoa(port),
			"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
			"-c", "full_page_writes=off", "-c", "max_connections=200", "-c", "logging_collector=off",
			"-c", "dynamic_shared_memory_type=mmap") // no dependence on the size of /dev/shm
		cmd.SysProcAttr = attr()
		cmd.Dir = dir
		logf, err := os.Create(filepath.Join(dir, "postgres.log"))
		if err != nil {
			return nil, err
		}
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			_ = logf.Close()
			return nil, err
		}
		_ = logf.Close()
		s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), dir: dir, proc: cmd.Process,
			exited: make(chan struct{})}
		go func() { _ = cmd.Wait(); close(s.exited) }()
		if last = waitReady(s); last == nil {
			return s, nil
		}
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		<-s.exited
	}
	log, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
	_ = os.RemoveAll(dir)
	return nil, fmt.Errorf("pgtest: postgres did not answer: %v: %s", last, lastLines(string(log)))
}

func waitReady(s *Server) error {
	deadline := time.Now().Add(20 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return errors.New("postgres exited")
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		c, err := pgx.Connect(ctx, s.URL("postgres"))
		if err == nil {
			err = c.Ping(ctx)
			_ = c.Close(ctx)
		}
		cancel()
		if err == nil {
			return nil
		}
		last = err
		time.Sleep(25 * time.Millisecond) // polling a starting process, not pacing a test
	}
	return last
}

func lastLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 8 {
		lines = lines[len(lines)-8:]
	}
	return strings.Join(lines, "\n")
}
