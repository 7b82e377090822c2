package world

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// foldName must put two usernames in the same index slot exactly when
// strings.EqualFold (the comparison the world used before it had an index)
// says they are equal.
func TestFoldNameMatchesEqualFold(t *testing.T) {
	t.Parallel()
	pairs := [][2]string{
		{"minsvyaz29", "MinSvyaz29"}, {"k", "\u212a"}, {"s", "\u017f"}, {"Σ", "ς"}, {"σ", "ς"},
		{"ǅ", "ǆ"}, {"Ǆ", "ǆ"}, {"канал", "КАНАЛ"}, {"ё", "Ё"}, {"a", "b"}, {"ß", "ss"},
		{"\xff", "\xfe"}, {"\xff", "\ufffd"}, {"", ""}, {"chan1", "chan10"},
	}
	for _, p := range pairs {
		assert.Equal(t, strings.EqualFold(p[0], p[1]), foldName(p[0]) == foldName(p[1]), "%q %q", p[0], p[1])
	}
}

func FuzzFoldName(f *testing.F) {
	f.Add("minsvyaz29", "MINSVYAZ29")
	f.Add("k", "\u212a")
	f.Add("Σς", "σΣ")
	f.Add("\xff", "\ufffd")
	f.Fuzz(func(t *testing.T, a, b string) {
		if strings.EqualFold(a, b) != (foldName(a) == foldName(b)) {
			t.Fatalf("%q %q: EqualFold %v, foldName %q %q", a, b, strings.EqualFold(a, b), foldName(a), foldName(b))
		}
	})
}
