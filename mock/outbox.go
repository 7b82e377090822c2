package mock

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gospubliki/gosdk/mock/world"
)

// Outbox returns what the applications sent to people in the tenant's
// world (bots' Telegram messages to users, communities' VK messages,
// answers to POS appeals, the cabinet's e-mails), oldest first, filtered
// by f. Each tenant has its own outbox.
func (t *Tenant) Outbox(f world.OutboxFilter) []world.Message {
	msgs := t.World.Outbox.Messages(f)
	if msgs == nil {
		msgs = []world.Message{}
	}
	return msgs
}

// AwaitOutbox returns the messages matching f, waiting until at least one
// is sent or ctx ends (then ctx's error). Pair it with
// f.AfterSeq = the last Seq seen to follow the outbox.
func (t *Tenant) AwaitOutbox(ctx context.Context, f world.OutboxFilter) ([]world.Message, error) {
	for {
		changed := t.World.Outbox.Changed()
		if msgs := t.World.Outbox.Messages(f); len(msgs) > 0 {
			return msgs, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Outbox returns the default tenant's outbox messages matching f (see
// [Tenant.Outbox]).
func (sb *Sandbox) Outbox(f world.OutboxFilter) []world.Message { return sb.def.Outbox(f) }

// MaxOutboxWait bounds the wait= of GET /_mock/outbox.
const MaxOutboxWait = 60 * time.Second

// outboxAnswer is the answer of GET /_mock/outbox.
type outboxAnswer struct {
	Messages []world.Message `json:"messages"`
	// LastSeq is the sequence number of the outbox's newest message (pass
	// it as after_seq to follow the outbox).
	LastSeq uint64 `json:"last_seq"`
}

// serveOutbox serves GET /_mock/outbox?party=&channel=&to=&after_seq=
// &since=&until=&limit=&wait=.
func serveOutbox(w http.ResponseWriter, r *http.Request, t *Tenant) {
	q := r.URL.Query()
	for k := range q {
		switch k {
		case "party", "channel", "to", "after_seq", "since", "until", "limit", "wait":
		default:
			fail(w, http.StatusBadRequest, "unknown parameter %q; use party, channel, to, after_seq, since, until, limit, wait", k)
			return
		}
	}
	f := world.OutboxFilter{Party: q.Get("party"), Channel: q.Get("channel"), To: q.Get("to")}
	var err error
	if v := q.Get("after_seq"); v != "" {
		if f.AfterSeq, err = strconv.ParseUint(v, 10, 64); err != nil {
			fail(w, http.StatusBadRequest, "after_seq must be a sequence number")
			return
		}
	}
	for _, b := range []struct {
		name string
		to   *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(b.name); v != "" {
			if *b.to, err = time.Parse(time.RFC3339Nano, v); err != nil {
				fail(w, http.StatusBadRequest, "%s must be an RFC 3339 time", b.name)
				return
			}
		}
	}
	limit := -1
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 0 {
			fail(w, http.StatusBadRequest, "limit must be a non-negative integer")
			return
		}
	}
	var wait time.Duration
	if v := q.Get("wait"); v != "" {
		if wait, err = time.ParseDuration(v); err != nil || wait < 0 || wait > MaxOutboxWait {
			fail(w, http.StatusBadRequest, "wait must be a Go duration from 0 to %s, such as 30s", MaxOutboxWait)
			return
		}
	}
	msgs := t.Outbox(f)
	if len(msgs) == 0 && wait > 0 {
		ctx, cancel := context.WithTimeout(r.Context(), wait)
		if got, err := t.AwaitOutbox(ctx, f); err == nil {
			msgs = got
		}
		cancel()
	}
	if limit >= 0 && len(msgs) > limit {
		msgs = msgs[len(msgs)-limit:]
	}
	writeJSON(w, http.StatusOK, outboxAnswer{Messages: msgs, LastSeq: t.World.Outbox.Seq()})
}

// routeActOutbox adds the act-as-a-user and outbox routes to the control
// API (see [Action] and [Tenant.Outbox]):
//
//	GET  /_mock/act                  the actions, as "party/name"
//	POST /_mock/act/{party}/{name}   run one (the action's JSON as the body)
//	GET  /_mock/outbox?…             what the applications sent to people
func routeActOutbox(route func(path string, methods map[string]tenantHandler)) {
	route("/_mock/act", map[string]tenantHandler{"GET": func(w http.ResponseWriter, r *http.Request, t *Tenant) {
		writeJSON(w, http.StatusOK, map[string]any{"actions": ActionNames()})
	}})
	route("/_mock/act/{party}/{name}", map[string]tenantHandler{"POST": serveAct})
	route("/_mock/outbox", map[string]tenantHandler{"GET": serveOutbox})
}
