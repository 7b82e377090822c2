package vkmock

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// Token kinds a method accepts (vk-api-schema access_token_type).
var (
	anyKind       = []string{KindUser, KindCommunity, KindService}
	userGroup     = []string{KindUser, KindCommunity}
	userOnly      = []string{KindUser}
	userService   = []string{KindUser, KindService}
	communityOnly = []string{KindCommunity}
)

// method is one API method: the token kinds it accepts, the user-token
// scope it needs, and its handler.
type method struct {
	name  string
	kinds []string
	scope string
	h     func(c *call) (any, *apiError)
}

// call is one API call being served (an HTTP request, or a call inside
// execute).
type call struct {
	s      *Server
	tok    Token
	p      params
	r      *http.Request
	now    time.Time
	method string
	inExec bool // inside execute
}

func (s *Server) methodTable() map[string]method {
	list := []method{
		{name: "groups.getById", kinds: anyKind, h: (*call).groupsGetByID},
		{name: "groups.getSettings", kinds: userOnly, scope: ScopeGroups, h: (*call).groupsGetSettings},
		{name: "groups.edit", kinds: userGroup, scope: ScopeGroups, h: (*call).groupsEdit},
		{name: "groups.getMembers", kinds: anyKind, h: (*call).groupsGetMembers},
		{name: "groups.addLink", kinds: userOnly, scope: ScopeGroups, h: (*call).groupsAddLink},
		{name: "groups.editLink", kinds: userOnly, scope: ScopeGroups, h: (*call).groupsEditLink},
		{name: "groups.deleteLink", kinds: userOnly, scope: ScopeGroups, h: (*call).groupsDeleteLink},
		{name: "groups.reorderLink", kinds: userOnly, scope: ScopeGroups, h: (*call).groupsReorderLink},
		{name: "groups.getTokenPermissions", kinds: communityOnly, h: (*call).groupsGetTokenPermissions},
		{name: "groups.getLongPollServer", kinds: userGroup, h: (*call).groupsGetLongPollServer},
		{name: "groups.setLongPollSettings", kinds: userGroup, h: (*call).groupsSetLongPollSettings},
		{name: "groups.getLongPollSettings", kinds: userGroup, h: (*call).groupsGetLongPollSettings},
		{name: "groups.addCallbackServer", kinds: userGroup, h: (*call).groupsAddCallbackServer},
		{name: "groups.editCallbackServer", kinds: userGroup, h: (*call).groupsEditCallbackServer},
		{name: "groups.deleteCallbackServer", kinds: userGroup, h: (*call).groupsDeleteCallbackServer},
		{name: "groups.getCallbackServers", kinds: userGroup, h: (*call).groupsGetCallbackServers},
		{name: "groups.setCallbackSettings", kinds: userGroup, h: (*call).groupsSetCallbackSettings},
		{name: "groups.getCallbackSettings", kinds: userGroup, h: (*call).groupsGetCallbackSettings},
		{name: "groups.getCallbackConfirmationCode", kinds: userGroup, h: (*call).groupsGetCallbackConfirmationCode},
		{name: "utils.resolveScreenName", kinds: anyKind, h: (*call).utilsResolveScreenName},
		{name: "wall.post", kinds: userOnly, scope: ScopeWall, h: (*call).wallPost},
		{name: "wall.edit", kinds: userOnly, scope: ScopeWall, h: (*call).wallEdit},
		{name: "wall.delete", kinds: userOnly, scope: ScopeWall, h: (*call).wallDelete},
		{name: "wall.getById", kinds: userService, h: (*call).wallGetByID},
		{name: "wall.get", kinds: userService, h: (*call).wallGet},
		{name: "wall.createComment", kinds: userOnly, scope: ScopeWall, h: (*call).wallCreateComment},
		{name: "photos.getWallUploadServer", kinds: userOnly, scope: ScopePhotos, h: (*call).photosGetWallUploadServer},
		{name: "photos.saveWallPhoto", kinds: userOnly, scope: ScopePhotos, h: (*call).photosSaveWallPhoto},
		{name: "video.save", kinds: userOnly, scope: ScopeVideo, h: (*call).videoSave},
		{name: "polls.create", kinds: userOnly, scope: ScopeWall, h: (*call).pollsCreate},
		{name: "stats.get", kinds: userOnly, scope: ScopeStats, h: (*call).statsGet},
		{name: "stats.getPostReach", kinds: userOnly, scope: ScopeStats, h: (*call).statsGetPostReach},
		{name: "messages.send", kinds: communityOnly, h: (*call).messagesSend},
		{name: "execute", kinds: userGroup},
	}
	out := make(map[string]method, len(list))
	for _, m := range list {
		out[strings.ToLower(m.name)] = m
	}
	return out
}

