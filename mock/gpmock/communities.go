package gpmock

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/pos"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
	"github.com/gospubliki/gosdk/vk"
)

// Networks tells the server how to reach the social networks it
// publishes to and checks pages on. The zero value reaches the real
// networks with the default HTTP client.
type Networks struct {
	// VKURL, OKURL and TelegramURL are the networks' API base URLs (empty:
	// the real network).
	VKURL, OKURL, TelegramURL string
	// HTTPClient sends every network request (nil: the clients' default).
	// In a sandbox it is the sandbox's fail-closed client.
	HTTPClient *http.Client
	// Tenant, when set, is carried by every network request's context
	// (emu.WithTenant), so that emulators keep the calls in the tenant.
	Tenant string
	// Clock paces the network clients' limiters and measures publications
	// (nil: the system clock).
	Clock core.Clock
	// VKOptions, OKOptions and TelegramOptions are extra options of the
	// network clients (limits, retries).
	VKOptions, OKOptions, TelegramOptions []core.Option
	// POS, when set, prepares the POS forms audit of a VK or OK page
	// (network "vk" or "ok", its positive group id) of the cabinet of
	// organisation orgOID: an Auditor with its Directory, Forms and HTTP
	// client, and the page as the audit sees it (owner's OGRN, address).
	// The server adds the menu reader built on the page's own client. Nil
	// leaves POS compliance unreported.
	POS func(ctx context.Context, network string, groupID, orgOID int64) (*pos.Auditor, pos.AuditPage, error)
	// Unavailable lists networks the server cannot reach (a sandbox
	// started without their emulators): a page of one is refused with an
	// error that says so.
	Unavailable []string
}

// WithNetworks sets how the server reaches the networks.
func WithNetworks(n Networks) Option { return func(s *Server) { s.nets = n } }

// WithNetworkClock sets the clock of the network clients' limiters and
// retries (Networks.Clock) without changing the rest of the Networks.
func WithNetworkClock(c core.Clock) Option { return func(s *Server) { s.nets.Clock = c } }

// Networks of a community.
const (
	NetworkVK       = "vk"
	NetworkOK       = "ok"
	NetworkTelegram = "telegram"
)

// CommunityCredentials are what the cabinet needs to act on a page. They
// are stored encrypted (see WithCredentialKey) and never shown by the API.
type CommunityCredentials struct {
	// VKToken is a VK access token; publishing needs a user token of a
	// community administrator or editor (VK refuses wall.post with a
	// community token).
	VKToken string `json:"vk_token,omitempty"`
	// VKTokenKind is "user" (default) or "community".
	VKTokenKind string `json:"vk_token_kind,omitempty"`
	// VKCommunityToken is the community's own access token (scope
	// messages), kept next to a user token: VK sends community messages
	// (messages.send) only with a community token. Without it replies to
	// community messages use VKToken.
	VKCommunityToken string `json:"vk_community_token,omitempty"`
	// OKApplicationKey, OKApplicationSecretKey and OKAccessToken are the
	// OK application's keys and the administrator's access token;
	// OKSessionSecretKey is the session secret when OK issued one.
	OKApplicationKey       string `json:"ok_application_key,omitempty"`
	OKApplicationSecretKey string `json:"ok_application_secret_key,omitempty"`
	OKAccessToken          string `json:"ok_access_token,omitempty"`
	OKSessionSecretKey     string `json:"ok_session_secret_key,omitempty"`
	// TelegramBotToken is the token of a bot that administers the
	// channel.
	TelegramBotToken string `json:"telegram_bot_token,omitempty"`
}

func (cr CommunityCredentials) secrets() []string {
	return slices.DeleteFunc([]string{cr.VKToken, cr.VKCommunityToken, cr.OKApplicationSecretKey, cr.OKAccessToken, cr.OKSessionSecretKey,
		cr.TelegramBotToken}, func(s string) bool { return len(s) < 4 })
}

