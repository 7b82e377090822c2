package esia_test

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
)

const testState = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

func parseAuthURL(t *testing.T, raw string) (*url.URL, url.Values) {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u, u.Query()
}

func TestAuthCodeURLV2(t *testing.T) {
	t.Parallel()
	cfg := baseConfig(t)
	cfg.OrgScopes = []string{"org_fullname", "org_ogrn"}
	cfg.AccessType = esia.AccessOffline
	c, _ := mockClient(t, cfg)
	raw, err := c.AuthCodeURL(t.Context(), testState)
	require.NoError(t, err)
	u, q := parseAuthURL(t, raw)
	assert.Equal(t, "https", u.Scheme)
	assert.Equal(t, "esia.test", u.Host)
	assert.Equal(t, "/aas/oauth2/v2/ac", u.Path)
	assert.Contains(t, raw, "timestamp=2025.09.02+13%3A00%3A29+%2B0300")

	_, cert := gostPair(t, "is")
	want := map[string]string{
		"client_id":               testClientID,
		"client_certificate_hash": gost.CertificateHash(cert.Raw),
		"redirect_uri":            testRedirect,
		"scope":                   "openid fullname usr_org",
		"scope_org":               "org_fullname org_ogrn",
		"response_type":           "code",
		"state":                   testState,
		"access_type":             "offline",
		"timestamp":               "2025.09.02 13:00:29 +0300",
	}
	for k, v := range want {
		assert.Equal(t, []string{v}, q[k], k)
	}
	assert.Len(t, q, len(want)+1, "unexpected parameters: %v", q)
	secret := q.Get("client_secret")
	assert.NotContains(t, secret, "=")
	assert.Len(t, q.Get("client_certificate_hash"), 64)
	verifyRawGOST(t, secret,
		testClientID+"openid fullname usr_org"+"org_fullname org_ogrn"+"2025.09.02 13:00:29 +0300"+testState+testRedirect)
}

func TestAuthCodeURLV2NoScopeOrg(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, baseConfig(t))
	raw, err := c.AuthCodeURL(t.Context(), testState, esia.ScopeOption("openid", "usr_org"))
	require.NoError(t, err)
	_, q := parseAuthURL(t, raw)
	_, has := q["scope_org"]
	assert.False(t, has, "empty scope_org is omitted")
	assert.Equal(t, "online", q.Get("access_type"))
	assert.Equal(t, "openid usr_org", q.Get("scope"))
	verifyRawGOST(t, q.Get("client_secret"),
		testClientID+"openid usr_org"+""+"2025.09.02 13:00:29 +0300"+testState+testRedirect)
}

func TestAuthCodeURLOptions(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, baseConfig(t))
	verifier := oauth2.GenerateVerifier()
	raw, err := c.AuthCodeURL(t.Context(), testState,
		esia.OrgScopeOption("org_inn"),
		esia.ChallengeOption(verifier, ""),
		oauth2.AccessTypeOffline,
		oauth2.SetAuthURLParam("redirect_uri", "https://is.example/other"),
		oauth2.SetAuthURLParam("permissions", "W10"),
		oauth2.SetAuthURLParam("client_secret", "attacker"),
		oauth2.SetAuthURLParam("timestamp", "1999.01.01 00:00:00 +0000"),
	)
	require.NoError(t, err)
	_, q := parseAuthURL(t, raw)
	sum := sha256.Sum256([]byte(verifier))
	assert.Equal(t, base64.RawURLEncoding.EncodeToString(sum[:]), q.Get("code_challenge"))
	assert.Equal(t, "S256", q.Get("code_challenge_method"))
	assert.Equal(t, "offline", q.Get("access_type"))
	assert.Equal(t, "W10", q.Get("permissions"))
	assert.Equal(t, "org_inn", q.Get("scope_org"))
	assert.Equal(t, "https://is.example/other", q.Get("redirect_uri"))
	assert.Equal(t, "2025.09.02 13:00:29 +0300", q.Get("timestamp"))
	assert.NotEqual(t, "attacker", q.Get("client_secret"))
	verifyRawGOST(t, q.Get("client_secret"),
		testClientID+"openid fullname usr_org"+"org_inn"+"2025.09.02 13:00:29 +0300"+testState+"https://is.example/other")
}

