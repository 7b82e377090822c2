package interop_test

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	stopBenchServer()
	os.Exit(code)
}
