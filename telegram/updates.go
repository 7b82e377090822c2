package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/internal/transport"
)

// UpdateHandler processes one update. A non-nil error means the update was
// not processed: the webhook handler answers 500 so Telegram redelivers it,
// and LongPoll does not confirm it and fetches it again after a backoff.
type UpdateHandler func(ctx context.Context, u Update) error

// CheckSecretToken reports whether s is a valid webhook secret_token: 1 to
// 256 characters of A-Z, a-z, 0-9, "_" and "-".
func CheckSecretToken(s string) error {
	if len(s) < 1 || len(s) > 256 {
		return errors.New("secret token must be 1 to 256 characters long")
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '-') {
			return errors.New("secret token may contain only A-Z, a-z, 0-9, _ and -")
		}
	}
	return nil
}

// SetWebhookRequest is the input of SetWebhook.
type SetWebhookRequest struct {
	// URL is the HTTPS address Telegram posts updates to (a local Bot API
	// server also accepts http).
	URL string `json:"url"`
	// Certificate is a self-signed public key certificate to upload.
	Certificate *InputFile `json:"certificate,omitempty"`
	IPAddress   string     `json:"ip_address,omitempty"`
	// MaxConnections is 1 to 100 on the hosted Bot API (default 40).
	MaxConnections int `json:"max_connections,omitempty"`
	// AllowedUpdates lists the update kinds to receive; nil keeps the
	// previous setting, an empty non-nil slice means all default kinds.
	AllowedUpdates     []string `json:"allowed_updates,omitzero"`
	DropPendingUpdates bool     `json:"drop_pending_updates,omitempty"`
	// SecretToken is sent back in the X-Telegram-Bot-Api-Secret-Token header
	// of every delivery (see CheckSecretToken).
	SecretToken string `json:"secret_token,omitempty"`
}

// SetWebhook sets the webhook. It is safe to repeat.
//
// Telegram API docs: https://core.telegram.org/bots/api#setwebhook
func (c *Client) SetWebhook(ctx context.Context, req *SetWebhookRequest, opts ...core.CallOption) error {
	const method = "setWebhook"
	if req == nil {
		return invalid(method, "request", "nil")
	}
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return invalid(method, "url", "must be an absolute https URL")
	}
	if u.Scheme == "http" && !c.customBase {
		return invalid(method, "url", "the hosted Bot API requires https")
	}
	if req.SecretToken != "" {
		if err := CheckSecretToken(req.SecretToken); err != nil {
			return invalid(method, "secret_token", err.Error())
		}
	}
	if req.MaxConnections < 0 || (!c.customBase && req.MaxConnections > 100) {
		return invalid(method, "max_connections", "must be 1 to 100")
	}
	r := *req
	var up []upload
	if r.Certificate != nil {
		cert := *r.Certificate
		r.Certificate = &cert
		up = topUpload("certificate", r.Certificate)
	}
	_, err = doJSON[bool](ctx, c, method, &r, up, callOpts{call: opts, idempotent: true})
	return err
}

// DeleteWebhookRequest is the input of DeleteWebhook.
type DeleteWebhookRequest struct {
	DropPendingUpdates bool `json:"drop_pending_updates,omitempty"`
}

// DeleteWebhook removes the webhook so that GetUpdates may be used. A nil
// req keeps pending updates.
//
// Telegram API docs: https://core.telegram.org/bots/api#deletewebhook
func (c *Client) DeleteWebhook(ctx context.Context, req *DeleteWebhookRequest, opts ...core.CallOption) error {
	if req == nil {
		req = &DeleteWebhookRequest{}
	}
	_, err := doJSON[bool](ctx, c, "deleteWebhook", req, nil, callOpts{call: opts, idempotent: true})
	return err
}

// GetWebhookInfo returns the current webhook status.
//
// Telegram API docs: https://core.telegram.org/bots/api#getwebhookinfo
func (c *Client) GetWebhookInfo(ctx context.Context, opts ...core.CallOption) (*WebhookInfo, error) {
	return doCall[WebhookInfo](ctx, c, "getWebhookInfo", nil, nil, callOpts{call: opts, idempotent: true})
}

// GetUpdatesRequest is the input of GetUpdates.
type GetUpdatesRequest struct {
	// Offset is the first update to return: the highest update_id already
	// processed plus one. Returning an offset confirms earlier updates.
	Offset int64 `json:"offset,omitempty"`
	// Limit is 1 to 100 (0 means Telegram's default, 100).
	Limit int `json:"limit,omitempty"`
	// Timeout is the long-poll timeout in seconds (0: short polling). The
	// HTTP client's timeout must be longer.
	Timeout int `json:"timeout,omitempty"`
	// AllowedUpdates: nil keeps the previous setting, an empty non-nil
	// slice means all default kinds.
	AllowedUpdates []string `json:"allowed_updates,omitzero"`
}

