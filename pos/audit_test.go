package pos_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/pos"
	"github.com/gospubliki/gosdk/vk"
)

// directoryOf loads the POS emulator's export table, with the agency types
// from the world (as a caller takes them from ESIA).
func directoryOf(t testing.TB, sb *mock.Sandbox) *pos.Directory {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, sb.POS.ExportCSV(&buf, posmock.ExportHeader{}))
	ex, err := pos.LoadExport(&buf, pos.Columns{})
	require.NoError(t, err)
	byOGRN := map[string]world.Organization{}
	for _, o := range sb.World.Organizations() {
		byOGRN[o.OGRN] = o
	}
	for i := range ex.Orgs {
		ex.Orgs[i].Agency = esia.AgencyType(byOGRN[ex.Orgs[i].OGRN].AgencyType)
	}
	dir, err := ex.Directory(pos.Forms{BaseURL: sb.POSURL})
	require.NoError(t, err)
	return dir
}

// Breakages seeded into the region, by page index modulo 10.
const (
	brokenUTM    = 3 // the appeal link says utm_source=vk2
	brokenShort  = 5 // only the appeal item
	brokenWidget = 7 // the page is not among the LKO's widget sites
)

// seedRegion adds n VK communities of the world's organisations whose
// placement resolves, owned by the chief, and applies each one's plan as
// its administrator, breaking one page in ten of each kind above.
func seedRegion(t testing.TB, sb *mock.Sandbox, first int64, n int) []pos.AuditPage {
	t.Helper()
	dir := directoryOf(t, sb)
	var orgs []world.Organization
	for _, o := range sb.World.Organizations() {
		if o.OID != world.DefaultMinistryOID && o.OID != world.DefaultSubordinateOID {
			continue // the ministry's pages only: they share its LKO
		}
		if r, err := dir.Resolve(o.OGRN); err == nil && r.AppealURL != "" && r.PollsURL != "" {
			orgs = append(orgs, o)
		}
	}
	require.NotEmpty(t, orgs)
	pages := make([]pos.AuditPage, n)
	sites := map[int64][]string{}
	for i := range n {
		o := orgs[i%len(orgs)]
		id := first + int64(i)
		url := fmt.Sprintf("https://vk.com/club%d", id)
		require.NoError(t, sb.World.AddPage(world.Page{Network: world.NetworkVK, ID: id, Kind: world.PagePublic,
			Title: fmt.Sprintf("%s %d", o.ShortName, i), OwnerOrgOID: o.OID, Open: true,
			Admins: []world.PageAdmin{{PersonOID: world.DefaultChiefOID, Role: world.RoleCreator}}}))
		plan, err := dir.Plan(o.OGRN, url)
		require.NoError(t, err)
		items := []vkmock.MenuItem{
			{Title: plan.Items[0].Title, URL: plan.Items[0].URL, Cover: string(plan.Items[0].Cover)},
			{Title: plan.Items[1].Title, URL: plan.Items[1].URL, Cover: string(plan.Items[1].Cover)},
		}
		switch i % 10 {
		case brokenUTM:
			items[0].URL = strings.Replace(items[0].URL, "utm_source=vk&", "utm_source=vk2&", 1)
		case brokenShort:
			items = items[:1]
		}
		require.NoError(t, sb.VK.SetMenu(id, world.DefaultChiefVKID, items))
		if i%10 != brokenWidget {
			opa := plan.Resolution.AppealLKO.OpaID
			sites[opa] = append(sites[opa], url)
		}
		pages[i] = pos.AuditPage{Network: pos.NetworkVK, ID: id, OGRN: o.OGRN, URL: url}
	}
	for opa, s := range sites {
		l, err := sb.POS.LKO(opa)
		require.NoError(t, err)
		_, err = sb.POS.SetWidgetSites(opa, append(l.WidgetSites, s...))
		require.NoError(t, err)
	}
	return pages
}

