package gospubliki_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// Organisations of the fixture's world: the cabinets A and B, and a
// regional ministry (editorial cabinet) with a subordinate institution.
const (
	orgA           = 1000001
	orgB           = 2000002
	orgMinistry    = 3000003
	orgSubordinate = 3000004
)

// fixtureWorld returns a world holding the fixture's organisations.
func fixtureWorld(t *testing.T) *world.World {
	t.Helper()
	w, err := world.New(world.WithEmptyScenario())
	require.NoError(t, err)
	for _, o := range []world.Organization{
		{OID: orgA, FullName: "Организация A", Type: world.OrgAgency, AgencyType: world.AgencyRegional},
		{OID: orgB, FullName: "Организация B", Type: world.OrgAgency, AgencyType: world.AgencyRegional},
		{OID: orgMinistry, FullName: "Министерство", Type: world.OrgAgency, AgencyType: world.AgencyRegional},
		{OID: orgSubordinate, FullName: "ГБУ", Type: world.OrgAgency, AgencyType: world.AgencyGovernment, ParentOID: orgMinistry},
	} {
		require.NoError(t, w.AddOrganization(o))
	}
	return w
}

// planCabinets are the editorial cabinet and its subordinate of a
// fixture, and a receiver of webhooks answering 204.
type planCabinets struct {
	ed, sub cabinetUsers
	hookURL string
	clients map[int64]*gospubliki.Client
}

var (
	planMu sync.Mutex
	planFx = map[*fixture]*planCabinets{}
)

// seedKind adds a cabinet of kind with an LKO administrator, an editor
// and a moderator.
func (f *fixture) seedKind(kind string, oid int64, phonePrefix string) cabinetUsers {
	cb, err := f.srv.AddCabinet(kind, oid, fmt.Sprint("Организация ", oid))
	require.NoError(f.t, err)
	cu := cabinetUsers{cabinet: cb}
	for i, p := range []struct {
		role string
		u    *gpmock.User
	}{{gpmock.RoleLKOAdmin, &cu.admin}, {gpmock.RoleEditor, &cu.editor}, {gpmock.RoleModerator, &cu.moderator}} {
		u, err := f.srv.AddUser(cb.ID, gpmock.User{Phone: phonePrefix + string(rune('0'+i)), Email: fmt.Sprintf("%s@%d.example", p.role, oid),
			Name: p.role, Role: p.role}, password)
		require.NoError(f.t, err)
		*p.u = u
	}
	return cu
}

// planning returns the fixture's editorial cabinet and its subordinate,
// made on first use.
func (f *fixture) planning() *planCabinets {
	planMu.Lock()
	defer planMu.Unlock()
	if pc := planFx[f]; pc != nil {
		return pc
	}
	pc := &planCabinets{ed: f.seedKind(gpmock.KindEditorial, orgMinistry, "+79990000003"),
		sub: f.seedKind(gpmock.KindInstitution, orgSubordinate, "+79990000004"), clients: map[int64]*gospubliki.Client{}}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	f.t.Cleanup(hs.Close)
	pc.hookURL = hs.URL + "/hook"
	planFx[f] = pc
	return pc
}

// as returns a client logged in as u, kept for the fixture's preparations
// (one login per user).
func (f *fixture) as(u gpmock.User) *gospubliki.Client {
	pc := f.planning()
	planMu.Lock()
	c := pc.clients[u.ID]
	planMu.Unlock()
	if c == nil {
		c = f.client(u)
		planMu.Lock()
		pc.clients[u.ID] = c
		planMu.Unlock()
	}
	return c
}

func (e env) planEntry() int64 {
	p, err := e.f.as(e.cu.editor).CreatePlanEntry(context.Background(), planInput(coretest.Epoch, "Тема"))
	require.NoError(e.f.t, err)
	return p.ID
}

func planInput(start time.Time, topic string) gospubliki.PlanInput {
	return gospubliki.PlanInput{StartsAt: gospubliki.Ptr(start), EndsAt: gospubliki.Ptr(start.Add(2 * time.Hour)), Topic: gospubliki.Ptr(topic)}
}

