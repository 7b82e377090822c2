package mock_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/telegram"
)

// ExampleSandbox_RoutingTransport runs a Telegram client built with its
// default base URL, https://api.telegram.org, against the sandbox: the
// routing transport sends the real host to the emulator and refuses any
// other host. The journal's decoded view shows the method as sent.
func ExampleSandbox_RoutingTransport() {
	sb, err := mock.New(mock.WithParties("telegram"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sb.Close()
	hc := sb.RealHostClient()
	bot, err := telegram.New(sb.Credentials.Telegram.BotToken, core.WithHTTPClient(hc))
	if err != nil {
		fmt.Println(err)
		return
	}
	me, err := bot.GetMe(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("bot:", me.Username)
	e, _ := sb.Journal.Last(world.Filter{Party: "telegram"})
	fmt.Println("journal:", e.Decoded.Telegram.Method, e.Status)

	_, err = hc.Get("https://example.com/")
	var refused *mock.HostRefusedError
	fmt.Println(errors.As(err, &refused), refused.Host)
	// Output:
	// bot: minsvyaz29_bot
	// journal: getMe 200
	// true example.com
}
