package okmock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// client signs OK calls as the published algorithm says.
type client struct {
	t     *testing.T
	hc    *http.Client
	base  string
	key   string
	appS  string
	token string
	sess  string
}

func newClient(t *testing.T, sb *mock.Sandbox) *client {
	c := sb.Credentials.OK
	require.NotEmpty(t, c.ApplicationKey)
	return &client{t: t, hc: sb.HTTPClient(), base: sb.OKURL, key: c.ApplicationKey, appS: c.ApplicationSecret,
		token: c.AccessToken, sess: c.SessionSecret}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) errCode() int {
	var e struct {
		Code *int `json:"error_code"`
	}
	if json.Unmarshal(a.body, &e) != nil || e.Code == nil {
		return 0
	}
	return *e.Code
}

// do calls method with params; form: "fb-get", "fb-post", "api-get", "api-post".
func (c *client) do(form, method string, params map[string]string) answer {
	v := url.Values{"application_key": {c.key}, "format": {"json"}}
	if !strings.HasPrefix(form, "api") {
		v.Set("method", method)
	}
	for k, x := range params {
		v.Set(k, x)
	}
	secret := c.appS
	if c.token != "" {
		v.Set("access_token", c.token)
		secret = c.sess
	}
	if _, ok := params["sig"]; !ok {
		v.Set("sig", okmock.Signature(v, secret))
	}
	path := c.base + "/fb.do"
	if strings.HasPrefix(form, "api") {
		g, m, _ := strings.Cut(method, ".")
		path = c.base + "/api/" + g + "/" + m
	}
	var resp *http.Response
	var err error
	if strings.HasSuffix(form, "post") {
		resp, err = c.hc.Post(path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	} else {
		resp, err = c.hc.Get(path + "?" + v.Encode())
	}
	require.NoError(c.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return answer{resp.StatusCode, resp.Header, body}
}

func TestSignatureVectors(t *testing.T) {
	secret := okmock.SessionSecret("-s-84W-s3egarWUsbkq-IWTucuedzTKT8VUXIA.s4Xx8IW7", "ABC123DEF456GHI789JKL123")
	assert.Equal(t, "b1a2b89707a94624c43afae67d59274c", secret)
	v := url.Values{"application_key": {"ABCDEFGHIGKLMNOPK"}, "format": {"json"}, "method": {"events.get"},
		"access_token": {"-s-84W-s3egarWUsbkq-IWTucuedzTKT8VUXIA.s4Xx8IW7"}, "sig": {"ignored"}}
	assert.Equal(t, "232c8eb921951c4dba9b72606f9ddb4c", okmock.Signature(v, secret))
	assert.Equal(t, "03a41413523ea8092507949d6e711963", okmock.Signature(v, "ae5362b5b588cc7294c2414d71b74d5d"))
}

func TestBothURLFormsGetAndPost(t *testing.T) {
	sb := mock.Start(t)
	c := newClient(t, sb)
	gid := strconv.FormatInt(okmock.DefaultGroupID, 10)
	for _, form := range []string{"fb-get", "fb-post", "api-get", "api-post"} {
		a := c.do(form, "group.getInfo", map[string]string{"uids": gid, "fields": "name,access_type,pic_avatar,description,city,category,gos_org"})
		require.Equal(t, 200, a.status, form)
		var groups []map[string]any
		require.NoError(t, json.Unmarshal(a.body, &groups), string(a.body))
		require.Len(t, groups, 1, form)
		assert.Equal(t, gid, groups[0]["uid"])
		assert.Equal(t, "OPEN", groups[0]["access_type"])
		assert.Equal(t, "Архангельск", groups[0]["city"])
		assert.Equal(t, okmock.CategoryGov, groups[0]["category"])
		assert.Equal(t, false, groups[0]["gos_org"])
		assert.NotEmpty(t, groups[0]["pic_avatar"])
	}
	// The other secret variant: md5(access_token + application secret).
	c.sess = okmock.SessionSecret(c.token, c.appS)
	a := c.do("fb-get", "users.getCallsLeft", map[string]string{"methods": "mediatopic.post"})
	assert.Equal(t, 0, a.errCode(), string(a.body))
	assert.Contains(t, string(a.body), `"callsLeft"`)

	// The legacy session_key flow: session_key is sent and signed.
	cr := sb.Credentials.OK
	v := url.Values{"application_key": {cr.ApplicationKey}, "session_key": {cr.AccessToken}, "method": {"users.getCurrentUser"}}
	v.Set("sig", okmock.Signature(v, cr.SessionSecret))
	resp, err := c.hc.Get(sb.OKURL + "/fb.do?" + v.Encode())
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), `"uid":"`+strconv.FormatInt(cr.UserID, 10)+`"`)
	// A session-less call is signed with the application secret.
	c = newClient(t, sb)
	c.token = ""
	a = c.do("api-get", "url.getInfo", map[string]string{"url": "https://ok.ru/group/" + gid})
	assert.Contains(t, string(a.body), `"type":"GROUP"`)
}

