package identifiers

// OGRNCheckDigit returns the check digit (0-9) that completes body, the
// first 12 digits of an OGRN, or -1 when body is not 12 digits.
func OGRNCheckDigit(body string) int {
	if len(body) != 12 || firstNonDigit(body) >= 0 {
		return -1
	}
	return int(mod(body, 11) % 10)
}

// OGRNIPCheckDigit returns the check digit (0-9) that completes body, the
// first 14 digits of an OGRNIP, or -1 when body is not 14 digits.
func OGRNIPCheckDigit(body string) int {
	if len(body) != 14 || firstNonDigit(body) >= 0 {
		return -1
	}
	return int(mod(body, 13) % 10)
}

// LegalINNCheckDigit returns the check digit (0-9) that completes body, the
// first 9 digits of a legal entity's INN, or -1 when body is not 9 digits.
func LegalINNCheckDigit(body string) int {
	if len(body) != 9 || firstNonDigit(body) >= 0 {
		return -1
	}
	return weighted(body, innWeights10[:])
}

// PersonINNCheckDigits returns the two check digits (each 0-9) that
// complete body, the first 10 digits of a person's INN, or -1, -1 when body
// is not 10 digits.
func PersonINNCheckDigits(body string) (d11, d12 int) {
	if len(body) != 10 || firstNonDigit(body) >= 0 {
		return -1, -1
	}
	d11 = weighted(body, innWeights11[:])
	// The second weighted sum runs over body and d11.
	sum := 0
	for i := 0; i < 10; i++ {
		sum += int(body[i]-'0') * int(innWeights12[i])
	}
	sum += d11 * int(innWeights12[10])
	return d11, sum % 11 % 10
}

// SNILSCheckNumber returns the check number (0-99) of body, the first 9
// digits of a SNILS, or -1 when body is not 9 digits. The sum of each
// digit times its weight (9 for the first down to 1 for the ninth) is the
// check number below 100; 100 and 101 give 0; larger sums are taken
// modulo 101 (100 again giving 0). Numbers up to 001-001-998 are valid
// with any check number.
func SNILSCheckNumber(body string) int {
	if len(body) != 9 || firstNonDigit(body) >= 0 {
		return -1
	}
	var d [9]byte
	copy(d[:], body)
	return snilsCheck(d[:])
}

// NormalizeSNILS validates a SNILS and returns its 11 bare digits. A bare
// input is returned as it is, without allocating.
func NormalizeSNILS(s string) (string, error) {
	if e := checkSNILS(s); e.Rule != 0 {
		return "", e.err()
	}
	if len(s) == 11 {
		return s, nil
	}
	return s[0:3] + s[4:7] + s[8:11] + s[12:14], nil
}

// FormatSNILS validates a SNILS and returns it formatted as
// "000-000-000 00". A formatted input is returned as it is, without
// allocating.
func FormatSNILS(s string) (string, error) {
	if e := checkSNILS(s); e.Rule != 0 {
		return "", e.err()
	}
	if len(s) != 11 {
		return s, nil
	}
	var b [14]byte
	copy(b[0:3], s[0:3])
	b[3] = '-'
	copy(b[4:7], s[3:6])
	b[7] = '-'
	copy(b[8:11], s[6:9])
	b[11] = ' '
	copy(b[12:14], s[9:11])
	return string(b[:]), nil
}
