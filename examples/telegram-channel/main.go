// Command telegram-channel runs a government channel's publishing flow
// with the telegram client against the gosdk sandbox, in-process and
// offline:
//
//	go run ./examples/telegram-channel
//
// It starts the sandbox (mock.New), checks the default channel's
// requirements (met, missing, or to be checked by hand), publishes a post
// with a photo (a PNG drawn in memory) and a poll through the channel's
// social.Publisher, prints every part of the receipt, edits the post's text
// through the publisher (social.Editor), reads the channel's subscriber
// count (social.PageStatsReader), prints what the channel holds, and ends
// with a summary of the sandbox's request journal.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "telegram-channel:", err)
		os.Exit(1)
	}
}

// run is the whole program; it writes its report to w.
func run(ctx context.Context, w io.Writer) error {
	sb, err := mock.New(mock.WithParties("telegram"))
	if err != nil {
		return err
	}
	defer sb.Close()
	cr := sb.Credentials.Telegram
	fmt.Fprintf(w, "sandbox: Telegram Bot API emulator at %s\n", sb.TelegramURL)

	// The sandbox's HTTP client refuses every host that is not a sandbox
	// listener, so nothing can reach the real Telegram.
	bot, err := telegram.New(cr.BotToken, core.WithBaseURL(sb.TelegramURL), core.WithHTTPClient(sb.HTTPClient()))
	if err != nil {
		return err
	}
	me, err := bot.GetMe(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "bot: @%s (id %d)\n", me.Username, me.ID)

	channel := telegram.ChatIDInt(cr.ChannelID)
	rs, err := bot.CheckChannel(ctx, channel)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nrequirements of %s:\n", cr.ChannelUsername)
	for _, r := range rs {
		mark := "ok"
		switch r.Status {
		case social.RequirementNotMet:
			mark = "MISSING"
		case social.RequirementUnverifiable:
			mark = "check by hand"
		}
		fmt.Fprintf(w, "  [%s] %s (%s): %s\n", mark, r.Name, r.Code, r.Detail)
	}
	// What the Bot API cannot show is never "met": a person confirms it.
	// Publishing stops only on what is known to be missing.
	if missing := rs.NotMet(); len(missing) > 0 {
		return fmt.Errorf("the channel does not meet %d requirement(s)", len(missing))
	}

	pub := bot.Publisher(channel, telegram.WithPublicUsername(cr.ChannelUsername))
	post := social.Post{
		// The cabinet's id of the post: a repeat of this publication carries
		// the same key.
		Key:   "cabinet-post-2026-12-001",
		Text:  "Опубликован график приёма граждан на декабрь.",
		Link:  &social.Link{URL: "https://www.gosuslugi.ru/"},
		Media: []social.Media{{Kind: social.Photo, Filename: "schedule.png", ContentType: "image/png", Data: schedulePNG()}},
		Poll:  &social.Poll{Question: "Удобно ли вам время приёма?", Options: []string{"Да", "Нет, нужно вечером", "Нет, нужно в выходные"}},
	}
	rc, err := pub.Publish(ctx, post)
	if errors.Is(err, social.ErrPartiallyPublished) {
		// Part of the post is on the channel and the receipt lists it: do
		// not publish again blindly; delete it (pub.Delete(ctx, rc)) or
		// complete it.
		return fmt.Errorf("post partly published (messages %v): %w", rc.PartIDs(), err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\npublished: post %s on %s, %s\n", rc.PostID, rc.Network, rc.URL)
	for _, part := range rc.Parts {
		fmt.Fprintf(w, "  part %s: %s, carries the text: %t\n", part.ID, part.Kind, part.HasText)
	}

	// Edit the text through the publisher: it finds the part that holds
	// the text (here the photo's caption) and calls editMessageCaption.
	post.Text = "Обновлён график приёма граждан на декабрь: добавлены вечерние часы."
	if _, err := pub.Edit(ctx, rc, post); err != nil {
		return err
	}
	fmt.Fprintf(w, "edited: post %s, text now %q\n", rc.PostID, post.Text)

	stats, err := pub.PageStats(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "subscribers: %d\n", stats.Subscribers)
	if _, err := pub.PostStats(ctx, rc); errors.Is(err, errors.ErrUnsupported) {
		fmt.Fprintln(w, "post statistics: not available through the Bot API")
	}

	fmt.Fprintf(w, "\nchannel %s now holds:\n", cr.ChannelUsername)
	for _, m := range sb.Telegram.Messages(cr.ChannelID) {
		fmt.Fprintf(w, "  #%d %s\n", m.MessageID, describe(m))
	}

	fmt.Fprintln(w, "\njournal (requests per method × HTTP status):")
	for _, line := range world.Summary(sb.Journal.Entries(world.Filter{Party: tgmock.Party})) {
		fmt.Fprintln(w, "  "+line)
	}
	return nil
}

// schedulePNG draws a small picture (a calendar-like grid) and encodes it
// as PNG.
func schedulePNG() []byte {
	const size = 64
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	bg := color.RGBA{R: 0xf5, G: 0xf7, B: 0xfa, A: 0xff}
	line := color.RGBA{R: 0x00, G: 0x66, B: 0xb3, A: 0xff}
	for y := range size {
		for x := range size {
			c := bg
			if x%16 == 0 || y%16 == 0 || y < 8 {
				c = line
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // encoding an in-memory RGBA image cannot fail
	}
	return b.Bytes()
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// describe summarises a stored message in one line.
func describe(m tgmock.Message) string {
	switch {
	case m.Poll != nil:
		opts := make([]string, len(m.Poll.Options))
		for i, o := range m.Poll.Options {
			opts[i] = o.Text
		}
		return fmt.Sprintf("poll %q: %s", m.Poll.Question, strings.Join(opts, " / "))
	case len(m.Photo) > 0:
		s := fmt.Sprintf("photo, caption %q", firstLine(m.Caption))
		if m.EditDate != 0 {
			s += " (edited)"
		}
		return s
	}
	return fmt.Sprintf("text %q", firstLine(m.Text))
}
