// Package ok is a client of the OK (Одноклассники) REST API for official
// group pages: group information and roles, group topics with photos,
// videos, links and polls, uploads, statistics, the «Госорганизация»
// (government organisation) checklist of a group, and a watcher that
// notices when a group loses the mark.
//
// # Wire protocol
//
// Every call is a POST of an application/x-www-form-urlencoded body to
// https://api.ok.ru/fb.do?method=<group>.<method> (or, with
// WithRESTPaths, to /api/<group>/<method>) carrying application_key,
// format=json, the request's own parameters, the signature sig and the
// access_token (or a legacy session_key). The parameters come from typed
// request structs with `url` tags (github.com/google/go-querystring); the
// signature is computed over them before the body is encoded (see
// Signature): parameters sorted by name, joined as name=value without
// separators, values raw in UTF-8, access_token and sig left out, and the
// MD5 of that text followed by the secret. The secret is the session
// secret key when there is one, else SecretFromToken(access token,
// application secret key). The method name, sent in the query string of
// the fb.do form, is signed like any other parameter.
//
// OK answers errors with HTTP 200 and a body {"error_code", "error_msg",
// "error_data"}; the client detects them by error_code in the body and
// returns an *Error (matching the sentinels ErrSessionExpired,
// ErrPermissionDenied, ... with errors.Is, and implementing
// core.CodedError). The invocation-error header is only a hint: a body
// without error_code is a success whatever the header says.
//
// # Retries, tokens and limits
//
// Reads are retried on network errors, 5xx answers and code 2 (SERVICE)
// with backoff on the client's clock (core.WithRetry). A topic
// (mediatopic.post) is not idempotent on OK: it is never repeated once it
// may have reached OK (core.ErrUnknownOutcome), only after answers that
// prove it was not executed. Code 102 (session expired) renews the token
// through the token source given with WithTokenSource (an
// oauth2.TokenSource over Endpoint, see NewTokenSource) and repeats the
// call once, signed anew. Flood codes 8 and 11 return a
// *core.RateLimitError around the *Error and are not retried: OK gives no
// wait hint.
//
// OK publishes no per-second limit. The client paces every token to
// DefaultRate (5 calls a second, burst 5) on the limiter key
// "ok:token:<fingerprint>"; change it with WithRateLimit or share it with
// core.WithLimiter and NewLimiter. users.getCallsLeft (GetCallsLeft) is a
// warning (WithCallsLeftWarning), never pacing.
//
// Access tokens, session keys, secrets and signatures never appear in
// logs, hooks or error strings, even when OK echoes them.
//
// # Group pages
//
// Client.Publisher returns a social.Publisher for a group (topics on
// behalf of the group, scheduled on OK when PublishAt is in the future),
// with post and page statistics. Client.CheckGroup reports the conditions
// of the «Госорганизация» mark under the codes shared with the other
// networks (social.ReqOpen, ...: open group, main photo, city, a topic
// from «Госорганизации», description; the administrators' two-factor
// authentication cannot be checked through the API). The Client is a
// social.MarkReader (ReadMarks: one group.getInfo per 100 groups), and
// Client.WatchMarks returns the shared social.MarkWatcher on the client's
// clock: it reports a lost or granted mark, renamed groups and groups
// gone.
//
// The comments of group topics are read with Client.GetDiscussions
// (discussions.getList) and Client.GetDiscussionComments
// (discussions.getComments, anchored) and answered with
// Client.AddDiscussionComment; see discussions.go for which parts of
// these methods are unconfirmed (discussions.addComment among them).
//
// Response shapes that OK documents inconsistently (group.getInfo as an
// array or {"groups":[...]}, group.getUserGroupsByIds as
// {"memberships":[...]} or a bare array, ids as strings or numbers,
// flags as booleans or strings) are read in every form.
package ok
