package gospubliki_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock/gpmock"
)

// env is what an operation's call needs: the fixture, the cabinet the
// resources belong to, and the role of the caller (some preparations
// depend on it).
type env struct {
	f    *fixture
	cu   cabinetUsers
	role string
}

// post creates a post of the cabinet in status st through its editor and
// moderator.
func (e env) post(st gospubliki.PostStatus) int64 {
	t := e.f.t
	ctx := context.Background()
	ed, mod := e.f.client(e.cu.editor), e.f.client(e.cu.moderator)
	p, err := ed.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Новость"), Targets: []string{"vk:-1", "telegram:-1002"}})
	require.NoError(t, err)
	steps := map[gospubliki.PostStatus][]func() (*gospubliki.Post, error){
		gospubliki.PostDraft:     nil,
		gospubliki.PostSubmitted: {func() (*gospubliki.Post, error) { return ed.SubmitPost(ctx, p.ID) }},
	}
	steps[gospubliki.PostApproved] = append(slices.Clone(steps[gospubliki.PostSubmitted]), func() (*gospubliki.Post, error) { return mod.ApprovePost(ctx, p.ID) })
	steps[gospubliki.PostReturned] = append(slices.Clone(steps[gospubliki.PostSubmitted]), func() (*gospubliki.Post, error) { return mod.ReturnPost(ctx, p.ID, "Исправьте дату") })
	steps[gospubliki.PostEdited] = append(slices.Clone(steps[gospubliki.PostReturned]), func() (*gospubliki.Post, error) {
		return ed.UpdatePost(ctx, p.ID, gospubliki.PostInput{Text: gospubliki.Ptr("Новость, дата исправлена")})
	})
	for _, s := range steps[st] {
		_, err := s()
		require.NoError(t, err)
	}
	got, err := ed.Post(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, st, got.Status)
	return p.ID
}

var inviteSeq int

func (e env) invited() int64 {
	inviteSeq++
	u, err := e.f.client(e.cu.admin).InviteUser(context.Background(), gospubliki.InviteRequest{
		Phone: fmt.Sprintf("+7988%07d", inviteSeq), Email: fmt.Sprintf("u%d@example.org", inviteSeq), Role: gospubliki.RoleEditor})
	require.NoError(e.f.t, err)
	require.Equal(e.f.t, gospubliki.UserInvited, u.Status)
	return u.ID
}

var communitySeq int64

// community connects a Telegram channel to the cabinet through its
// administrator.
func (e env) community() int64 {
	communitySeq++
	cm, err := e.f.client(e.cu.admin).ConnectCommunity(context.Background(), gospubliki.ConnectCommunityRequest{
		Network: gospubliki.NetworkTelegram, PageID: fmt.Sprint(-1001000000000 - communitySeq),
		Credentials: gospubliki.CommunityCredentials{TelegramBotToken: "123456:matrix-secret-token"}})
	require.NoError(e.f.t, err)
	return cm.ID
}

// blocked returns a new blocked user of the cabinet.
func (e env) blocked() int64 {
	id := e.invited()
	_, err := e.f.client(e.cu.admin).BlockUser(context.Background(), id)
	require.NoError(e.f.t, err)
	return id
}

// apiToken issues an API token of the cabinet's administrator and returns
// its id.
func (e env) apiToken() string {
	ctx := context.Background()
	admin := e.f.client(e.cu.admin)
	before, err := admin.Tokens(ctx)
	require.NoError(e.f.t, err)
	_, err = admin.CreateToken(ctx)
	require.NoError(e.f.t, err)
	after, err := admin.Tokens(ctx)
	require.NoError(e.f.t, err)
	require.Len(e.f.t, after, len(before)+1)
	for _, tk := range after {
		if !slices.ContainsFunc(before, func(b gospubliki.TokenInfo) bool { return b.ID == tk.ID }) {
			return tk.ID
		}
	}
	e.f.t.Fatal("no new token")
	return ""
}

