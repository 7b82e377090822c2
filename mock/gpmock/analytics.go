package gpmock

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/social"
)

// Analytics bounds and schedule.
const (
	// AnalyticsInterval is how often, on the server's clock, the pages'
	// and published posts' statistics are read (when the clock can
	// schedule work).
	AnalyticsInterval = time.Hour
	// MaxSnapshots is how many snapshots a page or a post's page keeps
	// (90 days of hourly snapshots); older ones are dropped.
	MaxSnapshots = 90 * 24
	// MaxAnalyticsRange bounds an aggregation's [from, to).
	MaxAnalyticsRange = 400 * 24 * time.Hour
)

// Snapshot is one reading of a page's or a post's statistics. Metrics
// the network does not report are zero and missing from Available.
type Snapshot struct {
	At          time.Time `json:"at"`
	Subscribers int64     `json:"subscribers,omitempty"`
	Reach       int64     `json:"reach"`
	Views       int64     `json:"views"`
	Likes       int64     `json:"likes"`
	Comments    int64     `json:"comments"`
	Reposts     int64     `json:"reposts"`
	// Available names the metrics the network reported ("reach", "views",
	// "likes", "comments", "reposts", "subscribers").
	Available []string `json:"available"`
}

// AnalyticsBucket is a period of an aggregation: the last snapshot's
// values in [Start, End) and the subscriber growth over it (the last
// value minus the last value before the period, or the period's first).
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

// PageAnalytics is one page's aggregation.
type PageAnalytics struct {
	PageRef string            `json:"page_ref"`
	Buckets []AnalyticsBucket `json:"buckets"`
	// Error is the network's error at the last reading, if it failed.
	Error string `json:"error,omitempty"`
}

// AnalyticsReport is the answer of the analytics endpoints.
type AnalyticsReport struct {
	Period string          `json:"period"`
	From   time.Time       `json:"from"`
	To     time.Time       `json:"to"`
	PostID int64           `json:"post_id,omitempty"`
	Pages  []PageAnalytics `json:"pages"`
}

// PublishedPart is where one post was published: the page and the
// network's receipt (its post id there).
type PublishedPart struct {
	PageRef string
	Receipt social.Receipt
}

// WithPublishedParts sets how the server finds where a post was
// published; by default it is the post's own publication report (the
// pages where it is published, with their receipts).
func WithPublishedParts(f func(Post) []PublishedPart) Option {
	return func(s *Server) { s.publishedParts = f }
}

// series is a bounded time series.
type series struct {
	snaps   []Snapshot
	lastErr string
}

func (sr *series) add(sn Snapshot) {
	sr.snaps = append(sr.snaps, sn)
	if len(sr.snaps) > MaxSnapshots {
		sr.snaps = slices.Delete(sr.snaps, 0, len(sr.snaps)-MaxSnapshots)
	}
	sr.lastErr = ""
}

// statsStore is the analytics part of the store: series per cabinet|page
// ref and per cabinet|post id|page ref.
type statsStore struct {
	pages map[string]*series
	posts map[string]*series
}

func (a *statsStore) clear() { a.pages, a.posts = map[string]*series{}, map[string]*series{} }

func metricNames(m social.Metrics) []string {
	out := []string{}
	for _, x := range []struct {
		m social.Metrics
		n string
	}{{social.MetricReach, "reach"}, {social.MetricViews, "views"}, {social.MetricLikes, "likes"},
		{social.MetricComments, "comments"}, {social.MetricReposts, "reposts"}, {social.MetricSubscribers, "subscribers"}} {
		if m.Has(x.m) {
			out = append(out, x.n)
		}
	}
	return out
}

func (s *Server) routesAnalytics() {
	s.handle("pageAnalytics", "GET", "/api/v1/analytics/pages", allRoles, s.pageAnalytics)
	s.handle("postAnalytics", "GET", "/api/v1/analytics/posts/{id}", allRoles, s.postAnalytics)
	s.handle("collectAnalytics", "POST", "/api/v1/analytics/collect", adminOnly, s.collectAnalyticsHandler)
}

