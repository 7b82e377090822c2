// Fault injection through the sandbox: the emulator's fault rules (error
// answers, dropped connections before or after the request took effect,
// 429 answers) and its own flood control, seen through the client. Every
// test checks both the error the caller gets and what the emulator
// journaled and stored: a send is never duplicated.
package telegram_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

// addFault adds a Telegram fault rule to the sandbox.
func addFault(t *testing.T, sb *mock.Sandbox, r world.Rule) string {
	t.Helper()
	r.Party = tgmock.Party
	id, err := sb.Faults.Add(r)
	require.NoError(t, err)
	return id
}

// requireUnknownOutcome checks that err reports a send whose outcome the
// client cannot know, in both its sentinel and typed forms.
func requireUnknownOutcome(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, social.ErrUnknownOutcome)
	var uo *social.UnknownOutcomeError
	require.ErrorAs(t, err, &uo)
	assert.Equal(t, "telegram.sendMessage", uo.Operation)
	assert.NotErrorIs(t, err, social.ErrRateLimited)
}

func TestFaultReadsAreRetried(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		rule world.Rule
	}{
		{"502 answers", world.Rule{Kind: world.FaultError, Code: 502, Description: "Bad Gateway"}},
		{"500 answers", world.Rule{Kind: world.FaultError, Code: 500}},
		{"dropped before", world.Rule{Kind: world.FaultDropBefore}},
		{"dropped after", world.Rule{Kind: world.FaultDropAfter}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sb := startSandbox(t)
			cr := sb.Credentials.Telegram
			r := tc.rule
			r.Method, r.First = "getChat", 2
			fault := addFault(t, sb, r)
			info, err := sandboxClient(t, sb).GetChat(t.Context(), &telegram.GetChatRequest{ChatID: telegram.ChatIDInt(cr.ChannelID)})
			require.NoError(t, err)
			assert.Equal(t, cr.ChannelID, info.ID)

			es := calls(sb, "getchat")
			require.Len(t, es, 3, "two failed attempts, then the answer")
			want := []int{tc.rule.Code, tc.rule.Code, 200}
			assert.Equal(t, want, statuses(es))
			assert.Equal(t, fault, es[0].Fault)
			assert.Equal(t, fault, es[1].Fault)
			assert.Empty(t, es[2].Fault)
		})
	}
	t.Run("gives up after the retries", func(t *testing.T) {
		t.Parallel()
		sb := startSandbox(t)
		addFault(t, sb, world.Rule{Method: "getChat", Kind: world.FaultError, Code: 503})
		_, err := sandboxClient(t, sb).GetChat(t.Context(), &telegram.GetChatRequest{ChatID: telegram.ChatIDInt(sb.Credentials.Telegram.ChannelID)})
		var te *telegram.Error
		require.ErrorAs(t, err, &te)
		assert.Equal(t, 503, te.Code)
		assert.NotErrorIs(t, err, social.ErrUnknownOutcome, "a read has no outcome to be unsure about")
		assert.Len(t, calls(sb, "getchat"), 4, "the first attempt and 3 retries")
	})
}

func TestFaultSendDroppedAfterEffectIsUnknownAndNotDuplicated(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	cr := sb.Credentials.Telegram
	addFault(t, sb, world.Rule{Method: "sendMessage", Kind: world.FaultDropAfter, Nth: 1})
	c := sandboxClient(t, sb)

	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(cr.ChannelID), Text: "Отключение воды"})
	requireUnknownOutcome(t, err)

	assert.Equal(t, []int{0}, statuses(calls(sb, "sendmessage")), "sent once, never retried")
	assert.Equal(t, []string{"Отключение воды"}, texts(sb.Telegram.Messages(cr.ChannelID)), "the message exists exactly once")

	// Through FanOut the page is reported as unknown, not failed.
	addFault(t, sb, world.Rule{Method: "sendMessage", Kind: world.FaultDropAfter, Nth: 1})
	rep := social.FanOut(t.Context(), social.Post{Text: "Второе сообщение"}, c.Publisher(telegram.ChatIDInt(cr.ChannelID)))
	require.Len(t, rep.Results, 1)
	assert.Equal(t, social.Unknown, rep.Results[0].Outcome)
	assert.Equal(t, 1, rep.Unknown)
	assert.Equal(t, []string{"Отключение воды", "Второе сообщение"}, texts(sb.Telegram.Messages(cr.ChannelID)))
	assert.Len(t, calls(sb, "sendmessage"), 2)
}

