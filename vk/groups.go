package vk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/internal/transport"
)

// MaxGroupIDs is how many communities one groups.getById call takes.
const MaxGroupIDs = 500

// GetGroupsByIDRequest is groups.getById.
type GetGroupsByIDRequest struct {
	// GroupIDs are community ids or screen names (at most MaxGroupIDs).
	GroupIDs []string `url:"group_ids,comma,omitempty"`
	// GroupID is one community id or screen name.
	GroupID string `url:"group_id,omitempty"`
	// Fields are the extra fields to return (DefaultGroupFields by GetGroups).
	Fields []string `url:"fields,comma,omitempty"`
}

// GroupsByID is the 5.199 answer of groups.getById.
type GroupsByID struct {
	Groups   []Group           `json:"groups"`
	Profiles []json.RawMessage `json:"profiles,omitempty"`
}

// UnmarshalJSON also accepts the bare array of versions before 5.194.
func (g *GroupsByID) UnmarshalJSON(p []byte) error {
	if len(p) > 0 && p[0] == '[' {
		g.Profiles = nil
		return json.Unmarshal(p, &g.Groups)
	}
	type plain GroupsByID
	return json.Unmarshal(p, (*plain)(g))
}

// GroupsGetByID calls groups.getById (any token kind).
func (c *Client) GroupsGetByID(ctx context.Context, req GetGroupsByIDRequest, opts ...core.CallOption) (*GroupsByID, error) {
	if len(req.GroupIDs) > MaxGroupIDs {
		return nil, errors.New("vk: groups.getById takes at most 500 ids (use GetGroups)")
	}
	var out GroupsByID
	if err := c.do(ctx, "groups.getById", req, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetGroups returns the communities ids with DefaultGroupFields, in as few
// groups.getById calls as the id lists allow (MaxGroupIDs per call). The
// result is in VK's order; missing (deleted) ids are left out.
func (c *Client) GetGroups(ctx context.Context, ids []int64, opts ...core.CallOption) ([]Group, error) {
	out := make([]Group, 0, len(ids))
	for start := 0; start < len(ids); start += MaxGroupIDs {
		end := min(start+MaxGroupIDs, len(ids))
		req := GetGroupsByIDRequest{Fields: DefaultGroupFields, GroupIDs: make([]string, 0, end-start)}
		for _, id := range ids[start:end] {
			req.GroupIDs = append(req.GroupIDs, strconv.FormatInt(abs(id), 10))
		}
		res, err := c.GroupsGetByID(ctx, req, opts...)
		if err != nil {
			return out, err
		}
		out = append(out, res.Groups...)
	}
	return out, nil
}

// GetGroup returns one community with DefaultGroupFields.
func (c *Client) GetGroup(ctx context.Context, groupID int64, opts ...core.CallOption) (*Group, error) {
	res, err := c.GroupsGetByID(ctx, GetGroupsByIDRequest{GroupID: strconv.FormatInt(abs(groupID), 10), Fields: DefaultGroupFields}, opts...)
	if err != nil {
		return nil, err
	}
	if len(res.Groups) == 0 {
		return nil, &Error{Method: "groups.getById", Code: CodeInvalidGroupID, Msg: "community not returned"}
	}
	return &res.Groups[0], nil
}

// Category is an entry of public_category_list.
type Category struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"`
	Subcategories []Category `json:"subcategories,omitempty"`
}

// GroupSettings is the answer of groups.getSettings (the fields the
// package uses; VK sends more).
type GroupSettings struct {
	Title              string     `json:"title"`
	Description        string     `json:"description"`
	Address            string     `json:"address"`
	Access             int        `json:"access"`
	CityID             int64      `json:"city_id"`
	CityName           string     `json:"city_name"`
	CountryID          int64      `json:"country_id"`
	CountryName        string     `json:"country_name"`
	PublicCategory     int64      `json:"public_category"`
	PublicSubcategory  int64      `json:"public_subcategory"`
	PublicCategoryList []Category `json:"public_category_list"`
	Subject            NumString  `json:"subject"`
	Wall               int        `json:"wall"`
	Links              int        `json:"links"`
	Website            string     `json:"website"`
	Phone              string     `json:"phone"`
	Email              string     `json:"email"`
	MainSection        int        `json:"main_section"`
	SecondarySection   int        `json:"secondary_section"`
}

// GroupsGetSettings calls groups.getSettings (user token of a manager).
func (c *Client) GroupsGetSettings(ctx context.Context, groupID int64, opts ...core.CallOption) (*GroupSettings, error) {
	var out GroupSettings
	if err := c.do(ctx, "groups.getSettings", groupParam{abs(groupID)}, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

type groupParam struct {
	GroupID int64 `url:"group_id"`
}

// EditGroupRequest is groups.edit. Nil pointers and empty strings are not
// sent (unchanged).
type EditGroupRequest struct {
	GroupID           int64  `url:"group_id"`
	Title             string `url:"title,omitempty"`
	Description       string `url:"description,omitempty"`
	ScreenName        string `url:"screen_name,omitempty"`
	Access            *int   `url:"access,omitempty"`
	Website           string `url:"website,omitempty"`
	Subject           *int   `url:"subject,omitempty"`
	PublicCategory    *int64 `url:"public_category,omitempty"`
	PublicSubcategory *int64 `url:"public_subcategory,omitempty"`
	PublicDate        string `url:"public_date,omitempty"`
	Wall              *int   `url:"wall,omitempty"`
	Links             *Bool  `url:"links,omitempty"`
	MainSection       *int   `url:"main_section,omitempty"`
	SecondarySection  *int   `url:"secondary_section,omitempty"`
	Country           *int64 `url:"country,omitempty"`
	City              *int64 `url:"city,omitempty"`
}

// GroupsEdit calls groups.edit (user or community token). Setting the
// same values again is harmless, so the call is retried like a read.
func (c *Client) GroupsEdit(ctx context.Context, req EditGroupRequest, opts ...core.CallOption) error {
	req.GroupID = abs(req.GroupID)
	return c.doKind(ctx, "groups.edit", req, nil, callKind{idempotent: true}, opts)
}

// GetMembersRequest is groups.getMembers.
type GetMembersRequest struct {
	GroupID int64 `url:"group_id"`
	// Sort is id_asc, id_desc, time_asc or time_desc.
	Sort   string   `url:"sort,omitempty"`
	Offset int      `url:"offset,omitempty"`
	Count  int      `url:"count,omitempty"`
	Fields []string `url:"fields,comma,omitempty"`
	// Filter is friends, unsure, managers or donut.
	Filter string `url:"filter,omitempty"`
}

// MembersPage is one page of groups.getMembers.
type MembersPage struct {
	Count int64    `json:"count"`
	Items []Member `json:"items"`
}

// GroupsGetMembers calls groups.getMembers once (any token kind; managers
// need a manager's token).
func (c *Client) GroupsGetMembers(ctx context.Context, req GetMembersRequest, opts ...core.CallOption) (*MembersPage, error) {
	req.GroupID = abs(req.GroupID)
	var out MembersPage
	if err := c.do(ctx, "groups.getMembers", req, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// Members iterates over groups.getMembers, paging with offset and count
// (req.Count per page, default 1000) from req.Offset. Iteration stops after
// the first error, which is yielded.
func (c *Client) Members(ctx context.Context, req GetMembersRequest, opts ...core.CallOption) iter.Seq2[Member, error] {
	return func(yield func(Member, error) bool) {
		if req.Count <= 0 {
			req.Count = 1000
		}
		for {
			page, err := c.GroupsGetMembers(ctx, req, opts...)
			if err != nil {
				yield(Member{}, err)
				return
			}
			for _, m := range page.Items {
				if !yield(m, nil) {
					return
				}
			}
			req.Offset += len(page.Items)
			if len(page.Items) == 0 || int64(req.Offset) >= page.Count {
				return
			}
		}
	}
}

// Managers returns every manager of the community with its role
// (filter=managers).
func (c *Client) Managers(ctx context.Context, groupID int64, opts ...core.CallOption) ([]Member, error) {
	var out []Member
	for m, err := range c.Members(ctx, GetMembersRequest{GroupID: groupID, Filter: "managers"}, opts...) {
		if err != nil {
			return out, err
		}
		out = append(out, m)
	}
	return out, nil
}

// GroupsAddLink calls groups.addLink (user token) and returns the link.
func (c *Client) GroupsAddLink(ctx context.Context, groupID int64, link, text string, opts ...core.CallOption) (*GroupLink, error) {
	var out GroupLink
	req := struct {
		GroupID int64  `url:"group_id"`
		Link    string `url:"link"`
		Text    string `url:"text,omitempty"`
	}{abs(groupID), link, text}
	if err := c.do(ctx, "groups.addLink", req, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// GroupsEditLink calls groups.editLink (user token).
func (c *Client) GroupsEditLink(ctx context.Context, groupID, linkID int64, text string, opts ...core.CallOption) error {
	req := struct {
		GroupID int64  `url:"group_id"`
		LinkID  int64  `url:"link_id"`
		Text    string `url:"text,omitempty"`
	}{abs(groupID), linkID, text}
	return c.doKind(ctx, "groups.editLink", req, nil, callKind{idempotent: true}, opts)
}

// GroupsDeleteLink calls groups.deleteLink (user token).
func (c *Client) GroupsDeleteLink(ctx context.Context, groupID, linkID int64, opts ...core.CallOption) error {
	req := struct {
		GroupID int64 `url:"group_id"`
		LinkID  int64 `url:"link_id"`
	}{abs(groupID), linkID}
	return c.doKind(ctx, "groups.deleteLink", req, nil, callKind{idempotent: true}, opts)
}

// GroupsReorderLink calls groups.reorderLink (user token): the link moves
// after the link after (0: first).
func (c *Client) GroupsReorderLink(ctx context.Context, groupID, linkID, after int64, opts ...core.CallOption) error {
	req := struct {
		GroupID int64 `url:"group_id"`
		LinkID  int64 `url:"link_id"`
		After   int64 `url:"after"`
	}{abs(groupID), linkID, after}
	return c.doKind(ctx, "groups.reorderLink", req, nil, callKind{idempotent: true}, opts)
}

// ResolvedObject is the answer of utils.resolveScreenName.
type ResolvedObject struct {
	// Type is user, group or application.
	Type     string `json:"type"`
	ObjectID int64  `json:"object_id"`
}

// UtilsResolveScreenName calls utils.resolveScreenName; it returns nil and no
// error when the name is free (VK answers an empty list).
func (c *Client) UtilsResolveScreenName(ctx context.Context, name string, opts ...core.CallOption) (*ResolvedObject, error) {
	var raw json.RawMessage
	req := struct {
		ScreenName string `url:"screen_name"`
	}{name}
	if err := c.do(ctx, "utils.resolveScreenName", req, &raw, opts); err != nil {
		return nil, err
	}
	if len(raw) == 0 || raw[0] != '{' {
		return nil, nil
	}
	var out ResolvedObject
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// LongPollServer is the answer of groups.getLongPollServer.
type LongPollServer struct {
	Key    string    `json:"key"`
	Server string    `json:"server"`
	TS     NumString `json:"ts"`
}

// GroupsGetLongPollServer calls groups.getLongPollServer.
func (c *Client) GroupsGetLongPollServer(ctx context.Context, groupID int64, opts ...core.CallOption) (*LongPollServer, error) {
	var out LongPollServer
	if err := c.doKind(ctx, "groups.getLongPollServer", groupParam{abs(groupID)}, &out, callKind{idempotent: true, noBatch: true}, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// EventSettings are the settings of groups.setLongPollSettings and
// groups.setCallbackSettings: the API version of the events and the event
// types to turn on or off ("wall_post_new": true).
type EventSettings struct {
	APIVersion string
	Events     map[string]bool
}

func (s EventSettings) values(v url.Values) {
	if s.APIVersion != "" {
		v.Set("api_version", s.APIVersion)
	}
	for ev, on := range s.Events {
		if on {
			v.Set(ev, "1")
		} else {
			v.Set(ev, "0")
		}
	}
}

// GroupsSetLongPollSettings calls groups.setLongPollSettings with
// enabled=1 (or 0) and the events of s.
func (c *Client) GroupsSetLongPollSettings(ctx context.Context, groupID int64, enabled bool, s EventSettings, opts ...core.CallOption) error {
	v := url.Values{"group_id": {strconv.FormatInt(abs(groupID), 10)}}
	v.Set("enabled", map[bool]string{true: "1", false: "0"}[enabled])
	s.values(v)
	return c.call(ctx, "groups.setLongPollSettings", v, nil, callKind{idempotent: true}, opts)
}

// CallbackServer is an entry of groups.getCallbackServers.
type CallbackServer struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	CreatorID int64  `json:"creator_id"`
	URL       string `json:"url"`
	SecretKey string `json:"secret_key"`
	Status    string `json:"status"`
}

// GroupsAddCallbackServer calls groups.addCallbackServer and returns the
// server id. title is at most 14 characters, secret at most 50.
func (c *Client) GroupsAddCallbackServer(ctx context.Context, groupID int64, serverURL, title, secret string, opts ...core.CallOption) (int64, error) {
	req := struct {
		GroupID   int64  `url:"group_id"`
		URL       string `url:"url"`
		Title     string `url:"title"`
		SecretKey string `url:"secret_key,omitempty"`
	}{abs(groupID), serverURL, title, secret}
	var out struct {
		ServerID int64 `json:"server_id"`
	}
	if err := c.do(ctx, "groups.addCallbackServer", req, &out, opts); err != nil {
		return 0, err
	}
	return out.ServerID, nil
}

// GroupsGetCallbackServers calls groups.getCallbackServers.
func (c *Client) GroupsGetCallbackServers(ctx context.Context, groupID int64, opts ...core.CallOption) ([]CallbackServer, error) {
	var out struct {
		Items []CallbackServer `json:"items"`
	}
	if err := c.do(ctx, "groups.getCallbackServers", groupParam{abs(groupID)}, &out, opts); err != nil {
		return nil, err
	}
	return out.Items, nil
}

// GroupsSetCallbackSettings calls groups.setCallbackSettings for server.
func (c *Client) GroupsSetCallbackSettings(ctx context.Context, groupID, serverID int64, s EventSettings, opts ...core.CallOption) error {
	v := url.Values{"group_id": {strconv.FormatInt(abs(groupID), 10)}, "server_id": {strconv.FormatInt(serverID, 10)}}
	s.values(v)
	return c.call(ctx, "groups.setCallbackSettings", v, nil, callKind{idempotent: true}, opts)
}

// GroupsGetCallbackConfirmationCode calls
// groups.getCallbackConfirmationCode and returns the code.
func (c *Client) GroupsGetCallbackConfirmationCode(ctx context.Context, groupID int64, opts ...core.CallOption) (string, error) {
	var out struct {
		Code string `json:"code"`
	}
	if err := c.do(ctx, "groups.getCallbackConfirmationCode", groupParam{abs(groupID)}, &out, opts); err != nil {
		return "", err
	}
	return out.Code, nil
}

// do calls a known method with the retry semantics of the method table.
func (c *Client) do(ctx context.Context, method string, params any, out any, opts []core.CallOption) error {
	info := methodTable[method]
	return c.doKind(ctx, method, params, out, callKind{idempotent: info.read}, opts)
}

func (c *Client) doKind(ctx context.Context, method string, params any, out any, k callKind, opts []core.CallOption) error {
	var form []byte
	switch p := params.(type) {
	case nil:
	case url.Values:
		form = []byte(p.Encode())
	default:
		b, err := transport.EncodeForm(params)
		if err != nil {
			return fmt.Errorf("vk: %s: %w", method, err)
		}
		form = b
	}
	return c.callForm(ctx, method, form, out, k, opts)
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// CallbackSetup describes a Callback API server SetupCallback ensures.
type CallbackSetup struct {
	// URL is the address VK delivers events to.
	URL string
	// Title is the server's title (at most 14 characters).
	Title string
	// Secret is the secret_key VK sends in every event (at most 50
	// characters).
	Secret string
	// Settings are the API version and events to turn on.
	Settings EventSettings
}

// SetupCallback makes community groupID deliver events to s.URL: it
// reuses the server registered with that URL (groups.getCallbackServers)
// or adds one (groups.addCallbackServer), applies s.Settings
// (groups.setCallbackSettings) and returns the server id and the
// confirmation code the handler must answer
// (groups.getCallbackConfirmationCode). It is safe to repeat.
func (c *Client) SetupCallback(ctx context.Context, groupID int64, s CallbackSetup, opts ...core.CallOption) (serverID int64, confirmation string, err error) {
	servers, err := c.GroupsGetCallbackServers(ctx, groupID, opts...)
	if err != nil {
		return 0, "", err
	}
	for _, srv := range servers {
		if srv.URL == s.URL {
			serverID = srv.ID
			break
		}
	}
	if serverID == 0 {
		if serverID, err = c.GroupsAddCallbackServer(ctx, groupID, s.URL, s.Title, s.Secret, opts...); err != nil {
			return 0, "", err
		}
	}
	if err := c.GroupsSetCallbackSettings(ctx, groupID, serverID, s.Settings, opts...); err != nil {
		return serverID, "", err
	}
	confirmation, err = c.GroupsGetCallbackConfirmationCode(ctx, groupID, opts...)
	return serverID, confirmation, err
}
