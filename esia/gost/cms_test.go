package gost

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestVerifyOpenSSLCMS(t *testing.T) {
	msg := readTestdata(t, "msg.txt")
	for _, v := range []struct{ cms, cert string }{
		{"cms-noattr.der", "cert.pem"}, {"cms-attr.der", "cert.pem"}, {"smime-noattr.der", "cert.pem"}, {"cms-keyid.der", "cert.pem"},
		{"cms-noattr-tca.der", "cert-tca.pem"}, {"cms-attr-tca.der", "cert-tca.pem"},
	} {
		want, _ := ParseCertificatePEM(readTestdata(t, v.cert))
		cms := readTestdata(t, v.cms)
		got, err := VerifyDetached(cms, msg)
		if err != nil {
			t.Fatalf("%s: %v", v.cms, err)
		}
		if !bytes.Equal(got.Raw, want.Raw) {
			t.Fatalf("%s: returned a different certificate", v.cms)
		}
		if _, err := VerifyDetached(cms, append(bytes.Clone(msg), 'x')); err == nil {
			t.Fatalf("%s: verified another message", v.cms)
		}
		bad := bytes.Clone(cms)
		bad[len(bad)-3] ^= 1 // inside the signature value
		if _, err := VerifyDetached(bad, msg); !errors.Is(err, ErrInvalidSignature) {
			t.Fatalf("%s: tampered signature: %v", v.cms, err)
		}
	}
}

func TestSignDetachedRoundTrip(t *testing.T) {
	for _, c := range []*Curve{CurveCryptoProA(), CurveTC26256A(), CurveTC26512A()} {
		_, _, leaf, leafKey := makeChain(t, c)
		msg := []byte("scope2025.09.02 13:00:29 +0300CTPRF_RUstate")
		for _, opts := range [][]CMSOption{nil, {WithSignedAttributes(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))}} {
			cms, err := SignDetached(newSeeded(30), msg, leaf, leafKey, opts...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := VerifyDetached(cms, msg)
			if err != nil {
				t.Fatalf("%s attrs=%v: %v", c.Name, opts != nil, err)
			}
			if !bytes.Equal(got.Raw, leaf.Raw) {
				t.Fatal("different certificate returned")
			}
			_, err = VerifyDetached(cms, []byte("other"))
			if opts != nil && !errors.Is(err, ErrDigestMismatch) || opts == nil && !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("%s attrs=%v: other content: %v", c.Name, opts != nil, err)
			}
		}
		// Certificate and key must match.
		_, _, _, otherKey := makeChain(t, CurveCryptoProB())
		if _, err := SignDetached(newSeeded(31), msg, leaf, otherKey); err == nil {
			t.Fatal("mismatched key accepted")
		}
	}
}

func TestVerifyDetachedMalformed(t *testing.T) {
	msg := readTestdata(t, "msg.txt")
	cms := readTestdata(t, "cms-noattr.der")
	for i := 0; i < len(cms); i += 7 {
		if _, err := VerifyDetached(cms[:i], msg); err == nil {
			t.Fatalf("truncated at %d verified", i)
		}
	}
	if _, err := VerifyDetached(nil, msg); !errors.Is(err, ErrMalformed) {
		t.Fatal(err)
	}
}

// Without signed attributes, the Go encoding is byte-for-byte OpenSSL's,
// apart from the (randomised) signature value at the end.
func TestSignDetachedMatchesOpenSSLLayout(t *testing.T) {
	msg := readTestdata(t, "msg.txt")
	cert, _ := ParseCertificatePEM(readTestdata(t, "cert.pem"))
	key, _ := ParsePrivateKeyPEM(readTestdata(t, "key.pem"))
	want := readTestdata(t, "cms-noattr.der")
	got, err := SignDetached(newSeeded(70), msg, cert, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || !bytes.Equal(got[:len(got)-64], want[:len(want)-64]) {
		t.Fatalf("layout differs from openssl:\n got %x\nwant %x", got, want)
	}
	if bytes.Equal(got, want) {
		t.Fatal("signature equals openssl's: nonce not random?")
	}
}
