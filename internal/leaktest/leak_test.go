package leaktest_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/pos"
	"github.com/gospubliki/gosdk/telegram"
	"github.com/gospubliki/gosdk/vk"
)

// Secrets planted in the clients, the requests and the servers' answers.
const (
	accessToken   = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.AccessSIGNATUREsecretPart0123456789"
	accessSig     = "AccessSIGNATUREsecretPart0123456789"
	refreshToken  = "refresh-3f1c9a7e-SECRET-b2d4"
	authCode      = "code-9d8e7f6a-SECRET-0b1c"
	codeVerifier  = "verifier-SECRET-dBjftJeZ4CVP-mB92K27uhbUJU1p1r"
	commandPIN    = "pin-SECRET-7731"
	botTokenID    = "123456789"
	botSecretPart = "MOCKAAbbCCddEEffGGhhIIjjKKllMMnnOOpp"
	botToken      = botTokenID + ":" + botSecretPart
	// A VK token: the "vk1.a." prefix is public, the rest is the secret.
	vkSecretPart   = "SECRETvkTokenBody-0123456789abcdefABCDEF_xyzXYZ"
	vkToken        = "vk1.a." + vkSecretPart
	callbackSecret = "cbSECRET-5e6f7a8b"
)

// secrets collects every value that must never be printed; texts are
// checked against each.
type secrets struct {
	mu     sync.Mutex
	values map[string]string // value -> what it is
}

func newSecrets() *secrets {
	s := &secrets{values: map[string]string{}}
	for v, what := range map[string]string{
		accessToken: "access token", accessSig: "access token signature", refreshToken: "refresh token",
		authCode: "authorization code", codeVerifier: "PKCE verifier", commandPIN: "signer PIN",
		botToken: "bot token", botSecretPart: "bot token secret part",
		vkToken: "VK token", vkSecretPart: "VK token secret part", callbackSecret: "VK callback secret",
	} {
		s.add(v, what)
	}
	return s
}

func (s *secrets) add(v, what string) {
	if len(v) < 6 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values[v] = what
}

// addKey adds the forms a private scalar may take in a printout.
func (s *secrets) addKey(d *big.Int, what string) {
	s.add(d.String(), what+" (decimal)")
	s.add(d.Text(16), what+" (hex)")
	s.add(strings.ToUpper(d.Text(16)), what+" (HEX)")
	s.add(base64.StdEncoding.EncodeToString(d.Bytes()), what+" (base64)")
}

// leaks returns what secrets text contains.
func (s *secrets) leaks(text string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var found []string
	for v, what := range s.values {
		if strings.Contains(text, v) {
			found = append(found, what)
		}
	}
	return found
}

// check fails t when text contains a secret.
func (s *secrets) check(t *testing.T, where, text string) {
	t.Helper()
	for _, what := range s.leaks(text) {
		t.Errorf("%s: %s leaked in %q", where, what, text)
	}
}

// logSink captures a client's slog output at debug level through both
// handlers.
type logSink struct {
	mu         sync.Mutex
	text, json bytes.Buffer
}

func (l *logSink) logger() *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	return slog.New(fanout{slog.NewTextHandler(lockedWriter{l, &l.text}, opts), slog.NewJSONHandler(lockedWriter{l, &l.json}, opts)})
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.text.String() + l.json.String()
}

type lockedWriter struct {
	l *logSink
	b *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.l.mu.Lock()
	defer w.l.mu.Unlock()
	return w.b.Write(p)
}

// fanout sends each record to several handlers.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool { return f[0].Enabled(ctx, l) }
func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range f {
		if err := h.Handle(ctx, r.Clone()); err != nil {
			return err
		}
	}
	return nil
}
func (f fanout) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(as)
	}
	return out
}
func (f fanout) WithGroup(name string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(name)
	}
	return out
}

// printouts formats v in every way a program may print it: the fmt verbs,
// nested in a struct, and slog's text and JSON handlers (as an attribute
// and nested).
func printouts(v any) map[string]string {
	out := map[string]string{}
	type holder struct {
		Field any
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		out[verb] = fmt.Sprintf(verb, v)
		out[verb+" nested"] = fmt.Sprintf(verb, holder{v})
	}
	for name, arg := range map[string]any{"slog": v, "slog nested": holder{v}} {
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("print", "value", arg)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("print", "value", arg)
		out[name+" text"] = text.String()
		out[name+" json"] = js.String()
	}
	return out
}

