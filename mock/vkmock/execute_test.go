package vkmock_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func TestExecuteBatchesAndFailingSlots(t *testing.T) {
	e := newEnv(t)
	code := `return [API.groups.getById({"group_id": ` + gid + `, fields: "is_government_organization"}),
		API.wall.post({owner_id: ` + owner + `, message: "из execute", from_group: true}),
		API.groups.getMembers({group_id: Args.g, filter: "managers"}),
		API.groups.getSettings({}), 42, "s", null, {a: [1, -2.5, false]}];`
	a := e.call("execute", e.user, "code", code, "g", gid)
	require.Nil(t, a.Error)
	var r []json.RawMessage
	require.NoError(t, json.Unmarshal(a.Response, &r))
	require.Len(t, r, 8)
	assert.Contains(t, string(r[0]), `"groups"`)
	assert.Contains(t, string(r[1]), `"post_id"`)
	assert.Contains(t, string(r[2]), `"creator"`)
	assert.Equal(t, "false", string(r[3]), "a failing call is false")
	assert.JSONEq(t, `42`, string(r[4]))
	assert.JSONEq(t, `{"a":[1,-2.5,false]}`, string(r[7]))
	require.Len(t, a.ExecuteErrors, 1)
	assert.Equal(t, "groups.getSettings", a.ExecuteErrors[0].Method)
	assert.Equal(t, 100, a.ExecuteErrors[0].Code)
	assert.Len(t, e.srv.Posts(world.DefaultVKGroupID), 1)

	// A single call.
	a = e.call("execute", e.group, "code", `return API.utils.resolveScreenName({screen_name: "minsvyaz29"});`)
	require.Nil(t, a.Error)
	assert.JSONEq(t, `{"type":"page","object_id":200000001}`, string(a.Response))
	// Token kinds apply inside: a community token cannot post.
	a = e.call("execute", e.group, "code", `return [API.wall.post({owner_id: `+owner+`, message: "x"})];`)
	require.Nil(t, a.Error)
	assert.Equal(t, 27, a.ExecuteErrors[0].Code)
	// A service token cannot execute.
	assert.Equal(t, 28, e.call("execute", e.svc, "code", `return 1;`).code())
}

func TestExecuteFaultRulesApplyToInnerCalls(t *testing.T) {
	e := newEnv(t)
	_, err := e.w.Faults.Add(world.Rule{Party: "vk", Method: "wall.post", Kind: world.FaultError, Code: 214, Description: "Access to adding post denied", Nth: 2})
	require.NoError(t, err)
	code := `return [API.wall.post({owner_id: ` + owner + `, message: "1"}), API.wall.post({owner_id: ` + owner + `, message: "2"}), API.wall.post({owner_id: ` + owner + `, message: "3"})];`
	a := e.call("execute", e.user, "code", code)
	require.Nil(t, a.Error, "the execute call itself succeeds")
	var r []json.RawMessage
	require.NoError(t, json.Unmarshal(a.Response, &r))
	assert.Equal(t, "false", string(r[1]))
	assert.NotEqual(t, "false", string(r[0]))
	require.Len(t, a.ExecuteErrors, 1)
	assert.Equal(t, "wall.post", a.ExecuteErrors[0].Method)
	assert.Equal(t, 214, a.ExecuteErrors[0].Code)
	assert.Equal(t, "Access to adding post denied", a.ExecuteErrors[0].Msg)
	assert.Len(t, e.srv.Posts(world.DefaultVKGroupID), 2)
	// A captcha rule inside execute surfaces as a failing slot too.
	_, err = e.w.Faults.Add(world.Rule{Party: "vk", Method: "groups.getById", Kind: world.FaultError, Code: 14, First: 1})
	require.NoError(t, err)
	a = e.call("execute", e.user, "code", `return [API.groups.getById({group_id: `+gid+`})];`)
	require.Nil(t, a.Error)
	assert.Equal(t, 14, a.ExecuteErrors[0].Code)
}

func TestExecuteOutsideTheSubset(t *testing.T) {
	e := newEnv(t)
	for _, code := range []string{
		`var a = 1; return a;`,
		`return API.wall.post({}) + 1;`,
		`while (true) {}`,
		`return "unterminated;`,
		`return API.wall({});`,
		`return [1, 2`,
	} {
		a := e.call("execute", e.user, "code", code)
		require.NotNil(t, a.Error, code)
		assert.Equal(t, 12, a.Error.Code, code)
		assert.True(t, strings.HasPrefix(a.Error.Msg, "Unable to compile code"), a.Error.Msg)
	}
	calls := make([]string, 26)
	for i := range calls {
		calls[i] = `API.groups.getById({group_id: ` + gid + `})`
	}
	a := e.call("execute", e.user, "code", "return ["+strings.Join(calls, ",")+"];")
	assert.Equal(t, 13, a.code(), "at most 25 calls")
	assert.Equal(t, 100, e.call("execute", e.user).code(), "code is required")
}

