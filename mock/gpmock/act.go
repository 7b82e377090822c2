package gpmock

import (
	"errors"
	"net/http"
	"slices"
)

// ErrNoActor reports that no active cabinet user fits an act-as request.
var ErrNoActor = errors.New("gpmock: no such active user")

// Actor finds the user a control acts as: the user id when non-zero
// (which must hold role when role is set), else the first active user
// (lowest id) of role in cabinetID (any cabinet when 0). Blocked users
// never act.
func (s *Server) Actor(userID, cabinetID int64, role string) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if userID != 0 {
		u := s.users[userID]
		if u == nil || u.Status == StatusBlocked || (role != "" && u.Role != role) ||
			(cabinetID != 0 && u.CabinetID != cabinetID) {
			return User{}, ErrNoActor
		}
		return u.User, nil
	}
	if !validRole(role) {
		return User{}, ErrNoActor
	}
	ids := make([]int64, 0, len(s.users))
	for id := range s.users {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		u := s.users[id]
		if u.Role == role && u.Status != StatusBlocked && (cabinetID == 0 || u.CabinetID == cabinetID) {
			return u.User, nil
		}
	}
	return User{}, ErrNoActor
}

// ServeAs serves r as user userID would through the cabinet's API, as if
// they had logged in: their role and cabinet decide, through the same
// routes and rules. The session it opens lives for this request only and
// is never issued to anyone. It is how a sandbox acts as a cabinet user.
func (s *Server) ServeAs(userID int64, w http.ResponseWriter, r *http.Request) error {
	tok := newToken()
	key := digest(tok)
	s.mu.Lock()
	u := s.users[userID]
	if u == nil || u.Status == StatusBlocked {
		s.mu.Unlock()
		return ErrNoActor
	}
	s.sessions[key] = session{userID: userID} // no expiry: it is deleted once r is served
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.sessions, key)
		s.mu.Unlock()
	}()
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+tok)
	s.mux.ServeHTTP(w, r)
	return nil
}
