package mock

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// uiAction is an act-as-user button of the inspector: a small form whose
// fields become the JSON body of a control API call, so the page does
// exactly what the HTTP control API and its Go methods do.
type uiAction struct {
	// ID names the action in the form ("telegram.write").
	ID string
	// Party is the party it acts on (the button's colour).
	Party string
	// Label is the button; Help says what happens.
	Label, Help string
	// Fields are the inputs, pre-filled from the tenant's world.
	Fields []uiField

	method, path string
}

// uiField is an input of an action. Int fields are sent as JSON numbers;
// a Name with a dot ("applicant.name") is nested.
type uiField struct {
	Name, Label, Value string
	Int                bool
	// Choices, when set, make the input a select.
	Choices []string
}

// actForms lists the act-as-user buttons for the tenant's started parties,
// with fields pre-filled from its world (the first bot, the newest VK
// post, ...).
func (ui *inspector) actForms(t *Tenant) []uiAction {
	var out []uiAction
	people := t.World.People()
	account := func(network string) string {
		for _, p := range people {
			if a, ok := p.Accounts[network]; ok && a.UserID != 0 {
				return strconv.FormatInt(a.UserID, 10)
			}
		}
		return ""
	}
	if t.ESIA != nil {
		person, org := "", ""
		for _, p := range people {
			if es := t.World.EmployeesOf(p.OID); len(es) > 0 {
				person, org = strconv.FormatInt(p.OID, 10), strconv.FormatInt(es[0].OrgOID, 10)
				break
			}
		}
		out = append(out, uiAction{ID: "esia.login", Party: "esia", Label: "Finish an ESIA login",
			Help:   "queues a headless login: the next /aas/oauth2/ac request of any system returns with a code for this person",
			method: http.MethodPost, path: "/_mock/esia/login",
			Fields: []uiField{{Name: "person_oid", Label: "person OID", Value: person, Int: true},
				{Name: "org_oid", Label: "organisation OID", Value: org, Int: true}}})
	}
	if t.Telegram != nil {
		bot := ""
		if bots := t.Telegram.Section().Bots(); len(bots) > 0 {
			bot = strconv.FormatInt(bots[0].ID, 10)
		}
		user := account(world.NetworkTelegram)
		out = append(out,
			uiAction{ID: "telegram.write", Party: "telegram", Label: "Write to the bot",
				Help:   "a person sends the bot a private message (an update for the bot)",
				method: http.MethodPost, path: "/_mock/telegram/post",
				Fields: []uiField{{Name: "bot_id", Label: "bot id", Value: bot, Int: true},
					{Name: "user_id", Label: "user id", Value: user, Int: true},
					{Name: "text", Label: "text", Value: "Здравствуйте!"}}},
			uiAction{ID: "telegram.start", Party: "telegram", Label: "Start the bot",
				Help:   "a person presses Start (/start)",
				method: http.MethodPost, path: "/_mock/telegram/start",
				Fields: []uiField{{Name: "bot_id", Label: "bot id", Value: bot, Int: true},
					{Name: "user_id", Label: "user id", Value: user, Int: true}}},
		)
	}
	if t.VK != nil {
		group, post := "", ""
		if pages := t.World.Pages(world.NetworkVK); len(pages) > 0 {
			gid := pages[0].ID
			group = strconv.FormatInt(gid, 10)
			if posts := t.VK.Posts(gid); len(posts) > 0 {
				newest := slices.MaxFunc(posts, func(a, b vkmock.Post) int { return int(a.ID - b.ID) })
				post = strconv.FormatInt(newest.ID, 10)
			}
		}
		user := account(world.NetworkVK)
		out = append(out,
			uiAction{ID: "vk.comment", Party: "vk", Label: "Comment on a VK post",
				Help:   "a user comments a wall post (wall_reply_new to the community's callback server)",
				method: http.MethodPost, path: "/_mock/vk/comment",
				Fields: []uiField{{Name: "group_id", Label: "group id", Value: group, Int: true},
					{Name: "post_id", Label: "post id", Value: post, Int: true},
					{Name: "user_id", Label: "user id", Value: user, Int: true},
					{Name: "text", Label: "text", Value: "Спасибо за новость!"}}},
			uiAction{ID: "vk.message", Party: "vk", Label: "Write to the VK community",
				Help:   "a user writes to the community (message_new)",
				method: http.MethodPost, path: "/_mock/vk/message",
				Fields: []uiField{{Name: "group_id", Label: "group id", Value: group, Int: true},
					{Name: "user_id", Label: "user id", Value: user, Int: true},
					{Name: "text", Label: "text", Value: "Когда откроется запись?"}}},
		)
	}
	if t.POS != nil {
		opa := ""
		if lkos := t.POS.LKOs(); len(lkos) > 0 {
			opa = strconv.FormatInt(lkos[0].OpaID, 10)
		}
		out = append(out, uiAction{ID: "pos.appeal", Party: "pos", Label: "Submit a POS appeal",
			Help:   "a citizen files an appeal through the organisation's form",
			method: http.MethodPost, path: "/_mock/pos/appeals",
			Fields: []uiField{{Name: "opa_id", Label: "LKO opaId", Value: opa, Int: true},
				{Name: "description", Label: "text", Value: "Не работает освещение во дворе"},
				{Name: "applicant.surname", Label: "surname", Value: "Смирнов"},
				{Name: "applicant.name", Label: "name", Value: "Олег"}}})
	}
	return out
}

// serveActForm runs an act-as-user action through the control API.
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
		if f.Int {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				flash(w, false, act.Label+": "+f.Label+" must be an integer")
				back(w, r)
				return
			}
			val = n
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
	status, answer := ui.call(r.Context(), s, act.method, act.path, body)
	outcome(w, act.Label, status, answer)
	back(w, r)
}
