package ok

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/social"
)

// Publisher publishes social.Post values to one OK group as group topics
// (mediatopic.post, type GROUP_THEME, on behalf of the group). It
// implements social.Publisher, social.PostStatsReader and
// social.PageStatsReader. OK's public API documents no method to edit or
// delete a group topic, so it implements neither social.Editor nor
// social.Deleter. It is safe for concurrent use. Build it with
// Client.Publisher.
//
// A post becomes one topic: the photos (media with Data, uploaded first
// with photosV2.getUploadUrl in one request), the videos (each uploaded
// with video.getUploadUrl), then one attachment with a text item (the
// post's text), a photo item, movie items, a link item and a poll item, in
// that order. Per-item captions are not sent (OK's photo and movie items
// carry none). Media given by URL and documents are refused with
// ErrInvalidRequest before anything is sent: OK fetches no media by URL
// and topics carry no documents.
//
// A post whose PublishAt is more than a minute in the future is scheduled
// on OK (publishAtMs): the receipt has ScheduledAt set and FanOut reports
// the page as scheduled. "Future" is judged on the publisher's clock
// (WithPublishClock), else on the clock carried by the ctx
// (social.WithClock), else on the client's clock (core.WithClock; the
// system clock by default).
//
// OK cannot recognise a repeated topic, so Publish never repeats
// mediatopic.post once it may have reached OK: such a failure matches
// social.ErrUnknownOutcome, and the caller checks the group before
// publishing again. The uploads before it are safe to repeat and are
// retried; a failed upload publishes nothing.
type Publisher struct {
	c               *Client
	groupID         string
	name            string
	shortname       string
	clock           core.Clock
	disableComments bool
	linkPreview     bool
}

var (
	_ social.Publisher       = (*Publisher)(nil)
	_ social.PostStatsReader = (*Publisher)(nil)
	_ social.PageStatsReader = (*Publisher)(nil)
)

// PublisherOption configures a Publisher.
type PublisherOption func(*Publisher)

// WithPageName sets the group name reported by Page.
func WithPageName(name string) PublisherOption { return func(p *Publisher) { p.name = name } }

// WithShortname sets the group's short address, used for the page URL
// (https://ok.ru/<shortname>).
func WithShortname(shortname string) PublisherOption {
	return func(p *Publisher) { p.shortname = shortname }
}

// WithPublishClock sets the clock on which the publisher judges a post's
// PublishAt and stamps receipts and statistics. Without it the publisher
// uses the clock carried by the ctx (social.WithClock), else the client's
// clock.
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

// WithoutComments publishes topics with comments disabled.
func WithoutComments() PublisherOption { return func(p *Publisher) { p.disableComments = true } }

// WithLinkPreview asks OK for a preview of the first link of the text
// (text_link_preview).
func WithLinkPreview() PublisherOption { return func(p *Publisher) { p.linkPreview = true } }

// Publisher returns a social.Publisher for the group groupID.
func (c *Client) Publisher(groupID string, opts ...PublisherOption) *Publisher {
	p := &Publisher{c: c, groupID: groupID}
	for _, o := range opts {
		if o != nil {
			o(p)
		}
	}
	return p
}

// Page describes the group without a network call.
func (p *Publisher) Page() social.PageInfo {
	pi := social.PageInfo{Network: social.OK, ID: p.groupID, Name: p.name, URL: "https://ok.ru/group/" + p.groupID}
	if p.shortname != "" {
		pi.URL = "https://ok.ru/" + p.shortname
	}
	return pi
}

// scheduleTolerance is how far in the future PublishAt may be and still
// count as "now".
const scheduleTolerance = time.Minute

// TopicURL returns the public address of a group topic.
func TopicURL(groupID, topicID string) string {
	return "https://ok.ru/group/" + groupID + "/topic/" + topicID
}

