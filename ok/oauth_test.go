package ok_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/ok"
)

// tokenEndpoint answers OK's refresh grant; it requires the client
// credentials in the body.
type tokenEndpoint struct {
	mu     sync.Mutex
	issued []string
	forms  []url.Values
}

func (te *tokenEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	te.mu.Lock()
	defer te.mu.Unlock()
	te.forms = append(te.forms, r.PostForm)
	if _, _, basic := r.BasicAuth(); basic || r.PostForm.Get("client_secret") != appSecret || r.PostForm.Get("grant_type") != "refresh_token" ||
		r.PostForm.Get("refresh_token") != "RT" {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"invalid_request"}`)
		return
	}
	tok := newToken
	if len(te.issued) > 0 {
		tok = newToken + "2"
	}
	te.issued = append(te.issued, tok)
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"access_token":"`+tok+`","token_type":"session","expires_in":"1800"}`)
}

func TestTokenSourceRefreshGrantInBody(t *testing.T) {
	te := &tokenEndpoint{}
	tokURL := newServer(t, te)
	cfg := &oauth2.Config{ClientID: "512000", ClientSecret: appSecret,
		Endpoint: oauth2.Endpoint{TokenURL: tokURL, AuthStyle: ok.Endpoint.AuthStyle}}
	assert.Equal(t, oauth2.AuthStyleInParams, ok.Endpoint.AuthStyle)
	assert.Equal(t, "https://api.ok.ru/oauth/token.do", ok.Endpoint.TokenURL)

	f := newFake(t)
	f.tokens = map[string]bool{newToken: true}
	f.on("url.getInfo", func(url.Values) any { return map[string]any{"objectId": 1} })
	src := ok.NewTokenSource(context.Background(), cfg, &oauth2.Token{AccessToken: token, RefreshToken: "RT"})
	c := f.clientFor(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret}, ok.WithTokenSource(src))
	_, err := c.GetURLInfo(context.Background(), "https://ok.ru/g")
	require.NoError(t, err)
	assert.Equal(t, 2, f.hitCount("url.getInfo"), "102, then the call with the new token")
	require.Len(t, te.forms, 1)
	assert.Equal(t, "512000", te.forms[0].Get("client_id"))
	assert.Equal(t, newToken, f.lastCall().Get("access_token"))

	// The source keeps the refresh token and renews again when told.
	src.InvalidateToken(newToken)
	tok, err := src.Token()
	require.NoError(t, err)
	assert.Equal(t, newToken+"2", tok.AccessToken)
	assert.Equal(t, "RT", tok.RefreshToken)
	// Invalidating another token changes nothing.
	src.InvalidateToken("other")
	tok, err = src.Token()
	require.NoError(t, err)
	assert.Equal(t, newToken+"2", tok.AccessToken)
	assert.Len(t, te.forms, 2)
}
