package gost

import (
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
)

// Algorithm identifiers (RFC 9215, section 3).
var (
	// OIDPublicKey256 is id-tc26-gost3410-12-256, the 256-bit key algorithm.
	OIDPublicKey256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 1}
	// OIDPublicKey512 is id-tc26-gost3410-12-512, the 512-bit key algorithm.
	OIDPublicKey512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 2}
	// OIDDigest256 is id-tc26-gost3411-12-256 (Streebog-256).
	OIDDigest256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 2}
	// OIDDigest512 is id-tc26-gost3411-12-512 (Streebog-512).
	OIDDigest512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 3}
	// OIDSignature256 is id-tc26-signwithdigest-gost3410-12-256.
	OIDSignature256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 3, 2}
	// OIDSignature512 is id-tc26-signwithdigest-gost3410-12-512.
	OIDSignature512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 3, 3}
)

type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

// publicKeyParameters is GostR3410-2012-PublicKeyParameters.
type publicKeyParameters struct {
	PublicKeyParamSet asn1.ObjectIdentifier
	DigestParamSet    asn1.ObjectIdentifier `asn1:"optional"`
}

type subjectPublicKeyInfo struct {
	Algorithm algorithmIdentifier
	PublicKey asn1.BitString
}

type pkcs8 struct {
	Version    int
	Algorithm  algorithmIdentifier
	PrivateKey []byte
	Rest       []asn1.RawValue `asn1:"optional"`
}

func keyAlgorithmOID(c *Curve) asn1.ObjectIdentifier {
	if c.Is512() {
		return OIDPublicKey512
	}
	return OIDPublicKey256
}

func digestOID(c *Curve) asn1.ObjectIdentifier {
	if c.Is512() {
		return OIDDigest512
	}
	return OIDDigest256
}

func signatureOID(c *Curve) asn1.ObjectIdentifier {
	if c.Is512() {
		return OIDSignature512
	}
	return OIDSignature256
}

// keyAlgorithm encodes the AlgorithmIdentifier of a key on c. Like OpenSSL,
// the digest parameter set is omitted for TC26 256 A only.
func keyAlgorithm(c *Curve) (algorithmIdentifier, error) {
	params := publicKeyParameters{PublicKeyParamSet: c.OID}
	if !c.OID.Equal(oidTC26256A) {
		params.DigestParamSet = digestOID(c)
	}
	der, err := asn1.Marshal(params)
	if err != nil {
		return algorithmIdentifier{}, err
	}
	return algorithmIdentifier{Algorithm: keyAlgorithmOID(c), Parameters: asn1.RawValue{FullBytes: der}}, nil
}

// parseKeyAlgorithm returns the curve named by a GOST key AlgorithmIdentifier.
func parseKeyAlgorithm(ai algorithmIdentifier) (*Curve, error) {
	var want int
	switch {
	case ai.Algorithm.Equal(OIDPublicKey256):
		want = 32
	case ai.Algorithm.Equal(OIDPublicKey512):
		want = 64
	default:
		return nil, fmt.Errorf("%w: key algorithm %s", ErrUnsupportedAlgorithm, ai.Algorithm)
	}
	var params publicKeyParameters
	rest, err := asn1.Unmarshal(ai.Parameters.FullBytes, &params)
	if err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("%w: key parameters", ErrMalformed)
	}
	c, err := CurveByOID(params.PublicKeyParamSet)
	if err != nil {
		return nil, err
	}
	if c.PointSize != want {
		return nil, fmt.Errorf("%w: %s with key algorithm %s", ErrUnsupportedCurve, c.Name, ai.Algorithm)
	}
	return c, nil
}

// ParsePKIXPublicKey parses a DER SubjectPublicKeyInfo holding a GOST
// R 34.10-2012 key (RFC 9215): the BIT STRING wraps an OCTET STRING with
// X || Y, each little-endian.
func ParsePKIXPublicKey(der []byte) (*PublicKey, error) {
	var spki subjectPublicKeyInfo
	rest, err := asn1.Unmarshal(der, &spki)
	if err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("%w: SubjectPublicKeyInfo", ErrMalformed)
	}
	return parseSPKI(&spki)
}

func parseSPKI(spki *subjectPublicKeyInfo) (*PublicKey, error) {
	c, err := parseKeyAlgorithm(spki.Algorithm)
	if err != nil {
		return nil, err
	}
	if spki.PublicKey.BitLength%8 != 0 {
		return nil, fmt.Errorf("%w: public key bit string", ErrMalformed)
	}
	var raw []byte
	rest, err := asn1.Unmarshal(spki.PublicKey.Bytes, &raw)
	if err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("%w: public key octet string", ErrMalformed)
	}
	return publicKeyFromLE(c, raw)
}

func publicKeyFromLE(c *Curve, raw []byte) (*PublicKey, error) {
	n := c.PointSize
	if len(raw) != 2*n {
		return nil, fmt.Errorf("%w: %d-byte point for %s", ErrInvalidPublicKey, len(raw), c.Name)
	}
	pub := &PublicKey{
		Curve: c,
		X:     new(big.Int).SetBytes(ReverseBytes(raw[:n])),
		Y:     new(big.Int).SetBytes(ReverseBytes(raw[n:])),
	}
	if err := pub.Validate(); err != nil {
		return nil, err
	}
	return pub, nil
}

