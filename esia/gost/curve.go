package gost

import (
	"encoding/asn1"
	"fmt"
	"math/big"
	"sync"
)

// Curve is a set of GOST R 34.10-2012 elliptic curve parameters: the short
// Weierstrass curve y^2 = x^3 + a*x + b over GF(p) with a base point (X, Y)
// of prime order Q. Twisted Edwards parameter sets (TC26 256 A, 512 C) are
// used in their Weierstrass form, as RFC 7836 lists them.
//
// Curves are returned by the CurveXxx functions and CurveByOID and are
// shared; their fields must not be modified. A Curve built by hand is not
// usable (operations return ErrUnsupportedCurve or ErrInvalidKey).
type Curve struct {
	// Name is the ASN.1 name of the parameter set,
	// e.g. "id-GostR3410-2001-CryptoPro-A-ParamSet".
	Name string
	// OID identifies the parameter set in keys and certificates.
	OID asn1.ObjectIdentifier
	// P is the field prime, Q the order of the base point.
	P, Q *big.Int
	// A and B are the Weierstrass coefficients.
	A, B *big.Int
	// X and Y are the affine coordinates of the base point.
	X, Y *big.Int
	// Cofactor is the order of the curve group divided by Q.
	Cofactor int
	// PointSize is the size in bytes of a coordinate, a private key, a
	// digest and each half of a signature: 32 or 64.
	PointSize int

	fp, fq *modulus
	a, b3  elem // Montgomery form of a and 3b modulo p
	g      point

	tablesOnce sync.Once
	tables     []windowTable // precomputed multiples of g, see baseTables
}

// String returns the parameter set name.
func (c *Curve) String() string {
	if c == nil {
		return "<nil>"
	}
	return c.Name
}

// Is512 reports whether c is a 512-bit parameter set (Streebog-512 digests,
// 128-byte signatures).
func (c *Curve) Is512() bool { return c != nil && c.PointSize == 64 }

func hexInt(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("gost: bad curve constant " + s)
	}
	return v
}

type curveParams struct {
	p, a, b, q, x, y string
	cofactor         int
}

func newCurve(name string, oid asn1.ObjectIdentifier, cp curveParams) *Curve {
	c := &Curve{
		Name: name, OID: oid,
		P: hexInt(cp.p), A: hexInt(cp.a), B: hexInt(cp.b), Q: hexInt(cp.q),
		X: hexInt(cp.x), Y: hexInt(cp.y), Cofactor: cp.cofactor,
	}
	if c.P.BitLen() > 256 {
		c.PointSize = 64
	} else {
		c.PointSize = 32
	}
	c.fp = newModulus(c.P)
	c.fq = newModulus(c.Q)
	a := elemFromBig(c.A)
	c.fp.toMont(&c.a, &a)
	b3 := elemFromBig(new(big.Int).Mod(new(big.Int).Mul(c.B, big.NewInt(3)), c.P))
	c.fp.toMont(&c.b3, &b3)
	gx, gy := elemFromBig(c.X), elemFromBig(c.Y)
	c.fp.toMont(&c.g.x, &gx)
	c.fp.toMont(&c.g.y, &gy)
	c.g.z = c.fp.one
	return c
}