// gostKeyAndCert makes a fresh GOST key with a self-signed certificate.
func gostKeyAndCert(t *testing.T) (*gost.PrivateKey, *gost.Certificate) {
	t.Helper()
	key, err := gost.GenerateKey(rand.Reader, gost.CurveTC26256A())
	require.NoError(t, err)
	der, err := gost.CreateCertificate(rand.Reader, &gost.CertificateTemplate{
		Subject:   pkix.Name{CommonName: "leaktest IS"},
		NotBefore: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:  time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
	}, &key.PublicKey, nil, key)
	require.NoError(t, err)
	cert, err := gost.ParseCertificate(der)
	require.NoError(t, err)
	return key, cert
}

// rsaKeyAndCert loads the RSA test key of the esia package (generating one
// would cost the test a second).
func rsaKeyAndCert(t *testing.T) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", "esia", "testdata", name))
		require.NoError(t, err)
		blk, _ := pem.Decode(b)
		require.NotNil(t, blk)
		return blk.Bytes
	}
	k, err := x509.ParsePKCS8PrivateKey(read("rsa_is_key.pem"))
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(read("rsa_is_cert.pem"))
	require.NoError(t, err)
	return k.(*rsa.PrivateKey), cert
}

// fixture holds the signers and their secrets.
type fixture struct {
	sec     *secrets
	gostKey *gost.PrivateKey
	gostSig *esia.GOSTSigner
	rsaSig  *esia.RSASigner
	sslSig  *esia.OpenSSLSigner
	cmdSig  *esia.CommandSigner
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{sec: newSecrets()}
	key, cert := gostKeyAndCert(t)
	f.gostKey = key
	f.sec.addKey(key.D, "GOST private key")
	f.sec.add(hex.EncodeToString(key.Bytes()), "GOST private key bytes")
	keyPEM, err := gost.EncodePrivateKeyPEM(key)
	require.NoError(t, err)
	for _, line := range strings.Split(string(keyPEM), "\n") {
		if !strings.HasPrefix(line, "-----") {
			f.sec.add(line, "GOST private key PEM")
		}
	}
	f.gostSig, err = esia.NewGOSTSigner(key, cert)
	require.NoError(t, err)

	rk, rc := rsaKeyAndCert(t)
	f.sec.addKey(rk.D, "RSA private exponent")
	for _, p := range rk.Primes {
		f.sec.addKey(p, "RSA prime")
	}
	f.rsaSig, err = esia.NewRSASigner(rk, rc)
	require.NoError(t, err)

	dir := t.TempDir()
	certFile := filepath.Join(dir, "cert.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600))
	keyFile := filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(keyFile, keyPEM, 0o600))
	f.sslSig, err = esia.NewOpenSSLSigner("openssl", keyFile, certFile)
	require.NoError(t, err)

	f.cmdSig = esia.NewCommandSigner("/opt/cprocsp/bin/amd64/csptest", "-keyset", "-sign", "GOST12_256",
		"-cont", `\\.\HDIMAGE\is`, "-password", commandPIN, "-in", esia.PlaceholderIn, "-out", esia.PlaceholderOut)
	f.cmdSig.Env = []string{"CSP_PIN=" + commandPIN}
	f.cmdSig.Cert = cert.Raw
	return f
}

func (f *fixture) esiaConfig(baseURL string) esia.Config {
	return esia.Config{
		BaseURL: baseURL, ClientID: "LEAKTEST01", RedirectURL: "https://is.example/cb",
		Scopes: []string{"openid", "fullname"}, Signer: f.gostSig,
	}
}

// esiaClient builds the ESIA client the error paths run on: debug logging
// into sink, one quick retry.
func (f *fixture) esiaClient(t *testing.T, baseURL string, hc *http.Client, sink *logSink) *esia.Client {
	t.Helper()
	opts := []core.Option{core.WithLogger(sink.logger()), core.WithRetry(1, time.Millisecond, time.Millisecond)}
	if hc != nil {
		opts = append(opts, core.WithHTTPClient(hc))
	}
	c, err := esia.New(f.esiaConfig(baseURL), opts...)
	require.NoError(t, err)
	return c
}

