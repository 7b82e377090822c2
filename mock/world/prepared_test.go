package world_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/world"
)

// TestPreparedScenarioSeedsWorlds: a prepared scenario seeds worlds equal
// to those seeded with the scenario itself; a replaced section is still
// validated (and refused with its path); an invalid scenario is refused
// when prepared; a world with other sections validates the whole scenario;
// Reset restores the prepared seed.
func TestPreparedScenarioSeedsWorlds(t *testing.T) {
	sc := world.DefaultScenario()
	sc.Sections = map[string]json.RawMessage{"notes": json.RawMessage(`{"pages":[1]}`)}
	p, err := world.Prepare(sc, &pnotes{})
	require.NoError(t, err)

	plain, err := world.New(world.WithSections(&pnotes{}), world.WithScenario(sc))
	require.NoError(t, err)
	sec := &pnotes{}
	w, err := world.New(world.WithSections(sec), world.WithPreparedScenario(p, nil))
	require.NoError(t, err)
	assert.Equal(t, plain.Export(), w.Export())
	assert.Equal(t, 0, sec.validated, "nothing validated again")
	assert.Equal(t, 1, sec.imported)

	sec = &pnotes{}
	w, err = world.New(world.WithSections(sec), world.WithPreparedScenario(p, map[string]json.RawMessage{"notes": json.RawMessage(`{"pages":[2]}`)}))
	require.NoError(t, err)
	assert.Equal(t, 1, sec.validated, "the replaced section is validated")
	assert.JSONEq(t, `{"pages":[2]}`, string(w.Export().Sections["notes"]))
	require.NoError(t, w.AddPerson(world.Person{OID: 555, LastName: "Новый", FirstName: "Человек"}))
	w.Reset()
	_, err = w.Person(555)
	require.Error(t, err, "Reset restores the prepared seed")
	assert.JSONEq(t, `{"pages":[2]}`, string(w.Export().Sections["notes"]))

	_, err = world.New(world.WithSections(&pnotes{}), world.WithPreparedScenario(p, map[string]json.RawMessage{"notes": json.RawMessage(`{"pages":[-1]}`)}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "notes.pages[0]")

	bad := world.DefaultScenario()
	bad.Pages[0].Admins = append(bad.Pages[0].Admins, world.PageAdmin{PersonOID: 999999})
	_, err = world.Prepare(bad)
	require.Error(t, err)
	var fe *world.FieldError
	require.ErrorAs(t, err, &fe)

	// Another section type: the whole scenario is validated.
	other := &otherPNotes{}
	_, err = world.New(world.WithSections(other), world.WithPreparedScenario(p, nil))
	require.NoError(t, err)
	assert.Equal(t, 1, other.validated)

	// WithScenario after it wins.
	w, err = world.New(world.WithSections(&pnotes{}), world.WithPreparedScenario(p, nil), world.WithEmptyScenario(), world.WithScenario(world.Scenario{}))
	require.NoError(t, err)
	assert.Empty(t, w.Export().People)
}

// pnotes is a test section: a list of positive page numbers.
type pnotes struct {
	validated, imported int
	pages               []int
}

func (n *pnotes) Name() string                             { return "notes" }
func (n *pnotes) Default() json.RawMessage                 { return nil }
func (n *pnotes) Seed(json.RawMessage, world.Lookup) error { return nil }
func (n *pnotes) Validate(raw json.RawMessage, _ world.Lookup) error {
	n.validated++
	var v struct{ Pages []int }
	if len(raw) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	for i, p := range v.Pages {
		if p <= 0 {
			return world.Fieldf(world.ErrInvalid, world.Index("pages", i), "not positive")
		}
	}
	return nil
}
func (n *pnotes) Import(raw json.RawMessage) error {
	n.imported++
	n.pages = nil
	if len(raw) == 0 {
		return nil
	}
	var v struct{ Pages []int }
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	n.pages = v.Pages
	return nil
}
func (n *pnotes) Export(bool) (json.RawMessage, error) {
	if n.pages == nil {
		return nil, nil
	}
	return json.Marshal(struct {
		Pages []int `json:"pages"`
	}{n.pages})
}

// otherPNotes is the same section under another type.
type otherPNotes struct{ pnotes }
