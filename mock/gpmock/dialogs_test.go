package gpmock_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/vk"
)

// TestDialogsEndToEnd: a citizen comments on the VK page and writes to
// the Telegram bot; the scheduled collection (world clock) brings both
// into the inbox once, the auto-rules assign them and answer the VK
// comment with a template through wall.createComment; an editor answers
// the Telegram message through sendMessage; a reply the network refuses
// is recorded as failed with the network's error.
func TestDialogsEndToEnd(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, virtualNetworkClock())
	vkc, _, tgc := r.connectAll(t)
	ten := r.sb.DefaultTenant()
	cr := r.sb.Credentials
	var events []string
	ten.Gospubliki.OnEvent(func(e gpmock.Event) {
		if strings.HasPrefix(e.Type, "dialog.") {
			events = append(events, e.Type)
		}
	})

	me := func(c *gospubliki.Client) *gospubliki.User {
		u, err := c.Me(ctx)
		require.NoError(t, err)
		return u
	}
	editor, moderator := me(r.editor), me(r.moderator)
	roads, err := r.admin.CreateDialogRule(ctx, gospubliki.DialogRuleRequest{Name: "Дороги", Keywords: []string{"яма", "дорог"},
		Sources: []string{gospubliki.SourceVKComment}, AssigneeID: editor.ID,
		Template: "Здравствуйте! Обращение №{id} передано в {org}, ответим в течение суток."})
	require.NoError(t, err)
	tgRule, err := r.admin.CreateDialogRule(ctx, gospubliki.DialogRuleRequest{Name: "Телеграм", Sources: []string{gospubliki.SourceTelegram},
		AssigneeID: moderator.ID})
	require.NoError(t, err)
	_, err = r.editor.CreateDialogRule(ctx, gospubliki.DialogRuleRequest{Name: "x", Template: "y"})
	requireAPICode(t, err, gospubliki.CodeForbidden)

	// The first collection turns the VK community's long poll on.
	res, err := r.admin.CollectDialogs(ctx)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	require.Zero(t, res.Received)

	// A citizen comments on a post of the VK page and writes to the bot.
	vcl, err := vk.New(cr.VK.UserToken, vk.UserToken, core.WithBaseURL(ten.VK.URL), core.WithHTTPClient(r.sb.HTTPClient()), core.WithRetry(0, 0, 0))
	require.NoError(t, err)
	postID, err := vcl.WallPost(ctx, vk.WallPostRequest{OwnerID: -cr.VK.GroupID, FromGroup: true, Message: "График ремонта дорог"})
	require.NoError(t, err)
	const citizen = 7770001
	commentID, err := ten.VK.PostComment(cr.VK.GroupID, postID, citizen, "На улице Ленина яма на дороге")
	require.NoError(t, err)
	msg, err := ten.Telegram.WriteToBot(cr.Telegram.BotID, citizen, "Когда будет горячая вода?")
	require.NoError(t, err)

	// The world clock runs the scheduled collection.
	ten.Clock.Advance(gpmock.DialogPollInterval)
	page, err := r.moderator.ListDialogs(ctx, gospubliki.DialogFilter{})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	byRef := map[string]gospubliki.Dialog{}
	for _, d := range page.Items {
		byRef[d.PageRef] = d
	}
	vd, td := byRef[vkc.Ref], byRef[tgc.Ref]
	require.Equal(t, gospubliki.SourceVKComment, vd.Source)
	require.Equal(t, fmt.Sprintf("%d_%d", postID, commentID), vd.NetworkID)
	require.Equal(t, roads.ID, vd.RuleID)
	require.Equal(t, editor.ID, vd.AssigneeID)
	require.Equal(t, gospubliki.DialogAnswered, vd.Status, "the template answer was sent")
	require.Len(t, vd.Replies, 1)
	require.Equal(t, gospubliki.ReplySent, vd.Replies[0].Status, vd.Replies[0].Error)
	require.Contains(t, vd.Replies[0].Text, fmt.Sprintf("Обращение №%d передано в ", vd.ID))
	replies := ten.VK.Replies(cr.VK.GroupID)
	require.Len(t, replies, 1)
	require.Equal(t, "wall.createComment", replies[0].Method)
	require.Equal(t, commentID, replies[0].ReplyTo)
	require.Equal(t, -cr.VK.GroupID, replies[0].FromID, "the community answers, not the person")
	require.Equal(t, vd.Replies[0].Text, replies[0].Text)
	require.Equal(t, 1, ten.Journal.Count("vk", "wall.createComment"), "the journal shows the reply")

	require.Equal(t, gospubliki.SourceTelegram, td.Source)
	require.Equal(t, fmt.Sprintf("%d_%d", msg.Chat.ID, msg.MessageID), td.NetworkID)
	require.Equal(t, tgRule.ID, td.RuleID)
	require.Equal(t, moderator.ID, td.AssigneeID)
	require.Equal(t, gospubliki.DialogAssigned, td.Status)
	require.Empty(t, td.Replies)

	// Collected again: nothing new, no duplicate.
	ten.Clock.Advance(gpmock.DialogPollInterval)
	cab, err := r.editor.Cabinet(ctx)
	require.NoError(t, err)
	n := 0
	for d, err := range r.editor.Dialogs(ctx, gospubliki.DialogFilter{Limit: 1}) {
		require.NoError(t, err)
		require.Equal(t, cab.ID, d.CabinetID)
		n++
	}
	require.Equal(t, 2, n)

	// The moderator's dialogs; an editor answers the Telegram message.
	mine, err := r.moderator.ListDialogs(ctx, gospubliki.DialogFilter{Assignee: moderator.ID})
	require.NoError(t, err)
	require.Len(t, mine.Items, 1)
	got, err := r.editor.ReplyDialog(ctx, td.ID, "Горячую воду дадут завтра к 18:00.")
	require.NoError(t, err)
	require.Equal(t, gospubliki.DialogAnswered, got.Status)
	require.Len(t, got.Replies, 1)
	require.Equal(t, gospubliki.ReplySent, got.Replies[0].Status)
	require.Equal(t, editor.ID, got.Replies[0].AuthorID)
	var answered bool
	for _, m := range ten.Telegram.PrivateMessages(cr.Telegram.BotID, citizen) {
		if m.Text == "Горячую воду дадут завтра к 18:00." && m.From != nil && m.From.IsBot {
			answered = true
		}
	}
	require.True(t, answered, "the citizen got the answer from the bot")

	// The citizen blocks the bot: the next reply fails with Telegram's
	// error, recorded on the dialog.
	require.NoError(t, ten.Telegram.BlockBot(cr.Telegram.BotID, citizen))
	got, err = r.moderator.ReplyDialog(ctx, td.ID, "Уточнение по воде")
	require.NoError(t, err)
	require.Len(t, got.Replies, 2)
	require.Equal(t, gospubliki.ReplyFailed, got.Replies[1].Status)
	require.Equal(t, "403", got.Replies[1].Code)
	require.Contains(t, got.Replies[1].Error, "blocked")
	requireNoSecret(t, r, "a reply's error", got.Replies[1].Error)

	closed, err := r.editor.CloseDialog(ctx, td.ID)
	require.NoError(t, err)
	require.Equal(t, gospubliki.DialogClosed, closed.Status)
	_, err = r.editor.ReplyDialog(ctx, td.ID, "ещё")
	requireAPICode(t, err, gospubliki.CodeConflict)
	require.ElementsMatch(t, []string{"dialog.received", "dialog.assigned", "dialog.answered", "dialog.received", "dialog.assigned", "dialog.answered"},
		events)
}