// Parameter sets from RFC 4357 (CryptoPro), RFC 7091 (test) and RFC 7836 (TC26).
var (
	paramsTest256 = curveParams{
		p:        "8000000000000000000000000000000000000000000000000000000000000431",
		a:        "7",
		b:        "5FBFF498AA938CE739B8E022FBAFEF40563F6E6A3472FC2A514C0CE9DAE23B7E",
		q:        "8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3",
		x:        "2",
		y:        "08E2A8A0E65147D4BD6316030E16D19C85C97F0A9CA267122B96ABBCEA7E8FC8",
		cofactor: 1,
	}
	paramsCryptoProA = curveParams{
		p:        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97",
		a:        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD94",
		b:        "A6",
		q:        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893",
		x:        "1",
		y:        "8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14",
		cofactor: 1,
	}
	paramsCryptoProB = curveParams{
		p:        "8000000000000000000000000000000000000000000000000000000000000C99",
		a:        "8000000000000000000000000000000000000000000000000000000000000C96",
		b:        "3E1AF419A269A5F866A7D3C25C3DF80AE979259373FF2B182F49D4CE7E1BBC8B",
		q:        "800000000000000000000000000000015F700CFFF1A624E5E497161BCC8A198F",
		x:        "1",
		y:        "3FA8124359F96680B83D1C3EB2C070E5C545C9858D03ECFB744BF8D717717EFC",
		cofactor: 1,
	}
	paramsCryptoProC = curveParams{
		p:        "9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D759B",
		a:        "9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D7598",
		b:        "805A",
		q:        "9B9F605F5A858107AB1EC85E6B41C8AA582CA3511EDDFB74F02F3A6598980BB9",
		x:        "0",
		y:        "41ECE55743711A8C3CBF3783CD08C0EE4D4DC440D4641A8F366E550DFDB3BB67",
		cofactor: 1,
	}
	paramsTC26256A = curveParams{
		p:        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97",
		a:        "C2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335",
		b:        "295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513",
		q:        "400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67",
		x:        "91E38443A5E82C0D880923425712B2BB658B9196932E02C78B2582FE742DAA28",
		y:        "32879423AB1A0375895786C4BB46E9565FDE0B5344766740AF268ADB32322E5C",
		cofactor: 4,
	}
	paramsTest512 = curveParams{
		p:        "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DF1D852741AF4704A0458047E80E4546D35B8336FAC224DD81664BBF528BE6373",
		a:        "7",
		b:        "1CFF0806A31116DA29D8CFA54E57EB748BC5F377E49400FDD788B649ECA1AC4361834013B2AD7322480A89CA58E0CF74BC9E540C2ADD6897FAD0A3084F302ADC",
		q:        "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DA82F2D7ECB1DBAC719905C5EECC423F1D86E25EDBE23C595D644AAF187E6E6DF",
		x:        "24D19CC64572EE30F396BF6EBBFD7A6C5213B3B3D7057CC825F91093A68CD762FD60611262CD838DC6B60AA7EEE804E28BC849977FAC33B4B530F1B120248A9A",
		y:        "2BB312A43BD2CE6E0D020613C857ACDDCFBF061E91E5F2C3F32447C259F39B2C83AB156D77F1496BF7EB3351E1EE4E43DC1A18B91B24640B6DBB92CB1ADD371E",
		cofactor: 1,
	}
	paramsTC26512A = curveParams{
		p:        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7",
		a:        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC4",
		b:        "E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760",
		q:        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275",
		x:        "3",
		y:        "7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4",
		cofactor: 1,
	}
	paramsTC26512B = curveParams{
		p:        "8000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006F",
		a:        "8000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006C",
		b:        "687D1B459DC841457E3E06CF6F5E2517B97C7D614AF138BCBF85DC806C4B289F3E965D2DB1416D217F8B276FAD1AB69C50F78BEE1FA3106EFB8CCBC7C5140116",
		q:        "800000000000000000000000000000000000000000000000000000000000000149A1EC142565A545ACFDB77BD9D40CFA8B996712101BEA0EC6346C54374F25BD",
		x:        "2",
		y:        "1A8F7EDA389B094C2C071E3647A8940F3C123B697578C213BE6DD9E6C8EC7335DCB228FD1EDF4A39152CBCAAF8C0398828041055F94CEEEC7E21340780FE41BD",
		cofactor: 1,
	}
	paramsTC26512C = curveParams{
		p:        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7",
		a:        "DC9203E514A721875485A529D2C722FB187BC8980EB866644DE41C68E143064546E861C0E2C9EDD92ADE71F46FCF50FF2AD97F951FDA9F2A2EB6546F39689BD3",
		b:        "B4C4EE28CEBC6C2C8AC12952CF37F16AC7EFB6A9F69F4B57FFDA2E4F0DE5ADE038CBC2FFF719D2C18DE0284B8BFEF3B52B8CC7A5F5BF0A3C8D2319A5312557E1",
		q:        "3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC98CDBA46506AB004C33A9FF5147502CC8EDA9E7A769A12694623CEF47F023ED",
		x:        "E2E31EDFC23DE7BDEBE241CE593EF5DE2295B7A9CBAEF021D385F7074CEA043AA27272A7AE602BF2A7B9033DB9ED3610C6FB85487EAE97AAC5BC7928C1950148",
		y:        "F5CE40D95B5EB899ABBCCFF5911CB8577939804D6527378B8C108C3D2090FF9BE18E2D33E3021ED2EF32D85822423B6304F726AA854BAE07D0396E9A9ADDC40F",
		cofactor: 4,
	}
)

