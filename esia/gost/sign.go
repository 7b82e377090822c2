package gost

import (
	"crypto"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"math/big"
)

// PublicKey is a GOST R 34.10-2012 public key: the point (X, Y) of Curve.
type PublicKey struct {
	// Curve is the parameter set of the key.
	Curve *Curve
	// X and Y are the affine coordinates of the public point.
	X, Y *big.Int
}

// PrivateKey is a GOST R 34.10-2012 private key: the scalar D, 0 < D < Q.
type PrivateKey struct {
	PublicKey
	// D is the secret scalar. See the package documentation on side channels.
	D *big.Int
}

// Equal reports whether pub and x are the same public key.
func (pub *PublicKey) Equal(x crypto.PublicKey) bool {
	o, ok := x.(*PublicKey)
	if !ok || pub == nil || o == nil || pub.Curve == nil || o.Curve == nil ||
		pub.X == nil || pub.Y == nil || o.X == nil || o.Y == nil {
		return false
	}
	return pub.Curve.OID.Equal(o.Curve.OID) && pub.X.Cmp(o.X) == 0 && pub.Y.Cmp(o.Y) == 0
}

// Validate checks that pub is a point of its curve.
func (pub *PublicKey) Validate() error {
	if pub == nil || pub.Curve == nil || pub.Curve.fp == nil {
		return fmt.Errorf("%w: no curve", ErrInvalidPublicKey)
	}
	if !pub.Curve.IsOnCurve(pub.X, pub.Y) {
		return fmt.Errorf("%w: point is not on %s", ErrInvalidPublicKey, pub.Curve.Name)
	}
	return nil
}

var _ crypto.Signer = (*PrivateKey)(nil)

// Public returns the public key of k as a *PublicKey.
func (k *PrivateKey) Public() crypto.PublicKey { return &k.PublicKey }

// Equal reports whether k and x are the same private key.
func (k *PrivateKey) Equal(x crypto.PrivateKey) bool {
	o, ok := x.(*PrivateKey)
	if !ok || k == nil || o == nil || k.D == nil || o.D == nil {
		return false
	}
	return k.PublicKey.Equal(&o.PublicKey) && k.D.Cmp(o.D) == 0
}

// randScalar reads a uniformly random scalar in [1, Q) from rand.
func randScalar(rand io.Reader, c *Curve) (elem, error) {
	buf := make([]byte, c.PointSize)
	excess := 8*c.PointSize - c.fq.bitsN
	for range 1000 {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return elem{}, fmt.Errorf("gost: reading randomness: %w", err)
		}
		buf[0] &= 0xFF >> excess
		k := elemFromBytes(buf)
		if c.fq.isZero(&k) == 0 && c.fq.less(&k) {
			return k, nil
		}
	}
	return elem{}, errors.New("gost: random source returned no usable scalar")
}

// GenerateKey generates a private key on curve c, reading randomness from
// rand (crypto/rand.Reader in production).
func GenerateKey(rand io.Reader, c *Curve) (*PrivateKey, error) {
	if c == nil || c.fp == nil {
		return nil, fmt.Errorf("%w: nil curve", ErrUnsupportedCurve)
	}
	d, err := randScalar(rand, c)
	if err != nil {
		return nil, err
	}
	return newPrivateKey(c, d)
}

// NewPrivateKey builds a private key from a big-endian scalar. raw must be
// exactly c.PointSize bytes (or shorter, it is then left-padded) and encode
// a value in [1, Q).
func NewPrivateKey(c *Curve, raw []byte) (*PrivateKey, error) {
	if c == nil || c.fp == nil {
		return nil, fmt.Errorf("%w: nil curve", ErrUnsupportedCurve)
	}
	if len(raw) == 0 || len(raw) > c.PointSize {
		return nil, fmt.Errorf("%w: %d-byte scalar for %s", ErrInvalidKey, len(raw), c.Name)
	}
	d := elemFromBytes(raw)
	if c.fq.isZero(&d) == 1 || !c.fq.less(&d) {
		return nil, fmt.Errorf("%w: scalar out of range", ErrInvalidKey)
	}
	return newPrivateKey(c, d)
}

