package gpmock

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSeededPasswordsHashedAtFirstLogin: importing a scenario hashes no
// password (seeding stays cheap); the first login hashes the seeded one,
// which then keeps working, and a wrong password is refused before and
// after.
func TestSeededPasswordsHashedAtFirstLogin(t *testing.T) {
	s := New()
	st := DefaultState()
	require.NoError(t, s.Section.Import(mustJSON(t, st)))
	s.mu.Lock()
	for _, u := range s.users {
		assert.Nil(t, u.hash, "user %d hashed on import", u.ID)
		assert.NotEmpty(t, u.seed)
	}
	s.mu.Unlock()
	login := func(phone, password string) int {
		body := `{"phone":"` + phone + `","password":"` + password + `"}`
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", strings.NewReader(body)))
		return w.Code
	}
	u := st.Users[len(st.Users)-1]
	assert.Equal(t, http.StatusUnauthorized, login(u.Phone, "wrong-password"))
	assert.Equal(t, http.StatusOK, login(u.Phone, u.Password))
	assert.Equal(t, http.StatusOK, login(u.Phone, u.Password))
	assert.Equal(t, http.StatusUnauthorized, login(u.Phone, "wrong-password"))
	s.mu.Lock()
	rec := s.users[u.ID]
	assert.NotNil(t, rec.hash)
	assert.Empty(t, rec.seed)
	s.mu.Unlock()
	// The export still carries the seeded password, not a hash.
	raw, err := s.Section.Export(true)
	require.NoError(t, err)
	assert.Contains(t, string(raw), u.Password)
	assert.NotContains(t, string(raw), string(rec.hash))
}

func mustJSON(t *testing.T, st State) []byte {
	t.Helper()
	b, err := json.Marshal(st)
	require.NoError(t, err)
	return b
}

// TestUnknownPhoneRefusedConcurrently: logins of an unknown phone are
// refused like a wrong password, also when several are the first (the
// dummy hash they compare against is made once, at the first of them).
func TestUnknownPhoneRefusedConcurrently(t *testing.T) {
	s := New()
	require.NoError(t, s.Section.Import(mustJSON(t, DefaultState())))
	codes := make(chan int, 4)
	for range 4 {
		go func() {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/api/v1/auth/login",
				strings.NewReader(`{"phone":"+70000000001","password":"whatever-password"}`)))
			codes <- w.Code
		}()
	}
	for range 4 {
		assert.Equal(t, http.StatusUnauthorized, <-codes)
	}
	assert.NotEmpty(t, dummyHash())
}
