package esia

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Collection is an ESIA REST collection:
// {"stateFacts":["hasSize"],"size":N,"elements":[…],"eTag":…}. Elements are
// objects when the request asked for embed=(elements) and absolute URLs
// otherwise; URLs are kept in Refs. A collection that is itself only a link
// (a person's "contacts" without embed) has Link set.
type Collection[T any] struct {
	// StateFacts are ESIA's state flags, e.g. "hasSize".
	StateFacts []string
	// Size is the number of elements ESIA reports.
	Size int
	// Elements are the embedded elements.
	Elements []T
	// Refs are the URLs of elements that were not embedded.
	Refs []string
	// ETag is the collection's version tag.
	ETag string
	// Link is the collection's URL when ESIA gave a link instead of the
	// collection.
	Link string
}

// UnmarshalJSON decodes a collection with embedded or linked elements.
func (c *Collection[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &c.Link)
	}
	var raw struct {
		StateFacts []string          `json:"stateFacts"`
		Size       flexInt           `json:"size"`
		Elements   []json.RawMessage `json:"elements"`
		ETag       flexString        `json:"eTag"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	c.StateFacts, c.Size, c.ETag = raw.StateFacts, int(raw.Size), string(raw.ETag)
	c.Elements, c.Refs = nil, nil
	for i, e := range raw.Elements {
		e = bytes.TrimSpace(e)
		if len(e) > 0 && e[0] == '"' {
			var ref string
			if err := json.Unmarshal(e, &ref); err != nil {
				return err
			}
			c.Refs = append(c.Refs, ref)
			continue
		}
		var v T
		if err := json.Unmarshal(e, &v); err != nil {
			return fmt.Errorf("element %d: %w", i, err)
		}
		c.Elements = append(c.Elements, v)
	}
	return nil
}

// Person is a person card (/rs/prns/{oid}).
type Person struct {
	// OID is the person's oid (from the request; ESIA's card may omit it).
	OID        int64  `json:"-"`
	FirstName  string `json:"firstName"`
	LastName   string `json:"lastName"`
	MiddleName string `json:"middleName"`
	// BirthDate is "dd.MM.yyyy".
	BirthDate  string `json:"birthDate"`
	BirthPlace string `json:"birthPlace"`
	// Gender is "M" or "F".
	Gender string `json:"gender"`
	// Trusted reports a confirmed account.
	Trusted bool `json:"trusted"`
	// Citizenship is an ISO 3166 alpha-3 code, e.g. "RUS".
	Citizenship string `json:"citizenship"`
	// SNILS is formatted "000-000-600 06".
	SNILS string `json:"snils"`
	INN   string `json:"inn"`
	// UpdatedOn is ESIA's update mark as sent (a number or a string).
	UpdatedOn  string   `json:"-"`
	Status     string   `json:"status"`
	StateFacts []string `json:"stateFacts"`
	ETag       string   `json:"eTag"`
	// Contacts is set when the request embedded contacts.elements.
	Contacts *Collection[Contact] `json:"contacts"`
	// Raw is the JSON card, for fields not mapped here.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a person card and keeps the raw JSON.
func (p *Person) UnmarshalJSON(b []byte) error {
	type plain Person
	var aux struct {
		*plain
		UpdatedOn flexString `json:"updatedOn"`
	}
	aux.plain = (*plain)(p)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	p.UpdatedOn = string(aux.UpdatedOn)
	p.Raw = bytes.Clone(b)
	return nil
}

// ContactType is the kind of a [Contact] ("type").
type ContactType string

// Contact types.
const (
	ContactEmail     ContactType = "EML" // personal e-mail
	ContactMobile    ContactType = "MBT" // mobile phone
	ContactPhone     ContactType = "PHN" // home phone
	ContactWorkEmail ContactType = "CEM" // work e-mail
)

// VerificationStatus is the verification status of a [Contact] ("vrfStu").
type VerificationStatus string

// Verification statuses.
const (
	ContactVerified    VerificationStatus = "VERIFIED"     // verified
	ContactNotVerified VerificationStatus = "NOT_VERIFIED" // not verified
)

// Contact is an element of /rs/prns/{oid}/ctts.
type Contact struct {
	ID int64 `json:"-"`
	// Type is ContactEmail, ContactMobile, ContactPhone or ContactWorkEmail.
	Type ContactType `json:"type"`
	// VrfStu is ContactVerified or ContactNotVerified.
	VrfStu    VerificationStatus `json:"vrfStu"`
	Value     string             `json:"value"`
	VrfValStu string             `json:"vrfValStu"`
	ETag      string             `json:"eTag"`
	Raw       json.RawMessage    `json:"-"`
}

// UnmarshalJSON decodes a contact and keeps the raw JSON.
func (c *Contact) UnmarshalJSON(b []byte) error {
	type plain Contact
	var aux struct {
		*plain
		ID flexInt `json:"id"`
	}
	aux.plain = (*plain)(c)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	c.ID = int64(aux.ID)
	c.Raw = bytes.Clone(b)
	return nil
}

// OrgType is the type of an organisation in a [Role] and an
// [Organization] card ("type").
type OrgType string

// Organisation types.
const (
	OrgLegal    OrgType = "LEGAL"    // legal entity (ЮЛ)
	OrgBusiness OrgType = "BUSINESS" // individual entrepreneur (ИП)
	OrgAgency   OrgType = "AGENCY"   // state body (ОГВ)
)

// Role is an element of /rs/prns/{oid}/roles: the person's membership in an
// organisation.
type Role struct {
	// OID is the organisation's oid.
	OID int64 `json:"-"`
	// PrnOID is the person's oid.
	PrnOID    int64  `json:"-"`
	FullName  string `json:"fullName"`
	ShortName string `json:"shortName"`
	OGRN      string `json:"ogrn"`
	// Type is OrgLegal, OrgBusiness or OrgAgency.
	Type OrgType `json:"type"`
	// Chief reports the head of the organisation.
	Chief bool `json:"chief"`
	// Admin reports a member of "Администраторы профиля организации".
	Admin bool `json:"admin"`
	// Active is false when the employee is blocked.
	Active bool `json:"active"`
	// Phone and Email are the work contacts.
	Phone                  string `json:"phone"`
	Email                  string `json:"email"`
	HasRightOfSubstitution bool   `json:"hasRightOfSubstitution"`
	HasApprovalTabAccess   bool   `json:"hasApprovalTabAccess"`
	IsLiquidated           bool   `json:"isLiquidated"`
	BranchName             string `json:"branchName"`
	BranchOID              int64  `json:"-"`
	// Raw is the JSON element.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a role and keeps the raw JSON.
func (r *Role) UnmarshalJSON(b []byte) error {
	type plain Role
	var aux struct {
		*plain
		OID       flexInt `json:"oid"`
		PrnOID    flexInt `json:"prnOid"`
		BranchOID flexInt `json:"branchOid"`
	}
	aux.plain = (*plain)(r)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	r.OID, r.PrnOID, r.BranchOID = int64(aux.OID), int64(aux.PrnOID), int64(aux.BranchOID)
	r.Raw = bytes.Clone(b)
	return nil
}

// AgencyType is the kind of a state body or institution in its
// [Organization] card ("agencyType").
type AgencyType string

// Agency types.
const (
	AgencyFederal      AgencyType = "10.FED" // federal body
	AgencyRegional     AgencyType = "11.REG" // regional body
	AgencyLocal        AgencyType = "12.LCL" // local self-government
	AgencySubordinate  AgencyType = "13.PVD" // subordinate organisation
	AgencyGovernment   AgencyType = "20.GOV" // state institution
	AgencyMunicipal    AgencyType = "21.MCL" // municipal institution
	AgencyFund         AgencyType = "30.FND" // state extra-budgetary fund
	AgencyPensionFund  AgencyType = "31.PFN" // pension fund
	AgencyMFC          AgencyType = "40.MFC" // multifunctional centre
	AgencyLegalServing AgencyType = "41.LEG" // legal organisation providing state services
)

// Organization is an organisation card (/rs/orgs/{oid}).
type Organization struct {
	OID       int64  `json:"-"`
	FullName  string `json:"fullName"`
	ShortName string `json:"shortName"`
	OGRN      string `json:"ogrn"`
	INN       string `json:"inn"`
	KPP       string `json:"kpp"`
	// Leg is the OKOPF code.
	Leg string `json:"leg"`
	// AgencyType is one of the AgencyXxx values for state bodies.
	AgencyType AgencyType `json:"agencyType"`
	// AgencyTerRange is the region code ("00" = federal).
	AgencyTerRange string `json:"agencyTerRange"`
	OKTMO          string `json:"oktmo"`
	// Type is OrgLegal, OrgBusiness or OrgAgency.
	Type          OrgType         `json:"type"`
	StaffCount    int64           `json:"-"`
	BranchesCount int64           `json:"-"`
	IsLiquidated  bool            `json:"isLiquidated"`
	StateFacts    []string        `json:"stateFacts"`
	ETag          string          `json:"eTag"`
	Raw           json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an organisation card and keeps the raw JSON.
func (o *Organization) UnmarshalJSON(b []byte) error {
	type plain Organization
	var aux struct {
		*plain
		OID            flexInt    `json:"oid"`
		StaffCount     flexInt    `json:"staffCount"`
		BranchesCount  flexInt    `json:"branchesCount"`
		AgencyTerRange flexString `json:"agencyTerRange"`
	}
	aux.plain = (*plain)(o)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	o.OID, o.StaffCount, o.BranchesCount = int64(aux.OID), int64(aux.StaffCount), int64(aux.BranchesCount)
	o.AgencyTerRange = string(aux.AgencyTerRange)
	o.Raw = bytes.Clone(b)
	return nil
}

// Employee is an element of /rs/orgs/{oid}/emps. Its field set is only
// partly known: everything ESIA sent is in Raw.
type Employee struct {
	// OID is the employee's person oid ("oid" or "prnOid").
	OID      int64           `json:"-"`
	Chief    bool            `json:"chief"`
	Admin    bool            `json:"admin"`
	Active   bool            `json:"active"`
	Position string          `json:"position"`
	Email    string          `json:"email"`
	Phone    string          `json:"phone"`
	ETag     string          `json:"eTag"`
	Raw      json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an employee and keeps the raw JSON.
func (e *Employee) UnmarshalJSON(b []byte) error {
	type plain Employee
	var aux struct {
		*plain
		OID    flexInt `json:"oid"`
		PrnOID flexInt `json:"prnOid"`
	}
	aux.plain = (*plain)(e)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	e.OID = int64(aux.PrnOID)
	if e.OID == 0 {
		e.OID = int64(aux.OID)
	}
	e.Raw = bytes.Clone(b)
	return nil
}

// Group is an access group of an organisation (/rs/orgs/{oid}/grps,
// …/emps/{oid}/grps), e.g. «ПОС. Госпаблики. Кабинет учреждения». Its field
// set is not documented publicly: the known candidates are mapped, and
// everything ESIA sent is in Raw.
type Group struct {
	// ID is "grp_id" (or "id"/"mnemonic" when that is what ESIA sent).
	ID string `json:"-"`
	// Name is the group's display name.
	Name        string          `json:"name"`
	Description string          `json:"description"`
	ItSystem    string          `json:"itSystem"`
	Raw         json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a group and keeps the raw JSON.
func (g *Group) UnmarshalJSON(b []byte) error {
	type plain Group
	var aux struct {
		*plain
		GrpID    flexString `json:"grp_id"`
		GrpID2   flexString `json:"grpId"`
		ID       flexString `json:"id"`
		Mnemonic flexString `json:"mnemonic"`
	}
	aux.plain = (*plain)(g)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	for _, s := range []flexString{aux.GrpID, aux.GrpID2, aux.Mnemonic, aux.ID} {
		if s != "" {
			g.ID = string(s)
			break
		}
	}
	g.Raw = bytes.Clone(b)
	return nil
}

// Matches reports whether the group is the one named s (by name or id).
func (g *Group) Matches(s string) bool {
	return s != "" && (g.Name == s || g.ID == s)
}
