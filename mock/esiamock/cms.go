package esiamock

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"math/big"

	"github.com/gospubliki/gosdk/esia/gost"
)

// A minimal CMS (RFC 5652) SignedData reader for detached client_secret
// values: enough to find the signer, the digest and the signature, and to
// check them against the registered certificates. It supports GOST R
// 34.10-2012-256 with Streebog-256 and, in the RSA test mode, RSA PKCS #1
// v1.5 with SHA-256; with or without signed attributes.

var (
	oidSignedData     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidData           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidMessageDigest  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidStreebog256    = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 2}
	oidGOST256Key     = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 1}
	oidGOST256Sig     = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 3, 2}
	oidSHA256         = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidRSA            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA256WithRSA  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	errCMS            = errors.New("esiamock: malformed CMS signature")
	errCMSSigner      = errors.New("esiamock: CMS signer is not a registered certificate")
	errCMSSignature   = errors.New("esiamock: CMS signature does not verify")
	errCMSNotDetached = errors.New("esiamock: CMS signature is not detached or signs other content")
)

type cmsContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,tag:0"`
}

type cmsAlgID struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type cmsEncap struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue `asn1:"optional,explicit,tag:0"`
}

type cmsSignedData struct {
	Version          int
	DigestAlgorithms asn1.RawValue
	EncapContentInfo cmsEncap
	Certificates     asn1.RawValue   `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue   `asn1:"optional,tag:1"`
	SignerInfos      []cmsSignerInfo `asn1:"set"`
}

type cmsIssuerSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type cmsSignerInfo struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    cmsAlgID
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm cmsAlgID
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type cmsAttribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue
}

// verifyCMS checks a detached CMS SignedData over content against the
// registered certificates and returns the one that signed it.
func verifyCMS(certs []*clientCert, der, content []byte) (*clientCert, error) {
	var ci cmsContentInfo
	rest, err := asn1.Unmarshal(der, &ci)
	if err != nil || len(rest) != 0 || !ci.ContentType.Equal(oidSignedData) {
		return nil, errCMS
	}
	var sd cmsSignedData
	if rest, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil || len(rest) != 0 {
		return nil, errCMS
	}
	if len(sd.EncapContentInfo.EContent.Bytes) != 0 || len(sd.EncapContentInfo.EContent.FullBytes) != 0 {
		return nil, errCMSNotDetached
	}
	if !sd.EncapContentInfo.EContentType.Equal(oidData) || len(sd.SignerInfos) != 1 {
		return nil, errCMS
	}
	si := sd.SignerInfos[0]
	signer := findSigner(certs, si.SID)
	if signer == nil {
		return nil, errCMSSigner
	}
	var digest []byte
	switch {
	case signer.gost != nil && si.DigestAlgorithm.Algorithm.Equal(oidStreebog256):
		h := gost.Sum256(content)
		digest = h[:]
	case signer.rsa != nil && si.DigestAlgorithm.Algorithm.Equal(oidSHA256):
		h := sha256.Sum256(content)
		digest = h[:]
	default:
		return nil, errCMSSignature
	}
	signed := content
	if len(si.SignedAttrs.FullBytes) != 0 {
		md, err := messageDigest(si.SignedAttrs.Bytes)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(md, digest) {
			return nil, errCMSNotDetached
		}
		// The signature covers the attributes re-tagged as a SET.
		signed = append([]byte{0x31}, si.SignedAttrs.FullBytes[1:]...)
	}
	ok := false
	switch {
	case signer.gost != nil && (si.SignatureAlgorithm.Algorithm.Equal(oidGOST256Sig) || si.SignatureAlgorithm.Algorithm.Equal(oidGOST256Key)):
		ok = len(si.Signature) == 64 && gost.VerifyMessage(signer.gost, signed, si.Signature)
	case signer.rsa != nil && (si.SignatureAlgorithm.Algorithm.Equal(oidRSA) || si.SignatureAlgorithm.Algorithm.Equal(oidSHA256WithRSA)):
		ok = verifyRSA(signer.rsa, signed, si.Signature)
	}
	if !ok {
		return nil, errCMSSignature
	}
	return signer, nil
}

// findSigner matches the SignerIdentifier (issuer and serial number, or
// subject key identifier) against the registered certificates.
func findSigner(certs []*clientCert, sid asn1.RawValue) *clientCert {
	if sid.Class == asn1.ClassContextSpecific && sid.Tag == 0 {
		for _, c := range certs {
			if c.x509 != nil && len(c.x509.SubjectKeyId) != 0 && bytes.Equal(c.x509.SubjectKeyId, sid.Bytes) {
				return c
			}
		}
		return nil
	}
	var is cmsIssuerSerial
	if rest, err := asn1.Unmarshal(sid.FullBytes, &is); err != nil || len(rest) != 0 || is.Serial == nil {
		return nil
	}
	for _, c := range certs {
		if c.x509 != nil && c.x509.SerialNumber != nil && c.x509.SerialNumber.Cmp(is.Serial) == 0 &&
			bytes.Equal(c.x509.RawIssuer, is.Issuer.FullBytes) {
			return c
		}
	}
	return nil
}

func messageDigest(attrs []byte) ([]byte, error) {
	for len(attrs) > 0 {
		var a cmsAttribute
		var err error
		attrs, err = asn1.Unmarshal(attrs, &a)
		if err != nil {
			return nil, errCMS
		}
		if a.Type.Equal(oidMessageDigest) {
			var md []byte
			if _, err := asn1.Unmarshal(a.Values.Bytes, &md); err != nil {
				return nil, errCMS
			}
			return md, nil
		}
	}
	return nil, errCMS
}

func verifyRSA(pub *rsa.PublicKey, msg, sig []byte) bool {
	h := sha256.Sum256(msg)
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig) == nil
}
