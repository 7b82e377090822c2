package emu_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// TestPipelineJournalsTheFaultOfEveryKind: whatever a rule does (an
// error, a rate limit, a drop before or after, an error after, a cut-off
// body, a bare HTTP status, latency only), the journal entry of the call
// it affected names the rule.
func TestPipelineJournalsTheFaultOfEveryKind(t *testing.T) {
	for _, kind := range world.FaultKinds() {
		t.Run(string(kind)+"_", func(t *testing.T) {
			w, err := world.New(world.WithEmptyScenario())
			require.NoError(t, err)
			srv, _ := newToy(t, w)
			r := world.Rule{ID: "rule-" + string(kind), Party: "toy", Method: "echo", Kind: kind}
			switch kind {
			case world.FaultNone:
				r.Latency = time.Microsecond
			case world.FaultError, world.FaultErrorAfter:
				r.Code = 500
			}
			_, err = w.Faults.Add(r)
			require.NoError(t, err)
			_, _, _ = get(t, srv.URL+"/echo?key=k")
			e, ok := w.Journal.Last(world.Filter{Party: "toy"})
			require.True(t, ok)
			assert.Equal(t, r.ID, e.Fault)
			assert.Equal(t, "echo", e.Method)
		})
	}
}

// TestPipelineHTTPStatusFault: an http_status rule answers the bare
// status with a proxy's HTML page, not the party's envelope, and does not
// run the request.
func TestPipelineHTTPStatusFault(t *testing.T) {
	w, err := world.New(world.WithEmptyScenario())
	require.NoError(t, err)
	srv, calls := newToy(t, w)
	_, err = w.Faults.Add(world.Rule{Party: "toy", Kind: world.FaultHTTPStatus, Code: 504, First: 1})
	require.NoError(t, err)
	st, body, err := get(t, srv.URL+"/echo?key=k")
	require.NoError(t, err)
	assert.Equal(t, 504, st)
	assert.Contains(t, body, "504 Gateway Timeout")
	assert.NotContains(t, body, `"err"`, "not the party's envelope")
	assert.Zero(t, calls.Load())
	e, _ := w.Journal.Last(world.Filter{})
	assert.Equal(t, 504, e.Status)
	assert.Equal(t, "Gateway Timeout", e.Description)

	// The default status is 502; outside 400..599 is refused.
	id, err := w.Faults.Add(world.Rule{Kind: world.FaultHTTPStatus})
	require.NoError(t, err)
	assert.Equal(t, 502, w.Faults.List()[1].Code, id)
	_, err = w.Faults.Add(world.Rule{Kind: world.FaultHTTPStatus, Code: 302})
	assert.ErrorIs(t, err, world.ErrInvalidRule)
}

// paramToy is the toy party with form parameters, a typed view and fault
// parameters that differ from its journal parameters (as Telegram's do).
type paramToy struct{ toy }

func (paramToy) Inspect(r *http.Request, c *emu.Call) {
	c.Method = strings.TrimPrefix(r.URL.Path, "/")
	_ = r.ParseForm()
	c.Data = r.Form
}

func (paramToy) Params(c *emu.Call) map[string]string {
	out := map[string]string{}
	for k, v := range c.Data.(url.Values) {
		out[k] = v[0]
	}
	return out
}

func (paramToy) FaultParams(c *emu.Call) map[string]string {
	out := paramToy{}.Params(c)
	out["seen_by"] = "fault"
	return out
}

func (paramToy) Decode(c *emu.Call, params map[string]string) *world.Decoded {
	return &world.Decoded{VK: &world.VKCall{Method: "Toy." + c.Method, Params: params}}
}

// TestPipelineFaultParamsAndDecoder: a rule with Params fires only on
// requests whose parameters hold those exact values (read through the
// adapter's FaultParams), and the adapter's Decode fills the entry's view.
func TestPipelineFaultParamsAndDecoder(t *testing.T) {
	w, err := world.New(world.WithEmptyScenario())
	require.NoError(t, err)
	h := emu.HandlerFunc(func(rw http.ResponseWriter, r *http.Request, c *emu.Call) { _, _ = io.WriteString(rw, "ok") })
	res := emu.ResolverFunc(func(r *http.Request, c *emu.Call) (emu.Target, bool) {
		return emu.Target{Tenant: "t", World: w, Handler: h}, true
	})
	srv := httptest.NewServer(emu.New(paramToy{}, res))
	t.Cleanup(srv.Close)
	id, err := w.Faults.Add(world.Rule{Party: "toy", Method: "post", Kind: world.FaultError, Code: 403,
		Params: map[string]string{"owner_id": "-123", "seen_by": "fault"}})
	require.NoError(t, err)

	for _, tc := range []struct {
		query  string
		status int
	}{
		{"owner_id=-123", 403},
		{"owner_id=-1234", 200},
		{"owner_id=123", 200},
		{"other=-123", 200},
		{"owner_id=-123&x=1", 403},
	} {
		st, _, err := get(t, srv.URL+"/post?"+tc.query)
		require.NoError(t, err)
		assert.Equal(t, tc.status, st, tc.query)
		e, _ := w.Journal.Last(world.Filter{})
		if tc.status == 403 {
			assert.Equal(t, id, e.Fault, tc.query)
		} else {
			assert.Empty(t, e.Fault, tc.query)
		}
		require.NotNil(t, e.Decoded)
		assert.Equal(t, "Toy.post", e.Decoded.VK.Method)
		assert.Equal(t, e.Params, e.Decoded.VK.Params)
		assert.NotContains(t, e.Params, "seen_by", "the journal keeps the adapter's Params")
	}
	// Another method with the same parameters: no match.
	st, _, _ := get(t, srv.URL+"/get?owner_id=-123")
	assert.Equal(t, 200, st)
}
