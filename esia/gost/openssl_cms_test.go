package gost

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"
)

// Certificates and CMS made by openssl are accepted by Go, and the other way
// round, for each parameter set in opensslParamsets.
func TestOpenSSLCertificateAndCMSInterop(t *testing.T) {
	requireOpenSSL(t)
	for _, ps := range opensslParamsets {
		t.Run(ps.alg+"-"+ps.paramset, func(t *testing.T) {
			dir := t.TempDir()
			md := mdFor(ps.curve())
			openssl(t, dir, nil, "genpkey", "-engine", "gost", "-algorithm", ps.alg, "-pkeyopt", "paramset:"+ps.paramset, "-out", "key.pem")
			openssl(t, dir, nil, "req", "-engine", "gost", "-new", "-x509", "-key", "key.pem", md, "-subj", "/C=RU/CN=IS", "-out", "cert.pem")
			msg := []byte("scope2025.09.02 13:00:29 +0300CTPRF_RUf47ac10b-58cc-4372-a567-0e02b2c3d479")
			writeFile(t, dir, "msg.txt", msg)

			// (3) openssl's certificate parses; the hash matches openssl's.
			cert, err := ParseCertificatePEM(readFile(t, dir, "cert.pem"))
			if err != nil {
				t.Fatal(err)
			}
			der := openssl(t, dir, nil, "x509", "-in", "cert.pem", "-outform", "DER")
			if !bytes.Equal(der, cert.Raw) {
				t.Fatal("DER differs")
			}
			if !ps.curve().Is512() {
				out := openssl(t, dir, der, "dgst", "-engine", "gost", "-md_gost12_256", "-r")
				if want := strings.ToUpper(string(bytes.Fields(out)[0])); CertificateHash(der) != want {
					t.Fatalf("CertificateHash %s, openssl %s", CertificateHash(der), want)
				}
			}
			if err := cert.CheckSignatureFrom(cert); err != nil {
				t.Fatalf("openssl self-signed certificate: %v", err)
			}
			key, err := ParsePrivateKeyPEM(readFile(t, dir, "key.pem"))
			if err != nil {
				t.Fatal(err)
			}

			// (4a) openssl CMS, with and without attributes, verifies in Go.
			for _, attr := range [][]string{{"-noattr"}, nil} {
				args := append([]string{"cms", "-engine", "gost", "-sign", "-binary", "-outform", "DER", "-signer", "cert.pem", "-inkey", "key.pem", "-in", "msg.txt", "-out", "o.der"}, attr...)
				if md != "-md_gost12_256" {
					args = append(args, "-md", "md_gost12_512")
				}
				openssl(t, dir, nil, args...)
				got, err := VerifyDetached(readFile(t, dir, "o.der"), msg)
				if err != nil {
					t.Fatalf("openssl CMS %v: %v", attr, err)
				}
				if !bytes.Equal(got.Raw, cert.Raw) {
					t.Fatal("wrong signer certificate")
				}
			}

			// (4b) Go CMS, with and without attributes, verifies in openssl.
			for _, opts := range [][]CMSOption{nil, {WithSignedAttributes(time.Now())}} {
				cms, err := SignDetached(newSeeded(40), msg, cert, key, opts...)
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, dir, "go.der", cms)
				openssl(t, dir, nil, "cms", "-verify", "-engine", "gost", "-binary", "-inform", "DER", "-in", "go.der", "-content", "msg.txt", "-noverify", "-out", "/dev/null")
				writeFile(t, dir, "other.txt", []byte("other"))
				if _, err := opensslErr(dir, nil, "cms", "-verify", "-engine", "gost", "-binary", "-inform", "DER", "-in", "go.der", "-content", "other.txt", "-noverify", "-out", "/dev/null"); err == nil {
					t.Fatal("openssl verified a Go CMS over other content")
				}
			}

			// (5) A Go-made CA, leaf certificate and key are accepted by openssl.
			rnd := newSeeded(41)
			caKey, _ := GenerateKey(rnd, ps.curve())
			leafKey, _ := GenerateKey(rnd, ps.curve())
			now := time.Now().Add(-time.Hour)
			caDER, err := CreateCertificate(rnd, &CertificateTemplate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Go CA", Country: []string{"RU"}}, NotBefore: now, NotAfter: now.AddDate(1, 0, 0)}, &caKey.PublicKey, nil, caKey)
			if err != nil {
				t.Fatal(err)
			}
			ca, _ := ParseCertificate(caDER)
			leafDER, err := CreateCertificate(rnd, &CertificateTemplate{Subject: pkix.Name{CommonName: "CTPRF_RU", Organization: []string{"Тест"}}, NotBefore: now, NotAfter: now.AddDate(1, 0, 0)}, &leafKey.PublicKey, ca, caKey)
			if err != nil {
				t.Fatal(err)
			}
			leaf, _ := ParseCertificate(leafDER)
			writeFile(t, dir, "goca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))
			writeFile(t, dir, "goleaf.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}))
			lk, _ := EncodePrivateKeyPEM(leafKey)
			writeFile(t, dir, "goleafkey.pem", lk)
			text := openssl(t, dir, nil, "x509", "-engine", "gost", "-in", "goleaf.pem", "-noout", "-text")
			if !bytes.Contains(text, []byte("CN = CTPRF_RU")) || !bytes.Contains(text, []byte("GOST R 34.10-2012 with GOST R 34.11-2012")) {
				t.Fatalf("openssl x509 -text:\n%s", text)
			}
			out := openssl(t, dir, nil, "verify", "-engine", "gost", "-CAfile", "goca.pem", "goleaf.pem")
			if !bytes.Contains(out, []byte("OK")) {
				t.Fatalf("openssl verify: %s", out)
			}
			// openssl signs with the Go key, and verifies with the Go certificate.
			openssl(t, dir, nil, "x509", "-engine", "gost", "-in", "goleaf.pem", "-pubkey", "-noout", "-out", "goleafpub.pem")
			openssl(t, dir, nil, "dgst", "-engine", "gost", md, "-sign", "goleafkey.pem", "-out", "l.sig", "msg.txt")
			openssl(t, dir, nil, "dgst", "-engine", "gost", md, "-verify", "goleafpub.pem", "-signature", "l.sig", "msg.txt")
			if !VerifyMessage(leaf.PublicKey, msg, readFile(t, dir, "l.sig")) {
				t.Fatal("Go rejects openssl's signature made with the Go key")
			}
			args := []string{"cms", "-engine", "gost", "-sign", "-binary", "-outform", "DER", "-noattr", "-signer", "goleaf.pem", "-inkey", "goleafkey.pem", "-in", "msg.txt", "-out", "l.der"}
			if md != "-md_gost12_256" {
				args = append(args, "-md", "md_gost12_512")
			}
			openssl(t, dir, nil, args...)
			openssl(t, dir, nil, "cms", "-verify", "-engine", "gost", "-binary", "-inform", "DER", "-in", "l.der", "-content", "msg.txt", "-CAfile", "goca.pem", "-out", "/dev/null")
			if got, err := VerifyDetached(readFile(t, dir, "l.der"), msg); err != nil || !bytes.Equal(got.Raw, leafDER) {
				t.Fatalf("Go rejects openssl CMS made with Go key and certificate: %v", err)
			}
		})
	}
}
