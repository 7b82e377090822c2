package gospubliki

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// Webhook request headers. The server signs every delivery: the
// signature header holds "v1=" and the hex HMAC-SHA256, under the
// endpoint's secret, of the timestamp header's value, ".", and the body
// (several comma-separated values may come, such as during a secret
// rotation; one matching v1 value suffices).
const (
	HeaderWebhookEvent     = "X-Gospubliki-Event"
	HeaderWebhookDelivery  = "X-Gospubliki-Delivery"
	HeaderWebhookTimestamp = "X-Gospubliki-Timestamp"
	HeaderWebhookSignature = "X-Gospubliki-Signature"
	// HeaderWebhookAttempt is the redelivery counter: 0, then 1, 2, ...
	HeaderWebhookAttempt = "X-Gospubliki-Attempt"
)

// DefaultWebhookWindow is how far a delivery's timestamp may be from the
// receiver's clock, in the past or the future.
const DefaultWebhookWindow = 5 * time.Minute

// DefaultReplayCacheSize is the number of signatures a [WebhookVerifier]
// remembers.
const DefaultReplayCacheSize = 4096

// Errors of webhook verification (wrapped by the returned errors).
var (
	// ErrWebhookMalformed: the signature or timestamp header is missing or
	// malformed, or the body is not a webhook payload.
	ErrWebhookMalformed = errors.New("gospubliki: malformed webhook")
	// ErrWebhookSignature: no signature matches the body under the secret.
	ErrWebhookSignature = errors.New("gospubliki: webhook signature mismatch")
	// ErrWebhookStale: the timestamp is outside the window (too old or in
	// the future).
	ErrWebhookStale = errors.New("gospubliki: webhook timestamp outside the window")
	// ErrWebhookReplay: the same signed request was seen before.
	ErrWebhookReplay = errors.New("gospubliki: webhook replayed")
)

// Webhook is a registered webhook endpoint.
type Webhook struct {
	ID        int64    `json:"id"`
	CabinetID int64    `json:"cabinet_id"`
	URL       string   `json:"url"`
	Events    []string `json:"events"`
	// Secret signs the deliveries. Only [Client.CreateWebhook] returns
	// it, once: keep it secret and give it to the receiver's
	// [WebhookVerifier].
	Secret    string    `json:"secret,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// String hides the secret.
func (w Webhook) String() string {
	return "gospubliki.Webhook{" + strconv.FormatInt(w.ID, 10) + " " + w.URL + "}"
}

// GoString hides the secret.
func (w Webhook) GoString() string { return w.String() }

// WebhookInput registers an endpoint: its URL and the event types it
// receives ("post.approved", "post.published", "template.created", ...;
// "*" for every type).
type WebhookInput struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// WebhookDelivery is one event's delivery to an endpoint.
type WebhookDelivery struct {
	ID        int64  `json:"id"`
	WebhookID int64  `json:"webhook_id"`
	EventType string `json:"event_type"`
	// Status is DeliveryPending, DeliveryDelivered or DeliveryFailed.
	Status   string `json:"status"`
	Attempts int    `json:"attempts"`
	// LastStatus is the receiver's HTTP status of the last attempt (0 when
	// it did not answer); LastError describes a failed last attempt.
	LastStatus  int        `json:"last_status,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
}

// DeliveryPage is one page of an endpoint's deliveries.
type DeliveryPage struct {
	Items      []WebhookDelivery `json:"items"`
	NextCursor string            `json:"next_cursor,omitempty"`
}

func webhookPath(id int64, tail string) string {
	return "/webhooks/" + strconv.FormatInt(id, 10) + tail
}

// Webhooks returns the cabinet's endpoints, without secrets (LKO
// administrator).
func (c *Client) Webhooks(ctx context.Context, opts ...core.CallOption) ([]Webhook, error) {
	var l struct {
		Items []Webhook `json:"items"`
	}
	return l.Items, c.do(ctx, "listWebhooks", http.MethodGet, "/webhooks", nil, &l, opts)
}

// CreateWebhook registers an endpoint (LKO administrator); the answer
// carries its signing secret, the only time the API shows it.
func (c *Client) CreateWebhook(ctx context.Context, req WebhookInput, opts ...core.CallOption) (*Webhook, error) {
	var w Webhook
	return &w, c.do(ctx, "createWebhook", http.MethodPost, "/webhooks", req, &w, opts)
}

// Webhook returns one endpoint, without its secret.
func (c *Client) Webhook(ctx context.Context, id int64, opts ...core.CallOption) (*Webhook, error) {
	var w Webhook
	return &w, c.do(ctx, "getWebhook", http.MethodGet, webhookPath(id, ""), nil, &w, opts)
}

