package emu_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// toy is a party whose method is the path and whose credential is the
// "key" query parameter; its error envelope is {"err":code,"msg":text}.
type toy struct{}

func (toy) Party() string     { return "toy" }
func (toy) Methods() []string { return []string{"echo", "boom"} }
func (toy) Inspect(r *http.Request, c *emu.Call) {
	c.Method = strings.TrimPrefix(r.URL.Path, "/")
	c.Credential = r.URL.Query().Get("key")
	body, err := io.ReadAll(r.Body)
	c.Data = toyReq{body: string(body), tooLarge: err != nil}
}
func (toy) Params(c *emu.Call) map[string]string {
	q, _ := c.Data.(toyReq)
	return map[string]string{"body": q.body, "key": "[redacted]"}
}
func (toy) WriteError(w http.ResponseWriter, r *http.Request, c *emu.Call, f emu.Failure) {
	code, msg := f.Code, f.Description
	switch f.Kind {
	case emu.Unauthorized:
		code, msg = 401, "who are you"
	case emu.RateLimited:
		code, msg = 429, "slow down "+strconv.Itoa(f.RetryAfter)
	case emu.Internal:
		code, msg = 500, "oops"
	}
	c.Code, c.Description = code, msg
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, `{"err":`+strconv.Itoa(code)+`,"msg":"`+msg+`"}`)
}

type toyReq struct {
	body     string
	tooLarge bool
}

func newToy(t *testing.T, w *world.World, opts ...emu.Option) (*httptest.Server, *atomic.Int32) {
	calls := new(atomic.Int32)
	h := emu.HandlerFunc(func(rw http.ResponseWriter, r *http.Request, c *emu.Call) {
		calls.Add(1)
		if c.Data.(toyReq).tooLarge {
			rw.WriteHeader(413)
			return
		}
		if c.Method == "boom" {
			panic("boom")
		}
		_, _ = io.WriteString(rw, "echo:"+c.Data.(toyReq).body)
	})
	res := emu.ResolverFunc(func(r *http.Request, c *emu.Call) (emu.Target, bool) {
		named := r.Header.Get(emu.TenantHeader)
		return emu.Target{Tenant: "t-" + c.Credential, World: w, Handler: h}, named == "" || named == "t-"+c.Credential
	})
	srv := httptest.NewServer(emu.New(toy{}, res, opts...))
	t.Cleanup(srv.Close)
	return srv, calls
}

func get(t *testing.T, u string, hdr ...string) (int, string, error) {
	t.Helper()
	req, err := http.NewRequest("POST", u, strings.NewReader("hello"))
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data), err
}

func TestPipelineServesJournalsAndRefuses(t *testing.T) {
	w, err := world.New(world.WithEmptyScenario(), world.WithFrozenClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	require.NoError(t, err)
	srv, calls := newToy(t, w)
	st, body, err := get(t, srv.URL+"/echo?key=k1")
	require.NoError(t, err)
	assert.Equal(t, 200, st)
	assert.Equal(t, "echo:hello", body)
	e, ok := w.Journal.Last(world.Filter{})
	require.True(t, ok)
	assert.Equal(t, "toy", e.Party)
	assert.Equal(t, "echo", e.Method)
	assert.Equal(t, "t-k1", e.Tenant)
	assert.Equal(t, 200, e.Status)
	assert.Equal(t, map[string]string{"body": "hello", "key": "[redacted]"}, e.Params)
	assert.Equal(t, w.Clock.Now(), e.Time)

	// A tenant header the credential does not belong to: the party's 401,
	// and the handler never runs.
	st, body, err = get(t, srv.URL+"/echo?key=k1", emu.TenantHeader, "t-other")
	require.NoError(t, err)
	assert.Equal(t, 401, st)
	assert.Contains(t, body, "who are you")
	assert.Equal(t, int32(1), calls.Load())

	// A panic is the party's own 500, journalled.
	st, body, err = get(t, srv.URL+"/boom?key=k1")
	require.NoError(t, err)
	assert.Equal(t, 500, st)
	assert.Contains(t, body, "oops")
	e, _ = w.Journal.Last(world.Filter{})
	assert.Equal(t, 500, e.Status)
	assert.Equal(t, 500, e.Code)
}

func TestPipelineFaultKinds(t *testing.T) {
	w, err := world.New(world.WithEmptyScenario())
	require.NoError(t, err)
	srv, calls := newToy(t, w)
	add := func(r world.Rule) string {
		r.Party, r.Method, r.First = "toy", "echo", 1
		id, err := w.Faults.Add(r)
		require.NoError(t, err)
		return id
	}
	last := func() world.Entry {
		e, ok := w.Journal.Last(world.Filter{})
		require.True(t, ok)
		return e
	}

	id := add(world.Rule{Kind: world.FaultError, Code: 418, Description: "teapot"})
	st, body, err := get(t, srv.URL+"/echo?key=k")
	require.NoError(t, err)
	assert.Equal(t, 418, st)
	assert.Contains(t, body, "teapot")
	assert.Equal(t, int32(0), calls.Load(), "an error rule stops the request")
	assert.Equal(t, id, last().Fault)
	w.Faults.Reset()

	add(world.Rule{Kind: world.FaultRateLimit, RetryAfter: 7})
	st, body, _ = get(t, srv.URL+"/echo?key=k")
	assert.Equal(t, 429, st)
	assert.Contains(t, body, "slow down 7")
	w.Faults.Reset()

	add(world.Rule{Kind: world.FaultDropBefore})
	_, _, err = get(t, srv.URL+"/echo?key=k")
	require.Error(t, err)
	assert.Equal(t, int32(0), calls.Load())
	assert.Equal(t, 0, last().Status)
	w.Faults.Reset()

	add(world.Rule{Kind: world.FaultDropAfter})
	_, _, err = get(t, srv.URL+"/echo?key=k")
	require.Error(t, err)
	assert.Equal(t, int32(1), calls.Load(), "drop_after runs the request")
	w.Faults.Reset()

	add(world.Rule{Kind: world.FaultErrorAfter, Code: 502, Description: "bad gateway"})
	st, body, _ = get(t, srv.URL+"/echo?key=k")
	assert.Equal(t, 502, st)
	assert.Contains(t, body, "bad gateway")
	assert.Equal(t, int32(2), calls.Load())
	w.Faults.Reset()

	add(world.Rule{Kind: world.FaultTruncate})
	st, body, err = get(t, srv.URL+"/echo?key=k")
	assert.Equal(t, 200, st)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, "echo:", body, "half of \"echo:hello\"")
	assert.Equal(t, int32(3), calls.Load())
	w.Faults.Reset()

	// Latency only: the request is then served.
	add(world.Rule{Latency: time.Millisecond})
	st, body, _ = get(t, srv.URL+"/echo?key=k")
	assert.Equal(t, 200, st)
	assert.Equal(t, "echo:hello", body)
	assert.Equal(t, int32(4), calls.Load())
	assert.NotEmpty(t, last().Fault)
}

