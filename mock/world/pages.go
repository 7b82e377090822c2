package world

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Page kinds.
const (
	PageChannel    = "channel"    // Telegram channel
	PageSupergroup = "supergroup" // Telegram supergroup
	PageGroup      = "group"      // Telegram basic group, VK or OK group
	PagePublic     = "page"       // VK public page
	PageEvent      = "event"      // VK event
)

// PageKinds returns the page kinds a network has.
func PageKinds(network string) []string {
	switch network {
	case NetworkTelegram:
		return []string{PageChannel, PageSupergroup, PageGroup}
	case NetworkVK:
		return []string{PageGroup, PagePublic, PageEvent}
	case NetworkOK:
		return []string{PageGroup}
	}
	return nil
}

// Page roles of Telegram and VK (VK has them all; Telegram has
// [RoleCreator] and [RoleAdministrator], whose rights the Telegram section
// of the world holds).
const (
	RoleCreator       = "creator"       // the page's creator and owner
	RoleAdministrator = "administrator" // an administrator
	RoleEditor        = "editor"        // VK: an editor
	RoleModerator     = "moderator"     // VK: a moderator
	RoleAdvertiser    = "advertiser"    // VK: an advertiser
)

// Page roles of OK, as its API spells them.
const (
	OKRoleAdmin          = "ADMIN"
	OKRoleModerator      = "MODERATOR"
	OKRoleEditor         = "EDITOR"
	OKRoleAnalyst        = "ANALYST"
	OKRoleSuperModerator = "SUPER_MODERATOR"
)

// Roles returns the roles a page of a network can give a person.
func Roles(network string) []string {
	switch network {
	case NetworkTelegram:
		return []string{RoleCreator, RoleAdministrator}
	case NetworkVK:
		return []string{RoleCreator, RoleAdministrator, RoleEditor, RoleModerator, RoleAdvertiser}
	case NetworkOK:
		return []string{OKRoleAdmin, OKRoleModerator, OKRoleEditor, OKRoleAnalyst, OKRoleSuperModerator}
	}
	return nil
}

// OwnerRole returns the role of a network's page owner, held by at most
// one person per page: the creator on Telegram and VK, ADMIN on OK (OK
// calls its group's administrator «администратор (владелец)»; the other
// roles administer under it).
func OwnerRole(network string) string {
	switch network {
	case NetworkTelegram, NetworkVK:
		return RoleCreator
	case NetworkOK:
		return OKRoleAdmin
	}
	return ""
}

// PageAdmin is a person holding a role on a page.
type PageAdmin struct {
	// PersonOID is the person.
	PersonOID int64 `json:"person_oid"`
	// Role is one of [Roles] of the page's network.
	Role string `json:"role"`
}

// Page is a social-network page: a Telegram channel or group, a VK or OK
// community. It is the network-neutral view; each network's emulator keeps
// its own settings in its section of the world and its runtime state
// (messages, updates) itself.
type Page struct {
	// Network is "telegram", "vk" or "ok".
	Network string `json:"network"`
	// ID is the network's id of the page (Telegram chat id such as
	// -1001234567890; VK group id).
	ID int64 `json:"id"`
	// Kind is one of the network's [PageKinds].
	Kind string `json:"kind"`
	// TestEnv places the page in the network's test environment (Telegram's
	// /bot<token>/test/...), a namespace separate from production.
	TestEnv bool `json:"test_env,omitempty"`
	// Username is the public name without "@" (empty: private).
	Username string `json:"username,omitempty"`
	// Title and Description are the page's name and description.
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	// PhotoURL is the page's main photo (empty: none).
	PhotoURL string `json:"photo_url,omitempty"`
	// OwnerOrgOID is the organisation that runs the page (0: none).
	OwnerOrgOID int64 `json:"owner_org_oid,omitempty"`
	// Admins are the people holding a role on the page, owner included.
	Admins []PageAdmin `json:"admins,omitempty"`
	// Members are the person OIDs of ordinary members.
	Members []int64 `json:"members,omitempty"`
	// MemberCount overrides the reported member count (0: count admins and
	// members).
	MemberCount int `json:"member_count,omitempty"`
	// City and Topic are VK/OK page settings used by requirement checks.
	City  string `json:"city,omitempty"`
	Topic string `json:"topic,omitempty"`
	// Open reports an open (public) community.
	Open bool `json:"open,omitempty"`
	// Gov is the page's «Госорганизация» mark (VK and OK only). Scenarios
	// and [World.AddPage] may seed any valid state; afterwards it changes
	// only through [World.RequestGovMark], [World.ConfirmGovMark],
	// [World.RejectGovMark] and the loss a change of name or owner causes.
	Gov GovMark `json:"gov,omitzero"`
}

