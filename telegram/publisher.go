package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/social"
)

// Publisher publishes social.Post values to one Telegram channel. It
// implements social.Publisher and is safe for concurrent use. Build it with
// Client.Publisher.
//
// A post becomes one or more messages, in this order:
//
//   - the media: photos and videos first, then documents (Telegram does not
//     mix them in one album), each kind in albums of up to 10 items (a single
//     item is sent with sendPhoto, sendVideo or sendDocument);
//   - the text (with the link appended after a blank line) as the caption of
//     the first media message when it fits in 1024 UTF-16 units and that item
//     has no caption of its own; otherwise as a separate text message after
//     the media, or as the only message when there is no media;
//   - the poll last (anonymous in channels, where Telegram allows no other).
//
// Publish checks every limit before the first message is sent: a text over
// 4096 UTF-16 units (with the link), a caption over 1024, more than 12 poll
// options or a question over 300 units fail with ErrInvalidRequest and
// nothing is published; a long text is never split.
//
// The Receipt's PostID is the first message's id and its URL is
// https://t.me/<username>/<id> when the channel's public username is known.
// When a later message fails after the first was published, Publish returns
// the Receipt of what was published together with a *PartialPublishError,
// which matches social.ErrUnknownOutcome so that the post is not published
// again blindly.
type Publisher struct {
	c              *Client
	chat           ChatID
	name           string
	username       string
	silent         bool
	disablePreview bool
}

var _ social.Publisher = (*Publisher)(nil)

// PublisherOption configures a Publisher.
type PublisherOption func(*Publisher)

// WithPageName sets the channel title reported by Page.
func WithPageName(name string) PublisherOption {
	return func(p *Publisher) { p.name = name }
}

// WithPublicUsername sets the channel's public username (with or without
// "@"), used for t.me URLs when the channel is addressed by numeric id.
func WithPublicUsername(username string) PublisherOption {
	return func(p *Publisher) { p.username = strings.TrimPrefix(username, "@") }
}

// WithSilentPosts sends every message with disable_notification.
func WithSilentPosts() PublisherOption {
	return func(p *Publisher) { p.silent = true }
}

// WithoutLinkPreview disables link previews of text messages.
func WithoutLinkPreview() PublisherOption {
	return func(p *Publisher) { p.disablePreview = true }
}

// Publisher returns a social.Publisher for the channel chat.
func (c *Client) Publisher(chat ChatID, opts ...PublisherOption) *Publisher {
	p := &Publisher{c: c, chat: chat}
	if chat.username != "" {
		p.username = chat.username[1:]
	}
	for _, o := range opts {
		if o != nil {
			o(p)
		}
	}
	return p
}

// Page describes the channel without a network call.
func (p *Publisher) Page() social.PageInfo {
	pi := social.PageInfo{Network: social.Telegram, ID: p.chat.String(), Name: p.name}
	if p.username != "" {
		pi.URL = "https://t.me/" + p.username
	}
	return pi
}

// ErrScheduleUnsupported is returned by Publish for a post whose PublishAt
// is in the future: the Bot API cannot schedule messages, so the caller
// (the cabinet's scheduler) must call Publish at that time.
var ErrScheduleUnsupported = errors.New("telegram: the Bot API cannot schedule posts; publish at PublishAt")

// PartialPublishError reports a post of which some messages were published
// before a later one failed. Receipt and MessageIDs describe what was
// published. It matches social.ErrUnknownOutcome (the post is on the
// channel, incomplete, and must not be published again blindly) and wraps
// the failure, so errors.Is also finds the cause.
type PartialPublishError struct {
	// Receipt is the receipt of the published part (PostID: first message).
	Receipt social.Receipt
	// MessageIDs are the ids of the published messages, in order.
	MessageIDs []int64
	// Err is the failure of the first message that was not published.
	Err error
}

// Error implements error.
func (e *PartialPublishError) Error() string {
	return "telegram: post partially published (" + strconv.Itoa(len(e.MessageIDs)) + " message(s), first " +
		e.Receipt.PostID + "): " + e.Err.Error()
}

// Unwrap returns the failure.
func (e *PartialPublishError) Unwrap() error { return e.Err }

// Is reports whether target is social.ErrUnknownOutcome.
func (e *PartialPublishError) Is(target error) bool { return target == social.ErrUnknownOutcome }

