package mock

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/mock/world"
)

// UIPath is where the inspector is served on the control listener:
// ControlURL + UIPath opens it.
const UIPath = "/_mock/ui/"

// The inspector's cookies. The session cookie holds the control token of
// the tenant a person logged in to (HttpOnly, SameSite=Strict, limited to
// [UIPath]); without it the inspector shows the default tenant, as the
// control API does without a token.
const (
	uiSessionCookie = "gosmock_ui"
	uiFlashCookie   = "gosmock_ui_flash"
	uiCSRFField     = "csrf"
	uiTimelineMax   = 200
)

// InspectorURL returns the address of the inspector, the web UI people
// open in a browser while debugging (ControlURL + [UIPath]).
func (sb *Sandbox) InspectorURL() string { return sb.ControlURL + UIPath }

//go:embed ui
var uiFiles embed.FS

// inspector serves the web UI under /_mock/ui/ for a sandbox.
type inspector struct {
	sb      *Sandbox
	key     []byte       // CSRF key, random per sandbox
	control http.Handler // the control API's routes, unguarded
	assets  http.Handler
}

// uiTemplates parses the embedded templates once per process, on first
// use, so starting a sandbox costs nothing for the inspector.
var uiTemplates = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("ui").Funcs(uiFuncs).ParseFS(uiFiles, "ui/templates/*.html"))
})

func newInspector(sb *Sandbox, control http.Handler) *inspector {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	assets, _ := fs.Sub(uiFiles, "ui/assets")
	return &inspector{sb: sb, key: key, control: control,
		assets: http.StripPrefix(UIPath+"assets/", http.FileServerFS(assets))}
}

// handler returns the inspector's routes behind its guard.
func (ui *inspector) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_mock/ui", func(w http.ResponseWriter, r *http.Request) {
		target := UIPath
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
	})
	mux.HandleFunc("GET /_mock/ui/{$}", ui.serveTimelinePage)
	mux.HandleFunc("GET /_mock/ui/timeline", ui.serveTimelineFragment)
	mux.HandleFunc("GET /_mock/ui/state", ui.serveStatePage)
	mux.HandleFunc("GET /_mock/ui/entry", ui.serveEntryPage)
	mux.HandleFunc("GET /_mock/ui/assets/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		ui.assets.ServeHTTP(w, r)
	})
	mux.HandleFunc("POST /_mock/ui/login", ui.serveLogin)
	mux.HandleFunc("POST /_mock/ui/logout", ui.serveLogout)
	mux.HandleFunc("POST /_mock/ui/clock", ui.serveClock)
	mux.HandleFunc("POST /_mock/ui/faults", ui.serveAddFault)
	mux.HandleFunc("POST /_mock/ui/faults/delete", ui.serveDeleteFault)
	mux.HandleFunc("POST /_mock/ui/act", ui.serveActForm)
	mux.HandleFunc("POST /_mock/ui/reset", ui.serveReset)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not found", http.StatusNotFound)
	})
	return ui.guard(mux)
}

// isUIPath reports whether a control request is the inspector's.
func isUIPath(p string) bool { return p == "/_mock/ui" || strings.HasPrefix(p, UIPath) }

