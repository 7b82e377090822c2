package mock_test

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// uiBrowser is a client of the inspector that keeps cookies, as a browser
// does.
type uiBrowser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newUIBrowser(t *testing.T, sb *mock.Sandbox) *uiBrowser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &uiBrowser{t: t, base: sb.ControlURL, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (b *uiBrowser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	return resp, string(data)
}

func (b *uiBrowser) get(path string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	require.NoError(b.t, err)
	return b.do(req)
}

// post submits a form as the page would (same origin); the redirect that
// follows is taken, so the answer is the next page.
func (b *uiBrowser) post(path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return b.do(req)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// csrf loads a page and returns its form token.
func (b *uiBrowser) csrf(path string) string {
	b.t.Helper()
	_, body := b.get(path)
	m := csrfRe.FindStringSubmatch(body)
	require.NotNil(b.t, m, "no CSRF token on %s", path)
	return m[1]
}

var frozenAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestUITimelineShowsTheJournalNewestFirst(t *testing.T) {
	sb := mock.Start(t, mock.WithFrozenClock(frozenAt))
	sb.Journal.Record(world.Entry{Time: frozenAt, Party: "esia", Method: "ac", Status: 302})
	sb.Journal.Record(world.Entry{Time: frozenAt, Party: "vk", Method: "wall.post", Status: 200,
		Params:  map[string]string{"owner_id": "-200000001", "message": "<script>alert(1)</script>"},
		Decoded: &world.Decoded{VK: &world.VKCall{Method: "wall.post", TokenInHeader: true}}})
	sb.Journal.Record(world.Entry{Time: frozenAt, Party: "telegram", Method: "sendmessage", Status: 429, Code: 429,
		Description: "Too Many Requests", Fault: "f1"})
	b := newUIBrowser(t, sb)

	assert.Equal(t, sb.ControlURL+"/_mock/ui/", sb.InspectorURL())
	resp, body := b.get("/_mock/ui")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "/_mock/ui/", resp.Request.URL.Path, "/_mock/ui redirects to the page")
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"))
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'self'")
	assert.Contains(t, body, `id="tenant">default<`)
	assert.Contains(t, body, "2026-03-02 09:00:00", "the world clock")
	esia := strings.Index(body, `data-seq="1"`)
	vk := strings.Index(body, `data-seq="2"`)
	tg := strings.Index(body, `data-seq="3"`)
	require.True(t, esia > 0 && vk > 0 && tg > 0, "every entry is on the timeline")
	assert.True(t, tg < vk && vk < esia, "newest first")
	assert.Contains(t, body, `class="p-telegram failed"`, "party colour and failure")
	assert.Contains(t, body, "⚡f1", "the fault rule that fired")
	assert.Contains(t, body, "Too Many Requests")
	assert.Contains(t, body, "VK post", "the flow step")
	assert.NotContains(t, body, "<script>alert(1)</script>", "parameters are escaped")
	assert.Contains(t, body, "&lt;script&gt;alert(1)&lt;/script&gt;")
	assert.Contains(t, body, `data-last="3"`)

	// The poller's fragment: only what came after, newest first.
	sb.Journal.Record(world.Entry{Time: frozenAt, Party: "gospubliki", Method: "createPost", Status: 201})
	sb.Journal.Record(world.Entry{Time: frozenAt, Party: "vk", Method: "callback", Status: 200})
	resp, frag := b.get("/_mock/ui/timeline?after=3")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "5", resp.Header.Get("X-Last-Seq"))
	assert.Contains(t, frag, "webhook to the app")
	assert.Less(t, strings.Index(frag, `data-seq="5"`), strings.Index(frag, `data-seq="4"`))
	assert.Equal(t, "2026-03-02T09:00:00Z", resp.Header.Get("X-Clock"))
	assert.Contains(t, frag, `data-seq="4"`)
	assert.Contains(t, frag, "cabinet post")
	assert.NotContains(t, frag, `data-seq="3"`)
	resp, frag = b.get("/_mock/ui/timeline?after=5&wait=0")
	assert.Equal(t, "5", resp.Header.Get("X-Last-Seq"))
	assert.Empty(t, strings.TrimSpace(frag))

	// A long poll answers as soon as an entry is recorded.
	got := make(chan string, 1)
	go func() {
		req, err := http.NewRequest(http.MethodGet, b.base+"/_mock/ui/timeline?wait=30&after=5", nil)
		if err != nil {
			got <- err.Error()
			return
		}
		resp, err := b.c.Do(req)
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		got <- resp.Header.Get("X-Last-Seq") + " " + string(data)
	}()
	sb.Journal.Record(world.Entry{Time: frozenAt, Party: "ok", Method: "mediatopic.post", Status: 200})
	frag = <-got
	assert.True(t, strings.HasPrefix(frag, "6 "), frag)
	assert.Contains(t, frag, "OK post")
	for _, bad := range []string{"x", "-1", "31"} {
		resp, _ = b.get("/_mock/ui/timeline?after=0&wait=" + bad)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, bad)
	}

	// A party filter shows that party only, and still moves past others.
	_, frag = b.get("/_mock/ui/timeline?after=0&party=vk")
	assert.Contains(t, frag, `data-seq="2"`)
	assert.NotContains(t, frag, `data-seq="1"`)
	resp, _ = b.get("/_mock/ui/timeline?after=x")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)

	// One entry in full.
	resp, body = b.get("/_mock/ui/entry?seq=2")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, "wall.post")
	assert.Contains(t, body, "-200000001")
	assert.Contains(t, body, "&lt;script&gt;")
	assert.Contains(t, body, "&#34;token_in_header&#34;: true", "the party's decoded view")
	resp, _ = b.get("/_mock/ui/entry?seq=99")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	resp, _ = b.get("/_mock/ui/entry?seq=x")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)

	resp, css := b.get("/_mock/ui/assets/ui.css")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, css, ".p-telegram")
	resp, js := b.get("/_mock/ui/assets/ui.js")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, js, "/_mock/ui/timeline?")
}

