package vkmock

import (
	"hash/fnv"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/mock/world"
)

// cities are the emulator's VK city ids (VK's own for these cities).
var cities = []struct {
	ID    int64
	Title string
}{{1, "Москва"}, {2, "Санкт-Петербург"}, {10, "Архангельск"}, {99, "Новосибирск"}, {49, "Екатеринбург"}, {60, "Казань"}}

// cityID returns the id of a city name (an id derived from the name for
// cities outside the table).
func cityID(title string) int64 {
	for _, c := range cities {
		if strings.EqualFold(c.Title, title) {
			return c.ID
		}
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(strings.ToLower(title)))
	return 1000000 + int64(h.Sum32()%1000000)
}

func cityTitle(id int64) (string, bool) {
	for _, c := range cities {
		if c.ID == id {
			return c.Title, true
		}
	}
	return "", false
}

// publicCategories is public_category_list.
var publicCategories = []map[string]any{
	{"id": 1001, "name": "Бренд или организация", "subcategories": []map[string]any{{"id": 1, "name": "Компания"}}},
	{"id": GovCategoryID, "name": "Государственная организация", "subcategories": []map[string]any{}},
	{"id": 1003, "name": "Новости и СМИ", "subcategories": []map[string]any{}},
	{"id": 1004, "name": "Город, регион", "subcategories": []map[string]any{}},
}

func knownCategory(id int64) bool {
	for _, c := range publicCategories {
		if int64(c["id"].(int)) == id {
			return true
		}
	}
	return false
}

const placeholderPhoto = "https://vk.com/images/community_"

// access returns VK's access of a community: 0 open, 1 closed, 2 private.
func access(p world.Page, vc Community) int {
	switch {
	case vc.Private:
		return 2
	case p.Open:
		return 0
	}
	return 1
}

func screenName(p world.Page) string {
	if p.Username != "" {
		return p.Username
	}
	if p.Kind == world.PagePublic {
		return "public" + strconv.FormatInt(p.ID, 10)
	}
	return "club" + strconv.FormatInt(p.ID, 10)
}

func memberCount(p world.Page) int {
	if p.MemberCount > 0 {
		return p.MemberCount
	}
	return len(p.Admins) + len(p.Members)
}

// groupObject renders a community as groups.getById does in 5.199.
func (c *call) groupObject(p world.Page, fields []string) map[string]any {
	vc := c.s.sec.Community(p.ID)
	o := map[string]any{
		"id": p.ID, "name": p.Title, "screen_name": screenName(p), "is_closed": access(p, vc), "type": p.Kind,
	}
	photo := func(size string) string {
		if p.PhotoURL == "" {
			return placeholderPhoto + size + ".png"
		}
		return p.PhotoURL + "?size=" + size
	}
	o["photo_50"], o["photo_100"], o["photo_200"] = photo("50"), photo("100"), photo("200")
	role := c.role(p)
	if c.tok.Kind == KindUser {
		o["is_admin"] = b2i(role != "" && role != world.RoleAdvertiser)
		if lvl := adminLevel(role); lvl > 0 {
			o["admin_level"] = lvl
		}
		o["is_member"] = b2i(role != "")
	}
	for _, f := range fields {
		switch f {
		case "is_government_organization":
			o[f] = b2i(p.Gov.Confirmed())
		case "verified":
			o[f] = b2i(vc.Verified)
		case "has_photo":
			o[f] = b2i(p.PhotoURL != "")
		case "description":
			o[f] = p.Description
		case "city":
			if p.City != "" {
				o[f] = map[string]any{"id": cityID(p.City), "title": p.City}
			}
		case "activity":
			o[f] = vc.Activity
		case "members_count":
			o[f] = memberCount(p)
		case "site":
			o[f] = vc.Website
		case "links":
			links := make([]map[string]any, 0, len(vc.Links))
			for _, l := range vc.Links {
				links = append(links, map[string]any{"id": l.ID, "url": l.URL, "name": l.Name, "desc": l.Desc, "edit_title": 1})
			}
			o[f] = links
		case "menu":
			items := make([]map[string]any, 0, len(vc.Menu))
			for _, m := range vc.Menu {
				it := map[string]any{"id": m.ID, "title": m.Title, "url": m.URL, "type": "link"}
				if m.Cover != "" {
					it["cover"] = m.Cover
				}
				items = append(items, it)
			}
			o[f] = map[string]any{"items": items}
		case "main_section":
			o[f] = 0
		case "wall":
			o[f] = 1
		}
	}
	return o
}