func TestParseSubset(t *testing.T) {
	p, err := vkmock.Parse(`return [API.a.b({x: 'q\'s', "y": [1,2]}), Args.z, {k: API.c.d()}]; // done`)
	require.NoError(t, err)
	assert.Equal(t, 2, p.Calls())
	_, err = vkmock.Parse(strings.Repeat("[", 100) + "1" + strings.Repeat("]", 100))
	require.Error(t, err)
	_, err = vkmock.Parse("return " + strings.Repeat("[", 100) + "1" + strings.Repeat("]", 100) + ";")
	var ce *vkmock.CompileError
	require.ErrorAs(t, err, &ce)
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`return API.groups.getById({group_id: 1});`,
		`return [API.wall.post({owner_id: -1, message: "x\u0041", attachments: ["a", "b"]}), Args.x, true, null, -1.5];`,
		`return {a: {b: [{}]}};`, `return 'x';`, `return`, `return [,];`, `return API.a.b(`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		p, err := vkmock.Parse(code)
		if err != nil {
			var ce *vkmock.CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("error of another type: %v", err)
			}
			return
		}
		if p.Calls() < 0 {
			t.Fatal("negative call count")
		}
		// A program that parses has a "return" and parses again the same.
		p2, err := vkmock.Parse(code)
		if err != nil || p2.Calls() != p.Calls() {
			t.Fatalf("parse not deterministic: %v", err)
		}
	})
}

// FuzzExecute runs arbitrary code through the whole execute method: the
// answer is always VK's envelope, never a panic.
func FuzzExecute(f *testing.F) {
	w, err := world.New(world.WithFrozenClock(epoch))
	if err != nil {
		f.Fatal(err)
	}
	srv := vkmock.New(w, vkmock.WithLimits(vkmock.Limits{Disabled: true}))
	f.Cleanup(func() { _ = srv.Close() })
	var tok string
	for _, tk := range srv.Section().Tokens() {
		if tk.Kind == vkmock.KindUser {
			tok = tk.Token
		}
	}
	for _, s := range []string{
		`return [API.groups.getById({group_id: 200000001}), API.groups.getSettings({})];`,
		`return API.utils.resolveScreenName({screen_name: Args.x});`,
		`return [API.groups.getMembers({group_id: 200000001, filter: "managers"}), 1, "a", {b: null}];`,
		`return API.nothing.here({});`, `return API.execute.x();`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		form := url.Values{"v": {"5.199"}, "code": {code}, "x": {"minsvyaz29"}, "access_token": {tok}}
		req := httptest.NewRequest(http.MethodPost, "/method/execute", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		var env map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		_, resp := env["response"]
		_, e := env["error"]
		if resp == e {
			t.Fatalf("exactly one of response and error: %s", rec.Body.Bytes())
		}
	})
}

// TestExecuteFaultParamsAndGatewayStatus: inside execute, a rule with
// parameters fires only on the inner call with those parameters, and an
// http_status rule is VK's internal error (10) for that call while the
// execute request itself answers normally.
func TestExecuteFaultParamsAndGatewayStatus(t *testing.T) {
	e := newEnv(t)
	owner := "-" + strconv.FormatInt(world.DefaultVKGroupID, 10)
	_, err := e.w.Faults.Add(world.Rule{Party: "vk", Method: "wall.post", Kind: world.FaultError, Code: 214,
		Params: map[string]string{"message": "2"}})
	require.NoError(t, err)
	code := `return [API.wall.post({owner_id: ` + owner + `, message: "1"}), API.wall.post({owner_id: ` + owner + `, message: "2"})];`
	a := e.call("execute", e.user, "code", code)
	require.Nil(t, a.Error)
	require.Len(t, a.ExecuteErrors, 1)
	assert.Equal(t, 214, a.ExecuteErrors[0].Code)
	var r []json.RawMessage
	require.NoError(t, json.Unmarshal(a.Response, &r))
	assert.NotEqual(t, "false", string(r[0]))
	assert.Equal(t, "false", string(r[1]))

	e.w.Faults.Reset()
	_, err = e.w.Faults.Add(world.Rule{Party: "vk", Method: "wall.post", Kind: world.FaultHTTPStatus, Code: 504})
	require.NoError(t, err)
	a = e.call("execute", e.user, "code", `return [API.wall.post({owner_id: `+owner+`, message: "3"})];`)
	require.Nil(t, a.Error, "the execute request is not the gateway failure")
	require.Len(t, a.ExecuteErrors, 1)
	assert.Equal(t, 10, a.ExecuteErrors[0].Code)
}
