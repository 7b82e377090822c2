package esiamock

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/esia/gost"
)

// TestRegenerateSandboxKeys rewrites the embedded SANDBOX-ONLY keys in
// keys/. It runs only with ESIAMOCK_REGEN_KEYS=1:
//
//	ESIAMOCK_REGEN_KEYS=1 go test -run TestRegenerateSandboxKeys ./mock/esiamock/
func TestRegenerateSandboxKeys(t *testing.T) {
	if os.Getenv("ESIAMOCK_REGEN_KEYS") != "1" {
		t.Skip("set ESIAMOCK_REGEN_KEYS=1 to regenerate keys/")
	}
	nb := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	na := time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC)
	k, err := generateKeys(rand.Reader, nb, na)
	if err != nil {
		t.Fatal(err)
	}
	gk, err := gost.EncodePrivateKeyPEM(k.gostKey)
	if err != nil {
		t.Fatal(err)
	}
	p8, err := x509.MarshalPKCS8PrivateKey(k.rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := newGOSTClientCredentials(rand.Reader, DefaultClientID, nb, na)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"esia_gost_key.pem":    gk,
		"esia_gost_cert.pem":   k.GOSTCertificatePEM(),
		"esia_rsa_key.pem":     pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}),
		"esia_rsa_cert.pem":    k.RSACertificatePEM(),
		"client_gost_key.pem":  cl.KeyPEM,
		"client_gost_cert.pem": cl.CertificatePEM,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join("keys", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
