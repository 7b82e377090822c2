package gost

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"testing"
)

// Benchmarks with crypto/sha256 and crypto/ecdsa P-256 as the baseline:
//
//	go test -run '^$' -bench . -benchmem ./esia/gost/

func BenchmarkStreebog256_1K(b *testing.B) {
	buf := make([]byte, 1024)
	b.SetBytes(int64(len(buf)))
	h := New256()
	var out []byte
	for b.Loop() {
		h.Reset()
		h.Write(buf)
		out = h.Sum(out[:0])
	}
}

func BenchmarkStreebog512_1K(b *testing.B) {
	buf := make([]byte, 1024)
	b.SetBytes(int64(len(buf)))
	h := New512()
	var out []byte
	for b.Loop() {
		h.Reset()
		h.Write(buf)
		out = h.Sum(out[:0])
	}
}

func BenchmarkSHA256_1K(b *testing.B) {
	buf := make([]byte, 1024)
	b.SetBytes(int64(len(buf)))
	h := sha256.New()
	var out []byte
	for b.Loop() {
		h.Reset()
		h.Write(buf)
		out = h.Sum(out[:0])
	}
}

func benchSign(b *testing.B, c *Curve) {
	key, err := GenerateKey(rand.Reader, c)
	if err != nil {
		b.Fatal(err)
	}
	d := make([]byte, c.PointSize)
	for b.Loop() {
		if _, err := key.Sign(rand.Reader, d, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func benchVerify(b *testing.B, c *Curve) {
	key, _ := GenerateKey(rand.Reader, c)
	d := make([]byte, c.PointSize)
	sig, _ := key.Sign(rand.Reader, d, nil)
	for b.Loop() {
		if !Verify(&key.PublicKey, d, sig) {
			b.Fatal("verify failed")
		}
	}
}

func BenchmarkSignCryptoProA(b *testing.B)   { benchSign(b, CurveCryptoProA()) }
func BenchmarkVerifyCryptoProA(b *testing.B) { benchVerify(b, CurveCryptoProA()) }
func BenchmarkSignTC26512A(b *testing.B)     { benchSign(b, CurveTC26512A()) }
func BenchmarkVerifyTC26512A(b *testing.B)   { benchVerify(b, CurveTC26512A()) }

func BenchmarkECDSAP256Sign(b *testing.B) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	d := make([]byte, 32)
	for b.Loop() {
		if _, err := ecdsa.SignASN1(rand.Reader, key, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkECDSAP256Verify(b *testing.B) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	d := make([]byte, 32)
	sig, _ := ecdsa.SignASN1(rand.Reader, key, d)
	for b.Loop() {
		if !ecdsa.VerifyASN1(&key.PublicKey, d, sig) {
			b.Fatal("verify failed")
		}
	}
}
