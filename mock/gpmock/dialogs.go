package gpmock

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/telegram"
	"github.com/gospubliki/gosdk/vk"
)

// Dialog sources: where an inbox item came from.
const (
	// SourceVKComment is a comment on a VK community's wall post.
	SourceVKComment = "vk_comment"
	// SourceVKMessage is a private message to a VK community.
	SourceVKMessage = "vk_message"
	// SourceTelegram is a message the page's Telegram bot received (a
	// private message or a comment in the channel's discussion group).
	SourceTelegram = "telegram_message"
	// SourcePOS is a POS appeal addressed to the cabinet's organisation.
	SourcePOS = "pos_appeal"
	// SourceOKComment is a comment on an OK group's topic.
	SourceOKComment = "ok_comment"
)

// Dialog statuses.
const (
	DialogNew      = "new"
	DialogAssigned = "assigned"
	DialogAnswered = "answered"
	DialogClosed   = "closed"
)

// Reply statuses.
const (
	ReplySent   = "sent"
	ReplyFailed = "failed"
)

// Bounds of the inbox.
const (
	// MaxDialogs is how many dialogs a server keeps; the oldest closed
	// (then oldest) dialogs are dropped beyond it.
	MaxDialogs = 100000
	// MaxRulesPerCabinet bounds a cabinet's auto-rules.
	MaxRulesPerCabinet = 100
	// DialogPollInterval is how often, on the server's clock, the pages
	// are polled for new comments and messages.
	DialogPollInterval = 15 * time.Minute
)

// posRef names POS in a collection's errors.
const posRef = "pos"

var dialogSources = []string{SourceVKComment, SourceVKMessage, SourceTelegram, SourcePOS, SourceOKComment}

// Dialog is one item of a cabinet's inbox: a comment, a message or an
// appeal, with its replies.
type Dialog struct {
	ID        int64  `json:"id"`
	CabinetID int64  `json:"cabinet_id"`
	Source    string `json:"source"`
	// PageRef is the connected page it came through ("vk:-123"); empty
	// for POS appeals.
	PageRef string `json:"page_ref,omitempty"`
	// NetworkID identifies it at its source (with Source, unique in a
	// cabinet): "<post id>_<comment id>" on VK walls, the message id of a
	// VK message, "<chat id>_<message id>" on Telegram, the appeal id on
	// POS.
	NetworkID string `json:"network_id"`
	// Thread is where a reply goes: the post id of a VK comment, the peer
	// id of a VK message, the chat id of a Telegram message.
	Thread string `json:"thread,omitempty"`
	// Author is the network's id (or name) of the person who wrote it.
	Author string `json:"author,omitempty"`
	Text   string `json:"text"`
	Topic  string `json:"topic,omitempty"`
	Status string `json:"status"`
	// AssigneeID is the cabinet user the dialog is assigned to.
	AssigneeID int64 `json:"assignee_id,omitempty"`
	// RuleID is the auto-rule that matched on arrival.
	RuleID     int64         `json:"rule_id,omitempty"`
	ReceivedAt time.Time     `json:"received_at"`
	UpdatedAt  time.Time     `json:"updated_at"`
	Replies    []DialogReply `json:"replies"`
}