// Owner returns the OID of the person holding the network's owner role
// (0: none).
func (p Page) Owner() int64 {
	r := OwnerRole(p.Network)
	for _, a := range p.Admins {
		if r != "" && a.Role == r {
			return a.PersonOID
		}
	}
	return 0
}

// RoleOf returns the role of a person on the page ("" when none).
func (p Page) RoleOf(personOID int64) string {
	for _, a := range p.Admins {
		if a.PersonOID == personOID {
			return a.Role
		}
	}
	return ""
}

func (p Page) clone() Page {
	p.Admins = slices.Clone(p.Admins)
	p.Members = slices.Clone(p.Members)
	p.Gov.Reasons = slices.Clone(p.Gov.Reasons)
	return p
}

func validatePage(p Page) error {
	switch {
	case !knownNetwork(p.Network):
		return Fieldf(ErrInvalid, "network", "unknown network %q (known: %s)", p.Network, strings.Join(Networks(), ", "))
	case p.ID == 0:
		return Fieldf(ErrInvalid, "id", "is zero")
	case p.Title == "":
		return Fieldf(ErrInvalid, "title", "is empty")
	case !slices.Contains(PageKinds(p.Network), p.Kind):
		return Fieldf(ErrInvalid, "kind", "a %s page is %s", p.Network, strings.Join(PageKinds(p.Network), ", "))
	case p.Network == NetworkTelegram && p.ID > 0:
		return Fieldf(ErrInvalid, "id", "chat ids of Telegram channels and groups are negative")
	}
	owner := OwnerRole(p.Network)
	owners := 0
	seen := map[int64]bool{}
	for i, a := range p.Admins {
		path := Index("admins", i)
		switch {
		case a.PersonOID <= 0:
			return Fieldf(ErrInvalid, path+".person_oid", "must be positive")
		case seen[a.PersonOID]:
			return Fieldf(ErrDuplicate, path+".person_oid", "person %d holds two roles", a.PersonOID)
		case !slices.Contains(Roles(p.Network), a.Role):
			return Fieldf(ErrInvalid, path+".role", "%q is not a %s role (known: %s)", a.Role, p.Network, strings.Join(Roles(p.Network), ", "))
		}
		seen[a.PersonOID] = true
		if a.Role == owner {
			owners++
		}
	}
	if owners > 1 {
		return Fieldf(ErrInvalid, "admins", "more than one %s", owner)
	}
	if err := validateGov(p); err != nil {
		return InField("gov", err)
	}
	return nil
}

func pageError(p Page, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s page %d: %w", p.Network, p.ID, err)
}

type pageKey struct {
	network string
	id      int64
}

// nameKey is a username in its namespace (network and environment),
// case-folded so that usernames differing only in case collide, exactly
// as [strings.EqualFold] compares them.
type nameKey struct {
	network string
	testEnv bool
	folded  string
}

func nameKeyOf(p Page) nameKey {
	return nameKey{p.Network, p.TestEnv, foldName(p.Username)}
}

func comparePages(a, b Page) int {
	return cmp.Or(cmp.Compare(a.Network, b.Network), cmp.Compare(a.ID, b.ID))
}

