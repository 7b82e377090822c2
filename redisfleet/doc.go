// Package redisfleet lets several replicas of one service share one
// platform budget and one record of publications through Redis.
//
// [Limiter] is a core.MultiLimiter applying the rules of a
// core.KeyedLimiterConfig (telegram.LimiterConfig, vk.LimiterConfig,
// ok.LimiterConfig) with the same key scheme as core.KeyedLimiter (token
// fingerprints, chat and page scopes, the global bucket), its buckets kept
// in Redis so that N replicas together stay within one token's limits.
// Every bucket a request spends is charged in one Lua script, all or none.
// When Redis is unreachable the limiter fails closed (calls retry until
// their context ends, then return an *UnavailableError matching
// core.ErrLimiter), or, with LimiterConfig.FallbackFraction, paces locally
// at that fraction of every limit and logs the switch once.
//
// [Ledger] is a social.Ledger: given as social.FanOutOptions.Ledger in
// every replica, it claims each (post key, page) before publishing, so a
// post reaches a page at most once across the fleet; a claim whose holder
// died expires after LedgerConfig.ClaimTTL (DefaultClaimTTL, 10 minutes)
// and is then reported as an unknown outcome, never published again.
//
// Only programs that import this package link a Redis client.
package redisfleet