// telegramClient builds the Telegram client the error paths run on.
func telegramClient(t *testing.T, baseURL string, hc *http.Client, sink *logSink) *telegram.Client {
	t.Helper()
	opts := []core.Option{
		core.WithBaseURL(baseURL), core.WithLogger(sink.logger()),
		core.WithRetry(1, time.Millisecond, time.Millisecond), telegram.WithoutRateLimits(),
	}
	if hc != nil {
		opts = append(opts, core.WithHTTPClient(hc))
	}
	c, err := telegram.New(botToken, opts...)
	require.NoError(t, err)
	return c
}

func TestPrintoutsHoldNoSecret(t *testing.T) {
	f := newFixture(t)
	c, err := esia.New(f.esiaConfig("https://esia.invalid"))
	require.NoError(t, err)
	cmdCfg := f.esiaConfig("https://esia.invalid")
	cmdCfg.Signer = f.cmdSig
	expired := &oauth2.Token{AccessToken: accessToken, RefreshToken: refreshToken, Expiry: time.Unix(1, 0)}
	values := map[string]any{
		"*gost.PrivateKey":      f.gostKey,
		"gost.PrivateKey":       *f.gostKey,
		"*esia.GOSTSigner":      f.gostSig,
		"esia.GOSTSigner":       *f.gostSig,
		"*esia.RSASigner":       f.rsaSig,
		"*esia.OpenSSLSigner":   f.sslSig,
		"*esia.CommandSigner":   f.cmdSig,
		"esia.CommandSigner":    *f.cmdSig,
		"esia.Config":           f.esiaConfig("https://esia.invalid"),
		"esia.Config (command)": cmdCfg,
		"*esia.Config":          &cmdCfg,
		"*esia.Client":          c,
		"esia.Client.Config()":  c.Config(),
		"esia token source":     c.TokenSource(t.Context(), expired),
		"esia system source":    c.SystemTokenSource(t.Context()),
	}
	for name, v := range values {
		for how, text := range printouts(v) {
			f.sec.check(t, name+" "+how, text)
		}
	}

	t.Run("telegram.Client", func(t *testing.T) {
		tc, err := telegram.New(botToken)
		require.NoError(t, err)
		_, formatter := any(tc).(fmt.Formatter)
		_, stringer := any(tc).(fmt.Stringer)
		require.True(t, formatter || stringer, "telegram.Client must control how it prints")
		for how, text := range printouts(tc) {
			f.sec.check(t, "*telegram.Client "+how, text)
		}
	})
}

// vkClient builds a VK client the error paths run on; param sends the token
// as the access_token form parameter instead of the Authorization header.
func vkClient(t *testing.T, kind vk.TokenKind, baseURL string, hc *http.Client, sink *logSink, param bool) *vk.Client {
	t.Helper()
	opts := []core.Option{
		core.WithBaseURL(baseURL), core.WithLogger(sink.logger()),
		core.WithRetry(1, time.Millisecond, time.Millisecond), core.WithRateLimitRetry(0, 0),
		core.WithLimiter(core.NoLimit{}),
	}
	if param {
		opts = append(opts, vk.WithAccessTokenParam())
	}
	if hc != nil {
		opts = append(opts, core.WithHTTPClient(hc))
	}
	c, err := vk.New(vkToken, kind, opts...)
	require.NoError(t, err)
	return c
}

func TestVKPrintoutsHoldNoSecret(t *testing.T) {
	sec := newSecrets()
	var sink logSink
	values := map[string]any{}
	for _, kind := range []vk.TokenKind{vk.UserToken, vk.CommunityToken, vk.ServiceToken} {
		for _, param := range []bool{false, true} {
			c := vkClient(t, kind, "https://api.vk.invalid", nil, &sink, param)
			name := fmt.Sprintf("*vk.Client %v param=%v", kind, param)
			values[name] = c
			values[name+" String()"] = c.String()
			values[name+" Fingerprint()"] = c.Fingerprint()
		}
	}
	dflt, err := vk.New(vkToken, vk.UserToken)
	require.NoError(t, err)
	values["*vk.Client defaults"] = dflt
	// An error VK returned, echoing the token in its message and
	// request_params, and the token-kind error made before the network.
	_, err = vkClient(t, vk.CommunityToken, "https://api.vk.invalid", nil, &sink, false).
		WallPost(t.Context(), vk.WallPostRequest{OwnerID: -1, Message: "x"})
	require.ErrorIs(t, err, vk.ErrWrongTokenKind)
	values["*vk.TokenKindError"] = err
	for name, v := range values {
		for how, text := range printouts(v) {
			sec.check(t, name+" "+how, text)
		}
	}
	sec.check(t, "logs", sink.String())
}

