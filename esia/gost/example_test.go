package gost_test

import (
	"crypto/rand"
	"fmt"
	"os"
	"time"

	"github.com/gospubliki/gosdk/esia/gost"
)

func Example_signVerify() {
	key, err := gost.GenerateKey(rand.Reader, gost.CurveCryptoProA())
	if err != nil {
		panic(err)
	}
	msg := []byte("CTPRF_RUopenid2025.09.02 13:00:29 +0300f47ac10b-58cc-4372-a567-0e02b2c3d479https://example.org/cb")

	// 64 bytes, s||r, the layout of `openssl dgst -md_gost12_256 -sign`.
	sig, err := gost.SignMessage(rand.Reader, key, msg)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(sig), gost.VerifyMessage(&key.PublicKey, msg, sig))

	// A CryptoPro (csptest) signature is the same bytes reversed.
	fmt.Println(gost.VerifyMessage(&key.PublicKey, msg, gost.ReverseBytes(gost.ReverseBytes(sig))))
	fmt.Println(gost.VerifyMessage(&key.PublicKey, []byte("tampered"), sig))
	// Output:
	// 64 true
	// true
	// false
}

func ExampleCertificateHash() {
	pemBytes, err := os.ReadFile("testdata/cert.pem")
	if err != nil {
		panic(err)
	}
	cert, err := gost.ParseCertificatePEM(pemBytes)
	if err != nil {
		panic(err)
	}
	// client_certificate_hash: Streebog-256 of the DER, uppercase hex.
	fmt.Println(gost.CertificateHash(cert.Raw))
	// Output: A78B41FEDD5624BC6469BF06323A7C28B10348812150FFBEF98D0786582B7025
}

func ExampleSignDetached() {
	key, _ := gost.GenerateKey(rand.Reader, gost.CurveCryptoProA())
	// A real client uses its own key and certificate; here the example
	// makes a self-signed certificate first.
	tmpl := &gost.CertificateTemplate{}
	tmpl.Subject.CommonName = "CTPRF_RU"
	tmpl.NotBefore = mustTime("2026-01-01T00:00:00Z")
	tmpl.NotAfter = mustTime("2027-01-01T00:00:00Z")
	certDER, err := gost.CreateCertificate(rand.Reader, tmpl, &key.PublicKey, nil, key)
	if err != nil {
		panic(err)
	}
	cert, _ := gost.ParseCertificate(certDER)

	content := []byte("scope2025.09.02 13:00:29 +0300CTPRF_RUstate")
	cms, err := gost.SignDetached(rand.Reader, content, cert, key)
	if err != nil {
		panic(err)
	}
	signer, err := gost.VerifyDetached(cms, content)
	fmt.Println(err, signer.X509.Subject.CommonName)
	// Output: <nil> CTPRF_RU
}

func mustTime(s string) (t time.Time) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
