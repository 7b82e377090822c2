package gpmock

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/mock/delivery"
	"github.com/gospubliki/gosdk/mock/world"
)

// Webhook request headers. The signature is HMAC-SHA256 under the
// endpoint's secret over the timestamp header's value, ".", and the body,
// hex-encoded after "v1=" (several comma-separated v1= values may come).
const (
	HeaderWebhookEvent     = "X-Gospubliki-Event"
	HeaderWebhookDelivery  = "X-Gospubliki-Delivery"
	HeaderWebhookTimestamp = "X-Gospubliki-Timestamp"
	HeaderWebhookSignature = "X-Gospubliki-Signature"
	// HeaderWebhookAttempt is the redelivery counter: 0 on the first
	// attempt of a delivery, then 1, 2, ...
	HeaderWebhookAttempt = "X-Gospubliki-Attempt"
)

// Webhook delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// Limits of webhooks.
const (
	// MaxWebhookAttempts is the number of attempts after which a delivery
	// fails for good.
	MaxWebhookAttempts = 10
	// MaxWebhooks is the number of endpoints a cabinet may register.
	MaxWebhooks = 20
	// maxDeliveryLog is the number of deliveries an endpoint's log keeps.
	maxDeliveryLog = 1000
)

// WebhookEventTypes are the event types an endpoint may subscribe to
// ("*" subscribes to all of them).
var WebhookEventTypes = []string{
	"post.submitted", "post.approved", "post.returned",
	"post.published", "post.failed", "post.partially_published", "post.unknown_outcome",
	EventTemplateCreated, EventChannelItem,
	"user.invited", "user.confirmed", "user.blocked",
	"dialog.received", "dialog.assigned", "dialog.answered",
}

// Webhook is an integrator's endpoint: the cabinet's events of the listed
// types are delivered to URL, signed with the endpoint's secret.
type Webhook struct {
	ID        int64    `json:"id"`
	CabinetID int64    `json:"cabinet_id"`
	URL       string   `json:"url"`
	Events    []string `json:"events"`
	// Secret signs the deliveries; the API shows it once, when the
	// endpoint is created (a section export carries it only with secrets).
	Secret    string    `json:"secret,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// WebhookInput is the body of POST /api/v1/webhooks.
type WebhookInput struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// WebhookList is the answer of GET /api/v1/webhooks.
type WebhookList struct {
	Items []Webhook `json:"items"`
}

// WebhookDelivery is one event's delivery to an endpoint.
type WebhookDelivery struct {
	ID        int64  `json:"id"`
	WebhookID int64  `json:"webhook_id"`
	EventType string `json:"event_type"`
	Status    string `json:"status"`
	Attempts  int    `json:"attempts"`
	// LastStatus is the receiver's HTTP status of the last attempt (0:
	// none, such as a refused connection); LastError describes a failed
	// last attempt.
	LastStatus  int        `json:"last_status,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
}

// DeliveryPage is one page of GET /api/v1/webhooks/{id}/deliveries.
type DeliveryPage struct {
	Items      []WebhookDelivery `json:"items"`
	NextCursor string            `json:"next_cursor,omitempty"`
}

// WebhookPayload is the body of a delivery.
type WebhookPayload struct {
	// ID is the delivery's id (a receiver de-duplicates on it: a retry
	// carries the same ID).
	ID        int64           `json:"id"`
	WebhookID int64           `json:"webhook_id"`
	Type      string          `json:"type"`
	CabinetID int64           `json:"cabinet_id"`
	PostID    int64           `json:"post_id,omitempty"`
	UserID    int64           `json:"user_id,omitempty"`
	At        time.Time       `json:"at"`
	Data      json.RawMessage `json:"data,omitempty"`
}