// Publish publishes post as a group topic. See Publisher.
func (p *Publisher) Publish(ctx context.Context, post social.Post) (social.Receipt, error) {
	if err := post.Validate(); err != nil {
		return social.Receipt{}, fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	if p.groupID == "" {
		return social.Receipt{}, invalid("publish", "no group id")
	}
	var photos []File
	var videos []File
	for i, m := range post.Media {
		switch {
		case m.URL != "":
			return social.Receipt{}, invalid("publish", "media %d: OK cannot fetch media by URL; give its content", i)
		case m.Kind == social.Photo:
			photos = append(photos, File{Name: m.Filename, ContentType: m.ContentType, Data: m.Data})
		case m.Kind == social.Video:
			videos = append(videos, File{Name: m.Filename, ContentType: m.ContentType, Data: m.Data})
		default:
			return social.Receipt{}, invalid("publish", "media %d: OK topics carry no %s", i, m.Kind)
		}
	}
	now := p.now(ctx)
	att := Attachment{OnBehalfOfGroup: true, DisableComments: p.disableComments}
	if !post.PublishAt.IsZero() && post.PublishAt.Sub(now) > scheduleTolerance {
		att.PublishAt = post.PublishAt
	}
	text := strings.TrimSpace(post.Text)
	if text != "" {
		att.Media = append(att.Media, TextItem(post.Text))
	}
	if len(photos) > 0 {
		tokens, err := p.c.UploadPhotos(ctx, p.groupID, photos)
		if err != nil {
			return social.Receipt{}, err
		}
		att.Media = append(att.Media, PhotoItem(tokens...))
	}
	for _, v := range videos {
		id, err := p.c.UploadVideo(ctx, p.groupID, v)
		if err != nil {
			return social.Receipt{}, err
		}
		att.Media = append(att.Media, MovieItem(string(id)))
	}
	if post.Link != nil {
		att.Media = append(att.Media, LinkItem(post.Link.URL))
	}
	if q := post.Poll; q != nil {
		var opts []string
		if !q.MultipleAnswers {
			opts = append(opts, PollSingleChoice)
		}
		if q.Anonymous {
			opts = append(opts, PollAnonymousVoting)
		}
		att.Media = append(att.Media, PollItem(q.Question, q.Options, opts...))
	}
	id, err := p.c.PostTopic(ctx, &PostTopicRequest{Type: TopicGroupTheme, GroupID: p.groupID, Attachment: att, TextLinkPreview: p.linkPreview})
	if err != nil {
		return social.Receipt{}, err
	}
	rc := social.Receipt{
		Network: social.OK, PageID: p.groupID, PostID: string(id), Key: post.StableKey(),
		URL:   TopicURL(p.groupID, string(id)),
		Parts: []social.Part{{ID: string(id), Kind: topicKind(post), HasText: text != ""}},
	}
	if att.PublishAt.IsZero() {
		rc.PublishedAt = p.now(ctx)
	} else {
		rc.ScheduledAt = att.PublishAt
	}
	return rc, nil
}

// topicKind is the part kind of a topic: text, unless it has no text.
func topicKind(post social.Post) social.PartKind {
	switch {
	case strings.TrimSpace(post.Text) != "" || post.Link != nil:
		return social.PartText
	case len(post.Media) > 0:
		return social.PartKindOf(post.Media[0].Kind)
	case post.Poll != nil:
		return social.PartPoll
	}
	return social.PartText
}

// PostStats reads the topic's statistics with group.getStatTopic: reach,
// views, likes, comments and reshares (as reposts), each Available when
// OK returned it. At is stamped on the publisher's clock.
func (p *Publisher) PostStats(ctx context.Context, rc social.Receipt) (social.PostStats, error) {
	if rc.PostID == "" {
		return social.PostStats{}, invalid("postStats", "receipt without a post id")
	}
	st, err := p.c.GetStatTopic(ctx, &GetStatTopicRequest{TopicID: rc.PostID,
		Fields: []string{StatReach, StatViews, StatLikes, StatComments, StatReshares}})
	if err != nil {
		return social.PostStats{}, err
	}
	var ps social.PostStats
	pick(st, StatReach, &ps.Reach, &ps.Available, social.MetricReach)
	pick(st, StatViews, &ps.Views, &ps.Available, social.MetricViews)
	pick(st, StatLikes, &ps.Likes, &ps.Available, social.MetricLikes)
	pick(st, StatComments, &ps.Comments, &ps.Available, social.MetricComments)
	pick(st, StatReshares, &ps.Reposts, &ps.Available, social.MetricReposts)
	ps.At = p.now(ctx)
	return ps, nil
}

// PageStats reads the group's members (group.getCounters) and its
// statistics overview (group.getStatOverview: reach, views, likes,
// comments, reshares), each Available when OK returned it. At is stamped
// on the publisher's clock.
func (p *Publisher) PageStats(ctx context.Context) (social.PageStats, error) {
	var ps social.PageStats
	counters, err := p.c.GetCounters(ctx, &GetCountersRequest{GroupID: p.groupID, Types: []string{CounterMembers}})
	if err != nil {
		return social.PageStats{}, err
	}
	if n, ok := counters[CounterMembers]; ok {
		ps.Subscribers, ps.Available = n, ps.Available|social.MetricSubscribers
	}
	st, err := p.c.GetStatOverview(ctx, &GetStatOverviewRequest{GroupID: p.groupID,
		Fields: []string{StatReach, StatViews, StatLikes, StatComments, StatReshares}})
	if err != nil {
		return social.PageStats{}, err
	}
	pick(st, StatReach, &ps.Reach, &ps.Available, social.MetricReach)
	pick(st, StatViews, &ps.Views, &ps.Available, social.MetricViews)
	pick(st, StatLikes, &ps.Likes, &ps.Available, social.MetricLikes)
	pick(st, StatComments, &ps.Comments, &ps.Available, social.MetricComments)
	pick(st, StatReshares, &ps.Reposts, &ps.Available, social.MetricReposts)
	ps.At = p.now(ctx)
	return ps, nil
}

func pick(st Stats, field string, dst *int64, avail *social.Metrics, m social.Metrics) {
	if v, ok := st.Get(field); ok {
		*dst = v
		*avail |= m
	}
}