func requireAPICode(t *testing.T, err error, code string) {
	t.Helper()
	var e *gospubliki.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, code, e.Code)
}

// TestAnalyticsAfterADay: hourly snapshots on the world clock give a
// day's page statistics, and a comment moves the post's comment counter.
func TestAnalyticsAfterADay(t *testing.T) {
	ctx := context.Background()
	// The network clients' limits pace on a virtual clock: the day's
	// hourly readings spend no wall time.
	r := newRig(t, virtualNetworkClock())
	vkc, _, _ := r.connectAll(t)
	ten := r.sb.DefaultTenant()
	// An API token outlives the day (sessions expire after 8 hours).
	tok, err := r.admin.CreateToken(ctx)
	require.NoError(t, err)
	creds := r.sb.DefaultTenant().PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	api, err := gospubliki.New(core.WithBaseURL(creds.URL), gospubliki.WithToken(tok.Token), core.WithHTTPClient(r.sb.HTTPClient()))
	require.NoError(t, err)
	start := ten.Clock.Now().UTC()
	ten.Clock.Advance(24 * time.Hour)
	rep, err := api.PageAnalytics(ctx, gospubliki.AnalyticsQuery{From: start, To: start.Add(24 * time.Hour), Period: gospubliki.PeriodDay})
	require.NoError(t, err)
	require.Len(t, rep.Pages, 3)
	for _, p := range rep.Pages {
		require.Empty(t, p.Error, p.PageRef)
		samples := 0
		var subs int64
		for _, b := range p.Buckets {
			samples += b.Samples
			if b.Samples > 0 {
				subs = b.Subscribers
			}
		}
		require.GreaterOrEqual(t, samples, 23, "%s: hourly snapshots over a day", p.PageRef)
		require.Positive(t, subs, p.PageRef)
	}
	// A week aggregation has one bucket per week touched.
	rep, err = api.PageAnalytics(ctx, gospubliki.AnalyticsQuery{From: start, To: start.Add(24 * time.Hour), Period: gospubliki.PeriodWeek, Page: vkc.Ref})
	require.NoError(t, err)
	require.Len(t, rep.Pages, 1)
	require.NotEmpty(t, rep.Pages[0].Buckets)
	_, err = api.PageAnalytics(ctx, gospubliki.AnalyticsQuery{Period: "year"})
	requireAPICode(t, err, gospubliki.CodeInvalidRequest)
}