func TestVKErrorPathsLeakNothing(t *testing.T) {
	f := &fixture{sec: newSecrets()} // no signer keys: VK needs none
	apiStatus := func(err error) (int, bool) {
		var e *vk.Error
		if errors.As(err, &e) {
			return e.Code, true
		}
		return 0, false
	}
	list := scenarios()
	for i := range list {
		sc := &list[i]
		switch sc.name {
		case "5xx echoing the request":
			// VK's API answers 200; a 5xx comes from a proxy and is no
			// *vk.Error.
			sc.expect = func(t *testing.T, call string, err error, _ func(error) (int, bool)) {
				require.Contains(t, err.Error(), "HTTP 502", call)
			}
		case "API error echoing the token":
			// VK's error shape: HTTP 200, error_msg quoting the token and
			// request_params echoing every parameter.
			sc.expect = expectStatus(5)
			sc.handler = func(_ *testing.T, sec *secrets) http.Handler {
				return echoAll(sec, http.StatusOK, func(e string) string {
					params := `{"key":"method","value":"x"},{"key":"access_token","value":` + jsonString(vkToken) + `}`
					for _, w := range strings.Fields(e) {
						params += `,{"key":"echo","value":` + jsonString(w) + `}`
					}
					return `{"error":{"error_code":5,"error_msg":` + jsonString("User authorization failed: invalid access_token ("+e+").") +
						`,"request_params":[` + params + `]}}`
				})
			}
		}
	}
	for _, param := range []bool{false, true} {
		t.Run(fmt.Sprintf("token as parameter=%v", param), func(t *testing.T) {
			runScenarioList(t, f, list, func(t *testing.T, base string, hc *http.Client, sink *logSink) map[string]callFunc {
				user := vkClient(t, vk.UserToken, base, hc, sink, param)
				community := vkClient(t, vk.CommunityToken, base, hc, sink, param)
				return map[string]callFunc{
					"GetGroup": func(ctx context.Context) error { _, err := community.GetGroup(ctx, 1); return err },
					"WallPost": func(ctx context.Context) error {
						_, err := user.WallPost(ctx, vk.WallPostRequest{OwnerID: -1, FromGroup: true, Message: "Новость", Key: "leak-1"})
						return err
					},
					"GroupsAddCallbackServer": func(ctx context.Context) error {
						_, err := community.GroupsAddCallbackServer(ctx, 1, "https://is.example/vk", "gosdk", callbackSecret)
						return err
					},
					"Call": func(ctx context.Context) error {
						return user.Call(ctx, "users.get", url.Values{"user_ids": {"1"}}, nil)
					},
				}
			}, apiStatus)
		})
	}
}

// scenario is one way a call can fail.
type scenario struct {
	name string
	// setup returns the base URL and the HTTP client to use (nil: the
	// client's default).
	setup func(t *testing.T, h http.Handler) (string, *http.Client)
	// handler answers the calls; nil for scenarios that never reach a
	// server.
	handler func(t *testing.T, sec *secrets) http.Handler
	// ctx returns the context of each call.
	ctx func(t *testing.T) (context.Context, context.CancelFunc)
	// expect checks that err is the failure the scenario provokes;
	// apiStatus extracts the HTTP status of the party's API error type.
	expect func(t *testing.T, call string, err error, apiStatus func(error) (int, bool))
}

func expectIs(target error) func(*testing.T, string, error, func(error) (int, bool)) {
	return func(t *testing.T, call string, err error, _ func(error) (int, bool)) {
		t.Helper()
		require.ErrorIs(t, err, target, call)
	}
}

func expectAs[E error]() func(*testing.T, string, error, func(error) (int, bool)) {
	return func(t *testing.T, call string, err error, _ func(error) (int, bool)) {
		t.Helper()
		var e E
		require.ErrorAs(t, err, &e, call)
	}
}

func expectStatus(status int) func(*testing.T, string, error, func(error) (int, bool)) {
	return func(t *testing.T, call string, err error, apiStatus func(error) (int, bool)) {
		t.Helper()
		got, ok := apiStatus(err)
		require.True(t, ok, "%s: %v is not the party's API error", call, err)
		require.Equal(t, status, got, call)
	}
}

