package gpmock

import "time"

// Event is something that happened in a cabinet, told to the server's
// listeners (outbound webhooks, notifications, the sandbox's timeline):
// a moderation decision, a publication, an invitation.
type Event struct {
	// Type names what happened: "post.submitted", "post.approved",
	// "post.returned", and the types the publishing, user and dialog
	// features add (each documented where it is emitted).
	Type string `json:"type"`
	// CabinetID is the cabinet it happened in.
	CabinetID int64 `json:"cabinet_id"`
	// PostID and UserID name the post and the acting or affected user,
	// when there is one.
	PostID int64 `json:"post_id,omitempty"`
	UserID int64 `json:"user_id,omitempty"`
	// At is the server clock's time of the event.
	At time.Time `json:"at"`
	// Data carries the event's details (a JSON-encodable value).
	Data any `json:"data,omitempty"`
}

// OnEvent adds a listener called with every event, in order, outside the
// server's lock (a listener may call the server). Listeners must not
// block for long: hand slow work to a queue.
func (s *Server) OnEvent(f func(Event)) {
	s.mu.Lock()
	s.listeners = append(s.listeners, f)
	s.mu.Unlock()
}

// emit queues e; the caller holds s.mu. Queued events reach the listeners
// when dispatch runs (after every request, and after scheduled work).
func (s *store) emit(e Event) { s.pending = append(s.pending, e) }

// dispatch hands the queued events to the listeners; the caller does not
// hold s.mu. Then it saves the state when it has a StateStore.
func (s *store) dispatch() {
	defer s.changed()
	for {
		s.mu.Lock()
		evs, ls := s.pending, s.listeners
		s.pending = nil
		s.mu.Unlock()
		if len(evs) == 0 {
			return
		}
		for _, e := range evs {
			for _, f := range ls {
				f(e)
			}
		}
	}
}