func TestChallengeMethods(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, baseConfig(t))
	v := "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	for _, tc := range []struct {
		method    esia.ChallengeMethod
		challenge string
	}{
		{esia.ChallengeGOST3411, func() string { s := gost.Sum256([]byte(v)); return base64.RawURLEncoding.EncodeToString(s[:]) }()},
		{esia.ChallengeS256, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, // RFC 7636 appendix B
	} {
		raw, err := c.AuthCodeURL(t.Context(), testState, esia.ChallengeOption(v, tc.method))
		require.NoError(t, err)
		_, q := parseAuthURL(t, raw)
		assert.Equal(t, tc.challenge, q.Get("code_challenge"), tc.method)
		assert.Equal(t, string(tc.method), q.Get("code_challenge_method"), tc.method)
	}
	// RFC 7636 "plain" (and anything else) is refused before anything is
	// signed, as the ESIA emulator refuses it.
	for _, m := range []string{"plain", "S512"} {
		_, err := c.AuthCodeURL(t.Context(), testState, esia.ChallengeOption(v, esia.ChallengeMethod(m)))
		require.Error(t, err, m)
		assert.Contains(t, err.Error(), `PKCE method "`+m+`" is not supported`)
		_, err = c.AuthCodeURL(t.Context(), testState, oauth2.SetAuthURLParam("code_challenge", v), oauth2.SetAuthURLParam("code_challenge_method", m))
		require.Error(t, err, "set directly: "+m)
	}
}

func TestAuthCodeURLLegacy(t *testing.T) {
	t.Parallel()
	cfg := baseConfig(t)
	cfg.Protocol = esia.ProtocolLegacy
	c, _ := mockClient(t, cfg)
	raw, err := c.AuthCodeURL(t.Context(), testState)
	require.NoError(t, err)
	u, q := parseAuthURL(t, raw)
	assert.Equal(t, "/aas/oauth2/ac", u.Path)
	for _, k := range []string{"client_certificate_hash", "scope_org"} {
		_, has := q[k]
		assert.False(t, has, k)
	}
	assert.Len(t, q, 8, "%v", q)
	sig, err := esia.DecodeSecret(q.Get("client_secret"))
	require.NoError(t, err)
	signer, err := gost.VerifyDetached(sig, []byte("openid fullname usr_org"+"2025.09.02 13:00:29 +0300"+testClientID+testState))
	require.NoError(t, err)
	_, cert := gostPair(t, "is")
	assert.Equal(t, cert.Raw, signer.Raw)

	_, err = esia.New(esia.Config{ClientID: "X", RedirectURL: "https://x/", Signer: gostSigner(t),
		Protocol: esia.ProtocolLegacy, OrgScopes: []string{"org_inn"}})
	require.Error(t, err)
	_, err = c.AuthCodeURL(t.Context(), testState, esia.OrgScopeOption("org_inn"))
	require.Error(t, err)
}

