// Package gospubliki is the client of the Gospubliki cabinet API: the JSON
// REST API under /api/v1 described by the OpenAPI file embedded as
// [OpenAPI] (mock/gpmock is its reference server).
//
// A client logs in with the cabinet's phone and password ([Client.Login],
// a session that expires), through ESIA ([Client.StartESIALogin], then
// [Client.CompleteESIALogin] with the URL ESIA redirected to, or
// [Client.LoginESIA] with an [ESIABrowser] such as [FollowESIARedirects]
// for the ESIA emulator's headless logins), by accepting an invitation
// ([Client.AcceptInvitation]), or carries an integrator's API token
// ([WithToken]). A person without the cabinet's ESIA access group gets an
// [*Error] with CodeUserNotFound («Пользователь не найден»). Passwords are
// reset by an SMS code ([Client.RequestPasswordReset],
// [Client.ConfirmPasswordReset]); an account binds itself to ESIA with
// [Client.StartESIABinding].
//
// Then it reads its cabinet and user, manages the cabinet's users and API
// tokens (LKO administrator: invite, resend, block, unblock), reads the
// cabinets an editorial cabinet oversees, sets its notifications (e-mail,
// Telegram, event types), and creates and moderates posts (editor,
// moderator) through the moderation state machine: draft → submitted →
// approved, or returned with comments → edited → submitted again. Lists
// are cursor-paginated; [Client.Posts] walks every page as an iter.Seq2.
//
// The inbox ([Client.ListDialogs], [Client.Dialogs]) gathers the comments
// and messages of the cabinet's VK and Telegram pages; auto-rules
// ([Client.CreateDialogRule]) assign them to specialists and answer them
// with templates, and [Client.ReplyDialog] answers through the network,
// recording the network's error when it refuses. [Client.PageAnalytics]
// and [Client.PostAnalytics] aggregate the statistics the server reads
// from the networks every hour by day, week or month.
//
// Communities: the LKO administrator connects VK communities, OK groups
// and Telegram channels with their credentials ([Client.ConnectCommunity];
// the cabinet stores them encrypted and never returns them) and anyone
// checks a page's «Госорганизация» status, requirements and POS forms
// ([Client.CheckCommunity]). Posts carry uploaded files
// ([Client.UploadMedia]), a poll and a link; an approved post with a
// publish time is scheduled and published at that time, or at once with
// [Client.PublishPost]; [Client.PostReport] gives each page's outcome
// (published with its link, failed with the network's error and code, or
// unknown: never retried). Editing ([Client.UpdatePost]) and deleting
// ([Client.DeletePost]) a published post reach every page.
//
// Every API failure is an [*Error] (core.CodedError) carrying the
// server's code (CodeForbidden, CodeNotFound, CodeInvalidTransition, ...).
// Passwords, tokens, ESIA states and codes never appear in logs or error
// strings.
//
// The content plan ([Client.ListPlan], [Client.Plan]) is a calendar of
// topics, read by every role and written by editors. Templates
// ([Client.CreateTemplate], [Client.CreatePostFromTemplate]) hold text with
// {{placeholders}}; an editorial cabinet shares templates with, and
// publishes thematic channels to ([Client.PublishChannelItem]), the
// cabinets of its subordinate organisations, which subscribe and take
// channel items as drafts ([Client.TakeChannelItem]).
//
// Webhooks: an LKO administrator registers an endpoint
// ([Client.CreateWebhook], which shows the signing secret once) and reads
// its deliveries ([Client.WebhookDeliveries]). A receiver checks each
// delivery with a [WebhookVerifier] (or its [WebhookVerifier.Handler]):
// the HMAC-SHA256 signature in X-Gospubliki-Signature ("v1=<hex>" over
// "<X-Gospubliki-Timestamp>.<body>"), a timestamp within the window
// (DefaultWebhookWindow, past or future) and no replay of a request it
// has seen; [VerifyWebhook] is the same check without the replay cache. A
// retry carries the same delivery id (WebhookEvent.ID, to de-duplicate
// on) with a fresh timestamp and signature.
//
// Not yet: POS appeals in the inbox, and the PostgreSQL store of the
// server.
package gospubliki

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "embed"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/internal/transport"
)

// OpenAPI is the API's OpenAPI 3.1 description (YAML).
//
//go:embed openapi.yaml
var OpenAPI []byte

// Error codes the server answers with.
const (
	CodeInvalidRequest     = "invalid_request"
	CodeInvalidCredentials = "invalid_credentials"
	CodeUnauthenticated    = "unauthenticated"
	CodeUserBlocked        = "user_blocked"
	CodeForbidden          = "forbidden"
	CodeNotFound           = "not_found"
	CodeConflict           = "conflict"
	CodeInvalidTransition  = "invalid_transition"
	CodeInternal           = "internal"
)

