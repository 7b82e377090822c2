package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/internal/pgtest"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/world"
)

type manifest struct {
	Telegram    string `json:"telegram"`
	OK          string `json:"ok"`
	VK          string `json:"vk"`
	POS         string `json:"pos"`
	Gospubliki  string `json:"gospubliki"`
	Control     string `json:"control"`
	Credentials struct {
		OK         mock.OKCredentials         `json:"ok"`
		VK         mock.VKCredentials         `json:"vk"`
		POS        mock.POSCredentials        `json:"pos"`
		Gospubliki mock.GospublikiCredentials `json:"gospubliki"`
		Telegram   struct {
			BotToken        string `json:"bot_token"`
			ChannelID       int64  `json:"channel_id"`
			ChannelUsername string `json:"channel_username"`
			GroupID         int64  `json:"group_id"`
		} `json:"telegram"`
	} `json:"credentials"`
}

var (
	buildOnce sync.Once
	binPath   string
	binErr    error
)

// TestMain removes the binary built for the tests and stops the
// PostgreSQL server of the tests that use one.
func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	if binPath != "" {
		_ = os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// buildBinary builds gosmock once for every test that runs it.
func buildBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gosmock-test")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "gosmock")
		build := exec.Command("go", "build", "-o", binPath, ".")
		build.Stderr = os.Stderr
		binErr = build.Run()
	})
	require.NoError(t, binErr)
	return binPath
}

// startBinary builds gosmock, runs it and returns the first stdout line.
func startBinary(t *testing.T, args ...string) (*exec.Cmd, manifest, *strings.Builder, io.Reader) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	cmd := exec.Command(buildBinary(t), args...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &strings.Builder{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	br := bufio.NewReader(stdout)
	lineCh := make(chan string, 1)
	go func() {
		line, _ := br.ReadString('\n')
		lineCh <- line
	}()
	var line string
	select {
	case line = <-lineCh:
	case <-time.After(30 * time.Second):
		t.Fatalf("no manifest line; stderr: %s", stderr.String())
	}
	var m manifest
	require.NoError(t, json.Unmarshal([]byte(line), &m), line)
	return cmd, m, stderr, br
}

func TestBinaryPrintsOneLineServesAndStopsOnSIGTERM(t *testing.T) {
	cmd, m, stderr, rest := startBinary(t)
	require.True(t, strings.HasPrefix(m.Telegram, "http://127.0.0.1:"), m.Telegram)
	require.True(t, strings.HasPrefix(m.Control, "http://127.0.0.1:"), m.Control)
	assert.Equal(t, world.DefaultChannelID, m.Credentials.Telegram.ChannelID)
	assert.Equal(t, "@minsvyaz29", m.Credentials.Telegram.ChannelUsername)
	assert.Equal(t, world.DefaultGroupID, m.Credentials.Telegram.GroupID)

	// The vk party: its URL and credentials, no special case.
	require.True(t, strings.HasPrefix(m.VK, "http://127.0.0.1:"), m.VK)
	assert.Equal(t, world.DefaultVKGroupID, m.Credentials.VK.GroupID)
	vr, err := http.Get(m.VK + "/method/groups.getById?v=5.199&group_id=200000001&access_token=" + m.Credentials.VK.CommunityToken)
	require.NoError(t, err)
	vb, _ := io.ReadAll(vr.Body)
	vr.Body.Close()
	assert.Contains(t, string(vb), `"screen_name":"minsvyaz29"`)
	assert.NotEmpty(t, m.Credentials.VK.UserToken)
	assert.NotEmpty(t, m.Credentials.VK.ServiceToken)

	// The pos party: its URL and the appeals-API system, no special case.
	require.True(t, strings.HasPrefix(m.POS, "http://127.0.0.1:"), m.POS)
	assert.Equal(t, m.POS+"/oauth/token", m.Credentials.POS.TokenURL)
	pr, err := http.Get(m.POS + "/form/?opaId=900001")
	require.NoError(t, err)
	pb, _ := io.ReadAll(pr.Body)
	pr.Body.Close()
	assert.Contains(t, string(pb), `data-state="form"`)

	// The gospubliki party: its URL and a login of each role.
	require.True(t, strings.HasPrefix(m.Gospubliki, "http://127.0.0.1:"), m.Gospubliki)
	gp := m.Credentials.Gospubliki
	assert.Equal(t, m.Gospubliki, gp.URL)
	for _, l := range []mock.GospublikiLogin{gp.LKOAdmin, gp.Editor, gp.Moderator} {
		lr, err := http.Post(gp.URL+"/api/v1/auth/login", "application/json",
			strings.NewReader(`{"phone":"`+l.Phone+`","password":"`+l.Password+`"}`))
		require.NoError(t, err)
		lb, _ := io.ReadAll(lr.Body)
		lr.Body.Close()
		assert.Equal(t, http.StatusOK, lr.StatusCode, string(lb))
	}

	resp, err := http.Get(m.Telegram + "/bot" + m.Credentials.Telegram.BotToken + "/getMe")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(body), `"ok":true`)
	// OK: the application key, an admin's token and the group, signed as
	// OK signs.
	okc := m.Credentials.OK
	require.True(t, strings.HasPrefix(m.OK, "http://127.0.0.1:"), m.OK)
	assert.Equal(t, okmock.DefaultGroupID, okc.GroupID)
	v := url.Values{"application_key": {okc.ApplicationKey}, "access_token": {okc.AccessToken},
		"uids": {strconv.FormatInt(okc.GroupID, 10)}, "fields": {"name,access_type"}, "format": {"json"}}
	v.Set("sig", okmock.Signature(v, okc.SessionSecret))
	resp, err = http.Get(m.OK + "/api/group/getInfo?" + v.Encode())
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), `"access_type":"OPEN"`)

	resp, err = http.Get(m.Control + "/_mock/health")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err, "clean exit; stderr: %s", stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("gosmock did not stop on SIGTERM")
	}
	more, _ := io.ReadAll(rest)
	assert.Empty(t, string(more), "exactly one line on stdout")
	assert.NotContains(t, stderr.String(), m.Credentials.Telegram.BotToken, "no secrets in logs")
}

