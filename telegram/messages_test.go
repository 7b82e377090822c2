package telegram_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/social"
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
		"album of 0": func() error {
			_, err := c.SendMediaGroup(ctx, &telegram.SendMediaGroupRequest{ChatID: ch, Media: items(0)})
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

func TestForwardMessageEncoding(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	fwd := channelMessage(50)
	fwd["forward_origin"] = map[string]any{"type": "channel", "date": 1767225000,
		"chat":       map[string]any{"id": -1009876543210, "type": "channel", "title": "Правительство"},
		"message_id": 7, "author_signature": "Пресс-служба"}
	mt.RegisterResponder(http.MethodPost, apiBase+"forwardMessage", rec.wrap(okResponder(t, fwd)))
	m, err := c.ForwardMessage(t.Context(), &telegram.ForwardMessageRequest{
		ChatID:              telegram.ChatIDInt(-1001234567890),
		MessageThreadID:     3,
		FromChatID:          telegram.Username("@gov_news"),
		MessageID:           7,
		DisableNotification: true,
		ProtectContent:      true,
	})
	require.NoError(t, err)
	assert.Equal(t, int64(50), m.MessageID)
	require.NotNil(t, m.ForwardOrigin)
	assert.Equal(t, telegram.OriginChannel, m.ForwardOrigin.Type)
	assert.Equal(t, int64(1767225000), m.ForwardOrigin.Date)
	require.NotNil(t, m.ForwardOrigin.Chat)
	assert.Equal(t, int64(-1009876543210), m.ForwardOrigin.Chat.ID)
	assert.Equal(t, int64(7), m.ForwardOrigin.MessageID)
	assert.Equal(t, "Пресс-служба", m.ForwardOrigin.AuthorSignature)

	r := rec.last(t)
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/bot"+testToken+"/forwardMessage", r.Path)
	assert.Equal(t, "application/json", r.ContentType)
	assert.JSONEq(t, `{"chat_id":-1001234567890,"message_thread_id":3,"from_chat_id":"@gov_news","message_id":7,
		"disable_notification":true,"protect_content":true}`, string(r.Body))

	// Only the required parameters.
	_, err = c.ForwardMessage(t.Context(), &telegram.ForwardMessageRequest{
		ChatID: telegram.ChatIDInt(5), FromChatID: telegram.ChatIDInt(-1001), MessageID: 1,
	})
	require.NoError(t, err)
	assert.JSONEq(t, `{"chat_id":5,"from_chat_id":-1001,"message_id":1}`, string(rec.last(t).Body))
}

func TestMessageOriginKinds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		json string
		want telegram.MessageOrigin
	}{
		{`{"type":"user","date":1,"sender_user":{"id":42,"is_bot":false,"first_name":"Анна"}}`,
			telegram.MessageOrigin{Type: telegram.OriginUser, Date: 1, SenderUser: &telegram.User{ID: 42, FirstName: "Анна"}}},
		{`{"type":"hidden_user","date":2,"sender_user_name":"Иван"}`,
			telegram.MessageOrigin{Type: telegram.OriginHiddenUser, Date: 2, SenderUserName: "Иван"}},
		{`{"type":"chat","date":3,"sender_chat":{"id":-100,"type":"supergroup"},"author_signature":"admin"}`,
			telegram.MessageOrigin{Type: telegram.OriginChat, Date: 3, SenderChat: &telegram.Chat{ID: -100, Type: telegram.ChatTypeSupergroup}, AuthorSignature: "admin"}},
		{`{"type":"channel","date":4,"chat":{"id":-1001,"type":"channel"},"message_id":9}`,
			telegram.MessageOrigin{Type: telegram.OriginChannel, Date: 4, Chat: &telegram.Chat{ID: -1001, Type: telegram.ChatTypeChannel}, MessageID: 9}},
	} {
		var got telegram.MessageOrigin
		require.NoError(t, json.Unmarshal([]byte(tc.json), &got))
		assert.Equal(t, tc.want, got, tc.json)
		b, err := json.Marshal(got)
		require.NoError(t, err)
		assert.JSONEq(t, tc.json, string(b), "round trip")
	}
}