func TestFaultSendDroppedBeforeEffectIsUnknownAndNothingStored(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	cr := sb.Credentials.Telegram
	addFault(t, sb, world.Rule{Method: "sendMessage", Kind: world.FaultDropBefore, Nth: 1})

	_, err := sandboxClient(t, sb).SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(cr.ChannelID), Text: "x"})
	// The client wrote the request before the connection broke: it cannot
	// tell whether Telegram executed it.
	requireUnknownOutcome(t, err)
	assert.Equal(t, []int{0}, statuses(calls(sb, "sendmessage")), "sent once, never retried")
	assert.Empty(t, sb.Telegram.Messages(cr.ChannelID))
}

func TestFaultSendServerErrorIsUnknownAndNotRetried(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	cr := sb.Credentials.Telegram
	// The emulator's error faults answer without executing the request.
	addFault(t, sb, world.Rule{Method: "sendMessage", Kind: world.FaultError, Code: 500, Description: "Internal Server Error"})

	_, err := sandboxClient(t, sb).SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(cr.ChannelID), Text: "x"})
	requireUnknownOutcome(t, err)
	var te *telegram.Error
	require.ErrorAs(t, err, &te, "the API error stays reachable")
	assert.Equal(t, 500, te.Code)
	assert.Equal(t, []int{500}, statuses(calls(sb, "sendmessage")), "a 5xx on a send is never retried")
	assert.Empty(t, sb.Telegram.Messages(cr.ChannelID))
}

// TestFaultSendServerErrorAfterEffect puts a gateway in front of the
// emulator that lets the first sendMessage through and replaces its answer
// with a 502: the message was stored, the client sees a 5xx. (The
// emulator's own fault rules cannot answer an error after executing a
// request.)
func TestFaultSendServerErrorAfterEffect(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	cr := sb.Credentials.Telegram
	target, err := url.Parse(sb.TelegramURL)
	require.NoError(t, err)
	var sends atomic.Int32
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = sb.HTTPClient().Transport
	proxy.ModifyResponse = func(resp *http.Response) error {
		if strings.HasSuffix(resp.Request.URL.Path, "/sendMessage") && sends.Add(1) == 1 {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			body := `{"ok":false,"error_code":502,"description":"Bad Gateway"}`
			resp.StatusCode, resp.Status = http.StatusBadGateway, "502 Bad Gateway"
			resp.Body = io.NopCloser(strings.NewReader(body))
			resp.ContentLength = int64(len(body))
			resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		}
		return nil
	}
	gw := httptest.NewServer(proxy)
	t.Cleanup(gw.Close)

	c, err := telegram.New(cr.BotToken, core.WithBaseURL(gw.URL),
		core.WithHTTPClient(sb.HTTPClient(strings.TrimPrefix(gw.URL, "http://"))),
		core.WithRetry(3, time.Millisecond, 10*time.Millisecond))
	require.NoError(t, err)
	_, err = c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(cr.ChannelID), Text: "Сообщение"})
	requireUnknownOutcome(t, err)
	assert.Equal(t, int32(1), sends.Load(), "not retried")
	assert.Equal(t, []int{200}, statuses(calls(sb, "sendmessage")), "the emulator executed it once")
	assert.Equal(t, []string{"Сообщение"}, texts(sb.Telegram.Messages(cr.ChannelID)), "stored exactly once")
}

func TestFaultTooManyRequestsAboveCapReturnsAtOnce(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	cr := sb.Credentials.Telegram
	addFault(t, sb, world.Rule{Method: "sendMessage", Kind: world.FaultRateLimit, RetryAfter: 60, Nth: 1})
	clk := worldClock(sb)
	c := sandboxClient(t, sb, core.WithClock(clk)) // default cap: 30 s

	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(cr.ChannelID), Text: "x"})
	require.Error(t, err)
	assert.Zero(t, clk.Slept(), "a retry_after of 60 s above the cap is not waited")
	assert.ErrorIs(t, err, telegram.ErrTooManyRequests)
	assert.ErrorIs(t, err, social.ErrRateLimited)
	assert.NotErrorIs(t, err, social.ErrUnknownOutcome, "Telegram did not execute it")
	var rl *social.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 60*time.Second, rl.RetryAfter)
	var te *telegram.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 60*time.Second, te.RetryAfter)
	assert.Equal(t, "Too Many Requests: retry after 60", te.Description)

	assert.Equal(t, []int{429}, statuses(calls(sb, "sendmessage")))
	assert.Empty(t, sb.Telegram.Messages(cr.ChannelID))
}

