package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"

	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func init() {
	registerParty(partyDef{name: "pos", order: 60, start: startPOS, prepare: preparePOS,
		sections:            func() []world.Section { return []world.Section{posmock.NewSection()} },
		extendDefault:       extendDefaultPOS,
		scenarioCredentials: posScenarioCredentials})
}

// POS is the sandbox's POS emulator. The embedded [posmock.Server]
// provides the LKO and appeal helpers (LKOs, LKO, AppealsLKO,
// SetWidgetSites, Appeals, Appeal, File, ExportCSV).
type POS struct {
	*posmock.Server
	// URL is the base URL: URL + "/form/?opaId=…", URL +
	// "/og/org-activities?…", URL + "/bin/script.min.js", and the appeals
	// API.
	URL string

	t *Tenant
}

// POSCredentials are the credentials of the seeded world's external
// system for the POS appeals API.
type POSCredentials struct {
	// Username and Password are the system's password-grant login.
	Username string `json:"username"`
	Password string `json:"password"`
	// TokenURL is the token endpoint.
	TokenURL string `json:"token_url"`
}

func posCredentials(p *POS) POSCredentials {
	st := p.Section().Settings()
	if len(st.Systems) == 0 {
		return POSCredentials{}
	}
	return POSCredentials{Username: st.Systems[0].Username, Password: st.Systems[0].Password, TokenURL: p.URL + "/oauth/token"}
}

func startPOS(sb *Sandbox, t *Tenant) (*partyRuntime, error) {
	base := sb.URL("pos")
	srv := posmock.New(t.World, posmock.WithTenant(t.Name),
		posmock.WithIssueHook(func(cred string) error { return sb.index.Bind("pos", cred, t.Name) }))
	p := &POS{Server: srv, URL: base, t: t}
	t.POS = p
	return &partyRuntime{
		handler: srv,
		adapter: srv.Adapter(),
		credentials: func() any {
			if c := posCredentials(p); c.Username != "" {
				return c
			}
			return nil
		},
		worldCredentials:   srv.Credentials,
		credentialsVersion: srv.CredentialsVersion,
		control:            sync.OnceValue(func() http.Handler { return posControl(p) }),
	}, nil
}

// extendDefaultPOS adds the POS section's default (LKOs of the default
// organisations, one API system) to the default scenario.
func extendDefaultPOS(sc *world.Scenario) {
	if _, ok := sc.Sections[posmock.SectionName]; !ok {
		_ = posmock.PutSettings(sc, posmock.DefaultSettings())
	}
}

// preparePOS gives a tenant's API systems usernames and passwords of
// their own, and its LKOs opaIds of their own (shifted by a multiple of
// a million derived from the tenant's name), so that a form link, which
// carries no credential, reaches the tenant's world.
func preparePOS(sc *world.Scenario, tenant string) {
	st, err := posmock.SettingsOf(*sc)
	if err != nil || (len(st.Systems) == 0 && len(st.LKOs) == 0) {
		return
	}
	seed := tenantSeed(tenant)
	for i := range st.Systems {
		st.Systems[i].Username += "-" + tenant
		st.Systems[i].Password = posmock.NewCredential("password", seed+int64(i)*7919, 24)
	}
	shift := (seed%1_000_000 + 1) * 1_000_000
	for i := range st.LKOs {
		st.LKOs[i].OpaID += shift
	}
	for i := range st.Appeals {
		st.Appeals[i].OpaID += shift
	}
	_ = posmock.PutSettings(sc, st)
}

func posScenarioCredentials(sc world.Scenario) []string {
	st, err := posmock.SettingsOf(sc)
	if err != nil {
		return nil
	}
	var out []string
	for _, s := range st.Systems {
		out = append(out, s.Username)
	}
	for _, l := range st.LKOs {
		out = append(out, posmock.OpaCredential(l.OpaID))
	}
	return out
}

