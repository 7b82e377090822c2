package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/govmark"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func init() {
	registerParty(partyDef{name: "vk", order: 50, start: startVK, prepare: prepareVK,
		extendDefault:       vkmock.AddDefault,
		sections:            func() []world.Section { return []world.Section{vkmock.NewSection()} },
		scenarioCredentials: vkScenarioCredentials})
}

// WithVKOptions passes options to [vkmock.New].
func WithVKOptions(opts ...vkmock.Option) Option {
	return func(c *config) error { c.vkOpts = append(c.vkOpts, opts...); return nil }
}

// VKESIAClientID is the mnemonic of VK's own system registered with the
// sandbox's ESIA (with "-<tenant>" outside the default tenant): VK is an
// ESIA client in the «Госорганизация» flow.
const VKESIAClientID = "VK_GOSORG"

// VK is the sandbox's VK API emulator. The embedded [vkmock.Server]
// provides the user-simulation and inspection helpers (PostComment,
// WriteToCommunity, Posts, SolveCaptcha, GovRequirements,
// ConfirmThroughGosuslugi, ...).
type VK struct {
	*vkmock.Server
	// URL is the base URL to use as VK's API host (URL + "/method/").
	URL string

	t *Tenant
}

// VKCredentials are the VK credentials of a tenant's world: a community
// administrator's user token, that community's token, a service token and
// the community.
type VKCredentials struct {
	// UserToken is a user token of an owner or administrator of GroupID;
	// UserID is that user's VK id.
	UserToken string `json:"user_token"`
	UserID    int64  `json:"user_id"`
	// CommunityToken is GroupID's community token.
	CommunityToken string `json:"community_token,omitempty"`
	// ServiceToken is an application's service token.
	ServiceToken string `json:"service_token,omitempty"`
	// GroupID and ScreenName identify the community.
	GroupID    int64  `json:"group_id"`
	ScreenName string `json:"screen_name,omitempty"`
	// APIVersion is the API version the emulator answers.
	APIVersion string `json:"api_version"`
}

func vkESIAClientID(tenant string) string {
	if tenant == DefaultTenant {
		return VKESIAClientID
	}
	return VKESIAClientID + "-" + tenant
}

func startVK(sb *Sandbox, t *Tenant) (*partyRuntime, error) {
	url := sb.URL("vk")
	opts := []vkmock.Option{vkmock.WithBaseURL(url), vkmock.WithTenant(t.Name),
		vkmock.WithIssueHook(func(cred string) error { return sb.index.Bind("vk", cred, t.Name) })}
	if t.ESIA != nil {
		g, err := vkGov(sb, t, url)
		if err != nil {
			return nil, err
		}
		opts = append(opts, vkmock.WithGov(g))
	}
	srv := vkmock.New(t.World, append(opts, sb.cfg.vkOpts...)...)
	t.VK = &VK{Server: srv, URL: url, t: t}
	return &partyRuntime{
		handler: srv,
		adapter: srv.Adapter(),
		credentials: func() any {
			if c := vkCredentials(t.World, srv.Section()); c.UserToken != "" || c.CommunityToken != "" || c.ServiceToken != "" {
				return c
			}
			return nil
		},
		worldCredentials: func() []string {
			toks := srv.Section().Tokens()
			out := make([]string, len(toks))
			for i, tk := range toks {
				out[i] = tk.Token
			}
			return out
		},
		credentialsVersion: func() uint64 { return srv.Section().Version() },
		control:            sync.OnceValue(func() http.Handler { return vkControl(t.VK) }),
		close:              srv.Close,
	}, nil
}

// vkGov registers VK's system with the tenant's ESIA and builds VK's
// verifier, signing on the tenant's world clock; every call it makes
// carries the tenant.
func vkGov(sb *Sandbox, t *Tenant, vkURL string) (vkmock.Gov, error) {
	cc, err := govmark.SystemCredentials(VKESIAClientID)
	if err != nil {
		return vkmock.Gov{}, err
	}
	id := vkESIAClientID(t.Name)
	callback := vkURL + "/gov/callback"
	if err := t.ESIA.RegisterSystem(esiamock.System{ClientID: id, Certificates: []string{string(cc.CertificatePEM)},
		RedirectURIs: []string{callback}, JWTAlg: esiamock.AlgGOST}); err != nil {
		return vkmock.Gov{}, err
	}
	if err := sb.index.Bind("esia", id, t.Name); err != nil {
		return vkmock.Gov{}, err
	}
	v, err := govmark.NewVerifier(govmark.VerifierConfig{
		BaseURL: t.ESIA.URL, ClientID: id, Credentials: cc, ESIACertificatesPEM: t.ESIA.Keys().CertificatesPEM(),
		RedirectURL: callback, HTTPClient: sb.HTTPClient(), Now: t.World.Clock.Now, Tenant: t.Name,
	})
	if err != nil {
		return vkmock.Gov{}, err
	}
	return vkmock.Gov{Verifier: v}, nil
}

