package mock

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// uiAction is an act-as-user button of the inspector: a small form whose
// fields become the JSON body of the act API (POST /_mock/act/{party}/{name},
// see [Action]), so the page does exactly what [Tenant.Act] does.
type uiAction struct {
	// ID is the action's "party/name".
	ID string
	// Party is the party it acts on (the button's colour).
	Party string
	// Label is the button; Help says what happens.
	Label, Help string
	// Fields are the inputs, pre-filled from the tenant's world.
	Fields []uiField
}

// uiField is an input of an action. Int fields are sent as JSON numbers,
// Bool fields ("on"/"off") as JSON booleans; a Name with a dot
// ("applicant.name", "as.role") is nested. Choices make a select.
type uiField struct {
	Name, Label, Value string
	Int, Bool          bool
	// JSON fields hold a JSON value (a menu's items), edited in a text area.
	JSON    bool
	Choices []string
}

func intField(name, label string, v int64) uiField {
	s := ""
	if v != 0 {
		s = strconv.FormatInt(v, 10)
	}
	return uiField{Name: name, Label: label, Value: s, Int: true}
}

func textField(name, label, v string) uiField { return uiField{Name: name, Label: label, Value: v} }

// uiDefaults are the values the forms start with, read from the world.
type uiDefaults struct {
	person, org              int64
	bot, tgUser, tgChat      int64
	vkGroup, vkPost, vkUser  int64
	vkOwner                  int64
	okGroup, okUser, okOwner int64
	okTopic                  string
	opaID                    int64
	vkJoiner, okJoiner       int64
	vkMenu                   string
	submittedPost, anyPost   int64
}

func defaultsOf(t *Tenant) uiDefaults {
	var d uiDefaults
	people := t.World.People()
	account := func(network string) int64 {
		for _, p := range people {
			if a, ok := p.Accounts[network]; ok && a.UserID != 0 {
				return a.UserID
			}
		}
		return 0
	}
	accountOf := func(network string, oid int64) int64 {
		for _, p := range people {
			if p.OID == oid {
				return p.Accounts[network].UserID
			}
		}
		return 0
	}
	for _, p := range people {
		if es := t.World.EmployeesOf(p.OID); len(es) > 0 {
			d.person, d.org = p.OID, es[0].OrgOID
			break
		}
	}
	d.tgUser, d.vkUser, d.okUser = account(world.NetworkTelegram), account(world.NetworkVK), account(world.NetworkOK)
	if t.Telegram != nil {
		if bots := t.Telegram.Section().Bots(); len(bots) > 0 {
			d.bot = bots[0].ID
		}
		for _, p := range t.World.Pages(world.NetworkTelegram) {
			if p.Kind != world.PageChannel {
				d.tgChat = p.ID
				break
			}
		}
	}
	if pages := t.World.Pages(world.NetworkVK); len(pages) > 0 && t.VK != nil {
		d.vkGroup, d.vkOwner = pages[0].ID, accountOf(world.NetworkVK, pages[0].Owner())
		if items := t.VK.Menu(d.vkGroup); items != nil {
			if data, err := json.MarshalIndent(items, "", "  "); err == nil {
				d.vkMenu = string(data)
			}
		}
		if posts := t.VK.Posts(d.vkGroup); len(posts) > 0 {
			d.vkPost = slices.MaxFunc(posts, func(a, b vkmock.Post) int { return int(a.ID - b.ID) }).ID
		}
	}
	if pages := t.World.Pages(world.NetworkOK); len(pages) > 0 {
		d.okGroup, d.okOwner = pages[0].ID, accountOf(world.NetworkOK, pages[0].Owner())
		d.okJoiner = outsider(people, world.NetworkOK, pages[0])
		if t.OK != nil {
			for _, tp := range t.OK.Topics(d.okGroup) {
				if tp.Published {
					d.okTopic = tp.ID // the newest published topic
				}
			}
		}
	}
	if pages := t.World.Pages(world.NetworkVK); len(pages) > 0 {
		d.vkJoiner = outsider(people, world.NetworkVK, pages[0])
	}
	if t.POS != nil {
		if lkos := t.POS.LKOs(); len(lkos) > 0 {
			d.opaID = lkos[0].OpaID
		}
	}
	if t.Gospubliki != nil {
		if st, err := gpmock.StateOf(t.World.Export(world.WithoutSecrets())); err == nil {
			for _, p := range st.Posts {
				d.anyPost = max(d.anyPost, p.ID)
				if p.Status == gpmock.PostSubmitted {
					d.submittedPost = max(d.submittedPost, p.ID)
				}
			}
		}
		if d.submittedPost == 0 {
			d.submittedPost = d.anyPost
		}
	}
	return d
}

// outsiderID is the account a join form offers when every person of the
// world is already on the page: a user the world does not know.
const outsiderID = 100000777

