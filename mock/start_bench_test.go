package mock_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/world"
)

// coldChildEnv makes TestColdStartChild measure instead of skipping.
const coldChildEnv = "GOSDK_MOCK_COLD_START_CHILD"

// TestColdStartChild is run by BenchmarkStartCold in a fresh process (it
// skips otherwise): it starts a sandbox with every party (the first start
// of the process), closes it, then starts and closes three more (warm),
// and prints the time and allocations of each to stdout.
func TestColdStartChild(t *testing.T) {
	if os.Getenv(coldChildEnv) == "" {
		t.Skip("run by BenchmarkStartCold")
	}
	for i := range 4 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		sb, err := mock.New()
		d := time.Since(start)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if sb.URL("gospubliki") == "" || sb.URL("esia") == "" {
			t.Fatal("a party is missing")
		}
		if err := sb.Close(); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("start %d ns %d allocs %d\n", i, d.Nanoseconds(), after.Mallocs-before.Mallocs)
	}
}

// BenchmarkStartCold measures mock.New with every party ready (each
// listener accepting, the default region seeded) as the first start of a
// fresh process (cold) and as the second to fourth start in that process
// (warm), one child process per iteration. The baseline in the same run is
// the creation of an empty world (world.New with no scenario), run in this
// process. Figures are medians and 90th percentiles; allocations are
// those of the start itself and the stable figure on a loaded machine.
//
//	go test -run '^$' -bench 'BenchmarkStartCold' -benchtime 20x ./mock/
func BenchmarkStartCold(b *testing.B) {
	if testing.Short() {
		b.Skip("runs child processes")
	}
	var cold, warm []time.Duration
	var coldAllocs, warmAllocs []float64
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestColdStartChild$", "-test.count", "1")
		cmd.Env = append(os.Environ(), coldChildEnv+"=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("child: %v\n%s\n%s", err, out, stderr.String())
		}
		sc := bufio.NewScanner(bytes.NewReader(out))
		n := 0
		for sc.Scan() {
			var i int
			var ns int64
			var allocs float64
			if _, err := fmt.Sscanf(sc.Text(), "start %d ns %d allocs %g", &i, &ns, &allocs); err != nil {
				continue
			}
			n++
			if i == 0 {
				cold, coldAllocs = append(cold, time.Duration(ns)), append(coldAllocs, allocs)
			} else {
				warm, warmAllocs = append(warm, time.Duration(ns)), append(warmAllocs, allocs)
			}
		}
		if n != 4 {
			b.Fatalf("child printed %d starts:\n%s", n, out)
		}
	}
	ms := func(d []time.Duration, q float64) float64 {
		slices.Sort(d)
		return float64(d[int(q*float64(len(d)-1))]) / float64(time.Millisecond)
	}
	med := func(v []float64) float64 { slices.Sort(v); return v[len(v)/2] }
	b.ReportMetric(ms(cold, 0.5), "cold-p50-ms")
	b.ReportMetric(ms(cold, 0.9), "cold-p90-ms")
	b.ReportMetric(ms(warm, 0.5), "warm-p50-ms")
	b.ReportMetric(ms(warm, 0.9), "warm-p90-ms")
	b.ReportMetric(med(coldAllocs), "cold-allocs")
	b.ReportMetric(med(warmAllocs), "warm-allocs")
}

// BenchmarkEmptyWorld is the baseline of the start-up figures: a world
// with no scenario and no sections.
//
//	go test -run '^$' -bench 'BenchmarkEmptyWorld|BenchmarkStartClose$' -benchmem ./mock/
func BenchmarkEmptyWorld(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		w, err := world.New(world.WithEmptyScenario())
		if err != nil {
			b.Fatal(err)
		}
		if len(w.Export().Pages) != 0 {
			b.Fatal("not empty")
		}
	}
}
