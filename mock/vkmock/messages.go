package vkmock

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/mock/world"
)

// maxMessageRunes is the longest message text messages.send accepts.
const maxMessageRunes = 4096

// messagesSend serves messages.send for a community token: the community
// writes to a user who allowed it (who wrote to the community first, as
// [Server.WriteToCommunity] simulates). The message goes to the world's
// outbox and raises message_reply.
func (c *call) messagesSend() (any, *apiError) {
	gid := c.tok.GroupID
	if _, err := c.s.w.Page(world.NetworkVK, gid); err != nil {
		return nil, errCode(125)
	}
	peer, e := c.optInt("peer_id", 0)
	if e != nil {
		return nil, e
	}
	if peer == 0 {
		if peer, e = c.optInt("user_id", 0); e != nil {
			return nil, e
		}
	}
	switch {
	case peer == 0:
		return nil, errMissing("peer_id")
	case peer < 0 || peer >= 2_000_000_000:
		return nil, errMsg(7, "the sandbox sends community messages to users only")
	}
	if _, missing, e := c.int("random_id"); e != nil {
		return nil, e
	} else if missing {
		return nil, errMissing("random_id")
	}
	text := c.str("message")
	if strings.TrimSpace(text) == "" && c.str("attachment") == "" {
		return nil, errMsg(100, "message is empty or invalid")
	}
	if utf8.RuneCountInString(text) > maxMessageRunes {
		return nil, errCode(914)
	}
	s := c.s
	s.mu.Lock()
	allowed := s.st.msgAllowed[gid][peer]
	if !allowed {
		s.mu.Unlock()
		return nil, errCode(901)
	}
	id := s.st.newID()
	s.emitLocked(gid, "message_reply", map[string]any{"id": id, "date": c.now.Unix(), "peer_id": peer, "from_id": -gid,
		"text": text, "out": 1, "conversation_message_id": id, "attachments": []any{}, "fwd_messages": []any{}})
	s.mu.Unlock()
	meta := map[string]string{"message_id": strconv.FormatInt(id, 10), "group_id": strconv.FormatInt(gid, 10)}
	if a := c.str("attachment"); a != "" {
		meta["attachment"] = a
	}
	if k := c.str("keyboard"); k != "" {
		meta["keyboard"] = k
	}
	s.w.Outbox.Send(world.Message{Time: c.now, Party: "vk", Channel: world.ChannelVK,
		To: strconv.FormatInt(peer, 10), From: "club" + strconv.FormatInt(gid, 10), Text: text, Meta: meta})
	return id, nil
}

// allowMessagesLocked records that a user may receive the community's
// messages (they wrote to it). The caller holds s.mu.
func (s *Server) allowMessagesLocked(groupID, userID int64) {
	if s.st.msgAllowed == nil {
		s.st.msgAllowed = map[int64]map[int64]bool{}
	}
	m := s.st.msgAllowed[groupID]
	if m == nil {
		m = map[int64]bool{}
		s.st.msgAllowed[groupID] = m
	}
	m[userID] = true
}

// JoinCommunity simulates a VK user joining a community: the member count
// grows by one (a person of the world with that VK account becomes a
// member), and group_join is raised. Joining twice is refused.
func (s *Server) JoinCommunity(groupID, userID int64) (int, error) {
	s.sync()
	if userID <= 0 {
		return 0, fmt.Errorf("vkmock: user id must be positive")
	}
	per, perr := s.w.PersonByAccount(world.NetworkVK, userID)
	count := 0
	err := s.w.ModifyPage(world.NetworkVK, groupID, func(p *world.Page) error {
		if perr == nil {
			if p.RoleOf(per.OID) != "" || containsOID(p.Members, per.OID) {
				return fmt.Errorf("vkmock: user %d is already in community %d", userID, groupID)
			}
			p.Members = append(p.Members, per.OID)
			if p.MemberCount > 0 {
				p.MemberCount++
			}
		} else {
			p.MemberCount = memberCount(*p) + 1
		}
		count = memberCount(*p)
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	s.emitLocked(groupID, "group_join", map[string]any{"user_id": userID, "join_type": "join"})
	s.mu.Unlock()
	return count, nil
}

func containsOID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
