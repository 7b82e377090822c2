package pos

import (
	"context"
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

// The appeals API for external systems.
//
// POS publishes no specification of it: every path, field and status below
// is inferred from one public integration (a Django project's appeals
// module) and may differ from what POS serves to a given system. The
// client is written to be lenient where the integration was vague (extra
// fields are ignored, history timestamps are read in several formats).

// DefaultAppealsBaseURL is POS's server; the appeals API lives under
// /inbox-service and /appeal-service (inferred).
const DefaultAppealsBaseURL = "https://pos.gosuslugi.ru"

// Default pacing of the appeals client. POS publishes no limit, so the
// client chooses a conservative one: at most DefaultAppealsRatePerSecond
// calls a second per system login, in bursts of up to DefaultAppealsBurst.
// The limiter key is "pos:system:<fingerprint of the username>"; change it
// with WithAppealsRateLimit, share it with core.WithLimiter or turn it off
// with core.WithLimiter(nil).
const (
	DefaultAppealsRatePerSecond = 5
	DefaultAppealsBurst         = 5
)

// KeyPrefixSystem is the limiter key prefix of appeals-API calls.
const KeyPrefixSystem = "pos:system:"

// TokenRefreshMargin is how long before its expiry (on the client's clock)
// the client replaces its access token.
const TokenRefreshMargin = time.Minute

// Credentials are an external system's login for the appeals API (OAuth2
// password grant, inferred).
type Credentials struct {
	// Username and Password are the system's login.
	Username string
	// Password is secret: it is sent only to the token endpoint and never
	// appears in logs or errors.
	Password string
}

// ErrAppealsCredentials is returned by NewAppealsClient for incomplete
// credentials. No credential is echoed.
var ErrAppealsCredentials = errors.New("pos: invalid appeals credentials")

// ErrAppealsAuth matches (errors.Is) an [*AppealsError] that says the
// login or the token was refused (HTTP 401).
var ErrAppealsAuth = errors.New("pos: appeals authentication refused")

// AppealsError is an error answer of the appeals API.
type AppealsError struct {
	// Operation is the failed call, such as "pos.createAppeal".
	Operation string
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is the OAuth2 error code or the answer's "error" field.
	Code string
	// Message is the answer's message, redacted.
	Message string
}

// Error implements error. It never contains a secret.
func (e *AppealsError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Code
	}
	return fmt.Sprintf("%s: HTTP %d: %s", e.Operation, e.StatusCode, msg)
}

// ErrorCode implements core.CodedError: the OAuth2 error code when the
// answer carries one ("invalid_grant"), else the HTTP status ("404").
func (e *AppealsError) ErrorCode() string {
	if e.Code != "" && !strings.ContainsAny(e.Code, " ") && strings.Contains(e.Code, "_") {
		return e.Code
	}
	return strconv.Itoa(e.StatusCode)
}

// Is matches ErrAppealsAuth for a 401 answer.
func (e *AppealsError) Is(target error) bool {
	return target == ErrAppealsAuth && e.StatusCode == http.StatusUnauthorized
}

var _ core.CodedError = (*AppealsError)(nil)

type appealsSettings struct {
	tokenURL string
	scope    string
	rate     core.Rate
	burst    int
}

// WithTokenURL sets the token endpoint (default the base URL +
// "/oauth/token", inferred).
func WithTokenURL(u string) core.Option {
	return core.PartyOption("pos.WithTokenURL", func(s *appealsSettings) error {
		if _, err := url.Parse(u); err != nil || u == "" {
			return errors.New("pos: invalid token URL")
		}
		s.tokenURL = u
		return nil
	})
}

// WithScope sets the scope asked for with the token (default none).
func WithScope(scope string) core.Option {
	return core.PartyOption("pos.WithScope", func(s *appealsSettings) error { s.scope = scope; return nil })
}

// WithAppealsRateLimit sets the built-in pacing per system login; a zero
// rate disables it. Like core.WithLimiter, the last of the two wins.
func WithAppealsRateLimit(rate core.Rate, burst int) core.Option {
	set := core.PartyOption("pos.WithAppealsRateLimit", func(s *appealsSettings) error {
		if rate.N < 0 || rate.Per < 0 {
			return errors.New("pos: negative rate limit")
		}
		s.rate, s.burst = rate, burst
		return nil
	})
	return func(s *core.Settings) error {
		if err := set(s); err != nil {
			return err
		}
		s.Limiter, s.LimiterSet = nil, false
		return nil
	}
}

