package telegram_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/telegram"
)

// testToken has the real shape of a bot token (35 characters after the colon).
const testToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw3"

const apiBase = "https://api.telegram.org/bot" + testToken + "/"

// setup returns a client whose HTTP traffic goes to a fresh httpmock
// transport (never the global default), with pacing off and fast retries,
// on an auto-advancing virtual clock (no wait sleeps; pass core.WithClock
// to observe the waits).
func setup(t *testing.T, opts ...core.Option) (*telegram.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	base := []core.Option{
		core.WithHTTPClient(&http.Client{Transport: mt}),
		telegram.WithoutRateLimits(),
		core.WithRetry(3, time.Millisecond, 5*time.Millisecond),
		core.WithClock(coretest.NewAutoClock()),
	}
	c, err := telegram.New(testToken, append(base, opts...)...)
	require.NoError(t, err)
	return c, mt
}

// envelopeOK returns a success envelope around result.
func envelopeOK(t testing.TB, result any) string {
	b, err := json.Marshal(map[string]any{"ok": true, "result": result})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// okResponder answers with a success envelope.
func okResponder(t testing.TB, result any) httpmock.Responder {
	body := envelopeOK(t, result)
	return func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(200, body)
		r.Header.Set("Content-Type", "application/json")
		return r, nil
	}
}

// errResponder answers with an error envelope; HTTP status = error_code.
func errResponder(code int, desc string, params map[string]any) httpmock.Responder {
	env := map[string]any{"ok": false, "error_code": code, "description": desc}
	if params != nil {
		env["parameters"] = params
	}
	b, _ := json.Marshal(env)
	return func(*http.Request) (*http.Response, error) {
		r := httpmock.NewBytesResponse(code, b)
		r.Header.Set("Content-Type", "application/json")
		return r, nil
	}
}

// seq answers with the responders in order, repeating the last one.
func seq(rs ...httpmock.Responder) httpmock.Responder {
	var mu sync.Mutex
	i := 0
	return func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		r := rs[min(i, len(rs)-1)]
		i++
		mu.Unlock()
		return r(req)
	}
}

// recorded is one request seen by a recorder.
type recorded struct {
	Method      string
	Path        string
	ContentType string
	Body        []byte
}

// recorder wraps a responder and keeps every request.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

func (rec *recorder) wrap(r httpmock.Responder) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		var body []byte
		if req.Body != nil {
			body, _ = io.ReadAll(req.Body)
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, recorded{Method: req.Method, Path: req.URL.Path, ContentType: req.Header.Get("Content-Type"), Body: body})
		rec.mu.Unlock()
		return r(req)
	}
}

func (rec *recorder) all() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.reqs...)
}

func (rec *recorder) last(t *testing.T) recorded {
	t.Helper()
	all := rec.all()
	require.NotEmpty(t, all, "no request recorded")
	return all[len(all)-1]
}

// part is one multipart part.
type part struct {
	Name, Filename, ContentType string
	Data                        []byte
}

// multipartBody parses a recorded multipart body.
func multipartBody(t *testing.T, r recorded) (fields map[string]string, files map[string]part) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(r.ContentType)
	require.NoError(t, err)
	require.Equal(t, "multipart/form-data", mt)
	mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
	fields, files = map[string]string{}, map[string]part{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		data, err := io.ReadAll(p)
		require.NoError(t, err)
		if p.FileName() != "" {
			files[p.FormName()] = part{Name: p.FormName(), Filename: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: data}
		} else {
			fields[p.FormName()] = string(data)
		}
	}
	return fields, files
}

func channelMessage(id int64) map[string]any {
	return map[string]any{
		"message_id": id, "date": 1767225600,
		"chat":        map[string]any{"id": -1001234567890, "type": "channel", "title": "Минцифры", "username": "mincifry"},
		"sender_chat": map[string]any{"id": -1001234567890, "type": "channel", "title": "Минцифры"},
		"text":        "Новость",
	}
}

func noToken(t *testing.T, s string) {
	t.Helper()
	require.NotContains(t, s, testToken)
	require.NotContains(t, s, strings.SplitN(testToken, ":", 2)[1])
}