func TestBinaryScenarioFlag(t *testing.T) {
	sc := world.DefaultScenario()
	sc.Pages = sc.Pages[:1]
	data, err := json.Marshal(sc)
	require.NoError(t, err)
	fn := filepath.Join(t.TempDir(), "sc.json")
	require.NoError(t, os.WriteFile(fn, data, 0o600))
	cmd, m, _, _ := startBinary(t, "-scenario", fn)
	assert.Zero(t, m.Credentials.Telegram.GroupID)
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	require.NoError(t, cmd.Wait())
}

func TestRunRejectsBadScenario(t *testing.T) {
	var out, errb strings.Builder
	code := run([]string{"-scenario", filepath.Join(t.TempDir(), "missing.json")}, strings.NewReader(""), &out, &errb)
	assert.Equal(t, 1, code)
	assert.Empty(t, out.String())
	assert.Contains(t, errb.String(), "scenario")
	assert.Equal(t, 2, run([]string{"-nope"}, strings.NewReader(""), &out, &errb))
}

// TestDefaultScenarioFile keeps scenarios/default.json, the documented
// starting point for -scenario files, equal to mock.DefaultScenario.
// Regenerate it with GOSDK_UPDATE=1 go test ./cmd/gosmock/.
func TestDefaultScenarioFile(t *testing.T) {
	fn := filepath.Join("scenarios", "default.json")
	want, err := json.MarshalIndent(mock.DefaultScenario(), "", "  ")
	require.NoError(t, err)
	want = append(want, '\n')
	if os.Getenv("GOSDK_UPDATE") == "1" {
		require.NoError(t, os.WriteFile(fn, want, 0o644))
	}
	got, err := os.ReadFile(fn)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "run GOSDK_UPDATE=1 go test ./cmd/gosmock/ to regenerate")
	sc, err := world.ParseScenario(got)
	require.NoError(t, err)
	require.NoError(t, sc.Validate())
	// A sandbox seeded from the file exports it unchanged, sections included.
	sb := mock.Start(t, mock.WithScenarioFile(fn))
	exported, err := json.MarshalIndent(sb.World.Export(), "", "  ")
	require.NoError(t, err)
	assert.Equal(t, string(want), string(exported)+"\n")
	// So does a sandbox with the default world.
	exported, err = json.MarshalIndent(mock.Start(t).World.Export(), "", "  ")
	require.NoError(t, err)
	assert.Equal(t, string(want), string(exported)+"\n")
}

