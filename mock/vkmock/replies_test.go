package vkmock_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/world"
)

// TestCommunityReplies: wall.createComment from the community counts in
// the post's comments (wall.getById) and is kept; a comment needs a
// message and an existing post.
func TestCommunityReplies(t *testing.T) {
	e := newEnv(t)
	gid := strconv.FormatInt(world.DefaultVKGroupID, 10)
	owner := "-" + gid
	var post struct {
		PostID int64 `json:"post_id"`
	}
	e.ok(&post, "wall.post", e.user, "owner_id", owner, "from_group", "1", "message", "Новость")
	cid, err := e.srv.PostComment(world.DefaultVKGroupID, post.PostID, 4242, "Вопрос")
	require.NoError(t, err)
	pid := strconv.FormatInt(post.PostID, 10)
	var com struct {
		CommentID int64 `json:"comment_id"`
	}
	e.ok(&com, "wall.createComment", e.user, "owner_id", owner, "post_id", pid, "message", "Ответ", "from_group", gid,
		"reply_to_comment", strconv.FormatInt(cid, 10))
	require.Positive(t, com.CommentID)
	var posts struct {
		Items []struct {
			Comments struct {
				Count int `json:"count"`
			} `json:"comments"`
		} `json:"items"`
	}
	e.ok(&posts, "wall.getById", e.user, "posts", owner+"_"+pid, "extended", "1")
	require.Len(t, posts.Items, 1)
	assert.Equal(t, 2, posts.Items[0].Comments.Count, "the citizen's comment and the answer")
	assert.Equal(t, 100, e.call("wall.createComment", e.user, "owner_id", owner, "post_id", pid).code(), "message is required")
	assert.Equal(t, 100, e.call("wall.createComment", e.user, "owner_id", owner, "post_id", "999999", "message", "x").code())

	rs := e.srv.Replies(world.DefaultVKGroupID)
	require.Len(t, rs, 1)
	assert.Equal(t, "wall.createComment", rs[0].Method)
	assert.Equal(t, cid, rs[0].ReplyTo)
	assert.Equal(t, post.PostID, rs[0].PostID)
	assert.Equal(t, -world.DefaultVKGroupID, rs[0].FromID)
	assert.Equal(t, "Ответ", rs[0].Text)
}
