package posmock

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// PartyName is the party's name in the journal and fault rules.
const PartyName = "pos"

// DefaultMaxBody bounds request bodies (file uploads included).
const DefaultMaxBody = 16 << 20

// TokenLifetime is how long an appeals-API token lives on the world clock.
const TokenLifetime = time.Hour

//go:embed script.min.js
var widgetScript []byte

// Server is the POS emulator of one world. It serves what
// pos.gosuslugi.ru serves to a browser (the appeal form /form/?opaId=, the
// polls page /og/org-activities, the widget script /bin/script.min.js)
// and the appeals API for external systems (see the package docs).
type Server struct {
	w       *world.World
	sec     *Section
	tenant  string
	issue   func(cred string) error
	adapter *adapter
	pipe    *emu.Pipeline

	issuedV atomic.Uint64

	mu     sync.Mutex
	tokens map[string]time.Time // token → expiry on the world clock
	files  map[string]string    // file id → name
	// answers are the pending answers to the outbox, by appeal id.
	answers map[int64]*world.Timer
}

// Option configures a [Server].
type Option func(*Server)

// WithTenant names the tenant the emulator serves.
func WithTenant(name string) Option { return func(s *Server) { s.tenant = name } }

// WithIssueHook is called with every token the emulator issues, so a
// sandbox can map it to its tenant; an error refuses the issue.
func WithIssueHook(f func(cred string) error) Option { return func(s *Server) { s.issue = f } }

// New returns the POS emulator of w, registering the POS section on w
// when it has none.
func New(w *world.World, opts ...Option) *Server {
	s := &Server{w: w, sec: SectionOf(w)}
	for _, o := range opts {
		o(s)
	}
	s.resetState()
	w.OnReset(s.resetState)
	s.adapter = &adapter{}
	s.pipe = emu.New(s.adapter, emu.ResolverFunc(func(r *http.Request, c *emu.Call) (emu.Target, bool) {
		return emu.Target{Tenant: s.tenant, World: s.w, Handler: s}, true
	}), emu.WithMaxBody(DefaultMaxBody))
	return s
}

func (s *Server) resetState() {
	s.mu.Lock()
	s.tokens, s.files = map[string]time.Time{}, map[string]string{}
	for _, t := range s.answers {
		t.Stop()
	}
	s.answers = map[int64]*world.Timer{}
	s.mu.Unlock()
	s.issuedV.Add(1)
}

// Section returns the emulator's POS section.
func (s *Server) Section() *Section { return s.sec }

// World returns the emulator's world.
func (s *Server) World() *world.World { return s.w }

// Adapter returns the emulator's pipeline adapter.
func (s *Server) Adapter() emu.Adapter { return s.adapter }

// ServeHTTP serves the emulator on its own (one tenant), through the
// pipeline (journal, faults).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.pipe.ServeHTTP(w, r) }

// ServeCall serves a request the pipeline resolved to this emulator.
func (s *Server) ServeCall(w http.ResponseWriter, r *http.Request, c *emu.Call) {
	req, _ := c.Data.(*Request)
	if req == nil {
		req = ParseRequest(r)
	}
	ctx := &callCtx{s: s, c: c, req: req}
	h, ok := routes[req.Method]
	if !ok {
		ctx.page(w, http.StatusNotFound, "Страница не найдена", "Запрошенная страница не существует.")
		return
	}
	h(ctx, w, r)
}

// OpaCredential is the key an opaId has in a sandbox's credential index:
// the form pages carry no credential, so their opaId names the tenant
// whose world serves them.
func OpaCredential(opaID int64) string { return "opaId:" + strconv.FormatInt(opaID, 10) }

