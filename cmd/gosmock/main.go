// Command gosmock runs the gosdk sandbox as a standalone server.
//
// It starts one listener per emulated party and a control listener, all on
// -addr (default 127.0.0.1) with free ports, seeds the default scenario or
// the -scenario file, and prints exactly one JSON line on stdout once every
// listener is up:
//
//	{"control":"http://127.0.0.1:PORT","credentials":{"telegram":{"bot_token":"…","channel_id":…,"channel_username":"@…","group_id":…}},"telegram":"http://127.0.0.1:PORT"}
//
// One key per party holds its base URL. Under "credentials", "esia" holds
// the default ESIA system (client_id, SANDBOX-ONLY key and certificate as
// PEM and as file paths, client_certificate_hash, the emulator's
// token-verification certificate, the callback patterns) and a person who
// can log in (login, password, person_oid, org_oid). Logs go to stderr only. gosmock
// runs until SIGINT or SIGTERM and then shuts down cleanly.
//
// Usage:
//
//	gosmock [-addr 127.0.0.1] [-scenario scenario.json] [-v]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/gospubliki/gosdk/mock"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gosmock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1", "host to bind every listener on (ports are chosen free)")
	scenario := fs.String("scenario", "", "scenario JSON file to seed instead of the default scenario")
	verbose := fs.Bool("v", false, "log debug messages to stderr")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if ip := net.ParseIP(*addr); *addr != "localhost" && (ip == nil || !ip.IsLoopback()) {
		logger.Warn("gosmock: binding a non-loopback address exposes the control API", "addr", *addr)
	}
	opts := []mock.Option{mock.WithAddr(*addr), mock.WithLogger(logger)}
	if *scenario != "" {
		opts = append(opts, mock.WithScenarioFile(*scenario))
	}
	sb, err := mock.New(opts...)
	if err != nil {
		fmt.Fprintln(stderr, "gosmock:", err)
		return 1
	}
	line, err := json.Marshal(sb.Manifest())
	if err != nil {
		fmt.Fprintln(stderr, "gosmock:", err)
		_ = sb.Close()
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if _, err := fmt.Fprintf(stdout, "%s\n", line); err != nil {
		_ = sb.Close()
		return 1
	}
	logger.Info("gosmock: ready", "control", sb.ControlURL)
	<-ctx.Done()
	logger.Info("gosmock: shutting down")
	if err := sb.Close(); err != nil {
		logger.Error("gosmock: close", "error", err)
		return 1
	}
	return 0
}
