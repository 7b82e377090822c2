// Command pos-forms places the POS forms (the appeal form and the polls
// form, both «Решаем вместе») on official VK pages and audits a region's
// pages against the gosdk sandbox, in-process and offline:
//
//	go run ./examples/pos-forms [-out DIR] [-pages 500]
//
// It starts the sandbox (mock.New) with the VK and POS emulators, then
//
//  1. loads the regional LKO export table from the POS emulator and builds
//     the links and the placement plan of the ministry's community;
//  2. applies the plan as the community's administrator would in VK's
//     interface (VK's API cannot write a menu): through the sandbox's
//     control route PUT /_mock/vk/menu;
//  3. seeds a region of pages across the seeded organisations, some of
//     them broken (a wrong utm_source, a missing polls item, a page the
//     LKO does not list as a widget site);
//  4. audits them with pos.Auditor (groups.getById fields=menu, batched;
//     each distinct link followed to POS once), with a progress bar on
//     stderr, and writes report.csv and report.html.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/examples/internal/narrate"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/pos"
	"github.com/gospubliki/gosdk/vk"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// firstPage is the id of the first seeded community of the region.
const firstPage int64 = 400000000

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pos-forms", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory for report.csv and report.html (a new temporary directory when empty)")
	n := fs.Int("pages", 500, "number of pages in the region")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := do(ctx, *out, *n, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "pos-forms:", err)
		return 1
	}
	return 0
}

func do(ctx context.Context, out string, n int, stdout, stderr io.Writer) error {
	sb, err := mock.New(mock.WithParties("vk", "pos"))
	if err != nil {
		return err
	}
	defer sb.Close()
	hc := sb.HTTPClient()
	forms := pos.Forms{BaseURL: sb.POSURL}

	// 1. The directory and the ministry's plan.
	dir, err := directory(sb, forms)
	if err != nil {
		return err
	}
	ministry, err := sb.World.Organization(world.DefaultMinistryOID)
	if err != nil {
		return err
	}
	plan, err := dir.Plan(ministry.OGRN, "https://vk.com/minsvyaz29")
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "appeal form:", plan.Resolution.AppealURL)
	fmt.Fprintln(stdout, "polls form: ", plan.Resolution.PollsURL)
	fmt.Fprintln(stdout, plan.String())

	// 2. The administrator applies it.
	items := []vkmock.MenuItem{}
	for _, it := range plan.Items {
		items = append(items, vkmock.MenuItem{Title: it.Title, URL: it.URL, Cover: string(it.Cover)})
	}
	body, _ := json.Marshal(map[string]any{"group_id": world.DefaultVKGroupID, "user_id": world.DefaultChiefVKID, "items": items})
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, sb.ControlURL+"/_mock/vk/menu", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("applying the menu: %s", resp.Status)
	}
	fmt.Fprintln(stdout, "menu applied to vk.com/minsvyaz29")

	// 3. The region.
	pages, err := seedRegion(sb, dir, n)
	if err != nil {
		return err
	}
	// The LKO settings changed: load the export table again.
	if dir, err = directory(sb, forms); err != nil {
		return err
	}
	pages = append([]pos.AuditPage{{Network: pos.NetworkVK, ID: world.DefaultVKGroupID, OGRN: ministry.OGRN, URL: "https://vk.com/minsvyaz29"}}, pages...)

	// 4. The audit.
	c, err := vk.New(sb.Credentials.VK.ServiceToken, vk.ServiceToken, core.WithBaseURL(sb.VKURL), core.WithHTTPClient(hc))
	if err != nil {
		return err
	}
	bar := narrate.Bar(stderr, "")
	a := &pos.Auditor{Directory: dir, Forms: forms, HTTPClient: hc,
		Readers:  map[string]pos.MenuReader{pos.NetworkVK: pos.VKMenus{Client: c}},
		Progress: func(p pos.Progress) { bar(p.Done, p.Total) }}
	res, err := a.Audit(ctx, pages, nil)
	if err != nil {
		return err
	}
	if out == "" {
		if out, err = os.MkdirTemp("", "pos-forms-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var csvBuf, htmlBuf bytes.Buffer
	if err := pos.WriteCSV(&csvBuf, res); err != nil {
		return err
	}
	if err := pos.WriteHTML(&htmlBuf, "Аудит размещения форм ПОС", res); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "report.csv"), csvBuf.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "report.html"), htmlBuf.Bytes(), 0o644); err != nil {
		return err
	}
	cnt := res.Counts()
	fmt.Fprintf(stdout, "audited %d pages: %d ok, %d failed, %d unverifiable; %d POS requests\n",
		len(res.Pages), cnt[pos.StatusOK], cnt[pos.StatusFailed], cnt[pos.StatusUnverifiable], res.POSRequests)
	fmt.Fprintln(stdout, "reports:", filepath.Join(out, "report.csv"), filepath.Join(out, "report.html"))
	return nil
}