// guard applies the control API's protections to the inspector: the Host
// must be the listener's own address (DNS rebinding), a state-changing
// request must come from the inspector's own origin and carry the CSRF
// token of the session; every answer forbids framing and sniffing.
func (ui *inspector) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		if !ui.sb.hostAllowed(r.Host) {
			http.Error(w, "Host must be the control listener's address", http.StatusForbidden)
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead:
		case http.MethodPost:
			if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host {
				http.Error(w, "cross-origin requests are refused", http.StatusForbidden)
				return
			}
			if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
				http.Error(w, "cross-site requests are refused", http.StatusForbidden)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
			if err := r.ParseForm(); err != nil {
				http.Error(w, "bad form", http.StatusBadRequest)
				return
			}
			sess := ui.session(r)
			if !ui.csrfOK(sess, r.PostForm.Get(uiCSRFField)) {
				http.Error(w, "missing or stale CSRF token; reload the page", http.StatusForbidden)
				return
			}
		default:
			w.Header().Set("Allow", "GET, HEAD, POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// uiSession is who a request acts for: the tenant and the cookie value it
// was chosen by ("" for the default tenant without login).
type uiSession struct {
	tenant *Tenant
	token  string
}

// session resolves the tenant of an inspector request: the tenant whose
// control token the session cookie holds, else the default tenant.
func (ui *inspector) session(r *http.Request) uiSession {
	if c, err := r.Cookie(uiSessionCookie); err == nil && c.Value != "" {
		ui.sb.mu.Lock()
		t := ui.sb.tokens[c.Value]
		ui.sb.mu.Unlock()
		if t != nil && !t.deleted.Load() {
			return uiSession{tenant: t, token: c.Value}
		}
	}
	return uiSession{tenant: ui.sb.def}
}

// csrf is the form token of a session: an HMAC of its tenant and cookie,
// so it changes on login and logout and cannot be computed by a page of
// another origin.
func (ui *inspector) csrf(s uiSession) string {
	m := hmac.New(sha256.New, ui.key)
	m.Write([]byte("csrf\x00" + s.tenant.Name + "\x00" + s.token))
	return hex.EncodeToString(m.Sum(nil))
}

func (ui *inspector) csrfOK(s uiSession, got string) bool {
	want := ui.csrf(s)
	return len(got) == len(want) && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// hostAllowed reports whether a request's Host names the control
// listener: an IP address or localhost with the listener's port.
func (sb *Sandbox) hostAllowed(hostport string) bool {
	_, port, _ := net.SplitHostPort(sb.ctrlLn.Addr().String())
	host, hport, err := net.SplitHostPort(hostport)
	return err == nil && hport == port && (strings.EqualFold(host, "localhost") || net.ParseIP(strings.Trim(host, "[]")) != nil)
}

// flash remembers a one-line outcome for the next page (Post/Redirect/Get).
func flash(w http.ResponseWriter, ok bool, msg string) {
	msg = truncate(msg, 300) // escaped, it stays within a cookie's 4 KB
	v := "ok:"
	if !ok {
		v = "error:"
	}
	http.SetCookie(w, &http.Cookie{Name: uiFlashCookie, Value: url.QueryEscape(v + msg), Path: UIPath,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: 60})
}

type uiFlash struct {
	OK   bool
	Text string
}

func takeFlash(w http.ResponseWriter, r *http.Request) *uiFlash {
	c, err := r.Cookie(uiFlashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: uiFlashCookie, Path: UIPath, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	v, err := url.QueryUnescape(c.Value)
	if err != nil {
		return nil
	}
	if s, ok := strings.CutPrefix(v, "ok:"); ok {
		return &uiFlash{OK: true, Text: s}
	}
	if s, ok := strings.CutPrefix(v, "error:"); ok {
		return &uiFlash{Text: s}
	}
	return nil
}

// back redirects a form post to the page it came from (a path under
// UIPath only), or to the timeline.
func back(w http.ResponseWriter, r *http.Request) {
	target := UIPath
	if p := r.PostForm.Get("back"); p == UIPath+"state" {
		target = p
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// uiPage is what every page template receives.
type uiPage struct {
	Title    string
	Tab      string
	Tenant   string
	LoggedIn bool
	CSRF     string
	Now      time.Time
	Frozen   bool
	Flash    *uiFlash
	Login    string // a tenant asked for with ?tenant= that needs a login
	Parties  []string
	// Timeline page.
	Entries []uiEntry
	LastSeq uint64
	Party   string
	Faults  []world.Rule
	Kinds   []string
	Methods []string
	Actions []uiAction
	// State page.
	State *uiState
	// Entry page.
	Entry  *uiEntry
	Params []uiParam
	// Decoded is the party's reading of the entry, indented JSON.
	Decoded string
}

// uiParam is a request parameter of a journal entry.
type uiParam struct{ Name, Value string }

func (ui *inspector) page(w http.ResponseWriter, r *http.Request, tab string) (uiPage, uiSession) {
	s := ui.session(r)
	p := uiPage{Tab: tab, Tenant: s.tenant.Name, LoggedIn: s.token != "", CSRF: ui.csrf(s),
		Now: s.tenant.Clock.Now(), Frozen: s.tenant.Clock.Frozen(), Flash: takeFlash(w, r), Parties: ui.sb.order}
	if name := r.URL.Query().Get("tenant"); name != "" && name != s.tenant.Name {
		if name == DefaultTenant && !p.LoggedIn {
			// The default tenant is open: nothing to log in to.
		} else {
			p.Login = name
		}
	}
	return p, s
}

func (ui *inspector) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := uiTemplates().ExecuteTemplate(&buf, name, data); err != nil {
		http.Error(w, "cannot render the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (ui *inspector) serveTimelinePage(w http.ResponseWriter, r *http.Request) {
	p, s := ui.page(w, r, "timeline")
	t := s.tenant
	p.Title = "Timeline"
	p.Party = r.URL.Query().Get("party")
	p.Entries, p.LastSeq = timeline(t, p.Party, 0)
	p.Faults = t.Faults.List()
	for _, k := range world.FaultKinds() {
		p.Kinds = append(p.Kinds, string(k))
	}
	p.Methods = ui.methods(t)
	p.Actions = ui.actForms(t)
	ui.render(w, http.StatusOK, "timeline.html", p)
}

// serveTimelineFragment answers the entries after ?after= (newest first)
// as table rows; X-Last-Seq carries the newest sequence number and
// X-Clock the world clock, for the page's poller. With ?wait=<seconds> it
// is a long poll: it answers as soon as a newer entry is recorded, or
// after that time with no rows.
func (ui *inspector) serveTimelineFragment(w http.ResponseWriter, r *http.Request) {
	s := ui.session(r)
	q := r.URL.Query()
	var after uint64
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			http.Error(w, "after must be a sequence number", http.StatusBadRequest)
			return
		}
		after = n
	}
	if v := q.Get("wait"); v != "" {
		secs, err := strconv.Atoi(v)
		if err != nil || secs < 0 || secs > uiMaxWait {
			http.Error(w, fmt.Sprintf("wait must be 0 to %d seconds", uiMaxWait), http.StatusBadRequest)
			return
		}
		waitForEntry(r.Context(), s.tenant.Journal, after, time.Duration(secs)*time.Second)
	}
	entries, last := timeline(s.tenant, q.Get("party"), after)
	if last < after {
		last = after
	}
	w.Header().Set("X-Last-Seq", strconv.FormatUint(last, 10))
	w.Header().Set("X-Clock", s.tenant.Clock.Now().UTC().Format(time.RFC3339))
	w.Header().Set("X-Tenant", s.tenant.Name)
	ui.render(w, http.StatusOK, "rows", entries)
}

// serveEntryPage shows one journal entry in full: every parameter (the
// journal keeps credentials as fingerprints only), the error and the
// fault rule.
func (ui *inspector) serveEntryPage(w http.ResponseWriter, r *http.Request) {
	p, s := ui.page(w, r, "entry")
	p.Title = "Entry"
	seq, err := strconv.ParseUint(r.URL.Query().Get("seq"), 10, 64)
	if err != nil || seq == 0 {
		http.Error(w, "seq must be a sequence number", http.StatusBadRequest)
		return
	}
	status := http.StatusNotFound
	if es := s.tenant.Journal.Entries(world.Filter{AfterSeq: seq - 1}); len(es) > 0 && es[0].Seq == seq {
		e := es[0]
		p.Entry = &uiEntry{Entry: e, Step: stepOf(e)}
		for k, v := range e.Params {
			p.Params = append(p.Params, uiParam{Name: k, Value: v})
		}
		slices.SortFunc(p.Params, func(a, b uiParam) int { return strings.Compare(a.Name, b.Name) })
		if e.Decoded != nil {
			if data, err := json.MarshalIndent(e.Decoded, "", "  "); err == nil {
				p.Decoded = string(data)
			}
		}
		status = http.StatusOK
	}
	ui.render(w, status, "entry.html", p)
}

// uiMaxWait bounds the timeline's long poll, in seconds.
const uiMaxWait = 30

// waitForEntry returns once the journal holds an entry after seq, or d
// has passed, or ctx is done. It waits on the journal's change signal, so
// an idle page costs nothing between entries.
func waitForEntry(ctx context.Context, j *world.Journal, seq uint64, d time.Duration) {
	ch := j.Changed()
	if j.Seq() > seq || d <= 0 {
		return
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ch:
	case <-timer.C:
	case <-ctx.Done():
	}
}

func (ui *inspector) serveStatePage(w http.ResponseWriter, r *http.Request) {
	p, s := ui.page(w, r, "state")
	p.Title = "State"
	p.State = buildState(s.tenant)
	ui.render(w, http.StatusOK, "state.html", p)
}

// serveLogin opens a tenant's view: the form carries the tenant's name and
// its control token, which becomes the session cookie.
func (ui *inspector) serveLogin(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostForm.Get("tenant"))
	tok := strings.TrimSpace(r.PostForm.Get("token"))
	ui.sb.mu.Lock()
	t := ui.sb.tokens[tok]
	ui.sb.mu.Unlock()
	if tok == "" || t == nil || t.Name != name {
		flash(w, false, "unknown tenant or control token")
		http.Redirect(w, r, UIPath+"?tenant="+url.QueryEscape(name), http.StatusSeeOther)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: uiSessionCookie, Value: tok, Path: UIPath,
		HttpOnly: true, SameSite: http.SameSiteStrictMode})
	flash(w, true, "tenant "+t.Name)
	http.Redirect(w, r, UIPath, http.StatusSeeOther)
}

func (ui *inspector) serveLogout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: uiSessionCookie, Path: UIPath, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode})
	flash(w, true, "back to the default tenant")
	http.Redirect(w, r, UIPath, http.StatusSeeOther)
}

