package gpmock

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/social"
)

// Post statuses of publishing. An approved post with a publish time is
// scheduled; at that time on the server's clock (or on "publish now") it
// is publishing, then published (every page), partially_published (some
// pages published, or of unknown outcome) or failed (no page). Failed
// pages of a failed or partially published post may be published again;
// pages of unknown outcome never are. A deleted post was removed from
// every page it was on.
const (
	PostScheduled          = "scheduled"
	PostPublishing         = "publishing"
	PostPublished          = "published"
	PostPartiallyPublished = "partially_published"
	PostFailed             = "failed"
	PostDeleted            = "deleted"
)

// PostStatuses lists every post status.
var PostStatuses = []string{PostDraft, PostSubmitted, PostApproved, PostReturned, PostEdited, PostScheduled,
	PostPublishing, PostPublished, PostPartiallyPublished, PostFailed, PostDeleted}

// Outcomes of one target page in a post's publication report.
const (
	// OutcomePending: the page is being published (or the server stopped
	// while it was).
	OutcomePending = "pending"
	// OutcomePublished: the network confirmed the post (URL, network id).
	OutcomePublished = "published"
	// OutcomePartial: some parts of the post are on the page (the rest
	// failed); never retried.
	OutcomePartial = "partially_published"
	// OutcomeFailed: the network refused the post or it was never sent
	// (the error and code say why); publishing again is safe.
	OutcomeFailed = "failed"
	// OutcomeUnknown: the post may be on the page (a dropped connection,
	// an interrupted publication on a network that cannot de-duplicate);
	// never retried silently: check the page.
	OutcomeUnknown = "unknown"
)

// Events of publishing (Event.Data is a PublishSummary).
const (
	EventPublished          = "post.published"
	EventFailed             = "post.failed"
	EventPartiallyPublished = "post.partially_published"
	EventUnknownOutcome     = "post.unknown_outcome"
)

// PublishSummary is the Data of a publishing event.
type PublishSummary struct {
	Published, Partial, Failed, Unknown int
}

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

// PageReport is one target page's line of a post's publication report.
type PageReport struct {
	// Target is the page ("vk:-123").
	Target string `json:"target"`
	// Outcome is OutcomePending, OutcomePublished, OutcomePartial,
	// OutcomeFailed or OutcomeUnknown.
	Outcome string `json:"outcome"`
	// URL and NetworkPostID locate the publication; Parts lists every
	// network object of it.
	URL           string     `json:"url,omitempty"`
	NetworkPostID string     `json:"network_post_id,omitempty"`
	Parts         []PagePart `json:"parts,omitempty"`
	// Error is the network's error text, Code its error code ("15" for
	// VK error 15, "403" for a Telegram refusal).
	Error string `json:"error,omitempty"`
	Code  string `json:"code,omitempty"`
	// Attempts counts publications of the post to the page.
	Attempts int        `json:"attempts"`
	At       *time.Time `json:"at,omitempty"`
	// Edit and Delete are the last edit and deletion on the page.
	Edit   *PageAction `json:"edit,omitempty"`
	Delete *PageAction `json:"delete,omitempty"`
}

func clonePageReport(r PageReport) PageReport {
	r.Parts = slices.Clone(r.Parts)
	if r.At != nil {
		t := *r.At
		r.At = &t
	}
	if r.Edit != nil {
		e := *r.Edit
		r.Edit = &e
	}
	if r.Delete != nil {
		d := *r.Delete
		r.Delete = &d
	}
	return r
}

// ReportPage is the answer of GET /api/v1/posts/{id}/report.
type ReportPage struct {
	PostID int64        `json:"post_id"`
	Status string       `json:"status"`
	Items  []PageReport `json:"items"`
}

// postKey is the post's stable key across attempts and restarts (VK's
// guid derives from it).
func postKey(p *Post) string {
	return "gospubliki:" + strconv.FormatInt(p.CabinetID, 10) + ":" + strconv.FormatInt(p.ID, 10)
}

// WithLedger shares a publication ledger (social.Ledger) between servers,
// so that replicas publish a post to a page at most once (default: an
// in-process social.MemoryLedger).
func WithLedger(l social.Ledger) Option { return func(s *Server) { s.ledger = l } }

// publisher state of a Server.
type publishing struct {
	ledger   social.Ledger
	pmu      sync.Mutex // guards timers
	timers   map[int64]func() bool
	inflight sync.WaitGroup
}

