package esia

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/internal/transport"
)

// Operation names used in errors and logs.
const (
	opExchange     = "esia.exchange"
	opRefresh      = "esia.refresh"
	opSystemToken  = "esia.system_token"
	formMediaType  = "application/x-www-form-urlencoded"
	maxTokenAnswer = 1 << 20
)

// GrantType is the grant_type of a token request.
type GrantType string

// Grant types of the token endpoint.
const (
	// GrantAuthorizationCode exchanges an authorization code
	// ([Client.Exchange]).
	GrantAuthorizationCode GrantType = "authorization_code"
	// GrantRefreshToken exchanges a refresh token ([Client.Refresh]).
	GrantRefreshToken GrantType = "refresh_token"
	// GrantClientCredentials obtains a token of the information system
	// itself ([Client.SystemToken]).
	GrantClientCredentials GrantType = "client_credentials"
)

// tokenResponse is the JSON answer of the token endpoint.
type tokenResponse struct {
	AccessToken  string          `json:"access_token"`
	RefreshToken string          `json:"refresh_token"`
	IDToken      string          `json:"id_token"`
	State        string          `json:"state"`
	TokenType    string          `json:"token_type"`
	ExpiresIn    json.RawMessage `json:"expires_in"`
}

// parseExpiresIn accepts expires_in as a JSON number or a numeric string
// (ESIA's type is disputed); absent or null gives 0.
func parseExpiresIn(raw json.RawMessage) (int64, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("negative expires_in %d", n)
		}
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsNaN(f) || f > math.MaxInt32*100 {
		return 0, errors.New("expires_in is not a non-negative number")
	}
	return int64(f), nil
}

// Exchange trades an authorization code (from [ParseCallback]) for tokens at
// the token endpoint. It signs a fresh client_secret with a fresh state and
// checks that ESIA echoes that state. The result carries "id_token" and
// "state" in Extra (see [IDToken]).
//
// Options: oauth2.VerifierOption(verifier) for PKCE, [ScopeOption] and
// [OrgScopeOption] when the authorization request used other scopes than
// the configured ones, oauth2.SetAuthURLParam("redirect_uri", ...).
//
// The request is never retried once it may have reached ESIA (a code is
// single-use): such failures are *core.UnknownOutcomeError values
// (errors.Is(err, core.ErrUnknownOutcome)); start a new login then.
func (c *Client) Exchange(ctx context.Context, code string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, error) {
	if code == "" {
		return nil, errors.New("esia: Exchange needs a code")
	}
	p, err := c.params(opts)
	if err != nil {
		return nil, err
	}
	form := url.Values{"grant_type": {string(GrantAuthorizationCode)}, "code": {code}}
	return c.tokenRequest(ctx, opExchange, grantCode, p, form, secretInput{Code: code})
}

// Refresh obtains new tokens with a refresh token (issued for
// access_type=offline). The signed string of the current protocol is chosen
// by Config.RefreshSigning.
func (c *Client) Refresh(ctx context.Context, refreshToken string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, error) {
	if refreshToken == "" {
		return nil, errors.New("esia: Refresh needs a refresh token")
	}
	p, err := c.params(opts)
	if err != nil {
		return nil, err
	}
	form := url.Values{"grant_type": {string(GrantRefreshToken)}, "refresh_token": {refreshToken}}
	return c.tokenRequest(ctx, opRefresh, grantRefresh, p, form, secretInput{RefreshToken: refreshToken})
}

// SystemToken obtains a token of the IS itself (grant_type=
// client_credentials), e.g. for organisation data or "prm_chg?oid=…"
// scopes. Pass the scopes with [ScopeOption]; the configured Scopes are used
// otherwise. scope_org is not sent.
func (c *Client) SystemToken(ctx context.Context, opts ...oauth2.AuthCodeOption) (*oauth2.Token, error) {
	p, err := c.params(opts)
	if err != nil {
		return nil, err
	}
	p.scopeOrg = ""
	form := url.Values{"grant_type": {string(GrantClientCredentials)}}
	if c.cfg.Protocol == ProtocolLegacy {
		form.Set("response_type", "token")
	}
	return c.tokenRequest(ctx, opSystemToken, grantClient, p, form, secretInput{})
}

