package vk

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/internal/transport"
)

// Event types the package decodes into typed fields of Event; every other
// type is delivered with its raw Object.
const (
	EventConfirmation     = "confirmation"
	EventWallPostNew      = "wall_post_new"
	EventWallRepost       = "wall_repost"
	EventWallReplyNew     = "wall_reply_new"
	EventWallReplyEdit    = "wall_reply_edit"
	EventWallReplyRestore = "wall_reply_restore"
	EventWallReplyDelete  = "wall_reply_delete"
	EventMessageNew       = "message_new"
	EventMessageReply     = "message_reply"
	EventMessageEdit      = "message_edit"
	EventGroupJoin        = "group_join"
	EventGroupLeave       = "group_leave"
)

// Event is one Callback API or Bots Long Poll event.
type Event struct {
	Type    string          `json:"type"`
	GroupID int64           `json:"group_id"`
	EventID string          `json:"event_id"`
	V       string          `json:"v"`
	Object  json.RawMessage `json:"object"`
	Secret  string          `json:"secret,omitempty"`

	// Post is set for wall_post_new and wall_repost.
	Post *WallPost `json:"-"`
	// Comment is set for wall_reply_new, wall_reply_edit and
	// wall_reply_restore.
	Comment *Comment `json:"-"`
	// Message is set for message_new, message_reply and message_edit.
	Message *Message `json:"-"`
	// RetryCounter is the X-Retry-Counter of a Callback API redelivery
	// (0 for the first delivery and for long-poll events).
	RetryCounter int `json:"-"`
}

// ParseEvent decodes one event and its typed object. An object that does
// not decode leaves the typed field nil (Object keeps the raw value). It
// never panics on any input.
func ParseEvent(b []byte) (*Event, error) {
	var e Event
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("vk: decode event: %w", err)
	}
	if e.Type == "" {
		return nil, errors.New("vk: event without type")
	}
	e.decodeObject()
	return &e, nil
}

func (e *Event) decodeObject() {
	if len(e.Object) == 0 {
		return
	}
	switch e.Type {
	case EventWallPostNew, EventWallRepost:
		var p WallPost
		if json.Unmarshal(e.Object, &p) == nil {
			e.Post = &p
		}
	case EventWallReplyNew, EventWallReplyEdit, EventWallReplyRestore:
		var c Comment
		if json.Unmarshal(e.Object, &c) == nil {
			e.Comment = &c
		}
	case EventMessageNew:
		var m struct {
			Message *Message `json:"message"`
		}
		if json.Unmarshal(e.Object, &m) == nil {
			e.Message = m.Message
		}
	case EventMessageReply, EventMessageEdit:
		var m Message
		if json.Unmarshal(e.Object, &m) == nil {
			e.Message = &m
		}
	}
}

// EventHandler handles one event. An error asks for the event again: the
// Callback handler answers 500 (VK redelivers with X-Retry-Counter), the
// long poll retries the same events.
type EventHandler func(ctx context.Context, e *Event) error

// CallbackConfig configures a CallbackHandler.
type CallbackConfig struct {
	// GroupID, when set, refuses events of other communities.
	GroupID int64
	// Confirmation is the string answered to the confirmation event
	// (groups.getCallbackConfirmationCode).
	Confirmation string
	// Secret is the server's secret_key; events whose secret differs are
	// refused with 403 (compared in constant time). Empty accepts any.
	Secret string
	// Handle handles the events.
	Handle EventHandler
	// MaxBodyBytes bounds a request body (default 1 MiB).
	MaxBodyBytes int64
	// Remember is how many event ids are remembered for de-duplication
	// (default 10000): memory stays bounded.
	Remember int
	// Logger receives records of refused and failed events (silent by
	// default); records never contain the secret.
	Logger *slog.Logger
}

// CallbackHandler is an http.Handler for the Callback API: it answers the
// confirmation event with the confirmation string, checks secret, hands
// every other event to Handle once and answers "ok". An event whose
// event_id was already handled (a redelivery, X-Retry-Counter) is answered
// "ok" without handling it again; one being handled is answered 503 so VK
// asks again later.
type CallbackHandler struct {
	cfg  CallbackConfig
	mu   sync.Mutex
	seen map[string]bool // true: done; false: in flight
	ring []string
	next int
}

