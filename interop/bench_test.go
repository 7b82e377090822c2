package interop_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/mymmrac/telego"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/telegram"
)

// The client-overhead benchmark: one sendMessage against a loopback server
// running in another process (internal/benchserver), so that allocs/op and
// B/op count the client only. "floor" is the minimal correct client: raw
// net/http plus encoding/json.
//
//	go test -run '^$' -bench SendMessage -benchmem -count 5

const (
	benchToken  = "7000000001:MOCKbenchbenchbenchbenchbenchbench1"
	benchChatID = int64(-1001000000001)
	benchText   = "Новость: приём заявлений открыт с 1 декабря"
	benchMsgID  = 42
)

var benchServer struct {
	once  sync.Once
	url   string
	err   error
	cmd   *exec.Cmd
	stdin io.WriteCloser
	dir   string
}

// benchServerURL builds internal/benchserver once into a temporary
// directory, starts it and returns its base URL.
func benchServerURL(b *testing.B) string {
	b.Helper()
	s := &benchServer
	s.once.Do(func() {
		s.dir, s.err = os.MkdirTemp("", "gosdk-benchserver-")
		if s.err != nil {
			return
		}
		bin := filepath.Join(s.dir, "benchserver")
		build := exec.Command("go", "build", "-o", bin, "./internal/benchserver")
		if out, err := build.CombinedOutput(); err != nil {
			s.err = fmt.Errorf("go build ./internal/benchserver: %v\n%s", err, out)
			return
		}
		s.cmd = exec.Command(bin)
		s.cmd.Stderr = os.Stderr
		if s.stdin, s.err = s.cmd.StdinPipe(); s.err != nil {
			return
		}
		stdout, err := s.cmd.StdoutPipe()
		if err != nil {
			s.err = err
			return
		}
		if s.err = s.cmd.Start(); s.err != nil {
			return
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
		if err != nil || !ok {
			s.err = fmt.Errorf("benchserver: unexpected first line %q: %v", line, err)
			return
		}
		s.url = "http://" + addr
	})
	if s.err != nil {
		b.Fatal(s.err)
	}
	return s.url
}

// stopBenchServer ends the server process (closing its stdin makes it
// exit) and removes its binary.
func stopBenchServer() {
	s := &benchServer
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.stdin.Close()
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = s.cmd.Process.Kill()
			<-done
		}
	}
	if s.dir != "" {
		_ = os.RemoveAll(s.dir)
	}
}

// floorRequest and floorEnvelope are what a minimal correct client
// declares: the request it sends and the answer it reads. The answer is
// decoded into the same typed telegram.Message the client returns, so the
// comparison measures the client's machinery, not the size of the result
// type.
type floorRequest struct {
	ChatID int64  `json:"chat_id"`
	Text   string `json:"text"`
}

type floorEnvelope struct {
	OK          bool             `json:"ok"`
	Result      telegram.Message `json:"result"`
	ErrorCode   int              `json:"error_code,omitempty"`
	Description string           `json:"description,omitempty"`
}

func floorSendMessage(ctx context.Context, hc *http.Client, url string, req *floorRequest) (*telegram.Message, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var env floorEnvelope
	err = json.NewDecoder(resp.Body).Decode(&env)
	_, _ = io.Copy(io.Discard, resp.Body)
	if err != nil {
		return nil, err
	}
	if !env.OK {
		return nil, fmt.Errorf("telegram: %d %s", env.ErrorCode, env.Description)
	}
	return &env.Result, nil
}

