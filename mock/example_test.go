package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gospubliki/gosdk/mock"
)

// ExampleNew shows the sandbox in use: the app under test talks to
// sb.TelegramURL with sb.HTTPClient(), then the test inspects what was
// sent.
func ExampleNew() {
	// In a test, write sb := mock.Start(t): the sandbox is closed with the
	// test. Outside tests, mock.New returns one to Close yourself.
	sb, err := mock.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sb.Close()

	cr := sb.Credentials.Telegram
	resp, err := sb.HTTPClient().Get(sb.TelegramURL + "/bot" + cr.BotToken + "/sendMessage?chat_id=" + cr.ChannelUsername + "&text=Hello")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var env struct {
		OK bool `json:"ok"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&env)
	fmt.Println(resp.StatusCode == http.StatusOK, env.OK)

	msgs := sb.Telegram.Messages(cr.ChannelID)
	fmt.Println(len(msgs), msgs[0].Text)
	fmt.Println(sb.Journal.Count("telegram", "sendmessage"))
	// Output:
	// true true
	// 1 Hello
	// 1
}

// ExampleSandbox_CreateTenant shows two suites sharing one sandbox: each
// has its own world, credentials and journal, and a request is served by
// the tenant its credentials belong to.
func ExampleSandbox_CreateTenant() {
	sb, err := mock.New(mock.WithParties("telegram"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sb.Close()

	suite, err := sb.CreateTenant("suite-a", nil) // the default scenario, credentials of its own
	if err != nil {
		fmt.Println(err)
		return
	}
	token := suite.Credentials().Telegram.BotToken
	resp, err := sb.HTTPClient().Get(sb.TelegramURL + "/bot" + token + "/getMe")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()

	fmt.Println("own token:", token != sb.Credentials.Telegram.BotToken)
	fmt.Println("suite-a getMe calls:", suite.Journal.Count("telegram", "getme"))
	fmt.Println("default getMe calls:", sb.Journal.Count("telegram", "getme"))
	// Output:
	// own token: true
	// suite-a getMe calls: 1
	// default getMe calls: 0
}
