package pos

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
)

// Networks of the pages an audit reads.
const (
	NetworkVK = "vk"
	NetworkOK = "ok"
)

// AuditPage is an official page to audit.
type AuditPage struct {
	// Network is NetworkVK or NetworkOK.
	Network string
	// ID is the community's (group's) id on the network.
	ID int64
	// OGRN is the page owner's OGRN.
	OGRN string
	// URL is the page's address, as the LKO's widget sites list it.
	URL string
}

// Key returns "network:id", the page's identity in a [AuditResult].
func (p AuditPage) Key() string { return fmt.Sprintf("%s:%d", p.Network, p.ID) }

// PageItem is a menu item (or, on OK, a link of the group) as read from a
// network.
type PageItem struct {
	Title string
	URL   string
}

// MenuReader reads the menus of many pages of one network. A missing
// (deleted) page is absent from the map. Implementations batch the ids
// and pace the calls through the network client's own limiter.
type MenuReader interface {
	ReadMenus(ctx context.Context, ids []int64) (map[int64][]PageItem, error)
}

// Status is the outcome of a page's audit.
type Status string

// Statuses.
const (
	// StatusOK: the page carries both forms per the plan.
	StatusOK Status = "ok"
	// StatusFailed: something the plan asks for is wrong or absent.
	StatusFailed Status = "failed"
	// StatusUnverifiable: the audit could not tell (unknown organisation,
	// network or POS unreachable).
	StatusUnverifiable Status = "unverifiable"
)

// ReasonCode says what is wrong with a page. Link problems carry the
// [ProblemCode] in [Reason.Detail].
type ReasonCode string

// Reason codes.
const (
	ReasonPageMissing  ReasonCode = "page-missing"       // the network has no such page
	ReasonMenuShort    ReasonCode = "menu-short"         // fewer than two menu items
	ReasonTitle        ReasonCode = "wrong-title"        // an item is not titled «Решаем вместе»
	ReasonBadLink      ReasonCode = "bad-link"           // the link differs from the plan's (Detail: problem codes)
	ReasonFormNotFound ReasonCode = "form-not-found"     // POS does not know the form
	ReasonNotConnected ReasonCode = "form-not-connected" // POS shows «not connected»
	ReasonWrongOrg     ReasonCode = "form-wrong-org"     // the form opens another organisation's page
	ReasonWidgetSite   ReasonCode = "widget-site-off"    // the LKO does not list the page as a widget site
	ReasonUnknownOrg   ReasonCode = "unknown-org"        // no plan for the owner (unverifiable)
	ReasonUnreachable  ReasonCode = "unreachable"        // the network or POS did not answer (unverifiable)
)

// Reason is one finding of a page's audit.
type Reason struct {
	Code ReasonCode
	// Item is the menu position concerned (1 or 2), or 0.
	Item int
	// Detail says more, for a person.
	Detail string
}

// PageResult is the audit of one page.
type PageResult struct {
	Page    AuditPage
	Status  Status
	Reasons []Reason
}

// AuditResult is the outcome of [Auditor.Audit].
type AuditResult struct {
	// Pages are the finished pages, in the order of the input.
	Pages []PageResult
	// Interrupted reports that the context ended before every page was
	// audited; Remaining pages were not. Pass the result back to
	// [Auditor.Audit] to resume.
	Interrupted bool
	Remaining   int
	// POSRequests counts the HTTP requests made to POS.
	POSRequests int
}

// Counts returns the number of pages per status.
func (r *AuditResult) Counts() map[Status]int {
	m := map[Status]int{}
	for _, p := range r.Pages {
		m[p.Status]++
	}
	return m
}

// Progress is reported after each finished page.
type Progress struct {
	Done, Total int
	Last        PageResult
}

// Auditor audits pages against a [Directory]. Link checks are cached per
// form (the LKO of an appeal link, the region or municipality of a polls
// link), so pages sharing one LKO cost one POS request per form.
type Auditor struct {
	// Directory gives the plan of each page's owner.
	Directory *Directory
	// Forms parses the links (its BaseURL is POS's).
	Forms Forms
	// Readers read the menus per network (NetworkVK, NetworkOK).
	Readers map[string]MenuReader
	// HTTPClient fetches the POS forms (http.DefaultClient when nil).
	HTTPClient *http.Client
	// FetchBaseURL, when set, is where the links are followed: a link on
	// Forms.BaseURL is fetched at FetchBaseURL with the same path and query
	// (an emulator standing in for pos.gosuslugi.ru).
	FetchBaseURL string
	// Progress, when set, is called after each page.
	Progress func(Progress)

	mu    sync.Mutex
	cache map[string]linkVerdict
	posN  int
}

