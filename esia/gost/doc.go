// Package gost implements the Russian GOST cryptography that ESIA (the
// Gosuslugi identity provider) requires of its clients, in pure Go, written
// from the RFCs and checked against OpenSSL's GOST engine:
//
//   - Streebog, GOST R 34.11-2012 (RFC 6986): New256, New512, Sum256, Sum512.
//   - GOST R 34.10-2012 signatures (RFC 7091) on the parameter sets of
//     RFC 4357 and RFC 7836: CryptoPro A/B/C/XchA/XchB, TC26 256 A/B/C/D,
//     TC26 512 A/B/C and the two RFC 7091 test curves (see CurveByOID).
//   - Keys in PKCS #8 and SubjectPublicKeyInfo form (RFC 9215), PEM helpers.
//   - X.509 certificates with GOST keys: parsing, signature checking and
//     issuing (CreateCertificate), and the ESIA client_certificate_hash
//     (CertificateHash).
//   - Detached CMS SignedData (RFC 5652 with GOST identifiers), the legacy
//     ESIA client_secret: SignDetached and VerifyDetached.
//
// # Byte layouts
//
// A Streebog digest is the byte string OpenSSL (md_gost12_256, gost12sum)
// prints. The standard defines the hash value as a number whose
// little-endian encoding is that byte string; signing therefore reads the
// digest as a little-endian integer (e = LE(digest) mod q), as OpenSSL does.
//
// A signature (Sign, SignMessage, Verify) is s || r, each big-endian and
// Curve.PointSize bytes long: 64 bytes for 256-bit keys, 128 for 512-bit
// ones. This is what `openssl dgst -engine gost -md_gost12_256 -sign`
// writes, and the value inside certificates and CMS (RFC 4491, RFC 9215).
// It is the raw ESIA v2/v3 client_secret before base64url encoding.
//
// CryptoPro tools (csptest -sign, CPRawSignature.SignHash) emit the same
// signature byte-reversed (r || s, little-endian). Convert with
// ReverseBytes in either direction before passing such a signature to
// Verify, or after Sign when a CryptoPro-shaped value is wanted.
//
// Keys: PKCS #8 private keys hold the scalar little-endian (the reverse of
// what `openssl pkey -text` prints); ParsePKCS8PrivateKey also accepts the
// OCTET STRING-wrapped and INTEGER forms older tools wrote.
// NewPrivateKey and PrivateKey.Bytes use big-endian. Public keys in
// certificates are an OCTET STRING of X || Y, each little-endian
// (PublicKey.RawLE).
//
// # Side channels
//
// Field and scalar arithmetic on secret values uses fixed-size 64-bit limbs
// in Montgomery form (field.go): loops run a number of times fixed by the
// curve, carries are handled with math/bits, and selections use masks.
// Scalar multiplication processes the scalar in fixed 4-bit windows over
// the bit length of Q; each window reads a whole table of precomputed
// multiples with masked selects (no secret-dependent memory index) and
// performs the same complete projective addition (Renes-Costello-Batina
// formulas, which need no branch for doubling or the neutral element), so
// the sequence of operations and memory accesses does not depend on the
// private key or the per-signature nonce. The generator's tables are built
// once per curve on first use. s = r*d +
// k*e mod q is computed the same way.
//
// Residual risks, stated honestly:
//
//   - The API exposes the private scalar as *big.Int (PrivateKey.D), and the
//     key parsers, range checks and conversions go through math/big, which
//     is not constant time; they can leak the magnitude of D (its word
//     length), not its value. Nonces never live in a big.Int.
//   - Streebog uses lookup tables indexed by the data being hashed; hashing
//     secret data can leak through cache timing. Signed messages are
//     normally public.
//   - Verification works on public data and is not constant time.
//   - There is no protection against fault injection or power analysis,
//     and the Go compiler gives no formal constant-time guarantee.
//   - The nonce comes from the caller's rand (crypto/rand.Reader in
//     production); a repeated nonce reveals the key. Signing is not
//     deterministic.
//
// # Interoperability
//
// The tests cross-check against OpenSSL 3 with libengine-gost-openssl:
// digests, signatures in both directions, keys written by each side,
// certificates made by each side (including `openssl verify` of a Go chain)
// and CMS with and without signed attributes, for CryptoPro-A, TC26 256 A
// and TC26 512 A. They skip only when openssl with the gost engine is
// missing; the files in testdata keep OpenSSL-made vectors for that case.
package gost