func TestFaultTooManyRequestsShortIsWaitedOut(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	cr := sb.Credentials.Telegram
	addFault(t, sb, world.Rule{Method: "sendMessage", Kind: world.FaultRateLimit, RetryAfter: 1, Nth: 1})

	clk := worldClock(sb)
	m, err := sandboxClient(t, sb, core.WithClock(clk)).SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(cr.ChannelID), Text: "Сообщение"})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, clk.Slept(), time.Second, "retry_after was honoured")
	assert.Less(t, clk.Slept(), time.Second+50*time.Millisecond, "no wait beyond the retry_after and its jitter")
	assert.Equal(t, []int{429, 200}, statuses(calls(sb, "sendmessage")), "retried once after the 429")
	stored := sb.Telegram.Messages(cr.ChannelID)
	require.Len(t, stored, 1, "sent exactly once")
	assert.Equal(t, m.MessageID, stored[0].MessageID)
}

// TestFloodControlWithoutClientLimiter lets the emulator's own flood
// control (1 message/s per chat, burst 3) answer: with the client's
// limiter off, the fourth quick message to one chat gets a real 429.
func TestFloodControlWithoutClientLimiter(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	cr := sb.Credentials.Telegram
	ch := telegram.ChatIDInt(cr.ChannelID)

	// With a zero cap the 429 comes back as an error at once.
	c := sandboxClient(t, sb, telegram.WithoutRateLimits(), core.WithRateLimitRetry(0, core.DefaultRateLimitMaxTotalWait))
	for i := range 3 {
		_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: ch, Text: fmt.Sprint("burst ", i)})
		require.NoError(t, err)
	}
	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: ch, Text: "one too many"})
	require.ErrorIs(t, err, telegram.ErrTooManyRequests)
	var rl *social.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.GreaterOrEqual(t, rl.RetryAfter, time.Second)
	es := calls(sb, "sendmessage")
	assert.Equal(t, []int{200, 200, 200, 429}, statuses(es))
	assert.Equal(t, 429, es[3].Code)
	assert.True(t, strings.HasPrefix(es[3].Description, "Too Many Requests: retry after "), es[3].Description)
	assert.Empty(t, es[3].Fault, "the emulator's flood control, not a fault rule")
	assert.Equal(t, []string{"burst 0", "burst 1", "burst 2"}, texts(sb.Telegram.Messages(cr.ChannelID)))

	// With the default cap the client waits the 429 out: everything is
	// stored exactly once, although the journal shows 429 answers.
	sb2 := startSandbox(t)
	c2 := sandboxClient(t, sb2, telegram.WithoutRateLimits())
	var want []string
	for i := range 5 {
		text := fmt.Sprint("message ", i)
		want = append(want, text)
		_, err := c2.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: ch, Text: text})
		require.NoError(t, err)
	}
	assert.Positive(t, tooMany(sb2))
	assert.Equal(t, want, texts(sb2.Telegram.Messages(cr.ChannelID)))
}

// TestFloodControlDefaultLimiterPacesOneChat sends five messages to one
// chat back to back with the client's default limiter: they are paced (1/s
// after a small burst) and the emulator never answers 429. (With a client
// burst equal to the emulator's, 3, about one run in seven got a 429: the
// first request, slowed by dialling, arrives late and the paced fourth one
// then arrives a little less than a second after it.) The world clock is
// frozen, so only the client's waits move it: the time waited is exact
// however slowly the requests travel.
func TestFloodControlDefaultLimiterPacesOneChat(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, mock.WithFrozenClock(coretest.Epoch))
	cr := sb.Credentials.Telegram
	clk := worldClock(sb)
	c := sandboxClient(t, sb, core.WithClock(clk)) // DefaultLimits
	ch := telegram.ChatIDInt(cr.ChannelID)

	var want []string
	for i := range 5 {
		text := fmt.Sprint("message ", i)
		want = append(want, text)
		_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: ch, Text: text})
		require.NoError(t, err)
	}
	assert.Zero(t, tooMany(sb), "no 429 answers: %v", statuses(calls(sb, "sendmessage")))
	assert.Equal(t, []int{200, 200, 200, 200, 200}, statuses(calls(sb, "sendmessage")))
	assert.Equal(t, want, texts(sb.Telegram.Messages(cr.ChannelID)))
	// Burst of PerChatBurst, then one per second, on the world clock.
	l := telegram.DefaultLimits()
	assert.Equal(t, time.Duration(5-l.PerChatBurst)*time.Second, clk.Slept())
}

