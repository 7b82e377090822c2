package gospubliki

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// Aggregation periods.
const (
	PeriodDay   = "day"
	PeriodWeek  = "week"
	PeriodMonth = "month"
)

// AnalyticsQuery selects an aggregation: Period (default PeriodDay) over
// [From, To) (default: the last 30 days), and for page analytics one
// page (Page, a page ref; empty: every page).
type AnalyticsQuery struct {
	Period   string
	From, To time.Time
	Page     string
}

func (q AnalyticsQuery) values() string {
	v := url.Values{}
	if q.Period != "" {
		v.Set("period", q.Period)
	}
	if !q.From.IsZero() {
		v.Set("from", q.From.UTC().Format(time.RFC3339))
	}
	if !q.To.IsZero() {
		v.Set("to", q.To.UTC().Format(time.RFC3339))
	}
	if q.Page != "" {
		v.Set("page", q.Page)
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// AnalyticsBucket is one period: the last snapshot's values in
// [Start, End) and the subscriber growth over the period.
type AnalyticsBucket struct {
	Start            time.Time `json:"start"`
	End              time.Time `json:"end"`
	Samples          int       `json:"samples"`
	Subscribers      int64     `json:"subscribers"`
	SubscriberGrowth int64     `json:"subscriber_growth"`
	Reach            int64     `json:"reach"`
	Views            int64     `json:"views"`
	Likes            int64     `json:"likes"`
	Comments         int64     `json:"comments"`
	Reposts          int64     `json:"reposts"`
}

// PageAnalytics is one page's periods.
type PageAnalytics struct {
	PageRef string            `json:"page_ref"`
	Buckets []AnalyticsBucket `json:"buckets"`
	// Error is the network's error at the last reading, if it failed.
	Error string `json:"error,omitempty"`
}

// AnalyticsReport is an aggregation of pages' or a post's statistics.
type AnalyticsReport struct {
	Period string          `json:"period"`
	From   time.Time       `json:"from"`
	To     time.Time       `json:"to"`
	PostID int64           `json:"post_id,omitempty"`
	Pages  []PageAnalytics `json:"pages"`
}

// PageAnalytics aggregates the statistics of the cabinet's pages.
func (c *Client) PageAnalytics(ctx context.Context, q AnalyticsQuery, opts ...core.CallOption) (*AnalyticsReport, error) {
	var r AnalyticsReport
	return &r, c.do(ctx, "pageAnalytics", http.MethodGet, "/analytics/pages"+q.values(), nil, &r, opts)
}

// PostAnalytics aggregates a published post's statistics on each page it
// was published to (q.Page is ignored).
func (c *Client) PostAnalytics(ctx context.Context, postID int64, q AnalyticsQuery, opts ...core.CallOption) (*AnalyticsReport, error) {
	q.Page = ""
	var r AnalyticsReport
	return &r, c.do(ctx, "postAnalytics", http.MethodGet, "/analytics/posts/"+strconv.FormatInt(postID, 10)+q.values(), nil, &r, opts)
}

// CollectAnalytics reads the pages' and published posts' statistics now
// (LKO administrator); the server also does so every hour.
func (c *Client) CollectAnalytics(ctx context.Context, opts ...core.CallOption) (*CollectResult, error) {
	var r CollectResult
	return &r, c.do(ctx, "collectAnalytics", http.MethodPost, "/analytics/collect", nil, &r, opts)
}
