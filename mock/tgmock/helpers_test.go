package tgmock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// env is a test fixture: a world with the default scenario and an
// emulator behind a real loopback server.
type env struct {
	t     *testing.T
	w     *world.World
	srv   *tgmock.Server
	hs    *httptest.Server
	token string
	test  string // test-environment token
}

func newEnv(t *testing.T, opts ...tgmock.Option) *env {
	t.Helper()
	w, err := world.New()
	require.NoError(t, err)
	return newEnvWorld(t, w, opts...)
}

// newEnvWorld is newEnv over a given world.
func newEnvWorld(t *testing.T, w *world.World, opts ...tgmock.Option) *env {
	t.Helper()
	srv := tgmock.New(w, append([]tgmock.Option{tgmock.WithoutLimits()}, opts...)...)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.Close()
		require.NoError(t, srv.Close())
	})
	st := tgmock.DefaultSettings()
	return &env{t: t, w: w, srv: srv, hs: hs, token: st.Bots[0].Token, test: st.Bots[1].Token}
}

// result is a decoded answer.
type result struct {
	status int
	header http.Header
	body   []byte
	resp   tgmock.Response
}

func (r result) decode(t *testing.T, v any) {
	t.Helper()
	require.True(t, r.resp.OK, "answer: %s", r.body)
	require.NoError(t, json.Unmarshal(r.resp.Result, v))
}

func (e *env) do(req *http.Request) result {
	e.t.Helper()
	resp, err := e.hs.Client().Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	var r result
	r.status, r.header, r.body = resp.StatusCode, resp.Header, body
	require.Equal(e.t, "application/json", resp.Header.Get("Content-Type"), "body %s", body)
	require.NoError(e.t, json.Unmarshal(body, &r.resp), "body %s", body)
	if !r.resp.OK {
		require.Equal(e.t, r.resp.ErrorCode, r.status, "HTTP status must equal error_code")
	}
	return r
}

// call sends a JSON request as the default bot.
func (e *env) call(method string, params map[string]any) result {
	e.t.Helper()
	return e.callAs(e.token, method, params)
}

func (e *env) callAs(token, method string, params map[string]any) result {
	e.t.Helper()
	var body io.Reader = http.NoBody
	if params != nil {
		data, err := json.Marshal(params)
		require.NoError(e.t, err)
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequest(http.MethodPost, e.hs.URL+"/bot"+token+"/"+method, body)
	require.NoError(e.t, err)
	if params != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.do(req)
}

// form sends an urlencoded request.
func (e *env) form(method string, v url.Values) result {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.hs.URL+"/bot"+e.token+"/"+method, bytes.NewBufferString(v.Encode()))
	require.NoError(e.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(req)
}

type part struct {
	name, filename string
	data           []byte
}

// multipartCall sends a multipart request (query is appended to the URL).
func (e *env) multipartCall(method, query string, parts ...part) result {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		if p.filename != "" {
			fw, err := mw.CreateFormFile(p.name, p.filename)
			require.NoError(e.t, err)
			_, _ = fw.Write(p.data)
		} else {
			require.NoError(e.t, mw.WriteField(p.name, string(p.data)))
		}
	}
	require.NoError(e.t, mw.Close())
	u := e.hs.URL + "/bot" + e.token + "/" + method
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequest(http.MethodPost, u, &buf)
	require.NoError(e.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.do(req)
}

func (e *env) send(chatID int64, text string) tgmock.Message {
	e.t.Helper()
	r := e.call("sendMessage", map[string]any{"chat_id": chatID, "text": text})
	var m tgmock.Message
	r.decode(e.t, &m)
	return m
}

func requireError(t *testing.T, r result, code int, desc string) {
	t.Helper()
	require.False(t, r.resp.OK, "expected an error, got %s", r.body)
	require.Equal(t, code, r.status)
	require.Equal(t, code, r.resp.ErrorCode)
	require.Equal(t, desc, r.resp.Description, "body %s", r.body)
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

var (
	channelID = world.DefaultChannelID
	groupID   = world.DefaultGroupID
	oldGroup  = world.DefaultOldGroupID
	chiefTG   = world.DefaultChiefTelegramID
	empTG     = world.DefaultEmployeeTGID
)

// awaitPolling waits until a getUpdates long poll of the default bot waits.
func awaitPolling(t *testing.T, e *env) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, e.srv.AwaitPolling(ctx, tgmock.DefaultBotID), "no long poll started")
}