// Object identifiers of the parameter sets.
var (
	oidTest256       = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 35, 0}
	oidCryptoProA    = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 35, 1}
	oidCryptoProB    = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 35, 2}
	oidCryptoProC    = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 35, 3}
	oidCryptoProXchA = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 36, 0}
	oidCryptoProXchB = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 36, 1}
	oidTC26256A      = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 1, 1}
	oidTC26256B      = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 1, 2}
	oidTC26256C      = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 1, 3}
	oidTC26256D      = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 1, 4}
	oidTest512       = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 2, 0}
	oidTC26512A      = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 2, 1}
	oidTC26512B      = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 2, 2}
	oidTC26512C      = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 2, 3}
)

func lazyCurve(name string, oid asn1.ObjectIdentifier, cp curveParams) func() *Curve {
	return sync.OnceValue(func() *Curve { return newCurve(name, oid, cp) })
}

var (
	curveTest256       = lazyCurve("id-GostR3410-2001-TestParamSet", oidTest256, paramsTest256)
	curveCryptoProA    = lazyCurve("id-GostR3410-2001-CryptoPro-A-ParamSet", oidCryptoProA, paramsCryptoProA)
	curveCryptoProB    = lazyCurve("id-GostR3410-2001-CryptoPro-B-ParamSet", oidCryptoProB, paramsCryptoProB)
	curveCryptoProC    = lazyCurve("id-GostR3410-2001-CryptoPro-C-ParamSet", oidCryptoProC, paramsCryptoProC)
	curveCryptoProXchA = lazyCurve("id-GostR3410-2001-CryptoPro-XchA-ParamSet", oidCryptoProXchA, paramsCryptoProA)
	curveCryptoProXchB = lazyCurve("id-GostR3410-2001-CryptoPro-XchB-ParamSet", oidCryptoProXchB, paramsCryptoProC)
	curveTC26256A      = lazyCurve("id-tc26-gost-3410-2012-256-paramSetA", oidTC26256A, paramsTC26256A)
	curveTC26256B      = lazyCurve("id-tc26-gost-3410-2012-256-paramSetB", oidTC26256B, paramsCryptoProA)
	curveTC26256C      = lazyCurve("id-tc26-gost-3410-2012-256-paramSetC", oidTC26256C, paramsCryptoProB)
	curveTC26256D      = lazyCurve("id-tc26-gost-3410-2012-256-paramSetD", oidTC26256D, paramsCryptoProC)
	curveTest512       = lazyCurve("id-tc26-gost-3410-2012-512-paramSetTest", oidTest512, paramsTest512)
	curveTC26512A      = lazyCurve("id-tc26-gost-3410-12-512-paramSetA", oidTC26512A, paramsTC26512A)
	curveTC26512B      = lazyCurve("id-tc26-gost-3410-12-512-paramSetB", oidTC26512B, paramsTC26512B)
	curveTC26512C      = lazyCurve("id-tc26-gost-3410-2012-512-paramSetC", oidTC26512C, paramsTC26512C)
)

// CurveTest256 returns the 256-bit test curve of GOST R 34.10-2012 (RFC 7091
// appendix A.1, id-GostR3410-2001-TestParamSet, 1.2.643.2.2.35.0). For tests only.
func CurveTest256() *Curve { return curveTest256() }

// CurveCryptoProA returns id-GostR3410-2001-CryptoPro-A-ParamSet
// (1.2.643.2.2.35.1), OpenSSL's "paramset:A" for gost2012_256.
func CurveCryptoProA() *Curve { return curveCryptoProA() }

