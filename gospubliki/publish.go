package gospubliki

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// Post statuses of publishing: an approved post with a publish time is
// scheduled; then publishing, and published (every page),
// partially_published (some pages published or of unknown outcome) or
// failed (no page). A deleted post was removed from every page.
const (
	PostScheduled          PostStatus = "scheduled"
	PostPublishing         PostStatus = "publishing"
	PostPublished          PostStatus = "published"
	PostPartiallyPublished PostStatus = "partially_published"
	PostFailed             PostStatus = "failed"
	PostDeleted            PostStatus = "deleted"
)

// Outcome is how the publication of a post to one page ended.
type Outcome string

// Outcomes of a report line.
const (
	// OutcomePending: the page is being published.
	OutcomePending Outcome = "pending"
	// OutcomePublished: the network confirmed the post.
	OutcomePublished Outcome = "published"
	// OutcomePartial: some parts of the post are on the page.
	OutcomePartial Outcome = "partially_published"
	// OutcomeFailed: the network refused it or it was never sent; "publish
	// now" tries the page again.
	OutcomeFailed Outcome = "failed"
	// OutcomeUnknown: the post may be on the page; it is never retried:
	// check the page.
	OutcomeUnknown Outcome = "unknown"
)

// Poll is a post's poll.
type Poll struct {
	Question        string   `json:"question"`
	Options         []string `json:"options"`
	Anonymous       bool     `json:"anonymous,omitempty"`
	MultipleAnswers bool     `json:"multiple_answers,omitempty"`
}

// Link is a post's link.
type Link struct {
	URL   string `json:"url"`
	Title string `json:"title,omitempty"`
}

// Media is an uploaded file.
type Media struct {
	ID          int64     `json:"id"`
	CabinetID   int64     `json:"cabinet_id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	UploadedBy  int64     `json:"uploaded_by,omitempty"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// PagePart is one network object of a publication.
type PagePart struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	HasText bool   `json:"has_text,omitempty"`
}

// PageAction is the result of an edit or a deletion on one page.
type PageAction struct {
	OK    bool      `json:"ok"`
	Error string    `json:"error,omitempty"`
	Code  string    `json:"code,omitempty"`
	At    time.Time `json:"at"`
}

// PageReport is one target page's line of the publication report.
type PageReport struct {
	Target        string     `json:"target"`
	Outcome       Outcome    `json:"outcome"`
	URL           string     `json:"url,omitempty"`
	NetworkPostID string     `json:"network_post_id,omitempty"`
	Parts         []PagePart `json:"parts,omitempty"`
	// Error is the network's error text and Code its error code.
	Error    string      `json:"error,omitempty"`
	Code     string      `json:"code,omitempty"`
	Attempts int         `json:"attempts"`
	At       *time.Time  `json:"at,omitempty"`
	Edit     *PageAction `json:"edit,omitempty"`
	Delete   *PageAction `json:"delete,omitempty"`
}

// Report is a post's publication report.
type Report struct {
	PostID int64        `json:"post_id"`
	Status PostStatus   `json:"status"`
	Items  []PageReport `json:"items"`
}

// rawBody is a request body sent as is.
type rawBody struct {
	data        []byte
	contentType string
}

// UploadMedia uploads a file (image/jpeg, image/png, image/gif,
// image/webp, video/mp4 or application/pdf, at most 10 MiB) to the
// cabinet; posts refer to it by its id.
func (c *Client) UploadMedia(ctx context.Context, filename, contentType string, data []byte, opts ...core.CallOption) (*Media, error) {
	var m Media
	return &m, c.do(ctx, "uploadMedia", http.MethodPost, "/media?filename="+url.QueryEscape(filename),
		rawBody{data: data, contentType: contentType}, &m, opts)
}

// Media returns an uploaded file's description.
func (c *Client) Media(ctx context.Context, id int64, opts ...core.CallOption) (*Media, error) {
	var m Media
	return &m, c.do(ctx, "getMedia", http.MethodGet, "/media/"+strconv.FormatInt(id, 10), nil, &m, opts)
}

// PublishPost publishes an approved or scheduled post now, or publishes
// again the failed pages of a failed or partially published post (pages
// of unknown outcome never). With wait the answer comes once the
// publication ended; otherwise at once, with the post publishing.
func (c *Client) PublishPost(ctx context.Context, id int64, wait bool, opts ...core.CallOption) (*Post, error) {
	var p Post
	body := struct {
		Wait bool `json:"wait,omitempty"`
	}{wait}
	return &p, c.do(ctx, "publishPost", http.MethodPost, postPath(id, "/publish"), body, &p, opts)
}

// PostReport returns a post's publication report.
func (c *Client) PostReport(ctx context.Context, id int64, opts ...core.CallOption) (*Report, error) {
	var r Report
	return &r, c.do(ctx, "postReport", http.MethodGet, postPath(id, "/report"), nil, &r, opts)
}

// DeletePost deletes a post: from every page it is on when published
// (each page's result in its report line; the post is deleted once every
// page is).
func (c *Client) DeletePost(ctx context.Context, id int64, opts ...core.CallOption) (*Post, error) {
	var p Post
	return &p, c.do(ctx, "deletePost", http.MethodDelete, postPath(id, ""), nil, &p, opts)
}
