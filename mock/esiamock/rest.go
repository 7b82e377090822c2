package esiamock

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/mock/world"
)

// Access-group mnemonics of the well-known Gospubliki groups; other group
// names get "GRP_" and a hash.
var groupMnemonics = map[string]string{
	world.GroupCabinetInstitution: "POS_GP_INSTITUTION",
	world.GroupCabinetEditorial:   "POS_GP_EDITORIAL",
	world.GroupLKOAdmin:           "POS_LKO_ADMIN",
}

// GroupMnemonic returns the ESIA access-group mnemonic (grp_id) the
// emulator uses for a world group name.
func GroupMnemonic(name string) string {
	if m, ok := groupMnemonics[name]; ok {
		return m
	}
	h := sha256.Sum256([]byte(name))
	return "GRP_" + strings.ToUpper(hex.EncodeToString(h[:4]))
}

// collection is a REST collection.
type collection struct {
	StateFacts []string `json:"stateFacts"`
	Size       int      `json:"size"`
	Elements   []any    `json:"elements"`
	ETag       string   `json:"eTag,omitempty"`
}

func newCollection(elems []any) collection {
	if elems == nil {
		elems = []any{}
	}
	c := collection{StateFacts: []string{"hasSize"}, Size: len(elems), Elements: elems}
	c.ETag = etag(c.Elements)
	return c
}

func etag(v any) string {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return strings.ToUpper(hex.EncodeToString(h[:20]))
}

// embedSet parses embed=(elements) / embed=(contacts.elements,documents.elements).
func embedSet(r *http.Request) map[string]bool {
	out := map[string]bool{}
	for _, v := range r.URL.Query()["embed"] {
		v = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(v), "("), ")")
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out[p] = true
			}
		}
	}
	return out
}

// bearer authenticates the REST request.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request, c *call) *accessGrant {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		tok, ok = strings.CutPrefix(h, "bearer ")
	}
	tok = strings.TrimSpace(tok)
	if !ok || tok == "" {
		c.code = CodeRESTInvalidToken
		writeRESTError(w, CodeRESTInvalidToken, "")
		return nil
	}
	c.token = "access " + fingerprintToken(tok)
	s.mu.Lock()
	g := s.access[tok]
	s.mu.Unlock()
	if g == nil {
		c.code = CodeRESTInvalidToken
		writeRESTError(w, CodeRESTInvalidToken, "")
		return nil
	}
	if s.now().After(g.expires) {
		c.code = CodeRESTExpiredToken
		writeRESTError(w, CodeRESTExpiredToken, "")
		return nil
	}
	return g
}

// personScope reports whether the token grants scope name for person oid.
func (g *accessGrant) personScope(oid int64, names ...string) bool {
	for _, it := range g.items {
		if !it.org && it.oid == oid && slices.Contains(names, it.name) {
			return true
		}
	}
	return false
}

// orgScope reports whether the token grants one of the org scopes for org.
func (g *accessGrant) orgScope(org int64, names ...string) bool {
	for _, it := range g.items {
		if it.org && it.orgOID == org && (len(names) == 0 || slices.Contains(names, it.name)) {
			return true
		}
	}
	return false
}

func denied(w http.ResponseWriter, c *call) {
	c.code = CodeRESTScopeNotAllowed
	writeRESTError(w, CodeRESTScopeNotAllowed, "")
}

func notFound(w http.ResponseWriter, c *call) {
	c.code = CodeRESTNotFound
	writeRESTError(w, CodeRESTNotFound, "")
}

// restRoot does what every REST resource shares: it records the path and
// embed in the journal, allows GET only, authenticates the bearer token and
// parses the {oid} path value. When ok is false the answer has been
// written.
func (s *Server) restRoot(w http.ResponseWriter, r *http.Request, c *call) (g *accessGrant, oid int64, ok bool) {
	c.params = map[string]string{"path": r.URL.Path}
	if e := r.URL.Query().Get("embed"); e != "" {
		c.params["embed"] = e
	}
	if r.Method != http.MethodGet {
		c.code = CodeUnsupportedMethod
		writeRESTError(w, CodeUnsupportedMethod, "CommonErrorEnum.methodNotAllowed")
		return nil, 0, false
	}
	if g = s.bearer(w, r, c); g == nil {
		return nil, 0, false
	}
	oid, err := strconv.ParseInt(r.PathValue("oid"), 10, 64)
	if err != nil || oid <= 0 {
		notFound(w, c)
		return nil, 0, false
	}
	return g, oid, true
}

