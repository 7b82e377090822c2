package transport

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
)

// Redacted replaces every secret the core removes from logs and errors.
const Redacted = "REDACTED"

var (
	// /bot<token>/ in Telegram URLs (any token-like segment after "bot").
	reBotPath = regexp.MustCompile(`(/(?:file/)?bot)[^/\s?#"]+`)
	// key=value pairs in query strings and form bodies.
	reQuery = regexp.MustCompile(`(?i)\b((?:access_token|refresh_token|id_token|client_secret|code_verifier|password|passwd|secret_token|secret|secret_key|session_secret_key|sig|token|code|captcha_key|application_secret_key|session_key|success_token)=)[^&\s"']+`)
	// "key":"value" pairs in JSON.
	reJSON = regexp.MustCompile(`(?i)("(?:access_token|refresh_token|id_token|client_secret|password|secret_token|secret|secret_key|token|code_verifier|session_key|session_secret_key|success_token|application_secret_key)"\s*:\s*")[^"]*`)
	// Authorization: Bearer xxx.
	reBearer = regexp.MustCompile(`(?i)\b(Bearer\s+)[A-Za-z0-9._~+/=-]+`)
)

// Redact removes secrets from s: tokens in Telegram URL paths, secret query
// and form parameters, secret JSON fields and bearer tokens.
func Redact(s string) string {
	if s == "" {
		return s
	}
	s = reBotPath.ReplaceAllString(s, "${1}"+Redacted)
	s = reQuery.ReplaceAllString(s, "${1}"+Redacted)
	s = reJSON.ReplaceAllString(s, "${1}"+Redacted)
	s = reBearer.ReplaceAllString(s, "${1}"+Redacted)
	return s
}

// redactor removes both the generic patterns and the client's own secrets.
type redactor struct {
	secrets []string
}

func (r *redactor) redact(s string) string {
	for _, sec := range r.secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, Redacted)
			if esc := url.QueryEscape(sec); esc != sec {
				s = strings.ReplaceAll(s, esc, Redacted)
			}
			if esc := url.PathEscape(sec); esc != sec {
				s = strings.ReplaceAll(s, esc, Redacted)
			}
		}
	}
	return Redact(s)
}

// redactedError carries a redacted message while keeping the original error
// in the chain for errors.Is checks (context.Canceled, net errors). Its
// Unwrap exposes the original, so the original must itself be scrubbed;
// scrubError does that for *url.Error, which is where URLs hide.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// scrubError returns err with every secret removed from its message and from
// any *url.Error in its chain.
func (r *redactor) scrubError(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = r.redact(ue.URL)
	}
	return &redactedError{msg: r.redact(err.Error()), err: err}
}
