package ok

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
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
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
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
func (f *flexBool) UnmarshalJSON(b []byte) error {
	s, err := flexString(b)
	if err != nil {
		return err
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
