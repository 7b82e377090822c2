package okmock

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// call is one authenticated API call.
type call struct {
	s      *Server
	params url.Values
	app    Application
	token  *Token // nil for a session-less call
	person world.Person
	okID   int64
}

// methodDef describes an API method.
type methodDef struct {
	// session: "required", "optional".
	session string
	// perms the token must carry (when a session is given).
	perms []string
	run   func(c *call) (any, *apiError)
}

var methods map[string]methodDef

func init() {
	methods = map[string]methodDef{
		"users.getcallsleft":       {session: "optional", run: (*call).getCallsLeft},
		"group.getinfo":            {session: "optional", perms: []string{PermValuableAccess, PermGroupContent}, run: (*call).groupGetInfo},
		"group.getusergroupsv2":    {session: "required", perms: []string{PermValuableAccess}, run: (*call).getUserGroupsV2},
		"group.getusergroupsbyids": {session: "required", perms: []string{PermValuableAccess}, run: (*call).getUserGroupsByIDs},
		"group.getmembers":         {session: "optional", perms: []string{PermValuableAccess}, run: (*call).getMembers},
		"group.getcounters":        {session: "required", perms: []string{PermValuableAccess, PermGroupContent}, run: (*call).getCounters},
		"group.getstattopic":       {session: "required", perms: []string{PermValuableAccess, PermGroupContent}, run: (*call).getStatTopic},
		"group.getstatoverview":    {session: "required", perms: []string{PermValuableAccess, PermGroupContent}, run: (*call).getStatOverview},
		"url.getinfo":              {session: "optional", run: (*call).urlGetInfo},
		"mediatopic.post":          {session: "required", perms: []string{PermValuableAccess, PermGroupContent}, run: (*call).mediatopicPost},
		"mediatopic.getbyids":      {session: "optional", perms: []string{PermValuableAccess}, run: (*call).mediatopicGetByIDs},
		"photosv2.getuploadurl":    {session: "required", perms: []string{PermValuableAccess, PermPhotoContent}, run: (*call).photoUploadURL},
		"video.getuploadurl":       {session: "required", perms: []string{PermValuableAccess, PermVideoContent}, run: (*call).videoUploadURL},
		"auth.touchsession":        {session: "required", run: (*call).touchSession},
		"users.getcurrentuser":     {session: "required", perms: []string{PermValuableAccess}, run: (*call).currentUser},
		"discussions.getlist":      {session: "required", perms: []string{PermValuableAccess}, run: (*call).discussionsGetList},
		"discussions.getcomments":  {session: "required", perms: []string{PermValuableAccess}, run: (*call).discussionsGetComments},
		"discussions.addcomment":   {session: "required", perms: []string{PermValuableAccess}, run: (*call).discussionsAddComment},
	}
}

