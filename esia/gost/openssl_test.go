package gost

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Helpers that run the openssl command line with Debian's GOST engine
// (libengine-gost-openssl). Tests that need it call requireOpenSSL, which
// skips only when openssl or the engine is missing.

var opensslOK = sync.OnceValue(func() bool {
	if _, err := exec.LookPath("openssl"); err != nil {
		return false
	}
	out, err := exec.Command("openssl", "dgst", "-engine", "gost", "-md_gost12_256").CombinedOutput()
	return err == nil && bytes.Contains(out, []byte("3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb"))
})

func requireOpenSSL(t *testing.T) {
	t.Helper()
	if !opensslOK() {
		t.Skip("openssl with the gost engine is not available")
	}
}

// openssl runs openssl with args in dir and returns stdout; it fails the
// test on a non-zero exit status.
func openssl(t *testing.T, dir string, stdin []byte, args ...string) []byte {
	t.Helper()
	out, err := opensslErr(dir, stdin, args...)
	if err != nil {
		t.Fatalf("openssl %s: %v", strings.Join(args, " "), err)
	}
	return out
}

type opensslError struct {
	err    error
	stderr string
}

func (e *opensslError) Error() string { return e.err.Error() + ": " + e.stderr }

func opensslErr(dir string, stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.Command("openssl", args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), &opensslError{err, stderr.String()}
	}
	return stdout.Bytes(), nil
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
