package ok_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/ok"
)

// Credentials of the tests (not real).
const (
	appKey     = "CBAFAKEAPPKEY"
	appSecret  = "APPSECRET0123456789ABCDEF"
	token      = "tkn-ACCESS-0123456789abcdef.SECRET"
	newToken   = "tkn-ACCESS-fedcba9876543210.RENEWED"
	sessionKey = "sess-KEY-0123456789"
	sessSecret = "sesssecret0123456789abcdef"
)

// apiError is an OK error answer.
type apiError struct {
	Code int
	Msg  string
	Data any
}

// handler answers one method: a value to encode as JSON, an apiError, or
// a raw string body.
type handler func(p url.Values) any

// fakeOK is an OK API server speaking the real wire format: both URL forms,
// signature checks with both secret variants, errors in HTTP 200 bodies
// with the invocation-error header.
type fakeOK struct {
	t        testing.TB
	srv      *httptest.Server
	mu       sync.Mutex
	tokens   map[string]bool
	sessions map[string]string // session key -> session secret
	handlers map[string]handler
	hits     map[string]int
	calls    []url.Values
	paths    []string
}

func newFake(t testing.TB) *fakeOK {
	f := &fakeOK{t: t, tokens: map[string]bool{token: true}, sessions: map[string]string{sessionKey: sessSecret},
		handlers: map[string]handler{}, hits: map[string]int{}}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeOK) on(method string, h handler) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[method] = h
}

func (f *fakeOK) hitCount(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[method]
}

func (f *fakeOK) lastCall() url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		return nil
	}
	return f.calls[len(f.calls)-1]
}

func writeErr(w http.ResponseWriter, e apiError) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Header().Set("invocation-error", strconv.Itoa(e.Code))
	body := map[string]any{"error_code": e.Code, "error_msg": e.Msg, "error_data": e.Data}
	_ = json.NewEncoder(w).Encode(body)
}

func (f *fakeOK) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeErr(w, apiError{Code: ok.CodeRequest, Msg: "bad form"})
		return
	}
	p := r.Form
	method := r.URL.Query().Get("method")
	if rest, found := strings.CutPrefix(r.URL.Path, "/api/"); found {
		method = strings.Replace(rest, "/", ".", 1)
	}
	f.mu.Lock()
	f.hits[method]++
	f.calls = append(f.calls, p)
	f.paths = append(f.paths, r.URL.Path)
	h := f.handlers[method]
	f.mu.Unlock()
	if p.Get("application_key") != appKey {
		writeErr(w, apiError{Code: ok.CodeParamAPIKey, Msg: "PARAM_API_KEY : Application key is incorrect"})
		return
	}
	if p.Get("format") != "json" {
		writeErr(w, apiError{Code: ok.CodeRequest, Msg: "format"})
		return
	}
	var secret string
	switch {
	case p.Get("session_key") != "":
		s, known := f.sessions[p.Get("session_key")]
		if !known {
			writeErr(w, apiError{Code: ok.CodeParamSessionKey, Msg: "bad session"})
			return
		}
		secret = s
	case p.Get("access_token") != "":
		f.mu.Lock()
		valid := f.tokens[p.Get("access_token")]
		f.mu.Unlock()
		if !valid {
			writeErr(w, apiError{Code: ok.CodeParamSessionExpired, Msg: "PARAM_SESSION_EXPIRED : Session expired for token " + p.Get("access_token")})
			return
		}
		secret = ok.SecretFromToken(p.Get("access_token"), appSecret)
	default:
		secret = appSecret
	}
	if !ok.CheckSignature(p, secret) {
		writeErr(w, apiError{Code: ok.CodeParamSignature, Msg: "PARAM_SIGNATURE : Invalid signature " + p.Get("sig")})
		return
	}
	if h == nil {
		writeErr(w, apiError{Code: ok.CodeMethod, Msg: "METHOD : unknown " + method})
		return
	}
	switch v := h(p).(type) {
	case apiError:
		writeErr(w, v)
	case rawBody:
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		_, _ = w.Write([]byte(v))
	case func(http.ResponseWriter):
		v(w)
	default:
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		_ = json.NewEncoder(w).Encode(v)
	}
}

// rawBody is an answer body written as is.
type rawBody string

// client returns a client of the fake with the test token, no pacing
// unless opts set it, and retries on a virtual clock.
func (f *fakeOK) client(opts ...core.Option) *ok.Client {
	f.t.Helper()
	return f.clientFor(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret, AccessToken: token}, opts...)
}

func (f *fakeOK) clientFor(cred ok.Credentials, opts ...core.Option) *ok.Client {
	f.t.Helper()
	base := []core.Option{core.WithBaseURL(f.srv.URL), ok.WithRateLimit(core.Rate{}, 0), core.WithClock(autoClock())}
	c, err := ok.New(cred, append(base, opts...)...)
	require.NoError(f.t, err)
	return c
}

func newServer(t testing.TB, h http.Handler) string {
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func asErr(err error, target **ok.Error) bool { return errors.As(err, target) }