// vkScenarioCredentials lists the tokens of a scenario's VK section.
func vkScenarioCredentials(sc world.Scenario) []string {
	st, err := vkmock.SettingsOf(sc)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(st.Tokens))
	for _, tk := range st.Tokens {
		out = append(out, tk.Token)
	}
	return out
}

// prepareVK gives a tenant's VK tokens of their own, derived from the
// tenant's name.
func prepareVK(sc *world.Scenario, tenant string) {
	st, err := vkmock.SettingsOf(*sc)
	if err != nil || len(st.Tokens) == 0 {
		return
	}
	seed := tenantSeed(tenant)
	for i := range st.Tokens {
		st.Tokens[i].Token = vkmock.NewToken(st.Tokens[i].Kind, seed+int64(i))
	}
	_ = vkmock.PutSettings(sc, st)
}

// vkCredentials picks a community with an administrator's user token, and
// that community's token and a service token.
func vkCredentials(w *world.World, sec *vkmock.Section) VKCredentials {
	c := VKCredentials{APIVersion: vkmock.APIVersion}
	toks := sec.Tokens()
	for _, tk := range toks {
		if tk.Kind == vkmock.KindService && c.ServiceToken == "" {
			c.ServiceToken = tk.Token
		}
	}
	for _, tk := range toks {
		if tk.Kind != vkmock.KindUser {
			continue
		}
		per, err := w.PersonByAccount(world.NetworkVK, tk.UserID)
		if err != nil {
			continue
		}
		for _, p := range w.Pages(world.NetworkVK) {
			if r := p.RoleOf(per.OID); r == world.RoleCreator || r == world.RoleAdministrator {
				c.UserToken, c.UserID, c.GroupID, c.ScreenName = tk.Token, tk.UserID, p.ID, p.Username
				break
			}
		}
		if c.UserToken != "" {
			break
		}
	}
	for _, tk := range toks {
		if tk.Kind == vkmock.KindCommunity && (c.GroupID == 0 || tk.GroupID == c.GroupID) {
			c.CommunityToken = tk.Token
			if c.GroupID == 0 {
				c.GroupID = tk.GroupID
			}
			break
		}
	}
	return c
}

// ConfirmThroughGosuslugi runs the «Госорганизация» flow headless for a
// person of the world: it queues their ESIA login, in which they pick
// orgOID, then presses «Подтвердить через Госуслуги» with userToken (see
// [vkmock.Server.ConfirmThroughGosuslugi]). The decision comes on the
// world clock ([govmark.DefaultReviewDelay]).
func (v *VK) ConfirmThroughGosuslugi(ctx context.Context, groupID int64, userToken string, personOID, orgOID int64) (world.GovMark, error) {
	t := v.t
	if t.ESIA == nil {
		return world.GovMark{}, fmt.Errorf("mock: the «Госорганизация» flow needs the esia party")
	}
	t.ESIA.EnqueueLogin(esiamock.Login{PersonOID: personOID, OrgOID: orgOID, ClientID: vkESIAClientID(t.Name)})
	return v.Server.ConfirmThroughGosuslugi(emu.WithTenant(ctx, t.Name), t.sb.HTTPClient(), groupID, userToken)
}