// CollectAnalytics reads the statistics of every page of the cabinet and
// of every published post (through WithPublishedParts) and appends a
// snapshot to each series. It runs every AnalyticsInterval on the world
// clock.
func (s *Server) CollectAnalytics(ctx context.Context, cabinetID int64) CollectResult {
	s.mu.Lock()
	var refs []string
	for _, cm := range s.communities {
		if cm.CabinetID == cabinetID {
			refs = append(refs, cm.Ref)
		}
	}
	parts := map[int64][]PublishedPart{}
	if s.publishedParts != nil {
		_ = s.posts.All(func(p Post) bool {
			if p.CabinetID == cabinetID {
				if pp := s.publishedParts(p); len(pp) > 0 {
					parts[p.ID] = pp
				}
			}
			return true
		})
	}
	s.mu.Unlock()
	slices.Sort(refs)
	res := CollectResult{}
	record := func(m map[string]*series, key string, sn Snapshot, err error, pc *pageClient) {
		s.mu.Lock()
		defer s.mu.Unlock()
		sr := m[key]
		if sr == nil {
			sr = &series{}
			m[key] = sr
		}
		if err != nil {
			sr.lastErr = pc.scrub(err)
			return
		}
		sr.add(sn)
	}
	for _, ref := range refs {
		pub, pc, err := s.statsPublisher(ctx, cabinetID, ref)
		var sn Snapshot
		if err == nil {
			pr, ok := pub.(social.PageStatsReader)
			if !ok {
				err = errors.ErrUnsupported
			} else {
				var st social.PageStats
				st, err = pr.PageStats(s.netContext(ctx))
				sn = Snapshot{At: s.clock.Now().UTC(), Subscribers: st.Subscribers, Reach: st.Reach, Views: st.Views, Likes: st.Likes,
					Comments: st.Comments, Reposts: st.Reposts, Available: metricNames(st.Available)}
			}
		}
		if err != nil {
			res.Errors = append(res.Errors, PageError{PageRef: ref, Error: pc.scrub(err), Code: core.ErrorCode(err)})
		} else {
			res.Received++
		}
		record(s.stats.pages, itoa(cabinetID)+"|"+ref, sn, err, pc)
	}
	ids := make([]int64, 0, len(parts))
	for id := range parts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		for _, part := range parts[id] {
			pub, pc, err := s.statsPublisher(ctx, cabinetID, part.PageRef)
			var sn Snapshot
			if err == nil {
				pr, ok := pub.(social.PostStatsReader)
				if !ok {
					continue
				}
				rc := part.Receipt
				if rc.Network == "" { // a receipt rebuilt from the report
					pi := pub.Page()
					rc.Network, rc.PageID = pi.Network, pi.ID
				}
				var st social.PostStats
				st, err = pr.PostStats(s.netContext(ctx), rc)
				if errors.Is(err, errors.ErrUnsupported) {
					continue // Telegram's Bot API reports no post statistics
				}
				sn = Snapshot{At: s.clock.Now().UTC(), Reach: st.Reach, Views: st.Views, Likes: st.Likes,
					Comments: st.Comments, Reposts: st.Reposts, Available: metricNames(st.Available)}
			}
			if err != nil {
				res.Errors = append(res.Errors, PageError{PageRef: part.PageRef, Error: pc.scrub(err), Code: core.ErrorCode(err)})
			} else {
				res.Received++
			}
			record(s.stats.posts, itoa(cabinetID)+"|"+itoa(id)+"|"+part.PageRef, sn, err, pc)
		}
	}
	return res
}

func (s *Server) statsPublisher(ctx context.Context, cab int64, ref string) (social.Publisher, *pageClient, error) {
	pc, err := s.pageClients(ctx, cab, ref)
	if err != nil {
		return nil, nil, err
	}
	pub, err := pc.publisher()
	return pub, pc, err
}

func (s *Server) collectAnalyticsHandler(c *caller, r *http.Request) (int, any, error) {
	return http.StatusOK, s.CollectAnalytics(r.Context(), c.CabinetID), nil
}

// analyticsQuery reads period (day, week or month; default day) and the
// range [from, to) (default: the last 30 days up to now).
func (s *Server) analyticsQuery(r *http.Request) (string, time.Time, time.Time, error) {
	q := r.URL.Query()
	period := q.Get("period")
	if period == "" {
		period = "day"
	}
	if period != "day" && period != "week" && period != "month" {
		return "", time.Time{}, time.Time{}, invalid("period is day, week or month")
	}
	to := s.clock.Now().UTC()
	from := to.Add(-30 * 24 * time.Hour)
	if err := timeRange(r, &from, &to); err != nil {
		return "", time.Time{}, time.Time{}, err
	}
	from, to = from.UTC(), to.UTC()
	if !from.Before(to) || to.Sub(from) > MaxAnalyticsRange {
		return "", time.Time{}, time.Time{}, invalid("from must be before to, at most 400 days apart")
	}
	return period, from, to, nil
}

