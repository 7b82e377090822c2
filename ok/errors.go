package ok

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// OK's API error codes (apiok.ru "Error codes"). The names follow OK's.
const (
	CodeUnknown                         = 1
	CodeService                         = 2
	CodeMethod                          = 3
	CodeRequest                         = 4
	CodeActionBlocked                   = 7
	CodeFloodBlocked                    = 8
	CodeIPBlocked                       = 9
	CodePermissionDenied                = 10
	CodeLimitReached                    = 11
	CodeCancelled                       = 12
	CodeNotMultipart                    = 21
	CodeNotActivated                    = 22
	CodeNotYetInvolved                  = 23
	CodeNotOwner                        = 24
	CodeNotActive                       = 25
	CodeTotalLimitReached               = 26
	CodeNetwork                         = 30
	CodeNetworkTimeout                  = 31
	CodeNotAdmin                        = 50
	CodeParam                           = 100
	CodeParamAPIKey                     = 101
	CodeParamSessionExpired             = 102
	CodeParamSessionKey                 = 103
	CodeParamSignature                  = 104
	CodeParamResignature                = 105
	CodeParamEntityID                   = 106
	CodeParamUserID                     = 110
	CodeParamAlbumID                    = 120
	CodeParamPhotoID                    = 121
	CodeParamWidget                     = 130
	CodeParamMessageID                  = 140
	CodeParamCommentID                  = 141
	CodeParamHappeningID                = 150
	CodeParamGroupID                    = 160
	CodeParamPermission                 = 200
	CodeParamApplicationDisabled        = 210
	CodeParamDecision                   = 211
	CodeNotFound                        = 300
	CodeEditPhotoFile                   = 324
	CodeAuthLogin                       = 401
	CodeAuthLoginCaptcha                = 402
	CodeAuthLoginWebHumanCheck          = 403
	CodeNotSessionMethod                = 451
	CodeSessionRequired                 = 453
	CodeCensorMatch                     = 454
	CodeFriendRestriction               = 455
	CodeGroupRestriction                = 456
	CodeUnauthorizedRestriction         = 457
	CodePrivacyRestriction              = 458
	CodePhotoSizeLimitExceeded          = 500
	CodePhotoSizeTooSmall               = 501
	CodePhotoSizeTooBig                 = 502
	CodePhotoInvalidFormat              = 503
	CodePhotoImageCorrupted             = 504
	CodePhotoNoImage                    = 505
	CodePhotoPinTooMuch                 = 508
	CodeIDsBlocked                      = 511
	CodePhotoAlbumNotBelongsToUser      = 512
	CodePhotoAlbumNotBelongsToGroup     = 513
	CodeIDsSessionVerificationRequired  = 514
	CodeMediaTopicBlockLimit            = 600
	CodeMediaTopicTextLimit             = 601
	CodeMediaTopicPollQuestionTextLimit = 602
	CodeMediaTopicPollAnswersLimit      = 603
	CodeMediaTopicPollAnswerTextLimit   = 604
	CodeMediaTopicWithFriendsLimit      = 605
	CodeMediaTopicWithFriendsUserLimit  = 606
	CodeMediaTopicLinkBadFormat         = 607
	CodeGroupDuplicateJoinRequest       = 610
	CodeNoSuchApp                       = 900
	CodeBatch                           = 1200
	CodeGraphParamRequest               = 2001
	CodeInvalidResponse                 = 5000
	CodeSystem                          = 9999
)

