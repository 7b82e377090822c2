package vkmock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
)

var gid = strconv.FormatInt(world.DefaultVKGroupID, 10)
var owner = "-" + gid

func TestTokenTransportsAndBodies(t *testing.T) {
	e := newEnv(t)
	check := func(a answer) {
		t.Helper()
		require.Nil(t, a.Error)
		var r struct {
			Groups   []map[string]any `json:"groups"`
			Profiles []any            `json:"profiles"`
		}
		require.NoError(t, json.Unmarshal(a.Response, &r))
		require.Len(t, r.Groups, 1)
		assert.EqualValues(t, world.DefaultVKGroupID, r.Groups[0]["id"])
		assert.NotNil(t, r.Profiles)
	}
	// Bearer header, urlencoded POST.
	check(e.call("groups.getById", e.user, "group_id", gid))
	// access_token in the query of a GET.
	req, _ := http.NewRequest(http.MethodGet, e.url+"/method/groups.getById?v=5.199&group_ids=minsvyaz29&access_token="+e.svc, nil)
	check(e.do(req))
	// access_token in a body sent without Content-Type (VK's own Node client).
	req, _ = http.NewRequest(http.MethodPost, e.url+"/method/groups.getById", strings.NewReader("v=5.199&group_id="+gid+"&access_token="+e.group))
	req.Header.Del("Content-Type")
	check(e.do(req))
	// multipart.
	body, ct := multipartBody(t, "", "", nil, "v", "5.199", "group_id", gid, "access_token", e.user)
	req, _ = http.NewRequest(http.MethodPost, e.url+"/method/groups.getById", body)
	req.Header.Set("Content-Type", ct)
	check(e.do(req))
}

func TestErrorsAsVKGivesThem(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, method, token string
		kv                  []string
		code                int
		msg                 string
	}{
		{"unknown method", "groups.nothing", e.user, nil, 3, "Unknown method passed"},
		{"no token", "groups.getById", "", []string{"group_id", gid}, 5, "User authorization failed: no access_token passed."},
		{"bad token", "groups.getById", "vkmock.u.unknown-token-000000", []string{"group_id", gid}, 5, "User authorization failed: invalid access_token (4)."},
		{"community token on a user method", "wall.post", e.group, []string{"owner_id", owner, "message", "x"}, 27, "Group authorization failed: method is unavailable with group auth."},
		{"service token on a user method", "groups.getSettings", e.svc, []string{"group_id", gid}, 28, "Application authorization failed: method is unavailable with service token."},
		{"missing parameter", "groups.getSettings", e.user, nil, 100, "One of the parameters specified was missing or invalid: group_id is undefined"},
		{"not an integer", "groups.getSettings", e.user, []string{"group_id", "abc"}, 100, "One of the parameters specified was missing or invalid: group_id not integer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := e.call(c.method, c.token, c.kv...)
			require.NotNil(t, a.Error)
			assert.Equal(t, c.code, a.Error.Code)
			assert.Equal(t, c.msg, a.Error.Msg)
			assert.Equal(t, "method", a.Error.RequestParams[0].Key)
			assert.Equal(t, c.method, a.Error.RequestParams[0].Value)
			for _, p := range a.Error.RequestParams {
				assert.NotEqual(t, "access_token", p.Key)
				if c.token != "" {
					assert.NotContains(t, p.Value, c.token)
				}
			}
		})
	}
	// A user token without the scope: 15.
	tok := vkmock.Token{Token: vkmock.NewToken(vkmock.KindUser, 77), Kind: vkmock.KindUser, UserID: world.DefaultChiefVKID, Scopes: []string{"groups"}}
	require.NoError(t, e.srv.Section().AddToken(tok, e.w))
	a := e.call("wall.post", tok.Token, "owner_id", owner, "message", "x")
	assert.Equal(t, 15, a.code())
	// Missing v: 8.
	req, _ := http.NewRequest(http.MethodGet, e.url+"/method/groups.getById?group_id="+gid+"&access_token="+e.user, nil)
	assert.Equal(t, 8, e.do(req).code())
	// request_params echo the parameters with oauth=1.
	a = e.call("groups.getSettings", e.user, "group_id", "abc")
	assert.Contains(t, a.Error.RequestParams, struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	}{"oauth", "1"})
}