// SignWebhook returns the signature header value of body sent at ts
// under secret: "v1=" and the hex HMAC-SHA256 of "<unix ts>.<body>".
func SignWebhook(secret string, ts time.Time, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts.Unix(), 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

// hookRec is a registered endpoint with its secret, queue and log.
type hookRec struct {
	Webhook
	secret string
	queue  []*deliveryRec // pending, oldest first
	log    []*deliveryRec // the last maxDeliveryLog, oldest first
	stream *delivery.Stream
}

func (h *hookRec) public() Webhook {
	w := h.Webhook
	w.Events = slices.Clone(nonNil(h.Events))
	w.Secret = ""
	return w
}

type deliveryRec struct {
	WebhookDelivery
	body []byte
}

// hookEngine is the delivery engine of the webhooks, built on first use
// unless given with WithWebhookEngine.
type hookEngine struct {
	mu     sync.Mutex
	e      *delivery.Engine
	own    bool
	tenant string
}

// WithWebhookEngine delivers the webhooks through e (the caller closes
// it). By default the server builds an engine on first use: on the
// world's clock and journal with WithWorld (retries from 1 s doubling up
// to 5 min), delivering to loopback hosts only, closed by [Server.Close].
func WithWebhookEngine(e *delivery.Engine) Option {
	return func(s *Server) { s.hooks.e = e }
}

// WithWebhookTenant names the sandbox tenant the deliveries are journaled
// under.
func WithWebhookTenant(name string) Option { return func(s *Server) { s.hooks.tenant = name } }

func (s *Server) hookEngine() *delivery.Engine {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	if s.hooks.e == nil {
		cfg := delivery.Config{Party: PartyName, RetryMin: time.Second, RetryMax: 5 * time.Minute}
		switch c := s.clock.(type) {
		case *world.Clock:
			cfg.Clock = c
		default:
			cfg.Clock = world.NewClock(time.Time{})
		}
		if s.world != nil {
			cfg.Clock, cfg.Journal = s.world.Clock, s.world.Journal
		}
		s.hooks.e, s.hooks.own = delivery.New(cfg), true
	}
	return s.hooks.e
}

// Close stops the webhook deliveries under way and pending (when the
// server built its engine itself).
func (s *Server) Close() error {
	s.hooks.mu.Lock()
	e, own := s.hooks.e, s.hooks.own
	s.hooks.mu.Unlock()
	if e != nil && own {
		e.Close()
	}
	return nil
}

func (s *Server) routesWebhooks() {
	s.handle("listWebhooks", "GET", "/api/v1/webhooks", adminOnly, s.listWebhooks)
	s.handle("createWebhook", "POST", "/api/v1/webhooks", adminOnly, s.createWebhook)
	s.handle("getWebhook", "GET", "/api/v1/webhooks/{id}", adminOnly, s.getWebhook)
	s.handle("deleteWebhook", "DELETE", "/api/v1/webhooks/{id}", adminOnly, s.deleteWebhook)
	s.handle("listWebhookDeliveries", "GET", "/api/v1/webhooks/{id}/deliveries", adminOnly, s.listWebhookDeliveries)
	s.listeners = append(s.listeners, s.deliverEvent)
}

func validWebhook(raw string, events []string) error {
	u, err := url.Parse(raw)
	if err != nil || len(raw) > 2048 || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return invalid("url must be an http or https URL without credentials")
	}
	if len(events) == 0 {
		return invalid("events must list at least one event type")
	}
	for _, e := range events {
		if e != "*" && !slices.Contains(WebhookEventTypes, e) {
			return invalid("unknown event type " + strconv.Quote(e))
		}
	}
	return nil
}

func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) createWebhook(c *caller, r *http.Request) (int, any, error) {
	var in WebhookInput
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if err := validWebhook(in.URL, in.Events); err != nil {
		return 0, nil, err
	}
	events := slices.Clone(in.Events)
	slices.Sort(events)
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, h := range s.planning.hooks {
		if h.CabinetID == c.CabinetID {
			n++
		}
	}
	if n >= MaxWebhooks {
		return 0, nil, &apiError{http.StatusConflict, "conflict", "the cabinet has the most webhooks allowed"}
	}
	s.nextID++
	h := &hookRec{Webhook: Webhook{ID: s.nextID, CabinetID: c.CabinetID, URL: in.URL, Events: slices.Compact(events),
		CreatedAt: s.clock.Now().UTC()}, secret: newSecret()}
	s.planning.hooks[h.ID] = h
	out := h.public()
	out.Secret = h.secret
	return http.StatusCreated, out, nil
}

// hookOf returns the caller's cabinet's endpoint of the path; the caller
// holds s.mu.
func (s *Server) hookOf(c *caller, r *http.Request) (*hookRec, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	h := s.planning.hooks[id]
	if h == nil || h.CabinetID != c.CabinetID {
		return nil, errNotFound
	}
	return h, nil
}

func (s *Server) listWebhooks(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := WebhookList{Items: []Webhook{}}
	for _, h := range sortedByID(s.planning.hooks) {
		if h.CabinetID == c.CabinetID {
			out.Items = append(out.Items, h.public())
		}
	}
	return http.StatusOK, out, nil
}

func (s *Server) getWebhook(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, err := s.hookOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, h.public(), nil
}

// deleteWebhook removes an endpoint; its pending deliveries are dropped.
func (s *Server) deleteWebhook(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, err := s.hookOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	delete(s.planning.hooks, h.ID)
	if h.stream != nil {
		h.stream.Close()
	}
	return http.StatusNoContent, nil, nil
}

