package telegram_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

// TestSandboxPublisherLifecycle publishes an album with a caption and a
// poll, edits its text, reads the channel's statistics and deletes every
// part, checking what the emulator holds after each step.
func TestSandboxPublisherLifecycle(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, mock.WithTelegramOptions(tgmock.WithoutLimits()))
	cr := sb.Credentials.Telegram
	c := sandboxClient(t, sb, telegram.WithoutRateLimits())
	pub := c.Publisher(telegram.ChatIDInt(cr.ChannelID), telegram.WithPublicUsername(cr.ChannelUsername))
	ctx := t.Context()

	post := social.Post{
		Key:   "cabinet-post-31",
		Text:  "Итоги недели",
		Media: []social.Media{{Kind: social.Photo, Data: pngBytes()}, {Kind: social.Photo, Data: pngBytes()}, {Kind: social.Photo, Data: pngBytes()}},
		Poll:  &social.Poll{Question: "Полезно?", Options: []string{"Да", "Нет"}},
	}
	rc, err := pub.Publish(ctx, post)
	require.NoError(t, err)
	stored := sb.Telegram.Messages(cr.ChannelID)
	require.Len(t, stored, 4)
	want := []social.Part{
		{Kind: social.PartPhoto, HasText: true}, {Kind: social.PartPhoto}, {Kind: social.PartPhoto}, {Kind: social.PartPoll},
	}
	for i := range want {
		want[i].ID = strconv.FormatInt(stored[i].MessageID, 10)
	}
	assert.Equal(t, want, rc.Parts, "the receipt keeps every message of the album and the poll")
	assert.Equal(t, "cabinet-post-31", rc.Key)

	post.Text = "Итоги недели (исправлено)"
	rc2, err := pub.Edit(ctx, rc, post)
	require.NoError(t, err)
	assert.Equal(t, rc, rc2)
	stored = sb.Telegram.Messages(cr.ChannelID)
	assert.Equal(t, "Итоги недели (исправлено)", stored[0].Caption)
	assert.NotZero(t, stored[0].EditDate)
	_, err = pub.Edit(ctx, rc, post)
	require.NoError(t, err, "the same edit again is not an error")

	post.Poll = nil
	_, err = pub.Edit(ctx, rc, post)
	require.ErrorIs(t, err, errors.ErrUnsupported, "the poll cannot be removed by an edit")

	st, err := pub.PageStats(ctx)
	require.NoError(t, err)
	n, err := c.GetChatMemberCount(ctx, &telegram.GetChatMemberCountRequest{ChatID: telegram.ChatIDInt(cr.ChannelID)})
	require.NoError(t, err)
	assert.Equal(t, int64(n), st.Subscribers)
	assert.Positive(t, st.Subscribers)
	_, err = pub.PostStats(ctx, rc)
	require.ErrorIs(t, err, errors.ErrUnsupported)

	require.NoError(t, pub.Delete(ctx, rc))
	assert.Empty(t, sb.Telegram.Messages(cr.ChannelID), "every part is deleted")
	assert.Len(t, calls(sb, "deletemessages"), 1, "in one request")
	require.NoError(t, pub.Delete(ctx, rc), "deleting again is not an error")
}

