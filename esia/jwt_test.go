package esia_test

import (
	"crypto"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
)

func TestVerifyAccessTokenValid(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, baseConfig(t))
	for _, s := range []jwtSigner{gostJWTSigner(t, "esia"), rsaJWTSigner(t, "esia")} {
		tok := makeJWT(t, s, accessClaims(), nil)
		ac, err := c.VerifyAccessToken(tok)
		require.NoError(t, err, s.alg)
		assert.Equal(t, personOID, ac.SbjID)
		assert.Equal(t, testClientID, ac.ClientID)
		assert.Equal(t, testIssuer, ac.Issuer)
		assert.Equal(t, "a1510cb2-0000-4000-8000-000000000001", ac.SID)
		assert.Equal(t, testNow.Add(time.Hour).Unix(), ac.ExpiresAt.Unix())
		assert.Equal(t, testNow.Add(-10*time.Second).Unix(), ac.NotBefore.Unix())
		assert.Equal(t, testNow.Add(-10*time.Second).Unix(), ac.IssuedAt.Unix())
		assert.Equal(t, []esia.Scope{
			{Name: "openid", Raw: "openid"},
			{Name: "fullname", OID: personOID, Raw: "fullname?oid=1000328686"},
			{Name: "usr_org", OID: personOID, Raw: "usr_org?oid=1000328686"},
		}, ac.Scope)
		assert.True(t, ac.HasScope("usr_org"))
		assert.False(t, ac.HasScope("email"))
		assert.Equal(t, s.alg, ac.Header.Alg)
		assert.Equal(t, "access", ac.Header.Sbt)
		assert.Contains(t, string(ac.Raw), `"client_id"`)
	}
}

func TestVerifyOpenSSLFixture(t *testing.T) {
	t.Parallel()
	// Signed by `openssl dgst -engine gost -md_gost12_256 -sign` (OpenSSL
	// layout, no byte reversal), like ESIA's tokens.
	tok := strings.TrimSpace(string(readTestdata(t, "jwt_gost_openssl.txt")))
	c, _ := mockClient(t, baseConfig(t))
	ac, err := c.VerifyAccessToken(tok)
	require.NoError(t, err)
	assert.Equal(t, personOID, ac.SbjID)
	assert.Len(t, ac.Scope, 5)

	// The CryptoPro byte order is refused unless enabled.
	parts := strings.Split(tok, ".")
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	reversed := parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(gost.ReverseBytes(sig))
	_, err = c.VerifyAccessToken(reversed)
	require.ErrorIs(t, err, esia.ErrTokenSignature)
	cfg := baseConfig(t)
	cfg.AcceptReversedGOST = true
	rc, _ := mockClient(t, cfg)
	_, err = rc.VerifyAccessToken(reversed)
	require.NoError(t, err)
	_, err = rc.VerifyAccessToken(tok)
	require.NoError(t, err)
}

func TestVerifyPaddedSegments(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, baseConfig(t))
	tok := makeJWT(t, rsaJWTSigner(t, "esia"), accessClaims(), nil)
	parts := strings.Split(tok, ".")
	pad := func(s string) string { return s + strings.Repeat("=", (4-len(s)%4)%4) }
	// The signing input is the segments as received, so pad only the
	// signature (padding the header/payload changes what was signed).
	padded := parts[0] + "." + parts[1] + "." + pad(parts[2])
	_, err := c.VerifyAccessToken(padded)
	require.NoError(t, err)
}

