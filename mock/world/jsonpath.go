package world

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
)

// DecodeError turns an encoding/json error met while decoding raw into a
// [*FieldError] of kind [ErrInvalid] naming the JSON path of the offending
// value ("bots[1].id: must be int64, not a JSON string"). A type error and
// a syntax error are located by their offset; an unknown field by the first
// object key of that name. Other errors (and nil) are returned unchanged.
// The reason never quotes a value, only field names and JSON types.
func DecodeError(raw []byte, err error) error {
	if err == nil {
		return nil
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		return err
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		want := "another type"
		if te.Type != nil {
			want = te.Type.String()
		}
		return Fieldf(ErrInvalid, jsonPathAt(raw, te.Offset), "must be %s, not a JSON %s", want, te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return Fieldf(ErrInvalid, jsonPathAt(raw, se.Offset), "malformed JSON: %s", se.Error())
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if key, err := strconv.Unquote(name); err == nil {
			return Fieldf(ErrInvalid, jsonKeyPath(raw, key), "unknown field %q", key)
		}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return Fieldf(ErrInvalid, "", "malformed JSON: unexpected EOF")
	}
	return err
}

// jsonFrame is one open object or array while walking a document.
type jsonFrame struct {
	path  string
	array bool
	index int
	key   string
}

// jsonWalk visits every value of raw in document order with its path and
// the input offset just after the value's first token; visit returns
// false to stop.
func jsonWalk(raw []byte, visit func(path string, key string, end int64) bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var stack []jsonFrame
	expectKey := false
	valuePath := func() string {
		if len(stack) == 0 {
			return ""
		}
		top := &stack[len(stack)-1]
		if top.array {
			return Index(top.path, top.index)
		}
		return joinPath(top.path, top.key)
	}
	afterValue := func() {
		if len(stack) == 0 {
			return
		}
		top := &stack[len(stack)-1]
		if top.array {
			top.index++
		} else {
			expectKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				p := valuePath()
				if !visit(p, "", dec.InputOffset()) {
					return
				}
				stack = append(stack, jsonFrame{path: p, array: d == '['})
				expectKey = d == '{'
			default:
				stack = stack[:len(stack)-1]
				afterValue()
			}
			continue
		}
		if expectKey {
			key, _ := tok.(string)
			stack[len(stack)-1].key = key
			expectKey = false
			if !visit(joinPath(stack[len(stack)-1].path, key), key, -1) {
				return
			}
			continue
		}
		if !visit(valuePath(), "", dec.InputOffset()) {
			return
		}
		afterValue()
	}
}

// jsonPathAt returns the path of the first value of raw that ends at or
// after offset (where encoding/json reports an error), or "".
func jsonPathAt(raw []byte, offset int64) string {
	found := ""
	jsonWalk(raw, func(path, key string, end int64) bool {
		if end >= 0 && end >= offset {
			found = path
			return false
		}
		return true
	})
	return found
}

// jsonKeyPath returns the path of the first object member named key, or
// "".
func jsonKeyPath(raw []byte, key string) string {
	found := ""
	jsonWalk(raw, func(path, k string, _ int64) bool {
		if k == key {
			found = path
			return false
		}
		return true
	})
	return found
}
