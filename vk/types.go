package vk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
)

// Bool is a VK flag: VK writes booleans as 0/1 (and sometimes true/false);
// both decode. It encodes as 1 or 0 in requests.
type Bool bool

// UnmarshalJSON accepts 0, 1, true, false, "0", "1" and null (false).
func (b *Bool) UnmarshalJSON(p []byte) error {
	switch string(bytes.Trim(p, `"`)) {
	case "1", "true":
		*b = true
	case "0", "false", "null", "":
		*b = false
	default:
		n, err := strconv.ParseFloat(string(bytes.Trim(p, `"`)), 64)
		if err != nil {
			return fmt.Errorf("vk: %s is not a flag", p)
		}
		*b = n != 0
	}
	return nil
}

// MarshalJSON writes 1 or 0.
func (b Bool) MarshalJSON() ([]byte, error) {
	if b {
		return []byte("1"), nil
	}
	return []byte("0"), nil
}

// EncodeValues makes a Bool a form value of 1 or 0.
func (b Bool) EncodeValues(key string, v *url.Values) error {
	if b {
		v.Set(key, "1")
	} else {
		v.Set(key, "0")
	}
	return nil
}

// Place is a city or country: {id, title}.
type Place struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// GroupLink is an entry of a community's links block.
type GroupLink struct {
	ID       int64  `json:"id"`
	URL      string `json:"url"`
	Name     string `json:"name"`
	Desc     string `json:"desc"`
	Photo50  string `json:"photo_50,omitempty"`
	Photo100 string `json:"photo_100,omitempty"`
}

// MenuItem is an item of a community's menu (read-only through the API).
type MenuItem struct {
	ID    int64  `json:"id"`
	URL   string `json:"url"`
	Title string `json:"title"`
	Type  string `json:"type,omitempty"`
}

// Menu is a community's menu (fields=menu, undocumented in 5.199).
type Menu struct {
	Items []MenuItem `json:"items"`
}

// Community privacy (Group.IsClosed, groups.edit access).
const (
	AccessOpen    = 0
	AccessClosed  = 1
	AccessPrivate = 2
)

// Group is a community as groups.getById returns it.
type Group struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ScreenName  string `json:"screen_name"`
	Type        string `json:"type"` // group, page or event
	IsClosed    int    `json:"is_closed"`
	Deactivated string `json:"deactivated,omitempty"`
	// Verified is the blue check (a verified community); it is not the
	// «Госорганизация» mark.
	Verified    Bool        `json:"verified"`
	HasPhoto    Bool        `json:"has_photo"`
	Photo50     string      `json:"photo_50,omitempty"`
	Photo100    string      `json:"photo_100,omitempty"`
	Photo200    string      `json:"photo_200,omitempty"`
	Description string      `json:"description,omitempty"`
	City        *Place      `json:"city,omitempty"`
	Country     *Place      `json:"country,omitempty"`
	Activity    string      `json:"activity,omitempty"`
	Links       []GroupLink `json:"links,omitempty"`
	Menu        *Menu       `json:"menu,omitempty"`
	Site        string      `json:"site,omitempty"`
	Members     int64       `json:"members_count,omitempty"`
	IsAdmin     Bool        `json:"is_admin"`
	AdminLevel  int         `json:"admin_level,omitempty"`
	// IsGovernmentOrganization is the «Госорганизация» mark (the
	// undocumented field is_government_organization). nil means VK did not
	// send the field: the mark is unknown, not absent.
	IsGovernmentOrganization *Bool `json:"is_government_organization,omitempty"`
}

// GovMark returns the mark as a tri-state: known reports whether VK sent
// the field, marked its value.
func (g *Group) GovMark() (marked, known bool) {
	if g.IsGovernmentOrganization == nil {
		return false, false
	}
	return bool(*g.IsGovernmentOrganization), true
}

// DefaultGroupFields are the fields GetGroups requests: everything the
// «Госорганизация» checklist reads.
var DefaultGroupFields = []string{
	"is_government_organization", "verified", "menu", "has_photo", "description",
	"city", "country", "activity", "links", "members_count", "site",
}

// Member is an entry of groups.getMembers: a user id, and with
// filter=managers the manager's role and permissions.
type Member struct {
	ID int64 `json:"id"`
	// Role is moderator, editor, administrator, creator or advertiser
	// (filter=managers).
	Role           string   `json:"role,omitempty"`
	Permissions    []string `json:"permissions,omitempty"`
	IsCallOperator bool     `json:"is_call_operator,omitempty"`
	FirstName      string   `json:"first_name,omitempty"`
	LastName       string   `json:"last_name,omitempty"`
}