func newPrivateKey(c *Curve, d elem) (*PrivateKey, error) {
	p := c.scalarBaseMult(&d)
	x, y, ok := c.affine(&p)
	if !ok {
		return nil, fmt.Errorf("%w: scalar out of range", ErrInvalidKey)
	}
	return &PrivateKey{
		PublicKey: PublicKey{Curve: c, X: x.toBig(), Y: y.toBig()},
		D:         d.toBig(),
	}, nil
}

// Bytes returns the private scalar as a big-endian PointSize-byte string
// (nil for an invalid key).
func (k *PrivateKey) Bytes() []byte {
	if k.check() != nil {
		return nil
	}
	out := make([]byte, k.Curve.PointSize)
	k.D.FillBytes(out)
	return out
}

// digestToScalar maps a digest to e = alpha mod Q (alpha is the digest read
// as a little-endian integer, as GOST R 34.11-2012 outputs its value),
// replacing 0 by 1 (RFC 7091, 6.1 step 2).
func digestToScalar(c *Curve, digest []byte) *big.Int {
	e := new(big.Int).SetBytes(ReverseBytes(digest))
	e.Mod(e, c.Q)
	if e.Sign() == 0 {
		e.SetInt64(1)
	}
	return e
}

// Sign signs digest, the Streebog hash of the message (32 bytes for 256-bit
// curves, 64 for 512-bit ones), and returns the signature in OpenSSL's
// layout: s || r, each big-endian and PointSize bytes long (64 bytes in all
// for 256-bit keys). This is also the RFC 4491 / RFC 9215 layout used in
// certificates and CMS. CryptoPro tools use the byte-reversed form; see
// ReverseBytes.
//
// opts is ignored (GOST hashes have no crypto.Hash value); rand supplies the
// per-signature secret k.
func (k *PrivateKey) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if err := k.check(); err != nil {
		return nil, err
	}
	c := k.Curve
	if len(digest) != c.PointSize {
		return nil, fmt.Errorf("%w: %d bytes for %s (want %d)", ErrInvalidDigest, len(digest), c.Name, c.PointSize)
	}
	for range 100 {
		kk, err := randScalar(rand, c)
		if err != nil {
			return nil, err
		}
		sig, ok := k.signWithK(digest, &kk)
		if ok {
			return sig, nil
		}
	}
	return nil, errors.New("gost: could not produce a signature")
}

func (k *PrivateKey) check() error {
	if k == nil || k.Curve == nil || k.Curve.fp == nil || k.D == nil {
		return fmt.Errorf("%w: incomplete key", ErrInvalidKey)
	}
	if k.D.Sign() <= 0 || k.D.Cmp(k.Curve.Q) >= 0 {
		return fmt.Errorf("%w: scalar out of range", ErrInvalidKey)
	}
	return nil
}

// signWithK runs RFC 7091 6.1 steps 3-6 with a given secret 0 < kk < Q.
// ok is false when r or s is zero (the caller picks another k).
func (k *PrivateKey) signWithK(digest []byte, kk *elem) ([]byte, bool) {
	c := k.Curve
	fq := c.fq
	e := digestToScalar(c, digest)
	cp := c.scalarBaseMult(kk)
	x, _, ok := c.affine(&cp)
	if !ok {
		return nil, false
	}
	r := x.toBig()
	r.Mod(r, c.Q)
	if r.Sign() == 0 {
		return nil, false
	}
	// s = (r*d + k*e) mod q, in constant-time Montgomery arithmetic.
	re, ee, de := elemFromBig(r), elemFromBig(e), elemFromBig(k.D)
	var rm, em, dm, km, rd, ke, s elem
	fq.toMont(&rm, &re)
	fq.toMont(&em, &ee)
	fq.toMont(&dm, &de)
	fq.toMont(&km, kk)
	fq.mul(&rd, &rm, &dm)
	fq.mul(&ke, &km, &em)
	fq.add(&s, &rd, &ke)
	fq.fromMont(&s, &s)
	if fq.isZero(&s) == 1 {
		return nil, false
	}
	n := c.PointSize
	sig := make([]byte, 2*n)
	s.fillBytes(sig[:n])
	r.FillBytes(sig[n:])
	return sig, true
}