// DeleteWebhook removes an endpoint; its pending deliveries are dropped.
func (c *Client) DeleteWebhook(ctx context.Context, id int64, opts ...core.CallOption) error {
	return c.do(ctx, "deleteWebhook", http.MethodDelete, webhookPath(id, ""), nil, nil, opts)
}

// ListWebhookDeliveries returns one page of an endpoint's deliveries,
// newest first.
func (c *Client) ListWebhookDeliveries(ctx context.Context, id int64, pr PageRequest, opts ...core.CallOption) (*DeliveryPage, error) {
	var p DeliveryPage
	return &p, c.do(ctx, "listWebhookDeliveries", http.MethodGet, pageQuery(webhookPath(id, "/deliveries"), map[string][]string{}, pr.Limit, pr.Cursor), nil, &p, opts)
}

// WebhookDeliveries walks an endpoint's deliveries (from pr.Cursor on).
func (c *Client) WebhookDeliveries(ctx context.Context, id int64, pr PageRequest, opts ...core.CallOption) iter.Seq2[WebhookDelivery, error] {
	return walk(func(cursor string) ([]WebhookDelivery, string, error) {
		pr.Cursor = cursor
		p, err := c.ListWebhookDeliveries(ctx, id, pr, opts...)
		if err != nil {
			return nil, "", err
		}
		return p.Items, p.NextCursor, nil
	}, pr.Cursor)
}

// WebhookEvent is a verified delivery.
type WebhookEvent struct {
	// ID is the delivery's id: a retry carries the same, so a receiver
	// de-duplicates on it.
	ID        int64     `json:"id"`
	WebhookID int64     `json:"webhook_id"`
	Type      string    `json:"type"`
	CabinetID int64     `json:"cabinet_id"`
	PostID    int64     `json:"post_id,omitempty"`
	UserID    int64     `json:"user_id,omitempty"`
	At        time.Time `json:"at"`
	// Data holds the event's details (JSON).
	Data json.RawMessage `json:"data,omitempty"`
	// Attempt is the redelivery counter of this request.
	Attempt int `json:"-"`
}

// maxSignatureHeader bounds the signature header a verifier reads.
const maxSignatureHeader = 4096

// parseSignatures returns the v1 signatures of a signature header: a
// comma-separated list of scheme=hex; schemes other than v1 are skipped.
func parseSignatures(h string) ([][]byte, error) {
	if h == "" || len(h) > maxSignatureHeader {
		return nil, ErrWebhookMalformed
	}
	var out [][]byte
	for part := range strings.SplitSeq(h, ",") {
		scheme, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || scheme == "" {
			return nil, ErrWebhookMalformed
		}
		if scheme != "v1" {
			continue
		}
		if len(val) != 2*sha256.Size {
			return nil, ErrWebhookMalformed
		}
		b, err := hex.DecodeString(val)
		if err != nil {
			return nil, ErrWebhookMalformed
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, ErrWebhookMalformed
	}
	return out, nil
}

// parseTimestamp reads the timestamp header: Unix seconds, digits only.
func parseTimestamp(h string) (time.Time, error) {
	if h == "" || len(h) > 12 || strings.TrimLeft(h, "0123456789") != "" {
		return time.Time{}, ErrWebhookMalformed
	}
	n, err := strconv.ParseInt(h, 10, 64)
	if err != nil {
		return time.Time{}, ErrWebhookMalformed
	}
	return time.Unix(n, 0), nil
}

// verify checks header and body and returns the matching signature.
func verify(secret string, header http.Header, body []byte, now time.Time, window time.Duration) ([]byte, error) {
	if window <= 0 {
		window = DefaultWebhookWindow
	}
	tsRaw := header.Get(HeaderWebhookTimestamp)
	ts, err := parseTimestamp(tsRaw)
	if err != nil {
		return nil, err
	}
	sigs, err := parseSignatures(header.Get(HeaderWebhookSignature))
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(tsRaw))
	m.Write([]byte{'.'})
	m.Write(body)
	want := m.Sum(nil)
	var match []byte
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			match = s
		}
	}
	if match == nil {
		return nil, ErrWebhookSignature
	}
	if d := now.Sub(ts); d > window || d < -window {
		return nil, ErrWebhookStale
	}
	return match, nil
}

// VerifyWebhook checks a delivery: the signature of body under secret and
// a timestamp within window of now (window ≤ 0: DefaultWebhookWindow). It
// remembers nothing, so it cannot refuse a replay within the window: a
// receiver uses a [WebhookVerifier], which does. The error wraps
// ErrWebhookMalformed, ErrWebhookSignature or ErrWebhookStale.
func VerifyWebhook(secret string, header http.Header, body []byte, now time.Time, window time.Duration) error {
	_, err := verify(secret, header, body, now, window)
	return err
}

