package esiamock

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"errors"

	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/internal/cms"
)

// Checking of detached CMS (RFC 5652) SignedData client_secret values: the
// signer is looked up among the registered certificates (the embedded one
// is not trusted), then the digest and the signature are checked. It
// supports GOST R 34.10-2012-256 with Streebog-256 and, in the RSA test
// mode, RSA PKCS #1 v1.5 with SHA-256; with or without signed attributes.
// The ASN.1 lives in internal/cms.

var (
	errCMS            = errors.New("esiamock: malformed CMS signature")
	errCMSSigner      = errors.New("esiamock: CMS signer is not a registered certificate")
	errCMSSignature   = errors.New("esiamock: CMS signature does not verify")
	errCMSNotDetached = errors.New("esiamock: CMS signature is not detached or signs other content")
)

// verifyCMS checks a detached CMS SignedData over content against the
// registered certificates and returns the one that signed it.
func verifyCMS(certs []*clientCert, der, content []byte) (*clientCert, error) {
	sd, err := cms.Parse(der)
	if err != nil {
		return nil, errCMS
	}
	if sd.Content != nil {
		return nil, errCMSNotDetached
	}
	if !sd.ContentType.Equal(cms.OIDData) || len(sd.Signers) != 1 {
		return nil, errCMS
	}
	si := &sd.Signers[0]
	signer := findSigner(certs, si)
	if signer == nil {
		return nil, errCMSSigner
	}
	var digest func([]byte) []byte
	switch {
	case signer.gost != nil && si.DigestAlgorithm.Algorithm.Equal(gost.OIDDigest256):
		digest = func(b []byte) []byte { h := gost.Sum256(b); return h[:] }
	case signer.rsa != nil && si.DigestAlgorithm.Algorithm.Equal(cms.OIDSHA256):
		digest = func(b []byte) []byte { h := sha256.Sum256(b); return h[:] }
	default:
		return nil, errCMSSignature
	}
	signed, err := sd.SignedInput(si, content, digest)
	switch {
	case errors.Is(err, cms.ErrDigestMismatch):
		return nil, errCMSNotDetached
	case err != nil:
		return nil, errCMS
	}
	ok := false
	switch alg := si.SignatureAlgorithm.Algorithm; {
	case signer.gost != nil && (alg.Equal(gost.OIDSignature256) || alg.Equal(gost.OIDPublicKey256)):
		ok = len(si.Signature) == 64 && gost.VerifyMessage(signer.gost, signed, si.Signature)
	case signer.rsa != nil && (alg.Equal(cms.OIDRSAEncryption) || alg.Equal(cms.OIDSHA256WithRSA)):
		ok = verifyRSA(signer.rsa, signed, si.Signature)
	}
	if !ok {
		return nil, errCMSSignature
	}
	return signer, nil
}

// findSigner returns the registered certificate si names (by issuer and
// serial number, or by subject key identifier), or nil.
func findSigner(certs []*clientCert, si *cms.SignerInfo) *clientCert {
	for _, c := range certs {
		if si.Matches(c.x509) {
			return c
		}
	}
	return nil
}

func verifyRSA(pub *rsa.PublicKey, msg, sig []byte) bool {
	h := sha256.Sum256(msg)
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig) == nil
}
