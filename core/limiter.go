package core

import "context"

// Limiter paces requests before they are sent. Wait blocks until a request
// spending key may go, or returns an error when ctx ends first (wrapping
// ErrLimiter when it refuses to wait). Implementations are safe for
// concurrent use. The in-process default is a keyed token-bucket limiter;
// a shared store (for a fleet of replicas) can replace it.
//
// Keys follow one scheme across clients, "<party>:<kind>:<fingerprint>"
// optionally followed by ":<chat or page>", where the fingerprint is a
// short non-reversible digest of the token: a key never contains a raw
// token.
type Limiter interface {
	Wait(ctx context.Context, key string) error
}

// NoLimit is a Limiter that never waits.
type NoLimit struct{}

// Wait returns ctx.Err() and never blocks.
func (NoLimit) Wait(ctx context.Context, _ string) error { return ctx.Err() }
