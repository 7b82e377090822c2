package esiamock

import (
	"crypto/subtle"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/gospubliki/gosdk/mock/world"
)

// Cookie names of the login pages.
const (
	sessionCookie = "esia_sso"  // single sign-on session
	csrfCookie    = "esia_csrf" // the per-login nonce
)

// session is an ESIA single sign-on session.
type session struct {
	id        string
	personOID int64
	authTime  time.Time
	expires   time.Time
}

func (s *Server) sessionOf(r *http.Request) *session {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessions[ck.Value]
	if sess == nil || s.now().After(sess.expires) {
		return nil
	}
	if _, err := s.world.Person(sess.personOID); err != nil {
		return nil
	}
	return sess
}

var loginPage = template.Must(template.New("login").Parse(`<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Вход — Госуслуги (песочница)</title>
<style>body{font-family:sans-serif;max-width:28em;margin:3em auto}label{display:block;margin:.8em 0 .2em}
input[type=text],input[type=password]{width:100%;padding:.4em}.err{color:#b00}.sbx{color:#777;font-size:.85em}</style></head>
<body><h1>Вход</h1><p class="sbx">Песочница ЕСИА gosdk — не настоящие Госуслуги. Система: {{.ClientID}}</p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="/login">
<input type="hidden" name="rid" value="{{.RID}}"><input type="hidden" name="nonce" value="{{.Nonce}}">
<label for="login">Телефон / Email / СНИЛС</label><input type="text" id="login" name="login" value="{{.Login}}" autocomplete="username" required>
<label for="password">Пароль</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<p><button type="submit">Войти</button></p></form></body></html>
`))

var orgPage = template.Must(template.New("org").Parse(`<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Выбор организации — Госуслуги (песочница)</title>
<style>body{font-family:sans-serif;max-width:36em;margin:3em auto}.err{color:#b00}label{display:block;margin:.5em 0}</style></head>
<body><h1>Войти как</h1><p>{{.Person}}</p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="/login/org">
<input type="hidden" name="rid" value="{{.RID}}"><input type="hidden" name="nonce" value="{{.Nonce}}">
{{if .Private}}<label><input type="radio" name="org" value="0" checked> Частное лицо</label>{{end}}
{{range $i, $o := .Orgs}}<label><input type="radio" name="org" value="{{$o.OID}}"{{if and (eq $i 0) (not $.Private)}} checked{{end}}> {{$o.Name}}{{if $o.OGRN}} (ОГРН {{$o.OGRN}}){{end}}</label>
{{end}}<p><button type="submit">Продолжить</button></p></form></body></html>
`))

type loginView struct {
	ClientID, RID, Nonce, Login, Error string
}

type orgChoice struct {
	OID  int64
	Name string
	OGRN string
}

type orgView struct {
	Person, RID, Nonce, Error string
	Private                   bool
	Orgs                      []orgChoice
}

func noStore(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Type", "text/html; charset=utf-8")
}

// pageRequest finds the pending request of a login page and checks the
// CSRF nonce on POST.
func (s *Server) pageRequest(w http.ResponseWriter, r *http.Request, c *call) *authRequest {
	f, _ := form(r, c)
	c.params = journalParams(f)
	req := s.takeRequest(f.Get("rid"))
	if req == nil {
		e := newError(CodeInvalidParam, "The login session is unknown or expired; start again from the system.")
		c.fail(e)
		writeErrorPage(w, e)
		return nil
	}
	c.params["client_id"] = req.clientID
	if r.Method == http.MethodPost {
		ck, err := r.Cookie(csrfCookie)
		n := f.Get("nonce")
		if err != nil || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(req.nonce)) != 1 ||
			subtle.ConstantTimeCompare([]byte(n), []byte(req.nonce)) != 1 {
			e := newError(CodeAccessDenied, "The login form is stale or was not sent from the login page.")
			c.fail(e)
			writeErrorPage(w, e)
			return nil
		}
	}
	return req
}

