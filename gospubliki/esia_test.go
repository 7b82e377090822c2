package gospubliki_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// esiaSandbox is a sandbox with the ESIA emulator and the cabinet, whose
// cabinet is a client system of the tenant's ESIA emulator.
type esiaSandbox struct {
	t      *testing.T
	sb     *mock.Sandbox
	tenant *mock.Tenant
	url    string
	hc     *http.Client
	creds  mock.GospublikiCredentials
}

func newESIASandbox(t *testing.T) *esiaSandbox {
	t.Helper()
	sb, err := mock.New(mock.WithParties("esia", gpmock.PartyName), mock.WithFrozenClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
	require.NoError(t, err)
	t.Cleanup(func() { _ = sb.Close() })
	tn := sb.DefaultTenant()
	creds, ok := tn.PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	require.True(t, ok)
	return &esiaSandbox{t: t, sb: sb, tenant: tn, url: sb.URL(gpmock.PartyName), hc: sb.HTTPClient(), creds: creds}
}

func (e *esiaSandbox) client() *gospubliki.Client {
	c, err := gospubliki.New(core.WithBaseURL(e.url), core.WithRetry(0, 0, 0), core.WithHTTPClient(e.hc))
	require.NoError(e.t, err)
	return c
}

// login logs person in through ESIA (a headless login queued on the
// emulator, picking org) into a cabinet of kind.
func (e *esiaSandbox) login(c *gospubliki.Client, kind gospubliki.CabinetKind, person, org int64) (*gospubliki.Session, error) {
	e.tenant.ESIA.EnqueueLogin(esiamock.Login{PersonOID: person, OrgOID: org})
	return c.LoginESIA(context.Background(), kind, gospubliki.FollowESIARedirects(e.hc))
}

// addPerson adds an ESIA person employed by org with groups.
func (e *esiaSandbox) addPerson(oid int64, email string, org int64, groups ...string) {
	w := e.tenant.World
	require.NoError(e.t, w.AddPerson(world.Person{OID: oid, LastName: "Сидорова", FirstName: "Мария", Email: email, Trusted: true}))
	require.NoError(e.t, w.AddEmployee(world.Employee{OrgOID: org, PersonOID: oid, Active: true, Groups: groups}))
}

// TestESIALogin: a person with the editorial group logs into the
// editorial cabinet as the user bound to them; a person without the group,
// or with a group but no cabinet of that kind, gets «Пользователь не
// найден»; a callback works once.
func TestESIALogin(t *testing.T) {
	e := newESIASandbox(t)
	ctx := context.Background()
	c := e.client()
	s, err := e.login(c, gospubliki.CabinetEditorial, world.DefaultChiefOID, world.DefaultMinistryOID)
	require.NoError(t, err)
	require.Equal(t, gospubliki.RoleLKOAdmin, s.User.Role)
	require.Equal(t, int64(world.DefaultChiefOID), s.User.PersonOID)
	require.NotNil(t, s.ExpiresAt)
	cb, err := c.Cabinet(ctx)
	require.NoError(t, err, "the client uses the new session")
	require.Equal(t, gospubliki.CabinetEditorial, cb.Kind)
	require.Equal(t, int64(world.DefaultMinistryOID), cb.OrgOID)

	// The employee holds the editorial group and is the editorial
	// cabinet's editor.
	s, err = e.login(e.client(), gospubliki.CabinetEditorial, world.DefaultEmployeeOID, world.DefaultMinistryOID)
	require.NoError(t, err)
	require.Equal(t, gospubliki.RoleEditor, s.User.Role)
	// A person with only the institution group is not the editorial
	// cabinet's user.
	e.addPerson(1000000950, "nogroup@example.org", world.DefaultMinistryOID, world.GroupCabinetInstitution)
	_, err = e.login(e.client(), gospubliki.CabinetEditorial, 1000000950, world.DefaultMinistryOID)
	ge := requireCode(t, err, gospubliki.CodeUserNotFound)
	require.Equal(t, gospubliki.MessageUserNotFound, ge.Message)
	require.Equal(t, http.StatusForbidden, ge.StatusCode)
	// The group of an institution cabinet, but the ministry has none.
	_, err = e.login(e.client(), gospubliki.CabinetInstitution, world.DefaultEmployeeOID, world.DefaultMinistryOID)
	requireCode(t, err, gospubliki.CodeUserNotFound)

	// A callback works once: its replay is refused.
	c2 := e.client()
	st, err := c2.StartESIALogin(ctx, gospubliki.CabinetEditorial)
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		require.NotContains(t, fmt.Sprintf(verb, st), st.State)
		require.NotContains(t, fmt.Sprintf(verb, *st), st.State)
	}
	e.tenant.ESIA.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultChiefOID, OrgOID: world.DefaultMinistryOID})
	cbURL, err := gospubliki.FollowESIARedirects(e.hc)(ctx, st.URL)
	require.NoError(t, err)
	_, err = c2.CompleteESIALogin(ctx, cbURL)
	require.NoError(t, err)
	_, err = e.client().CompleteESIALogin(ctx, cbURL)
	requireCode(t, err, gospubliki.CodeInvalidState)

	// A state expires on the cabinet's clock.
	st, err = c2.StartESIALogin(ctx, gospubliki.CabinetEditorial)
	require.NoError(t, err)
	e.tenant.ESIA.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultChiefOID, OrgOID: world.DefaultMinistryOID})
	cbURL, err = gospubliki.FollowESIARedirects(e.hc)(ctx, st.URL)
	require.NoError(t, err)
	e.tenant.Clock.Advance(gpmock.ESIAStateTTL)
	_, err = c2.CompleteESIALogin(ctx, cbURL)
	requireCode(t, err, gospubliki.CodeInvalidState)

	// ESIA's error redirect (the person cancelled) is refused.
	st, err = c2.StartESIALogin(ctx, "")
	require.NoError(t, err)
	_, err = c2.CompleteESIALogin(ctx, e.url+gpmock.ESIACallbackPath+"?error=access_denied&state="+st.State)
	requireCode(t, err, gospubliki.CodeESIARefused)
	_, err = c2.StartESIALogin(ctx, "nonsense")
	requireCode(t, err, gospubliki.CodeInvalidRequest)
}

