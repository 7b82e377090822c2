package mock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func getJSON(t *testing.T, c *http.Client, method, u string, body string, hdr map[string]string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	if out != nil {
		require.NoError(t, json.Unmarshal(data, out), string(data))
	}
	return resp.StatusCode
}

func TestStartServesTelegramAndCredentials(t *testing.T) {
	sb := mock.Start(t)
	cr := sb.Credentials.Telegram
	assert.Equal(t, world.DefaultChannelID, cr.ChannelID)
	assert.Equal(t, "@minsvyaz29", cr.ChannelUsername)
	assert.Equal(t, world.DefaultGroupID, cr.GroupID)
	assert.NotEmpty(t, cr.TestBotToken)
	assert.Equal(t, sb.TelegramURL, sb.URL("telegram"))
	assert.Equal(t, sb.ControlURL, sb.URL("control"))
	assert.Empty(t, sb.URL("nope"))
	assert.Contains(t, mock.PartyNames(), "telegram")

	c := sb.HTTPClient()
	var resp tgmock.Response
	status := getJSON(t, c, "POST", sb.TelegramURL+"/bot"+cr.BotToken+"/sendMessage", `{"chat_id":"`+cr.ChannelUsername+`","text":"Новость"}`, nil, &resp)
	require.Equal(t, 200, status)
	require.True(t, resp.OK)
	msgs := sb.Telegram.Messages(cr.ChannelID)
	require.Len(t, msgs, 1)
	assert.Equal(t, "Новость", msgs[0].Text)
	assert.Equal(t, 1, sb.Journal.Count("telegram", "sendmessage"))
}

func TestHTTPClientFailsClosed(t *testing.T) {
	sb := mock.Start(t)
	c := sb.HTTPClient()
	for _, u := range []string{"https://api.telegram.org/bot1:x/getMe", "http://127.0.0.1:1/", "https://" + strings.TrimPrefix(sb.TelegramURL, "http://") + "/"} {
		_, err := c.Get(u)
		require.Error(t, err, u)
		assert.True(t, errors.Is(err, mock.ErrNotSandboxHost), "%v", err)
	}
	resp, err := c.Get(strings.Replace(sb.ControlURL, "127.0.0.1", "localhost", 1) + "/_mock/health")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
}

