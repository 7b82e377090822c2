package telegram_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

// fixedClock is a core.Clock standing at one instant.
type fixedClock struct{ at time.Time }

func (c fixedClock) Now() time.Time                    { return c.at }
func (c fixedClock) NewTimer(time.Duration) core.Timer { panic("not used") }

const chanID = -1001234567890

func photoReceipt() social.Receipt {
	return social.Receipt{Network: social.Telegram, PageID: strconv.Itoa(chanID), PostID: "101",
		Parts: []social.Part{{ID: "101", Kind: social.PartPhoto, HasText: true}, {ID: "102", Kind: social.PartPhoto},
			{ID: "103", Kind: social.PartPoll}}}
}

func photoPost(text string) social.Post {
	return social.Post{Text: text, Media: []social.Media{
		social.MediaFromURL(social.Photo, "https://gov.example/1.jpg"), social.MediaFromURL(social.Photo, "https://gov.example/2.jpg")},
		Poll: &social.Poll{Question: "?", Options: []string{"a", "b"}}}
}

func TestEditChangesTheCaptionThatHoldsTheText(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"editMessageCaption", rec.wrap(okResponder(t, channelMessage(101))))
	p := c.Publisher(telegram.ChatIDInt(chanID))
	rc := photoReceipt()
	out, err := p.Edit(t.Context(), rc, photoPost("Исправлено"))
	require.NoError(t, err)
	assert.JSONEq(t, `{"chat_id":-1001234567890,"message_id":101,"caption":"Исправлено"}`, string(rec.last(t).Body))
	assert.Equal(t, rc, out)
}

func TestEditChangesTheTextMessage(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"editMessageText", rec.wrap(okResponder(t, channelMessage(102))))
	p := c.Publisher(telegram.ChatIDInt(chanID), telegram.WithoutLinkPreview())
	rc := social.Receipt{Network: social.Telegram, PageID: strconv.Itoa(chanID), PostID: "101",
		Parts: []social.Part{{ID: "101", Kind: social.PartVideo}, {ID: "102", Kind: social.PartText, HasText: true}}}
	post := social.Post{Text: strings.Repeat("я", 2000), Link: &social.Link{URL: "https://gosuslugi.ru"},
		Media: []social.Media{social.MediaFromURL(social.Video, "https://gov.example/v.mp4")}}
	_, err := p.Edit(t.Context(), rc, post)
	require.NoError(t, err)
	assert.JSONEq(t, `{"chat_id":-1001234567890,"message_id":102,"text":"`+strings.Repeat("я", 2000)+`\n\nhttps://gosuslugi.ru",
		"link_preview_options":{"is_disabled":true}}`, string(rec.last(t).Body))
}

