package tgmock

// WithInflightWaitHook makes getUpdates call f each time it starts waiting
// for a webhook delivery under way to settle (tests only).
func WithInflightWaitHook(f func()) Option { return func(s *Server) { s.onInflightWait = f } }
