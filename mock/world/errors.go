package world

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors returned (wrapped) by [World] methods.
var (
	// ErrNotFound reports an unknown id or login.
	ErrNotFound = errors.New("world: not found")
	// ErrDuplicate reports an id (or login, token, username) already used.
	ErrDuplicate = errors.New("world: duplicate")
	// ErrInvalid reports an entity that fails validation.
	ErrInvalid = errors.New("world: invalid")
)

// FieldError is a validation error that names the offending field by its
// path in the scenario JSON ("people[1].snils",
// "telegram.bots[0].token") and says why it was refused. It matches
// [ErrInvalid], [ErrDuplicate] or [ErrNotFound] under [errors.Is]. Its
// text never contains the field's value, so secrets stay out of it.
type FieldError struct {
	// Path is the JSON path of the field; empty for the entity itself.
	Path string
	// Reason says what is wrong.
	Reason string
	// Kind is ErrInvalid, ErrDuplicate or ErrNotFound.
	Kind error
}

// Error returns "path: reason".
func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Reason
	}
	return e.Path + ": " + e.Reason
}

// Unwrap returns the error's kind.
func (e *FieldError) Unwrap() error { return e.Kind }

// Fieldf returns a [*FieldError] of a kind ([ErrInvalid], [ErrDuplicate]
// or [ErrNotFound]) for the field at path.
func Fieldf(kind error, path, format string, args ...any) error {
	return &FieldError{Path: path, Reason: fmt.Sprintf(format, args...), Kind: kind}
}

// InField prefixes the path of a [*FieldError] with prefix (a section name,
// or "people[3]"); other errors are returned as a FieldError of kind
// ErrInvalid at prefix. A nil err stays nil.
func InField(prefix string, err error) error {
	if err == nil {
		return nil
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		return &FieldError{Path: joinPath(prefix, fe.Path), Reason: fe.Reason, Kind: fe.Kind}
	}
	kind := ErrInvalid
	for _, k := range []error{ErrDuplicate, ErrNotFound} {
		if errors.Is(err, k) {
			kind = k
		}
	}
	return &FieldError{Path: prefix, Reason: err.Error(), Kind: kind}
}

// Index returns the path of element i of the list at path ("bots[2]").
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func joinPath(prefix, path string) string {
	switch {
	case prefix == "":
		return path
	case path == "":
		return prefix
	case path[0] == '[':
		return prefix + path
	}
	return prefix + "." + path
}
