package gost

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// seededReader is a deterministic io.Reader for tests.
type seededReader struct{ r *rand.ChaCha8 }

func newSeeded(seed byte) *seededReader {
	var s [32]byte
	s[0] = seed
	return &seededReader{rand.NewChaCha8(s)}
}

func (s *seededReader) Read(p []byte) (int, error) { return s.r.Read(p) }

func beHex(s string, n int) []byte {
	b := new(big.Int).SetBytes(mustHex(strings.Repeat("0", len(s)%2) + s)).FillBytes(make([]byte, n))
	return b
}

// RFC 7091 appendix A examples (GOST R 34.10-2012, examples 1 and 2).
var rfc7091 = []struct {
	curve           func() *Curve
	d, qx, qy, e, k string
	r, s            string
}{
	{CurveTest256,
		"7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28",
		"7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B",
		"26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA",
		"2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5",
		"77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3",
		"41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493",
		"01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40"},
	{CurveTest512,
		"0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B102072E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4",
		"115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1",
		"37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC",
		"3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C5917184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C",
		"0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F365886748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1",
		"2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD35492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36",
		"1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A"},
}

func TestRFC7091Examples(t *testing.T) {
	for _, v := range rfc7091 {
		c := v.curve()
		n := c.PointSize
		key, err := NewPrivateKey(c, beHex(v.d, n))
		if err != nil {
			t.Fatal(err)
		}
		if key.X.Cmp(hexInt(v.qx)) != 0 || key.Y.Cmp(hexInt(v.qy)) != 0 {
			t.Fatalf("%s: public key = (%x, %x)", c.Name, key.X, key.Y)
		}
		// The RFC gives e as a number; the digest byte string is its
		// little-endian encoding.
		digest := ReverseBytes(beHex(v.e, n))
		kk := elemFromBytes(beHex(v.k, n))
		sig, ok := key.signWithK(digest, &kk)
		if !ok {
			t.Fatal("signWithK failed")
		}
		want := append(beHex(v.s, n), beHex(v.r, n)...)
		if !bytes.Equal(sig, want) {
			t.Fatalf("%s: signature\n got %x\nwant %x", c.Name, sig, want)
		}
		if !Verify(&key.PublicKey, digest, sig) {
			t.Fatalf("%s: RFC signature does not verify", c.Name)
		}
		bad := bytes.Clone(sig)
		bad[len(bad)-1] ^= 1
		if Verify(&key.PublicKey, digest, bad) {
			t.Fatalf("%s: tampered signature verified", c.Name)
		}
	}
}

func TestSignVerifyAllCurves(t *testing.T) {
	rnd := newSeeded(1)
	msg := []byte("scope2025.09.02 13:00:29 +0300CLIENTstate")
	for _, c := range allCurves() {
		key, err := GenerateKey(rnd, c)
		if err != nil {
			t.Fatal(err)
		}
		if !c.IsOnCurve(key.X, key.Y) {
			t.Fatalf("%s: public key not on curve", c.Name)
		}
		sig, err := SignMessage(rnd, key, msg)
		if err != nil {
			t.Fatal(err)
		}
		if len(sig) != 2*c.PointSize {
			t.Fatalf("%s: signature length %d", c.Name, len(sig))
		}
		if !VerifyMessage(&key.PublicKey, msg, sig) {
			t.Fatalf("%s: signature does not verify", c.Name)
		}
		if VerifyMessage(&key.PublicKey, append(bytes.Clone(msg), '!'), sig) {
			t.Fatalf("%s: signature verified for another message", c.Name)
		}
		for _, i := range []int{0, c.PointSize - 1, c.PointSize, 2*c.PointSize - 1} {
			bad := bytes.Clone(sig)
			bad[i] ^= 0x10
			if VerifyMessage(&key.PublicKey, msg, bad) {
				t.Fatalf("%s: tampered byte %d verified", c.Name, i)
			}
		}
		other, _ := GenerateKey(rnd, c)
		if VerifyMessage(&other.PublicKey, msg, sig) {
			t.Fatalf("%s: verified under another key", c.Name)
		}
		if VerifyMessage(&key.PublicKey, msg, ReverseBytes(sig)) {
			t.Fatalf("%s: CryptoPro-layout signature accepted as OpenSSL layout", c.Name)
		}
	}
}

func TestSignDeterministicWithSeed(t *testing.T) {
	c := CurveCryptoProA()
	k1, _ := GenerateKey(newSeeded(5), c)
	k2, _ := GenerateKey(newSeeded(5), c)
	if !k1.Equal(k2) {
		t.Fatal("same seed gave different keys")
	}
	d := Sum256([]byte("x"))
	s1, _ := k1.Sign(newSeeded(9), d[:], nil)
	s2, _ := k2.Sign(newSeeded(9), d[:], nil)
	if !bytes.Equal(s1, s2) {
		t.Fatal("same seed gave different signatures")
	}
	s3, _ := k1.Sign(newSeeded(10), d[:], nil)
	if bytes.Equal(s1, s3) {
		t.Fatal("different k gave the same signature")
	}
}