// AppealsClient calls the POS appeals API for external systems. It is safe
// for concurrent use, makes no network call until a method is called and
// never prints its credentials.
type AppealsClient struct {
	tr       *transport.Client
	base     string
	tokenURL string
	scope    string
	user     string
	password string
	key      string
	clock    core.Clock
	logger   *slog.Logger

	mu      sync.Mutex // guards the token
	token   string
	expires time.Time
	secMu   sync.RWMutex
	secrets []string
}

// NewAppealsClient returns an appeals client for cred. It accepts the
// options of package core (core.WithBaseURL, core.WithHTTPClient,
// core.WithLimiter, core.WithRetry, core.WithClock, core.WithLogger, ...)
// and pos's own (WithTokenURL, WithScope, WithAppealsRateLimit).
//
// Defaults: DefaultAppealsBaseURL; the token asked for with the password
// grant at <base>/oauth/token and replaced TokenRefreshMargin before it
// expires on the client's clock (and once when the API refuses it);
// reads retried 3 times on network errors and 5xx answers; CreateAppeal
// never retried once it may have reached POS (a *core.UnknownOutcomeError);
// DefaultAppealsRatePerSecond calls a second per login.
func NewAppealsClient(cred Credentials, opts ...core.Option) (*AppealsClient, error) {
	ps := appealsSettings{rate: core.PerSecond(DefaultAppealsRatePerSecond), burst: DefaultAppealsBurst}
	cs := core.NewSettings("pos", &ps)
	if err := cs.Apply(opts...); err != nil {
		return nil, err
	}
	if cred.Username == "" || cred.Password == "" {
		return nil, fmt.Errorf("%w: a username and a password are required", ErrAppealsCredentials)
	}
	base := DefaultAppealsBaseURL
	if cs.BaseURL != "" {
		base = strings.TrimRight(cs.BaseURL, "/")
	}
	c := &AppealsClient{base: base, tokenURL: ps.tokenURL, scope: ps.scope, user: cred.Username,
		password: cred.Password, clock: cs.Clock, logger: cs.Logger,
		key: core.LimitKey("pos", "system", core.Fingerprint(cred.Username), "")}
	if c.tokenURL == "" {
		c.tokenURL = base + "/oauth/token"
	}
	if c.clock == nil {
		c.clock = core.SystemClock()
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	cs.Secrets = append(cs.Secrets, cred.Password)
	topts := []transport.Option{transport.WithSettings(&cs)}
	if !cs.LimiterSet {
		if ps.rate.Unlimited() {
			topts = append(topts, transport.WithLimiter(nil))
		} else {
			topts = append(topts, transport.WithLimiter(core.NewKeyedLimiter(core.KeyedLimiterConfig{
				Clock: cs.Clock, Rules: []core.Rule{{Prefix: KeyPrefixSystem, Rate: ps.rate, Burst: ps.burst}}})))
		}
	}
	tr, err := transport.New(topts...)
	if err != nil {
		return nil, fmt.Errorf("pos: %w", err)
	}
	c.tr = tr
	return c, nil
}

// String describes the client by its username and base URL; it never
// contains a secret.
func (c *AppealsClient) String() string { return "pos.AppealsClient{" + c.user + ", " + c.base + "}" }

// GoString is String.
func (c *AppealsClient) GoString() string { return c.String() }

// Format prints String for every verb.
func (c *AppealsClient) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", c.String())
		return
	}
	_, _ = io.WriteString(f, c.String())
}

// LogValue makes slog record the client as String.
func (c *AppealsClient) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Redact removes the client's secrets (password, tokens) from s.
func (c *AppealsClient) Redact(s string) string {
	c.secMu.RLock()
	for _, sec := range c.secrets {
		s = strings.ReplaceAll(s, sec, transport.Redacted)
	}
	c.secMu.RUnlock()
	return c.tr.Redact(s)
}

func (c *AppealsClient) addSecret(s string) {
	if s == "" {
		return
	}
	c.secMu.Lock()
	defer c.secMu.Unlock()
	if len(c.secrets) >= 16 {
		c.secrets = c.secrets[1:]
	}
	c.secrets = append(c.secrets, s)
}

// Token is the answer of the token endpoint (inferred fields).
type Token struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
	Name        string `json:"name"`
	Surname     string `json:"surname"`
	Patronymic  string `json:"patronymic"`
	System      bool   `json:"system"`
	RsID        any    `json:"rsId"`
	UserID      any    `json:"userId"`
	Email       string `json:"email"`
	SuperUser   bool   `json:"superUser"`
	JTI         string `json:"jti"`
}

