package esia

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"

	"github.com/gospubliki/gosdk/esia/gost"
)

// SignMode says which kind of client_secret a request needs.
type SignMode int

const (
	// SignRaw asks for a raw signature of the message: 64 bytes of GOST R
	// 34.10-2012-256 over Streebog-256 in the OpenSSL layout (s‖r,
	// big-endian), as `openssl dgst -engine gost -md_gost12_256 -sign`
	// writes it. The current protocol (v2/ac, v3/te) uses it.
	SignRaw SignMode = iota
	// SignCMS asks for a detached CMS (PKCS#7) SignedData in DER with the
	// signer certificate embedded and no signed attributes, as `openssl cms
	// -sign -binary -outform DER -noattr` writes it. The legacy protocol
	// (/aas/oauth2/ac, /aas/oauth2/te) uses it.
	SignCMS
)

// String returns "raw" or "cms".
func (m SignMode) String() string {
	switch m {
	case SignRaw:
		return "raw"
	case SignCMS:
		return "cms"
	}
	return fmt.Sprintf("SignMode(%d)", int(m))
}

// Signer signs the client_secret strings of an information system (IS) with
// the key of the certificate registered for it on the ESIA tech portal.
// Implementations must be safe for concurrent use.
type Signer interface {
	// Sign signs msg (the concatenated string of the request) in the given
	// mode and returns the signature bytes before base64 encoding.
	Sign(ctx context.Context, msg []byte, mode SignMode) ([]byte, error)
	// Certificate returns the DER of the IS certificate.
	Certificate() []byte
	// CertificateHash returns client_certificate_hash: the uppercase hex
	// Streebog-256 hash of the DER certificate.
	CertificateHash() string
}

// errUnsupportedMode is returned by signers that cannot sign in a mode.
var errUnsupportedMode = errors.New("esia: signer does not support this mode")

// GOSTSigner signs in process with esia/gost. Create it with
// [NewGOSTSigner]; it is safe for concurrent use.
type GOSTSigner struct {
	key  *gost.PrivateKey
	cert *gost.Certificate
	hash string
	rand io.Reader
}

// NewGOSTSigner returns a signer for key and its certificate cert (the one
// registered on the tech portal). It checks that they belong together.
func NewGOSTSigner(key *gost.PrivateKey, cert *gost.Certificate) (*GOSTSigner, error) {
	if key == nil || cert == nil || cert.PublicKey == nil || len(cert.Raw) == 0 {
		return nil, errors.New("esia: NewGOSTSigner needs a key and a parsed certificate")
	}
	if !key.PublicKey.Equal(cert.PublicKey) {
		return nil, errors.New("esia: the GOST key does not match the certificate")
	}
	return &GOSTSigner{key: key, cert: cert, hash: gost.CertificateHash(cert.Raw), rand: rand.Reader}, nil
}

// Sign implements [Signer].
func (s *GOSTSigner) Sign(ctx context.Context, msg []byte, mode SignMode) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch mode {
	case SignRaw:
		return gost.SignMessage(s.rand, s.key, msg)
	case SignCMS:
		return gost.SignDetached(s.rand, msg, s.cert, s.key)
	}
	return nil, fmt.Errorf("%w: %v", errUnsupportedMode, mode)
}

// Certificate implements [Signer].
func (s *GOSTSigner) Certificate() []byte { return bytes.Clone(s.cert.Raw) }

// CertificateHash implements [Signer].
func (s *GOSTSigner) CertificateHash() string { return s.hash }

// RSASigner signs with RSA (SHA-256, PKCS#1 v1.5). It exists for test stands
// and legacy systems registered with an RSA certificate; production ESIA
// requires GOST. Create it with [NewRSASigner].
type RSASigner struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
	hash string
}

// NewRSASigner returns a signer for key and its certificate cert.
func NewRSASigner(key *rsa.PrivateKey, cert *x509.Certificate) (*RSASigner, error) {
	if key == nil || cert == nil {
		return nil, errors.New("esia: NewRSASigner needs a key and a certificate")
	}
	if !key.PublicKey.Equal(cert.PublicKey) {
		return nil, errors.New("esia: the RSA key does not match the certificate")
	}
	return &RSASigner{key: key, cert: cert, hash: gost.CertificateHash(cert.Raw)}, nil
}

// Sign implements [Signer]: SignRaw gives the PKCS#1 v1.5 signature of the
// SHA-256 digest; SignCMS a detached CMS SignedData with sha256WithRSA and
// no signed attributes.
func (s *RSASigner) Sign(ctx context.Context, msg []byte, mode SignMode) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d := sha256.Sum256(msg)
	sig, err := rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, d[:])
	if err != nil {
		return nil, fmt.Errorf("esia: rsa sign: %w", err)
	}
	switch mode {
	case SignRaw:
		return sig, nil
	case SignCMS:
		return rsaDetachedCMS(s.cert, msg, sig)
	}
	return nil, fmt.Errorf("%w: %v", errUnsupportedMode, mode)
}

// Certificate implements [Signer].
func (s *RSASigner) Certificate() []byte { return bytes.Clone(s.cert.Raw) }

// CertificateHash implements [Signer]: the Streebog-256 hash of the DER
// certificate, as ESIA computes it for every certificate type.
func (s *RSASigner) CertificateHash() string { return s.hash }