// Error is an error answer of the API.
type Error struct {
	// Operation is the API operation ("gospubliki.approvePost").
	Operation string
	// StatusCode is the HTTP status.
	StatusCode int
	// Code and Message are the server's error envelope.
	Code    string
	Message string
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %d %s: %s", e.Operation, e.StatusCode, e.Code, e.Message)
}

// ErrorCode implements core.CodedError.
func (e *Error) ErrorCode() string { return e.Code }

var _ core.CodedError = (*Error)(nil)

type settings struct{ token string }

// WithToken makes the client authenticate with token (an API token or a
// session token) instead of logging in.
func WithToken(token string) core.Option {
	return core.PartyOption("gospubliki.WithToken", func(s *settings) error { s.token = token; return nil })
}

// Client is a Gospubliki API client. It is safe for concurrent use.
type Client struct {
	base string
	tr   *transport.Client

	mu    sync.RWMutex
	token string
}

// New returns a client. core.WithBaseURL is required (the cabinet's
// address, without /api/v1); every other option of package core applies.
// Reads are retried on network errors and 5xx answers; writes are never
// repeated once they may have reached the server.
func New(opts ...core.Option) (*Client, error) {
	var ps settings
	cs := core.NewSettings("gospubliki", &ps)
	if err := cs.Apply(opts...); err != nil {
		return nil, err
	}
	if cs.BaseURL == "" {
		return nil, errors.New("gospubliki: core.WithBaseURL is required")
	}
	if _, err := url.Parse(cs.BaseURL); err != nil {
		return nil, errors.New("gospubliki: malformed base URL")
	}
	if !cs.LimiterSet {
		cs.Limiter, cs.LimiterSet = nil, true
	}
	cs.Secrets = append(cs.Secrets, ps.token)
	tr, err := transport.New(transport.WithSettings(&cs))
	if err != nil {
		return nil, fmt.Errorf("gospubliki: %w", err)
	}
	return &Client{base: strings.TrimRight(cs.BaseURL, "/") + "/api/v1", tr: tr, token: ps.token}, nil
}

// String hides the token.
func (c *Client) String() string { return "gospubliki.Client{" + c.base + "}" }

// GoString hides the token.
func (c *Client) GoString() string { return c.String() }

func (c *Client) do(ctx context.Context, op, method, path string, in, out any, opts []core.CallOption) error {
	call := &transport.Call{Operation: "gospubliki." + op, Method: method, URL: c.base + path,
		Idempotent: method == http.MethodGet && op != "esiaCallback", Header: http.Header{"Accept": {"application/json"}}}
	if rb, ok := in.(rawBody); ok {
		call.Body, call.ContentType = rb.data, rb.contentType
	} else if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("gospubliki.%s: encode: %w", op, err)
		}
		call.Body, call.ContentType = b, "application/json"
	}
	c.mu.RLock()
	if c.token != "" {
		call.Header.Set("Authorization", "Bearer "+c.token)
	}
	c.mu.RUnlock()
	resp, err := c.tr.Do(ctx, call, opts...)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var env struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		e := &Error{Operation: call.Operation, StatusCode: resp.StatusCode, Code: CodeInternal, Message: http.StatusText(resp.StatusCode)}
		if json.Unmarshal(resp.Body, &env) == nil && env.Error.Code != "" {
			e.Code, e.Message = env.Error.Code, c.tr.Redact(env.Error.Message)
		}
		return transport.Finish(call, resp, e)
	}
	if out != nil {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return fmt.Errorf("gospubliki.%s: decode: %w", op, err)
		}
	}
	return nil
}

// Login logs in with the cabinet's phone and password; the client then
// uses the session (until it expires or Logout).
func (c *Client) Login(ctx context.Context, phone, password string, opts ...core.CallOption) (*Session, error) {
	var s Session
	if err := c.do(ctx, "login", http.MethodPost, "/auth/login", loginRequest{phone, password}, &s, opts); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.token = s.Token
	c.mu.Unlock()
	return &s, nil
}

type loginRequest struct {
	Phone    string `json:"phone"`
	Password string `json:"password"`
}

// Logout closes the client's session (or revokes its API token).
func (c *Client) Logout(ctx context.Context, opts ...core.CallOption) error {
	if err := c.do(ctx, "logout", http.MethodPost, "/auth/logout", nil, nil, opts); err != nil {
		return err
	}
	c.mu.Lock()
	c.token = ""
	c.mu.Unlock()
	return nil
}

// Me returns the caller.
func (c *Client) Me(ctx context.Context, opts ...core.CallOption) (*User, error) {
	var u User
	return &u, c.do(ctx, "me", http.MethodGet, "/me", nil, &u, opts)
}

// CreateToken issues an API token for an integrator acting as the
// caller (LKO administrator); it does not expire.
func (c *Client) CreateToken(ctx context.Context, opts ...core.CallOption) (*Session, error) {
	var s Session
	return &s, c.do(ctx, "createToken", http.MethodPost, "/tokens", nil, &s, opts)
}

