package vkmock

import "strconv"

// apiError is VK's error object.
type apiError struct {
	Code          int     `json:"error_code"`
	Subcode       int     `json:"error_subcode,omitempty"`
	Msg           string  `json:"error_msg"`
	RequestParams []param `json:"request_params"`
	CaptchaSID    string  `json:"captcha_sid,omitempty"`
	CaptchaImg    string  `json:"captcha_img,omitempty"`
	RedirectURI   string  `json:"redirect_uri,omitempty"`
}

// messages are VK's error_msg texts by code.
var messages = map[int]string{
	1:    "Unknown error occurred",
	3:    "Unknown method passed",
	5:    "User authorization failed",
	6:    "Too many requests per second",
	7:    "Permission to perform this action is denied",
	8:    "Invalid request",
	9:    "Flood control",
	10:   "Internal server error",
	12:   "Unable to compile code",
	13:   "Runtime error occurred during code invocation",
	14:   "Captcha needed",
	15:   "Access denied",
	18:   "User was deleted or banned",
	27:   "Group authorization failed: method is unavailable with group auth.",
	28:   "Application authorization failed: method is unavailable with service token.",
	29:   "Rate limit reached",
	100:  "One of the parameters specified was missing or invalid",
	104:  "Not found",
	113:  "Invalid user id",
	121:  "Invalid hash",
	125:  "Invalid group id",
	129:  "Invalid photo",
	203:  "Access to group denied",
	210:  "Access to wall's post denied",
	214:  "Access to adding post denied",
	250:  "Access to poll denied",
	601:  "Permission denied. You have requested too many actions this day. Try later.",
	703:  "You need to enable 2FA for this action",
	901:  "Can't send messages for users without permission",
	914:  "Message is too long",
	704:  "User needs to enable 2FA for this action",
	1260: "Invalid screen name",
	2000: "Servers number limit is reached",
}

func errCode(code int) *apiError {
	m, ok := messages[code]
	if !ok {
		m = "Error " + strconv.Itoa(code)
	}
	return &apiError{Code: code, Msg: m}
}

func errMsg(code int, detail string) *apiError {
	e := errCode(code)
	e.Msg += ": " + detail
	return e
}

// errAuth is error 5 with VK's detail ("no access_token passed.",
// "invalid access_token (4).").
func errAuth(detail string) *apiError { return errMsg(5, detail) }

// errMissing is error 100 for a missing parameter, worded as VK does.
func errMissing(name string) *apiError { return errMsg(100, name+" is undefined") }

// errInvalid is error 100 for an invalid parameter.
func errInvalid(name, why string) *apiError { return errMsg(100, name+" "+why) }
