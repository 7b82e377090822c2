package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

func TestNewRejectsMalformedTokens(t *testing.T) {
	t.Parallel()
	for _, tok := range []string{
		"", "abc", ":AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw3", "12a:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw3",
		"123:short", "123:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw3!", "123:AAHdqTcvCH1vGWJxfSeofSAs0K5PA/Dsaw3",
	} {
		c, err := telegram.New(tok)
		require.Nil(t, c)
		require.ErrorIs(t, err, telegram.ErrInvalidToken, tok)
		if tok != "" {
			assert.NotContains(t, err.Error(), tok)
		}
	}
	assert.True(t, telegram.ValidToken(testToken))
}

func TestNewMakesNoNetworkCall(t *testing.T) {
	t.Parallel()
	_, mt := setup(t)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestNewOptionErrors(t *testing.T) {
	t.Parallel()
	for name, o := range map[string]core.Option{
		"nil http client": core.WithHTTPClient(nil),
		"relative base":   core.WithBaseURL("/api"),
		"ftp base":        core.WithBaseURL("ftp://example.org"),
		"base with query": core.WithBaseURL("http://example.org/?a=1"),
		"retry":           core.WithRetry(-1, 0, 0),
		"retry waits":     core.WithRetry(1, time.Second, time.Millisecond),
		"max retry after": core.WithRateLimitRetry(-time.Second, core.DefaultRateLimitMaxTotalWait),
		"negative limits": telegram.WithRateLimits(telegram.Limits{PerChat: core.Rate{N: -1, Per: time.Second}}),
		"download":        telegram.WithMaxDownloadBytes(0),
		"upload":          telegram.WithMaxUploadBytes(-1),
	} {
		_, err := telegram.New(testToken, o)
		assert.Error(t, err, name)
	}
}

func TestBaseURLAndTestEnvironmentPaths(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		opts []core.Option
		url  string
	}{
		{nil, "https://api.telegram.org/bot" + testToken + "/getMe"},
		{[]core.Option{telegram.WithTestEnvironment()}, "https://api.telegram.org/bot" + testToken + "/test/getMe"},
		{[]core.Option{core.WithBaseURL("http://127.0.0.1:8081/")}, "http://127.0.0.1:8081/bot" + testToken + "/getMe"},
		{[]core.Option{core.WithBaseURL("http://mock.local/tg"), telegram.WithTestEnvironment()},
			"http://mock.local/tg/bot" + testToken + "/test/getMe"},
	} {
		c, mt := setup(t, tc.opts...)
		mt.RegisterResponder(http.MethodPost, tc.url, okResponder(t, map[string]any{"id": 123456789, "is_bot": true, "first_name": "Bot", "username": "gov_bot"}))
		me, err := c.GetMe(t.Context())
		require.NoError(t, err, tc.url)
		assert.Equal(t, int64(123456789), me.ID)
		assert.Equal(t, "gov_bot", me.Username)
		assert.Equal(t, 1, mt.GetTotalCallCount())
	}
}

func TestParameterlessCallHasNoBody(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"getWebhookInfo", rec.wrap(okResponder(t, map[string]any{
		"url": "https://gov.example/hook", "pending_update_count": 3, "max_connections": 40, "allowed_updates": []string{"channel_post"},
	})))
	info, err := c.GetWebhookInfo(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "https://gov.example/hook", info.URL)
	assert.Equal(t, 3, info.PendingUpdateCount)
	assert.Equal(t, []string{"channel_post"}, info.AllowedUpdates)
	assert.Empty(t, rec.last(t).Body)
}

