package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/examples/internal/govpage"
	"github.com/gospubliki/gosdk/examples/internal/narrate"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/govmark"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/vk"
)

// flow is the story's state, carried from step to step.
type flow struct {
	sb *mock.Sandbox
	n  *narrate.Narrator

	vk       *vk.Client
	ok       *ok.Client
	vkPage   *govpage.VK
	okPage   *govpage.OK
	ministry world.Organization

	creds                    mock.GospublikiCredentials
	admin, editor, moderator *gospubliki.Client
	targets                  []string
	postID                   int64
	copies                   [3]int
	vkPost                   int64 // the post's id on the VK wall
}

// requirements words a requirement report: how many are met, and which
// are missing or can be checked only by hand.
func requirements(rs social.Requirements) (string, []string) {
	var met int
	var missing, manual []string
	for _, r := range rs {
		switch r.Status {
		case social.RequirementNotMet:
			missing = append(missing, string(r.Code))
		case social.RequirementUnverifiable:
			manual = append(manual, string(r.Code))
		default:
			met++
		}
	}
	s := fmt.Sprintf("%d of %d met", met, len(rs))
	if len(missing) > 0 {
		s += ", missing: " + strings.Join(missing, ", ")
	}
	if len(manual) > 0 {
		s += ", by hand: " + strings.Join(manual, ", ")
	}
	return s, missing
}

// onlyMark reports whether the «Госорганизация» mark is all that is
// missing.
func onlyMark(missing []string) bool {
	for _, m := range missing {
		if m != string(social.ReqGovMark) {
			return false
		}
	}
	return true
}

// hopNames names the sandbox's listeners in a browser's hops.
func (f *flow) hopNames(hops []string) string {
	r := strings.NewReplacer(strings.TrimPrefix(f.sb.ESIAURL, "http://"), "Gosuslugi ",
		strings.TrimPrefix(f.sb.VKURL, "http://"), "VK ", strings.TrimPrefix(f.sb.OKURL, "http://"), "OK ")
	out := make([]string, len(hops))
	for i, h := range hops {
		out[i] = r.Replace(h)
	}
	return strings.Join(out, " → ")
}

// verifyVK checks the VK community and presses «Подтвердить через
// Госуслуги» on its management page.
func (f *flow) verifyVK(ctx context.Context) error {
	sb, cr := f.sb, f.sb.Credentials.VK
	f.n.Step("VK: the ministry's community asks for the «Госорганизация» mark through Gosuslugi")
	var err error
	f.vk, err = vk.New(cr.UserToken, vk.UserToken, core.WithBaseURL(sb.VKURL), core.WithHTTPClient(sb.HTTPClient()))
	if err != nil {
		return err
	}
	if f.ministry, err = sb.World.Organization(world.DefaultMinistryOID); err != nil {
		return err
	}
	rep, err := f.vk.CheckCommunity(ctx, cr.GroupID)
	if err != nil {
		return err
	}
	f.n.Say("community: %s (vk.com/%s)", rep.Name, cr.ScreenName)
	words, missing := requirements(rep.Requirements)
	f.n.Checked("VK's requirements through the API (groups.getById, groups.getSettings, managers)", words)
	if !onlyMark(missing) {
		if err := f.fixVK(ctx, missing); err != nil {
			return err
		}
		if rep, err = f.vk.CheckCommunity(ctx, cr.GroupID); err != nil {
			return err
		}
		words, missing = requirements(rep.Requirements)
		f.n.Checked("VK's requirements again", words)
		if !onlyMark(missing) {
			return fmt.Errorf("the community is not ready for the mark: missing %v", missing)
		}
	}
	f.vkPage = &govpage.VK{HC: sb.HTTPClient(), Base: sb.VKURL, Group: cr.GroupID, Token: cr.UserToken}
	page, err := f.vkPage.Get(ctx)
	if err != nil {
		return err
	}
	f.n.Checked("the management page", fmt.Sprintf("status «%s», %d thing(s) VK's reviewers would refuse", page.Status, len(page.Missing)))
	if len(page.Missing) > 0 {
		return fmt.Errorf("the management page lists: %v", page.Missing)
	}
	sb.ESIA.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultChiefOID, OrgOID: world.DefaultMinistryOID, ClientID: mock.VKESIAClientID})
	hops, title, err := f.vkPage.Press(ctx)
	if err != nil {
		return err
	}
	f.n.Say("pressed «Подтвердить через Госуслуги»: %s", f.hopNames(hops))
	f.n.Checked("Gosuslugi", fmt.Sprintf("the chief of %s (OGRN %s) logged in and confirmed her authority", f.ministry.ShortName, f.ministry.OGRN))
	f.n.Result("VK: «%s»", title)
	return nil
}

