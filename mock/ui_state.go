package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/pos"
)

// uiState is the state browser's view of a tenant.
type uiState struct {
	Orgs  []uiOrg
	Pages []uiPageRow
	// Cabinet is the cabinet's section (cabinets, users, posts with their
	// reports, and whatever else the section exports), one table per list.
	Cabinet []uiTable
	// Sections are the other sections' exports, indented JSON, by name.
	Sections []uiRaw
	// Outbox is what the applications sent to people, newest first (at
	// most uiOutboxMax).
	Outbox []world.Message
}

const uiOutboxMax = 100

type uiOrg struct {
	world.Organization
	Parent string
	Pages  int
}

// uiPageRow is a page with its «Госорганизация» mark and its POS
// compliance.
type uiPageRow struct {
	world.Page
	Owner string
	// Missing is what the page lacks for the mark (VK).
	Missing []string
	// POS is "ok", "failed" or "" (not checked: not a VK page, or no POS);
	// POSReasons say why it failed.
	POS        string
	POSReasons []string
}

// uiTable is a list of objects from a section, its columns the union of
// their keys (known ones first), so fields added later show up too.
type uiTable struct {
	Name    string
	Columns []string
	Rows    [][]uiCell
}

type uiCell struct {
	Text   string
	Status bool // a status value, styled by its text
}

type uiRaw struct {
	Name string
	JSON string
}

func buildState(t *Tenant) *uiState {
	st := &uiState{}
	orgs := t.World.Organizations()
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.OID] = orgName(o)
	}
	pages := t.World.Pages("")
	count := map[int64]int{}
	for _, p := range pages {
		count[p.OwnerOrgOID]++
	}
	for _, o := range orgs {
		st.Orgs = append(st.Orgs, uiOrg{Organization: o, Parent: names[o.ParentOID], Pages: count[o.OID]})
	}
	for _, p := range pages {
		row := uiPageRow{Page: p, Owner: names[p.OwnerOrgOID]}
		if p.Network == world.NetworkVK && t.VK != nil {
			row.Missing, _ = t.VK.GovRequirements(p.ID)
			row.POS, row.POSReasons = posCompliance(t, p)
		}
		st.Pages = append(st.Pages, row)
	}
	f := world.OutboxFilter{}
	if n := t.World.Outbox.Seq(); n > uiOutboxMax {
		f.AfterSeq = n - uiOutboxMax
	}
	msgs := t.World.Outbox.Messages(f)
	for i := len(msgs) - 1; i >= 0 && len(st.Outbox) < uiOutboxMax; i-- {
		st.Outbox = append(st.Outbox, msgs[i])
	}
	sc := t.World.Export(world.WithoutSecrets())
	var secNames []string
	for name := range sc.Sections {
		secNames = append(secNames, name)
	}
	slices.Sort(secNames)
	for _, name := range secNames {
		raw := sc.Sections[name]
		if name == gpmock.SectionName {
			st.Cabinet = tablesOf(raw)
			continue
		}
		var buf bytes.Buffer
		if json.Indent(&buf, raw, "", "  ") == nil {
			st.Sections = append(st.Sections, uiRaw{Name: name, JSON: buf.String()})
		}
	}
	return st
}

func orgName(o world.Organization) string {
	if o.ShortName != "" {
		return o.ShortName
	}
	return o.FullName
}