// TestSandboxFanOutOutcomes fans one post out to three pages: on the
// first the poll is refused after the text went out, the second does not
// exist, the third succeeds.
func TestSandboxFanOutOutcomes(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, mock.WithTelegramOptions(tgmock.WithoutLimits()))
	cr := sb.Credentials.Telegram
	c := sandboxClient(t, sb, telegram.WithoutRateLimits())
	addFault(t, sb, world.Rule{Method: "sendPoll", Kind: world.FaultError, Code: 400,
		Description: "Bad Request: poll can't be sent", First: 1})
	post := social.Post{Text: "Опрос жителей", Poll: &social.Poll{Question: "Удобно?", Options: []string{"Да", "Нет"}}}
	rep := social.FanOutOptions{Concurrency: 1}.Run(t.Context(), post,
		c.Publisher(telegram.ChatIDInt(cr.ChannelID)),
		c.Publisher(telegram.Username("@no_such_channel")),
		c.Publisher(telegram.ChatIDInt(cr.GroupID)),
	)
	r := rep.Results
	require.Equal(t, social.PartiallyPublished, r[0].Outcome, r[0].Reason)
	assert.Equal(t, "400", r[0].Code)
	stored := sb.Telegram.Messages(cr.ChannelID)
	require.Len(t, stored, 1, "the text is on the channel, the poll is not")
	assert.Equal(t, []string{strconv.FormatInt(stored[0].MessageID, 10)}, r[0].Receipt.PartIDs())
	var pe *social.PartialPublishError
	require.ErrorAs(t, r[0].Err, &pe)
	assert.Equal(t, 2, pe.Total)

	assert.Equal(t, social.Failed, r[1].Outcome)
	assert.Equal(t, "400", r[1].Code)
	assert.ErrorIs(t, r[1].Err, telegram.ErrChatNotFound)

	assert.Equal(t, social.Published, r[2].Outcome, r[2].Reason)
	assert.Len(t, r[2].Receipt.Parts, 2)
	assert.Equal(t, []int{1, 0, 1}, []int{rep.Published, rep.Scheduled, rep.PartiallyPublished})
	assert.Equal(t, 1, rep.Failed)
	assert.Zero(t, rep.Unknown)

	// The partly published post can be removed with its receipt.
	require.NoError(t, c.Publisher(telegram.ChatIDInt(cr.ChannelID)).Delete(t.Context(), r[0].Receipt))
	assert.Empty(t, sb.Telegram.Messages(cr.ChannelID))
}

// TestSandboxPartialWithUnknownOutcome drops the connection after the
// emulator stored the poll: the page is partially published and the poll's
// outcome is unknown; the send is not repeated.
func TestSandboxPartialWithUnknownOutcome(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, mock.WithTelegramOptions(tgmock.WithoutLimits()))
	cr := sb.Credentials.Telegram
	c := sandboxClient(t, sb, telegram.WithoutRateLimits())
	addFault(t, sb, world.Rule{Method: "sendPoll", Kind: world.FaultDropAfter})
	rep := social.FanOut(t.Context(), social.Post{Text: "Опрос", Poll: &social.Poll{Question: "?", Options: []string{"a", "b"}}},
		c.Publisher(telegram.ChatIDInt(cr.ChannelID)))
	r := rep.Results[0]
	require.Equal(t, social.PartiallyPublished, r.Outcome, r.Reason)
	assert.ErrorIs(t, r.Err, social.ErrUnknownOutcome)
	assert.Len(t, r.Receipt.Parts, 1)
	assert.Len(t, sb.Telegram.Messages(cr.ChannelID), 2, "the poll did take effect")
	assert.Equal(t, []int{0}, statuses(calls(sb, "sendpoll")), "sent once, never repeated")
}

// TestSandboxPublishOnTheWorldClock schedules on the sandbox's clock, two
// days ahead of real time: the post is due there and is published when
// the world clock reaches the publisher, through FanOut or the client.
func TestSandboxPublishOnTheWorldClock(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t, mock.WithTelegramOptions(tgmock.WithoutLimits()))
	cr := sb.Credentials.Telegram
	sb.Clock.Advance(48 * time.Hour)
	post := social.Post{Text: "По расписанию", PublishAt: sb.Clock.Now()}
	onSystemClock := sandboxClient(t, sb, telegram.WithoutRateLimits(), core.WithClock(core.SystemClock()))
	pub := onSystemClock.Publisher(telegram.ChatIDInt(cr.ChannelID))

	rep := social.FanOut(t.Context(), post, pub)
	require.Equal(t, social.Failed, rep.Results[0].Outcome, "on the system clock the post is two days early")
	require.ErrorIs(t, rep.Results[0].Err, telegram.ErrScheduleUnsupported)
	assert.Empty(t, sb.Telegram.Messages(cr.ChannelID))

	rep = social.FanOutOptions{Clock: sb.Clock}.Run(t.Context(), post, pub)
	require.Equal(t, social.Published, rep.Results[0].Outcome, rep.Results[0].Reason)
	assert.WithinDuration(t, sb.Clock.Now(), rep.Results[0].Receipt.PublishedAt, time.Minute,
		"the emulator dates the message on the same clock")

	// A client on the world clock judges on it without being told.
	onWorldClock := sandboxClient(t, sb, telegram.WithoutRateLimits())
	_, err := onWorldClock.Publisher(telegram.ChatIDInt(cr.ChannelID)).Publish(t.Context(), post)
	require.NoError(t, err)
	assert.Len(t, sb.Telegram.Messages(cr.ChannelID), 2)
}