func (e env) template() int64 {
	t, err := e.f.as(e.cu.editor).CreateTemplate(context.Background(), gospubliki.TemplateInput{Name: gospubliki.Ptr("Анонс"),
		Text: gospubliki.Ptr("{{event}} пройдёт {{date}}")})
	require.NoError(e.f.t, err)
	return t.ID
}

// channel returns a new channel of the editorial cabinet.
func (e env) channel() int64 {
	pc := e.f.planning()
	ch, err := e.f.as(pc.ed.editor).CreateChannel(context.Background(), gospubliki.ChannelInput{Title: "Образование", Topic: "школы"})
	require.NoError(e.f.t, err)
	return ch.ID
}

// channelItem returns a new item of a new channel of the editorial
// cabinet.
func (e env) channelItem() int64 {
	pc := e.f.planning()
	it, err := e.f.as(pc.ed.editor).PublishChannelItem(context.Background(), e.channel(),
		gospubliki.ChannelItemInput{Title: "1 сентября", Text: "Готовый текст к 1 сентября"})
	require.NoError(e.f.t, err)
	return it.ID
}

func (e env) webhook() int64 {
	w, err := e.f.as(e.cu.admin).CreateWebhook(context.Background(), gospubliki.WebhookInput{URL: e.f.planning().hookURL,
		Events: []string{"post.approved"}})
	require.NoError(e.f.t, err)
	return w.ID
}

// opCabinet names the cabinet whose users call an operation in the role
// matrix, when it is not the fixture's cabinet A.
var opCabinet = map[string]func(f *fixture) cabinetUsers{
	"createChannel":      func(f *fixture) cabinetUsers { return f.planning().ed },
	"publishChannelItem": func(f *fixture) cabinetUsers { return f.planning().ed },
	"subscribeChannel":   func(f *fixture) cabinetUsers { return f.planning().sub },
	"unsubscribeChannel": func(f *fixture) cabinetUsers { return f.planning().sub },
	"listChannelItems":   func(f *fixture) cabinetUsers { return f.planning().sub },
	"takeChannelItem":    func(f *fixture) cabinetUsers { return f.planning().sub },
}

func init() {
	maps.Copy(ops, planOps)
}

var planOps = map[string]apiOp{
	"listPlan": {"ListPlan", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.ListPlan(ctx, gospubliki.PlanFilter{})
		return err
	}},
	"createPlanEntry": {"CreatePlanEntry", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.CreatePlanEntry(ctx, planInput(coretest.Epoch, "День знаний"))
		return err
	}},
	"getPlanEntry": {"PlanEntry", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.PlanEntry(ctx, e.planEntry())
		return err
	}},
	"updatePlanEntry": {"UpdatePlanEntry", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.UpdatePlanEntry(ctx, e.planEntry(), gospubliki.PlanInput{Status: gospubliki.Ptr(gospubliki.PlanDone)})
		return err
	}},
	"deletePlanEntry": {"DeletePlanEntry", func(ctx context.Context, c *gospubliki.Client, e env) error {
		return c.DeletePlanEntry(ctx, e.planEntry())
	}},
	"listTemplates": {"Templates", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Templates(ctx)
		return err
	}},
	"createTemplate": {"CreateTemplate", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.CreateTemplate(ctx, gospubliki.TemplateInput{Name: gospubliki.Ptr("Шаблон"), Text: gospubliki.Ptr("Текст {{x}}")})
		return err
	}},
	"getTemplate": {"Template", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Template(ctx, e.template())
		return err
	}},
	"updateTemplate": {"UpdateTemplate", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.UpdateTemplate(ctx, e.template(), gospubliki.TemplateInput{Urgency: gospubliki.Ptr(gospubliki.UrgencyRed)})
		return err
	}},
	"deleteTemplate": {"DeleteTemplate", func(ctx context.Context, c *gospubliki.Client, e env) error {
		return c.DeleteTemplate(ctx, e.template())
	}},
	"createPostFromTemplate": {"CreatePostFromTemplate", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.CreatePostFromTemplate(ctx, e.template(), gospubliki.FromTemplateRequest{
			Values: map[string]string{"event": "Субботник", "date": "в субботу"}})
		return err
	}},
	"listChannels": {"Channels", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Channels(ctx)
		return err
	}},
	"createChannel": {"CreateChannel", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.CreateChannel(ctx, gospubliki.ChannelInput{Title: "Здравоохранение"})
		return err
	}},
	"subscribeChannel": {"SubscribeChannel", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.SubscribeChannel(ctx, e.channel())
		return err
	}},
	"unsubscribeChannel": {"UnsubscribeChannel", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.UnsubscribeChannel(ctx, e.channel())
		return err
	}},
	"listChannelItems": {"ListChannelItems", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.ListChannelItems(ctx, e.channel(), gospubliki.PageRequest{})
		return err
	}},
	"publishChannelItem": {"PublishChannelItem", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.PublishChannelItem(ctx, e.channel(), gospubliki.ChannelItemInput{Title: "Прививки", Text: "Текст о прививках"})
		return err
	}},
	"takeChannelItem": {"TakeChannelItem", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.TakeChannelItem(ctx, e.channelItem(), gospubliki.TakeRequest{Targets: []string{"vk:-5"}})
		return err
	}},
	"listWebhooks": {"Webhooks", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Webhooks(ctx)
		return err
	}},
	"createWebhook": {"CreateWebhook", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.CreateWebhook(ctx, gospubliki.WebhookInput{URL: e.f.planning().hookURL, Events: []string{"*"}})
		return err
	}},
	"getWebhook": {"Webhook", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Webhook(ctx, e.webhook())
		return err
	}},
	"deleteWebhook": {"DeleteWebhook", func(ctx context.Context, c *gospubliki.Client, e env) error {
		return c.DeleteWebhook(ctx, e.webhook())
	}},
	"listWebhookDeliveries": {"ListWebhookDeliveries", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.ListWebhookDeliveries(ctx, e.webhook(), gospubliki.PageRequest{})
		return err
	}},
}