// vkControl serves /_mock/vk/ for a tenant:
//
//	POST /_mock/vk/comment   {"group_id", "post_id", "user_id", "text"}  a user comments a post (wall_reply_new; [VKComment])
//	POST /_mock/vk/message   {"group_id", "user_id", "text"}             a user writes to the community (message_new; [VKMessage])
//	GET  /_mock/vk/posts?group_id=…                                      the community's wall
//	POST /_mock/vk/captcha   {"captcha_sid"}                             solve a captcha: {"success_token", "captcha_key"}
//	GET  /_mock/vk/gov?group_id=…                                        the mark and what the page lacks
//	POST /_mock/vk/gov       {"group_id", "user_token", "person_oid", "org_oid"}  the Gosuslugi flow, headless
//	PUT  /_mock/vk/limits    vkmock.Limits                               replace the rate limits
//	PUT  /_mock/vk/menu      {"group_id", "user_id", "items"}            an administrator replaces the menu (403 for others; [VKMenu])
//	GET  /_mock/vk/menu?group_id=…                                       the community's menu
func vkControl(v *VK) http.Handler {
	mux := newJSONMux()
	type req struct {
		GroupID    int64             `json:"group_id"`
		PostID     int64             `json:"post_id"`
		UserID     int64             `json:"user_id"`
		Text       string            `json:"text"`
		CaptchaSID string            `json:"captcha_sid"`
		UserToken  string            `json:"user_token"`
		PersonOID  int64             `json:"person_oid"`
		OrgOID     int64             `json:"org_oid"`
		Items      []vkmock.MenuItem `json:"items"`
	}
	decode := func(w http.ResponseWriter, r *http.Request) (req, bool) {
		var q req
		data, ok := readBody(w, r)
		if !ok {
			return q, false
		}
		if err := json.Unmarshal(data, &q); err != nil {
			fail(w, http.StatusBadRequest, "body must be a JSON object")
			return q, false
		}
		return q, true
	}
	mux.handle("POST", "/comment", func(w http.ResponseWriter, r *http.Request) {
		q, ok := decode(w, r)
		if !ok {
			return
		}
		res, err := v.t.Act(r.Context(), VKComment{GroupID: q.GroupID, PostID: q.PostID, UserID: q.UserID, Text: q.Text})
		if err != nil {
			fail(w, actStatus(err), "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	})
	mux.handle("POST", "/message", func(w http.ResponseWriter, r *http.Request) {
		q, ok := decode(w, r)
		if !ok {
			return
		}
		res, err := v.t.Act(r.Context(), VKMessage{GroupID: q.GroupID, UserID: q.UserID, Text: q.Text})
		if err != nil {
			fail(w, actStatus(err), "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	})
	mux.handle("GET", "/posts", func(w http.ResponseWriter, r *http.Request) {
		var gid int64
		if _, err := fmt.Sscan(r.URL.Query().Get("group_id"), &gid); err != nil {
			fail(w, http.StatusBadRequest, "group_id is required")
			return
		}
		writeJSON(w, http.StatusOK, v.Posts(gid))
	})
	mux.handle("POST", "/captcha", func(w http.ResponseWriter, r *http.Request) {
		q, ok := decode(w, r)
		if !ok {
			return
		}
		key, _ := v.CaptchaKey(q.CaptchaSID)
		tok, ok := v.SolveCaptcha(q.CaptchaSID)
		if !ok {
			fail(w, http.StatusNotFound, "no pending captcha with this captcha_sid")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"success_token": tok, "captcha_key": key})
	})
	mux.handle("GET", "/gov", func(w http.ResponseWriter, r *http.Request) {
		var gid int64
		if _, err := fmt.Sscan(r.URL.Query().Get("group_id"), &gid); err != nil {
			fail(w, http.StatusBadRequest, "group_id is required")
			return
		}
		p, err := v.World().Page(world.NetworkVK, gid)
		if err != nil {
			fail(w, http.StatusNotFound, "no VK community %d", gid)
			return
		}
		missing, _ := v.GovRequirements(gid)
		writeJSON(w, http.StatusOK, map[string]any{"gov": p.Gov, "missing": missing})
	})
	mux.handle("POST", "/gov", func(w http.ResponseWriter, r *http.Request) {
		q, ok := decode(w, r)
		if !ok {
			return
		}
		m, err := v.ConfirmThroughGosuslugi(r.Context(), q.GroupID, q.UserToken, q.PersonOID, q.OrgOID)
		if err != nil {
			fail(w, http.StatusBadRequest, "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"gov": m})
	})
	mux.handle("PUT", "/menu", func(w http.ResponseWriter, r *http.Request) {
		q, ok := decode(w, r)
		if !ok {
			return
		}
		res, err := v.t.Act(r.Context(), VKMenu{GroupID: q.GroupID, UserID: q.UserID, Items: q.Items})
		if err != nil {
			fail(w, actStatus(err), "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	})
	mux.handle("GET", "/menu", func(w http.ResponseWriter, r *http.Request) {
		var gid int64
		if _, err := fmt.Sscan(r.URL.Query().Get("group_id"), &gid); err != nil {
			fail(w, http.StatusBadRequest, "group_id is required")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": v.Menu(gid)})
	})
	mux.handle("PUT", "/limits", func(w http.ResponseWriter, r *http.Request) {
		data, ok := readBody(w, r)
		if !ok {
			return
		}
		var l vkmock.Limits
		if err := json.Unmarshal(data, &l); err != nil {
			fail(w, http.StatusBadRequest, "body must be vkmock.Limits as JSON")
			return
		}
		v.SetLimits(l)
		writeJSON(w, http.StatusOK, v.Limits())
	})
	return mux
}