func TestErrors(t *testing.T) {
	sb := mock.Start(t)
	gid := strconv.FormatInt(okmock.DefaultGroupID, 10)
	check := func(a answer, code int) {
		t.Helper()
		assert.Equal(t, 200, a.status)
		assert.Equal(t, strconv.Itoa(code), a.header.Get("invocation-error"))
		var e map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(a.body, &e))
		assert.Len(t, e, 3, string(a.body))
		assert.Equal(t, strconv.Itoa(code), string(e["error_code"]))
		assert.Contains(t, e, "error_msg")
		assert.Contains(t, e, "error_data")
	}
	c := newClient(t, sb)
	check(c.do("fb-get", "group.getInfo", map[string]string{"uids": gid, "fields": "name", "sig": "0123456789abcdef0123456789abcdef"}), 104)
	c.sess = "MOCKwrong"
	check(c.do("fb-get", "group.getInfo", map[string]string{"uids": gid, "fields": "name"}), 104)
	c = newClient(t, sb)
	c.key = "CBAUNKNOWN"
	check(c.do("api-get", "group.getInfo", map[string]string{"uids": gid, "fields": "name"}), 101)
	c = newClient(t, sb)
	check(c.do("fb-get", "no.such", nil), 3)
	c.token = "MOCKnotissued"
	check(c.do("fb-get", "group.getInfo", map[string]string{"uids": gid, "fields": "name"}), 103)
	c = newClient(t, sb)
	c.token = ""
	check(c.do("fb-get", "mediatopic.post", map[string]string{"type": "GROUP_THEME", "gid": gid, "attachment": `{"media":[{"type":"text","text":"x"}]}`}), 453)

	// Expired token (world clock) and missing permission.
	sec := sb.OK.Section()
	tok := okmock.Token{PersonOID: world.DefaultChiefOID, AccessToken: "MOCKshort", SessionSecret: "MOCKshortsecret",
		Permissions: []string{okmock.PermValuableAccess}, ExpiresAt: sb.Clock.Now().Add(time.Hour)}
	require.NoError(t, sec.PutToken(tok, ""))
	c = newClient(t, sb)
	c.token, c.sess = tok.AccessToken, tok.SessionSecret
	check(c.do("fb-get", "mediatopic.post", map[string]string{"type": "GROUP_THEME", "gid": gid, "attachment": `{"media":[{"type":"text","text":"x"}]}`}), 10)
	sb.Clock.Advance(2 * time.Hour)
	check(c.do("fb-get", "group.getInfo", map[string]string{"uids": gid, "fields": "name"}), 102)

	// A person without a role cannot post: 200.
	require.NoError(t, sec.PutToken(okmock.Token{PersonOID: world.DefaultEmployeeOID, AccessToken: "MOCKemp", SessionSecret: "MOCKempsecret",
		Permissions: []string{okmock.PermValuableAccess, okmock.PermGroupContent}}, ""))
	require.NoError(t, sb.World.ModifyPage(world.NetworkOK, okmock.DefaultGroupID, func(p *world.Page) error {
		p.Admins = p.Admins[:1]
		return nil
	}))
	c.token, c.sess = "MOCKemp", "MOCKempsecret"
	check(c.do("fb-post", "mediatopic.post", map[string]string{"type": "GROUP_THEME", "gid": gid, "attachment": `{"media":[{"type":"text","text":"x"}]}`}), 200)
}