// UnmarshalJSON accepts a bare user id (no fields, no filter) or an object.
func (m *Member) UnmarshalJSON(p []byte) error {
	p = bytes.TrimSpace(p)
	if len(p) > 0 && p[0] != '{' {
		id, err := strconv.ParseInt(string(p), 10, 64)
		if err != nil {
			return fmt.Errorf("vk: member %s: %w", p, err)
		}
		*m = Member{ID: id}
		return nil
	}
	type plain Member
	return json.Unmarshal(p, (*plain)(m))
}

// Manager roles.
const (
	RoleModerator     = "moderator"
	RoleEditor        = "editor"
	RoleAdministrator = "administrator"
	RoleCreator       = "creator"
	RoleAdvertiser    = "advertiser"
)

// Counter is a {count} object.
type Counter struct {
	Count int64 `json:"count"`
}

// Attachment is one attachment of a post: Type ("photo", "video", "poll",
// "link", ...) and the object under that key, raw.
type Attachment struct {
	Type string `json:"type"`
	// Object is the attachment object (the value under the key named Type).
	Object json.RawMessage `json:"-"`
}

// UnmarshalJSON reads {"type": t, t: {...}}.
func (a *Attachment) UnmarshalJSON(p []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(p, &m); err != nil {
		return err
	}
	if t, ok := m["type"]; ok {
		if err := json.Unmarshal(t, &a.Type); err != nil {
			return err
		}
	}
	a.Object = m[a.Type]
	return nil
}

// WallPost is a post as wall.getById and wall_post_new events carry it.
type WallPost struct {
	ID          int64        `json:"id"`
	OwnerID     int64        `json:"owner_id"`
	FromID      int64        `json:"from_id"`
	CreatedBy   int64        `json:"created_by,omitempty"`
	Date        int64        `json:"date"`
	Text        string       `json:"text"`
	Attachments []Attachment `json:"attachments,omitempty"`
	Comments    Counter      `json:"comments"`
	Likes       Counter      `json:"likes"`
	Reposts     Counter      `json:"reposts"`
	Views       Counter      `json:"views"`
	PostType    string       `json:"post_type,omitempty"`
	Copyright   any          `json:"copyright,omitempty"`
	PostponedID int64        `json:"postponed_id,omitempty"`
	IsPinned    Bool         `json:"is_pinned"`
	MarkedAsAds Bool         `json:"marked_as_ads"`
	Edited      int64        `json:"edited,omitempty"`
	Hash        string       `json:"hash,omitempty"`
}

// Photo is a saved photo.
type Photo struct {
	ID        int64  `json:"id"`
	OwnerID   int64  `json:"owner_id"`
	AlbumID   int64  `json:"album_id"`
	AccessKey string `json:"access_key,omitempty"`
	Text      string `json:"text,omitempty"`
}

// Attachment returns "photo<owner>_<id>[_<access_key>]".
func (p Photo) Attachment() string { return AttachmentID("photo", p.OwnerID, p.ID, p.AccessKey) }

// PollAnswer is an answer of a poll.
type PollAnswer struct {
	ID    int64   `json:"id"`
	Text  string  `json:"text"`
	Votes int64   `json:"votes"`
	Rate  float64 `json:"rate"`
}

// Poll is a poll object.
type Poll struct {
	ID        int64        `json:"id"`
	OwnerID   int64        `json:"owner_id"`
	Question  string       `json:"question"`
	Answers   []PollAnswer `json:"answers"`
	Multiple  bool         `json:"multiple"`
	Anonymous bool         `json:"anonymous"`
	EndDate   int64        `json:"end_date"`
	Closed    bool         `json:"closed"`
}

// Attachment returns "poll<owner>_<id>".
func (p Poll) Attachment() string { return AttachmentID("poll", p.OwnerID, p.ID, "") }

// AttachmentID formats an attachment reference:
// <kind><owner>_<id>[_<access_key>].
func AttachmentID(kind string, ownerID, id int64, accessKey string) string {
	s := kind + strconv.FormatInt(ownerID, 10) + "_" + strconv.FormatInt(id, 10)
	if accessKey != "" {
		s += "_" + accessKey
	}
	return s
}

// Comment is a wall comment (wall_reply_* events).
type Comment struct {
	ID          int64  `json:"id"`
	FromID      int64  `json:"from_id"`
	Date        int64  `json:"date"`
	Text        string `json:"text"`
	PostID      int64  `json:"post_id"`
	PostOwnerID int64  `json:"post_owner_id"`
}

// Message is a private message (message_new events carry it under
// "message").
type Message struct {
	ID     int64  `json:"id"`
	Date   int64  `json:"date"`
	PeerID int64  `json:"peer_id"`
	FromID int64  `json:"from_id"`
	Text   string `json:"text"`
}
