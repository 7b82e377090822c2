package gospubliki_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/gpmock"
)

const password = "correct horse battery"

// cabinetUsers are the seeded users of one cabinet.
type cabinetUsers struct {
	cabinet                  gpmock.Cabinet
	admin, editor, moderator gpmock.User
}

type fixture struct {
	t     *testing.T
	clock *coretest.Clock
	srv   *gpmock.Server
	url   string
	a, b  cabinetUsers
	// sessions are the tokens of earlier logins, by user id (see client).
	sessions map[int64]string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := coretest.NewClock(coretest.Epoch)
	// No network is reachable: page checks and publishing answer so,
	// without leaving the machine.
	srv, err := gpmock.Open(append([]gpmock.Option{gpmock.WithWorld(fixtureWorld(t)), gpmock.WithClock(clk),
		gpmock.WithNetworks(gpmock.Networks{Unavailable: []string{gpmock.NetworkVK, gpmock.NetworkOK, gpmock.NetworkTelegram}}),
		gpmock.WithESIA(offlineESIA(t))},
		storageOptions(t)...)...)
	require.NoError(t, err)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	t.Cleanup(func() { _ = srv.Close() })
	f := &fixture{t: t, clock: clk, srv: srv, url: hs.URL}
	f.a = f.seed(1000001, "+79990000001")
	f.b = f.seed(2000002, "+79990000002")
	return f
}

func (f *fixture) seed(oid int64, phonePrefix string) cabinetUsers {
	cb, err := f.srv.AddCabinet(gpmock.KindInstitution, oid, fmt.Sprint("Организация ", oid))
	require.NoError(f.t, err)
	cu := cabinetUsers{cabinet: cb}
	for i, p := range []struct {
		role string
		u    *gpmock.User
	}{{gpmock.RoleLKOAdmin, &cu.admin}, {gpmock.RoleEditor, &cu.editor}, {gpmock.RoleModerator, &cu.moderator}} {
		u, err := f.srv.AddUser(cb.ID, gpmock.User{Phone: phonePrefix + string(rune('0'+i)), Email: fmt.Sprintf("%s@%d.example", p.role, oid),
			Name: p.role, Role: p.role}, password)
		require.NoError(f.t, err)
		*p.u = u
	}
	return cu
}

// offlineESIA is an ESIA client of the emulator's default system whose
// ESIA is never reached: enough to start logins and bindings.
func offlineESIA(t *testing.T) *esia.Client {
	t.Helper()
	cc, err := esiamock.DefaultClientCredentials()
	require.NoError(t, err)
	key, err := gost.ParsePrivateKeyPEM(cc.KeyPEM)
	require.NoError(t, err)
	cert, err := gost.ParseCertificatePEM(cc.CertificatePEM)
	require.NoError(t, err)
	signer, err := esia.NewGOSTSigner(key, cert)
	require.NoError(t, err)
	c, err := esia.New(esia.Config{BaseURL: "http://127.0.0.1:9", ClientID: cc.ClientID, RedirectURL: "http://127.0.0.1:9" + gpmock.ESIACallbackPath,
		Signer: signer, Scopes: gpmock.ESIAScopes(), OrgScopes: gpmock.ESIAOrgScopes()})
	require.NoError(t, err)
	return c
}

// client returns a client logged in as u.
//
// A password login costs a bcrypt comparison (slow by design, and much
// slower under the race detector), so the session of an earlier login is
// reused while GET /me still accepts it; a session a test ended (logout,
// blocking, a password reset, a clock jump) is replaced by a new login.
func (f *fixture) client(u gpmock.User) *gospubliki.Client {
	f.t.Helper()
	if tok, ok := f.sessions[u.ID]; ok {
		c := f.anon(gospubliki.WithToken(tok))
		if me, err := c.Me(context.Background()); err == nil && me.ID == u.ID {
			return c
		}
	}
	c := f.anon()
	s, err := c.Login(context.Background(), u.Phone, password)
	require.NoError(f.t, err)
	if f.sessions == nil {
		f.sessions = map[int64]string{}
	}
	f.sessions[u.ID] = s.Token
	return c
}

func (f *fixture) anon(opts ...core.Option) *gospubliki.Client {
	f.t.Helper()
	c, err := gospubliki.New(append([]core.Option{core.WithBaseURL(f.url), core.WithRetry(0, 0, 0)}, opts...)...)
	require.NoError(f.t, err)
	return c
}

// requireCode asserts err is an *gospubliki.Error with code.
func requireCode(t *testing.T, err error, code string) *gospubliki.Error {
	t.Helper()
	var e *gospubliki.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, code, e.Code, "%v", err)
	require.Equal(t, code, core.ErrorCode(err))
	return e
}

// specOp is one operation of openapi.yaml.
type specOp struct {
	method, path, id string
	roles            []string
}

var (
	rePath   = regexp.MustCompile(`^  (/\S+):$`)
	reMethod = regexp.MustCompile(`^    (get|post|put|patch|delete):$`)
	reOpID   = regexp.MustCompile(`^      operationId: (\w+)$`)
	reRoles  = regexp.MustCompile(`^      x-roles: \[(.*)\]$`)
)

// parseSpec reads the operations of the paths section of the spec (the
// file's own indentation: two spaces per level).
func parseSpec(t *testing.T) []specOp {
	t.Helper()
	var ops []specOp
	var path string
	inPaths := false
	sc := bufio.NewScanner(bytes.NewReader(gospubliki.OpenAPI))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "paths:":
			inPaths = true
		case len(line) > 0 && line[0] != ' ':
			inPaths = false
		case !inPaths:
		case rePath.MatchString(line):
			path = rePath.FindStringSubmatch(line)[1]
		case reMethod.MatchString(line):
			ops = append(ops, specOp{method: strings.ToUpper(reMethod.FindStringSubmatch(line)[1]), path: path})
		case reOpID.MatchString(line):
			ops[len(ops)-1].id = reOpID.FindStringSubmatch(line)[1]
		case reRoles.MatchString(line):
			for r := range strings.SplitSeq(reRoles.FindStringSubmatch(line)[1], ",") {
				ops[len(ops)-1].roles = append(ops[len(ops)-1].roles, strings.TrimSpace(r))
			}
		}
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, ops)
	for _, o := range ops {
		require.NotEmpty(t, o.id, "%s %s has no operationId", o.method, o.path)
	}
	return ops
}
