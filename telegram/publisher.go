package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/social"
)

// Publisher publishes social.Post values to one Telegram channel. It
// implements social.Publisher, social.Editor, social.Deleter,
// social.PageStatsReader and social.PostStatsReader (the last always
// answers errors.ErrUnsupported: the Bot API reports no post statistics).
// It is safe for concurrent use. Build it with Client.Publisher.
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
// The Receipt lists every message as a social.Part (an album of three
// photos is three parts; the part whose text or caption holds the post's
// text has HasText), its PostID is the first message's id and its URL is
// https://t.me/<username>/<id> when the channel's public username is known.
// Receipt.Key is the post's StableKey. When a later message fails after
// earlier ones were published, Publish returns the Receipt of what was
// published together with a *social.PartialPublishError (errors.Is matches
// social.ErrPartiallyPublished, and also social.ErrUnknownOutcome when the
// failed message may have been published too).
//
// Telegram has no idempotency key for sends: the Bot API cannot recognise
// a repeated post. The publisher therefore never repeats a send whose
// outcome is unknown (the client retries only when Telegram provably did
// not execute the request), and a repeat after an unknown or partial
// outcome is never automatic: the caller checks the channel first (for
// example with the ids of Receipt.Parts) and decides.
//
// Publish refuses a post whose PublishAt is more than a minute in the
// future (ErrScheduleUnsupported): the Bot API cannot schedule, so the
// caller's scheduler calls Publish when the post is due. "Future" is judged
// on the publisher's clock (WithPublishClock), else on the clock carried by
// the ctx (social.WithClock, as FanOutOptions.Clock does), else on the
// client's clock (core.WithClock; the system clock by default).
type Publisher struct {
	c              *Client
	chat           ChatID
	name           string
	username       string
	silent         bool
	disablePreview bool
	clock          core.Clock
}

var (
	_ social.Publisher       = (*Publisher)(nil)
	_ social.Editor          = (*Publisher)(nil)
	_ social.Deleter         = (*Publisher)(nil)
	_ social.PageStatsReader = (*Publisher)(nil)
	_ social.PostStatsReader = (*Publisher)(nil)
)

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

// WithoutLinkPreview disables link previews of text messages (also when
// the text is edited).
func WithoutLinkPreview() PublisherOption {
	return func(p *Publisher) { p.disablePreview = true }
}

// WithPublishClock sets the clock on which the publisher judges a post's
// PublishAt and stamps PageStats. Without it the publisher uses the clock
// carried by the ctx (social.WithClock), else the client's clock.
func WithPublishClock(clock core.Clock) PublisherOption {
	return func(p *Publisher) { p.clock = clock }
}

// now reads the publisher's clock: its own, the ctx's, or the client's.
func (p *Publisher) now(ctx context.Context) time.Time {
	if p.clock == nil && social.ClockFrom(ctx) == nil && p.c.clock != nil {
		return p.c.clock.Now()
	}
	return social.ResolveClock(ctx, p.clock).Now()
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

// scheduleTolerance is how far in the future PublishAt may be and still
// count as due (clock skew between the scheduler and the publisher).
const scheduleTolerance = time.Minute

// step sends one message (or album) of a post. kinds are the parts it
// publishes, in order; textAt is the index of the part that carries the
// post's text, or -1.
type step struct {
	send   func(ctx context.Context) ([]Message, error)
	kinds  []social.PartKind
	textAt int
}

// Publish publishes post now. See Publisher for how a post maps to
// messages. All limits are checked before the first message is sent.
func (p *Publisher) Publish(ctx context.Context, post social.Post) (social.Receipt, error) {
	if err := post.Validate(); err != nil {
		return social.Receipt{}, fmt.Errorf("telegram: %w", err)
	}
	if err := p.chat.Validate(); err != nil {
		return social.Receipt{}, invalid("publish", "chat_id", err.Error())
	}
	if !post.PublishAt.IsZero() && post.PublishAt.Sub(p.now(ctx)) > scheduleTolerance {
		return social.Receipt{}, ErrScheduleUnsupported
	}
	steps, err := p.plan(post)
	if err != nil {
		return social.Receipt{}, err
	}
	var rc social.Receipt
	for si, st := range steps {
		msgs, err := st.send(ctx)
		if err != nil {
			if len(rc.Parts) == 0 {
				return social.Receipt{}, err
			}
			total := len(rc.Parts)
			for _, rest := range steps[si:] {
				total += len(rest.kinds)
			}
			return rc, &social.PartialPublishError{Operation: "telegram.publish", PartIDs: rc.PartIDs(), Total: total, Err: err}
		}
		if len(rc.Parts) == 0 && len(msgs) > 0 {
			rc = p.receipt(&msgs[0])
			rc.Key = post.StableKey()
		}
		for i := range msgs {
			part := social.Part{ID: strconv.FormatInt(msgs[i].MessageID, 10), Kind: partKind(&msgs[i])}
			if i < len(st.kinds) && len(msgs) == len(st.kinds) {
				part.Kind = st.kinds[i]
			}
			part.HasText = i == st.textAt
			rc.Parts = append(rc.Parts, part)
		}
	}
	return rc, nil
}

// partKind is the part kind of a message Telegram returned.
func partKind(m *Message) social.PartKind {
	switch {
	case m.Poll != nil:
		return social.PartPoll
	case len(m.Photo) > 0:
		return social.PartPhoto
	case m.Video != nil:
		return social.PartVideo
	case m.Document != nil:
		return social.PartDocument
	}
	return social.PartText
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
		steps = append(steps, step{send: one(func(ctx context.Context) (*Message, error) { return p.c.SendMessage(ctx, req) }),
			kinds: []social.PartKind{social.PartText}, textAt: 0})
	}
	if pollReq != nil {
		steps = append(steps, step{send: one(func(ctx context.Context) (*Message, error) { return p.c.SendPoll(ctx, pollReq) }),
			kinds: []social.PartKind{social.PartPoll}, textAt: -1})
	}
	return steps, nil
}

// one adapts a single-message send to a step's send.
func one(send func(ctx context.Context) (*Message, error)) func(ctx context.Context) ([]Message, error) {
	return func(ctx context.Context) ([]Message, error) {
		m, err := send(ctx)
		if err != nil {
			return nil, err
		}
		return []Message{*m}, nil
	}
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
		textAt := 0 // the post's text is the caption
		if caption == "" {
			caption, textAt = m.Caption, -1
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
		return step{send: one(send), kinds: []social.PartKind{social.PartKindOf(m.Kind)}, textAt: textAt}
	}
	items := make([]InputMedia, len(chunk))
	kinds := make([]social.PartKind, len(chunk))
	textAt := -1
	if caption != "" {
		textAt = 0
	}
	for i, m := range chunk {
		kinds[i] = social.PartKindOf(m.Kind)
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
	return step{send: func(ctx context.Context) ([]Message, error) { return p.c.SendMediaGroup(ctx, req) },
		kinds: kinds, textAt: textAt}
}
