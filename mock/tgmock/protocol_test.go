package tgmock_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func TestGetMeExactEnvelope(t *testing.T) {
	e := newEnv(t)
	r := e.call("getMe", nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"ok":true,"result":{"id":7000000001,"is_bot":true,"first_name":"Минцифры АО",
		"username":"minsvyaz29_bot","can_join_groups":true,"can_read_all_group_messages":false,
		"supports_inline_queries":false,"can_connect_to_business":false,"has_main_web_app":false}}`, string(r.body))
}

func TestErrorsOfThePath(t *testing.T) {
	e := newEnv(t)
	requireError(t, e.callAs("123456:"+strings.Repeat("A", 35), "getMe", nil), 401, "Unauthorized")
	// Malformed tokens, as the official server's ClientManager checks them.
	requireError(t, e.callAs("garbage", "getMe", nil), 401, "Unauthorized: invalid token specified")
	requireError(t, e.callAs("0123:MOCKabc", "getMe", nil), 401, "Unauthorized: invalid token specified")
	requireError(t, e.callAs("123:"+strings.Repeat("A", 80), "getMe", nil), 401, "Unauthorized: invalid token specified")
	requireError(t, e.callAs("18014398509481984:MOCK", "getMe", nil), 401, "Unauthorized: invalid token specified")
	requireError(t, e.callAs("-5:MOCK", "getMe", nil), 401, "Unauthorized: invalid token specified")
	requireError(t, e.callAs("abc:MOCK", "getMe", nil), 421, "Misdirected Request: unallowed token specified")
	requireError(t, e.call("noSuchMethod", nil), 404, "Not Found: method not found")
	r, err := http.Get(e.hs.URL + "/nothing")
	require.NoError(t, err)
	r.Body.Close()
	require.Equal(t, 404, r.StatusCode)
	assert.JSONEq(t, `{"ok":false,"error_code":404,"description":"Not Found"}`, string(e.do(mustReq(t, "GET", e.hs.URL+"/x", "")).body))
}

func mustReq(t *testing.T, method, u, body string) *http.Request {
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	require.NoError(t, err)
	return req
}

func TestMethodNamesAreCaseInsensitive(t *testing.T) {
	e := newEnv(t)
	for _, m := range []string{"getme", "GETME", "gEtMe"} {
		r := e.call(m, nil)
		require.True(t, r.resp.OK, m)
	}
	n := e.w.Journal.Count(tgmock.Party, "getme")
	assert.Equal(t, 3, n)
}

func TestTestEnvironmentIsSeparate(t *testing.T) {
	e := newEnv(t)
	// The production bot does not exist in the test environment and vice versa.
	req := mustReq(t, "GET", e.hs.URL+"/bot"+e.token+"/test/getMe", "")
	requireError(t, e.do(req), 401, "Unauthorized")
	requireError(t, e.callAs(e.test, "getMe", nil), 401, "Unauthorized")
	r := e.do(mustReq(t, "GET", e.hs.URL+"/bot"+e.test+"/test/getMe", ""))
	var u tgmock.BotUser
	r.decode(t, &u)
	assert.Equal(t, tgmock.DefaultTestBotID, u.ID)
	// Production channels do not exist there.
	r = e.do(mustReq(t, "GET", e.hs.URL+"/bot"+e.test+"/test/sendMessage?chat_id=@minsvyaz29&text=x", ""))
	requireError(t, r, 400, "Bad Request: chat not found")
	// A known person is known in the test environment too, but has not
	// written to the test bot.
	r = e.do(mustReq(t, "GET", e.hs.URL+"/bot"+e.test+"/test/sendMessage?chat_id="+i64(chiefTG)+"&text=hi", ""))
	requireError(t, r, 403, "Forbidden: bot can't initiate conversation with a user")
	entry, ok := e.w.Journal.Last(world.Filter{Method: "sendmessage"})
	require.True(t, ok)
	assert.Equal(t, "bot7000000002/test", entry.Tenant)
}

func TestParameterEncodings(t *testing.T) {
	e := newEnv(t)
	// Query string on GET.
	r := e.do(mustReq(t, "GET", e.hs.URL+"/bot"+e.token+"/sendMessage?chat_id=@minsvyaz29&text=q", ""))
	require.True(t, r.resp.OK, string(r.body))
	// Urlencoded form.
	r = e.form("sendMessage", url.Values{"chat_id": {i64(channelID)}, "text": {"form"}})
	require.True(t, r.resp.OK, string(r.body))
	// JSON with a numeric chat id.
	m := e.send(channelID, "json")
	assert.Equal(t, "json", m.Text)
	// Multipart fields.
	r = e.multipartCall("sendMessage", "", part{name: "chat_id", data: []byte(i64(channelID))}, part{name: "text", data: []byte("mp")})
	require.True(t, r.resp.OK, string(r.body))
	// An empty multipart body (go-telegram/bot's getMe) is no parameters.
	req := mustReq(t, "POST", e.hs.URL+"/bot"+e.token+"/getMe", "")
	req.Header.Set("Content-Type", "multipart/form-data; boundary=xyz")
	require.True(t, e.do(req).resp.OK)
	req = mustReq(t, "POST", e.hs.URL+"/bot"+e.token+"/getMe", "")
	req.Header.Set("Content-Type", "multipart/form-data")
	require.True(t, e.do(req).resp.OK)
	// An empty JSON body too.
	req = mustReq(t, "POST", e.hs.URL+"/bot"+e.token+"/getMe", "")
	req.Header.Set("Content-Type", "application/json")
	require.True(t, e.do(req).resp.OK)
	// Broken JSON is a 400.
	req = mustReq(t, "POST", e.hs.URL+"/bot"+e.token+"/getMe", "{")
	req.Header.Set("Content-Type", "application/json")
	requireError(t, e.do(req), 400, "Bad Request: can't parse JSON encoded request")
	// The method may come from a "method" parameter (webhook answer style).
	req = mustReq(t, "POST", e.hs.URL+"/bot"+e.token+"/", `{"method":"getMe"}`)
	req.Header.Set("Content-Type", "application/json")
	require.True(t, e.do(req).resp.OK)
}

func TestUploadFilePartWinsOverEmptyQueryValue(t *testing.T) {
	e := newEnv(t)
	png := tinyPNG(t)
	// node-telegram-bot-api style: chat_id and an empty photo in the query.
	r := e.multipartCall("sendPhoto", "chat_id="+i64(channelID)+"&photo=", part{name: "photo", filename: "a.png", data: png})
	var m tgmock.Message
	r.decode(t, &m)
	require.Len(t, m.Photo, 1)
	assert.Equal(t, 3, m.Photo[0].Width)
	assert.Equal(t, 2, m.Photo[0].Height)
	assert.Equal(t, int64(len(png)), m.Photo[0].FileSize)
	// grammy style: photo=attach://random with a part of that name.
	r = e.multipartCall("sendPhoto", "", part{name: "chat_id", data: []byte(i64(channelID))},
		part{name: "photo", data: []byte("attach://f9x")}, part{name: "f9x", filename: "b.png", data: png},
		part{name: "caption", data: []byte("<i>cap</i>")}, part{name: "parse_mode", data: []byte("HTML")})
	var m2 tgmock.Message
	r.decode(t, &m2)
	assert.Equal(t, "cap", m2.Caption)
	assert.Equal(t, []tgmock.MessageEntity{{Type: "italic", Offset: 0, Length: 3}}, m2.CaptionEntities)
	// file_id reuse keeps the id; getFile and the download serve the bytes.
	r = e.call("sendPhoto", map[string]any{"chat_id": channelID, "photo": m.Photo[0].FileID})
	var m3 tgmock.Message
	r.decode(t, &m3)
	assert.Equal(t, m.Photo[0].FileID, m3.Photo[0].FileID)
	var f tgmock.File
	e.call("getFile", map[string]any{"file_id": m.Photo[0].FileID}).decode(t, &f)
	require.NotEmpty(t, f.FilePath)
	resp, err := http.Get(e.hs.URL + "/file/bot" + e.token + "/" + f.FilePath)
	require.NoError(t, err)
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, png, buf.Bytes())
	// Unknown file ids and missing files.
	requireError(t, e.call("sendPhoto", map[string]any{"chat_id": channelID, "photo": "nope"}), 400, "Bad Request: wrong file identifier/HTTP URL specified")
	requireError(t, e.call("sendPhoto", map[string]any{"chat_id": channelID}), 400, "Bad Request: there is no photo in the request")
	requireError(t, e.call("sendVideo", map[string]any{"chat_id": channelID, "video": m.Photo[0].FileID}), 400, "Bad Request: can't use file of type Photo as Video")
	requireError(t, e.call("getFile", map[string]any{"file_id": "nope"}), 400, "Bad Request: invalid file_id")
	// A URL is never fetched: a synthetic file is stored.
	r = e.call("sendDocument", map[string]any{"chat_id": channelID, "document": "https://example.invalid/report.pdf"})
	var m4 tgmock.Message
	r.decode(t, &m4)
	assert.Equal(t, "report.pdf", m4.Document.FileName)
}

func TestJournalNeverStoresTheToken(t *testing.T) {
	e := newEnv(t)
	e.call("setWebhook", map[string]any{"url": "http://127.0.0.1:1/hook", "secret_token": "s3cr3t"})
	e.send(channelID, "hello")
	for _, en := range e.w.Journal.Entries(world.Filter{}) {
		for k, v := range en.Params {
			assert.NotContains(t, v, e.token[11:], k)
			assert.NotContains(t, v, "s3cr3t", k)
		}
		assert.NotContains(t, en.Token, e.token[11:])
		assert.True(t, strings.HasPrefix(en.Token, "7000000001~"), en.Token)
		assert.Equal(t, "bot7000000001", en.Tenant)
	}
	last, ok := e.w.Journal.Last(world.Filter{Party: "telegram", Method: "sendMessage"})
	require.True(t, ok)
	assert.Equal(t, "hello", last.Params["text"])
	assert.Equal(t, 200, last.Status)
	// A tenant header overrides the derived tenant.
	req := mustReq(t, "GET", e.hs.URL+"/bot"+e.token+"/getMe", "")
	req.Header.Set(tgmock.TenantHeader, "suite-42")
	e.do(req)
	last, _ = e.w.Journal.Last(world.Filter{})
	assert.Equal(t, "suite-42", last.Tenant)
}
