package vk

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/core"
)

// Error codes VK documents (vk-api-schema errors.json, version 5.199).
const (
	CodeUnknown              = 1    // Unknown error occurred
	CodeUnknownMethod        = 3    // Unknown method passed
	CodeAuthFailed           = 5    // User authorization failed (bad or expired token)
	CodeTooManyRequests      = 6    // Too many requests per second (not executed; retried)
	CodePermissionDenied     = 7    // Permission to perform this action is denied
	CodeInvalidRequest       = 8    // Invalid request
	CodeFloodControl         = 9    // Flood control (too many identical actions)
	CodeInternal             = 10   // Internal server error (retried)
	CodeCompile              = 12   // Unable to compile code (execute)
	CodeRuntime              = 13   // Runtime error (execute)
	CodeCaptcha              = 14   // Captcha needed
	CodeAccessDenied         = 15   // Access denied (subcodes 1133, 1134)
	CodeValidationRequired   = 17   // Validation required (redirect_uri)
	CodeUserDeleted          = 18   // User was deleted or banned
	CodeConfirmationRequired = 24   // Confirmation required (confirmation_text, confirm=1)
	CodeGroupAuthFailed      = 27   // Group authorization failed (community token on a user method)
	CodeAppAuthFailed        = 28   // Application authorization failed (service token on a user method)
	CodeRateLimit            = 29   // Rate limit reached (per-method quota)
	CodePrivateProfile       = 30   // This profile is private
	CodeParam                = 100  // One of the parameters specified was missing or invalid
	CodeOutOfLimits          = 103  // Out of limits
	CodeNotFound             = 104  // Not found
	CodeInvalidUserID        = 113  // Invalid user id
	CodeInvalidHash          = 121  // Invalid hash (upload save step)
	CodeInvalidGroupID       = 125  // Invalid group id
	CodeInvalidPhoto         = 129  // Invalid photo (upload save step)
	CodeAlbumAccessDenied    = 200  // Access denied (album)
	CodeGroupAccessDenied    = 203  // Access to group denied
	CodeWallAccessDenied     = 210  // Access to wall's post denied
	CodeWallAddPostDenied    = 214  // Access to adding post denied
	CodeWallAdsRecent        = 219  // Advertisement post was recently added
	CodeWallTooManyRecipient = 220  // Too many recipients
	CodeWallLinksForbidden   = 222  // Hyperlinks are forbidden
	CodeWallTooManyAds       = 224  // Too many ads posts
	CodeWallDonutDisabled    = 225  // Donut is disabled
	CodeDailyLimit           = 601  // Too many actions this day (weighted daily flood)
	CodeNeed2FA              = 703  // You need to enable 2FA for this action
	CodeUserNeed2FA          = 704  // User needs to enable 2FA for this action
	CodeInvalidScreenName    = 1260 // Invalid screen name
	CodeServersLimit         = 2000 // Callback servers number limit is reached
)

// Sentinels matched with errors.Is against an *Error of the same code:
//
//	if errors.Is(err, vk.ErrCaptcha) { ... }
var (
	ErrUnknown              = sentinel(CodeUnknown)
	ErrUnknownMethod        = sentinel(CodeUnknownMethod)
	ErrAuthFailed           = sentinel(CodeAuthFailed)
	ErrTooManyRequests      = sentinel(CodeTooManyRequests)
	ErrPermissionDenied     = sentinel(CodePermissionDenied)
	ErrFloodControl         = sentinel(CodeFloodControl)
	ErrInternal             = sentinel(CodeInternal)
	ErrCaptcha              = sentinel(CodeCaptcha)
	ErrAccessDenied         = sentinel(CodeAccessDenied)
	ErrValidationRequired   = sentinel(CodeValidationRequired)
	ErrConfirmationRequired = sentinel(CodeConfirmationRequired)
	ErrGroupAuthFailed      = sentinel(CodeGroupAuthFailed)
	ErrAppAuthFailed        = sentinel(CodeAppAuthFailed)
	ErrRateLimit            = sentinel(CodeRateLimit)
	ErrParam                = sentinel(CodeParam)
	ErrNotFound             = sentinel(CodeNotFound)
	ErrWallAccessDenied     = sentinel(CodeWallAccessDenied)
	ErrWallAddPostDenied    = sentinel(CodeWallAddPostDenied)
	ErrDailyLimit           = sentinel(CodeDailyLimit)
	ErrNeed2FA              = sentinel(CodeNeed2FA)
)