func TestMediatopicLimits(t *testing.T) {
	sb := mock.Start(t)
	c := newClient(t, sb)
	gid := strconv.FormatInt(okmock.DefaultGroupID, 10)
	many := make([]string, okmock.MaxMediaBlocks+1)
	for i := range many {
		many[i] = `{"type":"text","text":"x"}`
	}
	answers := func(n, l int) string {
		var as []string
		for range n {
			as = append(as, fmt.Sprintf(`{"text":%q}`, strings.Repeat("д", l)))
		}
		return strings.Join(as, ",")
	}
	cases := map[int]string{
		600: `{"media":[` + strings.Join(many, ",") + `]}`,
		601: fmt.Sprintf(`{"media":[{"type":"text","text":%q}]}`, strings.Repeat("я", okmock.MaxTextLength+1)),
		602: fmt.Sprintf(`{"media":[{"type":"poll","question":%q,"answers":[%s]}]}`, strings.Repeat("?", okmock.MaxPollQuestion+1), answers(2, 3)),
		603: fmt.Sprintf(`{"media":[{"type":"poll","question":"Q","answers":[%s]}]}`, answers(okmock.MaxPollAnswers+1, 3)),
		604: fmt.Sprintf(`{"media":[{"type":"poll","question":"Q","answers":[%s]}]}`, answers(2, okmock.MaxPollAnswerText+1)),
		607: `{"media":[{"type":"link","url":"ftp:/nope"}]}`,
		100: `{"media":[`,
	}
	for code, att := range cases {
		a := c.do("fb-post", "mediatopic.post", map[string]string{"type": "GROUP_THEME", "gid": gid, "attachment": att})
		assert.Equal(t, code, a.errCode(), "code %d: %s", code, a.body)
	}
}

func upload(t *testing.T, hc *http.Client, u string) []byte {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("pic1", "a.png")
	require.NoError(t, err)
	_, _ = fw.Write([]byte("\x89PNG fake"))
	require.NoError(t, mw.Close())
	resp, err := hc.Post(u, mw.FormDataContentType(), &buf)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return body
}

func TestPostWithUploadsAndPollThenRead(t *testing.T) {
	sb := mock.Start(t)
	c := newClient(t, sb)
	gid := strconv.FormatInt(okmock.DefaultGroupID, 10)
	a := c.do("fb-get", "photosV2.getUploadUrl", map[string]string{"gid": gid, "count": "1"})
	var pu struct {
		UploadURL string   `json:"upload_url"`
		PhotoIDs  []string `json:"photo_ids"`
	}
	require.NoError(t, json.Unmarshal(a.body, &pu), string(a.body))
	require.True(t, strings.HasPrefix(pu.UploadURL, sb.OKURL))
	var ph struct {
		Photos map[string]struct{ Token string } `json:"photos"`
	}
	require.NoError(t, json.Unmarshal(upload(t, c.hc, pu.UploadURL), &ph))
	photoTok := ph.Photos[pu.PhotoIDs[0]].Token
	require.NotEmpty(t, photoTok)

	a = c.do("api-post", "video.getUploadUrl", map[string]string{"gid": gid, "file_name": "v.mp4", "file_size": "0"})
	var vu struct {
		UploadURL string `json:"upload_url"`
		VideoID   int64  `json:"video_id"`
	}
	require.NoError(t, json.Unmarshal(a.body, &vu), string(a.body))
	upload(t, c.hc, vu.UploadURL)

	att := fmt.Sprintf(`{"media":[{"type":"text","text":"Новости"},{"type":"photo","list":[{"id":%q}]},{"type":"movie","list":[{"id":"%d"}]},`+
		`{"type":"link","url":"https://example.org/"},{"type":"poll","question":"Да?","answers":[{"text":"Да"},{"text":"Нет"}],"options":"SingleChoice"}],"onBehalfOfGroup":"true"}`, photoTok, vu.VideoID)
	a = c.do("fb-post", "mediatopic.post", map[string]string{"type": "GROUP_THEME", "gid": gid, "attachment": att})
	var id string
	require.NoError(t, json.Unmarshal(a.body, &id), string(a.body))
	require.NotEmpty(t, id)

	a = c.do("fb-get", "mediatopic.getByIds", map[string]string{"topic_ids": id})
	assert.Contains(t, string(a.body), `"Новости"`)
	assert.Contains(t, string(a.body), `"poll"`)
	ts := sb.OK.Topics(okmock.DefaultGroupID)
	require.Len(t, ts, 1)
	assert.True(t, ts[0].OnBehalfOfGroup)
	assert.Len(t, ts[0].Media, 5)

	a = c.do("fb-get", "group.getCounters", map[string]string{"group_id": gid, "counterTypes": "themes,members,videos"})
	assert.JSONEq(t, `{"counters":{"themes":1,"members":2840,"videos":1}}`, string(a.body))
	a = c.do("fb-get", "group.getStatTopic", map[string]string{"topic_id": id})
	assert.Contains(t, string(a.body), `"reach"`)
	a = c.do("fb-get", "group.getStatOverview", map[string]string{"gid": gid})
	assert.Contains(t, string(a.body), `"members_count":2840`)
	a = c.do("fb-get", "url.getInfo", map[string]string{"url": "https://ok.ru/minsvyaz29"})
	assert.Contains(t, string(a.body), `"objectIdStr":"`+gid+`"`)
	a = c.do("fb-get", "group.getUserGroupsV2", nil)
	assert.Contains(t, string(a.body), gid)
	a = c.do("fb-get", "group.getUserGroupsByIds", map[string]string{"group_id": gid, "uids": strconv.FormatInt(sb.Credentials.OK.UserID, 10)})
	assert.Contains(t, string(a.body), `"ADMIN"`)
	a = c.do("fb-get", "group.getMembers", map[string]string{"uid": gid})
	assert.Contains(t, string(a.body), `"members"`)
}

