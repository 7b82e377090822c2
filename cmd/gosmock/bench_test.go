package main

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"slices"
	"testing"
	"time"
)

// BenchmarkReady measures, in fresh processes, the time from starting the
// gosmock binary (built once) to its JSON line on stdout: every party
// listening, the default scenario seeded. The baseline in the same run is
// the same binary started with -h, which prints its usage and exits: what
// starting the process costs before the sandbox does anything. Figures
// are the median and the 90th percentile over the iterations.
//
//	go test -run '^$' -bench BenchmarkReady -benchtime 30x ./cmd/gosmock/
func BenchmarkReady(b *testing.B) {
	bin := buildBinary(b)
	b.Run("process-floor", func(b *testing.B) {
		var d []time.Duration
		for b.Loop() {
			start := time.Now()
			cmd := exec.Command(bin, "-h")
			_ = cmd.Run() // exits with 2 after the usage
			d = append(d, time.Since(start))
			if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 2 {
				b.Fatalf("-h: %v", cmd.ProcessState)
			}
		}
		reportPercentiles(b, d)
	})
	b.Run("json-line", func(b *testing.B) {
		var d []time.Duration
		for b.Loop() {
			cmd := exec.Command(bin, "-exit-on-stdin-eof")
			stdin, err := cmd.StdinPipe()
			if err != nil {
				b.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			line, err := bufio.NewReader(stdout).ReadBytes('\n')
			d = append(d, time.Since(start))
			if err != nil {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				b.Fatalf("no JSON line: %v", err)
			}
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil || m["control"] == nil || m["gospubliki"] == nil {
				b.Fatalf("not the manifest: %s (%v)", line, err)
			}
			b.StopTimer()
			_ = stdin.Close()
			if err := cmd.Wait(); err != nil {
				b.Fatalf("exit: %v", err)
			}
			b.StartTimer()
		}
		reportPercentiles(b, d)
	})
}

// reportPercentiles reports the median and the 90th percentile of d in
// milliseconds.
func reportPercentiles(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	ms := func(q float64) float64 { return float64(d[int(q*float64(len(d)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.9), "p90-ms")
}
