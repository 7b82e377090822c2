// Command vk-verification takes a ministry's VK community through the
// «Госорганизация» verification with the vk client against the gosdk
// sandbox, in-process and offline:
//
//	go run ./examples/vk-verification
//
// It starts the sandbox (mock.New) with the default organisation and VK
// community, seeded as a community whose settings are not finished yet:
// no description, no city, the public category «Бренд или организация»
// instead of «Государственная организация», and an editor whose account
// has no two-factor authentication. Then it
//
//  1. reads the requirement report through the vk client
//     (CheckCommunity): what is met, what is missing, and what VK's API
//     cannot show; and the community's management page, which lists what
//     VK's reviewers will check;
//  2. fixes what the API can change with groups.edit: the description,
//     the city, and the category, found by name in public_category_list
//     (VK does not document its id). What the API cannot change, the
//     editor's two-factor authentication, the editor turns on himself:
//     here through the sandbox's Go helper (World.UpdatePerson);
//  3. reads the report again and presses «Подтвердить через Госуслуги»
//     on the management page, following the redirects as a browser
//     would: to the ESIA emulator, where the administrator logs in as the
//     ministry's chief (a headless login, esiamock.Login), and back to VK,
//     which checks her authority and takes the request («Заявка
//     рассматривается»);
//  4. moves the world clock past the 24-hour review and reads the
//     community's is_government_organization back through the vk client:
//     confirmed.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/examples/internal/govpage"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/govmark"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/vk"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "vk-verification:", err)
		os.Exit(1)
	}
}

// editorOID is the person who edits the default community's wall.
const editorOID = 1000000102

// arkhangelsk is VK's city id of Архангельск (database.getCities).
const arkhangelsk = 10

// unfinishedScenario is the sandbox's default world with the ministry's VK
// community as it stands before its settings are finished.
func unfinishedScenario() (world.Scenario, error) {
	sc := mock.DefaultScenario()
	found := false
	for i := range sc.Pages {
		p := &sc.Pages[i]
		if p.Network == world.NetworkVK && p.ID == world.DefaultVKGroupID {
			p.Description, p.City = "", ""
			found = true
		}
	}
	if !found {
		return sc, errors.New("the default scenario has no VK community")
	}
	for i := range sc.People {
		if sc.People[i].OID != editorOID {
			continue
		}
		a := sc.People[i].Accounts[world.NetworkVK]
		a.TwoFactor = false
		sc.People[i].Accounts[world.NetworkVK] = a
	}
	st, err := vkmock.SettingsOf(sc)
	if err != nil {
		return sc, err
	}
	for i := range st.Communities {
		if st.Communities[i].ID == world.DefaultVKGroupID {
			st.Communities[i].PublicCategory = 1001 // «Бренд или организация»
		}
	}
	return sc, vkmock.PutSettings(&sc, st)
}

