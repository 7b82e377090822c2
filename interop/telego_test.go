package interop_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mymmrac/telego"
	ta "github.com/mymmrac/telego/telegoapi"
	tu "github.com/mymmrac/telego/telegoutil"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// github.com/mymmrac/telego, unchanged, pointed at the emulator with
// telego.WithAPIServer. It sends JSON for plain calls and multipart for
// uploads, through fasthttp by default.

func newTelego(t *testing.T, s *sandbox, token string, opts ...telego.BotOption) *telego.Bot {
	t.Helper()
	opts = append([]telego.BotOption{telego.WithAPIServer(s.url), telego.WithDiscardLogger()}, opts...)
	// A health check calls getMe in the constructor (options apply in
	// order, so it comes last).
	opts = append(opts, telego.WithHealthCheck(t.Context()))
	bot, err := telego.NewBot(token, opts...)
	if err != nil {
		t.Fatalf("telego.NewBot: %v", err)
	}
	return bot
}

func TestTelegoMessages(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, false)
	ctx := t.Context()
	for _, caller := range []struct {
		name string
		opts []telego.BotOption
	}{
		{"fasthttp", nil},
		{"nethttp", []telego.BotOption{telego.WithHTTPClient(&http.Client{Timeout: 30 * time.Second})}},
	} {
		t.Run(caller.name, func(t *testing.T) {
			bot := newTelego(t, s, s.token, caller.opts...)
			testTelegoMessages(ctx, t, s, bot)
		})
	}
}

