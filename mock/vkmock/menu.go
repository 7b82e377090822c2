package vkmock

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/mock/world"
)

// ErrNotAdmin is returned by [Server.SetMenu] when the acting user is not
// an owner or administrator of the community.
var ErrNotAdmin = errors.New("vkmock: the user is not an administrator of the community")

// MaxMenuItems is the number of items a community menu holds at most.
const MaxMenuItems = 7

// SetMenu replaces the menu of a community as its administrator does in
// VK's web interface (the API only reads the menu, through groups.getById
// fields=menu). adminUserID is the VK id of the acting user: an owner or
// administrator of the community, else [ErrNotAdmin]. Items get ids 1, 2,
// … in order; each needs a title (at most 20 characters) and an http(s)
// URL.
func (s *Server) SetMenu(groupID, adminUserID int64, items []MenuItem) error {
	p, err := s.w.Page(world.NetworkVK, groupID)
	if err != nil {
		return fmt.Errorf("vkmock: no VK community %d", groupID)
	}
	per, err := s.w.PersonByAccount(world.NetworkVK, adminUserID)
	if err != nil {
		return ErrNotAdmin
	}
	if r := p.RoleOf(per.OID); r != world.RoleAdministrator && r != world.RoleCreator {
		return ErrNotAdmin
	}
	if len(items) > MaxMenuItems {
		return fmt.Errorf("vkmock: a menu holds at most %d items", MaxMenuItems)
	}
	menu := make([]MenuItem, len(items))
	for i, it := range items {
		if it.Title == "" || utf8.RuneCountInString(it.Title) > 20 {
			return fmt.Errorf("vkmock: menu item %d: the title must have 1 to 20 characters", i+1)
		}
		if !strings.HasPrefix(it.URL, "https://") && !strings.HasPrefix(it.URL, "http://") {
			return fmt.Errorf("vkmock: menu item %d: the URL must be http(s)", i+1)
		}
		menu[i] = MenuItem{ID: int64(i + 1), Title: it.Title, URL: it.URL, Cover: it.Cover}
	}
	return s.sec.ModifyCommunity(groupID, func(c *Community) error {
		c.Menu = menu
		return nil
	})
}

// Menu returns the menu of a community.
func (s *Server) Menu(groupID int64) []MenuItem { return s.sec.Community(groupID).Menu }