// Credentials lists the credentials of the emulator (system usernames,
// the LKOs' [OpaCredential] keys and the live tokens), for a sandbox's
// credential index.
func (s *Server) Credentials() []string {
	var out []string
	st := s.sec.Settings()
	for _, sy := range st.Systems {
		out = append(out, sy.Username)
	}
	for _, l := range st.LKOs {
		out = append(out, OpaCredential(l.OpaID))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.tokens {
		out = append(out, t)
	}
	return out
}

// CredentialsVersion changes whenever [Server.Credentials] may have
// changed.
func (s *Server) CredentialsVersion() uint64 { return s.sec.Version() + s.issuedV.Load() }

// ErrNoLKO is returned for an unknown opaId.
var ErrNoLKO = errors.New("posmock: no such LKO")

// LKOs returns the world's LKOs.
func (s *Server) LKOs() []LKO { return s.sec.Settings().LKOs }

// LKO returns the LKO with an opaId.
func (s *Server) LKO(opaID int64) (LKO, error) {
	for _, l := range s.sec.Settings().LKOs {
		if l.OpaID == opaID {
			return l, nil
		}
	}
	return LKO{}, fmt.Errorf("%w: %d", ErrNoLKO, opaID)
}

// LKOOf returns the LKO of an organisation.
func (s *Server) LKOOf(orgOID int64) (LKO, error) {
	for _, l := range s.sec.Settings().LKOs {
		if l.OrgOID == orgOID {
			return l, nil
		}
	}
	return LKO{}, fmt.Errorf("%w for organisation %d", ErrNoLKO, orgOID)
}

// AppealsLKO returns the LKO whose form an organisation's pages carry: its
// own when connected for appeals, otherwise that of the nearest superior
// body connected for appeals.
func (s *Server) AppealsLKO(orgOID int64) (LKO, error) {
	st := s.sec.Settings()
	seen := map[int64]bool{}
	for oid := orgOID; oid != 0 && !seen[oid]; {
		seen[oid] = true
		for _, l := range st.LKOs {
			if l.OrgOID == oid && l.Appeals {
				return l, nil
			}
		}
		o, err := s.w.Organization(oid)
		if err != nil {
			return LKO{}, err
		}
		oid = o.ParentOID
	}
	return LKO{}, fmt.Errorf("%w connected for appeals for organisation %d or its superiors", ErrNoLKO, orgOID)
}

// SetWidgetSites replaces an LKO's «Сайт размещения виджета» sites.
func (s *Server) SetWidgetSites(opaID int64, sites []string) (LKO, error) {
	for i, site := range sites {
		if why := ValidWidgetSite(site); why != "" {
			return LKO{}, world.Fieldf(world.ErrInvalid, world.Index("widget_sites", i), "%s", why)
		}
	}
	var out LKO
	err := s.sec.modify(func(st *Settings) error {
		for i := range st.LKOs {
			if st.LKOs[i].OpaID == opaID {
				st.LKOs[i].WidgetSites = slices.Clone(sites)
				out = st.LKOs[i]
				return nil
			}
		}
		return fmt.Errorf("%w: %d", ErrNoLKO, opaID)
	})
	return out, err
}

// withHistory returns a with the lifecycle steps reached at now.
func withHistory(a Appeal, now time.Time) Appeal {
	a.History = slices.Clone(a.History)
	for _, st := range Lifecycle {
		at := a.CreatedAt.Add(st.After)
		if at.After(now) {
			break
		}
		if !slices.ContainsFunc(a.History, func(h Step) bool { return h.Status == st.Status }) {
			step := Step{Status: st.Status, StatusText: st.Text, CreatedAt: at}
			if st.Status != StatusNew {
				emp := LKOEmployee
				step.CreatedBy = &emp
			}
			if st.Status == StatusAnswered {
				ans := StandardAnswer
				step.Answer = &ans
			}
			a.History = append(a.History, step)
		}
	}
	return a
}

// Status is an appeal's current status (the last step of its history).
func (a Appeal) Status() Step {
	if len(a.History) == 0 {
		return Step{}
	}
	return a.History[len(a.History)-1]
}

// Appeals returns the appeals an LKO received (all of them for opaID 0),
// with their history as of the world clock: an appeal follows
// [Lifecycle].
func (s *Server) Appeals(opaID int64) []Appeal {
	now := s.w.Clock.Now()
	var out []Appeal
	for _, a := range s.sec.Settings().Appeals {
		if opaID == 0 || a.OpaID == opaID {
			out = append(out, withHistory(a, now))
		}
	}
	return out
}

// Appeal returns one appeal with its history as of the world clock.
func (s *Server) Appeal(id int64) (Appeal, bool) {
	for _, a := range s.sec.Settings().Appeals {
		if a.ID == id {
			return withHistory(a, s.w.Clock.Now()), true
		}
	}
	return Appeal{}, false
}

// FirstAppealID is the id of the first appeal of a world.
const FirstAppealID int64 = 5000001

// File adds an appeal to an LKO connected for appeals, stamped with the
// world clock; it returns the stored appeal.
func (s *Server) File(a Appeal) (Appeal, error) {
	if strings.TrimSpace(a.Description) == "" {
		return Appeal{}, errors.New("posmock: an appeal needs a description")
	}
	now := s.w.Clock.Now()
	err := s.sec.modify(func(st *Settings) error {
		i := slices.IndexFunc(st.LKOs, func(l LKO) bool { return l.OpaID == a.OpaID })
		if i < 0 {
			return fmt.Errorf("%w: %d", ErrNoLKO, a.OpaID)
		}
		if !st.LKOs[i].Appeals {
			return fmt.Errorf("posmock: LKO %d is not connected for appeals", a.OpaID)
		}
		a.OrgOID = st.LKOs[i].OrgOID
		a.ID = FirstAppealID
		for _, b := range st.Appeals {
			a.ID = max(a.ID, b.ID+1)
		}
		a.CreatedAt = now
		a.History = []Step{{Status: StatusNew, StatusText: Lifecycle[0].Text, CreatedAt: now}}
		st.Appeals = append(st.Appeals, a)
		return nil
	})
	if err == nil {
		s.scheduleAnswer(a)
	}
	return a, err
}

func (s *Server) newToken() (string, error) {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	tok := SandboxPrefix + "pos" + hex.EncodeToString(b)
	if s.issue != nil {
		if err := s.issue(tok); err != nil {
			return "", err
		}
	}
	s.mu.Lock()
	s.tokens[tok] = s.w.Clock.Now().Add(TokenLifetime)
	s.mu.Unlock()
	s.issuedV.Add(1)
	return tok, nil
}

func (s *Server) tokenValid(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[tok]
	return ok && s.w.Clock.Now().Before(exp)
}

// ---- request parsing ----

// Request is what the emulator reads from a request before serving it.
type Request struct {
	// Method is the canonical method ([Methods]) or "unknown".
	Method string
	// Params are the query and (urlencoded) form parameters.
	Params url.Values
	// PathID is the numeric id in the path (region, subject, appeal), and
	// PathID2 the second one (the region of sub-subjects).
	PathID, PathID2 int64
	// Bearer is the token of an API call.
	Bearer string
}

// methodMux routes a request to its canonical method: each pattern's
// handler records the method and the path's ids on the [Request] carried
// in the request's context. What it does not route stays "unknown".
var methodMux = http.NewServeMux()

type requestKey struct{}

// methodPatterns maps ServeMux patterns to canonical methods; the path
// wildcards are numeric ids ({a} becomes PathID, {b} PathID2).
var methodPatterns = map[string]string{
	"GET /form":                                  "form",
	"GET /form/{$}":                              "form",
	"POST /form":                                 "form.submit",
	"POST /form/{$}":                             "form.submit",
	"GET /og/org-activities":                     "og.org_activities",
	"GET /bin/script.min.js":                     "script",
	"POST /oauth/token":                          "api.token",
	"GET /inbox-service/regions/all":             "api.regions",
	"GET /inbox-service/subjects/region/{a}/all": "api.subjects",
	"GET /inbox-service/subsubjects/subject/{a}/region/{b}":  "api.subsubjects",
	"POST /inbox-service/filestorage":                        "api.filestorage",
	"POST /inbox-service/external-appeal-system/appeals":     "api.appeal_create",
	"GET /appeal-service/external-appeal-system/appeals/{a}": "api.appeal_get",
}

var reID = regexp.MustCompile(`^\d{1,18}$`)

func init() {
	for pattern, method := range methodPatterns {
		methodMux.HandleFunc(pattern, func(_ http.ResponseWriter, r *http.Request) {
			req, _ := r.Context().Value(requestKey{}).(*Request)
			if req == nil {
				return
			}
			a, b := r.PathValue("a"), r.PathValue("b")
			if (a != "" && !reID.MatchString(a)) || (b != "" && !reID.MatchString(b)) {
				return
			}
			req.Method, req.PathID, req.PathID2 = method, atoi(a), atoi(b)
		})
	}
}

// discard is the writer methodMux answers to (its redirects and 404s are
// not the emulator's answer).
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// Methods lists the canonical method names of the emulator (the journal's
// method and what fault rules name).
func Methods() []string {
	out := make([]string, 0, len(routes))
	for m := range routes {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

// ParseRequest reads a POS request: its method from the path and the HTTP
// method, its parameters and its bearer token. It never fails: what it
// cannot read is "unknown" or left empty.
func ParseRequest(r *http.Request) *Request {
	req := &Request{Method: "unknown", Params: url.Values{}}
	for k, v := range r.URL.Query() {
		req.Params[k] = v
	}
	if a := r.Header.Get("Authorization"); len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
		req.Bearer = strings.TrimSpace(a[7:])
	}
	ct := r.Header.Get("Content-Type")
	if r.Method == http.MethodPost && strings.HasPrefix(ct, "application/x-www-form-urlencoded") && r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(r.Body, DefaultMaxBody))
		if err == nil {
			if f, err := url.ParseQuery(string(b)); err == nil {
				for k, v := range f {
					req.Params[k] = append(req.Params[k], v...)
				}
			}
		}
		r.Body = io.NopCloser(strings.NewReader(string(b)))
	}
	methodMux.ServeHTTP(discard{}, r.WithContext(context.WithValue(r.Context(), requestKey{}, req)))
	return req
}