func TestProductionLookingTokensRefused(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	sec := vkmock.SectionOf(w)
	for _, tok := range []string{"vk1.a.abcdefghijklmnopqrstuvwxyz0123456789", strings.Repeat("a1", 43)[:85], "short"} {
		err := sec.AddToken(vkmock.Token{Token: tok, Kind: vkmock.KindService}, w)
		require.ErrorIs(t, err, world.ErrInvalid, tok)
		assert.NotContains(t, err.Error(), tok, "no secret in errors")
	}
}

func TestGroupsReadAndEdit(t *testing.T) {
	e := newEnv(t)
	var r struct {
		Groups []map[string]any `json:"groups"`
	}
	e.ok(&r, "groups.getById", e.user, "group_ids", gid, "fields", "is_government_organization,verified,menu,has_photo,description,city,activity,links,members_count")
	g := r.Groups[0]
	assert.EqualValues(t, 0, g["is_government_organization"])
	assert.EqualValues(t, 0, g["verified"])
	assert.EqualValues(t, 1, g["has_photo"])
	assert.EqualValues(t, 0, g["is_closed"])
	assert.Equal(t, "page", g["type"])
	assert.EqualValues(t, 3, g["admin_level"])
	assert.Equal(t, map[string]any{"id": 10.0, "title": "Архангельск"}, g["city"])
	items := g["menu"].(map[string]any)["items"].([]any)
	require.Len(t, items, 3) // the two POS items, then a link
	assert.Equal(t, "Решаем вместе", items[0].(map[string]any)["title"])
	assert.Equal(t, "Сообщить о проблеме", items[0].(map[string]any)["cover"])
	assert.Len(t, g["links"], 1)

	var st map[string]any
	e.ok(&st, "groups.getSettings", e.user, "group_id", gid)
	assert.EqualValues(t, 1001, st["public_category"])
	found := false
	for _, c := range st["public_category_list"].([]any) {
		if c.(map[string]any)["name"] == "Государственная организация" {
			found = true
			assert.EqualValues(t, vkmock.GovCategoryID, c.(map[string]any)["id"])
		}
	}
	assert.True(t, found)

	e.ok(nil, "groups.edit", e.user, "group_id", gid, "public_category", strconv.Itoa(vkmock.GovCategoryID), "description", "Новое описание", "city", "1")
	p, _ := e.w.Page(world.NetworkVK, world.DefaultVKGroupID)
	assert.Equal(t, "Новое описание", p.Description)
	assert.Equal(t, "Москва", p.City)
	assert.Equal(t, vkmock.GovCategoryID, e.srv.Section().Community(p.ID).PublicCategory)
	assert.Equal(t, 1260, e.call("groups.edit", e.user, "group_id", gid, "screen_name", "Bad Name!").code())
	// The editor may not edit settings.
	ed := vkmock.Token{Token: vkmock.NewToken(vkmock.KindUser, 91), Kind: vkmock.KindUser, UserID: world.DefaultEmployeeVKID, Scopes: []string{"groups", "wall"}}
	require.NoError(t, e.srv.Section().AddToken(ed, e.w))
	assert.Equal(t, 15, e.call("groups.edit", ed.Token, "group_id", gid, "title", "X").code())

	// Managers with roles.
	var m struct {
		Count int `json:"count"`
		Items []struct {
			ID   int64  `json:"id"`
			Role string `json:"role"`
		} `json:"items"`
	}
	e.ok(&m, "groups.getMembers", e.group, "group_id", gid, "filter", "managers")
	require.Equal(t, 2, m.Count)
	assert.Equal(t, world.DefaultChiefVKID, m.Items[0].ID)
	assert.Equal(t, "creator", m.Items[0].Role)
	assert.Equal(t, "editor", m.Items[1].Role)
	assert.Equal(t, 15, e.call("groups.getMembers", e.svc, "group_id", gid, "filter", "managers").code())

	// Links.
	var l struct {
		ID int64 `json:"id"`
	}
	e.ok(&l, "groups.addLink", e.user, "group_id", gid, "link", "https://gosuslugi.ru", "text", "Госуслуги")
	e.ok(nil, "groups.editLink", e.user, "group_id", gid, "link_id", strconv.FormatInt(l.ID, 10), "text", "Портал")
	e.ok(nil, "groups.reorderLink", e.user, "group_id", gid, "link_id", strconv.FormatInt(l.ID, 10), "after", "0")
	links := e.srv.Section().Community(world.DefaultVKGroupID).Links
	require.Len(t, links, 2)
	assert.Equal(t, "Портал", links[0].Name)
	e.ok(nil, "groups.deleteLink", e.user, "group_id", gid, "link_id", strconv.FormatInt(l.ID, 10))
	assert.Len(t, e.srv.Section().Community(world.DefaultVKGroupID).Links, 1)
	assert.Equal(t, 27, e.call("groups.addLink", e.group, "group_id", gid, "link", "https://x.example").code())

	var sn map[string]any
	e.ok(&sn, "utils.resolveScreenName", e.svc, "screen_name", "minsvyaz29")
	assert.Equal(t, map[string]any{"type": "page", "object_id": float64(world.DefaultVKGroupID)}, sn)
	a := e.call("utils.resolveScreenName", e.svc, "screen_name", "nobody_here")
	assert.JSONEq(t, `[]`, string(a.Response))
}

