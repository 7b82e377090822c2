package esiamock

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// Kinds of endpoints, which decide the error format.
const (
	kindAC   = iota // redirect with error / error page
	kindTE          // HTTP 400 JSON
	kindREST        // {code, message}
	kindPage        // HTML error page
)

// route is an endpoint of the emulator: its journal method, its error
// format and its handler. Routes are registered once per process on a
// ServeMux, which hands the handler the request's path values; the server
// and the pipeline's call travel in the request context.
type route struct {
	method string
	kind   int
	h      func(*Server, http.ResponseWriter, *http.Request, *call)
}

type serving struct {
	s *Server
	c *call
}

type servingKey struct{}

// ServeHTTP implements [http.Handler] for the ServeMux.
func (rt *route) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sv, ok := r.Context().Value(servingKey{}).(serving)
	if !ok || sv.s == nil {
		http.NotFound(w, r)
		return
	}
	rt.h(sv.s, w, r, sv.c)
}

// routes is the emulator's ServeMux, built once: registering some thirty
// patterns costs more than the rest of a server's start.
var routes = sync.OnceValue(func() *http.ServeMux {
	mux := http.NewServeMux()
	add := func(pattern, method string, kind int, h func(*Server, http.ResponseWriter, *http.Request, *call)) {
		mux.Handle(pattern, &route{method: method, kind: kind, h: h})
	}
	add("/aas/oauth2/ac", "ac", kindAC, func(s *Server, w http.ResponseWriter, r *http.Request, c *call) { s.handleAC(genLegacy)(w, r, c) })
	add("/aas/oauth2/v2/ac", "v2/ac", kindAC, func(s *Server, w http.ResponseWriter, r *http.Request, c *call) { s.handleAC(genV2)(w, r, c) })
	add("/aas/oauth2/te", "te", kindTE, func(s *Server, w http.ResponseWriter, r *http.Request, c *call) { s.handleTE(genLegacy)(w, r, c) })
	add("/aas/oauth2/v3/te", "v3/te", kindTE, func(s *Server, w http.ResponseWriter, r *http.Request, c *call) { s.handleTE(genV2)(w, r, c) })
	add("/login", "login", kindPage, (*Server).handleLogin)
	add("/login/{$}", "login", kindPage, (*Server).handleLogin)
	add("/login/org", "login/org", kindPage, (*Server).handleOrg)
	add("/idp/ext/Logout", "logout", kindPage, (*Server).handleLogout)

	const prns, orgs = "rs/prns", "rs/orgs"
	add("/rs/prns/", prns, kindREST, (*Server).handlePersonUnknown)
	add("/rs/prns/{oid}", prns, kindREST, (*Server).handlePerson)
	add("/rs/prns/{oid}/{$}", prns, kindREST, (*Server).handlePerson)
	add("/rs/prns/{oid}/ctts", prns, kindREST, (*Server).handleContacts)
	add("/rs/prns/{oid}/ctts/{id}", prns, kindREST, (*Server).handleContact)
	add("/rs/prns/{oid}/roles", prns, kindREST, (*Server).handleRoles)
	add("/rs/prns/{oid}/orgs", prns, kindREST, (*Server).handlePersonOrgs)
	for name, scopes := range personCollections {
		add("/rs/prns/{oid}/"+name, prns, kindREST, func(s *Server, w http.ResponseWriter, r *http.Request, c *call) {
			s.handlePersonCollection(scopes)(w, r, c)
		})
	}
	add("/rs/orgs/", orgs, kindREST, (*Server).handleOrgUnknown)
	add("/rs/orgs/{oid}", orgs, kindREST, (*Server).handleOrgCard)
	add("/rs/orgs/{oid}/{$}", orgs, kindREST, (*Server).handleOrgCard)
	add("/rs/orgs/{oid}/emps", orgs, kindREST, (*Server).handleEmployees)
	add("/rs/orgs/{oid}/emps/{prn}", orgs, kindREST, (*Server).handleEmployee)
	add("/rs/orgs/{oid}/emps/{prn}/grps", orgs, kindREST, (*Server).handleEmployeeGroups)
	add("/rs/orgs/{oid}/grps", orgs, kindREST, (*Server).handleOrgGroups)
	add("/rs/orgs/{oid}/grps/{grp}", orgs, kindREST, (*Server).handleOrgGroup)
	for _, name := range orgCollections {
		add("/rs/orgs/{oid}/"+name, orgs, kindREST, func(s *Server, w http.ResponseWriter, r *http.Request, c *call) {
			s.handleOrgCollection(name)(w, r, c)
		})
	}
	return mux
})

