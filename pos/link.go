package pos

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/identifiers"
)

// DefaultBaseURL is the address of POS that links name.
const DefaultBaseURL = "https://pos.gosuslugi.ru"

const (
	appealPath   = "/form/"
	pollsPath    = "/og/org-activities"
	utmAppeal    = "vk"
	utmRegional  = "vk1"
	utmMunicipal = "vk2"
)

// Forms builds and parses POS links against one base URL. The zero Forms
// uses [DefaultBaseURL]; a sandbox sets BaseURL to its emulator.
type Forms struct {
	// BaseURL is the scheme and host of POS without a trailing slash, e.g.
	// "https://pos.gosuslugi.ru" or "http://127.0.0.1:8080".
	BaseURL string
}

func (f Forms) base() string {
	if f.BaseURL == "" {
		return DefaultBaseURL
	}
	return strings.TrimSuffix(f.BaseURL, "/")
}

// LinkKind is the form a link opens.
type LinkKind uint8

// Link kinds.
const (
	// LinkUnknown is the zero LinkKind: the path names no POS form.
	LinkUnknown LinkKind = iota
	// LinkAppeal is the appeal form (/form/?opaId=…, utm_source=vk).
	LinkAppeal
	// LinkRegionalPolls is the polls form of a region (reg_code,
	// utm_source=vk1), for a regional body.
	LinkRegionalPolls
	// LinkMunicipalPolls is the polls form of a municipality (mun_code,
	// utm_source=vk2), for a municipal body or a subordinate organisation.
	LinkMunicipalPolls
)

// String returns "appeal", "regional-polls", "municipal-polls" or "unknown".
func (k LinkKind) String() string {
	switch k {
	case LinkAppeal:
		return "appeal"
	case LinkRegionalPolls:
		return "regional-polls"
	case LinkMunicipalPolls:
		return "municipal-polls"
	}
	return "unknown"
}

// Link is a POS form link read back into its parts.
type Link struct {
	// Kind is the form the link opens.
	Kind LinkKind
	// OpaID is the LKO id of an appeal link (0 otherwise).
	OpaID int64
	// RegCode is reg_code of a regional polls link.
	RegCode string
	// MunCode is mun_code (8 digits of OKTMO) of a municipal polls link.
	MunCode string
	// UTMSource, UTMMedium (the region code) and UTMCampaign (the page
	// owner's OGRN) are the utm parameters.
	UTMSource, UTMMedium, UTMCampaign string
}

// String returns the link built from its parts against [DefaultBaseURL].
func (l Link) String() string { return Forms{}.Build(l) }

// Build returns the canonical text of l against the base URL.
func (f Forms) Build(l Link) string {
	var b []byte
	switch l.Kind {
	case LinkAppeal:
		b = append(b, f.base()...)
		b = append(b, appealPath+"?opaId="...)
		b = strconv.AppendInt(b, l.OpaID, 10)
	case LinkRegionalPolls:
		b = append(b, f.base()...)
		b = append(b, pollsPath+"?reg_code="...)
		b = append(b, l.RegCode...)
	case LinkMunicipalPolls:
		b = append(b, f.base()...)
		b = append(b, pollsPath+"?mun_code="...)
		b = append(b, l.MunCode...)
	default:
		return ""
	}
	b = append(b, "&utm_source="...)
	b = append(b, l.UTMSource...)
	b = append(b, "&utm_medium="...)
	b = append(b, l.UTMMedium...)
	b = append(b, "&utm_campaign="...)
	b = append(b, l.UTMCampaign...)
	return string(b)
}

// ErrInvalidParameter reports a builder parameter that is not what POS
// takes; the error wraps the [identifiers.Error] of the failed check where
// there is one.
var ErrInvalidParameter = errors.New("pos: invalid link parameter")

func paramError(name string, err error) error {
	if err == nil {
		return fmt.Errorf("%w: %s", ErrInvalidParameter, name)
	}
	return fmt.Errorf("%w: %s: %w", ErrInvalidParameter, name, err)
}

