package gpmock

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/gospubliki/gosdk/mock/world"
)

// Password reset by phone: a one-time code sent by SMS, valid for
// ResetCodeTTL and for ResetMaxAttempts wrong guesses.
const (
	ResetCodeTTL     = 10 * time.Minute
	ResetMaxAttempts = 5
	resetCodeDigits  = 6
)

// resetCode is a pending password reset (key: the phone).
type resetCode struct {
	userID   int64
	digest   string
	expires  time.Time
	attempts int
}

// ResetRequest is the body of POST /api/v1/auth/password-reset.
type ResetRequest struct {
	Phone string `json:"phone"`
}

// ResetConfirmRequest is the body of POST
// /api/v1/auth/password-reset/confirm.
type ResetConfirmRequest struct {
	Phone    string `json:"phone"`
	Code     string `json:"code"`
	Password string `json:"password"`
}

// ResetAccepted is the answer of a reset request: the same whether or not
// the phone belongs to a user.
type ResetAccepted struct {
	// ExpiresIn is how long a code sent lives, in seconds.
	ExpiresIn int `json:"expires_in"`
}

func (s *Server) routesReset() {
	s.public("requestPasswordReset", "POST", "/api/v1/auth/password-reset", s.requestReset)
	s.public("confirmPasswordReset", "POST", "/api/v1/auth/password-reset/confirm", s.confirmReset)
}

func newCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%0*d", resetCodeDigits, n.Int64())
}

// requestReset sends a one-time code by SMS to a confirmed user's phone (a new request replaces the previous code).
// The answer never tells whether the phone is known.
func (s *Server) requestReset(w http.ResponseWriter, r *http.Request) {
	var req ResetRequest
	if err := decode(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	if req.Phone == "" || len(req.Phone) > 32 {
		writeErr(w, invalid("phone is required"))
		return
	}
	code := newCode()
	now := s.clock.Now().UTC()
	s.mu.Lock()
	s.pruneLocked(now)
	if id, ok := s.byPhone[req.Phone]; ok && s.users[id].Status == StatusConfirmed {
		s.resets[req.Phone] = &resetCode{userID: id, digest: digest(req.Phone + "/" + code), expires: now.Add(ResetCodeTTL)}
		s.outbox.Send(world.Message{Time: now, Party: PartyName, Channel: world.ChannelSMS, To: req.Phone, From: "Gospubliki",
			Text: fmt.Sprintf("Код для сброса пароля Госпаблики: %s. Никому не сообщайте его.", code),
			Meta: map[string]string{"code": code, "kind": "password_reset"}})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusAccepted, ResetAccepted{ExpiresIn: int(ResetCodeTTL / time.Second)})
}

// confirmReset sets a new password with the code and ends every session
// and token of the user.
func (s *Server) confirmReset(w http.ResponseWriter, r *http.Request) {
	var req ResetConfirmRequest
	if err := decode(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	if err := validPassword(req.Password); err != nil {
		writeErr(w, err)
		return
	}
	bad := &apiError{http.StatusBadRequest, "invalid_code", "wrong or expired code"}
	userID, err := s.useResetCode(req.Phone, req.Code)
	if err != nil {
		writeErr(w, bad)
		return
	}
	// The code is used; the slow hash runs outside the lock.
	h, err := bcrypt.GenerateFromPassword([]byte(req.Password), bcrypt.MinCost+2)
	if err != nil {
		writeErr(w, &apiError{http.StatusInternalServerError, "internal", "cannot hash the password"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[userID]
	if u == nil || u.Status != StatusConfirmed {
		writeErr(w, bad)
		return
	}
	u.hash, u.seed = h, ""
	delete(s.seeded, u.Phone)
	s.endSessionsLocked(u.ID, "")
	w.WriteHeader(http.StatusNoContent)
}

// useResetCode checks a code and uses it up; a wrong code counts an
// attempt, and the last allowed attempt ends the code.
func (s *Server) useResetCode(phone, code string) (int64, error) {
	bad := errors.New("wrong or expired code")
	s.mu.Lock()
	defer s.mu.Unlock()
	rc := s.resets[phone]
	switch {
	case rc == nil:
		return 0, bad
	case !s.clock.Now().Before(rc.expires):
		delete(s.resets, phone)
		return 0, bad
	case subtle.ConstantTimeCompare([]byte(digest(phone+"/"+code)), []byte(rc.digest)) != 1:
		rc.attempts++
		if rc.attempts >= ResetMaxAttempts {
			delete(s.resets, phone) // a new code must be requested
		}
		return 0, bad
	}
	delete(s.resets, phone)
	return rc.userID, nil
}