func background(t *testing.T) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}

func plainServer(t *testing.T, h http.Handler) (string, *http.Client) {
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv.URL, nil
}

// hangingHandler never answers until the test ends.
func hangingHandler(t *testing.T) http.Handler {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // lets the server notice the client going away
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
}

// echoAll answers with the secrets a request carried, in the given status
// and shape: the worst a server (or a proxy) can do.
func echoAll(sec *secrets, status int, shape func(echo string) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		var echo []string
		for k, vs := range r.Form {
			for _, v := range vs {
				if k == "client_secret" {
					sec.add(v, "client_secret")
				}
				echo = append(echo, k+"="+v)
			}
		}
		if a := r.Header.Get("Authorization"); a != "" {
			echo = append(echo, a)
		}
		echo = append(echo, "path "+r.URL.Path)
		// The parts a server may quote alone: a bearer token without its
		// scheme, the secret part of a bot token, a JWT's signature.
		for _, e := range slices.Clone(echo) {
			for _, sep := range []string{"Bearer ", ":", "."} {
				if i := strings.LastIndex(e, sep); i >= 0 {
					part, _, _ := strings.Cut(e[i+len(sep):], "/")
					echo = append(echo, "part "+part)
				}
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, shape(strings.Join(echo, " ")))
	})
}

func jsonString(s string) string { return fmt.Sprintf("%q", s) }

// manualDeadline is a context whose deadline passes when expire is called
// (or after a safety delay): a timeout without waiting for one.
type manualDeadline struct {
	context.Context
	done chan struct{}
	once sync.Once
	stop func() bool
}

func (m *manualDeadline) Deadline() (time.Time, bool) { return time.Now().Add(time.Hour), true }
func (m *manualDeadline) Done() <-chan struct{}       { return m.done }
func (m *manualDeadline) Err() error {
	select {
	case <-m.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}
func (m *manualDeadline) expire() { m.once.Do(func() { close(m.done) }) }

// deadlineSource hands out the manual deadline of the current call, which
// the hanging server expires on arrival. Calls run one at a time.
type deadlineSource struct {
	mu  sync.Mutex
	cur *manualDeadline
}

var deadlines deadlineSource

func (d *deadlineSource) next(t *testing.T) (context.Context, context.CancelFunc) {
	m := &manualDeadline{Context: t.Context(), done: make(chan struct{})}
	m.stop = time.AfterFunc(5*time.Second, m.expire).Stop // a call that never reaches the server
	d.mu.Lock()
	d.cur = m
	d.mu.Unlock()
	return m, func() { m.stop(); m.expire() }
}

func (d *deadlineSource) expire() {
	d.mu.Lock()
	m := d.cur
	d.mu.Unlock()
	if m != nil {
		m.expire()
	}
}

func scenarios() []scenario {
	refused := func(t *testing.T, _ http.Handler) (string, *http.Client) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		require.NoError(t, l.Close())
		return "http://" + addr, nil
	}
	return []scenario{
		{name: "DNS failure", ctx: background, expect: expectAs[*net.DNSError](),
			setup: func(t *testing.T, _ http.Handler) (string, *http.Client) { return "https://api.leaktest.invalid", nil }},
		{name: "connection refused", ctx: background, setup: refused, expect: expectIs(syscall.ECONNREFUSED)},
		{name: "timeout", setup: plainServer, expect: expectIs(context.DeadlineExceeded),
			// The deadline passes when the request reaches the server that
			// never answers: no wall-clock wait.
			handler: func(t *testing.T, _ *secrets) http.Handler {
				h := hangingHandler(t)
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					deadlines.expire()
					h.ServeHTTP(w, r)
				})
			},
			ctx: func(t *testing.T) (context.Context, context.CancelFunc) { return deadlines.next(t) }},
		{name: "TLS failure", ctx: background, expect: expectAs[*tls.CertificateVerificationError](),
			setup: func(t *testing.T, h http.Handler) (string, *http.Client) {
				srv := httptest.NewUnstartedServer(h)
				srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failures are the point
				srv.StartTLS()
				t.Cleanup(srv.Close)
				return srv.URL, nil // the default client does not trust the test certificate
			},
			handler: func(_ *testing.T, sec *secrets) http.Handler {
				return echoAll(sec, 200, func(e string) string { return e })
			}},
		{name: "5xx echoing the request", ctx: background, setup: plainServer, expect: expectStatus(http.StatusBadGateway),
			handler: func(_ *testing.T, sec *secrets) http.Handler {
				return echoAll(sec, http.StatusBadGateway, func(e string) string { return "<html>" + e + "</html>" })
			}},
		{name: "invalid JSON echoing the request", ctx: background, setup: plainServer,
			expect: func(t *testing.T, call string, err error, _ func(error) (int, bool)) {
				require.Regexp(t, "malformed|JSON", err.Error(), call)
			},
			handler: func(_ *testing.T, sec *secrets) http.Handler {
				return echoAll(sec, http.StatusOK, func(e string) string { return `{"ok":true,"access_token":` + jsonString(e) + `,` })
			}},
		{name: "cancelled context", setup: plainServer, expect: expectIs(context.Canceled),
			handler: func(_ *testing.T, sec *secrets) http.Handler {
				return echoAll(sec, 200, func(e string) string { return e })
			},
			ctx: func(t *testing.T) (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(t.Context())
				cancel()
				return ctx, cancel
			}},
		{name: "API error echoing the token", ctx: background, setup: plainServer, expect: expectStatus(http.StatusBadRequest),
			handler: func(_ *testing.T, sec *secrets) http.Handler {
				return echoAll(sec, http.StatusBadRequest, func(e string) string {
					// Every shape the two parties use for an error.
					return `{"ok":false,"error_code":400,"description":` + jsonString("Bad Request: "+e) +
						`,"error":"invalid_grant","error_description":` + jsonString("ESIA-007011: "+e) +
						`,"code":"ESIA-005011","message":` + jsonString(e) + `}`
				})
			}},
	}
}

