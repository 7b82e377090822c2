package gost

import (
	"bytes"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestParseOpenSSLCertificates(t *testing.T) {
	for _, v := range []struct{ cert, hash, key string }{
		{"cert.pem", "cert.hash", "key.pem"},
		{"cert-tca.pem", "cert-tca.hash", "key-tca.pem"},
	} {
		cert, err := ParseCertificatePEM(readTestdata(t, v.cert))
		if err != nil {
			t.Fatal(err)
		}
		key, _ := ParsePrivateKeyPEM(readTestdata(t, v.key))
		if !cert.PublicKey.Equal(&key.PublicKey) {
			t.Fatalf("%s: public key differs from the key file", v.cert)
		}
		want := strings.ToUpper(strings.TrimSpace(string(readTestdata(t, v.hash))))
		if got := CertificateHash(cert.Raw); got != want || cert.Hash() != want {
			t.Fatalf("%s: hash %s, openssl %s", v.cert, got, want)
		}
		if err := cert.CheckSignatureFrom(cert); err != nil {
			t.Fatalf("%s: self-signature: %v", v.cert, err)
		}
		if !strings.HasPrefix(cert.X509.Subject.CommonName, "IS") || cert.X509.Subject.Organization[0] != "gosdk test" {
			t.Fatalf("%s: subject %v", v.cert, cert.X509.Subject)
		}
		// A flipped byte in the signature is detected.
		bad := bytes.Clone(cert.Raw)
		bad[len(bad)-5] ^= 1
		bc, err := ParseCertificate(bad)
		if err != nil {
			t.Fatal(err)
		}
		if err := bc.CheckSignatureFrom(cert); !errors.Is(err, ErrInvalidSignature) {
			t.Fatalf("tampered certificate: %v", err)
		}
	}
	a, _ := ParseCertificatePEM(readTestdata(t, "cert.pem"))
	b, _ := ParseCertificatePEM(readTestdata(t, "cert-tca.pem"))
	if err := a.CheckSignatureFrom(b); err == nil {
		t.Fatal("certificate verified under an unrelated issuer")
	}
}

func TestCertificateHashFormat(t *testing.T) {
	h := CertificateHash(nil)
	if h != "3F539A213E97C802CC229D474C6AA32A825A360B2A933A949FD925208D9CE1BB" {
		t.Fatalf("hash of empty input = %s", h)
	}
}

func makeChain(t *testing.T, c *Curve) (ca *Certificate, caKey *PrivateKey, leaf *Certificate, leafKey *PrivateKey) {
	t.Helper()
	rnd := newSeeded(21)
	caKey, _ = GenerateKey(rnd, c)
	leafKey, _ = GenerateKey(rnd, c)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	caDER, err := CreateCertificate(rnd, &CertificateTemplate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{Country: []string{"RU"}, CommonName: "gosdk test CA"},
		NotBefore:    now, NotAfter: now.AddDate(10, 0, 0),
	}, &caKey.PublicKey, nil, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err = ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	leafDER, err := CreateCertificate(rnd, &CertificateTemplate{
		SerialNumber: big.NewInt(0x1234567890),
		Subject:      pkix.Name{Country: []string{"RU"}, Organization: []string{"Org"}, CommonName: "CTPRF_RU"},
		NotBefore:    now, NotAfter: now.AddDate(60, 0, 0), // past 2049: GeneralizedTime
	}, &leafKey.PublicKey, ca, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err = ParseCertificate(leafDER)
	if err != nil {
		t.Fatal(err)
	}
	return
}

func TestCreateCertificate(t *testing.T) {
	for _, c := range []*Curve{CurveCryptoProA(), CurveTC26256A(), CurveTC26512A()} {
		ca, caKey, leaf, leafKey := makeChain(t, c)
		if err := ca.CheckSignatureFrom(ca); err != nil {
			t.Fatalf("%s: CA self-signature: %v", c.Name, err)
		}
		if err := leaf.CheckSignatureFrom(ca); err != nil {
			t.Fatalf("%s: leaf signature: %v", c.Name, err)
		}
		if err := leaf.CheckSignatureFrom(leaf); err == nil {
			t.Fatalf("%s: non-CA leaf accepted as issuer", c.Name)
		}
		if !ca.X509.IsCA || leaf.X509.IsCA || leaf.X509.Subject.CommonName != "CTPRF_RU" ||
			leaf.X509.Issuer.CommonName != "gosdk test CA" || leaf.X509.SerialNumber.Int64() != 0x1234567890 ||
			leaf.X509.NotAfter.Year() != 2086 || !bytes.Equal(leaf.X509.AuthorityKeyId, ca.X509.SubjectKeyId) {
			t.Fatalf("%s: unexpected fields %+v", c.Name, leaf.X509)
		}
		if !leaf.PublicKey.Equal(&leafKey.PublicKey) || !ca.PublicKey.Equal(&caKey.PublicKey) {
			t.Fatalf("%s: public key differs", c.Name)
		}
		// Wrong signer for the issuer is refused.
		if _, err := CreateCertificate(newSeeded(1), &CertificateTemplate{SerialNumber: big.NewInt(2), NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}, &leafKey.PublicKey, ca, leafKey); err == nil {
			t.Fatalf("%s: mismatched signer accepted", c.Name)
		}
	}
}
