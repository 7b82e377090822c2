package telegram

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
)

// SecretTokenHeader is the header Telegram sends the webhook's secret_token
// in.
const SecretTokenHeader = "X-Telegram-Bot-Api-Secret-Token"

// DefaultWebhookMaxBodyBytes bounds the body of a webhook delivery.
const DefaultWebhookMaxBodyBytes = 1 << 20

// WebhookHandler is an http.Handler that receives webhook deliveries. It
// accepts only POST (405 otherwise), checks the secret token header in
// constant time (401 on mismatch), bounds the body (413), decodes one Update
// (400 when malformed) and calls the UpdateHandler: nil → 200, an error or
// a panic → 500, so Telegram delivers the update again. It never panics.
type WebhookHandler struct {
	secret   []byte
	noSecret bool
	handle   UpdateHandler
	maxBody  int64
	logger   *slog.Logger
}

// WebhookOption configures a WebhookHandler.
type WebhookOption func(*WebhookHandler)

// WithWebhookMaxBodyBytes bounds delivery bodies (default 1 MiB).
func WithWebhookMaxBodyBytes(n int64) WebhookOption {
	return func(h *WebhookHandler) {
		if n > 0 {
			h.maxBody = n
		}
	}
}

// WithWebhookLogger logs rejected deliveries and handler errors (silent by
// default). The secret token is never logged.
func WithWebhookLogger(l *slog.Logger) WebhookOption {
	return func(h *WebhookHandler) {
		if l != nil {
			h.logger = l
		}
	}
}

// WithoutSecretToken lets NewWebhookHandler accept an empty secret token
// and skip the header check. Use it only behind another authentication
// layer: anyone who knows the URL can then post updates.
func WithoutSecretToken() WebhookOption {
	return func(h *WebhookHandler) { h.noSecret = true }
}

// NewWebhookHandler returns a handler for deliveries of a webhook set with
// secretToken (see CheckSecretToken) that passes each update to handle. An
// empty secretToken is refused unless WithoutSecretToken is given.
func NewWebhookHandler(secretToken string, handle UpdateHandler, opts ...WebhookOption) (*WebhookHandler, error) {
	if handle == nil {
		return nil, errors.New("telegram: nil update handler")
	}
	h := &WebhookHandler{
		secret:  []byte(secretToken),
		handle:  handle,
		maxBody: DefaultWebhookMaxBodyBytes,
		logger:  slog.New(slog.DiscardHandler),
	}
	for _, o := range opts {
		if o != nil {
			o(h)
		}
	}
	if secretToken == "" {
		if !h.noSecret {
			return nil, errors.New("telegram: empty webhook secret token (use WithoutSecretToken to accept unauthenticated deliveries)")
		}
	} else {
		h.noSecret = false
		if err := CheckSecretToken(secretToken); err != nil {
			return nil, fmt.Errorf("telegram: %w", err)
		}
	}
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !h.noSecret {
		got := []byte(r.Header.Get(SecretTokenHeader))
		if subtle.ConstantTimeCompare(got, h.secret) != 1 {
			h.logger.WarnContext(r.Context(), "telegram webhook: secret token mismatch", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	u, err := DecodeUpdate(body)
	if err != nil {
		h.logger.WarnContext(r.Context(), "telegram webhook: malformed update", "error", err.Error())
		http.Error(w, "malformed update", http.StatusBadRequest)
		return
	}
	if err := callHandler(r.Context(), h.handle, u); err != nil {
		h.logger.ErrorContext(r.Context(), "telegram webhook: handler failed", "update_id", u.UpdateID, "error", err.Error())
		http.Error(w, "update not processed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// DecodeUpdate decodes one Update from a webhook body. The body must be a
// single JSON object with an update_id.
func DecodeUpdate(body []byte) (Update, error) {
	var u Update
	b := bytes.TrimSpace(body)
	if len(b) == 0 || b[0] != '{' {
		return u, errors.New("telegram: update is not a JSON object")
	}
	var probe struct {
		UpdateID *int64 `json:"update_id"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return u, fmt.Errorf("telegram: decode update: %w", err)
	}
	if probe.UpdateID == nil {
		return u, errors.New("telegram: update without update_id")
	}
	if err := json.Unmarshal(b, &u); err != nil {
		return Update{}, fmt.Errorf("telegram: decode update: %w", err)
	}
	return u, nil
}
