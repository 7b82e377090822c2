// Integration tests of the client against the module's sandbox (mock.Start):
// every call goes over loopback HTTP to the Telegram emulator, and the tests
// assert what the emulator stored, queued and journaled.
package telegram_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

// startSandbox starts a Telegram-only sandbox for the test.
func startSandbox(t testing.TB, opts ...mock.Option) *mock.Sandbox {
	t.Helper()
	return mock.Start(t, append([]mock.Option{mock.WithParties("telegram")}, opts...)...)
}

// sandboxClient returns a client of the sandbox's bot talking to the
// emulator through the sandbox's fail-closed HTTP client, with fast
// retries, on the sandbox's world clock (worldClock). The default limiter
// stays on unless opts change it.
func sandboxClient(t testing.TB, sb *mock.Sandbox, opts ...core.Option) *telegram.Client {
	t.Helper()
	base := []core.Option{
		core.WithBaseURL(sb.TelegramURL),
		core.WithHTTPClient(sb.HTTPClient()),
		core.WithRetry(3, time.Millisecond, 10*time.Millisecond),
		core.WithClock(worldClock(sb)),
	}
	c, err := telegram.New(sb.Credentials.Telegram.BotToken, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// worldClock returns the client clock of a sandbox: it reads the world
// clock, and every wait of the client (pacing, a 429's retry_after) moves
// the world clock forward at once instead of sleeping, so the emulator's
// flood control sees exactly the time the client waited. Its Slept is the
// total waited.
func worldClock(sb *mock.Sandbox) *coretest.Driven {
	return coretest.NewDriven(sb.Clock.Now, sb.Clock.Advance)
}

// steppedClock returns a virtual clock standing at the world time of sb,
// whose world clock must be frozen (mock.WithFrozenClock).
func steppedClock(sb *mock.Sandbox) *coretest.Clock { return coretest.NewClock(sb.Clock.Now()) }

// runStepped runs f, which makes n message-sending requests (Bot API
// method, journal name) with at most conc in flight, while it steps the
// client's virtual clock clk and the sandbox's frozen world clock
// together: whenever every sender still active waits on a timer and every
// request sent so far has been answered, both clocks jump to the earliest
// timer. The emulator thus sees each request at the instant the client's
// pacing released it, and nothing sleeps. It returns the virtual time f
// took.
func runStepped(tb testing.TB, sb *mock.Sandbox, clk *coretest.Clock, method string, n, conc int, f func()) time.Duration {
	tb.Helper()
	start := clk.Now()
	base := sb.Journal.Count(tgmock.Party, method)
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	ctx, cancel := context.WithCancel(tb.Context())
	defer cancel()
	for {
		seq := sb.Journal.Seq()
		answered := sb.Journal.Count(tgmock.Party, method) - base - tooMany(sb)
		if want := min(conc, n-answered); want > 0 && clk.Pending() >= want {
			at, _ := clk.Next()
			sb.Clock.Set(at) // the emulator's time first, then release
			clk.Set(at)
			continue
		}
		journaled := make(chan struct{})
		wctx, wcancel := context.WithCancel(ctx)
		go func() {
			_, _ = sb.Journal.Await(wctx, world.Filter{AfterSeq: seq})
			close(journaled)
		}()
		select {
		case <-done:
			wcancel()
			return clk.Since(start)
		case <-clk.Changed():
		case <-journaled:
		}
		wcancel()
		<-journaled
	}
}

// calls returns the journal entries of one Bot API method (lower-case name
// as the emulator journals it, e.g. "sendmessage").
func calls(sb *mock.Sandbox, method string) []world.Entry {
	return sb.Journal.Entries(world.Filter{Party: tgmock.Party, Method: method})
}

// statuses returns the HTTP statuses of entries (0: connection dropped).
func statuses(es []world.Entry) []int {
	out := make([]int, len(es))
	for i, e := range es {
		out[i] = e.Status
	}
	return out
}

// tooMany counts the 429 answers the emulator gave, for any method.
func tooMany(sb *mock.Sandbox) int {
	return len(sb.Journal.Entries(world.Filter{Party: tgmock.Party, Status: http.StatusTooManyRequests}))
}

// texts returns the text (or caption) of each stored message.
func texts(ms []tgmock.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text + m.Caption
	}
	return out
}

// pngBytes is a small real PNG (4×4, two colours).
func pngBytes() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for i := range 4 {
		img.Set(i, i, color.RGBA{R: 0xd5, G: 0x2b, B: 0x1e, A: 0xff})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// within fails the test when ch yields nothing in d.
func within[T any](t *testing.T, ch <-chan T, d time.Duration, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(d):
		t.Fatalf("timed out after %s waiting for %s", d, what)
		panic("unreachable")
	}
}

func TestSandboxBotAndChatInfo(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	cr := sb.Credentials.Telegram
	c := sandboxClient(t, sb)
	ctx := t.Context()

	me, err := c.GetMe(ctx)
	require.NoError(t, err)
	assert.Equal(t, cr.BotID, me.ID)
	assert.True(t, me.IsBot)
	assert.Equal(t, cr.BotUsername, me.Username)

	// By id and by @username: the same channel, with its description and
	// photo.
	for _, id := range []telegram.ChatID{telegram.ChatIDInt(cr.ChannelID), telegram.Username(cr.ChannelUsername)} {
		info, err := c.GetChat(ctx, &telegram.GetChatRequest{ChatID: id})
		require.NoError(t, err, id.String())
		assert.Equal(t, cr.ChannelID, info.ID)
		assert.Equal(t, telegram.ChatTypeChannel, info.Type)
		assert.Equal(t, cr.ChannelUsername, "@"+info.Username)
		assert.NotEmpty(t, info.Title)
		assert.NotEmpty(t, info.Description)
		require.NotNil(t, info.Photo)
		assert.NotEmpty(t, info.Photo.BigFileID)
	}
	group, err := c.GetChat(ctx, &telegram.GetChatRequest{ChatID: telegram.ChatIDInt(cr.GroupID)})
	require.NoError(t, err)
	assert.Equal(t, telegram.ChatTypeSupergroup, group.Type)

	admins, err := c.GetChatAdministrators(ctx, &telegram.GetChatAdministratorsRequest{ChatID: telegram.ChatIDInt(cr.ChannelID)})
	require.NoError(t, err)
	byID := map[int64]telegram.ChatMember{}
	for _, a := range admins {
		byID[a.User.ID] = a
	}
	require.Contains(t, byID, cr.BotID)
	bot := byID[cr.BotID]
	assert.Equal(t, telegram.MemberAdministrator, bot.Status)
	assert.True(t, bot.CanPost(), "the seeded bot may post")
	owner := byID[world.DefaultChiefTelegramID]
	assert.True(t, owner.IsOwner())
	assert.True(t, owner.CanPost(), "the owner has every right")
	assert.Len(t, admins, 3, "owner, employee, bot")

	member, err := c.GetChatMember(ctx, &telegram.GetChatMemberRequest{ChatID: telegram.ChatIDInt(cr.ChannelID), UserID: cr.BotID})
	require.NoError(t, err)
	assert.True(t, member.CanPost())
	n, err := c.GetChatMemberCount(ctx, &telegram.GetChatMemberCountRequest{ChatID: telegram.ChatIDInt(cr.ChannelID)})
	require.NoError(t, err)
	assert.Equal(t, 1520, n, "the seeded member count")

	// Reads are journaled once each, with the token only as a fingerprint.
	for _, m := range []string{"getme", "getchatadministrators", "getchatmember", "getchatmembercount"} {
		es := calls(sb, m)
		require.Len(t, es, 1, m)
		assert.Equal(t, http.StatusOK, es[0].Status)
		assert.NotContains(t, es[0].Token, cr.BotToken[len(strconv.FormatInt(cr.BotID, 10))+1:])
	}
	assert.Len(t, calls(sb, "getchat"), 3)
}

func TestSandboxMessagesAreStored(t *testing.T) {
	t.Parallel()
	// Flood control is exercised in faults_test.go; here many messages go
	// to one channel back to back, so the emulator's limits are off.
	sb := startSandbox(t, mock.WithTelegramOptions(tgmock.WithoutLimits()))
	cr := sb.Credentials.Telegram
	c := sandboxClient(t, sb, telegram.WithoutRateLimits())
	ctx := t.Context()
	ch := telegram.ChatIDInt(cr.ChannelID)
	img := pngBytes()

	text, err := c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: ch, Text: "Приём граждан переносится 🏛"})
	require.NoError(t, err)
	assert.Equal(t, cr.ChannelID, text.Chat.ID)
	require.NotNil(t, text.SenderChat, "a channel post is signed by the channel")

	photo, err := c.SendPhoto(ctx, &telegram.SendPhotoRequest{ChatID: ch, Photo: telegram.FileBytes("logo.png", img), Caption: "Логотип"})
	require.NoError(t, err)
	require.NotEmpty(t, photo.Photo)
	// The upload went as multipart: the journal names the file part.
	up := calls(sb, "sendphoto")
	require.Len(t, up, 1)
	assert.Equal(t, "logo.png ("+strconv.Itoa(len(img))+" bytes)", up[0].Params["photo"])

	album, err := c.SendMediaGroup(ctx, &telegram.SendMediaGroupRequest{ChatID: ch, Media: []telegram.InputMedia{
		telegram.NewInputMediaPhoto(telegram.FileBytes("a.png", img), "Альбом"),
		telegram.NewInputMediaPhoto(telegram.FileID(photo.Photo[0].FileID), ""),
	}})
	require.NoError(t, err)
	require.Len(t, album, 2)
	assert.NotEmpty(t, album[0].MediaGroupID)
	assert.Equal(t, album[0].MediaGroupID, album[1].MediaGroupID)

	anon := true
	poll, err := c.SendPoll(ctx, &telegram.SendPollRequest{ChatID: ch, Question: "Удобно ли время приёма?",
		Options: []telegram.InputPollOption{{Text: "Да"}, {Text: "Нет"}}, IsAnonymous: &anon})
	require.NoError(t, err)
	require.NotNil(t, poll.Poll)

	// What the emulator stored, in order.
	stored := sb.Telegram.Messages(cr.ChannelID)
	require.Len(t, stored, 5)
	ids := []int64{text.MessageID, photo.MessageID, album[0].MessageID, album[1].MessageID, poll.MessageID}
	for i, m := range stored {
		assert.Equal(t, ids[i], m.MessageID, "message %d", i)
	}
	assert.Equal(t, "Приём граждан переносится 🏛", stored[0].Text)
	assert.Equal(t, "Логотип", stored[1].Caption)
	assert.NotEmpty(t, stored[1].Photo)
	assert.Equal(t, "Альбом", stored[2].Caption)
	assert.Equal(t, stored[2].MediaGroupID, stored[3].MediaGroupID)
	assert.Equal(t, photo.Photo[0].FileID, stored[3].Photo[0].FileID, "a file sent by id is the same file")
	require.NotNil(t, stored[4].Poll)
	assert.Equal(t, "Удобно ли время приёма?", stored[4].Poll.Question)
	assert.Equal(t, []tgmock.PollOption{{Text: "Да"}, {Text: "Нет"}}, stored[4].Poll.Options)
	assert.True(t, stored[4].Poll.IsAnonymous)

	// The uploaded bytes come back unchanged.
	f, err := c.GetFile(ctx, &telegram.GetFileRequest{FileID: photo.Photo[len(photo.Photo)-1].FileID})
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = c.DownloadFile(ctx, &telegram.DownloadFileRequest{FilePath: f.FilePath}, &buf)
	require.NoError(t, err)
	assert.Equal(t, img, buf.Bytes())

	// Edits change the stored message and set its edit date.
	edited, err := c.EditMessageText(ctx, &telegram.EditMessageTextRequest{ChatID: ch, MessageID: text.MessageID, Text: "Приём граждан переносится на 10:00"})
	require.NoError(t, err)
	assert.NotZero(t, edited.EditDate)
	_, err = c.EditMessageText(ctx, &telegram.EditMessageTextRequest{ChatID: ch, MessageID: text.MessageID, Text: "Приём граждан переносится на 10:00"})
	require.ErrorIs(t, err, telegram.ErrMessageNotModified)
	_, err = c.EditMessageCaption(ctx, &telegram.EditMessageCaptionRequest{ChatID: ch, MessageID: photo.MessageID, Caption: "Новый логотип"})
	require.NoError(t, err)
	stored = sb.Telegram.Messages(cr.ChannelID)
	assert.Equal(t, "Приём граждан переносится на 10:00", stored[0].Text)
	assert.NotZero(t, stored[0].EditDate)
	assert.Equal(t, "Новый логотип", stored[1].Caption)

	// Pin, then read the pinned message back through getChat.
	require.NoError(t, c.PinChatMessage(ctx, &telegram.PinChatMessageRequest{ChatID: ch, MessageID: poll.MessageID, DisableNotification: true}))
	assert.Equal(t, []int64{poll.MessageID}, sb.Telegram.Pinned(cr.ChannelID))
	info, err := c.GetChat(ctx, &telegram.GetChatRequest{ChatID: ch})
	require.NoError(t, err)
	require.NotNil(t, info.PinnedMessage)
	assert.Equal(t, poll.MessageID, info.PinnedMessage.MessageID)
	require.NoError(t, c.UnpinChatMessage(ctx, &telegram.UnpinChatMessageRequest{ChatID: ch, MessageID: poll.MessageID}))
	assert.Empty(t, sb.Telegram.Pinned(cr.ChannelID))

	// Delete removes the message; deleting it again is a clear 400.
	require.NoError(t, c.DeleteMessage(ctx, &telegram.DeleteMessageRequest{ChatID: ch, MessageID: album[1].MessageID}))
	stored = sb.Telegram.Messages(cr.ChannelID)
	require.Len(t, stored, 4)
	for _, m := range stored {
		assert.NotEqual(t, album[1].MessageID, m.MessageID)
	}
	err = c.DeleteMessage(ctx, &telegram.DeleteMessageRequest{ChatID: ch, MessageID: album[1].MessageID})
	require.ErrorIs(t, err, telegram.ErrBadRequest)
	assert.Contains(t, err.Error(), "message to delete not found")

	// Each send went out exactly once.
	for _, m := range []string{"sendmessage", "sendphoto", "sendmediagroup", "sendpoll"} {
		assert.Equal(t, []int{200}, statuses(calls(sb, m)), m)
	}
}

