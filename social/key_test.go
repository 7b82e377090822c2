package social_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gospubliki/gosdk/social"
)

func fullPost() social.Post {
	return social.Post{
		Text: "Приём граждан переносится на 10:00",
		Media: []social.Media{
			{Kind: social.Photo, Filename: "a.jpg", Data: []byte("JPEG")},
			social.MediaFromURL(social.Document, "https://example.org/a.pdf"),
		},
		Poll:      &social.Poll{Question: "Удобно?", Options: []string{"Да", "Нет"}},
		Link:      &social.Link{URL: "https://www.gosuslugi.ru/", Title: "Госуслуги"},
		PublishAt: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC),
	}
}

func TestStableKeyIsDeterministic(t *testing.T) {
	t.Parallel()
	// Golden values: a change here breaks every stored key and every
	// idempotency token already sent to a network.
	assert.Equal(t, "c1e6bce29ce76f3103c7cd8c3bb5b719", fullPost().StableKey())
	assert.Equal(t, "afdf3518e3f2cbd5cb6d7492b36dae39", social.Post{Text: "x"}.StableKey())

	p := fullPost()
	p.Key = "cabinet-post-42"
	assert.Equal(t, "cabinet-post-42", p.StableKey(), "the caller's key wins")

	p = fullPost()
	p.Urgency = social.UrgencyRed
	assert.Equal(t, fullPost().StableKey(), p.StableKey(), "urgency does not change what is published")
	p.PublishAt = p.PublishAt.In(time.FixedZone("MSK", 3*3600))
	assert.Equal(t, fullPost().StableKey(), p.StableKey(), "the same instant in another zone")
}

func TestStableKeyChangesWithContent(t *testing.T) {
	t.Parallel()
	base := fullPost().StableKey()
	for name, change := range map[string]func(*social.Post){
		"text":          func(p *social.Post) { p.Text += "!" },
		"media data":    func(p *social.Post) { p.Media[0].Data = []byte("PNG") },
		"media name":    func(p *social.Post) { p.Media[0].Filename = "b.jpg" },
		"media type":    func(p *social.Post) { p.Media[0].ContentType = "image/jpeg" },
		"media caption": func(p *social.Post) { p.Media[1].Caption = "отчёт" },
		"media kind":    func(p *social.Post) { p.Media[1].Kind = social.Video },
		"media url":     func(p *social.Post) { p.Media[1].URL = "https://example.org/b.pdf" },
		"media order":   func(p *social.Post) { p.Media[0], p.Media[1] = p.Media[1], p.Media[0] },
		"no media":      func(p *social.Post) { p.Media = nil },
		"question":      func(p *social.Post) { p.Poll.Question = "Удобно ли?" },
		"options":       func(p *social.Post) { p.Poll.Options = []string{"Да", "Нет", "Не знаю"} },
		"anonymous":     func(p *social.Post) { p.Poll.Anonymous = true },
		"multiple":      func(p *social.Post) { p.Poll.MultipleAnswers = true },
		"no poll":       func(p *social.Post) { p.Poll = nil },
		"link":          func(p *social.Post) { p.Link.URL = "https://gosuslugi.ru/" },
		"link title":    func(p *social.Post) { p.Link.Title = "" },
		"no link":       func(p *social.Post) { p.Link = nil },
		"publish at":    func(p *social.Post) { p.PublishAt = p.PublishAt.Add(time.Nanosecond) },
		"now":           func(p *social.Post) { p.PublishAt = time.Time{} },
		"data as url": func(p *social.Post) {
			p.Media[0].Data, p.Media[0].URL = nil, "JPEG"
		},
	} {
		p := fullPost()
		change(&p)
		k := p.StableKey()
		assert.NotEqual(t, base, k, name)
		assert.Len(t, k, 32, name)
	}
}

func TestIdempotencyToken(t *testing.T) {
	t.Parallel()
	page := social.PageInfo{Network: social.VK, ID: "-123456", Name: "ignored"}
	tok := social.IdempotencyToken("cabinet-post-42", page)
	assert.Equal(t, "46fcd9d2b0b93164fbfc9be0328e6e26", tok, "golden value: tokens sent before must still match")
	assert.Equal(t, tok, social.IdempotencyToken("cabinet-post-42", social.PageInfo{Network: social.VK, ID: "-123456"}),
		"only the network and the id of the page count")
	assert.Equal(t, "1ff3c0ee2c60032500ef8c9767a81034", social.IdempotencyToken("cabinet-post-42", social.PageInfo{Network: social.VK, ID: "-654321"}))
	assert.NotEqual(t, tok, social.IdempotencyToken("cabinet-post-43", page))
	assert.NotEqual(t, tok, social.IdempotencyToken("cabinet-post-42", social.PageInfo{Network: social.OK, ID: "-123456"}))
	// Field boundaries are kept: moving characters between the key and
	// the page id gives another token.
	assert.NotEqual(t, social.IdempotencyToken("ab", social.PageInfo{Network: social.VK, ID: "c"}),
		social.IdempotencyToken("a", social.PageInfo{Network: social.VK, ID: "bc"}))

	p := social.Post{Key: "cabinet-post-42", Text: "x"}
	assert.Equal(t, tok, p.IdempotencyToken(page))
	assert.NotContains(t, tok, "cabinet")
}

// FuzzStableKeyFieldBoundaries checks that moving text between two fields
// never yields the same key: the encoding is injective.
func FuzzStableKeyFieldBoundaries(f *testing.F) {
	f.Add("Приём граждан", "Госуслуги", uint8(3))
	f.Add("", "", uint8(0))
	f.Add("a\x00b", "\x01", uint8(1))
	f.Fuzz(func(t *testing.T, text, title string, cut uint8) {
		k := int(cut) % (len(text) + 1)
		a := social.Post{Text: text, Link: &social.Link{URL: "https://x", Title: title}}
		b := social.Post{Text: text[:k], Link: &social.Link{URL: "https://x", Title: text[k:] + title}}
		same := a.Text == b.Text && a.Link.Title == b.Link.Title
		if (a.StableKey() == b.StableKey()) != same {
			t.Fatalf("keys of %q/%q and %q/%q: equal=%v", a.Text, a.Link.Title, b.Text, b.Link.Title, !same)
		}
		if tok := a.IdempotencyToken(social.PageInfo{Network: social.VK, ID: title}); len(tok) != 32 || strings.Trim(tok, "0123456789abcdef") != "" {
			t.Fatalf("token %q is not 32 hex digits", tok)
		}
	})
}

func TestReceipt(t *testing.T) {
	t.Parallel()
	rc := social.Receipt{PostID: "1", Parts: []social.Part{{ID: "1", Kind: social.PartPhoto}, {ID: "2", Kind: social.PartPoll}}}
	assert.Equal(t, []string{"1", "2"}, rc.PartIDs())
	assert.Equal(t, []string{"9"}, social.Receipt{PostID: "9"}.PartIDs(), "a receipt without parts is its post")
	assert.Nil(t, social.Receipt{}.PartIDs())
	assert.False(t, rc.Scheduled())
	rc.ScheduledAt = time.Unix(1, 0)
	assert.True(t, rc.Scheduled())
	for mk, pk := range map[social.MediaKind]social.PartKind{social.Photo: social.PartPhoto, social.Video: social.PartVideo,
		social.Document: social.PartDocument} {
		assert.Equal(t, pk, social.PartKindOf(mk))
	}
}
