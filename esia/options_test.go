package esia_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/telegram"
)

func TestOptionsOfCoreAndOfOtherParties(t *testing.T) {
	t.Parallel()
	_, err := esia.New(baseConfig(t), telegram.WithTestEnvironment())
	require.EqualError(t, err, "esia: option telegram.WithTestEnvironment does not apply to the esia client")
	_, err = esia.New(baseConfig(t), esia.WithSigner(nil))
	require.ErrorContains(t, err, "esia.WithSigner: nil signer")
	_, err = esia.New(baseConfig(t), core.WithRetry(-1, 0, 0))
	require.Error(t, err)

	// core.WithBaseURL fills an empty Config.BaseURL; WithSigner fills or
	// replaces Config.Signer.
	cfg := baseConfig(t)
	signer := cfg.Signer
	cfg.BaseURL, cfg.Signer = "", nil
	c, err := esia.New(cfg, core.WithBaseURL("http://esia.local/"), esia.WithSigner(signer))
	require.NoError(t, err)
	assert.Equal(t, "http://esia.local/aas/oauth2/v3/te", c.TokenURL())
}

// TestRESTCallOptions: a REST read takes per-call options, trailing or
// through the ctx.
func TestRESTCallOptions(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, baseConfig(t))
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/orgs/1000/grps", httpmock.NewStringResponder(503, `{}`))
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/1000", httpmock.NewStringResponder(503, `{}`))
	var attempts []int
	hook := core.CallResponseHook(func(_ context.Context, ri core.ResponseInfo) { attempts = append(attempts, ri.Attempt) })
	_, err := c.OrgGroups(t.Context(), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "at"}), 1000, core.CallWithoutRetries(), hook)
	require.Error(t, err)
	assert.Equal(t, []int{1}, attempts, "one attempt, no retry")
	attempts = nil
	_, err = c.Person(core.WithCallOptions(t.Context(), core.CallWithoutRetries(), hook), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "at"}), 1000)
	require.Error(t, err)
	assert.Equal(t, []int{1}, attempts)
	attempts = nil
	_, err = c.OrgGroups(t.Context(), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "at"}), 1000, hook)
	require.Error(t, err)
	assert.Equal(t, []int{1, 2, 3}, attempts, "the client's two retries")
}
