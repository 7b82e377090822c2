package mock_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock"
)

func item(d map[string]any, path ...any) map[string]any {
	var cur any = d
	for _, p := range path {
		switch k := p.(type) {
		case string:
			cur = cur.(map[string]any)[k]
		case int:
			cur = cur.([]any)[k]
		}
	}
	return cur.(map[string]any)
}

// TestScenarioErrorsNameThePath feeds broken scenarios, one per mistake
// and covering every section and the shared entities, to the control
// API's state import: each is refused with 400 and an error that starts
// with the JSON path of the offending field and says why.
func TestScenarioErrorsNameThePath(t *testing.T) {
	sb := mock.Start(t)
	base, err := json.Marshal(sb.DefaultTenant().World.Export())
	require.NoError(t, err)
	for _, tc := range []struct {
		want string
		mut  func(d map[string]any)
	}{
		{"pages[0].admins[0].person_oid: no person 999", func(d map[string]any) { item(d, "pages", 0, "admins", 0)["person_oid"] = 999 }},
		{"people[1].oid: must be int64, not a JSON string", func(d map[string]any) { item(d, "people", 1)["oid"] = "x" }},
		{"organizations[0].parent_oid: no organization 9", func(d map[string]any) { item(d, "organizations", 0)["parent_oid"] = 9 }},
		{"employees[0].foo: unknown field \"foo\"", func(d map[string]any) { item(d, "employees", 0)["foo"] = 1 }},
		{"gospubliki.users[0].cabinet_id: unknown cabinet", func(d map[string]any) { item(d, "gospubliki", "users", 0)["cabinet_id"] = 99 }},
		{"gospubliki.cabinets[0].org_oid: unknown organisation", func(d map[string]any) { item(d, "gospubliki", "cabinets", 0)["org_oid"] = 9 }},
		{"gospubliki.users[1].foo: unknown field \"foo\"", func(d map[string]any) { item(d, "gospubliki", "users", 1)["foo"] = 1 }},
		{"ok.tokens[0].person_oid: no person 9", func(d map[string]any) { item(d, "ok", "tokens", 0)["person_oid"] = 9 }},
		{"ok.groups[0].id: no OK page 9", func(d map[string]any) { item(d, "ok", "groups", 0)["id"] = 9 }},
		{"pos.lkos[0].org_oid: no organisation 9", func(d map[string]any) { item(d, "pos", "lkos", 0)["org_oid"] = 9 }},
		{"pos.systems[0].password: refusing a production-looking password", func(d map[string]any) { item(d, "pos", "systems", 0)["password"] = "Pr0d!" }},
		{"pos.lkos[1].opa_id: must be int64, not a JSON string", func(d map[string]any) { item(d, "pos", "lkos", 1)["opa_id"] = "x" }},
		{"telegram.bots[0].owner_org_oid: no organization 9", func(d map[string]any) { item(d, "telegram", "bots", 0)["owner_org_oid"] = 9 }},
		{"telegram.chats[0].admins[0].bot_id: no bot 9", func(d map[string]any) { item(d, "telegram", "chats", 0, "admins", 0)["bot_id"] = 9 }},
		{"telegram.bots[0].token: must look like", func(d map[string]any) { item(d, "telegram", "bots", 0)["token"] = "bad" }},
		{"telegram.bots[1].id: must be int64, not a JSON string", func(d map[string]any) { item(d, "telegram", "bots", 1)["id"] = "x" }},
		{"telegram.bots[1].foo: unknown field \"foo\"", func(d map[string]any) { item(d, "telegram", "bots", 1)["foo"] = 1 }},
		{"vk.tokens[0].group_id: no VK page 9", func(d map[string]any) { item(d, "vk", "tokens", 0)["group_id"] = 9 }},
		{"vk.communities[0].id: no VK page 9", func(d map[string]any) { item(d, "vk", "communities", 0)["id"] = 9 }},
		{"vk.communities[0].menu[1].title: must be string, not a JSON number", func(d map[string]any) { item(d, "vk", "communities", 0, "menu", 1)["title"] = 5 }},
	} {
		t.Run(tc.want, func(t *testing.T) {
			var d map[string]any
			require.NoError(t, json.Unmarshal(base, &d))
			tc.mut(d)
			b, err := json.Marshal(d)
			require.NoError(t, err)
			resp, err := http.Post(sb.ControlURL+"/_mock/state", "application/json", bytes.NewReader(b))
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			var e struct{ Error string }
			require.NoError(t, json.Unmarshal(body, &e))
			assert.Regexp(t, "^"+regexpQuote(tc.want), e.Error)
		})
	}
	// The default tenant is untouched by the refused imports.
	after, err := json.Marshal(sb.DefaultTenant().World.Export())
	require.NoError(t, err)
	assert.JSONEq(t, string(base), string(after))
}

func regexpQuote(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		if bytes.ContainsRune([]byte(`\.+*?()|[]{}^$`), r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
