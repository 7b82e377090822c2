package gpmock

import (
	"context"

	"github.com/gospubliki/gosdk/social"
)

// PagePublisher exposes pagePublisher to the black-box tests.
func (s *Server) PagePublisher(ctx context.Context, cabinetID int64, ref string) (social.Publisher, error) {
	return s.pagePublisher(ctx, cabinetID, ref)
}