func TestUIClockNeedsTheCSRFTokenAndTheOwnOrigin(t *testing.T) {
	sb := mock.Start(t, mock.WithFrozenClock(frozenAt))
	b := newUIBrowser(t, sb)
	tok := b.csrf("/_mock/ui/")

	resp, _ := b.post("/_mock/ui/clock", url.Values{"op": {"advance"}, "d": {"1h"}}, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "no CSRF token")
	resp, _ = b.post("/_mock/ui/clock", url.Values{"op": {"advance"}, "d": {"1h"}, "csrf": {strings.Repeat("0", len(tok))}}, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a wrong CSRF token")
	resp, _ = b.post("/_mock/ui/clock", url.Values{"op": {"advance"}, "d": {"1h"}, "csrf": {tok}},
		map[string]string{"Origin": "http://evil.example"})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "another origin")
	resp, _ = b.post("/_mock/ui/clock", url.Values{"op": {"advance"}, "d": {"1h"}, "csrf": {tok}},
		map[string]string{"Sec-Fetch-Site": "cross-site"})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a cross-site request")
	req, err := http.NewRequest(http.MethodGet, sb.ControlURL+"/_mock/ui/", nil)
	require.NoError(t, err)
	req.Host = "rebind.example:" + strings.Split(sb.ControlURL, ":")[2]
	resp, _ = b.do(req)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a foreign Host (DNS rebinding)")
	assert.Equal(t, frozenAt, sb.Clock.Now(), "nothing refused moved the clock")

	resp, body := b.post("/_mock/ui/clock", url.Values{"op": {"advance"}, "d": {"90m"}, "csrf": {tok}}, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, frozenAt.Add(90*time.Minute), sb.Clock.Now())
	assert.Contains(t, body, `class="flash ok"`)
	assert.Contains(t, body, "2026-03-02 10:30:00")

	resp, body = b.post("/_mock/ui/clock", url.Values{"op": {"set"}, "t": {"2026-04-01T12:00"}, "csrf": {tok}}, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC), sb.Clock.Now().UTC())
	assert.Contains(t, body, "2026-04-01 12:00:00")

	_, body = b.post("/_mock/ui/clock", url.Values{"op": {"advance"}, "d": {"soon"}, "csrf": {tok}}, nil)
	assert.Contains(t, body, `class="flash error"`)
	assert.Contains(t, body, "d must be a Go duration")
	assert.Equal(t, time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC), sb.Clock.Now().UTC())
}