func canonicalMethods() []string {
	out := make([]string, 0, len(methods))
	for k := range methods {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// serveAPI authenticates an API call and runs it. The checks come in
// OK's order: application key (101), method (3), session (103, 453),
// signature (104), expiry (102), permissions (10).
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, ec *emu.Call, req *request) {
	res, e := s.api(req)
	if e != nil {
		ec.Code, ec.Description = e.Code, e.Msg
		writeError(w, e)
		return
	}
	writeResult(w, res)
}

func (s *Server) api(req *request) (any, *apiError) {
	p := req.params
	app := s.sec.Application()
	key := p.Get("application_key")
	if key == "" {
		return nil, errf(CodeParamAPIKey, "application_key is missing")
	}
	if app.Key == "" || key != app.Key {
		return nil, errf(CodeParamAPIKey, "unknown application_key")
	}
	if req.method == "" {
		return nil, errf(CodeParam, "method is missing")
	}
	def, ok := methods[strings.ToLower(req.method)]
	if !ok {
		return nil, errf(CodeMethod, "method "+req.method+" does not exist")
	}
	if f := p.Get("format"); f != "" && !strings.EqualFold(f, "json") {
		return nil, errf(CodeParam, "format must be json")
	}
	c := &call{s: s, params: p, app: app}
	access := p.Get("access_token")
	sessionKey := p.Get("session_key")
	if access == "" {
		access = sessionKey
	}
	var secrets []string
	if access != "" {
		t, ok := s.sec.Token(access)
		if !ok {
			return nil, errf(CodeParamSessionKey, "invalid session key")
		}
		c.token = &t
		secrets = []string{t.SessionSecret, SessionSecret(access, app.Secret)}
	} else {
		if def.session == "required" {
			return nil, errf(CodeSessionRequired, "session_key or access_token is required")
		}
		secrets = []string{app.Secret}
	}
	sig := p.Get("sig")
	req.sigChecked = true
	req.sigValid = sig != "" && verifySignature(p, sig, secrets...)
	if !req.sigValid {
		return nil, errf(CodeParamSignature, "invalid signature")
	}
	if c.token != nil {
		if !c.token.ExpiresAt.IsZero() && !s.w.Clock.Now().Before(c.token.ExpiresAt) {
			return nil, errf(CodeParamSessionExpired, "session expired")
		}
		person, err := s.w.Person(c.token.PersonOID)
		if err != nil {
			return nil, errf(CodeParamSessionExpired, "session expired")
		}
		c.person, c.okID = person, person.Accounts[world.NetworkOK].UserID
		for _, perm := range def.perms {
			if !c.token.Has(perm) {
				return nil, errf(CodePermissionDenied, "method requires permission "+perm)
			}
		}
	}
	return def.run(c)
}

// ---- helpers ----

func (c *call) groupID(names ...string) (world.Page, *apiError) {
	var raw string
	for _, n := range names {
		if v := c.params.Get(n); v != "" {
			raw = v
			break
		}
	}
	if raw == "" {
		return world.Page{}, errf(CodeParam, names[0]+" is missing")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return world.Page{}, errf(CodeParamGroupID, "invalid group id")
	}
	p, err := c.s.w.Page(world.NetworkOK, id)
	if err != nil {
		return world.Page{}, errf(CodeParamGroupID, "group not found")
	}
	return p, nil
}

func (c *call) role(p world.Page) string {
	if c.token == nil {
		return ""
	}
	return p.RoleOf(c.token.PersonOID)
}

func canPost(role string) bool {
	return role == world.OKRoleAdmin || role == world.OKRoleSuperModerator || role == world.OKRoleModerator || role == world.OKRoleEditor
}

func canSeeStats(role string) bool { return canPost(role) || role == world.OKRoleAnalyst }

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func (s *Server) accessType(p world.Page) string {
	switch {
	case p.Open:
		return AccessOpen
	case s.sec.Group(p.ID).Secret:
		return AccessSecret
	}
	return AccessClosed
}

func memberCount(p world.Page) int {
	if p.MemberCount > 0 {
		return p.MemberCount
	}
	return len(p.Admins) + len(p.Members)
}

// ---- methods ----

func (c *call) getCallsLeft() (any, *apiError) {
	names := splitList(c.params.Get("methods"))
	if len(names) == 0 {
		return nil, errf(CodeParam, "methods is missing")
	}
	type left struct {
		Name      string `json:"name"`
		Available bool   `json:"available"`
		CallsLeft int    `json:"callsLeft"`
	}
	out := make([]left, 0, len(names))
	for _, n := range names {
		_, known := methods[strings.ToLower(n)]
		out = append(out, left{Name: n, Available: known, CallsLeft: 10000})
	}
	return out, nil
}

func (c *call) groupGetInfo() (any, *apiError) {
	ids := splitList(c.params.Get("uids"))
	if len(ids) == 0 {
		return nil, errf(CodeParam, "uids is missing")
	}
	fields := splitList(strings.ToLower(c.params.Get("fields")))
	if len(fields) == 0 {
		return nil, errf(CodeParam, "fields is missing")
	}
	out := []map[string]any{}
	for _, raw := range ids {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, errf(CodeParamGroupID, "invalid group id")
		}
		p, err := c.s.w.Page(world.NetworkOK, id)
		if err != nil {
			continue
		}
		if c.s.accessType(p) == AccessSecret && c.role(p) == "" && !slices.Contains(p.Members, c.person.OID) {
			continue
		}
		out = append(out, c.s.groupObject(p, fields, c.role(p)))
	}
	return out, nil
}