func TestVerifyAccessTokenRejects(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, baseConfig(t))
	g := gostJWTSigner(t, "esia")
	with := func(k string, v any) map[string]any {
		m := accessClaims()
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	now := testNow.Unix()
	tampered := func() string {
		tok := makeJWT(t, g, accessClaims(), nil)
		parts := strings.Split(tok, ".")
		claims := with("urn:esia:sbj_id", 1)
		other := strings.Split(makeJWT(t, g, claims, nil), ".")
		return parts[0] + "." + other[1] + "." + parts[2]
	}
	flipSig := func() string {
		tok := makeJWT(t, g, accessClaims(), nil)
		parts := strings.Split(tok, ".")
		sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
		sig[10] ^= 1
		return parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
	}
	noneTok := func() string {
		tok := makeJWT(t, jwtSigner{alg: "none", sign: func([]byte) []byte { return nil }}, accessClaims(), nil)
		return tok
	}
	unknownSigner := gostJWTSigner(t, "esia2")
	for name, tc := range map[string]struct {
		tok  string
		want error
	}{
		"tampered payload": {tampered(), esia.ErrTokenSignature},
		"flipped sig":      {flipSig(), esia.ErrTokenSignature},
		"alg none":         {noneTok(), esia.ErrTokenSignature},
		"alg HS256":        {makeJWT(t, jwtSigner{alg: "HS256", sign: func([]byte) []byte { return []byte("x") }}, accessClaims(), nil), esia.ErrTokenSignature},
		"alg swap RS->GOST": {makeJWT(t, jwtSigner{alg: esia.AlgGOST, sign: rsaJWTSigner(t, "esia").sign}, accessClaims(), nil),
			esia.ErrTokenSignature},
		"unknown key":        {makeJWT(t, unknownSigner, accessClaims(), nil), esia.ErrTokenSignature},
		"wrong iss":          {makeJWT(t, g, with("iss", "http://evil/"), nil), esia.ErrTokenIssuer},
		"https iss":          {makeJWT(t, g, with("iss", "https://esia.test/"), nil), esia.ErrTokenIssuer},
		"wrong client":       {makeJWT(t, g, with("client_id", "OTHER"), nil), esia.ErrTokenAudience},
		"expired":            {makeJWT(t, g, with("exp", now-61), nil), esia.ErrTokenExpired},
		"nbf future":         {makeJWT(t, g, with("nbf", now+61), nil), esia.ErrTokenNotValidYet},
		"iat future":         {makeJWT(t, g, with("iat", now+3000), nil), esia.ErrTokenNotValidYet},
		"no exp":             {makeJWT(t, g, with("exp", nil), nil), esia.ErrTokenMalformed},
		"bad sbj_id":         {makeJWT(t, g, with("urn:esia:sbj_id", "x"), nil), esia.ErrTokenMalformed},
		"two parts":          {"a.b", esia.ErrTokenMalformed},
		"four parts":         {"a.b.c.d", esia.ErrTokenMalformed},
		"empty":              {"", esia.ErrTokenMalformed},
		"bad base64":         {"!!.@@.##", esia.ErrTokenMalformed},
		"payload not object": {"eyJhbGciOiJSUzI1NiJ9.WzFd.AA", esia.ErrTokenMalformed},
		"header not json":    {"eA.e30.AA", esia.ErrTokenMalformed},
		"huge":               {strings.Repeat("a", 70000) + ".e30.AA", esia.ErrTokenMalformed},
		"id token as access": {makeJWT(t, g, idClaims(), nil), esia.ErrTokenAudience},
	} {
		_, err := c.VerifyAccessToken(tc.tok)
		assert.ErrorIs(t, err, tc.want, name)
	}
}

func TestVerifyLeeway(t *testing.T) {
	t.Parallel()
	now := testNow.Unix()
	g := gostJWTSigner(t, "esia")
	skewed := accessClaims()
	skewed["exp"] = now - 30 // expired 30 s ago: within the default minute
	skewed["nbf"] = now + 30
	skewed["iat"] = now + 30
	tok := makeJWT(t, g, skewed, nil)
	c, _ := mockClient(t, baseConfig(t))
	_, err := c.VerifyAccessToken(tok)
	require.NoError(t, err)

	cfg := baseConfig(t)
	cfg.Leeway = -1 // none
	strict, _ := mockClient(t, cfg)
	_, err = strict.VerifyAccessToken(tok)
	require.ErrorIs(t, err, esia.ErrTokenExpired)

	cfg.Leeway = 10 * time.Second
	ten, _ := mockClient(t, cfg)
	_, err = ten.VerifyAccessToken(tok)
	require.ErrorIs(t, err, esia.ErrTokenExpired)
}

