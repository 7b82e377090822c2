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

// Receipt records one publication.
type Receipt struct {
	Network Network
	// PageID is the page, community or channel id as the network writes it.
	PageID string
	// PostID is the network's id of the publication (for a Telegram post with
	// several messages, the first message id).
	PostID string
	// URL is the public address of the publication, when the network has one.
	URL string
	// PublishedAt is when the network says the post was published.
	PublishedAt time.Time
}

// PageInfo describes a page, community or channel a Publisher posts to.
type PageInfo struct {
	Network Network
	ID      string
	Name    string
	URL     string
}

// String returns "network:id".
func (p PageInfo) String() string { return string(p.Network) + ":" + p.ID }

// Publisher publishes posts to one page. Implementations are safe for
// concurrent use and respect the network's rate limits themselves.
type Publisher interface {
	// Page describes the target page without a network call.
	Page() PageInfo
	// Publish publishes post. An error matching ErrUnknownOutcome means the
	// post may have been published; it must not be retried blindly.
	Publish(ctx context.Context, post Post) (Receipt, error)
}

// Requirement is one item of the «Госорганизация» checklist of a page.
type Requirement struct {
	// Name identifies the requirement ("bot is administrator", "public username").
	Name string
	// Met reports whether the page satisfies it.
	Met bool
	// Detail explains what was found (or what is missing).
	Detail string
}

// Requirements is a checklist report.
type Requirements []Requirement

// AllMet reports whether every requirement is met.
func (rs Requirements) AllMet() bool {
	for _, r := range rs {
		if !r.Met {
			return false
		}
	}
	return true
}

// Unmet returns the requirements that are not met.
func (rs Requirements) Unmet() Requirements {
	var out Requirements
	for _, r := range rs {
		if !r.Met {
			out = append(out, r)
		}
	}
	return out
}