func TestCopyMessageEncoding(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"copyMessage", rec.wrap(okResponder(t, map[string]any{"message_id": 43})))
	ctx := t.Context()
	from := telegram.ChatIDInt(-1009876543210)

	// Everything set: the new caption, its entities and the send options.
	id, err := c.CopyMessage(ctx, &telegram.CopyMessageRequest{
		ChatID:                telegram.ChatIDInt(-1001234567890),
		FromChatID:            from,
		MessageID:             7,
		Caption:               new("Герб области"),
		CaptionEntities:       []telegram.MessageEntity{{Type: "bold", Offset: 0, Length: 4}},
		ShowCaptionAboveMedia: true,
		DisableNotification:   true,
		ProtectContent:        true,
		ReplyParameters:       &telegram.ReplyParameters{MessageID: 5},
		ReplyMarkup: &telegram.InlineKeyboardMarkup{InlineKeyboard: [][]telegram.InlineKeyboardButton{
			{{Text: "Госуслуги", URL: "https://www.gosuslugi.ru/"}}}},
	})
	require.NoError(t, err)
	assert.Equal(t, &telegram.MessageID{MessageID: 43}, id)
	r := rec.last(t)
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/bot"+testToken+"/copyMessage", r.Path)
	assert.Equal(t, "application/json", r.ContentType)
	assert.JSONEq(t, `{"chat_id":-1001234567890,"from_chat_id":-1009876543210,"message_id":7,
		"caption":"Герб области","caption_entities":[{"type":"bold","offset":0,"length":4}],
		"show_caption_above_media":true,"disable_notification":true,"protect_content":true,
		"reply_parameters":{"message_id":5},
		"reply_markup":{"inline_keyboard":[[{"text":"Госуслуги","url":"https://www.gosuslugi.ru/"}]]}}`, string(r.Body))

	// A nil caption is left out (Telegram keeps the original one); an empty
	// caption is sent (Telegram removes it).
	_, err = c.CopyMessage(ctx, &telegram.CopyMessageRequest{ChatID: telegram.Username("@mincifry"), FromChatID: from, MessageID: 7})
	require.NoError(t, err)
	assert.JSONEq(t, `{"chat_id":"@mincifry","from_chat_id":-1009876543210,"message_id":7}`, string(rec.last(t).Body))
	_, err = c.CopyMessage(ctx, &telegram.CopyMessageRequest{ChatID: telegram.ChatIDInt(5), FromChatID: from, MessageID: 7, Caption: new("")})
	require.NoError(t, err)
	assert.JSONEq(t, `{"chat_id":5,"from_chat_id":-1009876543210,"message_id":7,"caption":""}`, string(rec.last(t).Body))
	_, err = c.CopyMessage(ctx, &telegram.CopyMessageRequest{ChatID: telegram.ChatIDInt(5), FromChatID: from, MessageID: 7,
		Caption: new("<b>Герб</b>"), ParseMode: telegram.ParseModeHTML})
	require.NoError(t, err)
	assert.JSONEq(t, `{"chat_id":5,"from_chat_id":-1009876543210,"message_id":7,"caption":"<b>Герб</b>","parse_mode":"HTML"}`,
		string(rec.last(t).Body))
}

func TestCopyCaptionLimitCountsUTF16Units(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"copyMessage", okResponder(t, map[string]any{"message_id": 1}))
	copyWith := func(caption string, mode telegram.ParseMode) error {
		_, err := c.CopyMessage(t.Context(), &telegram.CopyMessageRequest{ChatID: telegram.ChatIDInt(1), FromChatID: telegram.ChatIDInt(2),
			MessageID: 3, Caption: &caption, ParseMode: mode})
		return err
	}
	require.NoError(t, copyWith(emoji(512), ""), "512 emoji = 1024 units")
	require.NoError(t, copyWith(strings.Repeat("я", 1024), ""))
	require.NoError(t, copyWith("<b>"+strings.Repeat("я", 1024)+"</b>", telegram.ParseModeHTML), "markup is not counted")
	assert.Equal(t, 3, mt.GetTotalCallCount())

	err := copyWith(emoji(512)+"x", "")
	var ve *telegram.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "copyMessage", ve.Method)
	assert.Equal(t, "caption", ve.Field)
	assert.Contains(t, ve.Reason, "1025 UTF-16 units")
	assert.Equal(t, 3, mt.GetTotalCallCount(), "nothing sent")
}

