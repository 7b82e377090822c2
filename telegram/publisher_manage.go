package telegram

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/gospubliki/gosdk/social"
)

// Edit changes the text (with its link) of a post Publish published, as
// described by its receipt: editMessageText of the text message, or
// editMessageCaption of the media message whose caption holds the text.
// When no part holds text (a post of media only), the text becomes the
// caption of the first media message. Editing to the text the post
// already has succeeds (Telegram's "message is not modified" is not an
// error here), so an edit is safe to repeat.
//
// The Bot API publisher edits text only: a post whose number of media or
// whose poll differs from the receipt's parts is refused with an error
// matching errors.ErrUnsupported (delete the post and publish it again);
// the media themselves and the poll are left as published. A text that no
// longer fits where it is (over 1024 UTF-16 units for a caption, 4096 for
// a message) or an empty text for a text message fails with
// ErrInvalidRequest. Nothing is sent in either case.
func (p *Publisher) Edit(ctx context.Context, rc social.Receipt, post social.Post) (social.Receipt, error) {
	const op = "editPost"
	if err := post.Validate(); err != nil {
		return rc, fmt.Errorf("telegram: %w", err)
	}
	if err := p.checkReceipt(op, rc); err != nil {
		return rc, err
	}
	if len(rc.Parts) == 0 {
		return rc, invalid(op, "receipt", "lists no parts; Edit needs the receipt Publish returned")
	}
	media, polls, textAt, firstMedia := 0, 0, -1, -1
	for i, pt := range rc.Parts {
		switch pt.Kind {
		case social.PartPhoto, social.PartVideo, social.PartDocument:
			media++
			if firstMedia < 0 {
				firstMedia = i
			}
		case social.PartPoll:
			polls++
		}
		if pt.HasText && textAt < 0 {
			textAt = i
		}
	}
	wantPolls := 0
	if post.Poll != nil {
		wantPolls = 1
	}
	if media != len(post.Media) || polls != wantPolls {
		return rc, p.unsupported(op, "the Bot API publisher edits the text of a post only; "+
			"adding or removing media or a poll needs a new post")
	}
	text := postText(post)
	at := textAt
	if at < 0 {
		if text == "" {
			return rc, nil
		}
		if firstMedia < 0 {
			return rc, p.unsupported(op, "a text message cannot be added to a published post")
		}
		if firstPublishedMedia(post.Media).Caption != "" {
			return rc, p.unsupported(op, "the first media item has a caption of its own; the text cannot be added to it")
		}
		at = firstMedia
	}
	pt := rc.Parts[at]
	id, err := strconv.ParseInt(pt.ID, 10, 64)
	if err != nil || id <= 0 {
		return rc, invalid(op, "receipt.parts["+strconv.Itoa(at)+"].id", "is not a message id")
	}
	if pt.Kind == social.PartText {
		if text == "" {
			return rc, invalid(op, "text", "a text message cannot be emptied; delete the post instead")
		}
		if n := UTF16Len(text); n > MaxTextLength {
			return rc, invalid(op, "text", "is "+strconv.Itoa(n)+" UTF-16 units long, the limit is "+strconv.Itoa(MaxTextLength))
		}
		req := &EditMessageTextRequest{ChatID: p.chat, MessageID: id, Text: text}
		if p.disablePreview {
			req.LinkPreviewOptions = &LinkPreviewOptions{IsDisabled: true}
		}
		_, err = p.c.EditMessageText(ctx, req)
	} else {
		if n := UTF16Len(text); n > MaxCaptionLength {
			return rc, invalid(op, "text", "is "+strconv.Itoa(n)+" UTF-16 units long, too long for the caption that holds it (limit "+
				strconv.Itoa(MaxCaptionLength)+")")
		}
		_, err = p.c.EditMessageCaption(ctx, &EditMessageCaptionRequest{ChatID: p.chat, MessageID: id, Caption: text})
	}
	if err != nil && !errors.Is(err, ErrMessageNotModified) {
		return rc, err
	}
	out := rc
	out.Parts = slices.Clone(rc.Parts)
	for i := range out.Parts {
		out.Parts[i].HasText = i == at && text != ""
	}
	return out, nil
}

// firstPublishedMedia is the media item Publish sends first: the first
// photo or video, else the first document.
func firstPublishedMedia(media []social.Media) social.Media {
	for _, m := range media {
		if m.Kind != social.Document {
			return m
		}
	}
	return media[0]
}

// Delete deletes every message of a post Publish published (all parts of
// the receipt, or its PostID when it lists none) with deleteMessages, in
// batches of MaxDeleteMessages. Telegram skips messages that are already
// gone, so a delete is safe to repeat. In a channel the bot needs
// can_delete_messages to delete posts of others, can_post_messages for its
// own.
func (p *Publisher) Delete(ctx context.Context, rc social.Receipt) error {
	const op = "deletePost"
	if err := p.checkReceipt(op, rc); err != nil {
		return err
	}
	parts := rc.PartIDs()
	if len(parts) == 0 {
		return invalid(op, "receipt", "has no message ids")
	}
	ids := make([]int64, len(parts))
	for i, s := range parts {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return invalid(op, "receipt.parts["+strconv.Itoa(i)+"].id", "is not a message id")
		}
		ids[i] = id
	}
	for batch := range slices.Chunk(ids, MaxDeleteMessages) {
		if err := p.c.DeleteMessages(ctx, &DeleteMessagesRequest{ChatID: p.chat, MessageIDs: batch}); err != nil {
			return err
		}
	}
	return nil
}

// PageStats returns the channel's subscriber count (getChatMemberCount),
// the only page statistic the Bot API gives: Available is
// social.MetricSubscribers. At is stamped on the publisher's clock (see
// WithPublishClock).
func (p *Publisher) PageStats(ctx context.Context) (social.PageStats, error) {
	n, err := p.c.GetChatMemberCount(ctx, &GetChatMemberCountRequest{ChatID: p.chat})
	if err != nil {
		return social.PageStats{}, err
	}
	return social.PageStats{Subscribers: int64(n), Available: social.MetricSubscribers,
		At: p.now(ctx)}, nil
}

// PostStats always fails with an error matching errors.ErrUnsupported: the
// Bot API reports no views, reactions or forwards of channel posts (those
// need the MTProto API as a channel administrator). Nothing is sent.
func (p *Publisher) PostStats(_ context.Context, _ social.Receipt) (social.PostStats, error) {
	return social.PostStats{}, p.unsupported("postStats",
		"the Bot API reports no views, reactions or forwards of channel posts")
}

// checkReceipt refuses a receipt of another network or another channel.
func (p *Publisher) checkReceipt(op string, rc social.Receipt) error {
	if err := p.chat.Validate(); err != nil {
		return invalid(op, "chat_id", err.Error())
	}
	if rc.Network != social.Telegram {
		return invalid(op, "receipt", "is a receipt of network "+strconv.Quote(string(rc.Network))+", not telegram")
	}
	if rc.PageID != p.chat.String() {
		return invalid(op, "receipt", "belongs to chat "+strconv.Quote(rc.PageID)+", not "+strconv.Quote(p.chat.String()))
	}
	return nil
}

func (p *Publisher) unsupported(op, reason string) error {
	return &social.UnsupportedError{Network: social.Telegram, Operation: "telegram." + op, Reason: reason}
}