// Verify reports whether sig (s || r, big-endian, OpenSSL layout) is a valid
// signature of digest (the Streebog hash of the message) under pub.
func Verify(pub *PublicKey, digest, sig []byte) bool {
	return verify(pub, digest, sig) == nil
}

// VerifyError is like Verify but returns an error wrapping
// ErrInvalidSignature, ErrInvalidPublicKey or ErrInvalidDigest.
func VerifyError(pub *PublicKey, digest, sig []byte) error {
	return verify(pub, digest, sig)
}

func verify(pub *PublicKey, digest, sig []byte) error {
	if err := pub.Validate(); err != nil {
		return err
	}
	c := pub.Curve
	n := c.PointSize
	if len(digest) != n {
		return fmt.Errorf("%w: %d bytes for %s (want %d)", ErrInvalidDigest, len(digest), c.Name, n)
	}
	if len(sig) != 2*n {
		return fmt.Errorf("%w: %d-byte signature (want %d)", ErrInvalidSignature, len(sig), 2*n)
	}
	s := new(big.Int).SetBytes(sig[:n])
	r := new(big.Int).SetBytes(sig[n:])
	if r.Sign() == 0 || s.Sign() == 0 || r.Cmp(c.Q) >= 0 || s.Cmp(c.Q) >= 0 {
		return fmt.Errorf("%w: r or s out of range", ErrInvalidSignature)
	}
	e := digestToScalar(c, digest)
	v := new(big.Int).ModInverse(e, c.Q)
	if v == nil {
		return fmt.Errorf("%w: digest not invertible", ErrInvalidSignature)
	}
	z1 := new(big.Int).Mul(s, v)
	z1.Mod(z1, c.Q)
	z2 := new(big.Int).Mul(r, v)
	z2.Mod(z2, c.Q)
	z2.Sub(c.Q, z2).Mod(z2, c.Q)

	q := c.pointFromAffine(pub.X, pub.Y)
	ez1, ez2 := elemFromBig(z1), elemFromBig(z2)
	p1 := c.scalarBaseMult(&ez1)
	p2 := c.scalarMultWindow(&q, &ez2)
	var sum point
	c.add(&sum, &p1, &p2)
	x, _, ok := c.affine(&sum)
	if !ok {
		return ErrInvalidSignature
	}
	rr := x.toBig()
	rr.Mod(rr, c.Q)
	var a, b [64]byte
	rr.FillBytes(a[:])
	r.FillBytes(b[:])
	if subtle.ConstantTimeCompare(a[:], b[:]) != 1 {
		return ErrInvalidSignature
	}
	return nil
}

// hashFor returns the Streebog variant matching c (256 or 512 bits).
func hashFor(c *Curve, msg []byte) []byte {
	if c.Is512() {
		h := Sum512(msg)
		return h[:]
	}
	h := Sum256(msg)
	return h[:]
}

// SignMessage hashes msg with Streebog-256 (Streebog-512 for 512-bit keys)
// and signs the digest; the result is what
// `openssl dgst -engine gost -md_gost12_256 -sign key.pem` produces.
func SignMessage(rand io.Reader, k *PrivateKey, msg []byte) ([]byte, error) {
	if err := k.check(); err != nil {
		return nil, err
	}
	return k.Sign(rand, hashFor(k.Curve, msg), nil)
}

// VerifyMessage hashes msg like SignMessage and verifies sig.
func VerifyMessage(pub *PublicKey, msg, sig []byte) bool {
	if pub.Validate() != nil {
		return false
	}
	return Verify(pub, hashFor(pub.Curve, msg), sig)
}

// ReverseBytes returns a reversed copy of b. It converts a signature between
// OpenSSL's layout (s||r big-endian) and the CryptoPro layout
// (csptest, CPRawSignature: r||s little-endian), and a key or digest between
// little- and big-endian forms.
func ReverseBytes(b []byte) []byte {
	out := make([]byte, len(b))
	for i, v := range b {
		out[len(b)-1-i] = v
	}
	return out
}
