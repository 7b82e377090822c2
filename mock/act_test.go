package mock_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// actCtl calls the control API as a tenant (token "" for the default one).
func actCtl(t *testing.T, sb *mock.Sandbox, token, method, path, body string, out any) int {
	t.Helper()
	hdr := map[string]string{}
	if token != "" {
		hdr["Authorization"] = "Bearer " + token
	}
	return getJSON(t, sb.HTTPClient(), method, sb.ControlURL+path, body, hdr, out)
}

func tgBot(t *testing.T, sb *mock.Sandbox, token, method string, form url.Values) map[string]json.RawMessage {
	t.Helper()
	resp, err := sb.HTTPClient().PostForm(sb.TelegramURL+"/bot"+token+"/"+method, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	var m map[string]json.RawMessage
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	return m
}

func twoTenants(t *testing.T, opts ...mock.Option) (*mock.Sandbox, *mock.Tenant, *mock.Tenant) {
	t.Helper()
	sb := mock.Start(t, append([]mock.Option{mock.WithFrozenClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))}, opts...)...)
	b, err := sb.CreateTenant("b", nil)
	require.NoError(t, err)
	return sb, sb.DefaultTenant(), b
}

// TestActTelegram: a user sends a command and presses a button, over HTTP
// and in Go, in two tenants; each bot sees only its tenant's updates and
// each tenant's outbox only its bot's messages.
func TestActTelegram(t *testing.T) {
	sb, a, b := twoTenants(t)
	for i, tn := range []*mock.Tenant{a, b} {
		cr := tn.Credentials().Telegram
		user := int64(5550001 + i)
		token := ""
		if tn != a {
			token = tn.ControlToken()
		}
		// The user starts the bot over HTTP.
		var msg tgmock.Message
		body := `{"bot_id":` + strconv.FormatInt(cr.BotID, 10) + `,"user_id":` + strconv.FormatInt(user, 10) + `,"command":"start","args":"hello"}`
		require.Equal(t, 200, actCtl(t, sb, token, "POST", "/_mock/act/telegram/command", body, &msg))
		assert.Equal(t, "/start hello", msg.Text)
		require.Len(t, msg.Entities, 1)
		assert.Equal(t, "bot_command", msg.Entities[0].Type)
		ups := tgBot(t, sb, cr.BotToken, "getUpdates", nil)
		var got []tgmock.Update
		require.NoError(t, json.Unmarshal(ups["result"], &got))
		require.Len(t, got, 1, "the tenant's bot sees its own user only")
		require.NotNil(t, got[0].Message)
		assert.Equal(t, user, got[0].Message.From.ID)

		// The bot answers with an inline keyboard: the outbox has it.
		res := tgBot(t, sb, cr.BotToken, "sendMessage", url.Values{"chat_id": {strconv.FormatInt(user, 10)}, "text": {"Выберите"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"Да","callback_data":"yes"}]]}`}})
		var sent tgmock.Message
		require.NoError(t, json.Unmarshal(res["result"], &sent), string(res["description"]))
		out := tn.Outbox(world.OutboxFilter{Party: "telegram", To: strconv.FormatInt(user, 10)})
		require.Len(t, out, 1)
		assert.Equal(t, "Выберите", out[0].Text)
		assert.Equal(t, world.ChannelTelegram, out[0].Channel)
		assert.Equal(t, cr.BotUsername, out[0].From)
		assert.Equal(t, strconv.FormatInt(sent.MessageID, 10), out[0].Meta["message_id"])

		// The user presses the button, in Go.
		r, err := tn.Act(context.Background(), mock.TelegramButton{BotID: cr.BotID, UserID: user, MessageID: sent.MessageID, Data: "yes"})
		require.NoError(t, err)
		q := r.(tgmock.CallbackQuery)
		assert.Equal(t, "yes", q.Data)
		ups = tgBot(t, sb, cr.BotToken, "getUpdates", url.Values{"offset": {strconv.FormatInt(got[0].UpdateID+1, 10)}})
		got = nil
		require.NoError(t, json.Unmarshal(ups["result"], &got))
		require.Len(t, got, 1)
		require.NotNil(t, got[0].CallbackQuery)
		assert.Equal(t, sent.MessageID, got[0].CallbackQuery.Message.MessageID)
		assert.Equal(t, user, got[0].CallbackQuery.From.ID)

		// A button the message lacks, a message of no one: refused.
		_, err = tn.Act(context.Background(), mock.TelegramButton{BotID: cr.BotID, UserID: user, MessageID: sent.MessageID, Data: "no"})
		require.Error(t, err)
		var e struct{ Error string }
		assert.Equal(t, 404, actCtl(t, sb, token, "POST", "/_mock/act/telegram/button",
			`{"bot_id":`+strconv.FormatInt(cr.BotID, 10)+`,"user_id":1,"message_id":999,"data":"x"}`, &e))
		assert.Contains(t, e.Error, "not found")
	}
	// Isolation: each outbox holds one message, its own.
	require.Len(t, a.Outbox(world.OutboxFilter{}), 1)
	require.Len(t, b.Outbox(world.OutboxFilter{}), 1)
	assert.Equal(t, "5550001", a.Outbox(world.OutboxFilter{})[0].To)
	assert.Equal(t, "5550002", b.Outbox(world.OutboxFilter{})[0].To)
	// Messages in channels are not sent to people.
	cr := a.Credentials().Telegram
	tgBot(t, sb, cr.BotToken, "sendMessage", url.Values{"chat_id": {strconv.FormatInt(cr.ChannelID, 10)}, "text": {"Новость"}})
	assert.Len(t, a.Outbox(world.OutboxFilter{}), 1)

	// A button under the bot's message in a group: the press names the chat.
	require.NotZero(t, cr.GroupID)
	res := tgBot(t, sb, cr.BotToken, "sendMessage", url.Values{"chat_id": {strconv.FormatInt(cr.GroupID, 10)}, "text": {"Опрос"},
		"reply_markup": {`{"inline_keyboard":[[{"text":"За","callback_data":"for"},{"text":"Ссылка","url":"https://example.ru"}]]}`}})
	var gm tgmock.Message
	require.NoError(t, json.Unmarshal(res["result"], &gm), string(res["description"]))
	assert.Len(t, a.Outbox(world.OutboxFilter{}), 1, "a group message is not sent to a person")
	var q tgmock.CallbackQuery
	require.Equal(t, 200, actCtl(t, sb, "", "POST", "/_mock/act/telegram/button", `{"bot_id":`+strconv.FormatInt(cr.BotID, 10)+
		`,"user_id":5550009,"chat_id":`+strconv.FormatInt(cr.GroupID, 10)+`,"message_id":`+strconv.FormatInt(gm.MessageID, 10)+`,"data":"for"}`, &q))
	assert.Equal(t, cr.GroupID, q.Message.Chat.ID)
	assert.Equal(t, int64(5550009), q.From.ID)
	// The same press in tenant b finds no such message.
	var e struct{ Error string }
	assert.Equal(t, 404, actCtl(t, sb, b.ControlToken(), "POST", "/_mock/act/telegram/button", `{"bot_id":`+strconv.FormatInt(cr.BotID, 10)+
		`,"user_id":5550009,"chat_id":`+strconv.FormatInt(cr.GroupID, 10)+`,"message_id":`+strconv.FormatInt(gm.MessageID, 10)+`,"data":"for"}`, &e))
}

// TestActVK: a user joins, writes, the community answers (the outbox),
// 2FA and the description change as an administrator's; tenant-scoped.
func TestActVK(t *testing.T) {
	sb, a, b := twoTenants(t)
	ctx := context.Background()
	cr := a.Credentials().VK
	gid := strconv.FormatInt(cr.GroupID, 10)
	count := func(tn *mock.Tenant) int {
		m := vkCall(t, sb.VKURL, "groups.getById", tn.Credentials().VK.ServiceToken, "group_id", gid, "fields", "members_count")
		var resp struct {
			Groups []struct {
				MembersCount int `json:"members_count"`
			} `json:"groups"`
		}
		require.NoError(t, json.Unmarshal(m["response"], &resp), string(m["error"]))
		return resp.Groups[0].MembersCount
	}
	before := count(a)
	var jr mock.JoinResult
	require.Equal(t, 200, actCtl(t, sb, "", "POST", "/_mock/act/vk/join", `{"group_id":`+gid+`,"user_id":900123}`, &jr))
	assert.Equal(t, before+1, jr.MemberCount)
	assert.Equal(t, before+1, count(a))
	assert.Equal(t, before, count(b), "another tenant's community is untouched")

	// The community may not write first (901); after the user wrote, it may.
	send := func(tn *mock.Tenant, user string) map[string]json.RawMessage {
		return vkCall(t, sb.VKURL, "messages.send", tn.Credentials().VK.CommunityToken, "peer_id", user, "random_id", "1", "message", "Здравствуйте")
	}
	m := send(a, "900123")
	require.Contains(t, string(m["error"]), `"error_code":901`)
	_, err := a.Act(ctx, mock.VKMessage{GroupID: cr.GroupID, UserID: 900123, Text: "Вопрос"})
	require.NoError(t, err)
	m = send(a, "900123")
	require.NotNil(t, m["response"], string(m["error"]))
	out := a.Outbox(world.OutboxFilter{Channel: world.ChannelVK})
	require.Len(t, out, 1)
	assert.Equal(t, "900123", out[0].To)
	assert.Equal(t, "Здравствуйте", out[0].Text)
	assert.Equal(t, gid, out[0].Meta["group_id"])
	assert.Empty(t, b.Outbox(world.OutboxFilter{}))
	m = send(b, "900123")
	require.Contains(t, string(m["error"]), `"error_code":901`, "the user wrote in tenant a only")

	// 2FA: the chief turns it off in tenant b only.
	off := false
	r, err := b.Act(ctx, mock.VKTwoFactor{UserID: world.DefaultChiefVKID, Enabled: &off})
	require.NoError(t, err)
	assert.Equal(t, mock.TwoFactorResult{UserID: world.DefaultChiefVKID}, r)
	pb, _ := b.World.Person(world.DefaultChiefOID)
	pa, _ := a.World.Person(world.DefaultChiefOID)
	assert.False(t, pb.Accounts[world.NetworkVK].TwoFactor)
	assert.True(t, pa.Accounts[world.NetworkVK].TwoFactor)
	var e struct{ Error string }
	assert.Equal(t, 400, actCtl(t, sb, "", "POST", "/_mock/act/vk/two_factor", `{"user_id":800000001}`, &e))
	assert.Contains(t, e.Error, "enabled is required")

	// Description: the administrator may, a stranger may not.
	_, err = a.Act(ctx, mock.VKDescription{GroupID: cr.GroupID, UserID: 900123, Text: "x"})
	require.ErrorIs(t, err, mock.ErrActForbidden)
	_, err = a.Act(ctx, mock.VKDescription{GroupID: cr.GroupID, UserID: cr.UserID, Text: "Новое описание"})
	require.NoError(t, err)
	p, _ := a.World.Page(world.NetworkVK, cr.GroupID)
	assert.Equal(t, "Новое описание", p.Description)

	// Comment on a post of the wall.
	post := vkCall(t, sb.VKURL, "wall.post", cr.UserToken, "owner_id", "-"+gid, "from_group", "1", "message", "Пост")
	var pr struct {
		PostID int64 `json:"post_id"`
	}
	require.NoError(t, json.Unmarshal(post["response"], &pr), string(post["error"]))
	var cres map[string]int64
	require.Equal(t, 200, actCtl(t, sb, "", "POST", "/_mock/act/vk/comment",
		`{"group_id":`+gid+`,"post_id":`+strconv.FormatInt(pr.PostID, 10)+`,"user_id":900123,"text":"Спасибо"}`, &cres))
	assert.Positive(t, cres["comment_id"])
	assert.Equal(t, 404, actCtl(t, sb, b.ControlToken(), "POST", "/_mock/act/vk/comment",
		`{"group_id":`+gid+`,"post_id":`+strconv.FormatInt(pr.PostID, 10)+`,"user_id":900123,"text":"Спасибо"}`, &e), "the post is tenant a's")
}

// TestActOK: join, 2FA and the description of an OK group.
func TestActOK(t *testing.T) {
	sb, a, b := twoTenants(t)
	ctx := context.Background()
	cr := a.Credentials().OK
	pa, err := a.World.Page(world.NetworkOK, cr.GroupID)
	require.NoError(t, err)
	r, err := a.Act(ctx, mock.OKJoin{GroupID: cr.GroupID, UserID: 7007007})
	require.NoError(t, err)
	n := r.(mock.JoinResult).MemberCount
	assert.Equal(t, max(pa.MemberCount, len(pa.Admins)+len(pa.Members))+1, n)
	pb, _ := b.World.Page(world.NetworkOK, cr.GroupID)
	assert.Equal(t, pa.MemberCount, pb.MemberCount)
	on := true
	_, err = a.Act(ctx, mock.OKTwoFactor{UserID: 1, Enabled: &on})
	require.ErrorIs(t, err, mock.ErrActNotFound)
	var e struct{ Error string }
	assert.Equal(t, 403, actCtl(t, sb, "", "POST", "/_mock/act/ok/description",
		`{"group_id":`+strconv.FormatInt(cr.GroupID, 10)+`,"user_id":7007007,"text":"x"}`, &e))
	_, err = a.Act(ctx, mock.OKDescription{GroupID: cr.GroupID, UserID: cr.UserID, Text: "Решаем вместе"})
	require.NoError(t, err)
	pa, _ = a.World.Page(world.NetworkOK, cr.GroupID)
	assert.Equal(t, "Решаем вместе", pa.Description)
}

// TestActESIALogin: a login finishes per tenant: the tenant's system gets
// a code it exchanges; another tenant's system is refused.
func TestActESIALogin(t *testing.T) {
	sb, a, b := twoTenants(t)
	ctx := context.Background()
	for _, tn := range []*mock.Tenant{a, b} {
		cr := tn.Credentials().ESIA
		key, err := gost.ParsePrivateKeyPEM([]byte(cr.KeyPEM))
		require.NoError(t, err)
		cert, err := gost.ParseCertificatePEM([]byte(cr.CertificatePEM))
		require.NoError(t, err)
		signer, err := esia.NewGOSTSigner(key, cert)
		require.NoError(t, err)
		c, err := esia.New(esia.Config{
			BaseURL: sb.ESIAURL, ClientID: cr.ClientID, RedirectURL: "http://127.0.0.1:18080/cb", Signer: signer,
			Scopes: []string{"openid", "fullname"}, Certificates: [][]byte{[]byte(cr.ESIACertificatePEM)},
		}, core.WithHTTPClient(sb.HTTPClient()), core.WithClock(core.NowFunc(tn.Clock.Now)))
		require.NoError(t, err)
		state := esia.NewState()
		u, err := c.AuthCodeURL(ctx, state)
		require.NoError(t, err)
		token := ""
		if tn != a {
			token = tn.ControlToken()
			// Another tenant's control token cannot finish it.
			var e struct{ Error string }
			body, _ := json.Marshal(mock.ESIALogin{AuthURL: u, PersonOID: cr.PersonOID})
			assert.Equal(t, 404, actCtl(t, sb, "", "POST", "/_mock/act/esia/login", string(body), &e))
		}
		body, _ := json.Marshal(mock.ESIALogin{AuthURL: u, PersonOID: cr.PersonOID})
		var res mock.ESIALoginResult
		require.Equal(t, 200, actCtl(t, sb, token, "POST", "/_mock/act/esia/login", string(body), &res))
		require.Empty(t, res.Error, res.ErrorDescription)
		assert.Equal(t, state, res.State)
		assert.True(t, strings.HasPrefix(res.Redirect, "http://127.0.0.1:18080/cb?"))
		tok, err := c.Exchange(ctx, res.Code)
		require.NoError(t, err)
		ac, _, err := c.VerifyToken(tok)
		require.NoError(t, err)
		assert.Equal(t, cr.PersonOID, ac.SbjID)
	}
	// A request ESIA refuses (a tampered signature) answers ESIA's error
	// and leaves no login queued for the next request.
	cr := a.Credentials().ESIA
	bad := "http://" + strings.TrimPrefix(sb.ESIAURL, "http://") + "/aas/oauth2/v2/ac?client_id=" + cr.ClientID +
		"&client_secret=AAAA&redirect_uri=http%3A%2F%2F127.0.0.1%3A18080%2Fcb&scope=openid&response_type=code&state=" +
		esia.NewState() + "&timestamp=2026.03.02+09%3A00%3A00+%2B0000&access_type=online&client_certificate_hash=x"
	body, _ := json.Marshal(mock.ESIALogin{AuthURL: bad, PersonOID: cr.PersonOID})
	var res mock.ESIALoginResult
	require.Equal(t, 200, actCtl(t, sb, "", "POST", "/_mock/act/esia/login", string(body), &res))
	assert.NotEmpty(t, res.Error)
	assert.Empty(t, res.Code)
	assert.Zero(t, a.ESIA.PendingLogins())
	// Without auth_url the login is queued for the next request.
	r, err := a.Act(ctx, mock.ESIALogin{PersonOID: cr.PersonOID, ClientID: cr.ClientID})
	require.NoError(t, err)
	assert.Equal(t, mock.ESIALoginResult{Queued: true}, r)
	assert.Equal(t, 1, a.ESIA.PendingLogins())
	assert.Zero(t, b.ESIA.PendingLogins())
	_, err = a.Act(ctx, mock.ESIALogin{PersonOID: cr.PersonOID, ClientID: "SOMEONE_ELSE"})
	require.ErrorIs(t, err, mock.ErrActNotFound)
	// Only the sandbox's ESIA is reachable: other URLs are refused.
	var e struct{ Error string }
	assert.Equal(t, 400, actCtl(t, sb, "", "POST", "/_mock/act/esia/login", `{"auth_url":"http://169.254.169.254/ac","person_oid":1}`, &e))
}

// TestActPOSAnswerInOutbox: a citizen's appeal is answered a day later on
// the tenant's clock, and the answer reaches that tenant's outbox only.
func TestActPOSAnswerInOutbox(t *testing.T) {
	sb, a, b := twoTenants(t)
	ctx := context.Background()
	opa := b.POS.LKOs()[0].OpaID
	var ap posmock.Appeal
	require.Equal(t, 200, actCtl(t, sb, b.ControlToken(), "POST", "/_mock/act/pos/appeal",
		`{"opa_id":`+strconv.FormatInt(opa, 10)+`,"description":"Яма во дворе","applicant":{"email":"ivan@example.ru"}}`, &ap))
	require.Equal(t, posmock.StatusNew, ap.Status().Status)
	f := world.OutboxFilter{Party: "pos", To: strconv.FormatInt(ap.ID, 10)}
	assert.Empty(t, b.Outbox(f))
	b.Clock.Advance(23 * time.Hour)
	b.Clock.WaitIdle()
	assert.Empty(t, b.Outbox(f))
	b.Clock.Advance(time.Hour)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	got, err := b.AwaitOutbox(wctx, f)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, posmock.StandardAnswer.Comment, got[0].Text)
	assert.Equal(t, "ivan@example.ru", got[0].Meta["email"])
	assert.Equal(t, world.ChannelPOS, got[0].Channel)
	assert.Empty(t, a.Outbox(world.OutboxFilter{}), "tenant a sees nothing of b's")
	// An unknown LKO: 404; a reset cancels a pending answer.
	var e struct{ Error string }
	assert.Equal(t, 404, actCtl(t, sb, "", "POST", "/_mock/act/pos/appeal", `{"opa_id":1,"description":"x"}`, &e))
	_, err = a.Act(ctx, mock.POSAppeal{OpaID: posmock.DefaultMinistryOpaID, Description: "Вопрос"})
	require.NoError(t, err)
	a.Reset()
	a.Clock.Advance(48 * time.Hour)
	a.Clock.WaitIdle()
	assert.Empty(t, a.Outbox(world.OutboxFilter{}))
}

// TestActCabinet: invite, return and approve as cabinet users of a role,
// in the tenant of the control token.
func TestActCabinet(t *testing.T) {
	sb, a, b := twoTenants(t)
	ctx := context.Background()
	creds := b.PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	editor := gpLogin(t, creds.URL, creds.Editor)
	p, err := editor.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Новость"), Targets: []string{"vk:-200000001"}})
	require.NoError(t, err)
	_, err = editor.SubmitPost(ctx, p.ID)
	require.NoError(t, err)
	pid := strconv.FormatInt(p.ID, 10)
	// Tenant a has no such post.
	var e struct{ Error string }
	assert.Equal(t, 404, actCtl(t, sb, "", "POST", "/_mock/act/gospubliki/return", `{"post_id":`+pid+`,"comment":"Исправьте"}`, &e))
	var post gpmock.Post
	require.Equal(t, 200, actCtl(t, sb, b.ControlToken(), "POST", "/_mock/act/gospubliki/return", `{"post_id":`+pid+`,"comment":"Исправьте"}`, &post))
	assert.Equal(t, gpmock.PostReturned, post.Status)
	require.Len(t, post.Comments, 1)
	assert.Equal(t, "Исправьте", post.Comments[0].Text)
	// An editor may not approve: the cabinet's own rule answers.
	assert.Equal(t, 403, actCtl(t, sb, b.ControlToken(), "POST", "/_mock/act/gospubliki/approve", `{"as":{"role":"editor"},"post_id":`+pid+`}`, &e))
	_, err = editor.UpdatePost(ctx, p.ID, gospubliki.PostInput{Text: gospubliki.Ptr("Новость, исправлено")})
	require.NoError(t, err)
	_, err = editor.SubmitPost(ctx, p.ID)
	require.NoError(t, err)
	r, err := b.Act(ctx, mock.GospublikiApprove{PostID: p.ID})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(r.(json.RawMessage), &post))
	assert.Equal(t, gpmock.PostApproved, post.Status)
	// Invite as the administrator.
	var u gpmock.User
	require.Equal(t, 200, actCtl(t, sb, b.ControlToken(), "POST", "/_mock/act/gospubliki/invite",
		`{"phone":"+79005550101","email":"new@example.ru","name":"Новый","role":"editor"}`, &u))
	assert.Equal(t, gpmock.StatusInvited, u.Status)
	assert.Equal(t, "editor", u.Role)
	_, err = a.Gospubliki.Actor(u.ID, 0, "")
	if err == nil {
		ua, _ := a.Gospubliki.Actor(u.ID, 0, "")
		assert.NotEqual(t, "+79005550101", ua.Phone, "the invite stays in tenant b")
	}
	assert.Equal(t, 404, actCtl(t, sb, b.ControlToken(), "POST", "/_mock/act/gospubliki/invite",
		`{"as":{"user_id":999999},"phone":"+79005550102","role":"editor"}`, &e))
}

// TestActHTTPErrors: the act route's refusals are JSON and precise.
func TestActHTTPErrors(t *testing.T) {
	sb, _, _ := twoTenants(t)
	var list struct{ Actions []string }
	require.Equal(t, 200, actCtl(t, sb, "", "GET", "/_mock/act", "", &list))
	assert.Contains(t, list.Actions, "telegram/button")
	assert.Contains(t, list.Actions, "gospubliki/return")
	assert.Equal(t, mock.ActionNames(), list.Actions)
	var e struct {
		Error string
		Known []string
	}
	assert.Equal(t, 404, actCtl(t, sb, "", "POST", "/_mock/act/vk/dance", `{}`, &e))
	assert.Contains(t, e.Known, "vk/join")
	assert.Equal(t, 400, actCtl(t, sb, "", "POST", "/_mock/act/vk/join", `{"group_id":1,"user_id":2,"extra":3}`, &e))
	assert.Contains(t, e.Error, "unknown field")
	assert.Equal(t, 400, actCtl(t, sb, "", "POST", "/_mock/act/vk/join", `{"group_id":1,"user_id":2}{}`, &e))
	assert.Equal(t, 400, actCtl(t, sb, "", "POST", "/_mock/act/telegram/message", `{"bot_id":1,"user_id":-2,"text":"x"}`, &e))
	assert.Contains(t, e.Error, "user_id must be a positive id")
	assert.Equal(t, 405, actCtl(t, sb, "", "GET", "/_mock/act/vk/join", "", &e))
	assert.Equal(t, 401, actCtl(t, sb, "mockctl_nope", "POST", "/_mock/act/vk/join", `{}`, &e))
	// A form post from a web page is refused.
	resp, err := sb.HTTPClient().Post(sb.ControlURL+"/_mock/act/vk/join", "application/x-www-form-urlencoded", strings.NewReader("group_id=1"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
	// A party the sandbox does not run.
	only, err := mock.New(mock.WithParties("telegram"))
	require.NoError(t, err)
	defer only.Close()
	_, err = only.Act(context.Background(), mock.VKJoin{GroupID: 1, UserID: 1})
	require.ErrorIs(t, err, mock.ErrPartyNotStarted)
}
