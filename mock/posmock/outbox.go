package posmock

import (
	"strconv"
	"strings"
	"time"

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
		ans := StandardAnswer
		for _, h := range cur.History {
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
	})
}
