// Package telegram is a Telegram Bot API client for official government
// channels, built on the module's HTTP core (retries, pacing, redaction).
//
// # Wire protocol
//
// Every method is a POST to <base>/bot<token>/<method> (or
// <base>/bot<token>/test/<method> with WithTestEnvironment). Parameters are
// sent as a JSON body, and as multipart/form-data only when a file is
// uploaded from content: a top-level file goes in a part named after its
// parameter ("photo", "document", ...); an upload inside a media group is
// sent as part "file<i>" and referenced as "attach://file<i>". Answers are
// the envelope {"ok":true,"result":...} or
// {"ok":false,"error_code":...,"description":...,"parameters":{...}}, which
// becomes an *Error. core.WithBaseURL points the client at a local Bot API server
// or an emulator (plain http allowed). New makes no network call.
//
// # Errors
//
// API errors are *Error values; branch on them with errors.Is and the
// sentinels (ErrTooManyRequests, ErrUnauthorized, ErrForbidden, ErrNotFound,
// ErrConflict, ErrBadRequest, ErrChatNotFound, ErrMessageNotModified,
// ErrMigrated). A 429 answer whose retry_after exceeds the cap, or that
// persists past the rate-limit budget (core.WithRateLimitRetry: each wait
// at most 30 s, 60 s in total per call by default), also matches social.ErrRateLimited and is a *social.RateLimitError. A
// message-sending call that failed after it may have reached Telegram (a
// dropped connection, a timeout, a 5xx answer) matches
// social.ErrUnknownOutcome and is never retried. Requests that break a
// documented limit fail with a *ValidationError (ErrInvalidRequest) before
// anything is sent. No error or log record contains the bot token, and a
// Client prints as its bot id (String, GoString, Format, LogValue).
//
// # Options
//
// New takes the options of package core, shared by every gosdk client
// (core.WithHTTPClient, core.WithBaseURL, core.WithLogger,
// core.WithLimiter, core.WithRetry, core.WithRateLimitRetry,
// core.WithUserAgent, core.WithClock, core.WithDefaultTimeout, the hooks,
// core.WithSecrets), and telegram's own (WithTestEnvironment,
// WithRateLimits, WithoutRateLimits, WithMaxDownloadBytes,
// WithMaxUploadBytes). Every method also takes trailing core.CallOption
// values that adjust that call alone, for example
// c.SendMessage(ctx, req, core.CallWithoutRetries()).
//
// # Retries
//
// Reads (get*, getUpdates, getFile, getWebhookInfo), setWebhook,
// deleteWebhook, deleteMessage, deleteMessages, pin/unpin and edits are
// safe to repeat and are retried on network errors and 5xx answers. Calls
// that create messages (send*, forwardMessage, copyMessage) are not: they
// are retried only after a 429 answer (Telegram did not execute them) or
// when the request provably never left the client. Every call waits out a
// 429 whose retry_after is under the cap.
//
// # Rate limits
//
// Only calls that create messages (send*, forwardMessage, copyMessage) are
// paced client-side, under the key of the chat they post to; edits,
// deletions, pins and reads are not (their 429 answers are still handled).
// The default Limiter allows 30 messages/s in total (burst 20), 1 message/s
// per chat (burst 2) and, for groups and supergroups, also 20 messages/min
// (burst 3); the bursts leave headroom below Telegram's so that network
// jitter does not turn a paced message into a 429 (see DefaultLimits).
// Each message spends one token; an album spends one per item, as Telegram
// counts every album item as a message. A message spends the bot's key
// "telegram:bot:<fingerprint>" and its chat's key
// "telegram:chat:<fingerprint>:<id>", or "telegram:group:<fingerprint>:<id>"
// when the chat is a group (core.LimitKey; the fingerprint is
// core.Fingerprint of the token, never the token). One limiter
// (NewLimiter, core.WithLimiter) can serve several clients and bots.
// Telegram's ids do not tell a supergroup from a channel (both start with
// -100), so the client treats a chat as a group when (a) its id is a basic
// group id (negative, above -10^12), (b) an earlier answer (a sent message,
// getChat) showed its type, or (c) the caller said so with
// Client.SetChatType. Until then a supergroup is paced as a plain chat, and
// a 429 answer covers the difference. A chat addressed both by id and by
// @username is paced under two keys.
//
// # Text limits
//
// Text (1–4096) and captions (0–1024, including copyMessage's new
// caption) are counted in UTF-16 code units, the
// unit Telegram uses for entity offsets and the one the gosdk sandbox
// counts; see UTF16Len. With a ParseMode Telegram counts the text after
// removing markup, so the client then checks only that the text is not
// empty and leaves the upper bound to the server.
//
// # Updates
//
// WebhookHandler serves webhook deliveries (secret token checked in
// constant time); Client.LongPoll runs a long-poll loop that confirms an update
// only after its handler succeeded.
//
// # Publishing
//
// Client.Publisher returns a social.Publisher for one channel and
// Client.CheckChannel reports the channel's requirements as a
// social.Requirements checklist.
package telegram
