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

// Dialog sources.
const (
	SourceVKComment = "vk_comment"
	SourceVKMessage = "vk_message"
	SourceTelegram  = "telegram_message"
	SourcePOS       = "pos_appeal"
	SourceOKComment = "ok_comment"
)

// Dialog statuses.
const (
	DialogNew      = "new"
	DialogAssigned = "assigned"
	DialogAnswered = "answered"
	DialogClosed   = "closed"
)

// Reply statuses.
const (
	ReplySent   = "sent"
	ReplyFailed = "failed"
)

// Dialog is one item of the cabinet's inbox: a comment, a message or a
// POS appeal, with its replies.
type Dialog struct {
	ID        int64  `json:"id"`
	CabinetID int64  `json:"cabinet_id"`
	Source    string `json:"source"`
	// PageRef is the connected page it came through ("vk:-123").
	PageRef string `json:"page_ref,omitempty"`
	// NetworkID identifies it at its source; with Source it is unique in
	// the cabinet.
	NetworkID string `json:"network_id"`
	// Thread is where a reply goes (VK post, VK peer, Telegram chat).
	Thread     string        `json:"thread,omitempty"`
	Author     string        `json:"author,omitempty"`
	Text       string        `json:"text"`
	Topic      string        `json:"topic,omitempty"`
	Status     string        `json:"status"`
	AssigneeID int64         `json:"assignee_id,omitempty"`
	RuleID     int64         `json:"rule_id,omitempty"`
	ReceivedAt time.Time     `json:"received_at"`
	UpdatedAt  time.Time     `json:"updated_at"`
	Replies    []DialogReply `json:"replies"`
}