// errorTexts returns the ways a program prints an error.
func errorTexts(err error) []string {
	return []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
}

// callFunc makes one client call with ctx.
type callFunc func(ctx context.Context) error

// runScenarios provokes every scenario on the calls a client makes and
// checks errors and logs for secrets.
func runScenarios(t *testing.T, f *fixture, newCalls func(t *testing.T, base string, hc *http.Client, sink *logSink) map[string]callFunc,
	apiStatus func(error) (int, bool)) {
	runScenarioList(t, f, scenarios(), newCalls, apiStatus)
}

// runScenarioList is runScenarios over a party's own list.
func runScenarioList(t *testing.T, f *fixture, list []scenario, newCalls func(t *testing.T, base string, hc *http.Client, sink *logSink) map[string]callFunc,
	apiStatus func(error) (int, bool)) {
	for _, sc := range list {
		t.Run(sc.name, func(t *testing.T) {
			var h http.Handler = http.NotFoundHandler()
			if sc.handler != nil {
				h = sc.handler(t, f.sec)
			}
			base, hc := sc.setup(t, h)
			var sink logSink
			for name, call := range newCalls(t, base, hc, &sink) {
				ctx, cancel := sc.ctx(t)
				err := call(ctx)
				cancel()
				require.Error(t, err, name)
				sc.expect(t, name, err, apiStatus)
				for _, text := range errorTexts(err) {
					f.sec.check(t, name+" error", text)
				}
				sink.logger().Error("call failed", "err", err)
			}
			logs := sink.String()
			require.Contains(t, logs, "call failed")
			f.sec.check(t, "logs", logs)
		})
	}
}

func TestESIAErrorPathsLeakNothing(t *testing.T) {
	f := newFixture(t)
	apiStatus := func(err error) (int, bool) {
		var e *esia.Error
		if errors.As(err, &e) {
			return e.Status, true
		}
		return 0, false
	}
	runScenarios(t, f, func(t *testing.T, base string, hc *http.Client, sink *logSink) map[string]callFunc {
		c := f.esiaClient(t, base, hc, sink)
		static := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: accessToken})
		expired := &oauth2.Token{AccessToken: accessToken, RefreshToken: refreshToken, Expiry: time.Unix(1, 0)}
		return map[string]callFunc{
			"Exchange": func(ctx context.Context) error {
				_, err := c.Exchange(ctx, authCode, oauth2.VerifierOption(codeVerifier))
				return err
			},
			"Refresh":     func(ctx context.Context) error { _, err := c.Refresh(ctx, refreshToken); return err },
			"SystemToken": func(ctx context.Context) error { _, err := c.SystemToken(ctx); return err },
			"Person":      func(ctx context.Context) error { _, err := c.Person(ctx, static, 1000328686); return err },
			"Roles through a refreshing token source": func(ctx context.Context) error {
				_, err := c.Roles(ctx, c.TokenSource(ctx, expired), 1000328686)
				return err
			},
		}
	}, apiStatus)
}