func TestScheduledTopicOnWorldClock(t *testing.T) {
	sb := mock.Start(t)
	c := newClient(t, sb)
	gid := strconv.FormatInt(okmock.DefaultGroupID, 10)
	at := sb.Clock.Now().Add(2 * time.Hour).Truncate(time.Second)
	att := fmt.Sprintf(`{"media":[{"type":"text","text":"позже"}],"publishAtMs":%d}`, at.UnixMilli())
	a := c.do("fb-post", "mediatopic.post", map[string]string{"type": "GROUP_THEME", "gid": gid, "attachment": att})
	require.Equal(t, 0, a.errCode(), string(a.body))
	ts := sb.OK.Topics(okmock.DefaultGroupID)
	require.Len(t, ts, 1)
	assert.False(t, ts[0].Published)
	sb.Clock.Advance(time.Hour)
	assert.False(t, sb.OK.Topics(okmock.DefaultGroupID)[0].Published)
	sb.Clock.Advance(time.Hour)
	assert.True(t, sb.OK.Topics(okmock.DefaultGroupID)[0].Published)
	// publishAt is Moscow time.
	msk := sb.Clock.Now().Add(3 * time.Hour).In(time.FixedZone("MSK", 3*3600)).Format("2006-01-02 15:04:05")
	a = c.do("fb-post", "mediatopic.post", map[string]string{"type": "GROUP_THEME", "gid": gid,
		"attachment": fmt.Sprintf(`{"media":[{"type":"text","text":"x"}],"publishAt":%q}`, msk)})
	require.Equal(t, 0, a.errCode(), string(a.body))
	sb.Clock.Advance(3 * time.Hour)
	for _, tp := range sb.OK.Topics(okmock.DefaultGroupID) {
		assert.True(t, tp.Published)
	}
}

