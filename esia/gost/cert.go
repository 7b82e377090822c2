package gost

import (
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
)

// Certificate is an X.509 certificate with a GOST R 34.10-2012 public key.
// Generic fields (subject, issuer, validity, extensions, ...) are parsed by
// crypto/x509, which leaves PublicKey nil and PublicKeyAlgorithm unknown for
// GOST keys; the GOST key is in PublicKey.
type Certificate struct {
	// Raw is the complete DER encoding.
	Raw []byte
	// X509 holds the fields crypto/x509 understands.
	X509 *x509.Certificate
	// PublicKey is the certificate's GOST public key.
	PublicKey *PublicKey
}

// ParseCertificate parses a DER certificate whose subject key is a GOST
// R 34.10-2012 key.
func ParseCertificate(der []byte) (*Certificate, error) {
	xc, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%w: certificate: %v", ErrMalformed, err)
	}
	var spki subjectPublicKeyInfo
	rest, err := asn1.Unmarshal(xc.RawSubjectPublicKeyInfo, &spki)
	if err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("%w: certificate public key", ErrMalformed)
	}
	pub, err := parseSPKI(&spki)
	if err != nil {
		return nil, err
	}
	return &Certificate{Raw: xc.Raw, X509: xc, PublicKey: pub}, nil
}

// ParseCertificatePEM parses the first "CERTIFICATE" PEM block in pemBytes.
func ParseCertificatePEM(pemBytes []byte) (*Certificate, error) {
	der, err := pemBlock(pemBytes, "CERTIFICATE")
	if err != nil {
		return nil, err
	}
	return ParseCertificate(der)
}

// CertificateHash returns the ESIA client_certificate_hash of a DER
// certificate: the uppercase hex Streebog-256 digest of the DER bytes (not
// of the PEM text).
func CertificateHash(der []byte) string {
	h := Sum256(der)
	return strings.ToUpper(hex.EncodeToString(h[:]))
}

// Hash returns CertificateHash(c.Raw).
func (c *Certificate) Hash() string { return CertificateHash(c.Raw) }

type certificateOuter struct {
	TBS       asn1.RawValue
	Algorithm algorithmIdentifier
	Signature asn1.BitString
}

// checkSignatureAlgorithm checks that oid is the GOST signature algorithm
// for keys on c (or, as OpenSSL and CMS allow, the key algorithm itself).
func checkSignatureAlgorithm(oid asn1.ObjectIdentifier, c *Curve) error {
	if oid.Equal(signatureOID(c)) || oid.Equal(keyAlgorithmOID(c)) {
		return nil
	}
	return fmt.Errorf("%w: signature algorithm %s for a %d-bit key", ErrUnsupportedAlgorithm, oid, 8*c.PointSize)
}

// CheckSignatureFrom verifies that c is signed by parent with GOST
// R 34.10-2012 / Streebog. Like crypto/x509, a version 3 parent must be a CA
// and, when it has a key usage extension, allow certificate signing.
func (c *Certificate) CheckSignatureFrom(parent *Certificate) error {
	if c == nil || parent == nil || parent.PublicKey == nil || parent.X509 == nil {
		return fmt.Errorf("%w: nil certificate", ErrMalformed)
	}
	if parent.X509.Version == 3 && (!parent.X509.BasicConstraintsValid || !parent.X509.IsCA) {
		return errors.New("gost: parent certificate is not a CA")
	}
	if parent.X509.KeyUsage != 0 && parent.X509.KeyUsage&x509.KeyUsageCertSign == 0 {
		return errors.New("gost: parent certificate may not sign certificates")
	}
	var outer certificateOuter
	rest, err := asn1.Unmarshal(c.Raw, &outer)
	if err != nil || len(rest) != 0 {
		return fmt.Errorf("%w: certificate", ErrMalformed)
	}
	pub := parent.PublicKey
	if err := checkSignatureAlgorithm(outer.Algorithm.Algorithm, pub.Curve); err != nil {
		return err
	}
	return verify(pub, hashFor(pub.Curve, outer.TBS.FullBytes), outer.Signature.RightAlign())
}

// CertificateTemplate lists the fields CreateCertificate takes from the
// caller.
type CertificateTemplate struct {
	// SerialNumber must be positive; nil means a random 128-bit serial.
	SerialNumber *big.Int
	// Subject is the subject name; the issuer name comes from the issuer
	// certificate (or equals Subject when self-signed).
	Subject pkix.Name
	// NotBefore and NotAfter bound the validity period (stored in UTC,
	// truncated to seconds).
	NotBefore, NotAfter time.Time
	// IsCA marks the certificate as a CA (basicConstraints cA=TRUE).
	// Self-signed certificates are always CAs, as `openssl req -x509`
	// makes them.
	IsCA bool
	// KeyUsage overrides the default key usage (digitalSignature and
	// nonRepudiation, plus keyCertSign and cRLSign for a CA).
	KeyUsage x509.KeyUsage
}

type tbsCertificate struct {
	Version            int `asn1:"optional,explicit,default:0,tag:0"`
	SerialNumber       *big.Int
	SignatureAlgorithm algorithmIdentifier
	Issuer             asn1.RawValue
	Validity           validity
	Subject            asn1.RawValue
	PublicKey          subjectPublicKeyInfo
	Extensions         []pkix.Extension `asn1:"optional,explicit,tag:3"`
}

type validity struct {
	NotBefore, NotAfter time.Time
}

type basicConstraints struct {
	IsCA bool `asn1:"optional"`
}

