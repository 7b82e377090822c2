package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

// A published post's receipt lists every message; the publisher edits the
// one that holds the text and deletes them all.
func ExamplePublisher_Edit() {
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
	ctx := context.Background()
	channel := bot.Publisher(telegram.ChatIDInt(cr.ChannelID))

	post := social.Post{
		Key:  "cabinet-post-12",
		Text: "Приём граждан переносится на 10:00",
		Poll: &social.Poll{Question: "Удобно?", Options: []string{"Да", "Нет"}},
	}
	rc, err := channel.Publish(ctx, post)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range rc.Parts {
		fmt.Println("part", p.ID, p.Kind, p.HasText)
	}

	post.Text = "Приём граждан переносится на 11:00"
	if _, err := channel.Edit(ctx, rc, post); err != nil {
		log.Fatal(err)
	}
	fmt.Println("now:", sb.Telegram.Messages(cr.ChannelID)[0].Text)

	if _, err := channel.PostStats(ctx, rc); errors.Is(err, errors.ErrUnsupported) {
		fmt.Println("post statistics: not in the Bot API")
	}
	if err := channel.Delete(ctx, rc); err != nil {
		log.Fatal(err)
	}
	fmt.Println("left on the channel:", len(sb.Telegram.Messages(cr.ChannelID)))
	// Output:
	// part 1 text true
	// part 2 poll false
	// now: Приём граждан переносится на 11:00
	// post statistics: not in the Bot API
	// left on the channel: 0
}
