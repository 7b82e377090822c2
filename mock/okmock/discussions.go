package okmock

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/mock/world"
)

// Discussions of group topics (see the ok package for what of their shape
// is confirmed): a citizen's comment on a published group topic
// ([Server.CommentTopic]) is listed by discussions.getList (category
// GROUP, the groups the caller may post in) and discussions.getComments
// (discussionType GROUP_TOPIC, anchor = a comment id, direction FORWARD);
// discussions.addComment writes on behalf of the group when the caller may
// post in it (author_ref "group:<id>"), else as the caller.

// discussionGroupTopic is the discussion type of a group topic.
const discussionGroupTopic = "GROUP_TOPIC"

// maxComments bounds the comments the emulator keeps per topic.
const maxComments = 10000

// Comment is a comment on a group topic.
type Comment struct {
	ID      string `json:"id"`
	TopicID string `json:"topic_id"`
	// AuthorID is the OK user's id (0: written on behalf of GroupID).
	AuthorID   int64     `json:"author_id,omitempty"`
	AuthorName string    `json:"author_name,omitempty"`
	GroupID    int64     `json:"group_id,omitempty"`
	Text       string    `json:"text"`
	Date       time.Time `json:"date"`
	ReplyTo    string    `json:"reply_to,omitempty"`
}

func (c Comment) object() map[string]any {
	o := map[string]any{"id": c.ID, "text": c.Text, "date_ms": c.Date.UnixMilli(), "type": "ACTIVE_MESSAGE"}
	if c.AuthorID != 0 {
		o["author_id"] = strconv.FormatInt(c.AuthorID, 10)
	} else {
		o["author_ref"] = "group:" + strconv.FormatInt(c.GroupID, 10)
	}
	if c.AuthorName != "" {
		o["author_name"] = c.AuthorName
	}
	if c.ReplyTo != "" {
		o["reply_to_comment_id"] = c.ReplyTo
	}
	return o
}

// CommentTopic simulates an OK user (userID, shown as name) commenting on
// a published group topic; it returns the comment.
func (s *Server) CommentTopic(topicID string, userID int64, name, text string) (Comment, error) {
	if userID <= 0 || strings.TrimSpace(text) == "" || utf8.RuneCountInString(text) > 4096 {
		return Comment{}, fmt.Errorf("%w: a user id and a text of 1 to 4096 characters", world.ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.topics[topicID]
	if !ok || !t.Published || t.GroupID == 0 {
		return Comment{}, fmt.Errorf("%w: published group topic %q", world.ErrNotFound, topicID)
	}
	return s.addCommentLocked(Comment{TopicID: topicID, AuthorID: userID, AuthorName: name, Text: text}), nil
}

// Comments returns a topic's comments, oldest first.
func (s *Server) Comments(topicID string) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Comment(nil), s.comments[topicID]...)
}

func (s *Server) addCommentLocked(c Comment) Comment {
	s.seq++
	c.ID = strconv.FormatInt(firstTopicID+s.seq, 10)
	c.Date = s.w.Clock.Now()
	cs := append(s.comments[c.TopicID], c)
	if len(cs) > maxComments {
		cs = cs[len(cs)-maxComments:]
	}
	s.comments[c.TopicID] = cs
	return c
}

