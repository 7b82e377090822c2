package okmock

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/govmark"
	"github.com/gospubliki/gosdk/mock/world"
)

// CategoryGov is the group category («тематика») of a government
// organisation, required for the «Госорганизация» mark.
const CategoryGov = "Госорганизация"

// Unmet conditions of the «Подтвердить через Госуслуги» button, worded as
// OK's help (FAQ 7) words them.
const (
	CondRole      = "Вы не администратор или супермодератор страницы"
	CondTwoFactor = "У вас не включено подтверждение входа (Двойная защита)"
	CondOpen      = "Тип доступа к группе не «открытая»"
	CondPhoto     = "В сообществе не установлена фотография"
	CondDesc      = "В сообществе не заполнено описание"
	CondCity      = "У группы не заполнена информация о городе"
	CondCategory  = "В тематике группы не указан тип «Госорганизация»"
	CondAdmins2FA = "Не у всех администраторов группы включена Двойная защита"
	CondOrg       = "Выбранная организация не соответствует сообществу"
)

// ErrConditions is returned when the group or the person does not meet
// the conditions of the «Госорганизация» request.
var ErrConditions = errors.New("okmock: the conditions of the «Госорганизация» request are not met")

// GovConditions returns the unmet conditions that keep a person's
// «Подтвердить через Госуслуги» button inactive on a group (none: active).
func (s *Server) GovConditions(groupID, personOID int64) ([]string, error) {
	p, err := s.w.Page(world.NetworkOK, groupID)
	if err != nil {
		return nil, err
	}
	var out []string
	if r := p.RoleOf(personOID); r != world.OKRoleAdmin && r != world.OKRoleSuperModerator {
		out = append(out, CondRole)
	}
	if per, err := s.w.Person(personOID); err != nil || !per.Accounts[world.NetworkOK].TwoFactor {
		out = append(out, CondTwoFactor)
	}
	return append(out, s.groupConditions(p)...), nil
}

// groupConditions are the group's own conditions, rechecked at the
// decision.
func (s *Server) groupConditions(p world.Page) []string {
	var out []string
	if s.accessType(p) != AccessOpen {
		out = append(out, CondOpen)
	}
	if p.PhotoURL == "" {
		out = append(out, CondPhoto)
	}
	if p.Description == "" {
		out = append(out, CondDesc)
	}
	if p.City == "" {
		out = append(out, CondCity)
	}
	if p.Topic != CategoryGov {
		out = append(out, CondCategory)
	}
	return out
}

// decide is the review: the group's conditions, and two-factor
// authentication on for every ADMIN and SUPER_MODERATOR.
func (s *Server) decide(orgOID int64) govmark.Decider {
	return func(p world.Page) []string {
		reasons := s.groupConditions(p)
		for _, a := range p.Admins {
			if a.Role != world.OKRoleAdmin && a.Role != world.OKRoleSuperModerator {
				continue
			}
			if per, err := s.w.Person(a.PersonOID); err != nil || !per.Accounts[world.NetworkOK].TwoFactor {
				reasons = append(reasons, CondAdmins2FA)
				break
			}
		}
		if p.OwnerOrgOID != 0 && p.OwnerOrgOID != orgOID {
			reasons = append(reasons, CondOrg)
		}
		return reasons
	}
}

type govState struct {
	groupID, personOID int64
}

// StartGovRequest presses «Подтвердить через Госуслуги» for a person on a
// group: it checks the conditions ([ErrConditions] with the unmet ones)
// and returns the ESIA authorization URL the browser is sent to.
func (s *Server) StartGovRequest(ctx context.Context, groupID, personOID int64) (string, error) {
	if s.gov == nil {
		return "", errors.New("okmock: Госуслуги are not configured (WithGosuslugi)")
	}
	unmet, err := s.GovConditions(groupID, personOID)
	if err != nil {
		return "", err
	}
	if len(unmet) > 0 {
		return "", fmt.Errorf("%w: %v", ErrConditions, unmet)
	}
	p, _ := s.w.Page(world.NetworkOK, groupID)
	if p.Gov.Status == world.GovUnderReview || p.Gov.Status == world.GovConfirmed {
		return "", fmt.Errorf("%w: the group is already %s", world.ErrGovTransition, p.Gov.Status)
	}
	state := esia.NewState() // ESIA accepts only a UUID
	u, err := s.gov.AuthURL(ctx, state)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	s.states[state] = govState{groupID: groupID, personOID: personOID}
	s.mu.Unlock()
	if err := s.issued(state); err != nil {
		return "", err
	}
	return u, nil
}

// FinishGovRequest handles ESIA's callback: it verifies the login, checks
// that the person who pressed the button logged in and is the chief or an
// administrator of the chosen organisation (esia.Client.Authority), and
// submits the group: «Рассматривается», decided on the world clock.
func (s *Server) FinishGovRequest(ctx context.Context, state, code string) (world.GovMark, error) {
	s.mu.Lock()
	st, ok := s.states[state]
	delete(s.states, state)
	s.mu.Unlock()
	s.issuedV.Add(1)
	if !ok {
		return world.GovMark{}, errors.New("okmock: unknown or used state")
	}
	p, err := s.w.Page(world.NetworkOK, st.groupID)
	if err != nil {
		return world.GovMark{}, err
	}
	res, err := s.gov.Verify(ctx, code, p.OwnerOrgOID)
	if err != nil {
		return p.Gov, err
	}
	if res.PersonOID != st.personOID {
		return p.Gov, errors.New("okmock: another person logged in to Госуслуги")
	}
	return s.review.Submit(world.NetworkOK, st.groupID, s.decide(res.OrgOID))
}