// TestESIAInvitedAndBinding: an invited user's first ESIA login confirms
// them («Подтвержден») and binds their person; a password account binds
// itself to ESIA and then logs in through it; a blocked user is refused.
func TestESIAInvitedAndBinding(t *testing.T) {
	e := newESIASandbox(t)
	ctx := context.Background()
	admin := e.client()
	_, err := admin.Login(ctx, e.creds.LKOAdmin.Phone, e.creds.LKOAdmin.Password)
	require.NoError(t, err)

	// Invited by e-mail; the person has the editorial group.
	const invitedOID, binderOID = 1000000901, 1000000902
	e.addPerson(invitedOID, "sidorova@minsvyaz29.example", world.DefaultMinistryOID, world.GroupCabinetEditorial)
	u, err := admin.InviteUser(ctx, gospubliki.InviteRequest{Phone: "+79005550001", Email: "Sidorova@minsvyaz29.example", Role: gospubliki.RoleEditor})
	require.NoError(t, err)
	require.Equal(t, gospubliki.UserInvited, u.Status)
	s, err := e.login(e.client(), gospubliki.CabinetEditorial, invitedOID, world.DefaultMinistryOID)
	require.NoError(t, err)
	require.Equal(t, u.ID, s.User.ID)
	require.Equal(t, gospubliki.UserConfirmed, s.User.Status)
	require.Equal(t, int64(invitedOID), s.User.PersonOID)
	got, err := admin.User(ctx, u.ID)
	require.NoError(t, err)
	require.Equal(t, gospubliki.UserConfirmed, got.Status)

	// The moderator (phone and password) binds their account to ESIA.
	e.addPerson(binderOID, "moderator.esia@minsvyaz29.example", world.DefaultMinistryOID, world.GroupCabinetEditorial)
	mod := e.client()
	ms, err := mod.Login(ctx, e.creds.Moderator.Phone, e.creds.Moderator.Password)
	require.NoError(t, err)
	require.Zero(t, ms.User.PersonOID)
	// Before binding, the person is no user of the cabinet.
	_, err = e.login(e.client(), gospubliki.CabinetEditorial, binderOID, world.DefaultMinistryOID)
	requireCode(t, err, gospubliki.CodeUserNotFound)
	st, err := mod.StartESIABinding(ctx)
	require.NoError(t, err)
	e.tenant.ESIA.EnqueueLogin(esiamock.Login{PersonOID: binderOID, OrgOID: world.DefaultMinistryOID})
	cbURL, err := gospubliki.FollowESIARedirects(e.hc)(ctx, st.URL)
	require.NoError(t, err)
	bs, err := mod.CompleteESIALogin(ctx, cbURL)
	require.NoError(t, err)
	require.Equal(t, ms.User.ID, bs.User.ID)
	require.Equal(t, int64(binderOID), bs.User.PersonOID)
	s, err = e.login(e.client(), gospubliki.CabinetEditorial, binderOID, world.DefaultMinistryOID)
	require.NoError(t, err)
	require.Equal(t, ms.User.ID, s.User.ID)

	// Another account cannot bind the same person.
	ed := e.client()
	_, err = ed.Login(ctx, e.creds.Editor.Phone, e.creds.Editor.Password)
	require.NoError(t, err)
	st, err = ed.StartESIABinding(ctx)
	require.NoError(t, err)
	e.tenant.ESIA.EnqueueLogin(esiamock.Login{PersonOID: binderOID, OrgOID: world.DefaultMinistryOID})
	cbURL, err = gospubliki.FollowESIARedirects(e.hc)(ctx, st.URL)
	require.NoError(t, err)
	_, err = ed.CompleteESIALogin(ctx, cbURL)
	requireCode(t, err, gospubliki.CodeConflict)

	// Blocked: the ESIA login is refused too.
	_, err = admin.BlockUser(ctx, u.ID)
	require.NoError(t, err)
	_, err = e.login(e.client(), gospubliki.CabinetEditorial, invitedOID, world.DefaultMinistryOID)
	requireCode(t, err, gospubliki.CodeUserBlocked)
}

