package telegram_test

import (
	"errors"
	"net/http"
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

func TestErrorMapping(t *testing.T) {
	t.Parallel()
	all := []error{
		telegram.ErrBadRequest, telegram.ErrUnauthorized, telegram.ErrForbidden, telegram.ErrNotFound,
		telegram.ErrConflict, telegram.ErrTooManyRequests, telegram.ErrChatNotFound, telegram.ErrMessageNotModified,
		telegram.ErrMigrated,
	}
	for _, tc := range []struct {
		code   int
		desc   string
		params map[string]any
		want   []error
	}{
		{400, "Bad Request: chat not found", nil, []error{telegram.ErrBadRequest, telegram.ErrChatNotFound}},
		{400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message", nil,
			[]error{telegram.ErrBadRequest, telegram.ErrMessageNotModified}},
		{400, "Bad Request: group chat was upgraded to a supergroup chat", map[string]any{"migrate_to_chat_id": -1001999888777},
			[]error{telegram.ErrBadRequest, telegram.ErrMigrated}},
		{400, "Bad Request: message text is empty", nil, []error{telegram.ErrBadRequest}},
		{401, "Unauthorized", nil, []error{telegram.ErrUnauthorized}},
		{403, "Forbidden: bot is not a member of the channel chat", nil, []error{telegram.ErrForbidden}},
		{404, "Not Found", nil, []error{telegram.ErrNotFound}},
		{409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", nil, []error{telegram.ErrConflict}},
	} {
		c, mt := setup(t)
		mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", errResponder(tc.code, tc.desc, tc.params))
		_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(-100123), Text: "x"})
		require.Error(t, err)
		var te *telegram.Error
		require.ErrorAs(t, err, &te, tc.desc)
		assert.Equal(t, "sendMessage", te.Method)
		assert.Equal(t, tc.code, te.Code)
		assert.Equal(t, tc.desc, te.Description)
		for _, s := range all {
			want := false
			for _, w := range tc.want {
				want = want || w == s
			}
			assert.Equal(t, want, errors.Is(err, s), "%d %q vs %v", tc.code, tc.desc, s)
		}
		assert.NotErrorIs(t, err, social.ErrUnknownOutcome)
		assert.NotErrorIs(t, err, social.ErrRateLimited)
		assert.Equal(t, 1, mt.GetTotalCallCount(), "4xx answers are final")
		if tc.params != nil {
			assert.Equal(t, int64(-1001999888777), te.MigrateToChatID)
			assert.Contains(t, te.Error(), "-1001999888777")
		}
	}
}

func TestChatNotFoundNeedsCode400(t *testing.T) {
	t.Parallel()
	e := &telegram.Error{Code: 403, Description: "Bad Request: chat not found"}
	assert.NotErrorIs(t, e, telegram.ErrChatNotFound)
	e = &telegram.Error{Code: 400, Description: "Bad Request: chat not found"}
	assert.ErrorIs(t, e, telegram.ErrChatNotFound)
	assert.Equal(t, "telegram: getChat: 400 Bad Request: chat not found", (&telegram.Error{Method: "getChat", Code: 400, Description: "Bad Request: chat not found"}).Error())
}

func TestTooManyRequestsBeyondCapReturnsAtOnce(t *testing.T) {
	t.Parallel()
	clk := coretest.NewAutoClock()
	c, mt := setup(t, core.WithClock(clk))
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage",
		errResponder(429, "Too Many Requests: retry after 60", map[string]any{"retry_after": 60}))
	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"})
	assert.Zero(t, clk.Slept(), "a retry_after of 60 s is not waited")
	require.ErrorIs(t, err, telegram.ErrTooManyRequests)
	require.ErrorIs(t, err, social.ErrRateLimited)
	assert.NotErrorIs(t, err, social.ErrUnknownOutcome)
	var rl *social.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 60*time.Second, rl.RetryAfter)
	var te *telegram.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 60*time.Second, te.RetryAfter)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestTooManyRequestsRetryAfterHeaderFallback(t *testing.T) {
	t.Parallel()
	c, mt := setup(t, core.WithRateLimitRetry(time.Second, core.DefaultRateLimitMaxTotalWait))
	mt.RegisterResponder(http.MethodPost, apiBase+"getChat", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(429, `{"ok":false,"error_code":429,"description":"Too Many Requests"}`)
		r.Header.Set("Retry-After", "5")
		return r, nil
	})
	_, err := c.GetChat(t.Context(), &telegram.GetChatRequest{ChatID: telegram.ChatIDInt(1)})
	var te *telegram.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 5*time.Second, te.RetryAfter)
	assert.ErrorIs(t, err, social.ErrRateLimited)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestTooManyRequestsSmallRetryAfterIsRetriedForSends(t *testing.T) {
	t.Parallel()
	clk := coretest.NewAutoClock()
	c, mt := setup(t, core.WithClock(clk))
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", seq(
		errResponder(429, "Too Many Requests: retry after 1", map[string]any{"retry_after": 1}),
		okResponder(t, channelMessage(77)),
	))
	m, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"})
	require.NoError(t, err)
	assert.Equal(t, int64(77), m.MessageID)
	assert.Equal(t, 2, mt.GetTotalCallCount())
	assert.GreaterOrEqual(t, clk.Slept(), time.Second, "retry_after is honoured")
	assert.Less(t, clk.Slept(), time.Second+50*time.Millisecond)
}