// route returns the endpoint serving r, if any (a path the ServeMux would
// redirect is no endpoint).
func (s *Server) route(r *http.Request) (*route, bool) {
	h, _ := routes().Handler(r)
	rt, ok := h.(*route)
	return rt, ok
}

// ServeControl serves the control endpoints with the /_mock/esia prefix
// already stripped, for mounting on a sandbox's control listener:
// GET /cert.pem and /esia.zip (the verification certificates), POST /login
// (enqueue a headless [Login]), GET /systems (the registered systems) and
// POST /systems (register a [System], JSON). Errors are JSON
// {"error": "..."}; a wrong method is a 405.
func (s *Server) ServeControl(w http.ResponseWriter, r *http.Request) {
	type ep struct {
		methods []string
		h       func(http.ResponseWriter, *http.Request)
	}
	var e ep
	switch r.URL.Path {
	case "/cert.pem":
		e = ep{[]string{http.MethodGet}, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/x-pem-file")
			_, _ = w.Write(s.keys.CertificatesPEM())
		}}
	case "/esia.zip":
		e = ep{[]string{http.MethodGet}, func(w http.ResponseWriter, r *http.Request) { s.serveZip(w) }}
	case "/login":
		e = ep{[]string{http.MethodPost}, s.serveEnqueue}
	case "/systems":
		e = ep{[]string{http.MethodGet, http.MethodPost}, s.serveSystems}
	default:
		controlError(w, http.StatusNotFound, "unknown ESIA control endpoint "+r.URL.Path)
		return
	}
	if !slices.Contains(e.methods, r.Method) {
		w.Header().Set("Allow", strings.Join(e.methods, ", "))
		controlError(w, http.StatusMethodNotAllowed, r.Method+" "+r.URL.Path+": method not allowed; use "+strings.Join(e.methods, ", "))
		return
	}
	e.h(w, r)
}

// controlError answers a control error as JSON {"error": msg}.
func controlError(w http.ResponseWriter, status int, msg string) {
	controlJSON(w, status, map[string]string{"error": msg})
}

// controlJSON answers a control call with JSON, as the sandbox's other
// control endpoints do.
func controlJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"cannot encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// ServeHTTP implements [http.Handler]: the request goes through the
// emulator pipeline (fault rules, journal) with the tenant taken from the
// X-Mock-Tenant header or derived from the credential ("esia:<client_id>").
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.pipe.ServeHTTP(w, r) }

// Adapter returns the emulator's adapter for an [emu.Pipeline]: methods,
// credentials (client_id, bearer token or login id) and ESIA's error
// formats.
func (s *Server) Adapter() emu.Adapter { return adapter{s} }

// request is what the adapter decodes for the handler.
type request struct {
	rt   *route
	c    *call
	form url.Values // the parsed query and form, for fault rules
}

type adapter struct{ s *Server }

// Party implements [emu.Adapter].
func (a adapter) Party() string { return Party }

// Methods implements [emu.Adapter].
func (a adapter) Methods() []string {
	return []string{"ac", "login", "login/org", "logout", "rs/orgs", "rs/prns", "te", "v2/ac", "v3/te"}
}

// Inspect implements [emu.Adapter].
func (a adapter) Inspect(r *http.Request, c *emu.Call) {
	s := a.s
	path := r.URL.Path
	switch path {
	case "/public/esia.zip":
		c.Direct = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serveZip(w) })
		return
	case ControlPrefix + "cert.pem":
		c.Direct = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/x-pem-file")
			_, _ = w.Write(s.keys.CertificatesPEM())
		})
		return
	case ControlPrefix + "login":
		c.Direct = http.HandlerFunc(s.serveEnqueue)
		return
	case "/healthz":
		c.Direct = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok\n")) })
		return
	}
	rt, ok := s.route(r)
	if !ok {
		c.Direct = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/rs/") {
				writeRESTError(w, CodeRESTNotFound, "")
				return
			}
			http.NotFound(w, r)
		})
		return
	}
	ec := &call{method: rt.method}
	c.Method = rt.method
	c.Data = &request{rt: rt, c: ec}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	ec.formOK = r.ParseForm() == nil
	c.Data.(*request).form = r.Form
	switch rt.kind {
	case kindAC, kindTE:
		c.Credential = r.Form.Get("client_id")
	case kindREST:
		h := r.Header.Get("Authorization")
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			tok, ok = strings.CutPrefix(h, "bearer ")
		}
		if ok {
			c.Credential = strings.TrimSpace(tok)
		}
	default:
		c.Credential = r.Form.Get("rid")
		if c.Credential == "" {
			c.Credential = r.Form.Get("client_id")
		}
	}
}