// listWebhookDeliveries lists an endpoint's deliveries, newest first.
func (s *Server) listWebhookDeliveries(c *caller, r *http.Request) (int, any, error) {
	limit, cursor, err := listQuery(r)
	if err != nil {
		return 0, nil, err
	}
	var before int64
	if cursor != "" {
		if before, err = decodeCursor(cursor); err != nil {
			return 0, nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h, err := s.hookOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	out := DeliveryPage{Items: []WebhookDelivery{}}
	for i := len(h.log) - 1; i >= 0; i-- {
		d := h.log[i]
		if before > 0 && d.ID >= before {
			continue
		}
		if len(out.Items) == limit {
			out.NextCursor = encodeCursor(out.Items[limit-1].ID)
			break
		}
		out.Items = append(out.Items, d.WebhookDelivery)
	}
	return http.StatusOK, out, nil
}

// deliverEvent is the event listener of the webhooks: it queues e for
// every endpoint of e's cabinet subscribed to its type.
func (s *Server) deliverEvent(e Event) {
	var kick []*delivery.Stream
	s.mu.Lock()
	for _, h := range sortedByID(s.planning.hooks) {
		if h.CabinetID != e.CabinetID || !slices.Contains(h.Events, e.Type) && !slices.Contains(h.Events, "*") {
			continue
		}
		s.nextID++
		p := WebhookPayload{ID: s.nextID, WebhookID: h.ID, Type: e.Type, CabinetID: e.CabinetID, PostID: e.PostID, UserID: e.UserID, At: e.At}
		if e.Data != nil {
			p.Data, _ = json.Marshal(e.Data)
		}
		body, _ := json.Marshal(p)
		d := &deliveryRec{WebhookDelivery: WebhookDelivery{ID: p.ID, WebhookID: h.ID, EventType: e.Type, Status: DeliveryPending,
			CreatedAt: s.clock.Now().UTC()}, body: body}
		h.queue = append(h.queue, d)
		h.log = append(h.log, d)
		if len(h.log) > maxDeliveryLog {
			h.log = slices.Delete(h.log, 0, len(h.log)-maxDeliveryLog)
		}
		if h.stream == nil {
			h.stream = s.hookEngine().NewStream(hookSource{s: s, h: h})
		}
		kick = append(kick, h.stream)
	}
	s.mu.Unlock()
	for _, st := range kick {
		st.Kick()
	}
}

// hookSource feeds an endpoint's stream from its queue.
type hookSource struct {
	s *Server
	h *hookRec
}

// Next implements [delivery.Source]: the head of the queue, signed now.
func (src hookSource) Next() (any, delivery.Request, bool) {
	s, h := src.s, src.h
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.planning.hooks[h.ID] != h || len(h.queue) == 0 {
		return nil, delivery.Request{}, false
	}
	d := h.queue[0]
	now := s.clock.Now()
	hdr := http.Header{
		"Content-Type":         {"application/json"},
		"User-Agent":           {"Gospubliki-Webhooks/1.0 (gpmock)"},
		HeaderWebhookEvent:     {d.EventType},
		HeaderWebhookDelivery:  {strconv.FormatInt(d.ID, 10)},
		HeaderWebhookTimestamp: {strconv.FormatInt(now.Unix(), 10)},
		HeaderWebhookSignature: {SignWebhook(h.secret, now, d.body)},
		HeaderWebhookAttempt:   {strconv.Itoa(d.Attempts)},
	}
	return d, delivery.Request{URL: h.URL, Header: hdr, Body: d.body, Name: "webhook", Tenant: s.hooks.tenant,
		Params: map[string]string{"event": d.EventType, "delivery": strconv.FormatInt(d.ID, 10), "webhook": strconv.FormatInt(h.ID, 10)}}, true
}

// Done implements [delivery.Source]: the attempt is counted; a delivered
// or finally failed delivery leaves the queue.
func (src hookSource) Done(key any, resp *delivery.Response, err error) {
	s, h := src.s, src.h
	d, _ := key.(*deliveryRec)
	s.mu.Lock()
	defer s.mu.Unlock()
	if d == nil || len(h.queue) == 0 || h.queue[0] != d {
		return
	}
	d.Attempts++
	var de *delivery.Error
	switch {
	case err == nil:
		at := s.clock.Now().UTC()
		d.Status, d.LastStatus, d.LastError, d.DeliveredAt = DeliveryDelivered, resp.Status, "", &at
	case errors.As(err, &de):
		d.LastStatus, d.LastError = de.Status, de.Error()
		if de.Kind == delivery.KindInvalidURL || de.Kind == delivery.KindForbiddenHost {
			d.Status = DeliveryFailed
		}
	default:
		d.LastStatus, d.LastError = 0, "delivery failed"
	}
	if d.Status == DeliveryPending && d.Attempts >= MaxWebhookAttempts {
		d.Status = DeliveryFailed
	}
	if d.Status != DeliveryPending {
		h.queue = h.queue[1:]
	}
}