func atoi(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }

// adapter reads POS requests for the pipeline.
type adapter struct{}

func (a *adapter) Party() string     { return PartyName }
func (a *adapter) MaxBody() int64    { return DefaultMaxBody }
func (a *adapter) Methods() []string { return Methods() }

func (a *adapter) Inspect(r *http.Request, c *emu.Call) {
	req := ParseRequest(r)
	c.Data = req
	c.Method = req.Method
	switch {
	case req.Bearer != "":
		c.Credential = req.Bearer
	case req.Method == "api.token":
		c.Credential = req.Params.Get("username")
	case req.Method == "form" || req.Method == "form.submit":
		if id, err := strconv.ParseInt(req.Params.Get("opaId"), 10, 64); err == nil && id > 0 {
			c.Credential = OpaCredential(id)
		}
	case req.Method == "og.org_activities" || req.Method == "script":
		// Public pages of no LKO: a sandbox serves them from the tenant
		// the X-Mock-Tenant header names (the default one without it).
		c.Anonymous = true
	}
	if c.Credential != "" {
		c.Token = world.Fingerprint(c.Credential)
	}
}

// secretParams are never journalled.
var secretParams = map[string]bool{"password": true, "client_secret": true, "access_token": true}

// Params journals every parameter but secrets (utm_* included), first
// value each.
func (a *adapter) Params(c *emu.Call) map[string]string {
	req, ok := c.Data.(*Request)
	if !ok || req == nil {
		return nil
	}
	out := map[string]string{}
	for k, v := range req.Params {
		if secretParams[k] || len(v) == 0 {
			continue
		}
		out[k] = v[0]
	}
	return out
}

