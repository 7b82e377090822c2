package vkmock

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// DefaultGovDecision is how long, on the world clock, VK takes to decide
// a «Госорганизация» request (VK promises a decision within 24 hours).
const DefaultGovDecision = 12 * time.Hour

// Gov configures the «Госорганизация» confirmation flow, in which VK acts
// as an ESIA client: the community's administrator logs in to Gosuslugi,
// picks the organisation, and VK reads the person's roles in it.
type Gov struct {
	// ESIA is VK's own ESIA client (its registered system and key). Its
	// RedirectURL must be [Server.GovCallbackURL]. Nil disables the flow.
	ESIA *esia.Client
	// Decision is the delay of the decision on the world clock
	// ([DefaultGovDecision] when zero).
	Decision time.Duration
}

type govApp struct {
	orgOID, personOID int64
	at                time.Time
}

// govSession is one administrator's trip through ESIA.
type govSession struct {
	group     int64
	userID    int64
	personOID int64
	token     *oauth2.Token
	orgs      []esia.Role
	expires   time.Time
}

// GovCallbackURL is the redirect_uri of VK's ESIA system.
func (s *Server) GovCallbackURL() string { return s.base + "/gov/callback" }

// GovPageURL is the community management page of the flow, for a user
// token of one of its administrators.
func (s *Server) GovPageURL(groupID int64, userToken string) string {
	return s.base + "/gov/" + strconv.FormatInt(groupID, 10) + "?access_token=" + url.QueryEscape(userToken)
}

// GovRequirements lists what a community lacks for the mark, as VK's
// reviewers check it: open, a main photo, a description, a city, the
// category «Государственная организация», and two-factor authentication on
// every manager's account. An empty list means the page qualifies.
func (s *Server) GovRequirements(groupID int64) ([]string, error) {
	p, err := s.w.Page(world.NetworkVK, groupID)
	if err != nil {
		return nil, err
	}
	return s.govChecks(p), nil
}

func (s *Server) govChecks(p world.Page) []string {
	vc := s.sec.Community(p.ID)
	var out []string
	if access(p, vc) != 0 {
		out = append(out, "Сообщество должно быть открытым")
	}
	if p.PhotoURL == "" {
		out = append(out, "Не загружена главная фотография")
	}
	if strings.TrimSpace(p.Description) == "" {
		out = append(out, "Не заполнено описание")
	}
	if p.City == "" {
		out = append(out, "Не указан город")
	}
	if vc.PublicCategory != GovCategoryID {
		out = append(out, "Тематика сообщества должна быть «Государственная организация»")
	}
	for _, a := range p.Admins {
		per, err := s.w.Person(a.PersonOID)
		acc, ok := per.Account(world.NetworkVK)
		if err != nil || !ok || !acc.TwoFactor {
			id := int64(0)
			if ok {
				id = acc.UserID
			}
			out = append(out, fmt.Sprintf("У руководителя id%d не включена двойная защита", id))
		}
	}
	return out
}

func (s *Server) govDecision() time.Duration {
	if s.gov.Decision > 0 {
		return s.gov.Decision
	}
	return DefaultGovDecision
}

// submitGov puts a community under review and schedules the decision on
// the world clock.
func (s *Server) submitGov(groupID, personOID, orgOID int64) (world.GovMark, error) {
	m, err := s.w.RequestGovMark(world.NetworkVK, groupID)
	if err != nil {
		return m, err
	}
	gen := s.w.Generation()
	t := s.w.Clock.AfterFunc(s.govDecision(), func() {
		if s.w.Generation() != gen {
			return
		}
		p, err := s.w.Page(world.NetworkVK, groupID)
		if err != nil || p.Gov.Status != world.GovUnderReview {
			return
		}
		if reasons := s.govChecks(p); len(reasons) > 0 {
			_, _ = s.w.RejectGovMark(world.NetworkVK, groupID, reasons...)
		} else {
			_, _ = s.w.ConfirmGovMark(world.NetworkVK, groupID)
		}
	})
	s.mu.Lock()
	s.st.timers = append(s.st.timers, t)
	s.st.govApps[groupID] = &govApp{orgOID: orgOID, personOID: personOID, at: s.w.Clock.Now()}
	s.mu.Unlock()
	return m, nil
}

