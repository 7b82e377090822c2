package vk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/internal/transport"
	"github.com/gospubliki/gosdk/social"
)

// PublisherOptions configures a Publisher.
type PublisherOptions struct {
	// Name is the community's title for reports (optional).
	Name string
	// Signed adds the author's signature to posts.
	Signed bool
	// Clock judges Post.PublishAt (default: the clock of the ctx given to
	// Publish, see social.WithClock, else the client's clock).
	Clock core.Clock
	// ScheduleMargin: a PublishAt less than this far in the future is
	// published at once (default 1 minute; VK refuses publish_date in the
	// past).
	ScheduleMargin time.Duration
}

// Publisher publishes to one community's wall on behalf of the community
// (wall.post from_group=1). It implements social.Publisher, social.Editor,
// social.Deleter, social.PostStatsReader and social.PageStatsReader. It
// needs a user token of a community administrator or editor with the
// wall, photos and video scopes: VK refuses wall.post with a community
// token (error 27).
//
// Every post carries the guid social.IdempotencyToken(post.StableKey(),
// Page()): a transport retry or a repeat of the same post by the caller
// within VK's de-duplication window (GUIDWindow, one hour) returns the
// first post instead of publishing a second one.
type Publisher struct {
	c       *Client
	groupID int64
	owner   int64
	opts    PublisherOptions
}

var (
	_ social.Publisher       = (*Publisher)(nil)
	_ social.Editor          = (*Publisher)(nil)
	_ social.Deleter         = (*Publisher)(nil)
	_ social.PostStatsReader = (*Publisher)(nil)
	_ social.PageStatsReader = (*Publisher)(nil)
)

// NewPublisher returns a Publisher for community groupID (positive or
// negative). It fails at once when the client's token is not a user token.
func NewPublisher(c *Client, groupID int64, o PublisherOptions) (*Publisher, error) {
	if c == nil {
		return nil, errors.New("vk: nil client")
	}
	if err := c.checkKind("wall.post"); err != nil {
		return nil, err
	}
	if groupID == 0 {
		return nil, errors.New("vk: publisher needs a community id")
	}
	if o.ScheduleMargin <= 0 {
		o.ScheduleMargin = time.Minute
	}
	return &Publisher{c: c, groupID: abs(groupID), owner: -abs(groupID), opts: o}, nil
}

// Page describes the community: network vk, ID "-<group id>" (the wall's
// owner_id), URL https://vk.com/club<group id>.
func (p *Publisher) Page() social.PageInfo {
	pi := PageOf(p.owner)
	pi.Name = p.opts.Name
	return pi
}

func (p *Publisher) clock(ctx context.Context) core.Clock {
	if p.opts.Clock != nil {
		return p.opts.Clock
	}
	if c := social.ClockFrom(ctx); c != nil {
		return c
	}
	return p.c.clock
}

// attachments uploads the media, creates the poll and returns the
// attachments string of post.
func (p *Publisher) attachments(ctx context.Context, post social.Post) ([]string, error) {
	var att []string
	for i, m := range post.Media {
		switch m.Kind {
		case social.Photo:
			data := m.Data
			if data == nil {
				d, err := p.fetch(ctx, m.URL)
				if err != nil {
					return nil, fmt.Errorf("vk: media %d: %w", i, err)
				}
				data = d
			}
			ph, err := p.c.UploadGroupWallPhoto(ctx, p.groupID, m.Filename, data, m.Caption)
			if err != nil {
				return nil, fmt.Errorf("vk: media %d: %w", i, err)
			}
			att = append(att, ph.Attachment())
		case social.Video:
			req := VideoSaveRequest{Name: m.Filename, Description: m.Caption, GroupID: p.groupID, Link: m.URL}
			v, err := p.c.VideoSave(ctx, req)
			if err != nil {
				return nil, fmt.Errorf("vk: media %d: %w", i, err)
			}
			if m.Data != nil {
				err = p.c.UploadVideo(ctx, v.UploadURL, m.Filename, m.Data)
			} else {
				err = p.c.ImportVideo(ctx, v.UploadURL)
			}
			if err != nil {
				return nil, fmt.Errorf("vk: media %d: %w", i, err)
			}
			att = append(att, v.Attachment())
		default:
			return nil, &social.UnsupportedError{Network: social.VK, Operation: "vk.publish",
				Reason: "media kind " + string(m.Kind) + " is not supported on a wall"}
		}
	}
	if q := post.Poll; q != nil {
		poll, err := p.c.PollsCreate(ctx, PollCreateRequest{Question: q.Question, IsAnonymous: q.Anonymous,
			IsMultiple: q.MultipleAnswers, OwnerID: p.owner, Answers: q.Options})
		if err != nil {
			return nil, err
		}
		att = append(att, poll.Attachment())
	}
	if post.Link != nil {
		// VK accepts one external link among the attachments.
		att = append(att, post.Link.URL)
	}
	return att, nil
}