// AddPage validates and adds a page.
func (w *World) AddPage(p Page) error {
	if err := validatePage(p); err != nil {
		return pageError(p, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.pages[pageKey{p.Network, p.ID}]; ok {
		return fmt.Errorf("%w: %s page %d", ErrDuplicate, p.Network, p.ID)
	}
	if err := w.usernameFreeLocked(p); err != nil {
		return err
	}
	w.putPageLocked(p.clone())
	w.changed()
	return nil
}

// UpdatePage replaces an existing page (matched by network and id). The
// page keeps its «Госорганизация» mark (p.Gov is ignored), except that a
// confirmed mark is lost when the name, the owning organisation or the
// owner changes.
func (w *World) UpdatePage(p Page) error {
	if err := validatePage(p); err != nil {
		return pageError(p, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	old, ok := w.pages[pageKey{p.Network, p.ID}]
	if !ok {
		return fmt.Errorf("%w: %s page %d", ErrNotFound, p.Network, p.ID)
	}
	if err := w.usernameFreeLocked(p); err != nil {
		return err
	}
	p = p.clone()
	w.carryGovLocked(old, &p)
	w.putPageLocked(p)
	w.changed()
	return nil
}

// ModifyPage applies f to a copy of a page and stores the result, atomically
// with respect to other mutations. The «Госорганизация» mark follows the
// rules of [World.UpdatePage].
func (w *World) ModifyPage(network string, id int64, f func(*Page) error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	p, ok := w.pages[pageKey{network, id}]
	if !ok {
		return fmt.Errorf("%w: %s page %d", ErrNotFound, network, id)
	}
	old := p
	p = p.clone()
	if err := f(&p); err != nil {
		return err
	}
	w.carryGovLocked(old, &p)
	if p.Network != network || p.ID != id {
		return fmt.Errorf("%w: a page's network and id cannot change", ErrInvalid)
	}
	if err := validatePage(p); err != nil {
		return pageError(p, err)
	}
	if err := w.usernameFreeLocked(p); err != nil {
		return err
	}
	w.putPageLocked(p)
	w.changed()
	return nil
}

// usernameFreeLocked reports ErrDuplicate when another page of p's network
// and environment holds p's username (in any case).
func (w *World) usernameFreeLocked(p Page) error {
	if p.Username == "" {
		return nil
	}
	if id, ok := w.names[nameKeyOf(p)]; ok && id != p.ID {
		return fmt.Errorf("%w: username %q", ErrDuplicate, p.Username)
	}
	return nil
}

// putPageLocked stores a page (new or replacing the one with its key) and
// keeps the username index in step: the page's old username is released
// and its new one taken. The caller has checked [World.usernameFreeLocked].
func (w *World) putPageLocked(p Page) {
	k := pageKey{p.Network, p.ID}
	w.deletePageLocked(k)
	w.pages[k] = p
	if p.Username != "" {
		w.names[nameKeyOf(p)] = p.ID
	}
}

// deletePageLocked removes a page and releases its username.
func (w *World) deletePageLocked(k pageKey) {
	old, ok := w.pages[k]
	if !ok {
		return
	}
	if old.Username != "" {
		if nk := nameKeyOf(old); w.names[nk] == old.ID {
			delete(w.names, nk)
		}
	}
	delete(w.pages, k)
}

// RemovePage deletes a page.
func (w *World) RemovePage(network string, id int64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.pages[pageKey{network, id}]; !ok {
		return fmt.Errorf("%w: %s page %d", ErrNotFound, network, id)
	}
	w.deletePageLocked(pageKey{network, id})
	w.changed()
	return nil
}

// Page returns a page by network and id.
func (w *World) Page(network string, id int64) (Page, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	p, ok := w.pages[pageKey{network, id}]
	if !ok {
		return Page{}, fmt.Errorf("%w: %s page %d", ErrNotFound, network, id)
	}
	return p.clone(), nil
}

// Pages returns the pages of a network ("" for all), sorted by network and
// id.
func (w *World) Pages(network string) []Page {
	w.mu.RLock()
	defer w.mu.RUnlock()
	var out []Page
	for k, p := range w.pages {
		if network == "" || k.network == network {
			out = append(out, p.clone())
		}
	}
	slices.SortFunc(out, comparePages)
	return out
}

// PagesOf returns the pages run by an organisation, sorted by network and
// id.
func (w *World) PagesOf(orgOID int64) []Page {
	var out []Page
	for _, p := range w.Pages("") {
		if p.OwnerOrgOID == orgOID {
			out = append(out, p)
		}
	}
	return out
}