func (s *Server) routesPublish() {
	s.handle("publishPost", "POST", "/api/v1/posts/{id}/publish", content, s.publishNow)
	s.handle("postReport", "GET", "/api/v1/posts/{id}/report", content, s.postReport)
	s.handle("deletePost", "DELETE", "/api/v1/posts/{id}", content, s.deletePost)
}

// Wait blocks until no publication started by the server is running.
func (s *Server) Wait() { s.inflight.Wait() }

// afterClock runs f after d on the server's clock: a world clock timer in
// a sandbox (a clock jump runs it before the jump returns), else a timer
// of the core.Clock watched by a goroutine. The returned function stops
// it.
func (s *Server) afterClock(d time.Duration, f func()) func() bool {
	if wc, ok := s.clock.(*world.Clock); ok {
		t := wc.AfterFunc(d, f)
		return t.Stop
	}
	t := s.clock.NewTimer(d)
	stop := make(chan struct{})
	var once sync.Once
	go func() {
		select {
		case <-t.C():
			f()
		case <-stop:
		}
	}()
	return func() bool {
		once.Do(func() { close(stop) })
		return t.Stop()
	}
}

// dueTolerance is how early a scheduled post may fire: a timer armed on a
// running clock ends a few microseconds after the publish time it was
// computed for, so that moving the clock exactly to the publish time
// would leave it to real time.
const dueTolerance = time.Millisecond

// arm schedules the post's publication at its publish time.
func (s *Server) arm(id int64, at time.Time) {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	if stop := s.timers[id]; stop != nil {
		stop()
	}
	s.timers[id] = s.afterClock(at.Sub(s.clock.Now())-dueTolerance, func() {
		s.pmu.Lock()
		delete(s.timers, id)
		s.pmu.Unlock()
		s.publish(context.Background(), id, PostScheduled)
	})
}

func (s *Server) disarmAll() {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	for id, stop := range s.timers {
		stop()
		delete(s.timers, id)
	}
}

// afterLoad runs when the section's state was replaced (start, import,
// reset): it arms the scheduled posts' timers and recovers publications
// interrupted by a stop. A page left pending on VK is published again
// (its guid makes a repeat return the first post); a page left pending on
// Telegram or OK, which cannot de-duplicate, becomes of unknown outcome
// and is never retried silently.
func (s *Server) afterLoad() {
	s.disarmAll()
	type due struct {
		id int64
		at time.Time
	}
	var arm []due
	var resume []int64
	s.mu.Lock()
	var all []Post
	_ = s.posts.All(func(p Post) bool {
		if p.Status == PostScheduled || p.Status == PostPublishing {
			all = append(all, p)
		}
		return true
	})
	now := s.clock.Now().UTC()
	for _, p := range all {
		switch p.Status {
		case PostScheduled:
			if p.PublishAt != nil {
				arm = append(arm, due{p.ID, *p.PublishAt})
			}
		case PostPublishing:
			retry := false
			for i := range p.Report {
				r := &p.Report[i]
				if r.Outcome != OutcomePending {
					continue
				}
				if strings.HasPrefix(r.Target, NetworkVK+":") {
					r.Outcome, r.Error, r.Code = "", "", ""
					retry = true
					continue
				}
				r.Outcome, r.Code = OutcomeUnknown, ""
				r.Error = "the publication was interrupted; the post may be on the page (the network cannot de-duplicate, so it is not retried)"
				r.At = &now
			}
			if retry {
				resume = append(resume, p.ID)
			} else {
				s.finishLocked(&p, now)
			}
			_ = s.posts.Put(p)
		}
	}
	s.mu.Unlock()
	s.dispatch()
	for _, d := range arm {
		s.arm(d.id, d.at)
	}
	for _, id := range resume {
		s.inflight.Add(1)
		go func() {
			defer s.inflight.Done()
			s.publish(context.Background(), id, PostPublishing)
		}()
	}
}

// PublishRequest is the optional body of POST /api/v1/posts/{id}/publish.
type PublishRequest struct {
	// Wait makes the answer wait for the publication's end.
	Wait bool `json:"wait,omitempty"`
}

