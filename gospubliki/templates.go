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

// PageKind is a kind of page: "vk", "ok" or "telegram".
type PageKind string

// Page kinds.
const (
	PageVK       PageKind = "vk"
	PageOK       PageKind = "ok"
	PageTelegram PageKind = "telegram"
)

// Template is a post template: text with {{placeholders}}, a default
// urgency and the kinds of pages it suits. A template an editorial
// cabinet shares is offered, read-only, to its subordinate cabinets.
type Template struct {
	ID        int64  `json:"id"`
	CabinetID int64  `json:"cabinet_id"`
	AuthorID  int64  `json:"author_id"`
	Name      string `json:"name"`
	Text      string `json:"text"`
	// Urgency is the default urgency of posts made from the template.
	Urgency Urgency `json:"urgency"`
	// PageKinds are the kinds of target pages allowed (empty: any).
	PageKinds []PageKind `json:"page_kinds"`
	Shared    bool       `json:"shared"`
	// Placeholders are the names of the text's {{placeholders}}.
	Placeholders []string  `json:"placeholders"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// TemplateInput is a template's content: on create Name and Text are
// required; on update nil fields keep their value.
type TemplateInput struct {
	Name *string `json:"name,omitempty"`
	// Text holds {{name}} placeholders (letters, digits and _).
	Text      *string    `json:"text,omitempty"`
	Urgency   *Urgency   `json:"urgency,omitempty"`
	PageKinds []PageKind `json:"page_kinds,omitempty"`
	// Shared offers the template to the subordinate cabinets (an
	// editorial cabinet only).
	Shared *bool `json:"shared,omitempty"`
}

// FromTemplateRequest makes a post from a template.
type FromTemplateRequest struct {
	// Values fill the placeholders; every placeholder needs one.
	Values map[string]string `json:"values"`
	// Targets must be pages of the template's kinds.
	Targets   []string   `json:"targets,omitempty"`
	PublishAt *time.Time `json:"publish_at,omitempty"`
	// Urgency overrides the template's.
	Urgency *Urgency `json:"urgency,omitempty"`
}

func templatePath(id int64, tail string) string {
	return "/templates/" + strconv.FormatInt(id, 10) + tail
}

// Templates returns the cabinet's templates and those the editorial
// cabinets above it share (editor, moderator).
func (c *Client) Templates(ctx context.Context, opts ...core.CallOption) ([]Template, error) {
	var l struct {
		Items []Template `json:"items"`
	}
	return l.Items, c.do(ctx, "listTemplates", http.MethodGet, "/templates", nil, &l, opts)
}

// CreateTemplate creates a template (editor); the server tells the
// cabinet's users (and, for a shared one, the subordinate cabinets') of
// it with a template.created event.
func (c *Client) CreateTemplate(ctx context.Context, req TemplateInput, opts ...core.CallOption) (*Template, error) {
	var t Template
	return &t, c.do(ctx, "createTemplate", http.MethodPost, "/templates", req, &t, opts)
}

// Template returns one template.
func (c *Client) Template(ctx context.Context, id int64, opts ...core.CallOption) (*Template, error) {
	var t Template
	return &t, c.do(ctx, "getTemplate", http.MethodGet, templatePath(id, ""), nil, &t, opts)
}

// UpdateTemplate changes a template of the caller's cabinet (editor).
func (c *Client) UpdateTemplate(ctx context.Context, id int64, req TemplateInput, opts ...core.CallOption) (*Template, error) {
	var t Template
	return &t, c.do(ctx, "updateTemplate", http.MethodPatch, templatePath(id, ""), req, &t, opts)
}

// DeleteTemplate deletes a template of the caller's cabinet (editor).
func (c *Client) DeleteTemplate(ctx context.Context, id int64, opts ...core.CallOption) error {
	return c.do(ctx, "deleteTemplate", http.MethodDelete, templatePath(id, ""), nil, nil, opts)
}

// CreatePostFromTemplate creates a draft from a template (editor).
func (c *Client) CreatePostFromTemplate(ctx context.Context, id int64, req FromTemplateRequest, opts ...core.CallOption) (*Post, error) {
	var p Post
	return &p, c.do(ctx, "createPostFromTemplate", http.MethodPost, templatePath(id, "/posts"), req, &p, opts)
}

// Channel is a thematic channel of an editorial cabinet: ready content
// for the cabinets of its subordinate organisations.
type Channel struct {
	ID        int64  `json:"id"`
	CabinetID int64  `json:"cabinet_id"`
	Title     string `json:"title"`
	Topic     string `json:"topic"`
	// Subscribers are the subscribed cabinets (shown to the channel's
	// cabinet only).
	Subscribers []int64 `json:"subscribers"`
	// Subscribed tells whether the caller's cabinet is subscribed.
	Subscribed bool      `json:"subscribed"`
	CreatedAt  time.Time `json:"created_at"`
}

// ChannelInput creates a channel.
type ChannelInput struct {
	Title string `json:"title"`
	Topic string `json:"topic,omitempty"`
}

// ChannelItem is ready content published into a channel.
type ChannelItem struct {
	ID        int64      `json:"id"`
	ChannelID int64      `json:"channel_id"`
	CabinetID int64      `json:"cabinet_id"`
	AuthorID  int64      `json:"author_id"`
	Title     string     `json:"title"`
	Text      string     `json:"text"`
	Urgency   Urgency    `json:"urgency"`
	PageKinds []PageKind `json:"page_kinds"`
	// TakenBy are the cabinets that took the item as a draft (a
	// subordinate cabinet sees only itself).
	TakenBy   []int64   `json:"taken_by"`
	CreatedAt time.Time `json:"created_at"`
}

// ChannelItemInput publishes an item.
type ChannelItemInput struct {
	Title     string     `json:"title"`
	Text      string     `json:"text"`
	Urgency   Urgency    `json:"urgency,omitempty"`
	PageKinds []PageKind `json:"page_kinds,omitempty"`
}

// ChannelItemPage is one page of a channel's items.
type ChannelItemPage struct {
	Items      []ChannelItem `json:"items"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

// PageRequest selects a page of a list.
type PageRequest struct {
	// Limit is the page size (server default 50, at most 200).
	Limit int
	// Cursor continues after a previous page.
	Cursor string
}

// TakeRequest takes a channel item as a draft.
type TakeRequest struct {
	Targets   []string   `json:"targets,omitempty"`
	PublishAt *time.Time `json:"publish_at,omitempty"`
}

func channelPath(id int64, tail string) string {
	return "/channels/" + strconv.FormatInt(id, 10) + tail
}

// Channels returns the caller's channels (an editorial cabinet) and those
// of the editorial cabinets above it (editor, moderator).
func (c *Client) Channels(ctx context.Context, opts ...core.CallOption) ([]Channel, error) {
	var l struct {
		Items []Channel `json:"items"`
	}
	return l.Items, c.do(ctx, "listChannels", http.MethodGet, "/channels", nil, &l, opts)
}

// CreateChannel creates a thematic channel (editor of an editorial
// cabinet).
func (c *Client) CreateChannel(ctx context.Context, req ChannelInput, opts ...core.CallOption) (*Channel, error) {
	var ch Channel
	return &ch, c.do(ctx, "createChannel", http.MethodPost, "/channels", req, &ch, opts)
}

// SubscribeChannel subscribes the caller's cabinet to a channel of an
// editorial cabinet above it (editor).
func (c *Client) SubscribeChannel(ctx context.Context, id int64, opts ...core.CallOption) (*Channel, error) {
	var ch Channel
	return &ch, c.do(ctx, "subscribeChannel", http.MethodPost, channelPath(id, "/subscription"), nil, &ch, opts)
}

// UnsubscribeChannel unsubscribes the caller's cabinet (editor).
func (c *Client) UnsubscribeChannel(ctx context.Context, id int64, opts ...core.CallOption) (*Channel, error) {
	var ch Channel
	return &ch, c.do(ctx, "unsubscribeChannel", http.MethodDelete, channelPath(id, "/subscription"), nil, &ch, opts)
}

// ListChannelItems returns one page of a channel's items, newest first.
func (c *Client) ListChannelItems(ctx context.Context, id int64, pr PageRequest, opts ...core.CallOption) (*ChannelItemPage, error) {
	var p ChannelItemPage
	return &p, c.do(ctx, "listChannelItems", http.MethodGet, pageQuery(channelPath(id, "/items"), url.Values{}, pr.Limit, pr.Cursor), nil, &p, opts)
}

// ChannelItems walks a channel's items (from pr.Cursor on).
func (c *Client) ChannelItems(ctx context.Context, id int64, pr PageRequest, opts ...core.CallOption) iter.Seq2[ChannelItem, error] {
	return walk(func(cursor string) ([]ChannelItem, string, error) {
		pr.Cursor = cursor
		p, err := c.ListChannelItems(ctx, id, pr, opts...)
		if err != nil {
			return nil, "", err
		}
		return p.Items, p.NextCursor, nil
	}, pr.Cursor)
}

// PublishChannelItem publishes ready content into the caller's channel
// (editor of the editorial cabinet); subscribed cabinets hear of it as a
// channel.item event.
func (c *Client) PublishChannelItem(ctx context.Context, id int64, req ChannelItemInput, opts ...core.CallOption) (*ChannelItem, error) {
	var it ChannelItem
	return &it, c.do(ctx, "publishChannelItem", http.MethodPost, channelPath(id, "/items"), req, &it, opts)
}

// TakeChannelItem takes a channel item as a draft post of the caller's
// cabinet (editor of a subordinate cabinet).
func (c *Client) TakeChannelItem(ctx context.Context, itemID int64, req TakeRequest, opts ...core.CallOption) (*Post, error) {
	var p Post
	return &p, c.do(ctx, "takeChannelItem", http.MethodPost, "/channel-items/"+strconv.FormatInt(itemID, 10)+"/take", req, &p, opts)
}
