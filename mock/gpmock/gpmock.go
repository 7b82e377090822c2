// Package gpmock is the reference server of the Gospubliki cabinet API
// (/api/v1, described by gospubliki/openapi.yaml): authentication by phone
// and password or through ESIA, expiring sessions and API tokens for
// integrators, cabinets tied to organisations, users with roles and
// invitations, posts under the moderation state machine, and
// notifications.
//
// Every endpoint enforces the caller's role and cabinet: a user never sees
// or touches another cabinet's users or posts (another cabinet's resource
// answers 404 not_found, as if it did not exist). An editorial cabinet
// (only for a regional executive body, РОИВ, or a local self-government
// body, ОМСУ) also sees and moderates the posts of the cabinets of the
// organisations below its own in the world's parent links
// (GET /api/v1/cabinet/subordinates); an institution sees only its own.
//
// Login through ESIA: the server is an ESIA client system ([WithESIA]; in
// the sandbox, the tenant's default system of the ESIA emulator). POST
// /api/v1/auth/esia/start returns ESIA's authorization URL and a state;
// ESIA brings the person back to /api/v1/auth/esia/callback, where the
// state is used once (a replay is refused), the code exchanged with a
// signed client_secret, the tokens verified, and
// esia.Client.Authority checks that the person is in the cabinet kind's
// access group («ПОС. Госпаблики. Кабинет учреждения», «ПОС. Госпаблики.
// Кабинет редакции», «ПОС. Администратор ЛКО») of the organisation picked
// on ESIA. The user is the one of that organisation's cabinet bound to the
// person, or an invited user whose e-mail or phone is one of the person's
// ESIA contacts: their first ESIA login binds them and makes them
// confirmed («Подтвержден»). Anyone else gets 403 user_not_found,
// «Пользователь не найден». POST /api/v1/auth/esia/bind binds a phone and
// password account to the person who then logs in on ESIA.
//
// Invitations are e-mails with a link (the world's outbox, Channel
// e-mail); an invited user has no password until they accept it (or log
// in through ESIA). Password reset sends a one-time code by SMS (Channel
// sms; the same answer for an unknown phone), limited in time and
// attempts, and ends every session of the user. Blocking ends sessions;
// unblocking lets the user in again. Expired sessions, states, links and
// codes are pruned on the clock as new ones are issued.
//
// Notifications are the server's own event listener ([Server.OnEvent]): a
// submitted post is told to the moderators who see it, a returned or
// approved post to its author, an invitation to the cabinet's
// administrators, a new template to the editors of each cabinet it
// appears in — by e-mail and to a Telegram chat, as each user's
// settings ask (GET/PUT /api/v1/me/notifications). Telegram notifications
// are recorded in the outbox (Channel telegram) and, with [WithTelegram],
// also sent through the cabinet's bot.
//
// Time comes from a core.Clock (the world clock in the sandbox), so
// expiry is tested without sleeping. Passwords are stored as bcrypt
// hashes; sessions, API tokens, ESIA states, invitation links and reset
// codes are stored as SHA-256 digests. The one exception is a scenario's
// seeded passwords: sandbox fixtures the sandbox publishes in its
// manifest, kept as seeded and never served.
//
// In a sandbox the server is the party "gospubliki" (WithWorld,
// WithIssueHook, Adapter): its cabinets, users, notification settings and
// posts are the world's "gospubliki" section ([Section]: validated against
// the world's organisations and people, exported, imported and reset with
// the world); logins and password resets are routed to a tenant by phone,
// sessions by token, ESIA callbacks by state and invitations by their
// token. An ESIA login's start carries no credential: it goes to the
// tenant its X-Mock-Tenant header names (emu.Call.Anonymous), else to the
// default tenant; a binding starts in the caller's tenant.
//
// Content plan, templates, thematic channels and webhooks (plan.go,
// templates.go, channels.go, webhooks.go):
//   - the content plan is a calendar of topics per cabinet (period, topic,
//     description, linked posts of the cabinet, urgency, status planned /
//     done / cancelled), listed by period with cursor pagination;
//   - templates hold text with {{placeholders}}, a default urgency and the
//     page kinds they suit; a draft is made from one with the values of its
//     placeholders. An editorial cabinet may share a template with the
//     cabinets of its subordinate organisations (the world's parent chain
//     of organisations), read-only there; creating a template emits
//     template.created for its cabinet and, when shared, for each
//     subordinate cabinet;
//   - an editorial cabinet publishes ready content into thematic channels;
//     the cabinets below it subscribe (channel.item events), list the items
//     and take one as a draft of their own;
//   - an LKO administrator registers webhook endpoints (URL, event types;
//     the signing secret is shown once). Every event of the cabinet of a
//     subscribed type is delivered through the sandbox's delivery engine
//     (retries with backoff on the world clock, a redelivery counter, every
//     attempt journaled, at most MaxWebhookAttempts), signed with
//     HMAC-SHA256 over "<unix timestamp>.<body>" in X-Gospubliki-Timestamp
//     and X-Gospubliki-Signature: v1=<hex> ([SignWebhook]); each endpoint
//     keeps a log of its deliveries (status, attempts).
//
// Roles (another cabinet's resource is not_found; "own" is the caller's
// cabinet, "seen" the cabinets the caller sees, "above" the editorial
// cabinets of the organisation's superiors):
//
//	resource         lko_admin     editor                                 moderator
//	content plan     read (seen)   read (seen), write (own)               read (seen)
//	templates        -             read (own, shared above), write (own)  read (own, shared above)
//	channels, items  -             editorial: create, publish;            list, read items
//	                               below: subscribe, take as a draft
//	webhooks, log    manage (own)  -                                      -
//
// # Dialogs
//
// One inbox per cabinet holds the comments and messages of its connected
// pages: VK wall comments and community messages (read through the
// community's Bots Long Poll, which the first collection turns on) and
// the messages the page's Telegram bot receives (getUpdates). They are
// collected every [DialogPollInterval] on the world clock (and on
// POST /api/v1/dialogs/collect), de-duplicated by (source, network id),
// and move through new → assigned → answered → closed. Auto-rules of the
// LKO administrator match on topic, keywords and source and assign the
// dialog to a specialist and/or answer it with a template ({author},
// {topic}, {org}, {id}). Replies go back through the network
// (wall.createComment from the community, messages.send, sendMessage)
// and are recorded, sent or failed with the network's error and code.
// Events: dialog.received, dialog.assigned, dialog.answered.
//
// POS appeals to the cabinet's organisation reach the same inbox through
// POS's internal link ([WithPOSAppeals]): the cabinet is a component of
// POS, and POS's appeals API for external systems (the pos package) can
// file an appeal and read its status but neither list an organisation's
// appeals nor answer one. A reply to an appeal answers it in POS (which
// moves it to ANSWERED and sends the answer to the applicant). The
// sandbox links each tenant's cabinet to the tenant's POS emulator.
//
// # Analytics
//
// Every [AnalyticsInterval] on the world clock the server reads each
// page's statistics (social.PageStatsReader of the page's publisher) and
// each published post's (social.PostStatsReader, for the receipts of
// its publication report, or those [WithPublishedParts] names) into
// bounded series ([MaxSnapshots]),
// aggregated by day, week or month over [from, to) by the API
// ([Aggregate]).
//
// # Roles
//
//	endpoint                                  lko_admin  editor  moderator
//	GET dialogs, dialogs/{id}, dialog-rules       yes      yes      yes
//	POST dialogs/{id}/reply, dialogs/{id}/close   yes      yes      yes
//	POST dialogs/{id}/assign                      yes      no       yes
//	POST dialogs/collect, dialog-rules            yes      no       no
//	DELETE dialog-rules/{id}                      yes      no       no
//	GET analytics/pages, analytics/posts/{id}     yes      yes      yes
//	POST analytics/collect                        yes      no       no
//
// The LKO administrator sets up how appeals are processed (auto-rules);
// every user of the cabinet may be a specialist who answers; the LKO
// administrator and the moderator distribute the work.
//
// # Storage
//
// The state lives in memory unless the server is given stores
// (WithPostStore, WithStateStore; package gppg keeps both in PostgreSQL
// for a long-lived shared server): posts in a PostStore queried by the
// lists, everything else saved as one document after every change.
// Communities (communities.go): a cabinet's LKO administrator connects
// VK communities, OK groups and Telegram channels with their credentials,
// stored encrypted at rest (AES-GCM under WithCredentialKey; the sandbox
// uses the public SandboxCredentialKey, marked sandbox-only) and never
// shown again: not in answers, errors, logs or exports without secrets
// (exports with secrets carry the ciphertext). A page's check reads its
// «Госорганизация» status and requirement report through the vk, ok and
// telegram clients and its POS compliance through pos.Auditor. The
// networks are reached as WithNetworks says (in a sandbox: the emulators,
// through the fail-closed client, carrying the tenant).
//
// Publishing (publish.go, media.go): posts carry uploaded files, a poll
// and a link. An approved post with a publish time is scheduled and
// published when the server's clock reaches it (a world clock timer in a
// sandbox: a clock jump past several publish times publishes each post
// once); "publish now" publishes at once. Publications go through
// social.FanOut over the pages' publishers with their networks' limits and
// retries, a social.Ledger and the post's stable key (VK's guid), and end
// in a report line per page: published with its link and network id,
// failed with the network's error text and code, or unknown outcome. A
// server stopped mid-publication is recovered by the next: VK pages are
// published again under the same guid (VK answers with the first post),
// Telegram and OK pages, which cannot de-duplicate, become of unknown
// outcome and are never retried silently. Edits and deletions of a
// published post reach every page (social.Editor, social.Deleter) with a
// result per page. Events: post.published, post.failed,
// post.partially_published and post.unknown_outcome.
package gpmock

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/telegram"
)

