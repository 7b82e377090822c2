package world

import (
	"cmp"
	"fmt"
	"slices"
)

// Employee links a person to an organisation with ESIA roles and groups.
// Like every employee lookup of this package and of the esia client, it
// names the organisation first and the person second.
type Employee struct {
	// OrgOID and PersonOID identify the link (unique together).
	OrgOID    int64 `json:"org_oid"`
	PersonOID int64 `json:"person_oid"`
	// Chief reports the head of the organisation.
	Chief bool `json:"chief,omitempty"`
	// Admin reports an administrator of the organisation's ESIA profile.
	Admin bool `json:"admin,omitempty"`
	// Active reports an active (not blocked) employee record.
	Active bool `json:"active"`
	// Position is the job title.
	Position string `json:"position,omitempty"`
	// Groups are the ESIA access-group names granted to the employee, such as
	// [GroupCabinetInstitution].
	Groups []string `json:"groups,omitempty"`
}

func (e Employee) clone() Employee {
	e.Groups = slices.Clone(e.Groups)
	return e
}

// empKey identifies an employee record: organisation, then person.
type empKey struct{ org, person int64 }

func empKeyOf(e Employee) empKey { return empKey{e.OrgOID, e.PersonOID} }

// AddEmployee adds (or, when the pair exists, replaces) an employee record.
// The organisation and the person must exist.
func (w *World) AddEmployee(e Employee) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.orgs[e.OrgOID]; !ok {
		return fmt.Errorf("%w: organization %d", ErrNotFound, e.OrgOID)
	}
	if _, ok := w.people[e.PersonOID]; !ok {
		return fmt.Errorf("%w: person %d", ErrNotFound, e.PersonOID)
	}
	w.emps[empKeyOf(e)] = e.clone()
	w.changed()
	return nil
}

// RemoveEmployee deletes the employee record of a person in an
// organisation.
func (w *World) RemoveEmployee(orgOID, personOID int64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	k := empKey{orgOID, personOID}
	if _, ok := w.emps[k]; !ok {
		return fmt.Errorf("%w: employee %d of organization %d", ErrNotFound, personOID, orgOID)
	}
	delete(w.emps, k)
	w.changed()
	return nil
}

// Employee returns the employee record of a person in an organisation:
// organisation first, person second, as esia.Client.Employee takes them.
func (w *World) Employee(orgOID, personOID int64) (Employee, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	e, ok := w.emps[empKey{orgOID, personOID}]
	if !ok {
		return Employee{}, fmt.Errorf("%w: employee %d of organization %d", ErrNotFound, personOID, orgOID)
	}
	return e.clone(), nil
}

// Employees returns the employees of an organisation, sorted by person OID.
func (w *World) Employees(orgOID int64) []Employee {
	return w.employees(func(e Employee) bool { return e.OrgOID == orgOID })
}

// EmployeesOf returns the employee records of a person (one per
// organisation), sorted by organisation OID.
func (w *World) EmployeesOf(personOID int64) []Employee {
	return w.employees(func(e Employee) bool { return e.PersonOID == personOID })
}

func (w *World) employees(keep func(Employee) bool) []Employee {
	w.mu.RLock()
	defer w.mu.RUnlock()
	var out []Employee
	for _, e := range w.emps {
		if keep(e) {
			out = append(out, e.clone())
		}
	}
	slices.SortFunc(out, compareEmployees)
	return out
}

func compareEmployees(a, b Employee) int {
	return cmp.Or(cmp.Compare(a.OrgOID, b.OrgOID), cmp.Compare(a.PersonOID, b.PersonOID))
}
