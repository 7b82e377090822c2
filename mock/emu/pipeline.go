package emu

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gospubliki/gosdk/mock/world"
)

// TenantHeader names the request header that selects a tenant. A party
// accepts it only when the request's credentials belong to that tenant.
const TenantHeader = "X-Mock-Tenant"

// Call is one request travelling through the pipeline. The adapter fills
// the request side (Method, Credential, Data); the handler and the adapter
// set the party's error (Code, Description); the pipeline journals it.
type Call struct {
	// Party is the emulated party ("telegram", "esia").
	Party string
	// Method is the canonical lower-case method name.
	Method string
	// Credential is the credential the request carries (a bot token, a
	// client_id, a bearer token), or "". It is never journalled.
	Credential string
	// Anonymous, when Inspect sets it, marks a request that carries no
	// credential by design (the unauthenticated start of a login): the
	// sandbox then honours a TenantHeader naming any existing tenant, as
	// the credential would have named it. Such a request must grant
	// nothing by itself.
	Anonymous bool
	// Tenant is the tenant serving the request, set by the resolver.
	Tenant string
	// World is the tenant's world, set by the resolver.
	World *world.World
	// Token is the fingerprint of the credential for the journal.
	Token string
	// Code and Description are the party's error code and text (zero on
	// success), for the journal.
	Code        int
	Description string
	// Fault is the fault rule that fired, if any.
	Fault *world.Fault
	// Data is whatever the adapter decoded for the handler.
	Data any
	// Direct, when Inspect sets it, serves the request outside any tenant
	// (public files, health checks): no fault rule, no journal.
	Direct http.Handler
	// Handler is the handler of the resolved tenant.
	Handler Handler
	// Start is when the pipeline received the request.
	Start time.Time
}

// Format prints the call without its credential, under every verb.
func (c *Call) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "emu.Call{party=%s method=%s tenant=%s token=%s}", c.Party, c.Method, c.Tenant, c.Token)
}

// LogValue logs the call without its credential.
func (c *Call) LogValue() slog.Value {
	return slog.GroupValue(slog.String("party", c.Party), slog.String("method", c.Method),
		slog.String("tenant", c.Tenant), slog.String("token", c.Token))
}

// FailureKind is an answer the pipeline asks the adapter to render.
type FailureKind int

// Failure kinds.
const (
	// Unauthorized: the credentials do not belong to the tenant named by
	// the request (the party's own "unauthorized" error).
	Unauthorized FailureKind = iota + 1
	// Injected: a fault rule's error (Failure.Code, Failure.Description).
	Injected
	// RateLimited: a fault rule's "too many requests" (Failure.RetryAfter
	// seconds).
	RateLimited
	// Internal: the handler panicked (the party's 500).
	Internal
)

// Failure describes an error answer the adapter renders in the party's
// own format.
type Failure struct {
	Kind        FailureKind
	Code        int
	Description string
	RetryAfter  int
}

// Adapter is what a party tells the pipeline.
type Adapter interface {
	// Party is the party name in the journal and fault rules.
	Party() string
	// Methods lists the canonical method names fault rules may name.
	Methods() []string
	// Inspect reads the method and the credential of r into c (and may
	// decode the request into c.Data). The body is already bounded.
	Inspect(r *http.Request, c *Call)
	// Params returns the call's parameters for the journal, secrets
	// removed. The pipeline calls it once, when it journals the call.
	Params(c *Call) map[string]string
	// WriteError writes the party's error answer for f and records the
	// party's code and description in c.
	WriteError(w http.ResponseWriter, r *http.Request, c *Call, f Failure)
}

// Decoder is implemented by an adapter that gives journal entries a typed,
// party-specific view ([world.Decoded]). The pipeline calls Decode once,
// when it journals the call, with the parameters [Adapter.Params]
// returned; the view may share that map and must hold no secret.
type Decoder interface {
	Decode(c *Call, params map[string]string) *world.Decoded
}

// FaultParamer is implemented by an adapter whose [Adapter.Params] may be
// called only once the call is served (it takes over the request's
// decoded values). FaultParams returns the same parameters, secrets
// removed, without consuming anything; the pipeline matches fault rules'
// [world.Rule.Params] against it, before the handler runs.
type FaultParamer interface {
	FaultParams(c *Call) map[string]string
}

