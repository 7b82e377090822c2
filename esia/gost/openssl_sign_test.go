package gost

import (
	"bytes"
	"encoding/hex"
	"testing"
)

var opensslParamsets = []struct {
	alg, paramset string
	curve         func() *Curve
}{
	{"gost2012_256", "A", CurveCryptoProA},
	{"gost2012_256", "TCA", CurveTC26256A},
	{"gost2012_512", "A", CurveTC26512A},
}

func mdFor(c *Curve) string {
	if c.Is512() {
		return "-md_gost12_512"
	}
	return "-md_gost12_256"
}

func TestOpenSSLStreebog(t *testing.T) {
	requireOpenSSL(t)
	for _, msg := range [][]byte{nil, rfcM1, rfcM2, bytes.Repeat([]byte{0xff}, 1000)} {
		for _, md := range []string{"-md_gost12_256", "-md_gost12_512"} {
			out := openssl(t, t.TempDir(), msg, "dgst", "-engine", "gost", md, "-r")
			got := string(bytes.Fields(out)[0])
			var want string
			if md == "-md_gost12_256" {
				h := Sum256(msg)
				want = hex.EncodeToString(h[:])
			} else {
				h := Sum512(msg)
				want = hex.EncodeToString(h[:])
			}
			if got != want {
				t.Fatalf("%s of %d bytes: openssl %s, Go %s", md, len(msg), got, want)
			}
		}
	}
}

// OpenSSL generates the key, Go loads it and signs, OpenSSL verifies; then
// OpenSSL signs and Go verifies.
func TestOpenSSLSignInterop(t *testing.T) {
	requireOpenSSL(t)
	for _, ps := range opensslParamsets {
		t.Run(ps.alg+"-"+ps.paramset, func(t *testing.T) {
			dir := t.TempDir()
			openssl(t, dir, nil, "genpkey", "-engine", "gost", "-algorithm", ps.alg, "-pkeyopt", "paramset:"+ps.paramset, "-out", "key.pem")
			openssl(t, dir, nil, "pkey", "-engine", "gost", "-in", "key.pem", "-pubout", "-out", "pub.pem")
			key, err := ParsePrivateKeyPEM(readFile(t, dir, "key.pem"))
			if err != nil {
				t.Fatal(err)
			}
			if key.Curve != ps.curve() {
				t.Fatalf("curve %s, want %s", key.Curve.Name, ps.curve().Name)
			}
			pub, err := ParsePublicKeyPEM(readFile(t, dir, "pub.pem"))
			if err != nil {
				t.Fatal(err)
			}
			if !pub.Equal(&key.PublicKey) {
				t.Fatal("public key derived in Go differs from openssl's")
			}
			myPub, _ := EncodePublicKeyPEM(&key.PublicKey)
			if !bytes.Equal(myPub, readFile(t, dir, "pub.pem")) {
				t.Fatalf("public key PEM differs:\n%s\n%s", myPub, readFile(t, dir, "pub.pem"))
			}
			msg := []byte("client_idscope2025.09.02 13:00:29 +0300state")
			writeFile(t, dir, "msg.txt", msg)

			sig, err := SignMessage(newSeeded(7), key, msg)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, dir, "go.sig", sig)
			openssl(t, dir, nil, "dgst", "-engine", "gost", mdFor(key.Curve), "-verify", "pub.pem", "-signature", "go.sig", "msg.txt")
			writeFile(t, dir, "bad.sig", ReverseBytes(sig))
			if _, err := opensslErr(dir, nil, "dgst", "-engine", "gost", mdFor(key.Curve), "-verify", "pub.pem", "-signature", "bad.sig", "msg.txt"); err == nil {
				t.Fatal("openssl accepted a reversed signature")
			}

			openssl(t, dir, nil, "dgst", "-engine", "gost", mdFor(key.Curve), "-sign", "key.pem", "-out", "ossl.sig", "msg.txt")
			osig := readFile(t, dir, "ossl.sig")
			if !VerifyMessage(&key.PublicKey, msg, osig) {
				t.Fatal("Go rejects openssl's signature")
			}
			if VerifyMessage(&key.PublicKey, []byte("other"), osig) {
				t.Fatal("Go accepts openssl's signature for another message")
			}

			// A Go-written key loads in openssl and signs.
			myKey, _ := EncodePrivateKeyPEM(key)
			writeFile(t, dir, "gokey.pem", myKey)
			openssl(t, dir, nil, "dgst", "-engine", "gost", mdFor(key.Curve), "-sign", "gokey.pem", "-out", "ossl2.sig", "msg.txt")
			if !VerifyMessage(&key.PublicKey, msg, readFile(t, dir, "ossl2.sig")) {
				t.Fatal("signature by openssl with the Go-written key does not verify")
			}
		})
	}
}