// tokenRequest signs and sends one token request and decodes the answer.
func (c *Client) tokenRequest(ctx context.Context, op string, g grant, p requestParams, form url.Values, in secretInput) (*oauth2.Token, error) {
	state := NewState()
	ts := FormatTimestamp(c.now())
	in.ClientID, in.Scope, in.ScopeOrg = c.cfg.ClientID, p.scope, p.scopeOrg
	in.Timestamp, in.State, in.RedirectURI = ts, state, p.redirectURI
	secret, err := c.sign(ctx, g, in)
	if err != nil {
		return nil, err
	}
	for k, vs := range p.extra {
		if _, set := form[k]; !set && len(vs) > 0 {
			form.Set(k, vs[0])
		}
	}
	form.Set("client_id", c.cfg.ClientID)
	form.Set("client_secret", secret)
	form.Set("state", state)
	form.Set("scope", p.scope)
	form.Set("timestamp", ts)
	form.Set("token_type", "Bearer")
	if !(c.cfg.Protocol == ProtocolLegacy && g == grantClient) {
		form.Set("redirect_uri", p.redirectURI)
	}
	if c.cfg.Protocol == ProtocolV2 {
		hash, err := c.certificateHash()
		if err != nil {
			return nil, err
		}
		form.Set("client_certificate_hash", hash)
		if p.scopeOrg != "" {
			form.Set("scope_org", p.scopeOrg)
		}
	}
	call := &transport.Call{
		Operation:        op,
		Method:           http.MethodPost,
		URL:              c.TokenURL(),
		Body:             []byte(form.Encode()),
		ContentType:      formMediaType,
		Header:           http.Header{"Accept": {"application/json"}},
		LimitKeys:        []string{c.keyToken},
		MaxResponseBytes: maxTokenAnswer,
	}
	resp, err := c.tc.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		apiErr := parseErrorBody(op, resp.StatusCode, resp.Body).scrub(secret, in.Code, in.RefreshToken, form.Get("code_verifier"))
		return nil, transport.Finish(call, resp, apiErr)
	}
	var tr tokenResponse
	if err := json.Unmarshal(resp.Body, &tr); err != nil {
		return nil, fmt.Errorf("esia: %s: malformed token answer (HTTP %d, %d bytes)", op, resp.StatusCode, len(resp.Body))
	}
	if tr.AccessToken == "" {
		// Some gateways answer 200 with an error body.
		if e := parseErrorBody(op, resp.StatusCode, resp.Body); e.Code != "" || e.OAuth != "" {
			return nil, e.scrub(secret, in.Code, in.RefreshToken, form.Get("code_verifier"))
		}
		return nil, fmt.Errorf("esia: %s: token answer without access_token", op)
	}
	if subtle.ConstantTimeCompare([]byte(tr.State), []byte(state)) != 1 {
		return nil, fmt.Errorf("%w: %s: token answer echoed another state", ErrStateMismatch, op)
	}
	expiresIn, err := parseExpiresIn(tr.ExpiresIn)
	if err != nil {
		return nil, fmt.Errorf("esia: %s: %w", op, err)
	}
	extra := map[string]any{}
	_ = json.Unmarshal(resp.Body, &extra)
	extra["expires_in"] = expiresIn
	tok := &oauth2.Token{
		AccessToken:  tr.AccessToken,
		TokenType:    tr.TokenType,
		RefreshToken: tr.RefreshToken,
		ExpiresIn:    expiresIn,
	}
	if tok.TokenType == "" {
		tok.TokenType = "Bearer"
	}
	if expiresIn > 0 {
		tok.Expiry = c.now().Add(time.Duration(expiresIn) * time.Second)
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "esia token issued", slog.String("operation", op),
		slog.Int64("expires_in", expiresIn), slog.Bool("refresh_token", tr.RefreshToken != ""),
		slog.Bool("id_token", tr.IDToken != ""))
	return tok.WithExtra(extra), nil
}