func TestOAuthRefreshWithXOAuth2(t *testing.T) {
	sb := mock.Start(t)
	cr := sb.Credentials.OK
	cfg := &oauth2.Config{ClientID: strconv.FormatInt(cr.ApplicationID, 10), ClientSecret: cr.ApplicationSecret,
		Endpoint: oauth2.Endpoint{TokenURL: cr.TokenURL, AuthStyle: oauth2.AuthStyleInParams}}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, sb.HTTPClient())
	ts := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: cr.RefreshToken})
	tok, err := ts.Token()
	require.NoError(t, err)
	require.NotEqual(t, cr.AccessToken, tok.AccessToken)
	assert.WithinDuration(t, time.Now().Add(okmock.LongTokenLifetime), tok.Expiry, time.Minute)
	sess, _ := tok.Extra("session_secret_key").(string)
	require.NotEmpty(t, sess)
	// The new token works, the old one is gone.
	c := newClient(t, sb)
	c.token, c.sess = tok.AccessToken, sess
	a := c.do("fb-get", "users.getCurrentUser", nil)
	assert.Equal(t, 0, a.errCode(), string(a.body))
	c.token, c.sess = cr.AccessToken, cr.SessionSecret
	assert.Equal(t, 103, c.do("fb-get", "users.getCurrentUser", nil).errCode())

	bad := *cfg
	bad.ClientSecret = "MOCKwrong"
	_, err = bad.TokenSource(ctx, &oauth2.Token{RefreshToken: cr.RefreshToken}).Token()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), cr.RefreshToken)
}

func TestTenantIsolation(t *testing.T) {
	sb := mock.Start(t)
	other, err := sb.CreateTenant("suite-b", nil)
	require.NoError(t, err)
	ca := sb.Credentials.OK
	cb := other.Credentials().OK
	require.NotEqual(t, ca.ApplicationKey, cb.ApplicationKey)
	require.NotEqual(t, ca.AccessToken, cb.AccessToken)
	c := newClient(t, sb)
	c.key, c.appS, c.token, c.sess = cb.ApplicationKey, cb.ApplicationSecret, cb.AccessToken, cb.SessionSecret
	gid := strconv.FormatInt(okmock.DefaultGroupID, 10)
	a := c.do("fb-post", "mediatopic.post", map[string]string{"type": "GROUP_THEME", "gid": gid, "attachment": `{"media":[{"type":"text","text":"b"}]}`})
	require.Equal(t, 0, a.errCode(), string(a.body))
	assert.Len(t, other.OK.Topics(0), 1)
	assert.Empty(t, sb.OK.Topics(0))
	// Tenant B's token with tenant A's application key: refused.
	c.key, c.appS = ca.ApplicationKey, ca.ApplicationSecret
	assert.Equal(t, 103, c.do("fb-get", "users.getCurrentUser", nil).errCode())
	// Naming another tenant in the header: 101.
	c = newClient(t, sb)
	c.hc = &http.Client{Transport: headerRT{sb.HTTPClient().Transport, "suite-b"}}
	assert.Equal(t, 101, c.do("fb-get", "users.getCurrentUser", nil).errCode())
}

type headerRT struct {
	base   http.RoundTripper
	tenant string
}

func (h headerRT) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Mock-Tenant", h.tenant)
	return h.base.RoundTrip(r)
}

func TestProductionLookingKeysRefused(t *testing.T) {
	sb := mock.Start(t)
	sc := sb.World.Export(world.WithoutSecrets())
	st := okmock.SettingsFor(9)
	st.Application.Key = "CBAFJIICABABABABA"
	sec := okmock.NewSection()
	raw, _ := json.Marshal(st)
	err := sec.Validate(raw, sb.World)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "production-looking")
	_ = sc
}

func TestFaultsAnswerInOKFormat(t *testing.T) {
	sb := mock.Start(t)
	c := newClient(t, sb)
	gid := strconv.FormatInt(okmock.DefaultGroupID, 10)
	post := map[string]string{"type": "GROUP_THEME", "gid": gid, "attachment": `{"media":[{"type":"text","text":"x"}]}`}
	_, err := sb.Faults.Add(world.Rule{Party: "ok", Method: "mediatopic.post", Kind: world.FaultError, Code: okmock.CodeService, Nth: 1})
	require.NoError(t, err)
	a := c.do("fb-post", "mediatopic.post", post)
	assert.Equal(t, 2, a.errCode())
	assert.Equal(t, "2", a.header.Get("invocation-error"))
	assert.Contains(t, string(a.body), `"error_msg":"SERVICE"`)
	assert.Empty(t, sb.OK.Topics(0), "an error before the handler: nothing posted")

	_, err = sb.Faults.Add(world.Rule{Party: "ok", Method: "mediatopic.post", Kind: world.FaultRateLimit, Nth: 2})
	require.NoError(t, err)
	assert.Equal(t, 0, c.do("fb-post", "mediatopic.post", post).errCode())
	assert.Equal(t, okmock.CodeFloodBlocked, c.do("fb-post", "mediatopic.post", post).errCode())

	_, err = sb.Faults.Add(world.Rule{Party: "ok", Method: "mediatopic.post", Kind: world.FaultErrorAfter, Code: okmock.CodeService, Nth: 1})
	require.NoError(t, err)
	assert.Equal(t, 2, c.do("fb-post", "mediatopic.post", post).errCode())
	assert.Len(t, sb.OK.Topics(0), 2, "the error came after the topic was posted")
	e, err := sb.Wait(context.Background(), world.Filter{Party: "ok", Method: "mediatopic.post"})
	require.NoError(t, err)
	assert.NotContains(t, e.Params, "access_token")
}