// TestPostAnalytics: a post published on the VK page is read through
// social.PostStatsReader every hour; a citizen's comment moves the
// comment counter the analytics show; Telegram receipts (no post
// statistics in the Bot API) are skipped without an error.
func TestPostAnalytics(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	vkc, _, tgc := r.connectAll(t)
	ten := r.sb.DefaultTenant()
	cr := r.sb.Credentials
	p, err := r.editor.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Новость"), Targets: []string{vkc.Ref, tgc.Ref}})
	require.NoError(t, err)
	vcl, err := vk.New(cr.VK.UserToken, vk.UserToken, core.WithBaseURL(ten.VK.URL), core.WithHTTPClient(r.sb.HTTPClient()), core.WithRetry(0, 0, 0))
	require.NoError(t, err)
	wallID, err := vcl.WallPost(ctx, vk.WallPostRequest{OwnerID: -cr.VK.GroupID, FromGroup: true, Message: "Новость"})
	require.NoError(t, err)
	ten.Gospubliki.SetPublishedParts(func(x gpmock.Post) []gpmock.PublishedPart {
		if x.ID != p.ID {
			return nil
		}
		return []gpmock.PublishedPart{
			{PageRef: vkc.Ref, Receipt: social.Receipt{Network: social.VK, PageID: vkc.PageID, PostID: fmt.Sprint(wallID)}},
			{PageRef: tgc.Ref, Receipt: social.Receipt{Network: social.Telegram, PageID: tgc.PageID, PostID: "1"}},
		}
	})
	start := ten.Clock.Now().UTC()
	ten.Clock.Advance(gpmock.AnalyticsInterval)
	_, err = ten.VK.PostComment(cr.VK.GroupID, wallID, 7770002, "Спасибо")
	require.NoError(t, err)
	_, err = ten.VK.PostComment(cr.VK.GroupID, wallID, 7770003, "Отлично")
	require.NoError(t, err)
	_, err = ten.VK.JoinCommunity(cr.VK.GroupID, 7770004)
	require.NoError(t, err)
	ten.Clock.Advance(gpmock.AnalyticsInterval)

	ten.Clock.Advance(gpmock.AnalyticsInterval)
	rep, err := r.moderator.PostAnalytics(ctx, p.ID, gospubliki.AnalyticsQuery{From: start, To: start.Add(24 * time.Hour)})
	require.NoError(t, err)
	require.Equal(t, p.ID, rep.PostID)
	require.Len(t, rep.Pages, 2)
	var vkp, tgp gospubliki.PageAnalytics
	for _, x := range rep.Pages {
		if x.PageRef == vkc.Ref {
			vkp = x
		} else {
			tgp = x
		}
	}
	require.Empty(t, vkp.Error)
	samples, comments, views := 0, int64(0), int64(0)
	for _, b := range vkp.Buckets {
		samples += b.Samples
		if b.Samples > 0 {
			comments, views = b.Comments, b.Views
		}
	}
	require.GreaterOrEqual(t, samples, 2, "hourly snapshots")
	require.Equal(t, int64(2), comments, "the citizens' comments moved the counter")
	require.Positive(t, views)
	for _, b := range tgp.Buckets {
		require.Zero(t, b.Samples, "the Bot API has no post statistics")
	}
	require.Empty(t, tgp.Error)

	// The page's subscribers grew by the citizen who joined.
	pr, err := r.editor.PageAnalytics(ctx, gospubliki.AnalyticsQuery{From: start, To: start.Add(24 * time.Hour), Page: vkc.Ref})
	require.NoError(t, err)
	require.Len(t, pr.Pages, 1)
	var growth int64
	for _, b := range pr.Pages[0].Buckets {
		growth += b.SubscriberGrowth
	}
	require.Equal(t, int64(1), growth)
}