// TestSandboxMediaGroupOfOne sends a media group of one item, which the
// official server accepts and sends as a plain message without a
// media_group_id; eleven items are refused before anything is sent.
func TestSandboxMediaGroupOfOne(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, mock.WithTelegramOptions(tgmock.WithoutLimits()))
	cr := sb.Credentials.Telegram
	c := sandboxClient(t, sb, telegram.WithoutRateLimits())
	ch := telegram.ChatIDInt(cr.ChannelID)

	one, err := c.SendMediaGroup(t.Context(), &telegram.SendMediaGroupRequest{ChatID: ch, Media: []telegram.InputMedia{
		telegram.NewInputMediaPhoto(telegram.FileBytes("one.png", pngBytes()), "Одно фото"),
	}})
	require.NoError(t, err)
	require.Len(t, one, 1)
	assert.Empty(t, one[0].MediaGroupID, "a group of one is a plain message")
	assert.Equal(t, "Одно фото", one[0].Caption)
	require.NotEmpty(t, one[0].Photo)
	stored := sb.Telegram.Messages(cr.ChannelID)
	require.Len(t, stored, 1)
	assert.Equal(t, one[0].MessageID, stored[0].MessageID)
	assert.Equal(t, []int{200}, statuses(calls(sb, "sendmediagroup")))

	media := make([]telegram.InputMedia, telegram.MaxMediaGroupSize+1)
	for i := range media {
		media[i] = telegram.NewInputMediaPhoto(telegram.FileID(one[0].Photo[0].FileID), "")
	}
	_, err = c.SendMediaGroup(t.Context(), &telegram.SendMediaGroupRequest{ChatID: ch, Media: media})
	require.ErrorIs(t, err, telegram.ErrInvalidRequest)
	_, err = c.SendMediaGroup(t.Context(), &telegram.SendMediaGroupRequest{ChatID: ch})
	require.ErrorIs(t, err, telegram.ErrInvalidRequest)
	assert.Len(t, calls(sb, "sendmediagroup"), 1, "refused groups are not sent")
}

