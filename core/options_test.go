package core_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
)

type vkSettings struct{ groupToken string }

func withGroupToken(tok string) core.Option {
	return core.PartyOption("vk.WithGroupToken", func(s *vkSettings) error { s.groupToken = tok; return nil })
}

func TestSettingsApplyAndPartyOptions(t *testing.T) {
	t.Parallel()
	var vk vkSettings
	s := core.NewSettings("vk", &vk)
	assert.Equal(t, core.DefaultTimeout, s.DefaultTimeout)
	assert.Equal(t, core.DefaultRateLimitMaxTotalWait, s.RateLimitMaxTotalWait)
	require.NoError(t, s.Apply(nil, withGroupToken("vk1.a.secret"), core.WithBaseURL("http://127.0.0.1:9/api/"),
		core.WithRetry(5, time.Millisecond, time.Second), core.WithRateLimitRetry(time.Second, time.Minute),
		core.WithLimiter(nil), core.WithSecrets("", "vk1.a.secret"), core.WithDefaultTimeout(0)))
	assert.Equal(t, "vk1.a.secret", vk.groupToken)
	assert.Equal(t, "http://127.0.0.1:9/api", s.BaseURL)
	assert.Equal(t, 5, s.RetryMax)
	assert.True(t, s.LimiterSet)
	assert.Nil(t, s.Limiter)
	assert.Equal(t, []string{"vk1.a.secret"}, s.Secrets)

	other := core.NewSettings("ok", nil)
	require.EqualError(t, other.Apply(withGroupToken("x")), "ok: option vk.WithGroupToken does not apply to the ok client")

	for name, o := range map[string]core.Option{
		"nil http client": core.WithHTTPClient(nil), "relative base": core.WithBaseURL("/x"),
		"query base": core.WithBaseURL("https://h/?a=1"), "retry": core.WithRetry(1, time.Second, 0),
		"rate limit": core.WithRateLimitRetry(-1, 0), "clock": core.WithClock(nil), "timeout": core.WithDefaultTimeout(-1),
	} {
		s := core.NewSettings("vk", &vk)
		assert.Error(t, s.Apply(o), name)
	}
	require.NoError(t, s.Apply(core.WithHTTPClient(&http.Client{})))
}

func TestSettingsNeverPrintSecrets(t *testing.T) {
	t.Parallel()
	s := core.NewSettings("vk", nil)
	require.NoError(t, s.Apply(core.WithSecrets("vk1.a.secret")))
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("s", "settings", s)
	for _, out := range []string{fmt.Sprintf("%v", s), fmt.Sprintf("%+v", s), fmt.Sprintf("%#v", s), fmt.Sprint(&s), logs.String()} {
		assert.NotContains(t, out, "vk1.a.secret")
		assert.Contains(t, out, "1 secrets")
	}
}
