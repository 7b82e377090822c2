package testserver

import (
	"errors"
	"net"
	"strconv"
	"testing"
)

type fake struct{ stopped int }

func (f *fake) Stop() { f.stopped++ }

func TestSharedStartsOnceAndAgainAfterStop(t *testing.T) {
	var sh Shared[*fake]
	starts := 0
	start := func() (*fake, error) { starts++; return &fake{}, nil }
	a := sh.Get(t, start)
	if b := sh.Get(t, start); a != b || starts != 1 {
		t.Fatalf("a second Get started another server: %d starts", starts)
	}
	sh.Stop()
	sh.Stop()
	if a.stopped != 1 {
		t.Fatalf("stopped %d times, want once", a.stopped)
	}
	if c := sh.Get(t, start); c == a || starts != 2 {
		t.Fatal("Get after Stop did not start a new server")
	}
}

func TestSharedStartFailureFailsTheTest(t *testing.T) {
	var sh Shared[*fake]
	ft := &testing.T{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sh.Get(ft, func() (*fake, error) { return nil, errors.New("no server") })
	}()
	<-done
	if !ft.Failed() {
		t.Fatal("a failed start did not fail the test")
	}
}

func TestFreePortIsListenable(t *testing.T) {
	p, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
	if err != nil {
		t.Fatalf("port %d: %v", p, err)
	}
	_ = ln.Close()
}

func TestStartStopsInCleanup(t *testing.T) {
	var f *fake
	t.Run("inner", func(t *testing.T) {
		f = Start(t, func() (*fake, error) { return &fake{}, nil })
		if f.stopped != 0 {
			t.Fatal("stopped before the test ended")
		}
	})
	if f.stopped != 1 {
		t.Fatalf("stopped %d times after the test, want once", f.stopped)
	}
}
