package gpmock_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/ok"
)

// TestDialogsOKComments: citizens comment a topic of the connected OK
// group (the act-as-user action); the collection reads them once through
// discussions.getList and discussions.getComments (anchored, so a second
// collection adds nothing), an auto-rule answers one through
// discussions.addComment on behalf of the group, and that answer never
// comes back into the inbox; an editor answers the other.
func TestDialogsOKComments(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	ten := r.sb.DefaultTenant()
	cr := r.sb.Credentials.OK
	_, okc, _ := r.connectAll(t)
	_, err := r.admin.CreateDialogRule(ctx, gospubliki.DialogRuleRequest{Name: "Свет", Keywords: []string{"свет"},
		Sources: []string{gospubliki.SourceOKComment}, Template: "Спасибо, {author}! Передали в энергослужбу."})
	require.NoError(t, err)

	cl, err := ok.New(ok.Credentials{ApplicationKey: cr.ApplicationKey, ApplicationSecretKey: cr.ApplicationSecret,
		AccessToken: cr.AccessToken, SessionSecretKey: cr.SessionSecret}, core.WithBaseURL(ten.OK.URL),
		core.WithHTTPClient(r.sb.HTTPClient()), core.WithRetry(0, 0, 0))
	require.NoError(t, err)
	topic, err := cl.PostTopic(ctx, &ok.PostTopicRequest{Type: ok.TopicGroupTheme, GroupID: fmt.Sprint(cr.GroupID),
		Attachment: ok.Attachment{Media: []ok.MediaItem{ok.TextItem("Отключения электроэнергии")}, OnBehalfOfGroup: true}})
	require.NoError(t, err)
	for _, text := range []string{"Когда включат свет на Садовой?", "А график будет?"} {
		_, err := ten.Act(ctx, mock.OKComment{TopicID: string(topic), UserID: 5550001, Name: "Пётр Смирнов", Text: text})
		require.NoError(t, err)
	}

	res, err := r.admin.CollectDialogs(ctx)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	require.Equal(t, 2, res.Received)
	page, err := r.editor.ListDialogs(ctx, gospubliki.DialogFilter{Source: gospubliki.SourceOKComment})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	var light, plan gospubliki.Dialog
	for _, d := range page.Items {
		require.Equal(t, okc.Ref, d.PageRef)
		require.Equal(t, string(topic), d.Thread)
		require.Equal(t, "Пётр Смирнов", d.Author)
		if d.Text == "Когда включат свет на Садовой?" {
			light = d
		} else {
			plan = d
		}
	}
	require.Equal(t, gospubliki.DialogAnswered, light.Status)
	require.Equal(t, gospubliki.ReplySent, light.Replies[0].Status, light.Replies[0].Error)
	out, err := r.editor.ReplyDialog(ctx, plan.ID, "График опубликуем завтра.")
	require.NoError(t, err)
	require.Equal(t, gospubliki.DialogAnswered, out.Status)

	cs := ten.OK.Comments(string(topic))
	require.Len(t, cs, 4)
	require.Equal(t, "Спасибо, Пётр Смирнов! Передали в энергослужбу.", cs[2].Text)
	require.Equal(t, okmock.DefaultGroupID, cs[2].GroupID, "on behalf of the group")
	require.Zero(t, cs[2].AuthorID)
	require.Equal(t, "График опубликуем завтра.", cs[3].Text)

	// The group's own answers are not dialogs; nothing is read twice.
	res, err = r.admin.CollectDialogs(ctx)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	require.Zero(t, res.Received)
	_, err = ten.Act(ctx, mock.OKComment{TopicID: string(topic), UserID: 5550002, Text: "Спасибо"})
	require.NoError(t, err)
	res, err = r.admin.CollectDialogs(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, res.Received)

	// An unknown topic is the action's not found.
	_, err = ten.Act(ctx, mock.OKComment{TopicID: "999", UserID: 1, Text: "x"})
	require.ErrorIs(t, err, mock.ErrActNotFound)
}
