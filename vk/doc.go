// Package vk is a client of the VK API (api.vk.ru) for official community
// pages: community reads and settings, the wall, media uploads, polls,
// statistics, Callback API and Bots Long Poll events, a social.Publisher,
// and the «Госорганизация» (government organisation) requirement report.
//
// # Wire protocol
//
// Every method is a POST of an application/x-www-form-urlencoded body to
// <base>/method/<name> with v=5.199 (WithVersion). The token goes in an
// Authorization: Bearer header, or as the access_token parameter with
// WithAccessTokenParam. VK answers HTTP 200 with {"response": …} or
// {"error": {error_code, error_msg, request_params, …}}; errors are
// returned as *Error, which matches the sentinels of its code
// (errors.Is(err, vk.ErrCaptcha)) and implements core.CodedError. The
// token is registered as a secret: it never appears in errors, logs,
// hooks or the client's String.
//
// # Token kinds
//
// A client is made for one token of one kind (UserToken, CommunityToken,
// ServiceToken). A method called with a kind VK refuses fails before the
// network with a *TokenKindError (errors.Is ErrWrongTokenKind) that names
// the error VK would have answered. The methods of this package:
//
//	method                                   user  community  service
//	groups.getById, groups.getMembers,        yes   yes        yes
//	  utils.resolveScreenName
//	groups.edit, groups.getLongPollServer,    yes   yes        no
//	  groups.setLongPollSettings,
//	  groups.addCallbackServer,
//	  groups.getCallbackServers,
//	  groups.setCallbackSettings,
//	  groups.getCallbackConfirmationCode,
//	  execute
//	groups.getSettings, groups.addLink,       yes   no         no
//	  groups.editLink, groups.deleteLink,
//	  groups.reorderLink
//	wall.post, wall.edit, wall.delete         yes   no         no
//	wall.get, wall.getById                    yes   no         yes
//	photos.getWallUploadServer,               yes   no         no
//	  photos.saveWallPhoto, video.save,
//	  polls.create, stats.get,
//	  stats.getPostReach
//
// What VK answers otherwise (TokenKindError.Code):
//
//   - a community token on a method it cannot call: error 27 "Group
//     authorization failed: method is unavailable with group auth."
//     (photos.getWallUploadServer, wall.post);
//   - a service token on a method it cannot call: error 28 "Application
//     authorization failed: method is unavailable with service token.",
//     as VK answers wall.get inside execute or any user method called with
//     an application's service key (reported in the issue trackers of
//     negezor/vk-io, #18 and #19, and VKCOM/node-vk-call, #8);
//   - a user token on a method only a community token may call: error 5
//     "User authorization failed: method is unavailable with user token.".
//     VK documents no code for this case and no public report shows one;
//     of the two candidates (5 and 15) the package and the sandbox's
//     emulator take the stricter, an authorization failure, which every
//     caller treats as final (15 reads as a permission the token could be
//     given).
//
// Error 15 "Access denied" is VK's answer when a token of the right kind
// lacks the permission (scope) or the user is not a manager of the
// community; error 5 also answers a bad or expired token. A community
// token therefore cannot post: the Publisher takes a community
// administrator's user token; community tokens serve reads, events and
// callback management.
//
// # Limits, retries and de-duplication
//
// Every call spends one request of its token's budget on the client's
// core.Limiter: 3 requests/s for user and service tokens, 20/s for
// community tokens (WithRateLimits), under the key
// "vk:<kind>:<fingerprint>" (core.LimitKey with core.Fingerprint of the
// token), so every client of one token sharing a limiter shares one
// budget; clients on the system clock with the default limits share a
// process-wide limiter without configuration.
//
// Error 6 (too many requests per second: VK did not execute the call) is
// waited out with backoff from the rate-limit budget
// (core.WithRateLimitRetry); error 10 (internal server error) and HTTP 5xx
// are retried like network errors for calls safe to repeat
// (core.WithRetry). Errors 9 (flood control), 29 (per-method quota) and
// 601 (daily limit) are returned at once as *Error (they also match
// core.ErrRateLimited: not executed). Captcha (14) goes to the
// CaptchaHandler of WithCaptchaHandler, which answers either a captcha_key
// (classic captcha_sid/captcha_img) or a success_token (the redirect_uri
// flow); without one it is returned as *Error.
//
// wall.post always carries a guid derived from the post's key and the
// wall (PostGUID: social.IdempotencyToken of the key and the community),
// never a random one. VK returns the first post for a repeated guid
// within one hour (GUIDWindow), so a transport retry, or a repeat by the
// caller of the same post within the hour, cannot post twice; after the
// hour the same guid posts again.
//
// # Batching
//
// WithBatching coalesces concurrent calls of allowed methods into one
// execute of at most 25 calls (`return [API.a.b({...}), ...];`); each
// caller receives its slot, and a false slot with its execute_errors entry
// becomes that caller's *Error. Upload save methods, execute and
// wall.post are never batched. Reads that take id lists use them first
// (GetGroups sends up to 500 ids per groups.getById); execute batches what
// cannot be listed, such as groups.getMembers filter=managers per
// community (CheckCommunities).
//
// # Events
//
// CallbackHandler serves the Callback API (confirmation, secret, "ok",
// de-duplication by event_id across X-Retry-Counter redeliveries).
// Client.LongPoll runs the Bots Long Poll loop. Both deliver *Event with
// typed Post, Comment or Message for the common types and the raw Object
// for every type.
//
// # «Госорганизация»
//
// CheckCommunity reports the requirements of the government organisation
// mark, under the codes shared with the other networks (social.ReqOpen,
// social.ReqPhoto, ...) plus ReqManagers: the community is open, has a main photo, a description and a
// city, its public category is «Государственная организация» (found by
// name in public_category_list at runtime: VK does not document its id),
// every manager's role, and the mark itself (the undocumented field
// is_government_organization; a missing field is unknown, not false). The
// blue check (verified) is reported apart. The managers' two-factor
// authentication cannot be checked through the API and is reported so.
// The Client is a social.MarkReader (ReadMarks: one groups.getById per
// 500 communities), and WatchMarks returns the shared social.MarkWatcher
// on the client's clock: it reports when a community loses or gains its
// mark, is renamed or is gone.
package vk
