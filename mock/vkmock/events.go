package vkmock

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/mock/delivery"
	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// EventTypes are the event types the emulator raises and a server's or the
// long poll's settings may enable.
var EventTypes = []string{"message_new", "message_reply", "message_edit", "wall_post_new", "wall_repost",
	"wall_reply_new", "wall_reply_edit", "wall_reply_delete", "wall_reply_restore", "group_join", "group_leave", "group_change_settings"}

// maxCallbackServers is VK's limit per community (error 2000 beyond).
const maxCallbackServers = 10

// event is one event of a community.
type event struct {
	Type    string          `json:"type"`
	EventID string          `json:"event_id"`
	V       string          `json:"v"`
	Object  json.RawMessage `json:"object"`
	GroupID int64           `json:"group_id"`
	ts      int64
}

// callbackServer is a registered Callback API server.
type callbackServer struct {
	id         int64
	title      string
	url        string
	secret     string
	creator    int64
	status     string // unconfigured, wait, ok, failed
	apiVersion string
	events     map[string]bool
	queue      []*event
	confirm    bool // the confirmation request is at the head
	stream     *delivery.Stream
	group      *callbackGroup
}

type callbackGroup struct {
	code    string
	servers []*callbackServer
	next    int64
}

// lpGroup is a community's Bots Long Poll state.
type lpGroup struct {
	enabled    bool
	apiVersion string
	events     map[string]bool
	ts         int64
	history    []*event // the last historyLimit events
	notify     chan struct{}
}

// lpKey is a long-poll key.
type lpKey struct {
	group  int64
	issued time.Time
	gen    uint64
}

const historyLimit = 1000

func (s *Server) cbGroupLocked(id int64) *callbackGroup {
	g := s.st.callbacks[id]
	if g == nil {
		g = &callbackGroup{code: newSecret(4)}
		s.st.callbacks[id] = g
	}
	return g
}

func (s *Server) lpGroupLocked(id int64) *lpGroup {
	g := s.st.lpGroups[id]
	if g == nil {
		g = &lpGroup{apiVersion: APIVersion, events: map[string]bool{}, ts: 1, notify: make(chan struct{})}
		s.st.lpGroups[id] = g
	}
	return g
}

// emitLocked raises an event of a community: it is queued for every
// callback server and the long poll that enable its type. The caller
// holds s.mu.
func (s *Server) emitLocked(groupID int64, typ string, object any) {
	raw, _ := json.Marshal(object)
	if g := s.st.callbacks[groupID]; g != nil {
		for _, srv := range g.servers {
			if srv.events[typ] && (srv.status == "ok" || srv.status == "wait") {
				srv.queue = append(srv.queue, &event{Type: typ, EventID: newSecret(20), V: srv.apiVersion, Object: raw, GroupID: groupID})
				srv.stream.Kick()
			}
		}
	}
	if lp := s.st.lpGroups[groupID]; lp != nil && lp.enabled && lp.events[typ] {
		lp.ts++
		lp.history = append(lp.history, &event{Type: typ, EventID: newSecret(20), V: lp.apiVersion, Object: raw, GroupID: groupID, ts: lp.ts})
		if len(lp.history) > historyLimit {
			lp.history = slices.Delete(lp.history, 0, len(lp.history)-historyLimit)
		}
		close(lp.notify)
		lp.notify = make(chan struct{})
	}
}

// ---- Callback API ----

type cbSource struct {
	s   *Server
	srv *callbackServer
}