func TestDeleteMessagesEncoding(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"deleteMessages", rec.wrap(okResponder(t, true)))
	require.NoError(t, c.DeleteMessages(t.Context(), &telegram.DeleteMessagesRequest{
		ChatID: telegram.ChatIDInt(-1001234567890), MessageIDs: []int64{3, 4, 10},
	}))
	r := rec.last(t)
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/bot"+testToken+"/deleteMessages", r.Path)
	assert.Equal(t, "application/json", r.ContentType)
	assert.JSONEq(t, `{"chat_id":-1001234567890,"message_ids":[3,4,10]}`, string(r.Body))

	// The largest batch is accepted.
	ids := make([]int64, telegram.MaxDeleteMessages)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	require.NoError(t, c.DeleteMessages(t.Context(), &telegram.DeleteMessagesRequest{ChatID: telegram.Username("@mincifry"), MessageIDs: ids}))
	var body struct {
		ChatID     string  `json:"chat_id"`
		MessageIDs []int64 `json:"message_ids"`
	}
	require.NoError(t, json.Unmarshal(rec.last(t).Body, &body))
	assert.Equal(t, "@mincifry", body.ChatID)
	assert.Equal(t, ids, body.MessageIDs)
}

func TestForwardCopyDeleteErrors(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	fwd := &telegram.ForwardMessageRequest{ChatID: telegram.ChatIDInt(-1001), FromChatID: telegram.ChatIDInt(-1002), MessageID: 7}
	cp := &telegram.CopyMessageRequest{ChatID: telegram.ChatIDInt(-1001), FromChatID: telegram.ChatIDInt(-1002), MessageID: 7}
	del := &telegram.DeleteMessagesRequest{ChatID: telegram.ChatIDInt(-1001), MessageIDs: []int64{7}}

	t.Run("4xx is final and typed", func(t *testing.T) {
		t.Parallel()
		c, mt := setup(t)
		mt.RegisterResponder(http.MethodPost, apiBase+"forwardMessage", errResponder(400, "Bad Request: message to forward not found", nil))
		mt.RegisterResponder(http.MethodPost, apiBase+"copyMessage", errResponder(400, "Bad Request: chat not found", nil))
		mt.RegisterResponder(http.MethodPost, apiBase+"deleteMessages", errResponder(403, "Forbidden: bot is not a member of the channel chat", nil))
		_, err := c.ForwardMessage(ctx, fwd)
		var te *telegram.Error
		require.ErrorAs(t, err, &te)
		assert.Equal(t, "forwardMessage", te.Method)
		assert.Equal(t, 400, te.Code)
		assert.Equal(t, "Bad Request: message to forward not found", te.Description)
		assert.ErrorIs(t, err, telegram.ErrBadRequest)
		assert.NotErrorIs(t, err, telegram.ErrChatNotFound)
		assert.NotErrorIs(t, err, social.ErrUnknownOutcome)

		_, err = c.CopyMessage(ctx, cp)
		require.ErrorAs(t, err, &te)
		assert.Equal(t, "copyMessage", te.Method)
		assert.ErrorIs(t, err, telegram.ErrChatNotFound)

		err = c.DeleteMessages(ctx, del)
		require.ErrorAs(t, err, &te)
		assert.Equal(t, "deleteMessages", te.Method)
		assert.ErrorIs(t, err, telegram.ErrForbidden)
		noToken(t, err.Error())
		assert.Equal(t, 3, mt.GetTotalCallCount(), "4xx answers are final")
	})

	t.Run("sends are not retried after 5xx", func(t *testing.T) {
		t.Parallel()
		c, mt := setup(t)
		mt.RegisterResponder(http.MethodPost, apiBase+"forwardMessage", seq(errResponder(502, "Bad Gateway", nil), okResponder(t, channelMessage(1))))
		mt.RegisterResponder(http.MethodPost, apiBase+"copyMessage", seq(errResponder(500, "Internal Server Error", nil), okResponder(t, map[string]any{"message_id": 1})))
		_, err := c.ForwardMessage(ctx, fwd)
		require.ErrorIs(t, err, social.ErrUnknownOutcome)
		var te *telegram.Error
		require.ErrorAs(t, err, &te)
		assert.Equal(t, 502, te.Code)
		_, err = c.CopyMessage(ctx, cp)
		require.ErrorIs(t, err, social.ErrUnknownOutcome)
		info := mt.GetCallCountInfo()
		assert.Equal(t, 1, info["POST "+apiBase+"forwardMessage"])
		assert.Equal(t, 1, info["POST "+apiBase+"copyMessage"])
	})

	t.Run("sends are retried after 429", func(t *testing.T) {
		t.Parallel()
		c, mt := setup(t)
		mt.RegisterResponder(http.MethodPost, apiBase+"forwardMessage", seq(errResponder(429, "Too Many Requests", nil), okResponder(t, channelMessage(9))))
		mt.RegisterResponder(http.MethodPost, apiBase+"copyMessage", seq(errResponder(429, "Too Many Requests", nil), okResponder(t, map[string]any{"message_id": 10})))
		m, err := c.ForwardMessage(ctx, fwd)
		require.NoError(t, err)
		assert.Equal(t, int64(9), m.MessageID)
		id, err := c.CopyMessage(ctx, cp)
		require.NoError(t, err)
		assert.Equal(t, int64(10), id.MessageID)
		assert.Equal(t, 4, mt.GetTotalCallCount())
	})

	t.Run("deleteMessages is retried after 5xx", func(t *testing.T) {
		t.Parallel()
		c, mt := setup(t)
		mt.RegisterResponder(http.MethodPost, apiBase+"deleteMessages", seq(errResponder(502, "Bad Gateway", nil), okResponder(t, true)))
		require.NoError(t, c.DeleteMessages(ctx, del))
		assert.Equal(t, 2, mt.GetTotalCallCount())
	})
}

