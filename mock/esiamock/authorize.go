package esiamock

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Protocol generations.
const (
	genLegacy = "legacy" // /aas/oauth2/ac + /aas/oauth2/te, CMS client_secret
	genV2     = "v2"     // /aas/oauth2/v2/ac + /aas/oauth2/v3/te, raw signature
)

// authRequest is a validated /ac request waiting for the user.
type authRequest struct {
	id              string
	gen             string
	clientID        string
	redirectURI     string
	state           string
	accessType      string
	scope           []scopeItem
	scopeOrg        []string
	challenge       string
	challengeMethod string
	nonce           string // CSRF nonce of the login pages
	created         time.Time

	orgRequired bool  // scope_org asks for an organisation
	orgOptional bool  // usr_org: the picker offers "private person"
	fixedOrg    int64 // legacy ?org_oid= items name the organisation

	personOID int64 // set once the password was checked
	authTime  time.Time
	sid       string
	failures  int
	stored    bool // kept in Server.pending (page flow)
}

// authCode is an issued authorization code.
type authCode struct {
	req       *authRequest
	personOID int64
	orgOID    int64
	expires   time.Time
	used      bool
	issued    []string // refresh tokens issued from it (revoked on reuse)
}

// form returns the request parameters (query and form body) parsed by
// ServeHTTP and whether they parsed cleanly.
func form(r *http.Request, c *call) (url.Values, bool) {
	if r.Form == nil {
		return url.Values{}, false
	}
	return r.Form, c.formOK
}

// missing lists the mandatory parameters absent (or empty) in f.
func missing(f url.Values, names ...string) []string {
	var out []string
	for _, n := range names {
		if strings.TrimSpace(f.Get(n)) == "" {
			out = append(out, n)
		}
	}
	return out
}

// duplicated returns the first parameter of names sent more than once.
func duplicated(f url.Values, names ...string) string {
	for _, n := range names {
		if len(f[n]) > 1 {
			return n
		}
	}
	return ""
}

// checkTime validates the timestamp parameter against the world clock.
func (s *Server) checkTime(ts string) *oauthError {
	t, ok := parseTimestamp(ts)
	if !ok {
		return newError(CodeWrongTime, "The request time is wrong: cannot parse timestamp (want yyyy.MM.dd HH:mm:ss ±hhmm).")
	}
	d := s.now().Sub(t)
	if d > s.window || d < -s.window {
		return newError(CodeWrongTime, "The request time is wrong: the timestamp is outside the allowed window.")
	}
	return nil
}

// useState records a (client, endpoint, state) triple and reports a replay.
func (s *Server) useState(clientID, kind, state string) bool {
	now := s.now()
	k := clientID + "\x00" + kind + "\x00" + strings.ToLower(state)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gcLocked(now)
	if exp, ok := s.states[k]; ok && !now.After(exp) {
		return false
	}
	s.states[k] = now.Add(2*s.window + time.Minute)
	return true
}

// handleAC serves /aas/oauth2/ac (legacy) and /aas/oauth2/v2/ac.
func (s *Server) handleAC(gen string) func(http.ResponseWriter, *http.Request, *call) {
	return func(w http.ResponseWriter, r *http.Request, c *call) {
		f, ok := form(r, c)
		c.params = journalParams(f)
		sys, e := s.validateAC(gen, f, ok, c)
		state := f.Get("state")
		if e != nil {
			c.fail(e)
			if sys != nil && e.Code != CodeRedirectURI && sys.redirectAllowed(f.Get("redirect_uri")) && len(f["redirect_uri"]) == 1 {
				redirectError(w, r, f.Get("redirect_uri"), e, state)
			} else {
				writeErrorPage(w, e)
			}
			return
		}
		req := s.newAuthRequest(gen, f)
		if l, ok := s.popLogin(req.clientID); ok {
			s.headless(w, r, c, req, l)
			return
		}
		if sess := s.sessionOf(r); sess != nil {
			// Single sign-on: the person is already logged in.
			req.personOID, req.authTime, req.sid = sess.personOID, sess.authTime, sess.id
			s.storeRequest(req)
			s.afterLogin(w, r, c, req)
			return
		}
		s.storeRequest(req)
		http.Redirect(w, r, "/login?rid="+url.QueryEscape(req.id), http.StatusFound)
	}
}

