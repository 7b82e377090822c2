// Command gosmock runs the gosdk sandbox as a standalone server.
//
// It starts one listener per emulated party and a control listener, all on
// -addr (default 127.0.0.1) with free ports (or the -ports given), seeds the
// default scenario or the -scenario file, and prints exactly one JSON line
// on stdout once every listener is up:
//
//	{"control":"http://127.0.0.1:PORT","credentials":{"telegram":{"bot_token":"…","channel_id":…,"channel_username":"@…","group_id":…}},"telegram":"http://127.0.0.1:PORT"}
//
// One key per party holds its base URL. Under "credentials", each party that
// has credentials in the scenario has its own object (a scenario without a
// bot has no "telegram" there): "esia" holds the default ESIA system
// (client_id, SANDBOX-ONLY key and certificate as PEM and as file paths,
// client_certificate_hash, the emulator's token-verification certificate,
// the callback patterns) and a person who can log in (login, password,
// person_oid, org_oid); "vk" holds a community administrator's user token
// (user_token, user_id), the community's token (community_token), a service
// token (service_token), the community (group_id, screen_name) and the API
// version; "pos" holds the POS appeals-API system (username, password,
// token_url). With -addr 0.0.0.0 the URLs name the machine's
// first non-loopback address. Logs go to stderr only.
//
// gosmock runs until SIGINT or SIGTERM, until its parent process exits
// (-exit-with-parent, on by default) or, with -exit-on-stdin-eof, until its
// standard input is closed; then it shuts down cleanly. A harness should
// build the binary (go build ./cmd/gosmock) and run it rather than use
// "go run": a signal sent to "go run" reaches the go command, not the
// server.
//
// The Gospubliki cabinet keeps its state in memory, unless
// -gospubliki-postgres (or the GOSPUBLIKI_DATABASE_URL environment variable)
// names a PostgreSQL database: then each tenant's cabinet (cabinets, users,
// sessions as digests, posts) lives there, as the instance named after the
// tenant, and survives a restart of gosmock; the schema is migrated at
// start. A saved state wins over the scenario; a tenant reset imports the
// scenario again; a tenant created again under a name finds that name's
// saved state (deleting a tenant leaves its rows in the database).
//
// Usage:
//
//	gosmock [-addr 127.0.0.1] [-ports telegram=8081,esia=8082,vk=8083,control=8080]
//	        [-scenario scenario.json] [-exit-on-stdin-eof] [-exit-with-parent=false] [-v]
//	        [-gospubliki-postgres postgres://user@host/db]
//	        [-credential-key-file key.txt]
//
// The Gospubliki cabinet encrypts the credentials of connected pages
// (AES-GCM) under the key of -credential-key-file or of the environment
// variable GOSPUBLIKI_CREDENTIAL_KEY (32 bytes as 64 hex digits or
// base64); without either it uses the public sandbox-only key.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/gpmock/gppg"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// parentPoll is how often gosmock checks that its parent is alive.
const parentPoll = 500 * time.Millisecond

// watchParent cancels ctx when the parent process exits (the process is
// then adopted by another, so its parent id changes).
func watchParent(ctx context.Context, cancel context.CancelCauseFunc) {
	ppid := os.Getppid()
	if ppid <= 1 {
		return // started by init or a container runtime: no parent to watch
	}
	t := time.NewTicker(parentPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if os.Getppid() != ppid {
				cancel(errors.New("parent process exited"))
				return
			}
		}
	}
}

// parsePorts parses "telegram=8081,control=8080".
func parsePorts(s string) (map[string]int, error) {
	out := map[string]int{}
	for _, kv := range strings.Split(s, ",") {
		name, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return nil, fmt.Errorf("%q is not party=port", kv)
		}
		port, err := strconv.Atoi(v)
		if err != nil || port <= 0 || port > 65535 {
			return nil, fmt.Errorf("%q: port must be 1-65535", kv)
		}
		out[name] = port
	}
	return out, nil
}

// pgTimeout bounds connecting to PostgreSQL and migrating it.
const pgTimeout = 30 * time.Second

