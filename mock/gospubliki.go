package mock

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/pos"
	"github.com/gospubliki/gosdk/telegram"
)

func init() {
	registerParty(partyDef{name: gpmock.PartyName, order: 70, start: startGospubliki, prepare: prepareGospubliki,
		sections:            func() []world.Section { return []world.Section{gpmock.NewSection()} },
		extendDefault:       extendDefaultGospubliki,
		scenarioCredentials: gospublikiScenarioCredentials})
}

// WithGospublikiOptions passes options to [gpmock.New] after the
// sandbox's own (a network clock, a shared ledger).
func WithGospublikiOptions(opts ...gpmock.Option) Option {
	return func(c *config) error { c.gpOpts = append(c.gpOpts, opts...); return nil }
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

// startGospubliki starts the cabinet after the networks' emulators: it
// publishes into them through the sandbox's fail-closed client, carrying
// the tenant, and encrypts page credentials under the sandbox-only key
// (gpmock.SandboxCredentialKey). A network whose emulator is not running
// is unavailable to the cabinet: its pages are refused with an error that
// says so.
func startGospubliki(sb *Sandbox, t *Tenant) (*partyRuntime, error) {
	nets := gpmock.Networks{HTTPClient: sb.HTTPClient(), Tenant: t.Name, POS: gospublikiPOS(sb, t)}
	if t.VK != nil {
		nets.VKURL = t.VK.URL
	} else {
		nets.Unavailable = append(nets.Unavailable, gpmock.NetworkVK)
	}
	if t.OK != nil {
		nets.OKURL = t.OK.URL
	} else {
		nets.Unavailable = append(nets.Unavailable, gpmock.NetworkOK)
	}
	if t.Telegram != nil {
		nets.TelegramURL = t.Telegram.URL
	} else {
		nets.Unavailable = append(nets.Unavailable, gpmock.NetworkTelegram)
	}
	url := sb.URL(gpmock.PartyName)
	opts := []gpmock.Option{gpmock.WithWorld(t.World), gpmock.WithCredentialKey(gpmock.SandboxCredentialKey()),
		gpmock.WithNetworks(nets), gpmock.WithPublicURL(url), gpmock.WithWebhookTenant(t.Name),
		gpmock.WithIssueHook(func(tok string) error { return sb.index.Bind(gpmock.PartyName, tok, t.Name) })}
	if t.ESIA != nil {
		// The cabinet is an ESIA client system: the tenant's default
		// system, calling back to the cabinet.
		ec, err := esiaSystemClient(sb, t, esia.Config{RedirectURL: url + gpmock.ESIACallbackPath,
			Scopes:    gpmock.ESIAScopes(),
			OrgScopes: gpmock.ESIAOrgScopes()})
		if err != nil {
			return nil, fmt.Errorf("gospubliki: ESIA client: %w", err)
		}
		opts = append(opts, gpmock.WithESIA(ec))
	}
	if name := sb.cfg.gpNotifyBot; name != "" {
		bot, err := gospublikiNotifyBot(sb, t, name)
		if err != nil {
			return nil, err
		}
		opts = append(opts, gpmock.WithTelegram(bot))
	}
	if t.POS != nil {
		opts = append(opts, gpmock.WithPOSAppeals(posAppealLink{t.POS.Server}))
	}
	if sb.cfg.gpStorage != nil {
		more, err := sb.cfg.gpStorage(t.Name)
		if err != nil {
			return nil, fmt.Errorf("gospubliki storage of tenant %q: %w", t.Name, err)
		}
		opts = append(opts, more...)
	}
	srv, err := gpmock.Open(append(opts, sb.cfg.gpOpts...)...)
	if err != nil {
		_ = srv.Close()
		return nil, fmt.Errorf("gospubliki storage of tenant %q: %w", t.Name, err)
	}
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
		close:              srv.Close,
	}, nil
}