func sentinel(code int) *Error { return &Error{Code: code, sentinel: true} }

// RequestParam is one entry of an error's request_params: a parameter of
// the refused call as VK echoes it (VK never echoes the token).
type RequestParam struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Error is an error VK answered ({"error": {...}}), or one inner call of an
// execute reported in execute_errors. It implements core.CodedError
// (ErrorCode returns the decimal code) and matches the sentinels of its
// code with errors.Is (errors.Is(err, vk.ErrCaptcha)); codes 6, 9, 29 and
// 601 also match core.ErrRateLimited: VK did not execute the call. Its
// strings never contain the token.
type Error struct {
	// Method is the VK method that failed ("wall.post").
	Method string
	// Code is VK's error_code, Subcode its error_subcode (0 when absent).
	Code    int
	Subcode int
	// Msg is error_msg; Text is error_text (a message meant for the user),
	// when VK sends one.
	Msg  string
	Text string
	// Params are the request_params VK echoed.
	Params []RequestParam
	// CaptchaSID and CaptchaImg come with code 14; RedirectURI with codes
	// 14 (the redirect captcha) and 17 (validation).
	CaptchaSID  string
	CaptchaImg  string
	RedirectURI string
	// ConfirmationText comes with code 24.
	ConfirmationText string

	sentinel bool
}

// Error implements error: "vk: wall.post: error 214: Access to adding post denied".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("vk: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteString(": ")
	}
	b.WriteString("error ")
	b.WriteString(strconv.Itoa(e.Code))
	if e.Subcode != 0 {
		b.WriteString(" (subcode ")
		b.WriteString(strconv.Itoa(e.Subcode))
		b.WriteString(")")
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	return b.String()
}

// ErrorCode implements core.CodedError: the decimal error code ("14").
func (e *Error) ErrorCode() string { return strconv.Itoa(e.Code) }

// Is matches the sentinel of e's code, and core.ErrRateLimited for the
// codes that mean "too many requests, not executed" (6, 9, 29, 601).
func (e *Error) Is(target error) bool {
	if target == core.ErrRateLimited {
		return IsRateLimitCode(e.Code)
	}
	t, ok := target.(*Error)
	return ok && t.sentinel && t.Code == e.Code
}

// IsRateLimitCode reports whether code means VK refused a call for its
// frequency or quota without executing it: 6 (per second), 9 (flood
// control), 29 (per-method quota), 601 (daily limit).
func IsRateLimitCode(code int) bool {
	switch code {
	case CodeTooManyRequests, CodeFloodControl, CodeRateLimit, CodeDailyLimit:
		return true
	}
	return false
}

// TokenKindError reports a method called with a kind of token VK refuses
// for it. Nothing was sent. It matches ErrWrongTokenKind.
type TokenKindError struct {
	// Method is the method called.
	Method string
	// Kind is the client's token kind; Allowed the kinds the method takes.
	Kind    TokenKind
	Allowed []TokenKind
	// Code is the error VK would have answered: 27 for a community
	// token, 28 for a service token, 5 for a user token on a method only
	// a community token may call (see the package documentation).
	Code int
}

// ErrWrongTokenKind is matched by every *TokenKindError.
var ErrWrongTokenKind = errors.New("vk: method not available with this kind of token")

// Error implements error.
func (e *TokenKindError) Error() string {
	names := make([]string, len(e.Allowed))
	for i, k := range e.Allowed {
		names[i] = k.String()
	}
	return "vk: " + e.Method + " takes a " + strings.Join(names, " or ") + " token, not a " + e.Kind.String() +
		" token (VK would answer error " + strconv.Itoa(e.Code) + ")"
}

// Is reports whether target is ErrWrongTokenKind.
func (e *TokenKindError) Is(target error) bool { return target == ErrWrongTokenKind }

// ErrorCode implements core.CodedError with the code VK would have answered.
func (e *TokenKindError) ErrorCode() string { return strconv.Itoa(e.Code) }