// verifyOK checks the OK group and presses «Подтвердить через
// Госуслуги» on its settings page.
func (f *flow) verifyOK(ctx context.Context) error {
	sb, cr := f.sb, f.sb.Credentials.OK
	f.n.Step("OK: the ministry's group asks for the «Госорганизация» mark through Gosuslugi")
	var err error
	f.ok, err = ok.New(ok.Credentials{ApplicationKey: cr.ApplicationKey, ApplicationSecretKey: cr.ApplicationSecret,
		AccessToken: cr.AccessToken, SessionSecretKey: cr.SessionSecret},
		core.WithBaseURL(sb.OKURL), core.WithHTTPClient(sb.HTTPClient()), core.WithClock(core.NowFunc(sb.Clock.Now)))
	if err != nil {
		return err
	}
	gid := strconv.FormatInt(cr.GroupID, 10)
	g, err := f.ok.GetGroup(ctx, gid, nil)
	if err != nil {
		return err
	}
	f.n.Say("group: %s (id %s), access %s", g.Name, g.UID, g.AccessType)
	rs, err := f.ok.CheckGroup(ctx, gid)
	if err != nil {
		return err
	}
	words, missing := requirements(rs)
	f.n.Checked("OK's requirements through the API (group.getInfo, group.getUserGroupsByIds)", words)
	if !onlyMark(missing) {
		return fmt.Errorf("the group is not ready for the mark: missing %v", missing)
	}
	f.okPage = &govpage.OK{HC: sb.HTTPClient(), URL: sb.OKURL + "/group/" + gid + "/settings?access_token=" + cr.AccessToken}
	page, err := f.okPage.Get(ctx)
	if err != nil {
		return err
	}
	f.n.Checked("the settings page", fmt.Sprintf("status «%s», button %s, %d condition(s) unmet", page.Status, activity(page.Active), len(page.Unmet)))
	if !page.Active {
		return fmt.Errorf("the button is inactive: %v", page.Unmet)
	}
	sb.ESIA.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultChiefOID, OrgOID: world.DefaultMinistryOID})
	hops, err := f.okPage.Press(ctx)
	if err != nil {
		return err
	}
	f.n.Say("pressed «Подтвердить через Госуслуги»: %s", f.hopNames(hops))
	if page, err = f.okPage.Get(ctx); err != nil {
		return err
	}
	f.n.Checked("Gosuslugi", fmt.Sprintf("the chief of %s logged in and confirmed her authority", f.ministry.ShortName))
	f.n.Result("OK: «%s»", page.Status)
	return nil
}

// review moves the sandbox clock through the networks' 24-hour review,
// an hour at a time, and reads both marks back through the APIs.
func (f *flow) review(ctx context.Context) error {
	f.n.Step("the networks review both requests (up to 24 hours; the sandbox clock moves, nobody waits)")
	bar := f.n.Bar("review")
	steps := int(govmark.DefaultReviewDelay / time.Hour)
	for h := 1; h <= steps; h++ {
		f.sb.Clock.Advance(time.Hour)
		bar(h, steps)
	}
	f.n.Say("sandbox clock: %s", f.sb.Clock.Now().UTC().Format(clockLayout))
	g, err := f.vk.GetGroup(ctx, f.sb.Credentials.VK.GroupID)
	if err != nil {
		return err
	}
	vkMark, _ := g.GovMark()
	page, err := f.vkPage.Get(ctx)
	if err != nil {
		return err
	}
	f.n.Checked("VK", fmt.Sprintf("is_government_organization %t, management page «%s»", vkMark, page.Status))
	gid := strconv.FormatInt(f.sb.Credentials.OK.GroupID, 10)
	og, err := f.ok.GetGroup(ctx, gid, []string{"uid", "name", "gos_org"})
	if err != nil {
		return err
	}
	okMark := og.GosOrg != nil && *og.GosOrg
	op, err := f.okPage.Get(ctx)
	if err != nil {
		return err
	}
	f.n.Checked("OK", fmt.Sprintf("gos_org %t, settings page «%s»", okMark, op.Status))
	if !vkMark || !okMark {
		return fmt.Errorf("a mark is not confirmed: VK %t, OK %t", vkMark, okMark)
	}
	f.n.Result("both pages carry the «Госорганизация» mark")
	return nil
}

// activity words a button's state.
func activity(active bool) string {
	if active {
		return "active"
	}
	return "inactive"
}

// arkhangelsk is VK's city id of Архангельск (database.getCities).
const arkhangelsk = 10

// fixVK fixes through groups.edit what VK's requirements list as missing
// and the API can change: the description, the city and the category
// (found by name in public_category_list: VK does not document its id).
func (f *flow) fixVK(ctx context.Context, missing []string) error {
	gid := f.sb.Credentials.VK.GroupID
	edit := vk.EditGroupRequest{GroupID: gid}
	var did []string
	for _, m := range missing {
		switch social.RequirementCode(m) {
		case social.ReqGovMark:
		case social.ReqDescription:
			edit.Description = "Официальное сообщество " + f.ministry.ShortName
			did = append(did, "description filled in")
		case social.ReqCity:
			city := int64(arkhangelsk)
			edit.City = &city
			did = append(did, "city set to Архангельск")
		case social.ReqCategoryGovernment:
			st, err := f.vk.GroupsGetSettings(ctx, gid)
			if err != nil {
				return err
			}
			cat, ok := vk.GovCategoryID(st.PublicCategoryList)
			if !ok {
				return fmt.Errorf("public_category_list has no «Государственная организация»")
			}
			edit.PublicCategory = &cat
			did = append(did, fmt.Sprintf("category set to «Государственная организация» (id %d, found by name)", cat))
		default:
			return fmt.Errorf("no fix through the API for %s", m)
		}
	}
	if err := f.vk.GroupsEdit(ctx, edit); err != nil {
		return err
	}
	f.n.Say("fixed through the API (groups.edit): %s", strings.Join(did, "; "))
	return nil
}