// String never shows the access token.
func (t Token) String() string {
	return "pos.Token{" + t.TokenType + ", expires in " + strconv.FormatInt(t.ExpiresIn, 10) + "s}"
}

type tokenForm struct {
	GrantType string `url:"grant_type"`
	Username  string `url:"username"`
	Password  string `url:"password"`
	Scope     string `url:"scope,omitempty"`
}

// accessToken returns a valid token, fetching one when there is none, it
// expires within TokenRefreshMargin, or it is the rejected one.
func (c *AppealsClient) accessToken(ctx context.Context, rejected string, opts []core.CallOption) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.token != rejected && c.clock.Now().Before(c.expires.Add(-TokenRefreshMargin)) {
		return c.token, nil
	}
	call := &transport.Call{Operation: "pos.token", Method: http.MethodPost, URL: c.tokenURL,
		Idempotent: true, LimitKeys: []string{c.key}}
	if err := call.SetForm(tokenForm{GrantType: "password", Username: c.user, Password: c.password, Scope: c.scope}); err != nil {
		return "", fmt.Errorf("pos.token: encode: %w", err)
	}
	var tok Token
	if err := c.send(ctx, call, &tok, opts); err != nil {
		return "", err
	}
	if tok.AccessToken == "" {
		return "", errors.New("pos.token: the answer carries no access token")
	}
	c.addSecret(tok.AccessToken)
	life := time.Duration(tok.ExpiresIn) * time.Second
	if life <= 0 {
		life = 5 * time.Minute
	}
	c.token, c.expires = tok.AccessToken, c.clock.Now().Add(life)
	return c.token, nil
}

// Authenticate makes sure the client holds a valid access token (asking
// for one when needed) and returns when it expires on the client's clock.
func (c *AppealsClient) Authenticate(ctx context.Context, opts ...core.CallOption) (time.Time, error) {
	if _, err := c.accessToken(ctx, "", opts); err != nil {
		return time.Time{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.expires, nil
}

// send sends call and decodes a 2xx answer into out.
func (c *AppealsClient) send(ctx context.Context, call *transport.Call, out any, opts []core.CallOption) error {
	resp, err := c.tr.Do(ctx, call, opts...)
	if err != nil {
		return c.redactErr(err)
	}
	if resp.StatusCode/100 != 2 {
		return transport.Finish(call, resp, c.apiError(call.Operation, resp))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return transport.Finish(call, resp, fmt.Errorf("%s: decode answer: %s", call.Operation, c.Redact(err.Error())))
	}
	return nil
}

func (c *AppealsClient) redactErr(err error) error {
	msg := err.Error()
	if r := c.Redact(msg); r != msg {
		return errors.New(r)
	}
	return err
}

// apiError reads an error answer: {"error","error_description"} of OAuth2
// or {"status","error","message"} of the API.
func (c *AppealsClient) apiError(op string, resp *transport.Response) *AppealsError {
	var body struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
		Message          string `json:"message"`
	}
	_ = json.Unmarshal(resp.Body, &body)
	e := &AppealsError{Operation: op, StatusCode: resp.StatusCode, Code: body.Error}
	switch {
	case body.ErrorDescription != "":
		e.Message = body.ErrorDescription
	case body.Message != "":
		e.Message = body.Message
		if strings.Contains(body.Message, "_") && !strings.Contains(body.Message, " ") {
			e.Code = body.Message
		}
	}
	if len(e.Message) > 512 {
		e.Message = e.Message[:512]
	}
	e.Message = c.Redact(e.Message)
	e.Code = c.Redact(e.Code)
	return e
}

// api makes an authorized API call; when POS refuses the token (401) the
// call is repeated once with a new token, since it was not executed.
func (c *AppealsClient) api(ctx context.Context, call *transport.Call, out any, opts []core.CallOption) error {
	rejected := ""
	for {
		tok, err := c.accessToken(ctx, rejected, opts)
		if err != nil {
			return err
		}
		call.Header = http.Header{"Authorization": {"Bearer " + tok}}
		call.LimitKeys = []string{c.key}
		err = c.send(ctx, call, out, opts)
		var ae *AppealsError
		if rejected == "" && errors.As(err, &ae) && ae.StatusCode == http.StatusUnauthorized {
			rejected = tok
			continue
		}
		return err
	}
}

func (c *AppealsClient) get(ctx context.Context, op, path string, out any, opts []core.CallOption) error {
	return c.api(ctx, &transport.Call{Operation: op, Method: http.MethodGet, URL: c.base + path, Idempotent: true}, out, opts)
}

// Region is an entry of the regions catalogue.
type Region struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	OKATO       string          `json:"okato"`
	Coordinates json.RawMessage `json:"coordinates,omitempty"`
}

