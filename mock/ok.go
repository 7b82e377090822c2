package mock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/govmark"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func init() {
	registerParty(partyDef{name: "ok", order: 30, start: startOK, prepare: prepareOK,
		sections:            func() []world.Section { return []world.Section{okmock.NewSection()} },
		extendDefault:       extendDefaultOK,
		scenarioCredentials: okScenarioCredentials})
}

// OKESIAClientID is the mnemonic of OK's own ESIA system in the default
// tenant ("-<tenant>" is appended in the others).
const OKESIAClientID = "OKRU"

// OK is the sandbox's OK emulator. The embedded [okmock.Server] provides
// the inspection and «Госорганизация» helpers (Topics, GovConditions,
// StartGovRequest, FinishGovRequest).
type OK struct {
	*okmock.Server
	// URL is the API base URL (URL + "/fb.do", URL + "/api/group/getInfo",
	// URL + "/oauth/token.do").
	URL string

	t *Tenant
}

// OKCredentials are the OK credentials of the seeded world.
type OKCredentials struct {
	// ApplicationID, ApplicationKey and ApplicationSecret identify the
	// application (ApplicationID is the OAuth client_id).
	ApplicationID     int64  `json:"application_id"`
	ApplicationKey    string `json:"application_key"`
	ApplicationSecret string `json:"application_secret"`
	// AccessToken, SessionSecret and RefreshToken are the group
	// administrator's token.
	AccessToken   string `json:"access_token"`
	SessionSecret string `json:"session_secret,omitempty"`
	RefreshToken  string `json:"refresh_token,omitempty"`
	// UserID is that administrator's OK user id; GroupID the group.
	UserID  int64 `json:"user_id"`
	GroupID int64 `json:"group_id"`
	// TokenURL is the OAuth token endpoint.
	TokenURL string `json:"token_url"`
}

func okESIAClientID(tenant string) string {
	if tenant == DefaultTenant {
		return OKESIAClientID
	}
	return OKESIAClientID + "-" + tenant
}

func startOK(sb *Sandbox, t *Tenant) (*partyRuntime, error) {
	base := sb.URL("ok")
	opts := []okmock.Option{okmock.WithBaseURL(base), okmock.WithTenant(t.Name),
		okmock.WithIssueHook(func(cred string) error { return sb.index.Bind("ok", cred, t.Name) })}
	if t.ESIA != nil {
		creds, err := govmark.SystemCredentials(OKESIAClientID)
		if err != nil {
			return nil, err
		}
		id := okESIAClientID(t.Name)
		if err := t.ESIA.RegisterSystem(esiamock.System{
			ClientID: id, Certificates: []string{string(creds.CertificatePEM)},
			RedirectURIs: []string{base + "/gosuslugi/callback"}, JWTAlg: esiamock.AlgGOST,
		}); err != nil {
			return nil, err
		}
		v, err := govmark.NewVerifier(govmark.VerifierConfig{
			BaseURL: sb.URL("esia"), ClientID: id, Credentials: creds,
			ESIACertificatesPEM: t.ESIA.Keys().CertificatesPEM(), RedirectURL: base + "/gosuslugi/callback",
			HTTPClient: sb.HTTPClient(), Now: t.Clock.Now, Tenant: t.Name,
		})
		if err != nil {
			return nil, err
		}
		opts = append(opts, okmock.WithGosuslugi(v))
	}
	srv := okmock.New(t.World, opts...)
	ok := &OK{Server: srv, URL: base, t: t}
	t.OK = ok
	return &partyRuntime{
		handler: srv,
		adapter: srv.Adapter(),
		credentials: func() any {
			if c := okCredentials(t.World, srv.Section(), base); c.ApplicationKey != "" {
				return c
			}
			return nil
		},
		worldCredentials:   srv.Credentials,
		credentialsVersion: srv.CredentialsVersion,
		control:            sync.OnceValue(func() http.Handler { return okControl(ok) }),
	}, nil
}

