package gpmock

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzPlaceholders: the template parser never panics; an accepted text
// renders with a value for every placeholder, leaving no "{{" that was a
// placeholder, and a missing value is always refused.
func FuzzPlaceholders(f *testing.F) {
	f.Add("{{ улица }}: вода {{date}}")
	f.Add("{{")
	f.Add("}} {{a}}")
	f.Add("{{a b}} {{}} {{{{x}}}}")
	f.Fuzz(func(t *testing.T, text string) {
		names, err := placeholders(text)
		if err != nil {
			_, rerr := render(text, nil)
			require.Error(t, rerr)
			return
		}
		values := map[string]string{}
		for _, n := range names {
			require.True(t, validPlaceholder(n))
			values[n] = "<" + n + ">"
		}
		out, err := render(text, values)
		require.NoError(t, err)
		for _, n := range names {
			require.Contains(t, out, "<"+n+">")
		}
		if len(names) > 0 {
			delete(values, names[0])
			_, err = render(text, values)
			require.Error(t, err)
		}
		if !strings.Contains(text, "{{") {
			require.Equal(t, text, out)
		}
	})
}
