package gost

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

func randBelow(rng *rand.Rand, m *big.Int) *big.Int {
	b := make([]byte, (m.BitLen()+7)/8+8)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	x := new(big.Int).SetBytes(b)
	return x.Mod(x, m)
}

func TestModulusAgainstBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for _, c := range allCurves() {
		for _, md := range []*modulus{c.fp, c.fq} {
			m := md.big
			edge := []*big.Int{big.NewInt(0), big.NewInt(1), new(big.Int).Sub(m, big.NewInt(1)), new(big.Int).Sub(m, big.NewInt(2))}
			for i := range 200 {
				var x, y *big.Int
				if i < 16 {
					x, y = edge[i%4], edge[i/4]
				} else {
					x, y = randBelow(rng, m), randBelow(rng, m)
				}
				ex, ey := elemFromBig(x), elemFromBig(y)
				var mx, my, r elem
				md.toMont(&mx, &ex)
				md.toMont(&my, &ey)

				md.mul(&r, &mx, &my)
				md.fromMont(&r, &r)
				want := new(big.Int).Mul(x, y)
				want.Mod(want, m)
				if r.toBig().Cmp(want) != 0 {
					t.Fatalf("%s: mul(%x,%x) = %x, want %x", c.Name, x, y, r.toBig(), want)
				}
				md.add(&r, &ex, &ey)
				want.Add(x, y).Mod(want, m)
				if r.toBig().Cmp(want) != 0 {
					t.Fatalf("%s: add wrong", c.Name)
				}
				md.sub(&r, &ex, &ey)
				want.Sub(x, y).Mod(want, m)
				if r.toBig().Cmp(want) != 0 {
					t.Fatalf("%s: sub wrong", c.Name)
				}
				if x.Sign() != 0 {
					md.inv(&r, &mx)
					md.fromMont(&r, &r)
					want.ModInverse(x, m)
					if r.toBig().Cmp(want) != 0 {
						t.Fatalf("%s: inv wrong", c.Name)
					}
				}
			}
		}
	}
}