func TestControlAPI(t *testing.T) {
	sb := mock.Start(t, mock.WithFrozenClock(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)))
	c := sb.HTTPClient()
	ctl := sb.ControlURL + "/_mock"
	tg := sb.TelegramURL + "/bot" + sb.Credentials.Telegram.BotToken

	var health map[string]any
	require.Equal(t, 200, getJSON(t, c, "GET", ctl+"/health", "", nil, &health))
	assert.Equal(t, "ok", health["status"])

	var clock struct {
		Now    time.Time `json:"now"`
		Frozen bool      `json:"frozen"`
	}
	require.Equal(t, 200, getJSON(t, c, "POST", ctl+"/clock/advance?d=1h30m", "", nil, &clock))
	assert.Equal(t, time.Date(2026, 3, 1, 11, 30, 0, 0, time.UTC), clock.Now.UTC())
	assert.True(t, clock.Frozen)
	var cerr struct{ Error string }
	require.Equal(t, 400, getJSON(t, c, "POST", ctl+"/clock/advance?d=soon", "", nil, &cerr))
	assert.Contains(t, cerr.Error, "duration")

	// Faults through the API, latency as a duration string.
	var rule world.Rule
	require.Equal(t, 201, getJSON(t, c, "POST", ctl+"/faults", `{"party":"telegram","method":"getMe","kind":"error","code":502,"description":"Bad Gateway","first":1}`, nil, &rule))
	assert.Equal(t, "getme", rule.Method)
	require.Equal(t, 201, getJSON(t, c, "POST", ctl+"/faults", `{"party":"telegram","method":"getChat","latency":"10ms"}`, nil, &rule))
	assert.Equal(t, 10*time.Millisecond, rule.Latency)
	require.Equal(t, 400, getJSON(t, c, "POST", ctl+"/faults", `{"kind":"explode"}`, nil, &cerr))
	require.Equal(t, 400, getJSON(t, c, "POST", ctl+"/faults", `{"kind":"error","code":500,"typo":1}`, nil, &cerr))
	var rules []world.Rule
	getJSON(t, c, "GET", ctl+"/faults", "", nil, &rules)
	require.Len(t, rules, 2)
	var resp tgmock.Response
	require.Equal(t, 502, getJSON(t, c, "GET", tg+"/getMe", "", nil, &resp))
	assert.Equal(t, "Bad Gateway", resp.Description)
	require.Equal(t, 200, getJSON(t, c, "DELETE", ctl+"/faults?id="+rules[1].ID, "", nil, nil))
	require.Equal(t, 404, getJSON(t, c, "DELETE", ctl+"/faults?id=nope", "", nil, nil))

	// Journal with filters.
	getJSON(t, c, "GET", tg+"/getMe", "", nil, &resp)
	var entries []world.Entry
	require.Equal(t, 200, getJSON(t, c, "GET", ctl+"/journal?party=telegram&method=getme&status=502", "", nil, &entries))
	require.Len(t, entries, 1)
	assert.Equal(t, time.Date(2026, 3, 1, 11, 30, 0, 0, time.UTC), entries[0].Time.UTC(), "journal uses the world clock")
	require.Equal(t, 200, getJSON(t, c, "GET", ctl+"/journal?limit=1", "", nil, &entries))
	require.Len(t, entries, 1)
	assert.Equal(t, 200, entries[0].Status)
	require.Equal(t, 400, getJSON(t, c, "GET", ctl+"/journal?after=x", "", nil, &cerr))

	// Users act through the API; messages are readable.
	var msg tgmock.Message
	require.Equal(t, 200, getJSON(t, c, "POST", ctl+"/telegram/post", `{"chat_id":-1001000000002,"user_id":5000000002,"text":"вопрос"}`, nil, &msg))
	assert.Equal(t, "вопрос", msg.Text)
	var msgs []tgmock.Message
	getJSON(t, c, "GET", ctl+"/telegram/messages?chat_id=-1001000000002", "", nil, &msgs)
	require.Len(t, msgs, 1)
	var lim tgmock.Limits
	require.Equal(t, 200, getJSON(t, c, "POST", ctl+"/telegram/limits", `{"disabled":true}`, nil, &lim))
	assert.True(t, sb.Telegram.Limits().Disabled)

	// Export, modify, import, reset.
	var sc world.Scenario
	require.Equal(t, 200, getJSON(t, c, "GET", ctl+"/state?secrets=1", "", nil, &sc))
	region := world.DefaultRegion()
	regionTG := 0
	for _, p := range region.Pages {
		if p.Network == world.NetworkTelegram {
			regionTG++
		}
	}
	// The OK group, the Telegram chats, the VK communities, and the region's pages.
	require.Len(t, sc.Pages, 6+len(region.Pages))
	old := slices.IndexFunc(sc.Pages, func(p world.Page) bool { return p.ID == world.DefaultOldGroupID })
	require.Positive(t, old)
	sc.Pages = slices.Delete(sc.Pages, old, old+1) // the VK communities stay
	// The Telegram section still names the old group: refused, by path.
	data, _ := json.Marshal(sc)
	require.Equal(t, 400, getJSON(t, c, "POST", ctl+"/state", string(data), nil, &cerr))
	assert.Contains(t, cerr.Error, "telegram.chats[2].id: no telegram page -1000000003")
	var st tgmock.Settings
	require.NoError(t, json.Unmarshal(sc.Sections["telegram"], &st))
	st.Chats = st.Chats[:2] // sorted by id: the old group comes last
	sc.Sections["telegram"], _ = json.Marshal(st)
	data, _ = json.Marshal(sc)
	require.Equal(t, 200, getJSON(t, c, "POST", ctl+"/state", string(data), nil, &cerr), cerr.Error)
	assert.Len(t, sb.World.Pages("telegram"), 2+regionTG)
	require.Equal(t, 400, getJSON(t, c, "POST", ctl+"/state", `{"version":2,"people":[{"oid":-1}]}`, nil, &cerr))
	assert.Contains(t, cerr.Error, "people[0].oid: must be positive")
	// Seed adds entities, sections included; duplicates are a 409.
	seed := `{"telegram":{"bots":[{"id":7300,"token":"` + tgmock.NewBotToken(7300, 1) + `","username":"new_bot","first_name":"New"}]}}`
	require.Equal(t, 200, getJSON(t, c, "POST", ctl+"/seed", seed, nil, nil))
	assert.Len(t, sb.Telegram.Section().Bots(), 3)
	require.Equal(t, 409, getJSON(t, c, "POST", ctl+"/seed", seed, nil, &cerr))
	require.Equal(t, 200, getJSON(t, c, "POST", ctl+"/reset", "", nil, nil))
	assert.Len(t, sb.Telegram.Section().Bots(), 2, "reset restores the imported state")
	assert.Len(t, sb.World.Pages("telegram"), 2+regionTG)
	assert.Empty(t, sb.Telegram.Messages(world.DefaultGroupID))
	assert.Zero(t, sb.Journal.Count("", ""))
	require.Equal(t, 404, getJSON(t, c, "GET", ctl+"/nothing", "", nil, &cerr))
}

func TestResetDropsTelegramRuntimeState(t *testing.T) {
	sb := mock.Start(t)
	_, err := sb.Telegram.PostAsUser(world.DefaultGroupID, world.DefaultEmployeeTGID, "hi")
	require.NoError(t, err)
	require.Len(t, sb.Telegram.PendingUpdates(tgmock.DefaultBotID), 1)
	require.NoError(t, sb.ResetTenant(mock.DefaultTenant))
	assert.Empty(t, sb.Telegram.PendingUpdates(tgmock.DefaultBotID))
}

