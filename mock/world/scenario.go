package world

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ScenarioVersion is the version of the scenario format written by
// [World.Export]. [ParseScenario] accepts it and 0 (unset), and refuses
// version 1 with a message saying what changed.
//
// Version 2 moved what belongs to one party into that party's section
// (Telegram's bots, admin rights and chat upgrades under "telegram"), gave
// each person one account per network (people[].accounts, each with its
// own user id and two-factor flag), restricted page roles to the
// network's own, uses ESIA's agency codes (20.GOV and 21.MCL for
// subordinate organisations) and names employees organisation first.
const ScenarioVersion = 2

// Scenario is the seedable state of a world: what scenario files hold and
// what [World.Export] and [World.Import] exchange.
//
// In JSON the shared entities are the keys version, people,
// organizations, employees and pages; every other top-level key is a
// party's section ("telegram": {...}), kept raw in Sections and validated
// by the section when a world imports the scenario.
type Scenario struct {
	// Version is the format version ([ScenarioVersion]).
	Version       int            `json:"version"`
	People        []Person       `json:"people,omitempty"`
	Organizations []Organization `json:"organizations,omitempty"`
	Employees     []Employee     `json:"employees,omitempty"`
	Pages         []Page         `json:"pages,omitempty"`
	// Sections are the parties' sections by name, as raw JSON.
	Sections map[string]json.RawMessage `json:"-"`
}

// scenarioJSON is Scenario without its JSON methods.
type scenarioJSON Scenario

// MarshalJSON writes the shared entities and then each section as a
// top-level key, in name order.
func (sc Scenario) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(scenarioJSON(sc))
	if err != nil || len(sc.Sections) == 0 {
		return b, err
	}
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1])
	for _, name := range slices.Sorted(maps.Keys(sc.Sections)) {
		raw := sc.Sections[name]
		if len(raw) == 0 {
			continue
		}
		if !json.Valid(raw) {
			return nil, fmt.Errorf("world: section %q is not valid JSON", name)
		}
		k, _ := json.Marshal(name)
		buf.WriteByte(',')
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(raw)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// v1Hint explains what version 2 changed, for files written before it.
const v1Hint = "version 1 scenarios are no longer read; version 2 moved bots and admin rights into the \"telegram\" section, " +
	"network user ids and the two-factor flag into people[].accounts, uses ESIA's agency codes (20.GOV, 21.MCL) " +
	"and the networks' own page roles; start again from cmd/gosmock/scenarios/default.json"

func versionError(v int) error {
	if v == 1 {
		return Fieldf(ErrInvalid, "version", "%s", v1Hint)
	}
	return Fieldf(ErrInvalid, "version", "version %d is not supported (want %d)", v, ScenarioVersion)
}

// UnmarshalJSON reads the shared entities strictly (an unknown field is an
// error) and keeps every other top-level key as a section.
func (sc *Scenario) UnmarshalJSON(data []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return err
	}
	if top == nil {
		return errors.New("scenario must be a JSON object")
	}
	var version int
	if v, ok := top["version"]; ok {
		if err := json.Unmarshal(v, &version); err != nil {
			return Fieldf(ErrInvalid, "version", "must be an integer")
		}
		if version != 0 && version != ScenarioVersion {
			return versionError(version)
		}
	}
	shared := map[string]json.RawMessage{}
	sections := map[string]json.RawMessage{}
	for k, v := range top {
		if slices.Contains(sharedKeys, k) {
			shared[k] = v
		} else {
			sections[k] = v
		}
	}
	b, err := json.Marshal(shared)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var out scenarioJSON
	if err := dec.Decode(&out); err != nil {
		if version == 0 && strings.Contains(err.Error(), "unknown field") {
			return fmt.Errorf("%v (%s)", err, v1Hint)
		}
		// The offsets are in the re-encoded shared part.
		return DecodeError(b, err)
	}
	*sc = Scenario(out)
	if len(sections) > 0 {
		sc.Sections = sections
	}
	return nil
}

// ParseScenario decodes a scenario from JSON, rejecting unknown fields of
// the shared entities and unsupported versions, and validates the shared
// entities. Sections are validated by their parties when a world imports
// the scenario.
func ParseScenario(data []byte) (Scenario, error) {
	var sc Scenario
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&sc); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			return Scenario{}, fe
		}
		if errors.As(DecodeError(data, err), &fe) {
			return Scenario{}, fe
		}
		return Scenario{}, fmt.Errorf("%w: scenario: %v", ErrInvalid, err)
	}
	if dec.More() {
		return Scenario{}, fmt.Errorf("%w: scenario: trailing data", ErrInvalid)
	}
	if err := sc.Validate(); err != nil {
		return Scenario{}, err
	}
	return sc, nil
}