func TestEditToTheSameTextSucceeds(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterResponder(http.MethodPost, apiBase+"editMessageCaption",
		errResponder(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same", nil))
	_, err := c.Publisher(telegram.ChatIDInt(chanID)).Edit(t.Context(), photoReceipt(), photoPost("Та же"))
	require.NoError(t, err, "a repeated edit is not an error")

	mt.RegisterResponder(http.MethodPost, apiBase+"editMessageCaption", errResponder(403, "Forbidden: not enough rights", nil))
	_, err = c.Publisher(telegram.ChatIDInt(chanID)).Edit(t.Context(), photoReceipt(), photoPost("Та же"))
	require.ErrorIs(t, err, telegram.ErrForbidden)
}

func TestEditAddsTextToAMediaOnlyPost(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"editMessageCaption", rec.wrap(okResponder(t, channelMessage(101))))
	p := c.Publisher(telegram.ChatIDInt(chanID))
	rc := photoReceipt()
	rc.Parts[0].HasText = false
	out, err := p.Edit(t.Context(), rc, photoPost("Подпись"))
	require.NoError(t, err)
	assert.JSONEq(t, `{"chat_id":-1001234567890,"message_id":101,"caption":"Подпись"}`, string(rec.last(t).Body))
	assert.True(t, out.Parts[0].HasText, "the returned receipt says where the text is now")
	assert.False(t, rc.Parts[0].HasText, "the given receipt is not modified")

	// Removing the caption again.
	out, err = p.Edit(t.Context(), out, photoPost(""))
	require.NoError(t, err)
	assert.JSONEq(t, `{"chat_id":-1001234567890,"message_id":101,"caption":""}`, string(rec.last(t).Body))
	assert.False(t, out.Parts[0].HasText)
	// Nothing to do for an empty text where no part holds text.
	n := len(rec.all())
	_, err = p.Edit(t.Context(), out, photoPost(""))
	require.NoError(t, err)
	assert.Len(t, rec.all(), n)
}

func TestEditRefusesWhatTheBotAPICannotChange(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	for _, m := range []string{"editMessageText", "editMessageCaption"} {
		mt.RegisterResponder(http.MethodPost, apiBase+m, rec.wrap(okResponder(t, channelMessage(101))))
	}
	p := c.Publisher(telegram.ChatIDInt(chanID))
	ctx := t.Context()
	textOnly := social.Receipt{Network: social.Telegram, PageID: strconv.Itoa(chanID), PostID: "5",
		Parts: []social.Part{{ID: "5", Kind: social.PartText, HasText: true}}}
	pollOnly := social.Receipt{Network: social.Telegram, PageID: strconv.Itoa(chanID), PostID: "6",
		Parts: []social.Part{{ID: "6", Kind: social.PartPoll}}}

	unsupported := map[string]struct {
		rc   social.Receipt
		post social.Post
	}{
		"a photo added":        {textOnly, social.Post{Text: "x", Media: []social.Media{social.MediaFromURL(social.Photo, "https://x/y.jpg")}}},
		"poll removed":         {photoReceipt(), func() social.Post { p := photoPost("x"); p.Poll = nil; return p }()},
		"text added to a poll": {pollOnly, social.Post{Text: "x", Poll: &social.Poll{Question: "?", Options: []string{"a", "b"}}}},
		"first photo has its own caption": {func() social.Receipt { r := photoReceipt(); r.Parts[0].HasText = false; return r }(),
			func() social.Post { p := photoPost("x"); p.Media[0].Caption = "своя"; return p }()},
	}
	for name, tc := range unsupported {
		_, err := p.Edit(ctx, tc.rc, tc.post)
		require.ErrorIs(t, err, errors.ErrUnsupported, name)
		var ue *social.UnsupportedError
		require.ErrorAs(t, err, &ue, name)
		assert.Equal(t, social.Telegram, ue.Network)
	}

	otherChat := photoReceipt()
	otherChat.PageID = "@other"
	vk := photoReceipt()
	vk.Network = social.VK
	badID := textOnly
	badID.Parts = []social.Part{{ID: "x", Kind: social.PartText, HasText: true}}
	invalid := map[string]struct {
		rc   social.Receipt
		post social.Post
	}{
		"caption too long": {photoReceipt(), photoPost(strings.Repeat("я", 1025))},
		"text too long":    {textOnly, social.Post{Text: strings.Repeat("я", 4097)}},
		"empty text msg": {social.Receipt{Network: social.Telegram, PageID: strconv.Itoa(chanID), PostID: "5",
			Parts: []social.Part{{ID: "5", Kind: social.PartText, HasText: true}, {ID: "6", Kind: social.PartPoll}}},
			social.Post{Poll: &social.Poll{Question: "?", Options: []string{"a", "b"}}}},
		"another chat":     {otherChat, photoPost("x")},
		"another network":  {vk, photoPost("x")},
		"no parts":         {social.Receipt{Network: social.Telegram, PageID: strconv.Itoa(chanID), PostID: "1"}, social.Post{Text: "x"}},
		"not a message id": {badID, social.Post{Text: "x"}},
	}
	for name, tc := range invalid {
		_, err := p.Edit(ctx, tc.rc, tc.post)
		require.ErrorIs(t, err, telegram.ErrInvalidRequest, name)
	}
	_, err := p.Edit(ctx, textOnly, social.Post{})
	require.Error(t, err, "an invalid post")
	assert.Empty(t, rec.all(), "nothing was sent")
}

func TestDeleteRemovesEveryPart(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"deleteMessages", rec.wrap(okResponder(t, true)))
	p := c.Publisher(telegram.Username("@mincifry"))
	rc := social.Receipt{Network: social.Telegram, PageID: "@mincifry", PostID: "1"}
	for i := 1; i <= 150; i++ {
		rc.Parts = append(rc.Parts, social.Part{ID: strconv.Itoa(i), Kind: social.PartPhoto})
	}
	require.NoError(t, p.Delete(t.Context(), rc))
	all := rec.all()
	require.Len(t, all, 2, "batches of 100")
	ids := func(from, to int) string {
		var b []string
		for i := from; i <= to; i++ {
			b = append(b, strconv.Itoa(i))
		}
		return "[" + strings.Join(b, ",") + "]"
	}
	assert.JSONEq(t, `{"chat_id":"@mincifry","message_ids":`+ids(1, 100)+`}`, string(all[0].Body))
	assert.JSONEq(t, `{"chat_id":"@mincifry","message_ids":`+ids(101, 150)+`}`, string(all[1].Body))

	// A receipt without parts deletes its post.
	require.NoError(t, p.Delete(t.Context(), social.Receipt{Network: social.Telegram, PageID: "@mincifry", PostID: "7"}))
	assert.JSONEq(t, `{"chat_id":"@mincifry","message_ids":[7]}`, string(rec.last(t).Body))

	for name, bad := range map[string]social.Receipt{
		"another chat": {Network: social.Telegram, PageID: "@other", PostID: "7"},
		"empty":        {Network: social.Telegram, PageID: "@mincifry"},
		"bad id":       {Network: social.Telegram, PageID: "@mincifry", Parts: []social.Part{{ID: "-3"}}},
	} {
		require.ErrorIs(t, p.Delete(t.Context(), bad), telegram.ErrInvalidRequest, name)
	}
	assert.Len(t, rec.all(), 3)
}

