package vkmock_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func TestServerManagementMethods(t *testing.T) {
	e := newEnv(t)
	var perms struct {
		Mask        int              `json:"mask"`
		Permissions []map[string]any `json:"permissions"`
	}
	e.ok(&perms, "groups.getTokenPermissions", e.group)
	assert.Len(t, perms.Permissions, 4)
	assert.Positive(t, perms.Mask)
	assert.Equal(t, 5, e.call("groups.getTokenPermissions", e.user).code(), "community tokens only")

	var add struct {
		ServerID int64 `json:"server_id"`
	}
	e.ok(&add, "groups.addCallbackServer", e.group, "group_id", gid, "url", "http://127.0.0.1:1/hook", "title", "one")
	sid := strconv.FormatInt(add.ServerID, 10)
	assert.Equal(t, 100, e.call("groups.addCallbackServer", e.group, "group_id", gid, "url", "http://x", "title", "fifteen chars!!").code())
	e.ok(nil, "groups.setCallbackSettings", e.group, "group_id", gid, "server_id", sid, "wall_post_new", "1")
	var cs struct {
		APIVersion string         `json:"api_version"`
		Events     map[string]int `json:"events"`
	}
	e.ok(&cs, "groups.getCallbackSettings", e.group, "group_id", gid, "server_id", sid)
	assert.Equal(t, "5.199", cs.APIVersion)
	assert.Equal(t, 1, cs.Events["wall_post_new"])
	assert.Equal(t, 0, cs.Events["message_new"])
	e.ok(nil, "groups.editCallbackServer", e.group, "group_id", gid, "server_id", sid, "url", "http://127.0.0.1:2/hook", "title", "two")
	var list struct {
		Items []map[string]any `json:"items"`
	}
	e.ok(&list, "groups.getCallbackServers", e.group, "group_id", gid, "server_ids", sid)
	assert.Equal(t, "two", list.Items[0]["title"])
	e.ok(nil, "groups.deleteCallbackServer", e.group, "group_id", gid, "server_id", sid)
	e.ok(&list, "groups.getCallbackServers", e.group, "group_id", gid)
	assert.Empty(t, list.Items)
	assert.Equal(t, 100, e.call("groups.deleteCallbackServer", e.group, "group_id", gid, "server_id", sid).code())

	e.ok(nil, "groups.setLongPollSettings", e.user, "group_id", gid, "enabled", "1", "api_version", "5.131", "wall_reply_new", "1")
	var lps struct {
		Enabled bool           `json:"is_enabled"`
		Version string         `json:"api_version"`
		Events  map[string]int `json:"events"`
	}
	e.ok(&lps, "groups.getLongPollSettings", e.user, "group_id", gid)
	assert.True(t, lps.Enabled)
	assert.Equal(t, "5.131", lps.Version)
	assert.Equal(t, 1, lps.Events["wall_reply_new"])
	// Another community's token is refused.
	assert.Equal(t, 125, e.call("groups.getLongPollSettings", e.group, "group_id", "1").code())
}

func TestTwoFactorRequirementsAndWallReads(t *testing.T) {
	e := newEnv(t)
	// An editor without two-factor authentication.
	per, err := e.w.Person(world.DefaultEmployeeOID)
	require.NoError(t, err)
	acc := per.Accounts[world.NetworkVK]
	acc.TwoFactor = false
	per.Accounts[world.NetworkVK] = acc
	require.NoError(t, e.w.UpdatePerson(per))
	ed := vkmock.Token{Token: vkmock.NewToken(vkmock.KindUser, 31), Kind: vkmock.KindUser, UserID: world.DefaultEmployeeVKID, Scopes: []string{"wall", "video"}}
	require.NoError(t, e.srv.Section().AddToken(ed, e.w))
	var p struct {
		PostID int64 `json:"post_id"`
	}
	e.ok(&p, "wall.post", ed.Token, "owner_id", owner, "message", "от редактора")
	assert.Equal(t, 703, e.call("wall.delete", ed.Token, "owner_id", owner, "post_id", strconv.FormatInt(p.PostID, 10)).code())
	assert.Equal(t, 704, e.call("video.save", ed.Token, "group_id", gid, "name", "v").code())
	missing, err := e.srv.GovRequirements(world.DefaultVKGroupID)
	require.NoError(t, err)
	assert.Contains(t, strings.Join(missing, "\n"), "id800000002 не включена двойная защита")

	var list struct {
		Count int              `json:"count"`
		Items []map[string]any `json:"items"`
	}
	e.ok(&list, "wall.get", e.svc, "domain", "minsvyaz29")
	assert.Equal(t, 1, list.Count)
	assert.EqualValues(t, world.DefaultEmployeeVKID, list.Items[0]["from_id"])
	// A closed community's wall is not for outsiders.
	e.ok(nil, "groups.edit", e.user, "group_id", gid, "access", "1")
	assert.Equal(t, 15, e.call("wall.get", e.svc, "owner_id", owner).code())
	e.ok(&list, "wall.get", e.user, "owner_id", owner)
	assert.Equal(t, 1, list.Count)
}

func TestJournalHasNoSecrets(t *testing.T) {
	e := newEnv(t)
	e.ok(nil, "groups.getById", e.user, "group_id", gid)
	req, _ := http.NewRequest(http.MethodGet, e.url+"/method/groups.getById?v=5.199&group_id="+gid+"&access_token="+e.svc, nil)
	e.do(req)
	entries := e.w.Journal.Entries(world.Filter{Party: "vk"})
	require.Len(t, entries, 2)
	for _, en := range entries {
		assert.Equal(t, "groups.getbyid", en.Method)
		assert.NotContains(t, en.Params, "access_token")
		for _, v := range en.Params {
			assert.NotContains(t, v, "vkmock.")
		}
		assert.NotEmpty(t, en.Token, "the token's fingerprint")
		assert.NotContains(t, en.Token, "vkmock.")
	}
}
