package identifiers

import "strconv"

// Kind names an identifier.
type Kind uint8

// Identifiers this package validates.
const (
	// KindOGRN is the 13-digit state registration number of a legal entity
	// (ОГРН).
	KindOGRN Kind = iota + 1
	// KindOGRNIP is the 15-digit state registration number of an
	// individual entrepreneur (ОГРНИП).
	KindOGRNIP
	// KindINN is a taxpayer number (ИНН) of either length: 10 digits for a
	// legal entity, 12 for a person.
	KindINN
	// KindLegalINN is the 10-digit INN of a legal entity.
	KindLegalINN
	// KindPersonINN is the 12-digit INN of a person or an individual
	// entrepreneur.
	KindPersonINN
	// KindKPP is the 9-character tax registration reason code (КПП).
	KindKPP
	// KindSNILS is the 11-digit personal insurance number (СНИЛС), bare or
	// formatted "000-000-000 00".
	KindSNILS
	// KindOKATORegion is the region code of OKATO (its first two digits, or
	// the 3-4 digit prefix of an autonomous okrug inside a region).
	KindOKATORegion
	// KindOKTMO is the municipal territory code (ОКТМО) of 8 or 11 digits.
	KindOKTMO
	// KindOKATO is a territory code of OKATO (ОКАТО): 2, 5, 8 or 11 digits,
	// the first of them the region code.
	KindOKATO
)

var kindNames = [...]string{
	KindOGRN:        "OGRN",
	KindOGRNIP:      "OGRNIP",
	KindINN:         "INN",
	KindLegalINN:    "INN",
	KindPersonINN:   "INN",
	KindKPP:         "KPP",
	KindSNILS:       "SNILS",
	KindOKATORegion: "OKATO region",
	KindOKTMO:       "OKTMO",
	KindOKATO:       "OKATO",
}

// String returns the identifier's name, e.g. "OGRN".
func (k Kind) String() string {
	if int(k) < len(kindNames) && k != 0 {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// lengths returns the valid input lengths of k, for messages.
func (k Kind) lengths() string {
	switch k {
	case KindOGRN:
		return "13"
	case KindOGRNIP:
		return "15"
	case KindINN:
		return "10 or 12"
	case KindLegalINN:
		return "10"
	case KindPersonINN:
		return "12"
	case KindKPP:
		return "9"
	case KindSNILS:
		return "11 (or 14 formatted)"
	case KindOKATORegion:
		return "2 to 4"
	case KindOKTMO:
		return "8 or 11"
	case KindOKATO:
		return "2, 5, 8 or 11"
	}
	return "?"
}

// Rule is a rule an identifier breaks. Rules are errors, so that
// errors.Is(err, identifiers.RuleCheckDigit) tells which rule an [*Error]
// reports.
type Rule uint8

// Rules.
const (
	// RuleLength: the input has a length the identifier never has.
	RuleLength Rule = iota + 1
	// RuleDigit: a character that must be a decimal digit is not.
	RuleDigit
	// RuleReasonCode: a character of the KPP reason code (positions 5 and
	// 6) is neither a digit nor an uppercase Latin letter.
	RuleReasonCode
	// RuleSeparator: a formatted SNILS has a wrong separator (it is
	// "000-000-000 00").
	RuleSeparator
	// RuleCheckDigit: the number is well formed but its check digit (or
	// SNILS check number) does not match its body.
	RuleCheckDigit
	// RuleRegion: the code is not an OKATO region code.
	RuleRegion
)

var ruleText = [...]string{
	RuleLength:     "wrong length",
	RuleDigit:      "not a digit",
	RuleReasonCode: "reason code character not a digit or an uppercase Latin letter",
	RuleSeparator:  "wrong separator",
	RuleCheckDigit: "bad check digit",
	RuleRegion:     "unknown region code",
}

// Error returns the rule's description, e.g. "bad check digit".
func (r Rule) Error() string {
	if int(r) < len(ruleText) && r != 0 {
		return ruleText[r]
	}
	return "Rule(" + strconv.Itoa(int(r)) + ")"
}

// Error says which rule an identifier broke and where. It never holds the
// input itself.
type Error struct {
	// Kind is the identifier that was checked.
	Kind Kind
	// Rule is the rule that failed; errors.Is(err, e.Rule) holds.
	Rule Rule
	// Pos is the byte index in the input where the rule failed: the
	// offending character, the (first) check digit, or the first character
	// of a region code. It is -1 for RuleLength.
	Pos int
	// Len is the length of the input in bytes.
	Len int
	// Want and Got are the expected and the found check digit (SNILS: the
	// two-digit check number) for RuleCheckDigit, the expected separator
	// byte and the found byte for RuleSeparator, and 0 otherwise.
	Want, Got int
}

// Error implements error: "identifiers: OGRN: bad check digit at index 12
// (want 1, got 7)". The input is never quoted.
func (e *Error) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "identifiers: "...)
	b = append(b, e.Kind.String()...)
	b = append(b, ": "...)
	b = append(b, e.Rule.Error()...)
	switch e.Rule {
	case RuleLength:
		b = append(b, " ("...)
		b = strconv.AppendInt(b, int64(e.Len), 10)
		b = append(b, ", want "...)
		b = append(b, e.Kind.lengths()...)
		b = append(b, ')')
	case RuleCheckDigit:
		b = append(b, " at index "...)
		b = strconv.AppendInt(b, int64(e.Pos), 10)
		b = append(b, " (want "...)
		b = appendCheck(b, e.Kind, e.Want)
		b = append(b, ", got "...)
		b = appendCheck(b, e.Kind, e.Got)
		b = append(b, ')')
	case RuleSeparator:
		b = append(b, " at index "...)
		b = strconv.AppendInt(b, int64(e.Pos), 10)
		b = append(b, " (want "...)
		b = strconv.AppendQuoteRune(b, rune(e.Want))
		b = append(b, ')')
	case RuleRegion:
	default:
		b = append(b, " at index "...)
		b = strconv.AppendInt(b, int64(e.Pos), 10)
	}
	return string(b)
}

func appendCheck(b []byte, k Kind, v int) []byte {
	if k == KindSNILS && v < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(v), 10)
}

// Unwrap returns e.Rule, so that errors.Is matches the rule.
func (e *Error) Unwrap() error { return e.Rule }

// err returns the *Error for a failed check, nil for a passed one.
func (e Error) err() error {
	if e.Rule == 0 {
		return nil
	}
	p := new(Error)
	*p = e
	return p
}

func lengthError(k Kind, n int) Error {
	return Error{Kind: k, Rule: RuleLength, Pos: -1, Len: n}
}