// MaxBody implements [emu.BodyLimiter].
func (a adapter) MaxBody() int64 { return maxBody }

// Params implements [emu.Adapter].
func (a adapter) Params(c *emu.Call) map[string]string {
	q, ok := c.Data.(*request)
	if !ok {
		return nil
	}
	p := q.c.params
	if q.c.sigOK != nil {
		if p == nil {
			p = map[string]string{}
		}
		p["signature_valid"] = strconv.FormatBool(*q.c.sigOK)
	}
	return p
}

// WriteError implements [emu.Adapter].
func (a adapter) WriteError(w http.ResponseWriter, r *http.Request, c *emu.Call, f emu.Failure) {
	q, ok := c.Data.(*request)
	if !ok {
		http.NotFound(w, r)
		return
	}
	s := a.s
	if h, ok := c.Handler.(*Server); ok {
		s = h
	}
	code, desc := f.Code, f.Description
	switch f.Kind {
	case emu.Unauthorized:
		code, desc = CodeNoCertificate, ""
		if q.rt.kind == kindREST {
			code = CodeRESTInvalidToken
		}
	case emu.Internal:
		code, desc = CodeServerError, ""
	}
	s.writeFault(w, r, q.rt, code, desc, f.Kind == emu.RateLimited, f.RetryAfter, q.c)
	c.Code, c.Description = q.c.code, q.c.desc
}

// ServeCall implements [emu.Handler].
func (s *Server) ServeCall(w http.ResponseWriter, r *http.Request, c *emu.Call) {
	q := c.Data.(*request)
	q.c.tenant = c.Tenant
	// The adapter that inspected the request may belong to another
	// tenant's emulator: this server's own ServeMux serves it.
	routes().ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), servingKey{}, serving{s: s, c: q.c})))
	c.Code, c.Description, c.Token = q.c.code, q.c.desc, q.c.token
}

// resolveLocal is the resolver of a stand-alone emulator: one world, the
// tenant from the header or the credential.
func (s *Server) resolveLocal(r *http.Request, c *emu.Call) (emu.Target, bool) {
	q, _ := c.Data.(*request)
	tenant := ""
	if q != nil {
		tenant = s.tenantOf(r, q.rt)
	}
	return emu.Target{Tenant: tenant, World: s.world, Handler: s}, true
}

// writeFault answers an error (fault rules, unauthorized, internal) in
// ESIA's format for the endpoint.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, rt *route, code int, desc string, rateLimited bool, retryAfter int, c *call) {
	f, _ := form(r, c)
	if c.params == nil { // error_after keeps what the executed handler journalled
		c.params = journalParams(f)
	}
	if rateLimited {
		code = CodeOverloaded
		if rt.kind == kindREST {
			code = codeRESTTooMany
		}
		w.Header().Set("Retry-After", strconv.Itoa(max(retryAfter, 1)))
	}
	c.code = code
	switch rt.kind {
	case kindREST:
		c.desc = FormatCode(code)
		if code == CodeServerError {
			writeJSON(w, http.StatusInternalServerError, restError{Code: FormatCode(code), Message: "CommonErrorEnum.internalError"})
			return
		}
		writeRESTError(w, code, desc)
		return
	}
	e := newError(code, desc)
	c.desc = e.Description
	switch rt.kind {
	case kindTE:
		writeTokenError(w, e, f.Get("state"))
	case kindAC:
		if sys := s.system(f.Get("client_id")); sys != nil && sys.redirectAllowed(f.Get("redirect_uri")) {
			redirectError(w, r, f.Get("redirect_uri"), e, f.Get("state"))
			return
		}
		writeErrorPage(w, e)
	default:
		writeErrorPage(w, e)
	}
}

// maxBody bounds request bodies.
const maxBody = 1 << 20

// TenantHeader names the request header that sets the tenant of a request
// explicitly; without it the tenant is derived from the credential:
// "esia:<client_id>" of the system making (or owning) the request.
const TenantHeader = "X-Mock-Tenant"

