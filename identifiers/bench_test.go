package identifiers_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/identifiers"
)

// The baseline functions are the bool-only checks this package replaced
// (strconv parsing, digit slices, a strings.Builder for SNILS).

func baselineOGRN(s string) bool {
	if len(s) != 13 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	n, err := strconv.ParseInt(s[:12], 10, 64)
	if err != nil {
		return false
	}
	return int64(s[12]-'0') == n%11%10
}

func baselineINN(s string) bool {
	w1 := []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	w2 := []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	if len(s) != 12 {
		return false
	}
	d := make([]int, len(s))
	for i := range s {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		d[i] = int(s[i] - '0')
	}
	weighted := func(w []int) int {
		sum := 0
		for i, k := range w {
			sum += d[i] * k
		}
		return sum % 11 % 10
	}
	return d[10] == weighted(w1) && d[11] == weighted(w2)
}

func baselineSNILS(s string) bool {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '-' || c == ' ':
		default:
			return false
		}
	}
	n := b.String()
	if len(n) != 11 {
		return false
	}
	body, _ := strconv.Atoi(n[:9])
	if body <= 1001998 {
		return true
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(n[i]-'0') * (9 - i)
	}
	want := sum
	if sum >= 100 {
		want = sum % 101 % 100
	}
	got, _ := strconv.Atoi(n[9:])
	return want == got
}

var sink bool
var errSink error

func BenchmarkValidate(b *testing.B) {
	cases := []struct {
		name     string
		kind     identifiers.Kind
		in       string
		baseline func(string) bool
	}{
		{"OGRN/valid", identifiers.KindOGRN, "1047702026701", baselineOGRN},
		{"OGRN/invalid", identifiers.KindOGRN, "1047702026702", baselineOGRN},
		{"PersonINN/valid", identifiers.KindPersonINN, "585204118212", baselineINN},
		{"PersonINN/invalid", identifiers.KindPersonINN, "585204118213", baselineINN},
		{"SNILS/valid", identifiers.KindSNILS, "112-233-445 95", baselineSNILS},
		{"SNILS/invalid", identifiers.KindSNILS, "112-233-445 96", baselineSNILS},
		{"KPP/valid", identifiers.KindKPP, "7710AB001", nil},
		{"OKATORegion/valid", identifiers.KindOKATORegion, "45", nil},
		{"OKTMO/valid", identifiers.KindOKTMO, "11701000001", nil},
	}
	for _, c := range cases {
		b.Run(c.name+"/Check", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, sink = c.kind.Check(c.in)
			}
		})
		b.Run(c.name+"/Validate", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				errSink = c.kind.Validate(c.in)
			}
		})
		if c.baseline != nil {
			b.Run(c.name+"/baseline", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					sink = c.baseline(c.in)
				}
			})
		}
	}
}
