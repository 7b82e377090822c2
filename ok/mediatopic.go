package ok

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// Topic types of mediatopic.post.
const (
	TopicUser            = "USER"
	TopicUserStatus      = "USER_STATUS"
	TopicUserNote        = "USER_NOTE"
	TopicGroupTheme      = "GROUP_THEME"
	TopicGroupThemePromo = "GROUP_THEME_PROMO"
	TopicGroupSuggested  = "GROUP_SUGGESTED"
)

// Media item types of a topic's attachment.
const (
	MediaText  = "text"
	MediaPhoto = "photo"
	MediaMovie = "movie"
	MediaLink  = "link"
	MediaPoll  = "poll"
)

// Poll options of a poll media item.
const (
	PollSingleChoice    = "SingleChoice"
	PollAnonymousVoting = "AnonymousVoting"
)

// moscow is Europe/Moscow (UTC+3 all year since 2014), the zone of
// publishAt.
var moscow = time.FixedZone("MSK", 3*60*60)

// PhotoRef is one photo of a photo media item: an upload token (from
// UploadPhotos) or the id of a photo already on OK.
type PhotoRef struct {
	// Token is the upload token of a new photo (sent as "id").
	Token string `json:"id,omitempty"`
	// ExistingPhotoID is the id of a photo already on OK.
	ExistingPhotoID string `json:"existing_photo_id,omitempty"`
}

// MediaItem is one element of a topic's attachment. Build it with
// TextItem, PhotoItem, MovieItem, LinkItem or PollItem.
type MediaItem struct {
	// Type is one of the Media constants.
	Type string
	// Text is the text of a text item.
	Text string
	// Photos are the photos of a photo item.
	Photos []PhotoRef
	// Movies are the video ids of a movie item.
	Movies []string
	// URL is the address of a link item.
	URL string
	// Question, Answers and PollOptions make a poll item.
	Question    string
	Answers     []string
	PollOptions []string
}

// TextItem returns a text media item.
func TextItem(text string) MediaItem { return MediaItem{Type: MediaText, Text: text} }

// PhotoItem returns a photo media item of upload tokens.
func PhotoItem(tokens ...string) MediaItem {
	m := MediaItem{Type: MediaPhoto}
	for _, t := range tokens {
		m.Photos = append(m.Photos, PhotoRef{Token: t})
	}
	return m
}

// MovieItem returns a movie media item of video ids (from UploadVideo).
func MovieItem(videoIDs ...string) MediaItem { return MediaItem{Type: MediaMovie, Movies: videoIDs} }

// LinkItem returns a link media item.
func LinkItem(u string) MediaItem { return MediaItem{Type: MediaLink, URL: u} }

// PollItem returns a poll media item; options are Poll constants
// (PollSingleChoice, PollAnonymousVoting).
func PollItem(question string, answers []string, options ...string) MediaItem {
	return MediaItem{Type: MediaPoll, Question: question, Answers: answers, PollOptions: options}
}

type idRef struct {
	ID string `json:"id"`
}

type answer struct {
	Text string `json:"text"`
}

// MarshalJSON writes the item in OK's attachment format.
func (m MediaItem) MarshalJSON() ([]byte, error) {
	switch m.Type {
	case MediaText:
		return json.Marshal(struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}{m.Type, m.Text})
	case MediaPhoto:
		list := m.Photos
		if list == nil {
			list = []PhotoRef{}
		}
		return json.Marshal(struct {
			Type string     `json:"type"`
			List []PhotoRef `json:"list"`
		}{m.Type, list})
	case MediaMovie:
		list := make([]idRef, len(m.Movies))
		for i, id := range m.Movies {
			list[i] = idRef{id}
		}
		return json.Marshal(struct {
			Type string  `json:"type"`
			List []idRef `json:"list"`
		}{m.Type, list})
	case MediaLink:
		return json.Marshal(struct {
			Type string `json:"type"`
			URL  string `json:"url"`
		}{m.Type, m.URL})
	case MediaPoll:
		as := make([]answer, len(m.Answers))
		for i, a := range m.Answers {
			as[i] = answer{a}
		}
		return json.Marshal(struct {
			Type     string   `json:"type"`
			Question string   `json:"question"`
			Answers  []answer `json:"answers"`
			Options  string   `json:"options,omitempty"`
		}{m.Type, m.Question, as, strings.Join(m.PollOptions, ",")})
	}
	return nil, invalid("mediatopic.post", "unknown media type %q", m.Type)
}

// Attachment is the attachment of mediatopic.post: the topic's media and
// its settings. It is sent as the JSON string OK expects.
type Attachment struct {
	// Media are the topic's items, in order.
	Media []MediaItem
	// OnBehalfOfGroup publishes a group topic as the group, not the user.
	OnBehalfOfGroup bool
	// DisableComments closes the topic for comments.
	DisableComments bool
	// PublishAt, when not zero, schedules a group topic: OK publishes it
	// at that time. It is sent as publishAtMs (epoch milliseconds), or as
	// publishAt in Moscow time when PublishAtMoscow is set.
	PublishAt time.Time
	// PublishAtMoscow sends PublishAt as publishAt ("2006-01-02 15:04:05",
	// Europe/Moscow) instead of publishAtMs.
	PublishAtMoscow bool
}