// Next implements [delivery.Source].
func (src cbSource) Next() (any, delivery.Request, bool) {
	s, srv := src.s, src.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	hdr := http.Header{"Content-Type": {"application/json"}, "User-Agent": {"VKCallbackAPI/1.0 (vkmock)"}}
	req := delivery.Request{URL: srv.url, Header: hdr, Name: "callback", Tenant: s.tenant}
	if srv.confirm {
		// The confirmation carries the server's secret like every event
		// (VK's own PHP SDK passes it to confirmation(group_id, secret),
		// and SDKs such as vksdk refuse a confirmation without it).
		m := map[string]any{"type": "confirmation", "group_id": srv.groupID(s)}
		if srv.secret != "" {
			m["secret"] = srv.secret
		}
		body, _ := json.Marshal(m)
		req.Body = body
		code := srv.group.code
		req.Accept = func(r *delivery.Response) bool { return strings.TrimSpace(string(r.Body)) == code }
		req.Params = map[string]string{"type": "confirmation"}
		return srv, req, true
	}
	if srv.status != "ok" || len(srv.queue) == 0 {
		return nil, req, false
	}
	ev := srv.queue[0]
	m := map[string]any{"type": ev.Type, "event_id": ev.EventID, "v": ev.V, "object": ev.Object, "group_id": ev.GroupID}
	if srv.secret != "" {
		m["secret"] = srv.secret
	}
	req.Body, _ = json.Marshal(m)
	req.Accept = func(r *delivery.Response) bool { return strings.TrimSpace(string(r.Body)) == "ok" }
	req.Params = map[string]string{"type": ev.Type, "event_id": ev.EventID}
	return ev, req, true
}

func (srv *callbackServer) groupID(s *Server) int64 {
	for id, g := range s.st.callbacks {
		if g == srv.group {
			return id
		}
	}
	return 0
}

// Done implements [delivery.Source].
func (src cbSource) Done(key any, resp *delivery.Response, err error) {
	s, srv := src.s, src.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	if key == any(srv) {
		if err == nil {
			srv.confirm, srv.status = false, "ok"
			srv.stream.Kick()
		} else {
			var de *delivery.Error
			if asDelivery(err, &de) && de.Kind == delivery.KindRejected {
				// A wrong confirmation string: VK gives up until the
				// server is edited.
				srv.confirm, srv.status = false, "failed"
			}
		}
		return
	}
	if err == nil && len(srv.queue) > 0 && any(srv.queue[0]) == key {
		srv.queue = srv.queue[1:]
	}
}

func asDelivery(err error, de **delivery.Error) bool {
	e, ok := err.(*delivery.Error)
	if ok {
		*de = e
	}
	return ok
}

func (s *Server) startConfirmLocked(srv *callbackServer) {
	srv.confirm, srv.status = true, "wait"
	if srv.stream == nil {
		srv.stream = s.deliv.NewStream(cbSource{s: s, srv: srv})
		s.st.streams = append(s.st.streams, srv.stream)
	}
	srv.stream.Reset()
}

func (c *call) groupsAddCallbackServer() (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	u := strings.TrimSpace(c.str("url"))
	if u == "" {
		return nil, errMissing("url")
	}
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return nil, errInvalid("url", "is invalid")
	}
	title := c.str("title")
	if title == "" {
		return nil, errMissing("title")
	}
	if len([]rune(title)) > 14 {
		return nil, errInvalid("title", "is too long")
	}
	secret := c.str("secret_key")
	if len(secret) > 50 {
		return nil, errInvalid("secret_key", "is too long")
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	g := c.s.cbGroupLocked(p.ID)
	if len(g.servers) >= maxCallbackServers {
		return nil, errCode(2000)
	}
	g.next++
	srv := &callbackServer{id: g.next, title: title, url: u, secret: secret, creator: c.tok.UserID, status: "unconfigured",
		apiVersion: APIVersion, events: map[string]bool{}, group: g}
	g.servers = append(g.servers, srv)
	c.s.startConfirmLocked(srv)
	return map[string]any{"server_id": srv.id}, nil
}

// server returns the callback server named by server_id.
func (c *call) server(p world.Page) (*callbackServer, *apiError) {
	id, e := c.reqInt("server_id")
	if e != nil {
		return nil, e
	}
	g := c.s.cbGroupLocked(p.ID)
	for _, srv := range g.servers {
		if srv.id == id {
			return srv, nil
		}
	}
	return nil, errInvalid("server_id", "is invalid")
}

func (c *call) groupsEditCallbackServer() (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	srv, e := c.server(p)
	if e != nil {
		return nil, e
	}
	if u := c.str("url"); u != "" {
		srv.url = u
	}
	if t := c.str("title"); t != "" {
		srv.title = t
	}
	if c.p.has("secret_key") {
		srv.secret = c.str("secret_key")
	}
	c.s.startConfirmLocked(srv)
	return 1, nil
}

