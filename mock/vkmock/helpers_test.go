package vkmock_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
)

var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type env struct {
	t     *testing.T
	w     *world.World
	srv   *vkmock.Server
	url   string
	user  string // the chief's user token (owner of the default community)
	group string // the community token
	svc   string // the service token
}

func newEnv(t *testing.T, opts ...vkmock.Option) *env {
	t.Helper()
	w, err := world.New(world.WithFrozenClock(epoch))
	require.NoError(t, err)
	var h http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { h.ServeHTTP(rw, r) }))
	t.Cleanup(ts.Close)
	// Functional tests run without the per-second limits; the limit tests
	// pass vkmock.WithLimits(vkmock.DefaultLimits()).
	fast := vkmock.WithLimits(vkmock.Limits{UserRPS: 1000, CommunityRPS: 1000, ServiceRPS: 1000})
	srv := vkmock.New(w, append([]vkmock.Option{vkmock.WithBaseURL(ts.URL), fast}, opts...)...)
	t.Cleanup(func() { _ = srv.Close() })
	h = srv
	e := &env{t: t, w: w, srv: srv, url: ts.URL}
	for _, tk := range srv.Section().Tokens() {
		switch tk.Kind {
		case vkmock.KindUser:
			e.user = tk.Token
		case vkmock.KindCommunity:
			e.group = tk.Token
		case vkmock.KindService:
			e.svc = tk.Token
		}
	}
	return e
}

// answer is a decoded VK envelope.
type answer struct {
	Response      json.RawMessage `json:"response"`
	ExecuteErrors []struct {
		Method string `json:"method"`
		Code   int    `json:"error_code"`
		Msg    string `json:"error_msg"`
	} `json:"execute_errors"`
	Error *struct {
		Code          int    `json:"error_code"`
		Msg           string `json:"error_msg"`
		CaptchaSID    string `json:"captcha_sid"`
		CaptchaImg    string `json:"captcha_img"`
		RedirectURI   string `json:"redirect_uri"`
		RequestParams []struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		} `json:"request_params"`
	} `json:"error"`
}

func (a answer) code() int {
	if a.Error == nil {
		return 0
	}
	return a.Error.Code
}

func (e *env) do(req *http.Request) answer {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	require.Equal(e.t, http.StatusOK, resp.StatusCode, "VK answers 200 even for errors: %s", body)
	require.True(e.t, strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json"), resp.Header.Get("Content-Type"))
	var a answer
	require.NoError(e.t, json.Unmarshal(body, &a), string(body))
	return a
}

// call POSTs a urlencoded call with the token in the Authorization header.
func (e *env) call(method, token string, kv ...string) answer {
	e.t.Helper()
	v := url.Values{"v": {"5.199"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	req, _ := http.NewRequest(http.MethodPost, e.url+"/method/"+method, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.do(req)
}

// ok calls and requires a response, decoded into out.
func (e *env) ok(out any, method, token string, kv ...string) {
	e.t.Helper()
	a := e.call(method, token, kv...)
	require.Nil(e.t, a.Error, "%s: %+v", method, a.Error)
	if out != nil {
		require.NoError(e.t, json.Unmarshal(a.Response, out))
	}
}

func multipartBody(t *testing.T, field, name string, data []byte, kv ...string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(kv); i += 2 {
		require.NoError(t, mw.WriteField(kv[i], kv[i+1]))
	}
	if field != "" {
		fw, err := mw.CreateFormFile(field, name)
		require.NoError(t, err)
		_, _ = fw.Write(data)
	}
	require.NoError(t, mw.Close())
	return &b, mw.FormDataContentType()
}

// pngBytes is a 1×1 PNG.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