// TestPlanningIsolation: cabinet B's users get not_found (or forbidden by
// role) on A's plan entries, templates and webhooks and see none of them
// in lists; a cabinet outside an editorial cabinet's subordination sees
// none of its channels, items or shared templates.
func TestPlanningIsolation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ea := env{f: f, cu: f.a}
	entry, tmpl, hook := ea.planEntry(), ea.template(), ea.webhook()
	pc := f.planning()
	ee := env{f: f, cu: pc.ed}
	ch := ee.channel()
	item := ee.channelItem()
	shared, err := f.client(pc.ed.editor).CreateTemplate(ctx, gospubliki.TemplateInput{Name: gospubliki.Ptr("Общий"),
		Text: gospubliki.Ptr("Общий текст"), Shared: gospubliki.Ptr(true)})
	require.NoError(t, err)

	for _, u := range []gpmock.User{f.b.admin, f.b.editor, f.b.moderator} {
		c := f.client(u)
		refused := func(err error) {
			t.Helper()
			var e *gospubliki.Error
			require.ErrorAs(t, err, &e)
			if e.Code == gospubliki.CodeForbidden {
				return
			}
			require.Equal(t, gospubliki.CodeNotFound, e.Code, "%s: %v", u.Role, err)
		}
		_, err := c.PlanEntry(ctx, entry)
		refused(err)
		_, err = c.UpdatePlanEntry(ctx, entry, gospubliki.PlanInput{Topic: gospubliki.Ptr("взлом")})
		refused(err)
		refused(c.DeletePlanEntry(ctx, entry))
		for _, id := range []int64{tmpl, shared.ID} {
			_, err = c.Template(ctx, id)
			refused(err)
			_, err = c.UpdateTemplate(ctx, id, gospubliki.TemplateInput{Text: gospubliki.Ptr("взлом")})
			refused(err)
			refused(c.DeleteTemplate(ctx, id))
			_, err = c.CreatePostFromTemplate(ctx, id, gospubliki.FromTemplateRequest{Values: map[string]string{"event": "x", "date": "y"}})
			refused(err)
		}
		_, err = c.Webhook(ctx, hook)
		refused(err)
		refused(c.DeleteWebhook(ctx, hook))
		_, err = c.ListWebhookDeliveries(ctx, hook, gospubliki.PageRequest{})
		refused(err)
		_, err = c.SubscribeChannel(ctx, ch)
		refused(err)
		_, err = c.UnsubscribeChannel(ctx, ch)
		refused(err)
		_, err = c.ListChannelItems(ctx, ch, gospubliki.PageRequest{})
		refused(err)
		_, err = c.PublishChannelItem(ctx, ch, gospubliki.ChannelItemInput{Title: "x", Text: "взлом"})
		refused(err)
		_, err = c.TakeChannelItem(ctx, item, gospubliki.TakeRequest{})
		refused(err)

		plan, err := c.ListPlan(ctx, gospubliki.PlanFilter{})
		require.NoError(t, err)
		require.Empty(t, plan.Items)
		if u.Role == gpmock.RoleLKOAdmin {
			hooks, err := c.Webhooks(ctx)
			require.NoError(t, err)
			require.Empty(t, hooks)
			continue
		}
		tl, err := c.Templates(ctx)
		require.NoError(t, err)
		require.Empty(t, tl)
		cl, err := c.Channels(ctx)
		require.NoError(t, err)
		require.Empty(t, cl)
	}
	// A's resources are untouched.
	e, err := f.client(f.a.moderator).PlanEntry(ctx, entry)
	require.NoError(t, err)
	require.Equal(t, "Тема", e.Topic)
	tp, err := f.client(f.a.editor).Template(ctx, tmpl)
	require.NoError(t, err)
	require.Equal(t, "{{event}} пройдёт {{date}}", tp.Text)
	_, err = f.client(f.a.admin).Webhook(ctx, hook)
	require.NoError(t, err)
	// The subordinate reads the shared template but cannot change it, nor
	// publish into its superior's channel.
	sc := f.client(pc.sub.editor)
	_, err = sc.Template(ctx, shared.ID)
	require.NoError(t, err)
	_, err = sc.UpdateTemplate(ctx, shared.ID, gospubliki.TemplateInput{Text: gospubliki.Ptr("взлом")})
	requireCode(t, err, gospubliki.CodeNotFound)
	requireCode(t, sc.DeleteTemplate(ctx, shared.ID), gospubliki.CodeNotFound)
	_, err = sc.PublishChannelItem(ctx, ch, gospubliki.ChannelItemInput{Title: "x", Text: "взлом"})
	requireCode(t, err, gospubliki.CodeNotFound)
	// The editorial cabinet cannot take its own item nor subscribe to its
	// own channel.
	ec := f.client(pc.ed.editor)
	_, err = ec.TakeChannelItem(ctx, item, gospubliki.TakeRequest{})
	requireCode(t, err, gospubliki.CodeNotFound)
	_, err = ec.SubscribeChannel(ctx, ch)
	requireCode(t, err, gospubliki.CodeConflict)
	// An institution cannot open a channel.
	_, err = f.client(f.a.editor).CreateChannel(ctx, gospubliki.ChannelInput{Title: "x"})
	requireCode(t, err, gospubliki.CodeForbidden)

	// A's webhook hears A's approvals only (the delivery is logged as the
	// event happens).
	env{f: f, cu: f.b}.post(gospubliki.PostApproved)
	log, err := f.client(f.a.admin).ListWebhookDeliveries(ctx, hook, gospubliki.PageRequest{})
	require.NoError(t, err)
	require.Empty(t, log.Items)
	ea.post(gospubliki.PostApproved)
	log, err = f.client(f.a.admin).ListWebhookDeliveries(ctx, hook, gospubliki.PageRequest{})
	require.NoError(t, err)
	require.Len(t, log.Items, 1)
	require.Equal(t, "post.approved", log.Items[0].EventType)
}