type linkVerdict struct {
	reason *Reason
	fatal  bool // unreachable
}

// BatchSize is the number of pages an audit reads per [MenuReader] call.
const BatchSize = 500

// Audit audits pages. prev, when not nil, is a previous (interrupted)
// result: its finished pages are kept and not audited again. When ctx ends
// part way, the result holds the pages finished so far with Interrupted set,
// and ctx's error is returned with it.
func (a *Auditor) Audit(ctx context.Context, pages []AuditPage, prev *AuditResult) (*AuditResult, error) {
	done := map[string]PageResult{}
	if prev != nil {
		for _, p := range prev.Pages {
			done[p.Page.Key()] = p
		}
	}
	todo := make([]AuditPage, 0, len(pages))
	for _, p := range pages {
		if _, ok := done[p.Key()]; !ok {
			todo = append(todo, p)
		}
	}
	a.mu.Lock()
	if a.cache == nil {
		a.cache = map[string]linkVerdict{}
	}
	start := a.posN
	a.mu.Unlock()

	finished := len(done)
	var err error
	for i := 0; i < len(todo) && err == nil; {
		if err = ctx.Err(); err != nil {
			break
		}
		// A batch: consecutive pages of one network.
		j := i + 1
		for j < len(todo) && j-i < BatchSize && todo[j].Network == todo[i].Network {
			j++
		}
		batch := todo[i:j]
		menus, rerr := a.read(ctx, batch)
		for _, p := range batch {
			if err = ctx.Err(); err != nil {
				break
			}
			var r PageResult
			if rerr != nil {
				r = PageResult{Page: p, Status: StatusUnverifiable, Reasons: []Reason{{Code: ReasonUnreachable, Detail: rerr.Error()}}}
			} else {
				items, ok := menus[p.ID]
				r = a.check(ctx, p, items, ok)
			}
			if ctx.Err() != nil && r.Status == StatusUnverifiable {
				err = ctx.Err()
				break
			}
			done[p.Key()] = r
			finished++
			if a.Progress != nil {
				a.Progress(Progress{Done: finished, Total: len(pages), Last: r})
			}
		}
		i = j
	}
	res := &AuditResult{}
	for _, p := range pages {
		if r, ok := done[p.Key()]; ok {
			res.Pages = append(res.Pages, r)
		} else {
			res.Remaining++
		}
	}
	res.Interrupted = res.Remaining > 0
	a.mu.Lock()
	res.POSRequests = a.posN - start
	if prev != nil {
		res.POSRequests += prev.POSRequests
	}
	a.mu.Unlock()
	return res, err
}

func (a *Auditor) read(ctx context.Context, batch []AuditPage) (map[int64][]PageItem, error) {
	rd := a.Readers[batch[0].Network]
	if rd == nil {
		return nil, fmt.Errorf("pos: no reader for network %q", batch[0].Network)
	}
	ids := make([]int64, len(batch))
	for i, p := range batch {
		ids[i] = p.ID
	}
	return rd.ReadMenus(ctx, ids)
}