// serveMethod checks a /method/ request in VK's order and runs it.
func (s *Server) serveMethod(r *http.Request, c *emu.Call, q *request) (any, *apiError) {
	if q.perr != nil {
		if q.perr == errTooLarge {
			return nil, errMsg(8, "request body is too large")
		}
		return nil, errMsg(8, "malformed request")
	}
	m, ok := s.methods[c.Method]
	if !ok {
		return nil, errCode(3)
	}
	if q.token == "" {
		return nil, errAuth("no access_token passed.")
	}
	tok, ok := s.sec.Token(q.token)
	if !ok {
		return nil, errAuth("invalid access_token (4).")
	}
	if e := checkKind(m, tok); e != nil {
		return nil, e
	}
	if q.p.str("v") == "" {
		return nil, errMsg(8, "v (version) is required")
	}
	now := s.w.Clock.Now()
	if e := s.limit(tok, c.Method, now); e != nil {
		return nil, e
	}
	if e := s.checkCaptcha(q.p); e != nil {
		return nil, e
	}
	cl := &call{s: s, tok: tok, p: q.p, r: r, now: now, method: m.name}
	if c.Method == "execute" {
		return cl.execute(c.Tenant)
	}
	return m.h(cl)
}

// checkKind answers the error VK gives for a token of the wrong kind or
// without the method's scope.
func checkKind(m method, tok Token) *apiError {
	if !slices.Contains(m.kinds, tok.Kind) {
		switch tok.Kind {
		case KindCommunity:
			return errCode(27)
		case KindService:
			return errCode(28)
		default:
			return errAuth("method is unavailable with user token.")
		}
	}
	if m.scope != "" && tok.Kind == KindUser && !tok.HasScope(m.scope) {
		return errMsg(15, "no access to call this method")
	}
	return nil
}

// limit applies the per-token rate (error 6) and the per-method daily
// quota (error 29), on the world clock.
func (s *Server) limit(tok Token, method string, now time.Time) *apiError {
	l := s.Limits()
	if l.Disabled {
		return nil
	}
	rps := l.UserRPS
	switch tok.Kind {
	case KindCommunity:
		rps = l.CommunityRPS
	case KindService:
		rps = l.ServiceRPS
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	lim := s.st.limiters[tok.Token]
	if lim == nil {
		b := int(rps)
		if b < 1 {
			b = 1
		}
		lim = rate.NewLimiter(rate.Limit(rps), b)
		s.st.limiters[tok.Token] = lim
	}
	if !lim.AllowN(now, 1) {
		return errCode(6)
	}
	q := 0
	for m, n := range l.MethodQuotas {
		if strings.EqualFold(m, method) {
			q = n
		}
	}
	if q > 0 {
		k := quotaKey{tok.Token, method, day(now)}
		if s.st.quotas[k] >= q {
			return errCode(29)
		}
		s.st.quotas[k]++
	}
	return nil
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// ---- parameter helpers ----

func (c *call) str(name string) string { return c.p.str(name) }

// int reads an integer parameter; missing reports whether it was absent.
func (c *call) int(name string) (v int64, missing bool, e *apiError) {
	raw := strings.TrimSpace(c.p.str(name))
	if raw == "" {
		return 0, true, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, false, errInvalid(name, "not integer")
	}
	return n, false, nil
}

// reqInt reads a required integer parameter.
func (c *call) reqInt(name string) (int64, *apiError) {
	v, missing, e := c.int(name)
	if e != nil {
		return 0, e
	}
	if missing {
		return 0, errMissing(name)
	}
	return v, nil
}

func (c *call) optInt(name string, def int64) (int64, *apiError) {
	v, missing, e := c.int(name)
	if e != nil {
		return 0, e
	}
	if missing {
		return def, nil
	}
	return v, nil
}

func (c *call) flag(name string) bool {
	v := c.p.str(name)
	return v == "1" || v == "true"
}

// ---- people and pages ----

// person returns the world person of the token's user (user tokens).
func (c *call) person() (world.Person, bool) {
	if c.tok.Kind != KindUser {
		return world.Person{}, false
	}
	p, err := c.s.w.PersonByAccount(world.NetworkVK, c.tok.UserID)
	return p, err == nil
}

// vkID returns a person's VK user id (0 when none).
func vkID(p world.Person) int64 {
	if a, ok := p.Account(world.NetworkVK); ok {
		return a.UserID
	}
	return 0
}

// role returns the token's role on a page: the user's role, or
// "administrator" for the page's own community token.
func (c *call) role(p world.Page) string {
	switch c.tok.Kind {
	case KindCommunity:
		if c.tok.GroupID == p.ID {
			return world.RoleAdministrator
		}
	case KindUser:
		if per, ok := c.person(); ok {
			return p.RoleOf(per.OID)
		}
	}
	return ""
}

func isAdmin(role string) bool {
	return role == world.RoleCreator || role == world.RoleAdministrator
}

func isManager(role string) bool { return role != "" }

// group reads a group id parameter (positive, or a negative owner id) and
// returns its page.
func (c *call) group(name string) (world.Page, *apiError) {
	id, e := c.reqInt(name)
	if e != nil {
		return world.Page{}, e
	}
	if id < 0 {
		id = -id
	}
	p, err := c.s.w.Page(world.NetworkVK, id)
	if err != nil || id == 0 {
		return world.Page{}, errCode(125)
	}
	if c.tok.Kind == KindCommunity && c.tok.GroupID != id {
		return world.Page{}, errMsg(15, "no access to this group")
	}
	return p, nil
}

// adminGroup is group for a call that needs an administrator.
func (c *call) adminGroup(name string) (world.Page, *apiError) {
	p, e := c.group(name)
	if e != nil {
		return p, e
	}
	if !isAdmin(c.role(p)) {
		return p, errMsg(15, "you don't have permissions to manage this group")
	}
	return p, nil
}
