package esiamock

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// jwtHeader is ESIA's JWT header; field order follows the real tokens.
type jwtHeader struct {
	Ver int    `json:"ver"`
	Typ string `json:"typ"`
	Sbt string `json:"sbt"`
	Alg string `json:"alg"`
}

// accessClaims is the access token payload, in the real token's order.
type accessClaims struct {
	Nbf      int64  `json:"nbf"`
	Scope    string `json:"scope"`
	Iss      string `json:"iss"`
	Sid      string `json:"urn:esia:sid"`
	SbjID    int64  `json:"urn:esia:sbj_id"`
	Exp      int64  `json:"exp"`
	Iat      int64  `json:"iat"`
	ClientID string `json:"client_id"`
}

// subject is the urn:esia:sbj object of an id token.
type subject struct {
	Typ   string `json:"urn:esia:sbj:typ"`
	OID   int64  `json:"urn:esia:sbj:oid"`
	Nam   string `json:"urn:esia:sbj:nam"`
	IsTru *bool  `json:"urn:esia:sbj:is_tru,omitempty"`
}

// idClaims is the id token payload.
type idClaims struct {
	Iss      string  `json:"iss"`
	Aud      string  `json:"aud"`
	Sub      int64   `json:"sub"`
	Nbf      int64   `json:"nbf"`
	Iat      int64   `json:"iat"`
	Exp      int64   `json:"exp"`
	AuthTime int64   `json:"auth_time"`
	Amr      string  `json:"amr"`
	Amd      string  `json:"urn:esia:amd"`
	Sid      string  `json:"urn:esia:sid"`
	Sbj      subject `json:"urn:esia:sbj"`
}

// signJWT encodes and signs a token with the emulator key of alg.
func (s *Server) signJWT(alg, sbt string, claims any) (string, error) {
	h, err := json.Marshal(jwtHeader{Ver: 1, Typ: "JWT", Sbt: sbt, Alg: alg})
	if err != nil {
		return "", err
	}
	p, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	in := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(p)
	sig, err := s.keys.sign(alg, []byte(in))
	if err != nil {
		return "", err
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// grantScope renders the scope claim: person scopes get "?oid=<person>",
// org scopes chosen through scope_org get "?org_oid=<org>", legacy
// org-scoped items are kept as sent.
func grantScope(items []scopeItem, scopeOrg []string, personOID, orgOID int64) string {
	var b strings.Builder
	add := func(s string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	seen := map[string]bool{}
	for _, it := range items {
		var v string
		switch {
		case it.org:
			v = it.raw
		case it.name == "openid" || personOID == 0:
			v = it.name
		default:
			v = it.name + "?oid=" + strconv.FormatInt(personOID, 10)
		}
		if !seen[v] {
			seen[v] = true
			add(v)
		}
	}
	if orgOID != 0 {
		for _, n := range scopeOrg {
			v := n + "?org_oid=" + strconv.FormatInt(orgOID, 10)
			if !seen[v] {
				seen[v] = true
				add(v)
			}
		}
	}
	return b.String()
}

// unix converts a world time to JWT seconds.
func unix(t time.Time) int64 { return t.Unix() }