// DialogReply is one reply sent (or attempted) through the source.
type DialogReply struct {
	ID int64 `json:"id"`
	// AuthorID is the cabinet user who replied (0: an auto-rule).
	AuthorID int64     `json:"author_id,omitempty"`
	RuleID   int64     `json:"rule_id,omitempty"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
	// Status is "sent" or "failed".
	Status string `json:"status"`
	// NetworkID is the reply's id at the source, when sent.
	NetworkID string `json:"network_id,omitempty"`
	// Error and Code are the source's error when the reply failed.
	Error string `json:"error,omitempty"`
	Code  string `json:"code,omitempty"`
}

// DialogInput is an incoming comment, message or appeal (what a
// collector read, or what AddDialog is given).
type DialogInput struct {
	Source    string
	PageRef   string
	NetworkID string
	Thread    string
	Author    string
	Text      string
	Topic     string
	At        time.Time
}

// AutoRule routes incoming dialogs: a dialog matching every condition
// set (topic, any keyword, source) is assigned to a specialist and/or
// answered with a template. Rules are tried in id order; the first match
// applies.
type AutoRule struct {
	ID        int64  `json:"id"`
	CabinetID int64  `json:"cabinet_id"`
	Name      string `json:"name"`
	// Topic matches the dialog's topic (case-insensitive).
	Topic string `json:"topic,omitempty"`
	// Keywords match when the text contains any of them (case-insensitive).
	Keywords []string `json:"keywords,omitempty"`
	// Sources match the dialog's source (empty: any).
	Sources []string `json:"sources,omitempty"`
	// AssigneeID is the cabinet user to assign (0: none).
	AssigneeID int64 `json:"assignee_id,omitempty"`
	// Template is the answer sent at once (empty: none). Placeholders:
	// {author}, {topic}, {org}, {id}.
	Template  string    `json:"template,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// DialogRuleRequest is the body of POST /api/v1/dialog-rules.
type DialogRuleRequest struct {
	Name       string   `json:"name"`
	Topic      string   `json:"topic,omitempty"`
	Keywords   []string `json:"keywords,omitempty"`
	Sources    []string `json:"sources,omitempty"`
	AssigneeID int64    `json:"assignee_id,omitempty"`
	Template   string   `json:"template,omitempty"`
}

// DialogRuleList is the answer of GET /api/v1/dialog-rules.
type DialogRuleList struct {
	Items []AutoRule `json:"items"`
}

// DialogPage is one page of GET /api/v1/dialogs.
type DialogPage struct {
	Items      []Dialog `json:"items"`
	NextCursor string   `json:"next_cursor,omitempty"`
}

// AssignRequest is the body of POST /api/v1/dialogs/{id}/assign.
type AssignRequest struct {
	AssigneeID int64 `json:"assignee_id"`
}

// ReplyRequest is the body of POST /api/v1/dialogs/{id}/reply.
type ReplyRequest struct {
	Text string `json:"text"`
}

// CollectResult is the answer of POST /api/v1/dialogs/collect.
type CollectResult struct {
	// Received is how many new dialogs arrived.
	Received int `json:"received"`
	// Errors are the pages that could not be read, with the network's
	// error.
	Errors []PageError `json:"errors,omitempty"`
}

// PageError is a page a collection could not read.
type PageError struct {
	PageRef string `json:"page_ref"`
	Error   string `json:"error"`
	Code    string `json:"code,omitempty"`
}

// dialogStore is the inbox part of the store.
type dialogStore struct {
	dialogs map[int64]*Dialog
	keys    map[string]int64 // cabinet|source|network id → dialog id
	rules   map[int64]*AutoRule
	// cursors of the collectors, per cabinet|page ref: the VK long poll
	// (server, key, ts) and the Telegram update offset.
	vkPoll   map[string]*vk.LongPollServer
	tgOffset map[string]int64
	// posAfter is the last POS appeal id read, per cabinet.
	posAfter map[int64]int64
	// okAnchor is the discussions.getComments anchor, per
	// cabinet|page ref|topic id.
	okAnchor map[string]string
}

func (d *dialogStore) clear() {
	d.dialogs, d.keys, d.rules = map[int64]*Dialog{}, map[string]int64{}, map[int64]*AutoRule{}
	d.vkPoll, d.tgOffset, d.posAfter = map[string]*vk.LongPollServer{}, map[string]int64{}, map[int64]int64{}
	d.okAnchor = map[string]string{}
}

func dialogKey(cab int64, source, nid string) string {
	return itoa(cab) + "|" + source + "|" + nid
}

func cloneDialog(d *Dialog) Dialog {
	out := *d
	out.Replies = slices.Clone(d.Replies)
	if out.Replies == nil {
		out.Replies = []DialogReply{}
	}
	return out
}

func cloneRule(r *AutoRule) AutoRule {
	out := *r
	out.Keywords, out.Sources = slices.Clone(r.Keywords), slices.Clone(r.Sources)
	return out
}

// Roles of the inbox: every cabinet role reads and answers it; the LKO
// administrator and the moderator assign; only the LKO administrator
// manages auto-rules and starts a collection.
var assigners = []string{RoleLKOAdmin, RoleModerator}

func (s *Server) routesDialogs() {
	s.handle("listDialogs", "GET", "/api/v1/dialogs", allRoles, s.listDialogs)
	s.handle("getDialog", "GET", "/api/v1/dialogs/{id}", allRoles, s.getDialog)
	s.handle("assignDialog", "POST", "/api/v1/dialogs/{id}/assign", assigners, s.assignDialog)
	s.handle("replyDialog", "POST", "/api/v1/dialogs/{id}/reply", allRoles, s.replyDialog)
	s.handle("closeDialog", "POST", "/api/v1/dialogs/{id}/close", allRoles, s.closeDialog)
	s.handle("collectDialogs", "POST", "/api/v1/dialogs/collect", adminOnly, s.collectDialogsHandler)
	s.handle("listDialogRules", "GET", "/api/v1/dialog-rules", allRoles, s.listDialogRules)
	s.handle("createDialogRule", "POST", "/api/v1/dialog-rules", adminOnly, s.createDialogRule)
	s.handle("deleteDialogRule", "DELETE", "/api/v1/dialog-rules/{id}", adminOnly, s.deleteDialogRule)
}

// AddDialog puts an incoming item into a cabinet's inbox as a collector
// would (de-duplicated by source and network id, auto-rules applied, a
// template answer sent through the source). It returns the dialog and
// whether it is new.
func (s *Server) AddDialog(ctx context.Context, cabinetID int64, in DialogInput) (Dialog, bool, error) {
	s.mu.Lock()
	if _, ok := s.cabinets[cabinetID]; !ok {
		s.mu.Unlock()
		return Dialog{}, false, errNotFound
	}
	d, isNew, auto, err := s.ingestLocked(cabinetID, in)
	s.mu.Unlock()
	if err == nil && auto != nil {
		s.sendReply(ctx, cabinetID, d.ID, 0, auto.ID, auto.text)
		s.mu.Lock()
		d = cloneDialog(s.inbox.dialogs[d.ID])
		s.mu.Unlock()
	}
	s.dispatch()
	return d, isNew, err
}

type autoReply struct {
	ID   int64
	text string
}

// ingestLocked stores an incoming item; the caller holds s.mu. An
// auto-rule's template answer is returned to be sent once unlocked.
func (s *Server) ingestLocked(cab int64, in DialogInput) (Dialog, bool, *autoReply, error) {
	if !slices.Contains(dialogSources, in.Source) || in.NetworkID == "" || len(in.NetworkID) > 128 {
		return Dialog{}, false, nil, invalid("unknown source or missing network id")
	}
	key := dialogKey(cab, in.Source, in.NetworkID)
	if id, dup := s.inbox.keys[key]; dup {
		return cloneDialog(s.inbox.dialogs[id]), false, nil, nil
	}
	now := s.clock.Now().UTC()
	at := in.At.UTC()
	if in.At.IsZero() {
		at = now
	}
	s.nextID++
	d := &Dialog{ID: s.nextID, CabinetID: cab, Source: in.Source, PageRef: in.PageRef, NetworkID: in.NetworkID,
		Thread: in.Thread, Author: in.Author, Text: truncateRunes(in.Text, 4096), Topic: truncateRunes(in.Topic, 256),
		Status: DialogNew, ReceivedAt: at, UpdatedAt: now, Replies: []DialogReply{}}
	s.inbox.dialogs[d.ID] = d
	s.inbox.keys[key] = d.ID
	s.trimInboxLocked()
	s.emit(Event{Type: "dialog.received", CabinetID: cab, At: now, Data: map[string]any{"dialog_id": d.ID, "source": d.Source, "page_ref": d.PageRef}})
	var auto *autoReply
	if r := s.matchRuleLocked(d); r != nil {
		d.RuleID = r.ID
		if r.AssigneeID != 0 {
			if u := s.users[r.AssigneeID]; u != nil && u.CabinetID == cab && u.Status != StatusBlocked {
				d.AssigneeID, d.Status = r.AssigneeID, DialogAssigned
				s.emit(Event{Type: "dialog.assigned", CabinetID: cab, UserID: r.AssigneeID, At: now,
					Data: map[string]any{"dialog_id": d.ID, "rule_id": r.ID}})
			}
		}
		if r.Template != "" {
			auto = &autoReply{ID: r.ID, text: s.renderTemplate(r.Template, d)}
		}
	}
	return cloneDialog(d), true, auto, nil
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

func (s *Server) trimInboxLocked() {
	if len(s.inbox.dialogs) <= MaxDialogs {
		return
	}
	var victim *Dialog
	for _, d := range s.inbox.dialogs {
		if victim == nil || (d.Status == DialogClosed) != (victim.Status == DialogClosed) && d.Status == DialogClosed ||
			(d.Status == DialogClosed) == (victim.Status == DialogClosed) && d.ID < victim.ID {
			victim = d
		}
	}
	delete(s.inbox.dialogs, victim.ID)
	delete(s.inbox.keys, dialogKey(victim.CabinetID, victim.Source, victim.NetworkID))
}

func (s *Server) matchRuleLocked(d *Dialog) *AutoRule {
	var ids []int64
	for id, r := range s.inbox.rules {
		if r.CabinetID == d.CabinetID {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	text := strings.ToLower(d.Text)
	for _, id := range ids {
		r := s.inbox.rules[id]
		if r.Topic != "" && !strings.EqualFold(r.Topic, d.Topic) {
			continue
		}
		if len(r.Sources) > 0 && !slices.Contains(r.Sources, d.Source) {
			continue
		}
		if len(r.Keywords) > 0 && !slices.ContainsFunc(r.Keywords, func(k string) bool { return strings.Contains(text, strings.ToLower(k)) }) {
			continue
		}
		return r
	}
	return nil
}

func (s *Server) renderTemplate(t string, d *Dialog) string {
	org := ""
	if c := s.cabinets[d.CabinetID]; c != nil {
		org = c.OrgName
	}
	return strings.NewReplacer("{author}", d.Author, "{topic}", d.Topic, "{org}", org, "{id}", itoa(d.ID)).Replace(t)
}

// dialogOf returns the caller's cabinet's dialog of the path; the caller
// holds s.mu.
func (s *Server) dialogOf(c *caller, r *http.Request) (*Dialog, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	d := s.inbox.dialogs[id]
	if d == nil || d.CabinetID != c.CabinetID {
		return nil, errNotFound
	}
	return d, nil
}

// listDialogs lists the inbox newest first, filtered by status, source,
// assignee and page.
func (s *Server) listDialogs(c *caller, r *http.Request) (int, any, error) {
	q := r.URL.Query()
	status, source, page := q.Get("status"), q.Get("source"), q.Get("page")
	if status != "" && !slices.Contains([]string{DialogNew, DialogAssigned, DialogAnswered, DialogClosed}, status) {
		return 0, nil, invalid("unknown status")
	}
	if source != "" && !slices.Contains(dialogSources, source) {
		return 0, nil, invalid("unknown source")
	}
	var assignee int64
	if v := q.Get("assignee"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, nil, invalid("assignee must be a user id")
		}
		assignee = n
	}
	limit, before, err := idPage(r)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int64
	for id, d := range s.inbox.dialogs {
		if d.CabinetID != c.CabinetID || (before != 0 && id >= before) || (status != "" && d.Status != status) ||
			(source != "" && d.Source != source) || (assignee != 0 && d.AssigneeID != assignee) || (page != "" && d.PageRef != page) {
			continue
		}
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int { return int(b - a) })
	out := DialogPage{Items: []Dialog{}}
	for i, id := range ids {
		if i == limit {
			out.NextCursor = encodeCursor(out.Items[len(out.Items)-1].ID)
			break
		}
		out.Items = append(out.Items, cloneDialog(s.inbox.dialogs[id]))
	}
	return http.StatusOK, out, nil
}

func (s *Server) getDialog(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.dialogOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, cloneDialog(d), nil
}

func (s *Server) assignDialog(c *caller, r *http.Request) (int, any, error) {
	var req AssignRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.dialogOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	u := s.users[req.AssigneeID]
	if u == nil || u.CabinetID != c.CabinetID || u.Status == StatusBlocked {
		return 0, nil, invalid("assignee_id must be an active user of the cabinet")
	}
	if d.Status == DialogClosed {
		return 0, nil, &apiError{http.StatusConflict, "conflict", "the dialog is closed"}
	}
	now := s.clock.Now().UTC()
	d.AssigneeID, d.UpdatedAt = u.ID, now
	if d.Status == DialogNew {
		d.Status = DialogAssigned
	}
	s.emit(Event{Type: "dialog.assigned", CabinetID: c.CabinetID, UserID: u.ID, At: now, Data: map[string]any{"dialog_id": d.ID, "by": c.ID}})
	return http.StatusOK, cloneDialog(d), nil
}

func (s *Server) closeDialog(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.dialogOf(c, r)
	if err != nil {
		return 0, nil, err
	}
	d.Status, d.UpdatedAt = DialogClosed, s.clock.Now().UTC()
	return http.StatusOK, cloneDialog(d), nil
}

// replyDialog sends a reply through the dialog's source and records it,
// sent or failed with the source's error.
func (s *Server) replyDialog(c *caller, r *http.Request) (int, any, error) {
	var req ReplyRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	if strings.TrimSpace(req.Text) == "" || len([]rune(req.Text)) > 4096 {
		return 0, nil, invalid("text must be 1 to 4096 characters")
	}
	s.mu.Lock()
	d, err := s.dialogOf(c, r)
	var id int64
	if err == nil {
		id = d.ID
		if d.Status == DialogClosed {
			err = &apiError{http.StatusConflict, "conflict", "the dialog is closed"}
		}
	}
	s.mu.Unlock()
	if err != nil {
		return 0, nil, err
	}
	s.sendReply(r.Context(), c.CabinetID, id, c.ID, 0, req.Text)
	s.mu.Lock()
	defer s.mu.Unlock()
	return http.StatusOK, cloneDialog(s.inbox.dialogs[id]), nil
}

// sendReply sends text through the dialog's source and records the
// reply; the caller does not hold s.mu.
func (s *Server) sendReply(ctx context.Context, cab, dialogID, authorID, ruleID int64, text string) {
	s.mu.Lock()
	dd := s.inbox.dialogs[dialogID]
	if dd == nil {
		s.mu.Unlock()
		return
	}
	d := cloneDialog(dd)
	s.mu.Unlock()
	nid, pc, err := s.deliverReply(ctx, d, authorID, text)
	s.mu.Lock()
	defer s.mu.Unlock()
	dd = s.inbox.dialogs[dialogID]
	if dd == nil {
		return
	}
	now := s.clock.Now().UTC()
	s.nextID++
	rep := DialogReply{ID: s.nextID, AuthorID: authorID, RuleID: ruleID, Text: text, At: now, Status: ReplySent, NetworkID: nid}
	if err != nil {
		rep.Status, rep.Error, rep.Code = ReplyFailed, pc.scrub(err), core.ErrorCode(err)
		if rep.Code == "" {
			var te *telegram.Error
			var ve *vk.Error
			switch {
			case errors.As(err, &te):
				rep.Code = strconv.Itoa(te.Code)
			case errors.As(err, &ve):
				rep.Code = strconv.Itoa(ve.Code)
			}
		}
	}
	dd.Replies = append(dd.Replies, rep)
	if len(dd.Replies) > 100 {
		dd.Replies = slices.Delete(dd.Replies, 0, len(dd.Replies)-100)
	}
	dd.UpdatedAt = now
	if err == nil {
		dd.Status = DialogAnswered
		s.emit(Event{Type: "dialog.answered", CabinetID: cab, UserID: authorID, At: now,
			Data: map[string]any{"dialog_id": dialogID, "reply_id": rep.ID, "rule_id": ruleID}})
	}
}

// deliverReply sends text through d's source and returns the reply's id
// there.
func (s *Server) deliverReply(ctx context.Context, d Dialog, authorID int64, text string) (string, *pageClient, error) {
	if d.Source == SourcePOS {
		nid, err := s.answerAppeal(ctx, d, authorID, text)
		return nid, nil, err
	}
	pc, err := s.pageClients(ctx, d.CabinetID, d.PageRef)
	if err != nil {
		return "", nil, err
	}
	ctx = s.netContext(ctx)
	thread, _ := strconv.ParseInt(d.Thread, 10, 64)
	switch d.Source {
	case SourceTelegram:
		req := &telegram.SendMessageRequest{ChatID: telegram.ChatIDInt(thread), Text: text}
		if _, mid, ok := strings.Cut(d.NetworkID, "_"); ok {
			if m, err := strconv.ParseInt(mid, 10, 64); err == nil {
				req.ReplyParameters = &telegram.ReplyParameters{MessageID: m, AllowSendingWithoutReply: true}
			}
		}
		m, err := pc.tg.SendMessage(ctx, req)
		if err != nil {
			return "", pc, err
		}
		return fmt.Sprintf("%d_%d", thread, m.MessageID), pc, nil
	case SourceVKComment:
		_, cid, _ := strings.Cut(d.NetworkID, "_")
		owner, _ := strconv.ParseInt(pc.page, 10, 64)
		var out struct {
			CommentID int64 `json:"comment_id"`
		}
		v := url.Values{"owner_id": {itoa(owner)}, "post_id": {itoa(thread)}, "message": {text}, "from_group": {itoa(-owner)},
			"reply_to_comment": {cid}, "guid": {"gp-reply-" + itoa(d.ID) + "-" + itoa(int64(len(d.Replies)))}}
		if err := pc.vk.Call(ctx, "wall.createComment", v, &out); err != nil {
			return "", pc, err
		}
		return itoa(thread) + "_" + itoa(out.CommentID), pc, nil
	case SourceOKComment:
		_, cid, _ := strings.Cut(d.NetworkID, "_")
		id, err := pc.ok.AddDiscussionComment(ctx, &ok.AddDiscussionCommentRequest{DiscussionID: d.Thread,
			DiscussionType: ok.DiscussionGroupTopic, Comment: text, ReplyToCommentID: cid})
		if err != nil {
			return "", pc, err
		}
		return d.Thread + "_" + id, pc, nil
	case SourceVKMessage:
		owner, _ := strconv.ParseInt(pc.page, 10, 64)
		var out int64
		v := url.Values{"peer_id": {itoa(thread)}, "message": {text}, "group_id": {itoa(-owner)},
			"random_id": {itoa(d.ID*1000 + int64(len(d.Replies)))}}
		c := pc.vk
		if pc.vkGroup != nil {
			c = pc.vkGroup // VK sends community messages with a community token
		}
		if err := c.Call(ctx, "messages.send", v, &out); err != nil {
			return "", pc, err
		}
		return itoa(out), pc, nil
	}
	return "", pc, errors.New("gpmock: unknown dialog source")
}

func (s *Server) listDialogRules(c *caller, r *http.Request) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := DialogRuleList{Items: []AutoRule{}}
	for _, x := range s.inbox.rules {
		if x.CabinetID == c.CabinetID {
			out.Items = append(out.Items, cloneRule(x))
		}
	}
	slices.SortFunc(out.Items, func(a, b AutoRule) int { return int(a.ID - b.ID) })
	return http.StatusOK, out, nil
}

func (s *Server) createDialogRule(c *caller, r *http.Request) (int, any, error) {
	var req DialogRuleRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	switch {
	case strings.TrimSpace(req.Name) == "" || len(req.Name) > 256:
		return 0, nil, invalid("name must be 1 to 256 bytes")
	case req.AssigneeID == 0 && req.Template == "":
		return 0, nil, invalid("a rule assigns (assignee_id) and/or answers (template)")
	case len(req.Keywords) > 50 || len(req.Template) > 4096 || len(req.Topic) > 256:
		return 0, nil, invalid("at most 50 keywords, a 4096-byte template and a 256-byte topic")
	}
	for _, k := range req.Keywords {
		if strings.TrimSpace(k) == "" {
			return 0, nil, invalid("keywords must not be empty")
		}
	}
	for _, src := range req.Sources {
		if !slices.Contains(dialogSources, src) {
			return 0, nil, invalid("unknown source " + strconv.Quote(src))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.AssigneeID != 0 {
		u := s.users[req.AssigneeID]
		if u == nil || u.CabinetID != c.CabinetID {
			return 0, nil, invalid("assignee_id must be a user of the cabinet")
		}
	}
	n := 0
	for _, x := range s.inbox.rules {
		if x.CabinetID == c.CabinetID {
			n++
		}
	}
	if n >= MaxRulesPerCabinet {
		return 0, nil, &apiError{http.StatusConflict, "conflict", "too many auto-rules"}
	}
	s.nextID++
	rule := &AutoRule{ID: s.nextID, CabinetID: c.CabinetID, Name: req.Name, Topic: req.Topic, Keywords: slices.Clone(req.Keywords),
		Sources: slices.Clone(req.Sources), AssigneeID: req.AssigneeID, Template: req.Template, CreatedAt: s.clock.Now().UTC()}
	s.inbox.rules[rule.ID] = rule
	return http.StatusCreated, cloneRule(rule), nil
}

func (s *Server) deleteDialogRule(c *caller, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.inbox.rules[id]
	if x == nil || x.CabinetID != c.CabinetID {
		return 0, nil, errNotFound
	}
	delete(s.inbox.rules, id)
	return http.StatusNoContent, nil, nil
}

func (s *Server) collectDialogsHandler(c *caller, r *http.Request) (int, any, error) {
	return http.StatusOK, s.CollectDialogs(r.Context(), c.CabinetID), nil
}

// CollectDialogs reads new comments and messages from every page of the
// cabinet (VK: the community's Bots Long Poll, turned on at the first
// collection; Telegram: the bot's getUpdates; OK: the comments of the
// group's topics, discussions.getList and discussions.getComments) and, with WithPOSAppeals,
// the new POS appeals to its organisation into its inbox, applying the
// auto-rules. A POS link error is reported under the page ref "pos". A collection is also run on the server's clock every
// DialogPollInterval when the clock can schedule work (the world clock).
func (s *Server) CollectDialogs(ctx context.Context, cabinetID int64) CollectResult {
	s.mu.Lock()
	var refs []string
	for _, cm := range s.communities {
		if cm.CabinetID == cabinetID {
			refs = append(refs, cm.Ref)
		}
	}
	s.mu.Unlock()
	slices.Sort(refs)
	if s.posAppeals != nil {
		refs = append(refs, posRef)
	}
	res := CollectResult{}
	for _, ref := range refs {
		var ins []DialogInput
		var pc *pageClient
		var err error
		if ref == posRef {
			ins, err = s.collectAppeals(ctx, cabinetID)
		} else {
			ins, pc, err = s.readPage(ctx, cabinetID, ref)
		}
		if err != nil {
			res.Errors = append(res.Errors, PageError{PageRef: ref, Error: pc.scrub(err), Code: core.ErrorCode(err)})
		}
		for _, in := range ins {
			s.mu.Lock()
			d, isNew, auto, err := s.ingestLocked(cabinetID, in)
			s.mu.Unlock()
			if err != nil {
				continue
			}
			if isNew {
				res.Received++
			}
			if auto != nil {
				s.sendReply(ctx, cabinetID, d.ID, 0, auto.ID, auto.text)
			}
		}
	}
	s.dispatch()
	return res
}

// readPage reads a page's new items and advances its cursor.
func (s *Server) readPage(ctx context.Context, cab int64, ref string) ([]DialogInput, *pageClient, error) {
	pc, err := s.pageClients(ctx, cab, ref)
	if err != nil {
		return nil, nil, err
	}
	ctx = s.netContext(ctx)
	key := itoa(cab) + "|" + ref
	id, _ := strconv.ParseInt(pc.page, 10, 64)
	switch pc.network {
	case NetworkTelegram:
		s.mu.Lock()
		off := s.inbox.tgOffset[key]
		s.mu.Unlock()
		ups, err := pc.tg.GetUpdates(ctx, &telegram.GetUpdatesRequest{Offset: off, Limit: 100})
		if err != nil {
			return nil, pc, err
		}
		var out []DialogInput
		for _, u := range ups {
			off = max(off, u.UpdateID+1)
			m := u.Message
			if m == nil || m.Text == "" || (m.From != nil && m.From.IsBot) {
				continue
			}
			author := ""
			if m.From != nil {
				author = strconv.FormatInt(m.From.ID, 10)
				if m.From.Username != "" {
					author = "@" + m.From.Username
				}
			}
			out = append(out, DialogInput{Source: SourceTelegram, PageRef: ref, NetworkID: fmt.Sprintf("%d_%d", m.Chat.ID, m.MessageID),
				Thread: strconv.FormatInt(m.Chat.ID, 10), Author: author, Text: m.Text, At: time.Unix(m.Date, 0)})
		}
		s.mu.Lock()
		s.inbox.tgOffset[key] = off
		s.mu.Unlock()
		return out, pc, nil
	case NetworkOK:
		return s.readOKPage(ctx, pc, key, ref)
	case NetworkVK:
		gid := -id
		s.mu.Lock()
		srv := s.inbox.vkPoll[key]
		s.mu.Unlock()
		if srv == nil {
			if err := pc.vk.GroupsSetLongPollSettings(ctx, gid, true, vk.EventSettings{APIVersion: "5.199",
				Events: map[string]bool{vk.EventWallReplyNew: true, vk.EventMessageNew: true}}); err != nil {
				return nil, pc, err
			}
			srv, err = pc.vk.GroupsGetLongPollServer(ctx, gid)
			if err != nil {
				return nil, pc, err
			}
		}
		resp, err := pc.vk.LongPollCheck(ctx, srv, string(srv.TS), 0)
		if err != nil {
			return nil, pc, err
		}
		if resp.Failed != 0 && resp.Failed != 1 {
			s.mu.Lock()
			delete(s.inbox.vkPoll, key) // a new key next time
			s.mu.Unlock()
			return nil, pc, fmt.Errorf("vk: long poll failed=%d", resp.Failed)
		}
		var out []DialogInput
		for _, raw := range resp.Updates {
			ev, err := vk.ParseEvent(raw)
			if err != nil {
				continue
			}
			switch {
			case ev.Comment != nil && ev.Type == vk.EventWallReplyNew && ev.Comment.FromID > 0:
				cm := ev.Comment
				out = append(out, DialogInput{Source: SourceVKComment, PageRef: ref, NetworkID: fmt.Sprintf("%d_%d", cm.PostID, cm.ID),
					Thread: itoa(cm.PostID), Author: itoa(cm.FromID), Text: cm.Text, At: time.Unix(cm.Date, 0)})
			case ev.Message != nil && ev.Type == vk.EventMessageNew && ev.Message.FromID > 0:
				m := ev.Message
				out = append(out, DialogInput{Source: SourceVKMessage, PageRef: ref, NetworkID: itoa(m.ID),
					Thread: itoa(m.PeerID), Author: itoa(m.FromID), Text: m.Text, At: time.Unix(m.Date, 0)})
			}
		}
		next := *srv
		next.TS = resp.TS
		s.mu.Lock()
		s.inbox.vkPoll[key] = &next
		s.mu.Unlock()
		return out, pc, nil
	}
	return nil, pc, nil
}

// worldScheduler is a clock that runs functions at a time (the world
// clock).
type worldScheduler interface {
	AfterFunc(d time.Duration, f func()) *world.Timer
}

func asScheduler(c core.Clock) func(d time.Duration, f func()) {
	ws, ok := c.(worldScheduler)
	if !ok {
		return nil
	}
	return func(d time.Duration, f func()) { ws.AfterFunc(d, f) }
}

// startSchedules runs the collections on the server's clock when it can
// schedule work: dialogs every DialogPollInterval, analytics every
// AnalyticsInterval.
func (s *Server) startSchedules() {
	sch := asScheduler(s.clock)
	if sch == nil {
		return
	}
	var tickDialogs, tickStats func()
	tickDialogs = func() {
		for _, cab := range s.dialogCabinetIDs() {
			s.CollectDialogs(context.Background(), cab)
		}
		sch(DialogPollInterval, tickDialogs)
	}
	tickStats = func() {
		for _, cab := range s.cabinetIDs() {
			s.CollectAnalytics(context.Background(), cab)
		}
		sch(AnalyticsInterval, tickStats)
	}
	sch(DialogPollInterval, tickDialogs)
	sch(AnalyticsInterval, tickStats)
}

func (s *Server) cabinetIDs() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int64
	for _, cm := range s.communities {
		if !slices.Contains(ids, cm.CabinetID) {
			ids = append(ids, cm.CabinetID)
		}
	}
	slices.Sort(ids)
	return ids
}

// dialogCabinetIDs are the cabinets whose inbox is collected: those with
// pages, and every cabinet when POS appeals are linked.
func (s *Server) dialogCabinetIDs() []int64 {
	ids := s.cabinetIDs()
	if s.posAppeals == nil {
		return ids
	}
	s.mu.Lock()
	for id := range s.cabinets {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	s.mu.Unlock()
	slices.Sort(ids)
	return ids
}

// maxOKPages bounds the discussions.getComments pages read per topic and
// collection.
const maxOKPages = 10

// readOKPage reads the new comments on the OK group's topics (those
// discussions.getList names for the group) after each topic's anchor.
// Comments written on behalf of the group (the cabinet's replies) are
// skipped.
func (s *Server) readOKPage(ctx context.Context, pc *pageClient, key, ref string) ([]DialogInput, *pageClient, error) {
	list, err := pc.ok.GetDiscussions(ctx, &ok.DiscussionListRequest{Category: "GROUP", Count: 100})
	if err != nil {
		return nil, pc, err
	}
	var out []DialogInput
	for _, d := range list.Discussions {
		if d.ObjectType != ok.DiscussionGroupTopic || d.GroupID() != pc.page || d.ObjectID == "" {
			continue
		}
		tk := key + "|" + d.ObjectID
		s.mu.Lock()
		anchor := s.inbox.okAnchor[tk]
		s.mu.Unlock()
		for range maxOKPages {
			page, err := pc.ok.GetDiscussionComments(ctx, &ok.DiscussionCommentsRequest{DiscussionID: d.ObjectID,
				DiscussionType: ok.DiscussionGroupTopic, Anchor: anchor, Direction: "FORWARD", Count: 100})
			if err != nil {
				return out, pc, err
			}
			for _, c := range page.Comments {
				if strings.HasPrefix(c.AuthorRef, "group:") || c.ID == "" {
					continue
				}
				author := c.AuthorName
				if author == "" {
					author = c.AuthorID
				}
				out = append(out, DialogInput{Source: SourceOKComment, PageRef: ref, NetworkID: d.ObjectID + "_" + c.ID,
					Thread: d.ObjectID, Author: author, Text: c.Text, At: time.UnixMilli(c.DateMS)})
			}
			if page.Anchor != "" {
				anchor = page.Anchor
			}
			if !page.HasMore || len(page.Comments) == 0 {
				break
			}
		}
		s.mu.Lock()
		s.inbox.okAnchor[tk] = anchor
		s.mu.Unlock()
	}
	return out, pc, nil
}