// publicOps authenticate on their own (no x-roles in the spec).
var publicOps = map[string]bool{"login": true, "esiaStart": true, "esiaCallback": true, "acceptInvitation": true,
	"requestPasswordReset": true, "confirmPasswordReset": true}

var dialogSeq int64

// dialog puts a Telegram message into the cabinet's inbox as the
// collector would.
func (e env) dialog() int64 {
	dialogSeq++
	d, isNew, err := e.f.srv.AddDialog(context.Background(), e.cu.cabinet.ID, gpmock.DialogInput{Source: gpmock.SourceTelegram,
		PageRef: "telegram:-1002", NetworkID: fmt.Sprintf("-1002_%d", dialogSeq), Thread: "-1002", Author: "@citizen", Text: "Когда починят дорогу?"})
	require.NoError(e.f.t, err)
	require.True(e.f.t, isNew)
	return d.ID
}

// rule adds an auto-rule through the cabinet's administrator.
func (e env) rule() int64 {
	r, err := e.f.client(e.cu.admin).CreateDialogRule(context.Background(), gospubliki.DialogRuleRequest{Name: "Дороги",
		Keywords: []string{"дорог"}, AssigneeID: e.cu.editor.ID})
	require.NoError(e.f.t, err)
	return r.ID
}

// pngBytes is the smallest content that sniffs as image/png.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")

// media uploads a file to the cabinet through its editor.
func (e env) media() int64 {
	m, err := e.f.client(e.cu.editor).UploadMedia(context.Background(), "photo.png", "image/png", pngBytes)
	require.NoError(e.f.t, err)
	return m.ID
}

// apiOp binds an operation of the spec to the client method that calls it.
type apiOp struct {
	method string
	call   func(ctx context.Context, c *gospubliki.Client, e env) error
}