// gospublikiPOS prepares the POS audit of a page from the tenant's POS
// emulator (its export table, the world's organisations) and world (the
// page's address); nil when POS is not running.
func gospublikiPOS(sb *Sandbox, t *Tenant) func(ctx context.Context, network string, groupID, orgOID int64) (*pos.Auditor, pos.AuditPage, error) {
	if t.POS == nil {
		return nil
	}
	return func(ctx context.Context, network string, groupID, orgOID int64) (*pos.Auditor, pos.AuditPage, error) {
		org, err := t.World.Organization(orgOID)
		if err != nil {
			return nil, pos.AuditPage{}, err
		}
		var buf bytes.Buffer
		if err := t.POS.ExportCSV(&buf, posmock.ExportHeader{}); err != nil {
			return nil, pos.AuditPage{}, err
		}
		ex, err := pos.LoadExport(&buf, pos.Columns{})
		if err != nil {
			return nil, pos.AuditPage{}, err
		}
		agency := map[string]string{}
		for _, o := range t.World.Organizations() {
			agency[o.OGRN] = o.AgencyType
		}
		for i := range ex.Orgs {
			ex.Orgs[i].Agency = esia.AgencyType(agency[ex.Orgs[i].OGRN])
		}
		// The links name the real POS; the audit follows them to the
		// emulator.
		forms := pos.Forms{}
		dir, err := ex.Directory(forms)
		if err != nil {
			return nil, pos.AuditPage{}, err
		}
		page := pos.AuditPage{Network: network, ID: groupID, OGRN: org.OGRN}
		wid := groupID
		if network == pos.NetworkVK {
			wid = -groupID
		}
		p, perr := t.World.Page(network, wid)
		if perr != nil && network == pos.NetworkVK {
			p, perr = t.World.Page(network, groupID)
		}
		switch {
		case network == pos.NetworkVK && perr == nil && p.Username != "":
			page.URL = "https://vk.com/" + p.Username
		case network == pos.NetworkVK:
			page.URL = fmt.Sprintf("https://vk.com/club%d", groupID)
		default:
			page.URL = fmt.Sprintf("https://ok.ru/group/%d", groupID)
		}
		return &pos.Auditor{Directory: dir, Forms: forms, FetchBaseURL: t.POS.URL, HTTPClient: sb.HTTPClient()}, page, nil
	}
}

// WithGospublikiNotifyBot makes the cabinet send its Telegram
// notifications through the tenant's Telegram bot @username (a bot of the
// Telegram section, with its token in each tenant) to the Telegram
// emulator, with the telegram client; without it they are only recorded
// in the outbox. It needs the telegram party.
func WithGospublikiNotifyBot(username string) Option {
	return func(c *config) error { c.gpNotifyBot = strings.TrimPrefix(username, "@"); return nil }
}

func gospublikiNotifyBot(sb *Sandbox, t *Tenant, username string) (*telegram.Client, error) {
	if t.Telegram == nil {
		return nil, fmt.Errorf("gospubliki: notification bot @%s: the telegram party is not running", username)
	}
	for _, b := range t.Telegram.Section().Bots() {
		if strings.EqualFold(b.Username, username) {
			// The client's limits run on the system clock: a frozen
			// sandbox clock must not hold notifications back.
			return telegram.New(b.Token, core.WithBaseURL(t.Telegram.URL), core.WithHTTPClient(sb.HTTPClient()))
		}
	}
	return nil, fmt.Errorf("gospubliki: notification bot @%s: no such bot in the Telegram section", username)
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

// posAppealLink is POS's internal link to its appeal store, which the
// cabinet (a component of POS) reads and answers its organisation's
// appeals through: the tenant's POS emulator's own store, the same one
// the appeal form and the appeals API write. It is not the appeals API
// for external systems (that API has no list or answer method).
type posAppealLink struct{ pos *posmock.Server }

// Appeals implements gpmock.POSAppeals.
func (l posAppealLink) Appeals(_ context.Context, orgOID, after int64) ([]gpmock.POSAppeal, error) {
	as := l.pos.AppealsOfOrganization(orgOID, after)
	out := make([]gpmock.POSAppeal, 0, len(as))
	for _, a := range as {
		out = append(out, gpmock.POSAppeal{ID: a.ID, Text: a.Description, At: a.CreatedAt,
			Author: strings.TrimSpace(a.Applicant.Surname + " " + a.Applicant.Name + " " + a.Applicant.Patronymic)})
	}
	return out, nil
}

// Answer implements gpmock.POSAppeals: the answer goes through the POS
// emulator's status machine and reaches the applicant through the world
// outbox.
func (l posAppealLink) Answer(_ context.Context, orgOID, id int64, text, by string) error {
	var emp posmock.Employee
	if by != "" {
		emp = posmock.Employee{Surname: by, Position: "Госпаблики"}
	}
	_, err := l.pos.Answer(orgOID, id, text, emp)
	return err
}
