package esiamock

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gospubliki/gosdk/esia/gost"
)

// JWT signature algorithms, as ESIA names them in the JWT header.
const (
	AlgGOST  = "GOST3410_2012_256"
	AlgRS256 = "RS256"
)

// System is an information system registered with ESIA (on the "tech
// portal"): its mnemonic, its certificates, where it may redirect and how its
// tokens are signed.
type System struct {
	// ClientID is the system's mnemonic (client_id), such as "GOSSDK_TEST".
	ClientID string `json:"client_id"`
	// OID is the system's own ESIA object id, used as urn:esia:sbj_id in
	// client_credentials tokens (0: a value is derived).
	OID int64 `json:"oid,omitempty"`
	// Certificates are the PEM-encoded certificates uploaded for the system;
	// a client_secret must verify against one of them and
	// client_certificate_hash must be the Streebog-256 hash of one of them.
	// GOST R 34.10-2012 certificates are always accepted; RSA ones only when
	// the server runs with [WithRSAClients].
	Certificates []string `json:"certificates"`
	// RedirectURIs are the allowed callback URLs. A redirect_uri matches an
	// entry when scheme, host and path are equal (the query may differ);
	// an entry ending in "*" matches any URL that starts with the rest.
	RedirectURIs []string `json:"redirect_uris"`
	// JWTAlg is [AlgGOST] (default) or [AlgRS256].
	JWTAlg string `json:"jwt_alg,omitempty"`
	// Scopes, when not empty, are the person and organisation scopes the
	// system may request (bare names such as "fullname", "org_shortname";
	// "openid" is always allowed). Others answer ESIA-007006.
	Scopes []string `json:"scopes,omitempty"`
	// RequirePKCE makes code_challenge mandatory on /ac and /v2/ac
	// (ESIA-007039 when missing).
	RequirePKCE bool `json:"require_pkce,omitempty"`
	// ClientCredentials allows grant_type=client_credentials (system
	// tokens); otherwise that grant answers ESIA-007005.
	ClientCredentials bool `json:"client_credentials,omitempty"`
	// RefreshVariant is the only signed string the system's v3 refresh
	// requests may carry ("redirect_uri", "refresh_token" or "any" in
	// JSON); unset, the server's ([WithRefreshVariant], by default
	// [RefreshRedirectURI], what the esia client signs by default).
	RefreshVariant RefreshVariant `json:"refresh_variant,omitempty"`
}

// clientCert is a parsed registered certificate.
type clientCert struct {
	der  []byte
	hash string // uppercase hex Streebog-256 of der
	x509 *x509.Certificate
	rsa  *rsa.PublicKey  // set for RSA certificates
	gost *gost.PublicKey // set for GOST certificates
	cert *gost.Certificate
}

// system is a registered system with its parsed certificates.
type system struct {
	System
	certs []*clientCert
}

var errSystem = errors.New("esiamock: invalid system")

// CertificateHash returns client_certificate_hash for a DER certificate:
// the uppercase hex Streebog-256 hash of the DER bytes.
func CertificateHash(der []byte) string {
	h := gost.Sum256(der)
	return strings.ToUpper(hex.EncodeToString(h[:]))
}

func parseSystem(s System, allowRSA bool) (*system, error) {
	if s.ClientID == "" {
		return nil, fmt.Errorf("%w: empty client_id", errSystem)
	}
	switch s.JWTAlg {
	case "":
		s.JWTAlg = AlgGOST
	case AlgGOST, AlgRS256:
	default:
		return nil, fmt.Errorf("%w: %s: jwt_alg must be %s or %s", errSystem, s.ClientID, AlgGOST, AlgRS256)
	}
	if len(s.RedirectURIs) == 0 {
		return nil, fmt.Errorf("%w: %s: no redirect_uris", errSystem, s.ClientID)
	}
	if s.RefreshVariant != 0 && s.RefreshVariant.String() == "" {
		return nil, fmt.Errorf("%w: %s: unknown refresh variant %d", errSystem, s.ClientID, int(s.RefreshVariant))
	}
	for _, r := range s.RedirectURIs {
		if u, err := url.Parse(strings.TrimSuffix(r, "*")); err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("%w: %s: redirect uri %q is not an absolute URL", errSystem, s.ClientID, r)
		}
	}
	if s.OID == 0 {
		var h uint64 = 1469598103934665603
		for i := 0; i < len(s.ClientID); i++ {
			h = (h ^ uint64(s.ClientID[i])) * 1099511628211
		}
		s.OID = 2000000000 + int64(h%1000000000)
	}
	out := &system{System: s}
	out.System.Certificates = slices.Clone(s.Certificates)
	out.System.RedirectURIs = slices.Clone(s.RedirectURIs)
	out.System.Scopes = slices.Clone(s.Scopes)
	for _, p := range s.Certificates {
		rest := []byte(p)
		for {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			if b.Type != "CERTIFICATE" {
				continue
			}
			c, err := parseClientCert(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%w: %s: %v", errSystem, s.ClientID, err)
			}
			if c.rsa != nil && !allowRSA {
				return nil, fmt.Errorf("%w: %s: RSA client certificates need WithRSAClients (a test mode)", errSystem, s.ClientID)
			}
			out.certs = append(out.certs, c)
		}
	}
	if len(out.certs) == 0 {
		return nil, fmt.Errorf("%w: %s: no PEM certificate", errSystem, s.ClientID)
	}
	return out, nil
}

