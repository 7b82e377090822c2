package gost

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// refAdd is a textbook affine addition used as an oracle (nil = infinity).
func refAdd(c *Curve, x1, y1, x2, y2 *big.Int) (*big.Int, *big.Int) {
	if x1 == nil {
		return x2, y2
	}
	if x2 == nil {
		return x1, y1
	}
	p := c.P
	var l *big.Int
	if x1.Cmp(x2) == 0 {
		if new(big.Int).Mod(new(big.Int).Add(y1, y2), p).Sign() == 0 {
			return nil, nil
		}
		num := new(big.Int).Mul(x1, x1)
		num.Mul(num, big.NewInt(3)).Add(num, c.A)
		den := new(big.Int).Lsh(y1, 1)
		l = num.Mul(num, den.ModInverse(den, p))
	} else {
		num := new(big.Int).Sub(y2, y1)
		den := new(big.Int).Sub(x2, x1)
		den.Mod(den, p)
		l = num.Mul(num, den.ModInverse(den, p))
	}
	l.Mod(l, p)
	x3 := new(big.Int).Mul(l, l)
	x3.Sub(x3, x1).Sub(x3, x2).Mod(x3, p)
	y3 := new(big.Int).Sub(x1, x3)
	y3.Mul(y3, l).Sub(y3, y1).Mod(y3, p)
	return x3, y3
}

func refMult(c *Curve, k *big.Int, x, y *big.Int) (*big.Int, *big.Int) {
	var rx, ry *big.Int
	for i := k.BitLen() - 1; i >= 0; i-- {
		rx, ry = refAdd(c, rx, ry, rx, ry)
		if k.Bit(i) == 1 {
			rx, ry = refAdd(c, rx, ry, x, y)
		}
	}
	return rx, ry
}

func TestCurveParameters(t *testing.T) {
	for _, c := range allCurves() {
		if !c.IsOnCurve(c.X, c.Y) {
			t.Errorf("%s: base point not on curve", c.Name)
			continue
		}
		if !c.P.ProbablyPrime(20) || !c.Q.ProbablyPrime(20) {
			t.Errorf("%s: P or Q not prime", c.Name)
		}
		// Q*G must be the neutral element, (Q-1)*G must be -G.
		k := elemFromBig(c.Q)
		r := c.scalarMult(&c.g, &k)
		if _, _, ok := c.affine(&r); ok {
			t.Errorf("%s: Q*G != O", c.Name)
		}
		k = elemFromBig(new(big.Int).Sub(c.Q, big.NewInt(1)))
		r = c.scalarMult(&c.g, &k)
		x, y, ok := c.affine(&r)
		if !ok || x.toBig().Cmp(c.X) != 0 || new(big.Int).Add(y.toBig(), c.Y).Cmp(c.P) != 0 {
			t.Errorf("%s: (Q-1)*G != -G", c.Name)
		}
		if got, err := CurveByOID(c.OID); err != nil || got != c {
			t.Errorf("%s: CurveByOID mismatch", c.Name)
		}
	}
}

func TestScalarMultAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []*Curve{CurveCryptoProA(), CurveTC26256A(), CurveTC26512A(), CurveTC26512C()} {
		for i := range 6 {
			k := randBelow(rng, c.Q)
			if i == 0 {
				k = big.NewInt(2)
			}
			wx, wy := refMult(c, k, c.X, c.Y)
			ke := elemFromBig(k)
			r := c.scalarMult(&c.g, &ke)
			x, y, ok := c.affine(&r)
			if !ok || x.toBig().Cmp(wx) != 0 || y.toBig().Cmp(wy) != 0 {
				t.Fatalf("%s: k*G mismatch for k=%x", c.Name, k)
			}
		}
	}
}

// scalarMult (test reference) returns k*p with a Montgomery ladder over the fixed bit length
// of Q: every scalar costs the same sequence of additions and swaps, and the
// bits of k only select constant-time conditional swaps. k must be < 2^bitlen(Q).
func (c *Curve) scalarMult(p *point, k *elem) point {
	r0 := c.identity()
	r1 := *p
	for i := c.fq.bitsN - 1; i >= 0; i-- {
		bit := (k[i/64] >> (i % 64)) & 1
		cswapPoint(&r0, &r1, bit)
		c.add(&r1, &r0, &r1)
		c.add(&r0, &r0, &r0)
		cswapPoint(&r0, &r1, bit)
	}
	return r0
}

func TestScalarMultMethodsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range allCurves() {
		ks := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(15), big.NewInt(16),
			new(big.Int).Sub(c.Q, big.NewInt(1)), c.Q}
		for range 4 {
			ks = append(ks, randBelow(rng, c.Q))
		}
		p := c.scalarMult(&c.g, &elem{12345})
		for _, k := range ks {
			ke := elemFromBig(k)
			for _, base := range []*point{&c.g, &p} {
				want := c.scalarMult(base, &ke)
				got := c.scalarMultWindow(base, &ke)
				if !samePoint(c, &want, &got) {
					t.Fatalf("%s: window k=%x differs from ladder", c.Name, k)
				}
			}
			want := c.scalarMult(&c.g, &ke)
			got := c.scalarBaseMult(&ke)
			if !samePoint(c, &want, &got) {
				t.Fatalf("%s: base k=%x differs from ladder", c.Name, k)
			}
		}
	}
}

func samePoint(c *Curve, p, q *point) bool {
	x1, y1, ok1 := c.affine(p)
	x2, y2, ok2 := c.affine(q)
	return ok1 == ok2 && (!ok1 || x1 == x2 && y1 == y2)
}
