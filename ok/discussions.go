package ok

import (
	"context"

	"github.com/gospubliki/gosdk/core"
)

// Discussions of group topics: OK keeps the comments of an object (a
// group topic, a photo, …) as a "discussion" named by the object's id and
// type.
//
// Confirmed against public clients of the OK API (method names, the
// discussionId/discussionType parameters, the comment fields id,
// author_id, author_name, text, date_ms, reply_to_comment_id):
// discussions.getList and discussions.getComments. UNCONFIRMED: the
// discussion type of a group topic (DiscussionGroupTopic), the list's
// ref_objects and total_comments_count fields, the author_ref of a
// comment written on behalf of a group ("group:<id>"), and the method
// that adds a comment (discussions.addComment with discussionId,
// discussionType and comment); no public documentation of it was found.

// DiscussionGroupTopic is the discussion type of a group topic
// (UNCONFIRMED, see above).
const DiscussionGroupTopic = "GROUP_TOPIC"

// Discussion is an entry of discussions.getList.
type Discussion struct {
	// ObjectType and ObjectID name the discussed object (a group topic:
	// DiscussionGroupTopic and the topic id).
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	Title      string `json:"title,omitempty"`
	// NewCommentsCount is how many comments the caller has not read;
	// TotalCommentsCount how many there are.
	NewCommentsCount   int `json:"new_comments_count,omitempty"`
	TotalCommentsCount int `json:"total_comments_count,omitempty"`
	// RefObjects name the objects it belongs to ({"type":"GROUP","id":…}).
	RefObjects []RefObject `json:"ref_objects,omitempty"`
}

// RefObject is an object a discussion refers to.
type RefObject struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// GroupID returns the id of the group the discussion belongs to ("" when
// none).
func (d Discussion) GroupID() string {
	for _, r := range d.RefObjects {
		if r.Type == "GROUP" {
			return r.ID
		}
	}
	return ""
}

// DiscussionListRequest is the request of discussions.getList.
type DiscussionListRequest struct {
	// Category is "GROUP" (the discussions of the caller's groups) or
	// "MY".
	Category string `url:"category,omitempty"`
	Count    int    `url:"count,omitempty"`
	Anchor   string `url:"anchor,omitempty"`
}

// DiscussionList is the answer of discussions.getList.
type DiscussionList struct {
	Discussions []Discussion `json:"discussions"`
	Anchor      string       `json:"anchor,omitempty"`
	HasMore     bool         `json:"has_more,omitempty"`
}

// GetDiscussions calls discussions.getList.
func (c *Client) GetDiscussions(ctx context.Context, req *DiscussionListRequest, opts ...core.CallOption) (*DiscussionList, error) {
	r := DiscussionListRequest{Category: "GROUP"}
	if req != nil {
		r = *req
	}
	var out DiscussionList
	if err := c.do(ctx, "discussions.getList", &r, &out, read(opts)); err != nil {
		return nil, err
	}
	return &out, nil
}

// DiscussionComment is a comment of a discussion.
type DiscussionComment struct {
	ID         string `json:"id"`
	AuthorID   string `json:"author_id,omitempty"`
	AuthorName string `json:"author_name,omitempty"`
	// AuthorRef is "group:<id>" for a comment written on behalf of a
	// group (UNCONFIRMED).
	AuthorRef        string `json:"author_ref,omitempty"`
	Text             string `json:"text"`
	DateMS           int64  `json:"date_ms"`
	ReplyToCommentID string `json:"reply_to_comment_id,omitempty"`
	Type             string `json:"type,omitempty"`
}

// DiscussionCommentsRequest is the request of discussions.getComments.
type DiscussionCommentsRequest struct {
	DiscussionID   string `url:"discussionId"`
	DiscussionType string `url:"discussionType"`
	// Anchor continues after the comment of a previous answer's anchor;
	// Direction is "FORWARD" (default) or "BACKWARD".
	Anchor    string `url:"anchor,omitempty"`
	Direction string `url:"direction,omitempty"`
	Count     int    `url:"count,omitempty"`
}

// DiscussionComments is the answer of discussions.getComments.
type DiscussionComments struct {
	Comments []DiscussionComment `json:"comments"`
	Anchor   string              `json:"anchor,omitempty"`
	HasMore  bool                `json:"has_more,omitempty"`
}

// GetDiscussionComments calls discussions.getComments.
func (c *Client) GetDiscussionComments(ctx context.Context, req *DiscussionCommentsRequest, opts ...core.CallOption) (*DiscussionComments, error) {
	if req == nil || req.DiscussionID == "" || req.DiscussionType == "" {
		return nil, invalid("discussions.getComments", "no discussion id or type")
	}
	var out DiscussionComments
	if err := c.do(ctx, "discussions.getComments", req, &out, read(opts)); err != nil {
		return nil, err
	}
	return &out, nil
}

// AddDiscussionCommentRequest is the request of discussions.addComment
// (UNCONFIRMED, see above).
type AddDiscussionCommentRequest struct {
	DiscussionID   string `url:"discussionId"`
	DiscussionType string `url:"discussionType"`
	Comment        string `url:"comment"`
	// ReplyToCommentID answers a comment.
	ReplyToCommentID string `url:"replyToCommentId,omitempty"`
}

// AddDiscussionComment calls discussions.addComment (UNCONFIRMED, see
// above): it writes a comment, on behalf of the group when the caller
// administers it, and returns its id. It is a write: never repeated once
// it may have reached OK.
func (c *Client) AddDiscussionComment(ctx context.Context, req *AddDiscussionCommentRequest, opts ...core.CallOption) (string, error) {
	if req == nil || req.DiscussionID == "" || req.DiscussionType == "" || req.Comment == "" {
		return "", invalid("discussions.addComment", "no discussion id, type or comment")
	}
	var id string
	if err := c.do(ctx, "discussions.addComment", req, &id, callOpts{call: opts}); err != nil {
		return "", err
	}
	return id, nil
}
