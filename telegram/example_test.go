package telegram_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"

	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

// fakeBotAPI is a tiny stand-in for the Bot API: it answers every send with
// a channel message and counts message ids. (The module's sandbox,
// mock.Start, serves the full emulator.)
func fakeBotAPI() *httptest.Server {
	var next atomic.Int64
	next.Store(41)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		if !strings.HasPrefix(method, "send") {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"ok":false,"error_code":404,"description":"Not Found: method not found"}`)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": map[string]any{
			"message_id": next.Add(1), "date": 1767225600,
			"chat": map[string]any{"id": -1001234567890, "type": "channel", "title": "Минцифры", "username": "mincifry"},
		}})
	}))
}

func ExampleClient_SendMessage() {
	srv := fakeBotAPI()
	defer srv.Close()

	// WithBaseURL points the client at a local Bot API server or an emulator.
	bot, err := telegram.New("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw3", telegram.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	msg, err := bot.SendMessage(context.Background(), &telegram.SendMessageRequest{
		ChatID: telegram.Username("@mincifry"),
		Text:   "Приём граждан переносится на 10:00.",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(msg.MessageID, msg.Chat.Type)
	// Output: 42 channel
}

func ExampleClient_Publisher() {
	srv := fakeBotAPI()
	defer srv.Close()
	bot, err := telegram.New("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw3", telegram.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	channel := bot.Publisher(telegram.Username("@mincifry"), telegram.WithPageName("Минцифры России"))
	receipt, err := channel.Publish(context.Background(), social.Post{
		Text: "Запущен новый сервис на Госуслугах.",
		Link: &social.Link{URL: "https://www.gosuslugi.ru/"},
		Poll: &social.Poll{Question: "Пользовались ли вы сервисом?", Options: []string{"Да", "Нет"}},
	})
	var partial *telegram.PartialPublishError
	if errors.As(err, &partial) {
		// Part of the post is on the channel: report it, do not republish.
		fmt.Println("partly published:", partial.MessageIDs)
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(receipt.PostID, receipt.URL)
	// Output: 42 https://t.me/mincifry/42
}

func ExampleNewWebhookHandler() {
	handler, err := telegram.NewWebhookHandler("my-secret_token", func(ctx context.Context, u telegram.Update) error {
		if post := u.ChannelPost; post != nil {
			fmt.Printf("post %d in %s: %s\n", post.MessageID, post.Chat.Title, post.Text)
		}
		return nil // an error makes Telegram deliver the update again
	})
	if err != nil {
		log.Fatal(err)
	}
	// http.Handle("/telegram/webhook", handler) in a real server.

	delivery := `{"update_id":1001,"channel_post":{"message_id":42,"date":1767225600,
		"chat":{"id":-1001234567890,"type":"channel","title":"Минцифры"},"text":"Новость"}}`
	for _, secret := range []string{"my-secret_token", "forged"} {
		req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", strings.NewReader(delivery))
		req.Header.Set(telegram.SecretTokenHeader, secret)
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, req)
		fmt.Println(w.Code)
	}
	// Output:
	// post 42 in Минцифры: Новость
	// 200
	// 401
}

func ExampleError() {
	err := fmt.Errorf("publish: %w", &telegram.Error{Method: "sendMessage", Code: 400, Description: "Bad Request: chat not found"})
	fmt.Println(errors.Is(err, telegram.ErrChatNotFound), errors.Is(err, telegram.ErrBadRequest), errors.Is(err, telegram.ErrForbidden))
	// Output: true true false
}