func (c *call) discussionsGetList() (any, *apiError) {
	if cat := strings.ToUpper(c.params.Get("category")); cat != "" && cat != "GROUP" {
		return nil, errf(CodeParam, "the sandbox lists category GROUP only")
	}
	count := 100
	if v := c.params.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return nil, errf(CodeParam, "count must be 1 to 100")
		}
		count = n
	}
	s := c.s
	s.mu.Lock()
	type item struct {
		t *topic
		n int
	}
	var items []item
	for i := len(s.order) - 1; i >= 0; i-- {
		t := s.topics[s.order[i]]
		if t == nil || !t.Published || t.GroupID == 0 || len(s.comments[t.ID]) == 0 {
			continue
		}
		items = append(items, item{t, len(s.comments[t.ID])})
	}
	s.mu.Unlock()
	out := []map[string]any{}
	for _, it := range items {
		if len(out) == count {
			break
		}
		p, err := s.w.Page(world.NetworkOK, it.t.GroupID)
		if err != nil || !canPost(c.role(p)) {
			continue
		}
		title := ""
		for _, m := range it.t.Media {
			if m.Type == "text" {
				title = m.Text
				break
			}
		}
		out = append(out, map[string]any{"object_type": discussionGroupTopic, "object_id": it.t.ID, "title": title,
			"new_comments_count": it.n, "total_comments_count": it.n,
			"ref_objects": []map[string]any{{"type": "GROUP", "id": strconv.FormatInt(it.t.GroupID, 10)}}})
	}
	return map[string]any{"discussions": out, "has_more": false}, nil
}

// discussionTopic resolves discussionId/discussionType to a topic the
// caller may see.
func (c *call) discussionTopic() (*topic, *apiError) {
	id, typ := c.params.Get("discussionId"), strings.ToUpper(c.params.Get("discussionType"))
	switch {
	case id == "" || typ == "":
		return nil, errf(CodeParam, "discussionId and discussionType are required")
	case typ != discussionGroupTopic:
		return nil, errf(CodeParam, "the sandbox serves discussionType GROUP_TOPIC only")
	}
	t, ok := c.s.topics[id]
	if !ok || !t.Published || t.GroupID == 0 {
		return nil, errf(CodeNotFound, "discussion not found")
	}
	return t, nil
}

func (c *call) discussionsGetComments() (any, *apiError) {
	count := 20
	if v := c.params.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return nil, errf(CodeParam, "count must be 1 to 100")
		}
		count = n
	}
	if d := strings.ToUpper(c.params.Get("direction")); d != "" && d != "FORWARD" {
		return nil, errf(CodeParam, "the sandbox pages FORWARD only")
	}
	anchor := c.params.Get("anchor")
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := c.discussionTopic()
	if e != nil {
		return nil, e
	}
	cs := s.comments[t.ID]
	start := 0
	if anchor != "" {
		start = -1
		for i, x := range cs {
			if x.ID == anchor {
				start = i + 1
				break
			}
		}
		if start < 0 {
			// The anchor's comment is gone: continue after its id.
			a, _ := strconv.ParseInt(anchor, 10, 64)
			start = len(cs)
			for i, x := range cs {
				if n, _ := strconv.ParseInt(x.ID, 10, 64); n > a {
					start = i
					break
				}
			}
		}
	}
	out := []map[string]any{}
	last := anchor
	i := start
	for ; i < len(cs) && len(out) < count; i++ {
		out = append(out, cs[i].object())
		last = cs[i].ID
	}
	return map[string]any{"comments": out, "anchor": last, "has_more": i < len(cs)}, nil
}

func (c *call) discussionsAddComment() (any, *apiError) {
	text := c.params.Get("comment")
	if strings.TrimSpace(text) == "" || utf8.RuneCountInString(text) > 4096 {
		return nil, errf(CodeParam, "comment must be 1 to 4096 characters")
	}
	s := c.s
	s.mu.Lock()
	t, e := c.discussionTopic()
	s.mu.Unlock()
	if e != nil {
		return nil, e
	}
	p, err := s.w.Page(world.NetworkOK, t.GroupID)
	if err != nil {
		return nil, errf(CodeNotFound, "group not found")
	}
	cm := Comment{TopicID: t.ID, Text: text, ReplyTo: c.params.Get("replyToCommentId")}
	if canPost(c.role(p)) {
		cm.GroupID, cm.AuthorName = p.ID, p.Title
	} else {
		cm.AuthorID, cm.AuthorName = c.okID, strings.TrimSpace(c.person.FirstName+" "+c.person.LastName)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.topics[t.ID]; !ok {
		return nil, errf(CodeNotFound, "discussion not found")
	}
	return s.addCommentLocked(cm).ID, nil
}
