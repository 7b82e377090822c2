package tgmock

import (
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/mock/delivery"
)

// Conflict descriptions (HTTP 409).
const (
	descWebhookActive = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
	descTerminated    = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)

// poller is an active long-poll getUpdates request.
type poller struct {
	conflict chan struct{} // closed when a newer getUpdates or a setWebhook ends it
	reason   string        // the 409 description; set before conflict is closed
}

// end ends a long poll with a 409 description.
func (p *poller) end(reason string) {
	p.reason = reason
	close(p.conflict)
}

// webhook is a bot's webhook registration and delivery state.
type webhook struct {
	url         string
	secret      string
	ip          string
	maxConn     int
	allowed     []string
	lastErrDate int64 // guarded by bot.mu
	lastErrMsg  string
}

// hookAttempt is one webhook POST under way. Replacing or deleting the
// webhook lets it finish, so that an update the old endpoint accepted is
// taken off the queue and never sent again; shutting the bot down or
// resetting its tenant aborts it.
type hookAttempt struct {
	u     *Update       // the update being delivered
	h     *webhook      // the webhook it goes to
	token string        // the bot's token (for a method call in the answer)
	done  chan struct{} // closed when the attempt has settled (u left the queue or stays)
}

// inflightHeadLocked returns the webhook delivery under way when the update
// it carries is still at the head of the queue, or nil.
func (b *bot) inflightHeadLocked() *hookAttempt {
	if d := b.inflight; d != nil && len(b.queue) > 0 && b.queue[0] == d.u {
		return d
	}
	return nil
}

// abortDeliveryLocked cancels the webhook delivery under way, if any, and
// drops a pending redelivery.
func (b *bot) abortDeliveryLocked() {
	if b.stream != nil {
		b.stream.Abort()
		b.stream.Reset()
	}
}

// defaultExcluded are the update types not delivered unless asked for.
var defaultExcluded = map[string]bool{"chat_member": true, "message_reaction": true, "message_reaction_count": true}

func (b *bot) wakeLocked() {
	if b.notify != nil {
		close(b.notify)
		b.notify = nil
	}
}

func (b *bot) waitChanLocked() chan struct{} {
	if b.notify == nil {
		b.notify = make(chan struct{})
	}
	return b.notify
}

func (b *bot) allowsLocked(kind string) bool {
	if b.allowed == nil {
		return !defaultExcluded[kind]
	}
	return b.allowed[kind]
}

// enqueue adds an update to the bot's queue (assigning its update_id)
// unless the bot filtered that type out.
func (b *bot) enqueue(u Update, limit int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || !b.allowsLocked(u.Kind()) {
		return
	}
	u.UpdateID = b.nextUpd
	b.nextUpd++
	b.queue = append(b.queue, &u)
	// Drop the oldest beyond the limit in O(1); append reallocates now and
	// then and copies only the kept part.
	for len(b.queue) > limit {
		b.queue[0] = nil
		b.queue = b.queue[1:]
	}
	b.wakeLocked()
	if b.hook != nil && b.stream != nil {
		b.stream.Kick()
	}
}

// confirmLocked applies getUpdates offset semantics.
func (b *bot) confirmLocked(offset int64) {
	switch {
	case offset > 0:
		i := 0
		for i < len(b.queue) && b.queue[i].UpdateID < offset {
			i++
		}
		b.queue = b.queue[i:]
	case offset < 0:
		if n := int(-offset); n < len(b.queue) {
			b.queue = b.queue[len(b.queue)-n:]
		}
	}
}

// servableLocked returns the queued updates getUpdates may hand out: all of
// them, except an update a webhook delivery still carries (see
// [call.getUpdates]).
func (b *bot) servableLocked() []*Update {
	if b.inflightHeadLocked() != nil {
		return b.queue[1:]
	}
	return b.queue
}

func (b *bot) takeLocked(limit int) []*Update {
	q := b.servableLocked()
	n := min(limit, len(q))
	out := make([]*Update, n)
	copy(out, q[:n])
	return out
}

