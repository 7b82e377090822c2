package gpmock

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/gospubliki/gosdk/mock/world"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// MailFrom is the sender of the cabinet's e-mails.
const MailFrom = "noreply@gospubliki.example"

// WithPublicURL sets the cabinet's address used in the links it sends
// (invitations); default none, the links are then paths.
func WithPublicURL(u string) Option {
	return func(s *Server) { s.publicURL = strings.TrimRight(u, "/") }
}

// invite is an invitation link's target (key: digest of its token).
type invite struct {
	userID  int64
	expires time.Time
}

// AcceptInvitationRequest is the body of POST
// /api/v1/auth/invitation/accept.
type AcceptInvitationRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func (s *Server) routesInvitations() {
	s.public("acceptInvitation", "POST", "/api/v1/auth/invitation/accept", s.acceptInvitation)
	s.handle("resendInvitation", "POST", "/api/v1/users/{id}/resend-invitation", adminOnly, s.resendInvitation)
	s.handle("unblockUser", "POST", "/api/v1/users/{id}/unblock", adminOnly, s.unblockUser)
}

// inviteLocked sends u an invitation e-mail with a fresh link (an older
// link stops working) and emits user.invited; by is the inviting user.
func (s *Server) inviteLocked(u *userRec, by int64) {
	s.dropInvitesLocked(u.ID)
	tok := newToken()
	if s.issue != nil {
		_ = s.issue(tok) // routes the acceptance to the tenant; without it the link still works in its own tenant
	}
	now := s.clock.Now().UTC()
	s.invites[digest(tok)] = invite{userID: u.ID, expires: now.Add(InvitationTTL)}
	link := s.publicURL + "/invitation?token=" + tok
	org := ""
	if cb := s.cabinets[u.CabinetID]; cb != nil {
		org = cb.OrgName
	}
	s.outbox.Send(world.Message{Time: now, Party: PartyName, Channel: world.ChannelEmail, To: u.Email, From: MailFrom,
		Subject: "Приглашение в кабинет Госпаблики",
		Text: fmt.Sprintf("Здравствуйте!\n\nВас пригласили в кабинет Госпаблики организации «%s» (роль: %s).\n"+
			"Чтобы принять приглашение, задайте пароль по ссылке %s или войдите через Госуслуги.\n"+
			"Ссылка действует до %s.", org, u.Role, link, now.Add(InvitationTTL).Format("02.01.2006 15:04 MST")),
		Meta: map[string]string{"link": link, "token": tok, "user_id": strconv.FormatInt(u.ID, 10), "kind": "invitation"}})
	s.emit(Event{Type: EventUserInvited, CabinetID: u.CabinetID, UserID: u.ID, At: now, Data: map[string]int64{"invited_by": by}})
}

// dropInvitesLocked ends the invitation links of a user.
func (s *store) dropInvitesLocked(userID int64) {
	for k, inv := range s.invites {
		if inv.userID == userID {
			delete(s.invites, k)
		}
	}
}

// endSessionsLocked ends the sessions and tokens of a user except the one
// whose key is keep.
func (s *store) endSessionsLocked(userID int64, keep string) {
	for k, sess := range s.sessions {
		if sess.userID == userID && k != keep {
			delete(s.sessions, k)
		}
	}
}

// pruneInterval is how often expired sessions, states, links and codes
// are dropped (on the server's clock, when a session or code is issued).
const pruneInterval = time.Minute

// pruneLocked drops what expired before now, at most once a
// pruneInterval, so that expired sessions never accumulate.
func (s *store) pruneLocked(now time.Time) {
	if now.Before(s.nextPrune) {
		return
	}
	s.nextPrune = now.Add(pruneInterval)
	for k, v := range s.sessions {
		if !v.expires.IsZero() && !now.Before(v.expires) {
			delete(s.sessions, k)
		}
	}
	for k, v := range s.esiaStates {
		if !now.Before(v.expires) {
			delete(s.esiaStates, k)
		}
	}
	for k, v := range s.invites {
		if !now.Before(v.expires) {
			delete(s.invites, k)
		}
	}
	for k, v := range s.resets {
		if !now.Before(v.expires) {
			delete(s.resets, k)
		}
	}
}

func validPassword(p string) error {
	if len(p) < 8 || len(p) > 72 {
		return invalid("password must be 8 to 72 bytes")
	}
	return nil
}

// acceptInvitation sets the invited user's password (status confirmed)
// and opens a session.
func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	var req AcceptInvitationRequest
	if err := decode(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	if err := validPassword(req.Password); err != nil {
		writeErr(w, err)
		return
	}
	bad := &apiError{http.StatusBadRequest, "invalid_invitation", "unknown, used or expired invitation"}
	key := digest(req.Token)
	s.mu.Lock()
	_, ok := s.invites[key]
	s.mu.Unlock()
	if !ok {
		writeErr(w, bad)
		return
	}
	// The slow hash runs outside the lock; the invitation is checked again.
	h, err := bcrypt.GenerateFromPassword([]byte(req.Password), bcrypt.MinCost+2)
	if err != nil {
		writeErr(w, &apiError{http.StatusInternalServerError, "internal", "cannot hash the password"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, ok := s.invites[key]
	if !ok || req.Token == "" || !s.clock.Now().Before(inv.expires) {
		delete(s.invites, key)
		writeErr(w, bad)
		return
	}
	u := s.users[inv.userID]
	if u == nil || u.Status != StatusInvited {
		delete(s.invites, key)
		writeErr(w, bad)
		return
	}
	s.dropInvitesLocked(u.ID)
	u.hash, u.seed, u.Status = h, "", StatusConfirmed
	s.emit(Event{Type: EventUserConfirmed, CabinetID: u.CabinetID, UserID: u.ID, At: s.clock.Now().UTC()})
	sess, err := s.openSessionLocked(u)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, sess)
}

func (s *Server) resendInvitation(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	if u.Status != StatusInvited {
		return 0, nil, &apiError{http.StatusConflict, "conflict", "the user is not waiting for an invitation"}
	}
	s.inviteLocked(u, c.ID)
	return http.StatusOK, u.User, nil
}

// unblockUser lets a blocked user in again: confirmed when they have a
// password or an ESIA binding, otherwise invited again (with a new
// invitation e-mail).
func (s *Server) unblockUser(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	if u.Status != StatusBlocked {
		return 0, nil, &apiError{http.StatusConflict, "conflict", "the user is not blocked"}
	}
	if u.hash != nil || u.seed != "" || u.PersonOID != 0 {
		u.Status = StatusConfirmed
	} else {
		u.Status = StatusInvited
		s.inviteLocked(u, c.ID)
	}
	return http.StatusOK, u.User, nil
}

// Outbox returns where the server's e-mails, SMS and notifications go
// (the world's outbox with WithWorld, otherwise its own).
func (s *Server) Outbox() *world.Outbox { return s.outbox }