// NewCallbackHandler returns a handler for cfg.
func NewCallbackHandler(cfg CallbackConfig) *CallbackHandler {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.Remember <= 0 {
		cfg.Remember = 10000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &CallbackHandler{cfg: cfg, seen: map[string]bool{}, ring: make([]string, cfg.Remember)}
}

// ServeHTTP implements http.Handler.
func (h *CallbackHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.cfg.MaxBodyBytes+1))
	if err != nil || int64(len(body)) > h.cfg.MaxBodyBytes {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	e, err := ParseEvent(body)
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if h.cfg.Secret != "" && subtle.ConstantTimeCompare([]byte(e.Secret), []byte(h.cfg.Secret)) != 1 {
		h.cfg.Logger.Warn("vk callback: wrong secret", slog.String("type", e.Type), slog.Int64("group_id", e.GroupID))
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	e.Secret = ""
	if h.cfg.GroupID != 0 && e.GroupID != abs(h.cfg.GroupID) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	if e.Type == EventConfirmation {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, h.cfg.Confirmation)
		return
	}
	e.RetryCounter, _ = strconv.Atoi(r.Header.Get("X-Retry-Counter"))
	if e.EventID != "" {
		h.mu.Lock()
		done, known := h.seen[e.EventID]
		if !known {
			h.seen[e.EventID] = false
		}
		h.mu.Unlock()
		switch {
		case known && done:
			writeOK(w)
			return
		case known:
			w.Header().Set("Retry-After", "1")
			http.Error(w, "in progress", http.StatusServiceUnavailable)
			return
		}
	}
	herr := h.handle(r.Context(), e)
	if e.EventID != "" {
		h.mu.Lock()
		if herr != nil {
			delete(h.seen, e.EventID)
		} else {
			h.remember(e.EventID)
		}
		h.mu.Unlock()
	}
	if herr != nil {
		h.cfg.Logger.Warn("vk callback: handler failed", slog.String("type", e.Type), slog.String("event_id", e.EventID),
			slog.String("error", herr.Error()))
		http.Error(w, "handler failed", http.StatusInternalServerError)
		return
	}
	writeOK(w)
}

// handle runs the handler; a panic is the handler's failure (the event is
// asked for again), never an event stuck "in progress".
func (h *CallbackHandler) handle(ctx context.Context, e *Event) (err error) {
	if h.cfg.Handle == nil {
		return nil
	}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("vk: callback handler panicked: %v", v)
		}
	}()
	return h.cfg.Handle(ctx, e)
}

// remember marks id done, forgetting the oldest id beyond Remember.
func (h *CallbackHandler) remember(id string) {
	if old := h.ring[h.next]; old != "" {
		delete(h.seen, old)
	}
	h.ring[h.next] = id
	h.next = (h.next + 1) % len(h.ring)
	h.seen[id] = true
}

func writeOK(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok")
}

// LongPollOptions configures LongPoll.
type LongPollOptions struct {
	// Wait is the poll's wait in seconds (default 25, at most 90).
	Wait int
	// RetryWait is the pause after a failed poll or handler, on the
	// client's clock (default 3 s).
	RetryWait time.Duration
	// OnError is called for every failure the loop recovers from.
	OnError func(error)
}

// LongPollResponse is a Bots Long Poll answer.
type LongPollResponse struct {
	TS      NumString         `json:"ts"`
	Updates []json.RawMessage `json:"updates"`
	Failed  int               `json:"failed"`
}

