package posmock

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/mock/world"
)

// answerDelay is when an appeal reaches ANSWERED after it was filed.
func answerDelay() (time.Duration, bool) {
	for _, st := range Lifecycle {
		if st.Status == StatusAnswered {
			return st.After, true
		}
	}
	return 0, false
}

// scheduleAnswer sends the organisation's answer to the applicant through
// the world's outbox when the appeal reaches ANSWERED on the world clock
// (channel [world.ChannelPOS], To the appeal id). A reset of the world in
// between cancels it.
func (s *Server) scheduleAnswer(a Appeal) {
	d, ok := answerDelay()
	if !ok {
		return
	}
	gen := s.w.Generation()
	at := a.CreatedAt.Add(d)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers[a.ID] = s.w.Clock.AfterFunc(at.Sub(s.w.Clock.Now()), func() {
		s.mu.Lock()
		delete(s.answers, a.ID)
		s.mu.Unlock()
		if s.w.Generation() != gen {
			return
		}
		cur, ok := s.Appeal(a.ID)
		if !ok || !cur.CreatedAt.Equal(a.CreatedAt) {
			return
		}
		for _, h := range cur.History {
			if h.Status == StatusAnswered && !h.CreatedAt.Equal(at) {
				return // answered by the cabinet (Answer)
			}
		}
		s.sendAnswer(cur, at)
	})
}

// sendAnswer puts the organisation's answer to a (its ANSWERED step's
// answer, else [StandardAnswer]) into the world's outbox at time at.
func (s *Server) sendAnswer(a Appeal, at time.Time) {
	ans := StandardAnswer
	for _, h := range a.History {
		if h.Status == StatusAnswered && h.Answer != nil {
			ans = *h.Answer
		}
	}
	meta := map[string]string{"appeal_id": strconv.FormatInt(a.ID, 10), "opa_id": strconv.FormatInt(a.OpaID, 10),
		"org_oid": strconv.FormatInt(a.OrgOID, 10), "answer_type": ans.AnswerType}
	if a.Applicant.Email != "" {
		meta["email"] = a.Applicant.Email
	}
	if a.Applicant.EpguID != 0 {
		meta["epgu_id"] = strconv.FormatInt(a.Applicant.EpguID, 10)
	}
	from := strings.TrimSpace(LKOEmployee.Surname + " " + LKOEmployee.Name)
	if o, err := s.w.Organization(a.OrgOID); err == nil {
		from = o.ShortName
		if from == "" {
			from = o.FullName
		}
	}
	s.w.Outbox.Send(world.Message{Time: at, Party: "pos", Channel: world.ChannelPOS,
		To: strconv.FormatInt(a.ID, 10), From: from, Subject: "Ответ на обращение №" + strconv.FormatInt(a.ID, 10),
		Text: ans.Comment, Meta: meta})
}

// ErrAnswered: the appeal has already been answered.
var ErrAnswered = errors.New("posmock: the appeal has already been answered")

// MaxAnswer bounds the text of an answer, in characters.
const MaxAnswer = 4096

// AppealsOfOrganization returns the appeals addressed to an organisation
// (by its OID) whose id is greater than after, oldest first, with their
// history as of the world clock. It is how a component of POS (the
// Gospubliki cabinet) reads its organisation's appeals over POS's
// internal link; the appeals API for external systems has no such list.
func (s *Server) AppealsOfOrganization(orgOID, after int64) []Appeal {
	now := s.w.Clock.Now()
	var out []Appeal
	for _, a := range s.sec.Settings().Appeals {
		if a.OrgOID == orgOID && a.ID > after {
			out = append(out, withHistory(a, now))
		}
	}
	slices.SortFunc(out, func(x, y Appeal) int { return cmp.Compare(x.ID, y.ID) })
	return out
}

// Answer answers an appeal of organisation orgOID with text on behalf of
// the cabinet's employee by, as the organisation's cabinet does: the
// appeal moves through IN_WORK (when not yet there) to ANSWERED now on
// the world clock, the answer replaces the scheduled standard one and
// reaches the applicant through the world's outbox at once (channel
// [world.ChannelPOS]). An appeal of another organisation is not found; an
// answered one is [ErrAnswered].
func (s *Server) Answer(orgOID, id int64, text string, by Employee) (Appeal, error) {
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > MaxAnswer {
		return Appeal{}, fmt.Errorf("%w: an answer is 1 to %d characters", world.ErrInvalid, MaxAnswer)
	}
	now := s.w.Clock.Now()
	var out Appeal
	err := s.sec.modify(func(st *Settings) error {
		i := slices.IndexFunc(st.Appeals, func(a Appeal) bool { return a.ID == id && a.OrgOID == orgOID })
		if i < 0 {
			return fmt.Errorf("%w: appeal %d of organisation %d", world.ErrNotFound, id, orgOID)
		}
		a := withHistory(st.Appeals[i], now)
		if a.Status().Status == StatusAnswered {
			return ErrAnswered
		}
		emp := by
		if emp.Surname == "" && emp.Name == "" {
			emp = LKOEmployee
		}
		if a.Status().Status == StatusNew {
			e := emp
			a.History = append(a.History, Step{Status: StatusInWork, StatusText: lifecycleText(StatusInWork), CreatedAt: now, CreatedBy: &e})
		}
		e := emp
		a.History = append(a.History, Step{Status: StatusAnswered, StatusText: lifecycleText(StatusAnswered), CreatedAt: now, CreatedBy: &e,
			Answer: &Answer{AnswerType: StandardAnswer.AnswerType, Comment: text}})
		st.Appeals[i] = a
		out = a
		return nil
	})
	if err != nil {
		return Appeal{}, err
	}
	s.mu.Lock()
	if t := s.answers[id]; t != nil {
		t.Stop()
		delete(s.answers, id)
	}
	s.mu.Unlock()
	s.sendAnswer(out, now)
	return out, nil
}

func lifecycleText(status string) string {
	for _, st := range Lifecycle {
		if st.Status == status {
			return st.Text
		}
	}
	return status
}
