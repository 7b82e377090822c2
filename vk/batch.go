package vk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// MaxExecuteCalls is how many API calls VK runs in one execute.
const MaxExecuteCalls = 25

// DefaultBatchMethods are the methods batched when BatchOptions.Methods is
// empty: reads whose answers do not depend on each other.
var DefaultBatchMethods = []string{
	"groups.getById", "groups.getMembers", "groups.getSettings", "wall.getById",
	"utils.resolveScreenName", "stats.get", "stats.getPostReach",
	"groups.getCallbackServers", "groups.getCallbackConfirmationCode",
}

// neverBatched are methods no configuration batches: upload save steps
// (their hashes are single-use and VK refuses them inside execute),
// execute itself, and wall.post (its guid retry safety needs a call of
// its own).
var neverBatched = map[string]bool{
	"photos.saveWallPhoto": true, "photos.save": true, "video.save": true, "docs.save": true,
	"photos.saveOwnerPhoto": true, "photos.saveMessagesPhoto": true, "execute": true, "wall.post": true,
}

// BatchOptions configures automatic batching (WithBatching).
type BatchOptions struct {
	// Methods are the methods that may be batched (default
	// DefaultBatchMethods). Upload save methods, execute and wall.post are
	// never batched.
	Methods []string
	// Window is how long the first call of a batch waits for others, on the
	// client's clock (default 5 ms).
	Window time.Duration
	// MaxCalls bounds the calls of one execute (default and at most 25).
	MaxCalls int
}

// WithBatching turns on automatic batching: concurrent calls of the
// allowed methods made within Window are sent as one execute
// (`return [API.a.b({...}), ...];`, at most 25 calls), which costs one
// request of the token's rate budget. Each caller gets its own slot's
// answer; a failed inner call (false plus an execute_errors entry) is that
// caller's *Error. A call given trailing core.CallOptions is sent alone.
// Batching needs a user or community token (VK refuses execute with a
// service token); a service-token client ignores the option.
func WithBatching(o BatchOptions) core.Option {
	return core.PartyOption("vk.WithBatching", func(s *settings) error {
		if o.MaxCalls <= 0 || o.MaxCalls > MaxExecuteCalls {
			o.MaxCalls = MaxExecuteCalls
		}
		if o.Window <= 0 {
			o.Window = 5 * time.Millisecond
		}
		if len(o.Methods) == 0 {
			o.Methods = DefaultBatchMethods
		}
		s.batch = &o
		return nil
	})
}

type batchResult struct {
	raw json.RawMessage
	err error
}

type batchItem struct {
	method string
	vals   url.Values
	read   bool
	res    chan batchResult
}

type batcher struct {
	c      *Client
	allow  map[string]bool
	window time.Duration
	max    int

	mu      sync.Mutex
	pending []*batchItem
	gen     int // incremented at every flush, so a stale window timer does nothing
}

func newBatcher(c *Client, o BatchOptions) *batcher {
	if c.kind == ServiceToken {
		return nil
	}
	b := &batcher{c: c, allow: map[string]bool{}, window: o.Window, max: o.MaxCalls}
	for _, m := range o.Methods {
		if !neverBatched[m] {
			b.allow[m] = true
		}
	}
	return b
}

func (b *batcher) accepts(method string) bool { return b != nil && b.allow[method] }

