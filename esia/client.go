package esia

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/internal/transport"
)

// ESIA stands.
const (
	// ProdBaseURL is the production ESIA.
	ProdBaseURL = "https://esia.gosuslugi.ru"
	// TestBaseURL is the ESIA test stand (ТЕСИА).
	TestBaseURL = "https://esia-portal1.test.gosuslugi.ru"
)

// Endpoint paths relative to the base URL.
const (
	PathAuthV2      = "/aas/oauth2/v2/ac" // authorization, current protocol
	PathTokenV3     = "/aas/oauth2/v3/te" // token, current protocol
	PathAuthLegacy  = "/aas/oauth2/ac"    // authorization, legacy protocol
	PathTokenLegacy = "/aas/oauth2/te"    // token, legacy protocol
	PathLogout      = "/idp/ext/Logout"   // logout (client_id, redirect_url)
)

// DefaultLeeway is the clock skew tolerated when checking token times.
const DefaultLeeway = time.Minute

// Protocol selects the ESIA protocol generation.
type Protocol int

const (
	// ProtocolV2 is the current protocol: /aas/oauth2/v2/ac and
	// /aas/oauth2/v3/te with a raw GOST signature and
	// client_certificate_hash. It is the default.
	ProtocolV2 Protocol = iota
	// ProtocolLegacy is /aas/oauth2/ac and /aas/oauth2/te with a detached
	// CMS (PKCS#7) client_secret.
	ProtocolLegacy
)

// String returns "v2" or "legacy".
func (p Protocol) String() string {
	switch p {
	case ProtocolV2:
		return "v2"
	case ProtocolLegacy:
		return "legacy"
	}
	return fmt.Sprintf("Protocol(%d)", int(p))
}

// AccessType is the access_type parameter.
type AccessType string

const (
	// AccessOnline asks for an access token only (the default).
	AccessOnline AccessType = "online"
	// AccessOffline asks for a refresh token as well.
	AccessOffline AccessType = "offline"
)

// SecretEncoding selects how the client_secret signature is base64-encoded.
// Public clients differ and which forms ESIA refuses is not documented.
type SecretEncoding int

const (
	// EncodingRawURL is base64url without padding (the default; as the
	// prod-tested ilimurzin/esia client sends it).
	EncodingRawURL SecretEncoding = iota
	// EncodingURL is base64url with "=" padding (as go-api-epgu sends it).
	EncodingURL
	// EncodingStd is standard base64 with padding.
	EncodingStd
)

// RefreshSigning selects the string signed for a refresh_token request of
// the current protocol (v3/te). Public clients disagree and ESIA does not
// document it publicly, so both variants are offered.
type RefreshSigning int

const (
	// RefreshSignAuthorize signs client_id + scope + scope_org + timestamp +
	// state + redirect_uri, the authorization request's string (as
	// ilimurzin/esia 4.x, prod-tested). It is the default: every other
	// v2/v3 string is built the same way, with the code appended only when
	// there is one.
	RefreshSignAuthorize RefreshSigning = iota
	// RefreshSignToken signs client_id + scope + timestamp + state +
	// refresh_token (as AISGorod.AspNetCore.Authentication.Esia).
	RefreshSignToken
)

// Config describes an information system (IS) registered in ESIA.
type Config struct {
	// BaseURL is the ESIA stand, [ProdBaseURL] when empty. An emulator's
	// URL works too.
	BaseURL string
	// ClientID is the IS mnemonic from the tech portal (required).
	ClientID string
	// RedirectURL is the registered redirect_uri (required).
	RedirectURL string
	// Scopes are the person scopes (space-separated in requests), e.g.
	// "openid", "fullname", "usr_org". With the legacy protocol, put
	// organisation scopes (URL form with ?org_oid=) here too.
	Scopes []string
	// OrgScopes are the organisation scopes sent as scope_org (current
	// protocol only), e.g. "org_fullname", "org_ogrn".
	OrgScopes []string
	// Signer signs client_secret (required).
	Signer Signer
	// Protocol is the protocol generation (ProtocolV2 by default).
	Protocol Protocol
	// AccessType is access_type (AccessOnline by default).
	AccessType AccessType
	// Certificates are ESIA's signing certificates used to verify tokens,
	// DER or PEM (a PEM value may hold several). List every certificate
	// ESIA may sign with (GOST and RSA, old and new during a rotation);
	// each is tried in turn. Download them from the stand
	// (https://esia.gosuslugi.ru/public/esia.zip); never hard-code file
	// names, they change with every rotation.
	Certificates [][]byte
	// VerifyKeys are extra verification keys: *rsa.PublicKey (e.g. from
	// ESIA's JWK file) or *gost.PublicKey.
	VerifyKeys []crypto.PublicKey
	// Issuer is the expected iss claim; derived from BaseURL when empty
	// ("http://" + host + "/", as ESIA writes it even for https stands).
	Issuer string
	// Leeway is the tolerated clock skew for exp, nbf and iat;
	// [DefaultLeeway] when zero, none when negative.
	Leeway time.Duration
	// SecretEncoding selects the base64 form of client_secret
	// (EncodingRawURL by default).
	SecretEncoding SecretEncoding
	// RefreshSigning selects the signed string of a v3 refresh request
	// (RefreshSignAuthorize by default).
	RefreshSigning RefreshSigning
	// AcceptReversedGOST also accepts GOST token signatures in the
	// CryptoPro byte order (r‖s little-endian). ESIA signs tokens in the
	// OpenSSL layout (s‖r big-endian: tokens verify with `openssl dgst
	// -verify` as is), so this is off by default: enable it only for a
	// counterpart known to sign with CryptoPro without converting.
	AcceptReversedGOST bool
}

