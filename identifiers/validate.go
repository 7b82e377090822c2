package identifiers

// Check validates s as an identifier of kind k and returns the failure as a
// value: ok is true and e is the zero Error when s is valid. It never
// allocates. An unknown kind reports RuleLength.
func (k Kind) Check(s string) (e Error, ok bool) {
	switch k {
	case KindOGRN:
		e = checkOGRN(s)
	case KindOGRNIP:
		e = checkOGRNIP(s)
	case KindINN:
		e = checkINN(s)
	case KindLegalINN:
		e = checkLegalINN(s)
	case KindPersonINN:
		e = checkPersonINN(s)
	case KindKPP:
		e = checkKPP(s)
	case KindSNILS:
		e = checkSNILS(s)
	case KindOKATORegion:
		e = checkOKATORegion(s)
	case KindOKTMO:
		e = checkOKTMO(s)
	case KindOKATO:
		_, e = okatoRegion(s)
	default:
		e = lengthError(k, len(s))
	}
	return e, e.Rule == 0
}

// Validate validates s as an identifier of kind k: nil, or an [*Error].
func (k Kind) Validate(s string) error {
	e, _ := k.Check(s)
	return e.err()
}

// Valid reports whether s is a valid identifier of kind k. It never
// allocates.
func (k Kind) Valid(s string) bool {
	_, ok := k.Check(s)
	return ok
}

// ValidateOGRN checks a 13-digit OGRN: every character a digit, and the
// last digit equal to the number of the first twelve modulo 11, modulo 10.
func ValidateOGRN(s string) error { return checkOGRN(s).err() }

// ValidateOGRNIP checks a 15-digit OGRNIP: every character a digit, and the
// last digit equal to the number of the first fourteen modulo 13, modulo
// 10.
func ValidateOGRNIP(s string) error { return checkOGRNIP(s).err() }

// ValidateINN checks an INN of a legal entity (10 digits) or of a person
// (12 digits) with its check digits.
func ValidateINN(s string) error { return checkINN(s).err() }

// ValidateLegalINN checks the 10-digit INN of a legal entity: the last
// digit is the weighted sum of the first nine (weights 2 4 10 3 5 9 4 6 8)
// modulo 11, modulo 10.
func ValidateLegalINN(s string) error { return checkLegalINN(s).err() }

// ValidatePersonINN checks the 12-digit INN of a person: digit 11 is the
// weighted sum of the first ten (weights 7 2 4 10 3 5 9 4 6 8), digit 12
// the weighted sum of the first eleven (weights 3 7 2 4 10 3 5 9 4 6 8),
// each modulo 11, modulo 10.
func ValidatePersonINN(s string) error { return checkPersonINN(s).err() }

// ValidateKPP checks a 9-character KPP: four digits (the tax office), a
// two-character reason code of digits or uppercase Latin letters (allowed
// since 2019), and three digits (a serial number). KPP has no check digit.
func ValidateKPP(s string) error { return checkKPP(s).err() }

// ValidateSNILS checks a SNILS given as 11 digits or formatted
// "000-000-000 00". Numbers up to 001-001-998 carry no check number and are
// valid as they are (ESIA's test user is 000-000-600 06); above it, the last
// two digits must equal the check number of the first nine (see
// [SNILSCheckNumber]).
func ValidateSNILS(s string) error { return checkSNILS(s).err() }

// ValidateOKATORegion checks an OKATO region code, as POS links carry it in
// utm_medium and reg_code: the first two digits of an OKATO code of a
// federal subject (e.g. "45" Moscow, "11" Arkhangelsk region), or the
// prefix of an autonomous okrug inside a region: "111" (Nenets), "711"
// (Khanty-Mansi) and "7114" (Yamalo-Nenets).
func ValidateOKATORegion(s string) error { return checkOKATORegion(s).err() }

// ValidateOKTMO checks an OKTMO code: 8 digits (a municipality) or 11 (a
// settlement). The classifier's control numbers are not part of the code,
// so only the form is checked.
func ValidateOKTMO(s string) error { return checkOKTMO(s).err() }

// firstNonDigit returns the index of the first byte of s that is not a
// decimal digit, or -1.
func firstNonDigit(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i]-'0' > 9 {
			return i
		}
	}
	return -1
}

// mod returns the decimal number s (at most 19 digits) modulo m.
func mod(s string, m uint64) uint64 {
	var n uint64
	for i := 0; i < len(s); i++ {
		n = n*10 + uint64(s[i]-'0')
	}
	return n % m
}

