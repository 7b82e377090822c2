package telegram_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/telegram"
)

func TestSendMessageEncoding(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", rec.wrap(okResponder(t, channelMessage(42))))
	m, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{
		ChatID:              telegram.ChatIDInt(-1001234567890),
		Text:                "<b>Новость</b>",
		ParseMode:           telegram.ParseModeHTML,
		LinkPreviewOptions:  &telegram.LinkPreviewOptions{IsDisabled: true},
		DisableNotification: true,
		ReplyParameters:     &telegram.ReplyParameters{MessageID: 5},
	})
	require.NoError(t, err)
	assert.Equal(t, int64(42), m.MessageID)
	assert.Equal(t, telegram.ChatTypeChannel, m.Chat.Type)
	assert.Equal(t, "mincifry", m.Chat.Username)
	require.NotNil(t, m.SenderChat)
	assert.Equal(t, int64(-1001234567890), m.SenderChat.ID)
	assert.Equal(t, int64(1767225600), m.Time().Unix())

	r := rec.last(t)
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/bot"+testToken+"/sendMessage", r.Path)
	assert.JSONEq(t, `{"chat_id":-1001234567890,"text":"<b>Новость</b>","parse_mode":"HTML",
		"link_preview_options":{"is_disabled":true},"disable_notification":true,"reply_parameters":{"message_id":5}}`, string(r.Body))
}

func TestChatIDEncoding(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id   telegram.ChatID
		json string
		str  string
	}{
		{telegram.ChatIDInt(-1001234567890), `-1001234567890`, "-1001234567890"},
		{telegram.Username("@mincifry"), `"@mincifry"`, "@mincifry"},
		{telegram.Username("mincifry"), `"@mincifry"`, "@mincifry"},
	} {
		b, err := json.Marshal(tc.id)
		require.NoError(t, err)
		assert.Equal(t, tc.json, string(b))
		assert.Equal(t, tc.str, tc.id.String())
		var back telegram.ChatID
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, tc.id, back)
	}
	var fromString telegram.ChatID
	require.NoError(t, json.Unmarshal([]byte(`"-100123"`), &fromString))
	assert.Equal(t, int64(-100123), fromString.ID())
	assert.True(t, telegram.ChatID{}.IsZero())
	for _, bad := range []string{"@abc", "@1abcdef", "@bad-name", "@" + strings.Repeat("a", 33), "@"} {
		assert.Error(t, telegram.Username(bad).Validate(), bad)
	}
	assert.NoError(t, telegram.Username("@gov_channel_1").Validate())
}

func TestSendPhotoByURLIsJSON(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"sendPhoto", rec.wrap(okResponder(t, map[string]any{
		"message_id": 9, "date": 1, "chat": map[string]any{"id": -1001, "type": "channel"},
		"photo": []map[string]any{{"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90},
			{"file_id": "big", "file_unique_id": "b", "width": 1280, "height": 720, "file_size": 12345}},
		"caption": "Подпись",
	})))
	m, err := c.SendPhoto(t.Context(), &telegram.SendPhotoRequest{
		ChatID: telegram.Username("@mincifry"), Photo: telegram.FileURL("https://gov.example/p.jpg"), Caption: "Подпись",
	})
	require.NoError(t, err)
	require.Len(t, m.Photo, 2)
	assert.Equal(t, int64(12345), m.Photo[1].FileSize)
	assert.JSONEq(t, `{"chat_id":"@mincifry","photo":"https://gov.example/p.jpg","caption":"Подпись"}`, string(rec.last(t).Body))

	_, err = c.SendPhoto(t.Context(), &telegram.SendPhotoRequest{ChatID: telegram.ChatIDInt(1), Photo: telegram.FileID("AgACAgIAAx")})
	require.NoError(t, err)
	assert.JSONEq(t, `{"chat_id":1,"photo":"AgACAgIAAx"}`, string(rec.last(t).Body))
}

