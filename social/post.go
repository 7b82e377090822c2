package social

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Network names a social network.
type Network string

// The networks official pages must run on.
const (
	VK       Network = "vk"
	OK       Network = "ok"
	Telegram Network = "telegram"
)

// Urgency is the cabinet's urgency flag of a post.
type Urgency string

// Urgency levels, as the Gospubliki cabinet colours them.
const (
	UrgencyGreen  Urgency = "green"  // planned, ordinary news
	UrgencyOrange Urgency = "orange" // important, publish soon
	UrgencyRed    Urgency = "red"    // urgent (emergencies), publish at once
)

// Valid reports whether u is empty or one of the three levels.
func (u Urgency) Valid() bool {
	switch u {
	case "", UrgencyGreen, UrgencyOrange, UrgencyRed:
		return true
	}
	return false
}

// MediaKind is the kind of an attachment.
type MediaKind string

// Attachment kinds.
const (
	Photo    MediaKind = "photo"
	Video    MediaKind = "video"
	Document MediaKind = "document"
)

// Media is one attachment, given either as content (Data) or as a URL the
// network fetches itself. Content is kept in memory so the same post can be
// uploaded to many pages.
type Media struct {
	Kind MediaKind
	// Filename is the name sent with uploaded content.
	Filename string
	// ContentType is the media type of Data; empty lets the client guess.
	ContentType string
	// Data is the content to upload; nil when URL is set.
	Data []byte
	// URL is an HTTP(S) address of the content; empty when Data is set.
	URL string
	// Caption is an optional per-item caption.
	Caption string
}

// MaxMediaBytes bounds content read by MediaFromReader (50 MiB, the largest
// upload the networks accept through their public APIs).
const MaxMediaBytes = 50 << 20

// MediaFromReader reads r (at most MaxMediaBytes) into a Media of kind.
func MediaFromReader(kind MediaKind, filename string, r io.Reader) (Media, error) {
	if r == nil {
		return Media{}, errors.New("social: nil reader")
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxMediaBytes+1))
	if err != nil {
		return Media{}, fmt.Errorf("social: read %s: %w", filename, err)
	}
	if len(data) > MaxMediaBytes {
		return Media{}, fmt.Errorf("social: %s exceeds %d bytes", filename, MaxMediaBytes)
	}
	return Media{Kind: kind, Filename: filename, Data: data}, nil
}

// MediaFromURL returns a Media the network fetches from url.
func MediaFromURL(kind MediaKind, url string) Media {
	return Media{Kind: kind, URL: url}
}

// Reader returns a fresh reader over the media content.
func (m Media) Reader() io.Reader { return bytes.NewReader(m.Data) }

// Validate checks that exactly one of Data and URL is set and the kind is known.
func (m Media) Validate() error {
	switch m.Kind {
	case Photo, Video, Document:
	default:
		return fmt.Errorf("social: unknown media kind %q", m.Kind)
	}
	if (m.Data == nil) == (m.URL == "") {
		return errors.New("social: media needs exactly one of Data and URL")
	}
	if m.URL != "" && !strings.HasPrefix(m.URL, "http://") && !strings.HasPrefix(m.URL, "https://") {
		return fmt.Errorf("social: media URL must be http(s), got %q", m.URL)
	}
	return nil
}

// Poll is a question with options.
type Poll struct {
	Question        string
	Options         []string
	Anonymous       bool
	MultipleAnswers bool
}

// Link is a link attached to a post.
type Link struct {
	URL   string
	Title string
}

// Post is a network-neutral publication.
type Post struct {
	// Key identifies the publication across attempts: the cabinet's post
	// id, or any string the caller keeps with the post. A repeat of the
	// same publication (after a crash, or after an unknown outcome) must
	// carry the same Key. When empty, StableKey derives one from the
	// content. Publishers copy it into the Receipt and derive the
	// network's own idempotency token from it (see IdempotencyToken).
	Key string
	// Text is the post body (plain text).
	Text string
	// Media are the attachments, in order.
	Media []Media
	// Poll is an optional poll.
	Poll *Poll
	// Link is an optional link.
	Link *Link
	// PublishAt schedules the post; zero means now.
	PublishAt time.Time
	// Urgency is the cabinet's urgency flag; it does not change how a network
	// client publishes.
	Urgency Urgency
}