// settings are esia's own options; the shared ones (HTTP client, logger,
// clock, limiter, retries, user agent, ...) are core.Option values such
// as core.WithHTTPClient.
type settings struct {
	signer Signer
}

// WithSigner signs client_secret with s instead of Config.Signer (for a
// signer chosen at run time, such as an HSM-backed one).
func WithSigner(s Signer) core.Option {
	return core.PartyOption("esia.WithSigner", func(o *settings) error {
		if s == nil {
			return errors.New("nil signer")
		}
		o.signer = s
		return nil
	})
}

// Client talks to ESIA for one information system. It is safe for
// concurrent use.
type Client struct {
	cfg     Config
	base    *url.URL
	issuer  string
	leeway  time.Duration
	hc      *http.Client
	tc      *transport.Client
	logger  *slog.Logger
	now     func() time.Time
	gostKey []*gost.PublicKey
	// keyToken and keyREST are the limiter keys of token and REST
	// requests.
	keyToken, keyREST string
	rsaKeys           []*rsa.PublicKey
}

// New checks cfg and returns a Client. It makes no network call. It
// accepts the options of package core (core.WithHTTPClient,
// core.WithLogger, core.WithClock, core.WithLimiter, core.WithRetry, ...)
// and esia's own (WithSigner). core.WithBaseURL sets the stand when
// Config.BaseURL is empty.
//
// The clock (core.WithClock) dates the signed requests and checks token
// times; give a sandbox's clock with core.NowFunc(world.Clock.Now). Token
// requests spend the limiter key "esia:token:<fingerprint>", REST requests
// "esia:rest:<fingerprint>", where the fingerprint is core.Fingerprint of
// the ClientID (core.LimitKey).
// A call whose ctx has no deadline is bounded to 60 s
// (core.WithDefaultTimeout). A failed REST read is retried (core.WithRetry);
// a token request is never retried after it may have reached ESIA, as an
// authorization code is single-use. The REST reads take per-call options
// (core.CallOption) as trailing arguments; calls whose signature has other
// variadic arguments (Person, Authority, the token exchanges) take them
// through core.WithCallOptions(ctx, ...).
func New(cfg Config, opts ...core.Option) (*Client, error) {
	var ps settings
	cs := core.NewSettings("esia", &ps)
	if err := cs.Apply(opts...); err != nil {
		return nil, err
	}
	if ps.signer != nil {
		cfg.Signer = ps.signer
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = cs.BaseURL
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = ProdBaseURL
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("esia: invalid BaseURL %q", cfg.BaseURL)
	}
	if cfg.ClientID == "" {
		return nil, errors.New("esia: Config.ClientID is required")
	}
	if cfg.RedirectURL == "" {
		return nil, errors.New("esia: Config.RedirectURL is required")
	}
	if cfg.Signer == nil {
		return nil, errors.New("esia: Config.Signer is required")
	}
	switch cfg.Protocol {
	case ProtocolV2, ProtocolLegacy:
	default:
		return nil, fmt.Errorf("esia: unknown protocol %v", cfg.Protocol)
	}
	if cfg.Protocol == ProtocolLegacy && len(cfg.OrgScopes) > 0 {
		return nil, errors.New("esia: OrgScopes (scope_org) need ProtocolV2; the legacy protocol takes organisation scopes in Scopes")
	}
	switch cfg.AccessType {
	case "":
		cfg.AccessType = AccessOnline
	case AccessOnline, AccessOffline:
	default:
		return nil, fmt.Errorf("esia: unknown access type %q", cfg.AccessType)
	}
	if cfg.SecretEncoding < EncodingRawURL || cfg.SecretEncoding > EncodingStd {
		return nil, fmt.Errorf("esia: unknown secret encoding %d", cfg.SecretEncoding)
	}
	if cfg.RefreshSigning < RefreshSignAuthorize || cfg.RefreshSigning > RefreshSignToken {
		return nil, fmt.Errorf("esia: unknown refresh signing %d", cfg.RefreshSigning)
	}
	c := &Client{
		cfg:    cfg,
		base:   base,
		issuer: cfg.Issuer,
		leeway: cfg.Leeway,
		logger: cs.Logger,
		now:    cs.Clock.Now,
	}
	fp := core.Fingerprint(cfg.ClientID)
	c.keyToken = core.LimitKey("esia", "token", fp, "")
	c.keyREST = core.LimitKey("esia", "rest", fp, "")
	c.cfg.Scopes = append([]string(nil), cfg.Scopes...)
	c.cfg.OrgScopes = append([]string(nil), cfg.OrgScopes...)
	if c.issuer == "" {
		c.issuer = "http://" + base.Host + "/"
	}
	switch {
	case c.leeway == 0:
		c.leeway = DefaultLeeway
	case c.leeway < 0:
		c.leeway = 0
	}
	if err := c.loadKeys(cfg.Certificates, cfg.VerifyKeys); err != nil {
		return nil, err
	}
	c.hc = cs.HTTPClient
	if c.hc == nil {
		c.hc = &http.Client{Timeout: transport.DefaultTimeout}
		cs.HTTPClient = c.hc
	}
	if c.tc, err = transport.New(transport.WithSettings(&cs)); err != nil {
		return nil, fmt.Errorf("esia: %w", err)
	}
	return c, nil
}

