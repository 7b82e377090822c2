package gpmock

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/mock/world"
)

// Content plan entry statuses.
const (
	PlanPlanned   = "planned"
	PlanDone      = "done"
	PlanCancelled = "cancelled"
)

const maxTopicRunes = 500

// PlanEntry is an entry of a cabinet's content plan: a topic planned for
// a period, with the posts that cover it.
type PlanEntry struct {
	ID        int64     `json:"id"`
	CabinetID int64     `json:"cabinet_id"`
	AuthorID  int64     `json:"author_id"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Topic     string    `json:"topic"`
	// Description tells what to publish.
	Description string `json:"description"`
	// PostIDs are the cabinet's posts linked to the entry.
	PostIDs   []int64   `json:"post_ids"`
	Urgency   string    `json:"urgency"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PlanInput is the body of POST /api/v1/plan and PATCH
// /api/v1/plan/{id} (on PATCH, absent or null fields keep their value).
type PlanInput struct {
	StartsAt    *time.Time `json:"starts_at,omitempty"`
	EndsAt      *time.Time `json:"ends_at,omitempty"`
	Topic       *string    `json:"topic,omitempty"`
	Description *string    `json:"description,omitempty"`
	PostIDs     []int64    `json:"post_ids"`
	Urgency     *string    `json:"urgency,omitempty"`
	Status      *string    `json:"status,omitempty"`
}

// PlanPage is one page of GET /api/v1/plan.
type PlanPage struct {
	Items      []PlanEntry `json:"items"`
	NextCursor string      `json:"next_cursor,omitempty"`
}

// Planning is the part of [State] the content plan, templates, thematic
// channels and webhooks keep.
type Planning struct {
	Plan         []PlanEntry   `json:"plan,omitempty"`
	Templates    []Template    `json:"templates,omitempty"`
	Channels     []Channel     `json:"channels,omitempty"`
	ChannelItems []ChannelItem `json:"channel_items,omitempty"`
	// Webhooks carry their secrets only in an export with secrets.
	Webhooks []Webhook `json:"webhooks,omitempty"`
}

func (p Planning) empty() bool {
	return len(p.Plan) == 0 && len(p.Templates) == 0 && len(p.Channels) == 0 && len(p.ChannelItems) == 0 && len(p.Webhooks) == 0
}

func (p Planning) merged(add Planning) Planning {
	return Planning{Plan: append(slices.Clone(p.Plan), add.Plan...), Templates: append(slices.Clone(p.Templates), add.Templates...),
		Channels: append(slices.Clone(p.Channels), add.Channels...), ChannelItems: append(slices.Clone(p.ChannelItems), add.ChannelItems...),
		Webhooks: append(slices.Clone(p.Webhooks), add.Webhooks...)}
}

// planning is the runtime form of [Planning], guarded by the store's mu.
type planning struct {
	plan      map[int64]*PlanEntry
	templates map[int64]*Template
	channels  map[int64]*Channel
	items     map[int64]*ChannelItem
	hooks     map[int64]*hookRec
}

func newPlanning() *planning {
	return &planning{plan: map[int64]*PlanEntry{}, templates: map[int64]*Template{}, channels: map[int64]*Channel{},
		items: map[int64]*ChannelItem{}, hooks: map[int64]*hookRec{}}
}

// loadPlanning adds in to an unshared store.
func (st *store) loadPlanning(in Planning) {
	pl := st.planning
	for _, e := range in.Plan {
		e.PostIDs = nonNil(e.PostIDs)
		pl.plan[e.ID] = &e
		st.nextID = max(st.nextID, e.ID)
	}
	for _, t := range in.Templates {
		t.PageKinds = nonNil(t.PageKinds)
		t.Placeholders, _ = placeholders(t.Text)
		t.Placeholders = nonNil(t.Placeholders)
		pl.templates[t.ID] = &t
		st.nextID = max(st.nextID, t.ID)
	}
	for _, c := range in.Channels {
		c.Subscribers = nonNil(c.Subscribers)
		pl.channels[c.ID] = &c
		st.nextID = max(st.nextID, c.ID)
	}
	for _, it := range in.ChannelItems {
		it.PageKinds, it.TakenBy = nonNil(it.PageKinds), nonNil(it.TakenBy)
		pl.items[it.ID] = &it
		st.nextID = max(st.nextID, it.ID)
	}
	for _, h := range in.Webhooks {
		h.Events = nonNil(h.Events)
		secret := h.Secret
		h.Secret = ""
		pl.hooks[h.ID] = &hookRec{Webhook: h, secret: secret}
		st.nextID = max(st.nextID, h.ID)
	}
}

// merge adds the content of add (a seed) to p.
func (p *planning) merge(add *planning) {
	for k, v := range add.plan {
		p.plan[k] = v
	}
	for k, v := range add.templates {
		p.templates[k] = v
	}
	for k, v := range add.channels {
		p.channels[k] = v
	}
	for k, v := range add.items {
		p.items[k] = v
	}
	for k, v := range add.hooks {
		p.hooks[k] = v
	}
}

// export returns the content sorted by id; webhook secrets only when
// secrets.
func (p *planning) export(secrets bool) Planning {
	var out Planning
	for _, e := range sortedByID(p.plan) {
		out.Plan = append(out.Plan, clonePlan(e))
	}
	for _, t := range sortedByID(p.templates) {
		out.Templates = append(out.Templates, cloneTemplate(t))
	}
	for _, c := range sortedByID(p.channels) {
		cp := *c
		cp.Subscribers = slices.Clone(c.Subscribers)
		out.Channels = append(out.Channels, cp)
	}
	for _, it := range sortedByID(p.items) {
		out.ChannelItems = append(out.ChannelItems, cloneItem(it))
	}
	for _, h := range sortedByID(p.hooks) {
		w := h.public()
		if secrets {
			w.Secret = h.secret
		}
		out.Webhooks = append(out.Webhooks, w)
	}
	return out
}

// sortedByID returns m's values in ascending key order.
func sortedByID[V any](m map[int64]V) []V {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]V, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// validatePlanning checks the planning part of st: ids unique across the
// section (id), entries of existing cabinets, known statuses, urgencies,
// page kinds and event types, linked posts of the entry's cabinet.
func validatePlanning(st State, cabs map[int64]bool, id func(path string, v int64) error) error {
	postCab := map[int64]int64{}
	for _, p := range st.Posts {
		postCab[p.ID] = p.CabinetID
	}
	kinds := map[int64]string{}
	for _, c := range st.Cabinets {
		kinds[c.ID] = c.Kind
	}
	cabinet := func(path string, v int64) error {
		if !cabs[v] {
			return fieldErr(path, "unknown cabinet", world.ErrNotFound)
		}
		return nil
	}
	for i, e := range st.Plan {
		p := fmt.Sprintf("plan[%d]", i)
		if err := id(p+".id", e.ID); err != nil {
			return err
		}
		if err := cabinet(p+".cabinet_id", e.CabinetID); err != nil {
			return err
		}
		if err := validPlanEntry(&e); err != nil {
			return fieldErr(p, err.(*apiError).message, world.ErrInvalid)
		}
		for j, pid := range e.PostIDs {
			if postCab[pid] != e.CabinetID {
				return fieldErr(fmt.Sprintf("%s.post_ids[%d]", p, j), "no such post in the entry's cabinet", world.ErrNotFound)
			}
		}
	}
	for i, t := range st.Templates {
		p := fmt.Sprintf("templates[%d]", i)
		if err := id(p+".id", t.ID); err != nil {
			return err
		}
		if err := cabinet(p+".cabinet_id", t.CabinetID); err != nil {
			return err
		}
		if err := validTemplate(&t); err != nil {
			return fieldErr(p, err.(*apiError).message, world.ErrInvalid)
		}
		if t.Shared && kinds[t.CabinetID] != KindEditorial {
			return fieldErr(p+".shared", "only an editorial cabinet shares templates", world.ErrInvalid)
		}
	}
	chans := map[int64]int64{}
	for i, c := range st.Channels {
		p := fmt.Sprintf("channels[%d]", i)
		if err := id(p+".id", c.ID); err != nil {
			return err
		}
		if err := cabinet(p+".cabinet_id", c.CabinetID); err != nil {
			return err
		}
		if kinds[c.CabinetID] != KindEditorial {
			return fieldErr(p+".cabinet_id", "only an editorial cabinet has thematic channels", world.ErrInvalid)
		}
		if strings.TrimSpace(c.Title) == "" {
			return fieldErr(p+".title", "is empty", world.ErrInvalid)
		}
		for j, s := range c.Subscribers {
			if err := cabinet(fmt.Sprintf("%s.subscribers[%d]", p, j), s); err != nil {
				return err
			}
		}
		chans[c.ID] = c.CabinetID
	}
	for i, it := range st.ChannelItems {
		p := fmt.Sprintf("channel_items[%d]", i)
		if err := id(p+".id", it.ID); err != nil {
			return err
		}
		owner, ok := chans[it.ChannelID]
		if !ok {
			return fieldErr(p+".channel_id", "unknown channel", world.ErrNotFound)
		}
		if it.CabinetID != owner {
			return fieldErr(p+".cabinet_id", "not the channel's cabinet", world.ErrInvalid)
		}
		if strings.TrimSpace(it.Text) == "" || !validUrgency(it.Urgency) {
			return fieldErr(p, "an item needs a text and a known urgency", world.ErrInvalid)
		}
	}
	for i, h := range st.Webhooks {
		p := fmt.Sprintf("webhooks[%d]", i)
		if err := id(p+".id", h.ID); err != nil {
			return err
		}
		if err := cabinet(p+".cabinet_id", h.CabinetID); err != nil {
			return err
		}
		if err := validWebhook(h.URL, h.Events); err != nil {
			return fieldErr(p, err.(*apiError).message, world.ErrInvalid)
		}
	}
	return nil
}

// worldSuperiors returns the superiors lookup of w's organisations.
func worldSuperiors(w *world.World) func(oid int64) []int64 {
	return func(oid int64) []int64 {
		sup, err := w.Superiors(oid)
		if err != nil {
			return nil
		}
		out := make([]int64, len(sup))
		for i, o := range sup {
			out[i] = o.OID
		}
		return out
	}
}

// cabinetTree returns the editorial cabinets above cabinet id (those of
// its organisation's superiors) and, for an editorial cabinet, the
// cabinets below it (whose organisation's superiors include its own):
// the subordination the world's organisations define. It is called
// without s.mu held (it reads the world).
func (s *Server) cabinetTree(id int64) (above, below []int64) {
	s.mu.Lock()
	sup := s.superiors
	self, ok := s.cabinets[id]
	var cabs []Cabinet
	if ok {
		for _, c := range s.cabinets {
			cabs = append(cabs, *c)
		}
	}
	s.mu.Unlock()
	if !ok || sup == nil {
		return nil, nil
	}
	mine := sup(self.OrgOID)
	for _, c := range cabs {
		if c.ID == id || c.Kind == KindLKO {
			continue
		}
		if c.Kind == KindEditorial && slices.Contains(mine, c.OrgOID) {
			above = append(above, c.ID)
		}
		if self.Kind == KindEditorial && slices.Contains(sup(c.OrgOID), self.OrgOID) {
			below = append(below, c.ID)
		}
	}
	slices.Sort(above)
	slices.Sort(below)
	return above, below
}

// subordinatesOf returns the cabinets below an editorial cabinet (none for
// another kind); called without s.mu held.
func (s *Server) subordinatesOf(id int64) []int64 {
	_, below := s.cabinetTree(id)
	return below
}

func (s *Server) routesPlan() {
	s.handle("listPlan", "GET", "/api/v1/plan", allRoles, s.listPlan)
	s.handle("createPlanEntry", "POST", "/api/v1/plan", editors, s.createPlanEntry)
	s.handle("getPlanEntry", "GET", "/api/v1/plan/{id}", allRoles, s.getPlanEntry)
	s.handle("updatePlanEntry", "PATCH", "/api/v1/plan/{id}", editors, s.updatePlanEntry)
	s.handle("deletePlanEntry", "DELETE", "/api/v1/plan/{id}", editors, s.deletePlanEntry)
}

func clonePlan(e *PlanEntry) PlanEntry {
	out := *e
	out.PostIDs = slices.Clone(nonNil(e.PostIDs))
	return out
}

func validPlanEntry(e *PlanEntry) error {
	switch {
	case e.StartsAt.IsZero() || e.EndsAt.IsZero() || !e.EndsAt.After(e.StartsAt):
		return invalid("starts_at and ends_at are required, ends_at after starts_at")
	case strings.TrimSpace(e.Topic) == "" || utf8.RuneCountInString(e.Topic) > maxTopicRunes || !utf8.ValidString(e.Topic):
		return invalid("topic must be 1 to 500 characters")
	case utf8.RuneCountInString(e.Description) > maxTextRunes || !utf8.ValidString(e.Description):
		return invalid("description must be at most 16384 characters")
	case !validUrgency(e.Urgency):
		return invalid("urgency must be green, orange or red")
	case e.Status != PlanPlanned && e.Status != PlanDone && e.Status != PlanCancelled:
		return invalid("status must be planned, done or cancelled")
	case len(e.PostIDs) > maxTargets:
		return invalid("too many linked posts")
	}
	return nil
}

// applyPlan applies in to e and validates the result; linked posts must
// be the cabinet's. The caller holds s.mu.
func (s *Server) applyPlan(e *PlanEntry, in PlanInput) error {
	if in.StartsAt != nil {
		e.StartsAt = in.StartsAt.UTC()
	}
	if in.EndsAt != nil {
		e.EndsAt = in.EndsAt.UTC()
	}
	if in.Topic != nil {
		e.Topic = *in.Topic
	}
	if in.Description != nil {
		e.Description = *in.Description
	}
	if in.Urgency != nil {
		e.Urgency = *in.Urgency
	}
	if in.Status != nil {
		e.Status = *in.Status
	}
	if in.PostIDs != nil {
		e.PostIDs = slices.Clone(in.PostIDs)
		slices.Sort(e.PostIDs)
		e.PostIDs = slices.Compact(e.PostIDs)
	}
	if err := validPlanEntry(e); err != nil {
		return err
	}
	for _, id := range e.PostIDs {
		p, ok, err := s.posts.Get(id)
		if err != nil {
			return errStore(err)
		}
		if !ok || p.CabinetID != e.CabinetID {
			return invalid("post " + strconv.FormatInt(id, 10) + " is not a post of the cabinet")
		}
	}
	return nil
}

func (s *Server) createPlanEntry(c *caller, r *http.Request) (int, any, error) {
	var in PlanInput
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	now := s.clock.Now().UTC()
	e := &PlanEntry{CabinetID: c.CabinetID, AuthorID: c.ID, Urgency: UrgencyGreen, Status: PlanPlanned,
		PostIDs: []int64{}, CreatedAt: now, UpdatedAt: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.applyPlan(e, in); err != nil {
		return 0, nil, err
	}
	s.nextID++
	e.ID = s.nextID
	s.planning.plan[e.ID] = e
	return http.StatusCreated, clonePlan(e), nil
}

// planOf returns the plan entry of the path: of a cabinet the caller
// sees (read) or of the caller's own cabinet (write). The caller holds
// s.mu.
func (s *Server) planOf(c *caller, r *http.Request, write bool) (*PlanEntry, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	e := s.planning.plan[id]
	if e == nil || !slices.Contains(s.visibleCabinets(c), e.CabinetID) || write && e.CabinetID != c.CabinetID {
		return nil, errNotFound
	}
	return e, nil
}

func (s *Server) getPlanEntry(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.planOf(c, r, false)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, clonePlan(e), nil
}

func (s *Server) updatePlanEntry(c *caller, r *http.Request) (int, any, error) {
	var in PlanInput
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.planOf(c, r, true)
	if err != nil {
		return 0, nil, err
	}
	cp := clonePlan(e)
	if err := s.applyPlan(&cp, in); err != nil {
		return 0, nil, err
	}
	cp.UpdatedAt = s.clock.Now().UTC()
	s.planning.plan[cp.ID] = &cp
	return http.StatusOK, clonePlan(&cp), nil
}

func (s *Server) deletePlanEntry(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.planOf(c, r, true)
	if err != nil {
		return 0, nil, err
	}
	delete(s.planning.plan, e.ID)
	return http.StatusNoContent, nil, nil
}

// listQuery reads the limit and cursor parameters of a list.
func listQuery(r *http.Request) (limit int, cursor string, err error) {
	limit = DefaultPageSize
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPageSize {
			return 0, "", invalid("limit must be 1 to 200")
		}
		limit = n
	}
	return limit, q.Get("cursor"), nil
}

// idPage reads the limit and the id cursor of a list ordered by id,
// newest first (before 0: from the newest).
func idPage(r *http.Request) (limit int, before int64, err error) {
	limit, cursor, err := listQuery(r)
	if err != nil || cursor == "" {
		return limit, 0, err
	}
	before, err = decodeCursor(cursor)
	return limit, before, err
}

// timeRange reads the from and to query parameters into from and to,
// leaving each as it is when absent.
func timeRange(r *http.Request, from, to *time.Time) error {
	for _, f := range []struct {
		name string
		t    *time.Time
	}{{"from", from}, {"to", to}} {
		t, err := timeParam(r, f.name)
		if err != nil {
			return err
		}
		if !t.IsZero() {
			*f.t = t
		}
	}
	return nil
}

// timeParam reads an RFC 3339 query parameter (zero when absent).
func timeParam(r *http.Request, name string) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, invalid(name + " must be RFC 3339")
	}
	return t, nil
}

