package world_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/world"
)

func TestSectionOfRegistersOnceAndReturnsTheRegistered(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	made := 0
	newNotes := func() *notes { made++; return &notes{} }

	first, err := world.SectionOf(w, "notes", newNotes)
	require.NoError(t, err)
	assert.Same(t, world.Section(first), w.Section("notes"), "the new section is registered")
	assert.Len(t, first.items, 1, "registration seeds the default in a default world")

	again, err := world.SectionOf(w, "notes", newNotes)
	require.NoError(t, err)
	assert.Same(t, first, again, "a registered section is returned as it is")
	assert.Equal(t, 1, made, "no second section is made")
}

func TestSectionOfReportsAFailedRegistration(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	// "people" is a shared key, so a section of that name cannot register.
	s, err := world.SectionOf(w, "people", func() named { return named{"people"} })
	assert.ErrorIs(t, err, world.ErrInvalid)
	assert.Equal(t, "people", s.Name(), "the new, unregistered section is still returned")
	assert.Nil(t, w.Section("people"))

	// A section of another type under the name is not mistaken for a T.
	require.NoError(t, w.Register(named{"notes"}))
	n, err := world.SectionOf(w, "notes", func() *notes { return &notes{} })
	assert.ErrorIs(t, err, world.ErrDuplicate)
	assert.NotNil(t, n)
	assert.Equal(t, world.Section(named{"notes"}), w.Section("notes"))
}