// validateAC checks an authorization request; it returns the system when
// the client is known (so errors can be redirected).
func (s *Server) validateAC(gen string, f url.Values, parsed bool, c *call) (*system, *oauthError) {
	mandatory := []string{"state", "client_id", "client_secret", "redirect_uri", "scope", "response_type", "timestamp"}
	if gen == genV2 {
		mandatory = []string{"state", "client_id", "client_secret", "client_certificate_hash", "redirect_uri", "scope", "response_type", "timestamp"}
	}
	sys := s.system(f.Get("client_id"))
	if !parsed {
		return sys, newError(CodeParseError, "The request parameters cannot be parsed.")
	}
	if m := missing(f, mandatory...); len(m) > 0 {
		return sys, errMissing(m)
	}
	all := append(slices.Clone(mandatory), "scope_org", "access_type", "code_challenge", "code_challenge_method")
	if d := duplicated(f, all...); d != "" {
		return sys, newError(CodeInvalidParam, "The request contains a duplicated parameter ["+d+"].")
	}
	if sys == nil {
		return nil, newError(CodeNoCertificate, "")
	}
	if !sys.redirectAllowed(f.Get("redirect_uri")) {
		return sys, newError(CodeRedirectURI, "")
	}
	if f.Get("response_type") != "code" {
		return sys, newError(CodeUnsupportedType, "The response_type must be code.")
	}
	if !isUUID(f.Get("state")) {
		return sys, errInvalidParam("state")
	}
	if e := s.checkTime(f.Get("timestamp")); e != nil {
		return sys, e
	}
	if e := s.verifySecret(sys, gen, f, c, signedAC(gen, f)); e != nil {
		return sys, e
	}
	if !s.useState(sys.ClientID, "ac", f.Get("state")) {
		return sys, newError(CodeInvalidParam, "The request contains a duplicated parameter [state]: it was already used.")
	}
	if e := checkScopes(sys, f.Get("scope"), f.Get("scope_org")); e != nil {
		return sys, e
	}
	switch f.Get("access_type") {
	case "", "online", "offline":
	default:
		return sys, errInvalidParam("access_type")
	}
	ch, m := f.Get("code_challenge"), f.Get("code_challenge_method")
	switch {
	case ch == "" && sys.RequirePKCE:
		return sys, newError(CodeNoCodeChallenge, "")
	case ch == "" && m != "":
		return sys, errInvalidParam("code_challenge_method")
	case ch != "":
		switch m {
		case "S256", "GOST3411":
		default:
			return sys, errInvalidParam("code_challenge_method")
		}
		if len(ch) < 43 || len(ch) > 128 {
			return sys, errInvalidParam("code_challenge")
		}
	}
	return sys, nil
}

// signedAC is the string a client signs for /ac.
func signedAC(gen string, f url.Values) string {
	if gen == genLegacy {
		return f.Get("scope") + f.Get("timestamp") + f.Get("client_id") + f.Get("state")
	}
	return f.Get("client_id") + f.Get("scope") + f.Get("scope_org") + f.Get("timestamp") + f.Get("state") + f.Get("redirect_uri")
}

// verifySecret checks client_secret (and client_certificate_hash for v2)
// over any of the candidate signed strings.
func (s *Server) verifySecret(sys *system, gen string, f url.Values, c *call, candidates ...string) *oauthError {
	bad := newError(CodeClientSecretWrong, "")
	sig, ok := decodeSecret(f.Get("client_secret"))
	if !ok {
		if c != nil {
			c.signature(false)
		}
		return bad
	}
	valid := false
	if gen == genLegacy {
		for _, m := range candidates {
			if _, err := verifyCMS(sys.certs, sig, []byte(m)); err == nil {
				valid = true
				break
			}
		}
	} else {
		cert := sys.certByHash(strings.TrimSpace(f.Get("client_certificate_hash")))
		if cert != nil {
			for _, m := range candidates {
				if cert.verifyRaw([]byte(m), sig) {
					valid = true
					break
				}
			}
		}
	}
	if c != nil {
		c.signature(valid)
	}
	if !valid {
		return bad
	}
	return nil
}

// checkScopes validates scope and scope_org against the known scope names
// and the system's registration.
func checkScopes(sys *system, scope, scopeOrg string) *oauthError {
	items := splitScope(scope)
	if len(items) == 0 {
		return errMissing([]string{"scope"})
	}
	for _, raw := range items {
		it, ok := parseScopeItem(raw)
		if !ok || it.oid != 0 || (it.org && it.orgOID == 0) || !sys.scopeAllowed(it.name) {
			return newError(CodeInvalidScope, "The requested scope is invalid, unknown or malformed ["+raw+"].")
		}
	}
	for _, raw := range splitScope(scopeOrg) {
		if !orgScopes[raw] || !sys.scopeAllowed(raw) {
			return newError(CodeInvalidScope, "The requested scope_org is invalid, unknown or malformed ["+raw+"].")
		}
	}
	return nil
}

