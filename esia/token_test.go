package esia_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/internal/transport"
)

const (
	testCode    = "eyJ2ZXIiOjEsInR5cCI6IkpXVCIsInNidCI6ImF1dGhvcml6YXRpb25fY29kZSJ9.SECRETCODE"
	testRefresh = "7b8f5f32-0c4b-4c8e-9d8c-refresh-secret"
	testAccess  = "ACCESS-TOKEN-SECRET"
)

// tokenResponder answers like ESIA's token endpoint, echoing the state.
func tokenResponder(expiresIn any, extra map[string]any) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		if err := req.ParseForm(); err != nil {
			return nil, err
		}
		body := map[string]any{
			"access_token":  testAccess,
			"refresh_token": testRefresh,
			"state":         req.PostForm.Get("state"),
			"token_type":    "Bearer",
			"expires_in":    expiresIn,
		}
		for k, v := range extra {
			body[k] = v
		}
		return httpmock.NewJsonResponse(http.StatusOK, body)
	}
}

func TestExchangeV3(t *testing.T) {
	t.Parallel()
	cfg := baseConfig(t)
	cfg.OrgScopes = []string{"org_fullname"}
	var logs logBuffer
	c, mt := mockClient(t, cfg, core.WithLogger(logs.logger()))
	var rec recorder
	mt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te", rec.wrap(tokenResponder(3600, map[string]any{"id_token": "ID.TOKEN.X"})))

	verifier := oauth2.GenerateVerifier()
	tok, err := c.Exchange(t.Context(), testCode, oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	assert.Equal(t, testAccess, tok.AccessToken)
	assert.Equal(t, testRefresh, tok.RefreshToken)
	assert.Equal(t, "Bearer", tok.TokenType)
	assert.Equal(t, int64(3600), tok.ExpiresIn)
	assert.Equal(t, testNow.Add(time.Hour), tok.Expiry)
	assert.Equal(t, "ID.TOKEN.X", esia.IDToken(tok))

	r := rec.last(t)
	assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	f := r.Form
	state := f.Get("state")
	assert.Equal(t, state, tok.Extra("state"))
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, state)
	_, cert := gostPair(t, "is")
	want := map[string]string{
		"client_id":               testClientID,
		"code":                    testCode,
		"grant_type":              "authorization_code",
		"client_certificate_hash": gost.CertificateHash(cert.Raw),
		"state":                   state,
		"redirect_uri":            testRedirect,
		"scope":                   "openid fullname usr_org",
		"scope_org":               "org_fullname",
		"timestamp":               "2025.09.02 13:00:29 +0300",
		"token_type":              "Bearer",
		"code_verifier":           verifier,
	}
	for k, v := range want {
		assert.Equal(t, []string{v}, f[k], k)
	}
	assert.Len(t, f, len(want)+1, "%v", f)
	verifyRawGOST(t, f.Get("client_secret"),
		testClientID+"openid fullname usr_org"+"org_fullname"+"2025.09.02 13:00:29 +0300"+state+testRedirect+testCode)

	for _, secret := range []string{testCode, testAccess, testRefresh, f.Get("client_secret"), verifier} {
		assert.NotContains(t, logs.String(), secret)
	}
	assert.Contains(t, logs.String(), "esia.exchange")
}

func TestExchangeLegacy(t *testing.T) {
	t.Parallel()
	cfg := baseConfig(t)
	cfg.Protocol = esia.ProtocolLegacy
	c, mt := mockClient(t, cfg)
	var rec recorder
	mt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/te", rec.wrap(tokenResponder("3600", nil)))
	tok, err := c.Exchange(t.Context(), testCode)
	require.NoError(t, err)
	assert.Equal(t, int64(3600), tok.ExpiresIn, "expires_in as a string")
	f := rec.last(t).Form
	want := map[string]string{
		"client_id": testClientID, "code": testCode, "grant_type": "authorization_code",
		"state": f.Get("state"), "redirect_uri": testRedirect, "scope": "openid fullname usr_org",
		"timestamp": "2025.09.02 13:00:29 +0300", "token_type": "Bearer",
	}
	for k, v := range want {
		assert.Equal(t, []string{v}, f[k], k)
	}
	assert.Len(t, f, len(want)+1, "%v", f)
	sig, err := esia.DecodeSecret(f.Get("client_secret"))
	require.NoError(t, err)
	_, err = gost.VerifyDetached(sig, []byte("openid fullname usr_org"+"2025.09.02 13:00:29 +0300"+testClientID+f.Get("state")))
	require.NoError(t, err)
}

