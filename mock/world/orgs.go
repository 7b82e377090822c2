package world

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// OrgType is the ESIA organisation type.
type OrgType string

// Organisation types.
const (
	OrgLegal    OrgType = "LEGAL"    // a legal entity
	OrgAgency   OrgType = "AGENCY"   // a state or municipal body
	OrgBusiness OrgType = "BUSINESS" // an individual entrepreneur
)

// Agency types (ESIA agencyType of an AGENCY organisation), exactly as ESIA
// writes them and as the esia package's constants spell them.
const (
	AgencyFederal      = "10.FED" // federal executive body
	AgencyRegional     = "11.REG" // regional executive body (РОИВ)
	AgencyLocal        = "12.LCL" // local self-government body (ОМСУ)
	AgencyProvider     = "13.PVD" // other provider of state services
	AgencyGovernment   = "20.GOV" // state institution, subordinate to a federal or regional body
	AgencyMunicipal    = "21.MCL" // municipal institution, subordinate to a local body
	AgencyFund         = "30.FND" // state extra-budgetary fund
	AgencyPensionFund  = "31.PFN" // pension fund
	AgencyMFC          = "40.MFC" // multifunctional centre (МФЦ)
	AgencyLegalServing = "41.LEG" // legal entity providing state services
)

// AgencyTypes returns every agency type ESIA knows, in code order.
func AgencyTypes() []string {
	return []string{AgencyFederal, AgencyRegional, AgencyLocal, AgencyProvider, AgencyGovernment,
		AgencyMunicipal, AgencyFund, AgencyPensionFund, AgencyMFC, AgencyLegalServing}
}

// Access-group names (ESIA groups of an employee) used by Gospubliki.
const (
	GroupCabinetInstitution = "ПОС. Госпаблики. Кабинет учреждения"
	GroupCabinetEditorial   = "ПОС. Госпаблики. Кабинет редакции"
	GroupLKOAdmin           = "ПОС. Администратор ЛКО"
)

// Organization is an ESIA organisation: a state body, a subordinate
// organisation, a company or an entrepreneur.
type Organization struct {
	// OID is the ESIA object id of the organisation (unique, > 0).
	OID int64 `json:"oid"`
	// FullName and ShortName are the registered names.
	FullName  string `json:"full_name"`
	ShortName string `json:"short_name,omitempty"`
	// OGRN is the 13-digit registration number.
	OGRN string `json:"ogrn,omitempty"`
	// INN is the 10-digit taxpayer number.
	INN string `json:"inn,omitempty"`
	// KPP is the tax registration reason code.
	KPP string `json:"kpp,omitempty"`
	// Type is LEGAL, AGENCY or BUSINESS.
	Type OrgType `json:"type"`
	// AgencyType is the ESIA agency type of an AGENCY ([AgencyRegional],
	// [AgencyGovernment], ...). A subordinate organisation is
	// [AgencyGovernment] (state) or [AgencyMunicipal] (municipal).
	AgencyType string `json:"agency_type,omitempty"`
	// AgencyTerRange is the region code of the body's territory ("29";
	// "00" for a federal body).
	AgencyTerRange string `json:"agency_ter_range,omitempty"`
	// OKATO is the territory classifier code; its first two digits are the
	// region.
	OKATO string `json:"okato,omitempty"`
	// OKTMO is the municipal territory code (8 or 11 digits).
	OKTMO string `json:"oktmo,omitempty"`
	// ParentOID is the OID of the superior body (0: none).
	ParentOID int64 `json:"parent_oid,omitempty"`
}

var kppRe = regexp.MustCompile(`^\d{4}[\dA-Z]{2}\d{3}$`)

func validateOrg(o Organization) error {
	switch {
	case o.OID <= 0:
		return Fieldf(ErrInvalid, "oid", "must be positive")
	case o.FullName == "":
		return Fieldf(ErrInvalid, "full_name", "is empty")
	case o.OGRN != "" && !ValidOGRN(o.OGRN):
		return Fieldf(ErrInvalid, "ogrn", "fails its checksum")
	case o.INN != "" && (len(o.INN) != 10 || !ValidINN(o.INN)):
		return Fieldf(ErrInvalid, "inn", "must be 10 digits with a valid check digit")
	case o.KPP != "" && !kppRe.MatchString(o.KPP):
		return Fieldf(ErrInvalid, "kpp", "malformed")
	case o.Type != OrgLegal && o.Type != OrgAgency && o.Type != OrgBusiness:
		return Fieldf(ErrInvalid, "type", "must be LEGAL, AGENCY or BUSINESS")
	case o.AgencyType != "" && o.Type != OrgAgency:
		return Fieldf(ErrInvalid, "agency_type", "only an AGENCY has an agency type")
	case o.AgencyType != "" && !slices.Contains(AgencyTypes(), o.AgencyType):
		return Fieldf(ErrInvalid, "agency_type", "unknown ESIA agency type (known: %s)", strings.Join(AgencyTypes(), ", "))
	case o.ParentOID == o.OID:
		return Fieldf(ErrInvalid, "parent_oid", "an organisation cannot be its own parent")
	}
	return nil
}

