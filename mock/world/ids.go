package world

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/identifiers"
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
// ([identifiers.OGRNCheckDigit]).
func NewOGRN(seed int64) string {
	d := digits(seed, 0x0627, 12)
	d[0] = 1
	d[1], d[2] = 0, 2+d[2]%3 // 2002..2049-ish registration year
	s := joinDigits(d)
	return s + strconv.Itoa(identifiers.OGRNCheckDigit(s))
}

// ValidOGRN reports whether s is a 13-digit OGRN with a correct check digit
// ([identifiers.ValidateOGRN] says which rule fails).
func ValidOGRN(s string) bool { return identifiers.KindOGRN.Valid(s) }

// NewLegalINN returns a valid 10-digit INN of a legal entity derived from seed.
func NewLegalINN(seed int64) string {
	d := digits(seed, 0x1010, 9)
	if d[0] == 0 {
		d[0] = 7
	}
	s := joinDigits(d)
	return s + strconv.Itoa(identifiers.LegalINNCheckDigit(s))
}

// NewPersonINN returns a valid 12-digit INN of a natural person derived from
// seed.
func NewPersonINN(seed int64) string {
	d := digits(seed, 0x1212, 10)
	if d[0] == 0 {
		d[0] = 5
	}
	s := joinDigits(d)
	d11, d12 := identifiers.PersonINNCheckDigits(s)
	return s + strconv.Itoa(d11) + strconv.Itoa(d12)
}

// ValidINN reports whether s is a valid 10-digit (legal entity) or 12-digit
// (person) INN ([identifiers.ValidateINN] says which rule fails).
func ValidINN(s string) bool { return identifiers.KindINN.Valid(s) }

// NewSNILS returns a valid SNILS (personal insurance number) derived from
// seed, formatted as "000-000-000 00". Generated numbers are always above
// 001-001-998, so they carry a real check number
// ([identifiers.SNILSCheckNumber]).
func NewSNILS(seed int64) string {
	d := digits(seed, 0x5115, 9)
	if d[0] == 0 {
		d[0] = 1
	}
	s := joinDigits(d)
	return fmt.Sprintf("%s-%s-%s %02d", s[0:3], s[3:6], s[6:9], identifiers.SNILSCheckNumber(s))
}

// NormalizeSNILS strips the separators of a SNILS and returns its 11 digits,
// or "" when s is not an 11-digit SNILS in either the formatted or the bare
// form. It is lenient about separators (any '-' or ' ') and does not check
// the check number: it makes login lookups match however the number was
// typed. [identifiers.NormalizeSNILS] is the strict form.
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
// accepted as they are, like ESIA's test user 000-000-600 06
// ([identifiers.ValidateSNILS] says which rule fails).
func ValidSNILS(s string) bool { return identifiers.KindSNILS.Valid(s) }

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