func (s *Server) groupObject(p world.Page, fields []string, role string) map[string]any {
	g := map[string]any{"uid": strconv.FormatInt(p.ID, 10)}
	for _, f := range fields {
		switch f {
		case "name":
			g["name"] = p.Title
		case "description":
			g["description"] = p.Description
		case "shortname":
			g["shortname"] = p.Username
		case "pic_avatar", "main_photo":
			if p.PhotoURL != "" {
				g[f] = p.PhotoURL
			}
		case "photo_id":
			if p.PhotoURL != "" {
				g["photo_id"] = strconv.FormatInt(p.ID, 10) + "1"
			}
		case "access_type":
			g["access_type"] = s.accessType(p)
		case "category":
			if p.Topic != "" {
				g["category"] = p.Topic
			}
		case "city":
			if p.City != "" {
				g["city"] = p.City
			}
		case "members_count":
			g["members_count"] = memberCount(p)
		case "gos_org":
			g["gos_org"] = p.Gov.Confirmed()
		case "admin_id":
			if o := p.Owner(); o != 0 {
				if per, err := s.w.Person(o); err == nil {
					g["admin_id"] = strconv.FormatInt(per.Accounts[world.NetworkOK].UserID, 10)
				}
			}
		case "role":
			if role != "" {
				g["role"] = role
			}
		case "publish_delayed_theme_allowed", "add_theme_allowed":
			g[f] = canPost(role)
		case "stats_allowed":
			g[f] = canSeeStats(role)
		case "premium", "business":
			g[f] = false
		}
	}
	return g
}

func (c *call) pagesOf(oid int64) []world.Page {
	var out []world.Page
	for _, p := range c.s.w.Pages(world.NetworkOK) {
		if p.RoleOf(oid) != "" || slices.Contains(p.Members, oid) {
			out = append(out, p)
		}
	}
	return out
}

func (c *call) personByUID(raw string) (world.Person, bool) {
	uid, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return world.Person{}, false
	}
	p, err := c.s.w.PersonByAccount(world.NetworkOK, uid)
	return p, err == nil
}

func (c *call) getUserGroupsV2() (any, *apiError) {
	who := c.person
	if raw := c.params.Get("uid"); raw != "" {
		p, ok := c.personByUID(raw)
		if !ok {
			return nil, errf(CodeParam, "invalid uid")
		}
		who = p
	}
	count := 100
	if v := c.params.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return nil, errf(CodeParam, "invalid count")
		}
		count = min(n, 100)
	}
	start := 0
	if v := c.params.Get("anchor"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, errf(CodeParam, "invalid anchor")
		}
		start = n
	}
	pages := c.pagesOf(who.OID)
	type ug struct {
		GroupID string `json:"groupId"`
		UserID  string `json:"userId"`
	}
	groups := []ug{}
	uid := strconv.FormatInt(who.Accounts[world.NetworkOK].UserID, 10)
	for i := start; i < len(pages) && len(groups) < count; i++ {
		groups = append(groups, ug{strconv.FormatInt(pages[i].ID, 10), uid})
	}
	res := map[string]any{"groups": groups}
	if next := start + len(groups); next < len(pages) {
		res["anchor"] = strconv.Itoa(next)
	}
	return res, nil
}

// status is a person's membership status in a group.
func status(p world.Page, oid int64) string {
	switch p.RoleOf(oid) {
	case world.OKRoleAdmin:
		return "ADMIN"
	case "":
		if slices.Contains(p.Members, oid) {
			return "ACTIVE"
		}
		return "UNKNOWN"
	default:
		return "MODERATOR"
	}
}

func (c *call) getUserGroupsByIDs() (any, *apiError) {
	p, e := c.groupID("group_id")
	if e != nil {
		return nil, e
	}
	uids := splitList(c.params.Get("uids"))
	if len(uids) == 0 || len(uids) > 100 {
		return nil, errf(CodeParam, "uids must list 1 to 100 users")
	}
	type membership struct {
		GroupID string   `json:"groupId"`
		UserID  string   `json:"userId"`
		Status  string   `json:"status"`
		Role    []string `json:"role,omitempty"`
	}
	out := []membership{}
	for _, raw := range uids {
		per, ok := c.personByUID(raw)
		m := membership{GroupID: strconv.FormatInt(p.ID, 10), UserID: raw, Status: "UNKNOWN"}
		if ok {
			m.Status = status(p, per.OID)
			if r := p.RoleOf(per.OID); r != "" {
				m.Role = []string{r}
			}
		}
		out = append(out, m)
	}
	return map[string]any{"memberships": out}, nil
}