// DialogReply is a reply sent, or attempted, through the dialog's source.
type DialogReply struct {
	ID int64 `json:"id"`
	// AuthorID is the user who replied (0: an auto-rule, RuleID).
	AuthorID int64     `json:"author_id,omitempty"`
	RuleID   int64     `json:"rule_id,omitempty"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
	Status   string    `json:"status"`
	// NetworkID is the reply's id at the source, when sent.
	NetworkID string `json:"network_id,omitempty"`
	// Error and Code are the source's error when the reply failed.
	Error string `json:"error,omitempty"`
	Code  string `json:"code,omitempty"`
}

// DialogFilter selects dialogs of ListDialogs.
type DialogFilter struct {
	Status, Source string
	// Assignee selects a user's dialogs (0: any).
	Assignee int64
	// Page selects a page ref.
	Page string
	// Limit is the page size (server default 50, at most 200).
	Limit int
	// Cursor continues after a previous page.
	Cursor string
}

// DialogPage is one page of dialogs, newest first.
type DialogPage struct {
	Items      []Dialog `json:"items"`
	NextCursor string   `json:"next_cursor,omitempty"`
}

// AutoRule routes incoming dialogs: one matching every condition set
// (topic, any keyword, source) is assigned and/or answered with Template
// (placeholders {author}, {topic}, {org}, {id}).
type AutoRule struct {
	ID         int64     `json:"id"`
	CabinetID  int64     `json:"cabinet_id"`
	Name       string    `json:"name"`
	Topic      string    `json:"topic,omitempty"`
	Keywords   []string  `json:"keywords,omitempty"`
	Sources    []string  `json:"sources,omitempty"`
	AssigneeID int64     `json:"assignee_id,omitempty"`
	Template   string    `json:"template,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// DialogRuleRequest is the body of CreateDialogRule.
type DialogRuleRequest struct {
	Name       string   `json:"name"`
	Topic      string   `json:"topic,omitempty"`
	Keywords   []string `json:"keywords,omitempty"`
	Sources    []string `json:"sources,omitempty"`
	AssigneeID int64    `json:"assignee_id,omitempty"`
	Template   string   `json:"template,omitempty"`
}

// CollectResult is the answer of CollectDialogs and CollectAnalytics.
type CollectResult struct {
	// Received counts the new dialogs (or the snapshots taken).
	Received int `json:"received"`
	// Errors are the pages that could not be read.
	Errors []PageError `json:"errors,omitempty"`
}

// PageError is a page a collection could not read, with the network's
// error.
type PageError struct {
	PageRef string `json:"page_ref"`
	Error   string `json:"error"`
	Code    string `json:"code,omitempty"`
}

func dialogPath(id int64, tail string) string {
	return "/dialogs/" + strconv.FormatInt(id, 10) + tail
}

// ListDialogs returns one page of the cabinet's inbox, newest first.
func (c *Client) ListDialogs(ctx context.Context, f DialogFilter, opts ...core.CallOption) (*DialogPage, error) {
	q := url.Values{}
	for k, v := range map[string]string{"status": f.Status, "source": f.Source, "page": f.Page, "cursor": f.Cursor} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.Assignee > 0 {
		q.Set("assignee", strconv.FormatInt(f.Assignee, 10))
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	path := "/dialogs"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var p DialogPage
	return &p, c.do(ctx, "listDialogs", http.MethodGet, path, nil, &p, opts)
}

// Dialogs walks every dialog matching f (from f.Cursor on), fetching
// pages as the loop advances; a failure is yielded once and ends the
// walk.
func (c *Client) Dialogs(ctx context.Context, f DialogFilter, opts ...core.CallOption) iter.Seq2[Dialog, error] {
	return func(yield func(Dialog, error) bool) {
		for {
			page, err := c.ListDialogs(ctx, f, opts...)
			if err != nil {
				yield(Dialog{}, err)
				return
			}
			for _, d := range page.Items {
				if !yield(d, nil) {
					return
				}
			}
			if page.NextCursor == "" || len(page.Items) == 0 {
				return
			}
			f.Cursor = page.NextCursor
		}
	}
}

// Dialog returns one dialog with its replies.
func (c *Client) Dialog(ctx context.Context, id int64, opts ...core.CallOption) (*Dialog, error) {
	var d Dialog
	return &d, c.do(ctx, "getDialog", http.MethodGet, dialogPath(id, ""), nil, &d, opts)
}

// AssignDialog assigns a dialog to a user of the cabinet (LKO
// administrator, moderator).
func (c *Client) AssignDialog(ctx context.Context, id, assigneeID int64, opts ...core.CallOption) (*Dialog, error) {
	var d Dialog
	body := struct {
		AssigneeID int64 `json:"assignee_id"`
	}{assigneeID}
	return &d, c.do(ctx, "assignDialog", http.MethodPost, dialogPath(id, "/assign"), body, &d, opts)
}

// ReplyDialog sends a reply through the dialog's source (VK comment or
// message, Telegram message). The reply is recorded either way: its
// Status is ReplyFailed with the network's error when the network
// refused it.
func (c *Client) ReplyDialog(ctx context.Context, id int64, text string, opts ...core.CallOption) (*Dialog, error) {
	var d Dialog
	body := struct {
		Text string `json:"text"`
	}{text}
	return &d, c.do(ctx, "replyDialog", http.MethodPost, dialogPath(id, "/reply"), body, &d, opts)
}

// CloseDialog closes a dialog.
func (c *Client) CloseDialog(ctx context.Context, id int64, opts ...core.CallOption) (*Dialog, error) {
	var d Dialog
	return &d, c.do(ctx, "closeDialog", http.MethodPost, dialogPath(id, "/close"), nil, &d, opts)
}

// CollectDialogs reads new comments and messages from the cabinet's pages
// now (LKO administrator); the server also does so on its schedule.
func (c *Client) CollectDialogs(ctx context.Context, opts ...core.CallOption) (*CollectResult, error) {
	var r CollectResult
	return &r, c.do(ctx, "collectDialogs", http.MethodPost, "/dialogs/collect", nil, &r, opts)
}

// DialogRules returns the cabinet's auto-rules in the order they are
// tried.
func (c *Client) DialogRules(ctx context.Context, opts ...core.CallOption) ([]AutoRule, error) {
	var out struct {
		Items []AutoRule `json:"items"`
	}
	return out.Items, c.do(ctx, "listDialogRules", http.MethodGet, "/dialog-rules", nil, &out, opts)
}

// CreateDialogRule adds an auto-rule (LKO administrator).
func (c *Client) CreateDialogRule(ctx context.Context, req DialogRuleRequest, opts ...core.CallOption) (*AutoRule, error) {
	var r AutoRule
	return &r, c.do(ctx, "createDialogRule", http.MethodPost, "/dialog-rules", req, &r, opts)
}

// DeleteDialogRule removes an auto-rule (LKO administrator).
func (c *Client) DeleteDialogRule(ctx context.Context, id int64, opts ...core.CallOption) error {
	return c.do(ctx, "deleteDialogRule", http.MethodDelete, "/dialog-rules/"+strconv.FormatInt(id, 10), nil, nil, opts)
}
