package posmock_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// TestAnswerAndAppealsOfOrganization: an organisation's appeals are
// listed after a cursor; an answer moves a NEW appeal through IN_WORK to
// ANSWERED with the given text, reaches the outbox once, and cancels the
// scheduled standard answer; another organisation's appeal is not found;
// a second answer is refused.
func TestAnswerAndAppealsOfOrganization(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	s := posmock.New(w)
	sc := world.DefaultScenario()
	require.NoError(t, posmock.PutSettings(&sc, posmock.DefaultSettings()))
	require.NoError(t, w.Import(sc))
	a1, err := s.File(posmock.Appeal{OpaID: posmock.DefaultMinistryOpaID, Description: "Первое", Applicant: posmock.Applicant{Email: "a@example.org"}})
	require.NoError(t, err)
	a2, err := s.File(posmock.Appeal{OpaID: posmock.DefaultMinistryOpaID, Description: "Второе"})
	require.NoError(t, err)

	all := s.AppealsOfOrganization(world.DefaultMinistryOID, 0)
	require.Len(t, all, 2)
	require.Equal(t, a1.ID, all[0].ID)
	after := s.AppealsOfOrganization(world.DefaultMinistryOID, a1.ID)
	require.Len(t, after, 1)
	require.Equal(t, a2.ID, after[0].ID)
	require.Empty(t, s.AppealsOfOrganization(world.DefaultSubordinateOID, 0))

	_, err = s.Answer(world.DefaultSubordinateOID, a1.ID, "Ответ", posmock.Employee{})
	require.ErrorIs(t, err, world.ErrNotFound)
	_, err = s.Answer(world.DefaultMinistryOID, a1.ID, "  ", posmock.Employee{})
	require.ErrorIs(t, err, world.ErrInvalid)

	w.Clock.Advance(2 * time.Hour) // IN_WORK by the lifecycle
	got, err := s.Answer(world.DefaultMinistryOID, a1.ID, "Сделаем", posmock.Employee{Surname: "Сидоров"})
	require.NoError(t, err)
	var statuses []string
	for _, h := range got.History {
		statuses = append(statuses, h.Status)
	}
	require.Equal(t, []string{posmock.StatusNew, posmock.StatusInWork, posmock.StatusAnswered}, statuses)
	require.Equal(t, "Сделаем", got.Status().Answer.Comment)
	require.Equal(t, "Сидоров", got.Status().CreatedBy.Surname)
	_, err = s.Answer(world.DefaultMinistryOID, a1.ID, "Ещё", posmock.Employee{})
	require.True(t, errors.Is(err, posmock.ErrAnswered))

	// A NEW appeal answered at once gets IN_WORK and ANSWERED now.
	got2, err := s.Answer(world.DefaultMinistryOID, a2.ID, "Готово", posmock.Employee{})
	require.NoError(t, err)
	require.Len(t, got2.History, 3)
	require.Equal(t, posmock.LKOEmployee.Surname, got2.Status().CreatedBy.Surname)

	w.Clock.Advance(48 * time.Hour)
	msgs := func(id int64) []world.Message {
		return w.Outbox.Messages(world.OutboxFilter{Channel: world.ChannelPOS, To: strconv.FormatInt(id, 10)})
	}
	require.Len(t, msgs(a1.ID), 1)
	require.Equal(t, "Сделаем", msgs(a1.ID)[0].Text)
	require.Equal(t, "a@example.org", msgs(a1.ID)[0].Meta["email"])
	require.Len(t, msgs(a2.ID), 1)
	cur, _ := s.Appeal(a1.ID)
	require.Equal(t, "Сделаем", cur.Status().Answer.Comment)
}