func (s *Server) newAuthRequest(gen string, f url.Values) *authRequest {
	req := &authRequest{
		id: randomID(16), gen: gen, clientID: f.Get("client_id"), redirectURI: f.Get("redirect_uri"),
		state: f.Get("state"), accessType: f.Get("access_type"), scopeOrg: splitScope(f.Get("scope_org")),
		challenge: f.Get("code_challenge"), challengeMethod: f.Get("code_challenge_method"),
		nonce: randomID(16), created: s.now(),
	}
	for _, raw := range splitScope(f.Get("scope")) {
		it, _ := parseScopeItem(raw)
		req.scope = append(req.scope, it)
		if it.name == "usr_org" {
			req.orgOptional = true
		}
		if it.orgOID != 0 {
			req.fixedOrg = it.orgOID
		}
	}
	req.orgRequired = len(req.scopeOrg) > 0
	return req
}

// storeRequest keeps a copy of req for the login pages.
func (s *Server) storeRequest(req *authRequest) {
	req.stored = true
	cp := *req
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gcLocked(s.now())
	s.pending[req.id] = &cp
	s.issued(req.id)
}

// takeRequest returns a private copy of a pending request.
func (s *Server) takeRequest(id string) *authRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	req := s.pending[id]
	if req == nil {
		return nil
	}
	if s.now().Sub(req.created) > loginLifetime {
		delete(s.pending, id)
		return nil
	}
	cp := *req
	return &cp
}

// claim removes a pending request and reports whether it was still there,
// so a double-submitted page completes a login only once.
func (s *Server) claim(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.pending[id]
	delete(s.pending, id)
	return ok
}

// headless completes a request for an enqueued login.
func (s *Server) headless(w http.ResponseWriter, r *http.Request, c *call, req *authRequest, l Login) {
	c.params["headless"] = "true"
	p, err := s.world.Person(l.PersonOID)
	if err != nil {
		e := newError(CodeAccessDenied, "The user is unknown.")
		c.fail(e)
		redirectError(w, r, req.redirectURI, e, req.state)
		return
	}
	req.personOID, req.authTime, req.sid = p.OID, s.now(), newUUID()
	org := l.OrgOID
	switch {
	case req.fixedOrg != 0:
		org = req.fixedOrg // legacy "?org_oid=" items name the organisation
	case !req.orgRequired && !req.orgOptional:
		org = 0 // nothing asks for an organisation
	case org == 0 && req.orgRequired:
		if orgs := s.activeOrgs(p.OID); len(orgs) > 0 {
			org = orgs[0].OID
		}
	}
	s.finish(w, r, c, req, org)
}

// afterLogin continues once the person is known: the organisation picker
// when one is needed, otherwise the callback.
func (s *Server) afterLogin(w http.ResponseWriter, r *http.Request, c *call, req *authRequest) {
	if req.fixedOrg != 0 {
		s.finish(w, r, c, req, req.fixedOrg)
		return
	}
	if req.orgRequired || req.orgOptional {
		http.Redirect(w, r, "/login/org?rid="+url.QueryEscape(req.id), http.StatusFound)
		return
	}
	s.finish(w, r, c, req, 0)
}

// finish checks the organisation and redirects to the callback with a
// code, or with ESIA-007194.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, c *call, req *authRequest, orgOID int64) {
	if req.stored && !s.claim(req.id) {
		e := newError(CodeInvalidParam, "The login session was already completed; start again from the system.")
		c.fail(e)
		writeErrorPage(w, e)
		return
	}
	if orgOID == 0 && (req.orgRequired || req.fixedOrg != 0) {
		e := newError(CodeNotEmployee, "")
		c.fail(e)
		redirectError(w, r, req.redirectURI, e, req.state)
		return
	}
	if orgOID != 0 {
		emp, err := s.world.Employee(orgOID, req.personOID)
		if err != nil || !emp.Active {
			e := newError(CodeNotEmployee, "")
			c.fail(e)
			redirectError(w, r, req.redirectURI, e, req.state)
			return
		}
	}
	code := randomID(32)
	s.mu.Lock()
	s.codes[code] = &authCode{req: req, personOID: req.personOID, orgOID: orgOID, expires: s.now().Add(s.codeTTL)}
	s.mu.Unlock()
	u, _ := url.Parse(req.redirectURI)
	q := u.Query()
	q.Set("code", code)
	q.Set("state", req.state)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}