func TestTelegramErrorPathsLeakNothing(t *testing.T) {
	f := newFixture(t)
	apiStatus := func(err error) (int, bool) {
		var e *telegram.Error
		if errors.As(err, &e) {
			return e.Code, true
		}
		return 0, false
	}
	runScenarios(t, f, func(t *testing.T, base string, hc *http.Client, sink *logSink) map[string]callFunc {
		c := telegramClient(t, base, hc, sink)
		return map[string]callFunc{
			"GetMe": func(ctx context.Context) error { _, err := c.GetMe(ctx); return err },
			"SendMessage": func(ctx context.Context) error {
				_, err := c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(-1001234567890), Text: "hello"})
				return err
			},
		}
	}, apiStatus)
}

// TestCheckerFindsLeaks proves that the checks above can fail: the raw
// printouts of what the clients are given do contain the secrets.
func TestCheckerFindsLeaks(t *testing.T) {
	f := newFixture(t)
	for what, text := range map[string]string{
		"an oauth2.Token":         fmt.Sprintf("%+v", &oauth2.Token{AccessToken: accessToken}),
		"a GOST scalar":           fmt.Sprint(f.gostKey.D),
		"a command's arguments":   fmt.Sprint(f.cmdSig.Args),
		"a bot URL":               "https://api.telegram.org/bot" + botToken + "/getMe",
		"a bot token's secret":    "Unauthorized: " + botSecretPart,
		"a JWT's signature alone": "bad signature " + accessSig,
	} {
		if len(f.sec.leaks(text)) == 0 {
			t.Errorf("the checker misses %s", what)
		}
	}
}

// OK credentials planted in the ok client.
const (
	okAppKey     = "CBALEAKTEST"
	okAppSecret  = "okapp-SECRET-5c1d9e7f0a2b4c6d"
	okSessionKey = "oksession-SECRET-8e7d6c"
	okSessSecret = "oksessionsecret-SECRET-1a2b"
)

func TestOKErrorPathsLeakNothing(t *testing.T) {
	f := newFixture(t)
	f.sec.add(okAppSecret, "OK application secret key")
	f.sec.add(ok.SecretFromToken(accessToken, okAppSecret), "OK token secret")
	f.sec.add(okSessionKey, "OK session key")
	f.sec.add(okSessSecret, "OK session secret key")
	apiStatus := func(err error) (int, bool) {
		var e *ok.Error
		if errors.As(err, &e) {
			return e.Code, true
		}
		var he *ok.HTTPError
		if errors.As(err, &he) {
			return he.StatusCode, true
		}
		return 0, false
	}
	newClient := func(t *testing.T, cred ok.Credentials, base string, hc *http.Client, sink *logSink) *ok.Client {
		opts := []core.Option{core.WithBaseURL(base), core.WithLogger(sink.logger()),
			core.WithRetry(1, time.Millisecond, time.Millisecond), core.WithLimiter(nil)}
		if hc != nil {
			opts = append(opts, core.WithHTTPClient(hc))
		}
		c, err := ok.New(cred, opts...)
		require.NoError(t, err)
		for how, text := range printouts(c) {
			f.sec.check(t, "*ok.Client "+how, text)
		}
		return c
	}
	runScenarios(t, f, func(t *testing.T, base string, hc *http.Client, sink *logSink) map[string]callFunc {
		c := newClient(t, ok.Credentials{ApplicationKey: okAppKey, ApplicationSecretKey: okAppSecret, AccessToken: accessToken}, base, hc, sink)
		sc := newClient(t, ok.Credentials{ApplicationKey: okAppKey, SessionKey: okSessionKey, SessionSecretKey: okSessSecret}, base, hc, sink)
		return map[string]callFunc{
			"GetGroupInfo": func(ctx context.Context) error {
				_, err := c.GetGroupInfo(ctx, &ok.GetGroupInfoRequest{GroupIDs: []string{"1"}})
				return err
			},
			"PostTopic": func(ctx context.Context) error {
				_, err := c.PostTopic(ctx, &ok.PostTopicRequest{Type: ok.TopicGroupTheme, GroupID: "1",
					Attachment: ok.Attachment{Media: []ok.MediaItem{ok.TextItem("hello")}}})
				return err
			},
			"CheckGroup with a session key": func(ctx context.Context) error { _, err := sc.CheckGroup(ctx, "1"); return err },
		}
	}, apiStatus)
}

