package esia

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/internal/transport"
)

// Code is an ESIA error code, "ESIA-" and six digits.
type Code string

// ESIA error codes. OAuth errors carry the code as the first 11 characters of
// error_description ("ESIA-007014: The request doesn`t contain ..."); REST
// errors carry it in the "code" field. Compare with [Error.Code] or with
// errors.Is(err, &esia.Error{Code: esia.CodeWrongTime}).
const (
	CodeCertMismatch         Code = "ESIA-007002" // certificate does not match the client_id or is missing
	CodeInvalidRequest       Code = "ESIA-007003" // a parameter is missing, invalid or duplicated
	CodeDeclined             Code = "ESIA-007004" // the resource owner or the server declined the request
	CodeUnauthorizedClient   Code = "ESIA-007005" // the client may not request a token this way
	CodeInvalidScope         Code = "ESIA-007006" // the requested scope is invalid
	CodeServerError          Code = "ESIA-007007" // internal server error
	CodeTemporarilyDown      Code = "ESIA-007008" // server overloaded or in maintenance
	CodeUnsupportedMethod    Code = "ESIA-007009" // the server does not support this method
	CodeInvalidGrant         Code = "ESIA-007011" // code or refresh token invalid, expired, revoked or of another client
	CodeUnsupportedCodeType  Code = "ESIA-007012" // unsupported authorization code type
	CodeNoScope              Code = "ESIA-007013" // the request contains no scope
	CodeMissingParam         Code = "ESIA-007014" // a mandatory parameter is missing
	CodeWrongTime            Code = "ESIA-007015" // the timestamp is too far from the server time
	CodeNoPermission         Code = "ESIA-007019" // no access permission
	CodeRedirectURI          Code = "ESIA-007023" // redirect_uri is not registered for the system
	CodeParamParse           Code = "ESIA-007038" // a parameter could not be parsed
	CodeNoCodeChallenge      Code = "ESIA-007039" // PKCE: code_challenge missing on v2/ac
	CodeCodeVerifier         Code = "ESIA-007040" // PKCE: code_verifier does not match the challenge
	CodeTwoFactorUnavailable Code = "ESIA-007046" // two-factor authentication required but unavailable
	CodeClientSecretWrong    Code = "ESIA-007053" // bad client_secret signature, certificate or certificate hash
	CodeUnconfirmedAccount   Code = "ESIA-007055" // the account is not confirmed
	CodeBadRoles             Code = "ESIA-007060" // invalid roles parameter
	CodeBadObjType           Code = "ESIA-007061" // invalid obj_type parameter
	CodeBadUserType          Code = "ESIA-007062" // invalid user type or role
	CodeOrgNotEmployee       Code = "ESIA-007194" // organisation scopes for an organisation the user is not an employee of
	CodeClientAuthFailed     Code = "ESIA-008010" // client authentication failed

	CodeInvalidToken    Code = "ESIA-005011" // REST: SecurityErrorEnum.invalidToken
	CodeExpiredToken    Code = "ESIA-005013" // REST: SecurityErrorEnum.expiredToken
	CodeScopeNotAllowed Code = "ESIA-005029" // REST: SecurityErrorEnum.scopeNotAllowed
)