// CurveCryptoProB returns id-GostR3410-2001-CryptoPro-B-ParamSet (1.2.643.2.2.35.2).
func CurveCryptoProB() *Curve { return curveCryptoProB() }

// CurveCryptoProC returns id-GostR3410-2001-CryptoPro-C-ParamSet (1.2.643.2.2.35.3).
func CurveCryptoProC() *Curve { return curveCryptoProC() }

// CurveCryptoProXchA returns id-GostR3410-2001-CryptoPro-XchA-ParamSet
// (1.2.643.2.2.36.0), which has the parameters of CryptoPro-A.
func CurveCryptoProXchA() *Curve { return curveCryptoProXchA() }

// CurveCryptoProXchB returns id-GostR3410-2001-CryptoPro-XchB-ParamSet
// (1.2.643.2.2.36.1), which has the parameters of CryptoPro-C.
func CurveCryptoProXchB() *Curve { return curveCryptoProXchB() }

// CurveTC26256A returns id-tc26-gost-3410-2012-256-paramSetA
// (1.2.643.7.1.2.1.1.1), a twisted Edwards curve given in Weierstrass form
// (cofactor 4); OpenSSL's "paramset:TCA".
func CurveTC26256A() *Curve { return curveTC26256A() }

// CurveTC26256B returns id-tc26-gost-3410-2012-256-paramSetB
// (1.2.643.7.1.2.1.1.2), the CryptoPro-A parameters under a TC26 OID.
func CurveTC26256B() *Curve { return curveTC26256B() }

// CurveTC26256C returns id-tc26-gost-3410-2012-256-paramSetC
// (1.2.643.7.1.2.1.1.3), the CryptoPro-B parameters under a TC26 OID.
func CurveTC26256C() *Curve { return curveTC26256C() }

// CurveTC26256D returns id-tc26-gost-3410-2012-256-paramSetD
// (1.2.643.7.1.2.1.1.4), the CryptoPro-C parameters under a TC26 OID.
func CurveTC26256D() *Curve { return curveTC26256D() }

// CurveTest512 returns the 512-bit test curve of GOST R 34.10-2012 (RFC 7091
// appendix A.2, 1.2.643.7.1.2.1.2.0). For tests only.
func CurveTest512() *Curve { return curveTest512() }

// CurveTC26512A returns id-tc26-gost-3410-12-512-paramSetA (1.2.643.7.1.2.1.2.1).
func CurveTC26512A() *Curve { return curveTC26512A() }

// CurveTC26512B returns id-tc26-gost-3410-12-512-paramSetB (1.2.643.7.1.2.1.2.2).
func CurveTC26512B() *Curve { return curveTC26512B() }

// CurveTC26512C returns id-tc26-gost-3410-2012-512-paramSetC
// (1.2.643.7.1.2.1.2.3), a twisted Edwards curve in Weierstrass form (cofactor 4).
func CurveTC26512C() *Curve { return curveTC26512C() }

func allCurves() []*Curve {
	return []*Curve{
		CurveTest256(), CurveCryptoProA(), CurveCryptoProB(), CurveCryptoProC(),
		CurveCryptoProXchA(), CurveCryptoProXchB(), CurveTC26256A(), CurveTC26256B(),
		CurveTC26256C(), CurveTC26256D(), CurveTest512(), CurveTC26512A(),
		CurveTC26512B(), CurveTC26512C(),
	}
}

