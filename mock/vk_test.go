package mock_test

import (
	"context"
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

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/govmark"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func vkCall(t *testing.T, base, method, token string, kv ...string) map[string]json.RawMessage {
	t.Helper()
	v := url.Values{"v": {"5.199"}, "access_token": {token}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	resp, err := http.PostForm(base+"/method/"+method, v)
	require.NoError(t, err)
	defer resp.Body.Close()
	var m map[string]json.RawMessage
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	return m
}

func TestSandboxVKCredentials(t *testing.T) {
	sb := mock.Start(t, mock.WithFrozenClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
	c := sb.Credentials.VK
	assert.Equal(t, world.DefaultVKGroupID, c.GroupID)
	assert.Equal(t, world.DefaultChiefVKID, c.UserID)
	assert.Equal(t, "minsvyaz29", c.ScreenName)
	for _, tok := range []string{c.UserToken, c.CommunityToken, c.ServiceToken} {
		require.True(t, strings.HasPrefix(tok, vkmock.SandboxTokenPrefix), tok)
	}
	m := vkCall(t, sb.VKURL, "groups.getById", c.CommunityToken, "group_id", strconv.FormatInt(c.GroupID, 10))
	assert.Contains(t, string(m["response"]), `"minsvyaz29"`)
	// The manifest carries them under "vk", with the URL.
	man := sb.Manifest()
	assert.Equal(t, sb.VKURL, man["vk"])
	creds := man["credentials"].(map[string]any)
	assert.Contains(t, creds, "vk")
}

func TestSandboxVKTenantIsolation(t *testing.T) {
	sb := mock.Start(t)
	tn, err := sb.CreateTenant("suite-b", nil)
	require.NoError(t, err)
	a, b := sb.Credentials.VK, tn.Credentials().VK
	require.NotEqual(t, a.UserToken, b.UserToken, "each tenant has tokens of its own")
	gid := strconv.FormatInt(world.DefaultVKGroupID, 10)
	owner := "-" + gid
	// A post through tenant b's token lands in tenant b's world only.
	m := vkCall(t, sb.VKURL, "wall.post", b.UserToken, "owner_id", owner, "message", "b")
	require.Contains(t, string(m["response"]), "post_id", string(m["error"]))
	assert.Len(t, tn.VK.Posts(world.DefaultVKGroupID), 1)
	assert.Empty(t, sb.VK.Posts(world.DefaultVKGroupID))
	assert.Equal(t, 1, tn.Journal.Count("vk", "wall.post"))
	assert.Zero(t, sb.Journal.Count("vk", "wall.post"))
	// X-Mock-Tenant naming another tenant than the token's is refused.
	req, _ := http.NewRequest(http.MethodPost, sb.VKURL+"/method/groups.getById", strings.NewReader("v=5.199&group_id="+gid))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+a.UserToken)
	req.Header.Set("X-Mock-Tenant", "suite-b")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), `"error_code":5`)
	// Upload URLs handed out in tenant b are served by tenant b.
	var us struct {
		Response struct {
			UploadURL string `json:"upload_url"`
		} `json:"response"`
	}
	raw, _ := json.Marshal(vkCall(t, sb.VKURL, "photos.getWallUploadServer", b.UserToken, "group_id", gid))
	require.NoError(t, json.Unmarshal(raw, &us))
	require.NotEmpty(t, us.Response.UploadURL)
	resp, err = http.Post(us.Response.UploadURL, "multipart/form-data; boundary=x", strings.NewReader("--x--\r\n"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 1, tn.Journal.Count("vk", "upload"))
	assert.Zero(t, sb.Journal.Count("vk", "upload"))
}

