package gpmock

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/mock/world"
)

// ESIAStateTTL is how long a login through ESIA may take between its
// start and the callback.
const ESIAStateTTL = 10 * time.Minute

// GroupLKOAdmin is the ESIA access group of the LKO administration
// cabinet (the institution and editorial groups are
// esia.GroupGospublikiInstitution and esia.GroupGospublikiEditorial).
const GroupLKOAdmin = world.GroupLKOAdmin

// CodeUserNotFound is the error code of an ESIA login that finds no
// cabinet user: the person lacks the cabinet's access group in the
// organisation picked on ESIA, or no user of the organisation's cabinet
// is (or was invited as) that person. Its message is MessageUserNotFound.
const CodeUserNotFound = "user_not_found"

// MessageUserNotFound is the text the cabinet shows for CodeUserNotFound.
const MessageUserNotFound = "Пользователь не найден"

// Event types of users (Event.UserID is the affected user).
const (
	EventUserInvited   = "user.invited"
	EventUserConfirmed = "user.confirmed"
	EventUserBlocked   = "user.blocked"
)

// CabinetGroup returns the ESIA access group a person needs in the
// organisation to enter a cabinet of kind ("" for an unknown kind).
func CabinetGroup(kind string) string {
	switch kind {
	case KindInstitution:
		return esia.GroupGospublikiInstitution
	case KindEditorial:
		return esia.GroupGospublikiEditorial
	case KindLKO:
		return GroupLKOAdmin
	}
	return ""
}

var errUserNotFound = &apiError{http.StatusForbidden, CodeUserNotFound, MessageUserNotFound}

// WithESIA makes the server an ESIA client system through c: logins
// through ESIA redirect to c's authorization URL and come back to c's
// redirect URL, which must be the server's /api/v1/auth/esia/callback.
// c's scopes must include openid, usr_org (the organisation picker),
// email and mobile (matching invited users), and its organisation scopes
// org_grps (access groups).
func WithESIA(c *esia.Client) Option { return func(s *Server) { s.esia = c } }

// ESIACallbackPath is the path of the callback ESIA redirects to.
const ESIACallbackPath = "/api/v1/auth/esia/callback"

// ESIAScopes are the person scopes the cabinet's ESIA client asks for:
// the person, the organisation picker (usr_org) and the contacts that
// match invited users.
func ESIAScopes() []string { return []string{"openid", "fullname", "usr_org", "email", "mobile"} }

// ESIAOrgScopes are the organisation scopes the cabinet's ESIA client
// asks for (the organisation card and the access groups).
func ESIAOrgScopes() []string {
	return []string{"org_shortname", "org_fullname", "org_ogrn", "org_inn", "org_agencytype", "org_grps"}
}

// ESIAStartRequest is the body of POST /api/v1/auth/esia/start.
type ESIAStartRequest struct {
	// Kind is the cabinet kind to enter (default institution).
	Kind string `json:"kind,omitempty"`
}

// ESIAStart is a login through ESIA in progress: the URL to send the
// person to and the state ESIA brings back to the callback.
type ESIAStart struct {
	URL       string    `json:"url"`
	State     string    `json:"state"`
	ExpiresAt time.Time `json:"expires_at"`
}

// esiaState is a login through ESIA in progress (key: digest of the state).
type esiaState struct {
	kind     string
	bindUser int64 // binding an existing account: its user id
	expires  time.Time
}

func (s *Server) routesESIA() {
	s.public("esiaStart", "POST", "/api/v1/auth/esia/start", s.esiaStart)
	s.public("esiaCallback", "GET", ESIACallbackPath, s.esiaCallback)
	s.handle("esiaBind", "POST", "/api/v1/auth/esia/bind", allRoles, s.esiaBind)
}

