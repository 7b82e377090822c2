package gpmock

import (
	"context"

	"github.com/gospubliki/gosdk/social"
)

// PagePublisher exposes pagePublisher to the black-box tests.
func (s *Server) PagePublisher(ctx context.Context, cabinetID int64, ref string) (social.Publisher, error) {
	return s.pagePublisher(ctx, cabinetID, ref)
}

// SetPublishedParts replaces the server's finder of a post's receipts
// (what WithPublishedParts sets) in a running sandbox.
func (s *Server) SetPublishedParts(f func(Post) []PublishedPart) {
	s.mu.Lock()
	s.publishedParts = f
	s.mu.Unlock()
}