func TestSecretEncodings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		enc   esia.SecretEncoding
		check func(string) bool
	}{
		{esia.EncodingRawURL, func(s string) bool { return !strings.ContainsAny(s, "=+/") }},
		{esia.EncodingURL, func(s string) bool { return strings.HasSuffix(s, "=") && !strings.ContainsAny(s, "+/") }},
		{esia.EncodingStd, func(s string) bool { _, err := base64.StdEncoding.DecodeString(s); return err == nil }},
	} {
		cfg := baseConfig(t)
		k, cert := rsaPair(t, "is")
		s, err := esia.NewRSASigner(k, cert)
		require.NoError(t, err)
		cfg.Signer = s
		cfg.SecretEncoding = tc.enc
		c, _ := mockClient(t, cfg)
		raw, err := c.AuthCodeURL(t.Context(), testState)
		require.NoError(t, err)
		_, q := parseAuthURL(t, raw)
		sec := q.Get("client_secret")
		assert.True(t, tc.check(sec), "encoding %d: %s", tc.enc, sec)
		sig, err := esia.DecodeSecret(sec)
		require.NoError(t, err)
		d := sha256.Sum256([]byte(testClientID + "openid fullname usr_org" + "2025.09.02 13:00:29 +0300" + testState + testRedirect))
		require.NoError(t, rsa.VerifyPKCS1v15(&k.PublicKey, crypto.SHA256, d[:], sig))
	}
}

func TestAuthCodeURLNeedsState(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, baseConfig(t))
	_, err := c.AuthCodeURL(t.Context(), "")
	require.Error(t, err)
	_, err = c.AuthCodeURL(t.Context(), testState, oauth2.SetAuthURLParam("access_type", "forever"))
	require.Error(t, err)
}

func TestLogoutURLAndOAuth2Config(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, baseConfig(t))
	assert.Equal(t, "https://esia.test/idp/ext/Logout?client_id=TESTIS01&redirect_url=https%3A%2F%2Fis.example%2Fbye",
		c.LogoutURL("https://is.example/bye"))
	assert.Equal(t, "https://esia.test/idp/ext/Logout?client_id=TESTIS01", c.LogoutURL(""))
	oc := c.OAuth2Config()
	assert.Equal(t, "https://esia.test/aas/oauth2/v2/ac", oc.Endpoint.AuthURL)
	assert.Equal(t, "https://esia.test/aas/oauth2/v3/te", oc.Endpoint.TokenURL)
	assert.Equal(t, testClientID, oc.ClientID)
	assert.Equal(t, []string{"openid", "fullname", "usr_org"}, oc.Scopes)
}

func TestNewValidation(t *testing.T) {
	t.Parallel()
	s := gostSigner(t)
	for name, cfg := range map[string]esia.Config{
		"no client id":   {RedirectURL: "https://x/", Signer: s},
		"no redirect":    {ClientID: "X", Signer: s},
		"no signer":      {ClientID: "X", RedirectURL: "https://x/"},
		"bad base":       {BaseURL: "ftp://x", ClientID: "X", RedirectURL: "https://x/", Signer: s},
		"bad access":     {ClientID: "X", RedirectURL: "https://x/", Signer: s, AccessType: "always"},
		"bad protocol":   {ClientID: "X", RedirectURL: "https://x/", Signer: s, Protocol: 7},
		"bad cert":       {ClientID: "X", RedirectURL: "https://x/", Signer: s, Certificates: [][]byte{[]byte("junk")}},
		"bad verify key": {ClientID: "X", RedirectURL: "https://x/", Signer: s, VerifyKeys: []crypto.PublicKey{"k"}},
	} {
		_, err := esia.New(cfg)
		assert.Error(t, err, name)
	}
	c, err := esia.New(esia.Config{ClientID: "X", RedirectURL: "https://x/", Signer: s})
	require.NoError(t, err)
	cfg := c.Config()
	assert.Equal(t, esia.ProdBaseURL, cfg.BaseURL)
	assert.Equal(t, "http://esia.gosuslugi.ru/", cfg.Issuer)
	assert.Equal(t, esia.DefaultLeeway, cfg.Leeway)
	assert.Equal(t, esia.AccessOnline, cfg.AccessType)
	c, err = esia.New(esia.Config{BaseURL: esia.TestBaseURL + "/", ClientID: "X", RedirectURL: "https://x/", Signer: s})
	require.NoError(t, err)
	assert.Equal(t, "http://esia-portal1.test.gosuslugi.ru/", c.Config().Issuer)
	assert.Equal(t, esia.TestBaseURL+"/aas/oauth2/v3/te", c.TokenURL())
}