// run is the whole program; it writes its report to w.
func run(ctx context.Context, w io.Writer) error {
	sc, err := unfinishedScenario()
	if err != nil {
		return err
	}
	sb, err := mock.New(mock.WithParties("esia", "vk"), mock.WithScenario(sc))
	if err != nil {
		return err
	}
	defer sb.Close()
	cr := sb.Credentials.VK
	fmt.Fprintf(w, "sandbox: VK API emulator at %s, ESIA emulator at %s\n", sb.VKURL, sb.ESIAURL)

	// The sandbox's HTTP client refuses every host that is not a sandbox
	// listener, so nothing can reach the real VK. The client paces itself
	// to VK's 3 requests a second for a user token, on the world clock.
	client, err := vk.New(cr.UserToken, vk.UserToken, core.WithBaseURL(sb.VKURL),
		core.WithHTTPClient(sb.HTTPClient()), core.WithClock(core.NowFunc(sb.Clock.Now)))
	if err != nil {
		return err
	}
	chief, err := sb.World.Person(world.DefaultChiefOID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "administrator: %s %s (VK user %d), token kind %s\n", chief.FirstName, chief.LastName, cr.UserID, client.Kind())

	// 1. The requirement report, as the API shows it.
	rep, err := client.CheckCommunity(ctx, cr.GroupID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "community: %s (id %d, vk.com/%s)\n", rep.Name, rep.GroupID, cr.ScreenName)
	printReport(w, "\nrequirements of the community, as seeded:", rep)
	mgmt := &govpage.VK{HC: sb.HTTPClient(), Base: sb.VKURL, Group: cr.GroupID, Token: cr.UserToken}
	page, err := mgmt.Get(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "management page: «%s», %d thing(s) VK's reviewers will not accept:\n", page.Status, len(page.Missing))
	for _, m := range page.Missing {
		fmt.Fprintf(w, "  - %s\n", m)
	}

	// 2. Fix through the API what groups.edit can change.
	fmt.Fprintln(w, "\nfixing through the API (groups.edit):")
	settings, err := client.GroupsGetSettings(ctx, cr.GroupID)
	if err != nil {
		return err
	}
	govCat, ok := vk.GovCategoryID(settings.PublicCategoryList)
	if !ok {
		return errors.New("public_category_list has no «Государственная организация»")
	}
	city := int64(arkhangelsk)
	edit := vk.EditGroupRequest{GroupID: cr.GroupID, Description: "Официальное сообщество министерства цифрового развития и связи Архангельской области",
		City: &city, PublicCategory: &govCat}
	if err := client.GroupsEdit(ctx, edit); err != nil {
		return err
	}
	fmt.Fprintln(w, "  description filled in")
	fmt.Fprintf(w, "  city set to Архангельск (VK city id %d)\n", city)
	fmt.Fprintf(w, "  public category set to «Государственная организация» (id %d, found by name in public_category_list)\n", govCat)

	// What the API cannot change: a manager's own account settings.
	fmt.Fprintln(w, "fixing by hand (VK's API cannot change a person's account):")
	editor, err := sb.World.Person(editorOID)
	if err != nil {
		return err
	}
	acc := editor.Accounts[world.NetworkVK]
	acc.TwoFactor = true
	editor.Accounts[world.NetworkVK] = acc
	if err := sb.World.UpdatePerson(editor); err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s %s (VK user %d) turned on two-factor authentication\n", editor.FirstName, editor.LastName, acc.UserID)

	// 3. Check again and press the button.
	if rep, err = client.CheckCommunity(ctx, cr.GroupID); err != nil {
		return err
	}
	printReport(w, "\nrequirements after the fixes:", rep)
	for _, r := range rep.Requirements.NotMet() {
		if r.Code != social.ReqGovMark {
			return fmt.Errorf("still missing after the fixes: %s", r.Code)
		}
	}
	if page, err = mgmt.Get(ctx); err != nil {
		return err
	} else if len(page.Missing) > 0 {
		return fmt.Errorf("the management page still lists: %v", page.Missing)
	}
	fmt.Fprintln(w, "management page: nothing missing")

	ministry, err := sb.World.Organization(world.DefaultMinistryOID)
	if err != nil {
		return err
	}
	sb.ESIA.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultChiefOID, OrgOID: world.DefaultMinistryOID, ClientID: mock.VKESIAClientID})
	hops, status, err := mgmt.Press(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "pressed «Подтвердить через Госуслуги»; the browser went through:")
	names := strings.NewReplacer(strings.TrimPrefix(sb.ESIAURL, "http://"), "Gosuslugi (ESIA emulator) ",
		strings.TrimPrefix(sb.VKURL, "http://"), "VK ")
	for _, h := range hops {
		fmt.Fprintf(w, "  %s\n", names.Replace(h))
	}
	fmt.Fprintf(w, "Gosuslugi: logged in at the ESIA emulator as the chief of %s (OGRN %s)\n", ministry.ShortName, ministry.OGRN)
	fmt.Fprintf(w, "VK answered: «%s»\n", status)
	p, err := sb.World.Page(world.NetworkVK, cr.GroupID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "under review since %s (world clock)\n", p.Gov.Since.UTC().Format("2006-01-02 15:04"))
	g, err := client.GetGroup(ctx, cr.GroupID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "is_government_organization through the API while under review: %s\n", flag(g))

	// 4. VK decides within 24 hours: move the world clock past it.
	sb.Clock.Advance(govmark.DefaultReviewDelay)
	fmt.Fprintf(w, "\nworld clock advanced by %s to %s\n", govmark.DefaultReviewDelay, sb.Clock.Now().UTC().Format("2006-01-02 15:04"))
	if page, err = mgmt.Get(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "management page: «%s»\n", page.Status)
	if g, err = client.GetGroup(ctx, cr.GroupID); err != nil {
		return err
	}
	fmt.Fprintf(w, "is_government_organization through the API: %s\n", flag(g))
	if rep, err = client.CheckCommunity(ctx, cr.GroupID); err != nil {
		return err
	}
	if r, _ := rep.Requirements.Find(social.ReqGovMark); r.Met() {
		fmt.Fprintf(w, "result: %s carries the «Госорганизация» mark (%s)\n", g.Name, r.Detail)
	} else {
		return fmt.Errorf("the mark is not confirmed: %s", r.Detail)
	}
	return nil
}

// printReport prints a requirement report, one line a requirement.
func printReport(w io.Writer, title string, rep *vk.CommunityReport) {
	fmt.Fprintln(w, title)
	for _, r := range rep.Requirements {
		mark := "ok"
		switch r.Status {
		case social.RequirementNotMet:
			mark = "MISSING"
		case social.RequirementUnverifiable:
			mark = "check by hand"
		}
		fmt.Fprintf(w, "  [%s] %s (%s): %s\n", mark, r.Name, r.Code, r.Detail)
	}
	fmt.Fprintf(w, "  blue check (verified, not the mark): %t\n", rep.Verified)
}

// flag prints is_government_organization as VK sent it.
func flag(g *vk.Group) string {
	marked, known := g.GovMark()
	if !known {
		return "not returned"
	}
	return strconv.FormatBool(marked)
}
