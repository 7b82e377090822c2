package main

import (
	"bytes"
	"context"
	"fmt"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/pos"
	"github.com/gospubliki/gosdk/vk"
)

// placePOS builds the POS placement plans of the ministry's VK community
// and OK group, applies them as the pages' administrator and the LKO's
// administrator would, and audits the region's pages.
func (f *flow) placePOS(ctx context.Context) error {
	sb := f.sb
	f.n.Step("POS: the feedback forms go onto the pages, and the audit checks them")
	// The links name the real POS, as on a real page; the audit follows
	// them to the POS emulator (FetchBaseURL).
	forms := pos.Forms{}
	dir, err := directory(f, forms)
	if err != nil {
		return err
	}
	vkURL := "https://vk.com/" + sb.Credentials.VK.ScreenName
	okURL := fmt.Sprintf("https://ok.ru/group/%d", sb.Credentials.OK.GroupID)
	vkPlan, err := dir.Plan(f.ministry.OGRN, vkURL)
	if err != nil {
		return err
	}
	okPlan, err := dir.Plan(f.ministry.OGRN, okURL)
	if err != nil {
		return err
	}
	r := vkPlan.Resolution
	f.n.Checked("the LKO export table", fmt.Sprintf("%s is served by LKO %d", f.ministry.ShortName, r.AppealLKO.OpaID))
	f.n.Say("appeal form: %s", r.AppealURL)
	f.n.Say("polls form:  %s", r.PollsURL)

	// VK: the community's menu. VK's API cannot write a menu: the
	// administrator does it in VK's interface, here through the
	// sandbox's helper.
	items := make([]vkmock.MenuItem, 0, len(vkPlan.Items))
	for _, it := range vkPlan.Items {
		items = append(items, vkmock.MenuItem{Title: it.Title, URL: it.URL, Cover: string(it.Cover)})
	}
	if err := sb.VK.SetMenu(sb.Credentials.VK.GroupID, world.DefaultChiefVKID, items); err != nil {
		return err
	}
	f.n.Say("VK: %d menu item(s) «%s» placed on %s", len(items), vkPlan.Items[0].Title, vkURL)
	// OK: the links in the group's description (OK has no menu, and its
	// API edits no group: the administrator does it on ok.ru, here
	// through the sandbox's helper).
	desc := fmt.Sprintf("Официальная группа %s. Сообщить о проблеме: %s Опросы и голосования: %s",
		f.ministry.ShortName, okPlan.Items[0].URL, okPlan.Items[1].URL)
	if err := sb.OK.SetDescription(sb.Credentials.OK.GroupID, sb.Credentials.OK.UserID, desc); err != nil {
		return err
	}
	f.n.Say("OK: both links placed in the description of %s", okURL)
	// The LKO lists the pages as widget sites.
	for _, pl := range []pos.Plan{vkPlan, okPlan} {
		for _, st := range pl.Settings {
			if st.On {
				f.n.Checked("the LKO's settings", fmt.Sprintf("%s already listed as a widget site", st.Site))
				continue
			}
			l, err := sb.POS.LKO(st.OpaID)
			if err != nil {
				return err
			}
			if _, err := sb.POS.SetWidgetSites(st.OpaID, append(l.WidgetSites, st.Site)); err != nil {
				return err
			}
			f.n.Say("LKO %d: «%s» on for %s", st.OpaID, st.Checkbox, st.Site)
		}
	}
	if dir, err = directory(f, forms); err != nil { // the LKO settings changed
		return err
	}

	// The audit: the two pages and every other VK page of the region's
	// organisations; menus and descriptions read through the APIs, each
	// distinct link followed to POS once.
	pages := []pos.AuditPage{
		{Network: pos.NetworkVK, ID: sb.Credentials.VK.GroupID, OGRN: f.ministry.OGRN, URL: vkURL},
		{Network: pos.NetworkOK, ID: sb.Credentials.OK.GroupID, OGRN: f.ministry.OGRN, URL: okURL},
	}
	orgs := map[int64]string{}
	for _, o := range sb.World.Organizations() {
		orgs[o.OID] = o.OGRN
	}
	for _, p := range sb.World.Pages(world.NetworkVK) {
		if p.ID == sb.Credentials.VK.GroupID || orgs[p.OwnerOrgOID] == "" {
			continue
		}
		pages = append(pages, pos.AuditPage{Network: pos.NetworkVK, ID: p.ID, OGRN: orgs[p.OwnerOrgOID], URL: fmt.Sprintf("https://vk.com/club%d", p.ID)})
	}
	c, err := vk.New(sb.Credentials.VK.ServiceToken, vk.ServiceToken, core.WithBaseURL(sb.VKURL), core.WithHTTPClient(sb.HTTPClient()))
	if err != nil {
		return err
	}
	bar := f.n.Bar("audit")
	a := &pos.Auditor{Directory: dir, Forms: forms, FetchBaseURL: sb.POSURL, HTTPClient: sb.HTTPClient(),
		Readers:  map[string]pos.MenuReader{pos.NetworkVK: pos.VKMenus{Client: c}, pos.NetworkOK: pos.OKLinks{Client: f.ok, Forms: forms}},
		Progress: func(p pos.Progress) { bar(p.Done, p.Total) }}
	res, err := a.Audit(ctx, pages, nil)
	if err != nil {
		return err
	}
	cnt := res.Counts()
	f.n.Checked("the region's pages", fmt.Sprintf("%d audited: %d ok, %d failed (the region's own defects), %d unverifiable; %d POS request(s)",
		len(res.Pages), cnt[pos.StatusOK], cnt[pos.StatusFailed], cnt[pos.StatusUnverifiable], res.POSRequests))
	for _, pr := range res.Pages[:2] {
		if pr.Status != pos.StatusOK {
			return fmt.Errorf("%s fails the audit: %v", pr.Page.URL, pr.Reasons)
		}
	}
	f.n.Result("POS forms placed on %s and %s: audit ok", vkURL, okURL)
	return nil
}

// directory loads the POS emulator's export table; the agency types come
// from the world (a caller takes them from ESIA).
func directory(f *flow, forms pos.Forms) (*pos.Directory, error) {
	var buf bytes.Buffer
	if err := f.sb.POS.ExportCSV(&buf, posmock.ExportHeader{}); err != nil {
		return nil, err
	}
	ex, err := pos.LoadExport(&buf, pos.Columns{})
	if err != nil {
		return nil, err
	}
	types := map[string]string{}
	for _, o := range f.sb.World.Organizations() {
		types[o.OGRN] = o.AgencyType
	}
	for i := range ex.Orgs {
		ex.Orgs[i].Agency = esia.AgencyType(types[ex.Orgs[i].OGRN])
	}
	return ex.Directory(forms)
}
