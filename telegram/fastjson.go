package telegram

import (
	"strconv"
	"unicode/utf8"
)

// fastJSON is a request that can append its JSON encoding without
// reflection. appendJSON returns ok=false when the request has fields it
// leaves to encoding/json; when ok, the bytes equal json.Marshal's.
type fastJSON interface {
	appendJSON(b []byte) ([]byte, bool)
}

// appendJSON encodes the common sendMessage (chat, text and scalar
// options) directly: encoding/json calls ChatID.MarshalJSON through
// reflection and then re-scans its output, which costs more than the rest
// of the request.
func (r *SendMessageRequest) appendJSON(b []byte) ([]byte, bool) {
	if r == nil || r.Entities != nil || r.LinkPreviewOptions != nil || r.ReplyParameters != nil || r.ReplyMarkup != nil {
		return b, false
	}
	if b == nil {
		// Escapes aside, the exact size: one allocation.
		b = make([]byte, 0, 96+len(r.ChatID.username)+len(r.Text)+len(r.ParseMode))
	}
	b = append(b, `{"chat_id":`...)
	if r.ChatID.username != "" {
		b = appendJSONString(b, r.ChatID.username)
	} else {
		b = strconv.AppendInt(b, r.ChatID.id, 10)
	}
	if r.MessageThreadID != 0 {
		b = append(b, `,"message_thread_id":`...)
		b = strconv.AppendInt(b, r.MessageThreadID, 10)
	}
	b = append(b, `,"text":`...)
	b = appendJSONString(b, r.Text)
	if r.ParseMode != "" {
		b = append(b, `,"parse_mode":`...)
		b = appendJSONString(b, string(r.ParseMode))
	}
	if r.DisableNotification {
		b = append(b, `,"disable_notification":true`...)
	}
	if r.ProtectContent {
		b = append(b, `,"protect_content":true`...)
	}
	return append(b, '}'), true
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string exactly as encoding/json
// writes it: HTML-safe (<, > and & escaped), invalid UTF-8 replaced by
// U+FFFD, U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
