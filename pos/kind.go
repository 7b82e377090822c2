package pos

import (
	"slices"

	"github.com/gospubliki/gosdk/esia"
)

// BodyKind is how POS sees a body that owns an official page: it decides
// which polls form the page carries.
type BodyKind uint8

// Body kinds.
const (
	// KindUnknown is the zero BodyKind.
	KindUnknown BodyKind = iota
	// KindRegional is a regional executive body (РОИВ, [esia.AgencyRegional]);
	// its polls form is the region's (reg_code, utm_source=vk1).
	KindRegional
	// KindMunicipal is a local self-government body (ОМСУ,
	// [esia.AgencyLocal]); its polls form is its municipality's (mun_code,
	// utm_source=vk2).
	KindMunicipal
	// KindSubordinate is any other organisation: a subordinate organisation
	// of a regional or municipal body; its polls form is its municipality's
	// (mun_code, utm_source=vk2).
	KindSubordinate
)

// String returns "regional", "municipal", "subordinate" or "unknown".
func (k BodyKind) String() string {
	switch k {
	case KindRegional:
		return "regional"
	case KindMunicipal:
		return "municipal"
	case KindSubordinate:
		return "subordinate"
	}
	return "unknown"
}

// UTMSource returns the utm_source of the body's polls form: "vk1" for a
// regional body, "vk2" otherwise ("" for KindUnknown).
func (k BodyKind) UTMSource() string {
	switch k {
	case KindRegional:
		return utmRegional
	case KindMunicipal, KindSubordinate:
		return utmMunicipal
	}
	return ""
}

// Classify returns how POS sees a body of ESIA agency type t: a regional
// body ([esia.AgencyRegional]) is KindRegional, a local self-government body
// ([esia.AgencyLocal]) KindMunicipal, and every other organisation
// KindSubordinate. An empty t gives KindUnknown.
func Classify(t esia.AgencyType) BodyKind {
	switch t {
	case "":
		return KindUnknown
	case esia.AgencyRegional:
		return KindRegional
	case esia.AgencyLocal:
		return KindMunicipal
	}
	return KindSubordinate
}

// SubordinateOfMunicipal reports whether a local self-government body is
// among superiors, the agency types of an organisation's parent chain
// (nearest first): the organisation is then subordinate to a municipal body.
// It is derived from the chain, as the sandbox world derives it.
func SubordinateOfMunicipal(superiors []esia.AgencyType) bool {
	return slices.Contains(superiors, esia.AgencyLocal)
}
