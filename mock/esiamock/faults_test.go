package esiamock_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/world"
)

// TestFaultErrorAfterTakesEffect injects a server error after the token
// exchange ran: the client gets ESIA's error, yet the code was consumed, so
// exchanging it again fails as a reused code would.
func TestFaultErrorAfterTakesEffect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	id, err := e.w.Faults.Add(world.Rule{Party: "esia", Method: "v3/te", Kind: world.FaultErrorAfter, Code: 7007, Nth: 1})
	require.NoError(t, err)

	code, _ := e.code("openid", "", chief)
	f := e.v3TE(code, "openid", "")
	resp, err := e.client.PostForm(e.ts.URL+"/aas/oauth2/v3/te", f)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.Equal(t, "server_error", m["error"])
	assert.Contains(t, m["error_description"], "ESIA-007007: ")
	assert.Equal(t, f.Get("state"), m["state"])
	assert.NotContains(t, m, "access_token", "the result is thrown away")

	last, ok := e.w.Journal.Last(world.Filter{Party: "esia", Method: "v3/te"})
	require.True(t, ok)
	assert.Equal(t, id, last.Fault)
	assert.Equal(t, http.StatusInternalServerError, last.Status)
	assert.Equal(t, "true", last.Params["signature_valid"], "the request was executed and journalled as such")

	// The exchange took effect: the code is spent.
	f = e.v3TE(code, "openid", "")
	st, m := e.post("/aas/oauth2/v3/te", f)
	wantTokenError(t, st, m, "ESIA-007011", f.Get("state"))

	// Compare with error, which does not execute the request.
	_, err = e.w.Faults.Add(world.Rule{Party: "esia", Method: "v3/te", Kind: world.FaultError, Code: 7007, Nth: 1})
	require.NoError(t, err)
	code, _ = e.code("openid", "", chief)
	st, _ = e.post("/aas/oauth2/v3/te", e.v3TE(code, "openid", ""))
	assert.Equal(t, http.StatusInternalServerError, st)
	st, m = e.post("/aas/oauth2/v3/te", e.v3TE(code, "openid", ""))
	assert.Equal(t, http.StatusOK, st, "%v", m)
}
