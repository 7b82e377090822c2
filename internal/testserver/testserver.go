// Package testserver holds what the packages that start throwaway server
// processes for tests share (internal/pgtest, redisfleet/internal/redistest):
// skipping or failing when the server's binaries are missing, one server
// shared by a package's tests, free loopback ports, and the test of the
// missing-binaries behaviour itself.
package testserver

import (
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// Need returns when found; otherwise it skips t, or fails it when the
// environment variable requireEnv is "1" (CI sets it so that the tests
// cannot be skipped silently). missing says what is missing, install how
// to install it.
func Need(t testing.TB, found bool, requireEnv, missing, install string) {
	t.Helper()
	if found {
		return
	}
	if os.Getenv(requireEnv) == "1" {
		t.Fatalf("%s and %s=1: these tests must run (%s)", missing, requireEnv, install)
	}
	t.Skipf("%s: skipping these tests (%s; %s=1 makes this a failure)", missing, install, requireEnv)
}

// Stopper is a started server.
type Stopper interface{ Stop() }

// Start starts a server for t with start (a failure fails t) and stops it
// in t.Cleanup.
func Start[S Stopper](t testing.TB, start func() (S, error)) S {
	t.Helper()
	s, err := start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// Shared is one server shared by a package's tests, started on first use.
type Shared[S Stopper] struct {
	mu      sync.Mutex
	s       S
	started bool
}

// Get returns the shared server, starting it with start on first use (a
// failure fails t).
func (sh *Shared[S]) Get(t testing.TB, start func() (S, error)) S {
	t.Helper()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if !sh.started {
		s, err := start()
		if err != nil {
			t.Fatal(err)
		}
		sh.s, sh.started = s, true
	}
	return sh.s
}

// Stop stops the shared server, if one started; a later Get starts
// another.
func (sh *Shared[S]) Stop() {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.started {
		sh.s.Stop()
		var zero S
		sh.s, sh.started = zero, false
	}
}

// Main runs the package's tests (call it from TestMain), then stop, then
// exits with the tests' code.
func Main(m *testing.M, stop func()) {
	code := m.Run()
	stop()
	os.Exit(code)
}

// FreePort returns a loopback TCP port free at the time of the call.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// CheckMissing runs the test child of the current test binary in a child
// process whose environment is the current one plus env (which hides the
// binaries and marks the child), once without and once with
// requireEnv=1: the child must skip, then fail, each time saying says.
func CheckMissing(t *testing.T, child string, env []string, requireEnv, says string) {
	t.Helper()
	for _, c := range []struct {
		require string
		fail    bool
		verdict string
	}{
		{"", false, "--- SKIP: " + child},
		{"1", true, "--- FAIL: " + child},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^"+child+"$", "-test.v")
		cmd.Env = append(append(os.Environ(), env...), requireEnv+"="+c.require)
		out, err := cmd.CombinedOutput()
		if (err != nil) != c.fail || !strings.Contains(string(out), c.verdict) || !strings.Contains(string(out), says) {
			t.Fatalf("%s=%q: err %v, output:\n%s", requireEnv, c.require, err, out)
		}
	}
}
