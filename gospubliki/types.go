package gospubliki

import "time"

// Role is a user's role in a cabinet.
type Role string

// Roles.
const (
	RoleLKOAdmin  Role = "lko_admin"
	RoleEditor    Role = "editor"
	RoleModerator Role = "moderator"
)

// UserStatus is a user's status.
type UserStatus string

// User statuses.
const (
	UserInvited   UserStatus = "invited"
	UserConfirmed UserStatus = "confirmed" // «Подтвержден»
	UserBlocked   UserStatus = "blocked"
)

// CabinetKind is the kind of a cabinet.
type CabinetKind string

// Cabinet kinds.
const (
	CabinetInstitution CabinetKind = "institution"
	CabinetEditorial   CabinetKind = "editorial"
	CabinetLKO         CabinetKind = "lko"
)

// PostStatus is a post's state in moderation.
type PostStatus string

// Post statuses.
const (
	PostDraft     PostStatus = "draft"
	PostSubmitted PostStatus = "submitted"
	PostApproved  PostStatus = "approved"
	PostReturned  PostStatus = "returned"
	PostEdited    PostStatus = "edited"
)

// Urgency is a post's urgency.
type Urgency string

// Urgencies.
const (
	UrgencyGreen  Urgency = "green"
	UrgencyOrange Urgency = "orange"
	UrgencyRed    Urgency = "red"
)

// Session is an opened session or an issued API token.
type Session struct {
	// Token authenticates requests. Keep it secret.
	Token string `json:"token"`
	// ExpiresAt is when a session expires (nil for an API token).
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// User is the user the token acts as.
	User User `json:"user"`
}

// String hides the token.
func (s Session) String() string { return "gospubliki.Session{user " + s.User.Phone + "}" }

// GoString hides the token.
func (s Session) GoString() string { return s.String() }

// Cabinet is a cabinet, tied to an ESIA organisation.
type Cabinet struct {
	ID      int64       `json:"id"`
	Kind    CabinetKind `json:"kind"`
	OrgOID  int64       `json:"org_oid"`
	OrgName string      `json:"org_name"`
}

// User is a cabinet user.
type User struct {
	ID        int64      `json:"id"`
	CabinetID int64      `json:"cabinet_id"`
	Phone     string     `json:"phone"`
	Email     string     `json:"email"`
	Name      string     `json:"name"`
	Role      Role       `json:"role"`
	Status    UserStatus `json:"status"`
	// PersonOID is the ESIA person the user is (0: not bound yet).
	PersonOID int64 `json:"person_oid,omitempty"`
}

// InviteRequest invites a user by e-mail.
type InviteRequest struct {
	Phone string `json:"phone"`
	Email string `json:"email"`
	Name  string `json:"name,omitempty"`
	Role  Role   `json:"role"`
}

// PostInput is a post's content: every field on create (Text required),
// the fields to change on update (nil keeps the value).
type PostInput struct {
	Text    *string  `json:"text,omitempty"`
	Urgency *Urgency `json:"urgency,omitempty"`
	// Targets are page references "vk:<id>", "ok:<id>", "telegram:<id>".
	Targets   []string   `json:"targets,omitempty"`
	PublishAt *time.Time `json:"publish_at,omitempty"`
	// Media are ids of uploaded files (UploadMedia); Poll and Link the
	// post's poll and link.
	Media []int64 `json:"media,omitempty"`
	Poll  *Poll   `json:"poll,omitempty"`
	Link  *Link   `json:"link,omitempty"`
}

// Ptr returns a pointer to v (for PostInput fields).
func Ptr[T any](v T) *T { return &v }

// Comment is a moderator's comment on a returned post.
type Comment struct {
	AuthorID int64     `json:"author_id"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
}

// Post is a post.
type Post struct {
	ID        int64      `json:"id"`
	CabinetID int64      `json:"cabinet_id"`
	AuthorID  int64      `json:"author_id"`
	Text      string     `json:"text"`
	Urgency   Urgency    `json:"urgency"`
	Targets   []string   `json:"targets"`
	PublishAt *time.Time `json:"publish_at,omitempty"`
	Status    PostStatus `json:"status"`
	Comments  []Comment  `json:"comments"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	Media     []int64    `json:"media,omitempty"`
	Poll      *Poll      `json:"poll,omitempty"`
	Link      *Link      `json:"link,omitempty"`
	// Report is the publication report, one line per target page
	// attempted; PublishedAt is when a page was first published.
	Report      []PageReport `json:"report,omitempty"`
	PublishedAt *time.Time   `json:"published_at,omitempty"`
}

// PostFilter selects posts; zero fields do not filter.
type PostFilter struct {
	Status  PostStatus
	Urgency Urgency
	// Target lists only the posts for one page ("vk:-123", "ok:456",
	// "telegram:-100...").
	Target string
	// From and To bound the creation time: [From, To).
	From, To time.Time
	// Limit is the page size (server default 50, at most 200).
	Limit int
	// Cursor continues after a previous page.
	Cursor string
}

// PostPage is one page of posts.
type PostPage struct {
	Items      []Post `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}