func (sc Scenario) clone() Scenario {
	out := Scenario{Version: sc.Version, Organizations: slices.Clone(sc.Organizations)}
	if len(sc.People) > 0 {
		out.People = make([]Person, len(sc.People))
		for i, p := range sc.People {
			out.People[i] = p.clone()
		}
	}
	if len(sc.Employees) > 0 {
		out.Employees = make([]Employee, len(sc.Employees))
		for i, e := range sc.Employees {
			out.Employees[i] = e.clone()
		}
	}
	if len(sc.Pages) > 0 {
		out.Pages = make([]Page, len(sc.Pages))
		for i, p := range sc.Pages {
			out.Pages[i] = p.clone()
		}
	}
	if sc.Sections != nil {
		out.Sections = make(map[string]json.RawMessage, len(sc.Sections))
		for k, v := range sc.Sections {
			out.Sections[k] = bytes.Clone(v)
		}
	}
	return out
}

func (sc *Scenario) sort() {
	slices.SortFunc(sc.People, func(a, b Person) int { return cmp.Compare(a.OID, b.OID) })
	slices.SortFunc(sc.Organizations, func(a, b Organization) int { return cmp.Compare(a.OID, b.OID) })
	slices.SortFunc(sc.Employees, compareEmployees)
	slices.SortFunc(sc.Pages, comparePages)
}

// Validate checks the shared entities and the references between them
// (employees, page owners and admins, parents and their chains, duplicate
// ids and logins, page usernames), refused exactly as the Add methods
// refuse them. Errors are [*FieldError] values naming the field
// ("pages[0].admins[1].role"). Sections are checked by their parties when
// a world imports the scenario.
func (sc Scenario) Validate() error {
	_, err := sc.validateShared()
	return err
}

// validateShared validates the shared entities and returns a world holding
// them, for sections to look them up.
func (sc Scenario) validateShared() (*World, error) {
	if sc.Version != 0 && sc.Version != ScenarioVersion {
		return nil, versionError(sc.Version)
	}
	w := &World{}
	w.loadLocked(Scenario{})
	for i, p := range sc.People {
		path := Index("people", i)
		if err := validatePerson(p); err != nil {
			return nil, InField(path, err)
		}
		if _, ok := w.people[p.OID]; ok {
			return nil, Fieldf(ErrDuplicate, path+".oid", "person %d appears twice", p.OID)
		}
		if err := w.loginFreeLocked(p); err != nil {
			return nil, InField(path, err)
		}
		w.putPersonLocked(p)
	}
	for i, o := range sc.Organizations {
		path := Index("organizations", i)
		if err := validateOrg(o); err != nil {
			return nil, InField(path, err)
		}
		if _, ok := w.orgs[o.OID]; ok {
			return nil, Fieldf(ErrDuplicate, path+".oid", "organization %d appears twice", o.OID)
		}
		w.orgs[o.OID] = o
	}
	for i, o := range sc.Organizations {
		path := Index("organizations", i) + ".parent_oid"
		if _, ok := w.orgs[o.ParentOID]; o.ParentOID != 0 && !ok {
			return nil, Fieldf(ErrNotFound, path, "no organization %d", o.ParentOID)
		}
		if w.parentCycleLocked(o) {
			return nil, Fieldf(ErrInvalid, path, "makes the parent chain a cycle")
		}
	}
	for i, e := range sc.Employees {
		path := Index("employees", i)
		if _, ok := w.orgs[e.OrgOID]; !ok {
			return nil, Fieldf(ErrNotFound, path+".org_oid", "no organization %d", e.OrgOID)
		}
		if _, ok := w.people[e.PersonOID]; !ok {
			return nil, Fieldf(ErrNotFound, path+".person_oid", "no person %d", e.PersonOID)
		}
		k := empKeyOf(e)
		if _, ok := w.emps[k]; ok {
			return nil, Fieldf(ErrDuplicate, path, "employee %d of organization %d appears twice", e.PersonOID, e.OrgOID)
		}
		w.emps[k] = e
	}
	for i, p := range sc.Pages {
		path := Index("pages", i)
		if err := validatePage(p); err != nil {
			return nil, InField(path, err)
		}
		if _, ok := w.pages[pageKey{p.Network, p.ID}]; ok {
			return nil, Fieldf(ErrDuplicate, path+".id", "%s page %d appears twice", p.Network, p.ID)
		}
		if err := w.usernameFreeLocked(p); err != nil {
			return nil, InField(path+".username", err)
		}
		if _, ok := w.orgs[p.OwnerOrgOID]; p.OwnerOrgOID != 0 && !ok {
			return nil, Fieldf(ErrNotFound, path+".owner_org_oid", "no organization %d", p.OwnerOrgOID)
		}
		for j, a := range p.Admins {
			if _, ok := w.people[a.PersonOID]; !ok {
				return nil, Fieldf(ErrNotFound, Index(path+".admins", j)+".person_oid", "no person %d", a.PersonOID)
			}
		}
		for j, m := range p.Members {
			if _, ok := w.people[m]; !ok {
				return nil, Fieldf(ErrNotFound, Index(path+".members", j), "no person %d", m)
			}
		}
		w.putPageLocked(p)
	}
	return w, nil
}