// A plan cursor is the (starts_at, id) of the last entry of a page.
func encodePlanCursor(e *PlanEntry) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(e.StartsAt.UnixNano(), 10) + "." + strconv.FormatInt(e.ID, 10)))
}

func decodePlanCursor(c string) (time.Time, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, 0, invalid("malformed cursor")
	}
	ts, ids, ok := strings.Cut(string(b), ".")
	n, err1 := strconv.ParseInt(ts, 10, 64)
	id, err2 := strconv.ParseInt(ids, 10, 64)
	if !ok || err1 != nil || err2 != nil || id <= 0 {
		return time.Time{}, 0, invalid("malformed cursor")
	}
	return time.Unix(0, n).UTC(), id, nil
}

func planLess(a, b *PlanEntry) int {
	if c := a.StartsAt.Compare(b.StartsAt); c != 0 {
		return c
	}
	return int(a.ID - b.ID)
}

// listPlan lists the plan entries of the cabinets the caller sees that
// overlap [from, to), by start time, filtered by status.
func (s *Server) listPlan(c *caller, r *http.Request) (int, any, error) {
	limit, cursor, err := listQuery(r)
	if err != nil {
		return 0, nil, err
	}
	from, err := timeParam(r, "from")
	if err != nil {
		return 0, nil, err
	}
	to, err := timeParam(r, "to")
	if err != nil {
		return 0, nil, err
	}
	status := r.URL.Query().Get("status")
	if status != "" && status != PlanPlanned && status != PlanDone && status != PlanCancelled {
		return 0, nil, invalid("unknown status")
	}
	var after *PlanEntry
	if cursor != "" {
		t, id, err := decodePlanCursor(cursor)
		if err != nil {
			return 0, nil, err
		}
		after = &PlanEntry{ID: id, StartsAt: t}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	vis := s.visibleCabinets(c)
	var all []*PlanEntry
	for _, e := range s.planning.plan {
		switch {
		case !slices.Contains(vis, e.CabinetID),
			status != "" && e.Status != status,
			!from.IsZero() && !e.EndsAt.After(from),
			!to.IsZero() && !e.StartsAt.Before(to),
			after != nil && planLess(e, after) <= 0:
			continue
		}
		all = append(all, e)
	}
	slices.SortFunc(all, planLess)
	out := PlanPage{Items: []PlanEntry{}}
	for i, e := range all {
		if i == limit {
			out.NextCursor = encodePlanCursor(all[i-1])
			break
		}
		out.Items = append(out.Items, clonePlan(e))
	}
	return http.StatusOK, out, nil
}
