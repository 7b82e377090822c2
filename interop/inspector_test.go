package interop_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/telegram"
	"github.com/gospubliki/gosdk/vk"
)

// chromiumPath finds a Chromium or Chrome binary. Without one the test
// skips, unless GOSDK_REQUIRE_CHROMIUM=1 (CI) makes it fail.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("GOSDK_REQUIRE_CHROMIUM") == "1" {
		t.Fatal("chromium is required (GOSDK_REQUIRE_CHROMIUM=1) but not on PATH; apt-get install chromium")
	}
	t.Skip("chromium is not installed; apt-get install chromium to run the inspector's browser test")
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile for the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // the sandbox cannot start as root in a container
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// TestInspectorInChromium drives the inspector in a real browser: a call
// made through the SDK appears on the live timeline, a person writes to
// the bot from the page and the bot receives it, the clock moves from the
// page, and a screenshot is taken.
func TestInspectorInChromium(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s := startSandbox(t, false, mock.WithFrozenClock(at))
	ctx := newBrowser(t)
	bot, err := telegram.New(s.token, core.WithBaseURL(s.url), core.WithHTTPClient(s.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	ui := s.ControlURL + mock.UIPath

	// The page loads with the world clock and an empty timeline.
	if err := chromedp.Do(ctx, chromedp.Navigate(ui), chromedp.WaitVisible(chromedp.CSS(`#timeline`))); err != nil {
		t.Fatalf("open the inspector: %v", err)
	}
	clock := text(t, ctx, `#clock`)
	if clock != "2026-03-02 09:00:00" {
		t.Fatalf("clock on the page = %q", clock)
	}

	// A post through the SDK shows on the timeline without a reload.
	sent, err := bot.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(s.channelID), Text: "Отключение воды 3 марта"})
	if err != nil {
		t.Fatalf("sendMessage: %v", err)
	}
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.Search(`//tbody[@id="rows"]/tr[contains(@class,"p-telegram")][td[@class="method"][text()="sendmessage"]]`)),
	); err != nil {
		t.Fatalf("the call never reached the timeline: %v", err)
	}
	row := text(t, ctx, `#rows tr.p-telegram`)
	if !strings.Contains(row, "Telegram post") || !strings.Contains(row, itoa(s.channelID)) {
		t.Fatalf("timeline row = %q", row)
	}

	// A VK wall post through the SDK joins it on the timeline.
	vc := s.Credentials.VK
	wall, err := vk.New(vc.UserToken, vk.UserToken, core.WithBaseURL(s.VKURL), core.WithHTTPClient(s.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	postID, err := wall.WallPost(t.Context(), vk.WallPostRequest{OwnerID: -vc.GroupID, FromGroup: true, Message: "График приёма граждан"})
	if err != nil {
		t.Fatalf("wall.post: %v", err)
	}
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.Search(`//tbody[@id="rows"]/tr[contains(@class,"p-vk")][td[@class="step"][text()="VK post"]]`)),
	); err != nil {
		t.Fatalf("wall.post never reached the timeline: %v", err)
	}

	// Act as a user from the page: the chief writes to the bot, and the
	// bot's next getUpdates (through the SDK) receives it.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`button[data-action="telegram/message"]`)),
		// The form posts and the page that follows carries the outcome.
		chromedp.WaitVisible(chromedp.Search(`//div[@id="flash"][contains(@class,"ok")][contains(.,"Write to the bot")]`)),
	); err != nil {
		t.Fatalf("act as a user: %v", err)
	}
	flash := text(t, ctx, `#flash`)
	if !strings.Contains(flash, "Write to the bot") {
		t.Fatalf("flash after acting = %q", flash)
	}
	ups, err := bot.GetUpdates(t.Context(), &telegram.GetUpdatesRequest{})
	if err != nil {
		t.Fatalf("getUpdates: %v", err)
	}
	var got *telegram.Message
	for _, u := range ups {
		if u.Message != nil && u.Message.From != nil && u.Message.From.ID == s.userID {
			got = u.Message
		}
	}
	if got == nil || got.Text != "Здравствуйте!" {
		t.Fatalf("the bot did not receive the message written from the page: %+v", ups)
	}
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.Search(`//tbody[@id="rows"]/tr[td[@class="method"][text()="getupdates"]]`)),
	); err != nil {
		t.Fatalf("getUpdates never reached the timeline: %v", err)
	}

	// A VK user comments the post the SDK published: the form offers the
	// newest post of the community.
	offered, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`document.querySelector('button[data-action="vk/comment"]').form.elements["post_id"].value`))
	if err != nil || offered != itoa(postID) {
		t.Fatalf("the comment form offers post %q, want %d (%v)", offered, postID, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`button[data-action="vk/comment"]`)),
		chromedp.WaitVisible(chromedp.Search(`//div[@id="flash"][contains(@class,"ok")][contains(.,"Comment on a VK post")]`)),
	); err != nil {
		t.Fatalf("comment from the page: %v", err)
	}
	if flash := text(t, ctx, `#flash`); !strings.Contains(flash, "comment_id") {
		t.Fatalf("flash after commenting = %q", flash)
	}

	// Advance the clock from the page.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#advance-by`), "2h30m"),
		chromedp.Click(chromedp.CSS(`#clock-advance`)),
		chromedp.WaitVisible(chromedp.Search(`//div[@id="flash"][contains(@class,"ok")][starts-with(.,"clock:")]`)),
	); err != nil {
		t.Fatalf("advance the clock: %v", err)
	}
	clock = text(t, ctx, `#clock`)
	if want := at.Add(150 * time.Minute); !s.Clock.Now().Equal(want) || clock != "2026-03-02 11:30:00" {
		t.Fatalf("clock after advancing 2h30m: sandbox %v, page %q", s.Clock.Now(), clock)
	}

	// The state browser shows the pages and their marks.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href="/_mock/ui/state"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#pages`)),
	); err != nil {
		t.Fatalf("open the state browser: %v", err)
	}
	pages := text(t, ctx, `#pages`)
	if !strings.Contains(pages, s.channelTitle) {
		t.Fatalf("the state browser does not list the channel %q", s.channelTitle)
	}

	// Another tenant opens with its control token and shows only its own
	// journal; logging out returns to the default tenant.
	other, err := s.CreateTenant("team-b", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ui+"?tenant=team-b"),
		chromedp.WaitVisible(chromedp.CSS(`#login`)),
		chromedp.SendKeys(chromedp.CSS(`#token`), other.ControlToken()),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#logout`)),
	); err != nil {
		t.Fatalf("log in to another tenant: %v", err)
	}
	if name := text(t, ctx, `#tenant`); name != "team-b" {
		t.Fatalf("tenant after login = %q", name)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#rows tr").length`)); err != nil || n != 0 {
		t.Fatalf("team-b's timeline shows %d rows of the default tenant (%v)", n, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#rows tr`))); err != nil {
		t.Fatalf("log out: %v", err)
	}
	if name := text(t, ctx, `#tenant`); name != "default" {
		t.Fatalf("tenant after logout = %q", name)
	}

	// A screenshot of the timeline.
	if err := chromedp.Do(ctx, chromedp.Navigate(ui), chromedp.WaitVisible(chromedp.CSS(`#rows tr`))); err != nil {
		t.Fatalf("reload the timeline: %v", err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	file := filepath.Join(t.TempDir(), "inspector.png")
	if err := os.WriteFile(file, shot, 0o600); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width < 100 || cfg.Height < 100 {
		t.Fatalf("screenshot is not a PNG of the page: %v %+v (%d bytes)", err, cfg, len(data))
	}
	t.Logf("screenshot %dx%d, %d bytes; sent message %d", cfg.Width, cfg.Height, len(data), sent.MessageID)
}

// text returns the text of the first element matching a CSS selector.
func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}