// LongPoll runs the Bots Long Poll loop of community groupID until ctx
// ends (then it returns ctx's error): groups.getLongPollServer, then
// GET <server>?act=a_check&key=…&ts=…&wait=…, handing every event to
// handle in order. The offset (ts) advances only after handle succeeded
// for every event of an answer; when handle fails the same events come
// again after RetryWait (events already handled are skipped by event_id).
// failed=1: continue with the new ts; failed=2: new key, same ts;
// failed=3: new key and ts (events in between are lost, as VK documents).
// An error that cannot be recovered (a wrong token kind, error 5, 15, 27,
// 100) is returned.
func (c *Client) LongPoll(ctx context.Context, groupID int64, handle EventHandler, o LongPollOptions) error {
	if err := c.checkKind("groups.getLongPollServer"); err != nil {
		return err
	}
	if handle == nil {
		return errors.New("vk: long poll without a handler")
	}
	if o.Wait <= 0 {
		o.Wait = 25
	}
	o.Wait = min(o.Wait, 90)
	if o.RetryWait <= 0 {
		o.RetryWait = 3 * time.Second
	}
	report := func(err error) {
		if o.OnError != nil {
			o.OnError(err)
		}
	}
	var srv *LongPollServer
	var ts string
	refresh := func(keepTS bool) error {
		s, err := c.GroupsGetLongPollServer(ctx, groupID)
		if err != nil {
			return err
		}
		srv = s
		if !keepTS || ts == "" {
			ts = string(s.TS)
		}
		return nil
	}
	handled := map[string]bool{}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if srv == nil {
			if err := refresh(true); err != nil {
				if fatalPollError(err) {
					return err
				}
				report(err)
				if err := c.sleep(ctx, o.RetryWait); err != nil {
					return err
				}
				continue
			}
		}
		resp, err := c.poll(ctx, srv, ts, o.Wait)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			report(err)
			if err := c.sleep(ctx, o.RetryWait); err != nil {
				return err
			}
			continue
		}
		switch resp.Failed {
		case 0:
		case 1:
			ts = string(resp.TS)
			clear(handled)
			continue
		case 2:
			srv = nil // new key, same ts
			continue
		default:
			srv, ts = nil, "" // new key and ts
			clear(handled)
			continue
		}
		ok := true
		for _, raw := range resp.Updates {
			e, perr := ParseEvent(raw)
			if perr != nil {
				report(perr)
				continue
			}
			if e.EventID != "" && handled[e.EventID] {
				continue
			}
			if herr := handle(ctx, e); herr != nil {
				report(fmt.Errorf("vk: long poll handler: %w", herr))
				ok = false
				break
			}
			if e.EventID != "" {
				handled[e.EventID] = true
			}
		}
		if !ok {
			if err := c.sleep(ctx, o.RetryWait); err != nil {
				return err
			}
			continue
		}
		ts = string(resp.TS)
		clear(handled)
	}
}

func fatalPollError(err error) bool {
	if errors.Is(err, ErrWrongTokenKind) {
		return true
	}
	var ve *Error
	if errors.As(err, &ve) {
		switch ve.Code {
		case CodeAuthFailed, CodeAccessDenied, CodeGroupAuthFailed, CodeAppAuthFailed, CodeParam, CodePermissionDenied, CodeInvalidGroupID:
			return true
		}
	}
	return false
}

// LongPollCheck makes one Bots Long Poll request (act=a_check) to srv
// from ts, waiting at most wait seconds (0: answer at once), for a caller
// that polls on its own schedule instead of running LongPoll. The answer's
// Failed field is the caller's to handle (1: continue from the new TS; 2:
// a new key; 3: a new key and ts). The key never appears in errors.
func (c *Client) LongPollCheck(ctx context.Context, srv *LongPollServer, ts string, wait int) (*LongPollResponse, error) {
	if srv == nil {
		return nil, errors.New("vk: long poll: no server")
	}
	return c.poll(ctx, srv, ts, max(0, min(wait, 90)))
}

// poll makes one a_check request. The key is a secret: it never appears
// in errors or logs.
func (c *Client) poll(ctx context.Context, srv *LongPollServer, ts string, wait int) (*LongPollResponse, error) {
	u, err := url.Parse(srv.Server)
	if err != nil || u.Host == "" {
		return nil, errors.New("vk: long poll server is not a URL")
	}
	if u.Scheme == "" {
		u.Scheme = "https"
	}
	q := u.Query()
	q.Set("act", "a_check")
	q.Set("key", srv.Key)
	q.Set("ts", ts)
	q.Set("wait", strconv.Itoa(wait))
	u.RawQuery = q.Encode()
	call := &transport.Call{Operation: "vk.longpoll", Method: http.MethodGet, URL: u.String(), Idempotent: true}
	resp, err := c.tr.Do(ctx, call, core.CallLimitKeys(), core.CallTimeout(time.Duration(wait)*time.Second+15*time.Second))
	if err != nil {
		return nil, scrubKey(err, srv.Key)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("vk: long poll: HTTP %d", resp.StatusCode)
	}
	var out LongPollResponse
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return nil, fmt.Errorf("vk: long poll: decode answer: %w", err)
	}
	return &out, nil
}

// keyError hides a long-poll key in an error's text.
type keyError struct {
	msg string
	err error
}

func (e *keyError) Error() string { return e.msg }
func (e *keyError) Unwrap() error { return e.err }

func scrubKey(err error, key string) error {
	if key == "" {
		return err
	}
	return &keyError{msg: strings.ReplaceAll(err.Error(), key, transport.Redacted), err: err}
}

// sleep waits d on the client's clock.
func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	t := c.clock.NewTimer(d)
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	}
}
