package esia

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/esia/gost"
)

// JWT signature algorithms ESIA uses (alg header). The IS chooses one on the
// tech portal.
const (
	AlgGOST  Algorithm = "GOST3410_2012_256" // GOST R 34.10-2012-256 with Streebog-256, raw 64-byte signature
	AlgRS256 Algorithm = "RS256"             // RSASSA-PKCS1-v1_5 with SHA-256
)

// Algorithm is a JWT signature algorithm (the "alg" header).
type Algorithm string

// maxTokenLen bounds the length of a token the parser accepts.
const maxTokenLen = 64 << 10

// TokenHeader is the JOSE header of an ESIA token.
type TokenHeader struct {
	// Alg is the signature algorithm, [AlgGOST] or [AlgRS256].
	Alg Algorithm `json:"alg"`
	// Typ is "JWT".
	Typ string `json:"typ"`
	// Sbt is the token subtype, e.g. "access".
	Sbt string `json:"sbt"`
	// Ver is the header version.
	Ver json.Number `json:"ver"`
	// Kid is the key id, if ESIA sends one.
	Kid string `json:"kid"`
}

// Scope is one item of an access token's scope claim: "fullname?oid=1000328686"
// gives {Name: "fullname", OID: 1000328686}; the legacy organisation form
// "http://esia.gosuslugi.ru/org_shortname?org_oid=123" gives
// {Name: "org_shortname", OrgOID: 123}.
type Scope struct {
	// Name is the scope name without URL prefix and parameters.
	Name string
	// OID is the person oid of "?oid=", 0 when absent.
	OID int64
	// OrgOID is the organisation oid of "?org_oid=", 0 when absent.
	OrgOID int64
	// Raw is the item as ESIA wrote it.
	Raw string
}

// ParseScopes splits a space-separated scope string into its items.
func ParseScopes(s string) []Scope {
	fields := strings.Fields(s)
	out := make([]Scope, 0, len(fields))
	for _, f := range fields {
		sc := Scope{Raw: f}
		name, query, _ := strings.Cut(f, "?")
		if i := strings.Index(name, "://"); i >= 0 {
			name = strings.TrimRight(name, "/")
			name = name[strings.LastIndexByte(name, '/')+1:]
		}
		sc.Name = name
		for _, kv := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				continue
			}
			switch k {
			case "oid":
				sc.OID = n
			case "org_oid":
				sc.OrgOID = n
			}
		}
		out = append(out, sc)
	}
	return out
}

// AccessClaims are the verified claims of an ESIA access token.
type AccessClaims struct {
	// Scope lists the granted scopes.
	Scope []Scope
	// SbjID is the user's oid ("urn:esia:sbj_id"); for a system token the
	// IS's own subject, if any.
	SbjID int64
	// ClientID is the IS the token was issued to.
	ClientID string
	// Issuer is iss.
	Issuer string
	// ExpiresAt, NotBefore and IssuedAt are exp, nbf and iat (zero when
	// absent).
	ExpiresAt, NotBefore, IssuedAt time.Time
	// SID is the ESIA session id ("urn:esia:sid").
	SID string
	// Header is the token's JOSE header.
	Header TokenHeader
	// Raw is the JSON payload, for claims not mapped here (permissions, ...).
	Raw json.RawMessage
}

// HasScope reports whether the token grants the scope name (with any
// parameters).
func (a *AccessClaims) HasScope(name string) bool {
	for _, s := range a.Scope {
		if s.Name == name {
			return true
		}
	}
	return false
}

// Subject describes the authenticated subject of an id token
// ("urn:esia:sbj").
type Subject struct {
	// Type is "urn:esia:sbj:typ": "P" for a person.
	Type string
	// OID is "urn:esia:sbj:oid".
	OID int64
	// Name is "urn:esia:sbj:nam", e.g. "OID.1000299654".
	Name string
	// IsTrusted is "urn:esia:sbj:is_tru": the account is confirmed.
	IsTrusted bool
	// Level is "urn:esia:sbj:lvl" when present.
	Level string
}