// parsedCerts caches parsed certificates by their DER bytes, so the same
// certificate registered by many tenants (the networks' own systems, the
// default system) is parsed once per process. A parsed certificate is
// never changed after parsing, so tenants share it read-only. The cache
// holds at most maxParsedCerts certificates (later ones are parsed each
// time), so registering arbitrary systems cannot grow it without bound.
var (
	parsedCerts     sync.Map // string(der) → *clientCert
	parsedCertCount atomic.Int64
)

const maxParsedCerts = 256

func parseClientCert(der []byte) (*clientCert, error) {
	if c, ok := parsedCerts.Load(string(der)); ok {
		return c.(*clientCert), nil
	}
	c, err := parseClientCertUncached(der)
	if err != nil {
		return nil, err
	}
	if parsedCertCount.Add(1) <= maxParsedCerts {
		got, _ := parsedCerts.LoadOrStore(string(der), c)
		return got.(*clientCert), nil
	}
	parsedCertCount.Add(-1)
	return c, nil
}

func parseClientCertUncached(der []byte) (*clientCert, error) {
	der = slices.Clone(der)
	c := &clientCert{der: der, hash: CertificateHash(der)}
	xc, err := x509.ParseCertificate(der)
	if err == nil {
		if k, ok := xc.PublicKey.(*rsa.PublicKey); ok {
			c.x509, c.rsa = xc, k
			return c, nil
		}
	}
	gc, gerr := gost.ParseCertificate(der)
	if gerr != nil {
		if err != nil {
			return nil, err
		}
		return nil, gerr
	}
	c.cert, c.gost, c.x509 = gc, gc.PublicKey, gc.X509
	return c, nil
}

// verifyRaw checks a raw signature (GOST: 64 bytes, OpenSSL layout; RSA:
// PKCS #1 v1.5 over SHA-256) against the certificate.
func (c *clientCert) verifyRaw(msg, sig []byte) bool {
	if c.rsa != nil {
		return verifyRSA(c.rsa, msg, sig)
	}
	if len(sig) != 64 {
		return false
	}
	return gost.VerifyMessage(c.gost, msg, sig)
}

// redirectAllowed reports whether redirect_uri may be used by the system.
func (s *system) redirectAllowed(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" || u.User != nil || u.Fragment != "" {
		return false
	}
	for _, r := range s.RedirectURIs {
		if p, ok := strings.CutSuffix(r, "*"); ok {
			if strings.HasPrefix(raw, p) {
				return true
			}
			continue
		}
		ru, err := url.Parse(r)
		if err != nil {
			continue
		}
		if ru.Scheme == u.Scheme && ru.Host == u.Host && ru.EscapedPath() == u.EscapedPath() {
			return true
		}
	}
	return false
}

// certByHash finds the certificate with client_certificate_hash h.
func (s *system) certByHash(h string) *clientCert {
	for _, c := range s.certs {
		if strings.EqualFold(c.hash, h) {
			return c
		}
	}
	return nil
}

// scopeAllowed reports whether the system may request a bare scope name.
func (s *system) scopeAllowed(name string) bool {
	if name == "openid" || len(s.Scopes) == 0 {
		return true
	}
	return slices.Contains(s.Scopes, name)
}
