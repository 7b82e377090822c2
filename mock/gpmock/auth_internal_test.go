package gpmock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/mock/world"
)

func loginOnce(t *testing.T, s *Server, phone, password string) {
	t.Helper()
	b, _ := json.Marshal(LoginRequest{Phone: phone, Password: password})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", bytes.NewReader(b)))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
}

// TestExpiredSessionsDoNotAccumulate: logins over a long time keep only
// the sessions still valid.
func TestExpiredSessionsDoNotAccumulate(t *testing.T) {
	clk := coretest.NewClock(coretest.Epoch)
	s := New(WithClock(clk), WithSessionTTL(time.Hour))
	cb, err := s.AddCabinet(KindInstitution, 1, "Организация")
	require.NoError(t, err)
	_, err = s.AddUser(cb.ID, User{Phone: "+79990000001", Email: "a@example.org", Role: RoleEditor}, "password-1")
	require.NoError(t, err)
	count := func() int {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.sessions)
	}
	for day := range 5 {
		for range 4 {
			loginOnce(t, s, "+79990000001", "password-1")
		}
		require.Equal(t, 4, count(), "day %d: only the sessions still valid remain", day)
		clk.Advance(2 * time.Hour)
	}
	loginOnce(t, s, "+79990000001", "password-1")
	require.Equal(t, 1, count())
}

// TestTemplateCreatedTellsEditors: template.created reaches the editors
// of the cabinet it names, once each (a shared template emits one event
// per subordinate cabinet), never the author.
func TestTemplateCreatedTellsEditors(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	s := New(WithWorld(w))
	ed, err := s.AddCabinet(KindEditorial, world.DefaultMinistryOID, "Минцифры")
	require.NoError(t, err)
	inst, err := s.AddCabinet(KindInstitution, world.DefaultSubordinateOID, "ЦЦС")
	require.NoError(t, err)
	add := func(cab int64, role, email string) User {
		u, err := s.AddUser(cab, User{Phone: email, Email: email, Role: role}, "password-1")
		require.NoError(t, err)
		return u
	}
	author := add(ed.ID, RoleEditor, "author@ed.example")
	add(ed.ID, RoleEditor, "editor@ed.example")
	add(ed.ID, RoleModerator, "moderator@ed.example")
	add(inst.ID, RoleEditor, "editor@inst.example")
	s.mu.Lock()
	data := TemplateEventData{TemplateID: 1, Name: "Отключение воды", FromCabinetID: ed.ID}
	s.emit(Event{Type: EventTemplateCreated, CabinetID: ed.ID, UserID: author.ID, At: w.Clock.Now(), Data: data})
	s.emit(Event{Type: EventTemplateCreated, CabinetID: inst.ID, UserID: author.ID, At: w.Clock.Now(), Data: data})
	s.mu.Unlock()
	mark := s.Outbox().Seq()
	s.dispatch()
	var to []string
	for _, m := range s.Outbox().Messages(world.OutboxFilter{AfterSeq: mark}) {
		to = append(to, m.To)
		require.Contains(t, m.Text, "«Отключение воды»")
	}
	require.Equal(t, []string{"editor@ed.example", "editor@inst.example"}, to)
}
