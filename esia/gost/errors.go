package gost

import "errors"

// Sentinel errors. Functions wrap them with context; test with errors.Is.
var (
	// ErrInvalidSignature means a signature did not verify.
	ErrInvalidSignature = errors.New("gost: invalid signature")
	// ErrUnsupportedCurve means a parameter set OID is not known.
	ErrUnsupportedCurve = errors.New("gost: unsupported curve")
	// ErrUnsupportedAlgorithm means an algorithm OID (key, digest or
	// signature) is not a GOST R 34.10-2012 / 34.11-2012 one.
	ErrUnsupportedAlgorithm = errors.New("gost: unsupported algorithm")
	// ErrInvalidKey means a private key is out of range or malformed.
	ErrInvalidKey = errors.New("gost: invalid private key")
	// ErrInvalidPublicKey means a public key is not a point of its curve.
	ErrInvalidPublicKey = errors.New("gost: invalid public key")
	// ErrInvalidDigest means a digest has the wrong length for the key.
	ErrInvalidDigest = errors.New("gost: invalid digest length")
	// ErrMalformed means DER or PEM input could not be parsed.
	ErrMalformed = errors.New("gost: malformed input")
	// ErrDigestMismatch means the messageDigest signed attribute of a CMS
	// signature does not match the content.
	ErrDigestMismatch = errors.New("gost: content digest mismatch")
	// ErrSignerNotFound means a CMS SignedData does not embed the signer's
	// certificate.
	ErrSignerNotFound = errors.New("gost: signer certificate not found")
)
