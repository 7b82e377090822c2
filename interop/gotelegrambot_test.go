package interop_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// github.com/go-telegram/bot, unchanged, pointed at the emulator with
// bot.WithServerURL. It sends every call as multipart/form-data streamed
// through an io.Pipe (parameterless calls such as getMe as an empty
// multipart body) and calls getMe in its constructor, which stays on here.

func newGoTelegramBot(t *testing.T, s *sandbox, opts ...tgbot.Option) *tgbot.Bot {
	t.Helper()
	opts = append([]tgbot.Option{
		tgbot.WithServerURL(s.url),
		tgbot.WithErrorsHandler(func(err error) { t.Logf("go-telegram/bot: %v", err) }),
		tgbot.WithDefaultHandler(func(context.Context, *tgbot.Bot, *models.Update) {}),
	}, opts...)
	b, err := tgbot.New(s.token, opts...)
	if err != nil {
		t.Fatalf("bot.New (getMe in the constructor): %v", err)
	}
	return b
}

func TestGoTelegramBotMessages(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, false)
	ctx := t.Context()
	b := newGoTelegramBot(t, s)
	if e := s.lastCall(t, "getme"); e.Status != 200 {
		t.Fatalf("constructor getMe journal entry %+v", e)
	}

	t.Run("getMe", func(t *testing.T) {
		me, err := b.GetMe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if me.ID != s.botID || !me.IsBot || me.Username != s.botUsername {
			t.Fatalf("getMe = %+v", me)
		}
		if b.ID() != s.botID {
			t.Fatalf("bot.ID() = %d", b.ID())
		}
	})

	var textMsgID int
	t.Run("sendMessage by id", func(t *testing.T) {
		msg, err := b.SendMessage(ctx, &tgbot.SendMessageParams{
			ChatID: s.channelID, Text: "<b>Новость</b>: приём заявлений открыт", ParseMode: models.ParseModeHTML,
		})
		if err != nil {
			t.Fatal(err)
		}
		if msg.ID <= 0 || msg.Chat.ID != s.channelID || msg.Chat.Type != models.ChatTypeChannel ||
			msg.SenderChat == nil || msg.SenderChat.ID != s.channelID ||
			msg.Text != "Новость: приём заявлений открыт" || len(msg.Entities) != 1 || msg.Entities[0].Type != models.MessageEntityTypeBold {
			t.Fatalf("unexpected message %+v", msg)
		}
		if got, ok := s.stored(t, s.channelID, int64(msg.ID)); !ok || got.Text != msg.Text {
			t.Fatalf("emulator keeps %+v (found %v)", got, ok)
		}
		if e := s.lastCall(t, "sendmessage"); e.Params["chat_id"] != itoa(s.channelID) || e.Params["parse_mode"] != "HTML" {
			t.Fatalf("journal params %v", e.Params)
		}
		textMsgID = msg.ID
	})

	t.Run("sendMessage by username", func(t *testing.T) {
		msg, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: s.channelUsername, Text: "Второе сообщение"})
		if err != nil {
			t.Fatal(err)
		}
		if msg.Chat.ID != s.channelID || "@"+msg.Chat.Username != s.channelUsername || msg.ID != textMsgID+1 {
			t.Fatalf("unexpected message %+v", msg)
		}
	})

	photo := pngImage(t, 64, 48)
	var photoID string
	t.Run("sendPhoto upload", func(t *testing.T) {
		msg, err := b.SendPhoto(ctx, &tgbot.SendPhotoParams{
			ChatID: s.channelID, Photo: &models.InputFileUpload{Filename: "logo.png", Data: bytes.NewReader(photo)}, Caption: "Логотип",
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(msg.Photo) == 0 || msg.Caption != "Логотип" {
			t.Fatalf("unexpected message %+v", msg)
		}
		p := msg.Photo[len(msg.Photo)-1]
		if p.FileID == "" || p.Width != 64 || p.Height != 48 || p.FileSize != len(photo) {
			t.Fatalf("photo %+v, want 64x48, %d bytes", p, len(photo))
		}
		photoID = p.FileID
		f, err := b.GetFile(ctx, &tgbot.GetFileParams{FileID: photoID})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(b.FileDownloadLink(f))
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
		msg, err := b.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: s.channelID, Photo: &models.InputFileString{Data: photoID}})
		if err != nil {
			t.Fatal(err)
		}
		if len(msg.Photo) == 0 || msg.Photo[len(msg.Photo)-1].FileID != photoID {
			t.Fatalf("photo %+v, want file_id %s reused", msg.Photo, photoID)
		}
		if e := s.lastCall(t, "sendphoto"); e.Params["photo"] != photoID {
			t.Fatalf("journal photo = %q", e.Params["photo"])
		}
	})

	t.Run("sendMediaGroup upload", func(t *testing.T) {
		a, c := pngImage(t, 32, 32), pngImage(t, 40, 30)
		msgs, err := b.SendMediaGroup(ctx, &tgbot.SendMediaGroupParams{ChatID: s.channelID, Media: []models.InputMedia{
			&models.InputMediaPhoto{Media: "attach://a.png", MediaAttachment: bytes.NewReader(a), Caption: "Фотоотчёт"},
			&models.InputMediaPhoto{Media: "attach://b.png", MediaAttachment: bytes.NewReader(c)},
		}})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 2 || msgs[0].MediaGroupID == "" || msgs[0].MediaGroupID != msgs[1].MediaGroupID ||
			msgs[0].Caption != "Фотоотчёт" || msgs[1].ID != msgs[0].ID+1 {
			t.Fatalf("unexpected album %+v %+v", msgs[0], msgs[len(msgs)-1])
		}
		if p := msgs[1].Photo[len(msgs[1].Photo)-1]; p.Width != 40 || p.Height != 30 {
			t.Fatalf("second photo %+v, want 40x30", p)
		}
	})

	t.Run("sendPoll", func(t *testing.T) {
		msg, err := b.SendPoll(ctx, &tgbot.SendPollParams{
			ChatID: s.channelID, Question: "Удобен ли новый сервис?",
			Options: []models.InputPollOption{{Text: "Да"}, {Text: "Нет"}, {Text: "Не пользовался"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		p := msg.Poll
		if p == nil || p.ID == "" || p.Question != "Удобен ли новый сервис?" || len(p.Options) != 3 || p.Options[1].Text != "Нет" || !p.IsAnonymous {
			t.Fatalf("unexpected poll %+v", p)
		}
	})

	t.Run("editMessageText", func(t *testing.T) {
		msg, err := b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: s.channelID, MessageID: textMsgID, Text: "Новость (исправлено)"})
		if err != nil {
			t.Fatal(err)
		}
		if msg.ID != textMsgID || msg.Text != "Новость (исправлено)" || msg.EditDate == 0 {
			t.Fatalf("unexpected edited message %+v", msg)
		}
		if got, _ := s.stored(t, s.channelID, int64(textMsgID)); got.Text != "Новость (исправлено)" {
			t.Fatalf("emulator keeps text %q", got.Text)
		}
		// The same text again is Telegram's "message is not modified".
		_, err = b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: s.channelID, MessageID: textMsgID, Text: "Новость (исправлено)"})
		const notModified = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
		if !errors.Is(err, tgbot.ErrorBadRequest) || err.Error() != "bad request, "+notModified {
			t.Fatalf("unchanged edit: %v, want ErrorBadRequest %q", err, notModified)
		}
	})

	t.Run("deleteMessage", func(t *testing.T) {
		ok, err := b.DeleteMessage(ctx, &tgbot.DeleteMessageParams{ChatID: s.channelID, MessageID: textMsgID})
		if err != nil || !ok {
			t.Fatalf("deleteMessage = %v, %v", ok, err)
		}
		if _, kept := s.stored(t, s.channelID, int64(textMsgID)); kept {
			t.Fatalf("message %d still kept", textMsgID)
		}
	})

	t.Run("getChat", func(t *testing.T) {
		for _, id := range []any{s.channelID, s.channelUsername} {
			c, err := b.GetChat(ctx, &tgbot.GetChatParams{ChatID: id})
			if err != nil {
				t.Fatal(err)
			}
			if c.ID != s.channelID || c.Type != models.ChatTypeChannel || c.Title != s.channelTitle ||
				"@"+c.Username != s.channelUsername || c.Description == "" {
				t.Fatalf("getChat(%v) = %+v", id, c)
			}
		}
	})

	t.Run("getChatAdministrators", func(t *testing.T) {
		admins, err := b.GetChatAdministrators(ctx, &tgbot.GetChatAdministratorsParams{ChatID: s.channelID})
		if err != nil {
			t.Fatal(err)
		}
		var owner, self bool
		for _, m := range admins {
			switch {
			case m.Type == models.ChatMemberTypeOwner && m.Owner != nil:
				owner = m.Owner.User != nil && m.Owner.User.ID == s.userID
			case m.Type == models.ChatMemberTypeAdministrator && m.Administrator != nil && m.Administrator.User.ID == s.botID:
				a := m.Administrator
				self = a.User.IsBot && a.CanPostMessages && a.CanEditMessages && a.CanDeleteMessages
			}
		}
		if !owner || !self {
			t.Fatalf("administrators %+v: want owner %d and the bot with post/edit/delete rights", admins, s.userID)
		}
	})
}

