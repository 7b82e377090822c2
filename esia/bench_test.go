package esia_test

import (
	"testing"
)

// Run: go test -run '^$' -bench . -benchmem ./esia/

func benchmarkVerify(b *testing.B, s jwtSigner) {
	c, _ := mockClient(b, baseConfig(b))
	tok := makeJWT(b, s, accessClaims(), nil)
	if _, err := c.VerifyAccessToken(tok); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.VerifyAccessToken(tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyAccessTokenGOST(b *testing.B)  { benchmarkVerify(b, gostJWTSigner(b, "esia")) }
func BenchmarkVerifyAccessTokenRS256(b *testing.B) { benchmarkVerify(b, rsaJWTSigner(b, "esia")) }

// BenchmarkVerifyAccessTokenRotation measures the worst case of a rotation:
// the token verifies only against the second configured GOST certificate.
func BenchmarkVerifyAccessTokenRotation(b *testing.B) {
	cfg := baseConfig(b)
	cfg.Certificates = [][]byte{readTestdata(b, "gost_esia_cert.pem"), readTestdata(b, "gost_esia2_cert.pem")}
	c, _ := mockClient(b, cfg)
	tok := makeJWT(b, gostJWTSigner(b, "esia2"), accessClaims(), nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.VerifyAccessToken(tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAuthCodeURLGOST(b *testing.B) {
	c, _ := mockClient(b, baseConfig(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.AuthCodeURL(b.Context(), "3fa85f64-5717-4562-b3fc-2c963f66afa6"); err != nil {
			b.Fatal(err)
		}
	}
}