// serveGov serves the management page and the ESIA round trip:
//
//	GET  /gov/<group>?access_token=…          the page, with «Подтвердить через Госуслуги»
//	POST /gov/<group>/request access_token=…  redirects the administrator to ESIA
//	GET  /gov/callback?code=…&state=…         back from ESIA: the organisation picker
//	POST /gov/<group>/org state=…&org_oid=…   VK checks the roles and submits the request
func (s *Server) serveGov(w http.ResponseWriter, r *http.Request, c *emu.Call, q *request) {
	ctx := emu.WithTenant(r.Context(), c.Tenant)
	page := func(status int, title, body string) {
		if status != http.StatusOK && status != http.StatusFound {
			c.Code, c.Description = status, title
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<!doctype html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body><h1>%s</h1>%s</body></html>",
			html.EscapeString(title), html.EscapeString(title), body)
	}
	if q.rest == "callback" {
		s.govCallback(ctx, w, q, page)
		return
	}
	gidStr, action, _ := strings.Cut(q.rest, "/")
	gid, err := strconv.ParseInt(gidStr, 10, 64)
	p, perr := s.w.Page(world.NetworkVK, gid)
	if err != nil || perr != nil {
		page(http.StatusNotFound, "Сообщество не найдено", "")
		return
	}
	if action == "org" {
		s.govPickOrg(ctx, w, r, q, p, page)
		return
	}
	tok, ok := s.sec.Token(q.token)
	if !ok || tok.Kind != KindUser {
		page(http.StatusUnauthorized, "Войдите во ВКонтакте", "<p>Страница доступна администраторам сообщества.</p>")
		return
	}
	per, err := s.w.PersonByAccount(world.NetworkVK, tok.UserID)
	if err != nil || !isAdmin(p.RoleOf(per.OID)) {
		page(http.StatusForbidden, "Доступ запрещён", "<p>Подтвердить сообщество может только его владелец или администратор.</p>")
		return
	}
	switch {
	case action == "" && r.Method == http.MethodGet:
		var b strings.Builder
		fmt.Fprintf(&b, `<p id="status" data-status="%s">%s</p>`, html.EscapeString(string(p.Gov.Status)), html.EscapeString(govStatusText(p.Gov)))
		for _, reason := range p.Gov.Reasons {
			fmt.Fprintf(&b, `<p class="reason">%s</p>`, html.EscapeString(reason))
		}
		b.WriteString("<ul>")
		for _, reason := range s.govChecks(p) {
			fmt.Fprintf(&b, `<li class="missing">%s</li>`, html.EscapeString(reason))
		}
		b.WriteString("</ul>")
		if p.Gov.Status != world.GovUnderReview && p.Gov.Status != world.GovConfirmed {
			fmt.Fprintf(&b, `<form method="post" action="/gov/%d/request"><input type="hidden" name="access_token" value="%s"><button>Подтвердить через Госуслуги</button></form>`,
				p.ID, html.EscapeString(q.token))
		}
		page(http.StatusOK, "Госорганизация — "+p.Title, b.String())
	case action == "request" && r.Method == http.MethodPost:
		if s.gov.ESIA == nil {
			page(http.StatusServiceUnavailable, "Госуслуги недоступны", "")
			return
		}
		if p.Gov.Status == world.GovUnderReview || p.Gov.Status == world.GovConfirmed {
			page(http.StatusConflict, govStatusText(p.Gov), "")
			return
		}
		state := esia.NewState()
		s.issueCred(state)
		u, err := s.gov.ESIA.AuthCodeURL(ctx, state)
		if err != nil {
			page(http.StatusBadGateway, "Госуслуги недоступны", "")
			return
		}
		s.mu.Lock()
		s.st.govSess[state] = &govSession{group: p.ID, userID: tok.UserID, expires: s.w.Clock.Now().Add(time.Hour)}
		s.mu.Unlock()
		w.Header().Set("Location", u)
		page(http.StatusFound, "Переход на Госуслуги", "")
	default:
		page(http.StatusMethodNotAllowed, "Неверный запрос", "")
	}
}

func govStatusText(m world.GovMark) string {
	switch m.Status {
	case world.GovUnderReview:
		return "Заявка рассматривается"
	case world.GovConfirmed:
		return "Подтвержден"
	case world.GovRejected:
		return "Отклонен"
	case world.GovLost:
		return "Отметка снята: изменились название или владелец сообщества"
	}
	return "Не подтверждено"
}

func (s *Server) session(state string) *govSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.st.govSess[state]
	if g == nil || s.w.Clock.Now().After(g.expires) {
		return nil
	}
	return g
}

func (s *Server) govCallback(ctx context.Context, w http.ResponseWriter, q *request, page func(int, string, string)) {
	state := q.p.str("state")
	sess := s.session(state)
	if sess == nil || s.gov.ESIA == nil {
		page(http.StatusBadRequest, "Сеанс подтверждения истёк", "")
		return
	}
	code, err := esia.ParseCallbackQuery(q.p.v, state)
	if err != nil {
		page(http.StatusForbidden, "Вход через Госуслуги не выполнен", "")
		return
	}
	tok, err := s.gov.ESIA.Exchange(ctx, code)
	if err != nil {
		page(http.StatusBadGateway, "Госуслуги не выдали доступ", "")
		return
	}
	claims, _, err := s.gov.ESIA.VerifyToken(tok)
	if err != nil {
		page(http.StatusBadGateway, "Госуслуги не выдали доступ", "")
		return
	}
	roles, err := s.gov.ESIA.Roles(ctx, oauth2.StaticTokenSource(tok), claims.SbjID)
	if err != nil {
		page(http.StatusBadGateway, "Не удалось прочитать организации", "")
		return
	}
	s.mu.Lock()
	sess.personOID, sess.token, sess.orgs = claims.SbjID, tok, roles
	s.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, `<form method="post" action="/gov/%d/org"><input type="hidden" name="state" value="%s">`, sess.group, html.EscapeString(state))
	for _, r := range roles {
		fmt.Fprintf(&b, `<label><input type="radio" name="org_oid" value="%d">%s</label>`, r.OID, html.EscapeString(r.ShortName))
	}
	b.WriteString(`<button>Выбрать</button></form>`)
	page(http.StatusOK, "Выберите организацию", b.String())
}