// IDClaims are the verified claims of an ESIA id token.
type IDClaims struct {
	// Subject is sub, the user's oid as a decimal string.
	Subject string
	// Audience is aud (the client_id).
	Audience []string
	// AuthTime is auth_time.
	AuthTime time.Time
	// AMR are the authentication methods ("PWD", "DS", ...).
	AMR []string
	// AMD is "urn:esia:amd".
	AMD string
	// Sbj is "urn:esia:sbj".
	Sbj Subject
	// Issuer is iss.
	Issuer string
	// ExpiresAt, NotBefore and IssuedAt are exp, nbf and iat.
	ExpiresAt, NotBefore, IssuedAt time.Time
	// SID is "urn:esia:sid".
	SID string
	// Header is the token's JOSE header.
	Header TokenHeader
	// Raw is the JSON payload.
	Raw json.RawMessage
}

// jwtParts is a parsed, unverified compact JWT.
type jwtParts struct {
	header  TokenHeader
	payload []byte
	sig     []byte
	input   []byte // header.payload as received
}

// decodeSegment decodes base64url with or without padding.
func decodeSegment(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// parseJWT splits and decodes a compact JWT without verifying it.
func parseJWT(token string) (*jwtParts, error) {
	if len(token) > maxTokenLen {
		return nil, fmt.Errorf("%w: token longer than %d bytes", ErrTokenMalformed, maxTokenLen)
	}
	h, rest, ok1 := strings.Cut(token, ".")
	p, s, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(s, ".") {
		return nil, fmt.Errorf("%w: not a compact JWT", ErrTokenMalformed)
	}
	hb, err := decodeSegment(h)
	if err != nil {
		return nil, fmt.Errorf("%w: header: bad base64url", ErrTokenMalformed)
	}
	pb, err := decodeSegment(p)
	if err != nil {
		return nil, fmt.Errorf("%w: payload: bad base64url", ErrTokenMalformed)
	}
	sb, err := decodeSegment(s)
	if err != nil {
		return nil, fmt.Errorf("%w: signature: bad base64url", ErrTokenMalformed)
	}
	var hdr TokenHeader
	if err := json.Unmarshal(hb, &hdr); err != nil {
		return nil, fmt.Errorf("%w: header: invalid JSON", ErrTokenMalformed)
	}
	if !json.Valid(pb) || len(bytes.TrimSpace(pb)) == 0 || bytes.TrimSpace(pb)[0] != '{' {
		return nil, fmt.Errorf("%w: payload: not a JSON object", ErrTokenMalformed)
	}
	return &jwtParts{header: hdr, payload: pb, sig: sb, input: []byte(token[:len(h)+1+len(p)])}, nil
}

// verifySignature checks the signature against the configured keys of the
// token's algorithm, trying each (certificate rotation).
func (c *Client) verifySignature(j *jwtParts) error {
	switch j.header.Alg {
	case AlgGOST:
		if len(c.gostKey) == 0 {
			return fmt.Errorf("%w: no GOST certificate of ESIA configured", ErrTokenSignature)
		}
		for _, k := range c.gostKey {
			if gost.VerifyMessage(k, j.input, j.sig) {
				return nil
			}
			if c.cfg.AcceptReversedGOST && gost.VerifyMessage(k, j.input, gost.ReverseBytes(j.sig)) {
				return nil
			}
		}
		return ErrTokenSignature
	case AlgRS256:
		if len(c.rsaKeys) == 0 {
			return fmt.Errorf("%w: no RSA certificate of ESIA configured", ErrTokenSignature)
		}
		d := sha256.Sum256(j.input)
		for _, k := range c.rsaKeys {
			if rsa.VerifyPKCS1v15(k, crypto.SHA256, d[:], j.sig) == nil {
				return nil
			}
		}
		return ErrTokenSignature
	}
	return fmt.Errorf("%w: algorithm %q not accepted", ErrTokenSignature, cleanText(truncate(string(j.header.Alg), 32)))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// numericDate decodes a JWT time (a number of seconds, possibly fractional,
// or a numeric string).
type numericDate struct{ t time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (d *numericDate) UnmarshalJSON(b []byte) error {
	n, err := flexNumber(b)
	if err != nil {
		return err
	}
	if n == nil {
		return nil
	}
	if *n > 1e12 || *n < -1e12 {
		return fmt.Errorf("time %v out of range", *n)
	}
	sec, frac := math.Modf(*n)
	d.t = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	return nil
}

// flexNumber decodes a JSON number or numeric string; null gives nil.
func flexNumber(b []byte) (*float64, error) {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil, nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, err
		}
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("not a number: %.32q", s)
	}
	return &f, nil
}

// flexInt decodes an integer given as a JSON number or a numeric string.
type flexInt int64

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s == "" {
			return nil
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return fmt.Errorf("not an integer: %.32q", s)
	}
	*f = flexInt(n)
	return nil
}