var ops = map[string]apiOp{
	"login": {"Login", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Login(ctx, e.cu.editor.Phone, password)
		return err
	}},
	"logout": {"Logout", func(ctx context.Context, c *gospubliki.Client, e env) error { return c.Logout(ctx) }},
	"me": {"Me", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Me(ctx)
		return err
	}},
	"createToken": {"CreateToken", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.CreateToken(ctx)
		return err
	}},
	"cabinet": {"Cabinet", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Cabinet(ctx)
		return err
	}},
	"listUsers": {"Users", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Users(ctx)
		return err
	}},
	"inviteUser": {"InviteUser", func(ctx context.Context, c *gospubliki.Client, e env) error {
		inviteSeq++
		_, err := c.InviteUser(ctx, gospubliki.InviteRequest{Phone: fmt.Sprintf("+7977%07d", inviteSeq),
			Email: fmt.Sprintf("m%d@example.org", inviteSeq), Role: gospubliki.RoleModerator})
		return err
	}},
	"getUser": {"User", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.User(ctx, e.cu.editor.ID)
		return err
	}},
	"blockUser": {"BlockUser", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.BlockUser(ctx, e.invited())
		return err
	}},
	"listPosts": {"ListPosts", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.ListPosts(ctx, gospubliki.PostFilter{})
		return err
	}},
	"createPost": {"CreatePost", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Текст")})
		return err
	}},
	"getPost": {"Post", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Post(ctx, e.post(gospubliki.PostDraft))
		return err
	}},
	"updatePost": {"UpdatePost", func(ctx context.Context, c *gospubliki.Client, e env) error {
		st := gospubliki.PostDraft
		if e.role == gpmock.RoleModerator {
			st = gospubliki.PostSubmitted
		}
		_, err := c.UpdatePost(ctx, e.post(st), gospubliki.PostInput{Urgency: gospubliki.Ptr(gospubliki.UrgencyRed)})
		return err
	}},
	"submitPost": {"SubmitPost", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.SubmitPost(ctx, e.post(gospubliki.PostDraft))
		return err
	}},
	"approvePost": {"ApprovePost", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.ApprovePost(ctx, e.post(gospubliki.PostSubmitted))
		return err
	}},
	"esiaStart": {"StartESIALogin", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.StartESIALogin(ctx, gospubliki.CabinetInstitution)
		return err
	}},
	"esiaCallback": {"CompleteESIALogin", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.CompleteESIALogin(ctx, "http://127.0.0.1/api/v1/auth/esia/callback?code=x&state=unknown")
		return err
	}},
	"esiaBind": {"StartESIABinding", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.StartESIABinding(ctx)
		return err
	}},
	"acceptInvitation": {"AcceptInvitation", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.AcceptInvitation(ctx, "unknown", "a new password")
		return err
	}},
	"requestPasswordReset": {"RequestPasswordReset", func(ctx context.Context, c *gospubliki.Client, e env) error {
		return c.RequestPasswordReset(ctx, e.cu.editor.Phone)
	}},
	"confirmPasswordReset": {"ConfirmPasswordReset", func(ctx context.Context, c *gospubliki.Client, e env) error {
		return c.ConfirmPasswordReset(ctx, e.cu.editor.Phone, "000000", "a new password")
	}},
	"listTokens": {"Tokens", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Tokens(ctx)
		return err
	}},
	"revokeToken": {"RevokeToken", func(ctx context.Context, c *gospubliki.Client, e env) error {
		return c.RevokeToken(ctx, e.apiToken())
	}},
	"resendInvitation": {"ResendInvitation", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.ResendInvitation(ctx, e.invited())
		return err
	}},
	"unblockUser": {"UnblockUser", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.UnblockUser(ctx, e.blocked())
		return err
	}},
	"listSubordinateCabinets": {"SubordinateCabinets", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.SubordinateCabinets(ctx)
		return err
	}},
	"getNotifications": {"NotificationSettings", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.NotificationSettings(ctx)
		return err
	}},
	"putNotifications": {"SetNotificationSettings", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.SetNotificationSettings(ctx, gospubliki.NotificationSettings{Email: true, Events: []string{gospubliki.EventPostSubmitted}})
		return err
	}},
	"returnPost": {"ReturnPost", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.ReturnPost(ctx, e.post(gospubliki.PostSubmitted), "Уточните адрес")
		return err
	}},
	"uploadMedia": {"UploadMedia", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.UploadMedia(ctx, "photo.png", "image/png", pngBytes)
		return err
	}},
	"getMedia": {"Media", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Media(ctx, e.media())
		return err
	}},
	"publishPost": {"PublishPost", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.PublishPost(ctx, e.post(gospubliki.PostApproved), true)
		return err
	}},
	"postReport": {"PostReport", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.PostReport(ctx, e.post(gospubliki.PostApproved))
		return err
	}},
	"deletePost": {"DeletePost", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.DeletePost(ctx, e.post(gospubliki.PostDraft))
		return err
	}},
	"listCommunities": {"Communities", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Communities(ctx)
		return err
	}},
	"connectCommunity": {"ConnectCommunity", func(ctx context.Context, c *gospubliki.Client, e env) error {
		communitySeq++
		_, err := c.ConnectCommunity(ctx, gospubliki.ConnectCommunityRequest{Network: gospubliki.NetworkVK,
			PageID: fmt.Sprint(300000000 + communitySeq), Credentials: gospubliki.CommunityCredentials{VKToken: "vk1.a.matrix-secret"}})
		return err
	}},
	"getCommunity": {"Community", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Community(ctx, e.community())
		return err
	}},
	"disconnectCommunity": {"DisconnectCommunity", func(ctx context.Context, c *gospubliki.Client, e env) error {
		return c.DisconnectCommunity(ctx, e.community())
	}},
	"setCommunityCredentials": {"SetCommunityCredentials", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.SetCommunityCredentials(ctx, e.community(), gospubliki.CommunityCredentials{TelegramBotToken: "654321:rotated"})
		return err
	}},
	"checkCommunity": {"CheckCommunity", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.CheckCommunity(ctx, e.community())
		return err
	}},
	"listDialogs": {"ListDialogs", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.ListDialogs(ctx, gospubliki.DialogFilter{})
		return err
	}},
	"getDialog": {"Dialog", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.Dialog(ctx, e.dialog())
		return err
	}},
	"assignDialog": {"AssignDialog", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.AssignDialog(ctx, e.dialog(), e.cu.moderator.ID)
		return err
	}},
	"replyDialog": {"ReplyDialog", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.ReplyDialog(ctx, e.dialog(), "Спасибо, передали в службу")
		return err
	}},
	"closeDialog": {"CloseDialog", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.CloseDialog(ctx, e.dialog())
		return err
	}},
	"collectDialogs": {"CollectDialogs", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.CollectDialogs(ctx)
		return err
	}},
	"listDialogRules": {"DialogRules", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.DialogRules(ctx)
		return err
	}},
	"createDialogRule": {"CreateDialogRule", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.CreateDialogRule(ctx, gospubliki.DialogRuleRequest{Name: "Ответ", Template: "Здравствуйте, {author}!"})
		return err
	}},
	"deleteDialogRule": {"DeleteDialogRule", func(ctx context.Context, c *gospubliki.Client, e env) error {
		return c.DeleteDialogRule(ctx, e.rule())
	}},
	"pageAnalytics": {"PageAnalytics", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.PageAnalytics(ctx, gospubliki.AnalyticsQuery{})
		return err
	}},
	"postAnalytics": {"PostAnalytics", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.PostAnalytics(ctx, e.post(gospubliki.PostDraft), gospubliki.AnalyticsQuery{Period: gospubliki.PeriodWeek})
		return err
	}},
	"collectAnalytics": {"CollectAnalytics", func(ctx context.Context, c *gospubliki.Client, e env) error {
		_, err := c.CollectAnalytics(ctx)
		return err
	}},
}