// tenantOf returns the tenant of a request: the TenantHeader, or the
// client_id of the request, of the bearer token's system or of the login
// session.
func (s *Server) tenantOf(r *http.Request, rt *route) string {
	if t := r.Header.Get(TenantHeader); t != "" {
		return t
	}
	client := ""
	switch rt.kind {
	case kindAC, kindTE:
		client = r.Form.Get("client_id")
	case kindREST:
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			s.mu.Lock()
			if g := s.access[strings.TrimSpace(tok)]; g != nil {
				client = g.clientID
			}
			s.mu.Unlock()
		}
	default:
		client = r.Form.Get("client_id")
		if rid := r.Form.Get("rid"); rid != "" {
			s.mu.Lock()
			if p := s.pending[rid]; p != nil {
				client = p.clientID
			}
			s.mu.Unlock()
		}
	}
	if client == "" || len(client) > 64 {
		return ""
	}
	return "esia:" + client
}

// ResetTenant drops the runtime state of a tenant "esia:<client_id>": the
// system's pending logins, codes, tokens and queued headless logins.
// Other tenant keys are ignored.
func (s *Server) ResetTenant(tenant string) {
	client, ok := strings.CutPrefix(tenant, "esia:")
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.pending {
		if v.clientID == client {
			delete(s.pending, k)
		}
	}
	for k, v := range s.codes {
		if v.req.clientID == client {
			delete(s.codes, k)
		}
	}
	for k, v := range s.access {
		if v.clientID == client {
			delete(s.access, k)
		}
	}
	for k, v := range s.refresh {
		if v.clientID == client {
			delete(s.refresh, k)
		}
	}
	q := s.queue[:0]
	for _, l := range s.queue {
		if l.ClientID != client {
			q = append(q, l)
		}
	}
	s.queue = q
}

// ControlPrefix is the path prefix of the emulator's sandbox-only control
// endpoints: GET cert.pem (the token-verification certificates) and POST
// login (enqueue a headless login, JSON [Login]).
const ControlPrefix = "/_mock/esia/"

func (s *Server) serveSystems(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		controlJSON(w, http.StatusOK, s.Systems())
	case http.MethodPost:
		var sys System
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&sys); err != nil {
			controlError(w, http.StatusBadRequest, "want a JSON system")
			return
		}
		if err := s.RegisterSystem(sys); err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		controlJSON(w, http.StatusOK, map[string]string{"registered": sys.ClientID})
	default:
		w.Header().Set("Allow", "GET, POST")
		controlError(w, http.StatusMethodNotAllowed, "GET or POST")
	}
}

func (s *Server) serveEnqueue(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		controlError(w, http.StatusMethodNotAllowed, "POST a JSON login")
		return
	}
	var l Login
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil || l.PersonOID <= 0 {
		controlError(w, http.StatusBadRequest, "want {\"person_oid\":N,\"org_oid\":N,\"client_id\":\"…\"}")
		return
	}
	if _, err := s.world.Person(l.PersonOID); err != nil {
		controlError(w, http.StatusNotFound, "unknown person")
		return
	}
	s.EnqueueLogin(l)
	controlJSON(w, http.StatusOK, map[string]int{"queued": s.PendingLogins()})
}

// serveZip serves the certificates the way ESIA publishes esia.zip.
func (s *Server) serveZip(w http.ResponseWriter) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range []struct {
		name string
		der  []byte
	}{{"GOST_SANDBOX.cer", s.keys.gostCert}, {"RSA_SANDBOX.cer", s.keys.rsaCert}} {
		fw, err := zw.Create(f.name)
		if err == nil {
			_, _ = fw.Write(f.der)
		}
	}
	_ = zw.Close()
	w.Header().Set("Content-Type", "application/zip")
	_, _ = w.Write(buf.Bytes())
}

// FaultParams implements [emu.FaultParamer]: the request's query and form
// parameters, secrets redacted as in the journal, for fault rules.
func (a adapter) FaultParams(c *emu.Call) map[string]string {
	q, ok := c.Data.(*request)
	if !ok || q.form == nil {
		return nil
	}
	return journalParams(q.form)
}

// Decode implements [emu.Decoder]: the endpoint, the client, the grant
// type, the scopes and the client signature's verdict.
func (a adapter) Decode(c *emu.Call, params map[string]string) *world.Decoded {
	q, ok := c.Data.(*request)
	if !ok {
		return nil
	}
	e := &world.ESIACall{Endpoint: c.Method, ClientID: params["client_id"], GrantType: params["grant_type"],
		Scopes: strings.Fields(params["scope"])}
	if e.ClientID == "" && q.form != nil {
		e.ClientID = q.form.Get("client_id")
	}
	if q.c.sigOK != nil {
		e.SignatureChecked, e.SignatureValid = true, *q.c.sigOK
	}
	return &world.Decoded{ESIA: e}
}
