package esia

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func TestCodeFromDescription(t *testing.T) {
	for in, want := range map[string]Code{
		"ESIA-007053: OAuthErrorEnum.clientSecretWrong": "ESIA-007053",
		"ESIA-007014":  "ESIA-007014",
		"ESIA-0070145": "",
		"ESIA-00705":   "",
		"esia-007053":  "",
		"ESIA-00A053:": "",
		"":             "",
	} {
		if got := codeFromDescription(in); got != want {
			t.Errorf("codeFromDescription(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseErrorBody(t *testing.T) {
	e := parseErrorBody("esia.op", 400, []byte(`{"error":"invalid_request","error_description":"ESIA-007014: The request doesn`+"`"+`t contain the mandatory parameter [state, client_id].","state":"s"}`))
	if e.Code != CodeMissingParam || e.OAuth != "invalid_request" || e.State != "s" || e.Status != 400 {
		t.Fatalf("%+v", e)
	}
	want := "esia: esia.op: ESIA-007014: The request doesn`t contain the mandatory parameter [state, client_id]. (invalid_request, HTTP 400)"
	if e.Error() != want {
		t.Fatalf("Error() = %q", e.Error())
	}
	for body, code := range map[string]Code{
		`{"code":"ESIA-005011","message":"SecurityErrorEnum.invalidToken"}`:    CodeInvalidToken,
		`{"code":"ESIA-005013","message":"SecurityErrorEnum.expiredToken"}`:    CodeExpiredToken,
		`{"code":"ESIA-005029","message":"SecurityErrorEnum.scopeNotAllowed"}`: CodeScopeNotAllowed,
		`{"code":"005029","message":"x"}`:                                      CodeScopeNotAllowed,
	} {
		e := parseErrorBody("esia.rest", 403, []byte(body))
		if e.Code != code || e.OAuth != "" {
			t.Errorf("%s: %+v", body, e)
		}
	}
	sentinels := map[Code]error{CodeInvalidToken: ErrInvalidToken, CodeExpiredToken: ErrTokenExpired, CodeScopeNotAllowed: ErrScopeNotAllowed}
	for code, s := range sentinels {
		if !errors.Is(&Error{Code: code}, s) {
			t.Errorf("%s does not match %v", code, s)
		}
	}
	secret := "client_secret=AAAA-SECRET"
	e = parseErrorBody("esia.op", 502, []byte("<html>"+secret+"</html>"))
	if strings.Contains(e.Error(), "SECRET") || e.Status != 502 || e.Description != http.StatusText(http.StatusBadGateway) {
		t.Fatalf("%+v", e)
	}
	for _, tc := range []struct {
		e    Error
		want string
	}{
		{Error{Code: CodeInvalidToken, Description: "SecurityErrorEnum.invalidToken", Status: 401, Operation: "esia.person"},
			"esia: esia.person: ESIA-005011: SecurityErrorEnum.invalidToken (HTTP 401)"},
		{Error{OAuth: "access_denied"}, "esia: access_denied"},
		{Error{}, "esia: error"},
		{Error{Code: CodeWrongTime}, "esia: ESIA-007015"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	if !errors.Is(&Error{Status: 404}, ErrNotFound) || errors.Is(&Error{Status: 400}, ErrNotFound) {
		t.Fatal("ErrNotFound")
	}
	if errors.Is(&Error{Code: "X"}, &Error{}) {
		t.Fatal("an empty *Error target matches nothing")
	}
	long := parseErrorBody("op", 400, []byte(`{"error":"x","error_description":"`+strings.Repeat("я", 600)+`"}`))
	if len(long.Description) > maxErrorText+len("…") {
		t.Fatalf("description not bounded: %d", len(long.Description))
	}
}

func TestScrubRemovesTokenSegments(t *testing.T) {
	tok := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.SignaturePart0123456789"
	e := (&Error{Description: "token SignaturePart0123456789 rejected; full " + tok + "; short a.b"}).scrub(tok, "a.b")
	if strings.Contains(e.Description, "SignaturePart") || strings.Contains(e.Description, "eyJ") {
		t.Fatalf("not scrubbed: %q", e.Description)
	}
	if !strings.Contains(e.Description, "short a.b") {
		t.Fatalf("short segments must stay: %q", e.Description)
	}
}