// TestSpecCoversServerAndClient: the server serves exactly the spec's
// operations, every operation has a client method, and every API method
// of the client calls an operation of the spec.
func TestSpecCoversServerAndClient(t *testing.T) {
	spec := parseSpec(t)
	var specRoutes, specIDs []string
	for _, o := range spec {
		specRoutes = append(specRoutes, o.method+" "+o.path)
		specIDs = append(specIDs, o.id)
	}
	served := gpmock.New().Routes()
	require.ElementsMatch(t, specRoutes, served)
	// The sandbox journals and faults name the same operationIds.
	require.ElementsMatch(t, specIDs, gpmock.Operations())

	var tableIDs, tableMethods []string
	for id, op := range ops {
		tableIDs = append(tableIDs, id)
		tableMethods = append(tableMethods, op.method)
	}
	require.ElementsMatch(t, specIDs, tableIDs)

	// Every exported method of *Client except helpers is an operation.
	helpers := map[string]bool{"Posts": true, "String": true, "GoString": true, "Plan": true, "ChannelItems": true, "WebhookDeliveries": true,
		"LoginESIA": true, "Dialogs": true}
	ct := reflect.TypeFor[*gospubliki.Client]()
	for i := range ct.NumMethod() {
		m := ct.Method(i).Name
		if helpers[m] {
			continue
		}
		require.Contains(t, tableMethods, m, "client method %s is not bound to an operation of openapi.yaml", m)
	}
}