func (s *Server) govPickOrg(ctx context.Context, w http.ResponseWriter, r *http.Request, q *request, p world.Page, page func(int, string, string)) {
	state := q.p.str("state")
	sess := s.session(state)
	if r.Method != http.MethodPost || sess == nil || sess.token == nil || sess.group != p.ID {
		page(http.StatusBadRequest, "Сеанс подтверждения истёк", "")
		return
	}
	org, err := strconv.ParseInt(q.p.str("org_oid"), 10, 64)
	if err != nil {
		page(http.StatusBadRequest, "Выберите организацию", "")
		return
	}
	_, err = s.gov.ESIA.Authority(ctx, oauth2.StaticTokenSource(sess.token), org, esia.AuthorityPerson(sess.personOID))
	if err != nil {
		var ae *esia.AuthorityError
		reason := "Госуслуги не подтвердили полномочия: " + err.Error()
		if errors.As(err, &ae) {
			reason = "Вы не руководитель и не администратор этой организации на Госуслугах (" + string(ae.Reason) + ")"
		}
		page(http.StatusForbidden, "Отказано", "<p class=\"reason\">"+html.EscapeString(reason)+"</p>")
		return
	}
	s.mu.Lock()
	delete(s.st.govSess, state)
	s.mu.Unlock()
	m, err := s.submitGov(p.ID, sess.personOID, org)
	if err != nil {
		page(http.StatusConflict, govStatusText(m), "")
		return
	}
	page(http.StatusOK, govStatusText(m), fmt.Sprintf(`<p id="status" data-status="%s">Решение будет принято в течение 24 часов.</p>`, m.Status))
}

// ErrGovFlow is returned by [Server.ConfirmThroughGosuslugi] when a step
// of the flow is refused; the error names the step and VK's page title.
var ErrGovFlow = errors.New("vkmock: «Госорганизация» flow refused")

// ConfirmThroughGosuslugi drives the flow headless, as an administrator's
// browser would: the «Подтвердить через Госуслуги» button, the ESIA login
// (queue it on the ESIA emulator first, for the person and organisation),
// the organisation picker. client must reach both emulators (and must not
// follow redirects to hosts it cannot reach). It returns the mark after the
// request («Заявка рассматривается»); the decision comes on the world
// clock within [Gov.Decision].
func (s *Server) ConfirmThroughGosuslugi(ctx context.Context, client *http.Client, groupID int64, userToken string, orgOID int64) (world.GovMark, error) {
	form := url.Values{"access_token": {userToken}}
	u := s.base + "/gov/" + strconv.FormatInt(groupID, 10) + "/request"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return world.GovMark{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return world.GovMark{}, err
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/gov/callback" {
		return world.GovMark{}, fmt.Errorf("%w: ESIA login: status %d, %s", ErrGovFlow, resp.StatusCode, pageTitle(body))
	}
	state := resp.Request.URL.Query().Get("state")
	form = url.Values{"state": {state}, "org_oid": {strconv.FormatInt(orgOID, 10)}}
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/gov/"+strconv.FormatInt(groupID, 10)+"/org", strings.NewReader(form.Encode()))
	if err != nil {
		return world.GovMark{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = client.Do(req)
	if err != nil {
		return world.GovMark{}, err
	}
	body, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return world.GovMark{}, fmt.Errorf("%w: organisation: status %d, %s", ErrGovFlow, resp.StatusCode, pageTitle(body))
	}
	p, err := s.w.Page(world.NetworkVK, groupID)
	if err != nil {
		return world.GovMark{}, err
	}
	return p.Gov, nil
}

func pageTitle(body []byte) string {
	s := string(body)
	if i := strings.Index(s, `<p class="reason">`); i >= 0 {
		r := s[i+len(`<p class="reason">`):]
		if j := strings.Index(r, "</p>"); j >= 0 {
			return pageH1(s) + ": " + html.UnescapeString(r[:j])
		}
	}
	return pageH1(s)
}

func pageH1(s string) string {
	if i := strings.Index(s, "<h1>"); i >= 0 {
		s = s[i+4:]
		if j := strings.Index(s, "</h1>"); j >= 0 {
			return html.UnescapeString(s[:j])
		}
	}
	return "no page"
}