// Sentinel errors. Test with errors.Is; an [*Error] matches the sentinels
// listed with each.
var (
	// ErrAccessDenied matches an [*Error] whose OAuth error is
	// "access_denied" (the user declined, or ESIA refused the client).
	ErrAccessDenied = errors.New("esia: access denied")
	// ErrInvalidGrant matches an [*Error] with code ESIA-007011 or OAuth
	// error "invalid_grant": the code or refresh token is no longer usable.
	ErrInvalidGrant = errors.New("esia: invalid grant")
	// ErrClientSecretWrong matches ESIA-007053: ESIA rejected the signed
	// client_secret, the certificate or client_certificate_hash.
	ErrClientSecretWrong = errors.New("esia: client secret rejected")
	// ErrInvalidToken matches the REST error ESIA-005011.
	ErrInvalidToken = errors.New("esia: invalid access token")
	// ErrScopeNotAllowed matches the REST error ESIA-005029.
	ErrScopeNotAllowed = errors.New("esia: scope not allowed")
	// ErrNotFound matches an [*Error] for an HTTP 404 answer.
	ErrNotFound = errors.New("esia: not found")
	// ErrStateMismatch means the state echoed by ESIA (callback or token
	// answer) is not the one the client sent.
	ErrStateMismatch = errors.New("esia: state mismatch")
	// ErrNotAuthorized means the user may not act for the organisation (see
	// [AuthorityError] for the reason).
	ErrNotAuthorized = errors.New("esia: not authorized for the organisation")

	// ErrTokenMalformed means a JWT could not be parsed or lacks a required
	// claim.
	ErrTokenMalformed = errors.New("esia: malformed token")
	// ErrTokenSignature means a JWT signature did not verify against any
	// configured ESIA key, or its algorithm is not accepted.
	ErrTokenSignature = errors.New("esia: invalid token signature")
	// ErrTokenExpired means a JWT's exp lies in the past (beyond the
	// leeway). The REST error ESIA-005013 (expiredToken) matches it too.
	ErrTokenExpired = errors.New("esia: token expired")
	// ErrTokenNotValidYet means a JWT's nbf or iat lies in the future
	// (beyond the leeway).
	ErrTokenNotValidYet = errors.New("esia: token not valid yet")
	// ErrTokenIssuer means a JWT's iss is not the configured issuer.
	ErrTokenIssuer = errors.New("esia: wrong token issuer")
	// ErrTokenAudience means an access token's client_id or an id token's
	// aud is not the configured client.
	ErrTokenAudience = errors.New("esia: wrong token audience")
)

// Error is an error answer from ESIA: an OAuth error (redirect parameters or
// the token endpoint's JSON {error, error_description, state}) or a REST
// error ({code, message}). Its message never contains secrets.
type Error struct {
	// Code is the ESIA code, e.g. [CodeClientSecretWrong] ("ESIA-007053");
	// empty when ESIA gave none.
	Code Code
	// OAuth is the OAuth 2.0 error, e.g. "access_denied"; empty for REST
	// errors.
	OAuth string
	// Description is error_description (OAuth) or message (REST).
	Description string
	// State is the state ESIA echoed with an OAuth error, if any.
	State string
	// Status is the HTTP status of the answer; 0 for a redirect.
	Status int
	// Operation names the SDK call that failed, e.g. "esia.exchange".
	Operation string
}

// Error implements error. The form is "esia: OP: CODE: DESCRIPTION (OAUTH,
// HTTP STATUS)", leaving out what is empty.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("esia: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	text, code := e.Description, string(e.Code)
	if code != "" && !strings.HasPrefix(text, code) {
		if text == "" {
			text = code
		} else {
			text = code + ": " + text
		}
	}
	var tags []string
	if e.OAuth != "" {
		tags = append(tags, e.OAuth)
	}
	if e.Status != 0 {
		tags = append(tags, fmt.Sprintf("HTTP %d", e.Status))
	}
	switch {
	case text == "" && len(tags) == 0:
		b.WriteString("error")
	case text == "":
		b.WriteString(strings.Join(tags, ", "))
	case len(tags) == 0:
		b.WriteString(text)
	default:
		b.WriteString(text + " (" + strings.Join(tags, ", ") + ")")
	}
	return b.String()
}

// ErrorCode returns the ESIA code ("ESIA-007011"), or, when ESIA gave
// none, the OAuth error ("access_denied"), or "". It makes *Error a
// core.CodedError.
func (e *Error) ErrorCode() string {
	if e.Code != "" {
		return string(e.Code)
	}
	return e.OAuth
}