// parseAllowed decodes allowed_updates: a JSON array of strings (an empty
// array restores the default set).
func parseAllowed(v string) (map[string]bool, []string, *apiError) {
	var list []string
	if err := json.Unmarshal([]byte(v), &list); err != nil {
		return nil, nil, errBadRequest("can't parse allowed updates JSON array")
	}
	if len(list) == 0 {
		return nil, nil, nil
	}
	m := make(map[string]bool, len(list))
	for _, k := range list {
		m[k] = true
	}
	return m, list, nil
}

// settleGrace is added to the delivery timeout when getUpdates waits for a
// delivery to settle: the delivery started earlier and ends at its own
// deadline, but needs a moment to close its connection and report.
const settleGrace = time.Second

// getUpdates serves the update queue to a polling client.
//
// An update never reaches the client twice through a webhook delivery and
// getUpdates: after setWebhook or deleteWebhook replaced the webhook, its
// delivery under way is allowed to finish, and until it settles the update
// it carries belongs to it. getUpdates therefore first waits for that
// delivery to settle (the endpoint answered 2xx and the update left the
// queue, or it failed and the update stays for getUpdates), bounded by the
// request's context and the delivery timeout (plus [settleGrace]). Should
// the delivery outlast the bound, getUpdates serves the updates queued
// after it and leaves it out.
func (c *call) getUpdates() (any, *apiError) {
	b := c.bot
	offset, _ := c.p.int64("offset")
	limit := 100
	if v, ok := c.p.int64("limit"); ok {
		limit = int(min(max(v, 1), 100))
	}
	var timeout time.Duration
	if v, ok := c.p.int64("timeout"); ok && v > 0 {
		timeout = min(time.Duration(v)*time.Second, c.s.longPollMax)
	}
	var allowed map[string]bool
	setAllowed := false
	if v := c.p.str("allowed_updates"); v != "" {
		m, _, aerr := parseAllowed(v)
		if aerr != nil {
			return nil, aerr
		}
		allowed, setAllowed = m, true
	}
	ctx := c.r.Context()
	b.mu.Lock()
	if b.hook != nil {
		b.mu.Unlock()
		return nil, &apiError{409, descWebhookActive, nil}
	}
	if setAllowed {
		b.allowed = allowed
	}
	b.confirmLocked(offset)
	if b.poller != nil {
		b.poller.end(descTerminated)
		b.poller = nil
	}
	p := &poller{conflict: make(chan struct{})}
	b.poller = p
	c.s.notifyPolling()
	defer func() {
		if b.poller == p {
			b.poller = nil
		}
		b.mu.Unlock()
	}()

	// Let a delivery of the old webhook settle first.
	var bound <-chan time.Time
	for d := b.inflightHeadLocked(); d != nil && !b.closed; d = b.inflightHeadLocked() {
		if bound == nil {
			t := time.NewTimer(c.s.hookTimeout + settleGrace)
			defer t.Stop()
			bound = t.C
		}
		expired := false
		b.mu.Unlock()
		if hook := c.s.onInflightWait; hook != nil {
			hook()
		}
		select {
		case <-d.done:
		case <-p.conflict:
		case <-ctx.Done():
		case <-bound:
			expired = true
		}
		b.mu.Lock()
		if aerr := b.pollEndedLocked(p); aerr != nil {
			return nil, aerr
		}
		if ctx.Err() != nil {
			return []*Update{}, nil
		}
		if expired {
			break
		}
	}

	if len(b.servableLocked()) > 0 || timeout == 0 || b.closed {
		return b.takeLocked(limit), nil
	}
	ch := b.waitChanLocked()
	b.mu.Unlock()

	// The timeout runs on the world clock, as every wait the emulator
	// schedules: on a frozen clock it ends when the clock is moved.
	t := c.s.w.Clock.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C():
	case <-p.conflict:
	case <-ctx.Done():
	}
	b.mu.Lock()
	if b.closed {
		return []*Update{}, nil
	}
	if aerr := b.pollEndedLocked(p); aerr != nil {
		return nil, aerr
	}
	return b.takeLocked(limit), nil
}

