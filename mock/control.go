package mock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// TenantHeader names a tenant on a party's request; it is accepted only
// with credentials of that tenant. On a control call it may repeat the
// control token's tenant.
const TenantHeader = emu.TenantHeader

const maxControlBody = 16 << 20

type ctrlError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"cannot encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}

func fail(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, ctrlError{Error: fmt.Sprintf(format, args...)})
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxControlBody))
	if err != nil {
		fail(w, http.StatusRequestEntityTooLarge, "body too large or unreadable")
		return nil, false
	}
	return data, true
}

// controlHandler serves the control API under /_mock/.
func (sb *Sandbox) controlHandler() http.Handler {
	mux := http.NewServeMux()
	route := func(path string, methods map[string]tenantHandler) {
		allow := make([]string, 0, len(methods))
		for m := range methods {
			allow = append(allow, m)
		}
		slices.Sort(allow)
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			h, ok := methods[r.Method]
			if !ok {
				w.Header().Set("Allow", strings.Join(allow, ", "))
				fail(w, http.StatusMethodNotAllowed, "%s %s: method not allowed; use %s", r.Method, r.URL.Path, strings.Join(allow, ", "))
				return
			}
			t, status, err := sb.controlTenant(r)
			if err != nil {
				fail(w, status, "%v", err)
				return
			}
			h(w, r, t)
		})
	}
	route("/_mock/health", map[string]tenantHandler{"GET": func(w http.ResponseWriter, r *http.Request, t *Tenant) {
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "urls": sb.URLs(), "tenant": t.Name, "now": t.Clock.Now()})
	}})
	route("/_mock/tenants", map[string]tenantHandler{"POST": sb.serveCreateTenant})
	route("/_mock/tenant", map[string]tenantHandler{
		"GET": func(w http.ResponseWriter, r *http.Request, t *Tenant) {
			writeJSON(w, http.StatusOK, map[string]any{"name": t.Name, "credentials": t.PartyCredentials()})
		},
		"DELETE": func(w http.ResponseWriter, r *http.Request, t *Tenant) {
			if err := sb.DeleteTenant(t.Name); err != nil {
				fail(w, http.StatusBadRequest, "%v", err)
				return
			}
			writeJSON(w, http.StatusOK, map[string]any{"ok": true, "deleted": t.Name})
		},
	})
	route("/_mock/reset", map[string]tenantHandler{"POST": func(w http.ResponseWriter, r *http.Request, t *Tenant) {
		t.Reset()
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "tenant": t.Name})
	}})
	route("/_mock/clock", map[string]tenantHandler{"GET": func(w http.ResponseWriter, r *http.Request, t *Tenant) {
		writeJSON(w, http.StatusOK, map[string]any{"now": t.Clock.Now(), "frozen": t.Clock.Frozen()})
	}})
	route("/_mock/clock/{op}", map[string]tenantHandler{"POST": serveClock})
	route("/_mock/faults", map[string]tenantHandler{
		"GET": func(w http.ResponseWriter, r *http.Request, t *Tenant) {
			writeJSON(w, http.StatusOK, t.Faults.List())
		},
		"POST": sb.serveAddFault,
		"DELETE": func(w http.ResponseWriter, r *http.Request, t *Tenant) {
			if id := r.URL.Query().Get("id"); id != "" {
				if !t.Faults.Remove(id) {
					fail(w, http.StatusNotFound, "no fault rule %q", id)
					return
				}
			} else {
				t.Faults.Reset()
			}
			writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		},
	})
	route("/_mock/journal/stream", map[string]tenantHandler{"GET": serveJournalStream})
	route("/_mock/journal", map[string]tenantHandler{
		"GET": serveJournal,
		"DELETE": func(w http.ResponseWriter, r *http.Request, t *Tenant) {
			t.Journal.Reset()
			writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		},
	})
	route("/_mock/state", map[string]tenantHandler{
		"GET": func(w http.ResponseWriter, r *http.Request, t *Tenant) {
			var opts []world.ExportOption
			if r.URL.Query().Get("secrets") != "1" {
				opts = append(opts, world.WithoutSecrets())
			}
			writeJSON(w, http.StatusOK, t.World.Export(opts...))
		},
		"POST": func(w http.ResponseWriter, r *http.Request, t *Tenant) {
			data, ok := readBody(w, r)
			if !ok {
				return
			}
			sc, err := world.ParseScenario(data)
			if err == nil {
				err = sb.checkScenario(sc, t.Name)
			}
			if err == nil {
				err = t.World.Import(sc)
			}
			if err == nil {
				err = sb.indexWorld(t)
			}
			if err != nil {
				fail(w, statusOf(err), "%v", err)
				return
			}
			writeJSON(w, http.StatusOK, map[string]any{"ok": true, "credentials": t.PartyCredentials()})
		},
	})
	route("/_mock/seed", map[string]tenantHandler{"POST": func(w http.ResponseWriter, r *http.Request, t *Tenant) {
		data, ok := readBody(w, r)
		if !ok {
			return
		}
		sc, err := world.ParseScenario(data)
		if err == nil {
			err = sb.checkScenario(sc, t.Name)
		}
		if err == nil {
			err = t.World.Seed(sc)
		}
		if err == nil {
			err = sb.indexWorld(t)
		}
		if err != nil {
			fail(w, statusOf(err), "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "credentials": t.PartyCredentials()})
	}})
	routeActOutbox(route)
	for _, name := range sb.order {
		prefix := "/_mock/" + name
		mux.HandleFunc(prefix+"/", func(w http.ResponseWriter, r *http.Request) {
			t, status, err := sb.controlTenant(r)
			if err != nil {
				fail(w, status, "%v", err)
				return
			}
			var c http.Handler
			if rt := t.parties[name]; rt != nil && rt.control != nil {
				c = rt.control()
			}
			if c == nil {
				fail(w, http.StatusNotFound, "unknown control endpoint %s %s", r.Method, r.URL.Path)
				return
			}
			http.StripPrefix(prefix, c).ServeHTTP(w, r)
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fail(w, http.StatusNotFound, "unknown control endpoint %s %s", r.Method, r.URL.Path)
	})
	api := sb.guard(mux)
	ui := newInspector(sb, mux).handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isUIPath(r.URL.Path) {
			ui.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// tenantHandler serves a control endpoint for the caller's tenant.
type tenantHandler func(w http.ResponseWriter, r *http.Request, t *Tenant)

// ControlAuthorization is how a control call names its tenant: the header
// "Authorization: Bearer <control token>" (see [Tenant.ControlToken]).
// Without it the call acts on the default tenant.
const ControlAuthorization = "Authorization"

// controlTenant returns the tenant a control call acts on: the tenant of
// its control token, or the default tenant without one. X-Mock-Tenant is
// accepted only when it names the token's tenant.
func (sb *Sandbox) controlTenant(r *http.Request) (*Tenant, int, error) {
	named := r.Header.Get(TenantHeader)
	auth := r.Header.Get(ControlAuthorization)
	if auth == "" {
		if named != "" && named != DefaultTenant {
			return nil, http.StatusUnauthorized, errors.New("the X-Mock-Tenant header needs the tenant's control token (Authorization: Bearer <control_token>)")
		}
		return sb.def, 0, nil
	}
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		return nil, http.StatusUnauthorized, errors.New("the Authorization header must be \"Bearer <control_token>\"")
	}
	sb.mu.Lock()
	t := sb.tokens[strings.TrimSpace(tok)]
	sb.mu.Unlock()
	if t == nil || (named != "" && named != t.Name) {
		return nil, http.StatusUnauthorized, errors.New("unknown control token")
	}
	return t, 0, nil
}

// guard refuses what a web page could send to the control API: a Host
// that is not the listener's own address (DNS rebinding), a state-changing
// request from another origin or with a body that is not JSON.
func (sb *Sandbox) guard(next http.Handler) http.Handler {
	_, port, _ := net.SplitHostPort(sb.ctrlLn.Addr().String())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !sb.hostAllowed(r.Host) {
			fail(w, http.StatusForbidden, "Host must be the control listener's address (an IP address or localhost with port %s)", port)
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host {
				fail(w, http.StatusForbidden, "cross-origin control requests are refused")
				return
			}
			if ct := r.Header.Get("Content-Type"); ct != "" || r.ContentLength > 0 {
				if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
					fail(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrTooManyTenants):
		return http.StatusTooManyRequests
	case errors.Is(err, world.ErrDuplicate), errors.Is(err, emu.ErrCredentialTaken), errors.Is(err, ErrTenantExists):
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

func (sb *Sandbox) serveCreateTenant(w http.ResponseWriter, r *http.Request, _ *Tenant) {
	data, ok := readBody(w, r)
	if !ok {
		return
	}
	var req struct {
		Name     string          `json:"name"`
		Scenario json.RawMessage `json:"scenario"`
	}
	if len(strings.TrimSpace(string(data))) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			fail(w, http.StatusBadRequest, "body must be {\"name\": \"...\", \"scenario\": {...}}, both optional: %v", err)
			return
		}
	}
	var sc *world.Scenario
	if len(req.Scenario) > 0 && string(req.Scenario) != "null" {
		parsed, err := world.ParseScenario(req.Scenario)
		if err != nil {
			fail(w, http.StatusBadRequest, "scenario: %v", err)
			return
		}
		sc = &parsed
	}
	t, err := sb.CreateTenant(req.Name, sc)
	if err != nil {
		fail(w, statusOf(err), "%v", err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{
		"name": t.Name, "control_token": t.ControlToken(), "credentials": t.PartyCredentials(), "urls": sb.URLs(),
	})
}

func serveClock(w http.ResponseWriter, r *http.Request, t *Tenant) {
	switch r.PathValue("op") {
	case "advance":
		d, err := time.ParseDuration(r.URL.Query().Get("d"))
		if err != nil {
			fail(w, http.StatusBadRequest, "d must be a Go duration such as 1h30m")
			return
		}
		t.Clock.Advance(d)
	case "set":
		at, err := time.Parse(time.RFC3339, r.URL.Query().Get("t"))
		if err != nil {
			fail(w, http.StatusBadRequest, "t must be an RFC 3339 time")
			return
		}
		t.Clock.Set(at)
	case "freeze":
		t.Clock.Freeze()
	case "unfreeze":
		t.Clock.Unfreeze()
	default:
		fail(w, http.StatusNotFound, "unknown clock operation; use advance, set, freeze or unfreeze")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"now": t.Clock.Now(), "frozen": t.Clock.Frozen()})
}

// journalFilter reads a journal query: party, method, param and value,
// after (a Seq), status, since and until (RFC 3339 times on the world
// clock). The tenant is the caller's, never a parameter. The list also
// takes limit and wait (a long poll: with no matching entry yet, answer as
// soon as one is recorded or when the wait, a Go duration, is over).
func journalFilter(q url.Values) (world.Filter, error) {
	if q.Has("tenant") {
		return world.Filter{}, errors.New("tenant: the journal is the caller's tenant's; a control token chooses the tenant")
	}
	f := world.Filter{Party: q.Get("party"), Method: q.Get("method"), Param: q.Get("param"), ParamValue: q.Get("value")}
	var err error
	if v := q.Get("after"); v != "" {
		if f.AfterSeq, err = strconv.ParseUint(v, 10, 64); err != nil {
			return f, errors.New("after must be a sequence number")
		}
	}
	if v := q.Get("status"); v != "" {
		if f.Status, err = strconv.Atoi(v); err != nil {
			return f, errors.New("status must be an HTTP status code")
		}
	}
	for _, tf := range []struct {
		name string
		dst  *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(tf.name); v != "" {
			if *tf.dst, err = time.Parse(time.RFC3339Nano, v); err != nil {
				return f, fmt.Errorf("%s must be an RFC 3339 time such as 2026-01-02T15:04:05Z", tf.name)
			}
		}
	}
	return f, nil
}

func serveJournal(w http.ResponseWriter, r *http.Request, t *Tenant) {
	q := r.URL.Query()
	f, err := journalFilter(q)
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	entries := t.Journal.Entries(f)
	if v := q.Get("wait"); v != "" && len(entries) == 0 {
		// A long poll: answer as soon as a matching entry is recorded.
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > maxJournalWait {
			fail(w, http.StatusBadRequest, "wait must be a Go duration from 0 to %v, such as 30s", maxJournalWait)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		_, err = t.Journal.Await(ctx, f)
		cancel()
		if err == nil {
			entries = t.Journal.Entries(f)
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			fail(w, http.StatusBadRequest, "limit must be a non-negative integer")
			return
		}
		if len(entries) > n {
			entries = entries[len(entries)-n:]
		}
	}
	if entries == nil {
		entries = []world.Entry{}
	}
	writeJSON(w, http.StatusOK, entries)
}

// maxJournalWait bounds a journal long poll (?wait=).
const maxJournalWait = 5 * time.Minute

// serveJournalStream tails the journal as server-sent events: one "entry"
// event per journal entry matching the query (the filters of
// [serveJournal]), its id the entry's Seq and its data the entry's JSON.
// A client resuming with Last-Event-ID (or ?after=) gets the entries after
// that Seq. The stream ends when the client leaves or the sandbox closes.
func serveJournalStream(w http.ResponseWriter, r *http.Request, t *Tenant) {
	f, err := journalFilter(r.URL.Query())
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		seq, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			fail(w, http.StatusBadRequest, "Last-Event-ID must be a journal sequence number")
			return
		}
		f.AfterSeq = max(f.AfterSeq, seq)
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// A comment, so the client sees the stream open before any entry.
	if _, err := io.WriteString(w, ": journal of tenant "+t.Name+"\n\n"); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	var buf []byte
	for e := range t.Journal.Follow(r.Context(), f) {
		data, err := json.Marshal(e)
		if err != nil {
			continue
		}
		buf = strconv.AppendUint(append(buf[:0], "id: "...), e.Seq, 10)
		buf = append(buf, "\nevent: entry\ndata: "...)
		buf = append(buf, data...)
		buf = append(buf, "\n\n"...)
		if _, err := w.Write(buf); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}

func (sb *Sandbox) serveAddFault(w http.ResponseWriter, r *http.Request, t *Tenant) {
	data, ok := readBody(w, r)
	if !ok {
		return
	}
	rule, err := decodeRule(data)
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	if field, known, err := sb.checkRule(&rule, t); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error(), "field": field, "known": known})
		return
	}
	id, err := t.Faults.Add(rule)
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	for _, ru := range t.Faults.List() {
		if ru.ID == id {
			rule = ru
		}
	}
	writeJSON(w, http.StatusCreated, rule)
}

// checkRule validates a rule's party, method, kind and tenant against what
// the sandbox serves; on failure it returns the field and the known values.
func (sb *Sandbox) checkRule(rule *world.Rule, t *Tenant) (string, []string, error) {
	if rule.Tenant != "" && rule.Tenant != t.Name {
		return "tenant", []string{t.Name}, fmt.Errorf("tenant: a rule applies to the caller's tenant %q only", t.Name)
	}
	rule.Tenant = ""
	if rule.Party != "" {
		if _, ok := t.parties[strings.ToLower(rule.Party)]; !ok {
			return "party", sb.order, fmt.Errorf("party: unknown party %q; known: %s", rule.Party, strings.Join(sb.order, ", "))
		}
		rule.Party = strings.ToLower(rule.Party)
	}
	if m := strings.ToLower(rule.Method); m != "" && m != "*" {
		var known []string
		found := false
		for _, name := range sb.order {
			if rule.Party != "" && name != rule.Party {
				continue
			}
			for _, km := range t.parties[name].adapter.Methods() {
				known = append(known, km)
				found = found || km == m
			}
		}
		if !found {
			slices.Sort(known)
			known = slices.Compact(known)
			return "method", known, fmt.Errorf("method: unknown method %q; known: %s", rule.Method, strings.Join(known, ", "))
		}
	}
	if !slices.Contains(world.FaultKinds(), rule.Kind) {
		known := make([]string, 0, 8)
		for _, k := range world.FaultKinds() {
			if k == world.FaultNone {
				known = append(known, `"" (latency only)`)
				continue
			}
			known = append(known, string(k))
		}
		return "kind", known, fmt.Errorf("kind: unknown kind %q; known: %s", rule.Kind, strings.Join(known, ", "))
	}
	return "", nil, nil
}

// jsonMux routes a party's control endpoints; an unknown path is a JSON
// 404 and a wrong method a JSON 405 with Allow, as everywhere in the
// control API.
type jsonMux struct {
	mux   *http.ServeMux
	allow map[string][]string
}

func newJSONMux() *jsonMux { return &jsonMux{mux: http.NewServeMux(), allow: map[string][]string{}} }

func (m *jsonMux) handle(method, path string, h http.HandlerFunc) {
	m.mux.HandleFunc(method+" "+path, h)
	m.allow[path] = append(m.allow[path], method)
}

func (m *jsonMux) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := m.mux.Handler(r); pattern != "" {
		m.mux.ServeHTTP(w, r)
		return
	}
	if allow, ok := m.allow[r.URL.Path]; ok {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		fail(w, http.StatusMethodNotAllowed, "%s %s: method not allowed; use %s", r.Method, r.URL.Path, strings.Join(allow, ", "))
		return
	}
	fail(w, http.StatusNotFound, "unknown control endpoint %s %s", r.Method, r.URL.Path)
}

// decodeRule decodes a fault rule, accepting latency as nanoseconds or as
// a Go duration string ("150ms").
func decodeRule(data []byte) (world.Rule, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return world.Rule{}, fmt.Errorf("fault rule must be a JSON object: %v", err)
	}
	if l, ok := raw["latency"]; ok && len(l) > 0 && l[0] == '"' {
		var s string
		_ = json.Unmarshal(l, &s)
		d, err := time.ParseDuration(s)
		if err != nil {
			return world.Rule{}, fmt.Errorf("latency must be nanoseconds or a Go duration such as 150ms")
		}
		raw["latency"], _ = json.Marshal(int64(d))
		data, _ = json.Marshal(raw)
	}
	var rule world.Rule
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rule); err != nil {
		return world.Rule{}, fmt.Errorf("bad fault rule: %v", err)
	}
	return rule, nil
}

