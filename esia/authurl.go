package esia

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/esia/gost"
)

// ChallengeMethod is a PKCE code_challenge_method.
type ChallengeMethod string

// PKCE code challenge methods. RFC 7636's "plain" is not offered: it sends
// the verifier itself, so it protects nothing once the authorization
// request is seen, and no public source shows ESIA accepting it.
// [Client.AuthCodeURL] refuses any other method, and the sandbox's ESIA
// emulator answers ESIA-007003 [code_challenge_method] to it.
const (
	// ChallengeS256 is base64url(SHA-256(verifier)), RFC 7636 (the
	// default).
	ChallengeS256 ChallengeMethod = "S256"
	// ChallengeGOST3411 is base64url(Streebog-256(verifier)); seen in one
	// public client only (UNCONFIRMED that ESIA accepts it).
	ChallengeGOST3411 ChallengeMethod = "GOST3411"
)

// ScopeOption overrides the configured person scopes of one request.
func ScopeOption(scopes ...string) oauth2.AuthCodeOption {
	return oauth2.SetAuthURLParam("scope", strings.Join(scopes, " "))
}

// OrgScopeOption overrides the configured organisation scopes (scope_org)
// of one request.
func OrgScopeOption(scopes ...string) oauth2.AuthCodeOption {
	return oauth2.SetAuthURLParam("scope_org", strings.Join(scopes, " "))
}

// ChallengeOption adds a PKCE code_challenge for verifier (see
// oauth2.GenerateVerifier) computed with method ([ChallengeS256] when
// empty, or [ChallengeGOST3411]), and code_challenge_method. Pass
// oauth2.VerifierOption(verifier) to [Client.Exchange]. For S256 it returns
// oauth2.S256ChallengeOption; the options of the other methods work with
// this package's methods only. Any other method (RFC 7636's "plain"
// included) makes [Client.AuthCodeURL] fail.
func ChallengeOption(verifier string, method ChallengeMethod) oauth2.AuthCodeOption {
	var challenge string
	switch method {
	case "", ChallengeS256:
		return oauth2.S256ChallengeOption(verifier)
	case ChallengeGOST3411:
		sum := gost.Sum256([]byte(verifier))
		challenge = base64.RawURLEncoding.EncodeToString(sum[:])
	default:
		sum := sha256.Sum256([]byte(verifier))
		challenge = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return composite{
		AuthCodeOption: oauth2.SetAuthURLParam("code_challenge", challenge),
		rest:           []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("code_challenge_method", string(method))},
	}
}

// composite is an AuthCodeOption made of several. x/oauth2's interface has
// an unexported method, so composite embeds the first option (x/oauth2
// applies only that one) and optionValues applies all of them.
type composite struct {
	oauth2.AuthCodeOption
	rest []oauth2.AuthCodeOption
}

// optionValues returns the parameters a list of oauth2.AuthCodeOption sets.
// x/oauth2 offers no way to apply an option to url.Values other than
// building an authorization URL, so it builds one and parses it.
func optionValues(opts []oauth2.AuthCodeOption) url.Values {
	flat := flatten(opts)
	if len(flat) == 0 {
		return url.Values{}
	}
	cfg := oauth2.Config{Endpoint: oauth2.Endpoint{AuthURL: "esia:"}}
	s := cfg.AuthCodeURL("", flat...)
	q, err := url.ParseQuery(s[strings.IndexByte(s, '?')+1:])
	if err != nil {
		return url.Values{}
	}
	// Defaults AuthCodeURL adds by itself; options may not set them.
	q.Del("response_type")
	q.Del("client_id")
	return q
}

func flatten(opts []oauth2.AuthCodeOption) []oauth2.AuthCodeOption {
	var out []oauth2.AuthCodeOption
	for _, o := range opts {
		if o == nil {
			continue
		}
		if c, ok := o.(composite); ok {
			out = append(out, c.AuthCodeOption)
			out = append(out, flatten(c.rest)...)
			continue
		}
		out = append(out, o)
	}
	return out
}

// reservedAuthParams are set by the client and cannot be overridden by
// options.
var reservedAuthParams = []string{
	"client_id", "client_secret", "client_certificate_hash", "timestamp", "response_type", "state",
	"grant_type", "token_type", "code", "refresh_token",
}

// requestParams merges the configured scopes, scope_org and redirect_uri
// with the options.
type requestParams struct {
	scope, scopeOrg, redirectURI, accessType string
	extra                                    url.Values
}