// Cabinet returns the caller's cabinet.
func (c *Client) Cabinet(ctx context.Context, opts ...core.CallOption) (*Cabinet, error) {
	var cb Cabinet
	return &cb, c.do(ctx, "cabinet", http.MethodGet, "/cabinet", nil, &cb, opts)
}

// Users returns the cabinet's users (LKO administrator).
func (c *Client) Users(ctx context.Context, opts ...core.CallOption) ([]User, error) {
	var l struct {
		Items []User `json:"items"`
	}
	return l.Items, c.do(ctx, "listUsers", http.MethodGet, "/users", nil, &l, opts)
}

// InviteUser invites a user by e-mail (LKO administrator).
func (c *Client) InviteUser(ctx context.Context, req InviteRequest, opts ...core.CallOption) (*User, error) {
	var u User
	return &u, c.do(ctx, "inviteUser", http.MethodPost, "/users", req, &u, opts)
}

// User returns one of the cabinet's users (LKO administrator).
func (c *Client) User(ctx context.Context, id int64, opts ...core.CallOption) (*User, error) {
	var u User
	return &u, c.do(ctx, "getUser", http.MethodGet, "/users/"+strconv.FormatInt(id, 10), nil, &u, opts)
}

// BlockUser blocks a user (LKO administrator); their sessions and tokens
// stop working.
func (c *Client) BlockUser(ctx context.Context, id int64, opts ...core.CallOption) (*User, error) {
	var u User
	return &u, c.do(ctx, "blockUser", http.MethodPost, "/users/"+strconv.FormatInt(id, 10)+"/block", nil, &u, opts)
}

// CreatePost creates a draft (editor).
func (c *Client) CreatePost(ctx context.Context, req PostInput, opts ...core.CallOption) (*Post, error) {
	var p Post
	return &p, c.do(ctx, "createPost", http.MethodPost, "/posts", req, &p, opts)
}

// Post returns one post.
func (c *Client) Post(ctx context.Context, id int64, opts ...core.CallOption) (*Post, error) {
	var p Post
	return &p, c.do(ctx, "getPost", http.MethodGet, postPath(id, ""), nil, &p, opts)
}

// UpdatePost edits a post: the editor a draft, returned or edited post (a
// returned post becomes edited), the moderator a submitted one.
func (c *Client) UpdatePost(ctx context.Context, id int64, req PostInput, opts ...core.CallOption) (*Post, error) {
	var p Post
	return &p, c.do(ctx, "updatePost", http.MethodPatch, postPath(id, ""), req, &p, opts)
}

// SubmitPost submits a draft or an edited post for moderation (editor).
func (c *Client) SubmitPost(ctx context.Context, id int64, opts ...core.CallOption) (*Post, error) {
	var p Post
	return &p, c.do(ctx, "submitPost", http.MethodPost, postPath(id, "/submit"), nil, &p, opts)
}

// ApprovePost approves a submitted post (moderator).
func (c *Client) ApprovePost(ctx context.Context, id int64, opts ...core.CallOption) (*Post, error) {
	var p Post
	return &p, c.do(ctx, "approvePost", http.MethodPost, postPath(id, "/approve"), nil, &p, opts)
}

// ReturnPost returns a submitted post to its editor with a comment
// (moderator).
func (c *Client) ReturnPost(ctx context.Context, id int64, comment string, opts ...core.CallOption) (*Post, error) {
	var p Post
	body := struct {
		Comment string `json:"comment"`
	}{comment}
	return &p, c.do(ctx, "returnPost", http.MethodPost, postPath(id, "/return"), body, &p, opts)
}

func postPath(id int64, tail string) string { return "/posts/" + strconv.FormatInt(id, 10) + tail }

// ListPosts returns one page of the cabinet's posts, newest first.
func (c *Client) ListPosts(ctx context.Context, f PostFilter, opts ...core.CallOption) (*PostPage, error) {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("status", string(f.Status))
	set("urgency", string(f.Urgency))
	set("target", f.Target)
	if !f.From.IsZero() {
		q.Set("from", f.From.UTC().Format(time.RFC3339))
	}
	if !f.To.IsZero() {
		q.Set("to", f.To.UTC().Format(time.RFC3339))
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	set("cursor", f.Cursor)
	path := "/posts"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var p PostPage
	return &p, c.do(ctx, "listPosts", http.MethodGet, path, nil, &p, opts)
}

// Posts walks every post matching f (from f.Cursor on), fetching pages
// as the loop advances; a failure is yielded once and ends the walk.
func (c *Client) Posts(ctx context.Context, f PostFilter, opts ...core.CallOption) iter.Seq2[Post, error] {
	return func(yield func(Post, error) bool) {
		for {
			page, err := c.ListPosts(ctx, f, opts...)
			if err != nil {
				yield(Post{}, err)
				return
			}
			for _, p := range page.Items {
				if !yield(p, nil) {
					return
				}
			}
			if page.NextCursor == "" || len(page.Items) == 0 {
				return
			}
			f.Cursor = page.NextCursor
		}
	}
}