func TestSandboxPublisherPost(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, mock.WithTelegramOptions(tgmock.WithoutLimits()))
	cr := sb.Credentials.Telegram
	c := sandboxClient(t, sb, telegram.WithoutRateLimits())
	pub := c.Publisher(telegram.ChatIDInt(cr.ChannelID), telegram.WithPublicUsername(cr.ChannelUsername))

	rc, err := pub.Publish(t.Context(), social.Post{
		Text:  "Открыт приём заявок",
		Link:  &social.Link{URL: "https://www.gosuslugi.ru/"},
		Media: []social.Media{{Kind: social.Photo, Data: pngBytes()}, {Kind: social.Photo, Data: pngBytes()}},
		Poll:  &social.Poll{Question: "Подадите заявку?", Options: []string{"Да", "Нет"}},
	})
	require.NoError(t, err)
	stored := sb.Telegram.Messages(cr.ChannelID)
	require.Len(t, stored, 3, "an album of two photos, then the poll")
	assert.Equal(t, strconv.FormatInt(stored[0].MessageID, 10), rc.PostID)
	assert.Equal(t, "https://t.me/"+cr.ChannelUsername[1:]+"/"+rc.PostID, rc.URL)
	assert.Equal(t, "Открыт приём заявок\n\nhttps://www.gosuslugi.ru/", stored[0].Caption, "the text is the album's caption")
	assert.Equal(t, stored[0].MediaGroupID, stored[1].MediaGroupID)
	require.NotNil(t, stored[2].Poll)
	assert.True(t, stored[2].Poll.IsAnonymous, "channels allow anonymous polls only")
}