// publishNow publishes an approved or scheduled post at once, or
// publishes again the failed pages of a failed or partially published
// post (never its pages of unknown outcome).
func (s *Server) publishNow(c *caller, r *http.Request) (int, any, error) {
	var req PublishRequest
	if r.ContentLength != 0 {
		if err := decode(r, &req); err != nil {
			return 0, nil, err
		}
	}
	s.mu.Lock()
	p, err := s.postOf(c, r)
	if err != nil {
		s.mu.Unlock()
		return 0, nil, err
	}
	if !slices.Contains([]string{PostApproved, PostScheduled, PostFailed, PostPartiallyPublished}, p.Status) {
		s.mu.Unlock()
		return 0, nil, illegal(p.Status, PostPublishing)
	}
	if len(attemptable(p)) == 0 {
		s.mu.Unlock()
		return 0, nil, &apiError{http.StatusConflict, "invalid_transition",
			"no page to publish: the others are published or of unknown outcome (never retried)"}
	}
	if err := s.startLocked(p); err != nil {
		s.mu.Unlock()
		return 0, nil, err
	}
	id := p.ID
	s.mu.Unlock()
	s.pmu.Lock()
	if stop := s.timers[id]; stop != nil {
		stop()
		delete(s.timers, id)
	}
	s.pmu.Unlock()
	if req.Wait {
		// A client that stops waiting does not stop the publication.
		s.run(context.WithoutCancel(r.Context()), id)
		s.mu.Lock()
		defer s.mu.Unlock()
		p, err := s.postOf(c, r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, clonePost(p), nil
	}
	s.inflight.Add(1)
	go func() {
		defer s.inflight.Done()
		s.run(context.Background(), id)
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err = s.postOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, clonePost(p), nil
}

// attemptable returns the targets a publication attempts: those never
// attempted and those that failed.
func attemptable(p *Post) []string {
	var out []string
	for _, t := range p.Targets {
		i := slices.IndexFunc(p.Report, func(r PageReport) bool { return r.Target == t })
		if i < 0 || p.Report[i].Outcome == "" || p.Report[i].Outcome == OutcomeFailed {
			out = append(out, t)
		}
	}
	return out
}

// startLocked marks the post publishing and its attempted pages pending
// (kept, so that a stop in the middle is recovered); the caller holds
// s.mu.
func (s *Server) startLocked(p *Post) error {
	now := s.clock.Now().UTC()
	for _, t := range attemptable(p) {
		i := slices.IndexFunc(p.Report, func(r PageReport) bool { return r.Target == t })
		if i < 0 {
			p.Report = append(p.Report, PageReport{Target: t})
			i = len(p.Report) - 1
		}
		r := &p.Report[i]
		r.Outcome, r.Error, r.Code, r.URL, r.NetworkPostID, r.Parts = OutcomePending, "", "", "", "", nil
		r.Attempts++
		r.At = &now
	}
	p.Status = PostPublishing
	p.UpdatedAt = now
	if err := s.posts.Put(*p); err != nil {
		return errStore(err)
	}
	return nil
}

// publish starts the publication of post id if it is still in status
// from (a timer's scheduled post, or a recovered publishing one).
func (s *Server) publish(ctx context.Context, id int64, from string) {
	s.mu.Lock()
	p, ok, err := s.posts.Get(id)
	if err != nil || !ok || p.Status != from {
		s.mu.Unlock()
		return
	}
	if from == PostScheduled {
		if p.PublishAt == nil {
			s.mu.Unlock()
			return
		}
		if s.clock.Now().Add(dueTolerance).Before(*p.PublishAt) {
			// Early: the clock was moved back meanwhile.
			s.mu.Unlock()
			s.arm(id, *p.PublishAt)
			return
		}
		if err := s.startLocked(&p); err != nil {
			s.mu.Unlock()
			return
		}
	} else {
		// A recovered publication: the pages to publish again are
		// pending now.
		if err := s.startLocked(&p); err != nil {
			s.mu.Unlock()
			return
		}
	}
	s.mu.Unlock()
	s.run(ctx, id)
}

// socialPost builds the network-neutral post; the caller holds s.mu.
func (s *Server) socialPost(p *Post) social.Post {
	sp := social.Post{Key: postKey(p), Text: p.Text, Urgency: social.Urgency(p.Urgency)}
	for _, id := range p.Media {
		if m := s.media[id]; m != nil {
			sp.Media = append(sp.Media, m.social())
		}
	}
	if p.Poll != nil {
		sp.Poll = &social.Poll{Question: p.Poll.Question, Options: slices.Clone(p.Poll.Options),
			Anonymous: p.Poll.Anonymous, MultipleAnswers: p.Poll.MultipleAnswers}
	}
	if p.Link != nil {
		sp.Link = &social.Link{URL: p.Link.URL, Title: p.Link.Title}
	}
	return sp
}

// run publishes the post's pending pages through social.FanOut over the
// pages' publishers (their networks' limits and retries), recording each
// page's outcome as it finishes, then sets the post's final status and
// emits the events.
func (s *Server) run(ctx context.Context, id int64) {
	s.mu.Lock()
	p, ok, err := s.posts.Get(id)
	if err != nil || !ok || p.Status != PostPublishing {
		s.mu.Unlock()
		return
	}
	sp := s.socialPost(&p)
	var pending []string
	for _, r := range p.Report {
		if r.Outcome == OutcomePending {
			pending = append(pending, r.Target)
		}
	}
	cab := p.CabinetID
	s.mu.Unlock()

	byPage := map[string]string{}
	var pubs []social.Publisher
	for _, t := range pending {
		pub, err := s.pagePublisher(ctx, cab, t)
		if err != nil {
			code := ""
			switch {
			case errors.Is(err, ErrNotConnected):
				code = "not_connected"
			case errors.Is(err, ErrNoCredentials):
				code = "no_credentials"
			case errors.Is(err, ErrNetworkUnavailable):
				code = "network_unavailable"
			}
			s.record(id, t, social.PageResult{Outcome: social.Failed, Reason: err.Error(), Code: code})
			continue
		}
		byPage[pub.Page().String()] = t
		pubs = append(pubs, pub)
	}
	if len(pubs) > 0 {
		opts := social.FanOutOptions{Concurrency: 32, Clock: s.netClock(), Ledger: s.ledger,
			Progress: func(pr social.Progress) {
				if t, ok := byPage[pr.Last.Page.String()]; ok {
					s.record(id, t, pr.Last)
				}
			}}
		rep := opts.Run(ctx, sp, pubs...)
		// Pages Progress did not name (a nil page on a panic) keep their
		// result by position.
		for i, r := range rep.Results {
			if _, ok := byPage[r.Page.String()]; !ok {
				s.record(id, pending[i], r)
			}
		}
	}
	s.mu.Lock()
	p, ok, err = s.posts.Get(id)
	if err == nil && ok && p.Status == PostPublishing {
		s.finishLocked(&p, s.clock.Now().UTC())
		_ = s.posts.Put(p)
	}
	s.mu.Unlock()
	s.dispatch()
}

// record keeps one page's result on the post.
func (s *Server) record(id int64, target string, r social.PageResult) {
	now := s.clock.Now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok, err := s.posts.Get(id)
	if err != nil || !ok {
		return
	}
	i := slices.IndexFunc(p.Report, func(x PageReport) bool { return x.Target == target })
	if i < 0 {
		return
	}
	x := &p.Report[i]
	x.At = &now
	x.Error, x.Code = "", r.Code
	switch r.Outcome {
	case social.Published, social.Scheduled:
		x.Outcome = OutcomePublished
	case social.PartiallyPublished:
		x.Outcome = OutcomePartial
	case social.Unknown:
		x.Outcome = OutcomeUnknown
	default:
		x.Outcome = OutcomeFailed
	}
	if r.Outcome != social.Published && r.Outcome != social.Scheduled {
		x.Error = r.Reason
		if x.Error == "" && r.Err != nil {
			x.Error = r.Err.Error()
		}
	}
	if r.Receipt.PostID != "" || len(r.Receipt.Parts) > 0 {
		x.NetworkPostID, x.URL = r.Receipt.PostID, r.Receipt.URL
		x.Parts = x.Parts[:0]
		for _, pt := range r.Receipt.Parts {
			x.Parts = append(x.Parts, PagePart{ID: pt.ID, Kind: string(pt.Kind), HasText: pt.HasText})
		}
	}
	_ = s.posts.Put(p)
}

// finishLocked sets the final status of a publication and emits its
// events; the caller holds s.mu.
func (s *Server) finishLocked(p *Post, now time.Time) {
	var sum PublishSummary
	for _, r := range p.Report {
		switch r.Outcome {
		case OutcomePublished:
			sum.Published++
		case OutcomePartial:
			sum.Partial++
		case OutcomeUnknown:
			sum.Unknown++
		default:
			sum.Failed++
		}
	}
	ev := EventPartiallyPublished
	switch {
	case sum.Published == len(p.Report):
		p.Status, ev = PostPublished, EventPublished
	case sum.Published == 0 && sum.Partial == 0 && sum.Unknown == 0:
		p.Status, ev = PostFailed, EventFailed
	default:
		p.Status = PostPartiallyPublished
	}
	if sum.Published > 0 && p.PublishedAt == nil {
		p.PublishedAt = &now
	}
	p.UpdatedAt = now
	s.emit(Event{Type: ev, CabinetID: p.CabinetID, PostID: p.ID, At: now, Data: sum})
	if sum.Unknown > 0 {
		s.emit(Event{Type: EventUnknownOutcome, CabinetID: p.CabinetID, PostID: p.ID, At: now, Data: sum})
	}
}

func (s *Server) postReport(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.postOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	out := ReportPage{PostID: p.ID, Status: p.Status, Items: []PageReport{}}
	for _, x := range p.Report {
		out.Items = append(out.Items, clonePageReport(x))
	}
	return http.StatusOK, out, nil
}

// receiptOf rebuilds the network receipt of a page's publication.
func receiptOf(pub social.Publisher, x PageReport, key string) social.Receipt {
	pi := pub.Page()
	rc := social.Receipt{Network: pi.Network, PageID: pi.ID, PostID: x.NetworkPostID, URL: x.URL, Key: key}
	for _, pt := range x.Parts {
		rc.Parts = append(rc.Parts, social.Part{ID: pt.ID, Kind: social.PartKind(pt.Kind), HasText: pt.HasText})
	}
	return rc
}

func action(now time.Time, err error) *PageAction {
	if err == nil {
		return &PageAction{OK: true, At: now}
	}
	return &PageAction{Error: err.Error(), Code: core.ErrorCode(err), At: now}
}

// onPages runs f on every page the post is on (published or partially),
// outside the lock, and stores what set returns for each.
func (s *Server) onPages(ctx context.Context, p *Post, f func(pub social.Publisher, rc social.Receipt) error,
	set func(x *PageReport, a *PageAction)) {
	type job struct {
		target string
		rc     PageReport
	}
	var jobs []job
	for _, x := range p.Report {
		if (x.Outcome == OutcomePublished || x.Outcome == OutcomePartial) && (x.Delete == nil || !x.Delete.OK) {
			jobs = append(jobs, job{x.Target, clonePageReport(x)})
		}
	}
	key := postKey(p)
	results := make([]*PageAction, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() {
			pub, err := s.pagePublisher(ctx, p.CabinetID, j.target)
			if err == nil {
				err = f(pub, receiptOf(pub, j.rc, key))
			}
			results[i] = action(s.clock.Now().UTC(), err)
		})
	}
	wg.Wait()
	for i, j := range jobs {
		k := slices.IndexFunc(p.Report, func(x PageReport) bool { return x.Target == j.target })
		if k >= 0 {
			set(&p.Report[k], results[i])
		}
	}
}

// propagateEdit edits the post on every page it is on (social.Editor);
// the caller does not hold s.mu.
func (s *Server) propagateEdit(ctx context.Context, p *Post, sp social.Post) {
	s.onPages(ctx, p, func(pub social.Publisher, rc social.Receipt) error {
		ed, ok := pub.(social.Editor)
		if !ok {
			return &social.UnsupportedError{Network: pub.Page().Network, Operation: "edit", Reason: "the network's client cannot edit posts"}
		}
		_, err := ed.Edit(ctx, rc, sp)
		return err
	}, func(x *PageReport, a *PageAction) { x.Edit = a })
}

// deletePost deletes a post: one never published is marked deleted; a
// published one is deleted from every page it is on (social.Deleter),
// with each page's result in the report, and is deleted once every page
// is. A post being published cannot be deleted.
func (s *Server) deletePost(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	p, err := s.postOf(c, r)
	if err != nil {
		s.mu.Unlock()
		return 0, nil, err
	}
	switch p.Status {
	case PostPublishing, PostDeleted:
		s.mu.Unlock()
		return 0, nil, illegal(p.Status, PostDeleted)
	}
	if c.Role == RoleEditor && p.AuthorID != c.ID && p.Status == PostDraft {
		s.mu.Unlock()
		return 0, nil, errForbidden
	}
	s.mu.Unlock()
	s.pmu.Lock()
	if stop := s.timers[p.ID]; stop != nil {
		stop()
		delete(s.timers, p.ID)
	}
	s.pmu.Unlock()
	s.onPages(r.Context(), p, func(pub social.Publisher, rc social.Receipt) error {
		d, ok := pub.(social.Deleter)
		if !ok {
			return &social.UnsupportedError{Network: pub.Page().Network, Operation: "delete", Reason: "the network's client cannot delete posts"}
		}
		return d.Delete(r.Context(), rc)
	}, func(x *PageReport, a *PageAction) { x.Delete = a })
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, err := s.postOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	if cur.Status == PostPublishing || cur.Status == PostDeleted {
		return 0, nil, illegal(cur.Status, PostDeleted)
	}
	cur.Report = p.Report
	all := true
	for _, x := range cur.Report {
		if (x.Outcome == OutcomePublished || x.Outcome == OutcomePartial) && (x.Delete == nil || !x.Delete.OK) {
			all = false
		}
	}
	if all {
		cur.Status = PostDeleted
	}
	cur.UpdatedAt = s.clock.Now().UTC()
	if err := s.posts.Put(*cur); err != nil {
		return 0, nil, errStore(err)
	}
	return http.StatusOK, clonePost(cur), nil
}

// clonePublishing deep-copies the publishing fields of a post copy.
func clonePublishing(p *Post) {
	p.Media = slices.Clone(p.Media)
	if p.Poll != nil {
		q := *p.Poll
		q.Options = slices.Clone(q.Options)
		p.Poll = &q
	}
	if p.Link != nil {
		l := *p.Link
		p.Link = &l
	}
	if p.Report != nil {
		rs := make([]PageReport, len(p.Report))
		for i, r := range p.Report {
			rs[i] = clonePageReport(r)
		}
		p.Report = rs
	}
	if p.PublishedAt != nil {
		t := *p.PublishedAt
		p.PublishedAt = &t
	}
}

// applyContent validates and applies the media, poll and link of in.
func applyContent(p *Post, in PostInput) error {
	if in.Media != nil {
		if len(in.Media) > maxPostMedia {
			return invalid("a post has at most 10 files")
		}
		p.Media = slices.Clone(in.Media)
	}
	if in.Poll != nil {
		q := in.Poll
		if strings.TrimSpace(q.Question) == "" || len(q.Question) > 1024 || len(q.Options) < 2 || len(q.Options) > 10 {
			return invalid("a poll has a question and 2 to 10 options")
		}
		for _, o := range q.Options {
			if strings.TrimSpace(o) == "" || len(o) > 400 {
				return invalid("a poll option is 1 to 400 bytes")
			}
		}
		cp := *q
		cp.Options = slices.Clone(q.Options)
		p.Poll = &cp
	}
	if in.Link != nil {
		u := in.Link.URL
		if len(u) > 2048 || (!strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://")) || len(in.Link.Title) > 512 {
			return invalid("a link is an http(s) URL of at most 2048 bytes")
		}
		l := *in.Link
		p.Link = &l
	}
	return nil
}

// editPublishedLocked edits a published post and propagates the change to
// every page it is on (social.Editor), each page's result in its report
// line. The caller holds s.mu; it is released during the network calls.
func (s *Server) editPublishedLocked(c *caller, p *Post, in PostInput) (int, any, error) {
	if in.Targets != nil || in.PublishAt != nil || in.Urgency != nil {
		return 0, nil, invalid("a published post's targets, time and urgency cannot change")
	}
	cp := clonePost(p)
	if err := apply(&cp, in); err != nil {
		return 0, nil, err
	}
	if err := s.checkMedia(cp.CabinetID, cp.Media); err != nil {
		return 0, nil, err
	}
	sp := s.socialPost(&cp)
	s.mu.Unlock()
	s.propagateEdit(context.Background(), &cp, sp)
	s.mu.Lock()
	cur, ok, err := s.posts.Get(cp.ID)
	if err != nil || !ok {
		return 0, nil, errNotFound
	}
	if cur.Status != PostPublished && cur.Status != PostPartiallyPublished {
		return 0, nil, illegal(cur.Status, PostEdited)
	}
	cp.Status = cur.Status
	cp.UpdatedAt = s.clock.Now().UTC()
	if err := s.posts.Put(cp); err != nil {
		return 0, nil, errStore(err)
	}
	return http.StatusOK, clonePost(&cp), nil
}