// openPostgres connects to the database of url (its errors never repeat
// the URL, which may hold a password).
func openPostgres(url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, errors.New("the URL is not a PostgreSQL connection URL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), pgTimeout)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect: %w", err)
	}
	return pool, nil
}

// credentialKey reads the cabinet's credential key from file (when set)
// or env (when set); nil keeps the sandbox-only key. Errors never repeat
// the key.
func credentialKey(file, env string) ([]byte, error) {
	v := env
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("-credential-key-file: %w", err)
		}
		v = string(b)
	}
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	return gpmock.ParseCredentialKey(v)
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gosmock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1", "host to bind every listener on (ports are chosen free)")
	scenario := fs.String("scenario", "", "scenario JSON file to seed instead of the default scenario")
	verbose := fs.Bool("v", false, "log debug messages to stderr")
	portsFlag := fs.String("ports", "", "fixed ports, as party=port pairs separated by commas (control=PORT for the control API); others are chosen free")
	stdinEOF := fs.Bool("exit-on-stdin-eof", false, "exit when standard input is closed (a harness keeps a pipe open and closes it, or dies)")
	withParent := fs.Bool("exit-with-parent", true, "exit when the parent process exits")
	pgURL := fs.String("gospubliki-postgres", "", "PostgreSQL URL where the Gospubliki cabinet keeps its state, one instance per tenant (default $GOSPUBLIKI_DATABASE_URL; none: in memory)")
	keyFile := fs.String("credential-key-file", "", "file holding the key (32 bytes as 64 hex digits or base64) the cabinet encrypts page credentials under; default $"+gpmock.CredentialKeyEnv+", else the public sandbox-only key")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *pgURL == "" {
		*pgURL = os.Getenv("GOSPUBLIKI_DATABASE_URL")
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
	if *portsFlag != "" {
		ports, err := parsePorts(*portsFlag)
		if err != nil {
			fmt.Fprintln(stderr, "gosmock: -ports:", err)
			return 2
		}
		opts = append(opts, mock.WithPorts(ports))
	}
	if *scenario != "" {
		opts = append(opts, mock.WithScenarioFile(*scenario))
	}
	if *pgURL != "" {
		pool, err := openPostgres(*pgURL)
		if err != nil {
			fmt.Fprintln(stderr, "gosmock: -gospubliki-postgres:", err)
			return 1
		}
		defer pool.Close()
		opts = append(opts, mock.WithGospublikiStorage(func(tenant string) ([]gpmock.Option, error) {
			ctx, cancel := context.WithTimeout(context.Background(), pgTimeout)
			defer cancel()
			st, err := gppg.Open(ctx, pool, tenant, gppg.WithLogger(logger))
			if err != nil {
				return nil, err
			}
			return []gpmock.Option{gpmock.WithPostStore(st), gpmock.WithStateStore(st)}, nil
		}))
		logger.Info("gosmock: the Gospubliki cabinet keeps its state in PostgreSQL", "schema_version", gppg.SchemaVersion())
	}
	key, err := credentialKey(*keyFile, os.Getenv(gpmock.CredentialKeyEnv))
	if err != nil {
		fmt.Fprintln(stderr, "gosmock:", err)
		return 2
	}
	if key != nil {
		opts = append(opts, mock.WithGospublikiOptions(gpmock.WithCredentialKey(key)))
	} else {
		logger.Info("gosmock: the cabinet encrypts page credentials under the public sandbox-only key; set " +
			gpmock.CredentialKeyEnv + " or -credential-key-file for credentials that matter")
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
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if *stdinEOF {
		go func() {
			_, _ = io.Copy(io.Discard, stdin)
			cancel(errors.New("standard input closed"))
		}()
	}
	if *withParent {
		go watchParent(ctx, cancel)
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", line); err != nil {
		_ = sb.Close()
		return 1
	}
	logger.Info("gosmock: ready", "control", sb.ControlURL, "inspector", sb.InspectorURL())
	<-ctx.Done()
	logger.Info("gosmock: shutting down", "reason", context.Cause(ctx))
	if err := sb.Close(); err != nil {
		logger.Error("gosmock: close", "error", err)
		return 1
	}
	return 0
}