func TestSandboxPollReceivesUserPosts(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	cr := sb.Credentials.Telegram
	c := sandboxClient(t, sb)
	require.NoError(t, c.DeleteWebhook(t.Context(), nil))
	require.Empty(t, sb.Telegram.PendingUpdates(cr.BotID))

	type delivery struct {
		id   int64
		text string
		ok   bool
	}
	var (
		mu     sync.Mutex
		seen   []delivery
		failed = map[int64]bool{}
	)
	got := make(chan delivery, 16)
	handler := func(_ context.Context, u telegram.Update) error {
		if !assert.NotNil(t, u.Message, "a group message") {
			return nil
		}
		d := delivery{id: u.UpdateID, text: u.Message.Text, ok: true}
		mu.Lock()
		// The first delivery of "второе" fails: Poll must not confirm it.
		if d.text == "второе" && !failed[d.id] {
			failed[d.id] = true
			d.ok = false
		}
		seen = append(seen, d)
		mu.Unlock()
		got <- d
		if !d.ok {
			return assert.AnError
		}
		return nil
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- c.LongPoll(ctx, telegram.LongPollOptions{Timeout: 2 * time.Second, MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond}, handler)
	}()

	m1, err := sb.Telegram.PostAsUser(cr.GroupID, world.DefaultEmployeeTGID, "первое")
	require.NoError(t, err)
	d1 := within(t, got, 5*time.Second, "the first update")
	assert.Equal(t, delivery{id: d1.id, text: "первое", ok: true}, d1)

	_, err = sb.Telegram.PostAsUser(cr.GroupID, world.DefaultEmployeeTGID, "второе")
	require.NoError(t, err)
	d2 := within(t, got, 5*time.Second, "the second update")
	assert.False(t, d2.ok)
	assert.Equal(t, d1.id+1, d2.id)
	d2again := within(t, got, 5*time.Second, "the redelivery of the second update")
	assert.Equal(t, delivery{id: d2.id, text: "второе", ok: true}, d2again, "a failed update is fetched again")

	// Poll confirms the second update with its next getUpdates (offset =
	// id+1), which empties the emulator's queue.
	// getUpdates confirms its offset before it waits.
	awaitCtx, awaitCancel := context.WithTimeout(ctx, 5*time.Second)
	defer awaitCancel()
	require.NoError(t, sb.Telegram.AwaitPolling(awaitCtx, cr.BotID))
	assert.Empty(t, sb.Telegram.PendingUpdates(cr.BotID))
	cancel()
	require.ErrorIs(t, within(t, done, 5*time.Second, "Poll to stop"), context.Canceled)
	// The emulator journals a request when it ends: the cancelled long poll
	// carried offset = id+1.
	wctx, wcancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer wcancel()
	_, err = sb.Journal.Await(wctx, world.Filter{Party: tgmock.Party, Method: "getupdates", Param: "offset", ParamValue: strconv.FormatInt(d2.id+1, 10)})
	require.NoError(t, err)

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []delivery{{d1.id, "первое", true}, {d2.id, "второе", false}, {d2.id, "второе", true}}, seen,
		"no update is handed over again after its handler succeeded")
	// The offsets Poll sent: none at first, then always the last confirmed
	// update + 1, never going back.
	var last int64
	for _, e := range calls(sb, "getupdates") {
		if v, ok := e.Params["offset"]; ok {
			off, err := strconv.ParseInt(v, 10, 64)
			require.NoError(t, err)
			assert.GreaterOrEqual(t, off, last, "offsets never go back")
			assert.LessOrEqual(t, off, d2.id+1)
			last = off
		}
	}
	assert.Equal(t, d2.id+1, last)
	assert.Equal(t, m1.Chat.ID, cr.GroupID)
}

