package world_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/world"
)

type jpItem struct {
	ID   int64    `json:"id"`
	Tags []string `json:"tags"`
}

type jpDoc struct {
	Items []jpItem `json:"items"`
	Name  string   `json:"name"`
}

// TestDecodeErrorNamesThePath: type errors, unknown fields and syntax
// errors become FieldErrors at the offending value's JSON path, without
// quoting the value.
func TestDecodeErrorNamesThePath(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{"items":[{"id":1},{"id":"secret-value"}]}`, "items[1].id: must be int64, not a JSON string"},
		{`{"items":[{"id":1,"tags":["a",{"x":1}]}]}`, "items[0].tags[1]: must be string, not a JSON object"},
		{`{"items":[{"id":1},{"id":2,"bogus":true}]}`, "items[1].bogus: unknown field \"bogus\""},
		{`{"name":7}`, "name: must be string, not a JSON number"},
		{`{"items":{"id":1}}`, "items: must be []world_test.jpItem, not a JSON object"},
	} {
		dec := json.NewDecoder(strings.NewReader(tc.doc))
		dec.DisallowUnknownFields()
		var d jpDoc
		err := world.DecodeError([]byte(tc.doc), dec.Decode(&d))
		var fe *world.FieldError
		require.True(t, errors.As(err, &fe), "%s: %v", tc.doc, err)
		assert.Equal(t, tc.want, fe.Error(), tc.doc)
		assert.ErrorIs(t, err, world.ErrInvalid)
		assert.NotContains(t, err.Error(), "secret-value")
	}
	var d jpDoc
	err := world.DecodeError([]byte(`{"items":[{"id":1},`), json.Unmarshal([]byte(`{"items":[{"id":1},`), &d))
	assert.ErrorIs(t, err, world.ErrInvalid)
	assert.Nil(t, world.DecodeError(nil, nil))
	plain := errors.New("other")
	assert.Equal(t, plain, world.DecodeError(nil, plain))
}

// FuzzDecodeError: any document and any decoding error give an error,
// never a panic.
func FuzzDecodeError(f *testing.F) {
	f.Add(`{"items":[{"id":1},{"id":"x"}]}`)
	f.Add(`{"items":[{"id":1,"tags":["a",{"x":1}]}],"zz":1}`)
	f.Add(`[1,2,{"a":[{"b":"c"}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		dec := json.NewDecoder(strings.NewReader(doc))
		dec.DisallowUnknownFields()
		var d jpDoc
		err := dec.Decode(&d)
		out := world.DecodeError([]byte(doc), err)
		if (err == nil) != (out == nil) {
			t.Fatalf("nil-ness changed: %v -> %v", err, out)
		}
	})
}