// directory loads the POS emulator's export table; the agency types come
// from the world (a caller takes them from ESIA).
func directory(sb *mock.Sandbox, forms pos.Forms) (*pos.Directory, error) {
	var buf bytes.Buffer
	if err := sb.POS.ExportCSV(&buf, posmock.ExportHeader{}); err != nil {
		return nil, err
	}
	ex, err := pos.LoadExport(&buf, pos.Columns{})
	if err != nil {
		return nil, err
	}
	types := map[string]string{}
	for _, o := range sb.World.Organizations() {
		types[o.OGRN] = o.AgencyType
	}
	for i := range ex.Orgs {
		ex.Orgs[i].Agency = esia.AgencyType(types[ex.Orgs[i].OGRN])
	}
	return ex.Directory(forms)
}

// seedRegion creates n VK communities across the organisations whose
// placement resolves, applies each one's plan as its administrator, and
// breaks some: every 10th+3 has a wrong utm_source, every 10th+5 lacks the
// polls item, every 10th+7 is not among its LKO's widget sites.
func seedRegion(sb *mock.Sandbox, dir *pos.Directory, n int) ([]pos.AuditPage, error) {
	var orgs []world.Organization
	for _, o := range sb.World.Organizations() {
		if r, err := dir.Resolve(o.OGRN); err == nil && r.AppealURL != "" && r.PollsURL != "" {
			orgs = append(orgs, o)
		}
	}
	if len(orgs) == 0 {
		return nil, fmt.Errorf("no organisation resolves")
	}
	pages := make([]pos.AuditPage, n)
	sites := map[int64][]string{}
	for i := range n {
		o := orgs[i%len(orgs)]
		id := firstPage + int64(i)
		url := fmt.Sprintf("https://vk.com/club%d", id)
		if err := sb.World.AddPage(world.Page{Network: world.NetworkVK, ID: id, Kind: world.PagePublic,
			Title: fmt.Sprintf("%s %d", o.ShortName, i), OwnerOrgOID: o.OID, Open: true,
			Admins: []world.PageAdmin{{PersonOID: world.DefaultChiefOID, Role: world.RoleCreator}}}); err != nil {
			return nil, err
		}
		plan, err := dir.Plan(o.OGRN, url)
		if err != nil {
			return nil, err
		}
		items := []vkmock.MenuItem{
			{Title: plan.Items[0].Title, URL: plan.Items[0].URL, Cover: string(plan.Items[0].Cover)},
			{Title: plan.Items[1].Title, URL: plan.Items[1].URL, Cover: string(plan.Items[1].Cover)},
		}
		switch i % 10 {
		case 3:
			items[0].URL = strings.Replace(items[0].URL, "utm_source=vk&", "utm_source=vk2&", 1)
		case 5:
			items = items[:1]
		}
		if err := sb.VK.SetMenu(id, world.DefaultChiefVKID, items); err != nil {
			return nil, err
		}
		if i%10 != 7 {
			opa := plan.Resolution.AppealLKO.OpaID
			sites[opa] = append(sites[opa], url)
		}
		pages[i] = pos.AuditPage{Network: pos.NetworkVK, ID: id, OGRN: o.OGRN, URL: url}
	}
	for opa, s := range sites {
		l, err := sb.POS.LKO(opa)
		if err != nil {
			return nil, err
		}
		if _, err := sb.POS.SetWidgetSites(opa, append(l.WidgetSites, s...)); err != nil {
			return nil, err
		}
	}
	return pages, nil
}
