package gost

import (
	"math/big"
	"math/bits"
)

// Fixed-size modular arithmetic in the Montgomery domain.
//
// Elements are little-endian arrays of 64-bit limbs; only the first n limbs
// are used (n = 4 for 256-bit moduli, 8 for 512-bit ones). The number of
// limbs is a public property of the curve, so every loop below runs a fixed
// number of times and no branch or memory index depends on the values: the
// routines are constant time with respect to secret operands.

const maxLimbs = 8

type elem [maxLimbs]uint64

// modulus describes Z/mZ for an odd modulus m < 2^(64n).
type modulus struct {
	n     int
	m     elem
	minv  uint64 // -m^-1 mod 2^64
	rr    elem   // R^2 mod m, R = 2^(64n)
	one   elem   // R mod m (1 in Montgomery form)
	mm2   elem   // m-2, the exponent for inversion
	bitsN int    // bit length of m
	big   *big.Int
}

func newModulus(m *big.Int) *modulus {
	md := &modulus{big: new(big.Int).Set(m), bitsN: m.BitLen()}
	md.n = (m.BitLen() + 63) / 64
	if md.n <= 4 {
		md.n = 4
	} else {
		md.n = 8
	}
	md.m = elemFromBig(m)
	// Newton iteration for m0^-1 mod 2^64.
	inv := uint64(1)
	for range 6 {
		inv *= 2 - md.m[0]*inv
	}
	md.minv = -inv
	r := new(big.Int).Lsh(big.NewInt(1), uint(64*md.n))
	md.one = elemFromBig(new(big.Int).Mod(r, m))
	rr := new(big.Int).Mul(r, r)
	md.rr = elemFromBig(rr.Mod(rr, m))
	md.mm2 = elemFromBig(new(big.Int).Sub(m, big.NewInt(2)))
	return md
}

// elemFromBig converts 0 <= x < 2^512 to limbs (not Montgomery form).
func elemFromBig(x *big.Int) elem {
	var e elem
	var buf [64]byte
	x.FillBytes(buf[:])
	for i := range maxLimbs {
		for j := range 8 {
			e[i] |= uint64(buf[63-8*i-j]) << (8 * j)
		}
	}
	return e
}

// elemFromBytes converts a big-endian byte string of at most 64 bytes.
func elemFromBytes(b []byte) elem {
	var e elem
	for i := range b {
		k := len(b) - 1 - i // significance of byte b[i]
		e[k/8] |= uint64(b[i]) << (8 * (k % 8))
	}
	return e
}

// fillBytes writes e big-endian into out (len(out) <= 64).
func (e *elem) fillBytes(out []byte) {
	for i := range out {
		k := len(out) - 1 - i
		out[i] = byte(e[k/8] >> (8 * (k % 8)))
	}
}

func (e *elem) toBig() *big.Int {
	var buf [64]byte
	e.fillBytes(buf[:])
	return new(big.Int).SetBytes(buf[:])
}

// mul sets z = x*y*R^-1 mod m (CIOS Montgomery multiplication).
func (md *modulus) mul(z, x, y *elem) {
	if md.n == 4 {
		md.mul4(z, x, y)
		return
	}
	n := md.n
	var t [maxLimbs + 2]uint64
	for i := range n {
		var c, cc uint64
		yi := y[i]
		for j := range n {
			hi, lo := bits.Mul64(x[j], yi)
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[j] = lo
			c = hi
		}
		t[n], cc = bits.Add64(t[n], c, 0)
		t[n+1] = cc

		u := t[0] * md.minv
		hi, lo := bits.Mul64(u, md.m[0])
		_, cc = bits.Add64(lo, t[0], 0)
		c = hi + cc
		for j := 1; j < n; j++ {
			hi, lo = bits.Mul64(u, md.m[j])
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[j-1] = lo
			c = hi
		}
		t[n-1], cc = bits.Add64(t[n], c, 0)
		t[n] = t[n+1] + cc
	}
	// t < 2m: subtract m once if t >= m.
	var d elem
	var b uint64
	for j := range n {
		d[j], b = bits.Sub64(t[j], md.m[j], b)
	}
	_, b = bits.Sub64(t[n], 0, b)
	keep := -b // all ones when t < m
	for j := range n {
		z[j] = (t[j] & keep) | (d[j] &^ keep)
	}
}

// add sets z = x + y mod m.
func (md *modulus) add(z, x, y *elem) {
	n := md.n
	var s, d elem
	var c, b uint64
	for j := range n {
		s[j], c = bits.Add64(x[j], y[j], c)
	}
	for j := range n {
		d[j], b = bits.Sub64(s[j], md.m[j], b)
	}
	useD := -(c | (b ^ 1))
	for j := range n {
		z[j] = (d[j] & useD) | (s[j] &^ useD)
	}
}