// call runs a control API request for the session's tenant in process, so
// the inspector's buttons do exactly what the HTTP control API does.
func (ui *inspector) call(ctx context.Context, s uiSession, method, target string, body any) (int, []byte) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return http.StatusBadRequest, []byte(`{"error":"cannot encode the request"}`)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return http.StatusBadRequest, []byte(`{"error":"bad request"}`)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.token != "" {
		req.Header.Set(ControlAuthorization, "Bearer "+s.token)
	}
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	ui.control.ServeHTTP(rec, req)
	return rec.status, rec.body.Bytes()
}

// outcome turns a control answer into a flash message.
func outcome(w http.ResponseWriter, what string, status int, body []byte) {
	if status >= 300 {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(body, &e) == nil && e.Error != "" {
			flash(w, false, what+": "+e.Error)
		} else {
			flash(w, false, fmt.Sprintf("%s: HTTP %d", what, status))
		}
		return
	}
	flash(w, true, what+": "+strings.TrimSpace(string(body)))
}

func (ui *inspector) serveClock(w http.ResponseWriter, r *http.Request) {
	s := ui.session(r)
	f := r.PostForm
	var target string
	switch op := f.Get("op"); op {
	case "advance":
		target = "/_mock/clock/advance?d=" + url.QueryEscape(strings.TrimSpace(f.Get("d")))
	case "set":
		v := strings.TrimSpace(f.Get("t"))
		if at, err := time.Parse("2006-01-02T15:04", v); err == nil { // <input type=datetime-local>
			v = at.Format(time.RFC3339)
		} else if at, err := time.Parse("2006-01-02T15:04:05", v); err == nil {
			v = at.Format(time.RFC3339)
		}
		target = "/_mock/clock/set?t=" + url.QueryEscape(v)
	case "freeze", "unfreeze":
		target = "/_mock/clock/" + op
	default:
		flash(w, false, "unknown clock operation")
		back(w, r)
		return
	}
	status, body := ui.call(r.Context(), s, http.MethodPost, target, nil)
	outcome(w, "clock", status, body)
	back(w, r)
}