func adminLevel(role string) int {
	switch role {
	case world.RoleModerator:
		return 1
	case world.RoleEditor:
		return 2
	case world.RoleAdministrator, world.RoleCreator:
		return 3
	}
	return 0
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// pageByName finds a VK page by id or screen name ("club1", "public1",
// "minsvyaz29").
func (c *call) pageByName(name string) (world.Page, bool) {
	name = strings.TrimPrefix(strings.TrimSpace(name), "-")
	if id, err := strconv.ParseInt(name, 10, 64); err == nil {
		p, err := c.s.w.Page(world.NetworkVK, id)
		return p, err == nil
	}
	for _, pre := range []string{"club", "public", "event"} {
		if rest, ok := strings.CutPrefix(name, pre); ok {
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
				p, err := c.s.w.Page(world.NetworkVK, id)
				return p, err == nil
			}
		}
	}
	for _, p := range c.s.w.Pages(world.NetworkVK) {
		if p.Username != "" && strings.EqualFold(p.Username, name) {
			return p, true
		}
	}
	return world.Page{}, false
}

func (c *call) groupsGetByID() (any, *apiError) {
	ids := splitList(c.str("group_ids"))
	if g := c.str("group_id"); g != "" {
		ids = append(ids, g)
	}
	if len(ids) == 0 {
		if c.tok.Kind != KindCommunity {
			return nil, errMissing("group_ids")
		}
		ids = []string{strconv.FormatInt(c.tok.GroupID, 10)}
	}
	if len(ids) > 500 {
		return nil, errInvalid("group_ids", "is too long")
	}
	fields := splitList(c.str("fields"))
	groups := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		p, ok := c.pageByName(id)
		if !ok {
			if len(ids) == 1 {
				return nil, errInvalid("group_ids", "is undefined")
			}
			continue
		}
		groups = append(groups, c.groupObject(p, fields))
	}
	return map[string]any{"groups": groups, "profiles": []any{}}, nil
}

func (c *call) groupsGetSettings() (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	vc := c.s.sec.Community(p.ID)
	out := map[string]any{
		"title": p.Title, "description": p.Description, "address": screenName(p), "access": access(p, vc),
		"website": vc.Website, "wall": 1, "photos": 1, "video": 1, "topics": 0, "links": 1, "contacts": 1,
		"public_category": vc.PublicCategory, "public_subcategory": vc.PublicSubcategory,
		"public_category_list": publicCategories, "main_section": 0, "secondary_section": 0,
		"country_id": 1, "country_name": "Россия", "obscene_filter": 0, "age_limits": 1,
	}
	if p.City != "" {
		out["city_id"], out["city_name"] = cityID(p.City), p.City
	}
	return out, nil
}

var screenNameRe = regexp.MustCompile(`^[a-z0-9_.]{5,32}$`)