// IDToken returns the id_token that came with t, or "".
func IDToken(t *oauth2.Token) string {
	if t == nil {
		return ""
	}
	s, _ := t.Extra("id_token").(string)
	return s
}

// TokenSource returns a token source that starts with t and, once it
// expires, refreshes it with a freshly signed client_secret (t needs a
// refresh token: access_type=offline). It caches tokens like
// oauth2.ReuseTokenSource and prints without them. ctx is used for every
// refresh request.
func (c *Client) TokenSource(ctx context.Context, t *oauth2.Token, opts ...oauth2.AuthCodeOption) oauth2.TokenSource {
	rs := &refreshSource{c: c, ctx: ctx, opts: opts}
	if t != nil {
		rs.refresh = t.RefreshToken
	}
	return &printSafeSource{kind: "refreshing", token: oauth2.ReuseTokenSource(t, rs).Token}
}

// printSafeSource is a token source that prints without its tokens. It
// holds the source it wraps only through a method value: fmt prints a func
// as an address under every verb, even inside a struct, so no printout can
// reach the cached token or the refresh token.
type printSafeSource struct {
	kind  string
	token func() (*oauth2.Token, error)
}

// Token implements oauth2.TokenSource.
func (s *printSafeSource) Token() (*oauth2.Token, error) { return s.token() }

// String returns "esia.TokenSource(KIND)".
func (s *printSafeSource) String() string { return "esia.TokenSource(" + s.kind + ")" }

// GoString implements fmt.GoStringer like String.
func (s *printSafeSource) GoString() string { return s.String() }

// Format implements fmt.Formatter: every verb writes String.
func (s *printSafeSource) Format(f fmt.State, verb rune) { writeFormatted(f, verb, s.String()) }

// LogValue implements slog.LogValuer without the tokens.
func (s *printSafeSource) LogValue() slog.Value { return slog.StringValue(s.String()) }

type refreshSource struct {
	c    *Client
	ctx  context.Context
	opts []oauth2.AuthCodeOption

	mu      sync.Mutex
	refresh string
}

// Token implements oauth2.TokenSource.
func (s *refreshSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refresh == "" {
		return nil, errors.New("esia: token expired and there is no refresh token (use AccessOffline)")
	}
	t, err := s.c.Refresh(s.ctx, s.refresh, s.opts...)
	if err != nil {
		return nil, err
	}
	if t.RefreshToken == "" {
		t.RefreshToken = s.refresh
	}
	s.refresh = t.RefreshToken
	return t, nil
}

// SystemTokenSource returns a token source of system tokens
// ([Client.SystemToken]), fetching a new one when the current expires.
func (c *Client) SystemTokenSource(ctx context.Context, opts ...oauth2.AuthCodeOption) oauth2.TokenSource {
	return &printSafeSource{kind: "system", token: oauth2.ReuseTokenSource(nil, systemSource{c: c, ctx: ctx, opts: opts}).Token}
}

type systemSource struct {
	c    *Client
	ctx  context.Context
	opts []oauth2.AuthCodeOption
}

// Token implements oauth2.TokenSource.
func (s systemSource) Token() (*oauth2.Token, error) { return s.c.SystemToken(s.ctx, s.opts...) }

// HTTPClient returns an *http.Client that sends ts's bearer token with
// every request, built on the client's own HTTP client (core.WithHTTPClient), for
// ESIA REST resources this package does not wrap. The REST methods of
// [Client] do not need it.
func (c *Client) HTTPClient(ts oauth2.TokenSource) *http.Client {
	base := c.hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	return &http.Client{
		Transport: &oauth2.Transport{Source: ts, Base: base},
		Timeout:   c.hc.Timeout,
	}
}