// The POS appeals system's password planted in the appeals client.
const posPassword = "pospassword-SECRET-3e4f5a6b"

func TestPOSAppealsErrorPathsLeakNothing(t *testing.T) {
	f := newFixture(t)
	f.sec.add(posPassword, "POS system password")
	apiStatus := func(err error) (int, bool) {
		var e *pos.AppealsError
		if errors.As(err, &e) {
			return e.StatusCode, true
		}
		return 0, false
	}
	runScenarios(t, f, func(t *testing.T, base string, hc *http.Client, sink *logSink) map[string]callFunc {
		opts := []core.Option{core.WithBaseURL(base), core.WithLogger(sink.logger()),
			core.WithRetry(1, time.Millisecond, time.Millisecond), core.WithLimiter(nil)}
		if hc != nil {
			opts = append(opts, core.WithHTTPClient(hc))
		}
		c, err := pos.NewAppealsClient(pos.Credentials{Username: "leaktest-system", Password: posPassword}, opts...)
		require.NoError(t, err)
		for how, text := range printouts(c) {
			f.sec.check(t, "*pos.AppealsClient "+how, text)
		}
		return map[string]callFunc{
			"Regions": func(ctx context.Context) error { _, err := c.Regions(ctx); return err },
			"CreateAppeal": func(ctx context.Context) error {
				_, err := c.CreateAppeal(ctx, &pos.CreateAppealRequest{Description: "d", SubjectID: 1,
					OrganizationInfo: pos.OrganizationInfo{OGRN: "1027700132195"}})
				return err
			},
			"UploadFile": func(ctx context.Context) error {
				_, err := c.UploadFile(ctx, "a.txt", "text/plain", []byte("a"))
				return err
			},
		}
	}, apiStatus)
}

// A token the appeals client obtained never leaks when the API quotes the
// request back in an error, in the logs or in a 5xx answer.
func TestPOSAppealsIssuedTokenLeaksNothing(t *testing.T) {
	f := newFixture(t)
	f.sec.add(posPassword, "POS system password")
	const issued = "pos-issued-TOKEN-SECRET-0a9b8c7d6e"
	f.sec.add(issued, "POS access token")
	for _, status := range []int{http.StatusBadRequest, http.StatusBadGateway} {
		echo := echoAll(f.sec, status, func(e string) string {
			return `{"status":` + fmt.Sprint(status) + `,"error":"Bad","message":` + jsonString("rejected: "+e) + `}`
		})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"access_token":"`+issued+`","token_type":"bearer","expires_in":3600}`)
				return
			}
			echo.ServeHTTP(w, r)
		}))
		var sink logSink
		c, err := pos.NewAppealsClient(pos.Credentials{Username: "leaktest-system", Password: posPassword},
			core.WithBaseURL(srv.URL), core.WithLogger(sink.logger()), core.WithRetry(1, time.Millisecond, time.Millisecond),
			core.WithLimiter(nil))
		require.NoError(t, err)
		_, err = c.Appeal(context.Background(), 1)
		require.Error(t, err)
		_, cerr := c.CreateAppeal(context.Background(), &pos.CreateAppealRequest{Description: "d", SubjectID: 1,
			OrganizationInfo: pos.OrganizationInfo{OGRN: "1027700132195"}})
		require.Error(t, cerr)
		srv.Close()
		for _, e := range []error{err, cerr} {
			var ae *pos.AppealsError
			require.ErrorAs(t, e, &ae)
			require.Equal(t, status, ae.StatusCode)
			require.Contains(t, ae.Message, "rejected")
			for _, text := range errorTexts(e) {
				f.sec.check(t, "error", text)
			}
		}
		sink.logger().Error("call failed", "err", err, "client", c)
		f.sec.check(t, "logs", sink.String())
	}
}