func TestSendPhotoUploadIsMultipart(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"sendPhoto", rec.wrap(okResponder(t, channelMessage(10))))
	req := &telegram.SendPhotoRequest{
		ChatID:          telegram.ChatIDInt(-1001234567890),
		Photo:           telegram.FileBytes("герб.jpg", []byte("\xff\xd8JPEG")).WithContentType("image/jpeg"),
		Caption:         "Герб",
		CaptionEntities: []telegram.MessageEntity{{Type: "bold", Offset: 0, Length: 4}},
	}
	_, err := c.SendPhoto(t.Context(), req)
	require.NoError(t, err)
	fields, files := multipartBody(t, rec.last(t))
	assert.Equal(t, map[string]string{
		"chat_id": "-1001234567890", "caption": "Герб", "caption_entities": `[{"type":"bold","offset":0,"length":4}]`,
	}, fields, "no photo form field: the part replaces it")
	require.Contains(t, files, "photo")
	assert.Equal(t, "герб.jpg", files["photo"].Filename)
	assert.Equal(t, "image/jpeg", files["photo"].ContentType)
	assert.Equal(t, []byte("\xff\xd8JPEG"), files["photo"].Data)

	// The request can be sent again: the caller's struct was not changed.
	_, err = c.SendPhoto(t.Context(), req)
	require.NoError(t, err)
	_, files = multipartBody(t, rec.last(t))
	assert.Equal(t, []byte("\xff\xd8JPEG"), files["photo"].Data)
}

func TestSendDocumentFromReaderAndVideoThumbnail(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"sendDocument", rec.wrap(okResponder(t, channelMessage(11))))
	mt.RegisterResponder(http.MethodPost, apiBase+"sendVideo", rec.wrap(okResponder(t, channelMessage(12))))
	_, err := c.SendDocument(t.Context(), &telegram.SendDocumentRequest{
		ChatID: telegram.ChatIDInt(5), Document: telegram.FileReader(`отчёт "2026".pdf`, strings.NewReader("%PDF-1.7")),
	})
	require.NoError(t, err)
	fields, files := multipartBody(t, rec.last(t))
	assert.Equal(t, map[string]string{"chat_id": "5"}, fields)
	assert.Equal(t, `отчёт "2026".pdf`, files["document"].Filename)
	assert.Equal(t, "application/octet-stream", files["document"].ContentType)
	assert.Equal(t, "%PDF-1.7", string(files["document"].Data))

	thumb := telegram.FileBytes("t.jpg", []byte("thumb"))
	_, err = c.SendVideo(t.Context(), &telegram.SendVideoRequest{
		ChatID: telegram.ChatIDInt(5), Video: telegram.FileID("vid"), Thumbnail: &thumb, Duration: 30, SupportsStreaming: true,
	})
	require.NoError(t, err)
	fields, files = multipartBody(t, rec.last(t))
	assert.Equal(t, map[string]string{"chat_id": "5", "video": "vid", "duration": "30", "supports_streaming": "true"}, fields)
	assert.Equal(t, "thumb", string(files["thumbnail"].Data))
}

