package world

import (
	"fmt"
	"strconv"
	"strings"
)

// splitmix64 is a tiny deterministic mixer used to derive identifiers from a
// seed without any shared random state.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// digits returns n pseudo-random decimal digits derived from seed and salt.
func digits(seed int64, salt uint64, n int) []int {
	out := make([]int, n)
	x := uint64(seed) ^ salt
	for i := range out {
		x = splitmix64(x)
		out[i] = int(x % 10)
	}
	return out
}

func joinDigits(d []int) string {
	var b strings.Builder
	for _, v := range d {
		b.WriteByte(byte('0' + v))
	}
	return b.String()
}

func allDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NewOGRN returns a valid 13-digit OGRN (state registration number of a legal
// entity) derived deterministically from seed. The first digit is 1, the next
// two are a year, then a two-digit region; the last digit is the check digit
// int(d[0:12]) % 11 % 10.
func NewOGRN(seed int64) string {
	d := digits(seed, 0x0627, 12)
	d[0] = 1
	d[1], d[2] = 0, 2+d[2]%3 // 2002..2049-ish registration year
	s := joinDigits(d)
	n, _ := strconv.ParseInt(s, 10, 64)
	return s + strconv.FormatInt(n%11%10, 10)
}

// ValidOGRN reports whether s is a 13-digit OGRN with a correct check digit.
func ValidOGRN(s string) bool {
	if !allDigits(s, 13) {
		return false
	}
	n, err := strconv.ParseInt(s[:12], 10, 64)
	if err != nil {
		return false
	}
	return int64(s[12]-'0') == n%11%10
}

var (
	inn10w  = []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12w1 = []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12w2 = []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
)

func weighted(d []int, w []int) int {
	s := 0
	for i, k := range w {
		s += d[i] * k
	}
	return s % 11 % 10
}

func strDigits(s string) []int {
	d := make([]int, len(s))
	for i := range s {
		d[i] = int(s[i] - '0')
	}
	return d
}

// NewLegalINN returns a valid 10-digit INN of a legal entity derived from seed.
func NewLegalINN(seed int64) string {
	d := digits(seed, 0x1010, 10)
	if d[0] == 0 {
		d[0] = 7
	}
	d[9] = weighted(d, inn10w)
	return joinDigits(d)
}

// NewPersonINN returns a valid 12-digit INN of a natural person derived from
// seed.
func NewPersonINN(seed int64) string {
	d := digits(seed, 0x1212, 12)
	if d[0] == 0 {
		d[0] = 5
	}
	d[10] = weighted(d, inn12w1)
	d[11] = weighted(d, inn12w2)
	return joinDigits(d)
}

// ValidINN reports whether s is a valid 10-digit (legal entity) or 12-digit
// (person) INN.
func ValidINN(s string) bool {
	switch {
	case allDigits(s, 10):
		d := strDigits(s)
		return d[9] == weighted(d, inn10w)
	case allDigits(s, 12):
		d := strDigits(s)
		return d[10] == weighted(d, inn12w1) && d[11] == weighted(d, inn12w2)
	}
	return false
}

// snilsCheck computes the two SNILS check digits of the first nine digits.
func snilsCheck(d []int) int {
	s := 0
	for i := 0; i < 9; i++ {
		s += d[i] * (9 - i)
	}
	switch {
	case s < 100:
		return s
	case s == 100 || s == 101:
		return 0
	default:
		s %= 101
		if s == 100 {
			return 0
		}
		return s
	}
}

// NewSNILS returns a valid SNILS (personal insurance number) derived from
// seed, formatted as "000-000-000 00". Generated numbers are always above
// 001-001-998, so they carry a real check number.
func NewSNILS(seed int64) string {
	d := digits(seed, 0x5115, 9)
	if d[0] == 0 {
		d[0] = 1
	}
	c := snilsCheck(d)
	s := joinDigits(d)
	return fmt.Sprintf("%s-%s-%s %02d", s[0:3], s[3:6], s[6:9], c)
}

// NormalizeSNILS strips the separators of a SNILS and returns its 11 digits,
// or "" when s is not an 11-digit SNILS in either the formatted or the bare
// form.
func NormalizeSNILS(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '-' || c == ' ':
		default:
			return ""
		}
	}
	if b.Len() != 11 {
		return ""
	}
	return b.String()
}

// ValidSNILS reports whether s (formatted "000-000-600 06" or 11 bare digits)
// is a valid SNILS. Numbers up to 001-001-998 carry no check number and are
// accepted as they are, like ESIA's test user 000-000-600 06.
func ValidSNILS(s string) bool {
	n := NormalizeSNILS(s)
	if n == "" {
		return false
	}
	d := strDigits(n)
	body, _ := strconv.Atoi(n[:9])
	if body <= 1001998 {
		return true
	}
	return snilsCheck(d) == d[9]*10+d[10]
}

// FormatSNILS formats an 11-digit SNILS as "000-000-000 00"; other input is
// returned unchanged.
func FormatSNILS(s string) string {
	n := NormalizeSNILS(s)
	if n == "" {
		return s
	}
	return n[0:3] + "-" + n[3:6] + "-" + n[6:9] + " " + n[9:11]
}

// NormalizePhone reduces a Russian phone number in any common spelling
// ("+7(900)1234567", "+7 900 123-45-67", "89001234567") to its ten national
// digits, or "" when it is not one.
func NormalizePhone(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	d := b.String()
	switch {
	case len(d) == 11 && (d[0] == '7' || d[0] == '8'):
		return d[1:]
	case len(d) == 10:
		return d
	}
	return ""
}

// FormatPhone formats a phone number in the ESIA style "+7(900)1234567";
// input that is not a Russian number is returned unchanged.
func FormatPhone(s string) string {
	d := NormalizePhone(s)
	if d == "" {
		return s
	}
	return "+7(" + d[:3] + ")" + d[3:]
}
