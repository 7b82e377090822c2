package telegram_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

// publisherSetup registers every send method with a recorder; each answer
// carries an increasing message id.
func publisherSetup(t *testing.T) (*telegram.Client, *recorder, func(method string, r func(*http.Request) (*http.Response, error))) {
	t.Helper()
	c, mt := setup(t)
	rec := &recorder{}
	var mu sync.Mutex
	next := int64(100)
	answer := func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		next++
		if strings.HasSuffix(req.URL.Path, "/sendMediaGroup") {
			var n int
			if strings.HasPrefix(req.Header.Get("Content-Type"), "application/json") {
				var body struct{ Media []json.RawMessage }
				_ = json.NewDecoder(req.Body).Decode(&body)
				n = len(body.Media)
			} else {
				_ = req.ParseMultipartForm(1 << 20)
				var media []json.RawMessage
				_ = json.Unmarshal([]byte(req.FormValue("media")), &media)
				n = len(media)
			}
			msgs := make([]any, n)
			for i := range msgs {
				msgs[i] = channelMessage(next + int64(i))
			}
			next += int64(n)
			return okResponder(t, msgs)(req)
		}
		return okResponder(t, channelMessage(next))(req)
	}
	for _, m := range []string{"sendMessage", "sendPhoto", "sendVideo", "sendDocument", "sendMediaGroup", "sendPoll"} {
		mt.RegisterResponder(http.MethodPost, apiBase+m, rec.wrap(answer))
	}
	override := func(method string, r func(*http.Request) (*http.Response, error)) {
		mt.RegisterResponder(http.MethodPost, apiBase+method, rec.wrap(r))
	}
	return c, rec, override
}

func methods(rec *recorder) []string {
	var out []string
	for _, r := range rec.all() {
		out = append(out, r.Path[strings.LastIndexByte(r.Path, '/')+1:])
	}
	return out
}

func TestPublisherPage(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	p := c.Publisher(telegram.Username("@mincifry"), telegram.WithPageName("Минцифры"))
	assert.Equal(t, social.PageInfo{Network: social.Telegram, ID: "@mincifry", Name: "Минцифры", URL: "https://t.me/mincifry"}, p.Page())
	p = c.Publisher(telegram.ChatIDInt(-1001234567890))
	assert.Equal(t, social.PageInfo{Network: social.Telegram, ID: "-1001234567890"}, p.Page())
}