func (c *call) groupsDeleteCallbackServer() (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	srv, e := c.server(p)
	if e != nil {
		return nil, e
	}
	srv.stream.Close()
	g := srv.group
	g.servers = slices.DeleteFunc(g.servers, func(o *callbackServer) bool { return o == srv })
	return 1, nil
}

func (c *call) groupsGetCallbackServers() (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	want := map[int64]bool{}
	for _, s := range splitList(c.str("server_ids")) {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, errInvalid("server_ids", "is invalid")
		}
		want[id] = true
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	items := []map[string]any{}
	for _, srv := range c.s.cbGroupLocked(p.ID).servers {
		if len(want) > 0 && !want[srv.id] {
			continue
		}
		items = append(items, map[string]any{"id": srv.id, "title": srv.title, "creator_id": srv.creator, "url": srv.url,
			"secret_key": srv.secret, "status": srv.status})
	}
	return map[string]any{"count": len(items), "items": items}, nil
}

// eventSettings applies <event>=0/1 parameters to a settings map.
func (c *call) eventSettings(m map[string]bool) {
	for _, t := range EventTypes {
		if c.p.has(t) {
			m[t] = c.flag(t)
		}
	}
}

func eventMap(m map[string]bool) map[string]int {
	out := make(map[string]int, len(EventTypes))
	for _, t := range EventTypes {
		out[t] = b2i(m[t])
	}
	return out
}

func (c *call) groupsSetCallbackSettings() (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	srv, e := c.server(p)
	if e != nil {
		return nil, e
	}
	if v := c.str("api_version"); v != "" {
		srv.apiVersion = v
	}
	c.eventSettings(srv.events)
	return 1, nil
}

func (c *call) groupsGetCallbackSettings() (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	srv, e := c.server(p)
	if e != nil {
		return nil, e
	}
	return map[string]any{"api_version": srv.apiVersion, "events": eventMap(srv.events)}, nil
}

func (c *call) groupsGetCallbackConfirmationCode() (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return map[string]any{"code": c.s.cbGroupLocked(p.ID).code}, nil
}

// ---- Bots Long Poll ----

func (c *call) groupsSetLongPollSettings() (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	g := c.s.lpGroupLocked(p.ID)
	if c.p.has("enabled") {
		g.enabled = c.flag("enabled")
	}
	if v := c.str("api_version"); v != "" {
		g.apiVersion = v
	}
	c.eventSettings(g.events)
	return 1, nil
}

func (c *call) groupsGetLongPollSettings() (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	g := c.s.lpGroupLocked(p.ID)
	return map[string]any{"is_enabled": g.enabled, "api_version": g.apiVersion, "events": eventMap(g.events)}, nil
}

