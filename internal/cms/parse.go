package cms

import (
	"bytes"
	"crypto/subtle"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
)

// Parse decodes a DER ContentInfo holding a SignedData. It checks the
// structure only: no signature is verified and no signed attribute is
// checked (see [SignedData.SignedInput]). The result does not share memory
// with der.
func Parse(der []byte) (*SignedData, error) {
	der = bytes.Clone(der)
	var ci contentInfo
	if rest, err := asn1.Unmarshal(der, &ci); err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("%w: ContentInfo", ErrMalformed)
	}
	if !ci.ContentType.Equal(OIDSignedData) {
		return nil, fmt.Errorf("%w: content type %s", ErrNotSignedData, ci.ContentType)
	}
	var sd signedData
	if rest, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("%w: SignedData", ErrMalformed)
	}
	out := &SignedData{ContentType: sd.EncapContentInfo.EContentType}
	if ec := sd.EncapContentInfo.EContent; len(ec.FullBytes) != 0 {
		var octets []byte
		if rest, err := asn1.Unmarshal(ec.Bytes, &octets); err != nil || len(rest) != 0 {
			return nil, fmt.Errorf("%w: encapsulated content", ErrMalformed)
		}
		if octets == nil {
			octets = []byte{}
		}
		out.Content = octets
	}
	for rest := sd.Certificates.Bytes; len(rest) > 0; {
		var cert asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &cert); err != nil {
			return nil, fmt.Errorf("%w: certificates", ErrMalformed)
		}
		out.Certificates = append(out.Certificates, cert.FullBytes)
	}
	for i := range sd.SignerInfos {
		si, err := parseSignerInfo(&sd.SignerInfos[i])
		if err != nil {
			return nil, fmt.Errorf("%w: signer %d: %s", ErrMalformed, i, err.Error())
		}
		out.Signers = append(out.Signers, si)
	}
	return out, nil
}

// parseSignerInfo converts a decoded SignerInfo; its errors are labels for
// ErrMalformed.
func parseSignerInfo(in *signerInfo) (SignerInfo, error) {
	si := SignerInfo{
		DigestAlgorithm:    in.DigestAlgorithm,
		SignatureAlgorithm: in.SignatureAlgorithm,
		Signature:          in.Signature,
	}
	switch sid := in.SID; {
	case sid.Class == asn1.ClassUniversal && sid.Tag == asn1.TagSequence:
		var ias issuerAndSerial
		if rest, err := asn1.Unmarshal(sid.FullBytes, &ias); err != nil || len(rest) != 0 {
			return si, errors.New("issuer and serial number")
		}
		si.Issuer, si.SerialNumber = ias.Issuer.FullBytes, ias.Serial
	case sid.Class == asn1.ClassContextSpecific && sid.Tag == 0 && !sid.IsCompound && len(sid.Bytes) > 0:
		si.SubjectKeyID = sid.Bytes
	default:
		return si, errors.New("signer identifier")
	}
	if sa := in.SignedAttrs; len(sa.FullBytes) != 0 {
		if !sa.IsCompound || sa.FullBytes[0] != tagImplicit0Con {
			return si, errors.New("signed attributes")
		}
		set := bytes.Clone(sa.FullBytes)
		set[0] = tagSetByte // the signature covers the attributes as a SET OF
		si.SignedAttrs = set
	}
	return si, nil
}

// SignedInput returns what the signature of si covers, for si one of
// sd.Signers and content the signed content (sd.Content when it is
// encapsulated): content itself when si has no signed attributes, else
// si.SignedAttrs, after checking that they hold exactly one contentType
// equal to sd.ContentType and exactly one messageDigest equal to
// digest(content). digest is the signer's digest algorithm; it is not
// called without signed attributes. The caller hashes (or not) and
// verifies the result with its signature algorithm.
func (sd *SignedData) SignedInput(si *SignerInfo, content []byte, digest func([]byte) []byte) ([]byte, error) {
	if si.SignedAttrs == nil {
		return content, nil
	}
	md, ct, err := signedAttrValues(si.SignedAttrs)
	if err != nil {
		return nil, err
	}
	if !ct.Equal(sd.ContentType) {
		return nil, fmt.Errorf("%w: %s, content %s", ErrContentTypeMismatch, ct, sd.ContentType)
	}
	if digest == nil {
		return nil, fmt.Errorf("%w: no digest function for the signed attributes", ErrMalformed)
	}
	if subtle.ConstantTimeCompare(md, digest(content)) != 1 {
		return nil, ErrDigestMismatch
	}
	return si.SignedAttrs, nil
}

// signedAttrValues returns the messageDigest and contentType values of a
// DER SET OF Attribute, each of which must be present once with one value.
func signedAttrValues(set []byte) (md []byte, ct asn1.ObjectIdentifier, err error) {
	var raw asn1.RawValue
	if rest, err := asn1.Unmarshal(set, &raw); err != nil || len(rest) != 0 || raw.Class != asn1.ClassUniversal || raw.Tag != asn1.TagSet {
		return nil, nil, fmt.Errorf("%w: signed attributes", ErrMalformed)
	}
	var haveDigest, haveType bool
	for attrs := raw.Bytes; len(attrs) > 0; {
		var a attribute
		if attrs, err = asn1.Unmarshal(attrs, &a); err != nil || a.Values.Class != asn1.ClassUniversal || a.Values.Tag != asn1.TagSet {
			return nil, nil, fmt.Errorf("%w: signed attributes", ErrMalformed)
		}
		switch {
		case a.Type.Equal(OIDMessageDigest):
			if rest, err := asn1.Unmarshal(a.Values.Bytes, &md); err != nil || len(rest) != 0 || haveDigest {
				return nil, nil, fmt.Errorf("%w: messageDigest attribute", ErrMalformed)
			}
			haveDigest = true
		case a.Type.Equal(OIDContentType):
			if rest, err := asn1.Unmarshal(a.Values.Bytes, &ct); err != nil || len(rest) != 0 || haveType {
				return nil, nil, fmt.Errorf("%w: contentType attribute", ErrMalformed)
			}
			haveType = true
		}
	}
	if !haveDigest || !haveType {
		return nil, nil, fmt.Errorf("%w: signed attributes lack messageDigest or contentType", ErrMalformed)
	}
	return md, ct, nil
}

// Matches reports whether cert is the certificate si names: by subject key
// identifier, or by issuer and serial number. A nil cert matches nothing.
func (si *SignerInfo) Matches(cert *x509.Certificate) bool {
	if cert == nil {
		return false
	}
	if len(si.SubjectKeyID) > 0 {
		return len(cert.SubjectKeyId) > 0 && bytes.Equal(si.SubjectKeyID, cert.SubjectKeyId)
	}
	return si.SerialNumber != nil && cert.SerialNumber != nil && si.SerialNumber.Cmp(cert.SerialNumber) == 0 &&
		len(si.Issuer) > 0 && bytes.Equal(si.Issuer, cert.RawIssuer)
}