// step sends one message (or album) of a post.
type step func(ctx context.Context) ([]Message, error)

// Publish publishes post now. See Publisher for how a post maps to
// messages. All limits are checked before the first message is sent.
func (p *Publisher) Publish(ctx context.Context, post social.Post) (social.Receipt, error) {
	if err := post.Validate(); err != nil {
		return social.Receipt{}, fmt.Errorf("telegram: %w", err)
	}
	if err := p.chat.Validate(); err != nil {
		return social.Receipt{}, invalid("publish", "chat_id", err.Error())
	}
	if !post.PublishAt.IsZero() && time.Until(post.PublishAt) > time.Minute {
		return social.Receipt{}, ErrScheduleUnsupported
	}
	steps, err := p.plan(post)
	if err != nil {
		return social.Receipt{}, err
	}
	var (
		rc  social.Receipt
		ids []int64
	)
	for _, st := range steps {
		msgs, err := st(ctx)
		if err != nil {
			if len(ids) == 0 {
				return social.Receipt{}, err
			}
			return rc, &PartialPublishError{Receipt: rc, MessageIDs: ids, Err: err}
		}
		if len(ids) == 0 && len(msgs) > 0 {
			rc = p.receipt(&msgs[0])
		}
		for i := range msgs {
			ids = append(ids, msgs[i].MessageID)
		}
	}
	return rc, nil
}

func (p *Publisher) receipt(m *Message) social.Receipt {
	rc := social.Receipt{
		Network:     social.Telegram,
		PageID:      p.chat.String(),
		PostID:      strconv.FormatInt(m.MessageID, 10),
		PublishedAt: m.Time(),
	}
	user := p.username
	if user == "" {
		user = m.Chat.Username
	}
	if user != "" {
		rc.URL = "https://t.me/" + user + "/" + rc.PostID
	}
	return rc
}

// postText is the text of a post with its link appended.
func postText(post social.Post) string {
	text := strings.TrimSpace(post.Text)
	if post.Link == nil || strings.Contains(text, post.Link.URL) {
		return text
	}
	link := post.Link.URL
	if t := strings.TrimSpace(post.Link.Title); t != "" {
		link = t + "\n" + link
	}
	if text == "" {
		return link
	}
	return text + "\n\n" + link
}

func inputFile(m social.Media) InputFile {
	if m.Data != nil {
		name := m.Filename
		if name == "" {
			switch m.Kind {
			case social.Photo:
				name = "photo.jpg"
			case social.Video:
				name = "video.mp4"
			default:
				name = "document"
			}
		}
		return FileBytes(name, m.Data).WithContentType(m.ContentType)
	}
	return FileURL(m.URL)
}

// plan checks post against Telegram's limits and returns the sends.
func (p *Publisher) plan(post social.Post) ([]step, error) {
	const method = "publish"
	text := postText(post)
	if n := UTF16Len(text); n > MaxTextLength {
		return nil, invalid(method, "text", "is "+strconv.Itoa(n)+" UTF-16 units long, the limit is "+strconv.Itoa(MaxTextLength))
	}
	var visual, docs []social.Media
	for i, m := range post.Media {
		if UTF16Len(m.Caption) > MaxCaptionLength {
			return nil, invalid(method, "media["+strconv.Itoa(i)+"].caption", "exceeds 1024 UTF-16 units")
		}
		if m.Kind == social.Document {
			docs = append(docs, m)
		} else {
			visual = append(visual, m)
		}
	}
	var chunks [][]social.Media
	for _, list := range [][]social.Media{visual, docs} {
		for len(list) > 0 {
			n := min(len(list), MaxMediaGroupSize)
			// Never leave a single item for a last album of one when it
			// can be balanced (11 items: 9 + 2, not 10 + 1).
			if len(list)-n == 1 && n > MinMediaGroupSize {
				n--
			}
			chunks = append(chunks, list[:n])
			list = list[n:]
		}
	}
	var pollReq *SendPollRequest
	if post.Poll != nil {
		pr, err := p.pollRequest(post.Poll)
		if err != nil {
			return nil, err
		}
		pollReq = pr
	}

	textAsCaption := text != "" && len(chunks) > 0 && chunks[0][0].Caption == "" && UTF16Len(text) <= MaxCaptionLength
	var steps []step
	for ci, chunk := range chunks {
		caption := ""
		if ci == 0 && textAsCaption {
			caption = text
		}
		steps = append(steps, p.mediaStep(chunk, caption))
	}
	if text != "" && !textAsCaption {
		req := &SendMessageRequest{ChatID: p.chat, Text: text, DisableNotification: p.silent}
		if p.disablePreview {
			req.LinkPreviewOptions = &LinkPreviewOptions{IsDisabled: true}
		}
		steps = append(steps, func(ctx context.Context) ([]Message, error) {
			m, err := p.c.SendMessage(ctx, req)
			if err != nil {
				return nil, err
			}
			return []Message{*m}, nil
		})
	}
	if pollReq != nil {
		steps = append(steps, func(ctx context.Context) ([]Message, error) {
			m, err := p.c.SendPoll(ctx, pollReq)
			if err != nil {
				return nil, err
			}
			return []Message{*m}, nil
		})
	}
	return steps, nil
}