// validFor reports the first credential the network needs that is missing.
func (cr CommunityCredentials) validFor(network string) error {
	switch network {
	case NetworkVK:
		if cr.VKToken == "" {
			return invalid("a VK page needs vk_token")
		}
		if cr.VKTokenKind != "" && cr.VKTokenKind != "user" && cr.VKTokenKind != "community" {
			return invalid("vk_token_kind is user or community")
		}
	case NetworkOK:
		if cr.OKApplicationKey == "" || cr.OKApplicationSecretKey == "" || cr.OKAccessToken == "" {
			return invalid("an OK page needs ok_application_key, ok_application_secret_key and ok_access_token")
		}
	case NetworkTelegram:
		if cr.TelegramBotToken == "" {
			return invalid("a Telegram channel needs telegram_bot_token")
		}
	}
	return nil
}

// Community is a page (VK community, OK group, Telegram channel)
// connected to a cabinet, as the API shows it: never its credentials.
type Community struct {
	ID        int64 `json:"id"`
	CabinetID int64 `json:"cabinet_id"`
	// Network is "vk", "ok" or "telegram".
	Network string `json:"network"`
	// PageID is the page's id as the network writes it: "-<group id>" on
	// VK (the wall's owner), the group id on OK, the channel's chat id on
	// Telegram.
	PageID string `json:"page_id"`
	// Ref is "network:page_id", what a post's targets name.
	Ref  string `json:"ref"`
	Name string `json:"name,omitempty"`
	// HasCredentials reports whether credentials are stored.
	HasCredentials bool      `json:"has_credentials"`
	ConnectedAt    time.Time `json:"connected_at"`
	ConnectedBy    int64     `json:"connected_by,omitempty"`
	// Check is the last check of the page, when one was made.
	Check *CommunityCheck `json:"check,omitempty"`
}

// CommunityCheck is a page's «Госорганизация» status, requirement report
// and POS compliance at one reading.
type CommunityCheck struct {
	CheckedAt time.Time `json:"checked_at"`
	// GovMark is the «Госорганизация» mark: "present", "absent",
	// "unknown", or "not_applicable" (Telegram has no such mark).
	GovMark string `json:"gov_mark"`
	// Requirements is the network's checklist for the mark (or, on
	// Telegram, for running the channel).
	Requirements []Requirement `json:"requirements"`
	// AllMet reports that every requirement is proven met.
	AllMet bool `json:"all_met"`
	// POS is the POS forms audit (VK and OK, when the server can audit).
	POS *POSCompliance `json:"pos,omitempty"`
	// Error is why the page could not be checked (the network's error,
	// never a credential).
	Error string `json:"error,omitempty"`
	// Code is the network's error code, when there is one.
	Code string `json:"code,omitempty"`
}

// Requirement is one line of a page's requirement report.
type Requirement struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Status is "met", "not_met" or "unverifiable".
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// POSCompliance is a page's POS forms audit.
type POSCompliance struct {
	// Status is "ok", "failed" or "unverifiable".
	Status  string      `json:"status"`
	Reasons []POSReason `json:"reasons,omitempty"`
}