func (ui *inspector) serveAddFault(w http.ResponseWriter, r *http.Request) {
	s := ui.session(r)
	f := r.PostForm
	rule := map[string]any{}
	for _, k := range []string{"party", "method", "kind", "description", "latency"} {
		if v := strings.TrimSpace(f.Get(k)); v != "" {
			rule[k] = v
		}
	}
	if _, ok := rule["kind"]; !ok {
		rule["kind"] = ""
	}
	if v := strings.TrimSpace(f.Get("params")); v != "" {
		params := map[string]string{}
		for _, kv := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
			k, val, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				flash(w, false, "fault rule: params are name=value pairs, such as owner_id=-200000001")
				back(w, r)
				return
			}
			params[k] = val
		}
		rule["params"] = params
	}
	for _, k := range []string{"code", "nth", "first", "retry_after", "seed"} {
		if v := strings.TrimSpace(f.Get(k)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				flash(w, false, "fault rule: "+k+" must be an integer")
				back(w, r)
				return
			}
			rule[k] = n
		}
	}
	if v := strings.TrimSpace(f.Get("probability")); v != "" {
		p, err := strconv.ParseFloat(v, 64)
		if err != nil {
			flash(w, false, "fault rule: probability must be a number")
			back(w, r)
			return
		}
		rule["probability"] = p
	}
	status, body := ui.call(r.Context(), s, http.MethodPost, "/_mock/faults", rule)
	outcome(w, "fault rule added", status, body)
	back(w, r)
}