// flexString decodes a JSON string or number as a string.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

// flexStrings decodes a string or an array of strings.
type flexStrings []string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexStrings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '[' {
		var ss []string
		if err := json.Unmarshal(b, &ss); err != nil {
			return err
		}
		*f = ss
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*f = flexStrings{s}
	return nil
}

// commonClaims are the registered claims checked for every token.
type commonClaims struct {
	Issuer    string      `json:"iss"`
	ExpiresAt numericDate `json:"exp"`
	NotBefore numericDate `json:"nbf"`
	IssuedAt  numericDate `json:"iat"`
	SID       string      `json:"urn:esia:sid"`
}

type accessPayload struct {
	commonClaims
	Scope    string  `json:"scope"`
	SbjID    flexInt `json:"urn:esia:sbj_id"`
	ClientID string  `json:"client_id"`
}

type subjectPayload struct {
	Type      string  `json:"urn:esia:sbj:typ"`
	OID       flexInt `json:"urn:esia:sbj:oid"`
	Name      string  `json:"urn:esia:sbj:nam"`
	IsTrusted bool    `json:"urn:esia:sbj:is_tru"`
	Level     string  `json:"urn:esia:sbj:lvl"`
}

type idPayload struct {
	commonClaims
	Subject  flexString     `json:"sub"`
	Audience flexStrings    `json:"aud"`
	AuthTime numericDate    `json:"auth_time"`
	AMR      flexStrings    `json:"amr"`
	AMD      flexString     `json:"urn:esia:amd"`
	Sbj      subjectPayload `json:"urn:esia:sbj"`
}

// checkCommon checks iss and the token times.
func (c *Client) checkCommon(cc *commonClaims) error {
	if cc.Issuer != c.issuer {
		return fmt.Errorf("%w: %.64q", ErrTokenIssuer, cc.Issuer)
	}
	if cc.ExpiresAt.t.IsZero() {
		return fmt.Errorf("%w: no exp claim", ErrTokenMalformed)
	}
	now := c.now()
	if now.After(cc.ExpiresAt.t.Add(c.leeway)) {
		return fmt.Errorf("%w: at %s", ErrTokenExpired, cc.ExpiresAt.t.Format(time.RFC3339))
	}
	if !cc.NotBefore.t.IsZero() && now.Add(c.leeway).Before(cc.NotBefore.t) {
		return fmt.Errorf("%w: nbf %s", ErrTokenNotValidYet, cc.NotBefore.t.Format(time.RFC3339))
	}
	if !cc.IssuedAt.t.IsZero() && now.Add(c.leeway).Before(cc.IssuedAt.t) {
		return fmt.Errorf("%w: iat %s", ErrTokenNotValidYet, cc.IssuedAt.t.Format(time.RFC3339))
	}
	return nil
}

// verified parses token and verifies its signature.
func (c *Client) verified(token string) (*jwtParts, error) {
	j, err := parseJWT(token)
	if err != nil {
		return nil, err
	}
	if err := c.verifySignature(j); err != nil {
		return nil, err
	}
	return j, nil
}