func (c *call) groupsEdit() (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	if c.tok.Kind == KindCommunity && !c.tok.HasScope(ScopeManage) {
		return nil, errMsg(15, "no access to call this method")
	}
	var city string
	if c.p.has("city") {
		id, e := c.reqInt("city")
		if e != nil {
			return nil, e
		}
		if id != 0 {
			t, ok := cityTitle(id)
			if !ok {
				return nil, errInvalid("city", "is invalid")
			}
			city = t
		}
	}
	var acc int64 = -1
	if c.p.has("access") {
		a, e := c.reqInt("access")
		if e != nil {
			return nil, e
		}
		if a < 0 || a > 2 {
			return nil, errInvalid("access", "should be 0, 1 or 2")
		}
		acc = a
	}
	if sn := c.str("screen_name"); c.p.has("screen_name") && !screenNameRe.MatchString(sn) {
		return nil, errCode(1260)
	}
	var cat, sub int64 = -1, -1
	if c.p.has("public_category") {
		v, e := c.reqInt("public_category")
		if e != nil {
			return nil, e
		}
		if v != 0 && !knownCategory(v) {
			return nil, errInvalid("public_category", "is invalid")
		}
		cat = v
	}
	if c.p.has("public_subcategory") {
		v, e := c.reqInt("public_subcategory")
		if e != nil {
			return nil, e
		}
		sub = v
	}
	if c.p.has("title") && strings.TrimSpace(c.str("title")) == "" {
		return nil, errInvalid("title", "is empty")
	}
	err := c.s.w.ModifyPage(world.NetworkVK, p.ID, func(pg *world.Page) error {
		if c.p.has("title") {
			pg.Title = c.str("title")
		}
		if c.p.has("description") {
			pg.Description = c.str("description")
		}
		if c.p.has("city") {
			pg.City = city
		}
		if acc >= 0 {
			pg.Open = acc == 0
		}
		if c.p.has("screen_name") {
			pg.Username = c.str("screen_name")
		}
		return nil
	})
	if err != nil {
		if strings.Contains(err.Error(), "username") {
			return nil, errCode(1260)
		}
		return nil, errMsg(100, "invalid settings")
	}
	_ = c.s.sec.ModifyCommunity(p.ID, func(vc *Community) error {
		if acc >= 0 {
			vc.Private = acc == 2
		}
		if cat >= 0 {
			vc.PublicCategory = int(cat)
		}
		if sub >= 0 {
			vc.PublicSubcategory = int(sub)
		}
		if c.p.has("website") {
			vc.Website = c.str("website")
		}
		return nil
	})
	return 1, nil
}

func (c *call) groupsGetMembers() (any, *apiError) {
	p, e := c.group("group_id")
	if e != nil {
		return nil, e
	}
	offset, e := c.optInt("offset", 0)
	if e != nil {
		return nil, e
	}
	count, e := c.optInt("count", 1000)
	if e != nil {
		return nil, e
	}
	if offset < 0 || count < 0 || count > 1000 {
		return nil, errInvalid("count", "should be from 0 to 1000")
	}
	page := func(n int) (int, int) {
		lo := min(int(offset), n)
		return lo, min(lo+int(count), n)
	}
	switch c.str("filter") {
	case "managers":
		if !isManager(c.role(p)) {
			return nil, errMsg(15, "you don't have access to this group's managers")
		}
		items := []map[string]any{}
		for _, a := range p.Admins {
			per, err := c.s.w.Person(a.PersonOID)
			if err != nil || vkID(per) == 0 {
				continue
			}
			it := map[string]any{"id": vkID(per), "role": a.Role}
			if a.Role == world.RoleAdvertiser {
				it["permissions"] = []string{"ads"}
			}
			items = append(items, it)
		}
		slices.SortFunc(items, func(a, b map[string]any) int { return int(a["id"].(int64) - b["id"].(int64)) })
		lo, hi := page(len(items))
		return map[string]any{"count": len(items), "items": items[lo:hi]}, nil
	case "", "friends", "unsure", "donut":
	default:
		return nil, errInvalid("filter", "is invalid")
	}
	if access(p, c.s.sec.Community(p.ID)) != 0 && !isManager(c.role(p)) {
		return nil, errCode(203)
	}
	var ids []int64
	for _, a := range p.Admins {
		if per, err := c.s.w.Person(a.PersonOID); err == nil && vkID(per) != 0 {
			ids = append(ids, vkID(per))
		}
	}
	for _, m := range p.Members {
		if per, err := c.s.w.Person(m); err == nil && vkID(per) != 0 {
			ids = append(ids, vkID(per))
		}
	}
	slices.Sort(ids)
	if c.str("sort") == "id_desc" {
		slices.Reverse(ids)
	}
	lo, hi := page(len(ids))
	return map[string]any{"count": max(memberCount(p), len(ids)), "items": ids[lo:hi]}, nil
}