// submit queues one call and waits for its slot's answer.
func (b *batcher) submit(ctx context.Context, method string, vals url.Values, opts []core.CallOption) (json.RawMessage, error) {
	if len(opts) > 0 || len(core.CallOptionsFrom(ctx)) > 0 {
		raw, _, err := b.c.send(ctx, method, []byte(vals.Encode()), callKind{idempotent: methodTable[method].read}, opts)
		return raw, err
	}
	it := &batchItem{method: method, vals: vals, read: methodTable[method].read, res: make(chan batchResult, 1)}
	b.mu.Lock()
	b.pending = append(b.pending, it)
	switch {
	case len(b.pending) >= b.max:
		items := b.take()
		b.mu.Unlock()
		go b.flush(items)
	case len(b.pending) == 1:
		// The window starts with the first call, not when the goroutine
		// waiting for it is scheduled: a caller that sees its call
		// pending knows the window's timer is set.
		gen, t := b.gen, b.c.clock.NewTimer(b.window)
		b.mu.Unlock()
		go b.wait(gen, t)
	default:
		b.mu.Unlock()
	}
	select {
	case r := <-it.res:
		return r.raw, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (b *batcher) take() []*batchItem {
	items := b.pending
	b.pending = nil
	b.gen++
	return items
}

// wait flushes the batch of generation gen when its window t ends, unless
// it was flushed already (full).
func (b *batcher) wait(gen int, t core.Timer) {
	<-t.C()
	b.mu.Lock()
	if b.gen != gen || len(b.pending) == 0 {
		b.mu.Unlock()
		return
	}
	items := b.take()
	b.mu.Unlock()
	b.flush(items)
}

func (b *batcher) flush(items []*batchItem) {
	ctx := context.Background()
	if len(items) == 1 {
		it := items[0]
		raw, _, err := b.c.send(ctx, it.method, []byte(it.vals.Encode()), callKind{idempotent: it.read}, nil)
		it.res <- batchResult{raw, err}
		return
	}
	calls := make([]ExecuteCall, len(items))
	read := true
	for i, it := range items {
		calls[i] = ExecuteCall{Method: it.method, Params: it.vals}
		read = read && it.read
	}
	vals := url.Values{"code": {ExecuteCode(calls)}}
	raw, execErrs, err := b.c.send(ctx, "execute", []byte(vals.Encode()), callKind{idempotent: read}, nil)
	if err != nil {
		for _, it := range items {
			it.res <- batchResult{nil, err}
		}
		return
	}
	slots, err := MapExecuteResponse(raw, execErrs, calls)
	for i, it := range items {
		if err != nil {
			it.res <- batchResult{nil, err}
			continue
		}
		var ve *Error
		if errors.As(slots[i].Err, &ve) && (ve.Code == CodeTooManyRequests || ve.Code == CodeInternal && it.read ||
			ve.Code == CodeCaptcha && b.c.captcha != nil) {
			// The inner call was not executed (6, 14) or failed
			// transiently (10): send it alone, with the client's retries
			// and captcha handler.
			go func() {
				raw, _, err := b.c.send(ctx, it.method, []byte(it.vals.Encode()), callKind{idempotent: it.read}, nil)
				it.res <- batchResult{raw, err}
			}()
			continue
		}
		it.res <- batchResult{slots[i].Response, slots[i].Err}
	}
}

// ExecuteCall is one call of a batch.
type ExecuteCall struct {
	Method string
	Params url.Values
}

// ExecuteCode returns the VKScript of a batch:
// `return [API.a.b({"k":"v",...}),...];` with every parameter a JSON
// string (keys sorted, lists comma-joined as VK reads them).
func ExecuteCode(calls []ExecuteCall) string {
	var b strings.Builder
	b.WriteString("return [")
	for i, c := range calls {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("API.")
		b.WriteString(c.Method)
		b.WriteString("({")
		keys := make([]string, 0, len(c.Params))
		for k := range c.Params {
			if k == "v" || k == "access_token" {
				continue
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for j, k := range keys {
			if j > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			vb, _ := json.Marshal(strings.Join(c.Params[k], ","))
			b.Write(kb)
			b.WriteByte(':')
			b.Write(vb)
		}
		b.WriteString("})")
	}
	b.WriteString("];")
	return b.String()
}

// Slot is one call's share of an execute answer.
type Slot struct {
	Response json.RawMessage
	Err      error
}

// MapExecuteResponse maps the answer of a batch execute back to its calls:
// each false slot takes the next entry of execErrs, in order, as that
// call's *Error (with the call's method); a false slot with no entry left
// is the value false. It fails when response is not an array of
// len(calls) values. It never panics on any input.
func MapExecuteResponse(response json.RawMessage, execErrs []*Error, calls []ExecuteCall) ([]Slot, error) {
	var arr []json.RawMessage
	if err := json.Unmarshal(response, &arr); err != nil {
		return nil, fmt.Errorf("vk: execute: response is not an array: %w", err)
	}
	if len(arr) != len(calls) {
		return nil, fmt.Errorf("vk: execute: %d answers for %d calls", len(arr), len(calls))
	}
	out := make([]Slot, len(calls))
	next := 0
	for i, r := range arr {
		r = bytes.TrimSpace(r)
		if string(r) == "false" && next < len(execErrs) {
			e := *execErrs[next]
			next++
			if e.Method == "" {
				e.Method = calls[i].Method
			}
			out[i].Err = &e
			continue
		}
		out[i].Response = r
	}
	return out, nil
}
