package gospubliki

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// Error codes of authentication through ESIA, invitations and password
// reset.
const (
	// CodeUserNotFound answers an ESIA login whose person lacks the
	// cabinet's access group in the organisation picked on ESIA, or is no
	// user (nor invited) of that organisation's cabinet. The message is
	// MessageUserNotFound.
	CodeUserNotFound = "user_not_found"
	// CodeInvalidState: the ESIA callback's state is unknown, expired or
	// already used (a replayed callback).
	CodeInvalidState = "invalid_state"
	// CodeESIARefused: ESIA redirected back with an error (the person
	// cancelled, or ESIA refused the request).
	CodeESIARefused = "esia_refused"
	// CodeESIAFailed: exchanging the code or reading the person failed.
	CodeESIAFailed = "esia_failed"
	// CodeESIAUnavailable: the cabinet has no ESIA client system.
	CodeESIAUnavailable = "esia_unavailable"
	// CodeInvalidInvitation: an unknown, used or expired invitation.
	CodeInvalidInvitation = "invalid_invitation"
	// CodeInvalidCode: a wrong or expired password-reset code (after
	// ResetMaxAttempts wrong codes a new one must be requested).
	CodeInvalidCode = "invalid_code"
)

// MessageUserNotFound is the cabinet's message for CodeUserNotFound.
const MessageUserNotFound = "Пользователь не найден"

// ESIAStart is a login (or binding) through ESIA in progress.
type ESIAStart struct {
	// URL is ESIA's authorization page: send the person's browser there.
	URL string `json:"url"`
	// State comes back to the callback; it works once, until ExpiresAt.
	State     string    `json:"state"`
	ExpiresAt time.Time `json:"expires_at"`
}

// String hides the state.
func (s ESIAStart) String() string {
	return "gospubliki.ESIAStart{expires " + s.ExpiresAt.String() + "}"
}

// GoString hides the state.
func (s ESIAStart) GoString() string { return s.String() }

// StartESIALogin starts a login through ESIA into a cabinet of kind
// (CabinetInstitution when empty). Send the person to the returned URL;
// ESIA brings them back to the cabinet's callback, which
// CompleteESIALogin finishes.
func (c *Client) StartESIALogin(ctx context.Context, kind CabinetKind, opts ...core.CallOption) (*ESIAStart, error) {
	var st ESIAStart
	body := struct {
		Kind CabinetKind `json:"kind,omitempty"`
	}{kind}
	return &st, c.do(ctx, "esiaStart", http.MethodPost, "/auth/esia/start", body, &st, opts)
}

// StartESIABinding starts binding the caller's account (phone and
// password) to their ESIA account; CompleteESIALogin finishes it, after
// which the person may also log in through ESIA.
func (c *Client) StartESIABinding(ctx context.Context, opts ...core.CallOption) (*ESIAStart, error) {
	var st ESIAStart
	return &st, c.do(ctx, "esiaBind", http.MethodPost, "/auth/esia/bind", nil, &st, opts)
}