// countingTransport counts requests per host.
type countingTransport struct {
	next      http.RoundTripper
	vk, posN  atomic.Int64
	inflight  atomic.Int64
	posPrefix string
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.inflight.Add(1)
	defer c.inflight.Add(-1)
	if strings.HasPrefix(r.URL.String(), c.posPrefix) {
		c.posN.Add(1)
	} else {
		c.vk.Add(1)
	}
	return c.next.RoundTrip(r)
}

type auditRig struct {
	sb    *mock.Sandbox
	pages []pos.AuditPage
	a     *pos.Auditor
	tr    *countingTransport
}

func newAuditRig(t testing.TB, n int) *auditRig {
	sb := mock.Start(t, mock.WithParties("vk", "pos"))
	pages := seedRegion(t, sb, 400000000, n)
	hc := *sb.HTTPClient()
	tr := &countingTransport{next: hc.Transport, posPrefix: sb.POSURL}
	if tr.next == nil {
		tr.next = http.DefaultTransport
	}
	hc.Transport = tr
	c, err := vk.New(sb.Credentials.VK.ServiceToken, vk.ServiceToken, core.WithBaseURL(sb.VKURL), core.WithHTTPClient(&hc))
	require.NoError(t, err)
	a := &pos.Auditor{Directory: directoryOf(t, sb), Forms: pos.Forms{BaseURL: sb.POSURL},
		Readers: map[string]pos.MenuReader{pos.NetworkVK: pos.VKMenus{Client: c}}, HTTPClient: &hc}
	return &auditRig{sb: sb, pages: pages, a: a, tr: tr}
}

func codes(r pos.PageResult) []pos.ReasonCode {
	var out []pos.ReasonCode
	for _, rs := range r.Reasons {
		out = append(out, rs.Code)
	}
	return out
}

func TestAuditRegion(t *testing.T) {
	rig := newAuditRig(t, 40)
	var calls int
	rig.a.Progress = func(p pos.Progress) { calls++; assert.Equal(t, 40, p.Total) }
	res, err := rig.a.Audit(t.Context(), rig.pages, nil)
	require.NoError(t, err)
	require.Len(t, res.Pages, 40)
	assert.False(t, res.Interrupted)
	assert.Equal(t, 40, calls)
	for i, p := range res.Pages {
		require.Equal(t, rig.pages[i], p.Page)
		switch i % 10 {
		case brokenUTM:
			assert.Equal(t, pos.StatusFailed, p.Status)
			require.Len(t, p.Reasons, 1, "%v", p.Reasons)
			assert.Equal(t, pos.ReasonBadLink, p.Reasons[0].Code)
			assert.Equal(t, 1, p.Reasons[0].Item)
			assert.Contains(t, p.Reasons[0].Detail, string(pos.ProblemUTMSource))
		case brokenShort:
			assert.Equal(t, pos.StatusFailed, p.Status)
			assert.Equal(t, []pos.ReasonCode{pos.ReasonMenuShort}, codes(p))
		case brokenWidget:
			assert.Equal(t, pos.StatusFailed, p.Status)
			assert.Equal(t, []pos.ReasonCode{pos.ReasonWidgetSite}, codes(p))
		default:
			assert.Equal(t, pos.StatusOK, p.Status, "%d: %v", i, p.Reasons)
		}
	}
	assert.Equal(t, map[pos.Status]int{pos.StatusOK: 28, pos.StatusFailed: 12}, res.Counts())
	// One groups.getById for 40 pages; POS once per distinct link.
	assert.Equal(t, int64(1), rig.tr.vk.Load())
	assert.Equal(t, int64(res.POSRequests), rig.tr.posN.Load())
	distinct := map[string]bool{}
	for _, p := range rig.pages {
		for _, m := range rig.sb.VK.Menu(p.ID) {
			if !strings.Contains(m.URL, "utm_source=vk2&utm_medium") || !strings.Contains(m.URL, "/form/") {
				distinct[m.URL] = true
			}
		}
	}
	assert.LessOrEqual(t, res.POSRequests, len(distinct))
	assert.Positive(t, res.POSRequests)
}