// TestFloodControlDefaultLimiterPacesManyChats sends one message to each of
// 45 channels at once with the default limiter: the global pace (30/s)
// keeps the emulator's global flood control from answering 429.
func TestFloodControlDefaultLimiterPacesManyChats(t *testing.T) {
	t.Parallel()
	const n = 45
	sc, ids := channelsScenario(n)
	sb := startSandbox(t, mock.WithScenario(sc), mock.WithFrozenClock(coretest.Epoch))
	clk := steppedClock(sb)
	c := sandboxClient(t, sb, core.WithClock(clk))
	pubs := make([]social.Publisher, n)
	for i, id := range ids {
		pubs[i] = c.Publisher(telegram.ChatIDInt(id))
	}
	var rep *social.Report
	took := runStepped(t, sb, clk, "sendmessage", n, n, func() {
		rep = social.FanOutOptions{Concurrency: n}.Run(t.Context(), social.Post{Text: "Всем каналам"}, pubs...)
	})
	assert.Equal(t, n, rep.Published)
	assert.Zero(t, tooMany(sb))
	// A burst of 20, then 30/s: the last of 45 goes 25/30 s later.
	assert.InDelta(t, 25*time.Second/30, took, float64(time.Millisecond))
	for _, id := range ids {
		assert.Len(t, sb.Telegram.Messages(id), 1)
	}
}

func TestBadInputNothingSent(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	cr := sb.Credentials.Telegram
	c := sandboxClient(t, sb)
	ctx := t.Context()
	ch := telegram.ChatIDInt(cr.ChannelID)
	secret := cr.BotToken[strings.IndexByte(cr.BotToken, ':')+1:]

	invalid := func(t *testing.T, err error, field string) {
		t.Helper()
		require.ErrorIs(t, err, telegram.ErrInvalidRequest)
		var ve *telegram.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, field, ve.Field)
		assert.NotContains(t, err.Error(), secret)
	}
	// Text limits are UTF-16 units, as the emulator counts them: 2049
	// emoji are 4098 units.
	_, err := c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: ch, Text: strings.Repeat("а", 4097)})
	invalid(t, err, "text")
	_, err = c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: ch, Text: strings.Repeat("🏛", 2049)})
	invalid(t, err, "text")
	_, err = c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: ch, Text: ""})
	invalid(t, err, "text")
	_, err = c.SendPhoto(ctx, &telegram.SendPhotoRequest{ChatID: ch, Photo: telegram.FileBytes("a.png", pngBytes()), Caption: strings.Repeat("x", 1025)})
	invalid(t, err, "caption")
	_, err = c.Publisher(ch).Publish(ctx, social.Post{Text: "x", Media: []social.Media{{Kind: social.Photo, Data: pngBytes(), Caption: strings.Repeat("x", 1025)}}})
	require.ErrorIs(t, err, telegram.ErrInvalidRequest)
	for _, bad := range []telegram.ChatID{{}, telegram.Username("@ab"), telegram.Username("@bad name!"), telegram.Username("@1channel")} {
		_, err = c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: bad, Text: "x"})
		invalid(t, err, "chat_id")
	}
	assert.Empty(t, calls(sb, "sendmessage"), "nothing was sent")
	assert.Empty(t, calls(sb, "sendphoto"), "nothing was sent")

	// Exactly at the limit (4096 units) is accepted by both sides.
	_, err = c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: ch, Text: strings.Repeat("🏛", 2048)})
	require.NoError(t, err)
	// With a parse mode the client leaves the upper bound to the server,
	// which counts the text without its markup.
	_, err = c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: ch, ParseMode: telegram.ParseModeHTML, Text: "<b>" + strings.Repeat("a", 4097) + "</b>"})
	require.ErrorIs(t, err, telegram.ErrBadRequest)
	assert.Contains(t, err.Error(), "message is too long")
	assert.Len(t, sb.Telegram.Messages(cr.ChannelID), 1)

	// Unknown chats are the server's to refuse: a clear 400, nothing stored.
	for _, unknown := range []telegram.ChatID{telegram.ChatIDInt(-1009999999999), telegram.Username("@no_such_channel"), telegram.ChatIDInt(123456)} {
		_, err = c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: unknown, Text: "x"})
		require.ErrorIs(t, err, telegram.ErrChatNotFound, unknown.String())
		assert.NotErrorIs(t, err, social.ErrUnknownOutcome)
		assert.NotContains(t, err.Error(), secret)
	}
	assert.Len(t, sb.Telegram.Messages(cr.ChannelID), 1)
}

