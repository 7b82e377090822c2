package ok

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"strings"

	"github.com/gospubliki/gosdk/core"
)

// Group access types (group.getInfo access_type).
const (
	AccessOpen   = "OPEN"
	AccessClosed = "CLOSED"
	AccessSecret = "SECRET"
)

// DefaultGroupFields returns the fields GetGroupInfo asks for when the
// request names none: what the «Госорганизация» checks and the publisher
// need.
func DefaultGroupFields() []string {
	return []string{"uid", "name", "description", "shortname", "pic_avatar", "photo_id", "main_photo", "access_type",
		"category", "subcategory", "city", "country", "members_count", "gos_org", "status", "premium"}
}

// GetGroupInfoRequest is the request of group.getInfo.
type GetGroupInfoRequest struct {
	// GroupIDs are the groups (uids, at most 100).
	GroupIDs []string `url:"uids,comma"`
	// Fields are the group fields to return (plain lowercase names, such as
	// "name", "access_type"); DefaultGroupFields() when empty.
	Fields []string `url:"fields,comma"`
	// MoveToTop moves the groups to the top of the user's list.
	MoveToTop bool `url:"move_to_top,omitempty"`
}

// Group is a group as group.getInfo returns it. A field OK did not return
// is zero; Has tells a field that is absent (unknown) from one that is
// empty.
type Group struct {
	// UID is the group id.
	UID ID
	// Name is the group's name.
	Name string
	// Description is the group's description.
	Description string
	// Shortname is the group's short address (ok.ru/<shortname>).
	Shortname string
	// PicAvatar is the URL of the group's avatar (a placeholder picture
	// when the group has no main photo).
	PicAvatar string
	// PhotoID is the id of the group's main photo ("" when it has none).
	PhotoID ID
	// AccessType is AccessOpen, AccessClosed or AccessSecret.
	AccessType string
	// Category and Subcategory are the group's topic (тематика).
	Category    string
	Subcategory string
	// City and Country are the group's location.
	City    string
	Country string
	// MembersCount is the number of members.
	MembersCount int64
	// Status is the group's status line.
	Status string
	// GosOrg is OK's government organisation flag (gos_org): nil when OK
	// did not return it.
	GosOrg *bool
	// Raw is the group object as OK sent it, for the fields the struct
	// does not name.
	Raw json.RawMessage

	present uint32 // bit i: groupFieldNames[i] was present
}

// groupFieldNames are the fields Group names, in the order of the
// present bits.
var groupFieldNames = [...]string{"uid", "name", "description", "shortname", "pic_avatar", "photo_id", "access_type",
	"category", "subcategory", "city", "country", "members_count", "status", "gos_org"}

// Has reports whether OK returned field (a value that is not null).
func (g *Group) Has(field string) bool {
	for i, n := range groupFieldNames {
		if n == field {
			return g.present&(1<<i) != 0
		}
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(g.Raw, &m) != nil {
		return false
	}
	v, ok := m[field]
	return ok && string(bytes.TrimSpace(v)) != "null"
}

// groupWire is the wire form of a group; every field is read leniently.
type groupWire struct {
	UID          flexStr    `json:"uid"`
	GroupID      flexStr    `json:"groupId"`
	Name         flexStr    `json:"name"`
	Description  flexStr    `json:"description"`
	Shortname    flexStr    `json:"shortname"`
	PicAvatar    flexStr    `json:"pic_avatar"`
	PhotoID      flexStr    `json:"photo_id"`
	AccessType   flexStr    `json:"access_type"`
	Category     flexStr    `json:"category"`
	Subcategory  flexStr    `json:"subcategory"`
	City         flexPlace  `json:"city"`
	Country      flexPlace  `json:"country"`
	MembersCount lenientInt `json:"members_count"`
	Status       flexStr    `json:"status"`
	GosOrg       flexBool   `json:"gos_org"`
}

// UnmarshalJSON reads a group object, tolerating strings and numbers
// either way.
func (g *Group) UnmarshalJSON(b []byte) error {
	var w groupWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	uid := w.UID
	if !uid.set {
		uid = w.GroupID
	}
	*g = Group{
		UID: ID(uid.s), Name: w.Name.s, Description: w.Description.s, Shortname: w.Shortname.s, PicAvatar: w.PicAvatar.s,
		PhotoID: ID(w.PhotoID.s), AccessType: strings.ToUpper(w.AccessType.s), Category: w.Category.s,
		Subcategory: w.Subcategory.s, City: w.City.s, Country: w.Country.s, MembersCount: w.MembersCount.n,
		Status: w.Status.s, GosOrg: w.GosOrg.ptr(), Raw: append(json.RawMessage(nil), b...),
	}
	for i, set := range [...]bool{uid.set, w.Name.set, w.Description.set, w.Shortname.set, w.PicAvatar.set, w.PhotoID.set,
		w.AccessType.set, w.Category.set, w.Subcategory.set, w.City.set, w.Country.set, w.MembersCount.set, w.Status.set, w.GosOrg.set} {
		if set {
			g.present |= 1 << i
		}
	}
	return nil
}

// groupList reads an array of groups or {"groups":[...]}.
type groupList []Group

// UnmarshalJSON implements json.Unmarshaler.
func (l *groupList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var w struct {
			Groups []Group `json:"groups"`
		}
		err := json.Unmarshal(b, &w)
		*l = w.Groups
		return err
	}
	var gs []Group
	err := json.Unmarshal(b, &gs)
	*l = gs
	return err
}