// DefaultSessionTTL is how long a login session lasts.
const DefaultSessionTTL = 8 * time.Hour

// Cabinet kinds.
const (
	KindInstitution = "institution"
	KindEditorial   = "editorial"
	KindLKO         = "lko"
)

// Roles.
const (
	RoleLKOAdmin  = "lko_admin"
	RoleEditor    = "editor"
	RoleModerator = "moderator"
)

// User statuses.
const (
	StatusInvited   = "invited"
	StatusConfirmed = "confirmed" // «Подтвержден»
	StatusBlocked   = "blocked"
)

// Post statuses of the moderation state machine.
const (
	PostDraft     = "draft"
	PostSubmitted = "submitted"
	PostApproved  = "approved"
	PostReturned  = "returned"
	PostEdited    = "edited"
)

// Urgencies.
const (
	UrgencyGreen  = "green"
	UrgencyOrange = "orange"
	UrgencyRed    = "red"
)

// Cabinet is a cabinet tied to an ESIA organisation.
type Cabinet struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`
	OrgOID  int64  `json:"org_oid"`
	OrgName string `json:"org_name"`
}

// User is a cabinet user as the API shows it.
type User struct {
	ID        int64  `json:"id"`
	CabinetID int64  `json:"cabinet_id"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	Status    string `json:"status"`
	// PersonOID is the ESIA person the user is (0: not bound yet).
	PersonOID int64 `json:"person_oid,omitempty"`
}