// fetch downloads a photo given by URL (VK takes uploads only).
func (p *Publisher) fetch(ctx context.Context, u string) ([]byte, error) {
	call := &transport.Call{Operation: "vk.fetchMedia", Method: http.MethodGet, URL: u, Idempotent: true,
		MaxResponseBytes: social.MaxMediaBytes}
	resp, err := p.c.tr.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch media: HTTP %d", resp.StatusCode)
	}
	return resp.Body, nil
}

// Publish publishes post on the wall: photos go through the wall upload
// chain, videos through video.save and its upload, a poll through
// polls.create, a link as the post's external link. A PublishAt later than
// the schedule margin sends publish_date, and the receipt's ScheduledAt is
// set (the social.Scheduled outcome). Media and polls are not visible
// until wall.post succeeds, so a failure before it is a plain failure;
// wall.post is the publication's single part.
func (p *Publisher) Publish(ctx context.Context, post social.Post) (social.Receipt, error) {
	if err := post.Validate(); err != nil {
		return social.Receipt{}, err
	}
	key := post.StableKey()
	att, err := p.attachments(ctx, post)
	if err != nil {
		return social.Receipt{}, err
	}
	now := p.clock(ctx).Now()
	req := WallPostRequest{OwnerID: p.owner, FromGroup: true, Message: post.Text, Attachments: att,
		Signed: p.opts.Signed, GUID: social.IdempotencyToken(key, p.Page())}
	var scheduled time.Time
	if !post.PublishAt.IsZero() && post.PublishAt.Sub(now) > p.opts.ScheduleMargin {
		req.PublishDate = post.PublishAt.Unix()
		scheduled = time.Unix(req.PublishDate, 0).UTC()
	}
	id, err := p.c.WallPost(ctx, req)
	if err != nil {
		return social.Receipt{}, err
	}
	rc := p.receipt(id, key)
	if scheduled.IsZero() {
		rc.PublishedAt = p.clock(ctx).Now()
	} else {
		rc.ScheduledAt = scheduled
	}
	return rc, nil
}

func (p *Publisher) receipt(id int64, key string) social.Receipt {
	ids := strconv.FormatInt(id, 10)
	return social.Receipt{
		Network: social.VK, PageID: strconv.FormatInt(p.owner, 10), PostID: ids,
		Parts: []social.Part{{ID: ids, Kind: social.PartText, HasText: true}},
		Key:   key, URL: "https://vk.com/wall" + PostRef(p.owner, id),
	}
}

func (p *Publisher) postID(rc social.Receipt) (int64, error) {
	if rc.Network != "" && rc.Network != social.VK {
		return 0, fmt.Errorf("vk: receipt of network %q", rc.Network)
	}
	if rc.PageID != "" && rc.PageID != strconv.FormatInt(p.owner, 10) {
		return 0, fmt.Errorf("vk: receipt of page %s, not %d", rc.PageID, p.owner)
	}
	id, err := strconv.ParseInt(rc.PostID, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("vk: receipt post id %q is not a VK post id", rc.PostID)
	}
	return id, nil
}

