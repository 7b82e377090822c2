package vkmock

import (
	"strings"
)

// Reply is a comment a community (or a user) wrote under a community's
// post through wall.createComment, kept for tests and the sandbox's
// inspection (messages.send goes to the world's outbox).
type Reply struct {
	// Method is "wall.createComment".
	Method  string `json:"method"`
	GroupID int64  `json:"group_id"`
	// PostID and ReplyTo are the post and comment answered (comments);
	// PeerID the person written to (messages).
	PostID  int64 `json:"post_id,omitempty"`
	ReplyTo int64 `json:"reply_to,omitempty"`
	PeerID  int64 `json:"peer_id,omitempty"`
	// RandomID is the de-duplication id of a message.
	RandomID int64  `json:"random_id,omitempty"`
	ID       int64  `json:"id"`
	Text     string `json:"text"`
	FromID   int64  `json:"from_id"`
}

// maxReplies bounds the replies a server keeps.
const maxReplies = 10000

// Replies returns the comments written through wall.createComment under
// community groupID's posts, in order.
func (s *Server) Replies(groupID int64) []Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Reply
	for _, r := range s.st.replies {
		if r.GroupID == groupID {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) addReplyLocked(r Reply) {
	s.st.replies = append(s.st.replies, r)
	if len(s.st.replies) > maxReplies {
		s.st.replies = s.st.replies[len(s.st.replies)-maxReplies:]
	}
}

// wallCreateComment serves wall.createComment: a comment on a community
// post, from the community (from_group) or the token's user; it counts in
// the post's comments.
func (c *call) wallCreateComment() (any, *apiError) {
	p, owner, e := c.wallPage()
	if e != nil {
		return nil, e
	}
	pid, e := c.reqInt("post_id")
	if e != nil {
		return nil, e
	}
	msg := c.str("message")
	if strings.TrimSpace(msg) == "" {
		return nil, errInvalid("message", "is empty or invalid")
	}
	replyTo, e := c.optInt("reply_to_comment", 0)
	if e != nil {
		return nil, e
	}
	from := c.tok.UserID
	if fg, _ := c.optInt("from_group", 0); fg != 0 {
		if !c.canPost(p) {
			return nil, errMsg(15, "access denied: only the community's managers comment as the community")
		}
		from = owner
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	ps := c.s.findPostLocked(owner, pid)
	if ps == nil {
		return nil, errInvalid("post_id", "is invalid")
	}
	ps.Comments++
	id := c.s.st.newID()
	c.s.addReplyLocked(Reply{Method: "wall.createComment", GroupID: -owner, PostID: pid, ReplyTo: replyTo, ID: id, Text: msg, FromID: from})
	return map[string]any{"comment_id": id, "parents_stack": []int64{}}, nil
}
