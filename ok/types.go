package ok

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ID is an OK object id (a group, user, topic or photo id). OK writes ids
// as JSON strings or numbers; ID reads both and keeps the decimal text.
type ID string

// UnmarshalJSON reads a JSON string or number.
func (id *ID) UnmarshalJSON(b []byte) error {
	s, err := flexString(b)
	*id = ID(s)
	return err
}

// String returns the id's text.
func (id ID) String() string { return string(id) }

// flexString reads a JSON string, number or boolean as text (null gives
// "").
func flexString(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return "", nil
	}
	if b[0] == '"' {
		if simple(b) {
			return string(b[1 : len(b)-1]), nil
		}
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	}
	if digits(b) {
		return string(b), nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		return n.String(), nil
	}
	var v bool
	if err := json.Unmarshal(b, &v); err != nil {
		return "", err
	}
	return strconv.FormatBool(v), nil
}

// flexInt reads a JSON number or a string holding one (null and "" give
// 0).
type flexInt int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *flexInt) UnmarshalJSON(b []byte) error {
	s, err := flexString(b)
	if err != nil || s == "" {
		*n = 0
		return err
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = flexInt(i)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return err
	}
	*n = flexInt(f)
	return nil
}

// flexBool reads true/false, "true"/"false", 1/0 and "1"/"0"; set reports
// that the field was present and not null.
type flexBool struct{ set, v bool }

// UnmarshalJSON implements json.Unmarshaler.
// A value that is no boolean, number or string counts as absent.
func (f *flexBool) UnmarshalJSON(b []byte) error {
	s, err := flexString(b)
	if err != nil {
		*f = flexBool{}
		return nil
	}
	switch strings.ToLower(s) {
	case "":
		*f = flexBool{}
	case "true", "1", "yes":
		*f = flexBool{set: true, v: true}
	default:
		*f = flexBool{set: true}
	}
	return nil
}

func (f flexBool) ptr() *bool {
	if !f.set {
		return nil
	}
	v := f.v
	return &v
}

// flexStrings reads a JSON array of strings, a single string, or a
// comma-separated string.
type flexStrings []string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexStrings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		out := make([]string, 0, len(raw))
		for _, r := range raw {
			s, err := flexString(r)
			if err != nil {
				return err
			}
			if s != "" {
				out = append(out, s)
			}
		}
		*f = out
		return nil
	}
	s, err := flexString(b)
	if err != nil {
		return err
	}
	*f = nil
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*f = append(*f, p)
		}
	}
	return nil
}

// simple reports whether b is a JSON string without escapes or control
// characters, whose text is b without its quotes.
func simple(b []byte) bool {
	if len(b) < 2 || b[len(b)-1] != '"' {
		return false
	}
	for _, c := range b[1 : len(b)-1] {
		if c == '\\' || c == '"' || c < 0x20 {
			return false
		}
	}
	return utf8.Valid(b)
}

// digits reports whether b is a plain non-negative integer.
func digits(b []byte) bool {
	if len(b) == 0 || len(b) > 19 || (b[0] == '0' && len(b) > 1) {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// flexStr is a JSON string, number or boolean read as text, remembering
// whether it was present (and not null).
type flexStr struct {
	s   string
	set bool
}

// UnmarshalJSON implements json.Unmarshaler.
// A value of another type (an object, an array) counts as absent: a
// group's answer is read whatever OK puts in one field.
func (f *flexStr) UnmarshalJSON(b []byte) error {
	s, err := flexString(b)
	*f = flexStr{s: s, set: err == nil && string(bytes.TrimSpace(b)) != "null"}
	return nil
}

// flexPlace is a location given as text or as an object with a name.
type flexPlace struct {
	s   string
	set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexPlace) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var o struct {
			Name string `json:"name"`
			City string `json:"city"`
		}
		if json.Unmarshal(b, &o) != nil {
			*f = flexPlace{}
			return nil
		}
		*f = flexPlace{s: o.Name, set: true}
		if f.s == "" {
			f.s = o.City
		}
		return nil
	}
	s, err := flexString(b)
	*f = flexPlace{s: s, set: err == nil && string(b) != "null"}
	return nil
}

// lenientInt is a flexInt that reads anything else as absent.
type lenientInt struct {
	n   int64
	set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (l *lenientInt) UnmarshalJSON(b []byte) error {
	var n flexInt
	err := n.UnmarshalJSON(b)
	*l = lenientInt{n: int64(n), set: err == nil && string(bytes.TrimSpace(b)) != "null"}
	return nil
}