func (c *call) groupsGetLongPollServer() (any, *apiError) {
	p, e := c.adminGroup("group_id")
	if e != nil {
		return nil, e
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	g := c.s.lpGroupLocked(p.ID)
	if !g.enabled {
		return nil, errMsg(100, "Bots Long Poll API is disabled for this community")
	}
	key := newSecret(20)
	c.s.lp[key] = lpKey{group: p.ID, issued: c.now, gen: c.s.gen}
	c.s.issueCred(key)
	return map[string]any{"key": key, "server": c.s.base + "/lp/" + strconv.FormatInt(p.ID, 10), "ts": strconv.FormatInt(g.ts, 10)}, nil
}

// serveLongPoll answers GET {server}?act=a_check&key=…&ts=…&wait=….
func (s *Server) serveLongPoll(w http.ResponseWriter, r *http.Request, c *emu.Call, q *request) {
	reply := func(v any) {
		b, _ := json.Marshal(v)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(b)
	}
	if q.p.str("act") != "a_check" {
		c.Code, c.Description = 400, "act must be a_check"
		reply(map[string]any{"failed": 2})
		return
	}
	gid, _ := strconv.ParseInt(q.rest, 10, 64)
	key := q.p.str("key")
	ts, err := strconv.ParseInt(q.p.str("ts"), 10, 64)
	wait, _ := strconv.Atoi(q.p.str("wait"))
	wait = max(0, min(wait, 90))
	now := s.w.Clock.Now()
	s.mu.Lock()
	k, ok := s.lp[key]
	var g *lpGroup
	switch {
	case !ok || k.group != gid:
		s.mu.Unlock()
		c.Code, c.Description = 2, "key expired"
		reply(map[string]any{"failed": 2})
		return
	case k.gen != s.gen:
		s.mu.Unlock()
		c.Code, c.Description = 3, "information lost"
		reply(map[string]any{"failed": 3})
		return
	case now.Sub(k.issued) > s.keyLife:
		s.mu.Unlock()
		c.Code, c.Description = 2, "key expired"
		reply(map[string]any{"failed": 2})
		return
	}
	g = s.lpGroupLocked(gid)
	oldest := g.ts - int64(len(g.history))
	if err != nil || ts > g.ts || ts < oldest {
		cur := g.ts
		s.mu.Unlock()
		c.Code, c.Description = 1, "history outdated"
		reply(map[string]any{"failed": 1, "ts": cur})
		return
	}
	if ts == g.ts && wait > 0 {
		notify := g.notify
		s.mu.Unlock()
		timer := s.w.Clock.NewTimer(time.Duration(wait) * time.Second)
		real := time.NewTimer(s.maxLP)
		select {
		case <-notify:
		case <-timer.C():
		case <-real.C:
		case <-r.Context().Done():
		}
		timer.Stop()
		real.Stop()
		s.mu.Lock()
		if k.gen != s.gen {
			s.mu.Unlock()
			c.Code, c.Description = 3, "information lost"
			reply(map[string]any{"failed": 3})
			return
		}
		g = s.lpGroupLocked(gid)
	}
	updates := []*event{}
	for _, ev := range g.history {
		if ev.ts > ts {
			updates = append(updates, ev)
		}
	}
	cur := g.ts
	s.mu.Unlock()
	reply(map[string]any{"ts": strconv.FormatInt(cur, 10), "updates": updates})
}

// ---- user simulation ----

// PostComment simulates a VK user commenting a community post: it raises
// wall_reply_new and returns the comment id.
func (s *Server) PostComment(groupID, postID, userID int64, text string) (int64, error) {
	s.sync()
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.findPostLocked(-groupID, postID)
	if p == nil {
		return 0, errNotFound("post")
	}
	p.Comments++
	id := s.st.newID()
	s.emitLocked(groupID, "wall_reply_new", map[string]any{"id": id, "from_id": userID, "date": s.w.Clock.Now().Unix(),
		"text": text, "post_id": postID, "post_owner_id": -groupID, "owner_id": -groupID})
	return id, nil
}

// WriteToCommunity simulates a VK user writing to a community: it raises
// message_new (5.103+ shape {message, client_info}) and returns the message
// id.
func (s *Server) WriteToCommunity(groupID, userID int64, text string) (int64, error) {
	s.sync()
	if _, err := s.w.Page(world.NetworkVK, groupID); err != nil {
		return 0, errNotFound("community")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.allowMessagesLocked(groupID, userID)
	id := s.st.newID()
	now := s.w.Clock.Now().Unix()
	s.emitLocked(groupID, "message_new", map[string]any{
		"message": map[string]any{"id": id, "date": now, "peer_id": userID, "from_id": userID, "text": text,
			"conversation_message_id": id, "out": 0, "attachments": []any{}, "fwd_messages": []any{}, "important": false, "is_hidden": false},
		"client_info": map[string]any{"button_actions": []string{"text", "callback"}, "keyboard": true, "inline_keyboard": true,
			"carousel": true, "lang_id": 0},
	})
	return id, nil
}

// CallbackStatus returns the status of a community's callback server
// ("unconfigured", "wait", "ok" or "failed"; "" when none).
func (s *Server) CallbackStatus(groupID, serverID int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.st.callbacks[groupID]; g != nil {
		for _, srv := range g.servers {
			if srv.id == serverID {
				return srv.status
			}
		}
	}
	return ""
}

// errNotFound is the error of a helper naming an unknown object.
type errNotFound string

func (e errNotFound) Error() string { return "vkmock: no such " + string(e) }