// person is the prologue of /rs/prns/{oid}/...: the token must be the
// person's own and the person must exist.
func (s *Server) person(w http.ResponseWriter, r *http.Request, c *call) (g *accessGrant, p world.Person, base string, ok bool) {
	g, oid, ok := s.restRoot(w, r, c)
	if !ok {
		return nil, p, "", false
	}
	if g.personOID != oid {
		denied(w, c)
		return nil, p, "", false
	}
	p, err := s.world.Person(oid)
	if err != nil {
		notFound(w, c)
		return nil, p, "", false
	}
	return g, p, s.base(r) + "/rs/prns/" + strconv.FormatInt(oid, 10), true
}

// handlePerson serves /rs/prns/{oid}.
func (s *Server) handlePerson(w http.ResponseWriter, r *http.Request, c *call) {
	if g, p, base, ok := s.person(w, r, c); ok {
		writeJSON(w, http.StatusOK, s.personRoot(g, p, base, embedSet(r)))
	}
}

// handleContacts serves /rs/prns/{oid}/ctts.
func (s *Server) handleContacts(w http.ResponseWriter, r *http.Request, c *call) {
	g, p, base, ok := s.person(w, r, c)
	if !ok {
		return
	}
	if !g.personScope(p.OID, "email", "mobile", "contacts") {
		denied(w, c)
		return
	}
	writeJSON(w, http.StatusOK, contactsCollection(g, p, base, embedSet(r)["elements"]))
}

// handleContact serves /rs/prns/{oid}/ctts/{id}.
func (s *Server) handleContact(w http.ResponseWriter, r *http.Request, c *call) {
	g, p, _, ok := s.person(w, r, c)
	if !ok {
		return
	}
	if !g.personScope(p.OID, "email", "mobile", "contacts") {
		denied(w, c)
		return
	}
	for _, ct := range contacts(g, p) {
		if strconv.FormatInt(ct.ID, 10) == r.PathValue("id") {
			writeJSON(w, http.StatusOK, ct)
			return
		}
	}
	notFound(w, c)
}

// handleRoles serves /rs/prns/{oid}/roles.
func (s *Server) handleRoles(w http.ResponseWriter, r *http.Request, c *call) {
	g, p, _, ok := s.person(w, r, c)
	if !ok {
		return
	}
	if !g.personScope(p.OID, "usr_org") {
		denied(w, c)
		return
	}
	writeJSON(w, http.StatusOK, newCollection(s.roles(p)))
}

// handlePersonOrgs serves /rs/prns/{oid}/orgs.
func (s *Server) handlePersonOrgs(w http.ResponseWriter, r *http.Request, c *call) {
	g, p, _, ok := s.person(w, r, c)
	if !ok {
		return
	}
	if !g.personScope(p.OID, "usr_org") {
		denied(w, c)
		return
	}
	embed := embedSet(r)
	var elems []any
	for _, e := range s.world.EmployeesOf(p.OID) {
		if !e.Active {
			continue
		}
		o, err := s.world.Organization(e.OrgOID)
		if err != nil {
			continue
		}
		if embed["elements"] {
			// Embedded cards carry what /roles shows; the rest of the
			// card needs org scopes for that organisation.
			elems = append(elems, orgCard(o, func(n string) bool {
				return n == "org_shortname" || n == "org_fullname" || n == "org_ogrn" || n == "org_type" || g.orgScope(o.OID, n)
			}, len(s.world.Employees(o.OID))))
		} else {
			elems = append(elems, s.base(r)+"/rs/orgs/"+strconv.FormatInt(o.OID, 10))
		}
	}
	writeJSON(w, http.StatusOK, newCollection(elems))
}