func TestExchangeStateMismatch(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, baseConfig(t))
	mt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te",
		httpmock.NewJsonResponderOrPanic(200, map[string]any{"access_token": testAccess, "state": "other", "expires_in": 3600}))
	_, err := c.Exchange(t.Context(), testCode)
	require.ErrorIs(t, err, esia.ErrStateMismatch)
	assert.NotContains(t, err.Error(), testAccess)

	c2, mt2 := mockClient(t, baseConfig(t))
	mt2.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te",
		httpmock.NewJsonResponderOrPanic(200, map[string]any{"access_token": testAccess, "expires_in": 3600}))
	_, err = c2.Exchange(t.Context(), testCode)
	require.ErrorIs(t, err, esia.ErrStateMismatch, "a missing state is a mismatch")
}

func TestExpiresInForms(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    any
		want int64
		ok   bool
	}{
		{3600, 3600, true}, {"3600", 3600, true}, {3600.0, 3600, true}, {nil, 0, true}, {"", 0, true},
		{"soon", 0, false}, {-5, 0, false}, {true, 0, false},
	} {
		c, mt := mockClient(t, baseConfig(t))
		mt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te", tokenResponder(tc.v, nil))
		tok, err := c.Exchange(t.Context(), testCode)
		if !tc.ok {
			assert.Error(t, err, "%v", tc.v)
			continue
		}
		require.NoError(t, err, "%v", tc.v)
		assert.Equal(t, tc.want, tok.ExpiresIn, "%v", tc.v)
	}
}

func TestTokenErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code        esia.Code
		oauth, desc string
		status      int
		is          error
	}{
		{esia.CodeClientSecretWrong, "access_denied", "ESIA-007053: OAuthErrorEnum.clientSecretWrong", 400, esia.ErrClientSecretWrong},
		{esia.CodeMissingParam, "invalid_request", "ESIA-007014: The request doesn`t contain the mandatory parameter [state, client_id].", 400, nil},
		{esia.CodeWrongTime, "invalid_request", "ESIA-007015: Wrong request time", 400, nil},
		{esia.CodeRedirectURI, "invalid_request", "ESIA-007023: redirect_uri is not allowed", 400, nil},
		{esia.CodeInvalidGrant, "invalid_grant", "ESIA-007011: code is expired", 400, esia.ErrInvalidGrant},
		{esia.CodeOrgNotEmployee, "access_denied", "ESIA-007194: not an employee", 403, esia.ErrAccessDenied},
		{esia.CodeNoCodeChallenge, "invalid_request", "ESIA-007039: no code_challenge", 400, nil},
		{esia.CodeCodeVerifier, "invalid_grant", "ESIA-007040: verifier mismatch", 400, esia.ErrInvalidGrant},
		{esia.CodeUnauthorizedClient, "unauthorized_client", "ESIA-007005: not allowed", 400, nil},
		{"", "invalid_request", "no code here", 400, nil},
	}
	for _, tc := range cases {
		t.Run(tc.desc, func(t *testing.T) {
			t.Parallel()
			c, mt := mockClient(t, baseConfig(t))
			var rec recorder
			mt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te", rec.wrap(func(req *http.Request) (*http.Response, error) {
				_ = req.ParseForm()
				return httpmock.NewJsonResponse(tc.status, map[string]any{
					"error": tc.oauth, "error_description": tc.desc, "state": req.PostForm.Get("state"),
				})
			}))
			_, err := c.Exchange(t.Context(), testCode)
			require.Error(t, err)
			var e *esia.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, tc.oauth, e.OAuth)
			assert.Equal(t, tc.desc, e.Description)
			assert.Equal(t, tc.status, e.Status)
			assert.Equal(t, "esia.exchange", e.Operation)
			if tc.code != "" {
				assert.ErrorIs(t, err, &esia.Error{Code: tc.code})
				assert.NotErrorIs(t, err, &esia.Error{Code: "ESIA-000000"})
			}
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			assert.Equal(t, 1, rec.count(), "token requests are not retried")
			msg := err.Error()
			for _, secret := range []string{testCode, rec.last(t).Form.Get("client_secret")} {
				assert.NotContains(t, msg, secret)
			}
		})
	}
}

