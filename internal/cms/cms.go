// Package cms encodes and decodes CMS (RFC 5652) SignedData, as the legacy
// ESIA protocol uses it for a detached client_secret.
//
// The package is algorithm-neutral: it builds and parses the ASN.1
// structure, checks the signed attributes and finds the signer's
// certificate, while the callers hash, sign and verify with their own
// algorithms (GOST R 34.10-2012 in esia/gost, RSA on test stands). A
// SignedData is parsed with [Parse]; the input a signature covers comes from
// [SignedData.SignedInput]; [SignerInfo.Matches] tells whether a certificate
// is the signer's. [Detached.Build] writes a detached SignedData with one
// signer, and [SignedData.Marshal] any other.
package cms

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
)

// Object identifiers of the content types and attributes the package
// writes and checks (RFC 5652, section 11), and of the common algorithms
// callers put in a [SignerInfo].
var (
	// OIDData is id-data, the content type of arbitrary octets.
	OIDData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	// OIDSignedData is id-signedData, the content type of a SignedData.
	OIDSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	// OIDContentType is the contentType signed attribute.
	OIDContentType = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	// OIDMessageDigest is the messageDigest signed attribute.
	OIDMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	// OIDSigningTime is the signingTime signed attribute.
	OIDSigningTime = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	// OIDSHA256 is id-sha256, a digest algorithm.
	OIDSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	// OIDRSAEncryption is rsaEncryption, the RSA PKCS #1 v1.5 signature
	// algorithm as CMS names it.
	OIDRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	// OIDSHA256WithRSA is sha256WithRSAEncryption, the other name some
	// signers use for RSA PKCS #1 v1.5 with SHA-256.
	OIDSHA256WithRSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
)

// Sentinel errors. Functions wrap them with context; test with errors.Is.
var (
	// ErrMalformed means the input is not a well-formed DER SignedData (or
	// its signed attributes are), or a SignedData to encode is incomplete.
	ErrMalformed = errors.New("cms: malformed SignedData")
	// ErrNotSignedData means a ContentInfo holds another content type.
	ErrNotSignedData = errors.New("cms: content is not signedData")
	// ErrDigestMismatch means the messageDigest signed attribute does not
	// match the content.
	ErrDigestMismatch = errors.New("cms: messageDigest does not match the content")
	// ErrContentTypeMismatch means the contentType signed attribute differs
	// from the encapsulated content type.
	ErrContentTypeMismatch = errors.New("cms: contentType attribute differs from the content type")
)

// SignedData is a decoded CMS SignedData: what a caller needs to verify or
// write it. The version numbers, digestAlgorithms set, CRLs and unsigned
// attributes are not kept; [SignedData.Marshal] derives the first two.
type SignedData struct {
	// ContentType is the encapsulated content type (eContentType),
	// usually OIDData.
	ContentType asn1.ObjectIdentifier
	// Content is the encapsulated content; nil when the SignedData is
	// detached, and empty but not nil for an empty encapsulated content.
	Content []byte
	// Certificates holds the DER of each embedded certificate, in order.
	Certificates [][]byte
	// Signers holds the SignerInfos in the order of the encoding;
	// [SignedData.Marshal] writes them in DER SET OF order.
	Signers []SignerInfo
}

// SignerInfo is one signer of a [SignedData]. The signer is identified
// either by SubjectKeyID or, when that is empty, by Issuer and SerialNumber.
type SignerInfo struct {
	// Issuer is the DER Name of the signer certificate's issuer.
	Issuer []byte
	// SerialNumber is the signer certificate's serial number.
	SerialNumber *big.Int
	// SubjectKeyID is the signer certificate's subject key identifier.
	SubjectKeyID []byte
	// DigestAlgorithm identifies the digest of the content (and of the
	// signed attributes).
	DigestAlgorithm pkix.AlgorithmIdentifier
	// SignatureAlgorithm identifies the signature algorithm.
	SignatureAlgorithm pkix.AlgorithmIdentifier
	// SignedAttrs is the DER SET OF Attribute exactly as signed (tag
	// 0x31, not the [0] it is stored under), or nil when the signature
	// covers the content itself.
	SignedAttrs []byte
	// Signature is the signature value.
	Signature []byte
}

// ASN.1 shapes (RFC 5652, sections 3, 5 and 10). RawValue fields tagged
// explicit hold the whole [0] wrapper when decoded and are written as given.

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
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo encapContentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      []signerInfo  `asn1:"set"`
}

type signerInfo struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue
}

// DER identifier octets the package rewrites: signed attributes are stored
// as [0] IMPLICIT SET OF and signed as a SET OF.
const (
	tagSetByte      = 0x31 // universal, constructed, SET
	tagImplicit0Con = 0xa0 // context-specific, constructed, [0]
)

// explicit0 wraps DER in a constructed [0] tag.
func explicit0(der []byte) asn1.RawValue {
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: der}
}