func TestUploadLimit(t *testing.T) {
	t.Parallel()
	c, mt := setup(t, telegram.WithMaxUploadBytes(4))
	_, err := c.SendDocument(t.Context(), &telegram.SendDocumentRequest{
		ChatID: telegram.ChatIDInt(5), Document: telegram.FileReader("a.bin", strings.NewReader("12345")),
	})
	require.ErrorIs(t, err, telegram.ErrInvalidRequest)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestSendMediaGroupAttachments(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	album := []map[string]any{channelMessage(20), channelMessage(21), channelMessage(22)}
	for _, m := range album {
		m["media_group_id"] = "13579"
	}
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMediaGroup", rec.wrap(okResponder(t, album)))
	msgs, err := c.SendMediaGroup(t.Context(), &telegram.SendMediaGroupRequest{
		ChatID: telegram.ChatIDInt(-1001234567890),
		Media: []telegram.InputMedia{
			telegram.NewInputMediaPhoto(telegram.FileBytes("a.jpg", []byte("AAA")), "Первое"),
			telegram.NewInputMediaPhoto(telegram.FileID("existing"), ""),
			telegram.NewInputMediaVideo(telegram.FileBytes("c.mp4", []byte("CCC")), ""),
		},
	})
	require.NoError(t, err)
	require.Len(t, msgs, 3)
	assert.Equal(t, "13579", msgs[2].MediaGroupID)
	fields, files := multipartBody(t, rec.last(t))
	assert.Equal(t, "-1001234567890", fields["chat_id"])
	assert.JSONEq(t, `[{"type":"photo","media":"attach://file0","caption":"Первое"},
		{"type":"photo","media":"existing"},{"type":"video","media":"attach://file2"}]`, fields["media"])
	assert.Equal(t, "AAA", string(files["file0"].Data))
	assert.Equal(t, "a.jpg", files["file0"].Filename)
	assert.Equal(t, "CCC", string(files["file2"].Data))
	assert.Len(t, files, 2)

	// Without uploads the album is plain JSON.
	_, err = c.SendMediaGroup(t.Context(), &telegram.SendMediaGroupRequest{
		ChatID: telegram.ChatIDInt(1),
		Media: []telegram.InputMedia{
			telegram.NewInputMediaDocument(telegram.FileURL("https://gov.example/a.pdf"), ""),
			telegram.NewInputMediaDocument(telegram.FileID("doc"), "x"),
		},
	})
	require.NoError(t, err)
	assert.JSONEq(t, `{"chat_id":1,"media":[{"type":"document","media":"https://gov.example/a.pdf"},
		{"type":"document","media":"doc","caption":"x"}]}`, string(rec.last(t).Body))
}

func TestSendPollEncoding(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	poll := channelMessage(30)
	poll["poll"] = map[string]any{"id": "p1", "question": "Вопрос?", "options": []map[string]any{{"text": "Да", "voter_count": 0}, {"text": "Нет", "voter_count": 0}},
		"total_voter_count": 0, "is_closed": false, "is_anonymous": true, "type": "regular", "allows_multiple_answers": false}
	mt.RegisterResponder(http.MethodPost, apiBase+"sendPoll", rec.wrap(okResponder(t, poll)))
	anon := false
	m, err := c.SendPoll(t.Context(), &telegram.SendPollRequest{
		ChatID: telegram.ChatIDInt(-100777), Question: "Вопрос?",
		Options:     []telegram.InputPollOption{{Text: "Да"}, {Text: "Нет"}},
		IsAnonymous: &anon, AllowsMultipleAnswers: true,
	})
	require.NoError(t, err)
	require.NotNil(t, m.Poll)
	assert.Equal(t, "Нет", m.Poll.Options[1].Text)
	assert.JSONEq(t, `{"chat_id":-100777,"question":"Вопрос?","options":[{"text":"Да"},{"text":"Нет"}],
		"is_anonymous":false,"allows_multiple_answers":true}`, string(rec.last(t).Body))
}

func TestEditDeletePin(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"editMessageText", rec.wrap(seq(okResponder(t, channelMessage(3)), okResponder(t, true))))
	mt.RegisterResponder(http.MethodPost, apiBase+"editMessageCaption", rec.wrap(okResponder(t, channelMessage(4))))
	for _, m := range []string{"deleteMessage", "pinChatMessage", "unpinChatMessage"} {
		mt.RegisterResponder(http.MethodPost, apiBase+m, rec.wrap(okResponder(t, true)))
	}
	ctx := t.Context()
	ch := telegram.ChatIDInt(-1001234567890)
	m, err := c.EditMessageText(ctx, &telegram.EditMessageTextRequest{ChatID: ch, MessageID: 3, Text: "new"})
	require.NoError(t, err)
	assert.Equal(t, int64(3), m.MessageID)
	assert.JSONEq(t, `{"chat_id":-1001234567890,"message_id":3,"text":"new"}`, string(rec.last(t).Body))
	m, err = c.EditMessageText(ctx, &telegram.EditMessageTextRequest{InlineMessageID: "inl", Text: "new"})
	require.NoError(t, err)
	assert.Nil(t, m, "inline edits return true")
	assert.JSONEq(t, `{"inline_message_id":"inl","text":"new"}`, string(rec.last(t).Body))
	_, err = c.EditMessageCaption(ctx, &telegram.EditMessageCaptionRequest{ChatID: ch, MessageID: 4, Caption: ""})
	require.NoError(t, err)
	assert.JSONEq(t, `{"chat_id":-1001234567890,"message_id":4,"caption":""}`, string(rec.last(t).Body))
	require.NoError(t, c.DeleteMessage(ctx, &telegram.DeleteMessageRequest{ChatID: ch, MessageID: 3}))
	assert.JSONEq(t, `{"chat_id":-1001234567890,"message_id":3}`, string(rec.last(t).Body))
	require.NoError(t, c.PinChatMessage(ctx, &telegram.PinChatMessageRequest{ChatID: ch, MessageID: 3, DisableNotification: true}))
	assert.JSONEq(t, `{"chat_id":-1001234567890,"message_id":3,"disable_notification":true}`, string(rec.last(t).Body))
	require.NoError(t, c.UnpinChatMessage(ctx, &telegram.UnpinChatMessageRequest{ChatID: ch}))
	assert.JSONEq(t, `{"chat_id":-1001234567890}`, string(rec.last(t).Body))
}

