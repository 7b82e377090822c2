package gospubliki

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// PlanStatus is the status of a content plan entry.
type PlanStatus string

// Plan entry statuses.
const (
	PlanPlanned   PlanStatus = "planned"
	PlanDone      PlanStatus = "done"
	PlanCancelled PlanStatus = "cancelled"
)

// PlanEntry is an entry of the content plan: a topic planned for a
// period, with the posts that cover it.
type PlanEntry struct {
	ID          int64      `json:"id"`
	CabinetID   int64      `json:"cabinet_id"`
	AuthorID    int64      `json:"author_id"`
	StartsAt    time.Time  `json:"starts_at"`
	EndsAt      time.Time  `json:"ends_at"`
	Topic       string     `json:"topic"`
	Description string     `json:"description"`
	PostIDs     []int64    `json:"post_ids"`
	Urgency     Urgency    `json:"urgency"`
	Status      PlanStatus `json:"status"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// PlanInput is a plan entry's content: on create StartsAt, EndsAt and
// Topic are required; on update nil fields keep their value (PostIDs:
// nil keeps the links, an empty slice removes them).
type PlanInput struct {
	StartsAt    *time.Time  `json:"starts_at,omitempty"`
	EndsAt      *time.Time  `json:"ends_at,omitempty"`
	Topic       *string     `json:"topic,omitempty"`
	Description *string     `json:"description,omitempty"`
	PostIDs     []int64     `json:"post_ids"`
	Urgency     *Urgency    `json:"urgency,omitempty"`
	Status      *PlanStatus `json:"status,omitempty"`
}

// PlanFilter selects plan entries; zero fields do not filter.
type PlanFilter struct {
	// From and To select the entries overlapping [From, To).
	From, To time.Time
	Status   PlanStatus
	// Limit is the page size (server default 50, at most 200).
	Limit int
	// Cursor continues after a previous page.
	Cursor string
}

// PlanPage is one page of plan entries.
type PlanPage struct {
	Items      []PlanEntry `json:"items"`
	NextCursor string      `json:"next_cursor,omitempty"`
}

func planPath(id int64) string { return "/plan/" + strconv.FormatInt(id, 10) }

// pageQuery adds limit and cursor to q and returns path with the query.
func pageQuery(path string, q url.Values, limit int, cursor string) string {
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return path
}

// ListPlan returns one page of the content plan of the cabinets the
// caller sees, by start time.
func (c *Client) ListPlan(ctx context.Context, f PlanFilter, opts ...core.CallOption) (*PlanPage, error) {
	q := url.Values{}
	if !f.From.IsZero() {
		q.Set("from", f.From.UTC().Format(time.RFC3339))
	}
	if !f.To.IsZero() {
		q.Set("to", f.To.UTC().Format(time.RFC3339))
	}
	if f.Status != "" {
		q.Set("status", string(f.Status))
	}
	var p PlanPage
	return &p, c.do(ctx, "listPlan", http.MethodGet, pageQuery("/plan", q, f.Limit, f.Cursor), nil, &p, opts)
}

// Plan walks every plan entry matching f (from f.Cursor on), fetching
// pages as the loop advances; a failure is yielded once and ends the
// walk.
func (c *Client) Plan(ctx context.Context, f PlanFilter, opts ...core.CallOption) iter.Seq2[PlanEntry, error] {
	return walk(func(cursor string) ([]PlanEntry, string, error) {
		f.Cursor = cursor
		p, err := c.ListPlan(ctx, f, opts...)
		if err != nil {
			return nil, "", err
		}
		return p.Items, p.NextCursor, nil
	}, f.Cursor)
}

// walk yields the items of the pages fetch returns, from cursor on.
func walk[T any](fetch func(cursor string) ([]T, string, error), cursor string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for {
			items, next, err := fetch(cursor)
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
			if next == "" || len(items) == 0 {
				return
			}
			cursor = next
		}
	}
}

// CreatePlanEntry plans a topic (editor).
func (c *Client) CreatePlanEntry(ctx context.Context, req PlanInput, opts ...core.CallOption) (*PlanEntry, error) {
	var e PlanEntry
	return &e, c.do(ctx, "createPlanEntry", http.MethodPost, "/plan", req, &e, opts)
}

// PlanEntry returns one plan entry.
func (c *Client) PlanEntry(ctx context.Context, id int64, opts ...core.CallOption) (*PlanEntry, error) {
	var e PlanEntry
	return &e, c.do(ctx, "getPlanEntry", http.MethodGet, planPath(id), nil, &e, opts)
}

// UpdatePlanEntry changes a plan entry of the caller's cabinet (editor).
func (c *Client) UpdatePlanEntry(ctx context.Context, id int64, req PlanInput, opts ...core.CallOption) (*PlanEntry, error) {
	var e PlanEntry
	return &e, c.do(ctx, "updatePlanEntry", http.MethodPatch, planPath(id), req, &e, opts)
}

// DeletePlanEntry deletes a plan entry of the caller's cabinet (editor).
func (c *Client) DeletePlanEntry(ctx context.Context, id int64, opts ...core.CallOption) error {
	return c.do(ctx, "deletePlanEntry", http.MethodDelete, planPath(id), nil, nil, opts)
}