func testTelegoMessages(ctx context.Context, t *testing.T, s *sandbox, bot *telego.Bot) {
	t.Run("getMe", func(t *testing.T) {
		me, err := bot.GetMe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if me.ID != s.botID || !me.IsBot || me.Username != s.botUsername || me.FirstName == "" {
			t.Fatalf("getMe = %+v, want bot %d @%s", me, s.botID, s.botUsername)
		}
	})

	var textMsgID int
	t.Run("sendMessage by id", func(t *testing.T) {
		msg, err := bot.SendMessage(ctx, &telego.SendMessageParams{
			ChatID: tu.ID(s.channelID), Text: "<b>Новость</b>: приём заявлений открыт", ParseMode: telego.ModeHTML,
		})
		if err != nil {
			t.Fatal(err)
		}
		if msg.MessageID <= 0 || msg.Chat.ID != s.channelID || msg.Chat.Type != telego.ChatTypeChannel ||
			msg.SenderChat == nil || msg.SenderChat.ID != s.channelID {
			t.Fatalf("unexpected message %+v", msg)
		}
		if msg.Text != "Новость: приём заявлений открыт" || len(msg.Entities) != 1 ||
			msg.Entities[0].Type != "bold" || msg.Entities[0].Offset != 0 || msg.Entities[0].Length != 7 {
			t.Fatalf("text %q entities %+v: want the HTML parsed", msg.Text, msg.Entities)
		}
		got, ok := s.stored(t, s.channelID, int64(msg.MessageID))
		if !ok || got.Text != msg.Text {
			t.Fatalf("emulator keeps %+v (found %v), want text %q", got, ok, msg.Text)
		}
		e := s.lastCall(t, "sendmessage")
		if e.Status != 200 || e.Params["chat_id"] != itoa(s.channelID) || e.Params["parse_mode"] != "HTML" {
			t.Fatalf("journal entry %+v", e)
		}
		textMsgID = msg.MessageID
	})

	t.Run("sendMessage by username", func(t *testing.T) {
		msg, err := bot.SendMessage(ctx, tu.Message(tu.Username(s.channelUsername), "Второе сообщение"))
		if err != nil {
			t.Fatal(err)
		}
		if msg.Chat.ID != s.channelID || msg.Chat.Username != s.channelUsername[1:] || msg.MessageID != textMsgID+1 {
			t.Fatalf("unexpected message %+v (previous id %d)", msg, textMsgID)
		}
		if e := s.lastCall(t, "sendmessage"); e.Params["chat_id"] != s.channelUsername {
			t.Fatalf("journal chat_id = %q, want %q", e.Params["chat_id"], s.channelUsername)
		}
	})

	photo := pngImage(t, 64, 48)
	var photoID string
	t.Run("sendPhoto upload", func(t *testing.T) {
		msg, err := bot.SendPhoto(ctx, &telego.SendPhotoParams{
			ChatID: tu.ID(s.channelID), Photo: tu.File(tu.NameReader(bytes.NewReader(photo), "logo.png")), Caption: "Логотип",
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(msg.Photo) == 0 || msg.Caption != "Логотип" {
			t.Fatalf("unexpected message %+v", msg)
		}
		p := msg.Photo[len(msg.Photo)-1]
		if p.FileID == "" || p.Width != 64 || p.Height != 48 || p.FileSize != len(photo) {
			t.Fatalf("photo size %+v, want 64x48, %d bytes", p, len(photo))
		}
		photoID = p.FileID
		if e := s.lastCall(t, "sendphoto"); e.Params["photo"] != "logo.png ("+itoa(int64(len(photo)))+" bytes)" {
			t.Fatalf("journal photo = %q, want the uploaded part", e.Params["photo"])
		}
		// The uploaded bytes come back through getFile and the file URL.
		f, err := bot.GetFile(ctx, &telego.GetFileParams{FileID: photoID})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(bot.FileDownloadURL(f.FilePath))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !bytes.Equal(data, photo) {
			t.Fatalf("download: status %d, %d bytes, want the %d uploaded bytes", resp.StatusCode, len(data), len(photo))
		}
	})

	t.Run("sendPhoto file_id", func(t *testing.T) {
		if photoID == "" {
			t.Skip("no file_id from the upload")
		}
		msg, err := bot.SendPhoto(ctx, tu.Photo(tu.ID(s.channelID), tu.FileFromID(photoID)))
		if err != nil {
			t.Fatal(err)
		}
		if len(msg.Photo) == 0 || msg.Photo[len(msg.Photo)-1].FileID != photoID {
			t.Fatalf("photo %+v, want file_id %s reused", msg.Photo, photoID)
		}
		if e := s.lastCall(t, "sendphoto"); e.Params["photo"] != photoID {
			t.Fatalf("journal photo = %q, want the file_id (JSON, no upload)", e.Params["photo"])
		}
	})

	t.Run("sendMediaGroup upload", func(t *testing.T) {
		a, b := pngImage(t, 32, 32), pngImage(t, 40, 30)
		msgs, err := bot.SendMediaGroup(ctx, tu.MediaGroup(tu.ID(s.channelID),
			tu.MediaPhoto(tu.File(tu.NameReader(bytes.NewReader(a), "a.png"))).WithCaption("Фотоотчёт"),
			tu.MediaPhoto(tu.File(tu.NameReader(bytes.NewReader(b), "b.png"))),
		))
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 2 || msgs[0].MediaGroupID == "" || msgs[0].MediaGroupID != msgs[1].MediaGroupID ||
			msgs[1].MessageID != msgs[0].MessageID+1 || msgs[0].Caption != "Фотоотчёт" {
			t.Fatalf("unexpected album %+v", msgs)
		}
		if p := msgs[1].Photo[len(msgs[1].Photo)-1]; p.Width != 40 || p.Height != 30 {
			t.Fatalf("second photo %+v, want 40x30 (the b.png part)", p)
		}
		if e := s.lastCall(t, "sendmediagroup"); e.Params["a.png"] == "" || e.Params["b.png"] == "" {
			t.Fatalf("journal params %v, want the attach:// parts", e.Params)
		}
	})

	t.Run("sendPoll", func(t *testing.T) {
		msg, err := bot.SendPoll(ctx, tu.Poll(tu.ID(s.channelID), "Удобен ли новый сервис?",
			tu.PollOption("Да"), tu.PollOption("Нет"), tu.PollOption("Не пользовался")))
		if err != nil {
			t.Fatal(err)
		}
		p := msg.Poll
		if p == nil || p.ID == "" || p.Question != "Удобен ли новый сервис?" || len(p.Options) != 3 ||
			p.Options[2].Text != "Не пользовался" || !p.IsAnonymous || p.Type != telego.PollTypeRegular {
			t.Fatalf("unexpected poll %+v", p)
		}
	})

	t.Run("editMessageText", func(t *testing.T) {
		msg, err := bot.EditMessageText(ctx, &telego.EditMessageTextParams{
			ChatID: tu.ID(s.channelID), MessageID: textMsgID, Text: "Новость (исправлено)",
		})
		if err != nil {
			t.Fatal(err)
		}
		if msg.MessageID != textMsgID || msg.Text != "Новость (исправлено)" || msg.EditDate == 0 {
			t.Fatalf("unexpected edited message %+v", msg)
		}
		if got, _ := s.stored(t, s.channelID, int64(textMsgID)); got.Text != "Новость (исправлено)" {
			t.Fatalf("emulator keeps text %q", got.Text)
		}
	})

	t.Run("deleteMessage", func(t *testing.T) {
		if err := bot.DeleteMessage(ctx, tu.Delete(tu.ID(s.channelID), textMsgID)); err != nil {
			t.Fatal(err)
		}
		if _, ok := s.stored(t, s.channelID, int64(textMsgID)); ok {
			t.Fatalf("message %d still kept after deleteMessage", textMsgID)
		}
		// Deleting it again is Telegram's 400.
		err := bot.DeleteMessage(ctx, tu.Delete(tu.ID(s.channelID), textMsgID))
		var apiErr *ta.Error
		if !errors.As(err, &apiErr) || apiErr.ErrorCode != 400 || apiErr.Description != "Bad Request: message to delete not found" {
			t.Fatalf("second delete: %v, want *telegoapi.Error 400 \"message to delete not found\"", err)
		}
	})

	t.Run("getChat", func(t *testing.T) {
		for _, id := range []telego.ChatID{tu.ID(s.channelID), tu.Username(s.channelUsername)} {
			c, err := bot.GetChat(ctx, &telego.GetChatParams{ChatID: id})
			if err != nil {
				t.Fatal(err)
			}
			if c.ID != s.channelID || c.Type != telego.ChatTypeChannel || c.Title != s.channelTitle ||
				"@"+c.Username != s.channelUsername || c.Description == "" {
				t.Fatalf("getChat(%v) = %+v", id, c)
			}
		}
	})

	t.Run("getChatAdministrators", func(t *testing.T) {
		admins, err := bot.GetChatAdministrators(ctx, &telego.GetChatAdministratorsParams{ChatID: tu.ID(s.channelID)})
		if err != nil {
			t.Fatal(err)
		}
		var owner, self bool
		for _, m := range admins {
			switch m := m.(type) {
			case *telego.ChatMemberOwner:
				owner = m.User.ID == s.userID
			case *telego.ChatMemberAdministrator:
				if m.User.ID == s.botID {
					self = m.User.IsBot && m.CanPostMessages && m.CanEditMessages && m.CanDeleteMessages
				}
			}
		}
		if !owner || !self {
			t.Fatalf("administrators %+v: want owner %d and the bot with post/edit/delete rights", admins, s.userID)
		}
	})
}

func TestTelegoLongPolling(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, false)
	bot := newTelego(t, s, s.token)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	updates, err := bot.UpdatesViaLongPolling(ctx, &telego.GetUpdatesParams{Timeout: 1})
	if err != nil {
		t.Fatal(err)
	}
	s.awaitPolling(t)
	posted, err := s.Telegram.PostAsUser(s.groupID, s.userID, "Здравствуйте! Когда откроется запись?")
	if err != nil {
		t.Fatal(err)
	}
	var u telego.Update
	select {
	case u = <-updates:
	case <-time.After(15 * time.Second):
		t.Fatal("no update within 15s")
	}
	m := u.Message
	if u.UpdateID <= 0 || m == nil || m.Text != posted.Text || m.MessageID != int(posted.MessageID) ||
		m.Chat.ID != s.groupID || m.Chat.Type != telego.ChatTypeSupergroup || m.From == nil || m.From.ID != s.userID {
		t.Fatalf("update %+v, want the user's message %+v", u, posted)
	}
	// telego confirms it with offset = update_id + 1 on its next poll.
	s.awaitConfirmed(t)
	cancel()
	// telego lets the poll under way run to its timeout, which runs on the
	// world clock: move it instead of waiting a second.
	s.Clock.Advance(time.Second)
	s.awaitCall(t, 0, "getupdates", "offset", itoa(int64(u.UpdateID+1)))
}

func TestTelegoWebhook(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, false)
	bot := newTelego(t, s, s.token)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	const secret = "interop-Secret_42"
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	updates, err := bot.UpdatesViaWebhook(ctx, telego.WebhookHTTPServeMux(mux, "POST /hook", secret),
		telego.WithWebhookSet(ctx, &telego.SetWebhookParams{URL: srv.URL + "/hook", SecretToken: secret}))
	if err != nil {
		t.Fatal(err)
	}
	info, err := bot.GetWebhookInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.URL != srv.URL+"/hook" {
		t.Fatalf("getWebhookInfo = %+v", info)
	}
	if e := s.lastCall(t, "setwebhook"); e.Params["secret_token"] != "[redacted]" {
		t.Fatalf("journal secret_token = %q, want it redacted", e.Params["secret_token"])
	}
	// While the webhook is set, getUpdates is Telegram's 409.
	_, err = bot.GetUpdates(ctx, &telego.GetUpdatesParams{})
	var apiErr *ta.Error
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != 409 {
		t.Fatalf("getUpdates with a webhook: %v, want 409", err)
	}

	posted, err := s.Telegram.PostAsUser(s.channelID, s.userID, "Пост владельца канала")
	if err != nil {
		t.Fatal(err)
	}
	// telego's handler answers 401 without the secret header, so an update
	// arriving proves the emulator sent it.
	select {
	case u := <-updates:
		if u.ChannelPost == nil || u.ChannelPost.Text != posted.Text || u.ChannelPost.Chat.ID != s.channelID ||
			u.ChannelPost.MessageID != int(posted.MessageID) {
			t.Fatalf("update %+v, want channel_post %+v", u, posted)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no webhook delivery within 15s")
	}
	if err := bot.DeleteWebhook(ctx, &telego.DeleteWebhookParams{}); err != nil {
		t.Fatal(err)
	}
}

func TestTelegoErrors(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := startSandbox(t, true, mock.WithFrozenClock(start))
	bot := newTelego(t, s, s.token)
	ctx := t.Context()

	t.Run("chat not found", func(t *testing.T) {
		for _, id := range []telego.ChatID{tu.ID(unknownChannel), tu.Username("@no_such_channel_42")} {
			_, err := bot.SendMessage(ctx, tu.Message(id, "test"))
			var apiErr *ta.Error
			if !errors.As(err, &apiErr) || apiErr.ErrorCode != 400 || apiErr.Description != chatNotFound {
				t.Fatalf("sendMessage to %v: %v, want *telegoapi.Error 400 %q", id, err, chatNotFound)
			}
		}
	})

	t.Run("429 from flood control", func(t *testing.T) {
		// Flood control allows a burst of 3 per chat, then 1/s of the world
		// clock, which is frozen here.
		var err error
		sent := 0
		for sent < 10 {
			if _, err = bot.SendMessage(ctx, tu.Message(tu.ID(s.groupID), "Сообщение "+itoa(int64(sent)))); err != nil {
				break
			}
			sent++
		}
		var apiErr *ta.Error
		if !errors.As(err, &apiErr) || apiErr.ErrorCode != 429 || apiErr.Parameters == nil || apiErr.Parameters.RetryAfter != 1 ||
			apiErr.Description != "Too Many Requests: retry after 1" {
			t.Fatalf("after %d messages: %v, want 429 with retry_after 1", sent, err)
		}
		if sent != 3 {
			t.Fatalf("429 after %d messages, want after the burst of 3", sent)
		}
		s.Clock.Advance(time.Second)
		if _, err := bot.SendMessage(ctx, tu.Message(tu.ID(s.groupID), "После паузы")); err != nil {
			t.Fatalf("after retry_after elapsed: %v", err)
		}
	})

	t.Run("429 from a fault rule", func(t *testing.T) {
		if _, err := s.Faults.Add(world.Rule{Party: "telegram", Method: "sendMessage", Kind: world.FaultRateLimit, RetryAfter: 17, First: 1}); err != nil {
			t.Fatal(err)
		}
		_, err := bot.SendMessage(ctx, tu.Message(tu.ID(s.channelID), "test"))
		var apiErr *ta.Error
		if !errors.As(err, &apiErr) || apiErr.ErrorCode != 429 || apiErr.Parameters == nil || apiErr.Parameters.RetryAfter != 17 {
			t.Fatalf("sendMessage: %v, want 429 with retry_after 17", err)
		}
		if e := s.lastCall(t, "sendmessage"); e.Status != 429 || e.Fault == "" {
			t.Fatalf("journal entry %+v, want the fault's 429", e)
		}
	})

	t.Run("unauthorized", func(t *testing.T) {
		other, err := telego.NewBot("7000000009:MOCKunknownunknownunknownunknown123", telego.WithAPIServer(s.url), telego.WithDiscardLogger())
		if err != nil {
			t.Fatal(err)
		}
		_, err = other.GetMe(ctx)
		var apiErr *ta.Error
		if !errors.As(err, &apiErr) || apiErr.ErrorCode != 401 || apiErr.Description != "Unauthorized" {
			t.Fatalf("getMe with an unknown token: %v, want 401 Unauthorized", err)
		}
	})
}

// TestTelegoTestEnvironment uses telego.WithTestServerPath
// (/bot<token>/test/<method>): the test-environment bot exists there, and
// the production channel does not.
func TestTelegoTestEnvironment(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, false)
	if s.testToken == "" {
		t.Skip("the scenario has no test-environment bot")
	}
	bot := newTelego(t, s, s.testToken, telego.WithTestServerPath())
	me, err := bot.GetMe(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != tgmock.DefaultTestBotID || !me.IsBot {
		t.Fatalf("getMe in the test environment = %+v, want bot %d", me, tgmock.DefaultTestBotID)
	}
	e := s.lastCall(t, "getme")
	if !strings.HasPrefix(e.Token, itoa(tgmock.DefaultTestBotID)+"~") || e.Tenant != "default" {
		t.Fatalf("journal token %q tenant %q, want the test-environment bot in the sandbox's default tenant", e.Token, e.Tenant)
	}
	_, err = bot.SendMessage(t.Context(), tu.Message(tu.ID(s.channelID), "test"))
	var apiErr *ta.Error
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != 400 || apiErr.Description != chatNotFound {
		t.Fatalf("production channel from the test environment: %v, want 400 %q", err, chatNotFound)
	}
	// The production token is unknown in the test environment.
	prod, err := telego.NewBot(s.token, telego.WithAPIServer(s.url), telego.WithTestServerPath(), telego.WithDiscardLogger())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := prod.GetMe(t.Context()); !errors.As(err, &apiErr) || apiErr.ErrorCode != 401 {
		t.Fatalf("production token in the test environment: %v, want 401", err)
	}
}