func TestAuditFollowsTheForm(t *testing.T) {
	rig := newAuditRig(t, 2)
	// The first page's appeal link names a well-formed but unknown LKO:
	// the link check cannot tell, POS can.
	p := rig.pages[0]
	menu := rig.sb.VK.Menu(p.ID)
	plan, err := rig.a.Directory.Plan(p.OGRN, p.URL)
	require.NoError(t, err)
	menu[0].URL = strings.Replace(menu[0].URL, fmt.Sprintf("opaId=%d&", plan.Resolution.AppealLKO.OpaID), "opaId=999999&", 1)
	require.NoError(t, rig.sb.VK.SetMenu(p.ID, world.DefaultChiefVKID, menu))
	// Check against a directory that expects LKO 999999 too: the page
	// then fails only on what POS shows.
	res, err := rig.a.Audit(t.Context(), rig.pages[:1], nil)
	require.NoError(t, err)
	assert.Equal(t, pos.StatusFailed, res.Pages[0].Status)
	assert.Equal(t, []pos.ReasonCode{pos.ReasonBadLink}, codes(res.Pages[0]))
	assert.Contains(t, res.Pages[0].Reasons[0].Detail, string(pos.ProblemOpaIDMismatch))
	// A page the network does not know.
	res, err = rig.a.Audit(t.Context(), []pos.AuditPage{{Network: pos.NetworkVK, ID: 1, OGRN: p.OGRN, URL: "https://vk.com/club1"}}, nil)
	require.NoError(t, err)
	assert.Equal(t, []pos.ReasonCode{pos.ReasonPageMissing}, codes(res.Pages[0]), "%v", res.Pages[0].Reasons)
	// An owner the directory does not know is unverifiable.
	q := rig.pages[1]
	q.OGRN = "1027700132195"
	res, err = rig.a.Audit(t.Context(), []pos.AuditPage{q}, nil)
	require.NoError(t, err)
	assert.Equal(t, pos.StatusUnverifiable, res.Pages[0].Status)
	assert.Equal(t, []pos.ReasonCode{pos.ReasonUnknownOrg}, codes(res.Pages[0]))
}

func TestAuditInterruptedResumes(t *testing.T) {
	rig := newAuditRig(t, 30)
	ctx, cancel := context.WithCancel(t.Context())
	rig.a.Progress = func(p pos.Progress) {
		if p.Done == 12 {
			cancel()
		}
	}
	res, err := rig.a.Audit(ctx, rig.pages, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, res.Interrupted)
	assert.Len(t, res.Pages, 12)
	assert.Equal(t, 18, res.Remaining)
	for i, p := range res.Pages {
		assert.Equal(t, rig.pages[i], p.Page)
		assert.NotEmpty(t, p.Status)
	}
	before := rig.tr.vk.Load()
	var resumed []int
	rig.a.Progress = func(p pos.Progress) { resumed = append(resumed, p.Done) }
	full, err := rig.a.Audit(t.Context(), rig.pages, res)
	require.NoError(t, err)
	assert.False(t, full.Interrupted)
	require.Len(t, full.Pages, 30)
	assert.Equal(t, res.Pages, full.Pages[:12], "finished pages are kept")
	assert.Equal(t, 13, resumed[0], "the resumed audit starts after the finished pages")
	assert.Len(t, resumed, 18)
	assert.Equal(t, before+1, rig.tr.vk.Load())
	assert.Equal(t, map[pos.Status]int{pos.StatusOK: 21, pos.StatusFailed: 9}, full.Counts())
}

