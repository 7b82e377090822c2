package cms

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Detached describes a detached SignedData with one signer, its
// certificate embedded and identified by issuer and serial number: the
// shape of `openssl cms -sign -binary -outform DER` (with -noattr when
// SignedAttributes is false).
type Detached struct {
	// Certificate is the signer's certificate.
	Certificate *x509.Certificate
	// DigestAlgorithm and SignatureAlgorithm are written as given,
	// parameters included.
	DigestAlgorithm, SignatureAlgorithm pkix.AlgorithmIdentifier
	// SignedAttributes adds the signed attributes contentType (id-data),
	// signingTime and messageDigest; the signature then covers them.
	SignedAttributes bool
	// SigningTime is the signingTime attribute, written in UTC to the
	// second.
	SigningTime time.Time
	// Digest computes the DigestAlgorithm digest for messageDigest; it is
	// needed only with SignedAttributes.
	Digest func([]byte) []byte
}

// Build returns a DER ContentInfo holding a detached SignedData over
// content. sign receives the signature input (content itself, or the DER
// SET OF signed attributes) and returns the signature value; its errors are
// returned unchanged.
func (d *Detached) Build(content []byte, sign func(input []byte) ([]byte, error)) ([]byte, error) {
	cert := d.Certificate
	if cert == nil || cert.SerialNumber == nil || len(cert.Raw) == 0 {
		return nil, fmt.Errorf("%w: no signer certificate", ErrMalformed)
	}
	si := SignerInfo{
		Issuer:             cert.RawIssuer,
		SerialNumber:       cert.SerialNumber,
		DigestAlgorithm:    d.DigestAlgorithm,
		SignatureAlgorithm: d.SignatureAlgorithm,
	}
	input := content
	if d.SignedAttributes {
		if d.Digest == nil {
			return nil, fmt.Errorf("%w: signed attributes need a digest function", ErrMalformed)
		}
		attrs, err := signedAttributes(OIDData, d.SigningTime, d.Digest(content))
		if err != nil {
			return nil, err
		}
		si.SignedAttrs, input = attrs, attrs
	}
	sig, err := sign(input)
	if err != nil {
		return nil, err
	}
	si.Signature = sig
	sd := SignedData{ContentType: OIDData, Certificates: [][]byte{cert.Raw}, Signers: []SignerInfo{si}}
	return sd.Marshal()
}

// signedAttributes returns the DER SET OF the attributes contentType,
// signingTime and messageDigest, in DER order.
func signedAttributes(contentType asn1.ObjectIdentifier, signingTime time.Time, digest []byte) ([]byte, error) {
	ct, err := asn1.Marshal(contentType)
	if err != nil {
		return nil, fmt.Errorf("cms: encoding contentType: %w", err)
	}
	st, err := asn1.Marshal(signingTime.UTC().Truncate(time.Second))
	if err != nil {
		return nil, fmt.Errorf("cms: encoding signingTime: %w", err)
	}
	md, err := asn1.Marshal(digest)
	if err != nil {
		return nil, fmt.Errorf("cms: encoding messageDigest: %w", err)
	}
	var encs [][]byte
	for _, a := range []struct {
		oid asn1.ObjectIdentifier
		val []byte
	}{{OIDContentType, ct}, {OIDSigningTime, st}, {OIDMessageDigest, md}} {
		enc, err := asn1.Marshal(attribute{Type: a.oid, Values: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: a.val}})
		if err != nil {
			return nil, fmt.Errorf("cms: encoding signed attributes: %w", err)
		}
		encs = append(encs, enc)
	}
	slices.SortFunc(encs, bytes.Compare) // DER SET OF order
	return asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: bytes.Join(encs, nil)})
}

// Marshal returns sd as a DER ContentInfo. The version numbers follow RFC
// 5652 (1, or 3 when a signer is identified by subject key identifier or
// the content type is not id-data), and the digestAlgorithms set holds each
// signer's digest algorithm once. A signer needs a SubjectKeyID (or an
// Issuer and a SerialNumber) and both algorithms; its SignedAttrs, when not
// nil, must be one DER SET.
func (sd *SignedData) Marshal() ([]byte, error) {
	out := signedData{
		Version:          1,
		EncapContentInfo: encapContentInfo{EContentType: sd.ContentType},
		DigestAlgorithms: []pkix.AlgorithmIdentifier{},
		SignerInfos:      []signerInfo{},
	}
	if !sd.ContentType.Equal(OIDData) {
		out.Version = 3
	}
	if sd.Content != nil {
		octets, err := asn1.Marshal(sd.Content)
		if err != nil {
			return nil, fmt.Errorf("cms: encoding content: %w", err)
		}
		out.EncapContentInfo.EContent = explicit0(octets)
	}
	if len(sd.Certificates) > 0 {
		out.Certificates = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: bytes.Join(sd.Certificates, nil)}
	}
	var digestAlgs [][]byte
	for i := range sd.Signers {
		si, err := sd.Signers[i].encode()
		if err != nil {
			return nil, fmt.Errorf("%w: signer %d: %s", ErrMalformed, i, err.Error())
		}
		if si.Version == 3 {
			out.Version = 3
		}
		out.SignerInfos = append(out.SignerInfos, si)
		alg, err := asn1.Marshal(si.DigestAlgorithm)
		if err != nil {
			return nil, fmt.Errorf("cms: encoding digest algorithm: %w", err)
		}
		if !slices.ContainsFunc(digestAlgs, func(b []byte) bool { return bytes.Equal(b, alg) }) {
			digestAlgs = append(digestAlgs, alg)
			out.DigestAlgorithms = append(out.DigestAlgorithms, si.DigestAlgorithm)
		}
	}
	inner, err := asn1.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("cms: encoding SignedData: %w", err)
	}
	der, err := asn1.Marshal(contentInfo{ContentType: OIDSignedData, Content: explicit0(inner)})
	if err != nil {
		return nil, fmt.Errorf("cms: encoding ContentInfo: %w", err)
	}
	return der, nil
}

// encode converts si to its ASN.1 shape; its errors are labels for
// ErrMalformed.
func (si *SignerInfo) encode() (signerInfo, error) {
	out := signerInfo{
		Version:            1,
		DigestAlgorithm:    si.DigestAlgorithm,
		SignatureAlgorithm: si.SignatureAlgorithm,
		Signature:          si.Signature,
	}
	if len(si.DigestAlgorithm.Algorithm) < 2 || len(si.SignatureAlgorithm.Algorithm) < 2 {
		return out, errors.New("no digest or signature algorithm")
	}
	if len(si.SubjectKeyID) > 0 {
		out.Version = 3
		out.SID = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, Bytes: si.SubjectKeyID}
	} else {
		if len(si.Issuer) == 0 || si.SerialNumber == nil {
			return out, errors.New("no signer identifier")
		}
		sid, err := asn1.Marshal(issuerAndSerial{Issuer: asn1.RawValue{FullBytes: si.Issuer}, Serial: si.SerialNumber})
		if err != nil {
			return out, errors.New("issuer and serial number")
		}
		out.SID = asn1.RawValue{FullBytes: sid}
	}
	if si.SignedAttrs != nil {
		var set asn1.RawValue
		if rest, err := asn1.Unmarshal(si.SignedAttrs, &set); err != nil || len(rest) != 0 || si.SignedAttrs[0] != tagSetByte {
			return out, errors.New("signed attributes are not a DER SET")
		}
		attrs := bytes.Clone(si.SignedAttrs)
		attrs[0] = tagImplicit0Con
		out.SignedAttrs = asn1.RawValue{FullBytes: attrs}
	}
	return out, nil
}