// outsider returns the account id of a person not on the page (neither
// administrator nor member), for the join forms.
func outsider(people []world.Person, network string, p world.Page) int64 {
	on := map[int64]bool{}
	for _, a := range p.Admins {
		on[a.PersonOID] = true
	}
	for _, m := range p.Members {
		on[m] = true
	}
	for _, person := range people {
		if a, ok := person.Accounts[network]; ok && a.UserID != 0 && !on[person.OID] {
			return a.UserID
		}
	}
	return outsiderID
}

// actForms lists the act-as-user forms for the tenant's started parties.
func (ui *inspector) actForms(t *Tenant) []uiAction {
	d := defaultsOf(t)
	onOff := []string{"on", "off"}
	var out []uiAction
	add := func(started bool, a uiAction) {
		if started {
			a.Party, _, _ = strings.Cut(a.ID, "/")
			out = append(out, a)
		}
	}
	add(t.ESIA != nil, uiAction{ID: "esia/login", Label: "Finish an ESIA login",
		Help:   "queues a login: the next authorization request of any system returns with a code for this person",
		Fields: []uiField{intField("person_oid", "person OID", d.person), intField("org_oid", "organisation OID", d.org)}})
	add(t.Telegram != nil, uiAction{ID: "telegram/message", Label: "Write to the bot",
		Help:   "a person sends the bot a private message",
		Fields: []uiField{intField("bot_id", "bot id", d.bot), intField("user_id", "user id", d.tgUser), textField("text", "text", "Здравствуйте!")}})
	add(t.Telegram != nil, uiAction{ID: "telegram/command", Label: "Send the bot a command",
		Help:   "a person sends /command (Start is /start)",
		Fields: []uiField{intField("bot_id", "bot id", d.bot), intField("user_id", "user id", d.tgUser), textField("command", "command", "start"), textField("args", "arguments", "")}})
	add(t.Telegram != nil, uiAction{ID: "telegram/button", Label: "Press an inline button",
		Help:   "a person presses a button of a bot's message (callback_query)",
		Fields: []uiField{intField("bot_id", "bot id", d.bot), intField("user_id", "user id", d.tgUser), intField("chat_id", "chat id (empty: private chat)", 0), intField("message_id", "message id", 0), textField("data", "callback data", "")}})
	add(t.Telegram != nil, uiAction{ID: "telegram/post", Label: "Post in a group",
		Help:   "a person writes in a group or supergroup the bot is in",
		Fields: []uiField{intField("chat_id", "chat id", d.tgChat), intField("user_id", "user id", d.tgUser), textField("text", "text", "Добрый день!")}})
	add(t.VK != nil, uiAction{ID: "vk/comment", Label: "Comment on a VK post",
		Help:   "a user comments a wall post (wall_reply_new)",
		Fields: []uiField{intField("group_id", "group id", d.vkGroup), intField("post_id", "post id", d.vkPost), intField("user_id", "user id", d.vkUser), textField("text", "text", "Спасибо за новость!")}})
	add(t.VK != nil, uiAction{ID: "vk/message", Label: "Write to the VK community",
		Help:   "a user writes to the community (message_new)",
		Fields: []uiField{intField("group_id", "group id", d.vkGroup), intField("user_id", "user id", d.vkUser), textField("text", "text", "Когда откроется запись?")}})
	add(t.VK != nil, uiAction{ID: "vk/join", Label: "Join the VK community",
		Help:   "a user joins the community (group_join)",
		Fields: []uiField{intField("group_id", "group id", d.vkGroup), intField("user_id", "user id", d.vkJoiner)}})
	add(t.VK != nil, uiAction{ID: "vk/two_factor", Label: "Turn VK 2FA on or off",
		Help:   "a user switches «Двойная защита»; the «Госорганизация» checks see it",
		Fields: []uiField{intField("user_id", "user id", d.vkOwner), {Name: "enabled", Label: "2FA", Value: "off", Bool: true, Choices: onOff}}})
	add(t.VK != nil, uiAction{ID: "vk/menu", Label: "Edit the VK menu",
		Help:   "an administrator replaces the community's menu (the POS links are its first two items)",
		Fields: []uiField{intField("group_id", "group id", d.vkGroup), intField("user_id", "administrator's user id", d.vkOwner), {Name: "items", Label: "items (JSON)", Value: d.vkMenu, JSON: true}}})
	add(t.VK != nil, uiAction{ID: "vk/description", Label: "Edit the VK description",
		Help:   "an administrator replaces the community's description",
		Fields: []uiField{intField("group_id", "group id", d.vkGroup), intField("user_id", "administrator's user id", d.vkOwner), textField("text", "description", "Официальная страница")}})
	add(t.OK != nil, uiAction{ID: "ok/join", Label: "Join the OK group",
		Help:   "a user joins the group",
		Fields: []uiField{intField("group_id", "group id", d.okGroup), intField("user_id", "user id", d.okJoiner)}})
	add(t.OK != nil, uiAction{ID: "ok/two_factor", Label: "Turn OK 2FA on or off",
		Help:   "a user switches two-factor authentication",
		Fields: []uiField{intField("user_id", "user id", d.okOwner), {Name: "enabled", Label: "2FA", Value: "off", Bool: true, Choices: onOff}}})
	add(t.OK != nil, uiAction{ID: "ok/description", Label: "Edit the OK description",
		Help:   "the group's administrator replaces its description, where OK groups show the POS links",
		Fields: []uiField{intField("group_id", "group id", d.okGroup), intField("user_id", "administrator's user id", d.okOwner), textField("text", "description", "Официальная группа")}})
	add(t.OK != nil, uiAction{ID: "ok/comment", Label: "Comment on an OK topic",
		Help:   "a user comments a published group topic; the group's administrators read it (discussions.getComments)",
		Fields: []uiField{textField("topic_id", "topic id", d.okTopic), intField("user_id", "user id", d.okJoiner), textField("name", "name", "Ольга Иванова"), textField("text", "text", "Спасибо за информацию!")}})
	add(t.POS != nil, uiAction{ID: "pos/appeal", Label: "Submit a POS appeal",
		Help: "a citizen files an appeal through the organisation's form; its answer reaches the outbox",
		Fields: []uiField{intField("opa_id", "LKO opaId", d.opaID), textField("description", "text", "Не работает освещение во дворе"),
			textField("applicant.surname", "surname", "Смирнов"), textField("applicant.name", "name", "Олег")}})
	roles := []string{"", gpmock.RoleLKOAdmin, gpmock.RoleModerator, gpmock.RoleEditor}
	add(t.Gospubliki != nil, uiAction{ID: gpmock.PartyName + "/invite", Label: "Invite a cabinet user",
		Help: "the LKO administrator invites a user; the invitation reaches the outbox",
		Fields: []uiField{textField("phone", "phone", "+79005550101"), textField("email", "e-mail", "new.editor@example.org"),
			textField("name", "name", "Новый редактор"), {Name: "role", Label: "role", Value: gpmock.RoleEditor, Choices: roles[2:]},
			intField("as.cabinet_id", "cabinet id (empty: any)", 0)}})
	add(t.Gospubliki != nil, uiAction{ID: gpmock.PartyName + "/approve", Label: "Approve a cabinet post",
		Help:   "a moderator approves a submitted post; it is published at its time",
		Fields: []uiField{intField("post_id", "post id", d.submittedPost), intField("as.user_id", "moderator's user id (empty: any)", 0)}})
	add(t.Gospubliki != nil, uiAction{ID: gpmock.PartyName + "/return", Label: "Return a cabinet post",
		Help:   "a moderator returns a submitted post to its author with a comment",
		Fields: []uiField{intField("post_id", "post id", d.submittedPost), textField("comment", "comment", "Уточните дату и время"), intField("as.user_id", "moderator's user id (empty: any)", 0)}})
	return out
}

