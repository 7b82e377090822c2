package esia_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/esia"
)

func TestParseCallback(t *testing.T) {
	t.Parallel()
	req := httptest.NewRequest(http.MethodGet, "/cb?code="+url.QueryEscape(testCode)+"&state="+testState, nil)
	code, err := esia.ParseCallback(req, testState)
	require.NoError(t, err)
	assert.Equal(t, testCode, code)

	post := httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader("code=abc&state="+testState))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	code, err = esia.ParseCallback(post, testState)
	require.NoError(t, err)
	assert.Equal(t, "abc", code)

	_, err = esia.ParseCallback(nil, testState)
	require.Error(t, err)
}

func TestParseCallbackErrors(t *testing.T) {
	t.Parallel()
	q := func(s string) url.Values { v, err := url.ParseQuery(s); require.NoError(t, err); return v }
	for name, tc := range map[string]struct {
		query string
		check func(t *testing.T, err error)
	}{
		"error redirect": {
			"error=access_denied&error_description=ESIA-007004%3A+The+resource+owner+denied&state=" + testState,
			func(t *testing.T, err error) {
				var e *esia.Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, esia.CodeDeclined, e.Code)
				assert.Equal(t, "access_denied", e.OAuth)
				assert.Equal(t, "ESIA-007004: The resource owner denied", e.Description)
				assert.Equal(t, testState, e.State)
				assert.Equal(t, 0, e.Status)
				assert.ErrorIs(t, err, esia.ErrAccessDenied)
				assert.ErrorIs(t, err, &esia.Error{Code: esia.CodeDeclined})
			},
		},
		"error without state": {
			"error=invalid_request&error_description=ESIA-007023%3A+bad+redirect",
			func(t *testing.T, err error) {
				assert.ErrorIs(t, err, &esia.Error{Code: esia.CodeRedirectURI, OAuth: "invalid_request"})
			},
		},
		"description only": {
			"error_description=ESIA-007053%3A+OAuthErrorEnum.clientSecretWrong&state=" + testState,
			func(t *testing.T, err error) { assert.ErrorIs(t, err, esia.ErrClientSecretWrong) },
		},
		"error with foreign state": {
			"error=access_denied&state=other",
			func(t *testing.T, err error) { assert.ErrorIs(t, err, esia.ErrStateMismatch) },
		},
		"wrong state":    {"code=abc&state=other", func(t *testing.T, err error) { assert.ErrorIs(t, err, esia.ErrStateMismatch) }},
		"missing state":  {"code=abc", func(t *testing.T, err error) { assert.ErrorIs(t, err, esia.ErrStateMismatch) }},
		"no code":        {"state=" + testState, func(t *testing.T, err error) { assert.ErrorContains(t, err, "no code") }},
		"repeated code":  {"code=a&code=b&state=" + testState, func(t *testing.T, err error) { assert.ErrorContains(t, err, "repeated") }},
		"repeated state": {"code=a&state=" + testState + "&state=" + testState, func(t *testing.T, err error) { assert.ErrorContains(t, err, "repeated") }},
		"huge code":      {"code=" + strings.Repeat("a", 5000) + "&state=" + testState, func(t *testing.T, err error) { assert.ErrorContains(t, err, "too long") }},
		"control chars":  {"error=x%0Ay&error_description=ESIA-007014%0D%0Ainjected&state=" + testState, func(t *testing.T, err error) { assert.NotContains(t, err.Error(), "\n") }},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := esia.ParseCallbackQuery(q(tc.query), testState)
			require.Error(t, err)
			tc.check(t, err)
		})
	}
	_, err := esia.ParseCallbackQuery(url.Values{"code": {"a"}, "state": {""}}, "")
	require.Error(t, err, "an empty expected state is refused")
}
