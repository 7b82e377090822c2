package gost

import (
	"bytes"
	"crypto/subtle"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// CMS (RFC 5652) SignedData with GOST algorithms (RFC 4490 / RFC 9215
// identifiers), as the legacy ESIA protocol uses for client_secret.

var (
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
)

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,tag:0"`
}

type encapContentInfo struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue `asn1:"optional,explicit,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms []algorithmIdentifier `asn1:"set"`
	EncapContentInfo encapContentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      []signerInfo  `asn1:"set"`
}

type signerInfo struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    algorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm algorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial asn1.RawValue
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

// CMSOption configures SignDetached.
type CMSOption func(*cmsOptions)

type cmsOptions struct {
	signedAttrs bool
	signingTime time.Time
}

// WithSignedAttributes makes SignDetached add the signed attributes
// contentType, signingTime (t) and messageDigest, as `openssl cms -sign`
// does without -noattr. The signature then covers the attributes.
func WithSignedAttributes(t time.Time) CMSOption {
	return func(o *cmsOptions) {
		o.signedAttrs = true
		o.signingTime = t
	}
}

// nullParams is the NULL parameter OpenSSL writes in CMS algorithm identifiers.
var nullParams = asn1.RawValue{FullBytes: []byte{0x05, 0x00}}

// SignDetached returns a DER ContentInfo holding a detached CMS SignedData
// over content, signed by key, with cert embedded and no signed attributes
// (the equivalent of `openssl cms -sign -binary -noattr -outform DER`);
// WithSignedAttributes adds signed attributes. cert must hold key's public
// key.
func SignDetached(rand io.Reader, content []byte, cert *Certificate, key *PrivateKey, opts ...CMSOption) ([]byte, error) {
	var o cmsOptions
	for _, opt := range opts {
		opt(&o)
	}
	if err := key.check(); err != nil {
		return nil, err
	}
	if cert == nil || cert.X509 == nil || cert.PublicKey == nil || !cert.PublicKey.Equal(&key.PublicKey) {
		return nil, errors.New("gost: certificate does not match the signing key")
	}
	c := key.Curve
	digestAlg := algorithmIdentifier{Algorithm: digestOID(c), Parameters: nullParams}
	sid, err := asn1.Marshal(issuerAndSerial{
		Issuer: asn1.RawValue{FullBytes: cert.X509.RawIssuer},
		Serial: mustMarshal(cert.X509.SerialNumber),
	})
	if err != nil {
		return nil, fmt.Errorf("gost: encoding signer id: %w", err)
	}
	si := signerInfo{
		Version:            1,
		SID:                asn1.RawValue{FullBytes: sid},
		DigestAlgorithm:    digestAlg,
		SignatureAlgorithm: algorithmIdentifier{Algorithm: keyAlgorithmOID(c), Parameters: nullParams},
	}
	toSign := content
	if o.signedAttrs {
		md, _ := asn1.Marshal(hashFor(c, content))
		st, err := asn1.Marshal(o.signingTime.UTC().Truncate(time.Second))
		if err != nil {
			return nil, fmt.Errorf("gost: encoding signing time: %w", err)
		}
		ct, _ := asn1.Marshal(oidData)
		var encs [][]byte
		for _, a := range []struct {
			oid asn1.ObjectIdentifier
			val []byte
		}{{oidContentType, ct}, {oidSigningTime, st}, {oidMessageDigest, md}} {
			enc, err := asn1.Marshal(attribute{Type: a.oid, Values: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: a.val}})
			if err != nil {
				return nil, err
			}
			encs = append(encs, enc)
		}
		slices.SortFunc(encs, bytes.Compare) // DER SET OF order
		attrs := bytes.Join(encs, nil)
		set, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: attrs})
		toSign = set
		si.SignedAttrs = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: attrs}
	}
	sig, err := key.Sign(rand, hashFor(c, toSign), nil)
	if err != nil {
		return nil, err
	}
	si.Signature = sig
	sd := signedData{
		Version:          1,
		DigestAlgorithms: []algorithmIdentifier{digestAlg},
		EncapContentInfo: encapContentInfo{EContentType: oidData},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: cert.Raw},
		SignerInfos:      []signerInfo{si},
	}
	sdDER, err := asn1.Marshal(sd)
	if err != nil {
		return nil, fmt.Errorf("gost: encoding SignedData: %w", err)
	}
	return asn1.Marshal(struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue
	}{oidSignedData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sdDER}})
}

func mustMarshal(v any) asn1.RawValue {
	b, err := asn1.Marshal(v)
	if err != nil {
		return asn1.RawValue{}
	}
	return asn1.RawValue{FullBytes: b}
}

// VerifyDetached verifies a DER CMS SignedData (ContentInfo) over content
// and returns the embedded signer certificate. Signatures with and without
// signed attributes are accepted; with attributes, messageDigest must match
// content. If the SignedData is not detached and content is nil, the
// encapsulated content is used. Exactly one SignerInfo is expected.
//
// VerifyDetached does not decide whether the signer is trusted: the caller
// must compare the returned certificate with the one it expects.
func VerifyDetached(cms []byte, content []byte) (*Certificate, error) {
	var ci contentInfo
	rest, err := asn1.Unmarshal(cms, &ci)
	if err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("%w: ContentInfo", ErrMalformed)
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, fmt.Errorf("%w: content type %s is not signedData", ErrUnsupportedAlgorithm, ci.ContentType)
	}
	var sd signedData
	rest, err = asn1.Unmarshal(ci.Content.Bytes, &sd)
	if err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("%w: SignedData", ErrMalformed)
	}
	if len(sd.SignerInfos) != 1 {
		return nil, fmt.Errorf("%w: %d signer infos (want 1)", ErrMalformed, len(sd.SignerInfos))
	}
	if content == nil && len(sd.EncapContentInfo.EContent.Bytes) > 0 {
		var octets []byte
		if _, err := asn1.Unmarshal(sd.EncapContentInfo.EContent.Bytes, &octets); err != nil {
			return nil, fmt.Errorf("%w: encapsulated content", ErrMalformed)
		}
		content = octets
	}
	si := &sd.SignerInfos[0]
	cert, err := findSigner(&sd, si)
	if err != nil {
		return nil, err
	}
	pub := cert.PublicKey
	c := pub.Curve
	if !si.DigestAlgorithm.Algorithm.Equal(digestOID(c)) {
		return nil, fmt.Errorf("%w: digest %s for a %d-bit key", ErrUnsupportedAlgorithm, si.DigestAlgorithm.Algorithm, 8*c.PointSize)
	}
	if err := checkSignatureAlgorithm(si.SignatureAlgorithm.Algorithm, c); err != nil {
		return nil, err
	}
	signed := content
	if len(si.SignedAttrs.FullBytes) > 0 {
		if err := checkSignedAttrs(si.SignedAttrs.Bytes, hashFor(c, content), sd.EncapContentInfo.EContentType); err != nil {
			return nil, err
		}
		set := bytes.Clone(si.SignedAttrs.FullBytes)
		set[0] = 0x31 // the signature covers the attributes as a SET OF
		signed = set
	}
	if err := verify(pub, hashFor(c, signed), si.Signature); err != nil {
		return nil, err
	}
	return cert, nil
}

func findSigner(sd *signedData, si *signerInfo) (*Certificate, error) {
	var certs []*Certificate
	rest := sd.Certificates.Bytes
	for len(rest) > 0 {
		var raw asn1.RawValue
		var err error
		rest, err = asn1.Unmarshal(rest, &raw)
		if err != nil {
			return nil, fmt.Errorf("%w: certificates", ErrMalformed)
		}
		if c, err := ParseCertificate(raw.FullBytes); err == nil {
			certs = append(certs, c)
		}
	}
	sid := si.SID
	switch {
	case sid.Class == asn1.ClassUniversal && sid.Tag == asn1.TagSequence:
		var ias issuerAndSerial
		if r, err := asn1.Unmarshal(sid.FullBytes, &ias); err != nil || len(r) != 0 {
			return nil, fmt.Errorf("%w: signer identifier", ErrMalformed)
		}
		for _, c := range certs {
			serial := mustMarshal(c.X509.SerialNumber)
			if bytes.Equal(ias.Issuer.FullBytes, c.X509.RawIssuer) && bytes.Equal(ias.Serial.FullBytes, serial.FullBytes) {
				return c, nil
			}
		}
	case sid.Class == asn1.ClassContextSpecific && sid.Tag == 0:
		for _, c := range certs {
			if len(c.X509.SubjectKeyId) > 0 && bytes.Equal(sid.Bytes, c.X509.SubjectKeyId) {
				return c, nil
			}
		}
	default:
		return nil, fmt.Errorf("%w: signer identifier", ErrMalformed)
	}
	return nil, ErrSignerNotFound
}

func checkSignedAttrs(attrs []byte, digest []byte, contentType asn1.ObjectIdentifier) error {
	var haveDigest, haveType bool
	for len(attrs) > 0 {
		var a attribute
		var err error
		attrs, err = asn1.Unmarshal(attrs, &a)
		if err != nil {
			return fmt.Errorf("%w: signed attributes", ErrMalformed)
		}
		switch {
		case a.Type.Equal(oidMessageDigest):
			var md []byte
			if r, err := asn1.Unmarshal(a.Values.Bytes, &md); err != nil || len(r) != 0 || haveDigest {
				return fmt.Errorf("%w: messageDigest attribute", ErrMalformed)
			}
			if subtle.ConstantTimeCompare(md, digest) != 1 {
				return ErrDigestMismatch
			}
			haveDigest = true
		case a.Type.Equal(oidContentType):
			var ct asn1.ObjectIdentifier
			if r, err := asn1.Unmarshal(a.Values.Bytes, &ct); err != nil || len(r) != 0 || haveType {
				return fmt.Errorf("%w: contentType attribute", ErrMalformed)
			}
			if !ct.Equal(contentType) {
				return fmt.Errorf("%w: contentType attribute %s differs from %s", ErrMalformed, ct, contentType)
			}
			haveType = true
		}
	}
	if !haveDigest || !haveType {
		return fmt.Errorf("%w: signed attributes lack messageDigest or contentType", ErrMalformed)
	}
	return nil
}
