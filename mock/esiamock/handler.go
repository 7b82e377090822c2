package esiamock

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/mock/world"
)

// Kinds of endpoints, which decide the error format.
const (
	kindAC   = iota // redirect with error / error page
	kindTE          // HTTP 400 JSON
	kindREST        // {code, message}
	kindPage        // HTML error page
)

type route struct {
	method string
	kind   int
	h      func(http.ResponseWriter, *http.Request, *call)
}

func (s *Server) route(path string) (route, bool) {
	switch {
	case path == "/aas/oauth2/ac":
		return route{"ac", kindAC, s.handleAC(genLegacy)}, true
	case path == "/aas/oauth2/v2/ac":
		return route{"v2/ac", kindAC, s.handleAC(genV2)}, true
	case path == "/aas/oauth2/te":
		return route{"te", kindTE, s.handleTE(genLegacy)}, true
	case path == "/aas/oauth2/v3/te":
		return route{"v3/te", kindTE, s.handleTE(genV2)}, true
	case path == "/login" || path == "/login/":
		return route{"login", kindPage, s.handleLogin}, true
	case path == "/login/org":
		return route{"login/org", kindPage, s.handleOrg}, true
	case path == "/idp/ext/Logout":
		return route{"logout", kindPage, s.handleLogout}, true
	case strings.HasPrefix(path, "/rs/prns/"):
		return route{"rs/prns", kindREST, s.handlePersons}, true
	case strings.HasPrefix(path, "/rs/orgs/"):
		return route{"rs/orgs", kindREST, s.handleOrgs}, true
	}
	return route{}, false
}

// ServeControl serves the control endpoints with the /_mock/esia prefix
// already stripped, for mounting on a sandbox's control listener:
// GET /cert.pem and /esia.zip (the verification certificates), POST /login
// (enqueue a headless [Login]), GET /systems (the registered systems) and
// POST /systems (register a [System], JSON).
func (s *Server) ServeControl(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/cert.pem":
		w.Header().Set("Content-Type", "application/x-pem-file")
		_, _ = w.Write(s.keys.CertificatesPEM())
	case "/login":
		s.serveEnqueue(w, r)
	case "/systems":
		s.serveSystems(w, r)
	case "/esia.zip":
		s.serveZip(w)
	default:
		http.NotFound(w, r)
	}
}

// ServeHTTP implements [http.Handler].
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch path {
	case "/public/esia.zip":
		s.serveZip(w)
		return
	case ControlPrefix + "cert.pem":
		w.Header().Set("Content-Type", "application/x-pem-file")
		_, _ = w.Write(s.keys.CertificatesPEM())
		return
	case ControlPrefix + "login":
		s.serveEnqueue(w, r)
		return
	case "/healthz":
		_, _ = w.Write([]byte("ok\n"))
		return
	}
	rt, ok := s.route(path)
	if !ok {
		if strings.HasPrefix(path, "/rs/") {
			writeRESTError(w, CodeRESTNotFound, "")
			return
		}
		http.NotFound(w, r)
		return
	}
	start := time.Now()
	c := &call{method: rt.method}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	c.formOK = r.ParseForm() == nil
	c.tenant = s.tenantOf(r, rt)
	sw := &statusWriter{ResponseWriter: w}
	record := func(status int) {
		e := world.Entry{
			Time: s.now(), Party: Party, Method: c.method, Params: c.params, Status: status,
			Code: c.code, Description: c.desc, Tenant: c.tenant, Token: c.token, Fault: c.faultID,
			Duration: time.Since(start),
		}
		if c.sigOK != nil {
			if e.Params == nil {
				e.Params = map[string]string{}
			}
			e.Params["signature_valid"] = strconv.FormatBool(*c.sigOK)
		}
		s.world.Journal.Record(e)
	}
	if ft := s.world.Faults.Match(Party, rt.method, c.tenant); ft != nil {
		c.faultID = ft.ID
		if !ft.Wait(r.Context()) {
			record(0)
			return
		}
		switch ft.Kind {
		case world.FaultError, world.FaultRateLimit:
			s.writeFault(sw, r, rt, ft, c)
			record(sw.status)
			return
		case world.FaultDropBefore:
			record(0)
			world.DropConnection(w)
			return
		case world.FaultDropAfter:
			bw := &bufferWriter{}
			rt.h(bw, r, c)
			record(0)
			world.DropConnection(w)
			return
		case world.FaultErrorAfter:
			// The request takes effect (a code is consumed, a token
			// issued); its answer is thrown away and the rule's error
			// sent instead.
			bw := &bufferWriter{}
			rt.h(bw, r, c)
			c.code, c.desc = 0, ""
			s.writeFault(sw, r, rt, ft, c)
			record(sw.status)
			return
		}
	}
	rt.h(sw, r, c)
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	record(sw.status)
}

// writeFault answers a fault rule (error, error_after, rate_limit) in
// ESIA's format for the endpoint.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, rt route, ft *world.Fault, c *call) {
	f, _ := form(r, c)
	if c.params == nil { // error_after keeps what the executed handler journalled
		c.params = journalParams(f)
	}
	code := ft.Code
	if ft.Kind == world.FaultRateLimit {
		code = CodeOverloaded
		if rt.kind == kindREST {
			code = codeRESTTooMany
		}
		w.Header().Set("Retry-After", strconv.Itoa(max(ft.RetryAfter, 1)))
	}
	c.code = code
	switch rt.kind {
	case kindREST:
		c.desc = FormatCode(code)
		writeRESTError(w, code, ft.Description)
		return
	}
	e := newError(code, ft.Description)
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
func (s *Server) tenantOf(r *http.Request, rt route) string {
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
		writeJSON(w, http.StatusOK, s.Systems())
	case http.MethodPost:
		var sys System
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&sys); err != nil {
			http.Error(w, "want a JSON system", http.StatusBadRequest)
			return
		}
		if err := s.RegisterSystem(sys); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"registered": sys.ClientID})
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "GET or POST", http.StatusMethodNotAllowed)
	}
}

func (s *Server) serveEnqueue(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST a JSON login", http.StatusMethodNotAllowed)
		return
	}
	var l Login
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil || l.PersonOID <= 0 {
		http.Error(w, "want {\"person_oid\":N,\"org_oid\":N,\"client_id\":\"…\"}", http.StatusBadRequest)
		return
	}
	if _, err := s.world.Person(l.PersonOID); err != nil {
		http.Error(w, "unknown person", http.StatusNotFound)
		return
	}
	s.EnqueueLogin(l)
	writeJSON(w, http.StatusOK, map[string]int{"queued": s.PendingLogins()})
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