func (ui *inspector) serveDeleteFault(w http.ResponseWriter, r *http.Request) {
	s := ui.session(r)
	target := "/_mock/faults"
	if id := r.PostForm.Get("id"); id != "" {
		target += "?id=" + url.QueryEscape(id)
	}
	status, body := ui.call(r.Context(), s, http.MethodDelete, target, nil)
	outcome(w, "fault rules deleted", status, body)
	back(w, r)
}

// serveReset resets the tenant (what=tenant: the seeded scenario again,
// an empty journal, no fault rules) or clears its journal (what=journal).
func (ui *inspector) serveReset(w http.ResponseWriter, r *http.Request) {
	s := ui.session(r)
	var status int
	var body []byte
	switch r.PostForm.Get("what") {
	case "tenant":
		status, body = ui.call(r.Context(), s, http.MethodPost, "/_mock/reset", nil)
		outcome(w, "tenant reset", status, body)
	case "journal":
		status, body = ui.call(r.Context(), s, http.MethodDelete, "/_mock/journal", nil)
		outcome(w, "journal cleared", status, body)
	default:
		flash(w, false, "reset: what must be tenant or journal")
	}
	back(w, r)
}

// recorder collects a control answer in process.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (rec *recorder) Header() http.Header { return rec.header }

func (rec *recorder) WriteHeader(status int) {
	if !rec.wrote {
		rec.status, rec.wrote = status, true
	}
}

func (rec *recorder) Write(p []byte) (int, error) {
	rec.wrote = true
	if rec.body.Len() > 1<<20 {
		return len(p), nil
	}
	return rec.body.Write(p)
}