func (a *Auditor) check(ctx context.Context, p AuditPage, items []PageItem, found bool) PageResult {
	r := PageResult{Page: p, Status: StatusOK}
	if !found {
		r.Status, r.Reasons = StatusFailed, []Reason{{Code: ReasonPageMissing}}
		return r
	}
	plan, err := a.Directory.Plan(p.OGRN, p.URL)
	if err != nil {
		r.Status, r.Reasons = StatusUnverifiable, []Reason{{Code: ReasonUnknownOrg, Detail: err.Error()}}
		return r
	}
	if len(items) < 2 {
		r.Reasons = append(r.Reasons, Reason{Code: ReasonMenuShort, Detail: fmt.Sprintf("%d item(s)", len(items))})
	}
	wants := [2]Link{plan.Resolution.Appeal, plan.Resolution.Polls}
	for i := 0; i < 2 && i < len(items); i++ {
		it := items[i]
		if (p.Network != NetworkOK || it.Title != "") && strings.TrimSpace(it.Title) != MenuTitle {
			r.Reasons = append(r.Reasons, Reason{Code: ReasonTitle, Item: i + 1, Detail: it.Title})
		}
		link, err := a.Forms.Check(it.URL, wants[i])
		if err != nil {
			codes := []string{}
			for _, pr := range Problems(err) {
				codes = append(codes, string(pr.Code))
			}
			r.Reasons = append(r.Reasons, Reason{Code: ReasonBadLink, Item: i + 1, Detail: strings.Join(codes, ",")})
			continue
		}
		want := plan.Resolution.AppealFrom.OGRN
		if i == 1 {
			want = ""
		}
		v := a.follow(ctx, link, it.URL, want)
		if v.reason != nil {
			rs := *v.reason
			rs.Item = i + 1
			r.Reasons = append(r.Reasons, rs)
			if v.fatal {
				r.Status = StatusUnverifiable
			}
		}
	}
	if !HasWidgetSite(plan.Resolution.AppealLKO, p.URL) {
		r.Reasons = append(r.Reasons, Reason{Code: ReasonWidgetSite, Detail: fmt.Sprintf("opaId %d", plan.Resolution.AppealLKO.OpaID)})
	}
	if len(r.Reasons) > 0 && r.Status == StatusOK {
		r.Status = StatusFailed
	}
	return r
}

var stateRe = regexp.MustCompile(`data-state="([a-z-]+)"`)

// follow opens url on POS once per form (cached) and checks that it shows
// the form of the organisation with OGRN wantOGRN ("" for a polls page).
// The form is what the link names: its opaId, reg_code or mun_code; the
// utm parameters do not change what POS shows, so pages of many owners
// sharing one LKO cost one request.
func (a *Auditor) follow(ctx context.Context, l Link, url, wantOGRN string) linkVerdict {
	key := fmt.Sprintf("%d|%d|%s|%s|%s", l.Kind, l.OpaID, l.RegCode, l.MunCode, wantOGRN)
	a.mu.Lock()
	v, ok := a.cache[key]
	a.mu.Unlock()
	if ok {
		return v
	}
	v = a.fetch(ctx, url, wantOGRN)
	if !v.fatal { // an unreachable POS is asked again next time
		a.mu.Lock()
		a.cache[key] = v
		a.mu.Unlock()
	}
	return v
}

func (a *Auditor) fetch(ctx context.Context, url, wantOGRN string) linkVerdict {
	c := a.HTTPClient
	if c == nil {
		c = http.DefaultClient
	}
	if a.FetchBaseURL != "" && strings.HasPrefix(url, a.Forms.base()) {
		url = a.FetchBaseURL + url[len(a.Forms.base()):]
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return linkVerdict{reason: &Reason{Code: ReasonUnreachable, Detail: "bad request"}, fatal: true}
	}
	a.mu.Lock()
	a.posN++
	a.mu.Unlock()
	resp, err := c.Do(req)
	if err != nil {
		return linkVerdict{reason: &Reason{Code: ReasonUnreachable, Detail: "POS did not answer"}, fatal: true}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	s := string(body)
	state := ""
	if m := stateRe.FindStringSubmatch(s); m != nil {
		state = m[1]
	}
	switch {
	case resp.StatusCode == http.StatusNotFound || state == "not-found":
		return linkVerdict{reason: &Reason{Code: ReasonFormNotFound, Detail: resp.Status}}
	case resp.StatusCode >= 500:
		return linkVerdict{reason: &Reason{Code: ReasonUnreachable, Detail: resp.Status}, fatal: true}
	case state == "not-connected":
		return linkVerdict{reason: &Reason{Code: ReasonNotConnected}}
	case wantOGRN != "" && !strings.Contains(s, wantOGRN):
		return linkVerdict{reason: &Reason{Code: ReasonWrongOrg, Detail: "the form does not name OGRN " + wantOGRN}}
	case resp.StatusCode != http.StatusOK:
		return linkVerdict{reason: &Reason{Code: ReasonFormNotFound, Detail: resp.Status}}
	}
	return linkVerdict{}
}
