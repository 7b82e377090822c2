package posmock_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// An appeal's history has the reference shape: the steps the cabinet
// takes name its employee (createdBy), the answer step carries the answer,
// and the filing step names nobody.
func TestAppealHistoryShape(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	srv := posmock.New(w)
	sc := world.DefaultScenario()
	require.NoError(t, posmock.PutSettings(&sc, posmock.DefaultSettings()))
	require.NoError(t, w.Import(sc))
	a, err := srv.File(posmock.Appeal{OpaID: posmock.DefaultMinistryOpaID, Description: "d"})
	require.NoError(t, err)
	w.Clock.Advance(25 * time.Hour)
	got, ok := srv.Appeal(a.ID)
	require.True(t, ok)
	require.Len(t, got.History, 3)
	assert.Nil(t, got.History[0].CreatedBy)
	assert.Nil(t, got.History[0].Answer)
	require.NotNil(t, got.History[1].CreatedBy)
	assert.Equal(t, posmock.LKOEmployee, *got.History[1].CreatedBy)
	assert.Nil(t, got.History[1].Answer)
	require.NotNil(t, got.History[2].Answer)
	assert.Equal(t, posmock.StandardAnswer, *got.History[2].Answer)
	// The stored appeal keeps its filing step only: the rest is derived.
	st := srv.Section().Settings()
	require.Len(t, st.Appeals, 1)
	assert.Len(t, st.Appeals[0].History, 1)
}
