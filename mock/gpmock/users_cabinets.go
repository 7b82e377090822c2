package gpmock

import (
	"net/http"
	"slices"

	"github.com/gospubliki/gosdk/mock/world"
)

// CabinetList is the answer of GET /api/v1/cabinet/subordinates.
type CabinetList struct {
	Items []Cabinet `json:"items"`
}

var errEditorialKind = &apiError{http.StatusBadRequest, "invalid_request",
	"an editorial cabinet is for a regional executive body (РОИВ) or a local self-government body (ОМСУ)"}

// editorialOrg reports whether o may have an editorial cabinet: a
// regional executive body (РОИВ, 11.REG) or a local self-government body
// (ОМСУ, 12.LCL).
func editorialOrg(o world.Organization) bool {
	return o.Type == world.OrgAgency && (o.AgencyType == world.AgencyRegional || o.AgencyType == world.AgencyLocal)
}

// checkKindLocked refuses an editorial cabinet for an organisation that
// is neither a РОИВ nor an ОМСУ (known only with a world).
func (s *store) checkKindLocked(kind string, oid int64) error {
	if kind != KindEditorial || s.orgInfo == nil {
		return nil
	}
	o, err := s.orgInfo(oid)
	if err != nil {
		return &apiError{http.StatusBadRequest, "invalid_request", "unknown organisation"}
	}
	if !editorialOrg(o) {
		return errEditorialKind
	}
	return nil
}

func (s *Server) routesCabinets() {
	s.handle("listSubordinateCabinets", "GET", "/api/v1/cabinet/subordinates", allRoles, s.listSubordinates)
}

// subordinateCabinetsLocked returns the institution and editorial
// cabinets of the organisations below an editorial cabinet's (none for
// another kind, or without the world's organisations).
func (s *store) subordinateCabinetsLocked(cabinetID int64) []Cabinet {
	own := s.cabinets[cabinetID]
	if own == nil || own.Kind != KindEditorial || s.subordinates == nil {
		return nil
	}
	subs := s.subordinates(own.OrgOID)
	var out []Cabinet
	for _, cb := range s.cabinets {
		if cb.Kind != KindLKO && slices.Contains(subs, cb.OrgOID) {
			out = append(out, *cb)
		}
	}
	slices.SortFunc(out, func(a, b Cabinet) int { return int(a.ID - b.ID) })
	return out
}

func (s *Server) listSubordinates(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := CabinetList{Items: s.subordinateCabinetsLocked(c.CabinetID)}
	if out.Items == nil {
		out.Items = []Cabinet{}
	}
	return http.StatusOK, out, nil
}