// TestContentPlan: entries listed by period and start time across pages,
// linked posts of the cabinet only, validation, status changes, deletion;
// moderators and LKO administrators read, only editors write.
func TestContentPlan(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ed := f.client(f.a.editor)
	day := coretest.Epoch.Truncate(24 * time.Hour)
	var ids []int64
	for i := range 7 { // one entry a day, created in reverse order
		start := day.Add(time.Duration(6-i) * 24 * time.Hour).Add(10 * time.Hour)
		e, err := ed.CreatePlanEntry(ctx, planInput(start, fmt.Sprint("День ", 6-i)))
		require.NoError(t, err)
		require.Equal(t, gospubliki.PlanPlanned, e.Status)
		require.Equal(t, gospubliki.UrgencyGreen, e.Urgency)
		ids = append(ids, e.ID)
	}
	// Days 1 to 4 by start time, three a page.
	var topics []string
	for e, err := range f.client(f.a.moderator).Plan(ctx, gospubliki.PlanFilter{From: day.Add(24 * time.Hour), To: day.Add(5 * 24 * time.Hour), Limit: 3}) {
		require.NoError(t, err)
		topics = append(topics, e.Topic)
	}
	require.Equal(t, []string{"День 1", "День 2", "День 3", "День 4"}, topics)
	page, err := f.client(f.a.admin).ListPlan(ctx, gospubliki.PlanFilter{Limit: 3})
	require.NoError(t, err)
	require.Len(t, page.Items, 3)
	require.NotEmpty(t, page.NextCursor)
	require.Equal(t, "День 0", page.Items[0].Topic)

	// Linked posts: the cabinet's own only.
	post, err := ed.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Пост")})
	require.NoError(t, err)
	other, err := f.client(f.b.editor).CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Чужой")})
	require.NoError(t, err)
	e, err := ed.UpdatePlanEntry(ctx, ids[0], gospubliki.PlanInput{PostIDs: []int64{post.ID}, Status: gospubliki.Ptr(gospubliki.PlanDone),
		Urgency: gospubliki.Ptr(gospubliki.UrgencyOrange)})
	require.NoError(t, err)
	require.Equal(t, []int64{post.ID}, e.PostIDs)
	require.Equal(t, gospubliki.PlanDone, e.Status)
	_, err = ed.UpdatePlanEntry(ctx, ids[0], gospubliki.PlanInput{PostIDs: []int64{other.ID}})
	requireCode(t, err, gospubliki.CodeInvalidRequest)
	e, err = ed.UpdatePlanEntry(ctx, ids[0], gospubliki.PlanInput{Topic: gospubliki.Ptr("Новая тема")})
	require.NoError(t, err)
	require.Equal(t, []int64{post.ID}, e.PostIDs, "absent post_ids keep the links")
	e, err = ed.UpdatePlanEntry(ctx, ids[0], gospubliki.PlanInput{PostIDs: []int64{}})
	require.NoError(t, err)
	require.Empty(t, e.PostIDs)
	// Status filter.
	done, err := ed.ListPlan(ctx, gospubliki.PlanFilter{Status: gospubliki.PlanDone})
	require.NoError(t, err)
	require.Len(t, done.Items, 1)

	for _, bad := range []gospubliki.PlanInput{
		{StartsAt: gospubliki.Ptr(day), EndsAt: gospubliki.Ptr(day.Add(-time.Hour)), Topic: gospubliki.Ptr("x")},
		{StartsAt: gospubliki.Ptr(day), EndsAt: gospubliki.Ptr(day.Add(time.Hour))},
		{StartsAt: gospubliki.Ptr(day), EndsAt: gospubliki.Ptr(day.Add(time.Hour)), Topic: gospubliki.Ptr("x"), Status: gospubliki.Ptr(gospubliki.PlanStatus("lost"))},
	} {
		_, err := ed.CreatePlanEntry(ctx, bad)
		requireCode(t, err, gospubliki.CodeInvalidRequest)
	}
	_, err = ed.ListPlan(ctx, gospubliki.PlanFilter{Cursor: "%%%"})
	requireCode(t, err, gospubliki.CodeInvalidRequest)

	require.NoError(t, ed.DeletePlanEntry(ctx, ids[1]))
	_, err = ed.PlanEntry(ctx, ids[1])
	requireCode(t, err, gospubliki.CodeNotFound)
}