func TestRenameMovesConfirmedMarkToLost(t *testing.T) {
	e := newEnv(t)
	_, err := e.w.RequestGovMark(world.NetworkVK, world.DefaultVKGroupID)
	require.NoError(t, err)
	_, err = e.w.ConfirmGovMark(world.NetworkVK, world.DefaultVKGroupID)
	require.NoError(t, err)
	var r struct {
		Groups []map[string]any `json:"groups"`
	}
	e.ok(&r, "groups.getById", e.svc, "group_id", gid, "fields", "is_government_organization")
	assert.EqualValues(t, 1, r.Groups[0]["is_government_organization"])
	e.ok(nil, "groups.edit", e.user, "group_id", gid, "title", "Новое имя")
	p, _ := e.w.Page(world.NetworkVK, world.DefaultVKGroupID)
	assert.Equal(t, world.GovLost, p.Gov.Status)
	e.ok(&r, "groups.getById", e.svc, "group_id", gid, "fields", "is_government_organization")
	assert.EqualValues(t, 0, r.Groups[0]["is_government_organization"])
}

func TestRateLimitsOnTheWorldClock(t *testing.T) {
	e := newEnv(t, vkmock.WithLimits(vkmock.DefaultLimits()))
	for i := 0; i < 3; i++ {
		require.Zero(t, e.call("groups.getById", e.user, "group_id", gid).code())
	}
	assert.Equal(t, 6, e.call("groups.getById", e.user, "group_id", gid).code(), "3 rps for a user token")
	// Another token has its own budget.
	require.Zero(t, e.call("groups.getById", e.svc, "group_id", gid).code())
	for i := 0; i < 20; i++ {
		require.Zero(t, e.call("groups.getById", e.group, "group_id", gid).code(), i)
	}
	assert.Equal(t, 6, e.call("groups.getById", e.group, "group_id", gid).code(), "20 rps for a community token")
	e.w.Clock.Advance(time.Second)
	assert.Zero(t, e.call("groups.getById", e.user, "group_id", gid).code())

	// Per-method quota: 29.
	e.srv.SetLimits(vkmock.Limits{MethodQuotas: map[string]int{"groups.getById": 2}})
	e.w.Clock.Advance(time.Second)
	require.Zero(t, e.call("groups.getById", e.user, "group_id", gid).code())
	require.Zero(t, e.call("groups.getById", e.user, "group_id", gid).code())
	a := e.call("groups.getById", e.user, "group_id", gid)
	require.Equal(t, 29, a.code())
	assert.Equal(t, "Rate limit reached", a.Error.Msg)
	e.w.Clock.Advance(24 * time.Hour)
	assert.Zero(t, e.call("groups.getById", e.user, "group_id", gid).code(), "a new day")
}

func TestDailyPostCap(t *testing.T) {
	e := newEnv(t, vkmock.WithLimits(vkmock.Limits{DailyPosts: 2, UserRPS: 1000}))
	e.ok(nil, "wall.post", e.user, "owner_id", owner, "message", "1")
	e.ok(nil, "wall.post", e.user, "owner_id", owner, "message", "2")
	a := e.call("wall.post", e.user, "owner_id", owner, "message", "3")
	assert.Equal(t, 214, a.code())
	assert.Contains(t, a.Error.Msg, "2 posts a day")
	e.w.Clock.Advance(24 * time.Hour)
	e.ok(nil, "wall.post", e.user, "owner_id", owner, "message", "3")
	assert.Equal(t, 50, vkmock.DefaultLimits().DailyPosts)
}

