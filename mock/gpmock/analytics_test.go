package gpmock_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// TestAggregate: day, week and month buckets over [from, to) carry the
// last snapshot of each period and the subscriber growth from the period
// before.
func TestAggregate(t *testing.T) {
	mon := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday
	var snaps []gpmock.Snapshot
	for h := range 72 { // three days, hourly, one subscriber an hour
		snaps = append(snaps, gpmock.Snapshot{At: mon.Add(time.Duration(h) * time.Hour), Subscribers: 100 + int64(h), Views: int64(10 * h)})
	}
	days := gpmock.Aggregate(snaps, "day", mon, mon.AddDate(0, 0, 4))
	require.Len(t, days, 4)
	require.Equal(t, 24, days[0].Samples)
	require.Equal(t, int64(123), days[0].Subscribers)
	require.Equal(t, int64(23), days[0].SubscriberGrowth, "the first period grows from its first snapshot")
	require.Equal(t, int64(147), days[1].Subscribers)
	require.Equal(t, int64(24), days[1].SubscriberGrowth, "later periods grow from the last snapshot before them")
	require.Equal(t, int64(470), days[1].Views)
	require.Zero(t, days[3].Samples)
	require.Zero(t, days[3].SubscriberGrowth)

	// A range starting mid-week: the bucket is clipped to it, and the
	// growth counts from the snapshot before the range.
	from := mon.Add(36 * time.Hour)
	weeks := gpmock.Aggregate(snaps, "week", from, mon.AddDate(0, 0, 10))
	require.Len(t, weeks, 2)
	require.Equal(t, from, weeks[0].Start)
	require.Equal(t, mon.AddDate(0, 0, 7), weeks[0].End)
	require.Equal(t, 36, weeks[0].Samples)
	require.Equal(t, int64(171), weeks[0].Subscribers)
	require.Equal(t, int64(36), weeks[0].SubscriberGrowth)
	months := gpmock.Aggregate(snaps, "month", mon, mon.AddDate(0, 2, 0))
	require.Len(t, months, 3, "March (from the 2nd), April, May (to the 2nd)")
	require.Equal(t, time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC), months[2].End)
	require.Equal(t, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), months[0].End)
	require.Equal(t, 72, months[0].Samples)
	require.Empty(t, gpmock.Aggregate(nil, "day", mon, mon))
}

// TestInboxDedupRulesAndState: an item read twice is one dialog; topic
// and keyword rules route it; the inbox, rules and series survive an
// export and import; malformed content is refused with its JSON path.
func TestInboxDedupRulesAndState(t *testing.T) {
	ctx := context.Background()
	clk := coretest.NewClock(coretest.Epoch)
	srv := gpmock.New(gpmock.WithClock(clk), gpmock.WithNetworks(gpmock.Networks{Unavailable: []string{gpmock.NetworkVK, gpmock.NetworkOK, gpmock.NetworkTelegram}}))
	cb, err := srv.AddCabinet(gpmock.KindInstitution, 1, "Школа №1")
	require.NoError(t, err)
	admin, err := srv.AddUser(cb.ID, gpmock.User{Phone: "+79990000101", Email: "a@x.ru", Role: gpmock.RoleLKOAdmin}, "correct horse battery")
	require.NoError(t, err)
	spec, err := srv.AddUser(cb.ID, gpmock.User{Phone: "+79990000102", Email: "s@x.ru", Role: gpmock.RoleEditor}, "")
	require.NoError(t, err)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c, err := gospubliki.New(core.WithBaseURL(hs.URL), core.WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = c.Login(ctx, admin.Phone, "correct horse battery")
	require.NoError(t, err)
	_, err = c.CreateDialogRule(ctx, gospubliki.DialogRuleRequest{Name: "ЖКХ", Topic: "ЖКХ", AssigneeID: spec.ID})
	require.NoError(t, err)
	kw, err := c.CreateDialogRule(ctx, gospubliki.DialogRuleRequest{Name: "Школа", Keywords: []string{"УЧИТЕЛ"},
		Template: "{author}, ваше обращение №{id} получено. {org}"})
	require.NoError(t, err)
	_, err = c.CreateDialogRule(ctx, gospubliki.DialogRuleRequest{Name: "bad", Sources: []string{"fax"}, Template: "x"})
	requireAPICode(t, err, gospubliki.CodeInvalidRequest)

	in := gpmock.DialogInput{Source: gpmock.SourceTelegram, PageRef: "telegram:-1001", NetworkID: "-1001_5", Thread: "-1001",
		Author: "@ivan", Text: "Нет горячей воды", Topic: "жкх"}
	d1, isNew, err := srv.AddDialog(ctx, cb.ID, in)
	require.NoError(t, err)
	require.True(t, isNew)
	require.Equal(t, spec.ID, d1.AssigneeID)
	require.Equal(t, gpmock.DialogAssigned, d1.Status)
	d2, isNew, err := srv.AddDialog(ctx, cb.ID, in)
	require.NoError(t, err)
	require.False(t, isNew, "the same (source, network id) is one dialog")
	require.Equal(t, d1.ID, d2.ID)

	in2 := gpmock.DialogInput{Source: gpmock.SourceVKMessage, PageRef: "vk:-5", NetworkID: "77", Thread: "9", Author: "Анна",
		Text: "Спасибо учителям!"}
	d3, _, err := srv.AddDialog(ctx, cb.ID, in2)
	require.NoError(t, err)
	require.Equal(t, kw.ID, d3.RuleID)
	require.Zero(t, d3.AssigneeID)
	require.Len(t, d3.Replies, 1, "the template answer is attempted and recorded")
	require.Equal(t, gpmock.ReplyFailed, d3.Replies[0].Status, "the page is not connected")
	require.Equal(t, "Анна, ваше обращение №"+itoa(d3.ID)+" получено. Школа №1", d3.Replies[0].Text)
	require.Contains(t, d3.Replies[0].Error, "not connected")
	require.Equal(t, gpmock.DialogNew, d3.Status)

	raw, err := srv.Section.Export(false)
	require.NoError(t, err)
	var st gpmock.State
	require.NoError(t, json.Unmarshal(raw, &st))
	require.Len(t, st.Dialogs, 2)
	require.Len(t, st.DialogRules, 2)
	other := gpmock.New(gpmock.WithClock(clk))
	require.NoError(t, other.Section.Import(raw))
	again, isNew, err := other.AddDialog(ctx, cb.ID, in)
	require.NoError(t, err)
	require.False(t, isNew, "de-duplication survives an import")
	require.Equal(t, d1.ID, again.ID)

	st.Dialogs[0].Source = "fax"
	bad, _ := json.Marshal(st)
	err = other.Section.Validate(bad, nil)
	var fe *world.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "dialogs[0].source", fe.Path)
}