// GetGroupInfo calls group.getInfo: the groups' fields, in OK's order.
func (c *Client) GetGroupInfo(ctx context.Context, req *GetGroupInfoRequest, opts ...core.CallOption) ([]Group, error) {
	if req == nil || len(req.GroupIDs) == 0 {
		return nil, invalid("group.getInfo", "no group id")
	}
	r := *req
	if len(r.Fields) == 0 {
		r.Fields = DefaultGroupFields()
	}
	var out groupList
	if err := c.do(ctx, "group.getInfo", &r, &out, read(opts)); err != nil {
		return nil, err
	}
	return out, nil
}

// GetGroup calls group.getInfo for one group with fields
// (DefaultGroupFields() when none); ErrNotFound when OK returns no group.
func (c *Client) GetGroup(ctx context.Context, groupID string, fields []string, opts ...core.CallOption) (*Group, error) {
	gs, err := c.GetGroupInfo(ctx, &GetGroupInfoRequest{GroupIDs: []string{groupID}, Fields: fields}, opts...)
	if err != nil {
		return nil, err
	}
	for i := range gs {
		if gs[i].UID == ID(groupID) || len(gs) == 1 {
			return &gs[i], nil
		}
	}
	return nil, &Error{Method: "group.getInfo", Code: CodeNotFound, Msg: "no such group"}
}

// Paging directions of anchor-paged methods.
const (
	DirectionForward  = "FORWARD"
	DirectionBackward = "BACKWARD"
	DirectionAround   = "AROUND"
)

// DefaultPageSize is the count the list methods ask for per page.
const DefaultPageSize = 100

// UserGroup is one item of group.getUserGroupsV2.
type UserGroup struct {
	GroupID ID `json:"groupId"`
	UserID  ID `json:"userId"`
}

// GetUserGroupsRequest is the request of group.getUserGroupsV2.
type GetUserGroupsRequest struct {
	// UserID is the user (empty: the token's user).
	UserID string `url:"uid,omitempty"`
	// Anchor starts the listing after a page (set by the iterator).
	Anchor string `url:"anchor,omitempty"`
	// Direction is DirectionForward (default) or DirectionBackward.
	Direction string `url:"direction,omitempty"`
	// Count is the page size (DefaultPageSize when zero).
	Count int `url:"count,omitempty"`
}

// UserGroups lists the user's groups with group.getUserGroupsV2, page by
// page along OK's anchor. The iteration stops at the first error, which it
// yields.
func (c *Client) UserGroups(ctx context.Context, req *GetUserGroupsRequest, opts ...core.CallOption) iter.Seq2[UserGroup, error] {
	r := GetUserGroupsRequest{}
	if req != nil {
		r = *req
	}
	return pages(func(anchor string) ([]UserGroup, string, bool, error) {
		r.Anchor = anchor
		if r.Count == 0 {
			r.Count = DefaultPageSize
		}
		var out struct {
			Groups  []UserGroup `json:"groups"`
			Anchor  string      `json:"anchor"`
			HasMore *bool       `json:"has_more"`
		}
		err := c.do(ctx, "group.getUserGroupsV2", &r, &out, read(opts))
		return out.Groups, out.Anchor, out.HasMore == nil || *out.HasMore, err
	}, r.Anchor)
}