func TestUIFaultRulesAddAndDelete(t *testing.T) {
	sb := mock.Start(t)
	b := newUIBrowser(t, sb)
	tok := b.csrf("/_mock/ui/")

	_, body := b.post("/_mock/ui/faults", url.Values{"csrf": {tok}, "party": {"telegram"}, "method": {"sendMessage"},
		"kind": {"error"}, "code": {"500"}, "description": {"Internal"}, "nth": {"2"}, "params": {"chat_id=-1001000000001, text=hi"}}, nil)
	rules := sb.Faults.List()
	require.Len(t, rules, 1)
	assert.Equal(t, "telegram", rules[0].Party)
	assert.Equal(t, "sendmessage", rules[0].Method)
	assert.Equal(t, world.FaultError, rules[0].Kind)
	assert.Equal(t, 500, rules[0].Code)
	assert.Equal(t, 2, rules[0].Nth)
	assert.Equal(t, map[string]string{"chat_id": "-1001000000001", "text": "hi"}, rules[0].Params)
	assert.Contains(t, body, "chat_id=-1001000000001")
	assert.Contains(t, body, `data-rule="`+rules[0].ID+`"`, "the page lists the rule")

	_, body = b.post("/_mock/ui/faults", url.Values{"csrf": {tok}, "party": {"telegram"}, "method": {"noSuchMethod"}, "kind": {"error"}}, nil)
	assert.Contains(t, body, "unknown method", "the control API's validation is shown")
	_, body = b.post("/_mock/ui/faults", url.Values{"csrf": {tok}, "party": {"telegram"}, "kind": {"error"}, "method": {strings.Repeat("語", 3000)}}, nil)
	assert.Contains(t, body, `class="flash error"`, "a long answer is cut to fit its cookie")
	assert.Contains(t, body, "unknown method")
	_, body = b.post("/_mock/ui/faults", url.Values{"csrf": {tok}, "params": {"owner_id"}}, nil)
	assert.Contains(t, body, "params are name=value pairs")
	_, body = b.post("/_mock/ui/faults", url.Values{"csrf": {tok}, "code": {"five"}}, nil)
	assert.Contains(t, body, "code must be an integer")
	assert.Len(t, sb.Faults.List(), 1)

	_, body = b.post("/_mock/ui/faults/delete", url.Values{"csrf": {tok}, "id": {rules[0].ID}}, nil)
	assert.Empty(t, sb.Faults.List())
	assert.Contains(t, body, `id="no-faults"`)
}

func TestUIActAsAUser(t *testing.T) {
	sb := mock.Start(t)
	b := newUIBrowser(t, sb)
	_, page := b.get("/_mock/ui/")
	tok := csrfRe.FindStringSubmatch(page)[1]
	for _, id := range mock.ActionNames() { // every action has its form
		assert.Contains(t, page, `data-action="`+id+`"`)
	}
	bot := sb.Credentials.Telegram.BotID
	user := world.DefaultChiefTelegramID
	before := len(sb.Telegram.PrivateMessages(bot, user))
	_, body := b.post("/_mock/ui/act", url.Values{"csrf": {tok}, "action": {"telegram/message"},
		"bot_id": {strconv.FormatInt(bot, 10)}, "user_id": {strconv.FormatInt(user, 10)}, "text": {"привет из инспектора"}}, nil)
	assert.Contains(t, body, `class="flash ok"`)
	msgs := sb.Telegram.PrivateMessages(bot, user)
	require.Len(t, msgs, before+1)
	assert.Equal(t, "привет из инспектора", msgs[len(msgs)-1].Text)

	_, body = b.post("/_mock/ui/act", url.Values{"csrf": {tok}, "action": {"telegram/message"}, "bot_id": {"seven"}}, nil)
	assert.Contains(t, body, "bot id must be an integer")
	_, body = b.post("/_mock/ui/act", url.Values{"csrf": {tok}, "action": {"nope"}}, nil)
	assert.Contains(t, body, "unknown action &#34;nope&#34;")

	_, body = b.post("/_mock/ui/act", url.Values{"csrf": {tok}, "action": {"esia/login"},
		"person_oid": {strconv.FormatInt(world.DefaultChiefOID, 10)}, "org_oid": {strconv.FormatInt(world.DefaultMinistryOID, 10)}}, nil)
	assert.Contains(t, body, `queued`)
	assert.Equal(t, 1, sb.ESIA.PendingLogins())

	// A choice becomes a JSON boolean: the chief turns VK 2FA off.
	_, body = b.post("/_mock/ui/act", url.Values{"csrf": {tok}, "action": {"vk/two_factor"},
		"user_id": {strconv.FormatInt(world.DefaultChiefVKID, 10)}, "enabled": {"off"}}, nil)
	assert.Contains(t, body, `class="flash ok"`)
	chief, err := sb.World.Person(world.DefaultChiefOID)
	require.NoError(t, err)
	assert.False(t, chief.Accounts[world.NetworkVK].TwoFactor)

	// A JSON field: the owner replaces the menu, dropping the POS items.
	_, body = b.post("/_mock/ui/act", url.Values{"csrf": {tok}, "action": {"vk/menu"},
		"group_id": {strconv.FormatInt(world.DefaultVKGroupID, 10)}, "user_id": {strconv.FormatInt(world.DefaultChiefVKID, 10)},
		"items": {`[{"id": 1, "title": "Госуслуги", "url": "https://www.gosuslugi.ru"}]`}}, nil)
	assert.Contains(t, body, `class="flash ok"`)
	menu := sb.VK.Menu(world.DefaultVKGroupID)
	require.Len(t, menu, 1)
	assert.Equal(t, "Госуслуги", menu[0].Title)
	_, body = b.post("/_mock/ui/act", url.Values{"csrf": {tok}, "action": {"vk/menu"}, "items": {`[{`}}, nil)
	assert.Contains(t, body, "items (JSON) must be JSON")

	// A nested field and the cabinet: the LKO administrator invites a user.
	_, body = b.post("/_mock/ui/act", url.Values{"csrf": {tok}, "action": {"gospubliki/invite"},
		"phone": {"+79005550177"}, "email": {"ui.invite@example.org"}, "name": {"Редактор"}, "role": {"editor"}, "as.cabinet_id": {"1"}}, nil)
	assert.Contains(t, body, `class="flash ok"`)
	st, err := gpmock.StateOf(sb.World.Export())
	require.NoError(t, err)
	invited := false
	for _, u := range st.Users {
		invited = invited || (u.Email == "ui.invite@example.org" && u.CabinetID == 1 && u.Role == "editor")
	}
	assert.True(t, invited, "the invited user is in cabinet 1")
}

