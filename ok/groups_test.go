package ok_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/ok"
)

func TestGetGroupInfoShapesAndAbsentFields(t *testing.T) {
	f := newFake(t)
	shape := "array"
	f.on("group.getInfo", func(p url.Values) any {
		assert.Equal(t, "1,2", p.Get("uids"))
		g := []map[string]any{
			{"uid": "1", "name": "Администрация", "access_type": "OPEN", "pic_avatar": "https://i.ok/a.jpg", "photo_id": "77",
				"description": "Официальная группа", "city": "Москва", "category": "Госорганизация", "members_count": "1200", "gos_org": true},
			{"uid": 2, "name": "Другая"},
		}
		if shape == "object" {
			return map[string]any{"groups": g}
		}
		return g
	})
	c := f.client()
	for _, s := range []string{"array", "object"} {
		shape = s
		gs, err := c.GetGroupInfo(context.Background(), &ok.GetGroupInfoRequest{GroupIDs: []string{"1", "2"}})
		require.NoError(t, err, s)
		require.Len(t, gs, 2)
		g := gs[0]
		assert.Equal(t, ok.ID("1"), g.UID)
		assert.Equal(t, ok.AccessOpen, g.AccessType)
		assert.Equal(t, "Москва", g.City)
		assert.Equal(t, int64(1200), g.MembersCount)
		require.NotNil(t, g.GosOrg)
		assert.True(t, *g.GosOrg)
		assert.Equal(t, ok.ID("2"), gs[1].UID)
		assert.Nil(t, gs[1].GosOrg, "absent gos_org is unknown")
		assert.False(t, gs[1].Has("city"))
		assert.True(t, g.Has("city"))
	}
	assert.Contains(t, f.lastCall().Get("fields"), "gos_org")
	assert.Contains(t, f.lastCall().Get("fields"), "access_type")
}

func TestUserGroupsPagesAlongAnchor(t *testing.T) {
	f := newFake(t)
	f.on("group.getUserGroupsV2", func(p url.Values) any {
		switch p.Get("anchor") {
		case "":
			return map[string]any{"groups": []map[string]any{{"groupId": "1", "userId": "u"}, {"groupId": "2", "userId": "u"}}, "anchor": "A"}
		case "A":
			return map[string]any{"groups": []map[string]any{{"groupId": 3, "userId": "u"}}, "anchor": "B"}
		}
		return map[string]any{"groups": []any{}}
	})
	var ids []ok.ID
	for g, err := range f.client().UserGroups(context.Background(), nil) {
		require.NoError(t, err)
		ids = append(ids, g.GroupID)
	}
	assert.Equal(t, []ok.ID{"1", "2", "3"}, ids)
	assert.Equal(t, 3, f.hitCount("group.getUserGroupsV2"))
	assert.Equal(t, "100", f.lastCall().Get("count"))

	// Stopping early makes no further call; an error ends the iteration.
	f2 := newFake(t)
	f2.on("group.getUserGroupsV2", func(url.Values) any {
		return map[string]any{"groups": []map[string]any{{"groupId": "1"}}, "anchor": "A"}
	})
	for range f2.client().UserGroups(context.Background(), nil) {
		break
	}
	assert.Equal(t, 1, f2.hitCount("group.getUserGroupsV2"))
	f2.on("group.getUserGroupsV2", func(url.Values) any { return apiError{Code: ok.CodePermissionDenied} })
	var errs int
	for _, err := range f2.client().UserGroups(context.Background(), nil) {
		assert.ErrorIs(t, err, ok.ErrPermissionDenied)
		errs++
	}
	assert.Equal(t, 1, errs)
}

func TestMembersAndRoles(t *testing.T) {
	f := newFake(t)
	f.on("group.getMembers", func(p url.Values) any {
		assert.Equal(t, "G", p.Get("uid"))
		assert.Equal(t, "ADMIN,MODERATOR", p.Get("statuses"))
		if p.Get("anchor") == "" {
			return map[string]any{"members": []map[string]any{{"userId": "1", "status": "ADMIN"}}, "anchor": "x", "has_more": true}
		}
		return map[string]any{"members": []map[string]any{{"uid": "2", "status": "MODERATOR"}}, "anchor": "y", "has_more": false}
	})
	var got []ok.Membership
	for m, err := range f.client().Members(context.Background(), &ok.GetMembersRequest{GroupID: "G", Statuses: []string{ok.StatusAdmin, ok.StatusModerator}}) {
		require.NoError(t, err)
		got = append(got, m)
	}
	require.Len(t, got, 2)
	assert.True(t, got[0].IsAdmin())
	assert.Equal(t, ok.ID("2"), got[1].UserID)
	assert.True(t, got[1].HasRole(ok.RoleModerator))
	assert.Equal(t, 2, f.hitCount("group.getMembers"))

	// Both shapes of group.getUserGroupsByIds.
	bare := true
	f.on("group.getUserGroupsByIds", func(p url.Values) any {
		assert.Equal(t, "G", p.Get("group_id"))
		assert.Equal(t, "1,2", p.Get("uids"))
		if bare {
			return []map[string]any{{"userId": "1", "status": "ADMIN"}, {"userId": "2", "status": "ACTIVE"}}
		}
		return map[string]any{"memberships": []map[string]any{
			{"groupId": "G", "userId": "1", "status": "ACTIVE", "role": []string{"SUPER_MODERATOR"}},
			{"groupId": "G", "userId": "2", "status": "ACTIVE", "role": "EDITOR"}}}
	})
	ms, err := f.client().GetUserGroupsByIDs(context.Background(), &ok.GetUserGroupsByIDsRequest{GroupID: "G", UserIDs: []string{"1", "2"}})
	require.NoError(t, err)
	assert.True(t, ms[0].IsAdmin())
	assert.False(t, ms[1].IsAdmin())
	assert.Equal(t, ok.ID("G"), ms[1].GroupID)
	bare = false
	ms, err = f.client().GetUserGroupsByIDs(context.Background(), &ok.GetUserGroupsByIDsRequest{GroupID: "G", UserIDs: []string{"1", "2"}})
	require.NoError(t, err)
	assert.True(t, ms[0].HasRole(ok.RoleSuperModerator))
	assert.Equal(t, []string{"EDITOR"}, ms[1].Roles)
}

func TestCountersAndURLInfo(t *testing.T) {
	f := newFake(t)
	f.on("group.getCounters", func(p url.Values) any {
		assert.Equal(t, "members,themes", p.Get("counterTypes"))
		return map[string]any{"counters": map[string]any{"members": 10, "themes": "4"}}
	})
	f.on("url.getInfo", func(p url.Values) any {
		assert.Equal(t, "https://ok.ru/gosuslugi", p.Get("url"))
		return map[string]any{"objectId": 70000001743248, "objectIdStr": "70000001743248", "type": "GROUP"}
	})
	c := f.client()
	m, err := c.GetCounters(context.Background(), &ok.GetCountersRequest{GroupID: "1", Types: []string{ok.CounterMembers, ok.CounterThemes}})
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"members": 10, "themes": 4}, m)
	info, err := c.GetURLInfo(context.Background(), "https://ok.ru/gosuslugi")
	require.NoError(t, err)
	assert.Equal(t, ok.ID("70000001743248"), info.ObjectID)
}