func (c *call) getMembers() (any, *apiError) {
	p, e := c.groupID("uid", "gid")
	if e != nil {
		return nil, e
	}
	if c.s.accessType(p) != AccessOpen && c.role(p) == "" {
		return nil, errf(CodeParamPermission, "group members are private")
	}
	want := splitList(strings.ToUpper(c.params.Get("statuses")))
	type member struct {
		UserID string `json:"userId"`
		Status string `json:"status"`
	}
	var all []member
	add := func(oid int64) {
		per, err := c.s.w.Person(oid)
		if err != nil {
			return
		}
		st := status(p, oid)
		if len(want) > 0 && !slices.Contains(want, st) {
			return
		}
		all = append(all, member{strconv.FormatInt(per.Accounts[world.NetworkOK].UserID, 10), st})
	}
	for _, a := range p.Admins {
		add(a.PersonOID)
	}
	for _, m := range p.Members {
		add(m)
	}
	count := 100
	if v := c.params.Get("count"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			count = min(n, 100)
		}
	}
	start := 0
	if v := c.params.Get("anchor"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			start = min(n, len(all))
		}
	}
	end := min(start+count, len(all))
	res := map[string]any{"members": append([]member{}, all[start:end]...), "has_more": end < len(all)}
	if end < len(all) {
		res["anchor"] = strconv.Itoa(end)
	}
	return res, nil
}

func (c *call) getCounters() (any, *apiError) {
	p, e := c.groupID("group_id")
	if e != nil {
		return nil, e
	}
	types := splitList(strings.ToLower(c.params.Get("counterTypes")))
	if len(types) == 0 {
		return nil, errf(CodeParam, "counterTypes is missing")
	}
	themes, photos, videos := c.s.countContent(p.ID)
	moderators := 0
	for _, a := range p.Admins {
		if a.Role != world.OKRoleAdmin {
			moderators++
		}
	}
	counters := map[string]int{}
	for _, t := range types {
		switch t {
		case "themes":
			counters[t] = themes
		case "members":
			counters[t] = memberCount(p)
		case "photos", "photo_albums":
			counters[t] = photos
		case "videos":
			counters[t] = videos
		case "moderators":
			counters[t] = moderators
		case "links", "join_requests", "black_list", "products", "maybe":
			counters[t] = 0
		}
	}
	return map[string]any{"counters": counters}, nil
}

func (c *call) touchSession() (any, *apiError) {
	if c.token.Has(PermLongAccessToken) && !c.token.ExpiresAt.IsZero() {
		t := *c.token
		t.ExpiresAt = c.s.w.Clock.Now().Add(LongTokenLifetime)
		_ = c.s.sec.PutToken(t, "")
	}
	return map[string]any{"success": true}, nil
}

func (c *call) currentUser() (any, *apiError) {
	return map[string]any{
		"uid": strconv.FormatInt(c.okID, 10), "first_name": c.person.FirstName, "last_name": c.person.LastName,
		"name": strings.TrimSpace(c.person.FirstName + " " + c.person.LastName),
	}, nil
}

var okURLRe = regexp.MustCompile(`^https?://(?:www\.|m\.)?ok\.ru/(?:group/(\d+)|([A-Za-z0-9_.-]+))/?$`)

func (c *call) urlGetInfo() (any, *apiError) {
	u := c.params.Get("url")
	if u == "" {
		return nil, errf(CodeParam, "url is missing")
	}
	m := okURLRe.FindStringSubmatch(u)
	if m == nil {
		return nil, errf(CodeNotFound, "object not found")
	}
	var page *world.Page
	for _, p := range c.s.w.Pages(world.NetworkOK) {
		if (m[1] != "" && strconv.FormatInt(p.ID, 10) == m[1]) || (m[2] != "" && m[2] != "group" && strings.EqualFold(p.Username, m[2])) {
			page = &p
			break
		}
	}
	if page == nil {
		if m[2] != "" {
			for _, per := range c.s.w.People() {
				if a, ok := per.Accounts[world.NetworkOK]; ok && a.Username != "" && strings.EqualFold(a.Username, m[2]) {
					id := strconv.FormatInt(a.UserID, 10)
					return map[string]any{"objectId": a.UserID, "objectIdStr": id, "objectIdEncoded": id, "type": "USER"}, nil
				}
			}
		}
		return nil, errf(CodeNotFound, "object not found")
	}
	id := strconv.FormatInt(page.ID, 10)
	return map[string]any{"objectId": page.ID, "objectIdStr": id, "objectIdEncoded": id, "type": "GROUP"}, nil
}