func TestWallLifecycleAndGuid(t *testing.T) {
	e := newEnv(t)
	var p1, p2, p3 struct {
		PostID int64 `json:"post_id"`
	}
	e.ok(&p1, "wall.post", e.user, "owner_id", owner, "from_group", "1", "message", "Новость", "guid", "k1")
	e.w.Clock.Advance(30 * time.Minute)
	e.ok(&p2, "wall.post", e.user, "owner_id", owner, "from_group", "1", "message", "Новость", "guid", "k1")
	assert.Equal(t, p1.PostID, p2.PostID, "a repeat within an hour is the same post")
	assert.Len(t, e.srv.Posts(world.DefaultVKGroupID), 1)
	e.w.Clock.Advance(31 * time.Minute)
	e.ok(&p3, "wall.post", e.user, "owner_id", owner, "from_group", "1", "message", "Новость", "guid", "k1")
	assert.NotEqual(t, p1.PostID, p3.PostID, "the guid window is one hour")

	assert.Equal(t, 100, e.call("wall.post", e.user, "owner_id", owner).code(), "no message, no attachments")
	assert.Equal(t, 100, e.call("wall.post", e.user, "owner_id", owner, "attachments", "photo1_2").code(), "unknown media")

	id := strconv.FormatInt(p1.PostID, 10)
	e.ok(nil, "wall.edit", e.user, "owner_id", owner, "post_id", id, "message", "Исправлено")
	var got struct {
		Items []map[string]any `json:"items"`
	}
	e.ok(&got, "wall.getById", e.svc, "posts", owner+"_"+id)
	require.Len(t, got.Items, 1)
	assert.Equal(t, "Исправлено", got.Items[0]["text"])
	assert.EqualValues(t, -world.DefaultVKGroupID, got.Items[0]["from_id"])
	var list struct {
		Count int `json:"count"`
	}
	e.ok(&list, "wall.get", e.svc, "owner_id", owner)
	assert.Equal(t, 2, list.Count)
	var reach []map[string]any
	e.ok(&reach, "stats.getPostReach", e.user, "owner_id", owner, "post_ids", id)
	assert.EqualValues(t, 1, reach[0]["reach_total"], "one view through wall.getById")
	var stats []map[string]any
	e.ok(&stats, "stats.get", e.user, "group_id", gid, "interval", "day", "intervals_count", "2")
	assert.Len(t, stats, 2)
	e.ok(nil, "wall.delete", e.user, "owner_id", owner, "post_id", id)
	assert.Equal(t, 210, e.call("wall.delete", e.user, "owner_id", owner, "post_id", id).code())
	// Scheduled.
	var sch struct {
		PostID int64 `json:"post_id"`
	}
	e.ok(&sch, "wall.post", e.user, "owner_id", owner, "message", "Завтра", "publish_date", strconv.FormatInt(epoch.Add(48*time.Hour).Unix(), 10))
	e.ok(&list, "wall.get", e.user, "owner_id", owner, "filter", "postponed")
	assert.Equal(t, 1, list.Count)
}

