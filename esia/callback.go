package esia

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// maxCallbackParam bounds the length of a callback parameter.
const maxCallbackParam = 4096

// ParseCallback reads ESIA's redirect back to the IS (redirect_uri?code=…
// &state=… or ?error=…&error_description=…&state=…) and returns the
// authorization code. The state must equal expectedState, the value passed
// to [Client.AuthCodeURL] (compared in constant time). An error redirect
// gives an [*Error] (Code from error_description, e.g.
// "ESIA-007004"); a state that does not match gives [ErrStateMismatch].
// Parameters are read from the URL query and, for a POST, from the form.
func ParseCallback(r *http.Request, expectedState string) (string, error) {
	if r == nil || r.URL == nil {
		return "", errors.New("esia: callback: nil request")
	}
	q := r.URL.Query()
	if r.Method == http.MethodPost && q.Get("code") == "" && q.Get("error") == "" {
		if err := r.ParseForm(); err != nil {
			return "", fmt.Errorf("esia: callback: %w", err)
		}
		q = r.PostForm
	}
	return ParseCallbackQuery(q, expectedState)
}

// ParseCallbackQuery is [ParseCallback] for already parsed parameters.
func ParseCallbackQuery(q url.Values, expectedState string) (string, error) {
	if expectedState == "" {
		return "", errors.New("esia: callback: expected state is empty")
	}
	for _, k := range []string{"code", "state", "error", "error_description"} {
		if len(q[k]) > 1 {
			return "", fmt.Errorf("esia: callback: parameter %s repeated", k)
		}
		if len(q.Get(k)) > maxCallbackParam {
			return "", fmt.Errorf("esia: callback: parameter %s too long", k)
		}
	}
	state := q.Get("state")
	stateOK := subtle.ConstantTimeCompare([]byte(state), []byte(expectedState)) == 1
	if e := q.Get("error"); e != "" || q.Get("error_description") != "" {
		// ESIA may omit state on errors it raises before reading it; a
		// state that is present must still be ours.
		if state != "" && !stateOK {
			return "", fmt.Errorf("%w (error redirect)", ErrStateMismatch)
		}
		if e == "" {
			e = "unknown_error"
		}
		return "", oauthError("esia.callback", e, q.Get("error_description"), state, 0).scrub(q.Get("code"))
	}
	if !stateOK {
		return "", ErrStateMismatch
	}
	code := q.Get("code")
	if code == "" {
		return "", errors.New("esia: callback: no code")
	}
	return code, nil
}