var (
	actFormRe  = regexp.MustCompile(`(?s)<form method="post" action="/_mock/ui/act"[^>]*>(.*?)</form>`)
	inputRe    = regexp.MustCompile(`<input (?:type="hidden" )?name="([^"]+)" value="([^"]*)"`)
	textareaRe = regexp.MustCompile(`(?s)<textarea name="([^"]+)"[^>]*>(.*?)</textarea>`)
	selectRe   = regexp.MustCompile(`(?s)<select name="([^"]+)">.*?<option value="([^"]*)" selected>`)
)

// TestUIActFormsWorkAsFilled presses the act-as-user buttons whose fields
// the default world fills completely, as they come.
func TestUIActFormsWorkAsFilled(t *testing.T) {
	sb := mock.Start(t)
	b := newUIBrowser(t, sb)
	_, page := b.get("/_mock/ui/")
	forms := map[string]url.Values{}
	for _, m := range actFormRe.FindAllStringSubmatch(page, -1) {
		v := url.Values{}
		for _, in := range inputRe.FindAllStringSubmatch(m[1], -1) {
			v.Set(in[1], html.UnescapeString(in[2]))
		}
		for _, in := range textareaRe.FindAllStringSubmatch(m[1], -1) {
			v.Set(in[1], html.UnescapeString(in[2]))
		}
		for _, in := range selectRe.FindAllStringSubmatch(m[1], -1) {
			v.Set(in[1], in[2])
		}
		forms[v.Get("action")] = v
	}
	require.Len(t, forms, len(mock.ActionNames()))
	for _, id := range []string{"esia/login", "telegram/message", "telegram/command", "telegram/post", "vk/message", "vk/join",
		"vk/two_factor", "vk/menu", "vk/description", "ok/join", "ok/two_factor", "ok/description", "pos/appeal", "gospubliki/invite"} {
		_, body := b.post("/_mock/ui/act", forms[id], nil)
		assert.True(t, strings.Contains(body, `class="flash ok"`), "%s as filled: %s", id, flashOf(body))
	}
}

var flashRe = regexp.MustCompile(`id="flash"[^>]*>([^<]*)<`)