// TestRoleMatrix calls every operation as every role and checks it is
// allowed exactly to the roles the spec lists (x-roles).
func TestRoleMatrix(t *testing.T) {
	f := newFixture(t)
	for _, o := range parseSpec(t) {
		if publicOps[o.id] {
			require.Empty(t, o.roles, o.id)
			continue
		}
		require.NotEmpty(t, o.roles, o.id)
		cu := f.a
		if on := opCabinet[o.id]; on != nil {
			cu = on(f) // an operation of another kind of cabinet
		}
		roles := map[string]gpmock.User{gpmock.RoleLKOAdmin: cu.admin, gpmock.RoleEditor: cu.editor, gpmock.RoleModerator: cu.moderator}
		for role, u := range roles {
			t.Run(o.id+"/"+role, func(t *testing.T) {
				f.t = t
				c := f.client(u)
				err := ops[o.id].call(context.Background(), c, env{f: f, cu: cu, role: role})
				if slices.Contains(o.roles, role) {
					require.NoError(t, err)
					return
				}
				e := requireCode(t, err, gospubliki.CodeForbidden)
				require.Equal(t, http.StatusForbidden, e.StatusCode)
			})
		}
		// No credentials: refused before anything else.
		t.Run(o.id+"/anonymous", func(t *testing.T) {
			f.t = t
			err := ops[o.id].call(context.Background(), f.anon(), env{f: f, cu: cu, role: gpmock.RoleEditor})
			requireCode(t, err, gospubliki.CodeUnauthenticated)
		})
	}
}