// GovStatusText is the «Государственный статус» the settings page shows.
func GovStatusText(m world.GovMark) string {
	switch m.Status {
	case world.GovUnderReview:
		return "Рассматривается"
	case world.GovConfirmed:
		return "Подтвержден"
	case world.GovRejected:
		return "Отклонен"
	case world.GovLost:
		return "Не подтвержден (отметка снята)"
	}
	return "Не подтвержден"
}

var settingsTmpl = template.Must(template.New("settings").Parse(`<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Настройки группы — {{.Page.Title}}</title></head>
<body>
<h1>{{.Page.Title}}</h1>
<section id="main"><h2>Основные</h2>
<dl>
<dt>Название</dt><dd id="name">{{.Page.Title}}</dd>
<dt>Описание</dt><dd id="description">{{.Page.Description}}</dd>
<dt>Тематика</dt><dd id="category">{{.Page.Topic}}</dd>
<dt>Тип доступа</dt><dd id="access_type">{{.Access}}</dd>
<dt>Город</dt><dd id="city">{{.Page.City}}</dd>
<dt>Государственный статус</dt><dd id="gov_status" data-status="{{.Page.Gov.Status}}">{{.Status}}</dd>
</dl>
{{if .Reasons}}<ul id="gov_reasons">{{range .Reasons}}<li>{{.}}</li>{{end}}</ul>{{end}}
<form method="post" action="/group/{{.Page.ID}}/settings?access_token={{.Token}}">
<input type="hidden" name="action" value="gosuslugi">
<button id="gosuslugi" type="submit"{{if .Unmet}} disabled{{end}}>Подтвердить через Госуслуги</button>
</form>
{{if .Unmet}}<ul id="unmet">{{range .Unmet}}<li>{{.}}</li>{{end}}</ul>{{end}}
</section>
</body></html>
`))

func (s *Server) htmlError(w http.ResponseWriter, ec *emu.Call, status int, msg string) {
	ec.Code, ec.Description = status, msg
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<!DOCTYPE html><html lang=\"ru\"><body><p id=\"error\">%s</p></body></html>", template.HTMLEscapeString(msg))
}

// serveSettings is the group settings page (GET) and its «Подтвердить
// через Госуслуги» button (POST action=gosuslugi). The browser session is
// the access token in the query.
func (s *Server) serveSettings(w http.ResponseWriter, r *http.Request, ec *emu.Call, req *request) {
	tok, ok := s.sec.Token(req.params.Get("access_token"))
	if !ok || (!tok.ExpiresAt.IsZero() && !s.w.Clock.Now().Before(tok.ExpiresAt)) {
		s.htmlError(w, ec, http.StatusUnauthorized, "Войдите в Одноклассники")
		return
	}
	id, err := strconv.ParseInt(req.group, 10, 64)
	if err != nil {
		s.htmlError(w, ec, http.StatusNotFound, "Группа не найдена")
		return
	}
	p, err := s.w.Page(world.NetworkOK, id)
	if err != nil {
		s.htmlError(w, ec, http.StatusNotFound, "Группа не найдена")
		return
	}
	if p.RoleOf(tok.PersonOID) == "" {
		s.htmlError(w, ec, http.StatusForbidden, "Настройки доступны только администрации группы")
		return
	}
	unmet, _ := s.GovConditions(id, tok.PersonOID)
	if r.Method == http.MethodPost {
		if req.params.Get("action") != "gosuslugi" {
			s.htmlError(w, ec, http.StatusBadRequest, "Неизвестное действие")
			return
		}
		u, err := s.StartGovRequest(r.Context(), id, tok.PersonOID)
		if err != nil {
			s.htmlError(w, ec, http.StatusConflict, "Кнопка «Подтвердить через Госуслуги» неактивна")
			return
		}
		http.Redirect(w, r, u, http.StatusFound)
		return
	}
	if p.Gov.Status == world.GovUnderReview || p.Gov.Status == world.GovConfirmed {
		unmet = append(unmet, "Заявка уже подана")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = settingsTmpl.Execute(w, map[string]any{"Page": p, "Access": s.accessType(p), "Status": GovStatusText(p.Gov),
		"Reasons": p.Gov.Reasons, "Unmet": unmet, "Token": tok.AccessToken})
}

// serveCallback is the redirect_uri of OK's ESIA system.
func (s *Server) serveCallback(w http.ResponseWriter, r *http.Request, ec *emu.Call, req *request) {
	state := req.params.Get("state")
	s.mu.Lock()
	st, ok := s.states[state]
	s.mu.Unlock()
	if !ok {
		s.htmlError(w, ec, http.StatusBadRequest, "Запрос устарел, начните заново")
		return
	}
	if e := req.params.Get("error"); e != "" {
		s.mu.Lock()
		delete(s.states, state)
		s.mu.Unlock()
		s.htmlError(w, ec, http.StatusForbidden, "Госуслуги: вход не выполнен")
		return
	}
	if _, err := s.FinishGovRequest(r.Context(), state, req.params.Get("code")); err != nil {
		msg := "Не удалось подтвердить организацию"
		if errors.Is(err, govmark.ErrNoAuthority) {
			msg = "Вы не администратор или руководитель организации на Госуслугах"
		}
		s.htmlError(w, ec, http.StatusForbidden, msg)
		return
	}
	tok, _ := s.sec.tokenBy(func(t Token) bool { return t.PersonOID == st.personOID })
	http.Redirect(w, r, "/group/"+strconv.FormatInt(st.groupID, 10)+"/settings?access_token="+url.QueryEscape(tok.AccessToken), http.StatusFound)
}
