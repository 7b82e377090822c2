package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/posmock"
)

// ---- ESIA ----

// ESIALogin: a person finishes an ESIA login. With AuthURL (the
// authorization URL an application sent the browser to, on the tenant's
// ESIA emulator) the person logs in, picks OrgOID (0: as a private person,
// or their first organisation when the request needs one), consents, and
// the result is the callback ESIA redirects to, with the code and state
// (or ESIA's error), as an [ESIALoginResult]. Without AuthURL the login is
// queued: the next authorization request (of ClientID, when set) finishes
// this way.
type ESIALogin struct {
	AuthURL   string `json:"auth_url,omitempty"`
	PersonOID int64  `json:"person_oid"`
	OrgOID    int64  `json:"org_oid,omitempty"`
	ClientID  string `json:"client_id,omitempty"`
}

// MaxQueuedLogins bounds the logins [ESIALogin] queues in a tenant.
const MaxQueuedLogins = 100

// ESIALoginResult is the result of [ESIALogin].
type ESIALoginResult struct {
	// Queued reports a login queued for the next authorization request.
	Queued bool `json:"queued,omitempty"`
	// Redirect is the callback URL ESIA redirected to; Code and State are
	// its parameters, or Error and ErrorDescription ESIA's refusal.
	Redirect         string `json:"redirect,omitempty"`
	Code             string `json:"code,omitempty"`
	State            string `json:"state,omitempty"`
	Error            string `json:"error,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// ActionName implements [Action].
func (ESIALogin) ActionName() (string, string) { return "esia", "login" }

func (a ESIALogin) act(ctx context.Context, t *Tenant) (any, error) {
	if t.ESIA == nil {
		return nil, fmt.Errorf("%w: esia", ErrPartyNotStarted)
	}
	if err := checkIDs("person_oid", a.PersonOID); err != nil {
		return nil, err
	}
	if a.OrgOID < 0 {
		return nil, badAction("org_oid must not be negative")
	}
	var u *url.URL
	if a.AuthURL != "" {
		var err error
		u, err = url.Parse(a.AuthURL)
		base, _ := url.Parse(t.ESIA.URL)
		if err != nil || base == nil || u.Scheme != base.Scheme || u.Host != base.Host || !strings.HasSuffix(u.Path, "/ac") {
			return nil, badAction("auth_url must be an authorization URL of the sandbox's ESIA (%s/aas/oauth2/v2/ac?…)", t.ESIA.URL)
		}
	}
	if _, err := t.World.Person(a.PersonOID); err != nil {
		return nil, fmt.Errorf("%w: person %d", ErrActNotFound, a.PersonOID)
	}
	if a.AuthURL == "" {
		if a.ClientID != "" && !t.hasESIASystem(a.ClientID) {
			return nil, fmt.Errorf("%w: no ESIA system %q in this tenant", ErrActNotFound, a.ClientID)
		}
		if t.ESIA.PendingLogins() >= MaxQueuedLogins {
			return nil, badAction("%d logins are queued already; let an application use them first", MaxQueuedLogins)
		}
		t.ESIA.EnqueueLogin(esiamock.Login{PersonOID: a.PersonOID, OrgOID: a.OrgOID, ClientID: a.ClientID})
		return ESIALoginResult{Queued: true}, nil
	}
	client := u.Query().Get("client_id")
	if a.ClientID != "" && a.ClientID != client {
		return nil, badAction("client_id differs from the auth_url's")
	}
	if !t.hasESIASystem(client) {
		return nil, fmt.Errorf("%w: the auth_url's client_id is no ESIA system of this tenant", ErrActNotFound)
	}
	login := esiamock.Login{PersonOID: a.PersonOID, OrgOID: a.OrgOID, ClientID: client}
	t.ESIA.EnqueueLoginFirst(login)
	// A request refused before it took the login leaves it queued.
	defer t.ESIA.CancelLogin(login)
	if t.Name != DefaultTenant {
		ctx = emu.WithTenant(ctx, t.Name)
	}
	hc := t.sb.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, badAction("auth_url: %v", err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	_ = resp.Body.Close()
	loc := resp.Header.Get("Location")
	cb, err := url.Parse(loc)
	if resp.StatusCode != http.StatusFound || err != nil || loc == "" || strings.HasPrefix(loc, "/") {
		msg := resp.Header.Get("X-ESIA-Error")
		if msg == "" {
			msg = "no callback"
		}
		return nil, badAction("ESIA refused the authorization request (%d): %s", resp.StatusCode, msg)
	}
	q := cb.Query()
	return ESIALoginResult{Redirect: loc, Code: q.Get("code"), State: q.Get("state"), Error: q.Get("error"),
		ErrorDescription: q.Get("error_description")}, nil
}

func (t *Tenant) hasESIASystem(clientID string) bool {
	for _, s := range t.ESIA.Systems() {
		if s.ClientID == clientID {
			return true
		}
	}
	return false
}

// ---- POS ----

// POSAppeal: a citizen files an appeal to an organisation through its POS
// form. It follows POS's lifecycle on the world clock, and the
// organisation's answer reaches the outbox (channel "pos", To the appeal
// id) when it is answered. The result is the [posmock.Appeal].
type POSAppeal struct {
	OpaID       int64             `json:"opa_id"`
	Description string            `json:"description"`
	Applicant   posmock.Applicant `json:"applicant"`
}

// ActionName implements [Action].
func (POSAppeal) ActionName() (string, string) { return "pos", "appeal" }

func (a POSAppeal) act(_ context.Context, t *Tenant) (any, error) {
	if t.POS == nil {
		return nil, fmt.Errorf("%w: pos", ErrPartyNotStarted)
	}
	if err := checkIDs("opa_id", a.OpaID); err != nil {
		return nil, err
	}
	if err := checkText("description", a.Description, 4000); err != nil {
		return nil, err
	}
	return t.POS.File(posmock.Appeal{OpaID: a.OpaID, Source: "form", Description: a.Description, Applicant: a.Applicant})
}

// ---- cabinet ----

// CabinetActor names the cabinet user an action acts as: UserID, or the
// first active user of Role (in CabinetID when set). Role defaults to the
// role the action needs.
type CabinetActor struct {
	UserID    int64  `json:"user_id,omitempty"`
	CabinetID int64  `json:"cabinet_id,omitempty"`
	Role      string `json:"role,omitempty"`
}

// cabinetError is the cabinet's own refusal, with its status.
type cabinetError struct {
	status int
	body   string
}

func (e *cabinetError) Error() string {
	return "the cabinet answered " + strconv.Itoa(e.status) + ": " + e.body
}

// cabinetCall runs one cabinet API request as the actor, through the
// cabinet's own routes, and returns its JSON answer.
func (t *Tenant) cabinetCall(as CabinetActor, defRole, method, path string, body any) (json.RawMessage, error) {
	if t.Gospubliki == nil {
		return nil, fmt.Errorf("%w: %s", ErrPartyNotStarted, gpmock.PartyName)
	}
	role := as.Role
	if role == "" && as.UserID == 0 {
		role = defRole
	}
	u, err := t.Gospubliki.Actor(as.UserID, as.CabinetID, role)
	if err != nil {
		return nil, fmt.Errorf("%w: no active cabinet user fits %+v", ErrActNotFound, as)
	}
	var rd *bytes.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return nil, badAction("%v", err)
		}
		rd = bytes.NewReader(data)
	} else {
		rd = bytes.NewReader(nil)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	if err := t.Gospubliki.ServeAs(u.ID, rec, req); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrActNotFound, err)
	}
	if rec.Code >= 300 {
		return nil, &cabinetError{status: rec.Code, body: strings.TrimSpace(rec.Body.String())}
	}
	return json.RawMessage(bytes.TrimSpace(rec.Body.Bytes())), nil
}

// GospublikiInvite: a cabinet's administrator (role lko_admin by default)
// invites a user, as POST /api/v1/users does. The result is the cabinet's
// answer (the invited [gpmock.User]).
type GospublikiInvite struct {
	As CabinetActor `json:"as"`
	gpmock.InviteRequest
}

// ActionName implements [Action].
func (GospublikiInvite) ActionName() (string, string) { return gpmock.PartyName, "invite" }

func (a GospublikiInvite) act(_ context.Context, t *Tenant) (any, error) {
	if a.Phone == "" || a.Role == "" {
		return nil, badAction("phone and role are required")
	}
	return t.cabinetCall(a.As, gpmock.RoleLKOAdmin, http.MethodPost, "/api/v1/users", a.InviteRequest)
}

// GospublikiApprove: a cabinet's moderator (role moderator by default)
// approves a submitted post. The result is the cabinet's answer (the
// [gpmock.Post]).
type GospublikiApprove struct {
	As     CabinetActor `json:"as"`
	PostID int64        `json:"post_id"`
}

// ActionName implements [Action].
func (GospublikiApprove) ActionName() (string, string) { return gpmock.PartyName, "approve" }

func (a GospublikiApprove) act(_ context.Context, t *Tenant) (any, error) {
	if err := checkIDs("post_id", a.PostID); err != nil {
		return nil, err
	}
	return t.cabinetCall(a.As, gpmock.RoleModerator, http.MethodPost, "/api/v1/posts/"+strconv.FormatInt(a.PostID, 10)+"/approve", nil)
}

// GospublikiReturn: a cabinet's moderator (role moderator by default)
// returns a submitted post to its author with a comment. The result is
// the cabinet's answer (the [gpmock.Post]).
type GospublikiReturn struct {
	As      CabinetActor `json:"as"`
	PostID  int64        `json:"post_id"`
	Comment string       `json:"comment"`
}

// ActionName implements [Action].
func (GospublikiReturn) ActionName() (string, string) { return gpmock.PartyName, "return" }

func (a GospublikiReturn) act(_ context.Context, t *Tenant) (any, error) {
	if err := checkIDs("post_id", a.PostID); err != nil {
		return nil, err
	}
	if err := checkText("comment", a.Comment, 4000); err != nil {
		return nil, err
	}
	return t.cabinetCall(a.As, gpmock.RoleModerator, http.MethodPost, "/api/v1/posts/"+strconv.FormatInt(a.PostID, 10)+"/return",
		gpmock.ReturnRequest{Comment: a.Comment})
}