func TestSandboxVKGovMarkFlow(t *testing.T) {
	sb := mock.Start(t, mock.WithFrozenClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
	ctx := context.Background()
	c := sb.Credentials.VK
	gid := strconv.FormatInt(c.GroupID, 10)
	missing, err := sb.VK.GovRequirements(c.GroupID)
	require.NoError(t, err)
	assert.Equal(t, []string{"Тематика сообщества должна быть «Государственная организация»"}, missing)

	// The management page offers the button.
	resp, err := http.Get(sb.VK.GovPageURL(c.GroupID, c.UserToken))
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(page), "Подтвердить через Госуслуги")

	// An employee who is neither chief nor administrator of the ministry
	// in ESIA is refused (and gets no request).
	emp := vkmock.Token{Token: vkmock.NewToken(vkmock.KindUser, 501), Kind: vkmock.KindUser, UserID: world.DefaultEmployeeVKID, Scopes: []string{"groups"}}
	require.NoError(t, sb.VK.Section().AddToken(emp, sb.World))
	require.NoError(t, sb.World.ModifyPage(world.NetworkVK, c.GroupID, func(p *world.Page) error {
		p.Admins[1].Role = world.RoleAdministrator
		return nil
	}))
	_, err = sb.VK.ConfirmThroughGosuslugi(ctx, c.GroupID, emp.Token, world.DefaultEmployeeOID, world.DefaultMinistryOID)
	require.ErrorIs(t, err, vkmock.ErrGovFlow)
	p, _ := sb.World.Page(world.NetworkVK, c.GroupID)
	assert.Equal(t, world.GovNone, p.Gov.Status)

	// The chief applies with the category still missing: rejected with
	// reasons after the review.
	m, err := sb.VK.ConfirmThroughGosuslugi(ctx, c.GroupID, c.UserToken, world.DefaultChiefOID, world.DefaultMinistryOID)
	require.NoError(t, err)
	assert.Equal(t, world.GovUnderReview, m.Status)
	sb.Clock.Advance(24 * time.Hour)
	p, _ = sb.World.Page(world.NetworkVK, c.GroupID)
	require.Equal(t, world.GovRejected, p.Gov.Status)
	assert.Equal(t, missing, p.Gov.Reasons)

	// Fixed through the API, applied again: confirmed within 24 hours.
	m2 := vkCall(t, sb.VKURL, "groups.edit", c.UserToken, "group_id", gid, "public_category", strconv.Itoa(vkmock.GovCategoryID))
	require.JSONEq(t, `1`, string(m2["response"]))
	m, err = sb.VK.ConfirmThroughGosuslugi(ctx, c.GroupID, c.UserToken, world.DefaultChiefOID, world.DefaultMinistryOID)
	require.NoError(t, err)
	require.Equal(t, world.GovUnderReview, m.Status)
	sb.Clock.Advance(govmark.DefaultReviewDelay - time.Minute)
	p, _ = sb.World.Page(world.NetworkVK, c.GroupID)
	assert.Equal(t, world.GovUnderReview, p.Gov.Status)
	sb.Clock.Advance(time.Minute)
	p, _ = sb.World.Page(world.NetworkVK, c.GroupID)
	assert.Equal(t, world.GovConfirmed, p.Gov.Status)
	m2 = vkCall(t, sb.VKURL, "groups.getById", c.ServiceToken, "group_id", gid, "fields", "is_government_organization")
	assert.Contains(t, string(m2["response"]), `"is_government_organization":1`)

	// Every call VK made to ESIA was served by the community's tenant.
	assert.Positive(t, sb.Journal.Count("esia", ""))
	for _, e := range sb.Journal.Entries(world.Filter{Party: "esia"}) {
		assert.Equal(t, mock.DefaultTenant, e.Tenant)
	}
}

func TestSandboxVKControlRoutes(t *testing.T) {
	sb := mock.Start(t)
	c := sb.Credentials.VK
	ctl := sb.ControlURL + "/_mock/vk"
	post := func(path, body string) (int, map[string]any) {
		resp, err := http.Post(ctl+path, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	gid := strconv.FormatInt(c.GroupID, 10)
	m := vkCall(t, sb.VKURL, "wall.post", c.UserToken, "owner_id", "-"+gid, "message", "x")
	var pr struct {
		PostID int64 `json:"post_id"`
	}
	require.NoError(t, json.Unmarshal(m["response"], &pr))
	code, out := post("/comment", `{"group_id":`+gid+`,"post_id":`+strconv.FormatInt(pr.PostID, 10)+`,"user_id":800000002,"text":"hi"}`)
	assert.Equal(t, 200, code)
	assert.Contains(t, out, "comment_id")
	code, _ = post("/comment", `{"group_id":`+gid+`,"post_id":999,"user_id":1,"text":"hi"}`)
	assert.Equal(t, 404, code)
	code, _ = post("/message", `{"group_id":`+gid+`,"user_id":800000002,"text":"hi"}`)
	assert.Equal(t, 200, code)
	resp, err := http.Get(ctl + "/gov?group_id=" + gid)
	require.NoError(t, err)
	var g struct {
		Missing []string `json:"missing"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&g))
	resp.Body.Close()
	assert.Len(t, g.Missing, 1)
	code, out = post("/gov", `{"group_id":`+gid+`,"user_token":"`+c.UserToken+`","person_oid":1000000101,"org_oid":1000001}`)
	require.Equal(t, 200, code, out)
	assert.Equal(t, "under_review", out["gov"].(map[string]any)["status"])
	resp, err = http.Get(ctl + "/posts?group_id=" + gid)
	require.NoError(t, err)
	var posts []vkmock.Post
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&posts))
	resp.Body.Close()
	assert.Len(t, posts, 1)
}

func TestSandboxVKGovMarkFlowInATenant(t *testing.T) {
	sb := mock.Start(t)
	tn, err := sb.CreateTenant("suite-gov", nil)
	require.NoError(t, err)
	tn.Clock.Freeze()
	c := tn.Credentials().VK
	require.NoError(t, tn.VK.Section().ModifyCommunity(c.GroupID, func(vc *vkmock.Community) error {
		vc.PublicCategory = vkmock.GovCategoryID
		return nil
	}))
	before := sb.Journal.Count("esia", "")
	m, err := tn.VK.ConfirmThroughGosuslugi(context.Background(), c.GroupID, c.UserToken, world.DefaultChiefOID, world.DefaultMinistryOID)
	require.NoError(t, err)
	assert.Equal(t, world.GovUnderReview, m.Status)
	tn.Clock.Advance(govmark.DefaultReviewDelay)
	p, _ := tn.World.Page(world.NetworkVK, c.GroupID)
	assert.Equal(t, world.GovConfirmed, p.Gov.Status)
	dp, _ := sb.World.Page(world.NetworkVK, c.GroupID)
	assert.Equal(t, world.GovNone, dp.Gov.Status, "the default tenant's page is untouched")
	assert.Equal(t, before, sb.Journal.Count("esia", ""), "no ESIA call reached the default tenant")
	esia := tn.Journal.Entries(world.Filter{Party: "esia"})
	require.NotEmpty(t, esia)
	for _, e := range esia {
		assert.Equal(t, "suite-gov", e.Tenant)
	}
}