// MarshalJSON writes the attachment in OK's format; the flags are the
// strings "true" and "false" as OK documents them.
func (a Attachment) MarshalJSON() ([]byte, error) {
	type wire struct {
		Media           []MediaItem `json:"media"`
		OnBehalfOfGroup string      `json:"onBehalfOfGroup,omitempty"`
		DisableComments string      `json:"disableComments,omitempty"`
		PublishAt       string      `json:"publishAt,omitempty"`
		PublishAtMs     string      `json:"publishAtMs,omitempty"`
	}
	w := wire{Media: a.Media}
	if w.Media == nil {
		w.Media = []MediaItem{}
	}
	if a.OnBehalfOfGroup {
		w.OnBehalfOfGroup = "true"
	}
	if a.DisableComments {
		w.DisableComments = "true"
	}
	if !a.PublishAt.IsZero() {
		if a.PublishAtMoscow {
			w.PublishAt = a.PublishAt.In(moscow).Format(time.DateTime)
		} else {
			w.PublishAtMs = strconv.FormatInt(a.PublishAt.UnixMilli(), 10)
		}
	}
	return json.Marshal(w)
}

// EncodeValues makes go-querystring send the attachment as its JSON text.
func (a Attachment) EncodeValues(key string, v *url.Values) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	v.Set(key, string(b))
	return nil
}

// PostTopicRequest is the request of mediatopic.post.
type PostTopicRequest struct {
	// Type is the topic type: TopicGroupTheme for a group topic.
	Type string `url:"type"`
	// GroupID is the group of a group topic (needs GROUP_CONTENT).
	GroupID string `url:"gid,omitempty"`
	// Attachment is the topic.
	Attachment Attachment `url:"attachment"`
	// TextLinkPreview makes OK show a preview of the first link in the
	// text.
	TextLinkPreview bool `url:"text_link_preview,omitempty"`
}

// PostTopic calls mediatopic.post and returns the new topic's id.
//
// OK has no idempotency key for topics, so the call is never repeated
// once it may have reached OK: a dropped connection, a timeout, a 5xx
// answer or code 2 (SERVICE) returns an error matching
// core.ErrUnknownOutcome (check the group before posting again). It is
// repeated only after answers that prove OK did not execute it: a refused
// connection, or 102 (session expired) with a token source, which renews
// the token and signs the call anew. Flood codes 8 and 11 return a
// *core.RateLimitError (the topic was not posted).
func (c *Client) PostTopic(ctx context.Context, req *PostTopicRequest, opts ...core.CallOption) (ID, error) {
	if req == nil {
		return "", invalid("mediatopic.post", "nil request")
	}
	if req.Type == "" {
		return "", invalid("mediatopic.post", "no topic type")
	}
	if (req.Type == TopicGroupTheme || req.Type == TopicGroupThemePromo) && req.GroupID == "" {
		return "", invalid("mediatopic.post", "a group topic needs a group id")
	}
	if len(req.Attachment.Media) == 0 {
		return "", invalid("mediatopic.post", "empty attachment")
	}
	var id ID
	if err := c.do(ctx, "mediatopic.post", req, &id, callOpts{call: opts}); err != nil {
		return "", err
	}
	if id == "" {
		return "", &DecodeError{Method: "mediatopic.post", Err: errEmptyID}
	}
	return id, nil
}

var errEmptyID = errNew("no topic id in the answer")

// GetTopicsRequest is the request of mediatopic.getByIds.
type GetTopicsRequest struct {
	// TopicIDs are the topics.
	TopicIDs []string `url:"topic_ids,comma"`
	// MediaLimit is how many media items per topic to return (1..3; OK
	// requires it for several ids; 3 when zero).
	MediaLimit int `url:"media_limit,omitempty"`
	// Fields are the fields to return ("media_topic.*" when empty).
	Fields []string `url:"fields,comma"`
}

// Topic is a topic as mediatopic.getByIds returns it.
type Topic struct {
	// ID is the topic id.
	ID ID `json:"id"`
	// CreatedMs is when the topic was published (epoch milliseconds).
	CreatedMs int64 `json:"-"`
	// Media are the topic's media items as raw JSON.
	Media []json.RawMessage `json:"media"`
	// Likes, Comments and Reshares are the topic's counters (zero when OK
	// did not return them).
	Likes, Comments, Reshares int64 `json:"-"`
	// Raw is the whole topic object.
	Raw json.RawMessage `json:"-"`
}

// Created returns CreatedMs as a time (zero when unknown).
func (t *Topic) Created() time.Time {
	if t.CreatedMs == 0 {
		return time.Time{}
	}
	return time.UnixMilli(t.CreatedMs)
}

