package world

import (
	"strings"
	"sync"
	"time"
)

// Outbox channels: how an application reached a person.
const (
	// ChannelEmail is an e-mail (the cabinet's invitations, resets and
	// notifications).
	ChannelEmail = "email"
	// ChannelSMS is a text message to a phone (password reset codes).
	ChannelSMS = "sms"
	// ChannelTelegram is a Telegram message from a bot to a user.
	ChannelTelegram = "telegram"
	// ChannelVK is a VK message from a community to a user.
	ChannelVK = "vk"
	// ChannelOK is an OK message from a group to a user.
	ChannelOK = "ok"
	// ChannelPOS is an answer to a POS appeal.
	ChannelPOS = "pos"
)

// DefaultOutboxLimit is the number of messages an outbox keeps by default;
// older messages are discarded first.
const DefaultOutboxLimit = 10000

// Message is one thing an application sent to a person, as the person
// would receive it: an e-mail, a bot's Telegram message, a community's VK
// message, an answer to a POS appeal.
type Message struct {
	// Seq is the message's sequence number in its outbox, increasing from 1.
	Seq uint64 `json:"seq"`
	// Time is the world clock's time when it was sent.
	Time time.Time `json:"time"`
	// Party is the emulated party that delivered it ("gospubliki", "vk", ...).
	Party string `json:"party"`
	// Channel is how it reached the person (the Channel* constants).
	Channel string `json:"channel"`
	// To is the recipient as the channel addresses them: an e-mail address,
	// a phone, a Telegram chat id, a VK or OK user id, a POS appeal id.
	To string `json:"to"`
	// From is the sender as the channel shows it (a bot's username, a
	// community id, the cabinet's address); may be empty.
	From string `json:"from,omitempty"`
	// Subject is an e-mail's subject (empty for other channels).
	Subject string `json:"subject,omitempty"`
	// Text is the message text.
	Text string `json:"text"`
	// Meta carries channel details (a message id, a template, a link the
	// person is asked to follow); never secrets other than the one-time
	// links and codes the person is meant to receive.
	Meta map[string]string `json:"meta,omitempty"`
}

// OutboxFilter selects outbox messages; zero fields match everything.
type OutboxFilter struct {
	// Party and Channel match case-insensitively.
	Party   string `json:"party,omitempty"`
	Channel string `json:"channel,omitempty"`
	// To matches the recipient exactly.
	To string `json:"to,omitempty"`
	// AfterSeq matches messages with Seq > AfterSeq.
	AfterSeq uint64 `json:"after_seq,omitempty"`
	// Since and Until bound Time: Since ≤ Time < Until (zero: unbounded).
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`
}

// Match reports whether m passes the filter.
func (f OutboxFilter) Match(m *Message) bool {
	switch {
	case f.Party != "" && !strings.EqualFold(f.Party, m.Party),
		f.Channel != "" && !strings.EqualFold(f.Channel, m.Channel),
		f.To != "" && f.To != m.To,
		m.Seq <= f.AfterSeq,
		!f.Since.IsZero() && m.Time.Before(f.Since),
		!f.Until.IsZero() && !m.Time.Before(f.Until):
		return false
	}
	return true
}

// Outbox records what the applications sent to people, across parties,
// for assertions. It is bounded like the journal (a ring; the oldest
// messages go first) and is emptied by [World.Reset]. It is safe for
// concurrent use.
type Outbox struct {
	mu     sync.Mutex
	seq    uint64
	msgs   *Ring[Message]
	notify chan struct{}
}

// NewOutbox returns an outbox keeping at most limit messages (≤ 0:
// [DefaultOutboxLimit]).
func NewOutbox(limit int) *Outbox {
	if limit <= 0 {
		limit = DefaultOutboxLimit
	}
	return &Outbox{msgs: NewRing[Message](limit, nil, nil)}
}

// Send records m, assigning its Seq, and returns the stored message. The
// caller must not modify m.Meta afterwards.
func (o *Outbox) Send(m Message) Message {
	o.mu.Lock()
	o.seq++
	m.Seq = o.seq
	o.msgs.Push(m)
	if o.notify != nil {
		close(o.notify)
		o.notify = nil
	}
	o.mu.Unlock()
	return copyMessage(m)
}

func copyMessage(m Message) Message {
	if m.Meta != nil {
		meta := make(map[string]string, len(m.Meta))
		for k, v := range m.Meta {
			meta[k] = v
		}
		m.Meta = meta
	}
	return m
}

// Messages returns copies of the messages matching f, oldest first.
func (o *Outbox) Messages(f OutboxFilter) []Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []Message
	o.msgs.All(func(m Message) bool {
		if f.Match(&m) {
			out = append(out, copyMessage(m))
		}
		return true
	})
	return out
}

// Last returns the newest message matching f.
func (o *Outbox) Last(f OutboxFilter) (Message, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var last Message
	found := false
	o.msgs.Backward(func(m Message) bool {
		if f.Match(&m) {
			last, found = m, true
			return false
		}
		return true
	})
	return copyMessage(last), found
}

// Len returns the number of messages kept.
func (o *Outbox) Len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.msgs.Len()
}

// Seq returns the sequence number of the newest message (0: none sent).
func (o *Outbox) Seq() uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.seq
}

// Changed returns a channel closed by the next Send: wait on it, then
// query again (for long polls and live views).
func (o *Outbox) Changed() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.notify == nil {
		o.notify = make(chan struct{})
	}
	return o.notify
}

// Reset discards every message; sequence numbers go on increasing.
func (o *Outbox) Reset() {
	o.mu.Lock()
	o.msgs.Clear()
	o.mu.Unlock()
}