func TestForwardCopyDeleteValidationSendsNothing(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	ctx := t.Context()
	ch, from := telegram.ChatIDInt(-1001234567890), telegram.ChatIDInt(-1009876543210)
	forward := func(r *telegram.ForwardMessageRequest) func() error {
		return func() error { _, err := c.ForwardMessage(ctx, r); return err }
	}
	copyMsg := func(r *telegram.CopyMessageRequest) func() error {
		return func() error { _, err := c.CopyMessage(ctx, r); return err }
	}
	deleteMsgs := func(r *telegram.DeleteMessagesRequest) func() error {
		return func() error { return c.DeleteMessages(ctx, r) }
	}
	for _, tc := range []struct {
		name, method, field string
		call                func() error
	}{
		{"forward nil", "forwardMessage", "request", forward(nil)},
		{"forward no chat", "forwardMessage", "chat_id", forward(&telegram.ForwardMessageRequest{FromChatID: from, MessageID: 1})},
		{"forward no source", "forwardMessage", "from_chat_id", forward(&telegram.ForwardMessageRequest{ChatID: ch, MessageID: 1})},
		{"forward bad source username", "forwardMessage", "from_chat_id",
			forward(&telegram.ForwardMessageRequest{ChatID: ch, FromChatID: telegram.Username("@ab"), MessageID: 1})},
		{"forward no message", "forwardMessage", "message_id", forward(&telegram.ForwardMessageRequest{ChatID: ch, FromChatID: from})},
		{"forward negative message", "forwardMessage", "message_id",
			forward(&telegram.ForwardMessageRequest{ChatID: ch, FromChatID: from, MessageID: -1})},
		{"copy nil", "copyMessage", "request", copyMsg(nil)},
		{"copy bad chat username", "copyMessage", "chat_id",
			copyMsg(&telegram.CopyMessageRequest{ChatID: telegram.Username("@bad-name"), FromChatID: from, MessageID: 1})},
		{"copy no source", "copyMessage", "from_chat_id", copyMsg(&telegram.CopyMessageRequest{ChatID: ch, MessageID: 1})},
		{"copy no message", "copyMessage", "message_id", copyMsg(&telegram.CopyMessageRequest{ChatID: ch, FromChatID: from})},
		{"copy caption too long", "copyMessage", "caption",
			copyMsg(&telegram.CopyMessageRequest{ChatID: ch, FromChatID: from, MessageID: 1, Caption: new(strings.Repeat("я", 1025))})},
		{"delete nil", "deleteMessages", "request", deleteMsgs(nil)},
		{"delete no chat", "deleteMessages", "chat_id", deleteMsgs(&telegram.DeleteMessagesRequest{MessageIDs: []int64{1}})},
		{"delete no ids", "deleteMessages", "message_ids", deleteMsgs(&telegram.DeleteMessagesRequest{ChatID: ch})},
		{"delete empty ids", "deleteMessages", "message_ids", deleteMsgs(&telegram.DeleteMessagesRequest{ChatID: ch, MessageIDs: []int64{}})},
		{"delete 101 ids", "deleteMessages", "message_ids",
			deleteMsgs(&telegram.DeleteMessagesRequest{ChatID: ch, MessageIDs: make101()})},
		{"delete zero id", "deleteMessages", "message_ids[1]", deleteMsgs(&telegram.DeleteMessagesRequest{ChatID: ch, MessageIDs: []int64{5, 0}})},
		{"delete negative id", "deleteMessages", "message_ids[0]", deleteMsgs(&telegram.DeleteMessagesRequest{ChatID: ch, MessageIDs: []int64{-5}})},
	} {
		err := tc.call()
		require.ErrorIs(t, err, telegram.ErrInvalidRequest, tc.name)
		var ve *telegram.ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		assert.Equal(t, tc.method, ve.Method, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
		assert.NotEmpty(t, ve.Reason, tc.name)
	}
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

// make101 returns 101 valid message ids, one more than deleteMessages takes.
func make101() []int64 {
	ids := make([]int64, telegram.MaxDeleteMessages+1)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	return ids
}

func TestForwardCopyLimiterKeys(t *testing.T) {
	t.Parallel()
	lim := &fakeLimiter{}
	c, mt := setup(t, core.WithLimiter(lim))
	group := channelMessage(1)
	group["chat"] = map[string]any{"id": -1009876543210, "type": "supergroup", "title": "Обсуждение"}
	mt.RegisterResponder(http.MethodPost, apiBase+"forwardMessage", okResponder(t, group))
	mt.RegisterResponder(http.MethodPost, apiBase+"copyMessage", okResponder(t, map[string]any{"message_id": 2}))
	mt.RegisterResponder(http.MethodPost, apiBase+"deleteMessages", okResponder(t, true))
	ctx := t.Context()
	src := telegram.ChatIDInt(-1001234567890)
	forward := func(to telegram.ChatID) {
		_, err := c.ForwardMessage(ctx, &telegram.ForwardMessageRequest{ChatID: to, FromChatID: src, MessageID: 1})
		require.NoError(t, err)
	}
	copyTo := func(to telegram.ChatID) {
		_, err := c.CopyMessage(ctx, &telegram.CopyMessageRequest{ChatID: to, FromChatID: src, MessageID: 1})
		require.NoError(t, err)
	}
	copyTo(telegram.ChatIDInt(42))              // private
	copyTo(telegram.Username("@MinCifry"))      // username, lower-cased
	copyTo(telegram.ChatIDInt(-123456))         // basic group
	forward(telegram.ChatIDInt(-1009876543210)) // unknown kind: chat; the answer shows a supergroup
	forward(telegram.ChatIDInt(-1009876543210)) // learned: group
	copyTo(telegram.ChatIDInt(-1009876543210))  // a copy answer has no chat, but the kind is remembered
	require.NoError(t, c.DeleteMessages(ctx, &telegram.DeleteMessagesRequest{ChatID: telegram.ChatIDInt(42), MessageIDs: []int64{1, 2}}))
	assert.Equal(t, wantKeys(
		"chat:42", "chat:@mincifry", "group:-123456", "chat:-1009876543210", "group:-1009876543210", "group:-1009876543210",
	), lim.got(), "copies and forwards are paced under the destination chat, never the source; deletions are not paced")
}
