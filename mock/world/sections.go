package world

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Lookup is the read-only view of the shared entities a [Section]
// validates against: the [World] itself, or the shared part of a scenario
// being imported. Each method fails with [ErrNotFound] for an unknown id.
type Lookup interface {
	Person(oid int64) (Person, error)
	Organization(oid int64) (Organization, error)
	Page(network string, id int64) (Page, error)
}

// Section is a party's own part of a world: what only that party knows
// (Telegram's bots and admin rights, ...). The party registers it on the
// world ([WithSections] or [World.Register]); the world then carries it
// through scenarios, where it is the top-level key [Section.Name], and
// through [World.Import], [World.Export], [World.Seed] and
// [World.Reset] (which imports the section's seeded content again).
//
// Content travels as raw JSON; a nil or empty message means an empty
// section. A section is safe for concurrent use.
type Section interface {
	// Name is the section's key in a scenario ("telegram"): lower case
	// letters, digits and "_", unique in a world.
	Name() string
	// Default returns the section's part of the default scenario, which
	// refers to the entities of [DefaultScenario] (nil: empty).
	Default() json.RawMessage
	// Validate checks content on its own and against the shared
	// entities. Its errors are [*FieldError] values whose paths are
	// relative to the section ("bots[0].token"); the world prefixes the
	// section name.
	Validate(raw json.RawMessage, shared Lookup) error
	// Import replaces the section's state with content Validate accepted.
	Import(raw json.RawMessage) error
	// Seed adds content to the section's state: the result must validate
	// against shared as a whole, and an entry that is already there is
	// refused with [ErrDuplicate]. On error nothing changes.
	Seed(raw json.RawMessage, shared Lookup) error
	// Export returns the section's state (nil when empty); with secrets
	// false it leaves out every credential.
	Export(secrets bool) (json.RawMessage, error)
}

var sectionNameRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// sharedKeys are the scenario's own top-level keys, which no section may
// take.
var sharedKeys = []string{"version", "people", "organizations", "employees", "pages"}

func (w *World) addSection(s Section) error {
	name := s.Name()
	if !sectionNameRe.MatchString(name) || slices.Contains(sharedKeys, name) {
		return fmt.Errorf("%w: section name %q", ErrInvalid, name)
	}
	w.secMu.Lock()
	defer w.secMu.Unlock()
	for _, o := range w.sections {
		if o.Name() == name {
			return fmt.Errorf("%w: section %q is already registered", ErrDuplicate, name)
		}
	}
	w.sections = append(w.sections, s)
	return nil
}

// Register adds a party's section to a running world. When the world was
// seeded with the default scenario, the section imports its own default
// (which becomes part of what [World.Reset] restores); otherwise it starts
// empty. Parties known before the world is created should rather be given
// to [New] with [WithSections], so that scenarios can carry their content.
func (w *World) Register(s Section) error {
	var raw json.RawMessage
	w.mu.RLock()
	def := w.seedDefault
	w.mu.RUnlock()
	if def {
		raw = s.Default()
		if err := InField(s.Name(), s.Validate(raw, w)); err != nil {
			return err
		}
	}
	if err := w.addSection(s); err != nil {
		return err
	}
	if err := s.Import(raw); err != nil {
		return InField(s.Name(), err)
	}
	if len(raw) > 0 {
		w.mu.Lock()
		if w.seed.Sections == nil {
			w.seed.Sections = map[string]json.RawMessage{}
		}
		w.seed.Sections[s.Name()] = raw
		w.mu.Unlock()
	}
	return nil
}

// Section returns the registered section with a name (nil when none).
func (w *World) Section(name string) Section {
	w.secMu.RLock()
	defer w.secMu.RUnlock()
	for _, s := range w.sections {
		if s.Name() == name {
			return s
		}
	}
	return nil
}

// SectionNames returns the names of the registered sections, in
// registration order.
func (w *World) SectionNames() []string {
	secs := w.registered()
	out := make([]string, len(secs))
	for i, s := range secs {
		out[i] = s.Name()
	}
	return out
}

func (w *World) registered() []Section {
	w.secMu.RLock()
	defer w.secMu.RUnlock()
	return slices.Clone(w.sections)
}

// checkSectionNames refuses a section of sc that no party registered.
func checkSectionNames(sc Scenario, secs []Section) error {
	known := make([]string, len(secs))
	for i, s := range secs {
		known[i] = s.Name()
	}
	for _, name := range slices.Sorted(maps.Keys(sc.Sections)) {
		if !slices.Contains(known, name) {
			list := "none"
			if len(known) > 0 {
				list = strings.Join(known, ", ")
			}
			return Fieldf(ErrInvalid, name, "no party of this world owns a section %q (sections: %s)", name, list)
		}
	}
	return nil
}

var _ Lookup = (*World)(nil)

// SectionOf returns w's section with a name as a T, registering one made by
// newSection when w has none. When the registration fails and no section of
// that name appeared meanwhile, it returns the new, unregistered section
// together with the registration error.
func SectionOf[T Section](w *World, name string, newSection func() T) (T, error) {
	if s, ok := w.Section(name).(T); ok {
		return s, nil
	}
	s := newSection()
	if err := w.Register(s); err != nil {
		if got, ok := w.Section(name).(T); ok {
			return got, nil // registered concurrently
		}
		return s, err
	}
	return s, nil
}

// DecodeSection decodes a section's raw JSON strictly into a T: unknown
// fields and trailing data are refused with [ErrInvalid]; empty input and
// JSON null decode to T's zero value.
func DecodeSection[T any](raw json.RawMessage) (T, error) {
	var v, zero T
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return v, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		if fe := DecodeError(raw, err); fe != err {
			return zero, fe
		}
		return zero, Fieldf(ErrInvalid, "", "%v", err)
	}
	if dec.More() {
		return zero, Fieldf(ErrInvalid, "", "trailing data")
	}
	return v, nil
}
