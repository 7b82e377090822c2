package main

import (
	"bytes"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/telegram"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	s := out.String()
	for _, re := range []string{
		`(?m)^sandbox: Telegram Bot API emulator at http://127\.0\.0\.1:\d+$`,
		`(?m)^bot: @minsvyaz29_bot \(id 7000000001\)$`,
		`(?m)^requirements of @minsvyaz29:$`,
		`(?m)^  \[ok\] chat is a channel \(` + string(telegram.ReqIsChannel) + `\): channel$`,
		`(?m)^  \[ok\] photo \(` + string(telegram.ReqPhoto) + `\): present$`,
		`(?m)^  \[ok\] bot can post messages \(` + string(telegram.ReqBotCanPost) + `\): can_post_messages$`,
		`(?m)^published: post 1 on telegram, https://t\.me/minsvyaz29/1$`,
		`(?m)^  part 1: photo, carries the text: true$`,
		`(?m)^  part 2: poll, carries the text: false$`,
		`(?m)^edited: post 1, text now "Обновлён график приёма граждан на декабрь: добавлены вечерние часы\."$`,
		`(?m)^subscribers: \d+$`,
		`(?m)^post statistics: not available through the Bot API$`,
		`(?m)^  #1 photo, caption "Обновлён график .*" \(edited\)$`,
		`(?m)^  #2 poll "Удобно ли вам время приёма\?": Да / Нет, нужно вечером / Нет, нужно в выходные$`,
		`(?m)^  getme +2 × 200$`,
		`(?m)^  getchat +1 × 200$`,
		`(?m)^  getchatmember +1 × 200$`,
		`(?m)^  sendphoto +1 × 200$`,
		`(?m)^  sendpoll +1 × 200$`,
		`(?m)^  editmessagecaption +1 × 200$`,
		`(?m)^  getchatmembercount +1 × 200$`,
		`(?m)^  8 requests in total$`,
	} {
		if !regexp.MustCompile(re).MatchString(s) {
			t.Errorf("output does not match %s", re)
		}
	}
	if n := strings.Count(s, "[ok]"); n != 7 {
		t.Errorf("%d requirements met, want 7", n)
	}
	if strings.Contains(s, "MISSING") || strings.Contains(s, "MOCK") {
		t.Error("a requirement is missing or a token leaked")
	}
	if t.Failed() {
		t.Logf("output:\n%s", s)
	}
}

func TestSchedulePNG(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(schedulePNG()))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 64 || b.Dy() != 64 {
		t.Fatalf("bounds %v", b)
	}
}
