package mock_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/world"
)

// TestProductionCredentialsAreRefused: a credential the sandbox did not
// issue, shaped like a real one (a Telegram bot token, a VK access token,
// an OK application key or session, an ESIA system mnemonic or bearer
// token, a POS login or token, a cabinet session), gets the party's own
// authentication error; the journal records the refusal with the party's
// code and a fingerprint, never the credential.
func TestProductionCredentialsAreRefused(t *testing.T) {
	sb := mock.Start(t)
	gc := sb.DefaultTenant().PartyCredentials()["gospubliki"].(mock.GospublikiCredentials)
	get := func(u, bearer string) *http.Request {
		r, _ := http.NewRequest("GET", u, nil)
		if bearer != "" {
			r.Header.Set("Authorization", "Bearer "+bearer)
		}
		return r
	}
	const (
		tgToken   = "5712345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"
		vkToken   = "vk1.a.Zx9yW8vU7tS6rQ5pO4nM3lK2jI1hG0fEdCbA"
		okKey     = "CBAFJIICABABABABA"
		okToken   = "-s-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"
		esiaJWT   = "eyJ2ZXIiOjEsInR5cCI6IkpXVCIsInNidCI6ImFjY2VzcyIsImFsZyI6IkdPU1QzNDEwXzIwMTJfMjU2In0.e30.c2lnbmF0dXJl"
		posPass   = "Pr0d-S3cret!"
		posBearer = "5f0e2a6c-1b7d-4e0a-9c3f-2d8b7a6e5f4c"
		gpBearer  = "Zm9yZWlnbi1zZXNzaW9uLXRva2VuLTEyMzQ1Njc4OTA"
	)
	for _, tc := range []struct {
		name, party, secret string
		public              bool // an identifier the party publishes (OK's application key, an ESIA mnemonic)
		req                 *http.Request
		status              int
		body                string
		code                int
	}{
		{"telegram bot token", "telegram", tgToken, false, get(sb.TelegramURL+"/bot"+tgToken+"/getMe", ""), 401,
			`{"ok":false,"error_code":401,"description":"Unauthorized"}`, 401},
		{"vk access token", "vk", vkToken, false, get(sb.VKURL+"/method/groups.getById?v=5.199&group_id=1&access_token="+vkToken, ""), 200,
			`"error_code":5,"error_msg":"User authorization failed`, 5},
		{"vk bearer token", "vk", vkToken, false, get(sb.VKURL+"/method/groups.getById?v=5.199&group_id=1", vkToken), 200,
			`"error_code":5`, 5},
		{"ok application key", "ok", okKey, true, form("POST", sb.OKURL+"/fb.do", url.Values{"method": {"group.getInfo"},
			"application_key": {okKey}, "uids": {"1"}, "sig": {"0123456789abcdef0123456789abcdef"}}), 200,
			`"error_code":101,"error_msg":"PARAM_API_KEY`, 101},
		{"ok session", "ok", okToken, false, form("POST", sb.OKURL+"/fb.do", url.Values{"method": {"group.getInfo"},
			"application_key": {sb.Credentials.OK.ApplicationKey}, "access_token": {okToken}, "uids": {"1"},
			"sig": {"0123456789abcdef0123456789abcdef"}}), 200, `"error_code":103,"error_msg":"PARAM_SESSION_KEY`, 103},
		{"esia system", "esia", "PROD_SYSTEM", true, form("POST", sb.ESIAURL+"/aas/oauth2/v3/te", url.Values{"client_id": {"PROD_SYSTEM"},
			"grant_type": {"client_credentials"}, "scope": {"openid"}, "state": {"0f4a1c2e-3b5d-4e6f-8a9b-0c1d2e3f4a5b"},
			"client_secret": {"c2lnbmF0dXJl"}, "client_certificate_hash": {"ABCDEF"}, "timestamp": {"2026.03.02 09:00:00 +0300"}}), 400,
			`"error":"invalid_client"`, 7002},
		{"esia bearer token", "esia", esiaJWT, false, get(sb.ESIAURL+"/rs/prns/1000000001", esiaJWT), 401, `"code":"ESIA-005011"`, 5011},
		{"pos login", "pos", posPass, false, form("POST", sb.POSURL+"/oauth/token", url.Values{"grant_type": {"password"},
			"username": {"prod-system"}, "password": {posPass}}), 401, `"message":"invalid_grant"`, 401},
		{"pos token", "pos", posBearer, false, get(sb.POSURL+"/inbox-service/regions/all", posBearer), 401, `"message":"invalid_token"`, 401},
		{"cabinet session", "gospubliki", gpBearer, false, get(gc.URL+"/api/v1/me", gpBearer), 401, `"code":"unauthenticated"`, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, _, body := doRaw(t, tc.req)
			assert.Equal(t, tc.status, st, body)
			assert.Contains(t, body, tc.body)
			if !tc.public {
				assert.NotContains(t, body, tc.secret, "the credential is not echoed")
			}
			e, ok := sb.Journal.Last(world.Filter{Party: tc.party})
			require.True(t, ok)
			assert.Equal(t, tc.code, e.Code)
			if !tc.public {
				j, _ := json.Marshal(e)
				assert.NotContains(t, string(j), tc.secret, "the journal never holds the credential")
			}
			if !strings.Contains(tc.name, "login") && !strings.Contains(tc.name, "system") {
				assert.NotEmpty(t, e.Token, "a fingerprint of the credential")
			}
		})
	}
}
