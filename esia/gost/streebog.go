package gost

import (
	"encoding/binary"
	"hash"
)

// Streebog (GOST R 34.11-2012, RFC 6986).
//
// The 512-bit state is kept as eight 64-bit words, word k holding bytes
// 8k..8k+7 of the little-endian representation (byte 0 is the least
// significant byte a_0 of the RFC's a_63||...||a_0). A message is consumed
// in its natural byte order: the first 64 bytes form the first block.

const (
	// Size256 is the size in bytes of a Streebog-256 digest.
	Size256 = 32
	// Size512 is the size in bytes of a Streebog-512 digest.
	Size512 = 64
	// BlockSize is the block size of Streebog in bytes.
	BlockSize = 64
)

// lpsTable[j][v] is l(Pi(v) << 8j): the contribution of byte value v found in
// input word j to an output word of the LPS transformation. P transposes the
// 8x8 byte matrix, so output word k gathers byte k of every input word j;
// L is linear, so the contributions are XORed.
var lpsTable = buildLPSTable()

func buildLPSTable() *[8][256]uint64 {
	var t [8][256]uint64
	for j := range 8 {
		for v := range 256 {
			t[j][v] = linearL(uint64(sbox[v]) << (8 * j))
		}
	}
	return &t
}

// linearL is the transformation l of RFC 6986 on one 64-bit word.
func linearL(w uint64) uint64 {
	var r uint64
	for i := range 64 {
		if w&(1<<i) != 0 {
			r ^= matrixA[63-i]
		}
	}
	return r
}

func lps(x *[8]uint64) [8]uint64 {
	t := lpsTable
	var r [8]uint64
	for k := range 8 {
		s := 8 * k
		r[k] = t[0][byte(x[0]>>s)] ^ t[1][byte(x[1]>>s)] ^ t[2][byte(x[2]>>s)] ^
			t[3][byte(x[3]>>s)] ^ t[4][byte(x[4]>>s)] ^ t[5][byte(x[5]>>s)] ^
			t[6][byte(x[6]>>s)] ^ t[7][byte(x[7]>>s)]
	}
	return r
}

// compress is g_N(h, m) = E(LPS(h xor N), m) xor h xor m.
func compress(h, n, m *[8]uint64) {
	var k, st [8]uint64
	for i := range 8 {
		k[i] = h[i] ^ n[i]
	}
	k = lps(&k)
	for i := range 8 {
		st[i] = k[i] ^ m[i]
	}
	for r := range 12 {
		st = lps(&st)
		for i := range 8 {
			k[i] ^= roundC[r][i]
		}
		k = lps(&k)
		for i := range 8 {
			st[i] ^= k[i]
		}
	}
	for i := range 8 {
		h[i] ^= st[i] ^ m[i]
	}
}

// add512 sets a = a + b mod 2^512.
func add512(a, b *[8]uint64) {
	var c uint64
	for i := range 8 {
		s := a[i] + b[i]
		c1 := uint64(0)
		if s < a[i] {
			c1 = 1
		}
		s2 := s + c
		if s2 < s {
			c1 = 1
		}
		a[i] = s2
		c = c1
	}
}

type streebog struct {
	h, n, sigma [8]uint64
	buf         [BlockSize]byte
	nbuf        int
	size        int
}

// New256 returns a new hash.Hash computing the Streebog-256
// (GOST R 34.11-2012, 256-bit) digest. Its Sum output is the byte string
// that OpenSSL's md_gost12_256 and gost12sum print.
func New256() hash.Hash {
	d := &streebog{size: Size256}
	d.Reset()
	return d
}

// New512 returns a new hash.Hash computing the Streebog-512
// (GOST R 34.11-2012, 512-bit) digest.
func New512() hash.Hash {
	d := &streebog{size: Size512}
	d.Reset()
	return d
}

// Sum256 returns the Streebog-256 digest of data.
func Sum256(data []byte) [Size256]byte {
	d := streebog{size: Size256}
	d.Reset()
	d.Write(data)
	var out [Size256]byte
	d.checkSum(out[:0])
	return out
}

// Sum512 returns the Streebog-512 digest of data.
func Sum512(data []byte) [Size512]byte {
	d := streebog{size: Size512}
	d.Reset()
	d.Write(data)
	var out [Size512]byte
	d.checkSum(out[:0])
	return out
}

// Reset restores the initial state.
func (d *streebog) Reset() {
	var iv uint64
	if d.size == Size256 {
		iv = 0x0101010101010101
	}
	for i := range 8 {
		d.h[i] = iv
		d.n[i] = 0
		d.sigma[i] = 0
	}
	d.nbuf = 0
}

// Size returns the digest size in bytes.
func (d *streebog) Size() int { return d.size }

// BlockSize returns 64.
func (d *streebog) BlockSize() int { return BlockSize }

var n512 = [8]uint64{512}

func (d *streebog) block(p []byte) {
	var m [8]uint64
	for i := range 8 {
		m[i] = binary.LittleEndian.Uint64(p[8*i:])
	}
	compress(&d.h, &d.n, &m)
	add512(&d.n, &n512)
	add512(&d.sigma, &m)
}

// Write absorbs p; it never fails.
func (d *streebog) Write(p []byte) (int, error) {
	total := len(p)
	if d.nbuf > 0 {
		k := copy(d.buf[d.nbuf:], p)
		d.nbuf += k
		p = p[k:]
		if d.nbuf < BlockSize {
			return total, nil
		}
		d.block(d.buf[:])
		d.nbuf = 0
	}
	for len(p) >= BlockSize {
		d.block(p[:BlockSize])
		p = p[BlockSize:]
	}
	d.nbuf = copy(d.buf[:], p)
	return total, nil
}

// Sum appends the digest to in without changing the state.
func (d *streebog) Sum(in []byte) []byte {
	c := *d
	return c.checkSum(in)
}

// checkSum finalises d (destructively) and appends the digest to in.
func (d *streebog) checkSum(in []byte) []byte {
	var blk [BlockSize]byte
	copy(blk[:], d.buf[:d.nbuf])
	blk[d.nbuf] = 1
	var m [8]uint64
	for i := range 8 {
		m[i] = binary.LittleEndian.Uint64(blk[8*i:])
	}
	compress(&d.h, &d.n, &m)
	bits := [8]uint64{uint64(d.nbuf) * 8}
	add512(&d.n, &bits)
	add512(&d.sigma, &m)
	var zero [8]uint64
	compress(&d.h, &zero, &d.n)
	compress(&d.h, &zero, &d.sigma)
	var out [Size512]byte
	for i := range 8 {
		binary.LittleEndian.PutUint64(out[8*i:], d.h[i])
	}
	if d.size == Size256 {
		return append(in, out[32:]...)
	}
	return append(in, out[:]...)
}
