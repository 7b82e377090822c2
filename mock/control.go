package mock

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// TenantHeader scopes control calls (reset, journal, faults) to one tenant.
const TenantHeader = "X-Mock-Tenant"

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
	mux.HandleFunc("GET /_mock/health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "urls": sb.URLs(), "now": sb.Clock.Now()})
	})
	mux.HandleFunc("POST /_mock/reset", func(w http.ResponseWriter, r *http.Request) {
		if t := r.Header.Get(TenantHeader); t != "" {
			sb.ResetTenant(t)
			writeJSON(w, http.StatusOK, map[string]any{"ok": true, "tenant": t})
			return
		}
		sb.Reset()
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	})
	mux.HandleFunc("GET /_mock/clock", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"now": sb.Clock.Now(), "frozen": sb.Clock.Frozen()})
	})
	mux.HandleFunc("POST /_mock/clock/{op}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("op") {
		case "advance":
			d, err := time.ParseDuration(r.URL.Query().Get("d"))
			if err != nil {
				fail(w, http.StatusBadRequest, "d must be a Go duration such as 1h30m")
				return
			}
			sb.Clock.Advance(d)
		case "set":
			t, err := time.Parse(time.RFC3339, r.URL.Query().Get("t"))
			if err != nil {
				fail(w, http.StatusBadRequest, "t must be an RFC 3339 time")
				return
			}
			sb.Clock.Set(t)
		case "freeze":
			sb.Clock.Freeze()
		case "unfreeze":
			sb.Clock.Unfreeze()
		default:
			fail(w, http.StatusNotFound, "unknown clock operation; use advance, set, freeze or unfreeze")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"now": sb.Clock.Now(), "frozen": sb.Clock.Frozen()})
	})
	mux.HandleFunc("GET /_mock/faults", func(w http.ResponseWriter, r *http.Request) {
		rules := sb.Faults.List()
		if t := r.Header.Get(TenantHeader); t != "" {
			out := rules[:0]
			for _, ru := range rules {
				if ru.Tenant == t {
					out = append(out, ru)
				}
			}
			rules = out
		}
		writeJSON(w, http.StatusOK, rules)
	})
	mux.HandleFunc("POST /_mock/faults", func(w http.ResponseWriter, r *http.Request) {
		data, ok := readBody(w, r)
		if !ok {
			return
		}
		rule, err := decodeRule(data)
		if err != nil {
			fail(w, http.StatusBadRequest, "%v", err)
			return
		}
		if t := r.Header.Get(TenantHeader); t != "" && rule.Tenant == "" {
			rule.Tenant = t
		}
		id, err := sb.Faults.Add(rule)
		if err != nil {
			fail(w, http.StatusBadRequest, "%v", err)
			return
		}
		for _, ru := range sb.Faults.List() {
			if ru.ID == id {
				rule = ru
			}
		}
		writeJSON(w, http.StatusCreated, rule)
	})
	mux.HandleFunc("DELETE /_mock/faults", func(w http.ResponseWriter, r *http.Request) {
		if id := r.URL.Query().Get("id"); id != "" {
			if !sb.Faults.Remove(id) {
				fail(w, http.StatusNotFound, "no fault rule %q", id)
				return
			}
		} else if t := r.Header.Get(TenantHeader); t != "" {
			sb.Faults.ResetTenant(t)
		} else {
			sb.Faults.Reset()
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	})
	mux.HandleFunc("GET /_mock/journal", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f := world.Filter{Party: q.Get("party"), Method: q.Get("method"), Tenant: q.Get("tenant"),
			Param: q.Get("param"), ParamValue: q.Get("value")}
		if f.Tenant == "" {
			f.Tenant = r.Header.Get(TenantHeader)
		}
		var err error
		if v := q.Get("after"); v != "" {
			if f.AfterSeq, err = strconv.ParseUint(v, 10, 64); err != nil {
				fail(w, http.StatusBadRequest, "after must be a sequence number")
				return
			}
		}
		if v := q.Get("status"); v != "" {
			if f.Status, err = strconv.Atoi(v); err != nil {
				fail(w, http.StatusBadRequest, "status must be an HTTP status code")
				return
			}
		}
		entries := sb.Journal.Entries(f)
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
	})
	mux.HandleFunc("DELETE /_mock/journal", func(w http.ResponseWriter, r *http.Request) {
		if t := r.Header.Get(TenantHeader); t != "" {
			sb.Journal.ResetTenant(t)
		} else {
			sb.Journal.Reset()
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	})
	mux.HandleFunc("GET /_mock/state", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, sb.World.Export())
	})
	mux.HandleFunc("POST /_mock/state", func(w http.ResponseWriter, r *http.Request) {
		data, ok := readBody(w, r)
		if !ok {
			return
		}
		sc, err := world.ParseScenario(data)
		if err == nil {
			err = sb.World.Import(sc)
		}
		if err != nil {
			fail(w, http.StatusBadRequest, "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "credentials": sb.CurrentCredentials()})
	})
	mux.HandleFunc("POST /_mock/seed", func(w http.ResponseWriter, r *http.Request) {
		data, ok := readBody(w, r)
		if !ok {
			return
		}
		sc, err := world.ParseScenario(data)
		if err == nil {
			err = sb.World.Seed(sc)
		}
		if err != nil {
			status := http.StatusBadRequest
			if errors.Is(err, world.ErrDuplicate) {
				status = http.StatusConflict
			}
			fail(w, status, "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "credentials": sb.CurrentCredentials()})
	})
	for _, name := range sb.order {
		if c := sb.running[name].rt.control; c != nil {
			mux.Handle("/_mock/"+name+"/", http.StripPrefix("/_mock/"+name, c))
		}
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fail(w, http.StatusNotFound, "unknown control endpoint %s %s", r.Method, r.URL.Path)
	})
	return mux
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
	mux := http.NewServeMux()
	telegramUserRoutes(mux, srv)
	mux.HandleFunc("GET /limits", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, srv.Limits())
	})
	mux.HandleFunc("POST /limits", func(w http.ResponseWriter, r *http.Request) {
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
	mux.HandleFunc("GET /messages", func(w http.ResponseWriter, r *http.Request) {
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
	mux.HandleFunc("POST /post", func(w http.ResponseWriter, r *http.Request) {
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