// GetUpdates receives updates by long polling. It fails with ErrConflict
// while a webhook is set. See LongPoll for a loop with correct offsets.
// A call whose ctx has no deadline is bounded to the poll timeout plus
// 15 s.
//
// Telegram API docs: https://core.telegram.org/bots/api#getupdates
func (c *Client) GetUpdates(ctx context.Context, req *GetUpdatesRequest, opts ...core.CallOption) ([]Update, error) {
	const method = "getUpdates"
	if req == nil {
		req = &GetUpdatesRequest{}
	}
	if req.Limit < 0 || req.Limit > 100 {
		return nil, invalid(method, "limit", "must be 0 to 100")
	}
	if req.Timeout < 0 {
		return nil, invalid(method, "timeout", "must not be negative")
	}
	if _, ok := ctx.Deadline(); !ok {
		// A long poll's own bound, instead of the client's default one.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(req.Timeout)*time.Second+pollGrace)
		defer cancel()
	}
	return doJSON[[]Update](ctx, c, method, req, nil, callOpts{call: opts, idempotent: true})
}

// LongPollOptions configures LongPoll. The zero value is usable.
type LongPollOptions struct {
	// Timeout is the long-poll timeout (default 25 s, whole seconds). Each
	// request is cancelled if no answer arrives 15 s after it; keep it below
	// any timeout of an http.Client given with core.WithHTTPClient.
	Timeout time.Duration
	// Limit is the batch size, 1 to 100 (default 100).
	Limit int
	// AllowedUpdates lists the update kinds to receive (nil keeps the
	// previous setting).
	AllowedUpdates []string
	// Offset is the first update_id to ask for (default: the first
	// unconfirmed update).
	Offset int64
	// MinBackoff and MaxBackoff bound the wait after a failed getUpdates or
	// a failed handler (defaults 1 s and 30 s).
	MinBackoff, MaxBackoff time.Duration
	// OnError, when set, is called with every error LongPoll backs off from.
	OnError func(error)
}

// pollGrace is how long LongPoll waits for a long poll's answer beyond its
// timeout before it treats the request as hung and retries.
const pollGrace = 15 * time.Second

// DefaultPollTimeout is the long-poll timeout LongPoll uses by default.
const DefaultPollTimeout = 25 * time.Second

// LongPoll receives updates with getUpdates until ctx ends and passes each to
// h, one at a time and in order. An update is confirmed (the next offset is
// its update_id + 1) only after h returned nil; when h fails, LongPoll backs off
// and fetches again from that update, so it is redelivered. Errors of
// getUpdates are retried with backoff (at least the retry_after of a 429
// answer), except 401 (ErrUnauthorized), 404
// (ErrNotFound: malformed token) and 409 (ErrConflict: a webhook is set or
// another poller runs), which end LongPoll with the typed error. When ctx
// ends LongPoll returns ctx.Err(). Backoff waits run on the client's clock
// (core.WithClock). A panic in h is recovered and treated as an error.
func (c *Client) LongPoll(ctx context.Context, opts LongPollOptions, h UpdateHandler) error {
	if h == nil {
		return errors.New("telegram: LongPoll: nil handler")
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultPollTimeout
	}
	limit := opts.Limit
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	minB, maxB := opts.MinBackoff, opts.MaxBackoff
	if minB <= 0 {
		minB = time.Second
	}
	if maxB < minB {
		maxB = max(30*time.Second, minB)
	}
	offset := opts.Offset
	failures := 0
	fail := func(err error) error {
		if opts.OnError != nil {
			opts.OnError(err)
		}
		c.logger.WarnContext(ctx, "telegram poll error", "error", err.Error(), "failures", failures+1)
		wait := transport.ExpBackoff(minB, maxB, failures)
		var te *Error
		if errors.As(err, &te) && te.RetryAfter > wait {
			wait = te.RetryAfter // flood control: wait what Telegram asked
		}
		t := c.clock.NewTimer(wait)
		failures++
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C():
			return nil
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Each long poll is bounded: the server answers within the poll
		// timeout, so a request outliving it by pollGrace is hung.
		pctx, cancel := context.WithTimeout(ctx, timeout+pollGrace)
		ups, err := c.GetUpdates(pctx, &GetUpdatesRequest{
			Offset: offset, Limit: limit, Timeout: int(timeout / time.Second), AllowedUpdates: opts.AllowedUpdates,
		})
		cancel()
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			if errors.Is(err, ErrConflict) || errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrNotFound) {
				return err
			}
			if ferr := fail(err); ferr != nil {
				return ferr
			}
			continue
		}
		handled := true
		for _, u := range ups {
			if u.UpdateID < offset {
				continue // already confirmed
			}
			if herr := callHandler(ctx, h, u); herr != nil {
				handled = false
				if ferr := fail(fmt.Errorf("telegram: update %s: %w", strconv.FormatInt(u.UpdateID, 10), herr)); ferr != nil {
					return ferr
				}
				break
			}
			offset = u.UpdateID + 1
		}
		if handled {
			failures = 0
		}
	}
}

// callHandler runs h and turns a panic into an error.
func callHandler(ctx context.Context, h UpdateHandler, u Update) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("telegram: update handler panicked: %v", v)
		}
	}()
	return h(ctx, u)
}