// TestTokenNeverInErrorsOrLogs drives every failure path with the real
// token string and checks errors, hooks and logs.
func TestTokenNeverInErrorsOrLogs(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	var mu sync.Mutex
	var hookURLs []string
	c, mt := setup(t,
		core.WithLogger(slog.New(slog.NewTextHandler(syncWriter{&mu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		core.WithRequestHook(func(_ context.Context, ri core.RequestInfo) {
			mu.Lock()
			hookURLs = append(hookURLs, ri.URL)
			mu.Unlock()
		}),
		core.WithResponseHook(func(_ context.Context, ri core.ResponseInfo) {
			mu.Lock()
			hookURLs = append(hookURLs, ri.URL)
			if ri.Err != nil {
				hookURLs = append(hookURLs, ri.Err.Error())
			}
			mu.Unlock()
		}),
	)
	failure := func(req *http.Request) (*http.Response, error) {
		return nil, errors.New("dial " + req.URL.String() + ": connection refused")
	}
	mt.RegisterResponder(http.MethodPost, apiBase+"getMe", failure)
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", errResponder(400, "Bad Request: wrong token "+testToken, nil))
	mt.RegisterResponder(http.MethodGet, "https://api.telegram.org/file/bot"+testToken+"/a/b.txt", failure)

	_, err := c.GetMe(t.Context())
	require.Error(t, err)
	noToken(t, err.Error())

	_, err = c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"})
	require.Error(t, err)
	noToken(t, err.Error())

	_, err = c.DownloadFile(t.Context(), &telegram.DownloadFileRequest{FilePath: "a/b.txt"}, io.Discard)
	require.Error(t, err)
	noToken(t, err.Error())

	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, hookURLs)
	for _, u := range hookURLs {
		noToken(t, u)
	}
	assert.NotEmpty(t, logs.String())
	noToken(t, logs.String())
	assert.Contains(t, c.Redact("https://api.telegram.org/bot"+testToken+"/getMe"), "REDACTED")
}

type syncWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (s syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// fakeLimiter records the keys it is asked to wait for.
type fakeLimiter struct {
	mu   sync.Mutex
	keys []string
	err  error
}

func (f *fakeLimiter) Wait(ctx context.Context, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys = append(f.keys, key)
	return f.err
}

// wantKeys expands "chat:<id>" and "group:<id>" into the keys a send
// spends: the bot's key, then the chat's, with the token's fingerprint.
func wantKeys(short ...string) []string {
	fp := core.Fingerprint(testToken)
	var out []string
	for _, k := range short {
		kind, id, _ := strings.Cut(k, ":")
		out = append(out, core.LimitKey("telegram", "bot", fp, ""), core.LimitKey("telegram", kind, fp, id))
	}
	return out
}

func (f *fakeLimiter) got() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.keys...)
}

func TestLimiterKeys(t *testing.T) {
	t.Parallel()
	lim := &fakeLimiter{}
	c, mt := setup(t, core.WithLimiter(lim))
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", okResponder(t, channelMessage(1)))
	mt.RegisterResponder(http.MethodPost, apiBase+"getChat", okResponder(t, map[string]any{"id": -1009876543210, "type": "supergroup", "title": "Chat"}))
	mt.RegisterResponder(http.MethodPost, apiBase+"editMessageText", okResponder(t, channelMessage(1)))
	ctx := t.Context()
	send := func(id telegram.ChatID) {
		_, err := c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: id, Text: "hi"})
		require.NoError(t, err)
	}
	send(telegram.ChatIDInt(-1001234567890)) // channel or supergroup: unknown → chat
	send(telegram.ChatIDInt(-123456))        // basic group
	send(telegram.ChatIDInt(42))             // private
	send(telegram.Username("@MinCifry"))     // username, lower-cased
	_, err := c.GetChat(ctx, &telegram.GetChatRequest{ChatID: telegram.ChatIDInt(-1009876543210)})
	require.NoError(t, err)
	send(telegram.ChatIDInt(-1009876543210)) // learned: supergroup
	c.SetChatType(telegram.ChatIDInt(-1005555555555), telegram.ChatTypeSupergroup)
	send(telegram.ChatIDInt(-1005555555555))
	send(telegram.ChatIDInt(-999_999_999_999))   // largest basic group id
	send(telegram.ChatIDInt(-1_000_000_000_000)) // -100... range
	_, err = c.EditMessageText(ctx, &telegram.EditMessageTextRequest{ChatID: telegram.ChatIDInt(42), MessageID: 1, Text: "x"})
	require.NoError(t, err)
	assert.Equal(t, wantKeys(
		"chat:-1001234567890", "group:-123456", "chat:42", "chat:@mincifry", "group:-1009876543210", "group:-1005555555555",
		"group:-999999999999", "chat:-1000000000000",
	), lim.got(), "only sends are paced; reads and edits are not")
	for _, k := range lim.got() {
		assert.NotContains(t, k, "AAHdq", "a key never contains the token")
	}
}