// Comment is a moderator's comment on a returned post.
type Comment struct {
	AuthorID int64     `json:"author_id"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
}

// Post is a post under moderation.
type Post struct {
	ID        int64      `json:"id"`
	CabinetID int64      `json:"cabinet_id"`
	AuthorID  int64      `json:"author_id"`
	Text      string     `json:"text"`
	Urgency   string     `json:"urgency"`
	Targets   []string   `json:"targets"`
	PublishAt *time.Time `json:"publish_at,omitempty"`
	Status    string     `json:"status"`
	Comments  []Comment  `json:"comments"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	// Media are the ids of the post's uploaded files; Poll and Link its
	// poll and link.
	Media []int64 `json:"media,omitempty"`
	Poll  *Poll   `json:"poll,omitempty"`
	Link  *Link   `json:"link,omitempty"`
	// Report is the publication report: one line per target page
	// attempted; PublishedAt when a page was first published.
	Report      []PageReport `json:"report,omitempty"`
	PublishedAt *time.Time   `json:"published_at,omitempty"`
}

type userRec struct {
	User
	hash []byte
	// seed is a seeded password not hashed yet: a scenario's users are
	// hashed at their first login, so that seeding a world costs no bcrypt.
	seed string
}

// passwordHash returns the bcrypt hash of a user's password, hashing a
// seeded one on first use (nil: the user has no password).
func (s *store) passwordHash(id int64) []byte {
	s.mu.Lock()
	rec, ok := s.users[id]
	if !ok {
		s.mu.Unlock()
		return nil
	}
	hash, seed := rec.hash, rec.seed
	s.mu.Unlock()
	if hash != nil || seed == "" {
		return hash
	}
	h, err := bcrypt.GenerateFromPassword([]byte(seed), bcrypt.MinCost+2)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec.hash == nil && rec.seed == seed {
		rec.hash, rec.seed = h, ""
	}
	return rec.hash
}

