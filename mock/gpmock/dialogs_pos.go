package gpmock

import (
	"context"
	"errors"
	"strconv"
	"time"
)

// POSAppeal is an appeal addressed to a cabinet's organisation, as POS's
// internal link gives it to the cabinet.
type POSAppeal struct {
	// ID is POS's appeal id.
	ID int64
	// Text is the appeal's description.
	Text string
	// Author is the applicant's name.
	Author string
	// Topic is the appeal's subject, when POS classified it.
	Topic string
	// At is when it was filed.
	At time.Time
}

// POSAppeals is POS's internal link to its own appeal store. The
// Gospubliki cabinet is a component of POS: the organisation's appeals
// are read and answered inside POS, not through the appeals API POS
// offers external systems (that API files an appeal and reads its status,
// and has no method to list an organisation's appeals or to answer one,
// see the pos package). A deployment of the reference server that is not
// part of a POS installation leaves it unset, and POS appeals then do not
// reach its inbox.
type POSAppeals interface {
	// Appeals returns the appeals to the organisation orgOID (its ESIA
	// OID) whose id is greater than after, oldest first.
	Appeals(ctx context.Context, orgOID, after int64) ([]POSAppeal, error)
	// Answer answers appeal id of organisation orgOID with text on behalf
	// of the cabinet user named by (empty: the organisation); POS moves
	// the appeal to its answered status and sends the answer to the
	// applicant. An appeal of another organisation is not found.
	Answer(ctx context.Context, orgOID, id int64, text, by string) error
}

// WithPOSAppeals connects the server to POS's internal appeal link: each
// collection of a cabinet's inbox also reads the new appeals to the
// cabinet's organisation (source "pos_appeal"), and a reply answers the
// appeal in POS.
func WithPOSAppeals(p POSAppeals) Option { return func(s *Server) { s.posAppeals = p } }

// errNoReplyChannel: the server has no link to POS's appeals.
var errNoReplyChannel = errors.New("gpmock: POS appeals are answered in the POS cabinet: the server has no link to POS's appeals")

// collectAppeals reads the new appeals of the cabinet's organisation
// (after the cabinet's cursor) as inbox items.
func (s *Server) collectAppeals(ctx context.Context, cab int64) ([]DialogInput, error) {
	s.mu.Lock()
	c := s.cabinets[cab]
	after := s.inbox.posAfter[cab]
	s.mu.Unlock()
	if s.posAppeals == nil || c == nil || c.OrgOID == 0 {
		return nil, nil
	}
	as, err := s.posAppeals.Appeals(ctx, c.OrgOID, after)
	if err != nil {
		return nil, err
	}
	out := make([]DialogInput, 0, len(as))
	for _, a := range as {
		after = max(after, a.ID)
		id := strconv.FormatInt(a.ID, 10)
		out = append(out, DialogInput{Source: SourcePOS, NetworkID: id, Thread: id, Author: a.Author,
			Text: a.Text, Topic: a.Topic, At: a.At})
	}
	s.mu.Lock()
	if s.cabinets[cab] != nil {
		s.inbox.posAfter[cab] = after
	}
	s.mu.Unlock()
	return out, nil
}

// answerAppeal answers the dialog's POS appeal through the link.
func (s *Server) answerAppeal(ctx context.Context, d Dialog, authorID int64, text string) (string, error) {
	if s.posAppeals == nil {
		return "", errNoReplyChannel
	}
	id, err := strconv.ParseInt(d.NetworkID, 10, 64)
	if err != nil {
		return "", errors.New("gpmock: malformed POS appeal id")
	}
	s.mu.Lock()
	var org int64
	if c := s.cabinets[d.CabinetID]; c != nil {
		org = c.OrgOID
	}
	by := ""
	if u := s.users[authorID]; u != nil && authorID != 0 {
		by = u.Name
	}
	s.mu.Unlock()
	if err := s.posAppeals.Answer(ctx, org, id, text, by); err != nil {
		return "", err
	}
	return d.NetworkID, nil
}