// telegramControl serves /_mock/telegram/...: limits, simulated users and
// sent messages.
func telegramControl(srv *tgmock.Server) http.Handler {
	mux := newJSONMux()
	telegramUserRoutes(mux, srv)
	mux.handle("GET", "/limits", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, srv.Limits())
	})
	mux.handle("POST", "/limits", func(w http.ResponseWriter, r *http.Request) {
		data, ok := readBody(w, r)
		if !ok {
			return
		}
		l := srv.Limits()
		if err := json.Unmarshal(data, &l); err != nil {
			fail(w, http.StatusBadRequest, "limits must be a JSON object: %v", err)
			return
		}
		srv.SetLimits(l)
		writeJSON(w, http.StatusOK, l)
	})
	mux.handle("GET", "/messages", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.URL.Query().Get("chat_id"), 10, 64)
		if err != nil {
			fail(w, http.StatusBadRequest, "chat_id must be an integer")
			return
		}
		msgs := srv.Messages(id)
		if msgs == nil {
			msgs = []tgmock.Message{}
		}
		writeJSON(w, http.StatusOK, msgs)
	})
	mux.handle("POST", "/post", func(w http.ResponseWriter, r *http.Request) {
		data, ok := readBody(w, r)
		if !ok {
			return
		}
		var req struct {
			ChatID int64  `json:"chat_id"`
			BotID  int64  `json:"bot_id"`
			UserID int64  `json:"user_id"`
			Text   string `json:"text"`
		}
		if err := json.Unmarshal(data, &req); err != nil {
			fail(w, http.StatusBadRequest, "body must be {chat_id|bot_id, user_id, text}: %v", err)
			return
		}
		var msg tgmock.Message
		var err error
		if req.BotID != 0 {
			msg, err = srv.WriteToBot(req.BotID, req.UserID, req.Text)
		} else {
			msg, err = srv.PostAsUser(req.ChatID, req.UserID, req.Text)
		}
		if err != nil {
			fail(w, http.StatusBadRequest, "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, msg)
	})
	return mux
}
