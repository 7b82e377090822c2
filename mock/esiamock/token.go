package esiamock

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/esia/gost"
)

// refreshGrant is an issued refresh token.
type refreshGrant struct {
	clientID  string
	gen       string
	personOID int64
	orgOID    int64
	items     []scopeItem
	scopeOrg  []string
	sid       string
	authTime  time.Time
	expires   time.Time
	code      string
}

// accessGrant is an issued access token, for the REST API.
type accessGrant struct {
	clientID  string
	personOID int64 // 0 for system tokens
	items     []scopeItem
	expires   time.Time
}

// tokenResponse is the token endpoint's JSON answer.
type tokenResponse struct {
	IDToken      string `json:"id_token,omitempty"`
	AccessToken  string `json:"access_token"`
	ExpiresIn    any    `json:"expires_in"`
	State        string `json:"state"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// handleTE serves /aas/oauth2/te (legacy) and /aas/oauth2/v3/te.
func (s *Server) handleTE(gen string) func(http.ResponseWriter, *http.Request, *call) {
	return func(w http.ResponseWriter, r *http.Request, c *call) {
		if r.Method != http.MethodPost {
			f, _ := url.ParseQuery(r.URL.RawQuery)
			c.params = journalParams(f)
			e := newError(CodeUnsupportedMethod, "The token endpoint accepts only POST with a form body.")
			c.fail(e)
			writeTokenError(w, e, f.Get("state"))
			return
		}
		f, ok := postForm(r, c)
		c.params = journalParams(f)
		state := f.Get("state")
		resp, e := s.token(r, gen, f, ok, c)
		if e != nil {
			c.fail(e)
			writeTokenError(w, e, state)
			return
		}
		c.token = "access " + fingerprintToken(resp.AccessToken)
		writeJSON(w, http.StatusOK, resp)
	}
}

// postForm returns the form body only (a JSON body yields no parameters,
// as ESIA answers ESIA-007014 to it).
func postForm(r *http.Request, c *call) (url.Values, bool) {
	if r.PostForm == nil {
		return url.Values{}, false
	}
	return r.PostForm, c.formOK
}

func fingerprintToken(t string) string { return redactedParam(t) }

func (s *Server) token(r *http.Request, gen string, f url.Values, parsed bool, c *call) (*tokenResponse, *oauthError) {
	if !parsed {
		return nil, newError(CodeParseError, "The request body cannot be parsed as a form.")
	}
	common := []string{"state", "client_id", "client_secret", "grant_type", "timestamp"}
	if gen == genV2 {
		common = []string{"state", "client_id", "client_secret", "client_certificate_hash", "grant_type", "timestamp"}
	}
	grant := f.Get("grant_type")
	need := slices.Clone(common)
	switch grant {
	case "authorization_code":
		need = append(need, "code", "redirect_uri", "scope")
	case "refresh_token":
		need = append(need, "refresh_token")
	case "client_credentials":
		need = append(need, "scope")
	}
	if m := missing(f, need...); len(m) > 0 {
		return nil, errMissing(m)
	}
	if d := duplicated(f, append(need, "scope_org", "token_type", "code_verifier", "redirect_uri", "scope")...); d != "" {
		return nil, newError(CodeInvalidParam, "The request contains a duplicated parameter ["+d+"].")
	}
	switch grant {
	case "authorization_code", "refresh_token", "client_credentials":
	default:
		e := newError(CodeUnsupportedType, "The grant_type is not supported.")
		e.OAuth = "unsupported_grant_type"
		return nil, e
	}
	if tt := f.Get("token_type"); tt != "" && tt != "Bearer" {
		return nil, errInvalidParam("token_type")
	}
	sys := s.system(f.Get("client_id"))
	if sys == nil {
		return nil, newError(CodeNoCertificate, "")
	}
	if !isUUID(f.Get("state")) {
		return nil, errInvalidParam("state")
	}
	if e := s.checkTime(f.Get("timestamp")); e != nil {
		return nil, e
	}
	if ru := f.Get("redirect_uri"); ru != "" && !sys.redirectAllowed(ru) {
		return nil, newError(CodeRedirectURI, "")
	}
	if e := s.verifySecret(sys, gen, f, c, signedTE(gen, grant, f, s.refreshVariantOf(sys))...); e != nil {
		return nil, e
	}
	if !s.useState(sys.ClientID, "te", f.Get("state")) {
		return nil, newError(CodeInvalidParam, "The request contains a duplicated parameter [state]: it was already used.")
	}
	switch grant {
	case "authorization_code":
		return s.exchangeCode(r, gen, sys, f)
	case "refresh_token":
		return s.exchangeRefresh(r, gen, sys, f)
	default:
		return s.clientCredentials(r, sys, f)
	}
}

// refreshVariantOf returns the refresh signed string a system accepts.
func (s *Server) refreshVariantOf(sys *system) RefreshVariant {
	switch {
	case sys.RefreshVariant != 0:
		return sys.RefreshVariant
	case s.refreshVariant != 0:
		return s.refreshVariant
	}
	return RefreshRedirectURI
}

// signedTE returns the acceptable signed strings of a token request.
func signedTE(gen, grant string, f url.Values, v RefreshVariant) []string {
	g := f.Get
	if gen == genLegacy {
		return []string{g("scope") + g("timestamp") + g("client_id") + g("state")}
	}
	base := g("client_id") + g("scope") + g("scope_org") + g("timestamp") + g("state") + g("redirect_uri")
	switch grant {
	case "authorization_code":
		return []string{base + g("code")}
	case "refresh_token":
		alt := g("client_id") + g("scope") + g("timestamp") + g("state") + g("refresh_token")
		switch v {
		case RefreshRedirectURI:
			return []string{base}
		case RefreshToken:
			return []string{alt}
		}
		return []string{base, alt}
	default:
		return []string{base, g("client_id") + g("scope") + g("timestamp") + g("state") + g("redirect_uri")}
	}
}

// invalidGrant is ESIA-007011. ESIA gives the same text whatever the
// reason (a code unknown, used, expired, of another client or redirect_uri;
// a refresh token revoked or expired), so the emulator does too; the
// reason is in the comment of each call.
func invalidGrant() *oauthError { return newError(CodeInvalidGrant, "") }

func (s *Server) exchangeCode(r *http.Request, gen string, sys *system, f url.Values) (*tokenResponse, *oauthError) {
	now := s.now()
	s.mu.Lock()
	ac := s.codes[f.Get("code")]
	if ac == nil || ac.req.clientID != sys.ClientID || ac.req.gen != gen {
		s.mu.Unlock()
		return nil, invalidGrant() // The authorization code is invalid or was issued to another client.
	}
	if ac.used {
		for _, rt := range ac.issued {
			delete(s.refresh, rt)
		}
		ac.issued = nil
		s.mu.Unlock()
		return nil, invalidGrant() // The authorization code was already used.
	}
	if now.After(ac.expires) {
		s.mu.Unlock()
		return nil, invalidGrant() // The authorization code has expired.
	}
	s.mu.Unlock()
	if f.Get("redirect_uri") != ac.req.redirectURI {
		return nil, invalidGrant() // The redirect_uri differs from the one of the authorization request.
	}
	granted := map[string]bool{}
	for _, it := range ac.req.scope {
		granted[it.name] = true
	}
	for _, raw := range splitScope(f.Get("scope")) {
		it, ok := parseScopeItem(raw)
		if !ok || !granted[it.name] {
			return nil, newError(CodeInvalidScope, "The scope was not granted by the authorization request ["+raw+"].")
		}
	}
	if ac.req.challenge != "" && !pkceMatch(ac.req.challengeMethod, ac.req.challenge, f.Get("code_verifier")) {
		return nil, newError(CodeVerifierMismatch, "")
	}
	s.mu.Lock()
	if ac.used { // lost a race with a concurrent exchange
		s.mu.Unlock()
		return nil, invalidGrant() // The authorization code was already used.
	}
	ac.used = true
	s.mu.Unlock()
	rg := &refreshGrant{
		clientID: sys.ClientID, gen: gen, personOID: ac.personOID, orgOID: ac.orgOID,
		items: ac.req.scope, scopeOrg: ac.req.scopeOrg, sid: ac.req.sid, authTime: ac.req.authTime,
		expires: now.Add(s.refreshTTL), code: f.Get("code"),
	}
	return s.issue(r, sys, rg, f.Get("state"), ac.req.accessType == "offline", ac)
}

func (s *Server) exchangeRefresh(r *http.Request, gen string, sys *system, f url.Values) (*tokenResponse, *oauthError) {
	now := s.now()
	s.mu.Lock()
	old := s.refresh[f.Get("refresh_token")]
	if old == nil || old.clientID != sys.ClientID || old.gen != gen || now.After(old.expires) {
		s.mu.Unlock()
		return nil, invalidGrant() // The refresh token is invalid, expired, revoked or was issued to another client.
	}
	delete(s.refresh, f.Get("refresh_token"))
	s.mu.Unlock()
	if _, err := s.world.Person(old.personOID); err != nil {
		return nil, invalidGrant() // The user of the refresh token no longer exists.
	}
	rg := *old
	rg.expires = now.Add(s.refreshTTL)
	return s.issue(r, sys, &rg, f.Get("state"), true, nil)
}

func (s *Server) clientCredentials(r *http.Request, sys *system, f url.Values) (*tokenResponse, *oauthError) {
	if !sys.ClientCredentials {
		return nil, newError(CodeUnauthorizedClient, "")
	}
	var items []scopeItem
	for _, raw := range splitScope(f.Get("scope")) {
		it, ok := parseScopeItem(raw)
		bad := !ok || !sys.scopeAllowed(it.name) || it.org && it.orgOID == 0
		if !bad && it.orgOID != 0 {
			_, err := s.world.Organization(it.orgOID)
			bad = err != nil
		}
		if !bad && it.oid != 0 {
			_, err := s.world.Person(it.oid)
			bad = err != nil
		}
		if bad {
			return nil, newError(CodeInvalidScope, "The requested scope is invalid, unknown or malformed ["+raw+"].")
		}
		items = append(items, it)
	}
	now := s.now()
	claims := accessClaims{
		Nbf: unix(now), Scope: strings.Join(splitScope(f.Get("scope")), " "), Iss: s.issuer(r), Sid: newUUID(),
		SbjID: sys.OID, Exp: unix(now.Add(s.tokenTTL)), Iat: unix(now), ClientID: sys.ClientID,
	}
	at, err := s.signJWT(sys.JWTAlg, "access", claims)
	if err != nil {
		return nil, newError(CodeServerError, "")
	}
	s.mu.Lock()
	s.access[at] = &accessGrant{clientID: sys.ClientID, items: items, expires: now.Add(s.tokenTTL)}
	s.issued(at)
	s.mu.Unlock()
	return &tokenResponse{AccessToken: at, ExpiresIn: s.expiresIn(), State: f.Get("state"), TokenType: "Bearer"}, nil
}

func (s *Server) expiresIn() any {
	n := int64(s.tokenTTL / time.Second)
	if s.expiresString {
		return strconv.FormatInt(n, 10)
	}
	return n
}

// issue signs the tokens of a person grant.
func (s *Server) issue(r *http.Request, sys *system, rg *refreshGrant, state string, withRefresh bool, ac *authCode) (*tokenResponse, *oauthError) {
	now := s.now()
	p, err := s.world.Person(rg.personOID)
	if err != nil {
		return nil, invalidGrant() // The user no longer exists.
	}
	scope := grantScope(rg.items, rg.scopeOrg, p.OID, rg.orgOID)
	iss := s.issuer(r)
	at, err := s.signJWT(sys.JWTAlg, "access", accessClaims{
		Nbf: unix(now), Scope: scope, Iss: iss, Sid: rg.sid, SbjID: p.OID,
		Exp: unix(now.Add(s.tokenTTL)), Iat: unix(now), ClientID: sys.ClientID,
	})
	if err != nil {
		return nil, newError(CodeServerError, "")
	}
	resp := &tokenResponse{AccessToken: at, ExpiresIn: s.expiresIn(), State: state, TokenType: "Bearer"}
	for _, it := range rg.items {
		if it.name != "openid" {
			continue
		}
		sbj := subject{Typ: "P", OID: p.OID, Nam: "OID." + strconv.FormatInt(p.OID, 10)}
		if p.Trusted {
			t := true
			sbj.IsTru = &t
		}
		resp.IDToken, err = s.signJWT(sys.JWTAlg, "id", idClaims{
			Iss: iss, Aud: sys.ClientID, Sub: p.OID, Nbf: unix(now), Iat: unix(now), Exp: unix(now.Add(s.tokenTTL)),
			AuthTime: unix(rg.authTime), Amr: "PWD", Amd: "PWD", Sid: rg.sid, Sbj: sbj,
		})
		if err != nil {
			return nil, newError(CodeServerError, "")
		}
		break
	}
	items, _ := parseGranted(scope)
	s.mu.Lock()
	s.access[at] = &accessGrant{clientID: sys.ClientID, personOID: p.OID, items: items, expires: now.Add(s.tokenTTL)}
	s.issued(at)
	if withRefresh {
		resp.RefreshToken = newUUID()
		s.refresh[resp.RefreshToken] = rg
		if ac != nil {
			ac.issued = append(ac.issued, resp.RefreshToken)
		}
	}
	s.mu.Unlock()
	return resp, nil
}

// parseGranted parses a granted scope claim.
func parseGranted(scope string) ([]scopeItem, bool) {
	var out []scopeItem
	ok := true
	for _, raw := range splitScope(scope) {
		it, good := parseScopeItem(raw)
		if !good {
			ok = false
			continue
		}
		out = append(out, it)
	}
	return out, ok
}

// pkceMatch checks code_verifier against code_challenge: S256 (SHA-256) or
// GOST3411 (Streebog-256), base64url with or without padding.
func pkceMatch(method, challenge, verifier string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	var sum []byte
	switch method {
	case "S256":
		h := sha256.Sum256([]byte(verifier))
		sum = h[:]
	case "GOST3411":
		h := gost.Sum256([]byte(verifier))
		sum = h[:]
	default:
		return false
	}
	want := base64.RawURLEncoding.EncodeToString(sum)
	return subtle.ConstantTimeCompare([]byte(want), []byte(strings.TrimRight(challenge, "="))) == 1
}