func TestExitsOnStdinEOFAndLeavesOutPartiesWithoutCredentials(t *testing.T) {
	sc := world.DefaultScenario()
	data, err := json.Marshal(sc)
	require.NoError(t, err)
	fn := filepath.Join(t.TempDir(), "nobot.json")
	require.NoError(t, os.WriteFile(fn, data, 0o600))
	var out, errb strings.Builder
	// Standard input is already at EOF: the server prints its line and stops.
	code := run([]string{"-exit-on-stdin-eof", "-exit-with-parent=false", "-addr", "0.0.0.0", "-scenario", fn}, strings.NewReader(""), &out, &errb)
	require.Equal(t, 0, code, errb.String())
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(out.String()), &m), out.String())
	creds := m["credentials"].(map[string]any)
	assert.NotContains(t, creds, "telegram", "no bot, no Telegram credentials")
	assert.NotContains(t, creds, "ok", "no OK application, no OK credentials")
	assert.Contains(t, creds, "esia")
	for _, k := range []string{"telegram", "esia", "control"} {
		u := m[k].(string)
		assert.NotContains(t, u, "[::]", k)
		assert.NotContains(t, u, "0.0.0.0", k)
	}
	assert.Contains(t, errb.String(), "standard input closed")
}

func TestFixedPorts(t *testing.T) {
	_, err := parsePorts("telegram=x")
	assert.Error(t, err)
	_, err = parsePorts("telegram")
	assert.Error(t, err)
	ports, err := parsePorts("telegram=18081, control=18080")
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"telegram": 18081, "control": 18080}, ports)
	var out, errb strings.Builder
	assert.Equal(t, 1, run([]string{"-ports", "nope=1"}, strings.NewReader(""), &out, &errb))
	assert.Contains(t, errb.String(), "unknown party")
}

func TestExitsWhenParentDies(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	// A shell starts gosmock in the background and then waits; killing
	// the shell leaves gosmock without its parent.
	sh := exec.Command("sh", "-c", `"$0" & exec sleep 60`, bin)
	stdout, err := sh.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, sh.Start())
	t.Cleanup(func() { _ = sh.Process.Kill(); _ = sh.Wait() })
	br := bufio.NewReader(stdout)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	var m manifest
	require.NoError(t, json.Unmarshal([]byte(line), &m), line)
	resp, err := http.Get(m.Control + "/_mock/health")
	require.NoError(t, err)
	resp.Body.Close()
	// Once the shell (exec'd into sleep) is killed, gosmock holds the only
	// write end of the stdout pipe: end of file on it is gosmock exiting.
	exited := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, br)
		exited <- err
	}()
	require.NoError(t, sh.Process.Kill())
	select {
	case err := <-exited:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("gosmock still running after its parent died")
	}
	_ = sh.Wait()
	_, err = http.Get(m.Control + "/_mock/health")
	require.Error(t, err, "gosmock stopped serving")
}

// TestCredentialKey: the cabinet's key comes from the file, else the
// environment, else the sandbox-only key (nil); a malformed key is refused
// without being repeated.
func TestCredentialKey(t *testing.T) {
	hexKey := strings.Repeat("ab", 32)
	k, err := credentialKey("", hexKey)
	require.NoError(t, err)
	require.Len(t, k, 32)
	fn := filepath.Join(t.TempDir(), "key.txt")
	require.NoError(t, os.WriteFile(fn, []byte(strings.Repeat("cd", 32)+"\n"), 0o600))
	k, err = credentialKey(fn, hexKey)
	require.NoError(t, err)
	require.Equal(t, byte(0xcd), k[0])
	k, err = credentialKey("", "")
	require.NoError(t, err)
	require.Nil(t, k)
	_, err = credentialKey("", "not-a-key-secret")
	require.Error(t, err)
	require.NotContains(t, err.Error(), "not-a-key-secret")
	var out, errb strings.Builder
	require.Equal(t, 2, run([]string{"-credential-key-file", filepath.Join(t.TempDir(), "missing")}, strings.NewReader(""), &out, &errb))
	require.Contains(t, errb.String(), "credential-key-file")
}