// Subject is an entry of the subjects or sub-subjects catalogue.
type Subject struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Regions returns the regions catalogue (GET /inbox-service/regions/all).
func (c *AppealsClient) Regions(ctx context.Context, opts ...core.CallOption) ([]Region, error) {
	var out []Region
	err := c.get(ctx, "pos.regions", "/inbox-service/regions/all", &out, opts)
	return out, err
}

// Subjects returns the subjects of a region
// (GET /inbox-service/subjects/region/{region}/all).
func (c *AppealsClient) Subjects(ctx context.Context, regionID int64, opts ...core.CallOption) ([]Subject, error) {
	var out []Subject
	err := c.get(ctx, "pos.subjects", "/inbox-service/subjects/region/"+strconv.FormatInt(regionID, 10)+"/all", &out, opts)
	return out, err
}

// SubSubjects returns the sub-subjects of a subject in a region
// (GET /inbox-service/subsubjects/subject/{subject}/region/{region}).
func (c *AppealsClient) SubSubjects(ctx context.Context, subjectID, regionID int64, opts ...core.CallOption) ([]Subject, error) {
	var out []Subject
	err := c.get(ctx, "pos.subsubjects", "/inbox-service/subsubjects/subject/"+strconv.FormatInt(subjectID, 10)+
		"/region/"+strconv.FormatInt(regionID, 10), &out, opts)
	return out, err
}

// File is a stored attachment.
type File struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// UploadFile stores an attachment (POST /inbox-service/filestorage,
// multipart field "file") and returns its id for
// CreateAppealRequest.AttachmentIDs. It is retried on transient failures:
// a repeated upload can at worst leave an unused file.
func (c *AppealsClient) UploadFile(ctx context.Context, name, contentType string, data []byte, opts ...core.CallOption) (*File, error) {
	call := &transport.Call{Operation: "pos.uploadFile", Method: http.MethodPost, URL: c.base + "/inbox-service/filestorage", Idempotent: true}
	if err := call.SetMultipart(struct{}{}, transport.FilePart{Field: "file", FileName: name, ContentType: contentType, Data: data}); err != nil {
		return nil, fmt.Errorf("pos.uploadFile: encode: %w", err)
	}
	var f File
	if err := c.api(ctx, call, &f, opts); err != nil {
		return nil, err
	}
	return &f, nil
}