// TestCrossCabinetIsolation: every role of cabinet B, on every resource
// of cabinet A, gets not_found (or forbidden by role first) and sees none
// of A's users or posts in its lists.
func TestCrossCabinetIsolation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ea := env{f: f, cu: f.a}
	draft, submitted := ea.post(gospubliki.PostDraft), ea.post(gospubliki.PostSubmitted)
	returned := ea.post(gospubliki.PostReturned)
	aUser := f.a.editor.ID
	aPage := ea.community()
	aDialog, aRule := ea.dialog(), ea.rule()
	aInvited, aBlocked, aToken := ea.invited(), ea.blocked(), ea.apiToken()
	aMedia := ea.media()
	approved := ea.post(gospubliki.PostApproved)

	for _, u := range []gpmock.User{f.b.admin, f.b.editor, f.b.moderator} {
		c := f.client(u)
		refused := func(err error) {
			t.Helper()
			var e *gospubliki.Error
			require.ErrorAs(t, err, &e)
			if e.Code == gospubliki.CodeForbidden {
				return // the role check comes first
			}
			require.Equal(t, gospubliki.CodeNotFound, e.Code, "%s: %v", u.Role, err)
		}
		_, err := c.Post(ctx, draft)
		refused(err)
		_, err = c.UpdatePost(ctx, draft, gospubliki.PostInput{Text: gospubliki.Ptr("взлом")})
		refused(err)
		_, err = c.UpdatePost(ctx, submitted, gospubliki.PostInput{Text: gospubliki.Ptr("взлом")})
		refused(err)
		_, err = c.SubmitPost(ctx, draft)
		refused(err)
		_, err = c.ApprovePost(ctx, submitted)
		refused(err)
		_, err = c.ReturnPost(ctx, submitted, "чужое")
		refused(err)
		_, err = c.SubmitPost(ctx, returned)
		refused(err)
		_, err = c.User(ctx, aUser)
		refused(err)
		_, err = c.BlockUser(ctx, aUser)
		refused(err)
		_, err = c.Community(ctx, aPage)
		refused(err)
		_, err = c.CheckCommunity(ctx, aPage)
		refused(err)
		_, err = c.SetCommunityCredentials(ctx, aPage, gospubliki.CommunityCredentials{TelegramBotToken: "1:stolen"})
		refused(err)
		refused(c.DisconnectCommunity(ctx, aPage))
		_, err = c.Dialog(ctx, aDialog)
		refused(err)
		_, err = c.AssignDialog(ctx, aDialog, u.ID)
		refused(err)
		_, err = c.ReplyDialog(ctx, aDialog, "чужое")
		refused(err)
		_, err = c.CloseDialog(ctx, aDialog)
		refused(err)
		refused(c.DeleteDialogRule(ctx, aRule))
		_, err = c.PostAnalytics(ctx, draft, gospubliki.AnalyticsQuery{})
		refused(err)
		for d, err := range c.Dialogs(ctx, gospubliki.DialogFilter{}) {
			require.NoError(t, err)
			require.Equal(t, f.b.cabinet.ID, d.CabinetID)
		}
		rules, err := c.DialogRules(ctx)
		require.NoError(t, err)
		require.Empty(t, rules)
		rep, err := c.PageAnalytics(ctx, gospubliki.AnalyticsQuery{})
		require.NoError(t, err)
		for _, p := range rep.Pages {
			require.NotEqual(t, "telegram:-1002", p.PageRef)
		}
		_, err = c.Media(ctx, aMedia)
		refused(err)
		_, err = c.PublishPost(ctx, approved, true)
		refused(err)
		_, err = c.PostReport(ctx, approved)
		refused(err)
		_, err = c.DeletePost(ctx, draft)
		refused(err)
		if u.Role == gpmock.RoleEditor {
			// Another cabinet's file cannot be attached.
			_, err = c.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("x"), Media: []int64{aMedia}})
			requireCode(t, err, gospubliki.CodeInvalidRequest)
		}
		pages, err := c.Communities(ctx)
		require.NoError(t, err)
		for _, p := range pages {
			require.Equal(t, f.b.cabinet.ID, p.CabinetID)
		}
		_, err = c.ResendInvitation(ctx, aInvited)
		refused(err)
		_, err = c.UnblockUser(ctx, aBlocked)
		refused(err)
		refused(c.RevokeToken(ctx, aToken))
		subs, err := c.SubordinateCabinets(ctx)
		require.NoError(t, err)
		require.Empty(t, subs, "an institution cabinet oversees none")
		if u.Role == gpmock.RoleLKOAdmin {
			toks, err := c.Tokens(ctx)
			require.NoError(t, err)
			for _, tk := range toks {
				require.NotEqual(t, aToken, tk.ID)
			}
		}
		if u.Role != gpmock.RoleLKOAdmin {
			page, err := c.ListPosts(ctx, gospubliki.PostFilter{})
			require.NoError(t, err)
			for _, p := range page.Items {
				require.Equal(t, f.b.cabinet.ID, p.CabinetID)
			}
		} else {
			users, err := c.Users(ctx)
			require.NoError(t, err)
			require.Len(t, users, 3)
			for _, x := range users {
				require.Equal(t, f.b.cabinet.ID, x.CabinetID)
			}
		}
		cb, err := c.Cabinet(ctx)
		require.NoError(t, err)
		require.Equal(t, f.b.cabinet.OrgOID, cb.OrgOID)
	}
	// A's resources are untouched.
	ed := f.client(f.a.editor)
	for id, st := range map[int64]gospubliki.PostStatus{draft: gospubliki.PostDraft, submitted: gospubliki.PostSubmitted, returned: gospubliki.PostReturned} {
		p, err := ed.Post(ctx, id)
		require.NoError(t, err)
		require.Equal(t, st, p.Status)
		require.False(t, strings.Contains(p.Text, "взлом"))
	}
	d, err := ed.Dialog(ctx, aDialog)
	require.NoError(t, err)
	require.Empty(t, d.Replies)
	require.NotEqual(t, gospubliki.DialogClosed, d.Status)
	rules, err := ed.DialogRules(ctx)
	require.NoError(t, err)
	require.Len(t, rules, 1)
	require.Equal(t, aRule, rules[0].ID)
	ap, err := ed.Post(ctx, approved)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostApproved, ap.Status)
	pg, err := ed.Community(ctx, aPage)
	require.NoError(t, err)
	require.True(t, pg.HasCredentials)
	me, err := ed.Me(ctx)
	require.NoError(t, err)
	require.Equal(t, gospubliki.UserConfirmed, me.Status)
	admin := f.client(f.a.admin)
	for id, st := range map[int64]gospubliki.UserStatus{aInvited: gospubliki.UserInvited, aBlocked: gospubliki.UserBlocked} {
		x, err := admin.User(ctx, id)
		require.NoError(t, err)
		require.Equal(t, st, x.Status)
	}
	toks, err := admin.Tokens(ctx)
	require.NoError(t, err)
	require.True(t, slices.ContainsFunc(toks, func(tk gospubliki.TokenInfo) bool { return tk.ID == aToken }))
}