func TestPhotoVideoPollUploads(t *testing.T) {
	e := newEnv(t, vkmock.WithLimits(vkmock.Limits{UserRPS: 1000}))
	var us struct {
		UploadURL string `json:"upload_url"`
	}
	e.ok(&us, "photos.getWallUploadServer", e.user, "group_id", gid)
	require.True(t, strings.HasPrefix(us.UploadURL, e.url+"/upload/photo/"), us.UploadURL)
	upload := func(u, field string, data []byte) map[string]any {
		body, ct := multipartBody(t, field, "f.bin", data)
		resp, err := http.Post(u, ct, body)
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var m map[string]any
		require.NoError(t, json.Unmarshal(raw, &m), string(raw))
		return m
	}
	bad := upload(us.UploadURL, "photo", []byte("not an image"))
	assert.Equal(t, "[]", bad["photo"])
	good := upload(us.UploadURL, "photo", pngBytes)
	require.NotEqual(t, "[]", good["photo"])
	var saved []map[string]any
	e.ok(&saved, "photos.saveWallPhoto", e.user, "group_id", gid, "photo", good["photo"].(string),
		"server", strconv.Itoa(int(good["server"].(float64))), "hash", good["hash"].(string))
	require.Len(t, saved, 1)
	att := "photo" + strconv.Itoa(int(saved[0]["owner_id"].(float64))) + "_" + strconv.Itoa(int(saved[0]["id"].(float64)))
	assert.Equal(t, 121, e.call("photos.saveWallPhoto", e.user, "group_id", gid, "photo", good["photo"].(string), "server", "1", "hash", good["hash"].(string)).code(), "a hash is saved once")
	assert.Equal(t, 27, e.call("photos.getWallUploadServer", e.group, "group_id", gid).code())

	var vs struct {
		UploadURL string `json:"upload_url"`
		VideoID   int64  `json:"video_id"`
		OwnerID   int64  `json:"owner_id"`
	}
	e.ok(&vs, "video.save", e.user, "group_id", gid, "name", "Ролик")
	vr := upload(vs.UploadURL, "video_file", []byte("video bytes"))
	assert.EqualValues(t, vs.VideoID, vr["video_id"])
	vatt := "video" + strconv.FormatInt(vs.OwnerID, 10) + "_" + strconv.FormatInt(vs.VideoID, 10)

	var pl struct {
		ID      int64 `json:"id"`
		OwnerID int64 `json:"owner_id"`
	}
	e.ok(&pl, "polls.create", e.user, "owner_id", owner, "question", "Как вам?", "add_answers", `["Да","Нет"]`)
	patt := "poll" + strconv.FormatInt(pl.OwnerID, 10) + "_" + strconv.FormatInt(pl.ID, 10)
	assert.Equal(t, 100, e.call("polls.create", e.user, "owner_id", owner, "question", "?", "add_answers", `[]`).code())

	var post struct {
		PostID int64 `json:"post_id"`
	}
	e.ok(&post, "wall.post", e.user, "owner_id", owner, "attachments", att+","+vatt+","+patt+",https://minsvyaz29.example")
	ps := e.srv.Posts(world.DefaultVKGroupID)
	require.Len(t, ps, 1)
	assert.Len(t, ps[0].Attachments, 4)
	assert.Equal(t, 222, e.call("wall.post", e.user, "owner_id", owner, "attachments", "https://a.example,https://b.example").code())
}

func TestCaptchaThroughFaultRules(t *testing.T) {
	e := newEnv(t)
	_, err := e.w.Faults.Add(world.Rule{Party: "vk", Method: "wall.post", Kind: world.FaultError, Code: 14, First: 2})
	require.NoError(t, err)
	a := e.call("wall.post", e.user, "owner_id", owner, "message", "x")
	require.Equal(t, 14, a.code())
	assert.NotEmpty(t, a.Error.CaptchaSID)
	assert.True(t, strings.HasPrefix(a.Error.CaptchaImg, e.url))
	assert.True(t, strings.HasPrefix(a.Error.RedirectURI, e.url))
	// Classic: captcha_sid + captcha_key (read on the image).
	key, ok := e.srv.CaptchaKey(a.Error.CaptchaSID)
	require.True(t, ok)
	resp, err := http.Get(a.Error.CaptchaImg)
	require.NoError(t, err)
	img, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(img), key)
	// A wrong key: a new challenge (the rule fired for its second call too).
	a2 := e.call("wall.post", e.user, "owner_id", owner, "message", "x", "captcha_sid", a.Error.CaptchaSID, "captcha_key", "wrong")
	require.Equal(t, 14, a2.code())
	e.w.Clock.Advance(time.Second)
	a3 := e.call("wall.post", e.user, "owner_id", owner, "message", "x", "captcha_sid", a.Error.CaptchaSID, "captcha_key", "wrong")
	require.Equal(t, 14, a3.code(), "a wrong key gets a new captcha")
	// The redirect flow: the person solves it at redirect_uri, the call is
	// retried with success_token.
	k3, _ := e.srv.CaptchaKey(a3.Error.CaptchaSID)
	req, _ := http.NewRequest(http.MethodPost, a3.Error.RedirectURI, strings.NewReader(url.Values{"key": {k3}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	var st struct {
		SuccessToken string `json:"success_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&st))
	resp.Body.Close()
	require.NotEmpty(t, st.SuccessToken)
	e.ok(nil, "wall.post", e.user, "owner_id", owner, "message", "x", "success_token", st.SuccessToken)
	assert.Len(t, e.srv.Posts(world.DefaultVKGroupID), 1)
}
