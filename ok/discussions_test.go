package ok_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/ok"
)

// TestDiscussions: the discussion methods send OK's parameter names and
// read the answers; a write is not repeated; missing fields are refused
// before any call.
func TestDiscussions(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := f.client()
	f.on("discussions.getList", func(p url.Values) any {
		assert.Equal(t, "GROUP", p.Get("category"))
		return map[string]any{"discussions": []map[string]any{{"object_type": "GROUP_TOPIC", "object_id": "77", "title": "T",
			"new_comments_count": 2, "ref_objects": []map[string]any{{"type": "GROUP", "id": "555"}}}}}
	})
	l, err := c.GetDiscussions(ctx, nil)
	require.NoError(t, err)
	require.Len(t, l.Discussions, 1)
	assert.Equal(t, "555", l.Discussions[0].GroupID())
	assert.Equal(t, 2, l.Discussions[0].NewCommentsCount)

	f.on("discussions.getComments", func(p url.Values) any {
		assert.Equal(t, "77", p.Get("discussionId"))
		assert.Equal(t, "GROUP_TOPIC", p.Get("discussionType"))
		assert.Equal(t, "a1", p.Get("anchor"))
		return map[string]any{"comments": []map[string]any{{"id": "c2", "author_id": "9", "author_name": "Анна", "text": "Вопрос",
			"date_ms": 1700000000000, "reply_to_comment_id": "c1"}}, "anchor": "c2", "has_more": true}
	})
	cs, err := c.GetDiscussionComments(ctx, &ok.DiscussionCommentsRequest{DiscussionID: "77", DiscussionType: ok.DiscussionGroupTopic, Anchor: "a1"})
	require.NoError(t, err)
	require.Len(t, cs.Comments, 1)
	assert.Equal(t, ok.DiscussionComment{ID: "c2", AuthorID: "9", AuthorName: "Анна", Text: "Вопрос", DateMS: 1700000000000, ReplyToCommentID: "c1"}, cs.Comments[0])
	assert.Equal(t, "c2", cs.Anchor)
	assert.True(t, cs.HasMore)

	f.on("discussions.addComment", func(p url.Values) any {
		assert.Equal(t, "Ответ", p.Get("comment"))
		assert.Equal(t, "c2", p.Get("replyToCommentId"))
		return "c3"
	})
	id, err := c.AddDiscussionComment(ctx, &ok.AddDiscussionCommentRequest{DiscussionID: "77", DiscussionType: ok.DiscussionGroupTopic,
		Comment: "Ответ", ReplyToCommentID: "c2"})
	require.NoError(t, err)
	assert.Equal(t, "c3", id)
	assert.Equal(t, 1, f.hitCount("discussions.addComment"))

	_, err = c.GetDiscussionComments(ctx, &ok.DiscussionCommentsRequest{DiscussionID: "77"})
	require.ErrorIs(t, err, ok.ErrInvalidRequest)
	_, err = c.AddDiscussionComment(ctx, &ok.AddDiscussionCommentRequest{DiscussionID: "77", DiscussionType: ok.DiscussionGroupTopic})
	require.ErrorIs(t, err, ok.ErrInvalidRequest)
}