func TestSignErrors(t *testing.T) {
	c := CurveCryptoProA()
	key, _ := GenerateKey(newSeeded(2), c)
	if _, err := key.Sign(newSeeded(3), make([]byte, 31), nil); !errors.Is(err, ErrInvalidDigest) {
		t.Fatalf("short digest: %v", err)
	}
	if _, err := key.Sign(bytes.NewReader(nil), make([]byte, 32), nil); err == nil {
		t.Fatal("empty rand accepted")
	}
	if _, err := NewPrivateKey(c, make([]byte, 32)); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("zero key: %v", err)
	}
	if _, err := NewPrivateKey(c, c.Q.Bytes()); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("key = Q: %v", err)
	}
	if _, err := NewPrivateKey(c, make([]byte, 33)); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("long key: %v", err)
	}
	var nilKey *PrivateKey
	if _, err := nilKey.Sign(newSeeded(1), make([]byte, 32), nil); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("nil key: %v", err)
	}
	d := make([]byte, 32)
	sig, _ := key.Sign(newSeeded(4), d, nil)
	if !Verify(&key.PublicKey, d, sig) {
		t.Fatal("zero digest (e=1) does not verify")
	}
	offCurve := &PublicKey{Curve: c, X: key.X, Y: new(big.Int).Add(key.Y, big.NewInt(1))}
	if err := VerifyError(offCurve, d, sig); !errors.Is(err, ErrInvalidPublicKey) {
		t.Fatalf("off-curve key: %v", err)
	}
	if Verify(nil, d, sig) || Verify(&PublicKey{}, d, sig) {
		t.Fatal("nil key verified")
	}
	zeroR := append(bytes.Clone(sig[:32]), make([]byte, 32)...)
	if Verify(&key.PublicKey, d, zeroR) {
		t.Fatal("r = 0 verified")
	}
	qs := append(c.Q.FillBytes(make([]byte, 32)), sig[32:]...)
	if Verify(&key.PublicKey, d, qs) {
		t.Fatal("s = Q verified")
	}
}

func TestReverseBytes(t *testing.T) {
	in := []byte{1, 2, 3}
	out := ReverseBytes(in)
	if hex.EncodeToString(out) != "030201" || in[0] != 1 {
		t.Fatalf("ReverseBytes = %x (input %x)", out, in)
	}
	if len(ReverseBytes(nil)) != 0 {
		t.Fatal("ReverseBytes(nil) not empty")
	}
}

func TestNilAndZeroValuesDoNotPanic(t *testing.T) {
	var pub *PublicKey
	var key *PrivateKey
	var c *Curve
	_ = pub.Equal(pub)
	_ = (&PublicKey{}).Equal(&PublicKey{})
	_ = key.Equal(key)
	_ = (&PrivateKey{}).Equal(&PrivateKey{})
	_ = (&PrivateKey{}).Bytes()
	_ = (&PublicKey{}).RawLE()
	_ = c.String()
	_ = c.Is512()
	_ = c.IsOnCurve(nil, nil)
	if _, err := GenerateKey(newSeeded(1), &Curve{}); err == nil {
		t.Fatal("hand-made curve accepted")
	}
	if _, err := SignMessage(newSeeded(1), &PrivateKey{}, nil); err == nil {
		t.Fatal("empty key signed")
	}
	if VerifyMessage(nil, nil, nil) || VerifyMessage(&PublicKey{Curve: &Curve{}}, nil, nil) {
		t.Fatal("verified with no key")
	}
	if _, err := MarshalPKIXPublicKey(nil); err == nil {
		t.Fatal("marshalled nil key")
	}
	if _, err := MarshalPKCS8PrivateKey(nil); err == nil {
		t.Fatal("marshalled nil key")
	}
	if _, err := CreateCertificate(newSeeded(1), nil, nil, nil, nil); err == nil {
		t.Fatal("nil template accepted")
	}
	if _, err := CreateCertificate(newSeeded(1), &CertificateTemplate{}, nil, nil, nil); err == nil {
		t.Fatal("nil key accepted")
	}
	if _, err := SignDetached(newSeeded(1), nil, nil, nil); err == nil {
		t.Fatal("nil certificate accepted")
	}
	var cert *Certificate
	if err := cert.CheckSignatureFrom(nil); err == nil {
		t.Fatal("nil certificate verified")
	}
}

func TestConcurrentSigning(t *testing.T) {
	// Base-point tables are built lazily; run under -race.
	c := CurveTC26256B()
	key, _ := GenerateKey(newSeeded(50), c)
	done := make(chan error, 8)
	for i := range 8 {
		go func() {
			msg := []byte{byte(i)}
			sig, err := SignMessage(newSeeded(byte(60+i)), key, msg)
			if err == nil && !VerifyMessage(&key.PublicKey, msg, sig) {
				err = ErrInvalidSignature
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