// BodyLimiter is implemented by an adapter whose party bounds request
// bodies; the pipeline applies the bound unless [WithMaxBody] sets one.
type BodyLimiter interface {
	MaxBody() int64
}

// Handler serves a request once the pipeline has resolved its tenant.
type Handler interface {
	ServeCall(w http.ResponseWriter, r *http.Request, c *Call)
}

// HandlerFunc adapts a function to [Handler].
type HandlerFunc func(w http.ResponseWriter, r *http.Request, c *Call)

// ServeCall calls f.
func (f HandlerFunc) ServeCall(w http.ResponseWriter, r *http.Request, c *Call) { f(w, r, c) }

// Target is where a resolved request goes.
type Target struct {
	// Tenant is the tenant's name, recorded in the journal and matched by
	// fault rules.
	Tenant string
	// World holds the tenant's clock, journal and fault rules.
	World *world.World
	// Handler serves the request for the tenant.
	Handler Handler
}

// Resolver picks the tenant of a request. It returns false when the
// request names a tenant its credentials do not belong to; the pipeline
// then answers the party's "unauthorized" error, journalled in the
// returned target's world when it is set.
type Resolver interface {
	Resolve(r *http.Request, c *Call) (Target, bool)
}

// ResolverFunc adapts a function to [Resolver].
type ResolverFunc func(r *http.Request, c *Call) (Target, bool)

// Resolve calls f.
func (f ResolverFunc) Resolve(r *http.Request, c *Call) (Target, bool) { return f(r, c) }

// Pipeline is the [http.Handler] an emulator mounts.
type Pipeline struct {
	adapter Adapter
	res     Resolver
	maxBody int64
	party   string
}

// Option configures a [Pipeline].
type Option func(*Pipeline)

// WithMaxBody bounds request bodies (default: the adapter's
// [BodyLimiter] bound, or none). A request whose body goes past the bound
// reads an error, which the adapter answers in the party's format.
func WithMaxBody(n int64) Option { return func(p *Pipeline) { p.maxBody = n } }

// New returns a pipeline for a party.
func New(a Adapter, res Resolver, opts ...Option) *Pipeline {
	p := &Pipeline{adapter: a, res: res, party: a.Party()}
	if bl, ok := a.(BodyLimiter); ok {
		p.maxBody = bl.MaxBody()
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Adapter returns the party's adapter.
func (p *Pipeline) Adapter() Adapter { return p.adapter }

// ServeHTTP implements [http.Handler].
func (p *Pipeline) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &Call{Party: p.party, Start: time.Now()}
	if p.maxBody > 0 && r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(w, r.Body, p.maxBody)
	}
	p.adapter.Inspect(r, c)
	if c.Direct != nil {
		c.Direct.ServeHTTP(w, r)
		return
	}
	t, ok := p.res.Resolve(r, c)
	c.Tenant, c.World, c.Handler = t.Tenant, t.World, t.Handler
	if !ok || t.Handler == nil {
		sw := &statusWriter{ResponseWriter: w}
		p.adapter.WriteError(sw, r, c, Failure{Kind: Unauthorized})
		p.record(c, sw.code())
		return
	}
	var fault *world.Fault
	if t.World != nil {
		fault = t.World.Faults.MatchParams(p.party, c.Method, c.Tenant, func() map[string]string {
			if fp, ok := p.adapter.(FaultParamer); ok {
				return fp.FaultParams(c)
			}
			return p.adapter.Params(c)
		})
	}
	if fault == nil {
		p.serve(w, r, c, t.Handler)
		return
	}
	c.Fault = fault
	if !fault.Wait(r.Context()) {
		// The client gave up during the injected latency.
		p.record(c, 0)
		return
	}
	switch fault.Kind {
	case world.FaultDropBefore:
		p.record(c, 0)
		world.DropConnection(w)
	case world.FaultError:
		sw := &statusWriter{ResponseWriter: w}
		p.adapter.WriteError(sw, r, c, Failure{Kind: Injected, Code: fault.Code, Description: fault.Description})
		p.record(c, sw.code())
	case world.FaultHTTPStatus:
		c.Code, c.Description = 0, http.StatusText(fault.Code)
		writeGatewayStatus(w, fault.Code)
		p.record(c, fault.Code)
	case world.FaultRateLimit:
		sw := &statusWriter{ResponseWriter: w}
		p.adapter.WriteError(sw, r, c, Failure{Kind: RateLimited, RetryAfter: max(fault.RetryAfter, 1)})
		p.record(c, sw.code())
	case world.FaultDropAfter, world.FaultErrorAfter, world.FaultTruncate:
		bw := newBufferWriter()
		p.run(bw, r, c, t.Handler)
		switch fault.Kind {
		case world.FaultDropAfter:
			p.record(c, 0)
			world.DropConnection(w)
		case world.FaultErrorAfter:
			// The request took effect; its answer is replaced.
			c.Code, c.Description = 0, ""
			sw := &statusWriter{ResponseWriter: w}
			p.adapter.WriteError(sw, r, c, Failure{Kind: Injected, Code: fault.Code, Description: fault.Description})
			p.record(c, sw.code())
		default:
			p.record(c, bw.code())
			truncate(w, bw)
		}
	default:
		p.serve(w, r, c, t.Handler)
	}
}