// posControl serves /_mock/pos/ on the control listener:
//
//	GET /_mock/pos/lkos                         every LKO
//	GET /_mock/pos/lkos/{opa_id}                one LKO
//	PUT /_mock/pos/lkos/{opa_id}/widget-sites   {"widget_sites": [...]} replaces its «Сайт размещения виджета» sites
//	GET /_mock/pos/appeals[?opa_id=…]           appeals (of one LKO), history as of the world clock
//	POST /_mock/pos/appeals {"opa_id", "description", "applicant": {…}}   files an appeal as a citizen would ([POSAppeal])
//	GET /_mock/pos/export.csv                   the LKO export table (posmock.DefaultExportHeader)
func posControl(p *POS) http.Handler {
	mux := newJSONMux()
	opaID := func(w http.ResponseWriter, r *http.Request) (int64, bool) {
		id, err := strconv.ParseInt(r.PathValue("opa_id"), 10, 64)
		if err != nil || id <= 0 {
			fail(w, http.StatusBadRequest, "opa_id must be a positive integer")
			return 0, false
		}
		return id, true
	}
	mux.handle("GET", "/lkos", func(w http.ResponseWriter, r *http.Request) {
		ls := p.LKOs()
		if ls == nil {
			ls = []posmock.LKO{}
		}
		writeJSON(w, http.StatusOK, ls)
	})
	mux.handle("GET", "/lkos/{opa_id}", func(w http.ResponseWriter, r *http.Request) {
		id, ok := opaID(w, r)
		if !ok {
			return
		}
		l, err := p.LKO(id)
		if err != nil {
			fail(w, http.StatusNotFound, "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, l)
	})
	mux.handle("PUT", "/lkos/{opa_id}/widget-sites", func(w http.ResponseWriter, r *http.Request) {
		id, ok := opaID(w, r)
		if !ok {
			return
		}
		data, ok := readBody(w, r)
		if !ok {
			return
		}
		var req struct {
			WidgetSites []string `json:"widget_sites"`
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			fail(w, http.StatusBadRequest, `body must be {"widget_sites": [...]}`)
			return
		}
		l, err := p.SetWidgetSites(id, req.WidgetSites)
		switch {
		case errors.Is(err, posmock.ErrNoLKO):
			fail(w, http.StatusNotFound, "%v", err)
		case err != nil:
			fail(w, http.StatusBadRequest, "%v", err)
		default:
			writeJSON(w, http.StatusOK, l)
		}
	})
	mux.handle("GET", "/appeals", func(w http.ResponseWriter, r *http.Request) {
		var id int64
		if s := r.URL.Query().Get("opa_id"); s != "" {
			var err error
			if id, err = strconv.ParseInt(s, 10, 64); err != nil || id <= 0 {
				fail(w, http.StatusBadRequest, "opa_id must be a positive integer")
				return
			}
		}
		as := p.Appeals(id)
		if as == nil {
			as = []posmock.Appeal{}
		}
		writeJSON(w, http.StatusOK, as)
	})
	mux.handle("POST", "/appeals", func(w http.ResponseWriter, r *http.Request) {
		data, ok := readBody(w, r)
		if !ok {
			return
		}
		var req struct {
			OpaID       int64             `json:"opa_id"`
			Description string            `json:"description"`
			Applicant   posmock.Applicant `json:"applicant"`
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			fail(w, http.StatusBadRequest, `body must be {"opa_id": …, "description": "…", "applicant": {…}}`)
			return
		}
		a, err := p.t.Act(r.Context(), POSAppeal{OpaID: req.OpaID, Description: req.Description, Applicant: req.Applicant})
		if err != nil {
			fail(w, actStatus(err), "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, a)
	})
	mux.handle("GET", "/export.csv", func(w http.ResponseWriter, r *http.Request) {
		var buf bytes.Buffer
		if err := p.ExportCSV(&buf, posmock.ExportHeader{}); err != nil {
			fail(w, http.StatusInternalServerError, "%v", err)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="lko-export.csv"`)
		_, _ = w.Write(buf.Bytes())
	})
	return mux
}
