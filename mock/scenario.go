package mock

import (
	"encoding/json"

	"github.com/gospubliki/gosdk/mock/world"
)

// DefaultScenario returns the scenario a sandbox starts with: the shared
// entities of [world.DefaultScenario] and the default of every section the
// registered parties own (the Telegram section's bots and rights, ...).
// cmd/gosmock/scenarios/default.json is this scenario.
func DefaultScenario() world.Scenario {
	sc := world.DefaultScenario()
	for _, d := range parties {
		if d.sections == nil {
			continue
		}
		for _, s := range d.sections() {
			if raw := s.Default(); len(raw) > 0 {
				if sc.Sections == nil {
					sc.Sections = map[string]json.RawMessage{}
				}
				sc.Sections[s.Name()] = raw
			}
		}
	}
	// The parties extend the defaults (a party may add to its section).
	for _, d := range parties {
		if d.extendDefault != nil {
			d.extendDefault(&sc)
		}
	}
	return sc
}