// pages iterates over anchor-paged lists: fetch returns a page, the next
// anchor and whether more may follow.
func pages[T any](fetch func(anchor string) ([]T, string, bool, error), anchor string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		seen := map[string]bool{anchor: true}
		for {
			items, next, more, err := fetch(anchor)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) == 0 || !more || next == "" || seen[next] {
				return
			}
			seen[next] = true
			anchor = next
		}
	}
}

// Membership statuses (group.getUserGroupsByIds, group.getMembers).
const (
	StatusActive    = "ACTIVE"
	StatusMaybe     = "MAYBE"
	StatusBlocked   = "BLOCKED"
	StatusAdmin     = "ADMIN"
	StatusModerator = "MODERATOR"
	StatusPassive   = "PASSIVE"
	StatusUnknown   = "UNKNOWN"
)

// Group roles of a membership.
const (
	RoleAdmin          = "ADMIN"
	RoleSuperModerator = "SUPER_MODERATOR"
	RoleModerator      = "MODERATOR"
	RoleEditor         = "EDITOR"
	RoleAnalyst        = "ANALYST"
)

// Membership is a user's relation to a group (group.getUserGroupsByIds).
type Membership struct {
	// GroupID is the group ("" when OK answered without it).
	GroupID ID
	// UserID is the user.
	UserID ID
	// Status is one of the Status constants.
	Status string
	// Roles are the user's roles in the group (Role constants); an ADMIN
	// status counts as RoleAdmin.
	Roles []string
}

// IsAdmin reports whether the user administers the group (the owner or an
// administrator).
func (m Membership) IsAdmin() bool { return m.HasRole(RoleAdmin) }

// HasRole reports whether the user has role (an ADMIN or MODERATOR status
// counts as that role).
func (m Membership) HasRole(role string) bool {
	if strings.EqualFold(m.Status, role) {
		return true
	}
	for _, r := range m.Roles {
		if strings.EqualFold(r, role) {
			return true
		}
	}
	return false
}

type rawMembership struct {
	GroupID ID          `json:"groupId"`
	UserID  ID          `json:"userId"`
	UID     ID          `json:"uid"`
	Status  string      `json:"status"`
	Role    flexStrings `json:"role"`
	Roles   flexStrings `json:"roles"`
}

func (r rawMembership) membership() Membership {
	m := Membership{GroupID: r.GroupID, UserID: r.UserID, Status: strings.ToUpper(r.Status)}
	if m.UserID == "" {
		m.UserID = r.UID
	}
	m.Roles = append(append(m.Roles, r.Role...), r.Roles...)
	return m
}

// GetUserGroupsByIDsRequest is the request of group.getUserGroupsByIds.
type GetUserGroupsByIDsRequest struct {
	// GroupID is the group.
	GroupID string `url:"group_id"`
	// UserIDs are the users (at most 100).
	UserIDs []string `url:"uids,comma"`
}

// GetUserGroupsByIDs calls group.getUserGroupsByIds: each user's status
// and roles in the group. Both answer shapes OK uses are read
// ({"memberships":[...]} and a bare array).
func (c *Client) GetUserGroupsByIDs(ctx context.Context, req *GetUserGroupsByIDsRequest, opts ...core.CallOption) ([]Membership, error) {
	if req == nil || req.GroupID == "" || len(req.UserIDs) == 0 {
		return nil, invalid("group.getUserGroupsByIds", "a group id and user ids are required")
	}
	var raw json.RawMessage
	if err := c.do(ctx, "group.getUserGroupsByIds", req, &raw, read(opts)); err != nil {
		return nil, err
	}
	var list []rawMembership
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '{' {
		var w struct {
			Memberships []rawMembership `json:"memberships"`
		}
		if err := json.Unmarshal(raw, &w); err != nil {
			return nil, &DecodeError{Method: "group.getUserGroupsByIds", Err: err}
		}
		list = w.Memberships
	} else if err := json.Unmarshal(raw, &list); err != nil {
		return nil, &DecodeError{Method: "group.getUserGroupsByIds", Err: err}
	}
	out := make([]Membership, len(list))
	for i, r := range list {
		out[i] = r.membership()
		if out[i].GroupID == "" {
			out[i].GroupID = ID(req.GroupID)
		}
	}
	return out, nil
}

