package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

func ExampleClient_SendMessage() {
	// The gosdk sandbox emulates the Bot API offline (in a test, use
	// mock.Start(t)); its HTTP client refuses every other host.
	sb, err := mock.New(mock.WithParties("telegram"))
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Close()
	cr := sb.Credentials.Telegram

	// WithBaseURL points the client at a local Bot API server or an emulator.
	bot, err := telegram.New(cr.BotToken, core.WithBaseURL(sb.TelegramURL), core.WithHTTPClient(sb.HTTPClient()))
	if err != nil {
		log.Fatal(err)
	}
	msg, err := bot.SendMessage(context.Background(), &telegram.SendMessageRequest{
		ChatID: telegram.Username(cr.ChannelUsername),
		Text:   "Приём граждан переносится на 10:00.",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(msg.MessageID, msg.Chat.Type, msg.Chat.Username)

	// What the channel holds now, as the emulator stored it.
	for _, m := range sb.Telegram.Messages(cr.ChannelID) {
		fmt.Println(m.MessageID, m.Text)
	}
	// Output:
	// 1 channel minsvyaz29
	// 1 Приём граждан переносится на 10:00.
}

func ExampleClient_Publisher() {
	sb, err := mock.New(mock.WithParties("telegram"))
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Close()
	cr := sb.Credentials.Telegram
	bot, err := telegram.New(cr.BotToken, core.WithBaseURL(sb.TelegramURL), core.WithHTTPClient(sb.HTTPClient()))
	if err != nil {
		log.Fatal(err)
	}

	channel := bot.Publisher(telegram.Username(cr.ChannelUsername), telegram.WithPageName("Минцифры Архангельской области"))
	receipt, err := channel.Publish(context.Background(), social.Post{
		Text: "Запущен новый сервис на Госуслугах.",
		Link: &social.Link{URL: "https://www.gosuslugi.ru/"},
		Poll: &social.Poll{Question: "Пользовались ли вы сервисом?", Options: []string{"Да", "Нет"}},
	})
	if errors.Is(err, social.ErrPartiallyPublished) {
		// Part of the post is on the channel and the receipt lists it:
		// report it, do not republish.
		fmt.Println("partly published:", receipt.PartIDs())
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(receipt.PostID, receipt.URL)
	// The post became two messages: the text with its link, then the poll.
	for _, m := range sb.Telegram.Messages(cr.ChannelID) {
		if m.Poll != nil {
			fmt.Println(m.MessageID, "poll:", m.Poll.Question)
			continue
		}
		fmt.Printf("%d text: %q\n", m.MessageID, m.Text)
	}
	// Output:
	// 1 https://t.me/minsvyaz29/1
	// 1 text: "Запущен новый сервис на Госуслугах.\n\nhttps://www.gosuslugi.ru/"
	// 2 poll: Пользовались ли вы сервисом?
}

func ExampleNewWebhookHandler() {
	sb, err := mock.New(mock.WithParties("telegram"))
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Close()
	cr := sb.Credentials.Telegram
	bot, err := telegram.New(cr.BotToken, core.WithBaseURL(sb.TelegramURL), core.WithHTTPClient(sb.HTTPClient()))
	if err != nil {
		log.Fatal(err)
	}

	posts := make(chan string, 1)
	handler, err := telegram.NewWebhookHandler("my-secret_token", func(ctx context.Context, u telegram.Update) error {
		if post := u.ChannelPost; post != nil {
			posts <- fmt.Sprintf("post %d in %s: %s", post.MessageID, post.Chat.Title, post.Text)
		}
		return nil // an error makes Telegram deliver the update again
	})
	if err != nil {
		log.Fatal(err)
	}
	// http.Handle("/telegram/webhook", handler) in a real server.
	srv := httptest.NewServer(handler)
	defer srv.Close()
	ctx := context.Background()
	if err := bot.SetWebhook(ctx, &telegram.SetWebhookRequest{URL: srv.URL + "/telegram/webhook", SecretToken: "my-secret_token"}); err != nil {
		log.Fatal(err)
	}

	// The channel's owner posts in the channel; Telegram delivers the post
	// to the bot's webhook with the secret token.
	if _, err := sb.Telegram.PostAsUser(cr.ChannelID, world.DefaultChiefTelegramID, "Новость"); err != nil {
		log.Fatal(err)
	}
	select {
	case p := <-posts:
		fmt.Println(p)
	case <-time.After(10 * time.Second):
		log.Fatal("no delivery")
	}

	// A forged delivery (wrong secret) is refused.
	req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", strings.NewReader(`{"update_id":1}`))
	req.Header.Set(telegram.SecretTokenHeader, "forged")
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, req)
	fmt.Println("forged:", w.Code)
	// Output:
	// post 1 in Минцифры Архангельской области: Новость
	// forged: 401
}

func ExampleError() {
	err := fmt.Errorf("publish: %w", &telegram.Error{Method: "sendMessage", Code: 400, Description: "Bad Request: chat not found"})
	fmt.Println(errors.Is(err, telegram.ErrChatNotFound), errors.Is(err, telegram.ErrBadRequest), errors.Is(err, telegram.ErrForbidden))
	// Output: true true false
}