// personCollections are the person collections the emulator keeps empty,
// with the scopes that grant each.
var personCollections = map[string][]string{
	"addrs": {"addresses"},
	"docs":  {"id_doc", "medical_doc", "military_doc", "foreign_passport_doc", "drivers_licence_doc", "birth_cert_doc", "residence_doc", "temporary_residence_doc"},
	"kids":  {"kid_fullname", "kid_birthdate"},
	"vhls":  {"vehicles"},
}

// handlePersonCollection serves an empty person collection
// (/rs/prns/{oid}/addrs, docs, kids, vhls) granted by scopes.
func (s *Server) handlePersonCollection(scopes []string) func(http.ResponseWriter, *http.Request, *call) {
	return func(w http.ResponseWriter, r *http.Request, c *call) {
		g, p, _, ok := s.person(w, r, c)
		if !ok {
			return
		}
		if !g.personScope(p.OID, scopes...) {
			denied(w, c)
			return
		}
		writeJSON(w, http.StatusOK, newCollection(nil))
	}
}

// handlePersonUnknown serves the other paths under /rs/prns/: after the
// common checks, "not found".
func (s *Server) handlePersonUnknown(w http.ResponseWriter, r *http.Request, c *call) {
	if _, _, _, ok := s.person(w, r, c); ok {
		notFound(w, c)
	}
}

// personDoc is /rs/prns/{oid}.
type personDoc struct {
	StateFacts  []string    `json:"stateFacts"`
	FirstName   string      `json:"firstName,omitempty"`
	LastName    string      `json:"lastName,omitempty"`
	MiddleName  string      `json:"middleName,omitempty"`
	BirthDate   string      `json:"birthDate,omitempty"`
	Gender      string      `json:"gender,omitempty"`
	Trusted     bool        `json:"trusted"`
	Citizenship string      `json:"citizenship,omitempty"`
	Snils       string      `json:"snils,omitempty"`
	Inn         string      `json:"inn,omitempty"`
	UpdatedOn   int64       `json:"updatedOn"`
	Status      string      `json:"status"`
	Verifying   bool        `json:"verifying"`
	RIDDoc      int64       `json:"rIdDoc,omitempty"`
	ContainsUp  bool        `json:"containsUpCfmCode"`
	ETag        string      `json:"eTag"`
	Contacts    *collection `json:"contacts,omitempty"`
	Addresses   *collection `json:"addresses,omitempty"`
	Documents   *collection `json:"documents,omitempty"`
}

func (s *Server) personRoot(g *accessGrant, p world.Person, base string, embed map[string]bool) personDoc {
	d := personDoc{StateFacts: []string{"EntityRoot"}, Trusted: p.Trusted, Status: "REGISTERED", UpdatedOn: 1700000000}
	if g.personScope(p.OID, "fullname") {
		d.FirstName, d.LastName, d.MiddleName = p.FirstName, p.LastName, p.MiddleName
	}
	if g.personScope(p.OID, "birthdate") && !p.BirthDate.IsZero() {
		d.BirthDate = p.BirthDate.Format("02.01.2006")
	}
	if g.personScope(p.OID, "gender") {
		d.Gender = string(p.Gender)
	}
	if g.personScope(p.OID, "snils") {
		d.Snils = world.FormatSNILS(p.SNILS)
	}
	if g.personScope(p.OID, "inn") {
		d.Inn = p.INN
	}
	if g.personScope(p.OID, "fullname", "birthdate", "gender", "snils", "inn", "id_doc") {
		d.Citizenship = "RUS"
	}
	d.ETag = etag(d)
	if embed["contacts.elements"] && g.personScope(p.OID, "email", "mobile", "contacts") {
		c := contactsCollection(g, p, base, true)
		d.Contacts = &c
	}
	if embed["addresses.elements"] && g.personScope(p.OID, "addresses") {
		c := newCollection(nil)
		d.Addresses = &c
	}
	if embed["documents.elements"] && g.personScope(p.OID, "id_doc") {
		c := newCollection(nil)
		d.Documents = &c
	}
	return d
}

// contact is a /ctts element.
type contact struct {
	StateFacts []string `json:"stateFacts"`
	ID         int64    `json:"id"`
	Type       string   `json:"type"`
	VrfStu     string   `json:"vrfStu"`
	Value      string   `json:"value"`
	ETag       string   `json:"eTag"`
}

