package social

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"io"
	"strconv"
)

// StableKey returns p.Key, or, when it is empty, a key derived from the
// post's content: 32 lowercase hex digits (the first 128 bits of a SHA-256
// over a canonical encoding of Text, Media (kind, file name, content type,
// the SHA-256 of Data or the URL, caption), Poll, Link and PublishAt). The
// urgency flag is left out: it does not change what is published.
//
// The derivation is deterministic across processes and versions of this
// package: the same content always gives the same key. Two different posts
// with identical content and publish time therefore share a key; a caller
// that publishes the same text twice on purpose (a weekly reminder) must
// set Key.
func (p Post) StableKey() string {
	if p.Key != "" {
		return p.Key
	}
	h := sha256.New()
	w := keyWriter{h: h}
	w.str("gosdk/social.Post/v1")
	w.str(p.Text)
	w.int(len(p.Media))
	for _, m := range p.Media {
		w.str(string(m.Kind))
		w.str(m.Filename)
		w.str(m.ContentType)
		if m.Data != nil {
			sum := sha256.Sum256(m.Data)
			w.str("data")
			w.bytes(sum[:])
		} else {
			w.str("url")
			w.str(m.URL)
		}
		w.str(m.Caption)
	}
	if q := p.Poll; q != nil {
		w.str("poll")
		w.str(q.Question)
		w.int(len(q.Options))
		for _, o := range q.Options {
			w.str(o)
		}
		w.bool(q.Anonymous)
		w.bool(q.MultipleAnswers)
	} else {
		w.str("")
	}
	if l := p.Link; l != nil {
		w.str("link")
		w.str(l.URL)
		w.str(l.Title)
	} else {
		w.str("")
	}
	if p.PublishAt.IsZero() {
		w.str("")
	} else {
		w.str(strconv.FormatInt(p.PublishAt.UnixNano(), 10))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// IdempotencyToken returns the token a publisher sends to a network that
// de-duplicates posts (VK's wall.post guid): the first 128 bits, as 32
// lowercase hex digits, of SHA-256 over "gosdk/idempotency/v1", key, the
// page's network and the page's id, each length-prefixed. It is
// deterministic: the same post key on the same page always gives the same
// token, and different pages get different tokens, so one post fanned out
// to many pages is published once on each. The key does not appear in the
// token.
func IdempotencyToken(key string, page PageInfo) string {
	h := sha256.New()
	w := keyWriter{h: h}
	w.str("gosdk/idempotency/v1")
	w.str(key)
	w.str(string(page.Network))
	w.str(page.ID)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// IdempotencyToken returns IdempotencyToken(p.StableKey(), page).
func (p Post) IdempotencyToken(page PageInfo) string {
	return IdempotencyToken(p.StableKey(), page)
}

// keyWriter writes length-prefixed fields so that no two different field
// sequences encode alike.
type keyWriter struct {
	h   hash.Hash
	buf [binary.MaxVarintLen64]byte
}

func (w *keyWriter) int(n int) {
	k := binary.PutUvarint(w.buf[:], uint64(n))
	w.h.Write(w.buf[:k])
}

func (w *keyWriter) bytes(b []byte) {
	w.int(len(b))
	w.h.Write(b)
}

func (w *keyWriter) str(s string) {
	w.int(len(s))
	_, _ = io.WriteString(w.h, s)
}

func (w *keyWriter) bool(b bool) {
	if b {
		w.int(1)
	} else {
		w.int(0)
	}
}
