// Package core is the public foundation every gosdk client builds on: the
// outcome errors a caller branches on (rate limited, unknown outcome,
// partially published), the interface every party's API error implements
// (CodedError), the Limiter that paces requests (one limiter can serve
// several clients, and a fleet store can replace it), and the Clock the
// clients read time from.
//
// The HTTP engine behind the clients (retries, pacing, redaction) is
// internal; core holds what users configure and match on, so that no
// client's public API exposes an internal or third-party type.
package core