func TestPageStatsAndPostStats(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"getChatMemberCount", rec.wrap(okResponder(t, 1520)))
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	p := c.Publisher(telegram.Username("@mincifry"), telegram.WithPublishClock(fixedClock{at}))
	st, err := p.PageStats(t.Context())
	require.NoError(t, err)
	assert.Equal(t, social.PageStats{Subscribers: 1520, Available: social.MetricSubscribers, At: at}, st)
	assert.JSONEq(t, `{"chat_id":"@mincifry"}`, string(rec.last(t).Body))
	assert.False(t, st.Available.Has(social.MetricViews), "views are unknown, not zero")

	_, err = p.PostStats(t.Context(), social.Receipt{Network: social.Telegram, PageID: "@mincifry", PostID: "1"})
	require.ErrorIs(t, err, errors.ErrUnsupported)
	assert.Contains(t, err.Error(), "Bot API")
	assert.Len(t, rec.all(), 1, "post statistics send nothing")

	mt.RegisterResponder(http.MethodPost, apiBase+"getChatMemberCount", errResponder(400, "Bad Request: chat not found", nil))
	_, err = p.PageStats(t.Context())
	require.ErrorIs(t, err, telegram.ErrChatNotFound)
}

func TestPublishAtIsJudgedOnTheSuppliedClock(t *testing.T) {
	t.Parallel()
	c, rec, _ := publisherSetup(t)
	// The scheduler's clock is two days ahead of the system clock (an
	// advanced sandbox clock); the post is due on it.
	ahead := fixedClock{time.Now().Add(48 * time.Hour)}
	post := social.Post{Text: "по расписанию", PublishAt: ahead.at}

	_, err := c.Publisher(telegram.ChatIDInt(chanID), telegram.WithPublishClock(ahead)).Publish(t.Context(), post)
	require.NoError(t, err, "the publisher's own clock")
	_, err = c.Publisher(telegram.ChatIDInt(chanID)).Publish(social.WithClock(t.Context(), ahead), post)
	require.NoError(t, err, "the clock carried by the ctx")
	_, err = c.Publisher(telegram.ChatIDInt(chanID)).Publish(t.Context(), post)
	require.ErrorIs(t, err, telegram.ErrScheduleUnsupported, "on the client's clock it is early")
	rep := social.FanOutOptions{Clock: ahead}.Run(t.Context(), post, c.Publisher(telegram.ChatIDInt(chanID)))
	assert.Equal(t, social.Published, rep.Results[0].Outcome, "FanOut passes its clock")
	assert.Len(t, rec.all(), 3)

	// A client on the scheduler's clock needs nothing more.
	onClock, mt := setup(t, core.WithClock(ahead))
	mt.RegisterResponder(http.MethodPost, apiBase+"sendMessage", okResponder(t, channelMessage(1)))
	_, err = onClock.Publisher(telegram.ChatIDInt(chanID)).Publish(t.Context(), post)
	require.NoError(t, err, "the client's clock")

	// Still refused when PublishAt is in the future of the supplied clock.
	later := post
	later.PublishAt = ahead.at.Add(2 * time.Minute)
	_, err = c.Publisher(telegram.ChatIDInt(chanID), telegram.WithPublishClock(ahead)).Publish(t.Context(), later)
	require.ErrorIs(t, err, telegram.ErrScheduleUnsupported)
	// Within the one-minute tolerance it is due.
	later.PublishAt = ahead.at.Add(time.Minute)
	_, err = c.Publisher(telegram.ChatIDInt(chanID), telegram.WithPublishClock(ahead)).Publish(t.Context(), later)
	require.NoError(t, err)
}