func TestAccessTypesAndSecretGroups(t *testing.T) {
	sb := mock.Start(t)
	const secretID = 70000000000002
	require.NoError(t, sb.World.AddPage(world.Page{Network: world.NetworkOK, ID: secretID, Kind: world.PageGroup, Title: "Закрытая",
		Admins: []world.PageAdmin{{PersonOID: world.DefaultEmployeeOID, Role: world.OKRoleAdmin}}}))
	c := newClient(t, sb)
	info := func() string {
		return string(c.do("fb-get", "group.getInfo", map[string]string{"uids": strconv.FormatInt(secretID, 10), "fields": "access_type"}).body)
	}
	assert.JSONEq(t, `[{"uid":"70000000000002","access_type":"CLOSED"}]`, info())
	st := sb.OK.Section().Settings()
	st.Groups = append(st.Groups, okmock.GroupSettings{ID: secretID, Secret: true})
	raw, err := json.Marshal(st)
	require.NoError(t, err)
	require.NoError(t, sb.OK.Section().Import(raw))
	assert.JSONEq(t, `[]`, info(), "a secret group is invisible to outsiders")
	a := c.do("fb-get", "group.getMembers", map[string]string{"uid": strconv.FormatInt(secretID, 10)})
	assert.Equal(t, okmock.CodeParamPermission, a.errCode())
	unmet, err := sb.OK.GovConditions(secretID, world.DefaultEmployeeOID)
	require.NoError(t, err)
	assert.Subset(t, unmet, []string{okmock.CondOpen, okmock.CondPhoto, okmock.CondDesc, okmock.CondCity, okmock.CondCategory, okmock.CondTwoFactor})
}

// TestIssuedCredentialsSurviveReindexing: an upload URL a second tenant
// was given keeps reaching that tenant after its world changed and the
// sandbox re-indexed the credentials.
func TestIssuedCredentialsSurviveReindexing(t *testing.T) {
	sb := mock.Start(t)
	b, err := sb.CreateTenant("suite-up", nil)
	require.NoError(t, err)
	cb := b.Credentials().OK
	c := newClient(t, sb)
	c.key, c.appS, c.token, c.sess = cb.ApplicationKey, cb.ApplicationSecret, cb.AccessToken, cb.SessionSecret
	gid := strconv.FormatInt(okmock.DefaultGroupID, 10)
	a := c.do("fb-get", "photosV2.getUploadUrl", map[string]string{"gid": gid})
	var pu struct {
		UploadURL string `json:"upload_url"`
	}
	require.NoError(t, json.Unmarshal(a.body, &pu), string(a.body))
	require.NoError(t, b.World.ModifyPage(world.NetworkOK, okmock.DefaultGroupID, func(p *world.Page) error {
		p.Description += "."
		return nil
	}))
	// An unknown credential makes the sandbox re-index every stale tenant.
	c2 := newClient(t, sb)
	c2.key = "MOCKunknown"
	assert.Equal(t, okmock.CodeParamAPIKey, c2.do("fb-get", "users.getCallsLeft", map[string]string{"methods": "x"}).errCode())
	body := upload(t, c.hc, pu.UploadURL)
	assert.Contains(t, string(body), `"token"`, string(body))
	assert.NotEmpty(t, b.Journal.Entries(world.Filter{Party: "ok", Method: "upload.photo"}))
}
