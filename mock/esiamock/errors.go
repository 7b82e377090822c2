package esiamock

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// ESIA error codes answered by the emulator. The code is the number after
// "ESIA-" in error_description (which always starts with "ESIA-" and the six
// digits, then ": " and an English text).
const (
	CodeNoCertificate       = 7002 // no certificate registered for the client_id (unknown system)
	CodeInvalidParam        = 7003 // an invalid, malformed or duplicated parameter
	CodeAccessDenied        = 7004 // the user or the server declined
	CodeUnauthorizedClient  = 7005 // the system may not use this grant
	CodeInvalidScope        = 7006 // an unknown or not allowed scope
	CodeServerError         = 7007 // an internal error
	CodeOverloaded          = 7008 // temporarily unavailable
	CodeUnsupportedMethod   = 7009 // the server does not support this request method
	CodeInvalidGrant        = 7011 // code or refresh token invalid, expired, used or of another client
	CodeUnsupportedType     = 7012 // unsupported response_type or grant_type
	CodeMissingParam        = 7014 // a mandatory parameter is missing
	CodeWrongTime           = 7015 // the timestamp is outside the allowed window
	CodeRedirectURI         = 7023 // redirect_uri is not registered for the system
	CodeParseError          = 7038 // a parameter cannot be parsed
	CodeNoCodeChallenge     = 7039 // code_challenge is required but missing
	CodeVerifierMismatch    = 7040 // code_verifier does not match code_challenge
	CodeClientSecretWrong   = 7053 // bad client_secret signature or client_certificate_hash
	CodeNotEmployee         = 7194 // an org scope for an organisation the user does not work in
	CodeRESTInvalidToken    = 5011 // REST: unknown or malformed bearer token
	CodeRESTExpiredToken    = 5013 // REST: expired bearer token
	CodeRESTScopeNotAllowed = 5029 // REST: the token's scopes do not allow the resource
	CodeRESTNotFound        = 5030 // REST: no such object (sandbox choice; see doc.go)
	codeRESTTooMany         = 5099 // REST: overloaded (fault rules)
)

// oauthErrors maps an ESIA code to the OAuth error and the English text
// (without the "ESIA-00xxxx: " prefix).
var oauthErrors = map[int]struct{ err, text string }{
	CodeNoCertificate:      {"invalid_client", "The certificate of the system is not registered or does not match the mnemonic."},
	CodeInvalidParam:       {"invalid_request", "The request contains an invalid or duplicated parameter."},
	CodeAccessDenied:       {"access_denied", "The resource owner or the authorization server denied the request."},
	CodeUnauthorizedClient: {"unauthorized_client", "The client is not authorized to request an access token using this method."},
	CodeInvalidScope:       {"invalid_scope", "The requested scope is invalid, unknown or malformed."},
	CodeServerError:        {"server_error", "The authorization server encountered an unexpected condition."},
	CodeOverloaded:         {"temporarily_unavailable", "The authorization server is temporarily overloaded."},
	CodeUnsupportedMethod:  {"invalid_request", "The authorization server does not support this method."},
	CodeInvalidGrant:       {"invalid_grant", "The provided authorization grant or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."},
	CodeUnsupportedType:    {"unsupported_response_type", "The authorization server does not support this type of code."},
	CodeMissingParam:       {"invalid_request", "The request doesn`t contain the mandatory parameter."},
	CodeWrongTime:          {"invalid_request", "The request time is wrong."},
	CodeRedirectURI:        {"invalid_request", "The redirect_uri is not registered for the system."},
	CodeParseError:         {"invalid_request", "A request parameter cannot be parsed."},
	CodeNoCodeChallenge:    {"invalid_request", "The request doesn`t contain the code_challenge parameter."},
	CodeVerifierMismatch:   {"invalid_grant", "The code_verifier does not match the code_challenge."},
	CodeClientSecretWrong:  {"access_denied", "OAuthErrorEnum.clientSecretWrong"},
	CodeNotEmployee:        {"access_denied", "The user is not an employee of the organization requested in the scope."},
}

// oauthError is an ESIA OAuth error as the emulator answers it.
type oauthError struct {
	// Code is the ESIA code (7014 for ESIA-007014).
	Code int
	// OAuth is the OAuth "error" value.
	OAuth string
	// Description is the full error_description ("ESIA-007014: ...").
	Description string
}