func (s *Server) esiaStart(w http.ResponseWriter, r *http.Request) {
	var req ESIAStartRequest
	if err := decode(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	if req.Kind == "" {
		req.Kind = KindInstitution
	}
	if CabinetGroup(req.Kind) == "" {
		writeErr(w, invalid("kind must be institution, editorial or lko"))
		return
	}
	st, err := s.startESIA(r, req.Kind, 0)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// esiaBind starts binding the caller's account to their ESIA account:
// the callback then binds the person ESIA logged in.
func (s *Server) esiaBind(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	kind := s.cabinets[c.CabinetID].Kind
	s.mu.Unlock()
	st, err := s.startESIA(r, kind, c.ID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, st, nil
}

func (s *Server) startESIA(r *http.Request, kind string, bind int64) (ESIAStart, error) {
	if s.esia == nil {
		return ESIAStart{}, &apiError{http.StatusServiceUnavailable, "esia_unavailable", "login through ESIA is not configured"}
	}
	state := esia.NewState()
	u, err := s.esia.AuthCodeURL(r.Context(), state)
	if err != nil {
		return ESIAStart{}, &apiError{http.StatusBadGateway, "esia_failed", "cannot build the ESIA authorization request"}
	}
	if s.issue != nil {
		if err := s.issue(state); err != nil {
			return ESIAStart{}, &apiError{http.StatusInternalServerError, "internal", "cannot start the login"}
		}
	}
	now := s.clock.Now()
	s.mu.Lock()
	s.pruneLocked(now)
	exp := now.Add(ESIAStateTTL).UTC()
	s.esiaStates[digest(state)] = esiaState{kind: kind, bindUser: bind, expires: exp}
	s.mu.Unlock()
	return ESIAStart{URL: u, State: state, ExpiresAt: exp}, nil
}

// esiaCallback finishes a login (or a binding) through ESIA: the state is
// used once, the code exchanged with a signed client_secret, the tokens
// verified, and the person's access group in the organisation picked on
// ESIA checked through esia.Client.Authority.
func (s *Server) esiaCallback(w http.ResponseWriter, r *http.Request) {
	sess, err := s.finishESIA(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, sess)
}

func (s *Server) finishESIA(r *http.Request) (Session, error) {
	q := r.URL.Query()
	state := q.Get("state")
	badState := &apiError{http.StatusBadRequest, "invalid_state", "unknown, used or expired ESIA login state"}
	if state == "" || len(state) > 512 {
		return Session{}, badState
	}
	key := digest(state)
	s.mu.Lock()
	st, ok := s.esiaStates[key]
	delete(s.esiaStates, key) // a state is used once: a replayed callback is refused
	s.mu.Unlock()
	if !ok || !s.clock.Now().Before(st.expires) || s.esia == nil {
		return Session{}, badState
	}
	code, err := esia.ParseCallbackQuery(q, state)
	if err != nil {
		return Session{}, &apiError{http.StatusUnauthorized, "esia_refused", "ESIA did not authorize the login"}
	}
	ctx := r.Context()
	upstream := &apiError{http.StatusBadGateway, "esia_failed", "ESIA did not complete the login"}
	tok, err := s.esia.Exchange(ctx, code)
	if err != nil {
		return Session{}, upstream
	}
	claims, idc, err := s.esia.VerifyToken(tok)
	if err != nil || (idc != nil && idc.Sbj.OID != 0 && idc.Sbj.OID != claims.SbjID) {
		return Session{}, upstream
	}
	var org int64
	for _, sc := range claims.Scope {
		if sc.OrgOID != 0 {
			org = sc.OrgOID
			break
		}
	}
	if org == 0 {
		return Session{}, errUserNotFound
	}
	ts := oauth2.StaticTokenSource(tok)
	if _, err := s.esia.Authority(ctx, ts, org, esia.AuthorityRequireGroup(CabinetGroup(st.kind))); err != nil {
		if errors.Is(err, esia.ErrNotAuthorized) {
			return Session{}, errUserNotFound
		}
		return Session{}, upstream
	}
	var emails, phones []string
	if cs, err := s.esia.Contacts(ctx, ts, claims.SbjID); err == nil {
		for _, c := range cs {
			switch c.Type {
			case esia.ContactEmail, esia.ContactWorkEmail:
				emails = append(emails, strings.ToLower(c.Value))
			case esia.ContactMobile, esia.ContactPhone:
				phones = append(phones, digits(c.Value))
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.esiaUserLocked(st, claims.SbjID, org, emails, phones)
	if err != nil {
		return Session{}, err
	}
	if u.Status == StatusBlocked {
		return Session{}, &apiError{http.StatusForbidden, "user_blocked", "the user is blocked"}
	}
	now := s.clock.Now().UTC()
	u.PersonOID = claims.SbjID
	if u.Status == StatusInvited {
		// The first ESIA login confirms an invited user («Подтвержден»)
		// and ends the invitation.
		u.Status = StatusConfirmed
		s.dropInvitesLocked(u.ID)
		s.emit(Event{Type: EventUserConfirmed, CabinetID: u.CabinetID, UserID: u.ID, At: now})
	}
	return s.openSessionLocked(u)
}

// esiaUserLocked finds the cabinet user a person logged in through ESIA
// is: for a binding, the user who started it (in the organisation's
// cabinet, not bound to someone else); for a login, the user of the
// organisation's cabinet of the kind bound to the person, or else an
// invited user whose e-mail or phone is one of the person's ESIA
// contacts.
func (s *Server) esiaUserLocked(st esiaState, person, org int64, emails, phones []string) (*userRec, error) {
	if st.bindUser != 0 {
		u := s.users[st.bindUser]
		if u == nil || s.cabinets[u.CabinetID] == nil || s.cabinets[u.CabinetID].OrgOID != org {
			return nil, errUserNotFound
		}
		if u.PersonOID != 0 && u.PersonOID != person {
			return nil, &apiError{http.StatusConflict, "conflict", "the account is bound to another ESIA person"}
		}
		for _, o := range s.users {
			if o.ID != u.ID && o.CabinetID == u.CabinetID && o.PersonOID == person {
				return nil, &apiError{http.StatusConflict, "conflict", "another user of the cabinet is bound to this ESIA person"}
			}
		}
		return u, nil
	}
	var invited *userRec
	for _, u := range s.users {
		cb := s.cabinets[u.CabinetID]
		if cb == nil || cb.OrgOID != org || cb.Kind != st.kind {
			continue
		}
		if u.PersonOID == person {
			return u, nil
		}
		if u.PersonOID == 0 && u.Status == StatusInvited && (invited == nil || u.ID < invited.ID) &&
			(containsFold(emails, u.Email) || containsFold(phones, digits(u.Phone))) {
			invited = u
		}
	}
	if invited == nil {
		return nil, errUserNotFound
	}
	return invited, nil
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if x != "" && strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// digits keeps the digits of a phone ("+7(900)1234567" → "79001234567").
func digits(p string) string {
	var b strings.Builder
	for _, r := range p {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// openSessionLocked opens a login session for u (the caller holds s.mu).
func (s *Server) openSessionLocked(u *userRec) (Session, error) {
	tok := newToken()
	if s.issue != nil {
		if err := s.issue(tok); err != nil {
			return Session{}, &apiError{http.StatusInternalServerError, "internal", "cannot open a session"}
		}
	}
	now := s.clock.Now()
	s.pruneLocked(now)
	exp := now.Add(s.ttl)
	s.sessions[digest(tok)] = session{userID: u.ID, expires: exp, created: now}
	return Session{Token: tok, ExpiresAt: &exp, User: u.User}, nil
}