// TestTemplates: placeholders, a post made from a template (values
// filled, the template's urgency, targets of its page kinds), a shared
// template of the editorial cabinet offered to its subordinate, and the
// template.created events for the notifications.
func TestTemplates(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var mu sync.Mutex
	var events []gpmock.Event
	f.srv.OnEvent(func(e gpmock.Event) {
		if e.Type == gpmock.EventTemplateCreated {
			mu.Lock()
			events = append(events, e)
			mu.Unlock()
		}
	})
	ed := f.client(f.a.editor)
	tp, err := ed.CreateTemplate(ctx, gospubliki.TemplateInput{Name: gospubliki.Ptr("Отключение воды"),
		Text:    gospubliki.Ptr("{{ улица }}: отключение воды {{date}}. Адрес: {{улица}}"),
		Urgency: gospubliki.Ptr(gospubliki.UrgencyOrange), PageKinds: []gospubliki.PageKind{gospubliki.PageVK, gospubliki.PageTelegram}})
	require.NoError(t, err)
	require.Equal(t, []string{"улица", "date"}, tp.Placeholders)

	p, err := ed.CreatePostFromTemplate(ctx, tp.ID, gospubliki.FromTemplateRequest{Values: map[string]string{"улица": "Ленина, 1", "date": "10 мая"},
		Targets: []string{"vk:-1", "telegram:-100"}})
	require.NoError(t, err)
	require.Equal(t, "Ленина, 1: отключение воды 10 мая. Адрес: Ленина, 1", p.Text)
	require.Equal(t, gospubliki.UrgencyOrange, p.Urgency)
	require.Equal(t, gospubliki.PostDraft, p.Status)
	require.Equal(t, f.a.cabinet.ID, p.CabinetID)

	_, err = ed.CreatePostFromTemplate(ctx, tp.ID, gospubliki.FromTemplateRequest{Values: map[string]string{"date": "x"}})
	e := requireCode(t, err, gospubliki.CodeInvalidRequest)
	require.Contains(t, e.Message, "улица")
	_, err = ed.CreatePostFromTemplate(ctx, tp.ID, gospubliki.FromTemplateRequest{Values: map[string]string{"улица": "x", "date": "y"},
		Targets: []string{"ok:5"}})
	requireCode(t, err, gospubliki.CodeInvalidRequest)
	for _, bad := range []string{"{{", "{{a b}}", "a }} b", "{{}}"} {
		_, err = ed.CreateTemplate(ctx, gospubliki.TemplateInput{Name: gospubliki.Ptr("x"), Text: gospubliki.Ptr(bad)})
		requireCode(t, err, gospubliki.CodeInvalidRequest)
	}
	// Only an editorial cabinet shares.
	_, err = ed.CreateTemplate(ctx, gospubliki.TemplateInput{Name: gospubliki.Ptr("x"), Text: gospubliki.Ptr("y"), Shared: gospubliki.Ptr(true)})
	requireCode(t, err, gospubliki.CodeInvalidRequest)

	pc := f.planning()
	shared, err := f.client(pc.ed.editor).CreateTemplate(ctx, gospubliki.TemplateInput{Name: gospubliki.Ptr("Праздник"),
		Text: gospubliki.Ptr("С праздником, {{праздник}}!"), Shared: gospubliki.Ptr(true)})
	require.NoError(t, err)
	private, err := f.client(pc.ed.editor).CreateTemplate(ctx, gospubliki.TemplateInput{Name: gospubliki.Ptr("Внутренний"), Text: gospubliki.Ptr("x")})
	require.NoError(t, err)
	sl, err := f.client(pc.sub.moderator).Templates(ctx)
	require.NoError(t, err)
	require.Len(t, sl, 1)
	require.Equal(t, shared.ID, sl[0].ID)
	_, err = f.client(pc.sub.editor).Template(ctx, private.ID)
	requireCode(t, err, gospubliki.CodeNotFound)
	sp, err := f.client(pc.sub.editor).CreatePostFromTemplate(ctx, shared.ID, gospubliki.FromTemplateRequest{Values: map[string]string{"праздник": "земляки"}})
	require.NoError(t, err)
	require.Equal(t, pc.sub.cabinet.ID, sp.CabinetID)
	require.Equal(t, "С праздником, земляки!", sp.Text)

	// template.created: A's template, the editorial cabinet's two, and the
	// shared one once more for the subordinate.
	mu.Lock()
	defer mu.Unlock()
	var got []string
	for _, e := range events {
		got = append(got, fmt.Sprint(e.CabinetID, "/", e.Data.(gpmock.TemplateEventData).TemplateID))
	}
	require.ElementsMatch(t, []string{
		fmt.Sprint(f.a.cabinet.ID, "/", tp.ID),
		fmt.Sprint(pc.ed.cabinet.ID, "/", shared.ID), fmt.Sprint(pc.sub.cabinet.ID, "/", shared.ID),
		fmt.Sprint(pc.ed.cabinet.ID, "/", private.ID),
	}, got)
}