// serveActForm runs an act-as-user form through the act API.
func (ui *inspector) serveActForm(w http.ResponseWriter, r *http.Request) {
	s := ui.session(r)
	id := r.PostForm.Get("action")
	var act *uiAction
	for _, a := range ui.actForms(s.tenant) {
		if a.ID == id {
			act = &a
			break
		}
	}
	if act == nil {
		flash(w, false, "unknown action "+strconv.Quote(id))
		back(w, r)
		return
	}
	body := map[string]any{}
	for _, f := range act.Fields {
		v := strings.TrimSpace(r.PostForm.Get(f.Name))
		if v == "" {
			continue
		}
		var val any = v
		switch {
		case f.Int:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				flash(w, false, act.Label+": "+f.Label+" must be an integer")
				back(w, r)
				return
			}
			val = n
		case f.Bool:
			val = v == "on" || v == "true"
		case f.JSON:
			var raw json.RawMessage
			if err := json.Unmarshal([]byte(v), &raw); err != nil {
				flash(w, false, act.Label+": "+f.Label+" must be JSON")
				back(w, r)
				return
			}
			val = raw
		}
		dst := body
		name := f.Name
		if parent, child, ok := strings.Cut(f.Name, "."); ok {
			sub, _ := body[parent].(map[string]any)
			if sub == nil {
				sub = map[string]any{}
				body[parent] = sub
			}
			dst, name = sub, child
		}
		dst[name] = val
	}
	status, answer := ui.call(r.Context(), s, http.MethodPost, "/_mock/act/"+act.ID, body)
	outcome(w, act.Label, status, answer)
	back(w, r)
}
