package gpmock

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// EventTemplateCreated is emitted when a template is created: once for
// its cabinet and, for a template an editorial cabinet shares, once for
// each subordinate cabinet (the notification "a new template appeared").
// Its Data is a [TemplateEventData].
const EventTemplateCreated = "template.created"

// Page kinds a template or a channel item targets.
var pageKinds = []string{"vk", "ok", "telegram"}

// Template is a post template: text with {{placeholders}}, a default
// urgency and the kinds of pages it suits. An editorial cabinet's shared
// template is offered to its subordinate cabinets (read-only there).
type Template struct {
	ID        int64  `json:"id"`
	CabinetID int64  `json:"cabinet_id"`
	AuthorID  int64  `json:"author_id"`
	Name      string `json:"name"`
	Text      string `json:"text"`
	Urgency   string `json:"urgency"`
	// PageKinds are "vk", "ok", "telegram" (empty: every kind).
	PageKinds []string `json:"page_kinds"`
	// Shared offers an editorial cabinet's template to its subordinates.
	Shared bool `json:"shared"`
	// Placeholders are the names of the text's {{placeholders}}, in order
	// of first appearance (derived from Text).
	Placeholders []string  `json:"placeholders"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// TemplateInput is the body of POST /api/v1/templates and PATCH
// /api/v1/templates/{id} (on PATCH, absent fields keep their value).
type TemplateInput struct {
	Name      *string  `json:"name,omitempty"`
	Text      *string  `json:"text,omitempty"`
	Urgency   *string  `json:"urgency,omitempty"`
	PageKinds []string `json:"page_kinds,omitempty"`
	Shared    *bool    `json:"shared,omitempty"`
}

// TemplateList is the answer of GET /api/v1/templates.
type TemplateList struct {
	Items []Template `json:"items"`
}

// TemplateEventData is the Data of a template.created event.
type TemplateEventData struct {
	TemplateID int64  `json:"template_id"`
	Name       string `json:"name"`
	// FromCabinetID is the cabinet that created the template (the
	// editorial cabinet for a shared one).
	FromCabinetID int64 `json:"from_cabinet_id"`
}

// FromTemplateRequest is the body of POST /api/v1/templates/{id}/posts.
type FromTemplateRequest struct {
	// Values fill the placeholders (every placeholder needs one).
	Values    map[string]string `json:"values"`
	Targets   []string          `json:"targets,omitempty"`
	PublishAt *time.Time        `json:"publish_at,omitempty"`
	// Urgency overrides the template's.
	Urgency *string `json:"urgency,omitempty"`
}

// placeholders returns the names of text's {{name}} placeholders in order
// of first appearance. A name is letters, digits and '_' (surrounding
// spaces allowed); "{{" without a closing "}}" or with another name is an
// error. "{{{{" is not special.
func placeholders(text string) ([]string, error) {
	var out []string
	for {
		i := strings.Index(text, "{{")
		if i < 0 {
			if strings.Contains(text, "}}") {
				return nil, invalid("unbalanced }} in the template text")
			}
			return out, nil
		}
		if strings.Contains(text[:i], "}}") {
			return nil, invalid("unbalanced }} in the template text")
		}
		rest := text[i+2:]
		j := strings.Index(rest, "}}")
		if j < 0 {
			return nil, invalid("unclosed {{ in the template text")
		}
		name := strings.TrimSpace(rest[:j])
		if !validPlaceholder(name) {
			return nil, invalid("a placeholder is {{name}}: letters, digits and _")
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
		text = rest[j+2:]
	}
}

func validPlaceholder(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return false
		}
	}
	return true
}

// render fills text's placeholders with values; a missing value is an
// error naming every missing placeholder.
func render(text string, values map[string]string) (string, error) {
	names, err := placeholders(text)
	if err != nil {
		return "", err
	}
	var missing []string
	for _, n := range names {
		if _, ok := values[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return "", invalid("missing values for placeholders: " + strings.Join(missing, ", "))
	}
	var b strings.Builder
	for {
		i := strings.Index(text, "{{")
		if i < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		b.WriteString(text[:i])
		j := strings.Index(text[i+2:], "}}")
		b.WriteString(values[strings.TrimSpace(text[i+2:i+2+j])])
		text = text[i+2+j+2:]
	}
}

func validKinds(kinds []string) bool {
	for _, k := range kinds {
		if !slices.Contains(pageKinds, k) {
			return false
		}
	}
	return len(kinds) <= len(pageKinds)
}

func validTemplate(t *Template) error {
	switch {
	case strings.TrimSpace(t.Name) == "" || utf8.RuneCountInString(t.Name) > maxTopicRunes || !utf8.ValidString(t.Name):
		return invalid("name must be 1 to 500 characters")
	case strings.TrimSpace(t.Text) == "" || utf8.RuneCountInString(t.Text) > maxTextRunes || !utf8.ValidString(t.Text):
		return invalid("text must be 1 to 16384 characters")
	case !validUrgency(t.Urgency):
		return invalid("urgency must be green, orange or red")
	case !validKinds(t.PageKinds):
		return invalid("page kinds are vk, ok and telegram")
	}
	_, err := placeholders(t.Text)
	return err
}

func cloneTemplate(t *Template) Template {
	out := *t
	out.PageKinds = slices.Clone(nonNil(t.PageKinds))
	out.Placeholders = slices.Clone(nonNil(t.Placeholders))
	return out
}

func (s *Server) routesTemplates() {
	s.handle("listTemplates", "GET", "/api/v1/templates", content, s.listTemplates)
	s.handle("createTemplate", "POST", "/api/v1/templates", editors, s.createTemplate)
	s.handle("getTemplate", "GET", "/api/v1/templates/{id}", content, s.getTemplate)
	s.handle("updateTemplate", "PATCH", "/api/v1/templates/{id}", editors, s.updateTemplate)
	s.handle("deleteTemplate", "DELETE", "/api/v1/templates/{id}", editors, s.deleteTemplate)
	s.handle("createPostFromTemplate", "POST", "/api/v1/templates/{id}/posts", editors, s.createPostFromTemplate)
}

func (s *Server) applyTemplate(c *caller, t *Template, in TemplateInput) error {
	if in.Name != nil {
		t.Name = *in.Name
	}
	if in.Text != nil {
		t.Text = *in.Text
	}
	if in.Urgency != nil {
		t.Urgency = *in.Urgency
	}
	if in.PageKinds != nil {
		t.PageKinds = slices.Clone(in.PageKinds)
		slices.Sort(t.PageKinds)
		t.PageKinds = slices.Compact(t.PageKinds)
	}
	if in.Shared != nil {
		t.Shared = *in.Shared
	}
	if err := validTemplate(t); err != nil {
		return err
	}
	if t.Shared && s.cabinets[c.CabinetID].Kind != KindEditorial {
		return invalid("only an editorial cabinet shares templates with its subordinates")
	}
	t.Placeholders, _ = placeholders(t.Text)
	t.Placeholders = nonNil(t.Placeholders)
	return nil
}

func (s *Server) createTemplate(c *caller, r *http.Request) (int, any, error) {
	var in TemplateInput
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	below := s.subordinatesOf(c.CabinetID)
	now := s.clock.Now().UTC()
	t := &Template{CabinetID: c.CabinetID, AuthorID: c.ID, Urgency: UrgencyGreen, PageKinds: []string{}, CreatedAt: now, UpdatedAt: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.applyTemplate(c, t, in); err != nil {
		return 0, nil, err
	}
	s.nextID++
	t.ID = s.nextID
	s.planning.templates[t.ID] = t
	data := TemplateEventData{TemplateID: t.ID, Name: t.Name, FromCabinetID: c.CabinetID}
	s.emit(Event{Type: EventTemplateCreated, CabinetID: c.CabinetID, UserID: c.ID, At: now, Data: data})
	if t.Shared {
		for _, sub := range below {
			s.emit(Event{Type: EventTemplateCreated, CabinetID: sub, UserID: c.ID, At: now, Data: data})
		}
	}
	return http.StatusCreated, cloneTemplate(t), nil
}

// templateOf returns the template of the path: the caller's cabinet's,
// or (read only) a template shared by an editorial cabinet above it
// (above from cabinetTree). The caller holds s.mu.
func (s *Server) templateOf(c *caller, r *http.Request, above []int64, write bool) (*Template, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	t := s.planning.templates[id]
	switch {
	case t == nil:
		return nil, errNotFound
	case t.CabinetID == c.CabinetID:
		return t, nil
	case !write && t.Shared && slices.Contains(above, t.CabinetID):
		return t, nil
	}
	return nil, errNotFound
}

func (s *Server) listTemplates(c *caller, r *http.Request) (int, any, error) {
	above, _ := s.cabinetTree(c.CabinetID)
	s.mu.Lock()
	defer s.mu.Unlock()
	out := TemplateList{Items: []Template{}}
	for _, t := range sortedByID(s.planning.templates) {
		if t.CabinetID == c.CabinetID || t.Shared && slices.Contains(above, t.CabinetID) {
			out.Items = append(out.Items, cloneTemplate(t))
		}
	}
	return http.StatusOK, out, nil
}

func (s *Server) getTemplate(c *caller, r *http.Request) (int, any, error) {
	above, _ := s.cabinetTree(c.CabinetID)
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.templateOf(c, r, above, false)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, cloneTemplate(t), nil
}

func (s *Server) updateTemplate(c *caller, r *http.Request) (int, any, error) {
	var in TemplateInput
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.templateOf(c, r, nil, true)
	if err != nil {
		return 0, nil, err
	}
	cp := cloneTemplate(t)
	if err := s.applyTemplate(c, &cp, in); err != nil {
		return 0, nil, err
	}
	cp.UpdatedAt = s.clock.Now().UTC()
	s.planning.templates[cp.ID] = &cp
	return http.StatusOK, cloneTemplate(&cp), nil
}

func (s *Server) deleteTemplate(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.templateOf(c, r, nil, true)
	if err != nil {
		return 0, nil, err
	}
	delete(s.planning.templates, t.ID)
	return http.StatusNoContent, nil, nil
}

// createPostFromTemplate creates a draft in the caller's cabinet from a
// template it sees: the text with the placeholders filled, the
// template's urgency (unless overridden), targets of the template's page
// kinds.
func (s *Server) createPostFromTemplate(c *caller, r *http.Request) (int, any, error) {
	var req FromTemplateRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	above, _ := s.cabinetTree(c.CabinetID)
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.templateOf(c, r, above, false)
	if err != nil {
		return 0, nil, err
	}
	text, err := render(t.Text, req.Values)
	if err != nil {
		return 0, nil, err
	}
	if err := kindsAllow(t.PageKinds, req.Targets); err != nil {
		return 0, nil, err
	}
	urgency := t.Urgency
	if req.Urgency != nil {
		urgency = *req.Urgency
	}
	return s.newDraftLocked(c, PostInput{Text: &text, Urgency: &urgency, Targets: req.Targets, PublishAt: req.PublishAt})
}

// kindsAllow checks that every target is a page of one of kinds (empty:
// any kind).
func kindsAllow(kinds, targets []string) error {
	if len(kinds) == 0 {
		return nil
	}
	for _, tg := range targets {
		net, _, _ := strings.Cut(tg, ":")
		if !slices.Contains(kinds, net) {
			return invalid("target " + strconv.Quote(tg) + " is not a page of the kinds " + strings.Join(kinds, ", "))
		}
	}
	return nil
}

// newDraftLocked creates a draft of the caller's cabinet from in; the
// caller holds s.mu.
func (s *Server) newDraftLocked(c *caller, in PostInput) (int, any, error) {
	now := s.clock.Now().UTC()
	p := &Post{CabinetID: c.CabinetID, AuthorID: c.ID, Urgency: UrgencyGreen, Targets: []string{},
		Status: PostDraft, Comments: []Comment{}, CreatedAt: now, UpdatedAt: now}
	if err := apply(p, in); err != nil {
		return 0, nil, err
	}
	s.nextID++
	p.ID = s.nextID
	if err := s.posts.Put(*p); err != nil {
		return 0, nil, errStore(err)
	}
	return http.StatusCreated, clonePost(p), nil
}
