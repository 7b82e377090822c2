package interop_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// sandbox is a running in-process sandbox with the default scenario, seen
// from a third-party Telegram client.
type sandbox struct {
	*mock.Sandbox
	url             string // Bot API server URL, as a client is configured with it
	token           string
	testToken       string // the test-environment bot (/bot<token>/test/...)
	botID           int64
	botUsername     string
	channelID       int64
	channelUsername string // "@minsvyaz29"
	channelTitle    string
	groupID         int64
	userID          int64 // a person who owns the channel and the group
}

// startSandbox starts a sandbox for the test. Flood control is off unless
// limits is true, so a client may send several messages in a row; tests of
// the 429 answer turn it on.
func startSandbox(t *testing.T, limits bool, opts ...mock.Option) *sandbox {
	t.Helper()
	if !limits {
		opts = append(opts, mock.WithTelegramOptions(tgmock.WithoutLimits()))
	}
	sb := mock.Start(t, opts...)
	c := sb.Credentials.Telegram
	s := &sandbox{
		Sandbox: sb, url: sb.TelegramURL, token: c.BotToken, testToken: c.TestBotToken,
		botID: c.BotID, botUsername: c.BotUsername,
		channelID: c.ChannelID, channelUsername: c.ChannelUsername,
		groupID: c.GroupID, userID: world.DefaultChiefTelegramID,
	}
	switch {
	case s.url == "" || s.token == "" || s.channelID == 0 || s.channelUsername == "" || s.groupID == 0:
		t.Fatalf("sandbox credentials incomplete: url=%q %+v", s.url, c)
	}
	page, err := sb.World.Page(world.NetworkTelegram, s.channelID)
	if err != nil {
		t.Fatalf("channel page: %v", err)
	}
	s.channelTitle = page.Title
	return s
}

// lastCall returns the newest journal entry of a Bot API method (lower
// case, as the journal records it).
func (s *sandbox) lastCall(t *testing.T, method string) world.Entry {
	t.Helper()
	e, ok := s.Journal.Last(world.Filter{Party: tgmock.Party, Method: method})
	if !ok {
		t.Fatalf("journal: no %s call recorded", method)
	}
	return e
}

// stored returns the message the emulator keeps in a chat with that id.
func (s *sandbox) stored(t *testing.T, chatID, messageID int64) (tgmock.Message, bool) {
	t.Helper()
	for _, m := range s.Telegram.Messages(chatID) {
		if m.MessageID == messageID {
			return m, true
		}
	}
	return tgmock.Message{}, false
}

// awaitCall waits for a journal entry of method whose param has value,
// recorded after seq.
func (s *sandbox) awaitCall(t *testing.T, after uint64, method, param, value string) world.Entry {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	e, err := s.Journal.Await(ctx, world.Filter{Party: tgmock.Party, Method: method, AfterSeq: after, Param: param, ParamValue: value})
	if err != nil {
		t.Fatalf("journal: no %s call with %s=%s: %v", method, param, value, err)
	}
	return e
}

// awaitPolling waits until a getUpdates long poll of the bot waits.
func (s *sandbox) awaitPolling(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	if err := s.Telegram.AwaitPolling(ctx, s.botID); err != nil {
		t.Fatalf("no long poll started: %v", err)
	}
}

// awaitConfirmed waits for the long poll that follows the one that
// returned the updates: getUpdates confirms its offset before it waits, so
// once it waits the bot has no pending update.
func (s *sandbox) awaitConfirmed(t *testing.T) {
	t.Helper()
	s.awaitPolling(t)
	if p := s.Telegram.PendingUpdates(s.botID); len(p) > 0 {
		t.Fatalf("updates never confirmed: %+v", p)
	}
}

// pngImage returns a PNG of the given size; the emulator reads the
// dimensions of uploaded photos.
func pngImage(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 0x80, 0xff})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

const chatNotFound = "Bad Request: chat not found"

// unknownChannel is a chat id no scenario seeds.
const unknownChannel = int64(-1009999999999)