// VerifyAccessToken parses an ESIA access token (compact JWT, base64url with
// or without padding), verifies its signature against the configured ESIA
// certificates (GOST3410_2012_256 or RS256; "none" and every other algorithm
// are refused) and checks iss, client_id, exp, nbf and iat (with the
// leeway). Errors match ErrTokenMalformed, ErrTokenSignature,
// ErrTokenIssuer, ErrTokenAudience, ErrTokenExpired or ErrTokenNotValidYet.
func (c *Client) VerifyAccessToken(token string) (*AccessClaims, error) {
	j, err := c.verified(token)
	if err != nil {
		return nil, fmt.Errorf("esia: access token: %w", err)
	}
	var p accessPayload
	if err := json.Unmarshal(j.payload, &p); err != nil {
		return nil, fmt.Errorf("esia: access token: %w: claims: %v", ErrTokenMalformed, err)
	}
	if err := c.checkCommon(&p.commonClaims); err != nil {
		return nil, fmt.Errorf("esia: access token: %w", err)
	}
	if p.ClientID != c.cfg.ClientID {
		return nil, fmt.Errorf("esia: access token: %w: client_id %.64q", ErrTokenAudience, p.ClientID)
	}
	return &AccessClaims{
		Scope:     ParseScopes(p.Scope),
		SbjID:     int64(p.SbjID),
		ClientID:  p.ClientID,
		Issuer:    p.Issuer,
		ExpiresAt: p.ExpiresAt.t,
		NotBefore: p.NotBefore.t,
		IssuedAt:  p.IssuedAt.t,
		SID:       p.SID,
		Header:    j.header,
		Raw:       json.RawMessage(j.payload),
	}, nil
}

// VerifyIDToken is [Client.VerifyAccessToken] for an id token: it checks aud
// instead of client_id.
func (c *Client) VerifyIDToken(token string) (*IDClaims, error) {
	j, err := c.verified(token)
	if err != nil {
		return nil, fmt.Errorf("esia: id token: %w", err)
	}
	var p idPayload
	if err := json.Unmarshal(j.payload, &p); err != nil {
		return nil, fmt.Errorf("esia: id token: %w: claims: %v", ErrTokenMalformed, err)
	}
	if err := c.checkCommon(&p.commonClaims); err != nil {
		return nil, fmt.Errorf("esia: id token: %w", err)
	}
	found := false
	for _, a := range p.Audience {
		if a == c.cfg.ClientID {
			found = true
			break
		}
	}
	if !found {
		return nil, fmt.Errorf("esia: id token: %w: aud %.64q", ErrTokenAudience, strings.Join(p.Audience, " "))
	}
	return &IDClaims{
		Subject:   string(p.Subject),
		Audience:  []string(p.Audience),
		AuthTime:  p.AuthTime.t,
		AMR:       []string(p.AMR),
		AMD:       string(p.AMD),
		Sbj:       Subject{Type: p.Sbj.Type, OID: int64(p.Sbj.OID), Name: p.Sbj.Name, IsTrusted: p.Sbj.IsTrusted, Level: p.Sbj.Level},
		Issuer:    p.Issuer,
		ExpiresAt: p.ExpiresAt.t,
		NotBefore: p.NotBefore.t,
		IssuedAt:  p.IssuedAt.t,
		SID:       p.SID,
		Header:    j.header,
		Raw:       json.RawMessage(j.payload),
	}, nil
}

// VerifyToken verifies the access token of t and, when t carries one, its
// id token (idc is nil otherwise).
func (c *Client) VerifyToken(t *oauth2.Token) (ac *AccessClaims, idc *IDClaims, err error) {
	if t == nil {
		return nil, nil, fmt.Errorf("esia: %w: nil token", ErrTokenMalformed)
	}
	if ac, err = c.VerifyAccessToken(t.AccessToken); err != nil {
		return nil, nil, err
	}
	if raw := IDToken(t); raw != "" {
		if idc, err = c.VerifyIDToken(raw); err != nil {
			return nil, nil, err
		}
	}
	return ac, idc, nil
}