type session struct {
	userID  int64
	expires time.Time // zero: an API token, no expiry
	created time.Time
}

// store is the cabinet's state: the content of its world section.
type store struct {
	mu       sync.Mutex
	nextID   int64
	cabinets map[int64]*Cabinet
	users    map[int64]*userRec
	byPhone  map[string]int64
	sessions map[string]session // key: hex SHA-256 of the token
	posts    PostStore
	// communities are the connected pages, with sealed credentials.
	communities map[int64]*communityRec
	// inbox holds the dialogs and auto-rules (dialogs.go); stats the
	// analytics series (analytics.go).
	inbox dialogStore
	stats statsStore
	// media are the uploaded files.
	media map[int64]*mediaRec
	// loaded are called (without the lock) after the state was replaced.
	loaded []func()
	// pending are the events of the current change, dispatched once the
	// lock is released (see emit).
	pending   []Event
	listeners []func(Event)
	// orgs, when set, checks that an organisation exists (the world's).
	orgs func(oid int64) error
	// seeded holds the passwords scenarios seeded, by phone: sandbox
	// fixtures published in the sandbox's manifest (the scenario holds
	// them already); never exported.
	seeded map[string]string
	// version changes whenever the users' phones may have changed.
	version atomic.Uint64
	// planning holds the content plan, templates, thematic channels and
	// webhooks (plan.go).
	planning *planning
	// superiors, when set, returns the OIDs above an organisation (the
	// world's parent chain); it is called without mu held.
	superiors func(oid int64) []int64
	// Authentication and users (auth_*.go, users_*.go): pending ESIA
	// logins by state, invitations and password-reset codes by digest, the
	// next time expired entries are pruned.
	esiaStates map[string]esiaState
	invites    map[string]invite
	resets     map[string]*resetCode
	nextPrune  time.Time
	// Notifications (notify_*.go): settings by user id.
	notify map[int64]NotifySettings
	// subordinates, when set, lists the organisations below one (the
	// world's parent links); orgInfo reads an organisation.
	subordinates func(oid int64) []int64
	orgInfo      func(oid int64) (world.Organization, error)
	// persist, when set, saves the state after every change (storage.go).
	persist *persister
}

