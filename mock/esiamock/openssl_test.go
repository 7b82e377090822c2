package esiamock_test

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/mock/esiamock"
)

// opensslGOST runs openssl with the gost engine, skipping the test when it
// is not installed (apt-get install libengine-gost-openssl).
func opensslGOST(t *testing.T, dir string, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	if err := exec.Command("openssl", "engine", "gost").Run(); err != nil {
		t.Skip("openssl gost engine not available")
	}
	cmd := exec.Command("openssl", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("openssl %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return out
}

// TestOpenSSLInterop proves the emulator against OpenSSL's GOST engine, the
// reference ESIA integrators use: client_secret values signed by openssl
// (raw dgst and detached CMS) are accepted, the certificate hash matches
// openssl's Streebog, and the emulator's GOST JWTs verify with
// `openssl dgst -verify` as ESIA's do.
func TestOpenSSLInterop(t *testing.T) {
	e := newEnv(t, nil)
	dir := t.TempDir()
	cc, _ := esiamock.DefaultClientCredentials()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("key.pem", cc.KeyPEM)
	write("cert.pem", cc.CertificatePEM)

	// client_certificate_hash.
	write("cert.der", e.cert.Raw)
	out := opensslGOST(t, dir, "dgst", "-engine", "gost", "-md_gost12_256", "-r", "cert.der")
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if h := strings.ToUpper(strings.Fields(lines[len(lines)-1])[0]); h != cc.CertificateHash {
		t.Fatalf("hash %s, openssl %s", cc.CertificateHash, h)
	}

	// v2/ac with an openssl raw signature.
	e.srv.EnqueueLogin(chief)
	q := e.v2AC("openid", "")
	write("msg.txt", []byte(q.Get("client_id")+q.Get("scope")+q.Get("timestamp")+q.Get("state")+q.Get("redirect_uri")))
	opensslGOST(t, dir, "dgst", "-engine", "gost", "-md_gost12_256", "-sign", "key.pem", "-out", "raw.sig", "msg.txt")
	sig, _ := os.ReadFile(filepath.Join(dir, "raw.sig"))
	q.Set("client_secret", base64.URLEncoding.EncodeToString(sig))
	if cb := e.callback(e.get("/aas/oauth2/v2/ac", q)); cb.Get("code") == "" {
		t.Fatalf("openssl raw signature refused: %v", cb)
	}

	// Legacy /ac with an openssl CMS.
	e.srv.EnqueueLogin(chief)
	lq := e.legacyAC("openid")
	write("msg.txt", []byte(lq.Get("scope")+lq.Get("timestamp")+lq.Get("client_id")+lq.Get("state")))
	opensslGOST(t, dir, "cms", "-engine", "gost", "-sign", "-binary", "-outform", "DER", "-noattr",
		"-signer", "cert.pem", "-inkey", "key.pem", "-in", "msg.txt", "-out", "s.der")
	der, _ := os.ReadFile(filepath.Join(dir, "s.der"))
	lq.Set("client_secret", base64.StdEncoding.EncodeToString(der))
	if cb := e.callback(e.get("/aas/oauth2/ac", lq)); cb.Get("code") == "" {
		t.Fatalf("openssl CMS refused: %v", cb)
	}
	// With signed attributes (openssl's default) too.
	e.srv.EnqueueLogin(chief)
	lq = e.legacyAC("openid")
	write("msg.txt", []byte(lq.Get("scope")+lq.Get("timestamp")+lq.Get("client_id")+lq.Get("state")))
	opensslGOST(t, dir, "cms", "-engine", "gost", "-sign", "-binary", "-outform", "DER",
		"-signer", "cert.pem", "-inkey", "key.pem", "-in", "msg.txt", "-out", "s.der")
	der, _ = os.ReadFile(filepath.Join(dir, "s.der"))
	lq.Set("client_secret", base64.RawURLEncoding.EncodeToString(der))
	if cb := e.callback(e.get("/aas/oauth2/ac", lq)); cb.Get("code") == "" {
		t.Fatalf("openssl CMS with attributes refused: %v", cb)
	}

	// The emulator's GOST access token verifies with openssl.
	code, _ := e.code("openid", "", chief)
	_, m := e.post("/aas/oauth2/v3/te", e.v3TE(code, "openid", ""))
	_, _, in, jwtSig := decodeJWT(t, m["access_token"].(string))
	gc, err := gost.ParseCertificatePEM(e.srv.Keys().GOSTCertificatePEM())
	if err != nil {
		t.Fatal(err)
	}
	write("esia.pem", e.srv.Keys().GOSTCertificatePEM())
	opensslGOST(t, dir, "x509", "-engine", "gost", "-in", "esia.pem", "-pubkey", "-noout", "-out", "esia_pub.pem")
	write("jwt.txt", []byte(in))
	write("jwt.sig", jwtSig)
	out = opensslGOST(t, dir, "dgst", "-engine", "gost", "-md_gost12_256", "-verify", "esia_pub.pem", "-signature", "jwt.sig", "jwt.txt")
	if !strings.Contains(string(out), "Verified OK") || gc == nil {
		t.Fatalf("openssl: %s", out)
	}
}
