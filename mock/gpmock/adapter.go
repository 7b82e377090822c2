package gpmock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// PartyName is the cabinet's party name in a sandbox.
const PartyName = "gospubliki"

// maxBody bounds a request body (an uploaded file; JSON bodies are
// bounded at 1 MiB by decode).
const maxBody = MaxMediaBytes + 1<<20

// operations maps every route to its operationId in openapi.yaml (the
// method name in the journal and in fault rules).
var operations = sync.OnceValue(func() map[string]string { return New().ops })

// Operations returns the operationIds of every route, sorted.
func Operations() []string {
	out := make([]string, 0, len(operations()))
	for _, v := range operations() {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// WithIssueHook calls f with every session or API token the server
// issues, before the answer leaves (a sandbox binds it to its tenant); an
// error refuses the login.
func WithIssueHook(f func(token string) error) Option { return func(s *Server) { s.issue = f } }

// Credentials lists the phones of the section's users (the credential a
// login request carries), for a sandbox's credential index.
func (s *Server) Credentials() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.byPhone))
	for p := range s.byPhone {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// CredentialsVersion changes whenever Credentials may have changed.
func (s *Server) CredentialsVersion() uint64 { return s.version.Load() }

// ServeCall serves a request a sandbox's pipeline resolved to this
// server (emu.Handler).
// An error answer's status and error code go to the journal, as
// [emu.Adapter.WriteError]'s do.
func (s *Server) ServeCall(w http.ResponseWriter, r *http.Request, c *emu.Call) {
	ew := &errWriter{ResponseWriter: w}
	s.mux.ServeHTTP(ew, r)
	if c != nil && ew.status >= 400 {
		var env struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		_ = json.Unmarshal(ew.body, &env)
		c.Code, c.Description = ew.status, env.Error.Code
	}
}

// errWriter keeps the status and the start of an error answer's body.
type errWriter struct {
	http.ResponseWriter
	status int
	body   []byte
}

func (e *errWriter) WriteHeader(code int) {
	if e.status == 0 {
		e.status = code
	}
	e.ResponseWriter.WriteHeader(code)
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.status == 0 {
		e.status = http.StatusOK
	}
	if e.status >= 400 && len(e.body) < 512 {
		e.body = append(e.body, b[:min(len(b), 512-len(e.body))]...)
	}
	return e.ResponseWriter.Write(b)
}

// Unwrap lets [http.ResponseController] reach the connection.
func (e *errWriter) Unwrap() http.ResponseWriter { return e.ResponseWriter }

// Adapter tells a sandbox's pipeline how to read the cabinet's requests
// (the operationId as method; the bearer token, or the phone of a login,
// as credential) and how to answer its failures (the error envelope).
func (s *Server) Adapter() emu.Adapter { return &adapter{s: s} }

type adapter struct{ s *Server }

// bodyCredential are the public operations whose body names the
// credential: a phone (login, password reset) or an invitation token.
var bodyCredential = map[string]bool{"login": true, "requestPasswordReset": true, "confirmPasswordReset": true,
	"acceptInvitation": true}

func (a *adapter) Party() string     { return PartyName }
func (a *adapter) Methods() []string { return Operations() }
func (a *adapter) MaxBody() int64    { return maxBody }

func (a *adapter) Inspect(r *http.Request, c *emu.Call) {
	_, pattern := a.s.mux.Handler(r)
	c.Method = a.s.ops[pattern]
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && tok != "" {
		c.Credential = tok
	} else if c.Method == "esiaStart" {
		// An ESIA login starts without a credential: a sandbox routes it
		// by the tenant header (the login itself is ESIA's to grant).
		c.Anonymous = true
	} else if c.Method == "esiaCallback" {
		c.Credential = r.URL.Query().Get("state") // issued to the tenant by esiaStart
	} else if bodyCredential[c.Method] && r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		r.Body = io.NopCloser(bytes.NewReader(b))
		var req struct {
			Phone string `json:"phone"`
			Token string `json:"token"`
		}
		if err == nil && json.Unmarshal(b, &req) == nil {
			c.Credential = req.Phone
			if c.Method == "acceptInvitation" {
				c.Credential = req.Token
			}
		}
	}
	if c.Credential != "" {
		c.Token = world.Fingerprint(c.Credential)
	}
}

// Params journals nothing: bodies carry passwords and personal data.
func (a *adapter) Params(*emu.Call) map[string]string { return nil }

func (a *adapter) WriteError(w http.ResponseWriter, _ *http.Request, c *emu.Call, f emu.Failure) {
	e := &apiError{http.StatusInternalServerError, "internal", "internal error"}
	switch f.Kind {
	case emu.Unauthorized:
		e = errUnauth
	case emu.RateLimited:
		e = &apiError{http.StatusTooManyRequests, "rate_limited", "too many requests"}
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		}
	default:
		if f.Code >= 400 && f.Code < 600 {
			e = &apiError{f.Code, "injected", "injected failure"}
		}
		if f.Description != "" {
			e.message = f.Description
		}
	}
	c.Code, c.Description = e.status, e.code
	writeErr(w, e)
}

// Decode implements [emu.Decoder]: the operationId.
func (a *adapter) Decode(c *emu.Call, _ map[string]string) *world.Decoded {
	if c.Method == "" {
		return nil
	}
	return &world.Decoded{Cabinet: &world.CabinetCall{Operation: c.Method}}
}