func TestTooManyRequestsPersistingIsRateLimited(t *testing.T) {
	t.Parallel()
	clk := coretest.NewAutoClock()
	c, mt := setup(t, core.WithClock(clk), core.WithRetry(1, time.Millisecond, time.Millisecond))
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", errResponder(429, "Too Many Requests", nil))
	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"})
	require.ErrorIs(t, err, social.ErrRateLimited)
	require.ErrorIs(t, err, telegram.ErrTooManyRequests)
	// Without a hint the waits are 1, 2, 4, 8 and 16 s: the next (32 s)
	// would pass the 60 s total, whatever the transient retry count.
	assert.Equal(t, 6, mt.GetTotalCallCount())
	assert.LessOrEqual(t, clk.Slept(), core.DefaultRateLimitMaxTotalWait)
	assert.GreaterOrEqual(t, clk.Slept(), 31*time.Second)

	// A call option turns the waiting off.
	c2, mt2 := setup(t, core.WithClock(clk))
	mt2.RegisterResponder(http.MethodPost, apiBase+"sendMessage", errResponder(429, "Too Many Requests", nil))
	_, err = c2.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"}, core.CallWithoutRetries())
	require.ErrorIs(t, err, social.ErrRateLimited)
	assert.Equal(t, 1, mt2.GetTotalCallCount())
}

func TestServerErrorOnSendIsNotRetried(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", errResponder(500, "Internal Server Error", nil))
	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"})
	require.ErrorIs(t, err, social.ErrUnknownOutcome)
	var uo *social.UnknownOutcomeError
	require.ErrorAs(t, err, &uo)
	var te *telegram.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 500, te.Code)
	assert.Equal(t, 1, mt.GetTotalCallCount())
	noToken(t, err.Error())
}

func TestServerErrorOnReadIsRetried(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"getChat", seq(
		errResponder(500, "Internal Server Error", nil),
		errResponder(502, "Bad Gateway", nil),
		okResponder(t, map[string]any{"id": -1001234567890, "type": "channel", "title": "Минцифры"}),
	))
	ch, err := c.GetChat(t.Context(), &telegram.GetChatRequest{ChatID: telegram.ChatIDInt(-1001234567890)})
	require.NoError(t, err)
	assert.Equal(t, "Минцифры", ch.Title)
	assert.Equal(t, 3, mt.GetTotalCallCount())
}

func TestNonJSONAnswer(t *testing.T) {
	t.Parallel()
	c, mt := setup(t, core.WithRetry(0, 0, 0))
	mt.RegisterResponder(http.MethodPost, apiBase+"getMe", httpmock.NewStringResponder(502, "<html>Bad Gateway</html>"))
	_, err := c.GetMe(t.Context())
	var te *telegram.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 502, te.Code)
	assert.Equal(t, "Bad Gateway", te.Description)

	mt.RegisterResponder(http.MethodPost, apiBase+"getChat", httpmock.NewStringResponder(200, "not json"))
	_, err = c.GetChat(t.Context(), &telegram.GetChatRequest{ChatID: telegram.ChatIDInt(1)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "decode response")
}

func TestValidationErrorMatchesSentinel(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{Text: "x"})
	require.ErrorIs(t, err, telegram.ErrInvalidRequest)
	var ve *telegram.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "chat_id", ve.Field)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestTooManyRequestsBehindOtherStatus(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", httpmock.NewStringResponder(200,
		`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}`))
	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"})
	require.ErrorIs(t, err, telegram.ErrTooManyRequests)
	require.ErrorIs(t, err, social.ErrRateLimited)
	var rl *social.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 7*time.Second, rl.RetryAfter)
}

func TestHugeRetryAfterDoesNotOverflow(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage",
		errResponder(429, "Too Many Requests: retry after 42055", map[string]any{"retry_after": int64(1) << 60}))
	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: "x"})
	var te *telegram.Error
	require.ErrorAs(t, err, &te)
	assert.Greater(t, te.RetryAfter, 100*365*24*time.Hour)
	require.ErrorIs(t, err, social.ErrRateLimited)
}