// GetMembersRequest is the request of group.getMembers.
type GetMembersRequest struct {
	// GroupID is the group.
	GroupID string `url:"uid"`
	// Statuses filters members by status (StatusAdmin, StatusModerator,
	// ...); empty lists every member.
	Statuses []string `url:"statuses,comma,omitempty"`
	// Anchor starts the listing after a page (set by the iterator).
	Anchor string `url:"anchor,omitempty"`
	// Direction is DirectionForward (default) or DirectionBackward.
	Direction string `url:"direction,omitempty"`
	// Count is the page size (DefaultPageSize when zero).
	Count int `url:"count,omitempty"`
}

// Members lists a group's members with group.getMembers, page by page
// along OK's anchor. Each Membership has the member's status (and roles
// when OK gives them). The iteration stops at the first error, which it
// yields.
func (c *Client) Members(ctx context.Context, req *GetMembersRequest, opts ...core.CallOption) iter.Seq2[Membership, error] {
	if req == nil || req.GroupID == "" {
		return func(yield func(Membership, error) bool) {
			yield(Membership{}, invalid("group.getMembers", "no group id"))
		}
	}
	r := *req
	return pages(func(anchor string) ([]Membership, string, bool, error) {
		r.Anchor = anchor
		if r.Count == 0 {
			r.Count = DefaultPageSize
		}
		var out struct {
			Members []rawMembership `json:"members"`
			Anchor  string          `json:"anchor"`
			HasMore *bool           `json:"has_more"`
		}
		if err := c.do(ctx, "group.getMembers", &r, &out, read(opts)); err != nil {
			return nil, "", false, err
		}
		ms := make([]Membership, len(out.Members))
		for i, m := range out.Members {
			ms[i] = m.membership()
			if ms[i].GroupID == "" {
				ms[i].GroupID = ID(r.GroupID)
			}
		}
		return ms, out.Anchor, out.HasMore == nil || *out.HasMore, nil
	}, r.Anchor)
}

// Counter types of group.getCounters.
const (
	CounterThemes      = "themes"
	CounterPhotoAlbums = "photo_albums"
	CounterMembers     = "members"
	CounterVideos      = "videos"
	CounterLinks       = "links"
	CounterModerators  = "moderators"
	CounterJoinReqs    = "join_requests"
	CounterBlackList   = "black_list"
)

// GetCountersRequest is the request of group.getCounters.
type GetCountersRequest struct {
	// GroupID is the group.
	GroupID string `url:"group_id"`
	// Types are the Counter constants to return.
	Types []string `url:"counterTypes,comma"`
}

// GetCounters calls group.getCounters: the counters by type (a type OK
// did not return is absent from the map).
func (c *Client) GetCounters(ctx context.Context, req *GetCountersRequest, opts ...core.CallOption) (map[string]int64, error) {
	if req == nil || req.GroupID == "" || len(req.Types) == 0 {
		return nil, invalid("group.getCounters", "a group id and counter types are required")
	}
	var out struct {
		Counters map[string]flexInt `json:"counters"`
	}
	if err := c.do(ctx, "group.getCounters", req, &out, read(opts)); err != nil {
		return nil, err
	}
	m := make(map[string]int64, len(out.Counters))
	for k, v := range out.Counters {
		m[strings.ToLower(k)] = int64(v)
	}
	return m, nil
}

// URLInfo is the answer of url.getInfo.
type URLInfo struct {
	// ObjectID is the object's id.
	ObjectID ID `json:"objectId"`
	// ObjectIDEncoded and ObjectIDStr are other forms of it.
	ObjectIDEncoded string `json:"objectIdEncoded"`
	ObjectIDStr     string `json:"objectIdStr"`
	// Type is the object's type ("GROUP", "USER", ...).
	Type string `json:"type"`
}

// getURLInfoParams is the request of url.getInfo.
type getURLInfoParams struct {
	URL string `url:"url"`
}

// GetURLInfo calls url.getInfo: the object an ok.ru address points at
// (https://ok.ru/<shortname>, https://ok.ru/group/<id>).
func (c *Client) GetURLInfo(ctx context.Context, u string, opts ...core.CallOption) (*URLInfo, error) {
	if u == "" {
		return nil, invalid("url.getInfo", "no url")
	}
	var out URLInfo
	if err := c.do(ctx, "url.getInfo", &getURLInfoParams{URL: u}, &out, read(opts)); err != nil {
		return nil, err
	}
	return &out, nil
}