// serve runs the handler on the real writer and journals the call.
func (p *Pipeline) serve(w http.ResponseWriter, r *http.Request, c *Call, h Handler) {
	sw := &statusWriter{ResponseWriter: w}
	p.run(sw, r, c, h)
	status := sw.code()
	if status == 0 {
		status = http.StatusOK // what net/http sends for a handler that wrote nothing
	}
	p.record(c, status)
}

// run calls the handler, turning a panic into the party's 500 when nothing
// was written yet (and into an aborted connection otherwise).
func (p *Pipeline) run(w statusRecorder, r *http.Request, c *Call, h Handler) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler || w.code() != 0 { //nolint:errorlint // sentinel compared as net/http does
			p.record(c, 0)
			panic(http.ErrAbortHandler)
		}
		if c.World != nil {
			c.World.Logger().Error("emulator panic", "party", p.party, "method", c.Method, "panic", v)
		}
		c.Code, c.Description = 0, ""
		p.adapter.WriteError(w, r, c, Failure{Kind: Internal})
	}()
	h.ServeCall(w, r, c)
}

func (p *Pipeline) record(c *Call, status int) {
	if c.World == nil {
		return
	}
	params := p.adapter.Params(c)
	e := world.Entry{
		Time: c.World.Clock.Now(), Party: p.party, Method: c.Method, Params: params,
		Status: status, Code: c.Code, Description: c.Description, Tenant: c.Tenant, Token: c.Token,
		Duration: time.Since(c.Start),
	}
	if c.Fault != nil {
		e.Fault = c.Fault.ID
	}
	if d, ok := p.adapter.(Decoder); ok {
		e.Decoded = d.Decode(c, params)
	}
	c.World.Journal.Record(e)
}

// writeGatewayStatus answers a bare HTTP status with the small HTML page a
// reverse proxy (nginx) sends when the service behind it fails.
func writeGatewayStatus(w http.ResponseWriter, status int) {
	text := strconv.Itoa(status) + " " + http.StatusText(status)
	h := w.Header()
	h.Set("Content-Type", "text/html")
	h.Set("Server", "nginx")
	w.WriteHeader(status)
	_, _ = w.Write([]byte("<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text +
		"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"))
}

// truncate writes the buffered answer's status and headers, announcing the
// full length, then half of its body, and closes the connection.
func truncate(w http.ResponseWriter, bw *bufferWriter) {
	h := w.Header()
	for k, v := range bw.header {
		h[k] = v
	}
	body := bw.buf.Bytes()
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(max(bw.code(), http.StatusOK))
	_, _ = w.Write(body[:len(body)/2])
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	if conn, _, err := rc.Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}

type statusRecorder interface {
	http.ResponseWriter
	code() int
}

// statusWriter records the status a handler writes.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets [http.ResponseController] reach the connection.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusWriter) code() int { return s.status }

// bufferWriter keeps an answer instead of sending it.
type bufferWriter struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func newBufferWriter() *bufferWriter { return &bufferWriter{header: http.Header{}} }

func (b *bufferWriter) Header() http.Header { return b.header }

func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.buf.Write(p)
}

func (b *bufferWriter) code() int { return b.status }