func (s *Server) setCSRF(w http.ResponseWriter, req *authRequest) {
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: req.nonce, Path: "/login", HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// handleLogin serves the login page (GET) and checks the password (POST).
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request, c *call) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		e := newError(CodeUnsupportedMethod, "")
		c.fail(e)
		writeErrorPage(w, e)
		return
	}
	req := s.pageRequest(w, r, c)
	if req == nil {
		return
	}
	view := loginView{ClientID: req.clientID, RID: req.id, Nonce: req.nonce}
	if r.Method == http.MethodPost {
		login := r.PostFormValue("login")
		p, err := s.world.PersonByLogin(login)
		ok := err == nil && p.Password != "" &&
			subtle.ConstantTimeCompare([]byte(p.Password), []byte(r.PostFormValue("password"))) == 1
		if ok {
			c.params["person_oid"] = strconv.FormatInt(p.OID, 10)
			sess := &session{id: newUUID(), personOID: p.OID, authTime: s.now(), expires: s.now().Add(sessionLifetime)}
			req.personOID, req.authTime, req.sid = p.OID, sess.authTime, sess.id
			s.mu.Lock()
			s.sessions[sess.id] = sess
			if cur := s.pending[req.id]; cur != nil {
				cp := *req
				s.pending[req.id] = &cp
			}
			s.mu.Unlock()
			http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sess.id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
			s.afterLogin(w, r, c, req)
			return
		}
		s.mu.Lock()
		if cur := s.pending[req.id]; cur != nil {
			cur.failures++
		}
		s.mu.Unlock()
		c.code, c.desc = CodeAccessDenied, "wrong login or password"
		view.Login = login
		view.Error = "Неверный логин или пароль"
		noStore(w)
		s.setCSRF(w, req)
		w.WriteHeader(http.StatusOK)
		_ = loginPage.Execute(w, view)
		return
	}
	noStore(w)
	s.setCSRF(w, req)
	_ = loginPage.Execute(w, view)
}

// activeOrgs returns the organisations where the person is an active
// employee.
func (s *Server) activeOrgs(personOID int64) []world.Organization {
	var out []world.Organization
	for _, e := range s.world.EmployeesOf(personOID) {
		if !e.Active {
			continue
		}
		if o, err := s.world.Organization(e.OrgOID); err == nil {
			out = append(out, o)
		}
	}
	return out
}

// handleOrg serves the organisation picker.
func (s *Server) handleOrg(w http.ResponseWriter, r *http.Request, c *call) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		e := newError(CodeUnsupportedMethod, "")
		c.fail(e)
		writeErrorPage(w, e)
		return
	}
	req := s.pageRequest(w, r, c)
	if req == nil {
		return
	}
	if req.personOID == 0 {
		e := newError(CodeAccessDenied, "The user has not logged in.")
		c.fail(e)
		writeErrorPage(w, e)
		return
	}
	p, err := s.world.Person(req.personOID)
	if err != nil {
		e := newError(CodeAccessDenied, "The user is unknown.")
		c.fail(e)
		redirectError(w, r, req.redirectURI, e, req.state)
		return
	}
	orgs := s.activeOrgs(p.OID)
	view := orgView{Person: p.LastName + " " + p.FirstName + " " + p.MiddleName, RID: req.id, Nonce: req.nonce, Private: !req.orgRequired}
	for _, o := range orgs {
		name := o.ShortName
		if name == "" {
			name = o.FullName
		}
		view.Orgs = append(view.Orgs, orgChoice{OID: o.OID, Name: name, OGRN: o.OGRN})
	}
	if r.Method == http.MethodPost {
		oid, err := strconv.ParseInt(r.PostFormValue("org"), 10, 64)
		valid := err == nil && (oid == 0 && !req.orgRequired)
		for _, o := range orgs {
			valid = valid || err == nil && o.OID == oid
		}
		if valid {
			c.params["org_oid"] = strconv.FormatInt(oid, 10)
			s.finish(w, r, c, req, oid)
			return
		}
		view.Error = "Выберите организацию из списка"
		c.code, c.desc = CodeInvalidParam, "no organisation chosen"
	}
	if req.orgRequired && len(orgs) == 0 {
		s.finish(w, r, c, req, 0) // ESIA-007194: not an employee anywhere
		return
	}
	noStore(w)
	s.setCSRF(w, req)
	_ = orgPage.Execute(w, view)
}

// handleLogout serves /idp/ext/Logout: it ends the single sign-on session
// and returns to redirect_url when the system registered it.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, c *call) {
	f, _ := form(r, c)
	c.params = journalParams(f)
	if ck, err := r.Cookie(sessionCookie); err == nil {
		s.mu.Lock()
		delete(s.sessions, ck.Value)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	sys := s.system(f.Get("client_id"))
	target := f.Get("redirect_url")
	switch {
	case f.Get("client_id") == "":
		e := errMissing([]string{"client_id"})
		c.fail(e)
		writeErrorPage(w, e)
	case sys == nil:
		e := newError(CodeNoCertificate, "")
		c.fail(e)
		writeErrorPage(w, e)
	case target == "":
		noStore(w)
		_, _ = w.Write([]byte("<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Выход</title></head><body><p>Вы вышли из учётной записи.</p></body></html>\n"))
	case !sys.redirectAllowed(target):
		e := newError(CodeRedirectURI, "The redirect_url is not registered for the system.")
		c.fail(e)
		writeErrorPage(w, e)
	default:
		http.Redirect(w, r, target, http.StatusFound)
	}
}
