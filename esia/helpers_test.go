package esia_test

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
)

const (
	testBase     = "https://esia.test"
	testIssuer   = "http://esia.test/"
	testClientID = "TESTIS01"
	testRedirect = "https://is.example/cb"
	personOID    = int64(1000328686)
	orgOID       = int64(1000474775)
)

// testNow is the fixed clock of the tests (Moscow time).
var testNow = time.Date(2025, 9, 2, 13, 0, 29, 0, time.FixedZone("MSK", 3*3600))

func fixedClock() time.Time { return testNow }

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// gostPair loads a GOST key and certificate from testdata (prefix "is",
// "esia" or "esia2").
func gostPair(t testing.TB, name string) (*gost.PrivateKey, *gost.Certificate) {
	t.Helper()
	key, err := gost.ParsePrivateKeyPEM(readTestdata(t, "gost_"+name+"_key.pem"))
	require.NoError(t, err)
	cert, err := gost.ParseCertificatePEM(readTestdata(t, "gost_"+name+"_cert.pem"))
	require.NoError(t, err)
	return key, cert
}

// rsaPair loads an RSA key and certificate from testdata.
func rsaPair(t testing.TB, name string) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	kb, _ := pem.Decode(readTestdata(t, "rsa_"+name+"_key.pem"))
	require.NotNil(t, kb)
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	require.NoError(t, err)
	cb, _ := pem.Decode(readTestdata(t, "rsa_"+name+"_cert.pem"))
	require.NotNil(t, cb)
	cert, err := x509.ParseCertificate(cb.Bytes)
	require.NoError(t, err)
	return k.(*rsa.PrivateKey), cert
}

func gostSigner(t testing.TB) *esia.GOSTSigner {
	t.Helper()
	k, c := gostPair(t, "is")
	s, err := esia.NewGOSTSigner(k, c)
	require.NoError(t, err)
	return s
}

// baseConfig is a v2 configuration trusting the GOST and RSA "esia" certs.
func baseConfig(t testing.TB) esia.Config {
	t.Helper()
	return esia.Config{
		BaseURL:      testBase,
		ClientID:     testClientID,
		RedirectURL:  testRedirect,
		Scopes:       []string{"openid", "fullname", "usr_org"},
		Signer:       gostSigner(t),
		Certificates: [][]byte{readTestdata(t, "gost_esia_cert.pem"), readTestdata(t, "rsa_esia_cert.pem")},
	}
}

// mockClient returns a client whose HTTP goes to a fresh httpmock transport.
func mockClient(t testing.TB, cfg esia.Config, opts ...core.Option) (*esia.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	opts = append([]core.Option{
		core.WithHTTPClient(&http.Client{Transport: mt}),
		core.WithClock(core.NowFunc(fixedClock)),
		core.WithRetry(2, time.Millisecond, 2*time.Millisecond),
	}, opts...)
	c, err := esia.New(cfg, opts...)
	require.NoError(t, err)
	return c, mt
}

// jwtSigner signs a JWT signing input.
type jwtSigner struct {
	alg  esia.Algorithm
	sign func(input []byte) []byte
}

func gostJWTSigner(t testing.TB, name string) jwtSigner {
	k, _ := gostPair(t, name)
	return jwtSigner{alg: esia.AlgGOST, sign: func(in []byte) []byte {
		sig, err := gost.SignMessage(rand.Reader, k, in)
		require.NoError(t, err)
		return sig
	}}
}

func rsaJWTSigner(t testing.TB, name string) jwtSigner {
	k, _ := rsaPair(t, name)
	return jwtSigner{alg: esia.AlgRS256, sign: func(in []byte) []byte {
		d := sha256.Sum256(in)
		sig, err := rsa.SignPKCS1v15(nil, k, crypto.SHA256, d[:])
		require.NoError(t, err)
		return sig
	}}
}

// makeJWT builds a compact JWT; header fields override the defaults.
func makeJWT(t testing.TB, s jwtSigner, claims map[string]any, header map[string]any) string {
	t.Helper()
	h := map[string]any{"ver": 1, "typ": "JWT", "sbt": "access", "alg": s.alg}
	for k, v := range header {
		h[k] = v
	}
	hb, err := json.Marshal(h)
	require.NoError(t, err)
	cb, err := json.Marshal(claims)
	require.NoError(t, err)
	input := base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(cb)
	return input + "." + base64.RawURLEncoding.EncodeToString(s.sign([]byte(input)))
}

// accessClaims returns the claims of a valid access token at testNow.
func accessClaims() map[string]any {
	now := testNow.Unix()
	return map[string]any{
		"nbf":             now - 10,
		"iat":             now - 10,
		"exp":             now + 3600,
		"scope":           "openid fullname?oid=1000328686 usr_org?oid=1000328686",
		"iss":             testIssuer,
		"urn:esia:sid":    "a1510cb2-0000-4000-8000-000000000001",
		"urn:esia:sbj_id": personOID,
		"client_id":       testClientID,
	}
}

func idClaims() map[string]any {
	now := testNow.Unix()
	return map[string]any{
		"iss": testIssuer, "aud": testClientID, "sub": personOID,
		"nbf": now - 10, "iat": now - 10, "exp": now + 3600, "auth_time": now - 20,
		"amr": "PWD", "urn:esia:amd": "PWD", "urn:esia:sid": "a1510cb2-0000-4000-8000-000000000001",
		"urn:esia:sbj": map[string]any{
			"urn:esia:sbj:typ": "P", "urn:esia:sbj:oid": personOID,
			"urn:esia:sbj:nam": "OID.1000328686", "urn:esia:sbj:is_tru": true,
		},
	}
}

// recorder captures requests answered by a responder.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	Method string
	URL    *url.URL
	Header http.Header
	Body   []byte
	Form   url.Values
}

func (r *recorder) wrap(resp httpmock.Responder) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		var body []byte
		if req.Body != nil {
			body, _ = io.ReadAll(req.Body)
		}
		form, _ := url.ParseQuery(string(body))
		r.mu.Lock()
		r.reqs = append(r.reqs, recorded{Method: req.Method, URL: req.URL, Header: req.Header.Clone(), Body: body, Form: form})
		r.mu.Unlock()
		req.Body = io.NopCloser(bytes.NewReader(body))
		return resp(req)
	}
}

func (r *recorder) last(t testing.TB) recorded {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	require.NotEmpty(t, r.reqs, "no request recorded")
	return r.reqs[len(r.reqs)-1]
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

// logBuffer is a debug-level slog handler target for secret checks.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// verifyRawGOST checks a raw client_secret against the IS certificate.
func verifyRawGOST(t testing.TB, secret, msg string) {
	t.Helper()
	sig, err := esia.DecodeSecret(secret)
	require.NoError(t, err)
	_, cert := gostPair(t, "is")
	require.Len(t, sig, 64)
	require.True(t, gost.VerifyMessage(cert.PublicKey, []byte(msg), sig), "signature does not verify over %q", msg)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