// Validate reports the first problem that makes the post unpublishable on
// every network: no content, bad media, a poll without a question or with
// fewer than two options, an unknown urgency.
func (p Post) Validate() error {
	if strings.TrimSpace(p.Text) == "" && len(p.Media) == 0 && p.Poll == nil && p.Link == nil {
		return errors.New("social: empty post")
	}
	for i, m := range p.Media {
		if err := m.Validate(); err != nil {
			return fmt.Errorf("media %d: %w", i, err)
		}
	}
	if p.Poll != nil {
		if strings.TrimSpace(p.Poll.Question) == "" {
			return errors.New("social: poll without a question")
		}
		if len(p.Poll.Options) < 2 {
			return errors.New("social: a poll needs at least two options")
		}
	}
	if p.Link != nil && !strings.HasPrefix(p.Link.URL, "http://") && !strings.HasPrefix(p.Link.URL, "https://") {
		return fmt.Errorf("social: link must be http(s), got %q", p.Link.URL)
	}
	if !p.Urgency.Valid() {
		return fmt.Errorf("social: unknown urgency %q", p.Urgency)
	}
	return nil
}

// PartKind is the kind of one published part of a post.
type PartKind string

// Part kinds.
const (
	PartText     PartKind = "text"
	PartPhoto    PartKind = "photo"
	PartVideo    PartKind = "video"
	PartDocument PartKind = "document"
	PartPoll     PartKind = "poll"
)

// PartKindOf returns the part kind of a media kind.
func PartKindOf(k MediaKind) PartKind {
	switch k {
	case Photo:
		return PartPhoto
	case Video:
		return PartVideo
	}
	return PartDocument
}

// Part is one network object a publication consists of: on Telegram one
// message (an album of three photos is three parts), on VK the wall post.
type Part struct {
	// ID is the network's id of the part (a Telegram message id).
	ID string
	// Kind is what the part is.
	Kind PartKind
	// HasText reports whether the part carries the post's text: the text
	// message, or the media whose caption holds it. At most one part of a
	// receipt has it.
	HasText bool
}

// Receipt records one publication: enough to find, edit or delete every
// part of it.
type Receipt struct {
	// Network is the network the post was published on.
	Network Network
	// PageID is the page, community or channel id as the network writes it.
	PageID string
	// PostID is the network's id of the publication (for a Telegram post with
	// several messages, the first message id).
	PostID string
	// Parts are every published part, in publication order. A post that
	// is one network object has one part with ID == PostID. When a
	// publication is partially published, Parts lists only what was
	// published.
	Parts []Part
	// Key is the post's stable key (Post.StableKey).
	Key string
	// URL is the public address of the publication, when the network has one.
	URL string
	// PublishedAt is when the network says the post was published.
	PublishedAt time.Time
	// ScheduledAt, when not zero, means the network accepted the post for
	// publication at that time (a native scheduled post): it is not visible
	// yet. FanOut reports such a page as Scheduled.
	ScheduledAt time.Time
}

// Scheduled reports whether the network holds the post for later
// publication.
func (r Receipt) Scheduled() bool { return !r.ScheduledAt.IsZero() }

// PartIDs returns the ids of every part, or PostID alone when Parts is
// empty (a receipt of a publisher that records no parts).
func (r Receipt) PartIDs() []string {
	if len(r.Parts) == 0 {
		if r.PostID == "" {
			return nil
		}
		return []string{r.PostID}
	}
	ids := make([]string, len(r.Parts))
	for i, p := range r.Parts {
		ids[i] = p.ID
	}
	return ids
}

// PageInfo describes a page, community or channel a Publisher posts to.
type PageInfo struct {
	// Network is the page's network.
	Network Network
	// ID is the page, community or channel id as the network writes it
	// ("-1001234567890" or "@channel" on Telegram).
	ID string
	// Name is the page's title, when known.
	Name string
	// URL is the page's public address, when known.
	URL string
}

// String returns "network:id".
func (p PageInfo) String() string { return string(p.Network) + ":" + p.ID }

// Publisher publishes posts to one page. Implementations are safe for
// concurrent use and respect the network's rate limits themselves.
type Publisher interface {
	// Page describes the target page without a network call.
	Page() PageInfo
	// Publish publishes post. An error matching ErrUnknownOutcome means the
	// post may have been published; it must not be retried blindly. An
	// error matching ErrPartiallyPublished (a *PartialPublishError) comes
	// with the Receipt of the parts that were published. A receipt with
	// ScheduledAt set means the network scheduled the post itself.
	//
	// Where the network de-duplicates posts, Publish passes it the token
	// IdempotencyToken(post.StableKey(), Page()), so that a repeat of the
	// same post on the same page within the network's window is not
	// published twice.
	Publish(ctx context.Context, post Post) (Receipt, error)
}
