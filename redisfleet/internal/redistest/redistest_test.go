package redistest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMissingServer runs TestNeedsServer in a child process whose PATH has
// no redis-server: it skips, unless GOSDK_REQUIRE_REDIS=1, which fails it.
func TestMissingServer(t *testing.T) {
	for _, c := range []struct {
		require string
		fail    bool
		says    string
	}{
		{"", false, "--- SKIP: TestNeedsServer"},
		{"1", true, "--- FAIL: TestNeedsServer"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestNeedsServer$", "-test.v")
		cmd.Env = append(os.Environ(), "REDISTEST_CHILD=1", "PATH="+t.TempDir(), "GOSDK_REQUIRE_REDIS="+c.require)
		out, err := cmd.CombinedOutput()
		if (err != nil) != c.fail || !strings.Contains(string(out), c.says) || !strings.Contains(string(out), "redis-server is not on PATH") {
			t.Fatalf("GOSDK_REQUIRE_REDIS=%q: err %v, output:\n%s", c.require, err, out)
		}
	}
}

// TestNeedsServer is the child of TestMissingServer.
func TestNeedsServer(t *testing.T) {
	if os.Getenv("REDISTEST_CHILD") != "1" {
		t.Skip("run by TestMissingServer")
	}
	Start(t)
	t.Fatal("a server started without redis-server on PATH")
}

func TestStartAndStop(t *testing.T) {
	s := Start(t)
	c := s.Client(t)
	if got, err := c.Ping(t.Context()).Result(); err != nil || got != "PONG" {
		t.Fatalf("ping: %q %v", got, err)
	}
	s.Stop()
	if err := c.Ping(t.Context()).Err(); err == nil {
		t.Fatal("the stopped server still answers")
	}
}
