// Command ok-verification takes a ministry's OK group through the
// «Госорганизация» verification with the ok client against the gosdk
// sandbox, in-process and offline:
//
//	go run ./examples/ok-verification
//
// It starts the sandbox (mock.New) with the default organisation and OK
// group, seeded as a group whose settings are not finished yet: closed,
// with no city, under a topic that is not «Госорганизация», and with the
// administrator's «Двойная защита» off. Then it
//
//  1. reads the requirement report through the ok client (CheckGroup):
//     what is met, what is missing, and what OK's API cannot show; and
//     the group's settings page, where the «Подтвердить через Госуслуги»
//     button is inactive and says why;
//  2. fixes what is missing. OK's API has no method that edits a group's
//     settings or a person's account, so every fix is made as the group's
//     administrator would make it on ok.ru: here through the sandbox's Go
//     helpers (World.ModifyPage, World.UpdatePerson);
//  3. reads the report again and presses the now active button on the
//     settings page, following the redirects as a browser would: to the
//     ESIA emulator, where the administrator logs in as the ministry's
//     chief (a headless login, esiamock.Login), and back to OK, which
//     checks her authority and puts the group under review
//     («Рассматривается»);
//  4. moves the world clock past the 24-hour review and reads the
//     group's gos_org flag back through the ok client: confirmed.
//
// It ends with a summary of the OK emulator's request journal.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
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
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/social"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ok-verification:", err)
		os.Exit(1)
	}
}

// unfinishedScenario is the sandbox's default world with the ministry's OK
// group as it stands before its settings are finished.
func unfinishedScenario() (world.Scenario, error) {
	sc := mock.DefaultScenario()
	found := false
	for i := range sc.Pages {
		p := &sc.Pages[i]
		if p.Network == world.NetworkOK && p.ID == okmock.DefaultGroupID {
			p.Open, p.City, p.Topic = false, "", "Общество"
			found = true
		}
	}
	for i := range sc.People {
		if sc.People[i].OID != world.DefaultChiefOID {
			continue
		}
		a := sc.People[i].Accounts[world.NetworkOK]
		a.TwoFactor = false
		sc.People[i].Accounts[world.NetworkOK] = a
	}
	if !found {
		return sc, errors.New("the default scenario has no OK group")
	}
	return sc, nil
}

