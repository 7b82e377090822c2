// Package transport is the HTTP core shared by every gosdk client package.
//
// It is the one place in the module that knows about
// github.com/hashicorp/go-retryablehttp and golang.org/x/time/rate. A party
// client (telegram, vk, ok, esia, ...) describes each request as a [Call]: the
// HTTP method, URL and body, whether repeating it is harmless (Idempotent), or
// whether the party deduplicates it (DedupeKey), and which rate-limit keys it
// spends. The core then
//
//   - waits on the [Limiter] for every key before each attempt (the default is
//     core.KeyedLimiter: token buckets per key plus a global bucket; several
//     keys are reserved together when the limiter is a core.MultiLimiter);
//   - sends the request and classifies the answer with the party's
//     [Classifier] ("too many requests" with a retry-after, transient server
//     failure, or final);
//   - retries network errors and transient failures only when the call is safe
//     to repeat (a count: WithRetry, default 3), and "too many requests"
//     answers for every call (such an answer means the request was not
//     executed) from a separate budget: each wait at most WithMaxRetryAfter
//     (30 s), all waits of the call at most WithMaxTotalWait (60 s); past it
//     the answer returns marked RateLimited so the party client can return
//     its typed rate-limit error;
//   - reports a failure after which a non-idempotent request may have taken
//     effect as an [*UnknownOutcomeError], never retrying it;
//   - redacts secrets (tokens in URL paths, access_token, client_secret,
//     passwords, ...) from logs, hooks and every error string it produces.
//
// Backoff is capped exponential with jitter; every wait runs on the client's
// core.Clock (virtual in tests) and stops at once when the call's context is
// cancelled. A call whose context has no deadline is bounded (WithDefaultTimeout,
// 60 s) by a watchdog shared by all clients. Per-call core.CallOption values
// (trailing on Do, or carried by the context) adjust one call. Form and
// multipart bodies are built from `url:"…"`-tagged structs (EncodeForm,
// EncodeMultipart) as byte slices, replayed on every attempt.
package transport