func (p *Publisher) pollRequest(poll *social.Poll) (*SendPollRequest, error) {
	const method = "publish"
	if n := UTF16Len(poll.Question); n > MaxPollQuestionLength {
		return nil, invalid(method, "poll.question", "exceeds 300 UTF-16 units")
	}
	if n := len(poll.Options); n > MaxPollOptions {
		return nil, invalid(method, "poll.options", "a poll has at most 12 options, got "+strconv.Itoa(n))
	}
	opts := make([]InputPollOption, len(poll.Options))
	for i, o := range poll.Options {
		if n := UTF16Len(o); n < 1 || n > MaxPollOptionLength {
			return nil, invalid(method, "poll.options["+strconv.Itoa(i)+"]", "must be 1 to 100 UTF-16 units long")
		}
		opts[i] = InputPollOption{Text: o}
	}
	anon := poll.Anonymous
	if t, ok := p.c.kinds.get(p.chat.kindKey()); !ok || t == ChatTypeChannel {
		anon = true // channels allow anonymous polls only
	}
	return &SendPollRequest{
		ChatID: p.chat, Question: poll.Question, Options: opts, IsAnonymous: &anon,
		AllowsMultipleAnswers: poll.MultipleAnswers, DisableNotification: p.silent,
	}, nil
}

func (p *Publisher) mediaStep(chunk []social.Media, caption string) step {
	if len(chunk) == 1 {
		m := chunk[0]
		if caption == "" {
			caption = m.Caption
		}
		f := inputFile(m)
		var send func(ctx context.Context) (*Message, error)
		switch m.Kind {
		case social.Photo:
			req := &SendPhotoRequest{ChatID: p.chat, Photo: f, Caption: caption, DisableNotification: p.silent}
			send = func(ctx context.Context) (*Message, error) { return p.c.SendPhoto(ctx, req) }
		case social.Video:
			req := &SendVideoRequest{ChatID: p.chat, Video: f, Caption: caption, DisableNotification: p.silent}
			send = func(ctx context.Context) (*Message, error) { return p.c.SendVideo(ctx, req) }
		default:
			req := &SendDocumentRequest{ChatID: p.chat, Document: f, Caption: caption, DisableNotification: p.silent}
			send = func(ctx context.Context) (*Message, error) { return p.c.SendDocument(ctx, req) }
		}
		return func(ctx context.Context) ([]Message, error) {
			msg, err := send(ctx)
			if err != nil {
				return nil, err
			}
			return []Message{*msg}, nil
		}
	}
	items := make([]InputMedia, len(chunk))
	for i, m := range chunk {
		c := m.Caption
		if i == 0 && caption != "" {
			c = caption
		}
		switch m.Kind {
		case social.Photo:
			items[i] = NewInputMediaPhoto(inputFile(m), c)
		case social.Video:
			items[i] = NewInputMediaVideo(inputFile(m), c)
		default:
			items[i] = NewInputMediaDocument(inputFile(m), c)
		}
	}
	req := &SendMediaGroupRequest{ChatID: p.chat, Media: items, DisableNotification: p.silent}
	return func(ctx context.Context) ([]Message, error) { return p.c.SendMediaGroup(ctx, req) }
}