// TestESIAInAnotherTenant: a binding started in a tenant runs against that
// tenant's ESIA system and comes back to the same tenant's cabinet.
func TestESIAInAnotherTenant(t *testing.T) {
	e := newESIASandbox(t)
	ctx := context.Background()
	other, err := e.sb.CreateTenant("other", nil)
	require.NoError(t, err)
	oc, ok := other.PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	require.True(t, ok)
	const person = 1000000903
	require.NoError(t, other.World.AddPerson(world.Person{OID: person, LastName: "Орлова", Email: "orlova@example.org", Trusted: true}))
	require.NoError(t, other.World.AddEmployee(world.Employee{OrgOID: world.DefaultMinistryOID, PersonOID: person, Active: true,
		Groups: []string{world.GroupCabinetEditorial}}))
	mod := e.client()
	_, err = mod.Login(ctx, oc.Moderator.Phone, oc.Moderator.Password)
	require.NoError(t, err)
	st, err := mod.StartESIABinding(ctx)
	require.NoError(t, err)
	other.ESIA.EnqueueLogin(esiamock.Login{PersonOID: person, OrgOID: world.DefaultMinistryOID})
	cbURL, err := gospubliki.FollowESIARedirects(e.hc)(ctx, st.URL)
	require.NoError(t, err)
	s, err := mod.CompleteESIALogin(ctx, cbURL)
	require.NoError(t, err)
	require.Equal(t, int64(person), s.User.PersonOID)
	require.Equal(t, oc.Moderator.Phone, s.User.Phone)
	// The default tenant knows nothing of it.
	require.Zero(t, e.tenant.ESIA.PendingLogins()+other.ESIA.PendingLogins())
	_, err = e.tenant.World.Person(person)
	require.Error(t, err)
}

// TestESIALoginInAnotherTenant: an ESIA login starts without a
// credential; the tenant header routes its start to that tenant's
// cabinet, which sends the person to that tenant's ESIA system, and the
// session belongs to that tenant's cabinet.
func TestESIALoginInAnotherTenant(t *testing.T) {
	e := newESIASandbox(t)
	ctx := context.Background()
	other, err := e.sb.CreateTenant("other", nil)
	require.NoError(t, err)
	const person = 1000000904
	require.NoError(t, other.World.AddPerson(world.Person{OID: person, LastName: "Орлова", Email: "orlova@example.org", Trusted: true}))
	require.NoError(t, other.World.AddEmployee(world.Employee{OrgOID: world.DefaultMinistryOID, PersonOID: person, Active: true,
		Groups: []string{world.GroupCabinetEditorial}}))
	// The person is invited in the other tenant's (editorial) cabinet only.
	oc, ok := other.PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	require.True(t, ok)
	admin := e.client()
	_, err = admin.Login(ctx, oc.LKOAdmin.Phone, oc.LKOAdmin.Password)
	require.NoError(t, err)
	invited, err := admin.InviteUser(ctx, gospubliki.InviteRequest{Phone: "+79995550404", Email: "orlova@example.org",
		Name: "Орлова", Role: gospubliki.RoleEditor})
	require.NoError(t, err)

	named := &http.Client{Transport: headerTransport{base: e.hc.Transport, tenant: "other"}}
	c, err := gospubliki.New(core.WithBaseURL(e.url), core.WithRetry(0, 0, 0), core.WithHTTPClient(named))
	require.NoError(t, err)
	other.ESIA.EnqueueLogin(esiamock.Login{PersonOID: person, OrgOID: world.DefaultMinistryOID})
	s, err := c.LoginESIA(ctx, gospubliki.CabinetEditorial, gospubliki.FollowESIARedirects(e.hc))
	require.NoError(t, err)
	require.Equal(t, invited.ID, s.User.ID)
	require.Equal(t, gospubliki.UserConfirmed, s.User.Status)
	require.Zero(t, other.ESIA.PendingLogins())

	// Without the header the start goes to the default tenant, whose ESIA
	// has no such login queued and whose cabinet does not know the person.
	_, err = e.tenant.World.Person(person)
	require.Error(t, err)
	// A header naming no tenant is refused, not served by the default.
	bad := &http.Client{Transport: headerTransport{base: e.hc.Transport, tenant: "nobody"}}
	cb, err := gospubliki.New(core.WithBaseURL(e.url), core.WithRetry(0, 0, 0), core.WithHTTPClient(bad))
	require.NoError(t, err)
	_, err = cb.StartESIALogin(ctx, gospubliki.CabinetInstitution)
	require.Error(t, err)
}

// headerTransport names a tenant on every request.
type headerTransport struct {
	base   http.RoundTripper
	tenant string
}

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Mock-Tenant", h.tenant)
	return h.base.RoundTrip(r)
}