func TestPublishTextWithLink(t *testing.T) {
	t.Parallel()
	c, rec, _ := publisherSetup(t)
	p := c.Publisher(telegram.ChatIDInt(-1001234567890), telegram.WithoutLinkPreview(), telegram.WithSilentPosts())
	rc, err := p.Publish(t.Context(), social.Post{Text: "Новость", Link: &social.Link{URL: "https://gosuslugi.ru/x", Title: "Подробнее"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"sendMessage"}, methods(rec))
	assert.JSONEq(t, `{"chat_id":-1001234567890,"text":"Новость\n\nПодробнее\nhttps://gosuslugi.ru/x",
		"link_preview_options":{"is_disabled":true},"disable_notification":true}`, string(rec.last(t).Body))
	post := social.Post{Text: "Новость", Link: &social.Link{URL: "https://gosuslugi.ru/x", Title: "Подробнее"}}
	assert.Equal(t, social.Receipt{Network: social.Telegram, PageID: "-1001234567890", PostID: "101",
		Parts: []social.Part{{ID: "101", Kind: social.PartText, HasText: true}}, Key: post.StableKey(),
		URL: "https://t.me/mincifry/101", PublishedAt: time.Unix(1767225600, 0)}, rc, "username learned from the answer")
}

func TestPublishOnePhotoWithCaption(t *testing.T) {
	t.Parallel()
	c, rec, _ := publisherSetup(t)
	p := c.Publisher(telegram.Username("@mincifry"))
	rc, err := p.Publish(t.Context(), social.Post{Text: "Открытие МФЦ", Media: []social.Media{
		{Kind: social.Photo, Filename: "mfc.jpg", ContentType: "image/jpeg", Data: []byte("JPEG")},
	}})
	require.NoError(t, err)
	assert.Equal(t, []string{"sendPhoto"}, methods(rec))
	fields, files := multipartBody(t, rec.last(t))
	assert.Equal(t, map[string]string{"chat_id": "@mincifry", "caption": "Открытие МФЦ"}, fields)
	assert.Equal(t, part{Name: "photo", Filename: "mfc.jpg", ContentType: "image/jpeg", Data: []byte("JPEG")}, files["photo"])
	assert.Equal(t, "https://t.me/mincifry/101", rc.URL)
}

func TestPublishLongTextGoesAfterMedia(t *testing.T) {
	t.Parallel()
	c, rec, _ := publisherSetup(t)
	long := strings.Repeat("Текст. ", 200) // 1400 units: too long for a caption
	rc, err := c.Publisher(telegram.ChatIDInt(-100555)).Publish(t.Context(), social.Post{Text: long, Media: []social.Media{
		social.MediaFromURL(social.Video, "https://gov.example/v.mp4"),
	}})
	require.NoError(t, err)
	assert.Equal(t, []string{"sendVideo", "sendMessage"}, methods(rec))
	all := rec.all()
	assert.JSONEq(t, `{"chat_id":-100555,"video":"https://gov.example/v.mp4"}`, string(all[0].Body))
	assert.Equal(t, "101", rc.PostID, "the receipt points at the first message")
	assert.Equal(t, []social.Part{{ID: "101", Kind: social.PartVideo}, {ID: "102", Kind: social.PartText, HasText: true}}, rc.Parts)
}

func TestPublishAlbumAndPoll(t *testing.T) {
	t.Parallel()
	c, rec, _ := publisherSetup(t)
	post := social.Post{
		Text: "Итоги недели",
		Media: []social.Media{
			{Kind: social.Photo, Data: []byte("one")},
			social.MediaFromURL(social.Document, "https://gov.example/report.pdf"),
			social.MediaFromURL(social.Photo, "https://gov.example/two.jpg"),
		},
		Poll: &social.Poll{Question: "Полезно?", Options: []string{"Да", "Нет"}},
	}
	rc, err := c.Publisher(telegram.ChatIDInt(-100555)).Publish(t.Context(), post)
	require.NoError(t, err)
	assert.Equal(t, []string{"sendMediaGroup", "sendDocument", "sendPoll"}, methods(rec))
	all := rec.all()
	fields, files := multipartBody(t, all[0])
	assert.JSONEq(t, `[{"type":"photo","media":"attach://file0","caption":"Итоги недели"},
		{"type":"photo","media":"https://gov.example/two.jpg"}]`, fields["media"])
	assert.Equal(t, "photo.jpg", files["file0"].Filename)
	assert.JSONEq(t, `{"chat_id":-100555,"document":"https://gov.example/report.pdf"}`, string(all[1].Body))
	assert.JSONEq(t, `{"chat_id":-100555,"question":"Полезно?","options":[{"text":"Да"},{"text":"Нет"}],"is_anonymous":true}`,
		string(all[2].Body), "polls in channels are anonymous")
	assert.Equal(t, "101", rc.PostID)
	assert.Equal(t, []social.Part{
		{ID: "101", Kind: social.PartPhoto, HasText: true}, {ID: "102", Kind: social.PartPhoto},
		{ID: "104", Kind: social.PartDocument}, {ID: "105", Kind: social.PartPoll},
	}, rc.Parts, "every message of the album, the document and the poll")
	assert.Equal(t, post.StableKey(), rc.Key)
}

func TestPublishManyMediaSplitsAlbums(t *testing.T) {
	t.Parallel()
	c, rec, _ := publisherSetup(t)
	var media []social.Media
	for range 11 {
		media = append(media, social.MediaFromURL(social.Photo, "https://gov.example/p.jpg"))
	}
	rc, err := c.Publisher(telegram.ChatIDInt(-100555)).Publish(t.Context(), social.Post{Media: media})
	require.NoError(t, err)
	assert.Equal(t, []string{"sendMediaGroup", "sendMediaGroup"}, methods(rec))
	require.Len(t, rc.Parts, 11, "both albums, every item")
	for _, pt := range rc.Parts {
		assert.Equal(t, social.PartPhoto, pt.Kind)
		assert.False(t, pt.HasText)
	}
	var first struct{ Media []any }
	require.NoError(t, json.Unmarshal(rec.all()[0].Body, &first))
	assert.Len(t, first.Media, 9, "11 items: 9 + 2, never an album of one")
}

func TestPublishPartialFailureKeepsReceipt(t *testing.T) {
	t.Parallel()
	c, rec, override := publisherSetup(t)
	override("sendPoll", errResponder(400, "Bad Request: poll can't have more than 12 options", nil))
	rc, err := c.Publisher(telegram.Username("@mincifry")).Publish(t.Context(), social.Post{
		Text: "Голосование", Poll: &social.Poll{Question: "?", Options: []string{"a", "b"}},
	})
	require.Error(t, err)
	assert.Equal(t, "101", rc.PostID)
	assert.Equal(t, "https://t.me/mincifry/101", rc.URL)
	assert.Equal(t, []social.Part{{ID: "101", Kind: social.PartText, HasText: true}}, rc.Parts, "the receipt lists what was published")
	var pe *social.PartialPublishError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, []string{"101"}, pe.PartIDs)
	assert.Equal(t, 2, pe.Total)
	assert.Equal(t, "telegram.publish", pe.Operation)
	assert.ErrorIs(t, err, social.ErrPartiallyPublished, "a partly published post must not be republished blindly")
	assert.NotErrorIs(t, err, social.ErrUnknownOutcome, "the poll was refused: its outcome is known")
	assert.ErrorIs(t, err, telegram.ErrBadRequest)
	assert.Equal(t, []string{"sendMessage", "sendPoll"}, methods(rec))

	// FanOut reports it as partially published, with the receipt and
	// Telegram's code.
	rep := social.FanOut(t.Context(), social.Post{Text: "Голосование", Poll: &social.Poll{Question: "?", Options: []string{"a", "b"}}},
		c.Publisher(telegram.Username("@mincifry")))
	assert.Equal(t, 1, rep.PartiallyPublished)
	assert.Equal(t, social.PartiallyPublished, rep.Results[0].Outcome)
	assert.Equal(t, "400", rep.Results[0].Code)
	assert.Len(t, rep.Results[0].Receipt.Parts, 1)
}