// posCompliance checks a VK community as the POS audit would, from the
// sandbox's own state and without requests: its menu's first two items
// are titled «Решаем вместе» and open the appeal form of the owner's LKO
// and a polls form, and the LKO lists the page as a widget site.
func posCompliance(t *Tenant, p world.Page) (string, []string) {
	if t.POS == nil || p.OwnerOrgOID == 0 {
		return "", nil
	}
	var reasons []string
	lko, err := t.POS.AppealsLKO(p.OwnerOrgOID)
	if err != nil {
		return "failed", []string{"no POS cabinet (LKO) for the owner or its superiors"}
	}
	owner, _ := t.World.Organization(p.OwnerOrgOID)
	items := t.VK.Menu(p.ID)
	if len(items) < 2 {
		reasons = append(reasons, fmt.Sprintf("the menu has %d item(s); the first two must be the POS forms", len(items)))
	}
	for i := 0; i < 2 && i < len(items); i++ {
		it := items[i]
		if strings.TrimSpace(it.Title) != pos.MenuTitle {
			reasons = append(reasons, fmt.Sprintf("item %d is titled %q, not «%s»", i+1, it.Title, pos.MenuTitle))
		}
		link, err := pos.Forms{}.Parse(it.URL)
		var le *pos.LinkError
		if errors.As(err, &le) {
			codes := make([]string, 0, len(le.Problems))
			for _, pr := range le.Problems {
				codes = append(codes, string(pr.Code))
			}
			reasons = append(reasons, fmt.Sprintf("item %d link: %s", i+1, strings.Join(codes, ", ")))
			continue
		}
		switch {
		case i == 0 && (link.Kind != pos.LinkAppeal || link.OpaID != lko.OpaID):
			reasons = append(reasons, fmt.Sprintf("item 1 must open the appeal form of opaId %d", lko.OpaID))
		case i == 1 && link.Kind != pos.LinkRegionalPolls && link.Kind != pos.LinkMunicipalPolls:
			reasons = append(reasons, "item 2 must open a polls form")
		}
		if link.UTMCampaign != "" && owner.OGRN != "" && link.UTMCampaign != owner.OGRN {
			reasons = append(reasons, fmt.Sprintf("item %d names OGRN %s, not the owner's", i+1, link.UTMCampaign))
		}
	}
	site := "https://vk.com/club" + strconv.FormatInt(p.ID, 10)
	ok := pos.HasWidgetSite(pos.LKO{WidgetSites: lko.WidgetSites}, site)
	if p.Username != "" {
		ok = ok || pos.HasWidgetSite(pos.LKO{WidgetSites: lko.WidgetSites}, "https://vk.com/"+p.Username)
	}
	if !ok {
		reasons = append(reasons, fmt.Sprintf("LKO %d does not list the page with «Сайт размещения виджета»", lko.OpaID))
	}
	if len(reasons) > 0 {
		return "failed", reasons
	}
	return "ok", nil
}

// preferredColumns come first in a section's tables, in this order.
var preferredColumns = []string{"id", "cabinet_id", "kind", "network", "page_id", "ref", "org_oid", "org_name", "name", "role", "status",
	"urgency", "text", "targets", "publish_at"}

// tablesOf renders a section's export: every top-level list of objects
// becomes a table; nested values are shown as compact JSON.
func tablesOf(raw json.RawMessage) []uiTable {
	var top map[string]json.RawMessage
	if json.Unmarshal(raw, &top) != nil {
		return nil
	}
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []uiTable
	for _, k := range keys {
		var rows []map[string]json.RawMessage
		if json.Unmarshal(top[k], &rows) != nil || len(rows) == 0 {
			continue
		}
		seen := map[string]bool{}
		var rest []string
		for _, r := range rows {
			for c := range r {
				if !seen[c] {
					seen[c] = true
					if !slices.Contains(preferredColumns, c) {
						rest = append(rest, c)
					}
				}
			}
		}
		slices.Sort(rest)
		var cols []string
		for _, c := range preferredColumns {
			if seen[c] {
				cols = append(cols, c)
			}
		}
		cols = append(cols, rest...)
		tb := uiTable{Name: k, Columns: cols}
		for _, r := range rows {
			cells := make([]uiCell, len(cols))
			for i, c := range cols {
				cells[i] = uiCell{Text: cellText(r[c]), Status: c == "status"}
			}
			tb.Rows = append(tb.Rows, cells)
		}
		out = append(out, tb)
	}
	return out
}

func cellText(v json.RawMessage) string {
	if len(v) == 0 || string(v) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		if at, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return at.UTC().Format("2006-01-02 15:04:05")
		}
		return truncate(s, 300)
	}
	var buf bytes.Buffer
	if json.Compact(&buf, v) != nil {
		return ""
	}
	return truncate(buf.String(), 600)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func sortStrings(s []string) { slices.Sort(s) }
