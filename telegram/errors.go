package telegram

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/internal/transport"
)

// Sentinel errors matched with errors.Is against an *Error (and against any
// error that wraps one, such as a *social.RateLimitError or a
// *social.UnknownOutcomeError). The HTTP-class sentinels compare the error
// code only; ErrChatNotFound and ErrMessageNotModified additionally compare
// the documented description prefix (see their docs), because Telegram
// reports both as a plain 400.
var (
	// ErrBadRequest matches error code 400.
	ErrBadRequest = errors.New("telegram: bad request")
	// ErrUnauthorized matches error code 401 (invalid or revoked token).
	ErrUnauthorized = errors.New("telegram: unauthorized")
	// ErrForbidden matches error code 403 (no rights, bot blocked or kicked).
	ErrForbidden = errors.New("telegram: forbidden")
	// ErrNotFound matches error code 404 (unknown method, malformed token).
	ErrNotFound = errors.New("telegram: not found")
	// ErrConflict matches error code 409 (a webhook is set while polling, or
	// two pollers run at once).
	ErrConflict = errors.New("telegram: conflict")
	// ErrTooManyRequests matches error code 429 (flood control).
	ErrTooManyRequests = errors.New("telegram: too many requests")
	// ErrChatNotFound matches a 400 whose description starts with
	// "Bad Request: chat not found" (the reference server's text for an
	// unknown chat_id or @username).
	ErrChatNotFound = errors.New("telegram: chat not found")
	// ErrMessageNotModified matches a 400 whose description starts with
	// "Bad Request: message is not modified" (an edit to identical content).
	ErrMessageNotModified = errors.New("telegram: message is not modified")
	// ErrMigrated matches an error that carries parameters.migrate_to_chat_id:
	// the group was upgraded to a supergroup; Error.MigrateToChatID is the new
	// chat id to send to.
	ErrMigrated = errors.New("telegram: group migrated to a supergroup")
)

// Description prefixes compared by Error.Is (the reference server's wording).
const (
	descChatNotFound       = "Bad Request: chat not found"
	descMessageNotModified = "Bad Request: message is not modified"
)

// Error is an error answer from the Bot API: the envelope
// {"ok":false,"error_code":...,"description":...,"parameters":{...}}.
// Its message never contains the bot token.
type Error struct {
	// Method is the Bot API method that failed, e.g. "sendMessage".
	Method string
	// Code is error_code (Telegram also uses it as the HTTP status). When the
	// answer was not a Telegram envelope it is the HTTP status.
	Code int
	// Description is Telegram's human-readable description.
	Description string
	// RetryAfter is parameters.retry_after (or the Retry-After header) for a
	// 429 answer.
	RetryAfter time.Duration
	// MigrateToChatID is parameters.migrate_to_chat_id: the supergroup a
	// group was upgraded to.
	MigrateToChatID int64
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("telegram: ")
	b.WriteString(e.Method)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.Code))
	if e.Description != "" {
		// The client already redacts descriptions it decodes (the token
		// and its secret part); this catches an Error built elsewhere.
		b.WriteByte(' ')
		b.WriteString(transport.Redact(e.Description))
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after ")
		b.WriteString(e.RetryAfter.String())
		b.WriteByte(')')
	}
	if e.MigrateToChatID != 0 {
		b.WriteString(" (migrate to chat ")
		b.WriteString(strconv.FormatInt(e.MigrateToChatID, 10))
		b.WriteByte(')')
	}
	return b.String()
}

// ErrorCode returns Code as a decimal string ("403", "429"); it makes
// *Error a core.CodedError, so a publication report can show Telegram's
// code without knowing the network.
func (e *Error) ErrorCode() string { return strconv.Itoa(e.Code) }

// Is reports whether e matches one of the package's sentinel errors. Codes
// are compared as numbers; only ErrChatNotFound and ErrMessageNotModified
// look at the description, by its documented prefix.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.Code == 400
	case ErrUnauthorized:
		return e.Code == 401
	case ErrForbidden:
		return e.Code == 403
	case ErrNotFound:
		return e.Code == 404
	case ErrConflict:
		return e.Code == 409
	case ErrTooManyRequests:
		return e.Code == 429
	case ErrChatNotFound:
		return e.Code == 400 && strings.HasPrefix(e.Description, descChatNotFound)
	case ErrMessageNotModified:
		return e.Code == 400 && strings.HasPrefix(e.Description, descMessageNotModified)
	case ErrMigrated:
		return e.MigrateToChatID != 0
	}
	return false
}

// ValidationError reports a request the client refused to send because it
// breaks a documented Bot API limit. Nothing was sent.
type ValidationError struct {
	// Method is the Bot API method, e.g. "sendMessage".
	Method string
	// Field is the offending parameter, e.g. "text" or "chat_id".
	Field string
	// Reason says what is wrong.
	Reason string
}

// Error implements error.
func (e *ValidationError) Error() string {
	return "telegram: " + e.Method + ": invalid " + e.Field + ": " + e.Reason
}

// Is reports whether target is ErrInvalidRequest.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidRequest }

// ErrInvalidRequest is matched by every *ValidationError: the request was
// refused locally and nothing was sent.
var ErrInvalidRequest = errors.New("telegram: invalid request")

func invalid(method, field, reason string) error {
	return &ValidationError{Method: method, Field: field, Reason: reason}
}