// RawLE returns the public key as X || Y, each coordinate little-endian
// (the content of the OCTET STRING in certificates); nil if pub is invalid.
func (pub *PublicKey) RawLE() []byte {
	if pub.Validate() != nil {
		return nil
	}
	n := pub.Curve.PointSize
	out := make([]byte, 2*n)
	pub.X.FillBytes(out[:n])
	pub.Y.FillBytes(out[n:])
	copy(out[:n], ReverseBytes(out[:n]))
	copy(out[n:], ReverseBytes(out[n:]))
	return out
}

// MarshalPKIXPublicKey encodes pub as a DER SubjectPublicKeyInfo.
func MarshalPKIXPublicKey(pub *PublicKey) ([]byte, error) {
	spki, err := buildSPKI(pub)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(spki)
}

func buildSPKI(pub *PublicKey) (subjectPublicKeyInfo, error) {
	if err := pub.Validate(); err != nil {
		return subjectPublicKeyInfo{}, err
	}
	ai, err := keyAlgorithm(pub.Curve)
	if err != nil {
		return subjectPublicKeyInfo{}, err
	}
	octets, err := asn1.Marshal(pub.RawLE())
	if err != nil {
		return subjectPublicKeyInfo{}, err
	}
	return subjectPublicKeyInfo{
		Algorithm: ai,
		PublicKey: asn1.BitString{Bytes: octets, BitLength: 8 * len(octets)},
	}, nil
}

// ParsePKCS8PrivateKey parses a DER PrivateKeyInfo (PKCS #8) holding a GOST
// R 34.10-2012 key. The privateKey OCTET STRING may contain the scalar as
// raw little-endian bytes (OpenSSL 3 GOST engine), as a DER OCTET STRING of
// little-endian bytes (RFC 9215, older engines) or as a DER INTEGER.
// A scalar >= Q is reduced modulo Q.
func ParsePKCS8PrivateKey(der []byte) (*PrivateKey, error) {
	var info pkcs8
	rest, err := asn1.Unmarshal(der, &info)
	if err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("%w: PrivateKeyInfo", ErrMalformed)
	}
	if info.Version != 0 && info.Version != 1 {
		return nil, fmt.Errorf("%w: PrivateKeyInfo version %d", ErrMalformed, info.Version)
	}
	c, err := parseKeyAlgorithm(info.Algorithm)
	if err != nil {
		return nil, err
	}
	d, err := parsePrivateScalar(c, info.PrivateKey)
	if err != nil {
		return nil, err
	}
	if d.Sign() == 0 {
		return nil, fmt.Errorf("%w: zero scalar", ErrInvalidKey)
	}
	return NewPrivateKey(c, d.FillBytes(make([]byte, c.PointSize)))
}

func parsePrivateScalar(c *Curve, b []byte) (*big.Int, error) {
	n := c.PointSize
	if len(b) == n {
		return new(big.Int).Mod(new(big.Int).SetBytes(ReverseBytes(b)), c.Q), nil
	}
	var octets []byte
	if rest, err := asn1.Unmarshal(b, &octets); err == nil && len(rest) == 0 && len(octets) == n {
		return new(big.Int).Mod(new(big.Int).SetBytes(ReverseBytes(octets)), c.Q), nil
	}
	var d *big.Int
	if rest, err := asn1.Unmarshal(b, &d); err == nil && len(rest) == 0 && d.Sign() > 0 && d.BitLen() <= 8*n {
		return d.Mod(d, c.Q), nil
	}
	return nil, fmt.Errorf("%w: unrecognised private key encoding (%d bytes)", ErrInvalidKey, len(b))
}

// MarshalPKCS8PrivateKey encodes k as a DER PrivateKeyInfo in the form the
// OpenSSL GOST engine writes and reads (raw little-endian scalar).
func MarshalPKCS8PrivateKey(k *PrivateKey) ([]byte, error) {
	if err := k.check(); err != nil {
		return nil, err
	}
	ai, err := keyAlgorithm(k.Curve)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(pkcs8{Version: 0, Algorithm: ai, PrivateKey: ReverseBytes(k.Bytes())})
}

// ParsePrivateKeyPEM parses the first "PRIVATE KEY" PEM block in pemBytes.
func ParsePrivateKeyPEM(pemBytes []byte) (*PrivateKey, error) {
	der, err := pemBlock(pemBytes, "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	return ParsePKCS8PrivateKey(der)
}

// EncodePrivateKeyPEM encodes k as a "PRIVATE KEY" PEM block (PKCS #8).
func EncodePrivateKeyPEM(k *PrivateKey) ([]byte, error) {
	der, err := MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ParsePublicKeyPEM parses the first "PUBLIC KEY" PEM block in pemBytes.
func ParsePublicKeyPEM(pemBytes []byte) (*PublicKey, error) {
	der, err := pemBlock(pemBytes, "PUBLIC KEY")
	if err != nil {
		return nil, err
	}
	return ParsePKIXPublicKey(der)
}

// EncodePublicKeyPEM encodes pub as a "PUBLIC KEY" PEM block.
func EncodePublicKeyPEM(pub *PublicKey) ([]byte, error) {
	der, err := MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

func pemBlock(data []byte, typ string) ([]byte, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, fmt.Errorf("%w: no %q PEM block", ErrMalformed, typ)
		}
		if b.Type == typ {
			return b.Bytes, nil
		}
	}
}