func (a *adapter) WriteError(w http.ResponseWriter, r *http.Request, c *emu.Call, f emu.Failure) {
	status, text := http.StatusInternalServerError, "Internal Server Error"
	switch f.Kind {
	case emu.Unauthorized:
		status, text = http.StatusUnauthorized, "unauthorized"
	case emu.Injected:
		if f.Code >= 400 && f.Code < 600 {
			status = f.Code
		}
		if f.Description != "" {
			text = f.Description
		}
	case emu.RateLimited:
		status, text = http.StatusTooManyRequests, "Too Many Requests"
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		}
	}
	c.Code, c.Description = status, text
	writeAPIError(w, status, text)
}

func writeAPIError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": status, "error": http.StatusText(status), "message": msg})
}

// callCtx carries one call through its route.
type callCtx struct {
	s   *Server
	c   *emu.Call
	req *Request
}

func (x *callCtx) fail(w http.ResponseWriter, status int, msg string) {
	x.c.Code, x.c.Description = status, msg
	writeAPIError(w, status, msg)
}

func (x *callCtx) json(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

// authorized checks the bearer token of an API call.
func (x *callCtx) authorized(w http.ResponseWriter) bool {
	if x.req.Bearer == "" || !x.s.tokenValid(x.req.Bearer) {
		x.fail(w, http.StatusUnauthorized, "invalid_token")
		return false
	}
	return true
}

type route func(x *callCtx, w http.ResponseWriter, r *http.Request)

var routes map[string]route

func init() {
	routes = map[string]route{
		"form": serveForm, "form.submit": serveFormSubmit, "og.org_activities": servePolls, "script": serveScript,
		"api.token": serveToken, "api.regions": serveRegions, "api.subjects": serveSubjects,
		"api.subsubjects": serveSubsubjects, "api.filestorage": serveFile, "api.appeal_create": serveCreate,
		"api.appeal_get": serveGet,
	}
}

var pageTmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>{{.Title}} — Платформа обратной связи</title></head>
<body><main class="pos-page" data-state="{{.State}}">
<h1>{{.Title}}</h1>
{{if .Org}}<section class="pos-org"><p class="pos-org-name">{{.Org.FullName}}</p><p class="pos-org-ogrn">ОГРН {{.Org.OGRN}}</p></section>{{end}}
{{if .Text}}<p class="pos-text">{{.Text}}</p>{{end}}
{{if .Form}}<form method="post" action="/form/" class="pos-form">
<input type="hidden" name="opaId" value="{{.OpaID}}">
{{range $k, $v := .UTM}}<input type="hidden" name="{{$k}}" value="{{$v}}">
{{end}}<label>Фамилия <input name="surname"></label>
<label>Имя <input name="name"></label>
<label>Электронная почта <input name="email" type="email"></label>
<label>Телефон <input name="phone"></label>
<label>Текст сообщения <textarea name="description" required></textarea></label>
<button type="submit">Отправить</button>
</form>{{end}}
{{if .Orgs}}<ul class="pos-activities">{{range .Orgs}}<li data-ogrn="{{.OGRN}}">{{.FullName}}</li>{{end}}</ul>{{end}}
</main></body></html>
`))

type pageData struct {
	Title, Text, State string
	Org                *world.Organization
	Orgs               []world.Organization
	Form               bool
	OpaID              int64
	UTM                map[string]string
}

func (x *callCtx) render(w http.ResponseWriter, status int, d pageData) {
	if status >= 400 {
		x.c.Code, x.c.Description = status, d.Title
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, d)
}

func (x *callCtx) page(w http.ResponseWriter, status int, title, text string) {
	x.render(w, status, pageData{Title: title, Text: text, State: "error"})
}

// Page titles of the form's states. POS's own wording for the unknown and
// the not-connected cabinet is not public; these texts are the emulator's.
const (
	TitleUnknownOrg   = "Организация не найдена"
	TitleNotConnected = "Организация не подключена к Платформе обратной связи"
	TitleForm         = "Сообщить о проблеме"
	TitleSent         = "Сообщение отправлено"
	TitlePolls        = "Опросы и голосования"
)

func utmOf(p url.Values) map[string]string {
	out := map[string]string{}
	for k, v := range p {
		if strings.HasPrefix(k, "utm_") && len(v) > 0 {
			out[k] = v[0]
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// formLKO resolves opaId to its LKO and organisation, rendering the
// unknown or not-connected page when it cannot serve the form.
func (x *callCtx) formLKO(w http.ResponseWriter) (LKO, *world.Organization, bool) {
	id, err := strconv.ParseInt(x.req.Params.Get("opaId"), 10, 64)
	if err != nil || id <= 0 {
		x.page(w, http.StatusNotFound, TitleUnknownOrg, "Проверьте ссылку: параметр opaId не указан или не является числом.")
		return LKO{}, nil, false
	}
	l, err := x.s.LKO(id)
	if err != nil {
		x.page(w, http.StatusNotFound, TitleUnknownOrg, "Личный кабинет организации с таким идентификатором не найден.")
		return LKO{}, nil, false
	}
	o, err := x.s.w.Organization(l.OrgOID)
	if err != nil {
		x.page(w, http.StatusNotFound, TitleUnknownOrg, "Личный кабинет организации с таким идентификатором не найден.")
		return LKO{}, nil, false
	}
	if !l.Appeals {
		x.render(w, http.StatusOK, pageData{Title: TitleNotConnected, State: "not-connected", Org: &o,
			Text: "Организация не принимает сообщения через Платформу обратной связи. Обратитесь в вышестоящий орган."})
		return LKO{}, nil, false
	}
	return l, &o, true
}

func serveForm(x *callCtx, w http.ResponseWriter, r *http.Request) {
	l, o, ok := x.formLKO(w)
	if !ok {
		return
	}
	x.render(w, http.StatusOK, pageData{Title: TitleForm, State: "form", Org: o, Form: true, OpaID: l.OpaID, UTM: utmOf(x.req.Params)})
}

func serveFormSubmit(x *callCtx, w http.ResponseWriter, r *http.Request) {
	l, o, ok := x.formLKO(w)
	if !ok {
		return
	}
	p := x.req.Params
	a, err := x.s.File(Appeal{OpaID: l.OpaID, Source: "form", Description: p.Get("description"), UTM: utmOf(p),
		Applicant: Applicant{Name: p.Get("name"), Surname: p.Get("surname"), Email: p.Get("email"), Phone: p.Get("phone")}})
	if err != nil {
		x.render(w, http.StatusBadRequest, pageData{Title: TitleForm, State: "invalid", Org: o, Form: true, OpaID: l.OpaID,
			UTM: utmOf(p), Text: "Заполните текст сообщения."})
		return
	}
	x.render(w, http.StatusOK, pageData{Title: TitleSent, State: "sent", Org: o, Text: fmt.Sprintf("Номер сообщения: %d", a.ID)})
}

// RegionPrefixes maps POS's three- and four-digit region codes of
// autonomous okrugs to the OKATO prefix they stand for (НАО, ХМАО, ЯНАО).
var RegionPrefixes = map[string]string{"111": "11100", "711": "71100", "7114": "71140"}

var (
	reRegCode = regexp.MustCompile(`^(\d{2}|111|711|7114)$`)
	reMunCode = regexp.MustCompile(`^\d{8}$`)
)

func servePolls(x *callCtx, w http.ResponseWriter, r *http.Request) {
	reg, mun := x.req.Params.Get("reg_code"), x.req.Params.Get("mun_code")
	var match func(o world.Organization) bool
	var title string
	switch {
	case reg != "" && mun == "" && reRegCode.MatchString(reg):
		prefix := reg
		if p, ok := RegionPrefixes[reg]; ok {
			prefix = p
		}
		match = func(o world.Organization) bool { return strings.HasPrefix(o.OKATO, prefix) }
		title = TitlePolls + ": регион " + reg
	case mun != "" && reg == "" && reMunCode.MatchString(mun):
		match = func(o world.Organization) bool { return strings.HasPrefix(o.OKTMO, mun) }
		title = TitlePolls + ": муниципальное образование " + mun
	default:
		x.page(w, http.StatusBadRequest, "Неверная ссылка", "Укажите reg_code (две цифры, либо 111, 711, 7114) или mun_code (восемь цифр ОКТМО).")
		return
	}
	var orgs []world.Organization
	lkos := x.s.sec.Settings().LKOs
	for _, o := range x.s.w.Organizations() {
		if match(o) && slices.ContainsFunc(lkos, func(l LKO) bool { return l.OrgOID == o.OID && l.Polls }) {
			orgs = append(orgs, o)
		}
	}
	if len(orgs) == 0 {
		x.page(w, http.StatusNotFound, "Территория не найдена", "На этой территории нет организаций, подключённых к опросам и голосованиям.")
		return
	}
	x.render(w, http.StatusOK, pageData{Title: title, State: "polls", Orgs: orgs})
}

func serveScript(x *callCtx, w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/javascript; charset=utf-8")
	_, _ = w.Write(widgetScript)
}

// ---- appeals API (shapes inferred, see the package docs) ----

func serveToken(x *callCtx, w http.ResponseWriter, r *http.Request) {
	p := x.req.Params
	if p.Get("grant_type") != "password" {
		x.fail(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	user := p.Get("username")
	ok := slices.ContainsFunc(x.s.sec.Settings().Systems, func(sy System) bool {
		return sy.Username == user && sy.Password == p.Get("password")
	})
	if !ok {
		x.fail(w, http.StatusUnauthorized, "invalid_grant")
		return
	}
	tok, err := x.s.newToken()
	if err != nil {
		x.fail(w, http.StatusConflict, "token refused")
		return
	}
	x.json(w, map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": int(TokenLifetime / time.Second),
		"scope": p.Get("scope"), "system": true, "superUser": false, "name": user, "jti": tok[len(tok)-12:]})
}

// Region is a region of the catalogue.
type Region struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	OKATO string `json:"okato"`
}

// Regions returns the regions of the world's organisations (by the first
// two digits of their OKATO); the id is the code as a number.
func (s *Server) Regions() []Region {
	seen := map[string]bool{}
	var out []Region
	for _, o := range s.w.Organizations() {
		if len(o.OKATO) < 2 || seen[o.OKATO[:2]] {
			continue
		}
		code := o.OKATO[:2]
		seen[code] = true
		out = append(out, Region{ID: atoi(code), Name: "Регион " + code, OKATO: code})
	}
	slices.SortFunc(out, func(a, b Region) int { return int(a.ID - b.ID) })
	return out
}

// Subject is a catalogue subject or sub-subject.
type Subject struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Subjects is the emulator's catalogue of subjects (the same in every
// region), each with its sub-subjects.
var Subjects = []struct {
	Subject
	Sub []Subject
}{
	{Subject{1, "Дороги"}, []Subject{{101, "Ямы на дорогах"}, {102, "Освещение"}}},
	{Subject{2, "ЖКХ"}, []Subject{{201, "Отопление"}, {202, "Вывоз мусора"}}},
	{Subject{3, "Здравоохранение"}, []Subject{{301, "Запись к врачу"}}},
}

func (x *callCtx) knownRegion(w http.ResponseWriter, id int64) bool {
	if !slices.ContainsFunc(x.s.Regions(), func(r Region) bool { return r.ID == id }) {
		x.fail(w, http.StatusNotFound, fmt.Sprintf("region %d not found", id))
		return false
	}
	return true
}

func serveRegions(x *callCtx, w http.ResponseWriter, r *http.Request) {
	if x.authorized(w) {
		x.json(w, x.s.Regions())
	}
}

func serveSubjects(x *callCtx, w http.ResponseWriter, r *http.Request) {
	if !x.authorized(w) || !x.knownRegion(w, x.req.PathID) {
		return
	}
	out := []Subject{}
	for _, s := range Subjects {
		out = append(out, s.Subject)
	}
	x.json(w, out)
}

func serveSubsubjects(x *callCtx, w http.ResponseWriter, r *http.Request) {
	if !x.authorized(w) || !x.knownRegion(w, x.req.PathID2) {
		return
	}
	for _, s := range Subjects {
		if s.ID == x.req.PathID {
			x.json(w, s.Sub)
			return
		}
	}
	x.fail(w, http.StatusNotFound, fmt.Sprintf("subject %d not found", x.req.PathID))
}

func serveFile(x *callCtx, w http.ResponseWriter, r *http.Request) {
	if !x.authorized(w) {
		return
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		x.fail(w, http.StatusBadRequest, "multipart field file is required")
		return
	}
	_ = f.Close()
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	x.s.mu.Lock()
	x.s.files[id] = h.Filename
	x.s.mu.Unlock()
	x.json(w, map[string]any{"id": id, "name": h.Filename, "size": h.Size})
}

// CreateAppealRequest is the body of POST
// /inbox-service/external-appeal-system/appeals (shape inferred).
type CreateAppealRequest struct {
	Description      string    `json:"description"`
	CreatedAt        string    `json:"createdAt,omitempty"`
	Applicant        Applicant `json:"applicant"`
	SubjectID        int64     `json:"subjectId"`
	SubsubjectID     int64     `json:"subsubjectId,omitempty"`
	AttachmentIDs    []string  `json:"attachmentIds,omitempty"`
	Location         string    `json:"location,omitempty"`
	OrganizationInfo struct {
		OGRN string `json:"ogrn"`
	} `json:"organizationInfo"`
	RegionID int64 `json:"regionId"`
}

// AppealStatus is the answer of GET
// /appeal-service/external-appeal-system/appeals/{id} (shape inferred).
type AppealStatus struct {
	PosID      int64  `json:"posId"`
	Status     string `json:"status"`
	StatusText string `json:"statusText"`
	History    []Step `json:"history"`
}

func statusOf(a Appeal) AppealStatus {
	st := a.Status()
	return AppealStatus{PosID: a.ID, Status: st.Status, StatusText: st.StatusText, History: a.History}
}

func serveCreate(x *callCtx, w http.ResponseWriter, r *http.Request) {
	if !x.authorized(w) {
		return
	}
	var in CreateAppealRequest
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&in); err != nil {
		x.fail(w, http.StatusBadRequest, "body must be a JSON appeal")
		return
	}
	var org *world.Organization
	for _, o := range x.s.w.Organizations() {
		if in.OrganizationInfo.OGRN != "" && o.OGRN == in.OrganizationInfo.OGRN {
			org = &o
			break
		}
	}
	if org == nil {
		x.fail(w, http.StatusNotFound, "organization not found by organizationInfo.ogrn")
		return
	}
	if !slices.ContainsFunc(Subjects, func(s struct {
		Subject
		Sub []Subject
	}) bool {
		return s.ID == in.SubjectID
	}) {
		x.fail(w, http.StatusBadRequest, "unknown subjectId")
		return
	}
	x.s.mu.Lock()
	for _, id := range in.AttachmentIDs {
		if _, ok := x.s.files[id]; !ok {
			x.s.mu.Unlock()
			x.fail(w, http.StatusBadRequest, "unknown attachment id")
			return
		}
	}
	x.s.mu.Unlock()
	l, err := x.s.AppealsLKO(org.OID)
	if err != nil {
		x.fail(w, http.StatusConflict, "organization is not connected for appeals")
		return
	}
	a, err := x.s.File(Appeal{OpaID: l.OpaID, Source: "api", Description: in.Description, SubjectID: in.SubjectID,
		SubsubjectID: in.SubsubjectID, RegionID: in.RegionID, Attachments: in.AttachmentIDs, Applicant: in.Applicant})
	if err != nil {
		x.fail(w, http.StatusBadRequest, "description is required")
		return
	}
	x.json(w, statusOf(a))
}

func serveGet(x *callCtx, w http.ResponseWriter, r *http.Request) {
	if !x.authorized(w) {
		return
	}
	a, ok := x.s.Appeal(x.req.PathID)
	if !ok {
		x.fail(w, http.StatusNotFound, "appeal not found")
		return
	}
	x.json(w, statusOf(a))
}

// Decode implements [emu.Decoder]: the operation and its parameters.
func (a *adapter) Decode(c *emu.Call, params map[string]string) *world.Decoded {
	return &world.Decoded{POS: &world.POSCall{Operation: c.Method, Params: params}}
}
