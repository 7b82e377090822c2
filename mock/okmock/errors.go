package okmock

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// OK API error codes the emulator answers (apiok "Error codes").
const (
	CodeUnknown               = 1
	CodeService               = 2
	CodeMethod                = 3
	CodeRequest               = 4
	CodeFloodBlocked          = 8
	CodePermissionDenied      = 10
	CodeLimitReached          = 11
	CodeNotMultipart          = 21
	CodeParam                 = 100
	CodeParamAPIKey           = 101
	CodeParamSessionExpired   = 102
	CodeParamSessionKey       = 103
	CodeParamSignature        = 104
	CodeParamGroupID          = 160
	CodeParamPermission       = 200
	CodeNotFound              = 300
	CodeSessionRequired       = 453
	CodeMediaTopicBlockLimit  = 600
	CodeMediaTopicTextLimit   = 601
	CodeMediaTopicPollQLimit  = 602
	CodeMediaTopicPollALimit  = 603
	CodeMediaTopicPollATLimit = 604
	CodeMediaTopicLinkFormat  = 607
	CodeSystem                = 9999
)

// Mediatopic limits the emulator enforces (codes 600–607).
const (
	// MaxMediaBlocks is the number of media blocks a topic may hold (600).
	MaxMediaBlocks = 20
	// MaxTextLength is the length in characters of a text block (601).
	MaxTextLength = 10000
	// MaxPollQuestion is the length of a poll question (602).
	MaxPollQuestion = 255
	// MaxPollAnswers is the number of poll answers (603).
	MaxPollAnswers = 10
	// MaxPollAnswerText is the length of a poll answer (604).
	MaxPollAnswerText = 100
)

// errorNames are the texts OK puts in error_msg ("NAME : detail").
var errorNames = map[int]string{
	CodeUnknown: "UNKNOWN", CodeService: "SERVICE", CodeMethod: "METHOD", CodeRequest: "REQUEST",
	CodeFloodBlocked: "FLOOD_BLOCKED", CodePermissionDenied: "PERMISSION_DENIED", CodeLimitReached: "LIMIT_REACHED",
	CodeNotMultipart: "NOT_MULTIPART", CodeParam: "PARAM", CodeParamAPIKey: "PARAM_API_KEY",
	CodeParamSessionExpired: "PARAM_SESSION_EXPIRED", CodeParamSessionKey: "PARAM_SESSION_KEY",
	CodeParamSignature: "PARAM_SIGNATURE", CodeParamGroupID: "PARAM_GROUP_ID", CodeParamPermission: "PARAM_PERMISSION",
	CodeNotFound: "NOT_FOUND", CodeSessionRequired: "SESSION_REQUIRED",
	CodeMediaTopicBlockLimit: "MEDIA_TOPIC_BLOCK_LIMIT", CodeMediaTopicTextLimit: "MEDIA_TOPIC_TEXT_LIMIT",
	CodeMediaTopicPollQLimit: "MEDIA_TOPIC_POLL_QUESTION_TEXT_LIMIT", CodeMediaTopicPollALimit: "MEDIA_TOPIC_POLL_ANSWERS_LIMIT",
	CodeMediaTopicPollATLimit: "MEDIA_TOPIC_POLL_ANSWER_TEXT_LIMIT", CodeMediaTopicLinkFormat: "MEDIA_TOPIC_LINK_BAD_FORMAT",
	CodeSystem: "SYSTEM",
}

// apiError is an OK error answer.
type apiError struct {
	Code int
	Msg  string
	Data any
}

func errf(code int, detail string) *apiError {
	msg := errorNames[code]
	if msg == "" {
		msg = "UNKNOWN"
	}
	if detail != "" {
		msg += " : " + detail
	}
	return &apiError{Code: code, Msg: msg}
}

// writeError writes OK's error answer: HTTP 200, the invocation-error
// header and {"error_code","error_msg","error_data"}.
func writeError(w http.ResponseWriter, e *apiError) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=utf-8")
	h.Set("invocation-error", strconv.Itoa(e.Code))
	body, _ := json.Marshal(struct {
		Code int    `json:"error_code"`
		Msg  string `json:"error_msg"`
		Data any    `json:"error_data"`
	}{e.Code, e.Msg, e.Data})
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func writeResult(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, errf(CodeSystem, ""))
		return
	}
	_, _ = w.Write(body)
}