func TestExchangeUnknownOutcome(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, baseConfig(t))
	var calls atomic.Int32
	mt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te", func(*http.Request) (*http.Response, error) {
		calls.Add(1)
		return httpmock.NewStringResponse(http.StatusBadGateway, "<html>bad gateway</html>"), nil
	})
	_, err := c.Exchange(t.Context(), testCode)
	require.ErrorIs(t, err, transport.ErrUnknownOutcome)
	var e *esia.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 502, e.Status)
	assert.Equal(t, int32(1), calls.Load(), "a code is single-use: never retried")
	assert.NotContains(t, err.Error(), testCode)

	c2, mt2 := mockClient(t, baseConfig(t))
	mt2.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te", func(*http.Request) (*http.Response, error) {
		return nil, fmt.Errorf("connection reset, code=%s", testCode)
	})
	_, err = c2.Exchange(t.Context(), testCode)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testCode)
	assert.NotContains(t, err.Error(), "SECRETCODE")
}

func TestRefreshSigning(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		signing esia.RefreshSigning
		msg     func(state string) string
	}{
		{"authorize", esia.RefreshSignAuthorize, func(s string) string {
			return testClientID + "openid fullname usr_org" + "" + "2025.09.02 13:00:29 +0300" + s + testRedirect
		}},
		{"token", esia.RefreshSignToken, func(s string) string {
			return testClientID + "openid fullname usr_org" + "2025.09.02 13:00:29 +0300" + s + testRefresh
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := baseConfig(t)
			cfg.RefreshSigning = tc.signing
			c, mt := mockClient(t, cfg)
			var rec recorder
			mt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te", rec.wrap(tokenResponder(3600, nil)))
			_, err := c.Refresh(t.Context(), testRefresh)
			require.NoError(t, err)
			f := rec.last(t).Form
			assert.Equal(t, "refresh_token", f.Get("grant_type"))
			assert.Equal(t, testRefresh, f.Get("refresh_token"))
			assert.Empty(t, f.Get("code"))
			verifyRawGOST(t, f.Get("client_secret"), tc.msg(f.Get("state")))
		})
	}
}

func TestSystemToken(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, baseConfig(t))
	var rec recorder
	mt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te", rec.wrap(tokenResponder(3600, nil)))
	_, err := c.SystemToken(t.Context(), esia.ScopeOption("prm_chg?oid=1000328686"))
	require.NoError(t, err)
	f := rec.last(t).Form
	assert.Equal(t, "client_credentials", f.Get("grant_type"))
	assert.Equal(t, "prm_chg?oid=1000328686", f.Get("scope"))
	assert.Equal(t, testRedirect, f.Get("redirect_uri"))
	_, has := f["scope_org"]
	assert.False(t, has)
	verifyRawGOST(t, f.Get("client_secret"),
		testClientID+"prm_chg?oid=1000328686"+"2025.09.02 13:00:29 +0300"+f.Get("state")+testRedirect)

	cfg := baseConfig(t)
	cfg.Protocol = esia.ProtocolLegacy
	lc, lmt := mockClient(t, cfg)
	var lrec recorder
	lmt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/te", lrec.wrap(tokenResponder(3600, nil)))
	_, err = lc.SystemToken(t.Context(), esia.ScopeOption("http://esia.gosuslugi.ru/org_inn?org_oid=1"))
	require.NoError(t, err)
	lf := lrec.last(t).Form
	assert.Equal(t, "token", lf.Get("response_type"))
	assert.Equal(t, "client_credentials", lf.Get("grant_type"))
	_, has = lf["redirect_uri"]
	assert.False(t, has)
	sig, err := esia.DecodeSecret(lf.Get("client_secret"))
	require.NoError(t, err)
	_, err = gost.VerifyDetached(sig, []byte("http://esia.gosuslugi.ru/org_inn?org_oid=1"+"2025.09.02 13:00:29 +0300"+testClientID+lf.Get("state")))
	require.NoError(t, err)
}

