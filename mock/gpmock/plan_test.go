package gpmock_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// planningState is a state with an editorial cabinet (the default
// ministry), its subordinate and one of every planning entity.
func planningState() gpmock.State {
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	return gpmock.State{
		Cabinets: []gpmock.Cabinet{
			{ID: 1, Kind: gpmock.KindEditorial, OrgOID: world.DefaultMinistryOID},
			{ID: 2, Kind: gpmock.KindInstitution, OrgOID: world.DefaultSubordinateOID},
		},
		Posts: []gpmock.Post{{ID: 3, CabinetID: 2, Text: "x", Urgency: gpmock.UrgencyGreen, Status: gpmock.PostDraft, CreatedAt: at, UpdatedAt: at}},
		Planning: gpmock.Planning{
			Plan: []gpmock.PlanEntry{{ID: 4, CabinetID: 2, StartsAt: at, EndsAt: at.Add(time.Hour), Topic: "Тема", PostIDs: []int64{3},
				Urgency: gpmock.UrgencyRed, Status: gpmock.PlanPlanned}},
			Templates: []gpmock.Template{{ID: 5, CabinetID: 1, Name: "Шаблон", Text: "Привет, {{имя}}", Urgency: gpmock.UrgencyGreen, Shared: true}},
			Channels:  []gpmock.Channel{{ID: 6, CabinetID: 1, Title: "Образование", Subscribers: []int64{2}}},
			ChannelItems: []gpmock.ChannelItem{{ID: 7, ChannelID: 6, CabinetID: 1, Title: "t", Text: "Текст",
				Urgency: gpmock.UrgencyGreen}},
			Webhooks: []gpmock.Webhook{{ID: 8, CabinetID: 1, URL: "http://127.0.0.1:9/hook", Events: []string{"*"}, Secret: "whsec_fixture"}},
		},
	}
}

func importState(t *testing.T, st gpmock.State) (*world.World, error) {
	t.Helper()
	w, err := world.New(world.WithFrozenClock(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)), world.WithSections(gpmock.NewSection()))
	require.NoError(t, err)
	gpmock.New(gpmock.WithWorld(w))
	sc := w.Export()
	require.NoError(t, gpmock.PutState(&sc, st))
	return w, w.Import(sc)
}

// TestPlanningState: the planning entities travel with the world's
// section; a webhook's secret only in an export with secrets; a bad
// entity is refused with its JSON path.
func TestPlanningState(t *testing.T) {
	w, err := importState(t, planningState())
	require.NoError(t, err)
	open, err := gpmock.StateOf(w.Export(world.WithoutSecrets()))
	require.NoError(t, err)
	require.Empty(t, open.Webhooks[0].Secret)
	full, err := gpmock.StateOf(w.Export())
	require.NoError(t, err)
	require.Equal(t, "whsec_fixture", full.Webhooks[0].Secret)
	require.Equal(t, []string{"имя"}, full.Templates[0].Placeholders)
	require.Equal(t, []int64{3}, full.Plan[0].PostIDs)
	require.Equal(t, []int64{2}, full.Channels[0].Subscribers)
	require.Len(t, full.ChannelItems, 1)
	// Round trip.
	w2, err := importState(t, full)
	require.NoError(t, err)
	again, err := gpmock.StateOf(w2.Export())
	require.NoError(t, err)
	a, _ := json.Marshal(full)
	b, _ := json.Marshal(again)
	require.JSONEq(t, string(a), string(b))

	for path, change := range map[string]func(*gpmock.State){
		"plan[0].post_ids[0]":         func(s *gpmock.State) { s.Plan[0].CabinetID = 1 },
		"plan[0]":                     func(s *gpmock.State) { s.Plan[0].EndsAt = s.Plan[0].StartsAt },
		"templates[0].shared":         func(s *gpmock.State) { s.Templates[0].CabinetID = 2 },
		"templates[0]":                func(s *gpmock.State) { s.Templates[0].Text = "{{" },
		"channels[0].cabinet_id":      func(s *gpmock.State) { s.Channels[0].CabinetID = 2 },
		"channels[0].subscribers[0]":  func(s *gpmock.State) { s.Channels[0].Subscribers = []int64{99} },
		"channel_items[0].channel_id": func(s *gpmock.State) { s.ChannelItems[0].ChannelID = 99 },
		"webhooks[0]":                 func(s *gpmock.State) { s.Webhooks[0].Events = []string{"post.typo"} },
		"webhooks[0].id":              func(s *gpmock.State) { s.Webhooks[0].ID = 4 },
	} {
		st := planningState()
		change(&st)
		_, err := importState(t, st)
		var fe *world.FieldError
		require.True(t, errors.As(err, &fe), "%s: %v", path, err)
		require.True(t, strings.HasSuffix(fe.Path, path), "%s: %v", path, fe.Path)
	}
}
