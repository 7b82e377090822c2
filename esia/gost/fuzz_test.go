package gost

import (
	"bytes"
	"testing"
)

// Fuzz targets for every parser. Seeds are valid encodings (openssl-made
// test vectors and Go-made values); the properties checked are "never
// panics" and, where something parses, that it round-trips.

func pemBody(t testing.TB, name string) []byte {
	for _, typ := range []string{"PRIVATE KEY", "CERTIFICATE", "PUBLIC KEY"} {
		if b, err := pemBlock(readTestdata(t, name), typ); err == nil {
			return b
		}
	}
	t.Fatalf("no PEM block in %s", name)
	return nil
}

func FuzzParsePKCS8PrivateKey(f *testing.F) {
	f.Add(pemBody(f, "key.pem"))
	f.Add(pemBody(f, "key-tca.pem"))
	k, _ := GenerateKey(newSeeded(1), CurveTC26512A())
	der, _ := MarshalPKCS8PrivateKey(k)
	f.Add(der)
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := ParsePKCS8PrivateKey(data)
		if err != nil {
			return
		}
		der, err := MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatalf("parsed key does not marshal: %v", err)
		}
		back, err := ParsePKCS8PrivateKey(der)
		if err != nil || !back.Equal(key) {
			t.Fatalf("round trip failed: %v", err)
		}
	})
}

func FuzzParsePrivateKeyPEM(f *testing.F) {
	f.Add(readTestdata(f, "key.pem"))
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ParsePrivateKeyPEM(data)
	})
}

func FuzzParsePKIXPublicKey(f *testing.F) {
	for _, c := range []*Curve{CurveCryptoProA(), CurveTC26256A(), CurveTC26512A()} {
		k, _ := GenerateKey(newSeeded(2), c)
		der, _ := MarshalPKIXPublicKey(&k.PublicKey)
		f.Add(der)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pub, err := ParsePKIXPublicKey(data)
		if err != nil {
			return
		}
		if !pub.Curve.IsOnCurve(pub.X, pub.Y) {
			t.Fatal("accepted a point off the curve")
		}
		der, err := MarshalPKIXPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParsePKIXPublicKey(der)
		if err != nil || !back.Equal(pub) {
			t.Fatalf("round trip failed: %v", err)
		}
	})
}

func FuzzParseCertificate(f *testing.F) {
	f.Add(pemBody(f, "cert.pem"))
	f.Add(pemBody(f, "cert-tca.pem"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCertificate(data)
		if err != nil {
			return
		}
		_ = c.CheckSignatureFrom(c)
		if CertificateHash(data) != c.Hash() {
			t.Fatal("hash of Raw differs from hash of the input")
		}
	})
}

func FuzzVerifyDetached(f *testing.F) {
	msg := readTestdata(f, "msg.txt")
	for _, n := range []string{"cms-noattr.der", "cms-attr.der", "cms-attr-tca.der", "smime-noattr.der"} {
		f.Add(readTestdata(f, n), msg)
	}
	f.Fuzz(func(t *testing.T, cms, content []byte) {
		c, err := VerifyDetached(cms, content)
		if err == nil && (c == nil || c.PublicKey == nil) {
			t.Fatal("success without a certificate")
		}
	})
}

func FuzzVerify(f *testing.F) {
	key, _ := ParsePrivateKeyPEM(readTestdata(f, "key.pem"))
	pub, _ := MarshalPKIXPublicKey(&key.PublicKey)
	msg := readTestdata(f, "msg.txt")
	d := Sum256(msg)
	f.Add(pub, d[:], readTestdata(f, "msg.sig"))
	f.Add(pub, make([]byte, 32), make([]byte, 64))
	f.Fuzz(func(t *testing.T, pubDER, digest, sig []byte) {
		p, err := ParsePKIXPublicKey(pubDER)
		if err != nil {
			p = &key.PublicKey
		}
		ok := Verify(p, digest, sig)
		if ok && p.Equal(&key.PublicKey) && bytes.Equal(digest, d[:]) && !bytes.Equal(sig, readTestdata(t, "msg.sig")) {
			// Another valid signature for the same digest would need the
			// private key (or a forgery).
			t.Fatalf("unexpected second signature accepted: %x", sig)
		}
	})
}