// hookRecorder wraps a webhook handler and records each delivery's status.
type hookRecorder struct {
	h      http.Handler
	mu     sync.Mutex
	status []int
	notify chan int
}

func (r *hookRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, req)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
	r.mu.Lock()
	r.status = append(r.status, rec.Code)
	r.mu.Unlock()
	r.notify <- rec.Code
}

func (r *hookRecorder) statuses() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int(nil), r.status...)
}

func TestSandboxWebhook(t *testing.T) {
	t.Parallel()
	// Fast redelivery so that the test sees several attempts quickly.
	sb := startSandbox(t, mock.WithTelegramOptions(tgmock.WithWebhookRetry(10*time.Millisecond, 40*time.Millisecond)))
	cr := sb.Credentials.Telegram
	c := sandboxClient(t, sb)
	ctx := t.Context()
	const secret = "s3cret_webhook-token"

	var (
		mu      sync.Mutex
		handled []string
		failed  bool
	)
	h, err := telegram.NewWebhookHandler(secret, func(_ context.Context, u telegram.Update) error {
		if !assert.NotNil(t, u.Message) {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if u.Message.Text == "сбой" && !failed {
			failed = true
			return assert.AnError // answered 500: Telegram must deliver it again
		}
		handled = append(handled, u.Message.Text)
		return nil
	})
	require.NoError(t, err)
	rec := &hookRecorder{h: h, notify: make(chan int, 64)}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	hookURL := srv.URL + "/telegram/webhook"

	require.NoError(t, c.SetWebhook(ctx, &telegram.SetWebhookRequest{URL: hookURL, SecretToken: secret}))
	info, err := c.GetWebhookInfo(ctx)
	require.NoError(t, err)
	assert.Equal(t, hookURL, info.URL)
	assert.Equal(t, "[redacted]", calls(sb, "setwebhook")[0].Params["secret_token"], "the journal never keeps the secret")
	_, err = c.GetUpdates(ctx, nil)
	require.ErrorIs(t, err, telegram.ErrConflict, "no polling while a webhook is set")

	// A user's post arrives with the right secret.
	_, err = sb.Telegram.PostAsUser(cr.GroupID, world.DefaultEmployeeTGID, "привет")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, within(t, rec.notify, 5*time.Second, "a delivery"))

	// A failing handler answers 500 and the emulator delivers again.
	_, err = sb.Telegram.PostAsUser(cr.GroupID, world.DefaultEmployeeTGID, "сбой")
	require.NoError(t, err)
	assert.Equal(t, http.StatusInternalServerError, within(t, rec.notify, 5*time.Second, "the failing delivery"))
	assert.Equal(t, http.StatusOK, within(t, rec.notify, 5*time.Second, "the redelivery"))
	// The delivery settles (the update leaves the queue) before the
	// webhook changes.
	sb.Telegram.WaitWebhooksIdle()
	assert.Empty(t, sb.Telegram.PendingUpdates(cr.BotID))

	// A webhook set with another secret is refused with 401 (the handler
	// is not called) and the emulator keeps redelivering.
	require.NoError(t, c.SetWebhook(ctx, &telegram.SetWebhookRequest{URL: hookURL, SecretToken: "forged-secret"}))
	_, err = sb.Telegram.PostAsUser(cr.GroupID, world.DefaultEmployeeTGID, "чужой")
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, within(t, rec.notify, 5*time.Second, "a forged delivery"))
	assert.Equal(t, http.StatusUnauthorized, within(t, rec.notify, 5*time.Second, "a redelivery of the forged delivery"))
	info, err = c.GetWebhookInfo(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, info.PendingUpdateCount, "the refused update stays queued")
	assert.Contains(t, info.LastErrorMessage, "401")
	assert.NotZero(t, info.LastErrorDate)
	mu.Lock()
	assert.Equal(t, []string{"привет", "сбой"}, handled)
	mu.Unlock()

	// With the right secret again, the queued update is delivered once.
	require.NoError(t, c.SetWebhook(ctx, &telegram.SetWebhookRequest{URL: hookURL, SecretToken: secret}))
	for {
		if within(t, rec.notify, 5*time.Second, "the delivery after fixing the secret") == http.StatusOK {
			break
		}
	}
	sb.Telegram.WaitWebhooksIdle()
	assert.Empty(t, sb.Telegram.PendingUpdates(cr.BotID))
	mu.Lock()
	assert.Equal(t, []string{"привет", "сбой", "чужой"}, handled, "each update handled exactly once")
	mu.Unlock()

	st := rec.statuses()
	assert.Equal(t, []int{200, 500, 200}, st[:3])
	for _, s := range st[3 : len(st)-1] {
		assert.Equal(t, http.StatusUnauthorized, s)
	}
	assert.Equal(t, http.StatusOK, st[len(st)-1])

	require.NoError(t, c.DeleteWebhook(ctx, nil))
	info, err = c.GetWebhookInfo(ctx)
	require.NoError(t, err)
	assert.Empty(t, info.URL)
}