// digitsOnly checks length n and digits for kind k.
func digitsOnly(k Kind, s string, n int) Error {
	if len(s) != n {
		return lengthError(k, len(s))
	}
	if i := firstNonDigit(s); i >= 0 {
		return Error{Kind: k, Rule: RuleDigit, Pos: i, Len: len(s)}
	}
	return Error{}
}

func checkDigitError(k Kind, s string, pos, want int) Error {
	return Error{Kind: k, Rule: RuleCheckDigit, Pos: pos, Len: len(s), Want: want, Got: int(s[pos] - '0')}
}

func checkOGRN(s string) Error {
	if e := digitsOnly(KindOGRN, s, 13); e.Rule != 0 {
		return e
	}
	if want := int(mod(s[:12], 11) % 10); want != int(s[12]-'0') {
		return checkDigitError(KindOGRN, s, 12, want)
	}
	return Error{}
}

func checkOGRNIP(s string) Error {
	if e := digitsOnly(KindOGRNIP, s, 15); e.Rule != 0 {
		return e
	}
	if want := int(mod(s[:14], 13) % 10); want != int(s[14]-'0') {
		return checkDigitError(KindOGRNIP, s, 14, want)
	}
	return Error{}
}

var (
	innWeights10 = [9]uint8{2, 4, 10, 3, 5, 9, 4, 6, 8}
	innWeights11 = [10]uint8{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	innWeights12 = [11]uint8{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
)

// weighted returns Σ s[i]*w[i] % 11 % 10 over len(w) digits of s.
func weighted(s string, w []uint8) int {
	sum := 0
	for i, k := range w {
		sum += int(s[i]-'0') * int(k)
	}
	return sum % 11 % 10
}

func checkINN(s string) Error {
	switch len(s) {
	case 10:
		e := checkLegalINN(s)
		if e.Rule != 0 {
			e.Kind = KindINN
		}
		return e
	case 12:
		e := checkPersonINN(s)
		if e.Rule != 0 {
			e.Kind = KindINN
		}
		return e
	}
	return lengthError(KindINN, len(s))
}

func checkLegalINN(s string) Error {
	if e := digitsOnly(KindLegalINN, s, 10); e.Rule != 0 {
		return e
	}
	if want := weighted(s, innWeights10[:]); want != int(s[9]-'0') {
		return checkDigitError(KindLegalINN, s, 9, want)
	}
	return Error{}
}

func checkPersonINN(s string) Error {
	if e := digitsOnly(KindPersonINN, s, 12); e.Rule != 0 {
		return e
	}
	if want := weighted(s, innWeights11[:]); want != int(s[10]-'0') {
		return checkDigitError(KindPersonINN, s, 10, want)
	}
	if want := weighted(s, innWeights12[:]); want != int(s[11]-'0') {
		return checkDigitError(KindPersonINN, s, 11, want)
	}
	return Error{}
}

func checkKPP(s string) Error {
	if len(s) != 9 {
		return lengthError(KindKPP, len(s))
	}
	for i := 0; i < 9; i++ {
		c := s[i]
		if c-'0' <= 9 {
			continue
		}
		if (i == 4 || i == 5) && c >= 'A' && c <= 'Z' {
			continue
		}
		r := RuleDigit
		if i == 4 || i == 5 {
			r = RuleReasonCode
		}
		return Error{Kind: KindKPP, Rule: r, Pos: i, Len: 9}
	}
	return Error{}
}

// snilsUnchecked is the highest SNILS body without a check number
// (001-001-998).
const snilsUnchecked = 1001998

// snilsLayout is the formatted SNILS: 'd' marks a digit.
const snilsLayout = "ddd-ddd-ddd dd"

func checkSNILS(s string) Error {
	var d [11]byte
	switch len(s) {
	case 11:
		if i := firstNonDigit(s); i >= 0 {
			return Error{Kind: KindSNILS, Rule: RuleDigit, Pos: i, Len: 11}
		}
		copy(d[:], s)
	case len(snilsLayout):
		n := 0
		for i := 0; i < len(s); i++ {
			c, l := s[i], snilsLayout[i]
			if l != 'd' {
				if c != l {
					return Error{Kind: KindSNILS, Rule: RuleSeparator, Pos: i, Len: len(s), Want: int(l), Got: int(c)}
				}
				continue
			}
			if c-'0' > 9 {
				return Error{Kind: KindSNILS, Rule: RuleDigit, Pos: i, Len: len(s)}
			}
			d[n] = c
			n++
		}
	default:
		return lengthError(KindSNILS, len(s))
	}
	body := 0
	for _, c := range d[:9] {
		body = body*10 + int(c-'0')
	}
	if body <= snilsUnchecked {
		return Error{}
	}
	want := snilsCheck(d[:9])
	got := int(d[9]-'0')*10 + int(d[10]-'0')
	if want != got {
		return Error{Kind: KindSNILS, Rule: RuleCheckDigit, Pos: len(s) - 2, Len: len(s), Want: want, Got: got}
	}
	return Error{}
}

// snilsCheck computes the check number of nine ASCII digits.
func snilsCheck(d []byte) int {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(d[i]-'0') * (9 - i)
	}
	if sum < 100 {
		return sum
	}
	sum %= 101
	if sum == 100 {
		return 0
	}
	return sum
}

// okatoRegions has bit n set for every two-digit OKATO region code n.
var okatoRegions = func() (set [2]uint64) {
	for _, n := range []int{
		1, 3, 4, 5, 7, 8, 10, 11, 12, 14, 15, 17, 18, 19, 20, 22, 24, 25, 26, 27, 28, 29,
		30, 32, 33, 34, 35, 36, 37, 38, 40, 41, 42, 44, 45, 46, 47, 49, 50, 52, 53, 54,
		55, 56, 57, 58, 60, 61, 63, 64, 65, 66, 67, 68, 69, 70, 71, 73, 75, 76, 77, 78,
		79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99,
		// Regions added in 2022 (Donetsk, Zaporozhye, Lugansk, Kherson), as
		// public region lists give them.
		21, 23, 43, 74,
	} {
		set[n/64] |= 1 << (n % 64)
	}
	return set
}()

// IsOKATORegion reports whether n (0..99) is a two-digit OKATO region code.
func IsOKATORegion(n int) bool {
	return n >= 0 && n < 100 && okatoRegions[n/64]&(1<<(n%64)) != 0
}

func checkOKATORegion(s string) Error {
	if len(s) < 2 || len(s) > 4 {
		return lengthError(KindOKATORegion, len(s))
	}
	if i := firstNonDigit(s); i >= 0 {
		return Error{Kind: KindOKATORegion, Rule: RuleDigit, Pos: i, Len: len(s)}
	}
	switch len(s) {
	case 2:
		if IsOKATORegion(int(s[0]-'0')*10 + int(s[1]-'0')) {
			return Error{}
		}
	case 3:
		if s == "111" || s == "711" {
			return Error{}
		}
	case 4:
		if s == "7114" {
			return Error{}
		}
	}
	return Error{Kind: KindOKATORegion, Rule: RuleRegion, Pos: 0, Len: len(s)}
}

func checkOKTMO(s string) Error {
	switch len(s) {
	case 8, 11:
		return digitsOnly(KindOKTMO, s, len(s))
	}
	return lengthError(KindOKTMO, len(s))
}

// OKATORegion returns the region code of an OKATO code, as POS links carry it
// (utm_medium, reg_code): its first two digits, or for the three autonomous
// okrugs inside a region the longer prefix "111" (Nenets, 11100…), "711"
// (Khanty-Mansi, 71100…) or "7114" (Yamalo-Nenets, 71140…). The code must
// have 2, 5, 8 or 11 digits and a known region. The result is a substring
// of okato: no allocation.
func OKATORegion(okato string) (string, error) {
	region, e := okatoRegion(okato)
	if e.Rule != 0 {
		return "", e.err()
	}
	return region, nil
}

// ValidateOKATO checks an OKATO code: 2, 5, 8 or 11 digits, the first two a
// region code (see [OKATORegion]).
func ValidateOKATO(s string) error {
	_, e := okatoRegion(s)
	return e.err()
}

func okatoRegion(s string) (string, Error) {
	switch len(s) {
	case 2, 5, 8, 11:
	default:
		return "", lengthError(KindOKATO, len(s))
	}
	if i := firstNonDigit(s); i >= 0 {
		return "", Error{Kind: KindOKATO, Rule: RuleDigit, Pos: i, Len: len(s)}
	}
	if !IsOKATORegion(int(s[0]-'0')*10 + int(s[1]-'0')) {
		return "", Error{Kind: KindOKATO, Rule: RuleRegion, Pos: 0, Len: len(s)}
	}
	if len(s) >= 5 {
		switch {
		case s[:5] == "71140":
			return s[:4], Error{}
		case s[:5] == "11100" || s[:5] == "71100":
			return s[:3], Error{}
		}
	}
	return s[:2], Error{}
}