func TestPublishFirstFailureReturnsNoReceipt(t *testing.T) {
	t.Parallel()
	c, _, override := publisherSetup(t)
	override("sendMessage", errResponder(403, "Forbidden: bot is not a member of the channel chat", nil))
	rc, err := c.Publisher(telegram.ChatIDInt(-100555)).Publish(t.Context(), social.Post{Text: "x"})
	require.ErrorIs(t, err, telegram.ErrForbidden)
	assert.Equal(t, social.Receipt{}, rc)
	var pe *social.PartialPublishError
	assert.False(t, errors.As(err, &pe))
}

func TestPublishChecksBeforeSending(t *testing.T) {
	t.Parallel()
	c, rec, _ := publisherSetup(t)
	p := c.Publisher(telegram.ChatIDInt(-100555))
	ctx := t.Context()
	for name, post := range map[string]social.Post{
		"empty":         {},
		"scheduled":     {Text: "later", PublishAt: time.Now().Add(time.Hour)},
		"text too long": {Text: strings.Repeat("я", 4097)},
		"13 options":    {Poll: &social.Poll{Question: "?", Options: strings.Split("a,b,c,d,e,f,g,h,i,j,k,l,m", ",")}},
		"long question": {Poll: &social.Poll{Question: strings.Repeat("?", 301), Options: []string{"a", "b"}}},
		"long caption":  {Media: []social.Media{{Kind: social.Photo, URL: "https://x/y.jpg", Caption: strings.Repeat("я", 1025)}}},
	} {
		_, err := p.Publish(ctx, post)
		require.Error(t, err, name)
	}
	_, err := p.Publish(ctx, social.Post{Text: "later", PublishAt: time.Now().Add(time.Hour)})
	require.ErrorIs(t, err, telegram.ErrScheduleUnsupported)
	_, err = c.Publisher(telegram.ChatID{}).Publish(ctx, social.Post{Text: "x"})
	require.ErrorIs(t, err, telegram.ErrInvalidRequest)
	assert.Empty(t, rec.all())
}

func TestFanOutToChannels(t *testing.T) {
	t.Parallel()
	c, rec, _ := publisherSetup(t)
	rep := social.FanOut(t.Context(), social.Post{Text: "Всем каналам"},
		c.Publisher(telegram.Username("@mincifry")), c.Publisher(telegram.Username("@gosuslugi")))
	assert.Equal(t, 2, rep.Published)
	assert.Len(t, rec.all(), 2)
}
