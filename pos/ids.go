package pos

import "github.com/gospubliki/gosdk/identifiers"

// ValidateOGRN checks a 13-digit OGRN with its check digit; it is
// [identifiers.ValidateOGRN]. It never allocates on success.
func ValidateOGRN(s string) error { return identifiers.ValidateOGRN(s) }

// ValidateRegionCode checks a region code as POS links carry it in
// utm_medium and reg_code: the two-digit OKATO region code of a federal
// subject, or one of the [AutonomousOkrugCodes]. It is
// [identifiers.ValidateOKATORegion]. It never allocates on success.
func ValidateRegionCode(s string) error { return identifiers.ValidateOKATORegion(s) }

// ValidateOKTMO checks an OKTMO code of 8 or 11 digits; it is
// [identifiers.ValidateOKTMO]. The polls form takes the first 8 digits
// (see [MunicipalCode]).
func ValidateOKTMO(s string) error { return identifiers.ValidateOKTMO(s) }

// RegionCode returns the region code of an OKATO code as POS links carry it:
// its first two digits, or the longer prefix of an autonomous okrug inside a
// region (see [AutonomousOkrugCodes]). It is [identifiers.OKATORegion] and
// returns a substring of okato without allocating.
func RegionCode(okato string) (string, error) { return identifiers.OKATORegion(okato) }

// AutonomousOkrugCodes are the region codes longer than two digits that POS
// accepts for the autonomous okrugs inside a region, by the OKATO prefix
// they are cut from: "111" Nenets (11100…), "711" Khanty-Mansi (71100…),
// "7114" Yamalo-Nenets (71140…).
var AutonomousOkrugCodes = [...]string{"111", "711", "7114"}

// MunicipalCode returns the municipality code the polls form takes
// (mun_code): the first 8 digits of a valid OKTMO of 8 or 11 digits. The
// result is a substring of oktmo.
func MunicipalCode(oktmo string) (string, error) {
	if err := identifiers.ValidateOKTMO(oktmo); err != nil {
		return "", err
	}
	return oktmo[:8], nil
}
