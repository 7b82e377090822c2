package gpmock_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// TestDialogsPOSAppeals: citizens file appeals through the organisation's
// POS form; the collection brings the cabinet's organisation's appeals
// (and no other organisation's) into the inbox through POS's internal
// link; an auto-rule answers one with a template and an editor answers
// the other; each answer goes through POS's status machine (ANSWERED
// with the cabinet's text) and reaches the applicant in the outbox once,
// never followed by POS's scheduled standard answer; a second answer is
// refused and recorded as failed. Another tenant's appeals stay there.
func TestDialogsPOSAppeals(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	ten := r.sb.DefaultTenant()
	cab, err := r.admin.Cabinet(ctx)
	require.NoError(t, err)
	require.Equal(t, world.DefaultMinistryOID, cab.OrgOID, "the seeded cabinet is the ministry's")

	_, err = r.admin.CreateDialogRule(ctx, gospubliki.DialogRuleRequest{Name: "Дворы", Keywords: []string{"яма"},
		Sources: []string{gospubliki.SourcePOS}, Template: "Здравствуйте, {author}! По обращению №{id} работы запланированы."})
	require.NoError(t, err)

	opaOf := func(tn *mock.Tenant, org int64) int64 {
		t.Helper()
		l, err := tn.POS.LKOOf(org)
		require.NoError(t, err)
		return l.OpaID
	}
	file := func(tn *mock.Tenant, opa int64, text string) posmock.Appeal {
		t.Helper()
		res, err := tn.Act(ctx, mock.POSAppeal{OpaID: opa, Description: text,
			Applicant: posmock.Applicant{Surname: "Иванов", Name: "Иван", Email: "ivan@example.org"}})
		require.NoError(t, err)
		a, ok := res.(posmock.Appeal)
		require.True(t, ok, "%T", res)
		return a
	}
	pothole := file(ten, opaOf(ten, cab.OrgOID), "Яма во дворе дома 5")
	school := file(ten, opaOf(ten, cab.OrgOID), "Когда откроют школу?")
	// An appeal to another organisation of the tenant.
	var other posmock.LKO
	for _, l := range ten.POS.LKOs() {
		if l.Appeals && l.OrgOID != cab.OrgOID {
			other = l
			break
		}
	}
	require.NotZero(t, other.OpaID)
	foreign := file(ten, other.OpaID, "Чужое обращение")
	// Another tenant's appeal to the same organisation.
	t2, err := r.sb.CreateTenant("posother", nil)
	require.NoError(t, err)
	elsewhere := file(t2, opaOf(t2, cab.OrgOID), "Обращение в другом мире")

	res, err := r.admin.CollectDialogs(ctx)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	require.Equal(t, 2, res.Received)
	page, err := r.editor.ListDialogs(ctx, gospubliki.DialogFilter{Source: gospubliki.SourcePOS})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	byID := map[string]gospubliki.Dialog{}
	for _, d := range page.Items {
		byID[d.NetworkID] = d
		require.Equal(t, "Иванов Иван", d.Author)
		require.Empty(t, d.PageRef)
	}
	require.NotContains(t, byID, strconv.FormatInt(foreign.ID, 10))
	d1, d2 := byID[strconv.FormatInt(pothole.ID, 10)], byID[strconv.FormatInt(school.ID, 10)]
	require.Equal(t, "Яма во дворе дома 5", d1.Text)

	// The auto-rule answered the pothole appeal in POS.
	require.Equal(t, gospubliki.DialogAnswered, d1.Status)
	require.Len(t, d1.Replies, 1)
	require.Equal(t, gospubliki.ReplySent, d1.Replies[0].Status, d1.Replies[0].Error)
	want := "Здравствуйте, Иванов Иван! По обращению №" + strconv.FormatInt(d1.ID, 10) + " работы запланированы."
	require.Equal(t, want, d1.Replies[0].Text)
	a, ok := ten.POS.Appeal(pothole.ID)
	require.True(t, ok)
	require.Equal(t, posmock.StatusAnswered, a.Status().Status)
	require.Equal(t, want, a.Status().Answer.Comment)
	posMsgs := func(tn *mock.Tenant, id int64) []world.Message {
		return tn.World.Outbox.Messages(world.OutboxFilter{Channel: world.ChannelPOS, To: strconv.FormatInt(id, 10)})
	}
	msgs := posMsgs(ten, pothole.ID)
	require.Len(t, msgs, 1)
	require.Equal(t, want, msgs[0].Text)
	require.Equal(t, "ivan@example.org", msgs[0].Meta["email"])

	// An editor answers the other one.
	require.Equal(t, gospubliki.DialogNew, d2.Status)
	out, err := r.editor.ReplyDialog(ctx, d2.ID, "Школа откроется 1 сентября.")
	require.NoError(t, err)
	require.Equal(t, gospubliki.DialogAnswered, out.Status)
	a, _ = ten.POS.Appeal(school.ID)
	require.Equal(t, posmock.StatusAnswered, a.Status().Status)
	require.Equal(t, "Школа откроется 1 сентября.", a.Status().Answer.Comment)
	require.NotNil(t, a.Status().CreatedBy)
	require.Len(t, posMsgs(ten, school.ID), 1)

	// POS's status machine refuses a second answer; the reply is failed.
	out, err = r.editor.ReplyDialog(ctx, d2.ID, "Ещё раз")
	require.NoError(t, err)
	last := out.Replies[len(out.Replies)-1]
	require.Equal(t, gospubliki.ReplyFailed, last.Status)
	require.Contains(t, last.Error, "already been answered")

	// A day later POS sends no standard answer on top of the cabinet's;
	// the foreign appeal got its standard one; another collection adds
	// nothing.
	ten.Clock.Advance(25 * time.Hour)
	require.Len(t, posMsgs(ten, pothole.ID), 1)
	require.Len(t, posMsgs(ten, school.ID), 1)
	require.Equal(t, posmock.StandardAnswer.Comment, posMsgs(ten, foreign.ID)[0].Text)
	require.Zero(t, ten.Gospubliki.CollectDialogs(ctx, cab.ID).Received)

	// The other tenant's cabinet sees its own appeal only.
	st := t2.Gospubliki.CollectDialogs(ctx, cab.ID)
	require.Equal(t, 1, st.Received)
	if pothole.ID == elsewhere.ID {
		// Ids are per world: the same id names a different appeal.
		a, _ := t2.POS.Appeal(elsewhere.ID)
		require.Equal(t, "Обращение в другом мире", a.Description)
	}
}