// Applicant is the person an appeal is filed for.
type Applicant struct {
	// EpguID is the person's ESIA id.
	EpguID     int64  `json:"epguId,omitempty"`
	Name       string `json:"name,omitempty"`
	Surname    string `json:"surname,omitempty"`
	Patronymic string `json:"patronymic,omitempty"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
}

// OrganizationInfo names the organisation an appeal is addressed to.
type OrganizationInfo struct {
	OGRN string `json:"ogrn"`
}

// CreateAppealRequest is the body of
// POST /inbox-service/external-appeal-system/appeals (inferred).
type CreateAppealRequest struct {
	Description      string           `json:"description"`
	CreatedAt        time.Time        `json:"-"`
	Applicant        Applicant        `json:"applicant"`
	SubjectID        int64            `json:"subjectId"`
	SubsubjectID     int64            `json:"subsubjectId,omitempty"`
	AttachmentIDs    []string         `json:"attachmentIds,omitempty"`
	Location         string           `json:"location,omitempty"`
	OrganizationInfo OrganizationInfo `json:"organizationInfo"`
	RegionID         int64            `json:"regionId"`
}

// MarshalJSON writes CreatedAt as RFC 3339 (omitted when zero).
func (r CreateAppealRequest) MarshalJSON() ([]byte, error) {
	type plain CreateAppealRequest
	v := struct {
		plain
		CreatedAt string `json:"createdAt,omitempty"`
	}{plain: plain(r)}
	if !r.CreatedAt.IsZero() {
		v.CreatedAt = r.CreatedAt.Format(time.RFC3339)
	}
	return json.Marshal(v)
}

// ErrInvalidAppeal is returned before any request for an appeal without
// description, subject or organisation.
var ErrInvalidAppeal = errors.New("pos: invalid appeal")

// CreateAppeal files an appeal. It is never repeated once it may have
// reached POS: a dropped connection or a 5xx answer is a
// *core.UnknownOutcomeError (errors.Is core.ErrUnknownOutcome); check the
// organisation's appeals before filing again.
func (c *AppealsClient) CreateAppeal(ctx context.Context, req *CreateAppealRequest, opts ...core.CallOption) (*AppealStatus, error) {
	switch {
	case req == nil || strings.TrimSpace(req.Description) == "":
		return nil, fmt.Errorf("%w: a description is required", ErrInvalidAppeal)
	case req.SubjectID <= 0:
		return nil, fmt.Errorf("%w: a subject is required", ErrInvalidAppeal)
	case req.OrganizationInfo.OGRN == "":
		return nil, fmt.Errorf("%w: the organisation's OGRN is required", ErrInvalidAppeal)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("pos.createAppeal: encode: %w", err)
	}
	call := &transport.Call{Operation: "pos.createAppeal", Method: http.MethodPost,
		URL: c.base + "/inbox-service/external-appeal-system/appeals", Body: body, ContentType: "application/json"}
	var st AppealStatus
	if err := c.api(ctx, call, &st, opts); err != nil {
		return nil, err
	}
	if err := st.check(); err != nil {
		return nil, fmt.Errorf("pos.createAppeal: %w", err)
	}
	return &st, nil
}

// Appeal reads an appeal's status and history
// (GET /appeal-service/external-appeal-system/appeals/{id}).
func (c *AppealsClient) Appeal(ctx context.Context, id int64, opts ...core.CallOption) (*AppealStatus, error) {
	var st AppealStatus
	if err := c.get(ctx, "pos.appeal", "/appeal-service/external-appeal-system/appeals/"+strconv.FormatInt(id, 10), &st, opts); err != nil {
		return nil, err
	}
	if err := st.check(); err != nil {
		return nil, fmt.Errorf("pos.appeal: %w", err)
	}
	return &st, nil
}

// Appeal statuses seen in the integration (inferred; others may occur).
const (
	AppealNew      = "NEW"
	AppealInWork   = "IN_WORK"
	AppealAnswered = "ANSWERED"
)

// AppealStatus is an appeal's status and history.
type AppealStatus struct {
	PosID      int64        `json:"posId"`
	Status     string       `json:"status"`
	StatusText string       `json:"statusText"`
	History    []AppealStep `json:"history"`
}

// AppealStep is one entry of an appeal's history.
type AppealStep struct {
	Status     string       `json:"status"`
	StatusText string       `json:"statusText"`
	CreatedAt  Time         `json:"createdAt"`
	CreatedBy  *Employee    `json:"createdBy,omitempty"`
	Answer     *AppealReply `json:"answer,omitempty"`
}

// Employee is who made a history step.
type Employee struct {
	Surname    string `json:"surname"`
	Name       string `json:"name"`
	Patronymic string `json:"patronymic"`
	Position   string `json:"position"`
	Email      string `json:"email"`
	Phone      string `json:"phone"`
}

// AppealReply is the answer attached to a history step.
type AppealReply struct {
	AnswerType   string `json:"answerType"`
	Comment      string `json:"comment"`
	RejectReason *struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"rejectReason,omitempty"`
}

// Time is a history timestamp. It reads RFC 3339, a local
// "2006-01-02T15:04:05[.000]" (taken as UTC) and Unix milliseconds.
type Time struct{ time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		tm := time.UnixMilli(ms).UTC()
		if tm.Year() < 1 || tm.Year() > 9999 {
			return errors.New("pos: timestamp out of range")
		}
		t.Time = tm
		return nil
	}
	uq, err := strconv.Unquote(s)
	if err != nil {
		return fmt.Errorf("pos: timestamp is neither a string nor a number")
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05"} {
		if tm, err := time.Parse(layout, uq); err == nil {
			t.Time = tm
			return nil
		}
	}
	return fmt.Errorf("pos: unreadable timestamp %q", truncate(uq, 40))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// DecodeAppealStatus reads an appeal answer. It never panics; an answer
// without posId or status is an error.
func DecodeAppealStatus(b []byte) (*AppealStatus, error) {
	var st AppealStatus
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("decode appeal: %w", err)
	}
	if err := st.check(); err != nil {
		return nil, fmt.Errorf("decode appeal: %w", err)
	}
	return &st, nil
}

func (st *AppealStatus) check() error {
	if st.PosID <= 0 || st.Status == "" {
		return errors.New("the answer carries no posId or status")
	}
	return nil
}