// AppendAppealLink appends the appeal form link to dst:
// BASE/form/?opaId=ID&utm_source=vk&utm_medium=REG&utm_campaign=OGRN.
// opaID is the LKO that receives the appeals (the page owner's, or that of
// the body above it when the owner is not connected), region the page
// owner's region code and ogrn the page owner's OGRN. It does not allocate
// when dst has room.
func (f Forms) AppendAppealLink(dst []byte, opaID int64, region, ogrn string) ([]byte, error) {
	if opaID <= 0 {
		return dst, paramError("opaId", nil)
	}
	if err := checkRegionOGRN(region, ogrn); err != nil {
		return dst, err
	}
	dst = append(dst, f.base()...)
	dst = append(dst, appealPath+"?opaId="...)
	dst = strconv.AppendInt(dst, opaID, 10)
	return appendUTM(dst, utmAppeal, region, ogrn), nil
}

// AppealLink returns the appeal form link (see [Forms.AppendAppealLink]).
func (f Forms) AppealLink(opaID int64, region, ogrn string) (string, error) {
	var buf [160]byte
	b, err := f.AppendAppealLink(buf[:0], opaID, region, ogrn)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// AppendRegionalPollsLink appends the polls form link of a regional body:
// BASE/og/org-activities?reg_code=REG&utm_source=vk1&utm_medium=REG&utm_campaign=OGRN.
func (f Forms) AppendRegionalPollsLink(dst []byte, region, ogrn string) ([]byte, error) {
	if err := checkRegionOGRN(region, ogrn); err != nil {
		return dst, err
	}
	dst = append(dst, f.base()...)
	dst = append(dst, pollsPath+"?reg_code="...)
	dst = append(dst, region...)
	return appendUTM(dst, utmRegional, region, ogrn), nil
}

// RegionalPollsLink returns the polls form link of a regional body (see
// [Forms.AppendRegionalPollsLink]).
func (f Forms) RegionalPollsLink(region, ogrn string) (string, error) {
	var buf [160]byte
	b, err := f.AppendRegionalPollsLink(buf[:0], region, ogrn)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// AppendMunicipalPollsLink appends the polls form link of a municipal body
// or a subordinate organisation:
// BASE/og/org-activities?mun_code=OKTMO8&utm_source=vk2&utm_medium=REG&utm_campaign=OGRN.
// oktmo is the municipality's OKTMO of 8 or 11 digits; the link carries its
// first 8.
func (f Forms) AppendMunicipalPollsLink(dst []byte, oktmo, region, ogrn string) ([]byte, error) {
	mun, err := MunicipalCode(oktmo)
	if err != nil {
		return dst, paramError("mun_code", err)
	}
	if err := checkRegionOGRN(region, ogrn); err != nil {
		return dst, err
	}
	dst = append(dst, f.base()...)
	dst = append(dst, pollsPath+"?mun_code="...)
	dst = append(dst, mun...)
	return appendUTM(dst, utmMunicipal, region, ogrn), nil
}

// MunicipalPollsLink returns the polls form link of a municipal body or a
// subordinate organisation (see [Forms.AppendMunicipalPollsLink]).
func (f Forms) MunicipalPollsLink(oktmo, region, ogrn string) (string, error) {
	var buf [160]byte
	b, err := f.AppendMunicipalPollsLink(buf[:0], oktmo, region, ogrn)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// PollsLink returns the polls form link of a body of kind k: the regional
// one for KindRegional (oktmo unused), the municipal one otherwise.
func (f Forms) PollsLink(k BodyKind, oktmo, region, ogrn string) (string, error) {
	switch k {
	case KindRegional:
		return f.RegionalPollsLink(region, ogrn)
	case KindMunicipal, KindSubordinate:
		return f.MunicipalPollsLink(oktmo, region, ogrn)
	}
	return "", paramError("body kind", nil)
}

func checkRegionOGRN(region, ogrn string) error {
	if err := identifiers.ValidateOKATORegion(region); err != nil {
		return paramError("utm_medium", err)
	}
	if err := identifiers.ValidateOGRN(ogrn); err != nil {
		return paramError("utm_campaign", err)
	}
	return nil
}

func appendUTM(dst []byte, source, region, ogrn string) []byte {
	dst = append(dst, "&utm_source="...)
	dst = append(dst, source...)
	dst = append(dst, "&utm_medium="...)
	dst = append(dst, region...)
	dst = append(dst, "&utm_campaign="...)
	dst = append(dst, ogrn...)
	return dst
}