func TestErrorCodeInFanOutReport(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "403", (&telegram.Error{Code: 403}).ErrorCode())
	var ce core.CodedError = &telegram.Error{Code: 429}
	assert.Equal(t, "429", ce.ErrorCode())

	c, _, override := publisherSetup(t)
	override("sendMessage", errResponder(403, "Forbidden: bot is not a member of the channel chat", nil))
	rep := social.FanOut(t.Context(), social.Post{Text: "x"}, c.Publisher(telegram.ChatIDInt(chanID)))
	require.Equal(t, social.Failed, rep.Results[0].Outcome)
	assert.Equal(t, "403", rep.Results[0].Code)
	assert.Equal(t, 1, rep.Failed)
}

func TestPublishReceiptKeyAndRepeat(t *testing.T) {
	t.Parallel()
	c, rec, _ := publisherSetup(t)
	p := c.Publisher(telegram.ChatIDInt(chanID))
	post := social.Post{Key: "cabinet-post-7", Text: "x"}
	first, err := p.Publish(t.Context(), post)
	require.NoError(t, err)
	second, err := p.Publish(t.Context(), post)
	require.NoError(t, err)
	assert.Equal(t, "cabinet-post-7", first.Key, "the caller's key is kept in the receipt")
	assert.Equal(t, first.Key, second.Key)
	assert.NotEqual(t, first.PostID, second.PostID)
	assert.Len(t, rec.all(), 2, "Telegram cannot de-duplicate: a repeat the caller asks for is sent")
}

// FuzzPublisherReceipt feeds Edit and Delete arbitrary receipts and posts:
// neither panics, a refused call sends nothing, and an accepted one sends
// at most what it must (one edit; one delete per 100 parts).
func FuzzPublisherReceipt(f *testing.F) {
	f.Add([]byte{0x11, 0x02, 0x05}, "Новость", uint8(1), true)
	f.Add([]byte{}, "", uint8(0), false)
	f.Add([]byte{0x10, 0xff}, strings.Repeat("я", 1100), uint8(2), false)
	mt := httpmock.NewMockTransport()
	var sent atomic.Int32
	ok := func(result any) httpmock.Responder {
		return func(req *http.Request) (*http.Response, error) {
			sent.Add(1)
			return httpmock.NewJsonResponse(200, map[string]any{"ok": true, "result": result})
		}
	}
	mt.RegisterResponder(http.MethodPost, apiBase+"editMessageText", ok(channelMessage(1)))
	mt.RegisterResponder(http.MethodPost, apiBase+"editMessageCaption", ok(channelMessage(1)))
	mt.RegisterResponder(http.MethodPost, apiBase+"deleteMessages", ok(true))
	c, err := telegram.New(testToken, core.WithHTTPClient(&http.Client{Transport: mt}), telegram.WithoutRateLimits())
	require.NoError(f, err)
	p := c.Publisher(telegram.ChatIDInt(chanID))
	kinds := []social.PartKind{social.PartText, social.PartPhoto, social.PartVideo, social.PartDocument, social.PartPoll, "", "gif", social.PartText}
	f.Fuzz(func(t *testing.T, spec []byte, text string, media uint8, poll bool) {
		rc := social.Receipt{Network: social.Telegram, PageID: strconv.Itoa(chanID)}
		for i, b := range spec {
			id := strconv.Itoa(int(b>>4) - 1) // "-1" .. "14"
			if i%5 == 4 {
				id = "x" + id
			}
			rc.Parts = append(rc.Parts, social.Part{ID: id, Kind: kinds[b&7], HasText: b&8 != 0})
		}
		post := social.Post{Text: text}
		for range media % 4 {
			post.Media = append(post.Media, social.MediaFromURL(social.Photo, "https://gov.example/p.jpg"))
		}
		if poll {
			post.Poll = &social.Poll{Question: "?", Options: []string{"a", "b"}}
		}
		before := sent.Load()
		_, err := p.Edit(t.Context(), rc, post)
		n := sent.Load() - before
		switch {
		case err == nil:
			if n > 1 {
				t.Fatalf("an edit sent %d requests", n)
			}
		case errors.Is(err, telegram.ErrInvalidRequest), errors.Is(err, errors.ErrUnsupported):
			if n != 0 {
				t.Fatalf("a refused edit sent %d requests: %v", n, err)
			}
		case post.Validate() != nil:
		default:
			t.Fatalf("unexpected edit error: %v", err)
		}
		before = sent.Load()
		err = p.Delete(t.Context(), rc)
		n = sent.Load() - before
		switch {
		case err == nil:
			if want := int32((len(rc.PartIDs()) + 99) / 100); n != want {
				t.Fatalf("a delete of %d parts sent %d requests, want %d", len(rc.PartIDs()), n, want)
			}
		case errors.Is(err, telegram.ErrInvalidRequest):
			if n != 0 {
				t.Fatalf("a refused delete sent %d requests", n)
			}
		default:
			t.Fatalf("unexpected delete error: %v", err)
		}
	})
}
