package gost

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gospubliki/gosdk/internal/cms"
)

// CMS (RFC 5652) SignedData with GOST algorithms (RFC 4490 / RFC 9215
// identifiers), as the legacy ESIA protocol uses for client_secret. The
// ASN.1 lives in internal/cms; this file hashes, signs and verifies.

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
	d := cms.Detached{
		Certificate:        cert.X509,
		DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: digestOID(c), Parameters: nullParams},
		SignatureAlgorithm: pkix.AlgorithmIdentifier{Algorithm: keyAlgorithmOID(c), Parameters: nullParams},
		SignedAttributes:   o.signedAttrs,
		SigningTime:        o.signingTime,
		Digest:             func(b []byte) []byte { return hashFor(c, b) },
	}
	var signErr error
	der, err := d.Build(content, func(input []byte) ([]byte, error) {
		sig, err := key.Sign(rand, hashFor(c, input), nil)
		signErr = err
		return sig, err
	})
	switch {
	case signErr != nil:
		return nil, signErr
	case err != nil:
		return nil, fmt.Errorf("gost: encoding SignedData: %w", err)
	}
	return der, nil
}

// VerifyDetached verifies a DER CMS SignedData (ContentInfo) over content
// and returns the embedded signer certificate. Signatures with and without
// signed attributes are accepted; with attributes, messageDigest must match
// content. If the SignedData is not detached and content is nil, the
// encapsulated content is used. Exactly one SignerInfo is expected.
//
// VerifyDetached does not decide whether the signer is trusted: the caller
// must compare the returned certificate with the one it expects.
func VerifyDetached(der []byte, content []byte) (*Certificate, error) {
	sd, err := cms.Parse(der)
	if err != nil {
		return nil, cmsError(err)
	}
	if len(sd.Signers) != 1 {
		return nil, fmt.Errorf("%w: %d signer infos (want 1)", ErrMalformed, len(sd.Signers))
	}
	if content == nil && sd.Content != nil {
		content = sd.Content
	}
	si := &sd.Signers[0]
	var cert *Certificate
	for _, raw := range sd.Certificates {
		if c, err := ParseCertificate(raw); err == nil && si.Matches(c.X509) {
			cert = c
			break
		}
	}
	if cert == nil {
		return nil, ErrSignerNotFound
	}
	pub := cert.PublicKey
	c := pub.Curve
	if !si.DigestAlgorithm.Algorithm.Equal(digestOID(c)) {
		return nil, fmt.Errorf("%w: digest %s for a %d-bit key", ErrUnsupportedAlgorithm, si.DigestAlgorithm.Algorithm, 8*c.PointSize)
	}
	if err := checkSignatureAlgorithm(si.SignatureAlgorithm.Algorithm, c); err != nil {
		return nil, err
	}
	signed, err := sd.SignedInput(si, content, func(b []byte) []byte { return hashFor(c, b) })
	if err != nil {
		return nil, cmsError(err)
	}
	if err := verify(pub, hashFor(c, signed), si.Signature); err != nil {
		return nil, err
	}
	return cert, nil
}

// cmsError gives an internal/cms error this package's sentinel.
func cmsError(err error) error {
	switch {
	case errors.Is(err, cms.ErrDigestMismatch):
		return fmt.Errorf("%w: %w", ErrDigestMismatch, err)
	case errors.Is(err, cms.ErrNotSignedData):
		return fmt.Errorf("%w: %w", ErrUnsupportedAlgorithm, err)
	default:
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
}
