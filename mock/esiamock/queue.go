package esiamock

import "slices"

// EnqueueLoginFirst queues a headless login ahead of the others, so the
// next matching /ac request takes it (see [Server.EnqueueLogin]).
func (s *Server) EnqueueLoginFirst(l Login) {
	s.mu.Lock()
	s.queue = slices.Insert(s.queue, 0, l)
	s.mu.Unlock()
}

// CancelLogin removes the first queued login equal to l and reports
// whether there was one (an /ac request that failed before taking it
// leaves it queued).
func (s *Server) CancelLogin(l Login) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.Index(s.queue, l)
	if i < 0 {
		return false
	}
	s.queue = slices.Delete(s.queue, i, i+1)
	return true
}