// pollEndedLocked returns the 409 answer of a getUpdates request that a
// newer getUpdates or a new webhook ended while it waited, or nil.
func (b *bot) pollEndedLocked(p *poller) *apiError {
	select {
	case <-p.conflict:
		if p.reason != "" {
			return &apiError{409, p.reason, nil}
		}
		return &apiError{409, descTerminated, nil}
	default:
	}
	if b.hook != nil {
		return &apiError{409, descWebhookActive, nil}
	}
	return nil
}

var secretTokenOK = func(s string) bool {
	if len(s) < 1 || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func (c *call) setWebhook() (any, *apiError) {
	raw := strings.TrimSpace(c.p.str("url"))
	drop := c.p.bool("drop_pending_updates")
	if raw == "" {
		return c.deleteWebhook()
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, errBadRequest("bad webhook: invalid webhook URL specified")
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) && !c.s.hookAnyHost {
		return nil, errBadRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := c.p.str("secret_token")
	if secret != "" && !secretTokenOK(secret) {
		return nil, errBadRequest("secret token contains unallowed characters")
	}
	maxConn := 40
	if v, ok := c.p.int64("max_connections"); ok {
		maxConn = int(min(max(v, 1), 100))
	}
	var allowedMap map[string]bool
	var allowedList []string
	setAllowed := false
	if v := c.p.str("allowed_updates"); v != "" {
		m, l, aerr := parseAllowed(v)
		if aerr != nil {
			return nil, aerr
		}
		allowedMap, allowedList, setAllowed = m, l, true
	}
	h := &webhook{url: raw, secret: secret, ip: c.p.str("ip_address"), maxConn: maxConn, allowed: allowedList}
	b := c.bot
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || c.s.closed.Load() {
		return true, nil
	}
	desc := "Webhook was set"
	if b.hook != nil {
		if b.hook.url == raw {
			desc = "Webhook is already set"
		}
	}
	if b.poller != nil {
		b.poller.end(descTerminatedByHook)
		b.poller = nil
	}
	if setAllowed {
		b.allowed = allowedMap
	}
	if drop {
		b.queue = nil
	}
	b.hook = h
	if b.stream == nil {
		b.stream = c.s.deliv.NewStream(&hookSource{s: c.s, b: b})
	}
	// A new receiver: redeliver at once, after the attempt to the old one
	// (if any) has settled.
	b.stream.Reset()
	return described{true, desc}, nil
}

func (c *call) deleteWebhook() (any, *apiError) {
	b := c.bot
	b.mu.Lock()
	defer b.mu.Unlock()
	desc := "Webhook is already deleted"
	if b.hook != nil {
		b.hook = nil
		desc = "Webhook was deleted"
		if b.stream != nil {
			b.stream.Reset() // drops a pending redelivery
		}
	}
	if c.p.bool("drop_pending_updates") {
		b.queue = nil
	}
	return described{true, desc}, nil
}

func (c *call) getWebhookInfo() (any, *apiError) {
	b := c.bot
	b.mu.Lock()
	defer b.mu.Unlock()
	info := WebhookInfo{PendingUpdateCount: len(b.queue)}
	if h := b.hook; h != nil {
		info.URL, info.IPAddress, info.MaxConnections, info.AllowedUpdates = h.url, h.ip, h.maxConn, h.allowed
		info.LastErrorDate, info.LastErrorMessage = h.lastErrDate, h.lastErrMsg
	}
	return info, nil
}

// newDelivery returns the engine that delivers webhooks: one stream per
// bot, one update at a time and in order, redelivering with exponential
// backoff on the world clock while the endpoint fails.
func (s *Server) newDelivery() *delivery.Engine {
	return delivery.New(delivery.Config{
		Party: Party, Clock: s.w.Clock, Journal: s.w.Journal, Client: s.hookClient, Timeout: s.hookTimeout,
		RetryMin: s.hookRetryMin, RetryMax: s.hookRetryMax, AnyHost: s.hookAnyHost, Logger: s.log,
		AttemptHeader: s.hookAttemptHeader,
	})
}

// hookSource feeds a bot's update queue to its webhook stream.
//
// An update delivered successfully is removed from the queue whether or not
// the webhook changed meanwhile, so each update is delivered successfully
// at most once.
type hookSource struct {
	s *Server
	b *bot
}

// Next implements [delivery.Source]: the update at the head of the queue,
// for the current webhook.
func (src *hookSource) Next() (any, delivery.Request, bool) {
	b := src.b
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || b.hook == nil || len(b.queue) == 0 {
		return nil, delivery.Request{}, false
	}
	u, h := b.queue[0], b.hook
	body, err := json.Marshal(u)
	if err != nil {
		return nil, delivery.Request{}, false
	}
	token := b.meta.Load().wb.Token
	tenant := src.s.tenant
	if tenant == "" {
		tenant = tenantOf(token, b.env.test)
	}
	if b.env.test {
		token += "/test"
	}
	hdr := http.Header{"Content-Type": {"application/json"}}
	if h.secret != "" {
		hdr.Set("X-Telegram-Bot-Api-Secret-Token", h.secret)
	}
	b.inflight = &hookAttempt{u: u, h: h, token: token, done: make(chan struct{})}
	return u, delivery.Request{URL: h.url, Header: hdr, Body: body, Name: "webhook", Tenant: tenant,
		Params: map[string]string{"update_id": itoa(u.UpdateID), "update": u.Kind()}}, true
}

// Done implements [delivery.Source].
func (src *hookSource) Done(key any, resp *delivery.Response, err error) {
	b := src.b
	u, _ := key.(*Update)
	b.mu.Lock()
	d := b.inflight
	b.inflight = nil
	if d == nil {
		b.mu.Unlock()
		return
	}
	if err == nil {
		// Delivered: take it off the queue first, even when the webhook
		// was replaced meanwhile, so the new one (or a getUpdates) does not
		// get it again. The queue only loses updates at its head, so u is
		// either still there or already gone.
		if len(b.queue) > 0 && b.queue[0] == u {
			b.queue[0] = nil
			b.queue = b.queue[1:]
		}
	}
	close(d.done)
	if b.hook != d.h && err != nil {
		// The update stays for whoever polls now: wake a long poll that
		// left it out.
		b.wakeLocked()
	}
	if err != nil && b.hook == d.h {
		d.h.lastErrDate = src.s.w.Clock.Now().Unix()
		d.h.lastErrMsg = hookErrorText(err)
	}
	b.mu.Unlock()
	if err == nil && resp != nil && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") &&
		bytes.Contains(resp.Body, []byte(`"method"`)) {
		// The endpoint answered with a method call: run it once the
		// delivery has settled.
		src.s.webhookReply(d.token, resp.Body)
	}
}

// hookErrorText is Telegram's last_error_message for a failed delivery.
func hookErrorText(err error) string {
	var de *delivery.Error
	if !errors.As(err, &de) {
		return "Failed to connect"
	}
	switch de.Kind {
	case delivery.KindInvalidURL:
		return "Invalid webhook URL"
	case delivery.KindForbiddenHost:
		return "Webhook delivery is restricted to loopback hosts in the sandbox"
	case delivery.KindRefused:
		return "Connection refused"
	case delivery.KindTimeout:
		return "Read timeout expired"
	case delivery.KindStatus:
		return "Wrong response from the webhook: " + strconv.Itoa(de.Status) + " " + http.StatusText(de.Status)
	}
	return "Failed to connect"
}

// webhookReply executes a method call returned in a webhook answer
// ({"method":"sendMessage",...}); its result is discarded.
func (s *Server) webhookReply(token string, data []byte) {
	var probe struct {
		Method string `json:"method"`
	}
	if json.Unmarshal(data, &probe) != nil || probe.Method == "" {
		return
	}
	req, err := http.NewRequest(http.MethodPost, "/bot"+token+"/", bytes.NewReader(data))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	defer func() { _ = recover() }() // a drop fault cannot hijack the discard writer
	s.ServeHTTP(&discardWriter{h: http.Header{}}, req)
}

type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}