func TestVerifyRotation(t *testing.T) {
	t.Parallel()
	cfg := baseConfig(t)
	cfg.Certificates = [][]byte{
		append(readTestdata(t, "gost_esia_cert.pem"), readTestdata(t, "gost_esia2_cert.pem")...), // one PEM, two certs
		readTestdata(t, "rsa_esia2_cert.pem"),
	}
	_, rsaCert := rsaPair(t, "esia")
	cfg.VerifyKeys = append(cfg.VerifyKeys, rsaCert.PublicKey)
	c, _ := mockClient(t, cfg)
	for _, s := range []jwtSigner{gostJWTSigner(t, "esia"), gostJWTSigner(t, "esia2"), rsaJWTSigner(t, "esia"), rsaJWTSigner(t, "esia2")} {
		_, err := c.VerifyAccessToken(makeJWT(t, s, accessClaims(), nil))
		require.NoError(t, err)
	}
	// DER certificates work as well.
	_, gc := gostPair(t, "esia2")
	cfg2 := baseConfig(t)
	cfg2.Certificates = [][]byte{gc.Raw}
	c2, _ := mockClient(t, cfg2)
	_, err := c2.VerifyAccessToken(makeJWT(t, gostJWTSigner(t, "esia2"), accessClaims(), nil))
	require.NoError(t, err)
	_, err = c2.VerifyAccessToken(makeJWT(t, gostJWTSigner(t, "esia"), accessClaims(), nil))
	require.ErrorIs(t, err, esia.ErrTokenSignature)
	_, err = c2.VerifyAccessToken(makeJWT(t, rsaJWTSigner(t, "esia"), accessClaims(), nil))
	require.ErrorIs(t, err, esia.ErrTokenSignature, "no RSA certificate configured")

	// A key generated in process, given as a VerifyKey.
	k, err := gost.GenerateKey(rand.Reader, gost.CurveCryptoProA())
	require.NoError(t, err)
	cfg3 := baseConfig(t)
	cfg3.Certificates = nil
	cfg3.VerifyKeys = []crypto.PublicKey{&k.PublicKey}
	c3, _ := mockClient(t, cfg3)
	gen := jwtSigner{alg: esia.AlgGOST, sign: func(in []byte) []byte {
		sig, err := gost.SignMessage(rand.Reader, k, in)
		require.NoError(t, err)
		return sig
	}}
	_, err = c3.VerifyAccessToken(makeJWT(t, gen, accessClaims(), nil))
	require.NoError(t, err)
}

func TestVerifyIDToken(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, baseConfig(t))
	g := gostJWTSigner(t, "esia")
	id, err := c.VerifyIDToken(makeJWT(t, g, idClaims(), map[string]any{"sbt": "id"}))
	require.NoError(t, err)
	assert.Equal(t, "1000328686", id.Subject)
	assert.Equal(t, []string{testClientID}, id.Audience)
	assert.Equal(t, []string{"PWD"}, id.AMR)
	assert.Equal(t, "PWD", id.AMD)
	assert.Equal(t, testNow.Add(-20*time.Second).Unix(), id.AuthTime.Unix())
	assert.Equal(t, esia.Subject{Type: "P", OID: personOID, Name: "OID.1000328686", IsTrusted: true}, id.Sbj)

	arr := idClaims()
	arr["aud"] = []string{"OTHER", testClientID}
	arr["amr"] = []string{"PWD", "DS"}
	arr["sub"] = "1000328686"
	id, err = c.VerifyIDToken(makeJWT(t, g, arr, nil))
	require.NoError(t, err)
	assert.Equal(t, []string{"PWD", "DS"}, id.AMR)
	assert.Equal(t, "1000328686", id.Subject)

	wrong := idClaims()
	wrong["aud"] = "OTHER"
	_, err = c.VerifyIDToken(makeJWT(t, g, wrong, nil))
	require.ErrorIs(t, err, esia.ErrTokenAudience)
	_, err = c.VerifyIDToken(makeJWT(t, g, accessClaims(), nil))
	require.ErrorIs(t, err, esia.ErrTokenAudience)

	// VerifyToken checks both.
	tok := (&oauth2.Token{AccessToken: makeJWT(t, g, accessClaims(), nil)}).
		WithExtra(map[string]any{"id_token": makeJWT(t, g, idClaims(), nil)})
	ac, idc, err := c.VerifyToken(tok)
	require.NoError(t, err)
	assert.Equal(t, personOID, ac.SbjID)
	assert.Equal(t, personOID, idc.Sbj.OID)
	tok = (&oauth2.Token{AccessToken: makeJWT(t, g, accessClaims(), nil)}).
		WithExtra(map[string]any{"id_token": makeJWT(t, g, wrong, nil)})
	_, _, err = c.VerifyToken(tok)
	require.ErrorIs(t, err, esia.ErrTokenAudience)
}

func TestParseScopes(t *testing.T) {
	t.Parallel()
	got := esia.ParseScopes("  openid http://esia.gosuslugi.ru/org_shortname?org_oid=123 fullname?oid=5&x=y usr_org?oid=abc ")
	assert.Equal(t, []esia.Scope{
		{Name: "openid", Raw: "openid"},
		{Name: "org_shortname", OrgOID: 123, Raw: "http://esia.gosuslugi.ru/org_shortname?org_oid=123"},
		{Name: "fullname", OID: 5, Raw: "fullname?oid=5&x=y"},
		{Name: "usr_org", Raw: "usr_org?oid=abc"},
	}, got)
	assert.Empty(t, esia.ParseScopes(""))
}