func TestSandboxCheckChannel(t *testing.T) {
	t.Parallel()
	unmet := func(rs social.Requirements) []social.RequirementCode {
		var out []social.RequirementCode
		for _, r := range rs.NotMet() {
			out = append(out, r.Code)
		}
		return out
	}
	t.Run("default channel meets everything", func(t *testing.T) {
		t.Parallel()
		sb := startSandbox(t)
		cr := sb.Credentials.Telegram
		rs, err := sandboxClient(t, sb).CheckChannel(t.Context(), telegram.ChatIDInt(cr.ChannelID))
		require.NoError(t, err)
		require.Empty(t, rs.NotMet(), "%+v", rs.NotMet())
		codes := make([]social.RequirementCode, len(rs))
		for i, r := range rs {
			codes[i] = r.Code
		}
		assert.Equal(t, []social.RequirementCode{telegram.ReqIsChannel, telegram.ReqPublicUsername, telegram.ReqTitle,
			telegram.ReqDescription, telegram.ReqPhoto, telegram.ReqBotIsAdmin, telegram.ReqBotCanPost}, codes)
		assert.True(t, rs.AllMet(), "%+v", rs)
		assert.Empty(t, rs.Unverifiable())
		assert.Equal(t, cr.ChannelUsername, rs[1].Detail)
	})
	t.Run("no photo, no description", func(t *testing.T) {
		t.Parallel()
		sb := startSandbox(t)
		cr := sb.Credentials.Telegram
		require.NoError(t, sb.World.ModifyPage(world.NetworkTelegram, cr.ChannelID, func(p *world.Page) error {
			p.PhotoURL, p.Description = "", ""
			return nil
		}))
		rs, err := sandboxClient(t, sb).CheckChannel(t.Context(), telegram.ChatIDInt(cr.ChannelID))
		require.NoError(t, err)
		assert.Equal(t, []social.RequirementCode{telegram.ReqDescription, telegram.ReqPhoto}, unmet(rs))
		assert.Equal(t, "the channel has no photo", rs.NotMet()[1].Detail)
	})
	t.Run("bot may not post", func(t *testing.T) {
		t.Parallel()
		sb := startSandbox(t)
		cr := sb.Credentials.Telegram
		require.NoError(t, sb.Telegram.SetAdmin(cr.ChannelID, cr.BotID, tgmock.AdminRights{CanManageChat: true, CanEditMessages: true}))
		c := sandboxClient(t, sb)
		rs, err := c.CheckChannel(t.Context(), telegram.ChatIDInt(cr.ChannelID))
		require.NoError(t, err)
		assert.Equal(t, []social.RequirementCode{telegram.ReqBotCanPost}, unmet(rs))
		assert.Contains(t, rs.NotMet()[0].Detail, "can_post_messages")
		// And the emulator indeed refuses the bot's posts.
		_, err = c.SendMessage(t.Context(), &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(cr.ChannelID), Text: "x"})
		require.ErrorIs(t, err, telegram.ErrBadRequest)
		assert.Empty(t, sb.Telegram.Messages(cr.ChannelID))
	})
	t.Run("bot is not an administrator", func(t *testing.T) {
		t.Parallel()
		sb := startSandbox(t)
		cr := sb.Credentials.Telegram
		require.NoError(t, sb.Telegram.RemoveAdmin(cr.ChannelID, cr.BotID))
		rs, err := sandboxClient(t, sb).CheckChannel(t.Context(), telegram.ChatIDInt(cr.ChannelID))
		require.NoError(t, err)
		assert.Equal(t, []social.RequirementCode{telegram.ReqBotIsAdmin, telegram.ReqBotCanPost}, unmet(rs))
		assert.Contains(t, rs.NotMet()[0].Detail, `status "member"`)
	})
	t.Run("a supergroup is not a channel", func(t *testing.T) {
		t.Parallel()
		sb := startSandbox(t)
		cr := sb.Credentials.Telegram
		rs, err := sandboxClient(t, sb).CheckChannel(t.Context(), telegram.ChatIDInt(cr.GroupID))
		require.NoError(t, err)
		assert.Contains(t, unmet(rs), telegram.ReqIsChannel)
		assert.Equal(t, `chat type is "supergroup", not a channel`, rs.NotMet()[0].Detail)
	})
	t.Run("unknown channel is an error", func(t *testing.T) {
		t.Parallel()
		sb := startSandbox(t)
		_, err := sandboxClient(t, sb).CheckChannel(t.Context(), telegram.Username("@no_such_channel"))
		require.ErrorIs(t, err, telegram.ErrChatNotFound)
	})
}

