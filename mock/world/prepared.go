package world

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
)

// Prepared is a scenario validated once, to seed many worlds without
// validating it again: a sandbox seeds every tenant with the same default
// scenario, only some sections differing per tenant. It holds its own copy
// of the scenario, which nothing changes; it is safe for concurrent use.
type Prepared struct {
	sc       Scenario
	shared   *World                  // the shared entities, for sections to look up
	sections map[string]reflect.Type // the section types it was validated with
}

// Prepare validates sc as a world with the given sections validates a
// scenario on import (the shared entities, then each section's content)
// and returns it prepared for [WithPreparedScenario].
func Prepare(sc Scenario, sections ...Section) (*Prepared, error) {
	shared, err := sc.validateShared()
	if err != nil {
		return nil, err
	}
	if err := checkSectionNames(sc, sections); err != nil {
		return nil, err
	}
	types := make(map[string]reflect.Type, len(sections))
	for _, s := range sections {
		if err := InField(s.Name(), s.Validate(sc.Sections[s.Name()], shared)); err != nil {
			return nil, err
		}
		types[s.Name()] = reflect.TypeOf(s)
	}
	return &Prepared{sc: sc.clone(), shared: shared, sections: types}, nil
}

// Scenario returns a copy of the prepared scenario.
func (p *Prepared) Scenario() Scenario { return p.sc.clone() }

// WithPreparedScenario seeds the world with p, except the sections given
// in sections, which replace p's and are validated on import against p's
// shared entities (a tenant's own credentials). The world's sections must
// be of the types p was prepared with, configured alike (a sandbox's
// parties make them the same way for every world); a world with other
// sections validates the whole scenario as [WithScenario] does.
func WithPreparedScenario(p *Prepared, sections map[string]json.RawMessage) Option {
	return func(c *config) {
		sc := p.sc // the world's import copies it
		if len(sections) > 0 {
			sc.Sections = maps.Clone(sc.Sections)
			if sc.Sections == nil {
				sc.Sections = map[string]json.RawMessage{}
			}
			maps.Copy(sc.Sections, sections)
		}
		c.scenario = &sc
		c.prepared = &preparedSeed{p: p, changed: slices.Collect(maps.Keys(sections))}
	}
}

// preparedSeed is what WithPreparedScenario gave the world's config.
type preparedSeed struct {
	p       *Prepared
	changed []string // sections to validate
}

// importPrepared imports sc, built by WithPreparedScenario from ps,
// validating only its changed sections when the world's sections are
// those ps was prepared with (the whole scenario otherwise).
func (w *World) importPrepared(sc Scenario, ps *preparedSeed) error {
	secs := w.registered()
	same := len(secs) == len(ps.p.sections)
	for _, s := range secs {
		if t, ok := ps.p.sections[s.Name()]; !ok || t != reflect.TypeOf(s) {
			same = false
		}
	}
	if !same {
		return w.Import(sc)
	}
	if err := checkSectionNames(sc, secs); err != nil {
		return err
	}
	for _, s := range secs {
		if slices.Contains(ps.changed, s.Name()) {
			if err := InField(s.Name(), s.Validate(sc.Sections[s.Name()], ps.p.shared)); err != nil {
				return err
			}
		}
	}
	return w.load(sc, secs)
}