// Error implements error.
func (e *oauthError) Error() string { return e.Description }

// FormatCode formats an ESIA code as "ESIA-007014".
func FormatCode(code int) string {
	if code < 0 {
		code = -code
	}
	return fmt.Sprintf("ESIA-%06d", code%1000000)
}

// ParseCode extracts the numeric code from an error_description or a REST
// code ("ESIA-007014: ..." → 7014); it returns 0 when there is none.
func ParseCode(desc string) int {
	if len(desc) < 11 || !strings.HasPrefix(desc, "ESIA-") {
		return 0
	}
	n, err := strconv.Atoi(desc[5:11])
	if err != nil {
		return 0
	}
	return n
}

// newError builds an error; text overrides the default text when not empty.
func newError(code int, text string) *oauthError {
	def, ok := oauthErrors[code]
	if !ok {
		def = struct{ err, text string }{"invalid_request", "The request is invalid."}
	}
	if text == "" {
		text = def.text
	}
	return &oauthError{Code: code, OAuth: def.err, Description: FormatCode(code) + ": " + text}
}

// errMissing is ESIA-007014 listing the missing parameters, in ESIA's exact
// wording (with the backtick).
func errMissing(names []string) *oauthError {
	return newError(CodeMissingParam, "The request doesn`t contain the mandatory parameter ["+strings.Join(names, ", ")+"].")
}

// errInvalidParam is ESIA-007003 naming the parameter.
func errInvalidParam(name string) *oauthError {
	return newError(CodeInvalidParam, "The request contains an invalid parameter ["+name+"].")
}

// tokenErrorBody is the JSON body of a token endpoint error.
type tokenErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	State            string `json:"state,omitempty"`
}

// writeTokenError answers a token endpoint error: HTTP 400 JSON.
func writeTokenError(w http.ResponseWriter, e *oauthError, state string) {
	status := http.StatusBadRequest
	if e.Code == CodeServerError {
		status = http.StatusInternalServerError
	} else if e.Code == CodeOverloaded {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, tokenErrorBody{Error: e.OAuth, ErrorDescription: e.Description, State: state})
}

// redirectError redirects the browser to the callback with the error.
func redirectError(w http.ResponseWriter, r *http.Request, redirectURI string, e *oauthError, state string) {
	u, err := url.Parse(redirectURI)
	if err != nil {
		writeErrorPage(w, e)
		return
	}
	q := u.Query()
	q.Set("error", e.OAuth)
	q.Set("error_description", e.Description)
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Ошибка — Госуслуги (песочница)</title></head>
<body><h1>Ошибка</h1><p class="esia-error" data-code="{{.Code}}">{{.Description}}</p>
<p>Вернитесь в систему, из которой вы пришли, и попробуйте снова.</p></body></html>
`))

// writeErrorPage renders an error page when there is no trusted callback to
// redirect to (unknown client or redirect_uri). The status is 400 and the
// X-ESIA-Error header carries the description too.
func writeErrorPage(w http.ResponseWriter, e *oauthError) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-ESIA-Error", e.Description)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusBadRequest)
	_ = errorPage.Execute(w, struct {
		Code        string
		Description string
	}{FormatCode(e.Code), e.Description})
}

// restError is a REST API error body.
type restError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

var restMessages = map[int]string{
	CodeRESTInvalidToken:    "SecurityErrorEnum.invalidToken",
	CodeRESTExpiredToken:    "SecurityErrorEnum.expiredToken",
	CodeRESTScopeNotAllowed: "SecurityErrorEnum.scopeNotAllowed",
	CodeRESTNotFound:        "CommonErrorEnum.objectNotFound",
	codeRESTTooMany:         "CommonErrorEnum.tooManyRequests",
}

func writeRESTError(w http.ResponseWriter, code int, msg string) {
	status := http.StatusBadRequest
	switch code {
	case CodeRESTInvalidToken, CodeRESTExpiredToken:
		status = http.StatusUnauthorized
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	case CodeRESTScopeNotAllowed:
		status = http.StatusForbidden
	case CodeRESTNotFound:
		status = http.StatusNotFound
	case codeRESTTooMany:
		status = http.StatusTooManyRequests
	}
	if msg == "" {
		msg = restMessages[code]
	}
	writeJSON(w, status, restError{Code: FormatCode(code), Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"server_error","error_description":"ESIA-007007: internal error"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