// TestSandboxForwardCopyDelete forwards and copies messages between the
// seeded channel and supergroup and deletes a batch, asserting what the
// emulator stored.
func TestSandboxForwardCopyDelete(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, mock.WithTelegramOptions(tgmock.WithoutLimits()))
	cr := sb.Credentials.Telegram
	c := sandboxClient(t, sb, telegram.WithoutRateLimits())
	ctx := t.Context()
	channel, group := telegram.ChatIDInt(cr.ChannelID), telegram.ChatIDInt(cr.GroupID)
	last := func(chatID int64) tgmock.Message {
		t.Helper()
		ms := sb.Telegram.Messages(chatID)
		require.NotEmpty(t, ms)
		return ms[len(ms)-1]
	}

	post, err := c.SendMessage(ctx, &telegram.SendMessageRequest{ChatID: channel, Text: "Приём граждан в четверг"})
	require.NoError(t, err)
	photo, err := c.SendPhoto(ctx, &telegram.SendPhotoRequest{ChatID: channel, Photo: telegram.FileBytes("герб.png", pngBytes()), Caption: "Герб"})
	require.NoError(t, err)
	question, err := sb.Telegram.PostAsUser(cr.GroupID, world.DefaultEmployeeTGID, "Когда приём?")
	require.NoError(t, err)

	// A channel post forwarded to the group links back to the channel post.
	fwd, err := c.ForwardMessage(ctx, &telegram.ForwardMessageRequest{ChatID: group, FromChatID: channel, MessageID: post.MessageID})
	require.NoError(t, err)
	assert.Equal(t, cr.GroupID, fwd.Chat.ID)
	assert.Equal(t, "Приём граждан в четверг", fwd.Text)
	require.NotNil(t, fwd.ForwardOrigin)
	assert.Equal(t, telegram.OriginChannel, fwd.ForwardOrigin.Type)
	require.NotNil(t, fwd.ForwardOrigin.Chat)
	assert.Equal(t, cr.ChannelID, fwd.ForwardOrigin.Chat.ID)
	assert.Equal(t, post.MessageID, fwd.ForwardOrigin.MessageID)
	assert.Equal(t, post.Date, fwd.ForwardOrigin.Date, "the origin carries the original date")
	stored := last(cr.GroupID)
	assert.Equal(t, fwd.MessageID, stored.MessageID)
	assert.Equal(t, "Приём граждан в четверг", stored.Text)
	require.NotNil(t, stored.ForwardOrigin)
	assert.Equal(t, telegram.OriginChannel, stored.ForwardOrigin.Type)
	require.NotNil(t, stored.ForwardOrigin.Chat)
	assert.Equal(t, cr.ChannelID, stored.ForwardOrigin.Chat.ID)
	assert.Equal(t, post.MessageID, stored.ForwardOrigin.MessageID)

	// A user's group message forwarded to the channel names the user.
	fwdUser, err := c.ForwardMessage(ctx, &telegram.ForwardMessageRequest{ChatID: channel, FromChatID: group, MessageID: question.MessageID,
		DisableNotification: true})
	require.NoError(t, err)
	require.NotNil(t, fwdUser.SenderChat, "a channel post is signed by the channel")
	require.NotNil(t, fwdUser.ForwardOrigin)
	assert.Equal(t, telegram.OriginUser, fwdUser.ForwardOrigin.Type)
	require.NotNil(t, fwdUser.ForwardOrigin.SenderUser)
	assert.Equal(t, world.DefaultEmployeeTGID, fwdUser.ForwardOrigin.SenderUser.ID)
	stored = last(cr.ChannelID)
	assert.Equal(t, "Когда приём?", stored.Text)
	require.NotNil(t, stored.ForwardOrigin)
	require.NotNil(t, stored.ForwardOrigin.SenderUser)
	assert.Equal(t, world.DefaultEmployeeTGID, stored.ForwardOrigin.SenderUser.ID)

	// Copies keep the content but have no link to the original.
	keep, err := c.CopyMessage(ctx, &telegram.CopyMessageRequest{ChatID: group, FromChatID: channel, MessageID: photo.MessageID})
	require.NoError(t, err)
	stored = last(cr.GroupID)
	assert.Equal(t, keep.MessageID, stored.MessageID)
	assert.Nil(t, stored.ForwardOrigin, "a copy has no link to the original")
	require.NotEmpty(t, stored.Photo)
	assert.Equal(t, photo.Photo[0].FileID, stored.Photo[0].FileID, "the same file")
	assert.Equal(t, "Герб", stored.Caption, "a nil caption keeps the original one")

	removed, err := c.CopyMessage(ctx, &telegram.CopyMessageRequest{ChatID: group, FromChatID: channel, MessageID: photo.MessageID, Caption: new("")})
	require.NoError(t, err)
	stored = last(cr.GroupID)
	assert.Equal(t, removed.MessageID, stored.MessageID)
	assert.Empty(t, stored.Caption, "an empty caption removes it")
	assert.NotEmpty(t, stored.Photo)

	replaced, err := c.CopyMessage(ctx, &telegram.CopyMessageRequest{ChatID: group, FromChatID: channel, MessageID: photo.MessageID,
		Caption: new("<b>Герб</b> области"), ParseMode: telegram.ParseModeHTML,
		ReplyMarkup: &telegram.InlineKeyboardMarkup{InlineKeyboard: [][]telegram.InlineKeyboardButton{{{Text: "Госуслуги", URL: "https://www.gosuslugi.ru/"}}}}})
	require.NoError(t, err)
	stored = last(cr.GroupID)
	assert.Equal(t, replaced.MessageID, stored.MessageID)
	assert.Nil(t, stored.ForwardOrigin)
	assert.Equal(t, "Герб области", stored.Caption, "the markup is parsed")
	require.Len(t, stored.CaptionEntities, 1)
	assert.Equal(t, "bold", stored.CaptionEntities[0].Type)
	assert.JSONEq(t, `{"inline_keyboard":[[{"text":"Госуслуги","url":"https://www.gosuslugi.ru/"}]]}`, string(stored.ReplyMarkup))

	// A copy of a forward drops the forward's link too.
	copied, err := c.CopyMessage(ctx, &telegram.CopyMessageRequest{ChatID: channel, FromChatID: group, MessageID: fwd.MessageID})
	require.NoError(t, err)
	stored = last(cr.ChannelID)
	assert.Equal(t, copied.MessageID, stored.MessageID)
	assert.Equal(t, "Приём граждан в четверг", stored.Text)
	assert.Nil(t, stored.ForwardOrigin)

	// Protected content cannot be forwarded further.
	protected, err := c.ForwardMessage(ctx, &telegram.ForwardMessageRequest{ChatID: group, FromChatID: channel, MessageID: post.MessageID, ProtectContent: true})
	require.NoError(t, err)
	assert.True(t, protected.HasProtectedContent)
	assert.True(t, last(cr.GroupID).HasProtected)
	_, err = c.ForwardMessage(ctx, &telegram.ForwardMessageRequest{ChatID: channel, FromChatID: group, MessageID: protected.MessageID})
	require.ErrorIs(t, err, telegram.ErrBadRequest)
	_, err = c.ForwardMessage(ctx, &telegram.ForwardMessageRequest{ChatID: group, FromChatID: channel, MessageID: 9999})
	require.ErrorIs(t, err, telegram.ErrBadRequest)
	assert.Contains(t, err.Error(), "message to forward not found")

	// deleteMessages removes the batch and skips ids it cannot find.
	before := sb.Telegram.Messages(cr.GroupID)
	require.NoError(t, c.DeleteMessages(ctx, &telegram.DeleteMessagesRequest{ChatID: group,
		MessageIDs: []int64{keep.MessageID, removed.MessageID, replaced.MessageID, 9999}}))
	after := sb.Telegram.Messages(cr.GroupID)
	assert.Len(t, after, len(before)-3)
	var left []int64
	for _, m := range after {
		left = append(left, m.MessageID)
	}
	assert.Equal(t, []int64{question.MessageID, fwd.MessageID, protected.MessageID}, left)
	es := calls(sb, "deletemessages")
	require.Len(t, es, 1)
	assert.Equal(t, "["+strconv.FormatInt(keep.MessageID, 10)+","+strconv.FormatInt(removed.MessageID, 10)+","+
		strconv.FormatInt(replaced.MessageID, 10)+",9999]", es[0].Params["message_ids"], "sent as a JSON array")

	// Each send went out exactly once; the refused ones were not retried.
	assert.Equal(t, []int{200, 200, 200, 400, 400}, statuses(calls(sb, "forwardmessage")))
	assert.Equal(t, []int{200, 200, 200, 200}, statuses(calls(sb, "copymessage")))
}