// POSReason is one finding of a POS audit.
type POSReason struct {
	Code   string `json:"code"`
	Item   int    `json:"item,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// ConnectCommunityRequest is the body of POST /api/v1/communities.
type ConnectCommunityRequest struct {
	Network     string               `json:"network"`
	PageID      string               `json:"page_id"`
	Name        string               `json:"name,omitempty"`
	Credentials CommunityCredentials `json:"credentials"`
}

// CredentialsRequest is the body of PUT /api/v1/communities/{id}/credentials.
type CredentialsRequest struct {
	Credentials CommunityCredentials `json:"credentials"`
}

// CommunityList is the answer of GET /api/v1/communities.
type CommunityList struct {
	Items []Community `json:"items"`
}

// communityRec is a stored community: its sealed credentials beside it.
type communityRec struct {
	Community
	sealed []byte
}

func cloneCommunity(c *communityRec) Community {
	out := c.Community
	if c.Check != nil {
		ck := *c.Check
		ck.Requirements = slices.Clone(ck.Requirements)
		if ck.POS != nil {
			p := *ck.POS
			p.Reasons = slices.Clone(p.Reasons)
			ck.POS = &p
		}
		out.Check = &ck
	}
	out.HasCredentials = len(c.sealed) > 0
	return out
}

// normalizePage checks a page id of network and returns it as the
// network writes it (VK: the negative owner id).
func normalizePage(network, id string) (string, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
	if err != nil || n == 0 {
		return "", false
	}
	switch network {
	case NetworkVK:
		if n > 0 {
			n = -n
		}
	case NetworkOK:
		if n < 0 {
			return "", false
		}
	case NetworkTelegram:
	default:
		return "", false
	}
	return strconv.FormatInt(n, 10), true
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (s *Server) routesCommunities() {
	s.handle("listCommunities", "GET", "/api/v1/communities", allRoles, s.listCommunities)
	s.handle("connectCommunity", "POST", "/api/v1/communities", adminOnly, s.connectCommunity)
	s.handle("getCommunity", "GET", "/api/v1/communities/{id}", allRoles, s.getCommunity)
	s.handle("disconnectCommunity", "DELETE", "/api/v1/communities/{id}", adminOnly, s.disconnectCommunity)
	s.handle("setCommunityCredentials", "PUT", "/api/v1/communities/{id}/credentials", adminOnly, s.setCommunityCredentials)
	s.handle("checkCommunity", "POST", "/api/v1/communities/{id}/check", allRoles, s.checkCommunity)
}

func (s *Server) credentialSealer() (*sealer, error) {
	if s.sealerErr != nil {
		return nil, &apiError{http.StatusInternalServerError, "internal", "the server's credential key is not usable"}
	}
	return s.sealer, nil
}

func (s *Server) listCommunities(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := CommunityList{Items: []Community{}}
	for _, cm := range s.communities {
		if cm.CabinetID == c.CabinetID {
			out.Items = append(out.Items, cloneCommunity(cm))
		}
	}
	slices.SortFunc(out.Items, func(a, b Community) int { return int(a.ID - b.ID) })
	return http.StatusOK, out, nil
}

func (s *Server) connectCommunity(c *caller, r *http.Request) (int, any, error) {
	var req ConnectCommunityRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	page, ok := normalizePage(req.Network, req.PageID)
	if !ok {
		return 0, nil, invalid("network is vk, ok or telegram and page_id a non-zero integer (positive on OK)")
	}
	if len(req.Name) > 256 {
		return 0, nil, invalid("name is at most 256 bytes")
	}
	if err := req.Credentials.validFor(req.Network); err != nil {
		return 0, nil, err
	}
	sl, err := s.credentialSealer()
	if err != nil {
		return 0, nil, err
	}
	ref := req.Network + ":" + page
	box, err := sl.seal(req.Credentials, c.CabinetID, ref)
	if err != nil {
		return 0, nil, &apiError{http.StatusInternalServerError, "internal", "cannot store the credentials"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, cm := range s.communities {
		if cm.CabinetID == c.CabinetID && cm.Ref == ref {
			return 0, nil, &apiError{http.StatusConflict, "conflict", "the page is connected already"}
		}
	}
	s.nextID++
	rec := &communityRec{Community: Community{ID: s.nextID, CabinetID: c.CabinetID, Network: req.Network, PageID: page,
		Ref: ref, Name: req.Name, ConnectedAt: s.clock.Now().UTC(), ConnectedBy: c.ID}, sealed: box}
	s.communities[rec.ID] = rec
	return http.StatusCreated, cloneCommunity(rec), nil
}

// communityOf returns the cabinet's community of the path; the caller
// holds s.mu.
func (s *Server) communityOf(c *caller, r *http.Request) (*communityRec, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	cm := s.communities[id]
	if cm == nil || cm.CabinetID != c.CabinetID {
		return nil, errNotFound
	}
	return cm, nil
}

func (s *Server) getCommunity(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cm, err := s.communityOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, cloneCommunity(cm), nil
}

func (s *Server) disconnectCommunity(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cm, err := s.communityOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	delete(s.communities, cm.ID)
	return http.StatusNoContent, nil, nil
}

func (s *Server) setCommunityCredentials(c *caller, r *http.Request) (int, any, error) {
	var req CredentialsRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	sl, err := s.credentialSealer()
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cm, err := s.communityOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	if err := req.Credentials.validFor(cm.Network); err != nil {
		return 0, nil, err
	}
	box, err := sl.seal(req.Credentials, cm.CabinetID, cm.Ref)
	if err != nil {
		return 0, nil, &apiError{http.StatusInternalServerError, "internal", "cannot store the credentials"}
	}
	cm.sealed = box
	return http.StatusOK, cloneCommunity(cm), nil
}

// checkCommunity reads the page's «Госорганизация» status and
// requirements from its network, and its POS compliance, and keeps the
// result on the community.
func (s *Server) checkCommunity(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	cm, err := s.communityOf(c, r)
	var ref string
	var cab, oid int64
	if err == nil {
		ref, cab = cm.Ref, cm.CabinetID
		if k := s.cabinets[cab]; k != nil {
			oid = k.OrgOID
		}
	}
	s.mu.Unlock()
	if err != nil {
		return 0, nil, err
	}
	ck := s.runCheck(r.Context(), cab, ref, oid)
	s.mu.Lock()
	defer s.mu.Unlock()
	cm, err = s.communityOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	cm.Check = &ck
	return http.StatusOK, cloneCommunity(cm), nil
}

func (s *Server) runCheck(ctx context.Context, cabinetID int64, ref string, orgOID int64) CommunityCheck {
	ck := CommunityCheck{CheckedAt: s.clock.Now().UTC(), GovMark: "unknown", Requirements: []Requirement{}}
	pc, err := s.pageClients(ctx, cabinetID, ref)
	if err != nil {
		ck.Error, ck.Code = pc.scrub(err), core.ErrorCode(err)
		return ck
	}
	ctx = s.netContext(ctx)
	id, _ := strconv.ParseInt(pc.page, 10, 64)
	var reqs social.Requirements
	switch pc.network {
	case NetworkVK:
		rep, err := pc.vk.CheckCommunity(ctx, -id)
		if err != nil {
			ck.Error, ck.Code = pc.scrub(err), core.ErrorCode(err)
			return ck
		}
		reqs, ck.GovMark = rep.Requirements, rep.Mark.String()
	case NetworkOK:
		reqs, err = pc.ok.CheckGroup(ctx, pc.page)
		if err != nil {
			ck.Error, ck.Code = pc.scrub(err), core.ErrorCode(err)
			return ck
		}
		if m, ok := reqs.Find(social.ReqGovMark); ok {
			switch m.Status {
			case social.RequirementMet:
				ck.GovMark = "present"
			case social.RequirementNotMet:
				ck.GovMark = "absent"
			}
		}
	case NetworkTelegram:
		ck.GovMark = "not_applicable"
		reqs, err = pc.tg.CheckChannel(ctx, telegram.ChatIDInt(id))
		if err != nil {
			ck.Error, ck.Code = pc.scrub(err), core.ErrorCode(err)
			return ck
		}
	}
	for _, q := range reqs {
		ck.Requirements = append(ck.Requirements, Requirement{Code: string(q.Code), Name: q.Name,
			Status: string(q.Status), Detail: pc.scrubText(q.Detail)})
	}
	ck.AllMet = reqs.AllMet()
	if s.nets.POS != nil && pc.network != NetworkTelegram {
		pr, err := s.auditPOS(ctx, pc, max(id, -id), orgOID)
		if err != nil {
			ck.POS = &POSCompliance{Status: string(pos.StatusUnverifiable),
				Reasons: []POSReason{{Code: string(pos.ReasonUnreachable), Detail: pc.scrub(err)}}}
		} else {
			pc := &POSCompliance{Status: string(pr.Status)}
			for _, x := range pr.Reasons {
				pc.Reasons = append(pc.Reasons, POSReason{Code: string(x.Code), Item: x.Item, Detail: x.Detail})
			}
			ck.POS = pc
		}
	}
	return ck
}

func (s *Server) auditPOS(ctx context.Context, pc *pageClient, groupID, orgOID int64) (pos.PageResult, error) {
	a, page, err := s.nets.POS(ctx, pc.network, groupID, orgOID)
	if err != nil {
		return pos.PageResult{}, err
	}
	if pc.network == NetworkVK {
		a.Readers = map[string]pos.MenuReader{pos.NetworkVK: pos.VKMenus{Client: pc.vk}}
	} else {
		a.Readers = map[string]pos.MenuReader{pos.NetworkOK: pos.OKLinks{Client: pc.ok}}
	}
	res, err := a.Audit(ctx, []pos.AuditPage{page}, nil)
	if err != nil {
		return pos.PageResult{}, err
	}
	if len(res.Pages) != 1 {
		return pos.PageResult{}, errors.New("gpmock: the POS audit returned no result")
	}
	return res.Pages[0], nil
}

// pageClient is a connected page's ready network client.
type pageClient struct {
	network, page, name string
	vk                  *vk.Client
	vkUser              bool
	// vkGroup is the community-token client (nil: none stored).
	vkGroup *vk.Client
	ok      *ok.Client
	tg      *telegram.Client
	secrets []string
}

// scrub returns err's text with every credential of the page replaced.
func (pc *pageClient) scrub(err error) string {
	if err == nil {
		return ""
	}
	return pc.scrubText(err.Error())
}

func (pc *pageClient) scrubText(s string) string {
	if pc == nil {
		return s
	}
	for _, sec := range pc.secrets {
		s = strings.ReplaceAll(s, sec, "[redacted]")
	}
	return s
}

// Errors of the page accessor.
var (
	// ErrNotConnected: the cabinet has no such page connected.
	ErrNotConnected = errors.New("gpmock: the page is not connected to the cabinet")
	// ErrNoCredentials: the page is connected without credentials (an
	// import without secrets).
	ErrNoCredentials = errors.New("gpmock: the page has no stored credentials")
	// ErrNetworkUnavailable: the server cannot reach the page's network
	// (a sandbox started without that network's emulator).
	ErrNetworkUnavailable = errors.New("gpmock: the network is not available to this server (its emulator is not running)")
)

// clientCache keeps one network client per network and credentials, so
// that pages sharing a token share its client and its limits.
type clientCache struct {
	mu sync.Mutex
	m  map[string]any
}

func (s *Server) netContext(ctx context.Context) context.Context {
	if s.nets.Tenant != "" {
		ctx = emu.WithTenant(ctx, s.nets.Tenant)
	}
	return ctx
}

func (s *Server) netClock() core.Clock {
	if s.nets.Clock != nil {
		return s.nets.Clock
	}
	return core.SystemClock()
}

// tenantTransport carries the tenant on every request's context.
type tenantTransport struct {
	tenant string
	base   http.RoundTripper
}

func (t *tenantTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if emu.TenantFrom(r.Context()) == "" {
		r = r.WithContext(emu.WithTenant(r.Context(), t.tenant))
	}
	return t.base.RoundTrip(r)
}

func (s *Server) clientOptions(base string, secrets []string, extra []core.Option) []core.Option {
	opts := []core.Option{core.WithClock(s.netClock()), core.WithSecrets(secrets...)}
	if base != "" {
		opts = append(opts, core.WithBaseURL(base))
	}
	if hc := s.nets.HTTPClient; hc != nil {
		if s.nets.Tenant != "" {
			cp := *hc
			rt := cp.Transport
			if rt == nil {
				rt = http.DefaultTransport
			}
			cp.Transport = &tenantTransport{tenant: s.nets.Tenant, base: rt}
			hc = &cp
		}
		opts = append(opts, core.WithHTTPClient(hc))
	}
	return append(opts, extra...)
}

// pageClients returns the network client of a connected page, decrypting
// its credentials; clients are cached per credentials.
func (s *Server) pageClients(_ context.Context, cabinetID int64, ref string) (*pageClient, error) {
	s.mu.Lock()
	var rec *communityRec
	for _, cm := range s.communities {
		if cm.CabinetID == cabinetID && cm.Ref == ref {
			rec = cm
			break
		}
	}
	var box []byte
	var network, page, name string
	if rec != nil {
		box, network, page, name = slices.Clone(rec.sealed), rec.Network, rec.PageID, rec.Name
	}
	s.mu.Unlock()
	switch {
	case rec == nil:
		return nil, ErrNotConnected
	case len(box) == 0:
		return nil, ErrNoCredentials
	case s.sealerErr != nil:
		return nil, errSealed
	case slices.Contains(s.nets.Unavailable, network):
		return nil, fmt.Errorf("%w: %s", ErrNetworkUnavailable, network)
	}
	cr, err := s.sealer.open(box, cabinetID, ref)
	if err != nil {
		return nil, err
	}
	pc := &pageClient{network: network, page: page, name: name, secrets: cr.secrets()}
	h := sha256.New()
	h.Write([]byte(network))
	for _, v := range []string{cr.VKToken, cr.VKTokenKind, cr.VKCommunityToken, cr.OKApplicationKey, cr.OKApplicationSecretKey,
		cr.OKAccessToken, cr.OKSessionSecretKey, cr.TelegramBotToken} {
		h.Write([]byte{0})
		h.Write([]byte(v))
	}
	key := hex.EncodeToString(h.Sum(nil))
	s.clients.mu.Lock()
	defer s.clients.mu.Unlock()
	if s.clients.m == nil {
		s.clients.m = map[string]any{}
	}
	cached := s.clients.m[key]
	switch network {
	case NetworkVK:
		pc.vkUser = cr.VKTokenKind != "community"
		c, _ := cached.(*vk.Client)
		if c == nil {
			kind := vk.UserToken
			if !pc.vkUser {
				kind = vk.CommunityToken
			}
			c, err = vk.New(cr.VKToken, kind, s.clientOptions(s.nets.VKURL, pc.secrets, s.nets.VKOptions)...)
			if err != nil {
				return nil, errors.New(pc.scrub(err))
			}
			s.clients.m[key] = c
		}
		pc.vk = c
		if cr.VKCommunityToken != "" {
			g, _ := s.clients.m[key+"|group"].(*vk.Client)
			if g == nil {
				g, err = vk.New(cr.VKCommunityToken, vk.CommunityToken, s.clientOptions(s.nets.VKURL, pc.secrets, s.nets.VKOptions)...)
				if err != nil {
					return nil, errors.New(pc.scrub(err))
				}
				s.clients.m[key+"|group"] = g
			}
			pc.vkGroup = g
		}
	case NetworkOK:
		c, _ := cached.(*ok.Client)
		if c == nil {
			c, err = ok.New(ok.Credentials{ApplicationKey: cr.OKApplicationKey, ApplicationSecretKey: cr.OKApplicationSecretKey,
				AccessToken: cr.OKAccessToken, SessionSecretKey: cr.OKSessionSecretKey},
				s.clientOptions(s.nets.OKURL, pc.secrets, s.nets.OKOptions)...)
			if err != nil {
				return nil, errors.New(pc.scrub(err))
			}
			s.clients.m[key] = c
		}
		pc.ok = c
	case NetworkTelegram:
		c, _ := cached.(*telegram.Client)
		if c == nil {
			c, err = telegram.New(cr.TelegramBotToken, s.clientOptions(s.nets.TelegramURL, pc.secrets, s.nets.TelegramOptions)...)
			if err != nil {
				return nil, errors.New(pc.scrub(err))
			}
			s.clients.m[key] = c
		}
		pc.tg = c
	}
	return pc, nil
}

// pagePublisher returns a ready publisher for the page ref ("vk:-123",
// "ok:456", "telegram:-100789") connected to cabinet cabinetID, built on
// the page's decrypted credentials with the server's Networks (in a
// sandbox: the fail-closed HTTP client, every request carrying the
// tenant). The network clients are cached per credentials, so every
// publisher of one token shares its client's limits.
//
// The publisher also implements the optional verbs its network supports,
// found by type assertion: social.Editor and social.Deleter (VK,
// Telegram), social.PostStatsReader and social.PageStatsReader (VK, OK,
// Telegram). It fails with ErrNotConnected, ErrNoCredentials, or an error
// saying the credentials cannot be decrypted or the client cannot be
// built (never containing a credential). Callers must not hold s.mu.
func (s *Server) pagePublisher(ctx context.Context, cabinetID int64, ref string) (social.Publisher, error) {
	pc, err := s.pageClients(ctx, cabinetID, ref)
	if err != nil {
		return nil, err
	}
	return pc.publisher()
}

func (pc *pageClient) publisher() (social.Publisher, error) {
	id, _ := strconv.ParseInt(pc.page, 10, 64)
	switch pc.network {
	case NetworkVK:
		p, err := vk.NewPublisher(pc.vk, id, vk.PublisherOptions{Name: pc.name})
		if err != nil {
			return nil, errors.New(pc.scrub(err))
		}
		return p, nil
	case NetworkOK:
		opts := []ok.PublisherOption{}
		if pc.name != "" {
			opts = append(opts, ok.WithPageName(pc.name))
		}
		return pc.ok.Publisher(pc.page, opts...), nil
	default:
		opts := []telegram.PublisherOption{}
		if pc.name != "" {
			opts = append(opts, telegram.WithPageName(pc.name))
		}
		return pc.tg.Publisher(telegram.ChatIDInt(id), opts...), nil
	}
}