// CompleteESIALogin finishes a login or binding through ESIA: callbackURL
// is the URL ESIA redirected the browser to (the cabinet's callback with
// code and state). The client then uses the new session. It is never
// retried: the state works once.
func (c *Client) CompleteESIALogin(ctx context.Context, callbackURL string, opts ...core.CallOption) (*Session, error) {
	u, err := url.Parse(callbackURL)
	if err != nil {
		return nil, errors.New("gospubliki.CompleteESIALogin: malformed callback URL")
	}
	q := url.Values{}
	for _, k := range []string{"code", "state", "error", "error_description"} {
		if v := u.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	var s Session
	if err := c.do(ctx, "esiaCallback", http.MethodGet, "/auth/esia/callback?"+q.Encode(), nil, &s, opts); err != nil {
		return nil, err
	}
	c.setToken(s.Token)
	return &s, nil
}

func (c *Client) setToken(tok string) {
	c.mu.Lock()
	c.token = tok
	c.mu.Unlock()
}

// ESIABrowser takes a person through ESIA's pages: given the
// authorization URL, it returns the callback URL ESIA redirected to.
type ESIABrowser func(ctx context.Context, authURL string) (callbackURL string, err error)

// LoginESIA logs in through ESIA in one call: StartESIALogin, browse,
// CompleteESIALogin.
func (c *Client) LoginESIA(ctx context.Context, kind CabinetKind, browse ESIABrowser, opts ...core.CallOption) (*Session, error) {
	st, err := c.StartESIALogin(ctx, kind, opts...)
	if err != nil {
		return nil, err
	}
	cb, err := browse(ctx, st.URL)
	if err != nil {
		return nil, fmt.Errorf("gospubliki.LoginESIA: %w", err)
	}
	return c.CompleteESIALogin(ctx, cb, opts...)
}

// FollowESIARedirects is an ESIABrowser for headless logins (the ESIA
// emulator's queued logins, esiamock.Server.EnqueueLogin): it follows
// ESIA's redirects with hc until one leads to the cabinet's callback, and
// returns that URL without requesting it. A page that is not a redirect
// (a login form) is an error.
func FollowESIARedirects(hc *http.Client) ESIABrowser {
	return func(ctx context.Context, authURL string) (string, error) {
		if hc == nil {
			hc = http.DefaultClient
		}
		cp := *hc
		var found string
		cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if strings.HasSuffix(req.URL.Path, "/api/v1/auth/esia/callback") {
				found = req.URL.String()
				return http.ErrUseLastResponse
			}
			if len(via) >= 10 {
				return errors.New("too many redirects")
			}
			return nil
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
		if err != nil {
			return "", err
		}
		resp, err := cp.Do(req)
		if err != nil {
			return "", err
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		_ = resp.Body.Close()
		if found == "" {
			return "", fmt.Errorf("ESIA answered %d without redirecting to the cabinet (no headless login queued?)", resp.StatusCode)
		}
		return found, nil
	}
}

// AcceptInvitation accepts an invitation: token is the one of the
// invitation e-mail's link, password the user's new password (8 to 72
// bytes). The user becomes confirmed and the client uses the new session.
func (c *Client) AcceptInvitation(ctx context.Context, token, password string, opts ...core.CallOption) (*Session, error) {
	var s Session
	body := struct {
		Token    string `json:"token"`
		Password string `json:"password"`
	}{token, password}
	if err := c.do(ctx, "acceptInvitation", http.MethodPost, "/auth/invitation/accept", body, &s, opts); err != nil {
		return nil, err
	}
	c.setToken(s.Token)
	return &s, nil
}

// RequestPasswordReset asks for a one-time code by SMS to phone. The
// answer is the same whether or not the phone belongs to a user.
func (c *Client) RequestPasswordReset(ctx context.Context, phone string, opts ...core.CallOption) error {
	body := struct {
		Phone string `json:"phone"`
	}{phone}
	return c.do(ctx, "requestPasswordReset", http.MethodPost, "/auth/password-reset", body, nil, opts)
}

// ConfirmPasswordReset sets a new password with the SMS code; every
// session and token of the user ends.
func (c *Client) ConfirmPasswordReset(ctx context.Context, phone, code, password string, opts ...core.CallOption) error {
	body := struct {
		Phone    string `json:"phone"`
		Code     string `json:"code"`
		Password string `json:"password"`
	}{phone, code, password}
	return c.do(ctx, "confirmPasswordReset", http.MethodPost, "/auth/password-reset/confirm", body, nil, opts)
}

// TokenInfo describes an API token without its value.
type TokenInfo struct {
	// ID names the token for RevokeToken.
	ID        string    `json:"id"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
}

// Tokens lists the API tokens of the cabinet's users (LKO administrator).
func (c *Client) Tokens(ctx context.Context, opts ...core.CallOption) ([]TokenInfo, error) {
	var l struct {
		Items []TokenInfo `json:"items"`
	}
	return l.Items, c.do(ctx, "listTokens", http.MethodGet, "/tokens", nil, &l, opts)
}

// RevokeToken revokes an API token of the cabinet (LKO administrator).
func (c *Client) RevokeToken(ctx context.Context, id string, opts ...core.CallOption) error {
	return c.do(ctx, "revokeToken", http.MethodDelete, "/tokens/"+url.PathEscape(id), nil, nil, opts)
}