func TestTokenSourceRefreshes(t *testing.T) {
	t.Parallel()
	now := time.Now()
	cfg := baseConfig(t)
	mt := httpmock.NewMockTransport()
	c, err := esia.New(cfg, core.WithHTTPClient(&http.Client{Transport: mt}), core.WithClock(core.NowFunc(func() time.Time { return now })))
	require.NoError(t, err)
	var n atomic.Int32
	mt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te", func(req *http.Request) (*http.Response, error) {
		_ = req.ParseForm()
		if req.PostForm.Get("refresh_token") != "R1" {
			return httpmock.NewJsonResponse(400, map[string]any{"error": "invalid_grant", "error_description": "ESIA-007011: bad"})
		}
		i := n.Add(1)
		return httpmock.NewJsonResponse(200, map[string]any{
			"access_token": fmt.Sprintf("A%d", i), "state": req.PostForm.Get("state"), "expires_in": "3600",
		})
	})
	expired := &oauth2.Token{AccessToken: "A0", RefreshToken: "R1", Expiry: now.Add(-time.Minute)}
	ts := c.TokenSource(t.Context(), expired)
	tok, err := ts.Token()
	require.NoError(t, err)
	assert.Equal(t, "A1", tok.AccessToken)
	assert.Equal(t, "R1", tok.RefreshToken, "kept when ESIA sends no new refresh token")
	tok, err = ts.Token()
	require.NoError(t, err)
	assert.Equal(t, "A1", tok.AccessToken, "reused while valid")
	assert.Equal(t, int32(1), n.Load())

	_, err = c.TokenSource(t.Context(), &oauth2.Token{AccessToken: "A", Expiry: now.Add(-time.Minute)}).Token()
	require.Error(t, err)
	_, err = c.TokenSource(t.Context(), &oauth2.Token{AccessToken: "A", RefreshToken: "R2", Expiry: now.Add(-time.Minute)}).Token()
	require.ErrorIs(t, err, esia.ErrInvalidGrant)
	assert.NotContains(t, err.Error(), "R2")
}

func TestSystemTokenSourceAndHTTPClient(t *testing.T) {
	t.Parallel()
	now := time.Now()
	mt := httpmock.NewMockTransport()
	c, err := esia.New(baseConfig(t), core.WithHTTPClient(&http.Client{Transport: mt}), core.WithClock(core.NowFunc(func() time.Time { return now })))
	require.NoError(t, err)
	mt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te", tokenResponder(3600, nil))
	var auth string
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/orgs/1/brhs", func(req *http.Request) (*http.Response, error) {
		auth = req.Header.Get("Authorization")
		return httpmock.NewStringResponse(200, `{}`), nil
	})
	hc := c.HTTPClient(c.SystemTokenSource(t.Context()))
	resp, err := hc.Get(testBase + "/rs/orgs/1/brhs")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, "Bearer "+testAccess, auth)
}

func TestExchangeSignerError(t *testing.T) {
	t.Parallel()
	cfg := baseConfig(t)
	cfg.Signer = failingSigner{}
	c, mt := mockClient(t, cfg)
	_, err := c.Exchange(t.Context(), testCode)
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "signing client_secret"))
	assert.Equal(t, 0, mt.GetTotalCallCount())
	_, err = c.AuthCodeURL(t.Context(), testState)
	require.Error(t, err)
}

type failingSigner struct{}