func TestPipelineBodyLimit(t *testing.T) {
	w, err := world.New(world.WithEmptyScenario())
	require.NoError(t, err)
	srv, _ := newToy(t, w, emu.WithMaxBody(3))
	st, _, err := get(t, srv.URL+"/echo?key=k")
	require.NoError(t, err)
	assert.Equal(t, 413, st)
}

func TestIndex(t *testing.T) {
	x := emu.NewIndex()
	require.NoError(t, x.Bind("telegram", "tok-a", "a"))
	require.NoError(t, x.Bind("telegram", "tok-a", "a"), "binding again to the same tenant")
	err := x.Bind("telegram", "tok-a", "b")
	require.ErrorIs(t, err, emu.ErrCredentialTaken)
	assert.NotContains(t, err.Error(), "tok-a", "errors never carry credentials")
	require.NoError(t, x.Bind("esia", "tok-a", "b"), "parties have separate name spaces")
	tn, ok := x.Lookup("telegram", "tok-a")
	assert.True(t, ok)
	assert.Equal(t, "a", tn)

	require.NoError(t, x.Sync("telegram", "a", []string{"tok-a2", "tok-a3"}))
	_, ok = x.Lookup("telegram", "tok-a")
	assert.False(t, ok, "Sync drops what is no longer listed")
	assert.Equal(t, 2, x.Credentials("a", "telegram"))
	require.ErrorIs(t, x.Sync("telegram", "c", []string{"tok-a2"}), emu.ErrCredentialTaken)
	assert.Zero(t, x.Credentials("c", ""))

	x.DropTenant("a")
	_, ok = x.Lookup("telegram", "tok-a2")
	assert.False(t, ok)
	x.Unbind("esia", "tok-a")
	_, ok = x.Lookup("esia", "tok-a")
	assert.False(t, ok)
}

func TestTransportCarriesTheTenant(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get(emu.TenantHeader))
	}))
	defer srv.Close()
	c := &http.Client{Transport: &emu.Transport{}}
	for _, ctx := range []context.Context{context.Background(), emu.WithTenant(context.Background(), "suite-1")} {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
		resp, err := c.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
	}
	assert.Equal(t, []string{"", "suite-1"}, got)
	assert.Equal(t, "suite-1", emu.TenantFrom(emu.WithTenant(context.Background(), "suite-1")))
	assert.Empty(t, emu.TenantFrom(context.Background()))
	assert.False(t, errors.Is(nil, emu.ErrCredentialTaken))
}

func TestCallPrintsNoCredential(t *testing.T) {
	c := &emu.Call{Party: "telegram", Method: "getme", Credential: "123:MOCKsecretsecret", Token: "123~abcd"}
	var buf strings.Builder
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		buf.WriteString(fmt.Sprintf(verb, c))
	}
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("call", "call", c)
	assert.NotContains(t, buf.String(), "MOCKsecret")
	assert.Contains(t, buf.String(), "123~abcd")
}