// CurveByOID returns the parameter set identified by oid, or an error
// wrapping ErrUnsupportedCurve.
func CurveByOID(oid asn1.ObjectIdentifier) (*Curve, error) {
	for _, c := range allCurves() {
		if c.OID.Equal(oid) {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%w: %s", ErrUnsupportedCurve, oid)
}

// IsOnCurve reports whether (x, y) is an affine point of c with coordinates
// in [0, P).
func (c *Curve) IsOnCurve(x, y *big.Int) bool {
	if c == nil || c.fp == nil || x == nil || y == nil || x.Sign() < 0 || y.Sign() < 0 || x.Cmp(c.P) >= 0 || y.Cmp(c.P) >= 0 {
		return false
	}
	lhs := new(big.Int).Mul(y, y)
	lhs.Mod(lhs, c.P)
	rhs := new(big.Int).Mul(x, x)
	rhs.Add(rhs, c.A)
	rhs.Mul(rhs, x)
	rhs.Add(rhs, c.B)
	rhs.Mod(rhs, c.P)
	return lhs.Cmp(rhs) == 0
}

// point is a projective point (X:Y:Z) with coordinates in Montgomery form;
// the neutral element is (0:1:0).
type point struct{ x, y, z elem }

func (c *Curve) identity() point { return point{y: c.fp.one} }

// add sets r = p + q using the complete addition formulas of Renes, Costello
// and Batina (Algorithm 1, "Complete addition formulas for prime order
// elliptic curves", 2016) for arbitrary a. They have no exceptional cases
// for points of odd order (doubling and the neutral element included), so
// the same code path runs whatever the inputs.
func (c *Curve) add(r, p, q *point) {
	f := c.fp
	var t0, t1, t2, t3, t4, t5, x3, y3, z3 elem
	f.mul(&t0, &p.x, &q.x)
	f.mul(&t1, &p.y, &q.y)
	f.mul(&t2, &p.z, &q.z)
	f.add(&t3, &p.x, &p.y)
	f.add(&t4, &q.x, &q.y)
	f.mul(&t3, &t3, &t4)
	f.add(&t4, &t0, &t1)
	f.sub(&t3, &t3, &t4)
	f.add(&t4, &p.x, &p.z)
	f.add(&t5, &q.x, &q.z)
	f.mul(&t4, &t4, &t5)
	f.add(&t5, &t0, &t2)
	f.sub(&t4, &t4, &t5)
	f.add(&t5, &p.y, &p.z)
	f.add(&x3, &q.y, &q.z)
	f.mul(&t5, &t5, &x3)
	f.add(&x3, &t1, &t2)
	f.sub(&t5, &t5, &x3)
	f.mul(&z3, &c.a, &t4)
	f.mul(&x3, &c.b3, &t2)
	f.add(&z3, &x3, &z3)
	f.sub(&x3, &t1, &z3)
	f.add(&z3, &t1, &z3)
	f.mul(&y3, &x3, &z3)
	f.add(&t1, &t0, &t0)
	f.add(&t1, &t1, &t0)
	f.mul(&t2, &c.a, &t2)
	f.mul(&t4, &c.b3, &t4)
	f.add(&t1, &t1, &t2)
	f.sub(&t2, &t0, &t2)
	f.mul(&t2, &c.a, &t2)
	f.add(&t4, &t4, &t2)
	f.mul(&t0, &t1, &t4)
	f.add(&y3, &y3, &t0)
	f.mul(&t0, &t5, &t4)
	f.mul(&x3, &t3, &x3)
	f.sub(&x3, &x3, &t0)
	f.mul(&t0, &t3, &t1)
	f.mul(&z3, &t5, &z3)
	f.add(&z3, &z3, &t0)
	r.x, r.y, r.z = x3, y3, z3
}

func cswapPoint(p, q *point, bit uint64) {
	cswap(&p.x, &q.x, bit)
	cswap(&p.y, &q.y, bit)
	cswap(&p.z, &q.z, bit)
}

// affine converts p to affine coordinates (out of Montgomery form). ok is
// false for the neutral element.
func (c *Curve) affine(p *point) (x, y elem, ok bool) {
	f := c.fp
	if f.isZero(&p.z) == 1 {
		return x, y, false
	}
	var zi elem
	f.inv(&zi, &p.z)
	f.mul(&x, &p.x, &zi)
	f.mul(&y, &p.y, &zi)
	f.fromMont(&x, &x)
	f.fromMont(&y, &y)
	return x, y, true
}

// pointFromAffine converts affine big.Int coordinates (already validated to
// be below P) into a projective Montgomery point.
func (c *Curve) pointFromAffine(x, y *big.Int) point {
	var p point
	ex, ey := elemFromBig(x), elemFromBig(y)
	c.fp.toMont(&p.x, &ex)
	c.fp.toMont(&p.y, &ey)
	p.z = c.fp.one
	return p
}