func TestAlbumSpendsOneTokenPerItem(t *testing.T) {
	t.Parallel()
	lim := &fakeLimiter{}
	c, mt := setup(t, core.WithLimiter(lim))
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMediaGroup", okResponder(t, []any{channelMessage(1), channelMessage(2), channelMessage(3)}))
	_, err := c.SendMediaGroup(t.Context(), &telegram.SendMediaGroupRequest{ChatID: telegram.ChatIDInt(-1001234567890), Media: []telegram.InputMedia{
		telegram.NewInputMediaPhoto(telegram.FileID("a"), ""),
		telegram.NewInputMediaPhoto(telegram.FileID("b"), ""),
		telegram.NewInputMediaPhoto(telegram.FileID("c"), ""),
	}})
	require.NoError(t, err)
	assert.Equal(t, wantKeys("chat:-1001234567890", "chat:-1001234567890", "chat:-1001234567890"), lim.got(),
		"Telegram counts every album item as a message")
}

func TestLimiterErrorSendsNothing(t *testing.T) {
	t.Parallel()
	lim := &fakeLimiter{err: errors.New("quota store down")}
	c, mt := setup(t, core.WithLimiter(lim))
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", okResponder(t, channelMessage(1)))
	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"})
	require.Error(t, err)
	assert.NotErrorIs(t, err, social.ErrUnknownOutcome)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestBuiltInPacing(t *testing.T) {
	t.Parallel()
	clk := coretest.NewAutoClock()
	c, mt := setup(t, core.WithClock(clk), telegram.WithRateLimits(telegram.Limits{PerChat: core.PerSecond(1), PerChatBurst: 1}))
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", okResponder(t, channelMessage(1)))
	for range 3 {
		_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(7), Text: "x"})
		require.NoError(t, err)
	}
	assert.Equal(t, 2*time.Second, clk.Slept(), "1 msg/s in one chat")
	// Another chat has its own bucket: no wait.
	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(8), Text: "x"})
	require.NoError(t, err)
	assert.Equal(t, 2*time.Second, clk.Slept())
	// A per-call key override spends another bucket.
	_, err = c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(7), Text: "x"},
		core.CallLimitKeys(telegram.KeyPrefixChat+"elsewhere"))
	require.NoError(t, err)
	assert.Equal(t, 2*time.Second, clk.Slept())
}

// TestDefaultPacingIsVirtualAndShareable: two clients of one token with
// one shared limiter pace together, on the clock given to the limiter.
func TestSharedLimiterPacesTwoClientsOfOneToken(t *testing.T) {
	t.Parallel()
	clk := coretest.NewAutoClock()
	cfg := telegram.LimiterConfig(telegram.DefaultLimits())
	cfg.Clock = clk
	shared := core.NewKeyedLimiter(cfg)
	c1, mt1 := setup(t, core.WithLimiter(shared))
	c2, mt2 := setup(t, core.WithLimiter(shared))
	mt1.RegisterResponder(http.MethodPost, apiBase+"sendMessage", okResponder(t, channelMessage(1)))
	mt2.RegisterResponder(http.MethodPost, apiBase+"sendMessage", okResponder(t, channelMessage(1)))
	for range 2 {
		for _, c := range []*telegram.Client{c1, c2} {
			_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(7), Text: "x"})
			require.NoError(t, err)
		}
	}
	// Burst 2 per chat, then 1/s: the 3rd and 4th sends wait 1 s each.
	assert.Equal(t, 2*time.Second, clk.Slept())
}

func TestDefaultLimits(t *testing.T) {
	t.Parallel()
	l := telegram.DefaultLimits()
	assert.InDelta(t, 30.0, l.Global.PerSecond(), 1e-9)
	assert.InDelta(t, 1.0, l.PerChat.PerSecond(), 1e-9)
	assert.InDelta(t, 20.0/60, l.PerGroup.PerSecond(), 1e-9)
	assert.Equal(t, "core.KeyedLimiter{no global; telegram:bot:* 30/1s burst 20; telegram:chat:* 1/1s burst 2; telegram:group:* 1/1s burst 2; telegram:group:* 20/1m0s burst 3}",
		telegram.NewLimiter(l).String())
}

