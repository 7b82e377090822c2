package gost_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/esia/gost"
)

func TestPrivateKeyNeverPrintsD(t *testing.T) {
	key, err := gost.GenerateKey(rand.Reader, gost.CurveTC26256A())
	require.NoError(t, err)
	secrets := []string{key.D.String(), key.D.Text(16), fmt.Sprintf("%x", key.D.Bytes()), fmt.Sprintf("%x", key.Bytes())}
	type holder struct {
		Key  *gost.PrivateKey
		Val  gost.PrivateKey
		Keys []*gost.PrivateKey
	}
	var outs []string
	for _, v := range []any{key, *key, holder{Key: key, Val: *key, Keys: []*gost.PrivateKey{key}}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%d", "%q"} {
			outs = append(outs, fmt.Sprintf(verb, v))
		}
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("k", "key", v)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("k", "key", v)
		outs = append(outs, text.String(), js.String())
		require.True(t, json.Valid(js.Bytes()), js.String())
	}
	for _, out := range outs {
		for _, s := range secrets {
			assert.NotContains(t, strings.ToLower(out), strings.ToLower(s))
		}
	}
	assert.Equal(t, "gost.PrivateKey{Curve: "+key.Curve.Name+", D: [REDACTED]}", fmt.Sprint(key))
	assert.Contains(t, outs[len(outs)-1], `"d":"[REDACTED]"`)
	assert.Equal(t, "gost.PrivateKey{Curve: <nil>, D: [REDACTED]}", fmt.Sprint(gost.PrivateKey{}))
}
