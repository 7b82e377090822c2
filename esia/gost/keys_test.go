package gost

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"math/big"
	"os"
	"testing"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseOpenSSLKeys(t *testing.T) {
	for _, v := range []struct {
		key, sig string
		curve    *Curve
	}{{"key.pem", "msg.sig", CurveCryptoProA()}, {"key-tca.pem", "msg-tca.sig", CurveTC26256A()}} {
		key, err := ParsePrivateKeyPEM(readTestdata(t, v.key))
		if err != nil {
			t.Fatal(err)
		}
		if key.Curve != v.curve {
			t.Fatalf("%s: curve %s", v.key, key.Curve.Name)
		}
		if !VerifyMessage(&key.PublicKey, readTestdata(t, "msg.txt"), readTestdata(t, v.sig)) {
			t.Fatalf("%s: openssl signature does not verify", v.sig)
		}
		// Re-encoding gives back openssl's exact bytes.
		enc, err := EncodePrivateKeyPEM(key)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc, readTestdata(t, v.key)) {
			t.Fatalf("%s: re-encoded key differs:\n%s", v.key, enc)
		}
	}
}

func TestPKCS8Forms(t *testing.T) {
	key, err := GenerateKey(newSeeded(11), CurveCryptoProA())
	if err != nil {
		t.Fatal(err)
	}
	der, err := MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	var info pkcs8
	if _, err := asn1.Unmarshal(der, &info); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(info.PrivateKey, ReverseBytes(key.Bytes())) {
		t.Fatal("private key is not stored little-endian")
	}
	octet, _ := asn1.Marshal(ReverseBytes(key.Bytes()))
	integer, _ := asn1.Marshal(key.D)
	for name, inner := range map[string][]byte{"raw": info.PrivateKey, "octet": octet, "integer": integer} {
		info.PrivateKey = inner
		b, _ := asn1.Marshal(info)
		got, err := ParsePKCS8PrivateKey(b)
		if err != nil {
			t.Fatalf("%s form: %v", name, err)
		}
		if !got.Equal(key) {
			t.Fatalf("%s form: different key", name)
		}
	}
	for name, inner := range map[string][]byte{"short": make([]byte, 31), "zero": make([]byte, 32), "empty": nil} {
		info.PrivateKey = inner
		b, _ := asn1.Marshal(info)
		if _, err := ParsePKCS8PrivateKey(b); !errors.Is(err, ErrInvalidKey) {
			t.Fatalf("%s: err = %v", name, err)
		}
	}
	if _, err := ParsePKCS8PrivateKey(append(der, 0)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("trailing data: %v", err)
	}
	if _, err := ParsePrivateKeyPEM([]byte("nothing")); !errors.Is(err, ErrMalformed) {
		t.Fatalf("no PEM: %v", err)
	}
}

func TestPKIXRoundTripAllCurves(t *testing.T) {
	rnd := newSeeded(12)
	for _, c := range allCurves() {
		key, _ := GenerateKey(rnd, c)
		der, err := MarshalPKIXPublicKey(&key.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := ParsePKIXPublicKey(der)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if !pub.Equal(&key.PublicKey) || pub.Curve != c {
			t.Fatalf("%s: public key round trip", c.Name)
		}
		pk8, err := MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParsePKCS8PrivateKey(pk8)
		if err != nil || !back.Equal(key) {
			t.Fatalf("%s: private key round trip: %v", c.Name, err)
		}
		pemPub, _ := EncodePublicKeyPEM(&key.PublicKey)
		if p2, err := ParsePublicKeyPEM(pemPub); err != nil || !p2.Equal(pub) {
			t.Fatalf("%s: PEM public key round trip: %v", c.Name, err)
		}
	}
	// A point off the curve is rejected.
	key, _ := GenerateKey(rnd, CurveCryptoProA())
	bad := key.PublicKey
	bad.Y = new(big.Int).Add(bad.Y, big.NewInt(1))
	if _, err := MarshalPKIXPublicKey(&bad); !errors.Is(err, ErrInvalidPublicKey) {
		t.Fatalf("marshal off-curve: %v", err)
	}
	der, _ := MarshalPKIXPublicKey(&key.PublicKey)
	der[len(der)-1] ^= 1
	if _, err := ParsePKIXPublicKey(der); !errors.Is(err, ErrInvalidPublicKey) {
		t.Fatalf("parse off-curve: %v", err)
	}
}

func TestUnsupportedCurve(t *testing.T) {
	if _, err := CurveByOID(asn1.ObjectIdentifier{1, 2, 3}); !errors.Is(err, ErrUnsupportedCurve) {
		t.Fatal(err)
	}
	params, _ := asn1.Marshal(publicKeyParameters{PublicKeyParamSet: asn1.ObjectIdentifier{1, 2, 3}})
	spki := subjectPublicKeyInfo{Algorithm: algorithmIdentifier{Algorithm: OIDPublicKey256, Parameters: asn1.RawValue{FullBytes: params}}}
	spki.PublicKey.Bytes, _ = asn1.Marshal(make([]byte, 64))
	spki.PublicKey.BitLength = 8 * len(spki.PublicKey.Bytes)
	der, _ := asn1.Marshal(spki)
	if _, err := ParsePKIXPublicKey(der); !errors.Is(err, ErrUnsupportedCurve) {
		t.Fatalf("unknown paramset: %v", err)
	}
	// A 512-bit curve under the 256-bit key algorithm is refused.
	params, _ = asn1.Marshal(publicKeyParameters{PublicKeyParamSet: oidTC26512A})
	spki.Algorithm.Parameters = asn1.RawValue{FullBytes: params}
	der, _ = asn1.Marshal(spki)
	if _, err := ParsePKIXPublicKey(der); !errors.Is(err, ErrUnsupportedCurve) {
		t.Fatalf("size mismatch: %v", err)
	}
	spki.Algorithm.Algorithm = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	der, _ = asn1.Marshal(spki)
	if _, err := ParsePKIXPublicKey(der); !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Fatalf("ECDSA OID: %v", err)
	}
}
