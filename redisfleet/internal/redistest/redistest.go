// Package redistest starts throwaway redis-server processes on loopback
// for tests. When redis-server is not on PATH the tests that need it are
// skipped, unless GOSDK_REQUIRE_REDIS=1, which makes them fail instead (CI
// sets it so that the Redis tests cannot be skipped silently).
package redistest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gospubliki/gosdk/internal/testserver"
)

// quiet drops go-redis' own log lines (dial failures the tests cause on
// purpose by stopping a server).
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

func init() { redis.SetLogger(quiet{}) }

// Server is one redis-server process.
type Server struct {
	// Addr is its loopback address, "127.0.0.1:port".
	Addr string
	cmd  *exec.Cmd
	once sync.Once
}

// Stop kills the server and waits for it to exit (idempotent).
func (s *Server) Stop() {
	s.once.Do(func() {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	})
}

// Client returns a new client of the server, closed in t.Cleanup.
func (s *Server) Client(t testing.TB) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond,
		ReadTimeout: 500 * time.Millisecond, WriteTimeout: 500 * time.Millisecond})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func need(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	testserver.Need(t, err == nil, "GOSDK_REQUIRE_REDIS", "redis-server is not on PATH", "apt-get install redis-server")
	return path
}

// Start starts a private server for t, stopped in t.Cleanup.
func Start(t testing.TB) *Server {
	t.Helper()
	path := need(t)
	return testserver.Start(t, func() (*Server, error) { return start(path) })
}

var shared testserver.Shared[*Server]

// Shared returns the package's server, started on first use and stopped
// by Main after the tests. Tests isolate themselves by key prefix.
func Shared(t testing.TB) *Server {
	t.Helper()
	path := need(t)
	return shared.Get(t, func() (*Server, error) { return start(path) })
}

// Main runs the package's tests (call it from TestMain) and stops the
// shared server afterwards.
func Main(m *testing.M) { testserver.Main(m, shared.Stop) }

func start(path string) (*Server, error) {
	var last error
	for range 5 {
		port, err := testserver.FreePort()
		if err != nil {
			return nil, err
		}
		cmd := exec.Command(path, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning",
			"--dir", os.TempDir())
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), cmd: cmd}
		c := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1})
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			last = c.Ping(ctx).Err()
			cancel()
			if last == nil {
				break
			}
			time.Sleep(20 * time.Millisecond) // polling a starting process, not pacing a test
		}
		_ = c.Close()
		if last == nil {
			return s, nil
		}
		s.Stop()
	}
	return nil, fmt.Errorf("redistest: redis-server did not answer: %v", last)
}