// extendDefaultOK adds the ministry's OK group and the OK section's
// default to the default scenario.
func extendDefaultOK(sc *world.Scenario) {
	okmock.AddDefault(sc)
	if _, ok := sc.Sections[okmock.SectionName]; !ok {
		_ = okmock.PutSettings(sc, okmock.DefaultSettings())
	}
}

// prepareOK gives a tenant's OK application and tokens credentials of
// their own.
func prepareOK(sc *world.Scenario, tenant string) {
	st, err := okmock.SettingsOf(*sc)
	if err != nil || st.Application.Key == "" {
		return
	}
	seed := tenantSeed(tenant)
	fresh := okmock.SettingsFor(seed)
	st.Application.Key, st.Application.Secret = fresh.Application.Key, fresh.Application.Secret
	for i := range st.Tokens {
		s := seed + int64(i)*7919
		st.Tokens[i].AccessToken = okmock.NewCredential("token", s, 60)
		if st.Tokens[i].SessionSecret != "" {
			st.Tokens[i].SessionSecret = okmock.NewCredential("session", s, 28)
		}
		if st.Tokens[i].RefreshToken != "" {
			st.Tokens[i].RefreshToken = okmock.NewCredential("refresh", s, 60)
		}
	}
	_ = okmock.PutSettings(sc, st)
}

func okScenarioCredentials(sc world.Scenario) []string {
	st, err := okmock.SettingsOf(sc)
	if err != nil {
		return nil
	}
	var out []string
	if st.Application.Key != "" {
		out = append(out, st.Application.Key)
	}
	for _, t := range st.Tokens {
		out = append(out, t.AccessToken)
		if t.RefreshToken != "" {
			out = append(out, t.RefreshToken)
		}
	}
	return out
}

// okCredentials picks the first token of a person holding ADMIN (or, when
// none, any role) on an OK group.
func okCredentials(w *world.World, sec *okmock.Section, base string) OKCredentials {
	st := sec.Settings()
	c := OKCredentials{ApplicationID: st.Application.ID, ApplicationKey: st.Application.Key,
		ApplicationSecret: st.Application.Secret, TokenURL: base + "/oauth/token.do"}
	pick := func(admin bool) bool {
		for _, p := range w.Pages(world.NetworkOK) {
			for _, t := range st.Tokens {
				r := p.RoleOf(t.PersonOID)
				if r == "" || (admin && r != world.OKRoleAdmin) {
					continue
				}
				per, err := w.Person(t.PersonOID)
				if err != nil {
					continue
				}
				c.AccessToken, c.SessionSecret, c.RefreshToken = t.AccessToken, t.SessionSecret, t.RefreshToken
				c.UserID, c.GroupID = per.Accounts[world.NetworkOK].UserID, p.ID
				return true
			}
		}
		return false
	}
	if !pick(true) {
		pick(false)
	}
	return c
}

// RequestGovMark runs the «Подтвердить через Госуслуги» flow headless for
// a person on an OK group, as a browser would: it presses the button
// (conditions checked), logs the person in at the ESIA emulator as an
// employee of orgOID (a headless login, no pages), and delivers ESIA's
// callback to OK, which checks the person's authority in ESIA and submits
// the group («Рассматривается»). The decision follows on the world clock
// ([govmark.DefaultReviewDelay]).
func (o *OK) RequestGovMark(ctx context.Context, groupID, personOID, orgOID int64) (world.GovMark, error) {
	if o.t.ESIA == nil {
		return world.GovMark{}, errors.New("mock: the OK «Госорганизация» flow needs the esia party")
	}
	authURL, err := o.StartGovRequest(ctx, groupID, personOID)
	if err != nil {
		return world.GovMark{}, err
	}
	o.t.ESIA.EnqueueLogin(esiamock.Login{PersonOID: personOID, OrgOID: orgOID, ClientID: okESIAClientID(o.t.Name)})
	hc := o.t.sb.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return world.GovMark{}, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return world.GovMark{}, err
	}
	_ = resp.Body.Close()
	cb, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || cb.Query().Get("state") == "" {
		return world.GovMark{}, fmt.Errorf("mock: ESIA answered %d without a callback", resp.StatusCode)
	}
	if e := cb.Query().Get("error"); e != "" {
		return world.GovMark{}, fmt.Errorf("mock: ESIA login failed: %s: %s", e, cb.Query().Get("error_description"))
	}
	return o.FinishGovRequest(ctx, cb.Query().Get("state"), cb.Query().Get("code"))
}