func (st *store) clear() {
	st.nextID = 0
	st.cabinets, st.users, st.byPhone = map[int64]*Cabinet{}, map[int64]*userRec{}, map[string]int64{}
	st.sessions, st.seeded = map[string]session{}, map[string]string{}
	st.communities = map[int64]*communityRec{}
	st.esiaStates, st.invites, st.resets = map[string]esiaState{}, map[string]invite{}, map[string]*resetCode{}
	st.notify = map[int64]NotifySettings{}
	st.inbox.clear()
	st.stats.clear()
	st.media = map[int64]*mediaRec{}
	if st.posts == nil {
		st.posts = NewMemoryPostStore()
	} else {
		_ = st.posts.Replace(nil)
	}
	st.planning = newPlanning()
}

// Server serves the cabinet API. It is safe for concurrent use.
type Server struct {
	*Section
	clock  core.Clock
	ttl    time.Duration
	mux    *http.ServeMux
	routes []string
	ops    map[string]string // "METHOD /path" → operationId
	issue  func(token string) error
	// nets, sealer and clients reach the networks (communities.go).
	nets      Networks
	sealer    *sealer
	sealerErr error
	clients   clientCache
	// world is the world of WithWorld (nil without one).
	world *world.World
	// hooks delivers the outbound webhooks (webhooks.go).
	hooks hookEngine
	// esia is the cabinet's ESIA client system (nil: no ESIA login).
	esia *esia.Client
	// outbox receives the e-mails and SMS the cabinet sends to people.
	outbox *world.Outbox
	// publicURL is the cabinet's address in links sent to people.
	publicURL string
	// tgBot sends Telegram notifications (nil: outbox only).
	tgBot *telegram.Client
	// publishedParts finds where a post was published (analytics.go).
	publishedParts func(Post) []PublishedPart
	// storage holds WithPostStore and WithStateStore (storage.go).
	storage storage
	publishing
	// posAppeals is POS's internal appeal link (dialogs_pos.go).
	posAppeals POSAppeals
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the clock sessions expire on (default: the system clock).
func WithClock(c core.Clock) Option { return func(s *Server) { s.clock = c } }

// WithSessionTTL sets how long a login session lasts (default
// DefaultSessionTTL).
func WithSessionTTL(d time.Duration) Option { return func(s *Server) { s.ttl = d } }

// WithWorld serves the "gospubliki" section of w (registered on w when
// missing): cabinets must belong to w's organisations, and sessions
// expire on w's clock unless WithClock is given after it.
func WithWorld(w *world.World) Option {
	return func(s *Server) {
		s.Section = SectionOf(w)
		s.clock = w.Clock
		s.world = w
		s.outbox = w.Outbox
	}
}

// New returns a server; without WithWorld it has a section of its own,
// empty, whose cabinets may name any organisation.
func New(opts ...Option) *Server {
	s := &Server{clock: core.SystemClock(), ttl: DefaultSessionTTL, mux: http.NewServeMux(), ops: map[string]string{}}
	for _, o := range opts {
		o(s)
	}
	if s.Section == nil {
		s.Section = NewSection()
	}
	if s.sealer == nil && s.sealerErr == nil {
		s.sealer = randomSealer()
	}
	if s.outbox == nil {
		s.outbox = world.NewOutbox(0)
	}
	if s.ledger == nil {
		s.ledger = &social.MemoryLedger{}
	}
	if s.publishedParts == nil {
		s.publishedParts = reportedParts
	}
	s.timers = map[int64]func() bool{}
	s.routesInit()
	s.OnEvent(s.notifyEvent)
	if err := s.attachStorage(); err != nil {
		s.storage.err = err
		s.mux = brokenMux()
		return s
	}
	s.startSchedules()
	s.mu.Lock()
	s.loaded = append(s.loaded, s.afterLoad)
	s.mu.Unlock()
	s.afterLoad()
	return s
}

// Routes returns every "METHOD /path" the server serves.
func (s *Server) Routes() []string { return slices.Clone(s.routes) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// AddCabinet adds a cabinet of kind for the organisation oid.
func (s *Server) AddCabinet(kind string, oid int64, name string) (Cabinet, error) {
	if kind != KindInstitution && kind != KindEditorial && kind != KindLKO {
		return Cabinet{}, &apiError{http.StatusBadRequest, "invalid_request", "unknown cabinet kind"}
	}
	defer s.changed()
	s.mu.Lock()
	orgs := s.orgs
	s.mu.Unlock()
	if orgs != nil {
		if err := orgs(oid); err != nil {
			return Cabinet{}, &apiError{http.StatusBadRequest, "invalid_request", "unknown organisation"}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkKindLocked(kind, oid); err != nil {
		return Cabinet{}, err
	}
	s.nextID++
	c := &Cabinet{ID: s.nextID, Kind: kind, OrgOID: oid, OrgName: name}
	s.cabinets[c.ID] = c
	return *c, nil
}

// AddUser adds a confirmed user with a password to a cabinet.
func (s *Server) AddUser(cabinetID int64, u User, password string) (User, error) {
	defer s.changed()
	s.mu.Lock()
	defer s.mu.Unlock()
	u.CabinetID = cabinetID
	if u.Status == "" {
		u.Status = StatusConfirmed
	}
	rec, err := s.addUserLocked(u, password)
	if err != nil {
		return User{}, err
	}
	return rec.User, nil
}

func (s *store) addUserLocked(u User, password string) (*userRec, error) {
	if _, ok := s.cabinets[u.CabinetID]; !ok {
		return nil, &apiError{http.StatusBadRequest, "invalid_request", "unknown cabinet"}
	}
	if !validRole(u.Role) {
		return nil, &apiError{http.StatusBadRequest, "invalid_request", "role must be lko_admin, editor or moderator"}
	}
	if u.Phone == "" || u.Email == "" || !strings.Contains(u.Email, "@") {
		return nil, &apiError{http.StatusBadRequest, "invalid_request", "phone and e-mail are required"}
	}
	if _, dup := s.byPhone[u.Phone]; dup {
		return nil, &apiError{http.StatusConflict, "conflict", "a user with this phone exists"}
	}
	rec := &userRec{User: u}
	if password != "" {
		if len(password) < 8 || len(password) > 72 {
			return nil, &apiError{http.StatusBadRequest, "invalid_request", "password must be 8 to 72 bytes"}
		}
		h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost+2)
		if err != nil {
			return nil, &apiError{http.StatusInternalServerError, "internal", "cannot hash the password"}
		}
		rec.hash = h
	}
	s.nextID++
	rec.ID = s.nextID
	s.users[rec.ID] = rec
	s.byPhone[u.Phone] = rec.ID
	s.version.Add(1)
	return rec, nil
}

func validRole(r string) bool { return r == RoleLKOAdmin || r == RoleEditor || r == RoleModerator }

type apiError struct {
	status        int
	code, message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, err error) {
	e, ok := err.(*apiError)
	if !ok {
		e = &apiError{http.StatusInternalServerError, "internal", "internal error"}
	}
	writeJSON(w, e.status, map[string]any{"error": map[string]string{"code": e.code, "message": e.message}})
}

var (
	errUnauth    = &apiError{http.StatusUnauthorized, "unauthenticated", "missing, unknown or expired credentials"}
	errForbidden = &apiError{http.StatusForbidden, "forbidden", "the role does not allow this"}
	errNotFound  = &apiError{http.StatusNotFound, "not_found", "no such resource"}
)

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func digest(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// caller is the authenticated user of a request (a copy).
type caller struct {
	User
	tokenKey string
}

type handlerFunc func(c *caller, r *http.Request) (int, any, error)

// public registers an endpoint that authenticates on its own (a login),
// under its operationId in openapi.yaml.
func (s *Server) public(op, method, path string, h http.HandlerFunc) {
	s.routes = append(s.routes, method+" "+path)
	s.ops[method+" "+path] = op
	s.mux.HandleFunc(method+" "+path, func(w http.ResponseWriter, r *http.Request) {
		h(w, r)
		s.dispatch()
	})
}

// handle registers an authenticated endpoint allowed to roles, under its
// operationId in openapi.yaml.
func (s *Server) handle(op, method, path string, roles []string, f handlerFunc) {
	s.routes = append(s.routes, method+" "+path)
	s.ops[method+" "+path] = op
	s.mux.HandleFunc(method+" "+path, func(w http.ResponseWriter, r *http.Request) {
		c, err := s.authenticate(r)
		if err != nil {
			writeErr(w, err)
			return
		}
		if !slices.Contains(roles, c.Role) {
			writeErr(w, errForbidden)
			return
		}
		status, v, err := f(c, r)
		s.dispatch()
		if err != nil {
			writeErr(w, err)
			return
		}
		if v == nil {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, v)
	})
}

func (s *Server) authenticate(r *http.Request) (*caller, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return nil, errUnauth
	}
	key := digest(tok)
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[key]
	if !ok {
		return nil, errUnauth
	}
	if !sess.expires.IsZero() && !s.clock.Now().Before(sess.expires) {
		delete(s.sessions, key)
		return nil, errUnauth
	}
	u := s.users[sess.userID]
	if u == nil {
		return nil, errUnauth
	}
	if u.Status == StatusBlocked {
		return nil, &apiError{http.StatusForbidden, "user_blocked", "the user is blocked"}
	}
	return &caller{User: u.User, tokenKey: key}, nil
}

func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &apiError{http.StatusBadRequest, "invalid_request", "malformed JSON body"}
	}
	return nil
}

var (
	allRoles  = []string{RoleLKOAdmin, RoleEditor, RoleModerator}
	adminOnly = []string{RoleLKOAdmin}
	editors   = []string{RoleEditor}
	moderator = []string{RoleModerator}
	content   = []string{RoleEditor, RoleModerator}
)

func (s *Server) routesInit() {
	s.routesAuth()
	s.routesUsers()
	s.routesPosts()
	s.routesCommunities()
	s.routesPlan()
	s.routesTemplates()
	s.routesChannels()
	s.routesWebhooks()
	s.routesESIA()
	s.routesInvitations()
	s.routesReset()
	s.routesTokens()
	s.routesCabinets()
	s.routesNotify()
	s.routesDialogs()
	s.routesAnalytics()
	s.routesMedia()
	s.routesPublish()
}

func (s *Server) routesAuth() {
	s.public("login", "POST", "/api/v1/auth/login", s.login)
	s.handle("logout", "POST", "/api/v1/auth/logout", allRoles, s.logout)
	s.handle("me", "GET", "/api/v1/me", allRoles, func(c *caller, r *http.Request) (int, any, error) {
		return http.StatusOK, c.User, nil
	})
	s.handle("createToken", "POST", "/api/v1/tokens", adminOnly, s.createToken)
	s.handle("cabinet", "GET", "/api/v1/cabinet", allRoles, func(c *caller, r *http.Request) (int, any, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return http.StatusOK, *s.cabinets[c.CabinetID], nil
	})
}

func (s *Server) routesUsers() {
	s.handle("listUsers", "GET", "/api/v1/users", adminOnly, s.listUsers)
	s.handle("inviteUser", "POST", "/api/v1/users", adminOnly, s.inviteUser)
	s.handle("getUser", "GET", "/api/v1/users/{id}", adminOnly, s.getUser)
	s.handle("blockUser", "POST", "/api/v1/users/{id}/block", adminOnly, s.blockUser)
}

func (s *Server) routesPosts() {
	s.handle("listPosts", "GET", "/api/v1/posts", content, s.listPosts)
	s.handle("createPost", "POST", "/api/v1/posts", editors, s.createPost)
	s.handle("getPost", "GET", "/api/v1/posts/{id}", content, s.getPost)
	s.handle("updatePost", "PATCH", "/api/v1/posts/{id}", content, s.updatePost)
	s.handle("submitPost", "POST", "/api/v1/posts/{id}/submit", editors, s.transition(PostSubmitted))
	s.handle("approvePost", "POST", "/api/v1/posts/{id}/approve", moderator, s.transition(PostApproved))
	s.handle("returnPost", "POST", "/api/v1/posts/{id}/return", moderator, s.transition(PostReturned))
}

// LoginRequest is the body of POST /api/v1/auth/login.
type LoginRequest struct {
	Phone    string `json:"phone"`
	Password string `json:"password"`
}

// Session is the answer to a login or a token creation.
type Session struct {
	Token     string     `json:"token"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	User      User       `json:"user"`
}

// dummyHash keeps a login of an unknown phone as slow as a wrong password.
// It is made at the first such login, not when the package loads (it
// would add a bcrypt hash to every process's start).
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("gospubliki-dummy"), bcrypt.MinCost+2)
	return h
})

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req LoginRequest
	if err := decode(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	bad := &apiError{http.StatusUnauthorized, "invalid_credentials", "wrong phone or password"}
	s.mu.Lock()
	id, ok := s.byPhone[req.Phone]
	if ok && s.users[id].Status == StatusInvited {
		ok = false // an invitation is accepted first (or the user logs in through ESIA)
	}
	s.mu.Unlock()
	var hash []byte
	if ok {
		hash = s.passwordHash(id)
	}
	if !ok || hash == nil {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(req.Password))
		writeErr(w, bad)
		return
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(req.Password)) != nil {
		writeErr(w, bad)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[id]
	if u.Status == StatusBlocked {
		writeErr(w, &apiError{http.StatusForbidden, "user_blocked", "the user is blocked"})
		return
	}
	sess, err := s.openSessionLocked(u)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, sess)
}

func (s *Server) logout(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	delete(s.sessions, c.tokenKey)
	s.mu.Unlock()
	return http.StatusNoContent, nil, nil
}

func (s *Server) createToken(c *caller, r *http.Request) (int, any, error) {
	tok := newToken()
	if s.issue != nil {
		if err := s.issue(tok); err != nil {
			return 0, nil, &apiError{http.StatusInternalServerError, "internal", "cannot issue a token"}
		}
	}
	s.mu.Lock()
	s.sessions[digest(tok)] = session{userID: c.ID, created: s.clock.Now()}
	s.mu.Unlock()
	return http.StatusCreated, Session{Token: tok, User: c.User}, nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// UserList is the answer of GET /api/v1/users.
type UserList struct {
	Items []User `json:"items"`
}

func (s *Server) listUsers(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := UserList{Items: []User{}}
	for _, u := range s.users {
		if u.CabinetID == c.CabinetID {
			out.Items = append(out.Items, u.User)
		}
	}
	slices.SortFunc(out.Items, func(a, b User) int { return int(a.ID - b.ID) })
	return http.StatusOK, out, nil
}

// InviteRequest is the body of POST /api/v1/users.
type InviteRequest struct {
	Phone string `json:"phone"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

func (s *Server) inviteUser(c *caller, r *http.Request) (int, any, error) {
	var req InviteRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.addUserLocked(User{CabinetID: c.CabinetID, Phone: req.Phone, Email: req.Email, Name: req.Name,
		Role: req.Role, Status: StatusInvited}, "")
	if err != nil {
		return 0, nil, err
	}
	s.inviteLocked(rec, c.ID)
	return http.StatusCreated, rec.User, nil
}

// userOf returns the cabinet's user id (not_found for another cabinet's).
func (s *Server) userOf(c *caller, r *http.Request) (*userRec, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	u := s.users[id]
	if u == nil || u.CabinetID != c.CabinetID {
		return nil, errNotFound
	}
	return u, nil
}

func (s *Server) getUser(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, u.User, nil
}

func (s *Server) blockUser(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	if u.ID == c.ID {
		return 0, nil, &apiError{http.StatusConflict, "conflict", "an administrator cannot block themself"}
	}
	u.Status = StatusBlocked
	s.endSessionsLocked(u.ID, "")
	s.emit(Event{Type: EventUserBlocked, CabinetID: u.CabinetID, UserID: u.ID, At: s.clock.Now().UTC()})
	return http.StatusOK, u.User, nil
}