func BenchmarkSendMessage(b *testing.B) {
	base := benchServerURL(b)
	ctx := context.Background()

	floor := func(ctx context.Context) func(b *testing.B) {
		return func(b *testing.B) {
			hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
			defer hc.CloseIdleConnections()
			url := base + "/bot" + benchToken + "/sendMessage"
			req := &floorRequest{ChatID: benchChatID, Text: benchText}
			check(b, func() (int64, error) {
				m, err := floorSendMessage(ctx, hc, url, req)
				if err != nil {
					return 0, err
				}
				return m.MessageID, nil
			})
			b.ReportAllocs()
			b.ResetTimer()
			cpu := startCPU()
			for b.Loop() {
				if _, err := floorSendMessage(ctx, hc, url, req); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		}
	}
	b.Run("floor", floor(ctx))

	gosdk := func(ctx context.Context) func(b *testing.B) {
		return func(b *testing.B) {
			c, err := telegram.New(benchToken, core.WithBaseURL(base), telegram.WithoutRateLimits())
			if err != nil {
				b.Fatal(err)
			}
			req := &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(benchChatID), Text: benchText}
			check(b, func() (int64, error) {
				m, err := c.SendMessage(ctx, req)
				if err != nil {
					return 0, err
				}
				return m.MessageID, nil
			})
			b.ReportAllocs()
			b.ResetTimer()
			cpu := startCPU()
			for b.Loop() {
				if _, err := c.SendMessage(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		}
	}
	// A ctx without a deadline: the client bounds each call itself
	// (core.DefaultTimeout).
	b.Run("gosdk", gosdk(ctx))
	// A ctx with a deadline: the client adds nothing.
	dctx, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	b.Run("gosdk-deadline", gosdk(dctx))
	// The floor with the same ctx: what a deadline costs net/http itself.
	b.Run("floor-deadline", floor(dctx))

	// paired alternates batches of floor and gosdk calls (and of gosdk with
	// a deadline) in one loop and reports their CPU and wall-time ratios:
	// load from other processes hits both sides alike, so the ratios hold
	// steady where separate runs drift by ±20 %.
	b.Run("paired", func(b *testing.B) {
		const batch = 64
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		defer hc.CloseIdleConnections()
		url := base + "/bot" + benchToken + "/sendMessage"
		freq := &floorRequest{ChatID: benchChatID, Text: benchText}
		c, err := telegram.New(benchToken, core.WithBaseURL(base), telegram.WithoutRateLimits())
		if err != nil {
			b.Fatal(err)
		}
		req := &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(benchChatID), Text: benchText}
		sides := []func(){
			func() {
				if _, err := floorSendMessage(ctx, hc, url, freq); err != nil {
					b.Fatal(err)
				}
			},
			func() {
				if _, err := c.SendMessage(ctx, req); err != nil {
					b.Fatal(err)
				}
			},
			func() {
				if _, err := c.SendMessage(dctx, req); err != nil {
					b.Fatal(err)
				}
			},
		}
		for _, f := range sides {
			f() // warm the connections
		}
		var cpu, wall [3]time.Duration
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			for k := range sides {
				j := (k + i) % len(sides) // rotate the order
				c0, w0 := processCPU(), time.Now()
				for range batch {
					sides[j]()
				}
				cpu[j] += processCPU() - c0
				wall[j] += time.Since(w0)
			}
		}
		b.ReportMetric(float64(cpu[1])/float64(cpu[0]), "cpu-ratio")
		b.ReportMetric(float64(cpu[2])/float64(cpu[0]), "cpu-ratio-deadline")
		b.ReportMetric(float64(wall[1])/float64(wall[0]), "wall-ratio")
		b.ReportMetric(float64(wall[2])/float64(wall[0]), "wall-ratio-deadline")
		b.ReportMetric(float64(cpu[0])/float64(b.N*batch), "floor-cpu-ns/call")
	})

	telegoBench := func(opts ...telego.BotOption) func(b *testing.B) {
		return func(b *testing.B) {
			bot, err := telego.NewBot(benchToken, append([]telego.BotOption{
				telego.WithAPIServer(base), telego.WithDiscardLogger(),
			}, opts...)...)
			if err != nil {
				b.Fatal(err)
			}
			params := &telego.SendMessageParams{ChatID: telego.ChatID{ID: benchChatID}, Text: benchText}
			check(b, func() (int64, error) {
				m, err := bot.SendMessage(ctx, params)
				if err != nil {
					return 0, err
				}
				return int64(m.MessageID), nil
			})
			b.ReportAllocs()
			b.ResetTimer()
			cpu := startCPU()
			for b.Loop() {
				if _, err := bot.SendMessage(ctx, params); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		}
	}
	// net/http caller: the fair comparison with the floor and gosdk.
	b.Run("telego", telegoBench(telego.WithHTTPClient(&http.Client{})))
	// telego's default caller (fasthttp), for reference.
	b.Run("telego-fasthttp", telegoBench())

	b.Run("gotelegrambot", func(b *testing.B) {
		// getMe in the constructor stays on (the server answers it).
		bot, err := tgbot.New(benchToken, tgbot.WithServerURL(base))
		if err != nil {
			b.Fatal(err)
		}
		params := &tgbot.SendMessageParams{ChatID: benchChatID, Text: benchText}
		check(b, func() (int64, error) {
			m, err := bot.SendMessage(ctx, params)
			if err != nil {
				return 0, err
			}
			return int64(m.ID), nil
		})
		b.ReportAllocs()
		b.ResetTimer()
		cpu := startCPU()
		for b.Loop() {
			if _, err := bot.SendMessage(ctx, params); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report(b)
	})
}

// check makes one call before timing and checks that the client decoded the
// server's constant answer.
func check(b *testing.B, call func() (int64, error)) {
	b.Helper()
	id, err := call()
	if err != nil {
		b.Fatal(err)
	}
	if id != benchMsgID {
		b.Fatalf("message_id = %d, want %d", id, benchMsgID)
	}
}

// cpuMeter measures the CPU time (user + system) this process spent in a
// benchmark loop. The server runs in another process, so it is the
// client's CPU per call, GC included: a steadier figure than ns/op on a
// machine shared with other work, where wall time also counts waiting.
type cpuMeter struct{ start time.Duration }

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuMeter { return cpuMeter{start: processCPU()} }

func (m cpuMeter) report(b *testing.B) {
	b.ReportMetric(float64(processCPU()-m.start)/float64(b.N), "cpu-ns/op")
}