func contacts(g *accessGrant, p world.Person) []contact {
	var out []contact
	all := g.personScope(p.OID, "contacts")
	if p.Phone != "" && (all || g.personScope(p.OID, "mobile")) {
		c := contact{StateFacts: []string{"Identifiable"}, ID: p.OID*10 + 1, Type: "MBT", VrfStu: "VERIFIED", Value: world.FormatPhone(p.Phone)}
		c.ETag = etag(c)
		out = append(out, c)
	}
	if p.Email != "" && (all || g.personScope(p.OID, "email")) {
		c := contact{StateFacts: []string{"Identifiable"}, ID: p.OID*10 + 2, Type: "EML", VrfStu: "VERIFIED", Value: p.Email}
		c.ETag = etag(c)
		out = append(out, c)
	}
	return out
}

func contactsCollection(g *accessGrant, p world.Person, base string, embed bool) collection {
	var elems []any
	for _, c := range contacts(g, p) {
		if embed {
			elems = append(elems, c)
		} else {
			elems = append(elems, base+"/ctts/"+strconv.FormatInt(c.ID, 10))
		}
	}
	return newCollection(elems)
}

// role is a /roles element.
type role struct {
	OID                    int64  `json:"oid"`
	PrnOID                 int64  `json:"prnOid"`
	FullName               string `json:"fullName"`
	ShortName              string `json:"shortName,omitempty"`
	OGRN                   string `json:"ogrn,omitempty"`
	Type                   string `json:"type"`
	Chief                  bool   `json:"chief"`
	Admin                  bool   `json:"admin"`
	Phone                  string `json:"phone,omitempty"`
	Email                  string `json:"email,omitempty"`
	Active                 bool   `json:"active"`
	HasRightOfSubstitution bool   `json:"hasRightOfSubstitution"`
	HasApprovalTabAccess   bool   `json:"hasApprovalTabAccess"`
	IsLiquidated           bool   `json:"isLiquidated"`
}

func (s *Server) roles(p world.Person) []any {
	var out []any
	for _, e := range s.world.EmployeesOf(p.OID) {
		o, err := s.world.Organization(e.OrgOID)
		if err != nil {
			continue
		}
		out = append(out, role{
			OID: o.OID, PrnOID: p.OID, FullName: o.FullName, ShortName: o.ShortName, OGRN: o.OGRN,
			Type: string(o.Type), Chief: e.Chief, Admin: e.Admin, Active: e.Active,
			Phone: world.FormatPhone(p.Phone), Email: p.Email,
		})
	}
	return out
}

// orgDoc is /rs/orgs/{oid}.
type orgDoc struct {
	StateFacts     []string `json:"stateFacts"`
	OID            int64    `json:"oid"`
	ShortName      string   `json:"shortName,omitempty"`
	FullName       string   `json:"fullName,omitempty"`
	Type           string   `json:"type,omitempty"`
	OGRN           string   `json:"ogrn,omitempty"`
	INN            string   `json:"inn,omitempty"`
	KPP            string   `json:"kpp,omitempty"`
	AgencyType     string   `json:"agencyType,omitempty"`
	AgencyTerRange string   `json:"agencyTerRange,omitempty"`
	OKTMO          string   `json:"oktmo,omitempty"`
	StaffCount     int      `json:"staffCount"`
	BranchesCount  int      `json:"branchesCount"`
	IsLiquidated   bool     `json:"isLiquidated"`
	ETag           string   `json:"eTag"`
}

// orgCard renders an organisation; allow reports which org scopes the
// token holds.
func orgCard(o world.Organization, allow func(string) bool, staff int) orgDoc {
	d := orgDoc{StateFacts: []string{"Identifiable"}, OID: o.OID, StaffCount: staff}
	if allow("org_shortname") {
		d.ShortName = o.ShortName
	}
	if allow("org_fullname") {
		d.FullName = o.FullName
	}
	if allow("org_type") {
		d.Type = string(o.Type)
	}
	if allow("org_ogrn") {
		d.OGRN = o.OGRN
	}
	if allow("org_inn") {
		d.INN = o.INN
	}
	if allow("org_kpp") {
		d.KPP = o.KPP
	}
	if allow("org_agencytype") {
		d.AgencyType = o.AgencyType
	}
	if allow("org_agencyterrange") {
		d.AgencyTerRange = o.AgencyTerRange
	}
	if allow("org_oktmo") {
		d.OKTMO = o.OKTMO
	}
	d.ETag = etag(d)
	return d
}

