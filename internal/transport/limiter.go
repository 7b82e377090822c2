package transport

import "github.com/gospubliki/gosdk/core"

// Limiter is core.Limiter.
type Limiter = core.Limiter

// NoLimit is core.NoLimit.
type NoLimit = core.NoLimit