// TestClientNeverPrintsToken formats the client every way.
func TestClientNeverPrintsToken(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	secret := testToken[strings.IndexByte(testToken, ':')+1:]
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("client", "c", c)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("client", "c", c)
	for _, out := range []string{
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s", c), fmt.Sprintf("%q", c),
		fmt.Sprint(c), fmt.Sprintf("%v", []*telegram.Client{c}), fmt.Sprintf("%+v", struct{ C *telegram.Client }{c}),
		logs.String(),
	} {
		assert.NotContains(t, out, secret)
		assert.Contains(t, out, "telegram.Client{bot 123456789")
	}
}

// TestOptionOfAnotherParty: a party option given to another client fails
// clearly.
func TestOptionOfAnotherParty(t *testing.T) {
	t.Parallel()
	type otherSettings struct{}
	other := core.PartyOption("vk.WithGroupToken", func(*otherSettings) error { return nil })
	_, err := telegram.New(testToken, other)
	require.EqualError(t, err, "telegram: option vk.WithGroupToken does not apply to the telegram client")
}

// TestErrorDescriptionEchoingTheSecretIsRedacted: an API error whose
// description echoes the token's secret part does not carry it.
func TestErrorDescriptionEchoingTheSecretIsRedacted(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	secret := testToken[strings.IndexByte(testToken, ':')+1:]
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", errResponder(401, "Unauthorized: invalid token "+secret, nil))
	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret)
	var te *telegram.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "Unauthorized: invalid token REDACTED", te.Description)
	// An Error built elsewhere is redacted when printed.
	e := &telegram.Error{Method: "getMe", Code: 404, Description: "GET /bot" + testToken + "/getMe"}
	assert.NotContains(t, e.Error(), secret)
}

// TestDroppedConnectionOnSendIsUnknownOutcome uses a real loopback server
// that reads the request and hangs up without answering: the message may
// have been sent, so it must not be retried.
func TestDroppedConnectionOnSendIsUnknownOutcome(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		mu.Lock()
		hits++
		mu.Unlock()
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Error("no hijacker")
			return
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			_ = conn.(*net.TCPConn).SetLinger(0)
			_ = conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	c, err := telegram.New(testToken, core.WithBaseURL(srv.URL), telegram.WithoutRateLimits(),
		core.WithRetry(3, time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	_, err = c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"})
	require.ErrorIs(t, err, social.ErrUnknownOutcome)
	noToken(t, err.Error())
	mu.Lock()
	assert.Equal(t, 1, hits)
	hits = 0
	mu.Unlock()

	// The same failure on a read is retried.
	_, err = c.GetChat(t.Context(), &telegram.GetChatRequest{ChatID: telegram.ChatIDInt(1)})
	require.Error(t, err)
	assert.NotErrorIs(t, err, social.ErrUnknownOutcome)
	mu.Lock()
	assert.Equal(t, 4, hits)
	mu.Unlock()
	noToken(t, err.Error())
	assert.False(t, strings.Contains(err.Error(), srv.URL+"/bot1"))
}

func TestConnectionRefusedSendIsRetried(t *testing.T) {
	t.Parallel()
	// A refused connection provably delivered nothing, so even a send is
	// retried: the first dial is refused, the second reaches the server.
	var served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		_, _ = w.Write([]byte(`{"ok":true,"result":{"message_id":5,"date":1,"chat":{"id":1,"type":"channel"}}}`))
	}))
	t.Cleanup(srv.Close)
	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := telegram.New(testToken, core.WithBaseURL(srv.URL), telegram.WithoutRateLimits(),
		core.WithHTTPClient(&http.Client{Transport: tr}), core.WithRetry(3, time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	m, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"})
	require.NoError(t, err)
	assert.Equal(t, int64(5), m.MessageID)
	assert.EqualValues(t, 2, dials.Load())
	assert.EqualValues(t, 1, served.Load(), "delivered exactly once")
}

func TestMockTransportFailureOnSendIsUnknownOutcome(t *testing.T) {
	t.Parallel()
	// A transport error that does not prove the request stayed unsent
	// (here httpmock's) leaves a send's outcome unknown: never retried.
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", seq(httpmock.ConnectionFailure, okResponder(t, channelMessage(5))))
	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"})
	require.ErrorIs(t, err, social.ErrUnknownOutcome)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}