// employeeDoc is an /emps element.
type employeeDoc struct {
	StateFacts []string `json:"stateFacts"`
	ID         int64    `json:"id"`
	PrnOID     int64    `json:"prnOid"`
	OrgOID     int64    `json:"orgOid"`
	FullName   string   `json:"fullName,omitempty"`
	Position   string   `json:"position,omitempty"`
	Chief      bool     `json:"chief"`
	Admin      bool     `json:"admin"`
	Active     bool     `json:"active"`
	Email      string   `json:"email,omitempty"`
	Phone      string   `json:"phone,omitempty"`
	ETag       string   `json:"eTag"`
}

// groupDoc is a /grps element.
type groupDoc struct {
	StateFacts []string `json:"stateFacts"`
	GrpID      string   `json:"grp_id"`
	Name       string   `json:"name"`
	ETag       string   `json:"eTag"`
}

func newGroup(name string) groupDoc {
	g := groupDoc{StateFacts: []string{"Identifiable"}, GrpID: GroupMnemonic(name), Name: name}
	g.ETag = etag(g)
	return g
}

func (s *Server) employee(e world.Employee) employeeDoc {
	d := employeeDoc{StateFacts: []string{"Identifiable"}, ID: e.PersonOID, PrnOID: e.PersonOID, OrgOID: e.OrgOID,
		Position: e.Position, Chief: e.Chief, Admin: e.Admin, Active: e.Active}
	if p, err := s.world.Person(e.PersonOID); err == nil {
		d.FullName = strings.TrimSpace(p.LastName + " " + p.FirstName + " " + p.MiddleName)
		d.Email, d.Phone = p.Email, world.FormatPhone(p.Phone)
	}
	d.ETag = etag(d)
	return d
}

// org is the prologue of /rs/orgs/{oid}/...: the token must hold an org
// scope for the organisation, which must exist.
func (s *Server) org(w http.ResponseWriter, r *http.Request, c *call) (g *accessGrant, o world.Organization, base string, ok bool) {
	g, oid, ok := s.restRoot(w, r, c)
	if !ok {
		return nil, o, "", false
	}
	if !g.orgScope(oid) {
		denied(w, c)
		return nil, o, "", false
	}
	o, err := s.world.Organization(oid)
	if err != nil {
		notFound(w, c)
		return nil, o, "", false
	}
	return g, o, s.base(r) + "/rs/orgs/" + strconv.FormatInt(oid, 10), true
}

// handleOrgCard serves /rs/orgs/{oid}.
func (s *Server) handleOrgCard(w http.ResponseWriter, r *http.Request, c *call) {
	if g, o, _, ok := s.org(w, r, c); ok {
		writeJSON(w, http.StatusOK, orgCard(o, func(n string) bool { return g.orgScope(o.OID, n) }, len(s.world.Employees(o.OID))))
	}
}

// handleEmployees serves /rs/orgs/{oid}/emps.
func (s *Server) handleEmployees(w http.ResponseWriter, r *http.Request, c *call) {
	g, o, base, ok := s.org(w, r, c)
	if !ok {
		return
	}
	if !g.orgScope(o.OID, "org_emps") {
		denied(w, c)
		return
	}
	embed := embedSet(r)["elements"]
	var elems []any
	for _, e := range s.world.Employees(o.OID) {
		if embed {
			elems = append(elems, s.employee(e))
		} else {
			elems = append(elems, base+"/emps/"+strconv.FormatInt(e.PersonOID, 10))
		}
	}
	writeJSON(w, http.StatusOK, newCollection(elems))
}

// pathEmployee returns the employee named by the {prn} path value.
func (s *Server) pathEmployee(r *http.Request, org int64) (world.Employee, error) {
	poid, err := strconv.ParseInt(r.PathValue("prn"), 10, 64)
	if err != nil {
		return world.Employee{}, err
	}
	return s.world.Employee(org, poid)
}

