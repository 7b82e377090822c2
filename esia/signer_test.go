package esia_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
)

const signMsg = "TESTIS01openid fullname2025.09.02 13:00:29 +03003fa85f64-5717-4562-b3fc-2c963f66afa6https://is.example/cb"

func TestGOSTSigner(t *testing.T) {
	t.Parallel()
	k, cert := gostPair(t, "is")
	s, err := esia.NewGOSTSigner(k, cert)
	require.NoError(t, err)
	raw, err := s.Sign(t.Context(), []byte(signMsg), esia.SignRaw)
	require.NoError(t, err)
	require.Len(t, raw, 64)
	assert.True(t, gost.VerifyMessage(cert.PublicKey, []byte(signMsg), raw))
	cms, err := s.Sign(t.Context(), []byte(signMsg), esia.SignCMS)
	require.NoError(t, err)
	signer, err := gost.VerifyDetached(cms, []byte(signMsg))
	require.NoError(t, err)
	assert.Equal(t, cert.Raw, signer.Raw)
	assert.Equal(t, cert.Raw, s.Certificate())
	assert.Equal(t, gost.CertificateHash(cert.Raw), s.CertificateHash())
	assert.Regexp(t, `^[0-9A-F]{64}$`, s.CertificateHash())
	_, err = s.Sign(t.Context(), nil, esia.SignMode(9))
	require.Error(t, err)

	other, _ := gostPair(t, "esia")
	_, err = esia.NewGOSTSigner(other, cert)
	require.Error(t, err, "key and certificate must match")
	_, err = esia.NewGOSTSigner(nil, cert)
	require.Error(t, err)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = s.Sign(ctx, []byte(signMsg), esia.SignRaw)
	require.ErrorIs(t, err, context.Canceled)
}

func TestRSASigner(t *testing.T) {
	t.Parallel()
	k, cert := rsaPair(t, "is")
	s, err := esia.NewRSASigner(k, cert)
	require.NoError(t, err)
	raw, err := s.Sign(t.Context(), []byte(signMsg), esia.SignRaw)
	require.NoError(t, err)
	d := sha256.Sum256([]byte(signMsg))
	require.NoError(t, rsa.VerifyPKCS1v15(&k.PublicKey, crypto.SHA256, d[:], raw))
	assert.Equal(t, gost.CertificateHash(cert.Raw), s.CertificateHash())
	cms, err := s.Sign(t.Context(), []byte(signMsg), esia.SignCMS)
	require.NoError(t, err)
	if path, err := exec.LookPath("openssl"); err == nil {
		dir := t.TempDir()
		msgFile, cmsFile := filepath.Join(dir, "msg"), filepath.Join(dir, "sig.der")
		require.NoError(t, os.WriteFile(msgFile, []byte(signMsg), 0o600))
		require.NoError(t, os.WriteFile(cmsFile, cms, 0o600))
		out, err := exec.Command(path, "cms", "-verify", "-inform", "DER", "-in", cmsFile, "-content", msgFile,
			"-binary", "-noverify", "-out", os.DevNull).CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.Contains(t, string(out), "Verification successful")
	} else {
		t.Log("openssl not found: RSA CMS checked for shape only")
		assert.Greater(t, len(cms), len(cert.Raw)+256)
	}
	other, _ := rsaPair(t, "esia")
	_, err = esia.NewRSASigner(other, cert)
	require.Error(t, err)
}

// opensslWithGOST returns the openssl path when it has the GOST engine.
func opensslWithGOST(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	if out, err := exec.Command(path, "engine", "gost").CombinedOutput(); err != nil {
		t.Skipf("openssl has no gost engine (apt-get install libengine-gost-openssl): %s", out)
	}
	return path
}

func TestOpenSSLSigner(t *testing.T) {
	t.Parallel()
	path := opensslWithGOST(t)
	s, err := esia.NewOpenSSLSigner(path, "testdata/gost_is_key.pem", "testdata/gost_is_cert.pem")
	require.NoError(t, err)
	_, cert := gostPair(t, "is")
	assert.Equal(t, cert.Raw, s.Certificate())
	assert.Equal(t, gost.CertificateHash(cert.Raw), s.CertificateHash())

	raw, err := s.Sign(t.Context(), []byte(signMsg), esia.SignRaw)
	require.NoError(t, err)
	require.Len(t, raw, 64)
	assert.True(t, gost.VerifyMessage(cert.PublicKey, []byte(signMsg), raw))

	cms, err := s.Sign(t.Context(), []byte(signMsg), esia.SignCMS)
	require.NoError(t, err)
	signer, err := gost.VerifyDetached(cms, []byte(signMsg))
	require.NoError(t, err)
	assert.Equal(t, cert.Raw, signer.Raw)

	// The hash ESIA expects equals what openssl computes over the DER.
	der := exec.Command(path, "x509", "-in", "testdata/gost_is_cert.pem", "-outform", "DER")
	derOut, err := der.Output()
	require.NoError(t, err)
	h := exec.Command(path, "dgst", "-engine", "gost", "-md_gost12_256", "-r")
	h.Stdin = strings.NewReader(string(derOut))
	hOut, err := h.Output()
	require.NoError(t, err)
	assert.Equal(t, strings.ToUpper(strings.Fields(string(hOut))[0]), s.CertificateHash())

	bad, err := esia.NewOpenSSLSigner(path, "testdata/missing.pem", "testdata/gost_is_cert.pem")
	require.NoError(t, err)
	_, err = bad.Sign(t.Context(), []byte(signMsg), esia.SignRaw)
	require.Error(t, err)
	_, err = esia.NewOpenSSLSigner(path, "testdata/gost_is_key.pem", "testdata/missing.pem")
	require.Error(t, err)
}