// run is the whole program; it writes its report to w.
func run(ctx context.Context, w io.Writer) error {
	sc, err := unfinishedScenario()
	if err != nil {
		return err
	}
	sb, err := mock.New(mock.WithParties("esia", "ok"), mock.WithScenario(sc))
	if err != nil {
		return err
	}
	defer sb.Close()
	cr := sb.Credentials.OK
	gid := strconv.FormatInt(cr.GroupID, 10)
	fmt.Fprintf(w, "sandbox: OK API emulator at %s, ESIA emulator at %s\n", sb.OKURL, sb.ESIAURL)

	// The sandbox's HTTP client refuses every host that is not a sandbox
	// listener, so nothing can reach the real OK. The client reads the
	// world clock, on which the emulator's tokens expire.
	client, err := ok.New(ok.Credentials{
		ApplicationKey:       cr.ApplicationKey,
		ApplicationSecretKey: cr.ApplicationSecret,
		AccessToken:          cr.AccessToken,
		SessionSecretKey:     cr.SessionSecret,
	}, core.WithBaseURL(sb.OKURL), core.WithHTTPClient(sb.HTTPClient()), core.WithClock(core.NowFunc(sb.Clock.Now)))
	if err != nil {
		return err
	}
	g, err := client.GetGroup(ctx, gid, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "group: %s (id %s), access %s\n", g.Name, g.UID, g.AccessType)
	chief, err := sb.World.Person(world.DefaultChiefOID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "administrator: %s %s (OK user %d)\n", chief.FirstName, chief.LastName, cr.UserID)

	// 1. The requirement report, as the API shows it.
	rs, err := client.CheckGroup(ctx, gid)
	if err != nil {
		return err
	}
	printReport(w, "\nrequirements of the group, as seeded:", rs)
	// The group's settings page on ok.ru, as the administrator sees it
	// (her browser session is her access token).
	settings := &govpage.OK{HC: sb.HTTPClient(), URL: sb.OKURL + "/group/" + gid + "/settings?access_token=" + url.QueryEscape(cr.AccessToken)}
	page, err := settings.Get(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "settings page: state status «%s», «Подтвердить через Госуслуги» %s, %d condition(s) unmet:\n",
		page.Status, activity(page.Active), len(page.Unmet))
	for _, c := range page.Unmet {
		fmt.Fprintf(w, "  - %s\n", c)
	}
	if _, err := settings.Press(ctx); errors.Is(err, govpage.ErrRefused) {
		fmt.Fprintln(w, "pressing the button now: refused, the conditions are not met")
	} else {
		return fmt.Errorf("the inactive button was accepted: %v", err)
	}

	// 2. Fix what is missing: what the report marks missing, and what it
	// cannot see but the settings page names (an empty city is not
	// returned at all; «Двойная защита» is never visible through the API).
	// OK's API changes no group setting and no account, so the
	// administrator does it on ok.ru.
	fmt.Fprintln(w, "\nfixing what is missing (OK's API cannot change group settings: the administrator does it on ok.ru):")
	for _, c := range page.Unmet {
		what, err := fix(sb, cr.GroupID, world.DefaultChiefOID, c)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s\n", what)
	}

	// 3. Check again and press the button.
	rs, err = client.CheckGroup(ctx, gid)
	if err != nil {
		return err
	}
	printReport(w, "\nrequirements after the fixes:", rs)
	for _, r := range rs.NotMet() {
		if r.Code != social.ReqGovMark {
			return fmt.Errorf("still missing after the fixes: %s", r.Code)
		}
	}
	if page, err = settings.Get(ctx); err != nil {
		return err
	} else if !page.Active {
		return fmt.Errorf("the button is still inactive: %v", page.Unmet)
	}
	fmt.Fprintf(w, "settings page: «Подтвердить через Госуслуги» %s\n", activity(page.Active))

	// Pressing it sends the browser to Gosuslugi (the ESIA emulator),
	// where the administrator logs in and picks the organisation; here
	// the login is headless: the emulator logs the chief in for the
	// ministry and redirects straight back to OK's callback.
	ministry, err := sb.World.Organization(world.DefaultMinistryOID)
	if err != nil {
		return err
	}
	sb.ESIA.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultChiefOID, OrgOID: world.DefaultMinistryOID})
	hops, err := settings.Press(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "pressed «Подтвердить через Госуслуги»; the browser went through:")
	names := strings.NewReplacer(strings.TrimPrefix(sb.ESIAURL, "http://"), "Gosuslugi (ESIA emulator) ",
		strings.TrimPrefix(sb.OKURL, "http://"), "OK ")
	for _, h := range hops {
		fmt.Fprintf(w, "  %s\n", names.Replace(h))
	}
	fmt.Fprintf(w, "Gosuslugi: logged in at the ESIA emulator as the chief of %s (OGRN %s)\n", ministry.ShortName, ministry.OGRN)
	if page, err = settings.Get(ctx); err != nil {
		return err
	}
	p, err := sb.World.Page(world.NetworkOK, cr.GroupID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "settings page: state status «%s» since %s (world clock), button %s\n",
		page.Status, p.Gov.Since.UTC().Format("2006-01-02 15:04"), activity(page.Active))
	if g, err = client.GetGroup(ctx, gid, []string{"uid", "name", "gos_org"}); err != nil {
		return err
	}
	fmt.Fprintf(w, "gos_org through the API while under review: %s\n", flag(g.GosOrg))

	// 4. OK decides within 24 hours: move the world clock past it.
	sb.Clock.Advance(govmark.DefaultReviewDelay)
	fmt.Fprintf(w, "\nworld clock advanced by %s to %s\n", govmark.DefaultReviewDelay, sb.Clock.Now().UTC().Format("2006-01-02 15:04"))
	if page, err = settings.Get(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "settings page: state status «%s»\n", page.Status)
	if g, err = client.GetGroup(ctx, gid, []string{"uid", "name", "gos_org"}); err != nil {
		return err
	}
	fmt.Fprintf(w, "gos_org through the API: %s\n", flag(g.GosOrg))
	rs, err = client.CheckGroup(ctx, gid)
	if err != nil {
		return err
	}
	if r, _ := rs.Find(social.ReqGovMark); r.Met() {
		fmt.Fprintf(w, "result: %s carries the «Госорганизация» mark (%s)\n", g.Name, r.Detail)
	} else {
		return fmt.Errorf("the mark is not confirmed: %s", r.Detail)
	}

	fmt.Fprintln(w, "\njournal of the OK emulator (requests per method × HTTP status):")
	for _, line := range world.Summary(sb.Journal.Entries(world.Filter{Party: okmock.PartyName})) {
		fmt.Fprintln(w, "  "+line)
	}
	return nil
}

// printReport prints a requirement report, one line a requirement.
func printReport(w io.Writer, title string, rs social.Requirements) {
	fmt.Fprintln(w, title)
	for _, r := range rs {
		mark := "ok"
		switch r.Status {
		case social.RequirementNotMet:
			mark = "MISSING"
		case social.RequirementUnverifiable:
			mark = "check by hand"
		}
		fmt.Fprintf(w, "  [%s] %s (%s): %s\n", mark, r.Name, r.Code, r.Detail)
	}
}

// fix makes one of the settings page's unmet conditions hold, as the
// group's administrator would on ok.ru (here through the sandbox's Go
// helpers), and says what it did.
func fix(sb *mock.Sandbox, groupID, personOID int64, condition string) (string, error) {
	if condition == okmock.CondTwoFactor || condition == okmock.CondAdmins2FA {
		per, err := sb.World.Person(personOID)
		if err != nil {
			return "", err
		}
		a := per.Accounts[world.NetworkOK]
		a.TwoFactor = true
		per.Accounts[world.NetworkOK] = a
		return "«Двойная защита» turned on in the administrator's OK settings", sb.World.UpdatePerson(per)
	}
	var what string
	err := sb.World.ModifyPage(world.NetworkOK, groupID, func(p *world.Page) error {
		switch condition {
		case okmock.CondOpen:
			p.Open, what = true, "access type set to «Открытая»"
		case okmock.CondCity:
			p.City, what = "Архангельск", "city set to Архангельск"
		case okmock.CondCategory:
			p.Topic, what = okmock.CategoryGov, "topic set to «"+okmock.CategoryGov+"»"
		case okmock.CondPhoto:
			p.PhotoURL, what = "https://i.mycdn.me/i?r=ministry-logo", "main photo uploaded"
		case okmock.CondDesc:
			p.Description, what = "Официальная группа министерства", "description filled in"
		default:
			return fmt.Errorf("no fix for %q", condition)
		}
		return nil
	})
	return what, err
}

// activity words a button's state.
func activity(active bool) string {
	if active {
		return "is active"
	}
	return "is inactive"
}

// flag prints an optional boolean.
func flag(b *bool) string {
	if b == nil {
		return "not returned"
	}
	return strconv.FormatBool(*b)
}