func TestAuditReports(t *testing.T) {
	res := &pos.AuditResult{Pages: []pos.PageResult{
		{Page: pos.AuditPage{Network: "vk", ID: 1, OGRN: "1022900515190", URL: "https://vk.com/club1"}, Status: pos.StatusOK},
		{Page: pos.AuditPage{Network: "vk", ID: 2, OGRN: "1022900515190", URL: "https://vk.com/club2?a=1&b=<2>"}, Status: pos.StatusFailed,
			Reasons: []pos.Reason{{Code: pos.ReasonBadLink, Item: 1, Detail: "wrong-utm-source"}, {Code: pos.ReasonWidgetSite}}},
		{Page: pos.AuditPage{Network: "ok", ID: 3}, Status: pos.StatusUnverifiable, Reasons: []pos.Reason{{Code: pos.ReasonUnreachable}}},
	}, Remaining: 2}
	var c bytes.Buffer
	require.NoError(t, pos.WriteCSV(&c, res))
	rows, err := csv.NewReader(&c).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 4)
	assert.Equal(t, pos.CSVHeader, rows[0])
	assert.Equal(t, []string{"vk", "2", "https://vk.com/club2?a=1&b=<2>", "1022900515190", "failed", "bad-link;widget-site-off",
		"bad-link (item 1): wrong-utm-source; widget-site-off"}, rows[1])
	assert.Equal(t, "unverifiable", rows[2][4])
	assert.Equal(t, "ok", rows[3][4])

	var h bytes.Buffer
	require.NoError(t, pos.WriteHTML(&h, "Аудит <региона>", res))
	doc := parseXHTML(t, h.Bytes())
	assert.Equal(t, "Аудит <региона>", doc.text("title"))
	sum := doc.find("table", "summary")
	require.NotNil(t, sum)
	cells := sum.all("td")
	require.Len(t, cells, 5)
	assert.Equal(t, []string{"5", "1", "1", "1", "2"}, texts(cells))
	tbl := doc.find("table", "pages")
	require.NotNil(t, tbl)
	trs := tbl.all("tr")
	require.Len(t, trs, 4) // header + 3 pages
	assert.Equal(t, []string{"failed", "unverifiable", "ok"}, []string{trs[1].attr("class"), trs[2].attr("class"), trs[3].attr("class")})
	lis := trs[1].all("li")
	require.Len(t, lis, 2)
	assert.Equal(t, "bad-link", lis[0].attr("data-code"))
	assert.Equal(t, "https://vk.com/club2?a=1&b=%3c2%3e", trs[1].all("a")[0].attr("href"))
	assert.Equal(t, "https://vk.com/club2?a=1&b=<2>", trs[1].all("a")[0].Content)
}

// node is an element of a parsed XHTML document.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Content  string     `xml:",chardata"`
	Children []*node    `xml:",any"`
}

func parseXHTML(t *testing.T, b []byte) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	var n node
	require.NoError(t, d.Decode(&n), "the report is well-formed XHTML")
	// Nothing follows the root.
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		cd, ok := tok.(xml.CharData)
		require.True(t, ok && len(bytes.TrimSpace(cd)) == 0, "nothing but space follows the root: %v", tok)
	}
	assert.Equal(t, "html", n.XMLName.Local)
	return &n
}

func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n *node) all(tag string) []*node {
	var out []*node
	for _, c := range n.Children {
		if c.XMLName.Local == tag {
			out = append(out, c)
		}
		out = append(out, c.all(tag)...)
	}
	return out
}

func (n *node) find(tag, id string) *node {
	for _, c := range n.all(tag) {
		if c.attr("id") == id {
			return c
		}
	}
	return nil
}

func (n *node) text(tag string) string {
	if a := n.all(tag); len(a) > 0 {
		return a[0].Content
	}
	return ""
}

func texts(ns []*node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Content
	}
	return out
}

// stubPOS answers POS's appeal forms with a canned page and counts them.
type stubPOS struct {
	appeal func() *http.Response
	n      atomic.Int64
}

func (s *stubPOS) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Query().Has("opaId") {
		s.n.Add(1)
		return s.appeal(), nil
	}
	return page(200, `<main data-state="polls"></main>`), nil
}

func page(code int, body string) *http.Response {
	return &http.Response{StatusCode: code, Status: fmt.Sprint(code), Body: io.NopCloser(strings.NewReader(body)), Header: http.Header{}}
}