func TestBadTokens(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	cr := sb.Credentials.Telegram

	// Malformed tokens are refused before anything is sent, without being
	// echoed.
	for _, tok := range []string{"", "not-a-token", "123:short", cr.BotToken + " ", "abc:" + cr.BotToken[11:]} {
		_, err := telegram.New(tok, core.WithBaseURL(sb.TelegramURL))
		require.ErrorIs(t, err, telegram.ErrInvalidToken, "%q", tok)
		if tok != "" {
			assert.NotContains(t, err.Error(), tok)
		}
	}
	// Well-formed tokens the emulator does not know (a sandbox-shaped one
	// and a production-looking one) are answered 401.
	for _, tok := range []string{tgmock.NewBotToken(7000000099, 42), "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw3"} {
		c, err := telegram.New(tok, core.WithBaseURL(sb.TelegramURL), core.WithHTTPClient(sb.HTTPClient()))
		require.NoError(t, err)
		_, err = c.GetMe(t.Context())
		require.ErrorIs(t, err, telegram.ErrUnauthorized)
		_, err2 := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(cr.ChannelID), Text: "x"})
		require.ErrorIs(t, err2, telegram.ErrUnauthorized)
		secret := tok[strings.IndexByte(tok, ':')+1:]
		for _, e := range []error{err, err2} {
			assert.NotContains(t, e.Error(), secret)
			assert.NotContains(t, fmt.Sprintf("%+v", e), secret)
		}
	}
	assert.Empty(t, sb.Telegram.Messages(cr.ChannelID))
	for _, e := range sb.Journal.Entries(world.Filter{Party: tgmock.Party}) {
		assert.Equal(t, http.StatusUnauthorized, e.Status)
		assert.NotContains(t, e.Token, "MOCK", "the journal keeps fingerprints only")
		assert.NotContains(t, e.Token, "AAHdq")
	}

	// A request that never leaves the client (fail-closed transport) does
	// not leak the token either.
	other, err := telegram.New(cr.BotToken, core.WithBaseURL("http://192.0.2.1:9"), core.WithHTTPClient(sb.HTTPClient()),
		core.WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = other.GetMe(t.Context())
	require.ErrorIs(t, err, mock.ErrNotSandboxHost)
	assert.NotContains(t, err.Error(), cr.BotToken[strings.IndexByte(cr.BotToken, ':')+1:])
}

func TestMalformedUpdatesAreRefused(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	var handled atomic.Int32
	h, err := telegram.NewWebhookHandler("secret_1", func(_ context.Context, _ telegram.Update) error {
		handled.Add(1)
		return nil
	})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	hc := sb.HTTPClient(strings.TrimPrefix(srv.URL, "http://"))
	for _, body := range []string{``, `[]`, `not json`, `{}`, `{"update_id":"7"}`, `{"update_id":1,"message":"text"}`, `{"update_id":1}{"update_id":2}`} {
		req, err := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set(telegram.SecretTokenHeader, "secret_1")
		resp, err := hc.Do(req)
		require.NoError(t, err)
		msg, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%q", body)
		assert.Contains(t, string(msg), "malformed update")

		_, derr := telegram.DecodeUpdate([]byte(body))
		assert.Error(t, derr, "%q", body)
	}
	assert.Zero(t, handled.Load(), "no malformed update reaches the handler")
	assert.Empty(t, sb.Journal.Entries(world.Filter{}), "nothing was sent to Telegram")

	// A well-formed update with the right secret goes through.
	req, err := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{"update_id":1}`))
	require.NoError(t, err)
	req.Header.Set(telegram.SecretTokenHeader, "secret_1")
	resp, err := hc.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, int32(1), handled.Load())
}