func (c *call) groupsAddLink() (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	link := strings.TrimSpace(c.str("link"))
	if link == "" {
		return nil, errMissing("link")
	}
	if !strings.HasPrefix(link, "http://") && !strings.HasPrefix(link, "https://") {
		return nil, errInvalid("link", "is invalid")
	}
	var out Link
	_ = c.s.sec.ModifyCommunity(p.ID, func(vc *Community) error {
		var next int64 = 1
		for _, l := range vc.Links {
			next = max(next, l.ID+1)
		}
		out = Link{ID: next, URL: link, Name: c.str("text")}
		if out.Name == "" {
			out.Name = link
		}
		vc.Links = append(vc.Links, out)
		return nil
	})
	return map[string]any{"id": out.ID, "url": out.URL, "name": out.Name, "desc": out.Desc, "edit_title": 1, "image_processing": 0}, nil
}

// withLink runs f on the link named by link_id.
func (c *call) withLink(f func(vc *Community, i int) *apiError) (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	id, e := c.reqInt("link_id")
	if e != nil {
		return nil, e
	}
	var out *apiError
	_ = c.s.sec.ModifyCommunity(p.ID, func(vc *Community) error {
		i := slices.IndexFunc(vc.Links, func(l Link) bool { return l.ID == id })
		if i < 0 {
			out = errInvalid("link_id", "is invalid")
			return nil
		}
		out = f(vc, i)
		return nil
	})
	if out != nil {
		return nil, out
	}
	return 1, nil
}

func (c *call) groupsEditLink() (any, *apiError) {
	return c.withLink(func(vc *Community, i int) *apiError {
		vc.Links[i].Name = c.str("text")
		return nil
	})
}

func (c *call) groupsDeleteLink() (any, *apiError) {
	return c.withLink(func(vc *Community, i int) *apiError {
		vc.Links = slices.Delete(vc.Links, i, i+1)
		return nil
	})
}

func (c *call) groupsReorderLink() (any, *apiError) {
	after, e := c.optInt("after", 0)
	if e != nil {
		return nil, e
	}
	return c.withLink(func(vc *Community, i int) *apiError {
		l := vc.Links[i]
		vc.Links = slices.Delete(vc.Links, i, i+1)
		pos := 0
		if after != 0 {
			j := slices.IndexFunc(vc.Links, func(o Link) bool { return o.ID == after })
			if j < 0 {
				vc.Links = slices.Insert(vc.Links, i, l)
				return errInvalid("after", "is invalid")
			}
			pos = j + 1
		}
		vc.Links = slices.Insert(vc.Links, pos, l)
		return nil
	})
}

func (c *call) groupsGetTokenPermissions() (any, *apiError) {
	perms := []map[string]any{}
	bits := map[string]int{ScopeManage: 262144, ScopeMessages: 4096, ScopePhotos: 4, ScopeWall: 8192}
	mask := 0
	for _, sc := range c.tok.Scopes {
		if b, ok := bits[sc]; ok {
			perms = append(perms, map[string]any{"name": sc, "setting": b})
			mask |= b
		}
	}
	return map[string]any{"mask": mask, "permissions": perms}, nil
}

func (c *call) utilsResolveScreenName() (any, *apiError) {
	name := strings.TrimSpace(c.str("screen_name"))
	if name == "" {
		return nil, errMissing("screen_name")
	}
	name = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(name, "https://vk.com/"), "vk.com/"), "@")
	if p, ok := c.pageByName(name); ok && !isNumeric(name) {
		return map[string]any{"type": p.Kind, "object_id": p.ID}, nil
	}
	if rest, ok := strings.CutPrefix(name, "id"); ok && isNumeric(rest) {
		id, _ := strconv.ParseInt(rest, 10, 64)
		if _, err := c.s.w.PersonByAccount(world.NetworkVK, id); err == nil {
			return map[string]any{"type": "user", "object_id": id}, nil
		}
	}
	for _, per := range c.s.w.People() {
		if a, ok := per.Account(world.NetworkVK); ok && a.Username != "" && strings.EqualFold(a.Username, name) {
			return map[string]any{"type": "user", "object_id": a.UserID}, nil
		}
	}
	return []any{}, nil
}

func isNumeric(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