// TestThematicChannels: the editorial cabinet publishes into a channel,
// its subscribed subordinate hears of it (channel.item), lists the items
// and takes one as a draft of its own; the editorial cabinet sees who
// took it.
func TestThematicChannels(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var mu sync.Mutex
	var heard []int64
	f.srv.OnEvent(func(e gpmock.Event) {
		if e.Type == gpmock.EventChannelItem {
			mu.Lock()
			heard = append(heard, e.CabinetID)
			mu.Unlock()
		}
	})
	pc := f.planning()
	ec, sc := f.client(pc.ed.editor), f.client(pc.sub.editor)
	ch, err := ec.CreateChannel(ctx, gospubliki.ChannelInput{Title: "Образование", Topic: "школы"})
	require.NoError(t, err)
	list, err := f.client(pc.sub.moderator).Channels(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.False(t, list[0].Subscribed)
	got, err := sc.SubscribeChannel(ctx, ch.ID)
	require.NoError(t, err)
	require.True(t, got.Subscribed)
	require.Empty(t, got.Subscribers, "a subordinate does not see the other subscribers")
	own, err := ec.Channels(ctx)
	require.NoError(t, err)
	require.Equal(t, []int64{pc.sub.cabinet.ID}, own[0].Subscribers)

	var items []int64
	for i := range 5 {
		it, err := ec.PublishChannelItem(ctx, ch.ID, gospubliki.ChannelItemInput{Title: fmt.Sprint("Материал ", i), Text: fmt.Sprint("Текст ", i),
			Urgency: gospubliki.UrgencyOrange, PageKinds: []gospubliki.PageKind{gospubliki.PageVK}})
		require.NoError(t, err)
		items = append(items, it.ID)
	}
	mu.Lock()
	require.Equal(t, slices.Repeat([]int64{pc.sub.cabinet.ID}, 5), heard)
	mu.Unlock()

	var seen []int64
	for it, err := range sc.ChannelItems(ctx, ch.ID, gospubliki.PageRequest{Limit: 2}) {
		require.NoError(t, err)
		seen = append(seen, it.ID)
	}
	slices.Reverse(items)
	require.Equal(t, items, seen, "newest first, across pages")

	p, err := sc.TakeChannelItem(ctx, items[0], gospubliki.TakeRequest{Targets: []string{"vk:-42"}})
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostDraft, p.Status)
	require.Equal(t, pc.sub.cabinet.ID, p.CabinetID)
	require.Equal(t, "Текст 4", p.Text)
	require.Equal(t, gospubliki.UrgencyOrange, p.Urgency)
	_, err = sc.TakeChannelItem(ctx, items[0], gospubliki.TakeRequest{Targets: []string{"ok:1"}})
	requireCode(t, err, gospubliki.CodeInvalidRequest)
	page, err := ec.ListChannelItems(ctx, ch.ID, gospubliki.PageRequest{Limit: 1})
	require.NoError(t, err)
	require.Equal(t, []int64{pc.sub.cabinet.ID}, page.Items[0].TakenBy)

	_, err = sc.UnsubscribeChannel(ctx, ch.ID)
	require.NoError(t, err)
	_, err = ec.PublishChannelItem(ctx, ch.ID, gospubliki.ChannelItemInput{Title: "После", Text: "Текст"})
	require.NoError(t, err)
	mu.Lock()
	require.Len(t, heard, 5, "an unsubscribed cabinet hears nothing")
	mu.Unlock()
}