// sub sets z = x - y mod m.
func (md *modulus) sub(z, x, y *elem) {
	n := md.n
	var d elem
	var b, c uint64
	for j := range n {
		d[j], b = bits.Sub64(x[j], y[j], b)
	}
	mask := -b
	for j := range n {
		z[j], c = bits.Add64(d[j], md.m[j]&mask, c)
	}
}

// toMont converts x < m to Montgomery form.
func (md *modulus) toMont(z, x *elem) { md.mul(z, x, &md.rr) }

// fromMont converts x out of Montgomery form.
func (md *modulus) fromMont(z, x *elem) {
	one := elem{1}
	md.mul(z, x, &one)
}

// inv sets z = x^-1 (x^(m-2), Montgomery form in and out; m must be prime).
// The exponent is public, the base may be secret: the sequence of
// operations does not depend on x.
func (md *modulus) inv(z, x *elem) {
	r := md.one
	base := *x
	for i := md.bitsN - 1; i >= 0; i-- {
		md.mul(&r, &r, &r)
		if (md.mm2[i/64]>>(i%64))&1 == 1 {
			md.mul(&r, &r, &base)
		}
	}
	*z = r
}

// isZero returns 1 if x == 0, else 0, in constant time.
func (md *modulus) isZero(x *elem) uint64 {
	var acc uint64
	for j := range md.n {
		acc |= x[j]
	}
	return 1 ^ ((acc | -acc) >> 63)
}

// less reports whether x < m. The comparison over the n used limbs is
// branch-free; limbs above n (always zero for inputs of at most
// PointSize bytes) are checked with an early return.
func (md *modulus) less(x *elem) bool {
	var b uint64
	for j := range md.n {
		_, b = bits.Sub64(x[j], md.m[j], b)
	}
	for j := md.n; j < maxLimbs; j++ {
		if x[j] != 0 {
			return false
		}
	}
	return b == 1
}

// cswap swaps x and y when bit == 1, in constant time.
func cswap(x, y *elem, bit uint64) {
	mask := -bit
	for j := range maxLimbs {
		t := (x[j] ^ y[j]) & mask
		x[j] ^= t
		y[j] ^= t
	}
}

// mul4 is mul unrolled for four limbs (256-bit moduli).
func (md *modulus) mul4(z, x, y *elem) {
	m0, m1, m2, m3 := md.m[0], md.m[1], md.m[2], md.m[3]
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	var t0, t1, t2, t3, t4 uint64
	for i := range 4 {
		yi := y[i]
		var c, cc, hi, lo, t5 uint64
		// t += x*yi
		hi, lo = bits.Mul64(x0, yi)
		t0, cc = bits.Add64(lo, t0, 0)
		c = hi + cc
		hi, lo = bits.Mul64(x1, yi)
		lo, cc = bits.Add64(lo, t1, 0)
		hi += cc
		t1, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(x2, yi)
		lo, cc = bits.Add64(lo, t2, 0)
		hi += cc
		t2, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(x3, yi)
		lo, cc = bits.Add64(lo, t3, 0)
		hi += cc
		t3, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		t4, t5 = bits.Add64(t4, c, 0)
		// t = (t + u*m) / 2^64
		u := t0 * md.minv
		hi, lo = bits.Mul64(u, m0)
		_, cc = bits.Add64(lo, t0, 0)
		c = hi + cc
		hi, lo = bits.Mul64(u, m1)
		lo, cc = bits.Add64(lo, t1, 0)
		hi += cc
		t0, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(u, m2)
		lo, cc = bits.Add64(lo, t2, 0)
		hi += cc
		t1, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(u, m3)
		lo, cc = bits.Add64(lo, t3, 0)
		hi += cc
		t2, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		t3, cc = bits.Add64(t4, c, 0)
		t4 = t5 + cc
	}
	var d0, d1, d2, d3, b uint64
	d0, b = bits.Sub64(t0, m0, 0)
	d1, b = bits.Sub64(t1, m1, b)
	d2, b = bits.Sub64(t2, m2, b)
	d3, b = bits.Sub64(t3, m3, b)
	_, b = bits.Sub64(t4, 0, b)
	keep := -b
	z[0] = (t0 & keep) | (d0 &^ keep)
	z[1] = (t1 & keep) | (d1 &^ keep)
	z[2] = (t2 & keep) | (d2 &^ keep)
	z[3] = (t3 & keep) | (d3 &^ keep)
}
