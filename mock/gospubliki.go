package mock

import (
	"fmt"

	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func init() {
	registerParty(partyDef{name: gpmock.PartyName, order: 70, start: startGospubliki, prepare: prepareGospubliki,
		sections:            func() []world.Section { return []world.Section{gpmock.NewSection()} },
		extendDefault:       extendDefaultGospubliki,
		scenarioCredentials: gospublikiScenarioCredentials})
}

// GospublikiLogin is one published cabinet login.
type GospublikiLogin struct {
	Phone    string `json:"phone"`
	Password string `json:"password"`
}

// GospublikiCredentials are the Gospubliki cabinet's sandbox credentials:
// its base URL (the client's core.WithBaseURL) and a login of each role.
type GospublikiCredentials struct {
	URL       string          `json:"url"`
	LKOAdmin  GospublikiLogin `json:"lko_admin"`
	Editor    GospublikiLogin `json:"editor"`
	Moderator GospublikiLogin `json:"moderator"`
}

func gospublikiCredentials(url string, sec *gpmock.Section) (GospublikiCredentials, bool) {
	c := GospublikiCredentials{URL: url}
	var any bool
	for _, r := range []struct {
		role string
		l    *GospublikiLogin
	}{{gpmock.RoleLKOAdmin, &c.LKOAdmin}, {gpmock.RoleEditor, &c.Editor}, {gpmock.RoleModerator, &c.Moderator}} {
		if p, pw, ok := sec.SeededLogin(r.role); ok {
			*r.l = GospublikiLogin{Phone: p, Password: pw}
			any = true
		}
	}
	return c, any
}

func startGospubliki(sb *Sandbox, t *Tenant) (*partyRuntime, error) {
	srv := gpmock.New(gpmock.WithWorld(t.World),
		gpmock.WithIssueHook(func(tok string) error { return sb.index.Bind(gpmock.PartyName, tok, t.Name) }))
	url := sb.URL(gpmock.PartyName)
	t.Gospubliki = srv
	return &partyRuntime{
		handler: srv,
		adapter: srv.Adapter(),
		credentials: func() any {
			if c, ok := gospublikiCredentials(url, srv.Section); ok {
				return c
			}
			return nil
		},
		worldCredentials:   srv.Credentials,
		credentialsVersion: srv.CredentialsVersion,
	}, nil
}

func extendDefaultGospubliki(sc *world.Scenario) {
	if _, ok := sc.Sections[gpmock.SectionName]; !ok {
		_ = gpmock.PutState(sc, gpmock.DefaultState())
	}
}

// prepareGospubliki gives a tenant's users phones and passwords of their
// own (the phone is the credential a login carries, so it names the
// tenant).
func prepareGospubliki(sc *world.Scenario, tenant string) {
	st, err := gpmock.StateOf(*sc)
	if err != nil || len(st.Users) == 0 {
		return
	}
	seed := tenantSeed(tenant)
	for i := range st.Users {
		st.Users[i].Phone = fmt.Sprintf("+7%010d", (seed+int64(i)*7919)%10_000_000_000)
		if st.Users[i].Password != "" {
			st.Users[i].Password = gpmock.SandboxPassword(st.Users[i].Role, seed+int64(i))
		}
	}
	_ = gpmock.PutState(sc, st)
}

func gospublikiScenarioCredentials(sc world.Scenario) []string {
	st, err := gpmock.StateOf(sc)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(st.Users))
	for _, u := range st.Users {
		out = append(out, u.Phone)
	}
	return out
}
