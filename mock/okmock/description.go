package okmock

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/mock/world"
)

// ErrNotAdmin is returned by [Server.SetDescription] when the acting user
// is not an administrator of the group.
var ErrNotAdmin = errors.New("okmock: the user is not an administrator of the group")

// MaxDescription is the length of a group description in characters, at
// most.
const MaxDescription = 4000

// SetDescription replaces a group's description as its administrator does
// in OK's web interface. OK has no community menu: a group shows the POS
// forms as links in its description (group.getInfo fields=description
// reads it back). adminUserID is the OK id of the acting user, who must
// hold the ADMIN role on the group, else [ErrNotAdmin].
func (s *Server) SetDescription(groupID, adminUserID int64, text string) error {
	p, err := s.w.Page(world.NetworkOK, groupID)
	if err != nil {
		return fmt.Errorf("okmock: no OK group %d", groupID)
	}
	per, err := s.w.PersonByAccount(world.NetworkOK, adminUserID)
	if err != nil || p.RoleOf(per.OID) != world.OKRoleAdmin {
		return ErrNotAdmin
	}
	if utf8.RuneCountInString(text) > MaxDescription {
		return fmt.Errorf("okmock: a description has at most %d characters", MaxDescription)
	}
	return s.w.ModifyPage(world.NetworkOK, groupID, func(p *world.Page) error {
		p.Description = text
		return nil
	})
}