// UnmarshalJSON reads a media_topic object.
func (t *Topic) UnmarshalJSON(b []byte) error {
	var w struct {
		ID         ID                      `json:"id"`
		CreatedMs  flexInt                 `json:"created_ms"`
		Media      []json.RawMessage       `json:"media"`
		Like       struct{ Count flexInt } `json:"like_summary"`
		Discussion struct {
			Count flexInt `json:"comments_count"`
		} `json:"discussion_summary"`
		Reshare struct{ Count flexInt } `json:"reshare_summary"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*t = Topic{ID: w.ID, CreatedMs: int64(w.CreatedMs), Media: w.Media, Likes: int64(w.Like.Count),
		Comments: int64(w.Discussion.Count), Reshares: int64(w.Reshare.Count), Raw: append(json.RawMessage(nil), b...)}
	return nil
}

// GetTopics calls mediatopic.getByIds.
func (c *Client) GetTopics(ctx context.Context, req *GetTopicsRequest, opts ...core.CallOption) ([]Topic, error) {
	if req == nil || len(req.TopicIDs) == 0 {
		return nil, invalid("mediatopic.getByIds", "no topic id")
	}
	r := *req
	if r.MediaLimit == 0 {
		r.MediaLimit = 3
	}
	if len(r.Fields) == 0 {
		r.Fields = []string{"media_topic.*"}
	}
	var out struct {
		Topics []Topic `json:"media_topics"`
	}
	if err := c.do(ctx, "mediatopic.getByIds", &r, &out, read(opts)); err != nil {
		return nil, err
	}
	return out.Topics, nil
}

// UnmarshalJSON reads a media item in OK's attachment format, so that a
// server (an emulator) can parse what clients send. Photo list items may
// use "id", "photoId" or "existing_photo_id"; ids may be strings or
// numbers. An unknown type is kept with its Type and no content.
func (m *MediaItem) UnmarshalJSON(b []byte) error {
	var w struct {
		Type string `json:"type"`
		Text string `json:"text"`
		URL  string `json:"url"`
		List []struct {
			ID       flexStr `json:"id"`
			PhotoID  flexStr `json:"photoId"`
			Existing flexStr `json:"existing_photo_id"`
		} `json:"list"`
		Question string `json:"question"`
		Answers  []struct {
			Text string `json:"text"`
		} `json:"answers"`
		Options string `json:"options"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*m = MediaItem{Type: w.Type}
	switch w.Type {
	case MediaText:
		m.Text = w.Text
	case MediaLink:
		m.URL = w.URL
	case MediaPhoto:
		for _, it := range w.List {
			switch {
			case it.ID.s != "":
				m.Photos = append(m.Photos, PhotoRef{Token: it.ID.s})
			case it.Existing.s != "":
				m.Photos = append(m.Photos, PhotoRef{ExistingPhotoID: it.Existing.s})
			case it.PhotoID.s != "":
				m.Photos = append(m.Photos, PhotoRef{ExistingPhotoID: it.PhotoID.s})
			}
		}
	case MediaMovie:
		for _, it := range w.List {
			m.Movies = append(m.Movies, it.ID.s)
		}
	case MediaPoll:
		m.Question = w.Question
		for _, a := range w.Answers {
			m.Answers = append(m.Answers, a.Text)
		}
		for _, o := range strings.Split(w.Options, ",") {
			if o = strings.TrimSpace(o); o != "" {
				m.PollOptions = append(m.PollOptions, o)
			}
		}
	}
	return nil
}

// UnmarshalJSON reads an attachment in OK's format (see ParseAttachment).
func (a *Attachment) UnmarshalJSON(b []byte) error {
	var w struct {
		Media           []MediaItem `json:"media"`
		OnBehalfOfGroup flexBool    `json:"onBehalfOfGroup"`
		DisableComments flexBool    `json:"disableComments"`
		PublishAt       string      `json:"publishAt"`
		PublishAtMs     flexStr     `json:"publishAtMs"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*a = Attachment{Media: w.Media, OnBehalfOfGroup: w.OnBehalfOfGroup.v, DisableComments: w.DisableComments.v}
	switch {
	case w.PublishAtMs.s != "":
		ms, err := strconv.ParseInt(w.PublishAtMs.s, 10, 64)
		if err != nil {
			return fmt.Errorf("ok: publishAtMs %q: %w", w.PublishAtMs.s, err)
		}
		a.PublishAt = time.UnixMilli(ms)
	case w.PublishAt != "":
		t, err := time.ParseInLocation(time.DateTime, w.PublishAt, moscow)
		if err != nil {
			return fmt.Errorf("ok: publishAt %q: %w", w.PublishAt, err)
		}
		a.PublishAt, a.PublishAtMoscow = t, true
	}
	return nil
}

// ParseAttachment parses the attachment parameter of mediatopic.post as
// OK reads it: the media items, the "true"/"false" flags (booleans are
// accepted too) and the publication time from publishAtMs (epoch
// milliseconds) or publishAt ("2006-01-02 15:04:05", Europe/Moscow).
func ParseAttachment(s string) (Attachment, error) {
	var a Attachment
	err := json.Unmarshal([]byte(s), &a)
	return a, err
}
