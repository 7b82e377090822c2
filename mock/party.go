package mock

import (
	"net/http"
	"slices"

	"github.com/gospubliki/gosdk/mock/world"
)

// A party is one emulated service. Each party registers itself from its own
// file (telegram.go registers "telegram"; an ESIA emulator adds esia.go with
// its own registerParty call), so adding a party touches no other file
// except, optionally, typed fields on Sandbox and Credentials.
//
// The registry is written only by init functions of this package and read
// afterwards, so it holds no run-time mutable state.
type partyDef struct {
	// name is the party name used in URLs, the journal and manifests.
	name string
	// order sorts parties in manifests (lower first).
	order int
	// sections, when set, returns fresh sections of the world the party
	// owns; the sandbox registers them before seeding the world, so that
	// scenarios can carry their content.
	sections func() []world.Section
	// start builds the party's runtime for a sandbox whose World is set. It
	// runs before the listeners start; sb.URL(name) is already known.
	start func(sb *Sandbox) (*partyRuntime, error)
}

// partyRuntime is a started party.
type partyRuntime struct {
	// handler serves the party's real URL space.
	handler http.Handler
	// credentials returns the party's sandbox credentials (JSON-encodable)
	// for manifests such as gosmock's first line; nil when none.
	credentials func() any
	// control, when set, is mounted at /_mock/<party>/ on the control
	// listener.
	control http.Handler
	// resetTenant, when set, drops the party's runtime state of one tenant.
	resetTenant func(tenant string)
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
