package ok

import (
	"context"
	"sync"

	"golang.org/x/oauth2"
)

// OAuth endpoints of OK.
const (
	// AuthURL is the authorization page.
	AuthURL = "https://connect.ok.ru/oauth/authorize"
	// TokenURL is the token endpoint (authorization code and refresh token
	// grants).
	TokenURL = "https://api.ok.ru/oauth/token.do"
)

// Endpoint is OK's OAuth 2.0 endpoint for golang.org/x/oauth2. OK reads
// the client id and secret from the request body (AuthStyleInParams).
// Scopes are joined with ";" by OK's convention: pass them as one
// element, such as "VALUABLE_ACCESS;GROUP_CONTENT;LONG_ACCESS_TOKEN".
var Endpoint = oauth2.Endpoint{
	AuthURL:   AuthURL,
	TokenURL:  TokenURL,
	AuthStyle: oauth2.AuthStyleInParams,
}

// Permissions (OAuth scopes) the client's methods need.
const (
	ScopeValuableAccess  = "VALUABLE_ACCESS"
	ScopeLongAccessToken = "LONG_ACCESS_TOKEN"
	ScopeGroupContent    = "GROUP_CONTENT"
	ScopePhotoContent    = "PHOTO_CONTENT"
	ScopeVideoContent    = "VIDEO_CONTENT"
)

// TokenInvalidator is implemented by token sources that can be told that
// OK rejected a token as expired (code 102), so that their next Token call
// obtains a new one whatever the token's expiry says. The client calls it
// before asking the source for a new token.
type TokenInvalidator interface {
	InvalidateToken(accessToken string)
}

// TokenSource is an oauth2.TokenSource over OK's token endpoint that
// refreshes its token with the refresh-token grant when the token expires
// or when the client reports that OK rejected it (TokenInvalidator). Build
// it with NewTokenSource. It is safe for concurrent use.
type TokenSource struct {
	ctx context.Context
	cfg *oauth2.Config
	mu  sync.Mutex
	tok *oauth2.Token
}

var (
	_ oauth2.TokenSource = (*TokenSource)(nil)
	_ TokenInvalidator   = (*TokenSource)(nil)
)

// NewTokenSource returns a TokenSource starting from tok (which needs a
// refresh token to be renewed). cfg's Endpoint is normally Endpoint (or
// the emulator's token URL with AuthStyleInParams); ctx carries the HTTP
// client for the token endpoint (oauth2.HTTPClient) and must outlive the
// source.
func NewTokenSource(ctx context.Context, cfg *oauth2.Config, tok *oauth2.Token) *TokenSource {
	return &TokenSource{ctx: ctx, cfg: cfg, tok: tok}
}

// Token returns the current token, refreshing it first when it is expired
// or was invalidated.
func (s *TokenSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != nil && s.tok.Valid() {
		return s.tok, nil
	}
	var refresh string
	if s.tok != nil {
		refresh = s.tok.RefreshToken
	}
	tok, err := s.cfg.TokenSource(s.ctx, &oauth2.Token{RefreshToken: refresh}).Token()
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken == "" {
		tok.RefreshToken = refresh
	}
	s.tok = tok
	return tok, nil
}

// InvalidateToken makes the next Token call refresh when accessToken is
// the current token.
func (s *TokenSource) InvalidateToken(accessToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != nil && s.tok.AccessToken == accessToken {
		t := *s.tok
		t.AccessToken = ""
		s.tok = &t
	}
}