// handleEmployee serves /rs/orgs/{oid}/emps/{prn}.
func (s *Server) handleEmployee(w http.ResponseWriter, r *http.Request, c *call) {
	g, o, _, ok := s.org(w, r, c)
	if !ok {
		return
	}
	if !g.orgScope(o.OID, "org_emps") {
		denied(w, c)
		return
	}
	e, err := s.pathEmployee(r, o.OID)
	if err != nil {
		notFound(w, c)
		return
	}
	writeJSON(w, http.StatusOK, s.employee(e))
}

// handleEmployeeGroups serves /rs/orgs/{oid}/emps/{prn}/grps.
func (s *Server) handleEmployeeGroups(w http.ResponseWriter, r *http.Request, c *call) {
	g, o, base, ok := s.org(w, r, c)
	if !ok {
		return
	}
	if !g.orgScope(o.OID, "org_grps") {
		denied(w, c)
		return
	}
	e, err := s.pathEmployee(r, o.OID)
	if err != nil {
		notFound(w, c)
		return
	}
	embed := embedSet(r)["elements"]
	var elems []any
	for _, name := range e.Groups {
		if embed {
			elems = append(elems, newGroup(name))
		} else {
			elems = append(elems, base+"/grps/"+GroupMnemonic(name))
		}
	}
	writeJSON(w, http.StatusOK, newCollection(elems))
}

// orgGroups returns the access groups of an organisation's employees,
// sorted by mnemonic.
func (s *Server) orgGroups(org int64) []string {
	var names []string
	for _, e := range s.world.Employees(org) {
		for _, n := range e.Groups {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(GroupMnemonic(a), GroupMnemonic(b)) })
	return names
}

// handleOrgGroups serves /rs/orgs/{oid}/grps.
func (s *Server) handleOrgGroups(w http.ResponseWriter, r *http.Request, c *call) {
	g, o, base, ok := s.org(w, r, c)
	if !ok {
		return
	}
	if !g.orgScope(o.OID, "org_grps") {
		denied(w, c)
		return
	}
	embed := embedSet(r)["elements"]
	var elems []any
	for _, n := range s.orgGroups(o.OID) {
		if embed {
			elems = append(elems, newGroup(n))
		} else {
			elems = append(elems, base+"/grps/"+GroupMnemonic(n))
		}
	}
	writeJSON(w, http.StatusOK, newCollection(elems))
}

// handleOrgGroup serves /rs/orgs/{oid}/grps/{grp}.
func (s *Server) handleOrgGroup(w http.ResponseWriter, r *http.Request, c *call) {
	g, o, _, ok := s.org(w, r, c)
	if !ok {
		return
	}
	if !g.orgScope(o.OID, "org_grps") {
		denied(w, c)
		return
	}
	for _, n := range s.orgGroups(o.OID) {
		if GroupMnemonic(n) == r.PathValue("grp") {
			writeJSON(w, http.StatusOK, newGroup(n))
			return
		}
	}
	notFound(w, c)
}

// orgCollections are the organisation collections the emulator keeps
// empty; each needs the scope "org_<name>".
var orgCollections = []string{"ctts", "addrs", "vhls", "brhs"}

// handleOrgCollection serves an empty organisation collection
// (/rs/orgs/{oid}/ctts, addrs, vhls, brhs).
func (s *Server) handleOrgCollection(name string) func(http.ResponseWriter, *http.Request, *call) {
	return func(w http.ResponseWriter, r *http.Request, c *call) {
		g, o, _, ok := s.org(w, r, c)
		if !ok {
			return
		}
		if !g.orgScope(o.OID, "org_"+name) {
			denied(w, c)
			return
		}
		writeJSON(w, http.StatusOK, newCollection(nil))
	}
}

// handleOrgUnknown serves the other paths under /rs/orgs/: after the
// common checks, "not found".
func (s *Server) handleOrgUnknown(w http.ResponseWriter, r *http.Request, c *call) {
	if _, _, _, ok := s.org(w, r, c); ok {
		notFound(w, c)
	}
}