// codeNames are OK's names of the codes, for messages.
var codeNames = map[int]string{
	1: "UNKNOWN", 2: "SERVICE", 3: "METHOD", 4: "REQUEST", 7: "ACTION_BLOCKED", 8: "FLOOD_BLOCKED",
	9: "IP_BLOCKED", 10: "PERMISSION_DENIED", 11: "LIMIT_REACHED", 12: "CANCELLED", 21: "NOT_MULTIPART",
	22: "NOT_ACTIVATED", 23: "NOT_YET_INVOLVED", 24: "NOT_OWNER", 25: "NOT_ACTIVE", 26: "TOTAL_LIMIT_REACHED",
	30: "NETWORK", 31: "NETWORK_TIMEOUT", 50: "NOT_ADMIN", 100: "PARAM", 101: "PARAM_API_KEY",
	102: "PARAM_SESSION_EXPIRED", 103: "PARAM_SESSION_KEY", 104: "PARAM_SIGNATURE", 105: "PARAM_RESIGNATURE",
	106: "PARAM_ENTITY_ID", 110: "PARAM_USER_ID", 120: "PARAM_ALBUM_ID", 121: "PARAM_PHOTO_ID",
	130: "PARAM_WIDGET", 140: "PARAM_MESSAGE_ID", 141: "PARAM_COMMENT_ID", 150: "PARAM_HAPPENING_ID",
	160: "PARAM_GROUP_ID", 200: "PARAM_PERMISSION", 210: "PARAM_APPLICATION_DISABLED", 211: "PARAM_DECISION",
	300: "NOT_FOUND", 324: "EDIT_PHOTO_FILE", 401: "AUTH_LOGIN", 402: "AUTH_LOGIN_CAPTCHA",
	403: "AUTH_LOGIN_WEB_HUMAN_CHECK", 451: "NOT_SESSION_METHOD", 453: "SESSION_REQUIRED", 454: "CENSOR_MATCH",
	455: "FRIEND_RESTRICTION", 456: "GROUP_RESTRICTION", 457: "UNAUTHORIZED_RESTRICTION",
	458: "PRIVACY_RESTRICTION", 500: "PHOTO_SIZE_LIMIT_EXCEEDED", 501: "PHOTO_SIZE_TOO_SMALL",
	502: "PHOTO_SIZE_TOO_BIG", 503: "PHOTO_INVALID_FORMAT", 504: "PHOTO_IMAGE_CORRUPTED", 505: "PHOTO_NO_IMAGE",
	508: "PHOTO_PIN_TOO_MUCH", 511: "IDS_BLOCKED", 512: "PHOTO_ALBUM_NOT_BELONGS_TO_USER",
	513: "PHOTO_ALBUM_NOT_BELONGS_TO_GROUP", 514: "IDS_SESSION_VERIFICATION_REQUIRED",
	600: "MEDIA_TOPIC_BLOCK_LIMIT", 601: "MEDIA_TOPIC_TEXT_LIMIT", 602: "MEDIA_TOPIC_POLL_QUESTION_TEXT_LIMIT",
	603: "MEDIA_TOPIC_POLL_ANSWERS_LIMIT", 604: "MEDIA_TOPIC_POLL_ANSWER_TEXT_LIMIT",
	605: "MEDIA_TOPIC_WITH_FRIENDS_LIMIT", 606: "MEDIA_TOPIC_WITH_FRIENDS_USER_LIMIT",
	607: "MEDIA_TOPIC_LINK_BAD_FORMAT", 610: "GROUP_DUPLICATE_JOIN_REQUEST", 900: "NO_SUCH_APP",
	1200: "BATCH", 2001: "GRAPH_PARAM_REQUEST", 5000: "INVALID_RESPONSE", 9999: "SYSTEM",
}

// CodeName returns OK's name of code ("PARAM_SESSION_EXPIRED"), or "" for
// a code OK does not document.
func CodeName(code int) string { return codeNames[code] }

// Sentinel errors a caller branches on with errors.Is. An *Error matches
// the sentinel of its code.
var (
	// ErrService matches code 2: the service is temporarily unavailable.
	ErrService = errors.New("ok: service temporarily unavailable")
	// ErrFloodBlocked matches code 8 (blocked for flood) and code 7
	// (action temporarily blocked).
	ErrFloodBlocked = errors.New("ok: blocked due to flood")
	// ErrLimitReached matches codes 11 and 26: a call limit was reached.
	ErrLimitReached = errors.New("ok: call limit reached")
	// ErrPermissionDenied matches codes 10 and 200 (the application or
	// token lacks a permission), 50 (not an administrator) and 456 (the
	// group restricts the operation).
	ErrPermissionDenied = errors.New("ok: permission denied")
	// ErrSessionExpired matches code 102: the access token or session has
	// expired (refresh it).
	ErrSessionExpired = errors.New("ok: session expired")
	// ErrInvalidSession matches code 103 (invalid session key) and 453
	// (a session is required).
	ErrInvalidSession = errors.New("ok: invalid session")
	// ErrSignature matches code 104: OK computed another signature (a
	// wrong application secret key or session secret key).
	ErrSignature = errors.New("ok: invalid signature")
	// ErrApplicationKey matches code 101 (bad application_key) and 900.
	ErrApplicationKey = errors.New("ok: invalid application key")
	// ErrParam matches code 100 and the parameter codes 105–160.
	ErrParam = errors.New("ok: invalid parameter")
	// ErrNotFound matches code 300 and code 160 (invalid group id).
	ErrNotFound = errors.New("ok: not found")
	// ErrMediaTopicLimit matches codes 600–607: the topic exceeds one of
	// mediatopic.post's limits.
	ErrMediaTopicLimit = errors.New("ok: media topic limit")
)