func TestOpenSSLSignerWithClient(t *testing.T) {
	t.Parallel()
	path := opensslWithGOST(t)
	s, err := esia.NewOpenSSLSigner(path, "testdata/gost_is_key.pem", "testdata/gost_is_cert.pem")
	require.NoError(t, err)
	cfg := baseConfig(t)
	cfg.Signer = s
	c, _ := mockClient(t, cfg)
	raw, err := c.AuthCodeURL(t.Context(), testState)
	require.NoError(t, err)
	_, q := parseAuthURL(t, raw)
	verifyRawGOST(t, q.Get("client_secret"),
		testClientID+"openid fullname usr_org"+"2025.09.02 13:00:29 +0300"+testState+testRedirect)
}

// TestHelperSigner is not a test: CommandSigner tests run the test binary
// as the external signer with ESIA_HELPER_SIGNER set. It signs like
// csptest: CryptoPro byte order.
func TestHelperSigner(t *testing.T) {
	mode := os.Getenv("ESIA_HELPER_SIGNER")
	if mode == "" {
		t.Skip("helper process")
	}
	var msg []byte
	var err error
	args := flagArgs()
	if in := args["-in"]; in != "" {
		msg, err = os.ReadFile(in)
	} else {
		msg, err = io.ReadAll(os.Stdin)
	}
	if err != nil {
		os.Exit(3)
	}
	switch mode {
	case "sleep":
		time.Sleep(time.Minute)
	case "fail":
		os.Stderr.WriteString("container not found")
		os.Exit(1)
	}
	k, err := gost.ParsePrivateKeyPEM([]byte(os.Getenv("ESIA_HELPER_KEY")))
	if err != nil {
		os.Exit(4)
	}
	sig, err := gost.SignMessage(rand.Reader, k, msg)
	if err != nil {
		os.Exit(5)
	}
	sig = gost.ReverseBytes(sig)
	if out := args["-out"]; out != "" {
		if os.WriteFile(out, sig, 0o600) != nil {
			os.Exit(6)
		}
	} else {
		os.Stdout.Write(sig)
	}
	os.Exit(0)
}

// flagArgs returns "-in"/"-out" values after the "--" separator.
func flagArgs() map[string]string {
	m := map[string]string{}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	for i := 0; i+1 < len(args); i++ {
		if strings.HasPrefix(args[i], "-") {
			m[args[i]] = args[i+1]
		}
	}
	return m
}

func helperSigner(t *testing.T, mode string, args ...string) *esia.CommandSigner {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	s := esia.NewCommandSigner(exe, append([]string{"-test.run=^TestHelperSigner$", "--"}, args...)...)
	_, cert := gostPair(t, "is")
	s.Cert = cert.Raw
	s.Env = []string{"ESIA_HELPER_SIGNER=" + mode, "ESIA_HELPER_KEY=" + string(readTestdata(t, "gost_is_key.pem"))}
	return s
}

func TestCommandSigner(t *testing.T) {
	t.Parallel()
	_, cert := gostPair(t, "is")
	for name, args := range map[string][]string{
		"stdin/stdout": nil,
		"files":        {"-in", esia.PlaceholderIn, "-out", esia.PlaceholderOut},
	} {
		s := helperSigner(t, "sign", args...)
		sig, err := s.Sign(t.Context(), []byte(signMsg), esia.SignRaw)
		require.NoError(t, err, name)
		require.Len(t, sig, 64)
		assert.True(t, gost.VerifyMessage(cert.PublicKey, []byte(signMsg), sig), "%s: reversed back to the OpenSSL layout", name)
		assert.Equal(t, gost.CertificateHash(cert.Raw), s.CertificateHash())
		assert.Equal(t, cert.Raw, s.Certificate())

		s.Reverse = false
		sig, err = s.Sign(t.Context(), []byte(signMsg), esia.SignRaw)
		require.NoError(t, err)
		assert.False(t, gost.VerifyMessage(cert.PublicKey, []byte(signMsg), sig))
		assert.True(t, gost.VerifyMessage(cert.PublicKey, []byte(signMsg), gost.ReverseBytes(sig)))
	}

	s := helperSigner(t, "sign")
	_, err := s.Sign(t.Context(), []byte(signMsg), esia.SignCMS)
	require.Error(t, err, "no CMSArgs")
	s.Cert = nil
	assert.Empty(t, s.CertificateHash())

	fail := helperSigner(t, "fail")
	_, err = fail.Sign(t.Context(), []byte(signMsg), esia.SignRaw)
	require.ErrorContains(t, err, "container not found")
}

func TestCommandSignerCancel(t *testing.T) {
	t.Parallel()
	s := helperSigner(t, "sleep")
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Sign(ctx, []byte(signMsg), esia.SignRaw)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
	assert.Less(t, time.Since(start), 10*time.Second, "the process is killed")
}

func TestSignModeString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "raw", esia.SignRaw.String())
	assert.Equal(t, "cms", esia.SignCMS.String())
	assert.Equal(t, "v2", esia.ProtocolV2.String())
	assert.Equal(t, "legacy", esia.ProtocolLegacy.String())
}