// uiEntry is a journal entry as the timeline shows it.
type uiEntry struct {
	world.Entry
	Step   string
	Detail string
}

// timeline returns the tenant's entries after seq of a party ("" for
// all; at most uiTimelineMax, newest first) and the journal's newest
// sequence number, so a filtered view's poller moves past other parties.
func timeline(t *Tenant, party string, after uint64) ([]uiEntry, uint64) {
	newest := t.Journal.Seq()
	f := world.Filter{Party: party, AfterSeq: after}
	if party == "" && newest > uiTimelineMax && f.AfterSeq < newest-uiTimelineMax {
		f.AfterSeq = newest - uiTimelineMax // copy only what is shown
	}
	entries := t.Journal.Entries(f)
	if len(entries) > uiTimelineMax {
		entries = entries[len(entries)-uiTimelineMax:]
	}
	out := make([]uiEntry, 0, len(entries))
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		newest = max(newest, e.Seq)
		out = append(out, uiEntry{Entry: e, Step: stepOf(e), Detail: detailOf(e)})
	}
	return out, newest
}

// stepOf names the step of a cross-party flow an entry belongs to.
func stepOf(e world.Entry) string {
	m := strings.ToLower(e.Method)
	switch m {
	case "webhook", "callback", "delivery": // the sandbox calling the application
		return "webhook to the app"
	}
	switch e.Party {
	case "esia":
		switch {
		case m == "ac" || strings.HasSuffix(m, "/ac"):
			return "ESIA login"
		case m == "te" || strings.HasSuffix(m, "/te"):
			return "ESIA token"
		case strings.HasPrefix(m, "rs/"):
			return "ESIA data"
		}
		return "ESIA"
	case "vk", "ok":
		net := strings.ToUpper(e.Party)
		switch {
		case strings.Contains(m, "gov") || strings.Contains(m, "verif"):
			return net + " verification"
		case strings.Contains(m, "post") || strings.Contains(m, "publish"):
			return net + " post"
		}
		return net
	case "telegram":
		switch {
		case strings.HasPrefix(m, "send") || strings.HasPrefix(m, "forward") || strings.HasPrefix(m, "copy"):
			return "Telegram post"
		case m == "setwebhook" || m == "getupdates" || strings.Contains(m, "webhook"):
			return "Telegram updates"
		}
		return "Telegram"
	case "gospubliki":
		switch {
		case strings.Contains(m, "post"):
			return "cabinet post"
		case strings.Contains(m, "login") || strings.Contains(m, "token"):
			return "cabinet login"
		}
		return "cabinet"
	case "pos":
		return "POS"
	}
	return e.Party
}

// detailOf summarises an entry's parameters (already redacted by the
// journal) in one line.
func detailOf(e world.Entry) string {
	keys := make([]string, 0, len(e.Params))
	for k := range e.Params {
		keys = append(keys, k)
	}
	sortStrings(keys)
	var b strings.Builder
	for _, k := range keys {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		v := e.Params[k]
		if r := []rune(v); len(r) > 60 {
			v = string(r[:60]) + "…"
		}
		b.WriteString(k + "=" + v)
		if b.Len() > 240 {
			b.WriteString(" …")
			break
		}
	}
	return b.String()
}

func (ui *inspector) methods(t *Tenant) []string {
	seen := map[string]bool{}
	var out []string
	for _, name := range ui.sb.order {
		rt := t.parties[name]
		if rt == nil || rt.adapter == nil {
			continue
		}
		for _, m := range rt.adapter.Methods() {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	sortStrings(out)
	return out
}

var uiFuncs = template.FuncMap{
	"clock": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") },
	"hm":    func(t time.Time) string { return t.UTC().Format("15:04:05") },
	"dtlocal": func(t time.Time) string {
		return t.UTC().Format("2006-01-02T15:04")
	},
	"ms":     func(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 1, 64) },
	"failed": func(status int) bool { return status == 0 || status >= 400 },
}