// WebhookOption configures a [WebhookVerifier].
type WebhookOption func(*WebhookVerifier)

// WithWebhookWindow sets how far a timestamp may be from now (default
// DefaultWebhookWindow).
func WithWebhookWindow(d time.Duration) WebhookOption {
	return func(v *WebhookVerifier) {
		if d > 0 {
			v.window = d
		}
	}
}

// WithWebhookClock sets the receiver's clock (default the system clock).
func WithWebhookClock(c core.Clock) WebhookOption { return func(v *WebhookVerifier) { v.clock = c } }

// WithReplayCacheSize sets how many signatures the verifier remembers
// (default DefaultReplayCacheSize); when full, the one expiring first is
// forgotten.
func WithReplayCacheSize(n int) WebhookOption {
	return func(v *WebhookVerifier) {
		if n > 0 {
			v.max = n
		}
	}
}

// WebhookVerifier verifies deliveries of one endpoint and refuses
// replays: it remembers the signatures seen within the window. It is safe
// for concurrent use.
type WebhookVerifier struct {
	secret string
	window time.Duration
	clock  core.Clock
	max    int

	mu   sync.Mutex
	seen map[string]time.Time // signature → when it leaves the window
}

// NewWebhookVerifier returns a verifier of deliveries signed with secret.
func NewWebhookVerifier(secret string, opts ...WebhookOption) *WebhookVerifier {
	v := &WebhookVerifier{secret: secret, window: DefaultWebhookWindow, clock: core.SystemClock(), max: DefaultReplayCacheSize,
		seen: map[string]time.Time{}}
	for _, o := range opts {
		o(v)
	}
	return v
}

// String hides the secret.
func (v *WebhookVerifier) String() string { return "gospubliki.WebhookVerifier{}" }

// GoString hides the secret.
func (v *WebhookVerifier) GoString() string { return v.String() }

// Verify checks a delivery (signature, timestamp within the window, not
// seen before) and returns its event. The error wraps one of the
// ErrWebhook* values.
func (v *WebhookVerifier) Verify(header http.Header, body []byte) (*WebhookEvent, error) {
	now := v.clock.Now()
	sig, err := verify(v.secret, header, body, now, v.window)
	if err != nil {
		return nil, err
	}
	var ev WebhookEvent
	if err := json.Unmarshal(body, &ev); err != nil || ev.ID == 0 || ev.Type == "" {
		return nil, ErrWebhookMalformed
	}
	ev.Attempt, _ = strconv.Atoi(header.Get(HeaderWebhookAttempt))
	ts, _ := parseTimestamp(header.Get(HeaderWebhookTimestamp))
	if !v.remember(string(sig), ts.Add(v.window), now) {
		return nil, ErrWebhookReplay
	}
	return &ev, nil
}

// remember records sig until expires; false when it was seen.
func (v *WebhookVerifier) remember(sig string, expires, now time.Time) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if _, ok := v.seen[sig]; ok {
		return false
	}
	if len(v.seen) >= v.max {
		for k, t := range v.seen {
			if !t.After(now) {
				delete(v.seen, k)
			}
		}
	}
	for len(v.seen) >= v.max {
		var first string
		var at time.Time
		for k, t := range v.seen {
			if first == "" || t.Before(at) {
				first, at = k, t
			}
		}
		delete(v.seen, first)
	}
	v.seen[sig] = expires
	return true
}

// maxWebhookBody bounds the body a handler reads.
const maxWebhookBody = 1 << 20

// Handler returns an http.Handler receiving deliveries: it answers 405 to
// anything but POST, 401 to a delivery that fails verification (400 when
// malformed, 409 for a replay) and otherwise calls f, answering 204 when
// f returns nil and 500 (the server retries) when it fails. f should
// de-duplicate on the event's ID, which a retry repeats.
func (v *WebhookVerifier) Handler(f func(ctx context.Context, ev *WebhookEvent) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody+1))
		if err != nil || len(body) > maxWebhookBody {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		ev, err := v.Verify(r.Header, body)
		switch {
		case errors.Is(err, ErrWebhookMalformed):
			http.Error(w, "malformed webhook", http.StatusBadRequest)
			return
		case errors.Is(err, ErrWebhookReplay):
			http.Error(w, "replayed webhook", http.StatusConflict)
			return
		case err != nil:
			http.Error(w, "invalid webhook signature or timestamp", http.StatusUnauthorized)
			return
		}
		if err := f(r.Context(), ev); err != nil {
			http.Error(w, "not processed", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}
