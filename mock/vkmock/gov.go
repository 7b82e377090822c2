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

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/govmark"
	"github.com/gospubliki/gosdk/mock/world"
)

// Gov configures the «Госорганизация» confirmation flow, in which VK acts
// as an ESIA client: the community's administrator logs in to Gosuslugi,
// picks the organisation there, and VK checks the person's authority in
// it.
type Gov struct {
	// Verifier is VK's ESIA client (its own registered system and key),
	// whose redirect URL is [Server.GovCallbackURL]. Nil disables the
	// flow.
	Verifier *govmark.Verifier
	// Decision is the delay of the decision on the world clock
	// ([govmark.DefaultReviewDelay], VK's «within 24 hours», when zero).
	Decision time.Duration
}

// govSession is one administrator's trip through ESIA.
type govSession struct {
	group   int64
	userID  int64
	expires time.Time
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

// serveGov serves the management page and the ESIA round trip:
//
//	GET  /gov/<group>?access_token=…          the page, with «Подтвердить через Госуслуги»
//	POST /gov/<group>/request access_token=…  redirects the administrator to ESIA
//	GET  /gov/callback?code=…&state=…         back from ESIA: VK checks the person's authority
//	                                          in the organisation chosen at ESIA and submits
//	                                          the request («Заявка рассматривается»)
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
		if s.gov.Verifier == nil {
			page(http.StatusServiceUnavailable, "Госуслуги недоступны", "")
			return
		}
		if p.Gov.Status == world.GovUnderReview || p.Gov.Status == world.GovConfirmed {
			page(http.StatusConflict, govStatusText(p.Gov), "")
			return
		}
		state := esia.NewState()
		s.issueCred(state)
		u, err := s.gov.Verifier.AuthURL(ctx, state)
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
	if sess == nil || s.gov.Verifier == nil {
		page(http.StatusBadRequest, "Сеанс подтверждения истёк", "")
		return
	}
	s.mu.Lock()
	delete(s.st.govSess, state)
	s.mu.Unlock()
	code, err := esia.ParseCallbackQuery(q.p.v, state)
	if err != nil {
		page(http.StatusForbidden, "Вход через Госуслуги не выполнен", "")
		return
	}
	res, err := s.gov.Verifier.Verify(ctx, code, 0)
	if err != nil {
		reason := "Госуслуги не подтвердили полномочия"
		if errors.Is(err, govmark.ErrNoAuthority) {
			reason = "Вы не руководитель и не администратор выбранной организации на Госуслугах"
		}
		page(http.StatusForbidden, "Отказано", "<p class=\"reason\">"+html.EscapeString(reason)+"</p>")
		return
	}
	// The person who logged in must manage the community.
	p, err := s.w.Page(world.NetworkVK, sess.group)
	if err != nil || !isAdmin(p.RoleOf(res.PersonOID)) {
		page(http.StatusForbidden, "Отказано", "<p class=\"reason\">Войдите на Госуслуги как администратор сообщества</p>")
		return
	}
	m, err := s.review.Submit(world.NetworkVK, p.ID, s.govChecks)
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
// (queue it on the ESIA emulator first, for the person and the
// organisation they pick there) and the callback. client must reach both
// emulators. It returns the mark after the request («Заявка
// рассматривается»); the decision comes on the world clock after
// [Gov.Decision].
func (s *Server) ConfirmThroughGosuslugi(ctx context.Context, client *http.Client, groupID int64, userToken string) (world.GovMark, error) {
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
	if resp.StatusCode != http.StatusOK {
		return world.GovMark{}, fmt.Errorf("%w: status %d, %s", ErrGovFlow, resp.StatusCode, pageTitle(body))
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