func TestEditNotModifiedIsSurfaced(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"editMessageText", errResponder(400,
		"Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message", nil))
	_, err := c.EditMessageText(t.Context(), &telegram.EditMessageTextRequest{ChatID: telegram.ChatIDInt(1), MessageID: 1, Text: "same"})
	require.ErrorIs(t, err, telegram.ErrMessageNotModified)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestEditsAreRetriedOnServerErrors(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"editMessageText", seq(errResponder(502, "Bad Gateway", nil), okResponder(t, channelMessage(3))))
	_, err := c.EditMessageText(t.Context(), &telegram.EditMessageTextRequest{ChatID: telegram.ChatIDInt(1), MessageID: 3, Text: "x"})
	require.NoError(t, err)
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

func emoji(n int) string { return strings.Repeat("🏛", n) } // U+1F3DB: two UTF-16 units

func TestValidationSendsNothing(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	ctx := t.Context()
	ch := telegram.ChatIDInt(-1001234567890)
	photo := telegram.FileID("p")
	items := func(n int) []telegram.InputMedia {
		out := make([]telegram.InputMedia, n)
		for i := range out {
			out[i] = telegram.NewInputMediaPhoto(photo, "")
		}
		return out
	}
	opts := func(n int) []telegram.InputPollOption {
		out := make([]telegram.InputPollOption, n)
		for i := range out {
			out[i] = telegram.InputPollOption{Text: "o"}
		}
		return out
	}
	for name, call := range map[string]func() error{
		"nil request": func() error { _, err := c.SendMessage(ctx, nil); return err },
		"empty chat":  func() error { _, err := c.SendMessage(ctx, &telegram.SendMessageRequest{Text: "x"}); return err },
		"bad username": func() error {
			_, err := c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: telegram.Username("@ab"), Text: "x"})
			return err
		},
		"empty text": func() error { _, err := c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: ch}); return err },
		"text too long": func() error {
			_, err := c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: ch, Text: emoji(2048) + "x"})
			return err
		},
		"caption too long": func() error {
			_, err := c.SendPhoto(ctx, &telegram.SendPhotoRequest{ChatID: ch, Photo: photo, Caption: strings.Repeat("я", 1025)})
			return err
		},
		"empty photo": func() error { _, err := c.SendPhoto(ctx, &telegram.SendPhotoRequest{ChatID: ch}); return err },
		"album of 1": func() error {
			_, err := c.SendMediaGroup(ctx, &telegram.SendMediaGroupRequest{ChatID: ch, Media: items(1)})
			return err
		},
		"album of 11": func() error {
			_, err := c.SendMediaGroup(ctx, &telegram.SendMediaGroupRequest{ChatID: ch, Media: items(11)})
			return err
		},
		"mixed album": func() error {
			m := items(2)
			m[1] = telegram.NewInputMediaDocument(photo, "")
			_, err := c.SendMediaGroup(ctx, &telegram.SendMediaGroupRequest{ChatID: ch, Media: m})
			return err
		},
		"album caption": func() error {
			m := items(2)
			m[0].Caption = emoji(513)
			_, err := c.SendMediaGroup(ctx, &telegram.SendMediaGroupRequest{ChatID: ch, Media: m})
			return err
		},
		"poll question empty": func() error {
			_, err := c.SendPoll(ctx, &telegram.SendPollRequest{ChatID: ch, Options: opts(2)})
			return err
		},
		"poll question long": func() error {
			_, err := c.SendPoll(ctx, &telegram.SendPollRequest{ChatID: ch, Question: strings.Repeat("q", 301), Options: opts(2)})
			return err
		},
		"poll 1 option": func() error {
			_, err := c.SendPoll(ctx, &telegram.SendPollRequest{ChatID: ch, Question: "q", Options: opts(1)})
			return err
		},
		"poll 13 options": func() error {
			_, err := c.SendPoll(ctx, &telegram.SendPollRequest{ChatID: ch, Question: "q", Options: opts(13)})
			return err
		},
		"edit without target": func() error {
			_, err := c.EditMessageText(ctx, &telegram.EditMessageTextRequest{ChatID: ch, Text: "x"})
			return err
		},
		"delete without id": func() error { return c.DeleteMessage(ctx, &telegram.DeleteMessageRequest{ChatID: ch}) },
		"member without user": func() error {
			_, err := c.GetChatMember(ctx, &telegram.GetChatMemberRequest{ChatID: ch})
			return err
		},
		"bad secret token": func() error {
			return c.SetWebhook(ctx, &telegram.SetWebhookRequest{URL: "https://gov.example/hook", SecretToken: "has space"})
		},
		"long secret token": func() error {
			return c.SetWebhook(ctx, &telegram.SetWebhookRequest{URL: "https://gov.example/hook", SecretToken: strings.Repeat("a", 257)})
		},
		"http webhook on hosted API": func() error {
			return c.SetWebhook(ctx, &telegram.SetWebhookRequest{URL: "http://gov.example/hook"})
		},
		"updates limit": func() error { _, err := c.GetUpdates(ctx, &telegram.GetUpdatesRequest{Limit: 101}); return err },
		"empty file id": func() error { _, err := c.GetFile(ctx, &telegram.GetFileRequest{}); return err },
	} {
		err := call()
		require.ErrorIs(t, err, telegram.ErrInvalidRequest, name)
		assert.NotEmpty(t, err.Error())
	}
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestTextLimitCountsUTF16Units(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", okResponder(t, channelMessage(1)))
	// 2048 emoji = 4096 UTF-16 units (but only 2048 code points): accepted.
	_, err := c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: emoji(2048)})
	require.NoError(t, err)
	// 4096 Cyrillic letters = 4096 units (8192 bytes): accepted.
	_, err = c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1), Text: strings.Repeat("я", 4096)})
	require.NoError(t, err)
	// With a parse mode the markup does not count: only emptiness is checked.
	_, err = c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(1),
		Text: "<b>" + strings.Repeat("я", 4096) + "</b>", ParseMode: telegram.ParseModeHTML})
	require.NoError(t, err)
	assert.Equal(t, 3, mt.GetTotalCallCount())
}

func TestUTF16Len(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "abc", "Новость", "🏛🏛", "a\xffb", "日本語🎌"} {
		assert.Equal(t, len(utf16.Encode([]rune(s))), telegram.UTF16Len(s), s)
	}
}