// periodStart returns the start of t's period (UTC days; weeks start on
// Monday).
func periodStart(period string, t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch period {
	case "week":
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	case "month":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

func periodNext(period string, t time.Time) time.Time {
	switch period {
	case "week":
		return t.AddDate(0, 0, 7)
	case "month":
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(0, 0, 1)
}

// Aggregate groups snaps (in time order) into the periods of [from, to);
// a bucket is clipped to the range.
func Aggregate(snaps []Snapshot, period string, from, to time.Time) []AnalyticsBucket {
	out := []AnalyticsBucket{}
	var prev *Snapshot
	i := 0
	for i < len(snaps) && snaps[i].At.Before(from) {
		prev = &snaps[i]
		i++
	}
	for start := periodStart(period, from); start.Before(to); start = periodNext(period, start) {
		end := periodNext(period, start)
		b := AnalyticsBucket{Start: maxTime(start, from), End: minTime(end, to)}
		var first, last *Snapshot
		for i < len(snaps) && snaps[i].At.Before(b.End) {
			if first == nil {
				first = &snaps[i]
			}
			last = &snaps[i]
			b.Samples++
			i++
		}
		if last != nil {
			base := first
			if prev != nil {
				base = prev
			}
			b.Subscribers, b.SubscriberGrowth = last.Subscribers, last.Subscribers-base.Subscribers
			b.Reach, b.Views, b.Likes, b.Comments, b.Reposts = last.Reach, last.Views, last.Likes, last.Comments, last.Reposts
			prev = last
		}
		out = append(out, b)
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// pageAnalytics aggregates every page of the cabinet (or ?page=ref).
func (s *Server) pageAnalytics(c *caller, r *http.Request) (int, any, error) {
	period, from, to, err := s.analyticsQuery(r)
	if err != nil {
		return 0, nil, err
	}
	only := r.URL.Query().Get("page")
	s.mu.Lock()
	defer s.mu.Unlock()
	rep := AnalyticsReport{Period: period, From: from, To: to, Pages: []PageAnalytics{}}
	var refs []string
	for _, cm := range s.communities {
		if cm.CabinetID == c.CabinetID && (only == "" || cm.Ref == only) {
			refs = append(refs, cm.Ref)
		}
	}
	slices.Sort(refs)
	for _, ref := range refs {
		pa := PageAnalytics{PageRef: ref}
		var snaps []Snapshot
		if sr := s.stats.pages[itoa(c.CabinetID)+"|"+ref]; sr != nil {
			snaps, pa.Error = sr.snaps, sr.lastErr
		}
		pa.Buckets = Aggregate(snaps, period, from, to)
		rep.Pages = append(rep.Pages, pa)
	}
	return http.StatusOK, rep, nil
}

// postAnalytics aggregates a post's statistics on each page it was
// published to.
func (s *Server) postAnalytics(c *caller, r *http.Request) (int, any, error) {
	period, from, to, err := s.analyticsQuery(r)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pp, err := s.postOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	p, id := *pp, pp.ID
	rep := AnalyticsReport{Period: period, From: from, To: to, PostID: id, Pages: []PageAnalytics{}}
	var refs []string
	if s.publishedParts != nil {
		for _, part := range s.publishedParts(p) {
			refs = append(refs, part.PageRef)
		}
	}
	slices.Sort(refs)
	for _, ref := range slices.Compact(refs) {
		pa := PageAnalytics{PageRef: ref}
		var snaps []Snapshot
		if sr := s.stats.posts[itoa(p.CabinetID)+"|"+itoa(id)+"|"+ref]; sr != nil {
			snaps, pa.Error = sr.snaps, sr.lastErr
		}
		pa.Buckets = Aggregate(snaps, period, from, to)
		rep.Pages = append(rep.Pages, pa)
	}
	return http.StatusOK, rep, nil
}
