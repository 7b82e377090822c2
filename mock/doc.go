// Package mock is the gosdk sandbox: offline emulators of the parties the
// SDK talks to, sharing one [world.World], for tests and demos.
//
// In a test:
//
//	sb := mock.Start(t) // closed by t.Cleanup
//	client := sb.HTTPClient()
//	resp, err := client.Get(sb.TelegramURL + "/bot" + sb.Credentials.Telegram.BotToken + "/getMe")
//
// [New] and [Start] bind one loopback listener per party (ports chosen
// free) and one control listener, register the world sections of the
// parties they start, seed the default scenario ([DefaultScenario]: the
// shared entities of [world.DefaultScenario] and each section's default,
// as in cmd/gosmock/scenarios/default.json; see [WithScenario], [WithScenarioFile],
// [WithEmptyWorld]) and return a [Sandbox] exposing each party's URL
// ([Sandbox.URL], typed fields such as TelegramURL), the sandbox
// [Credentials], the World with its Clock, Journal and Faults, user
// simulation helpers (sb.Telegram.PostAsUser, Messages, SetAdmin, ...) and
// [Sandbox.HTTPClient], whose transport fails closed: it refuses every host
// that is not a sandbox listener.
//
// [WithParties] starts only some parties (a Telegram-only sandbox starts and
// closes in well under a millisecond). The same sandbox runs standalone as
// cmd/gosmock.
//
// # Control API
//
// The control listener serves JSON under /_mock/ (errors carry
// {"error": "..."}; a wrong method is a 405). Every call acts on the
// caller's tenant only: the tenant of the control token sent as
// "Authorization: Bearer <control_token>", or the default tenant without
// one.
//
//	GET    /_mock/health                      status, URLs, the tenant's clock
//	POST   /_mock/tenants                     {"name"?, "scenario"?}: a new tenant; answers its control_token and credentials
//	GET    /_mock/tenant                      the caller's tenant and credentials
//	DELETE /_mock/tenant                      delete the caller's tenant (not the default one)
//	POST   /_mock/reset                       restore the tenant's seed, clear its journal and faults
//	GET    /_mock/clock                       {"now","frozen"}
//	POST   /_mock/clock/advance?d=1h          also set?t=RFC3339, freeze, unfreeze
//	GET    /_mock/faults                      list rules
//	POST   /_mock/faults                      add a world.Rule (latency in ns or "150ms"; see below)
//	DELETE /_mock/faults[?id=f1]              remove one rule or all
//	GET    /_mock/journal?party=&method=&after=&status=&param=&value=&since=&until=&limit=&wait=
//	GET    /_mock/journal/stream?…            the same filters, live, as server-sent events (see Journal)
//	DELETE /_mock/journal                     clear the journal
//	GET    /_mock/ui/                         the inspector, a web page for people (see Inspector)
//	GET    /_mock/state[?secrets=1]           export the world as a scenario (tokens and passwords left out unless secrets=1)
//	POST   /_mock/state                       replace the world with a scenario
//	POST   /_mock/seed                        add a scenario's entities to the world
//	GET    /_mock/telegram/limits             flood-control limits; POST to change
//	GET    /_mock/telegram/messages?chat_id=  what was posted in a chat
//	POST   /_mock/telegram/post               {"chat_id"|"bot_id","user_id","text"}: act as a user
//	POST   /_mock/telegram/start              {"bot_id","user_id"}: the person starts (or unblocks) the bot
//	POST   /_mock/telegram/block              {"bot_id","user_id"}: the person blocks the bot
//	POST   /_mock/telegram/kick               {"chat_id","bot_id"}: an administrator removes the bot
//	POST   /_mock/esia/login                  {"person_oid","org_oid","client_id"}: queue a headless login
//	GET    /_mock/esia/cert.pem               the certificates that verify the emulator's tokens
//	GET    /_mock/esia/systems                registered systems; POST an esiamock.System to add one
//	GET    /_mock/ok/gov?group_id=&person_oid= an OK group's «Госорганизация» status, reasons and unmet conditions
//	POST   /_mock/ok/gov                      {"group_id","person_oid","org_oid"}: the «Подтвердить через Госуслуги» flow, headless
//	GET    /_mock/ok/topics?group_id=         an OK group's topics, scheduled ones included
//	PUT    /_mock/ok/description              {"group_id","user_id","text"}: the group's administrator replaces its description (403 for others)
//	POST   /_mock/vk/comment                  {"group_id","post_id","user_id","text"}: a user comments a post (wall_reply_new)
//	POST   /_mock/vk/message                  {"group_id","user_id","text"}: a user writes to a community (message_new)
//	GET    /_mock/vk/posts?group_id=          a VK community's wall, postponed posts included
//	POST   /_mock/vk/captcha                  {"captcha_sid"}: solve a captcha (success_token and captcha_key)
//	GET    /_mock/vk/gov?group_id=            a VK community's «Госорганизация» mark and what it lacks
//	POST   /_mock/vk/gov                      {"group_id","user_token","person_oid","org_oid"}: the Gosuslugi flow, headless
//	PUT    /_mock/vk/limits                   replace the VK emulator's limits (vkmock.Limits)
//	PUT    /_mock/vk/menu                     {"group_id","user_id","items"}: the community's administrator replaces its menu (403 for others)
//	GET    /_mock/vk/menu?group_id=           a VK community's menu
//	GET    /_mock/act                         the actions a person can take (see "Acting as a user")
//	POST   /_mock/act/{party}/{name}          take one: the action's JSON as the body, its result as the answer
//	GET    /_mock/outbox?party=&channel=&to=&after_seq=&since=&until=&limit=&wait=
//	                                          what the applications sent to people (see "Outbox")
//
// The control API refuses a Host that is not an IP address or localhost
// with the listener's port (DNS rebinding), and a POST whose body is not
// application/json or that comes from another origin (cross-site requests).
//
// # Journal
//
// Every request an emulator serves is a [world.Entry] in its tenant's
// journal (sb.Journal; GET /_mock/journal): party, canonical method,
// parameters without secrets, HTTP status, the party's error code and
// description, a fingerprint of the credential, the id of the fault rule
// that fired, the world-clock time, and Decoded, the party's typed reading
// of the request ([world.Decoded]):
//
//	vk          world.VKCall        the method as sent ("wall.post") and its parameters, no token
//	ok          world.OKCall        the method as sent, whether the signature was checked and valid
//	telegram    world.TelegramCall  the method as sent ("sendMessage") and the chat_id
//	esia        world.ESIACall      the endpoint, client_id, grant_type, scopes, the client signature's verdict
//	pos         world.POSCall       the operation and its parameters, no password
//	gospubliki  world.CabinetCall   the operationId
//
// A [world.Filter] (the same query parameters over HTTP) selects by party,
// method, status, one parameter's value, a sequence number (after) and the
// world-clock time (since, inclusive, and until, exclusive; RFC 3339).
// [world.Journal.Follow] tails the journal in Go: the matching entries
// already there, then each new one as it is recorded, woken by the journal
// itself (no polling). GET /_mock/journal/stream is the same tail as
// server-sent events: one "entry" event per entry, its id the entry's Seq
// and its data the entry's JSON; a client that reconnects with
// Last-Event-ID (or ?after=) resumes after that entry. GET /_mock/journal
// with wait=30s is a long poll instead: with no matching entry yet, it
// answers as soon as one is recorded (or [] when the wait is over). The journal is a
// ring bounded per tenant (see Memory).
//
// # Fault rules
//
// A fault rule is a JSON [world.Rule]: party, method, tenant, params, kind,
// latency, code, description, retry_after, nth, first, probability, seed.
// params restricts the rule to requests whose journalled parameters hold
// each listed key with exactly that value (strings, case-sensitive; a
// parameter the party does not journal never matches):
//
//	{"party":"vk","method":"wall.post","params":{"owner_id":"-123"},"kind":"error","code":214}
//
// A rule with probability and seed fires on the same calls each time it
// is added again (after a reset too), so a failing run replays. Its kind
// is one of
//
//	""             latency only, then the request is served
//	"error"        the party's error (code, description); the request does not run
//	"error_after"  the request runs, then the party's error replaces its answer
//	"rate_limit"   the party's "too many requests" answer (retry_after); no effect
//	"drop_before"  the connection is closed; the request does not run
//	"drop_after"   the request runs, then the connection is closed unanswered
//	"truncate"     the request runs, then half of its answer is sent and the connection closed
//	"http_status"  a bare HTTP status (code, default 502) with a proxy's HTML page; the request does not run
//
// Each party answers "error", "error_after" and "rate_limit" in its own
// shape: Telegram {"ok":false,"error_code","description"} with the code as
// HTTP status (429 with parameters.retry_after); VK and OK HTTP 200 with
// their error object (VK error 6 and OK error 8 for rate limits); ESIA its
// OAuth or REST error (ESIA-0xxxxx codes; 503 temporarily_unavailable with
// Retry-After); POS and the cabinet their JSON errors with the code as
// HTTP status (429 with Retry-After). "http_status" is the same for every
// party: what a gateway in front of it answers (VK and OK never answer 5xx
// themselves, their proxies do). The journal entry of every call a rule
// affected, dropped and truncated ones included, names the rule (Fault).
//
// A rule naming an unknown party, method or kind is refused (400, with
// "field" and the "known" values).
//
// For example, a stored message whose client saw a server error:
//
//	{"party":"telegram","method":"sendMessage","kind":"error_after","code":502,"description":"Bad Gateway","nth":1}
//
// # Scenario errors
//
// A scenario refused by [New], [Sandbox.CreateTenant], POST /_mock/state or
// /_mock/seed says where and why, as a [world.FieldError] whose text starts
// with the JSON path: "pages[3].admins[0].person_oid: no person 9",
// "telegram.bots[1].id: must be int64, not a JSON string",
// "gospubliki.users[0].foo: unknown field \"foo\"" ([world.DecodeError]
// locates type errors, unknown fields and syntax errors). The text never
// quotes the value.
//
// # Real hosts
//
// [Sandbox.RoutingTransport] (and [Sandbox.RealHostClient]) lets an
// application built with the clients' default base URLs run against the
// sandbox unchanged: it sends the parties' real hosts to their emulators,
// keeping the method, path, query, headers and body, and refuses every
// other host with a [*HostRefusedError] naming it (errors.Is
// [ErrNotSandboxHost]). URLs the emulators hand out (the sandbox's own
// listeners) pass through. The table ([RealHosts]):
//
//	api.vk.com, api.vk.ru, oauth.vk.com, oauth.vk.ru       vk
//	api.ok.ru, connect.ok.ru                               ok
//	api.telegram.org                                       telegram
//	esia.gosuslugi.ru, esia-portal1.test.gosuslugi.ru      esia
//	pos.gosuslugi.ru                                       pos
//	id-gp.gosuslugi.ru                                     gospubliki
//
// Only the default port of http or https is routed; a real host of a party
// the sandbox does not run is refused, naming the party.
//
// Production credentials never work: every emulator answers a credential
// it did not issue with the party's own authentication error, as the real
// party answers a revoked one: Telegram 401 "Unauthorized"; VK error 5;
// OK error 101 (application key) or 103 (session); ESIA ESIA-007002
// invalid_client (system) or 401 ESIA-005011 (token); POS 401
// invalid_grant or invalid_token; the cabinet 401 unauthenticated. The
// journal keeps the refusal with the party's code and a fingerprint of the
// credential, never the credential.
//
// # Acting as a user
//
// An [Action] is what a person does in a tenant's world: a Telegram user
// writing to a bot, sending it a command or pressing an inline button; a
// VK or OK user commenting a post, writing to a community, joining it,
// turning «Двойная защита» on or off; an administrator editing the menu or
// the description; a person finishing an ESIA login; a citizen filing a
// POS appeal; a cabinet user of a role inviting, approving or returning a
// post with a comment. Each is a typed struct run in Go with [Tenant.Act]
// ([Sandbox.Act] for the default tenant) or over HTTP with
// POST /_mock/act/{party}/{name} and the same struct as JSON (unknown
// fields refused); both run one implementation, which calls the
// emulator's own logic, so the application sees what the real service
// would deliver (an update by long poll or webhook, a Callback API event,
// a redirect with a code):
//
//	telegram/message     {"bot_id","user_id","text"}                      [TelegramMessage]
//	telegram/command     {"bot_id","user_id","command","args"?}           [TelegramCommand]
//	telegram/button      {"bot_id","user_id","chat_id"?,"message_id","data"}  [TelegramButton] (callback_query)
//	telegram/post        {"chat_id","user_id","text"}                     [TelegramPost] (a group or channel)
//	vk/comment           {"group_id","post_id","user_id","text"}          [VKComment] (wall_reply_new)
//	vk/message           {"group_id","user_id","text"}                    [VKMessage] (message_new)
//	ok/comment           {"topic_id","user_id","name"?,"text"}            [OKComment] (discussions.getComments)
//	vk/join, ok/join     {"group_id","user_id"}                           [VKJoin], [OKJoin] (member count + 1)
//	vk/two_factor, ok/two_factor {"user_id","enabled"}                    [VKTwoFactor], [OKTwoFactor]
//	vk/menu              {"group_id","user_id","items"}                   [VKMenu] (administrators only)
//	vk/description, ok/description {"group_id","user_id","text"}          [VKDescription], [OKDescription]
//	esia/login           {"auth_url"?,"person_oid","org_oid"?,"client_id"?}  [ESIALogin]
//	pos/appeal           {"opa_id","description","applicant"?}            [POSAppeal]
//	gospubliki/invite    {"as"?,"phone","email","name","role"}            [GospublikiInvite]
//	gospubliki/approve   {"as"?,"post_id"}                                [GospublikiApprove]
//	gospubliki/return    {"as"?,"post_id","comment"}                      [GospublikiReturn]
//
// A refused action answers {"error": "..."} with 400 (invalid fields,
// [ErrBadAction]), 403 (not an administrator, [ErrActForbidden]), 404
// (an unknown bot, post, community, person, LKO or cabinet user,
// [ErrActNotFound]; a party the sandbox does not run,
// [ErrPartyNotStarted]) or the cabinet's own status. ESIALogin accepts
// only authorization URLs of the sandbox's ESIA whose client_id is a
// system of the caller's tenant. A cabinet action acts as "as":
// {"user_id"} or the first active user of {"role"} (in {"cabinet_id"});
// the role defaults to the one the action needs, and the cabinet's own
// rules decide (an editor approving is refused with the cabinet's 403).
// A cabinet action runs one route of the cabinet's API as its actor
// ([gpmock.Server.ServeAs]), so a new route becomes an action in a few
// lines. Several party routes (POST
// /_mock/vk/comment, /_mock/vk/message, PUT /_mock/vk/menu,
// /_mock/ok/description, POST /_mock/pos/appeals) run the same actions.
//
// # Outbox
//
// The outbox of a tenant's world ([world.Outbox]) records what
// applications sent to people: a bot's messages in a private chat with a
// user (channel "telegram", To the user's chat id, Meta message_id,
// bot_id, kind and reply_markup), a community's messages.send to a user
// (channel "vk", To the user id; VK allows it once the user wrote to the
// community, else error 901), the answer to a POS appeal when it reaches
// ANSWERED on the world clock (channel "pos", To the appeal id, Meta
// email of the applicant), and the e-mails the cabinet sends. Query it with
// [Tenant.Outbox] ([Sandbox.Outbox]) and a [world.OutboxFilter], wait for
// a message with [Tenant.AwaitOutbox], or GET /_mock/outbox: party and
// channel match case-insensitively, to exactly, after_seq takes the
// sequence numbers, since and until RFC 3339 times (since ≤ time <
// until), limit keeps the newest, and wait (up to [MaxOutboxWait])
// holds the request until a message matches. The answer is
// {"messages": [...], "last_seq": N}; pass last_seq as after_seq to follow
// the outbox. Each tenant has its own outbox, emptied by a reset.
//
// # ESIA
//
// The ESIA emulator serves ESIA's own URL space at sb.ESIAURL: use it as
// esia.Config.BaseURL. sb.Credentials.ESIA holds what a client needs:
//
//   - ClientID, KeyPEM and CertificatePEM: the default registered system
//     and its SANDBOX-ONLY GOST key and certificate (esia.NewGOSTSigner);
//     KeyFile and CertificateFile are the same on disk, for signers that
//     read files (esia.NewOpenSSLSigner); sb.ESIA.Dir is their directory.
//   - ESIACertificatePEM (and ESIACertificateFile): the certificates that
//     verify the emulator's tokens, for esia.Config.Certificates; also
//     served at /public/esia.zip, as ESIA publishes them.
//   - RedirectURIs: the accepted callbacks, [ESIARedirectURIs]: any port
//     and path on 127.0.0.1, localhost and [::1], over http. Register
//     other systems or callbacks with sb.ESIA.RegisterSystem or POST
//     /_mock/esia/systems.
//   - Login, Password, PersonOID, OrgOID: a person (the default
//     scenario's chief) who can log in on the emulator's login page, and
//     their organisation.
//
// Give the esia client the world clock (core.WithClock(core.NowFunc(sb.Clock.Now))):
// timestamps are checked against it, so a test that advances the clock
// keeps signing valid requests.
//
// A headless login skips the pages: sb.ESIA.EnqueueLogin (or POST
// /_mock/esia/login) makes the next authorization request log that person
// in and redirect straight to the callback with a code. The callback is
// the application's own URL, which the fail-closed [Sandbox.HTTPClient]
// refuses: either read the redirect instead of following it (set
// CheckRedirect to return http.ErrUseLastResponse, then pass the Location's
// query to esia.ParseCallbackQuery; see Example_esiaLogin) or allow the
// application's listener with sb.HTTPClient(appHost) and let the redirect
// reach it. examples/esia-login walks the real HTML forms the same way.
//
// # Time and scheduled work
//
// sb.Clock is the world clock (a [world.Clock]; it implements core.Clock).
// Emulators schedule on it: webhook redelivery waits its backoff on it,
// tokens expire on it, flood-control windows follow it. On a frozen clock
// ([WithFrozenClock]) nothing scheduled happens until the clock is moved,
// and Advance returns only after the work that came due has finished, so
// a test asserts right after it without sleeping.
//
// # Memory
//
// Each world keeps at most [world.DefaultJournalLimit] journal entries and
// [world.DefaultMessageLimit] stored messages across chats, as rings (the
// oldest go first); world.WithJournalLimit and world.WithMessageLimit
// change them. Every world of a sandbox shares one budget,
// [DefaultJournalBudget] entries and [DefaultMessageBudget] messages in
// all; world.WithBudget replaces it (pass these with [WithWorldOptions]).
// BENCHMARKS.md has the measured bound.
//
// # Start-up
//
// Starting a sandbox, or creating a tenant, builds only what differs per
// world. What is the same for every world is made once per process and
// shared read-only by every sandbox and tenant: the default scenario (per
// set of started parties, validated once; each world imports its own copy
// and validates only the sections made its own), the ESIA emulator's keys,
// the default ESIA system's key (the cabinet's ESIA client), the networks'
// own ESIA systems' keys and certificates (govmark.SystemCredentials,
// parsed once) and the certificates registered with the ESIA emulator
// (parsed once each). These keys are SANDBOX-ONLY
// fixtures, derived or embedded deterministically, and nothing changes
// them after they are made. A network's ESIA client for the
// «Госорганизация» verification is built at its first login, once, also
// when several first logins arrive together. BENCHMARKS.md has the
// start-up figures (cold, in a fresh process, and warm).
//
// # OK
//
// The OK emulator ([okmock]) serves OK's API at sb.OKURL (/fb.do?method=…
// and /api/<group>/<method>) and its token endpoint at /oauth/token.do.
// sb.Credentials.OK holds the application (id, key, secret), the group
// administrator's access token with its session secret and refresh token,
// and the ministry's group, which the default scenario adds and which meets
// every condition of the «Госорганизация» mark. sb.OK.RequestGovMark (or
// POST /_mock/ok/gov) runs OK's «Подтвердить через Госуслуги» flow through
// the ESIA emulator with OK's own registered system ([OKESIAClientID]);
// the decision follows 24 hours later on the world clock.
//
// # POS
//
// The POS emulator ([posmock]) serves the feedback platform at sb.POSURL:
// the appeal form /form/?opaId=… naming the LKO's organisation (or the
// "not connected" and "not found" pages), the polls page
// /og/org-activities?reg_code=…|mun_code=…, the widget script
// /bin/script.min.js and the appeals API for external systems (shapes
// inferred). The default scenario gives the ministry an LKO connected for
// appeals and polls and the subordinate organisation one connected for
// neither, so its pages carry the ministry's form. sb.POS reads and sets
// LKOs and their widget sites and lists appeals with their history on the
// world clock; the control routes are /_mock/pos/lkos,
// /_mock/pos/lkos/{opa_id}/widget-sites, /_mock/pos/appeals and
// /_mock/pos/export.csv (the LKO export table). sb.Credentials.POS holds
// the appeals-API system's login. The form pages carry no credential: their
// opaId names the tenant (each tenant's LKOs have opaIds of their own,
// shifted by a multiple of a million outside the default tenant), while
// the polls page and the widget script, which belong to no LKO, are served
// from the tenant an X-Mock-Tenant header names (the default tenant
// without one; [Sandbox.HTTPClient] sends it for calls carrying a tenant).
//
// # VK
//
// The VK emulator ([vkmock]) serves VK's API at sb.VKURL (/method/<name>)
// and the URLs it hands out (uploads, the Bots Long Poll server, captcha
// pages, the community management page). sb.Credentials.VK holds a user
// token of the ministry community's owner, the community's token, a
// service token and the community (world.DefaultVKGroupID), which the
// default scenario adds with every condition of the «Госорганизация» mark
// met except its category. sb.VK.ConfirmThroughGosuslugi (or POST
// /_mock/vk/gov) runs VK's «Подтвердить через Госуслуги» flow through the
// ESIA emulator with VK's own registered system ([VKESIAClientID]); the
// decision follows on the world clock.
//
// # The default region
//
// The default scenario holds, around the ministry ([world.DefaultMinistryOID],
// the ROIV) and its subordinate, the region of [world.DefaultRegion]: the
// organisations below (ids for [world.DefaultRegionSeed]; constants
// world.DefaultCityOID and so on), their staff with ESIA roles and access
// groups, an LKO in POS per body ([posmock.RegionLKOs]: the schools' pages
// carry their municipality's appeal form), a cabinet in Gospubliki with its
// users ([gpmock.RegionState]: editorial for the municipalities,
// institution for the hospitals and the city's school, the LKO
// administration cabinet of the centre; seeded passwords), and their pages.
// The published cabinet logins stay the ministry's.
//
//	organisation                                   agency  parent   LKO     cabinet
//	1100101 Администрация ГО «Город Архангельск»   12.LCL  -        910101  10110 editorial
//	1100102 Администрация Холмогорского района     12.LCL  -        910102  10120 editorial
//	1100103 ГБУЗ АО «АОКБ»                         20.GOV  ministry 910103  10130 institution
//	1100104 ГБУЗ АО «Холмогорская ЦРБ»             20.GOV  ministry 910104  10140 institution
//	1100105 МБОУ СШ № 1                            21.MCL  1100101  910105* 10150 institution
//	1100106 МБОУ «Холмогорская СШ»                 21.MCL  1100102  -       -
//	1100107 ГАУ АО «ЦУР»                           20.GOV  ministry -       10190 LKO administration
//	(* not connected: its pages carry the city's form)
//
//	page                                            owner    defect
//	telegram -1001100000101 arhcity                 1100101  -
//	telegram -1001100000102 holmogory_rayon         1100102  -
//	telegram -1001100000103 aokb29                  1100103  -
//	vk 210000104 arhcity (mark confirmed)           1100101  -
//	vk 210000105 holmogory_rayon                    1100102  no_two_factor (owner's VK account)
//	vk 210000106 aokb29                             1100103  gov_mark_lost
//	vk 210000107 holmogory_crb (mark confirmed)     1100104  wrong_pos_link (the ministry's LKO 900001)
//	vk 210000108 school1_arh (a group)              1100105  no_city
//	vk 210000109 holmogory_school (under review)    1100106  -
//	ok 70000100000110 arhcity (mark confirmed)      1100101  -
//	ok 70000100000111 holmogory_rayon               1100102  no_city
//	ok 70000100000112 aokb29 (mark confirmed)       1100103  -
//	ok 70000100000113 school1_arh                   1100105  no_two_factor (owner's OK account)
//
// [world.Region.PageDefects] lists the defects, [world.NewRegion] makes the
// region of another seed (other ids, usernames with a suffix) whose
// sections come from the same helpers.
//
// # Tenancy
//
// A sandbox holds tenants, each a whole world: entities, clock, journal,
// fault rules and every emulator's runtime state ([Tenant]). The default
// tenant is what [Start] returns in sb.World, sb.Telegram, ...; a suite
// sharing a sandbox (or a gosmock) with others creates its own, over HTTP
// (POST /_mock/tenants) or in Go ([Sandbox.CreateTenant], [Sandbox.Tenant]),
// seeded with its scenario or with the sandbox's, whose credentials are then
// made the tenant's own (bot tokens, OK keys and tokens and VK tokens derived
// from its name, the ESIA systems "GOSSDK_SANDBOX-<name>", "OKRU-<name>" and
// "VK_GOSORG-<name>").
//
// Every credential an emulator issues (bot tokens, ESIA client_ids, access
// tokens, login ids) maps to its tenant, so a request is served by the
// tenant its credentials belong to, whichever party it calls; credentials of
// no tenant go to the default tenant. X-Mock-Tenant may only repeat the
// credentials' tenant: naming another one gets the party's own
// "unauthorized" error, journalled in the tenant the credentials belong to
// (the default tenant for credentials of no tenant). The one exception is a
// request that carries no credential by design, the start of a cabinet
// login through ESIA: X-Mock-Tenant routes it to any existing tenant (the
// login itself is then granted by that tenant's ESIA). A call one emulator makes to another carries its
// tenant ([emu.WithTenant] with [Sandbox.HTTPClient]).
//
// # Inspector
//
// The control listener serves a web UI for people at ControlURL + [UIPath]
// ("/_mock/ui/"), server-rendered from embedded templates and assets (a
// stylesheet and a small script; nothing is loaded from the network):
//
//   - Timeline: the tenant's journal, newest first and coloured by party,
//     each entry named by its step of a cross-party flow (ESIA login, VK
//     verification, cabinet post, Telegram post, webhook to the app) with
//     its status, the party's error and the fault rule that fired. The
//     page long-polls GET /_mock/ui/timeline?after=<seq>&wait=<seconds>,
//     which answers the newer entries as table rows as soon as one is
//     recorded, with X-Last-Seq and X-Clock headers.
//     An entry's number opens it in full: every parameter (credentials
//     only as fingerprints), the party's decoded view, the fault rule.
//   - State: organisations; pages with their «Госорганизация» mark, what a
//     VK page lacks for it, and its POS compliance (the first two menu items
//     «Решаем вместе» opening the owner's appeal form and a polls form, and
//     the LKO listing the page as a widget site), checked from the
//     sandbox's state without requests; the cabinet's section (cabinets,
//     users, posts and their reports) as tables whose columns are whatever
//     the section exports; the outbox (what applications sent to people,
//     newest first); the other sections as JSON.
//   - Controls: clear the journal or reset the tenant to its seeded
//     scenario; advance, set, freeze and unfreeze the clock; add a fault
//     rule from a form and delete rules; act as a user: a form for every
//     [Action] (write to the bot, press a button, comment on a VK post,
//     join a community, turn 2FA off, edit a menu, file a POS appeal,
//     finish an ESIA login, invite a cabinet user, approve or return a
//     post), with fields pre-filled from the world (the newest VK post,
//     the submitted cabinet post, the community's current menu). Every
//     control runs the control API's own endpoint in process, so it
//     validates and behaves exactly as over HTTP.
//
// Without login the inspector shows the default tenant, as the control API
// does without a token. /_mock/ui/?tenant=<name> asks for that tenant's
// control token; it is kept in an HttpOnly, SameSite=Strict cookie limited
// to /_mock/ui/ and never written to a page. The inspector keeps the
// control API's protections: the Host must be the listener's own address,
// a POST from another origin (Origin, Sec-Fetch-Site) is refused, and every
// form carries a CSRF token bound to the session (an HMAC under a key
// random per sandbox), which changes on login and logout. Pages forbid
// framing and carry a Content-Security-Policy allowing only their own
// origin.
//
// # Safety
//
// Listeners bind 127.0.0.1 by default. Emulators never fetch URLs given to
// them and deliver webhooks only to loopback hosts. The world refuses
// production-looking Telegram tokens (sandbox tokens start with "MOCK" after
// the colon), OK credentials (sandbox ones start with "MOCK") and VK tokens
// (sandbox ones start with "vkmock."), and the journal stores credential fingerprints, never
// credentials.
//
// # Adding a party
//
// A party registers itself from its own file with registerParty (see
// telegram.go): a name, an order and a start function returning its
// handler, credentials, optional control handler, tenant reset and close.
package mock