func (c *Client) params(opts []oauth2.AuthCodeOption) (requestParams, error) {
	v := optionValues(opts)
	p := requestParams{
		scope:       strings.Join(c.cfg.Scopes, " "),
		scopeOrg:    strings.Join(c.cfg.OrgScopes, " "),
		redirectURI: c.cfg.RedirectURL,
		accessType:  string(c.cfg.AccessType),
	}
	if _, ok := v["scope"]; ok {
		p.scope = v.Get("scope")
	}
	if _, ok := v["scope_org"]; ok {
		p.scopeOrg = v.Get("scope_org")
	}
	if s := v.Get("redirect_uri"); s != "" {
		p.redirectURI = s
	}
	if s := v.Get("access_type"); s != "" {
		if s != string(AccessOnline) && s != string(AccessOffline) {
			return p, errors.New("esia: access_type must be online or offline")
		}
		p.accessType = s
	}
	switch m := ChallengeMethod(v.Get("code_challenge_method")); m {
	case "", ChallengeS256, ChallengeGOST3411:
	default:
		return p, fmt.Errorf("esia: PKCE method %q is not supported (use %s or %s)", m, ChallengeS256, ChallengeGOST3411)
	}
	for _, k := range append(reservedAuthParams, "scope", "scope_org", "redirect_uri", "access_type") {
		v.Del(k)
	}
	p.extra = v
	if p.scopeOrg != "" && c.cfg.Protocol == ProtocolLegacy {
		return p, errors.New("esia: scope_org needs the current protocol (ProtocolV2)")
	}
	return p, nil
}

// AuthCodeURL returns the URL of ESIA's authorization endpoint to redirect
// the user to, with a freshly signed client_secret. state must be a fresh
// value the caller keeps to check the callback ([NewState] gives a UUID v4).
//
// Options are x/oauth2's: [ScopeOption], [OrgScopeOption],
// [ChallengeOption] (PKCE), oauth2.AccessTypeOffline,
// oauth2.S256ChallengeOption, and oauth2.SetAuthURLParam for "redirect_uri"
// or optional ESIA parameters ("permissions", "person_filter", "display",
// ...). Parameters the client computes (client_secret, timestamp, ...)
// cannot be overridden.
func (c *Client) AuthCodeURL(ctx context.Context, state string, opts ...oauth2.AuthCodeOption) (string, error) {
	if state == "" {
		return "", errors.New("esia: AuthCodeURL needs a state (see NewState)")
	}
	p, err := c.params(opts)
	if err != nil {
		return "", err
	}
	ts := FormatTimestamp(c.now())
	in := secretInput{
		ClientID: c.cfg.ClientID, Scope: p.scope, ScopeOrg: p.scopeOrg,
		Timestamp: ts, State: state, RedirectURI: p.redirectURI,
	}
	secret, err := c.sign(ctx, grantAuthorize, in)
	if err != nil {
		return "", err
	}
	q := p.extra
	q.Set("client_id", c.cfg.ClientID)
	q.Set("client_secret", secret)
	q.Set("redirect_uri", p.redirectURI)
	q.Set("scope", p.scope)
	q.Set("response_type", "code")
	q.Set("state", state)
	q.Set("access_type", p.accessType)
	q.Set("timestamp", ts)
	if c.cfg.Protocol == ProtocolV2 {
		hash, err := c.certificateHash()
		if err != nil {
			return "", err
		}
		q.Set("client_certificate_hash", hash)
		if p.scopeOrg != "" {
			q.Set("scope_org", p.scopeOrg)
		}
	}
	return c.AuthURL() + "?" + q.Encode(), nil
}

// LogoutURL returns ESIA's logout URL (/idp/ext/Logout). ESIA returns the
// user to redirectURL after logout when it is not empty; note that the
// parameter is redirect_url, not redirect_uri.
func (c *Client) LogoutURL(redirectURL string) string {
	q := url.Values{"client_id": {c.cfg.ClientID}}
	if redirectURL != "" {
		q.Set("redirect_url", redirectURL)
	}
	return c.endpoint(PathLogout) + "?" + q.Encode()
}

// OAuth2Config returns an oauth2.Config describing the client's endpoints,
// client_id, redirect URL and scopes, for code that builds URLs or
// identifies endpoints with x/oauth2. Do not use its Exchange, Client or
// TokenSource methods: ESIA needs a freshly signed client_secret on every
// token request, which only [Client.Exchange], [Client.Refresh] and
// [Client.TokenSource] produce.
func (c *Client) OAuth2Config() *oauth2.Config {
	return &oauth2.Config{
		ClientID: c.cfg.ClientID,
		Endpoint: oauth2.Endpoint{
			AuthURL:   c.AuthURL(),
			TokenURL:  c.TokenURL(),
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: c.cfg.RedirectURL,
		Scopes:      append([]string(nil), c.cfg.Scopes...),
	}
}
