package gpmock

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxPageSize bounds the limit of a post list page; DefaultPageSize is
// the limit when none is given.
const (
	MaxPageSize     = 200
	DefaultPageSize = 50
	maxTextRunes    = 16384
	maxTargets      = 500
)

// PostInput is the body of POST /api/v1/posts and PATCH /api/v1/posts/{id}
// (on PATCH, absent fields keep their value).
type PostInput struct {
	Text      *string    `json:"text,omitempty"`
	Urgency   *string    `json:"urgency,omitempty"`
	Targets   []string   `json:"targets,omitempty"`
	PublishAt *time.Time `json:"publish_at,omitempty"`
	// Media are ids of files uploaded to the cabinet (POST /api/v1/media).
	Media []int64 `json:"media,omitempty"`
	Poll  *Poll   `json:"poll,omitempty"`
	Link  *Link   `json:"link,omitempty"`
}

// ReturnRequest is the body of POST /api/v1/posts/{id}/return.
type ReturnRequest struct {
	Comment string `json:"comment"`
}

// PostPage is one page of GET /api/v1/posts.
type PostPage struct {
	Items      []Post `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func validUrgency(u string) bool {
	return u == UrgencyGreen || u == UrgencyOrange || u == UrgencyRed
}

func invalid(msg string) error { return &apiError{http.StatusBadRequest, "invalid_request", msg} }

// apply validates in and applies it to p.
func apply(p *Post, in PostInput) error {
	if in.Text != nil {
		if strings.TrimSpace(*in.Text) == "" || utf8.RuneCountInString(*in.Text) > maxTextRunes || !utf8.ValidString(*in.Text) {
			return invalid("text must be 1 to 16384 characters")
		}
		p.Text = *in.Text
	}
	if in.Urgency != nil {
		if !validUrgency(*in.Urgency) {
			return invalid("urgency must be green, orange or red")
		}
		p.Urgency = *in.Urgency
	}
	if in.Targets != nil {
		if len(in.Targets) > maxTargets {
			return invalid("too many target pages")
		}
		for _, t := range in.Targets {
			if !validTarget(t) {
				return invalid("a target page is vk:<id>, ok:<id> or telegram:<id>")
			}
		}
		p.Targets = slices.Clone(in.Targets)
	}
	if in.PublishAt != nil {
		t := in.PublishAt.UTC()
		p.PublishAt = &t
	}
	return applyContent(p, in)
}

// validTarget accepts "vk:<id>", "ok:<id>" and "telegram:<id>" page
// references (<id> a non-zero integer, negative for VK communities and
// Telegram channels).
func validTarget(t string) bool {
	net, id, ok := strings.Cut(t, ":")
	if !ok || (net != "vk" && net != "ok" && net != "telegram") {
		return false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return err == nil && n != 0
}

func (s *Server) createPost(c *caller, r *http.Request) (int, any, error) {
	var in PostInput
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Text == nil {
		return 0, nil, invalid("text is required")
	}
	now := s.clock.Now().UTC()
	p := &Post{CabinetID: c.CabinetID, AuthorID: c.ID, Urgency: UrgencyGreen, Targets: []string{},
		Status: PostDraft, Comments: []Comment{}, CreatedAt: now, UpdatedAt: now}
	if err := apply(p, in); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkMedia(c.CabinetID, p.Media); err != nil {
		return 0, nil, err
	}
	s.nextID++
	p.ID = s.nextID
	if err := s.posts.Put(*p); err != nil {
		return 0, nil, errStore(err)
	}
	return http.StatusCreated, clonePost(p), nil
}

func clonePost(p *Post) Post {
	out := *p
	out.Targets = slices.Clone(p.Targets)
	out.Comments = slices.Clone(p.Comments)
	clonePublishing(&out)
	return out
}

// postOf returns a copy of the post of the path (not_found for a post of
// a cabinet the caller does not see). The caller holds s.mu; a change is
// kept by s.posts.Put.
func (s *Server) postOf(c *caller, r *http.Request) (*Post, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	p, ok, err := s.posts.Get(id)
	if err != nil {
		return nil, errStore(err)
	}
	if !ok || !slices.Contains(s.visibleCabinets(c), p.CabinetID) {
		return nil, errNotFound
	}
	return &p, nil
}

// visibleCabinets returns the cabinets whose posts the caller sees: their
// own and, for an editorial cabinet, its subordinates' (the organisations
// below its own in the world's parent links). The caller holds s.mu.
func (s *Server) visibleCabinets(c *caller) []int64 {
	out := []int64{c.CabinetID}
	for _, cb := range s.subordinateCabinetsLocked(c.CabinetID) {
		out = append(out, cb.ID)
	}
	return out
}

// errStore is the answer when the post store fails (its error is logged
// by the store, never shown).
func errStore(error) error {
	return &apiError{http.StatusInternalServerError, "internal", "the post store failed"}
}

func (s *Server) getPost(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.postOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, clonePost(p), nil
}

func illegal(from, to string) error {
	return &apiError{http.StatusConflict, "invalid_transition", "a post in status " + from + " cannot become " + to}
}

// updatePost edits a post: the editor a draft, a returned or an edited
// post (returned becomes edited), the moderator a submitted one (a
// correction before approving).
func (s *Server) updatePost(c *caller, r *http.Request) (int, any, error) {
	var in PostInput
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.postOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	if p.Status == PostPublished || p.Status == PostPartiallyPublished {
		return s.editPublishedLocked(c, p, in)
	}
	next := p.Status
	switch {
	case c.Role == RoleEditor && p.Status == PostDraft:
	case c.Role == RoleEditor && (p.Status == PostReturned || p.Status == PostEdited):
		next = PostEdited
	case c.Role == RoleModerator && p.Status == PostSubmitted:
	default:
		return 0, nil, illegal(p.Status, PostEdited)
	}
	cp := clonePost(p)
	if err := apply(&cp, in); err != nil {
		return 0, nil, err
	}
	if err := s.checkMedia(cp.CabinetID, cp.Media); err != nil {
		return 0, nil, err
	}
	cp.Status = next
	cp.UpdatedAt = s.clock.Now().UTC()
	if err := s.posts.Put(cp); err != nil {
		return 0, nil, errStore(err)
	}
	return http.StatusOK, cp, nil
}

// transitions lists the legal moves of the state machine.
var transitions = map[string][]string{
	PostSubmitted: {PostDraft, PostEdited},
	PostApproved:  {PostSubmitted},
	PostReturned:  {PostSubmitted},
}

func (s *Server) transition(to string) handlerFunc {
	return func(c *caller, r *http.Request) (int, any, error) {
		var ret ReturnRequest
		if to == PostReturned {
			if err := decode(r, &ret); err != nil {
				return 0, nil, err
			}
			if strings.TrimSpace(ret.Comment) == "" || utf8.RuneCountInString(ret.Comment) > maxTextRunes {
				return 0, nil, invalid("a returned post needs a comment")
			}
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		p, err := s.postOf(c, r)
		if err != nil {
			return 0, nil, err
		}
		if !slices.Contains(transitions[to], p.Status) {
			return 0, nil, illegal(p.Status, to)
		}
		if to == PostSubmitted && len(p.Targets) == 0 {
			return 0, nil, invalid("a post needs at least one target page to be submitted")
		}
		now := s.clock.Now().UTC()
		if to == PostReturned {
			p.Comments = append(p.Comments, Comment{AuthorID: c.ID, Text: ret.Comment, At: now})
		}
		p.Status = to
		p.UpdatedAt = now
		scheduled := to == PostApproved && p.PublishAt != nil
		if scheduled {
			p.Status = PostScheduled
		}
		if err := s.posts.Put(*p); err != nil {
			return 0, nil, errStore(err)
		}
		s.emit(Event{Type: "post." + to, CabinetID: p.CabinetID, PostID: p.ID, UserID: c.ID, At: now})
		if scheduled {
			s.arm(p.ID, *p.PublishAt)
		}
		return http.StatusOK, clonePost(p), nil
	}
}

func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, invalid("malformed cursor")
	}
	id, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || id <= 0 {
		return 0, invalid("malformed cursor")
	}
	return id, nil
}

// listPosts lists the cabinet's posts, newest first, filtered by status,
// urgency and a creation period [from, to).
func (s *Server) listPosts(c *caller, r *http.Request) (int, any, error) {
	q := r.URL.Query()
	status, urgency := q.Get("status"), q.Get("urgency")
	if status != "" && !slices.Contains(PostStatuses, status) {
		return 0, nil, invalid("unknown status")
	}
	if urgency != "" && !validUrgency(urgency) {
		return 0, nil, invalid("unknown urgency")
	}
	var from, to time.Time
	if err := timeRange(r, &from, &to); err != nil {
		return 0, nil, err
	}
	limit, after, err := idPage(r)
	if err != nil {
		return 0, nil, err
	}
	target := q.Get("target")
	if target != "" && !validTarget(target) {
		return 0, nil, invalid("a target page is vk:<id>, ok:<id> or telegram:<id>")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items, err := s.posts.List(PostQuery{Cabinets: s.visibleCabinets(c), Status: status, Urgency: urgency,
		Target: target, From: from, To: to, Before: after, Limit: limit + 1})
	if err != nil {
		return 0, nil, errStore(err)
	}
	out := PostPage{Items: items}
	if len(items) > limit {
		out.Items = items[:limit]
		out.NextCursor = encodeCursor(items[limit-1].ID)
	}
	return http.StatusOK, out, nil
}