// Edit replaces the post's text and attachments (media are uploaded again)
// with wall.edit. A scheduled post keeps its schedule unless post has a
// PublishAt.
func (p *Publisher) Edit(ctx context.Context, rc social.Receipt, post social.Post) (social.Receipt, error) {
	id, err := p.postID(rc)
	if err != nil {
		return social.Receipt{}, err
	}
	if err := post.Validate(); err != nil {
		return social.Receipt{}, err
	}
	att, err := p.attachments(ctx, post)
	if err != nil {
		return social.Receipt{}, err
	}
	req := WallEditRequest{OwnerID: p.owner, PostID: id, Message: post.Text, Attachments: att, Signed: p.opts.Signed}
	out := rc
	if !post.PublishAt.IsZero() && rc.Scheduled() {
		req.PublishDate = post.PublishAt.Unix()
		out.ScheduledAt = time.Unix(req.PublishDate, 0).UTC()
	} else if rc.Scheduled() {
		req.PublishDate = rc.ScheduledAt.Unix()
	}
	if _, err := p.c.WallEdit(ctx, req); err != nil {
		return social.Receipt{}, err
	}
	if rc.Key == "" {
		out.Key = post.StableKey()
	}
	if len(out.Parts) == 0 {
		out.Parts = p.receipt(id, out.Key).Parts
	}
	return out, nil
}

// Delete deletes the post with wall.delete. A post VK no longer finds
// (error 104 or 210 on an id that existed) counts as deleted.
func (p *Publisher) Delete(ctx context.Context, rc social.Receipt) error {
	id, err := p.postID(rc)
	if err != nil {
		return err
	}
	err = p.c.WallDelete(ctx, p.owner, id)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// PostStats reads views, likes, comments and reposts with wall.getById and
// the reach with stats.getPostReach; a reach VK refuses to show (no
// statistics access) is left out of Available rather than failing.
func (p *Publisher) PostStats(ctx context.Context, rc social.Receipt) (social.PostStats, error) {
	id, err := p.postID(rc)
	if err != nil {
		return social.PostStats{}, err
	}
	posts, err := p.c.WallGetByID(ctx, []string{PostRef(p.owner, id)})
	if err != nil {
		return social.PostStats{}, err
	}
	if len(posts) == 0 {
		return social.PostStats{}, &Error{Method: "wall.getById", Code: CodeNotFound, Msg: "post not found"}
	}
	ps := posts[0]
	st := social.PostStats{Views: ps.Views.Count, Likes: ps.Likes.Count, Comments: ps.Comments.Count,
		Reposts: ps.Reposts.Count, Available: social.MetricViews | social.MetricLikes | social.MetricComments | social.MetricReposts,
		At: p.clock(ctx).Now()}
	reach, err := p.c.StatsGetPostReach(ctx, p.owner, []int64{id})
	var ve *Error
	switch {
	case err == nil && len(reach) > 0:
		st.Reach = reach[0].ReachTotal
		st.Available |= social.MetricReach
	case err == nil, errors.As(err, &ve) && (ve.Code == CodePermissionDenied || ve.Code == CodeAccessDenied):
	default:
		return social.PostStats{}, err
	}
	return st, nil
}

// PageStats reads the members count (groups.getById) and, through
// stats.get, the reach and views of the current day; statistics VK refuses
// to show are left out of Available.
func (p *Publisher) PageStats(ctx context.Context) (social.PageStats, error) {
	g, err := p.c.GetGroup(ctx, p.groupID)
	if err != nil {
		return social.PageStats{}, err
	}
	st := social.PageStats{Subscribers: g.Members, Available: social.MetricSubscribers, At: p.clock(ctx).Now()}
	periods, err := p.c.StatsGet(ctx, StatsRequest{GroupID: p.groupID, Interval: "day", IntervalsCount: 1})
	var ve *Error
	switch {
	case err == nil && len(periods) > 0:
		if n, ok := periods[0].ReachTotal(); ok {
			st.Reach, st.Available = n, st.Available|social.MetricReach
		}
		if n, ok := periods[0].Views(); ok {
			st.Views, st.Available = n, st.Available|social.MetricViews
		}
	case err == nil, errors.As(err, &ve) && (ve.Code == CodePermissionDenied || ve.Code == CodeAccessDenied):
	default:
		return social.PageStats{}, err
	}
	return st, nil
}