func flashOf(page string) string {
	if m := flashRe.FindStringSubmatch(page); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

func TestUITenantIsolationAndLogin(t *testing.T) {
	sb := mock.Start(t, mock.WithFrozenClock(frozenAt))
	other, err := sb.CreateTenant("team-b", nil)
	require.NoError(t, err)
	sb.Journal.Record(world.Entry{Party: "telegram", Method: "default_only_method", Status: 200})
	other.Journal.Record(world.Entry{Party: "telegram", Method: "team_b_only_method", Status: 200})
	other.Clock.Advance(240 * time.Hour)

	b := newUIBrowser(t, sb)
	_, body := b.get("/_mock/ui/")
	assert.Contains(t, body, "default_only_method")
	assert.NotContains(t, body, "team_b_only_method")

	// Naming a tenant is not enough: the page asks for its control token.
	_, body = b.get("/_mock/ui/?tenant=team-b")
	assert.Contains(t, body, `id="login"`)
	assert.Contains(t, body, `id="tenant">default<`)
	assert.NotContains(t, body, "team_b_only_method")
	_, frag := b.get("/_mock/ui/timeline?after=0&tenant=team-b")
	assert.NotContains(t, frag, "team_b_only_method")
	tok := csrfRe.FindStringSubmatch(body)[1]

	_, body = b.post("/_mock/ui/login", url.Values{"csrf": {tok}, "tenant": {"team-b"}, "token": {"wrong"}}, nil)
	assert.Contains(t, body, "unknown tenant or control token")
	assert.NotContains(t, body, "team_b_only_method")
	_, body = b.post("/_mock/ui/login", url.Values{"csrf": {tok}, "tenant": {"default"}, "token": {other.ControlToken()}}, nil)
	assert.Contains(t, body, "unknown tenant or control token", "the token must be the named tenant's")

	resp, body := b.post("/_mock/ui/login", url.Values{"csrf": {tok}, "tenant": {"team-b"}, "token": {other.ControlToken()}}, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, `id="tenant">team-b<`)
	assert.Contains(t, body, "team_b_only_method")
	assert.NotContains(t, body, "default_only_method")
	assert.NotContains(t, body, other.ControlToken(), "the token never reaches the page")
	u, _ := url.Parse(sb.ControlURL + "/_mock/ui/")
	var session *http.Cookie
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "gosmock_ui" {
			session = c
		}
	}
	require.NotNil(t, session, "the session cookie")
	_, frag = b.get("/_mock/ui/timeline?after=0")
	assert.Contains(t, frag, "team_b_only_method")
	assert.NotContains(t, frag, "default_only_method")

	// The form token changed with the session: the old one is refused.
	resp, _ = b.post("/_mock/ui/clock", url.Values{"csrf": {tok}, "op": {"advance"}, "d": {"1h"}}, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	tokB := csrfRe.FindStringSubmatch(body)[1]
	assert.NotEqual(t, tok, tokB)
	defNow, bNow := sb.Clock.Now(), other.Clock.Now()
	_, _ = b.post("/_mock/ui/clock", url.Values{"csrf": {tokB}, "op": {"advance"}, "d": {"1h"}}, nil)
	assert.Equal(t, bNow.Add(time.Hour), other.Clock.Now(), "the logged-in tenant's clock moves")
	assert.Equal(t, defNow, sb.Clock.Now(), "the default tenant's does not")
	_, _ = b.post("/_mock/ui/faults", url.Values{"csrf": {tokB}, "kind": {"error"}, "party": {"telegram"}, "code": {"500"}}, nil)
	assert.Len(t, other.Faults.List(), 1)
	assert.Empty(t, sb.Faults.List())

	// Another browser without the cookie still sees the default tenant.
	_, body = newUIBrowser(t, sb).get("/_mock/ui/")
	assert.NotContains(t, body, "team_b_only_method")

	// A deleted tenant's session falls back to the default tenant.
	require.NoError(t, sb.DeleteTenant("team-b"))
	_, body = b.get("/_mock/ui/")
	assert.Contains(t, body, `id="tenant">default<`)
	assert.NotContains(t, body, "team_b_only_method")
}

func TestUIReset(t *testing.T) {
	sb := mock.Start(t)
	b := newUIBrowser(t, sb)
	tok := b.csrf("/_mock/ui/")
	sb.Journal.Record(world.Entry{Party: "telegram", Method: "getme", Status: 200})
	_, err := sb.Faults.Add(world.Rule{Party: "telegram", Kind: world.FaultError, Code: 500})
	require.NoError(t, err)

	_, body := b.post("/_mock/ui/reset", url.Values{"csrf": {tok}, "what": {"journal"}}, nil)
	assert.Contains(t, body, "journal cleared")
	assert.Zero(t, sb.Journal.Len())
	assert.Len(t, sb.Faults.List(), 1, "clearing the journal keeps the rules")

	_, body = b.post("/_mock/ui/reset", url.Values{"csrf": {tok}, "what": {"tenant"}}, nil)
	assert.Contains(t, body, "tenant reset")
	assert.Empty(t, sb.Faults.List())

	_, body = b.post("/_mock/ui/reset", url.Values{"csrf": {tok}, "what": {"everything"}}, nil)
	assert.Contains(t, body, `class="flash error"`)
}

func TestUILogout(t *testing.T) {
	sb := mock.Start(t)
	other, err := sb.CreateTenant("c", nil)
	require.NoError(t, err)
	b := newUIBrowser(t, sb)
	tok := b.csrf("/_mock/ui/")
	_, body := b.post("/_mock/ui/login", url.Values{"csrf": {tok}, "tenant": {"c"}, "token": {other.ControlToken()}}, nil)
	require.Contains(t, body, `id="tenant">c<`)
	tok = csrfRe.FindStringSubmatch(body)[1]
	_, body = b.post("/_mock/ui/logout", url.Values{"csrf": {tok}}, nil)
	assert.Contains(t, body, `id="tenant">default<`)
}

func TestUIStateBrowser(t *testing.T) {
	sb := mock.Start(t)
	b := newUIBrowser(t, sb)
	_, err := sb.VK.World().RequestGovMark(world.NetworkVK, world.DefaultVKGroupID)
	require.NoError(t, err)
	def, err := sb.Tenant(mock.DefaultTenant)
	require.NoError(t, err)
	cab, err := def.Gospubliki.AddCabinet(gpmock.KindEditorial, world.DefaultMinistryOID, "Редакция министерства UI")
	require.NoError(t, err)
	sb.World.Outbox.Send(world.Message{Party: "gospubliki", Channel: world.ChannelEmail, To: "editor@example.org",
		Subject: "Приглашение в кабинет", Text: "Вас пригласили", Meta: map[string]string{"link": "https://example.org/invite"}})
	resp, body := b.get("/_mock/ui/state")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	for _, o := range sb.World.Organizations() {
		assert.Contains(t, body, `data-oid="`+strconv.FormatInt(o.OID, 10)+`"`)
	}
	for _, p := range sb.World.Pages("") {
		assert.Contains(t, body, `data-page="`+p.Network+":"+strconv.FormatInt(p.ID, 10)+`"`)
	}
	row := func(key string) string {
		i := strings.Index(body, `data-page="`+key+`"`)
		require.Positive(t, i, key)
		j := strings.Index(body[i:], "</tr>")
		return body[i : i+j]
	}
	ministry := row("vk:" + strconv.FormatInt(world.DefaultVKGroupID, 10))
	assert.Contains(t, ministry, "st-under_review", "the mark's status")
	assert.Contains(t, ministry, `<span class="st st-ok">ok</span>`, "the ministry's menu follows the placement plan")
	broken := row("vk:200000002")
	assert.Contains(t, broken, `st-failed`, "the subordinate's POS menu is broken")
	assert.Contains(t, broken, "does not list the page")
	// The POS column agrees with the region's seeded defects.
	region := world.DefaultRegion()
	for _, p := range region.Pages {
		if p.Network != world.NetworkVK {
			continue
		}
		r := row("vk:" + strconv.FormatInt(p.ID, 10))
		if slices.Contains(region.Defects(world.NetworkVK, p.ID), world.DefectWrongPOSLink) {
			assert.Contains(t, r, "st-failed", "page %d has a wrong POS link", p.ID)
		} else {
			assert.Contains(t, r, "st-ok", "page %d", p.ID)
		}
	}
	assert.Contains(t, body, `data-msg="1"`, "the outbox")
	assert.Contains(t, body, "Приглашение в кабинет")
	assert.Contains(t, body, "editor@example.org")
	assert.Contains(t, body, `data-table="cabinets"`)
	assert.Contains(t, body, "Редакция министерства UI", "the cabinet the section exports")
	assert.Contains(t, body, "<td>"+strconv.FormatInt(cab.ID, 10)+"</td>")
	assert.Contains(t, body, "<summary>telegram</summary>", "other sections")
	assert.NotContains(t, body, sb.Credentials.Telegram.BotToken, "no secrets")
}