func TestAuditChecksWhatPOSShows(t *testing.T) {
	rig := newAuditRig(t, 3) // all three compliant
	audit := func(answer func() *http.Response) (*pos.AuditResult, int64) {
		stub := &stubPOS{appeal: answer}
		a := &pos.Auditor{Directory: rig.a.Directory, Forms: rig.a.Forms, Readers: rig.a.Readers, HTTPClient: &http.Client{Transport: stub}}
		res, err := a.Audit(t.Context(), rig.pages, nil)
		require.NoError(t, err)
		return res, stub.n.Load()
	}
	// The pages' owners share one LKO: POS is asked once.
	res, n := audit(func() *http.Response { return page(200, `<main data-state="not-connected"></main>`) })
	assert.Equal(t, int64(1), n)
	for _, p := range res.Pages {
		assert.Equal(t, pos.StatusFailed, p.Status)
		assert.Equal(t, []pos.ReasonCode{pos.ReasonNotConnected}, codes(p))
	}
	res, _ = audit(func() *http.Response { return page(200, `<main data-state="form">ОГРН 1027700132195</main>`) })
	assert.Equal(t, []pos.ReasonCode{pos.ReasonWrongOrg}, codes(res.Pages[0]))
	assert.Equal(t, 1, res.Pages[0].Reasons[0].Item)
	res, _ = audit(func() *http.Response { return page(404, `<main data-state="not-found"></main>`) })
	assert.Equal(t, []pos.ReasonCode{pos.ReasonFormNotFound}, codes(res.Pages[1]))
	// POS failing makes the pages unverifiable, and is asked again each time.
	res, n = audit(func() *http.Response { return page(502, "bad gateway") })
	assert.Equal(t, int64(3), n)
	assert.Equal(t, pos.StatusUnverifiable, res.Pages[0].Status)
	assert.Equal(t, []pos.ReasonCode{pos.ReasonUnreachable}, codes(res.Pages[0]))
}

// The default scenario seeds a compliant page (the ministry's community)
// and a broken one (its subordinate's): links name pos.gosuslugi.ru, and
// the audit follows them to the emulator.
func TestAuditDefaultScenario(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("vk", "pos"))
	var buf bytes.Buffer
	require.NoError(t, sb.POS.ExportCSV(&buf, posmock.ExportHeader{}))
	ex, err := pos.LoadExport(&buf, pos.Columns{})
	require.NoError(t, err)
	for i := range ex.Orgs {
		for _, o := range sb.World.Organizations() {
			if o.OGRN == ex.Orgs[i].OGRN {
				ex.Orgs[i].Agency = esia.AgencyType(o.AgencyType)
			}
		}
	}
	dir, err := ex.Directory(pos.Forms{})
	require.NoError(t, err)
	c, err := vk.New(sb.Credentials.VK.ServiceToken, vk.ServiceToken, core.WithBaseURL(sb.VKURL), core.WithHTTPClient(sb.HTTPClient()))
	require.NoError(t, err)
	a := &pos.Auditor{Directory: dir, FetchBaseURL: sb.POSURL, HTTPClient: sb.HTTPClient(),
		Readers: map[string]pos.MenuReader{pos.NetworkVK: pos.VKMenus{Client: c}}}
	org := func(oid int64) string {
		o, err := sb.World.Organization(oid)
		require.NoError(t, err)
		return o.OGRN
	}
	res, err := a.Audit(t.Context(), []pos.AuditPage{
		{Network: pos.NetworkVK, ID: world.DefaultVKGroupID, OGRN: org(world.DefaultMinistryOID), URL: "https://vk.com/minsvyaz29"},
		{Network: pos.NetworkVK, ID: vkmock.DefaultPOSBrokenGroupID, OGRN: org(world.DefaultSubordinateOID), URL: "https://vk.com/ccs29"},
	}, nil)
	require.NoError(t, err)
	assert.Equal(t, pos.StatusOK, res.Pages[0].Status, "%v", res.Pages[0].Reasons)
	assert.Equal(t, pos.StatusFailed, res.Pages[1].Status)
	require.Len(t, res.Pages[1].Reasons, 2, "%v", res.Pages[1].Reasons)
	assert.Equal(t, pos.Reason{Code: pos.ReasonBadLink, Item: 2, Detail: string(pos.ProblemUTMSource)}, res.Pages[1].Reasons[0])
	assert.Equal(t, pos.ReasonWidgetSite, res.Pages[1].Reasons[1].Code)
	assert.Equal(t, 2, res.POSRequests, "the appeal form of LKO 900001 once for both owners, the regional polls once")
}
