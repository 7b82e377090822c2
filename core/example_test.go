package core_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
)

// A party declares its own options as core.Option values over its own
// settings struct; the shared options work on every client.
func ExamplePartyOption() {
	type okSettings struct{ appKey string }
	withAppKey := func(k string) core.Option {
		return core.PartyOption("ok.WithApplicationKey", func(s *okSettings) error { s.appKey = k; return nil })
	}

	var ok okSettings
	s := core.NewSettings("ok", &ok)
	err := s.Apply(withAppKey("CBAFJIICABABABABA"), core.WithRetry(1, 10*time.Millisecond, time.Second))
	fmt.Println(err, ok.appKey, s.RetryMax)

	other := core.NewSettings("telegram", nil)
	fmt.Println(other.Apply(withAppKey("x")))
	// Output:
	// <nil> CBAFJIICABABABABA 1
	// telegram: option ok.WithApplicationKey does not apply to the telegram client
}

// One KeyedLimiter paces every client that shares it; keys carry a
// token's fingerprint, never the token.
func ExampleKeyedLimiter() {
	clk := coretest.NewAutoClock() // virtual time: the example does not wait
	lim := core.NewKeyedLimiter(core.KeyedLimiterConfig{
		Rules: []core.Rule{{Prefix: "vk:page:", Rate: core.PerSecond(3), Burst: 1}},
		Clock: clk,
	})
	key := core.LimitKey("vk", "page", core.Fingerprint("vk1.a.token"), "-123")
	for range 4 {
		_ = lim.Wait(context.Background(), key)
	}
	fmt.Println(clk.Slept().Round(time.Millisecond))
	// Output: 1s
}
