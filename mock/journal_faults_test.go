package mock_test

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// partyCall is one ordinary request to a party, for fault and credential
// tests.
type partyCall struct {
	party, method string
	build         func(sb *mock.Sandbox) *http.Request
}

func form(method, u string, v url.Values) *http.Request {
	r, _ := http.NewRequest(method, u, strings.NewReader(v.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func partyCalls() []partyCall {
	return []partyCall{
		{"telegram", "getme", func(sb *mock.Sandbox) *http.Request {
			r, _ := http.NewRequest("GET", sb.TelegramURL+"/bot"+sb.Credentials.Telegram.BotToken+"/getMe", nil)
			return r
		}},
		{"vk", "groups.getbyid", func(sb *mock.Sandbox) *http.Request {
			r, _ := http.NewRequest("GET", sb.VKURL+"/method/groups.getById?v=5.199&group_id="+strconv.FormatInt(sb.Credentials.VK.GroupID, 10)+
				"&access_token="+sb.Credentials.VK.UserToken, nil)
			return r
		}},
		{"ok", "group.getinfo", func(sb *mock.Sandbox) *http.Request {
			return form("POST", sb.OKURL+"/fb.do", url.Values{"method": {"group.getInfo"}, "application_key": {sb.Credentials.OK.ApplicationKey},
				"uids": {"1"}, "fields": {"name"}, "format": {"json"}})
		}},
		{"esia", "v3/te", func(sb *mock.Sandbox) *http.Request {
			return form("POST", sb.ESIAURL+"/aas/oauth2/v3/te", url.Values{"client_id": {sb.Credentials.ESIA.ClientID},
				"grant_type": {"client_credentials"}, "scope": {"openid"}})
		}},
		{"pos", "api.token", func(sb *mock.Sandbox) *http.Request {
			return form("POST", sb.POSURL+"/oauth/token", url.Values{"grant_type": {"password"},
				"username": {sb.Credentials.POS.Username}, "password": {sb.Credentials.POS.Password}})
		}},
		{"gospubliki", "login", func(sb *mock.Sandbox) *http.Request {
			gc := sb.DefaultTenant().PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
			r, _ := http.NewRequest("POST", gc.URL+"/api/v1/auth/login",
				strings.NewReader(`{"phone":"`+gc.LKOAdmin.Phone+`","password":"`+gc.LKOAdmin.Password+`"}`))
			r.Header.Set("Content-Type", "application/json")
			return r
		}},
	}
}

func doRaw(t *testing.T, r *http.Request) (int, http.Header, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

// TestFaultsAnswerInEachPartysShape: for every party, an error rule, a
// rate-limit rule and an error-after rule answer in the party's own
// envelope (Telegram's ok:false with the code as HTTP status, VK's and
// OK's 200 with an error object, ESIA's OAuth error, the JSON errors of POS
// and the cabinet), an http_status rule answers the bare status with a
// proxy's page, and each journal entry names the rule.
func TestFaultsAnswerInEachPartysShape(t *testing.T) {
	type want struct {
		status int
		body   []string
		retry  string
	}
	shapes := map[string]map[world.FaultKind]want{
		"telegram": {
			world.FaultError:      {503, []string{`"ok":false`, `"error_code":503`, `"description":"injected text"`}, ""},
			world.FaultRateLimit:  {429, []string{`"ok":false`, `"error_code":429`, `"retry_after":3`}, "3"},
			world.FaultErrorAfter: {503, []string{`"ok":false`, `"error_code":503`}, ""},
		},
		"vk": {
			world.FaultError:      {200, []string{`{"error":{"error_code":503`, `"error_msg":"injected text"`, `"request_params"`}, ""},
			world.FaultRateLimit:  {200, []string{`"error_code":6`, `Too many requests per second`}, ""},
			world.FaultErrorAfter: {200, []string{`"error_code":503`}, ""},
		},
		"ok": {
			world.FaultError:      {200, []string{`"error_code":503`, `"error_msg":"UNKNOWN : injected text"`}, ""},
			world.FaultRateLimit:  {200, []string{`"error_code":8`, `FLOOD_BLOCKED`}, ""},
			world.FaultErrorAfter: {200, []string{`"error_code":503`}, ""},
		},
		"esia": {
			world.FaultError:      {400, []string{`"error":"invalid_request"`, `ESIA-000503: injected text`}, ""},
			world.FaultRateLimit:  {503, []string{`"error":"temporarily_unavailable"`, `ESIA-007008`}, "3"},
			world.FaultErrorAfter: {400, []string{`ESIA-000503`}, ""},
		},
		"pos": {
			world.FaultError:      {503, []string{`"status":503`, `"message":"injected text"`}, ""},
			world.FaultRateLimit:  {429, []string{`"status":429`}, "3"},
			world.FaultErrorAfter: {503, []string{`"status":503`}, ""},
		},
		"gospubliki": {
			world.FaultError:      {503, []string{`{"error":{"code":"injected","message":"injected text"}}`}, ""},
			world.FaultRateLimit:  {429, []string{`"code":"rate_limited"`}, "3"},
			world.FaultErrorAfter: {503, []string{`"code":"injected"`}, ""},
		},
	}
	sb := mock.Start(t)
	for _, pc := range partyCalls() {
		t.Run(pc.party, func(t *testing.T) {
			sb.Faults.Reset()
			st, _, body := doRaw(t, pc.build(sb))
			require.Less(t, st, 500, body)
			e, _ := sb.Journal.Last(world.Filter{Party: pc.party})
			require.Equal(t, pc.method, e.Method)
			require.Empty(t, e.Fault)

			kinds := shapes[pc.party]
			kinds[world.FaultHTTPStatus] = want{504, []string{"<title>504 Gateway Timeout</title>", "nginx"}, ""}
			for _, kind := range []world.FaultKind{world.FaultError, world.FaultRateLimit, world.FaultErrorAfter, world.FaultHTTPStatus} {
				w := kinds[kind]
				sb.Faults.Reset()
				code := 503
				if kind == world.FaultHTTPStatus {
					code = 504
				}
				id, err := sb.Faults.Add(world.Rule{Party: pc.party, Method: pc.method, Kind: kind, Code: code,
					Description: "injected text", RetryAfter: 3})
				require.NoError(t, err)
				st, h, body := doRaw(t, pc.build(sb))
				assert.Equal(t, w.status, st, "%s %s: %s", pc.party, kind, body)
				for _, sub := range w.body {
					assert.Contains(t, body, sub, "%s %s", pc.party, kind)
				}
				if w.retry != "" {
					assert.Equal(t, w.retry, h.Get("Retry-After"), "%s %s", pc.party, kind)
				}
				e, _ := sb.Journal.Last(world.Filter{Party: pc.party})
				assert.Equal(t, id, e.Fault, "%s %s", pc.party, kind)
				assert.Equal(t, st, e.Status, "%s %s", pc.party, kind)
			}
			sb.Faults.Reset()
		})
	}
}

// TestFaultParamsThroughTheControlAPI: a rule posted with params fires on
// VK's wall.post to one community only, and the journal shows it on that
// entry; the decoded view carries the method as sent and no token.
func TestFaultParamsThroughTheControlAPI(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("vk"))
	gid := strconv.FormatInt(sb.Credentials.VK.GroupID, 10)
	resp, err := http.Post(sb.ControlURL+"/_mock/faults", "application/json",
		strings.NewReader(`{"party":"vk","method":"wall.post","kind":"error","code":214,"description":"Access to adding post denied","params":{"owner_id":"-`+gid+`"}}`))
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	post := func(owner string) string {
		_, _, body := doRaw(t, form("POST", sb.VKURL+"/method/wall.post", url.Values{"v": {"5.199"}, "owner_id": {owner},
			"from_group": {"1"}, "message": {"x"}, "access_token": {sb.Credentials.VK.UserToken}}))
		return body
	}
	assert.Contains(t, post("-"+gid), `"error_code":214`)
	e, _ := sb.Journal.Last(world.Filter{Party: "vk"})
	assert.Equal(t, "f1", e.Fault)
	require.NotNil(t, e.Decoded)
	require.NotNil(t, e.Decoded.VK)
	assert.Equal(t, "wall.post", e.Decoded.VK.Method)
	assert.Equal(t, "-"+gid, e.Decoded.VK.Params["owner_id"])
	assert.NotContains(t, e.Decoded.VK.Params, "access_token")
	assert.False(t, e.Decoded.VK.TokenInHeader)

	// The user's own wall: not the rule's community.
	body := post(strconv.FormatInt(-sb.Credentials.VK.GroupID-1, 10))
	assert.NotContains(t, body, `"error_code":214`)
	e, _ = sb.Journal.Last(world.Filter{Party: "vk"})
	assert.Empty(t, e.Fault)
}

// TestDecodedViewsOfPOSAndTheCabinet: the POS entry carries its operation
// and parameters without the password; the cabinet's its operationId.
func TestDecodedViewsOfPOSAndTheCabinet(t *testing.T) {
	sb := mock.Start(t)
	for _, pc := range partyCalls() {
		if pc.party != "pos" && pc.party != "gospubliki" {
			continue
		}
		st, _, _ := doRaw(t, pc.build(sb))
		require.Equal(t, http.StatusOK, st)
	}
	e, _ := sb.Journal.Last(world.Filter{Party: "pos"})
	require.NotNil(t, e.Decoded)
	require.NotNil(t, e.Decoded.POS)
	assert.Equal(t, "api.token", e.Decoded.POS.Operation)
	assert.Equal(t, "password", e.Decoded.POS.Params["grant_type"])
	assert.NotContains(t, e.Decoded.POS.Params, "password")
	e, _ = sb.Journal.Last(world.Filter{Party: "gospubliki"})
	require.NotNil(t, e.Decoded)
	require.NotNil(t, e.Decoded.Cabinet)
	assert.Equal(t, "login", e.Decoded.Cabinet.Operation)
}
