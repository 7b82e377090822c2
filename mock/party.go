package mock

import (
	"net/http"
	"slices"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// A party is one emulated service. Each party registers itself from its own
// file (telegram.go registers "telegram", esia.go "esia"), so adding a party
// touches no other file except, optionally, typed fields on Tenant and
// Credentials.
//
// The registry is written only by init functions of this package and read
// afterwards, so it holds no run-time mutable state.
type partyDef struct {
	// name is the party name used in URLs, the journal and manifests.
	name string
	// order sorts parties in manifests (lower first).
	order int
	// sections, when set, returns fresh sections of the world the party
	// owns; the sandbox registers them on each tenant's world before
	// seeding it, so that scenarios can carry their content.
	sections func() []world.Section
	// extendDefault, when set, adds the party's shared entities (its
	// pages) and its section's content to the default scenario.
	extendDefault func(sc *world.Scenario)
	// start builds the party's emulator for one tenant. It runs once the
	// tenant's World is set; sb.URL(name) is already known.
	start func(sb *Sandbox, t *Tenant) (*partyRuntime, error)
	// prepare, when set, makes the party's credentials in a scenario
	// unique to a tenant other than the default one (so the credential
	// index maps each of them to one tenant).
	// It replaces the party's sections in sc.Sections and changes nothing
	// else in place: sc shares the rest with the cached default scenario.
	prepare func(sc *world.Scenario, tenant string)
	// scenarioCredentials, when set, lists the party's credentials held in
	// a scenario, so the sandbox refuses a scenario holding another
	// tenant's before it changes a world.
	scenarioCredentials func(sc world.Scenario) []string
}

// partyRuntime is a party started for one tenant.
type partyRuntime struct {
	// handler serves the party's requests once the pipeline has resolved
	// the tenant.
	handler emu.Handler
	// adapter tells the pipeline how to read the party's requests and
	// render its errors.
	adapter emu.Adapter
	// credentials returns the tenant's credentials for the party
	// (JSON-encodable) for manifests such as gosmock's first line; nil
	// when the tenant has none, so the party is left out.
	credentials func() any
	// worldCredentials, when set, lists the party's credentials held in
	// the world (bot tokens), kept in the credential index;
	// credentialsVersion changes whenever that list may have changed.
	worldCredentials   func() []string
	credentialsVersion func() uint64
	// control, when set, returns the handler mounted at /_mock/<party>/ on
	// the control listener for the caller's tenant (built on first use).
	control func() http.Handler
	// close stops background work (may be nil).
	close func() error
}

var parties []partyDef

// registerParty adds a party; call it only from an init function.
func registerParty(d partyDef) {
	parties = append(parties, d)
	slices.SortStableFunc(parties, func(a, b partyDef) int { return a.order - b.order })
}

// PartyNames returns the names of the parties a sandbox starts, in order.
func PartyNames() []string {
	out := make([]string, len(parties))
	for i, p := range parties {
		out[i] = p.name
	}
	return out
}