// Error is an error answer of the OK API: {"error_code", "error_msg",
// "error_data"} in an HTTP 200 body. It matches (errors.Is) the sentinel
// of its code, and implements core.CodedError.
type Error struct {
	// Method is the API method ("group.getInfo").
	Method string
	// Code is OK's error_code.
	Code int
	// Msg is OK's error_msg, with secrets removed.
	Msg string
	// Data is OK's error_data as raw JSON (nil when absent), with secrets
	// removed.
	Data json.RawMessage
}

// Error implements error: "ok: group.getInfo: 102 PARAM_SESSION_EXPIRED:
// <msg>".
func (e *Error) Error() string {
	s := "ok: "
	if e.Method != "" {
		s += e.Method + ": "
	}
	s += strconv.Itoa(e.Code)
	if n := codeNames[e.Code]; n != "" {
		s += " " + n
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// ErrorCode returns the code in decimal ("102"), implementing
// core.CodedError.
func (e *Error) ErrorCode() string { return strconv.Itoa(e.Code) }

// Is matches the sentinel of e's code.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrService:
		return e.Code == CodeService
	case ErrFloodBlocked:
		return e.Code == CodeFloodBlocked || e.Code == CodeActionBlocked
	case ErrLimitReached:
		return e.Code == CodeLimitReached || e.Code == CodeTotalLimitReached
	case ErrPermissionDenied:
		return e.Code == CodePermissionDenied || e.Code == CodeParamPermission || e.Code == CodeNotAdmin || e.Code == CodeGroupRestriction
	case ErrSessionExpired:
		return e.Code == CodeParamSessionExpired
	case ErrInvalidSession:
		return e.Code == CodeParamSessionKey || e.Code == CodeSessionRequired
	case ErrSignature:
		return e.Code == CodeParamSignature
	case ErrApplicationKey:
		return e.Code == CodeParamAPIKey || e.Code == CodeNoSuchApp
	case ErrParam:
		return e.Code == CodeParam || e.Code >= CodeParamResignature && e.Code <= CodeParamGroupID
	case ErrNotFound:
		return e.Code == CodeNotFound || e.Code == CodeParamGroupID
	case ErrMediaTopicLimit:
		return e.Code >= CodeMediaTopicBlockLimit && e.Code <= CodeMediaTopicLinkBadFormat
	}
	return false
}

// floodCode reports codes that say OK refused the call for its rate of
// calls; the call was not executed. They are returned as a
// *core.RateLimitError (matching core.ErrRateLimited) around the *Error and
// are not retried: OK gives no wait hint.
func floodCode(code int) bool {
	return code == CodeFloodBlocked || code == CodeLimitReached || code == CodeTotalLimitReached
}

// ErrInvalidRequest is matched by errors the client returns before sending
// anything: a request that OK would refuse (a missing group id, an empty
// topic, media given by URL).
var ErrInvalidRequest = errors.New("ok: invalid request")

// invalid returns an error matching ErrInvalidRequest.
func invalid(op, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidRequest, op, fmt.Sprintf(format, args...))
}

func errNew(s string) error { return errors.New(s) }

// MarshalJSON writes the error in OK's wire form, {"error_code": N,
// "error_msg": "...", "error_data": ...}, the body a server (an emulator)
// answers with HTTP 200 and the header "invocation-error: N".
func (e *Error) MarshalJSON() ([]byte, error) {
	data := e.Data
	if len(data) == 0 || !json.Valid(data) {
		data = json.RawMessage("null")
	}
	return json.Marshal(struct {
		Code int             `json:"error_code"`
		Msg  string          `json:"error_msg"`
		Data json.RawMessage `json:"error_data"`
	}{e.Code, e.Msg, data})
}
