package redistest

import (
	"os"
	"testing"

	"github.com/gospubliki/gosdk/internal/testserver"
)

// TestMissingServer runs TestNeedsServer in a child process whose PATH has
// no redis-server: it skips, unless GOSDK_REQUIRE_REDIS=1, which fails it.
func TestMissingServer(t *testing.T) {
	testserver.CheckMissing(t, "TestNeedsServer", []string{"REDISTEST_CHILD=1", "PATH=" + t.TempDir()},
		"GOSDK_REQUIRE_REDIS", "redis-server is not on PATH")
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
