// Package tgmock emulates the Telegram Bot API over a [world.World].
//
// [New] returns a [Server], an [http.Handler] serving the real URL space:
//
//	/bot<token>/<method>            production environment
//	/bot<token>/test/<method>       test environment (separate bots, chats, files)
//	/file/bot<token>/<file_path>    file download (and /file/bot<token>/test/...)
//
// Method names are case-insensitive; parameters come from the query string,
// an urlencoded form, a JSON body or multipart/form-data (an empty or missing
// body means no parameters; a file part wins over an empty query value of the
// same name; "attach://name" references work for top-level fields and inside
// media arrays). A path without a method takes it from the "method"
// parameter, as webhook answers do.
//
// Every answer is the Bot API envelope, {"ok":true,"result":...} or
// {"ok":false,"error_code":N,"description":"...","parameters":{...}}, with the
// HTTP status equal to error_code and Content-Type application/json; a 429
// carries both parameters.retry_after and a Retry-After header, as the
// reference server (tdlib/telegram-bot-api) does.
//
// # What is emulated
//
// Channels and groups are the world's pages of network "telegram" (their
// creator and administrators are the people holding those roles); people
// with a Telegram account (world.Person.Accounts) are users. What only
// Telegram knows lives in the world's Telegram section ([Section], the
// scenario key "telegram"): the bots ([Bot]), administrators' rights under
// Telegram's own field names ([AdminRights]), bots' memberships and basic
// groups' upgrades ([ChatSettings]). [New] registers the section on its
// world when the world has none. Methods:
// getMe, getChat, getChatAdministrators, getChatMember, getChatMemberCount
// (and getChatMembersCount), sendChatAction, sendMessage, sendPhoto,
// sendVideo, sendDocument, sendAudio, sendMediaGroup, sendPoll,
// forwardMessage, copyMessage,
// editMessageText, editMessageCaption, editMessageReplyMarkup,
// deleteMessage, deleteMessages, pinChatMessage, unpinChatMessage,
// unpinAllChatMessages, setWebhook, deleteWebhook, getWebhookInfo,
// getUpdates, getFile, setMyCommands, getMyCommands, deleteMyCommands
// (default scope only), answerCallbackQuery, logOut and close (trivially
// true). Other names answer 404 "Not Found: method not found". Inline
// messages (inline_message_id) are not emulated; webhooks are delivered over
// one connection whatever max_connections says.
//
// A bot's messages in a private chat with a user (sendMessage, the media
// methods, sendPoll, copy and forward) are recorded in the world's outbox
// ([world.Outbox], channel "telegram", To the user's chat id). A user's
// press of an inline keyboard button ([Server.PressButton]) reaches the
// bot as a "callback_query" update.
//
// Rules enforced with Telegram's own descriptions: text 1–4096 and captions
// 0–1024 characters after entity parsing, counted in UTF-16 code units (the
// unit of entity offsets; the stricter reading for emoji); HTML, MarkdownV2
// and Markdown parse modes with "can't parse entities" errors; media groups
// of 1–10 items (none: "Bad Request: there are no messages to send", more
// than ten: "Bad Request: too many messages to send as an album", TDLib's
// current wording, older servers wrote "too much"; a single item is sent
// as one message without media_group_id, as TDLib sends an album of one);
// polls with 2–12 options; rights of the bot in the chat
// (posting in a channel needs can_post_messages, editing others' posts
// can_edit_messages, pinning can_edit_messages in channels and
// can_pin_messages in groups, the 48-hour deletion window on the world
// clock); upgraded groups answer with parameters.migrate_to_chat_id.
//
// Updates: a bot never receives its own messages. A bot's channel posts
// reach the other bots of the channel as channel_post; messages of bots in
// groups reach no other bot. Simulated users ([Server.PostAsUser],
// [Server.WriteToBot]) produce message and channel_post updates. getUpdates
// implements offset confirmation, negative offsets, limit 1–100, long-poll
// timeout (woken early by a new update, ended by the request's context) and
// the 409 conflicts with an active webhook, a newer getUpdates ("Conflict:
// terminated by other getUpdates request; ...") or a setWebhook made while
// it waits ("Conflict: terminated by setWebhook request"). Webhooks are
// delivered by the sandbox's delivery engine (mock/delivery), one update at
// a time per bot and in order, as JSON POSTs with
// X-Telegram-Bot-Api-Secret-Token, redelivered with exponential backoff on
// the world clock after failures (on a frozen clock, [world.Clock.Advance]
// runs the redelivery and returns after it), which getWebhookInfo reports
// in last_error_date and last_error_message; every attempt is journaled
// (method "webhook", parameters update_id, update, attempt and host). An update the endpoint accepted (2xx) leaves the queue
// and is never delivered again: when setWebhook or deleteWebhook replaces
// the webhook during a delivery, that delivery is allowed to finish (within
// the delivery timeout) and the new webhook starts after it. Until such a
// delivery settles its update belongs to it: a getUpdates made meanwhile
// (after deleteWebhook) waits for it, bounded by the request's context and
// the delivery timeout (the webhook client's Timeout, 10s by default, plus
// a second), and then returns the update only if the endpoint did not
// accept it; should the delivery outlast that bound, getUpdates leaves the
// update out and serves those after it. A method call in a webhook's answer
// runs after its delivery has settled. By default webhooks are delivered
// only to loopback hosts ([WithWebhookAnyHost] lifts this); URLs given to
// send* methods are never fetched (a synthetic file is stored instead). A chat with a photo
// in the world (Page.PhotoURL) has a small (160×160) and a big (640×640)
// version with their own file ids, both real JPEG images that getFile and
// the file URL serve (the same synthetic picture for every chat).
//
// States a publisher must handle, with the official server's wording
// (tdlib/telegram-bot-api, Client.cpp): a bot removed from a chat
// ([Server.KickBot]) gets 403 "Forbidden: bot was kicked from the channel
// chat" ("group chat", "supergroup chat"; in a basic group it may still
// read the chat, as on Telegram); a person who blocked the bot
// ([Server.BlockBot]) gets it 403 "Forbidden: bot was blocked by the user";
// a bot may not write first to a person: 403 "Forbidden: bot can't
// initiate conversation with a user" until the person has written to it
// ([Server.WriteToBot], [Server.StartBot]; seeded people have not). A
// malformed token is 401 "Unauthorized: invalid token specified" (empty,
// starting with "0", over 80 bytes, without ':' or a bot id outside
// 1..2^54-1), a bot id that is not a number 421 "Misdirected Request:
// unallowed token specified" (ClientManager.cpp), and a well-formed token
// of no bot plain 401 "Unauthorized". The "can't initiate conversation"
// text is not in Client.cpp (it comes from the layers below it, TDLib or
// Telegram's servers); the emulator uses the wording clients and public
// reports show.
//
// Memory: each chat keeps at most [WithMessagesKept] messages and the whole
// emulator at most the world's message limit across chats
// ([world.WithMessageLimit], [world.WithBudget]), oldest first; a bot's
// update queue keeps [DefaultQueueLimit] updates and at most
// [world.DefaultMessageLimit] private chats.
//
// Flood control ([Limits], on by default) answers 429 when a bot exceeds 30
// messages per second, 1 per second in a chat (burst 3) or 20 per minute in a
// group; windows follow the world clock. The unit is the message, not the
// request: a sendMediaGroup album of n items is n messages, as in Telegram,
// and spends n units of each window at once (a chat's burst stretches to n
// so an album larger than the burst can still be sent from a full window).
// A client that paces itself must therefore spend one limiter token per
// album item, or albums will draw 429 answers.
//
// Every request is recorded in the world journal (party "telegram", the
// lower-case method name, decoded parameters; the token only as a
// fingerprint, secret_token redacted) after the world's fault rules were
// consulted: latency, error answers, 429 answers and dropped connections
// before or after the request took effect. An error_after rule
// ([world.FaultErrorAfter]) runs the request (the message is stored, the
// updates are queued), discards its answer and replies with the rule's
// error in the Bot API envelope, with the HTTP status equal to the rule's
// code: "the message was sent but the client saw a 5xx". A truncate rule
// ([world.FaultTruncate]) runs the request and sends half of its answer.
//
// The fault rules and the journal are those of the sandbox's emulator
// pipeline ([emu.Pipeline]); [Server.Adapter] tells it how to read the
// method and the token and how to render the Bot API error envelope, and
// [Server.ServeCall] serves a request whose tenant it has resolved. Served
// on its own ([Server.ServeHTTP]), the emulator has one world, and a
// request's tenant is its X-Mock-Tenant header or "bot<id>"; inside a
// sandbox every tenant has its own world and emulator, and the token
// decides the tenant. The Bot API's paths ("/bot<token>/<method>") put the
// credential inside a path segment, which http.ServeMux patterns cannot
// match, so the adapter splits them; methods dispatch through a table of
// named handlers.
//
// # Safety
//
// Bot tokens must be seeded in the world, whose validation refuses
// production-looking tokens (the secret part of a sandbox token starts with
// "MOCK"); any other token is answered 401 (see above) and never stored.
//
// Descriptions in the table A1 of the project's reference come from the
// reference server's source; the wording of rarer errors (poll option
// checks, webhook URL checks) is the emulator's best reading and
// may differ slightly from Telegram's.
package tgmock