func TestScenarioFileAndEmptyWorld(t *testing.T) {
	sc := world.DefaultScenario()
	sc.Pages = sc.Pages[:1]
	data, err := json.Marshal(sc)
	require.NoError(t, err)
	fn := filepath.Join(t.TempDir(), "sc.json")
	require.NoError(t, os.WriteFile(fn, data, 0o600))
	sb := mock.Start(t, mock.WithScenarioFile(fn))
	assert.Len(t, sb.World.Pages(""), 1)
	assert.Zero(t, sb.Credentials.Telegram.GroupID)

	empty := mock.Start(t, mock.WithEmptyWorld())
	assert.Empty(t, empty.Credentials.Telegram.BotToken)

	require.NoError(t, os.WriteFile(fn, []byte(`{"version":2,"telegram":{"bots":[{"id":1,"token":"1:AAHxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","username":"a_bot","first_name":"A"}]}}`), 0o600))
	_, err = mock.New(mock.WithScenarioFile(fn))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "telegram.bots[0].token: refusing a production-looking token")
	assert.NotContains(t, err.Error(), "AAHxxx")

	// A section of a party the sandbox does not start is refused by name.
	_, err = mock.New(mock.WithScenarioFile(fn), mock.WithParties("esia"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `no party of this world owns a section "telegram"`)

	// Version 1 files are refused with what changed.
	require.NoError(t, os.WriteFile(fn, []byte(`{"version":1,"bots":[]}`), 0o600))
	_, err = mock.New(mock.WithScenarioFile(fn))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "version 1 scenarios are no longer read")
}

func TestCloseIsIdempotentAndEndsLongPolls(t *testing.T) {
	sb, err := mock.New()
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		resp, err := http.Post(sb.TelegramURL+"/bot"+sb.Credentials.Telegram.BotToken+"/getUpdates?timeout=30", "", bytes.NewReader(nil))
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, sb.Telegram.AwaitPolling(ctx, sb.Credentials.Telegram.BotID), "the long poll never started")
	require.NoError(t, sb.Close())
	require.NoError(t, sb.Close())
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("long poll survived Close")
	}
}

func BenchmarkStartClose(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sb, err := mock.New()
		if err != nil {
			b.Fatal(err)
		}
		if err := sb.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStartCloseTelegramOnly(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sb, err := mock.New(mock.WithParties("telegram"))
		if err != nil {
			b.Fatal(err)
		}
		if err := sb.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestWithParties(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("telegram"))
	assert.NotEmpty(t, sb.TelegramURL)
	assert.Empty(t, sb.URL("esia"))
	assert.NotContains(t, sb.Manifest(), "esia")
	_, err := mock.New(mock.WithParties("myspace"))
	require.Error(t, err)
}

// TestControlAPIFaultErrorAfter adds an error_after rule through the
// control API: the message is stored although the client got a 502.
func TestControlAPIFaultErrorAfter(t *testing.T) {
	t.Parallel()
	sb := mock.Start(t, mock.WithParties("telegram"))
	c := sb.HTTPClient()
	ctl := sb.ControlURL + "/_mock"
	cr := sb.Credentials.Telegram

	var rule world.Rule
	require.Equal(t, 201, getJSON(t, c, "POST", ctl+"/faults",
		`{"party":"telegram","method":"sendMessage","kind":"error_after","code":502,"description":"Bad Gateway","nth":1}`, nil, &rule))
	assert.Equal(t, world.FaultErrorAfter, rule.Kind)
	var cerr struct{ Error string }
	require.Equal(t, 400, getJSON(t, c, "POST", ctl+"/faults", `{"kind":"error_after"}`, nil, &cerr))
	assert.Contains(t, cerr.Error, "needs a code")

	var resp tgmock.Response
	require.Equal(t, 502, getJSON(t, c, "POST", sb.TelegramURL+"/bot"+cr.BotToken+"/sendMessage",
		`{"chat_id":`+strconv.FormatInt(cr.ChannelID, 10)+`,"text":"сохранено"}`, nil, &resp))
	assert.False(t, resp.OK)
	assert.Equal(t, "Bad Gateway", resp.Description)
	msgs := sb.Telegram.Messages(cr.ChannelID)
	require.Len(t, msgs, 1, "the request took effect")
	assert.Equal(t, "сохранено", msgs[0].Text)

	var entries []world.Entry
	require.Equal(t, 200, getJSON(t, c, "GET", ctl+"/journal?party=telegram&method=sendmessage", "", nil, &entries))
	require.Len(t, entries, 1)
	assert.Equal(t, rule.ID, entries[0].Fault)
	assert.Equal(t, 502, entries[0].Status)
}