func TestGoTelegramBotLongPolling(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, false)
	got := make(chan *models.Update, 4)
	// WithHTTPClient sets the poll timeout: getUpdates asks for timeout-1s.
	b := newGoTelegramBot(t, s,
		tgbot.WithHTTPClient(2*time.Second, &http.Client{Timeout: 10 * time.Second}),
		tgbot.WithDefaultHandler(func(_ context.Context, _ *tgbot.Bot, u *models.Update) { got <- u }))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { b.Start(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	s.awaitPolling(t)
	posted, err := s.Telegram.PostAsUser(s.groupID, s.userID, "Здравствуйте! Когда откроется запись?")
	if err != nil {
		t.Fatal(err)
	}
	var u *models.Update
	select {
	case u = <-got:
	case <-time.After(15 * time.Second):
		t.Fatal("no update within 15s")
	}
	m := u.Message
	if u.ID <= 0 || m == nil || m.Text != posted.Text || m.ID != int(posted.MessageID) || m.Chat.ID != s.groupID ||
		m.Chat.Type != models.ChatTypeSupergroup || m.From == nil || m.From.ID != s.userID {
		t.Fatalf("update %+v, want the user's message %+v", u, posted)
	}
	s.awaitConfirmed(t)
	cancel()
	<-done
	e := s.awaitCall(t, 0, "getupdates", "offset", itoa(u.ID+1))
	if e.Params["timeout"] != "1" {
		t.Fatalf("getUpdates params %v", e.Params)
	}
}

func TestGoTelegramBotWebhook(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, false)
	const secret = "interop-Secret_42"
	got := make(chan *models.Update, 4)
	b := newGoTelegramBot(t, s, tgbot.WithWebhookSecretToken(secret),
		tgbot.WithDefaultHandler(func(_ context.Context, _ *tgbot.Bot, u *models.Update) { got <- u }))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { b.StartWebhook(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	srv := httptest.NewServer(b.WebhookHandler())
	defer srv.Close()

	ok, err := b.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: srv.URL + "/hook", SecretToken: secret})
	if err != nil || !ok {
		t.Fatalf("setWebhook = %v, %v", ok, err)
	}
	info, err := b.GetWebhookInfo(ctx)
	if err != nil || info.URL != srv.URL+"/hook" {
		t.Fatalf("getWebhookInfo = %+v, %v", info, err)
	}
	posted, err := s.Telegram.PostAsUser(s.channelID, s.userID, "Пост владельца канала")
	if err != nil {
		t.Fatal(err)
	}
	// go-telegram/bot drops an update whose secret header does not match,
	// so an update arriving proves the emulator sent the secret.
	select {
	case u := <-got:
		if u.ChannelPost == nil || u.ChannelPost.Text != posted.Text || u.ChannelPost.Chat.ID != s.channelID ||
			u.ChannelPost.ID != int(posted.MessageID) {
			t.Fatalf("update %+v, want channel_post %+v", u, posted)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no webhook delivery within 15s")
	}
	if ok, err := b.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil || !ok {
		t.Fatalf("deleteWebhook = %v, %v", ok, err)
	}
}

func TestGoTelegramBotErrors(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := startSandbox(t, true, mock.WithFrozenClock(start))
	b := newGoTelegramBot(t, s)
	ctx := t.Context()

	t.Run("chat not found", func(t *testing.T) {
		for _, id := range []any{unknownChannel, "@no_such_channel_42"} {
			_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: id, Text: "test"})
			// go-telegram/bot maps error_code 400 to its ErrorBadRequest
			// sentinel and appends the description.
			if !errors.Is(err, tgbot.ErrorBadRequest) || err.Error() != "bad request, "+chatNotFound {
				t.Fatalf("sendMessage to %v: %v, want ErrorBadRequest with %q", id, err, chatNotFound)
			}
		}
	})

	t.Run("migrated group", func(t *testing.T) {
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: world.DefaultOldGroupID, Text: "test"})
		var me *tgbot.MigrateError
		if !errors.As(err, &me) || int64(me.MigrateToChatID) != s.groupID {
			t.Fatalf("sendMessage to the upgraded group: %v, want *MigrateError to %d", err, s.groupID)
		}
	})

	t.Run("429 from flood control", func(t *testing.T) {
		var err error
		sent := 0
		for sent < 10 {
			if _, err = b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: s.groupID, Text: "Сообщение " + itoa(int64(sent))}); err != nil {
				break
			}
			sent++
		}
		var tm *tgbot.TooManyRequestsError
		if !errors.As(err, &tm) || tm.RetryAfter != 1 || sent != 3 {
			t.Fatalf("after %d messages: %v, want *TooManyRequestsError with RetryAfter 1 after 3", sent, err)
		}
		s.Clock.Advance(time.Second)
		if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: s.groupID, Text: "После паузы"}); err != nil {
			t.Fatalf("after retry_after elapsed: %v", err)
		}
	})

	t.Run("429 from a fault rule", func(t *testing.T) {
		if _, err := s.Faults.Add(world.Rule{Party: "telegram", Method: "sendmessage", Kind: world.FaultRateLimit, RetryAfter: 17, First: 1}); err != nil {
			t.Fatal(err)
		}
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: s.channelID, Text: "test"})
		var tm *tgbot.TooManyRequestsError
		if !errors.As(err, &tm) || tm.RetryAfter != 17 {
			t.Fatalf("sendMessage: %v, want *TooManyRequestsError with RetryAfter 17", err)
		}
	})

	t.Run("unauthorized in the constructor", func(t *testing.T) {
		_, err := tgbot.New("7000000009:MOCKunknownunknownunknownunknown123", tgbot.WithServerURL(s.url))
		if !errors.Is(err, tgbot.ErrorUnauthorized) {
			t.Fatalf("bot.New with an unknown token: %v, want ErrorUnauthorized", err)
		}
	})
}

// TestGoTelegramBotTestEnvironment uses bot.UseTestEnvironment()
// (/bot<token>/test/<method>): the constructor's getMe succeeds for the
// test-environment bot and fails for the production token.
func TestGoTelegramBotTestEnvironment(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, false)
	if s.testToken == "" {
		t.Skip("the scenario has no test-environment bot")
	}
	b, err := tgbot.New(s.testToken, tgbot.WithServerURL(s.url), tgbot.UseTestEnvironment())
	if err != nil {
		t.Fatalf("bot.New in the test environment: %v", err)
	}
	me, err := b.GetMe(t.Context())
	if err != nil || me.ID != tgmock.DefaultTestBotID {
		t.Fatalf("getMe = %+v, %v, want bot %d", me, err, tgmock.DefaultTestBotID)
	}
	_, err = tgbot.New(s.token, tgbot.WithServerURL(s.url), tgbot.UseTestEnvironment())
	if !errors.Is(err, tgbot.ErrorUnauthorized) {
		t.Fatalf("production token in the test environment: %v, want ErrorUnauthorized", err)
	}
}
