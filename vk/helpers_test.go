package vk

import (
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
)

const (
	testUserToken      = "vk1.a.USERTOKENabcdefghijklmnopqrstuvwxyz0123456789"
	testCommunityToken = "vk1.a.COMMUNITYTOKENabcdefghijklmnopqrstuvwxyz012345"
	testServiceToken   = "SERVICETOKEN0123456789abcdefabcdefabcdefabcdefabcdef"
)

// apiErr is an error a fake method answers.
type apiErr struct {
	Code    int    `json:"error_code"`
	Msg     string `json:"error_msg"`
	Sid     string `json:"captcha_sid,omitempty"`
	Img     string `json:"captcha_img,omitempty"`
	Redir   string `json:"redirect_uri,omitempty"`
	Subcode int    `json:"error_subcode,omitempty"`
}

// request is one request the fake server received.
type request struct {
	Path   string
	Method string // VK method, or "" for uploads
	Form   url.Values
	Header http.Header
	Files  map[string][]byte
}

// handlerFunc answers a VK method: a response value or an error.
type handlerFunc func(form url.Values) (any, *apiErr)

// fakeVK is an httptest server speaking VK's envelopes.
type fakeVK struct {
	t        testing.TB
	srv      *httptest.Server
	mu       sync.Mutex
	reqs     []request
	methods  map[string]handlerFunc
	raw      map[string]func(w http.ResponseWriter, r *http.Request) // extra paths
	executes int
}

func newFakeVK(t testing.TB) *fakeVK {
	f := &fakeVK{t: t, methods: map[string]handlerFunc{}, raw: map[string]func(http.ResponseWriter, *http.Request){}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeVK) handle(method string, h handlerFunc) {
	f.mu.Lock()
	f.methods[method] = h
	f.mu.Unlock()
}

func (f *fakeVK) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.reqs...)
}

func (f *fakeVK) count(method string) int {
	n := 0
	for _, r := range f.requests() {
		if r.Method == method {
			n++
		}
	}
	return n
}

func (f *fakeVK) serve(w http.ResponseWriter, r *http.Request) {
	rec := request{Path: r.URL.Path, Header: r.Header.Clone(), Files: map[string][]byte{}}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		mr := multipart.NewReader(r.Body, params["boundary"])
		rec.Form = url.Values{}
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			b, _ := io.ReadAll(p)
			if p.FileName() != "" {
				rec.Files[p.FormName()] = b
			} else {
				rec.Form.Add(p.FormName(), string(b))
			}
		}
	} else {
		_ = r.ParseForm()
		rec.Form = r.Form
	}
	if m, ok := strings.CutPrefix(r.URL.Path, "/method/"); ok {
		rec.Method = m
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, rec)
	h := f.methods[rec.Method]
	raw := f.raw[r.URL.Path]
	f.mu.Unlock()
	if raw != nil {
		raw(w, r)
		return
	}
	if rec.Method == "" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if rec.Method == "execute" && h == nil {
		f.execute(w, rec.Form)
		return
	}
	if h == nil {
		writeEnv(w, nil, &apiErr{Code: 3, Msg: "Unknown method passed"}, rec.Form)
		return
	}
	resp, e := h(rec.Form)
	writeEnv(w, resp, e, rec.Form)
}

func writeEnv(w http.ResponseWriter, resp any, e *apiErr, form url.Values) {
	if e != nil {
		type param struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		}
		ps := []param{{"oauth", "1"}}
		for k, v := range form {
			if k == "access_token" {
				continue
			}
			ps = append(ps, param{k, strings.Join(v, ",")})
		}
		body := map[string]any{"error_code": e.Code, "error_msg": e.Msg, "request_params": ps}
		if e.Sid != "" {
			body["captcha_sid"], body["captcha_img"] = e.Sid, e.Img
		}
		if e.Redir != "" {
			body["redirect_uri"] = e.Redir
		}
		if e.Subcode != 0 {
			body["error_subcode"] = e.Subcode
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"error": body})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"response": resp})
}

// execute interprets the batch code ExecuteCode writes.
func (f *fakeVK) execute(w http.ResponseWriter, form url.Values) {
	f.mu.Lock()
	f.executes++
	f.mu.Unlock()
	code := form.Get("code")
	body, ok := strings.CutPrefix(code, "return [")
	body, ok2 := strings.CutSuffix(body, "];")
	if !ok || !ok2 {
		writeEnv(w, nil, &apiErr{Code: 12, Msg: "Unable to compile code"}, form)
		return
	}
	var results []any
	var execErrs []map[string]any
	for _, call := range splitCalls(body) {
		call = strings.TrimPrefix(call, "API.")
		i := strings.Index(call, "(")
		method := call[:i]
		var args map[string]string
		if err := json.Unmarshal([]byte(call[i+1:len(call)-1]), &args); err != nil {
			writeEnv(w, nil, &apiErr{Code: 12, Msg: "Unable to compile code"}, form)
			return
		}
		inner := url.Values{}
		for k, v := range args {
			inner.Set(k, v)
		}
		f.mu.Lock()
		f.reqs = append(f.reqs, request{Path: "execute:" + method, Method: "execute:" + method, Form: inner})
		h := f.methods[method]
		f.mu.Unlock()
		if h == nil {
			results = append(results, false)
			execErrs = append(execErrs, map[string]any{"method": method, "error_code": 3, "error_msg": "Unknown method passed"})
			continue
		}
		resp, e := h(inner)
		if e != nil {
			results = append(results, false)
			execErrs = append(execErrs, map[string]any{"method": method, "error_code": e.Code, "error_msg": e.Msg})
			continue
		}
		results = append(results, resp)
	}
	out := map[string]any{"response": results}
	if len(execErrs) > 0 {
		out["execute_errors"] = execErrs
	}
	_ = json.NewEncoder(w).Encode(out)
}

// splitCalls splits "API.a({..}),API.b({..})" at top-level commas.
func splitCalls(s string) []string {
	var out []string
	depth, start := 0, 0
	inStr, esc := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '(' || c == '{':
			depth++
		case c == ')' || c == '}':
			depth--
		case c == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// newTestClient returns a client of the fake server on a virtual clock
// that advances by itself, so pacing and retries never sleep.
func newTestClient(t testing.TB, f *fakeVK, token string, kind TokenKind, opts ...core.Option) (*Client, *coretest.Clock) {
	t.Helper()
	clk := coretest.NewAutoClock()
	all := append([]core.Option{core.WithBaseURL(f.srv.URL), core.WithClock(clk)}, opts...)
	c, err := New(token, kind, all...)
	if err != nil {
		t.Fatal(err)
	}
	return c, clk
}

func groupJSON(id int64, mut func(m map[string]any)) map[string]any {
	m := map[string]any{
		"id": id, "name": "Администрация", "screen_name": "adm", "type": "page", "is_closed": 0,
		"verified": 0, "has_photo": 1, "photo_200": "https://sun.userapi.com/p.jpg",
		"description": "Официальная страница", "city": map[string]any{"id": 1, "title": "Москва"},
		"activity": "Государственная организация", "is_government_organization": 1, "members_count": 1200,
	}
	if mut != nil {
		mut(m)
	}
	return m
}
