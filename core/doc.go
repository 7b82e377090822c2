// Package core is the public foundation every gosdk client builds on:
//
//   - the options, declared once and accepted by every client's New
//     ([Option]: [WithHTTPClient], [WithBaseURL], [WithLogger],
//     [WithLimiter], [WithRetry], [WithRateLimitRetry], [WithUserAgent],
//     [WithClock], [WithDefaultTimeout], [WithRequestHook],
//     [WithResponseHook], [WithSecrets]); a party's own options are Option
//     values built with [PartyOption];
//   - per-call overrides ([CallOption]: [CallWithoutRetries],
//     [CallLimitKeys], [CallLimiter], [CallTimeout], [CallRequestHook],
//     [CallResponseHook]), trailing on client methods or carried by a ctx
//     ([WithCallOptions]);
//   - the outcome errors a caller branches on (rate limited, unknown
//     outcome, partially published) and the interface every party's API
//     error implements ([CodedError]);
//   - the [Limiter] that paces requests and its in-process default, the
//     [KeyedLimiter] (one limiter can serve several clients, and a fleet
//     store can replace it), with limiter keys built by [LimitKey] from a
//     token's [Fingerprint], never from the token;
//   - the [Clock] the clients read time from and wait on (package
//     core/coretest has virtual clocks for tests);
//   - the hook payloads [RequestInfo] and [ResponseInfo].
//
// Defaults shared by every client: transient failures (network errors,
// 5xx) of calls that are safe to repeat are retried 3 times with backoff
// from 200 ms to 5 s; "too many requests" answers have a separate budget,
// each wait at most 30 s and 60 s in total per call; a call whose ctx has
// no deadline is bounded to 60 s. A call that is not safe to repeat (a
// post) is never retried after it may have reached the party.
//
// The HTTP engine behind the clients (retries, pacing, redaction) is
// internal; core holds what users configure and match on, so that no
// client's public API exposes an internal or third-party type.
package core
