// Package identifiers validates the Russian registration numbers that
// organisations and people carry in ESIA, POS and the social networks'
// government-organisation checks: OGRN and OGRNIP (state registration
// numbers), INN (taxpayer number of a legal entity or a person), KPP (tax
// registration reason code), SNILS (personal insurance number), OKATO
// (territory code) and its region code as POS links carry it, and OKTMO
// (municipal territory code).
//
// Every validator returns nil or an [*Error] that names the identifier
// ([Kind]), the rule that failed ([Rule]) and where (the byte index in the
// input), plus the expected and found check digits when a checksum fails.
// Rules are sentinels for [errors.Is]:
//
//	if err := identifiers.ValidateOGRN(s); errors.Is(err, identifiers.RuleCheckDigit) {
//		// a typo: the number is well formed but its check digit is wrong
//	}
//
// Validation never allocates on success. [Kind.Check] returns the failure
// as a value and never allocates at all; the Validate functions allocate
// only the returned *Error. Error messages never repeat the input, which may
// be personal data (a SNILS or a person's INN).
//
// The check-digit functions ([OGRNCheckDigit], [LegalINNCheckDigit], ...)
// compute the control digits of a number's body, for generating test data.
//
// The package imports nothing of this module, so every layer may use it.
package identifiers