// okControl serves /_mock/ok/ on the control listener:
//
//	GET  /_mock/ok/gov?group_id=…&person_oid=…   the mark, its reasons and the unmet conditions
//	POST /_mock/ok/gov {"group_id","person_oid","org_oid"}   RequestGovMark (headless flow)
//	GET  /_mock/ok/topics?group_id=…             the group's topics (scheduled ones included)
//	PUT  /_mock/ok/description {"group_id","user_id","text"}  an administrator replaces the description (403 for others)
func okControl(o *OK) http.Handler {
	mux := newJSONMux()
	mux.handle("GET", "/gov", func(w http.ResponseWriter, r *http.Request) {
		gid, err1 := strconv.ParseInt(r.URL.Query().Get("group_id"), 10, 64)
		if err1 != nil {
			fail(w, http.StatusBadRequest, "group_id must be an integer")
			return
		}
		p, err := o.World().Page(world.NetworkOK, gid)
		if err != nil {
			fail(w, http.StatusNotFound, "%v", err)
			return
		}
		out := map[string]any{"group_id": gid, "status": p.Gov.Status, "status_text": okmock.GovStatusText(p.Gov), "reasons": p.Gov.Reasons}
		if pid, err := strconv.ParseInt(r.URL.Query().Get("person_oid"), 10, 64); err == nil {
			unmet, _ := o.GovConditions(gid, pid)
			if unmet == nil {
				unmet = []string{}
			}
			out["unmet"] = unmet
		}
		writeJSON(w, http.StatusOK, out)
	})
	mux.handle("POST", "/gov", func(w http.ResponseWriter, r *http.Request) {
		data, ok := readBody(w, r)
		if !ok {
			return
		}
		var req struct {
			GroupID   int64 `json:"group_id"`
			PersonOID int64 `json:"person_oid"`
			OrgOID    int64 `json:"org_oid"`
		}
		if err := json.Unmarshal(data, &req); err != nil || req.GroupID == 0 || req.PersonOID == 0 {
			fail(w, http.StatusBadRequest, `body must be {"group_id": …, "person_oid": …, "org_oid": …}`)
			return
		}
		mark, err := o.RequestGovMark(r.Context(), req.GroupID, req.PersonOID, req.OrgOID)
		if err != nil {
			fail(w, http.StatusConflict, "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"group_id": req.GroupID, "status": mark.Status, "status_text": okmock.GovStatusText(mark)})
	})
	mux.handle("PUT", "/description", func(w http.ResponseWriter, r *http.Request) {
		data, ok := readBody(w, r)
		if !ok {
			return
		}
		var req struct {
			GroupID int64  `json:"group_id"`
			UserID  int64  `json:"user_id"`
			Text    string `json:"text"`
		}
		if err := json.Unmarshal(data, &req); err != nil || req.GroupID == 0 {
			fail(w, http.StatusBadRequest, `body must be {"group_id": …, "user_id": …, "text": …}`)
			return
		}
		if _, err := o.t.Act(r.Context(), OKDescription{GroupID: req.GroupID, UserID: req.UserID, Text: req.Text}); err != nil {
			fail(w, actStatus(err), "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"group_id": req.GroupID, "text": req.Text})
	})
	mux.handle("GET", "/topics", func(w http.ResponseWriter, r *http.Request) {
		gid, _ := strconv.ParseInt(r.URL.Query().Get("group_id"), 10, 64)
		ts := o.Topics(gid)
		if ts == nil {
			ts = []okmock.Topic{}
		}
		writeJSON(w, http.StatusOK, ts)
	})
	return mux
}