// loadKeys parses the configured ESIA certificates and keys.
func (c *Client) loadKeys(certs [][]byte, keys []crypto.PublicKey) error {
	addCert := func(der []byte) error {
		xc, err := x509.ParseCertificate(der)
		if err == nil {
			if k, ok := xc.PublicKey.(*rsa.PublicKey); ok {
				c.rsaKeys = append(c.rsaKeys, k)
				return nil
			}
		}
		gc, gerr := gost.ParseCertificate(der)
		if gerr != nil {
			if err != nil {
				return fmt.Errorf("esia: parsing ESIA certificate: %w", err)
			}
			return fmt.Errorf("esia: parsing ESIA certificate: %w", gerr)
		}
		c.gostKey = append(c.gostKey, gc.PublicKey)
		return nil
	}
	for i, data := range certs {
		if len(data) == 0 {
			continue
		}
		found := false
		rest := data
		for {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			if b.Type != "CERTIFICATE" {
				continue
			}
			found = true
			if err := addCert(b.Bytes); err != nil {
				return fmt.Errorf("%w (Certificates[%d])", err, i)
			}
		}
		if !found {
			if err := addCert(data); err != nil {
				return fmt.Errorf("%w (Certificates[%d])", err, i)
			}
		}
	}
	for i, k := range keys {
		switch k := k.(type) {
		case *rsa.PublicKey:
			c.rsaKeys = append(c.rsaKeys, k)
		case *gost.PublicKey:
			c.gostKey = append(c.gostKey, k)
		default:
			return fmt.Errorf("esia: VerifyKeys[%d]: unsupported key type %T", i, k)
		}
	}
	return nil
}

// Config returns a copy of the client's configuration with defaults filled
// in.
func (c *Client) Config() Config {
	cfg := c.cfg
	cfg.Issuer = c.issuer
	cfg.Leeway = c.leeway
	cfg.Scopes = append([]string(nil), c.cfg.Scopes...)
	cfg.OrgScopes = append([]string(nil), c.cfg.OrgScopes...)
	return cfg
}

// endpoint returns base + path.
func (c *Client) endpoint(path string) string {
	return c.base.String() + path
}

// AuthURL returns the authorization endpoint of the configured protocol.
func (c *Client) AuthURL() string {
	if c.cfg.Protocol == ProtocolLegacy {
		return c.endpoint(PathAuthLegacy)
	}
	return c.endpoint(PathAuthV2)
}

// TokenURL returns the token endpoint of the configured protocol.
func (c *Client) TokenURL() string {
	if c.cfg.Protocol == ProtocolLegacy {
		return c.endpoint(PathTokenLegacy)
	}
	return c.endpoint(PathTokenV3)
}
