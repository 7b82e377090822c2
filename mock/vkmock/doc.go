// Package vkmock is an emulator of the VK API (version 5.199) for tests: the
// same URL space and envelopes as api.vk.ru, over a [world.World] whose VK
// section ([Section], scenario key "vk") holds the tokens and the VK-only
// settings of the world's VK pages.
//
// # Wire protocol
//
// Methods are served at /method/<name> by GET or POST (urlencoded,
// multipart, or a form body sent without Content-Type). The token is read
// from "Authorization: Bearer <token>" or from access_token in the query or
// body. Every answer is HTTP 200 with Content-Type application/json:
//
//	{"response": …}
//	{"error": {"error_code": 100, "error_msg": "One of the parameters specified was missing or invalid: group_id is undefined",
//	           "request_params": [{"key": "method", "value": "groups.getSettings"}, {"key": "oauth", "value": "1"}, …]}}
//
// request_params never carry the token. Errors follow VK: 3 for an unknown
// method, 5 for a missing or unknown token, 27 for a community token and
// 28 for a service token on a method that takes a user token, 15 for a
// user token without the method's scope or a user without the right role,
// 100 for a missing or invalid parameter (VK's wording), 8 without v.
// A user token on a method only a community token may call answers 5
// "User authorization failed: method is unavailable with user token.":
// VK documents no code for it and no public report shows one, so the
// emulator takes the stricter of the candidates (5, not 15), as the vk
// client's token-kind table does.
//
// # Tokens
//
// Tokens are seeded from the world ([Token]: user tokens carry the VK user
// id of a person's account, community tokens their community, service
// tokens their application). Every token starts with [SandboxTokenPrefix];
// production-looking tokens ("vk1.a.…", 85 hexadecimal characters) are
// refused at seeding. [NewToken] derives tokens.
//
// # Limits
//
// Per token and on the world clock (golang.org/x/time/rate): 3 requests per
// second for user and service tokens, 20 for community tokens (error 6);
// optional per-method daily quotas (error 29); at most [Limits.DailyPosts]
// wall.post per community per day (default 50, the cap VK announced in
// 2014; error 214). wall.post remembers a guid for [GuidWindow] (one hour
// on the world clock): a repeat returns the first post's id.
//
// Fault rules (party "vk") apply to methods by name. A rule with Code 14
// answers a captcha: captcha_sid, captcha_img and redirect_uri on the
// emulator. The call is retried with captcha_sid and captcha_key (the key is
// shown on the image, [Server.CaptchaKey]) or, after the redirect page is
// solved ([Server.SolveCaptcha]), with success_token. Rules also apply to
// the calls made inside execute, whose slots then read false with an entry
// in execute_errors.
//
// # execute
//
// [Parse] compiles the VKScript subset clients send: "return <expr>;",
// where an expression is a string, number, true, false or null literal, an
// array, an object, Args.<name> or API.<section>.<method>(<object>). At
// most [MaxExecuteCalls] calls (error 13 beyond); anything else is error
// 12. Inner calls use the outer token (its kind is checked per call).
//
// # Uploads
//
// photos.getWallUploadServer and video.save hand out upload URLs on the
// emulator. A multipart POST of field "photo" answers {server, photo,
// hash} ("photo":"[]" for a file that is not an image), which
// photos.saveWallPhoto accepts once; field "video_file" completes a
// video.
//
// # Events
//
// Callback API servers (groups.addCallbackServer, at most 10 per
// community) receive a confirmation request first and must answer the
// community's confirmation code; events then go out one at a time through
// the sandbox's delivery engine, with the server's secret, and are
// redelivered with X-Retry-Counter (backoff on the world clock) until the
// server answers "ok". The Bots Long Poll server (groups.getLongPollServer)
// answers a_check with key and ts; wait runs on the world clock (bounded
// in real time by [WithMaxLongPoll]); a ts out of the kept history answers
// failed 1, an expired key ([WithLongPollKeyLifetime]) failed 2, a key
// from before a world reset failed 3. Events are raised by wall.post and by
// the user simulation ([Server.PostComment], [Server.WriteToCommunity],
// [Server.JoinCommunity] raising group_join).
//
// messages.send (a community token; peer_id or user_id, random_id,
// message) writes to a user who wrote to the community first (else error
// 901), raises message_reply and records the message in the world's
// outbox ([world.Outbox], channel "vk", To the user id).
//
// # «Госорганизация»
//
// The community management page (/gov/<group>, [Server.GovPageURL]) shows
// the mark, what the page lacks and «Подтвердить через Госуслуги». The
// button sends the administrator to ESIA, where VK is a client with its
// own registered system ([Gov.Verifier], the mock/govmark verifier the
// VK and OK emulators share); the person picks the organisation there. Back
// on VK, the verifier checks with esia.Client.Authority that the person is
// the organisation's chief or an administrator (active), VK checks that
// the person manages the community, and the page goes under review
// («Заявка рассматривается»). On the world clock, after [Gov.Decision]
// (24 hours by default), VK checks the page ([Server.GovRequirements]:
// open, photo, description, city, the category «Государственная
// организация», two-factor authentication for every manager) and confirms
// or rejects it with reasons. Renaming the community or changing its owner
// turns a confirmed mark into a lost one (the world's state machine).
// [Server.ConfirmThroughGosuslugi] drives the same pages headless.
package vkmock
