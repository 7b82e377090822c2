package tgmock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// ExampleServer_StartBot walks through the private-chat states a publisher
// must handle: a bot may not write first, may write once the person has
// started it, and is refused again once the person has blocked it.
func ExampleServer_StartBot() {
	w, _ := world.New()
	srv := tgmock.New(w)
	defer srv.Close()
	hs := httptest.NewServer(srv)
	defer hs.Close()

	bot := tgmock.DefaultSettings().Bots[0]
	person := world.DefaultChiefTelegramID
	send := func(text string) {
		resp, err := http.PostForm(hs.URL+"/bot"+bot.Token+"/sendMessage",
			url.Values{"chat_id": {fmt.Sprint(person)}, "text": {text}})
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		var r tgmock.Response
		_ = json.NewDecoder(resp.Body).Decode(&r)
		if r.OK {
			fmt.Println(resp.StatusCode, "ok")
			return
		}
		fmt.Println(resp.StatusCode, r.Description)
	}

	send("Здравствуйте")
	if _, err := srv.StartBot(bot.ID, person); err != nil {
		fmt.Println(err)
	}
	send("Здравствуйте")
	if err := srv.BlockBot(bot.ID, person); err != nil {
		fmt.Println(err)
	}
	send("Вы здесь?")
	// Output:
	// 403 Forbidden: bot can't initiate conversation with a user
	// 200 ok
	// 403 Forbidden: bot was blocked by the user
}

// ExampleServer_KickBot removes the bot from its channel, as an
// administrator would.
func ExampleServer_KickBot() {
	w, _ := world.New()
	srv := tgmock.New(w)
	defer srv.Close()
	hs := httptest.NewServer(srv)
	defer hs.Close()

	bot := tgmock.DefaultSettings().Bots[0]
	if err := srv.KickBot(world.DefaultChannelID, bot.ID); err != nil {
		fmt.Println(err)
	}
	resp, err := http.PostForm(hs.URL+"/bot"+bot.Token+"/sendMessage",
		url.Values{"chat_id": {fmt.Sprint(world.DefaultChannelID)}, "text": {"Новость"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var r tgmock.Response
	_ = json.NewDecoder(resp.Body).Decode(&r)
	fmt.Println(r.ErrorCode, r.Description)
	// Output:
	// 403 Forbidden: bot was kicked from the channel chat
}