func (failingSigner) Sign(context.Context, []byte, esia.SignMode) ([]byte, error) {
	return nil, errors.New("token not inserted")
}

func (failingSigner) Certificate() []byte     { return nil }
func (failingSigner) CertificateHash() string { return "00" }

func TestErrorsNeverQuoteSecrets(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, baseConfig(t))
	var rec recorder
	mt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te", rec.wrap(func(req *http.Request) (*http.Response, error) {
		_ = req.ParseForm()
		f := req.PostForm
		return httpmock.NewJsonResponse(400, map[string]any{
			"error": "invalid_grant",
			"error_description": "ESIA-007011: code " + f.Get("code") + " with secret " + f.Get("client_secret") +
				" refresh " + f.Get("refresh_token") + " verifier " + f.Get("code_verifier"),
			"state": f.Get("state"),
		})
	}))
	verifier := oauth2.GenerateVerifier()
	_, err := c.Exchange(t.Context(), testCode, oauth2.VerifierOption(verifier))
	require.ErrorIs(t, err, esia.ErrInvalidGrant)
	f := rec.last(t).Form
	for _, s := range []string{testCode, f.Get("client_secret"), verifier} {
		assert.NotContains(t, err.Error(), s)
	}
	_, err = c.Refresh(t.Context(), testRefresh)
	require.ErrorIs(t, err, esia.ErrInvalidGrant)
	assert.NotContains(t, err.Error(), testRefresh)
	assert.NotContains(t, err.Error(), rec.last(t).Form.Get("client_secret"))

	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/1", httpmock.NewStringResponder(401,
		`{"code":"ESIA-005011","message":"token `+testAccess+` is invalid; Authorization: Bearer `+testAccess+`"}`))
	_, err = c.Person(t.Context(), staticTS(), 1)
	require.ErrorIs(t, err, esia.ErrInvalidToken)
	assert.NotContains(t, err.Error(), testAccess)
}

func TestLimiterKeys(t *testing.T) {
	t.Parallel()
	lim := &keyRecorder{}
	c, mt := mockClient(t, baseConfig(t), core.WithLimiter(lim))
	mt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te", tokenResponder(3600, nil))
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/1", httpmock.NewStringResponder(200, `{}`))
	_, err := c.Exchange(t.Context(), testCode)
	require.NoError(t, err)
	_, err = c.Person(t.Context(), staticTS(), 1)
	require.NoError(t, err)
	fp := core.Fingerprint(testClientID)
	assert.Equal(t, []string{"esia:token:" + fp, "esia:rest:" + fp}, lim.get())
}

type keyRecorder struct {
	mu   sync.Mutex
	keys []string
}

func (k *keyRecorder) Wait(ctx context.Context, key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.keys = append(k.keys, key)
	return ctx.Err()
}

func (k *keyRecorder) get() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.keys...)
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, baseConfig(t))
	mt.RegisterResponder(http.MethodPost, testBase+"/aas/oauth2/v3/te", tokenResponder(3600, nil))
	tok := makeJWT(t, gostJWTSigner(t, "esia"), accessClaims(), nil)
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for range 10 {
		wg.Go(func() {
			_, err := c.AuthCodeURL(t.Context(), esia.NewState())
			errs <- err
		})
		wg.Go(func() {
			_, err := c.Exchange(t.Context(), testCode)
			errs <- err
		})
		wg.Go(func() {
			_, err := c.VerifyAccessToken(tok)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

func TestNewStateAndTimestamp(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		s := esia.NewState()
		assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, s)
		assert.False(t, seen[s])
		seen[s] = true
	}
	assert.Equal(t, "2025.09.02 13:00:29 +0300", esia.FormatTimestamp(testNow))
	ts, err := esia.ParseTimestamp("2025.09.02 13:00:29 +0300")
	require.NoError(t, err)
	assert.True(t, ts.Equal(testNow))
	for _, s := range []string{"AQID", "AQID=", "AQ-_", "AQ+/", "AQ+/AA=="} {
		_, err := esia.DecodeSecret(s)
		assert.NoError(t, err, s)
	}
}