type authorityKeyID struct {
	ID []byte `asn1:"optional,tag:0"`
}

var (
	oidExtSubjectKeyID   = asn1.ObjectIdentifier{2, 5, 29, 14}
	oidExtKeyUsage       = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidExtBasicConstr    = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidExtAuthorityKeyID = asn1.ObjectIdentifier{2, 5, 29, 35}
)

// subjectKeyID is the SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2
// method 1, as OpenSSL computes it).
func subjectKeyID(spki subjectPublicKeyInfo) []byte {
	h := sha1.Sum(spki.PublicKey.Bytes)
	return h[:]
}

func encodeKeyUsage(ku x509.KeyUsage) ([]byte, error) {
	var b [2]byte
	for i := range 9 {
		if ku&(1<<i) != 0 {
			b[i/8] |= 0x80 >> (i % 8)
		}
	}
	n := 1
	if b[1] != 0 {
		n = 2
	}
	bitLen := 8 * n
	for bitLen > 0 && b[(bitLen-1)/8]&(0x80>>((bitLen-1)%8)) == 0 {
		bitLen--
	}
	return asn1.Marshal(asn1.BitString{Bytes: b[:n], BitLength: bitLen})
}

// CreateCertificate issues a certificate for pub, signed by signer with
// id-tc26-signwithdigest-gost3410-12-256 (or -512 for 512-bit signer keys),
// and returns its DER encoding. issuer nil makes a self-signed certificate
// (signer must then be the key of pub). The certificate carries subject and
// authority key identifiers, basic constraints and key usage.
func CreateCertificate(rand io.Reader, tmpl *CertificateTemplate, pub *PublicKey, issuer *Certificate, signer *PrivateKey) ([]byte, error) {
	if tmpl == nil {
		return nil, errors.New("gost: nil certificate template")
	}
	if err := signer.check(); err != nil {
		return nil, err
	}
	spki, err := buildSPKI(pub)
	if err != nil {
		return nil, err
	}
	ski := subjectKeyID(spki)
	subject, err := asn1.Marshal(tmpl.Subject.ToRDNSequence())
	if err != nil {
		return nil, fmt.Errorf("gost: encoding subject: %w", err)
	}
	isCA := tmpl.IsCA
	var issuerName, aki []byte
	if issuer == nil {
		if !signer.PublicKey.Equal(pub) {
			return nil, errors.New("gost: self-signed certificate: signer does not match the public key")
		}
		issuerName, aki, isCA = subject, ski, true
	} else {
		if issuer.X509 == nil || issuer.PublicKey == nil || !signer.PublicKey.Equal(issuer.PublicKey) {
			return nil, errors.New("gost: signer does not match the issuer certificate")
		}
		issuerName = issuer.X509.RawSubject
		aki = issuer.X509.SubjectKeyId
		if len(aki) == 0 {
			ispki, err := buildSPKI(issuer.PublicKey)
			if err != nil {
				return nil, err
			}
			aki = subjectKeyID(ispki)
		}
	}
	serial := tmpl.SerialNumber
	if serial == nil {
		b := make([]byte, 16)
		if _, err := io.ReadFull(rand, b); err != nil {
			return nil, fmt.Errorf("gost: reading randomness: %w", err)
		}
		b[0] &= 0x7F
		b[0] |= 0x40
		serial = new(big.Int).SetBytes(b)
	}
	if serial.Sign() <= 0 {
		return nil, errors.New("gost: serial number must be positive")
	}
	if tmpl.NotBefore.IsZero() || tmpl.NotAfter.IsZero() || tmpl.NotAfter.Before(tmpl.NotBefore) {
		return nil, errors.New("gost: invalid validity period")
	}
	ku := tmpl.KeyUsage
	if ku == 0 {
		ku = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
		if isCA {
			ku |= x509.KeyUsageCertSign | x509.KeyUsageCRLSign
		}
	}

	skiDER, _ := asn1.Marshal(ski)
	akiDER, _ := asn1.Marshal(authorityKeyID{ID: aki})
	bcDER, _ := asn1.Marshal(basicConstraints{IsCA: isCA})
	kuDER, err := encodeKeyUsage(ku)
	if err != nil {
		return nil, err
	}
	exts := []pkix.Extension{
		{Id: oidExtSubjectKeyID, Value: skiDER},
		{Id: oidExtAuthorityKeyID, Value: akiDER},
		{Id: oidExtBasicConstr, Critical: true, Value: bcDER},
		{Id: oidExtKeyUsage, Critical: true, Value: kuDER},
	}
	sigAlg := algorithmIdentifier{Algorithm: signatureOID(signer.Curve)}
	tbs := tbsCertificate{
		Version:            2,
		SerialNumber:       serial,
		SignatureAlgorithm: sigAlg,
		Issuer:             asn1.RawValue{FullBytes: issuerName},
		Validity:           validity{tmpl.NotBefore.UTC().Truncate(time.Second), tmpl.NotAfter.UTC().Truncate(time.Second)},
		Subject:            asn1.RawValue{FullBytes: subject},
		PublicKey:          spki,
		Extensions:         exts,
	}
	tbsDER, err := asn1.Marshal(tbs)
	if err != nil {
		return nil, fmt.Errorf("gost: encoding certificate: %w", err)
	}
	sig, err := signer.Sign(rand, hashFor(signer.Curve, tbsDER), nil)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(certificateOuter{
		TBS:       asn1.RawValue{FullBytes: tbsDER},
		Algorithm: sigAlg,
		Signature: asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)},
	})
}
