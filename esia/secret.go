package esia

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TimestampLayout is the Go layout of ESIA's timestamp parameter
// ("2025.09.02 13:00:29 +0300").
const TimestampLayout = "2006.01.02 15:04:05 -0700"

// FormatTimestamp formats t as ESIA's timestamp parameter, keeping t's zone
// offset.
func FormatTimestamp(t time.Time) string { return t.Format(TimestampLayout) }

// ParseTimestamp parses ESIA's timestamp parameter.
func ParseTimestamp(s string) (time.Time, error) { return time.Parse(TimestampLayout, s) }

// NewState returns a random UUID version 4 string
// ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"), as ESIA expects for state.
func NewState() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// DecodeSecret decodes a client_secret in any of the forms clients send:
// base64url with or without padding, or standard base64.
func DecodeSecret(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "+/") {
		return base64.RawStdEncoding.DecodeString(s)
	}
	return base64.RawURLEncoding.DecodeString(s)
}

// encodeSecret encodes a signature in the configured form.
func (c *Client) encodeSecret(sig []byte) string {
	switch c.cfg.SecretEncoding {
	case EncodingURL:
		return base64.URLEncoding.EncodeToString(sig)
	case EncodingStd:
		return base64.StdEncoding.EncodeToString(sig)
	}
	return base64.RawURLEncoding.EncodeToString(sig)
}

// grant is the kind of request a client_secret is signed for.
type grant int

const (
	grantAuthorize grant = iota // ac
	grantCode                   // te, authorization_code
	grantRefresh                // te, refresh_token
	grantClient                 // te, client_credentials
)

// secretInput holds the fields a signed string may use.
type secretInput struct {
	ClientID     string
	Scope        string
	ScopeOrg     string
	Timestamp    string
	State        string
	RedirectURI  string
	Code         string
	RefreshToken string
}

// signedString returns the exact string signed for a request.
//
// Legacy (ac and every te): scope + timestamp + client_id + state.
//
// Current:
//
//	v2/ac:                 client_id + scope + scope_org + timestamp + state + redirect_uri
//	v3/te code:            client_id + scope + scope_org + timestamp + state + redirect_uri + code
//	v3/te refresh:         as v2/ac (RefreshSignAuthorize) or
//	                       client_id + scope + timestamp + state + refresh_token (RefreshSignToken)
//	v3/te client creds.:   client_id + scope + timestamp + state + redirect_uri
func (c *Client) signedString(g grant, in secretInput) string {
	if c.cfg.Protocol == ProtocolLegacy {
		return in.Scope + in.Timestamp + in.ClientID + in.State
	}
	switch g {
	case grantCode:
		return in.ClientID + in.Scope + in.ScopeOrg + in.Timestamp + in.State + in.RedirectURI + in.Code
	case grantRefresh:
		if c.cfg.RefreshSigning == RefreshSignToken {
			return in.ClientID + in.Scope + in.Timestamp + in.State + in.RefreshToken
		}
	case grantClient:
		return in.ClientID + in.Scope + in.Timestamp + in.State + in.RedirectURI
	}
	return in.ClientID + in.Scope + in.ScopeOrg + in.Timestamp + in.State + in.RedirectURI
}

// signMode returns the signature kind of the configured protocol.
func (c *Client) signMode() SignMode {
	if c.cfg.Protocol == ProtocolLegacy {
		return SignCMS
	}
	return SignRaw
}

// sign signs the string for a request and returns the encoded client_secret.
func (c *Client) sign(ctx context.Context, g grant, in secretInput) (string, error) {
	msg := c.signedString(g, in)
	sig, err := c.cfg.Signer.Sign(ctx, []byte(msg), c.signMode())
	if err != nil {
		return "", fmt.Errorf("esia: signing client_secret: %w", err)
	}
	if len(sig) == 0 {
		return "", errors.New("esia: signing client_secret: empty signature")
	}
	return c.encodeSecret(sig), nil
}

// certificateHash returns the signer's client_certificate_hash, required by
// the current protocol.
func (c *Client) certificateHash() (string, error) {
	h := c.cfg.Signer.CertificateHash()
	if h == "" {
		return "", errors.New("esia: the signer has no certificate (client_certificate_hash)")
	}
	return h, nil
}