// TestSandboxForwardsAndCopiesArePaced sends copies and forwards to one
// channel back to back with the default limiter: they are paced like any
// message, so the emulator's flood control never answers 429.
func TestSandboxForwardsAndCopiesArePaced(t *testing.T) {
	t.Parallel()
	// A frozen world clock moves only by the client's pacing waits, so
	// the time slept is exact whatever the machine's load.
	sb := startSandbox(t, mock.WithFrozenClock(coretest.Epoch))
	cr := sb.Credentials.Telegram
	clk := worldClock(sb)
	c := sandboxClient(t, sb, core.WithClock(clk)) // DefaultLimits
	channel, group := telegram.ChatIDInt(cr.ChannelID), telegram.ChatIDInt(cr.GroupID)
	src, err := sb.Telegram.PostAsUser(cr.GroupID, world.DefaultEmployeeTGID, "Вопрос жителя")
	require.NoError(t, err)

	for i := range 4 {
		if i%2 == 0 {
			_, err = c.CopyMessage(t.Context(), &telegram.CopyMessageRequest{ChatID: channel, FromChatID: group, MessageID: src.MessageID})
		} else {
			_, err = c.ForwardMessage(t.Context(), &telegram.ForwardMessageRequest{ChatID: channel, FromChatID: group, MessageID: src.MessageID})
		}
		require.NoError(t, err)
	}
	assert.Zero(t, tooMany(sb))
	assert.Equal(t, []string{"Вопрос жителя", "Вопрос жителя", "Вопрос жителя", "Вопрос жителя"}, texts(sb.Telegram.Messages(cr.ChannelID)))
	l := telegram.DefaultLimits()
	assert.Equal(t, time.Duration(4-l.PerChatBurst)*time.Second, clk.Slept(), "paced on the world clock")
}