func orgError(oid int64, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("organization %d: %w", oid, err)
}

// parentCycleLocked reports whether giving o its ParentOID closes a cycle
// in the parent chain.
func (w *World) parentCycleLocked(o Organization) bool {
	seen := map[int64]bool{o.OID: true}
	for p := o.ParentOID; p != 0; {
		if seen[p] {
			return true
		}
		seen[p] = true
		next, ok := w.orgs[p]
		if !ok {
			return false
		}
		p = next.ParentOID
	}
	return false
}

// AddOrganization validates and adds an organisation.
func (w *World) AddOrganization(o Organization) error {
	if err := validateOrg(o); err != nil {
		return orgError(o.OID, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.orgs[o.OID]; ok {
		return fmt.Errorf("%w: organization %d", ErrDuplicate, o.OID)
	}
	if o.ParentOID != 0 {
		if _, ok := w.orgs[o.ParentOID]; !ok {
			return fmt.Errorf("%w: parent organization %d", ErrNotFound, o.ParentOID)
		}
	}
	w.orgs[o.OID] = o
	w.changed()
	return nil
}

// UpdateOrganization replaces an existing organisation (matched by OID).
func (w *World) UpdateOrganization(o Organization) error {
	if err := validateOrg(o); err != nil {
		return orgError(o.OID, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.orgs[o.OID]; !ok {
		return fmt.Errorf("%w: organization %d", ErrNotFound, o.OID)
	}
	if o.ParentOID != 0 {
		if _, ok := w.orgs[o.ParentOID]; !ok {
			return fmt.Errorf("%w: parent organization %d", ErrNotFound, o.ParentOID)
		}
		if w.parentCycleLocked(o) {
			return orgError(o.OID, Fieldf(ErrInvalid, "parent_oid", "makes the parent chain a cycle"))
		}
	}
	w.orgs[o.OID] = o
	w.changed()
	return nil
}

// Organization returns the organisation with the OID.
func (w *World) Organization(oid int64) (Organization, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	o, ok := w.orgs[oid]
	if !ok {
		return Organization{}, fmt.Errorf("%w: organization %d", ErrNotFound, oid)
	}
	return o, nil
}

// Organizations returns every organisation, sorted by OID.
func (w *World) Organizations() []Organization {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]Organization, 0, len(w.orgs))
	for _, o := range w.orgs {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b Organization) int { return cmp.Compare(a.OID, b.OID) })
	return out
}

// Superiors returns the parent chain of an organisation: its parent, the
// parent's parent, and so on up to a body with no parent.
func (w *World) Superiors(oid int64) ([]Organization, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	o, ok := w.orgs[oid]
	if !ok {
		return nil, fmt.Errorf("%w: organization %d", ErrNotFound, oid)
	}
	var out []Organization
	for p := o.ParentOID; p != 0 && len(out) <= len(w.orgs); {
		parent, ok := w.orgs[p]
		if !ok {
			break
		}
		out = append(out, parent)
		p = parent.ParentOID
	}
	return out, nil
}

// SubordinateOfMunicipal reports whether an organisation is subordinate to
// a municipal body: whether a local self-government body
// ([AgencyLocal]) is among its superiors. It is derived from the parent
// chain, not stored.
func (w *World) SubordinateOfMunicipal(oid int64) (bool, error) {
	sup, err := w.Superiors(oid)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(sup, func(o Organization) bool { return o.AgencyType == AgencyLocal }), nil
}

// Subordinates returns the organisations below oid in the parent links:
// its direct subordinates, theirs, and so on, sorted by OID.
func (w *World) Subordinates(oid int64) ([]Organization, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if _, ok := w.orgs[oid]; !ok {
		return nil, fmt.Errorf("%w: organization %d", ErrNotFound, oid)
	}
	children := map[int64][]Organization{}
	for _, o := range w.orgs {
		if o.ParentOID != 0 {
			children[o.ParentOID] = append(children[o.ParentOID], o)
		}
	}
	var out []Organization
	seen := map[int64]bool{oid: true}
	for queue := []int64{oid}; len(queue) > 0; queue = queue[1:] {
		for _, c := range children[queue[0]] {
			if !seen[c.OID] {
				seen[c.OID] = true
				out = append(out, c)
				queue = append(queue, c.OID)
			}
		}
	}
	slices.SortFunc(out, func(a, b Organization) int { return cmp.Compare(a.OID, b.OID) })
	return out, nil
}
