package gpmock

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// TokenInfo describes an API token without its value.
type TokenInfo struct {
	// ID names the token in the API (a prefix of its digest).
	ID        string    `json:"id"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
}

// TokenList is the answer of GET /api/v1/tokens.
type TokenList struct {
	Items []TokenInfo `json:"items"`
}

const tokenIDLen = 16

func (s *Server) routesTokens() {
	s.handle("listTokens", "GET", "/api/v1/tokens", adminOnly, s.listTokens)
	s.handle("revokeToken", "DELETE", "/api/v1/tokens/{tokenId}", adminOnly, s.revokeToken)
}

// listTokens lists the API tokens of the cabinet's users.
func (s *Server) listTokens(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := TokenList{Items: []TokenInfo{}}
	for k, sess := range s.sessions {
		if u := s.users[sess.userID]; sess.expires.IsZero() && u != nil && u.CabinetID == c.CabinetID {
			out.Items = append(out.Items, TokenInfo{ID: k[:tokenIDLen], UserID: sess.userID, CreatedAt: sess.created.UTC()})
		}
	}
	slices.SortFunc(out.Items, func(a, b TokenInfo) int {
		if d := a.CreatedAt.Compare(b.CreatedAt); d != 0 {
			return d
		}
		return strings.Compare(a.ID, b.ID)
	})
	return http.StatusOK, out, nil
}

// revokeToken revokes an API token of the cabinet's users.
func (s *Server) revokeToken(c *caller, r *http.Request) (int, any, error) {
	id := r.PathValue("tokenId")
	if len(id) != tokenIDLen {
		return 0, nil, errNotFound
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, sess := range s.sessions {
		if u := s.users[sess.userID]; strings.HasPrefix(k, id) && sess.expires.IsZero() && u != nil && u.CabinetID == c.CabinetID {
			delete(s.sessions, k)
			return http.StatusNoContent, nil, nil
		}
	}
	return 0, nil, errNotFound
}