// Is reports whether e matches target: the sentinels documented with each
// (ErrAccessDenied, ErrInvalidGrant, ErrClientSecretWrong, ErrInvalidToken,
// ErrTokenExpired, ErrScopeNotAllowed, ErrNotFound), or an *Error whose
// non-empty Code, OAuth and Status fields all equal e's.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrAccessDenied:
		return e.OAuth == "access_denied"
	case ErrInvalidGrant:
		return e.Code == CodeInvalidGrant || e.OAuth == "invalid_grant"
	case ErrClientSecretWrong:
		return e.Code == CodeClientSecretWrong
	case ErrInvalidToken:
		return e.Code == CodeInvalidToken
	case ErrTokenExpired:
		return e.Code == CodeExpiredToken
	case ErrScopeNotAllowed:
		return e.Code == CodeScopeNotAllowed
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	}
	t, ok := target.(*Error)
	if !ok || t == nil {
		return false
	}
	if t.Code == "" && t.OAuth == "" && t.Status == 0 {
		return false
	}
	return (t.Code == "" || t.Code == e.Code) &&
		(t.OAuth == "" || t.OAuth == e.OAuth) &&
		(t.Status == 0 || t.Status == e.Status)
}

// codeFromDescription returns the leading "ESIA-dddddd" of an
// error_description, or "".
func codeFromDescription(desc string) Code {
	const n = len("ESIA-007053")
	if len(desc) < n || !strings.HasPrefix(desc, "ESIA-") {
		return ""
	}
	for _, c := range desc[5:n] {
		if c < '0' || c > '9' {
			return ""
		}
	}
	if len(desc) > n {
		if c := desc[n]; c >= '0' && c <= '9' {
			return ""
		}
	}
	return Code(desc[:n])
}

// maxErrorText bounds the error texts copied from an answer into an Error.
const maxErrorText = 512

// cleanText makes an untrusted text safe to embed in an error message: valid
// UTF-8, no control characters, bounded length.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if len(s) > maxErrorText {
		cut := maxErrorText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// oauthError builds an *Error from OAuth error parameters.
func oauthError(op, oauthCode, desc, state string, status int) *Error {
	desc = cleanText(desc)
	return &Error{
		Code:        codeFromDescription(desc),
		OAuth:       cleanText(oauthCode),
		Description: desc,
		State:       cleanText(state),
		Status:      status,
		Operation:   op,
	}
}

// minSecretPart is the shortest segment of a dotted secret that scrub
// removes on its own.
const minSecretPart = 8

// scrub removes secrets from the texts ESIA sent back (a description might
// quote a parameter): the given literal values and the generic patterns of
// the transport core (client_secret=…, Bearer …).
//
// A secret with dots (a JWT) is also removed segment by segment, so that an
// answer quoting only a token's signature does not leak it either.
func (e *Error) scrub(secrets ...string) *Error {
	remove := func(s string) {
		e.Description = strings.ReplaceAll(e.Description, s, transport.Redacted)
		e.State = strings.ReplaceAll(e.State, s, transport.Redacted)
	}
	for _, s := range secrets {
		if len(s) < 4 {
			continue
		}
		remove(s)
		if strings.Contains(s, ".") {
			for part := range strings.SplitSeq(s, ".") {
				if len(part) >= minSecretPart {
					remove(part)
				}
			}
		}
	}
	e.Description = transport.Redact(e.Description)
	return e
}

// errorBody is the union of the OAuth and REST error JSON forms.
type errorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	State            string `json:"state"`
	Code             string `json:"code"`
	Message          string `json:"message"`
}

// parseErrorBody reads an error answer of ESIA (OAuth JSON, REST JSON or
// anything else) into an *Error. It never returns nil and never copies an
// unrecognised body into the error (it may hold secrets).
func parseErrorBody(op string, status int, body []byte) *Error {
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err == nil {
		switch {
		case eb.Error != "" || eb.ErrorDescription != "":
			return oauthError(op, eb.Error, eb.ErrorDescription, eb.State, status)
		case eb.Code != "" || eb.Message != "":
			code := cleanText(eb.Code)
			e := &Error{Code: Code(code), Description: cleanText(eb.Message), Status: status, Operation: op}
			if code != "" && !strings.HasPrefix(code, "ESIA-") {
				if c := codeFromDescription("ESIA-" + code); c != "" {
					e.Code = c
				}
			}
			return e
		}
	}
	return &Error{Status: status, Description: http.StatusText(status), Operation: op}
}
