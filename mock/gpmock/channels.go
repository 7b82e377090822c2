package gpmock

import (
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// EventChannelItem is emitted, once for each subscribed cabinet, when an
// editorial cabinet publishes an item into a thematic channel. Its Data
// is a [ChannelItemEventData].
const EventChannelItem = "channel.item"

// Channel is a thematic channel of an editorial cabinet: ready content
// for its subordinate cabinets, which subscribe to it.
type Channel struct {
	ID        int64  `json:"id"`
	CabinetID int64  `json:"cabinet_id"`
	Title     string `json:"title"`
	// Topic is the field the channel covers ("Образование").
	Topic string `json:"topic"`
	// Subscribers are the subscribed cabinets (shown to the channel's own
	// cabinet only).
	Subscribers []int64 `json:"subscribers"`
	// Subscribed tells a subordinate cabinet whether it is subscribed.
	Subscribed bool      `json:"subscribed"`
	CreatedAt  time.Time `json:"created_at"`
}

// ChannelInput is the body of POST /api/v1/channels.
type ChannelInput struct {
	Title string `json:"title"`
	Topic string `json:"topic,omitempty"`
}

// ChannelList is the answer of GET /api/v1/channels.
type ChannelList struct {
	Items []Channel `json:"items"`
}

// ChannelItem is ready content published into a channel.
type ChannelItem struct {
	ID        int64  `json:"id"`
	ChannelID int64  `json:"channel_id"`
	CabinetID int64  `json:"cabinet_id"`
	AuthorID  int64  `json:"author_id"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	Urgency   string `json:"urgency"`
	// PageKinds are the kinds of pages the item suits (empty: every kind).
	PageKinds []string `json:"page_kinds"`
	// TakenBy are the cabinets that took the item as a draft (shown to
	// the channel's own cabinet; a subordinate sees only itself).
	TakenBy   []int64   `json:"taken_by"`
	CreatedAt time.Time `json:"created_at"`
}

// ChannelItemInput is the body of POST /api/v1/channels/{id}/items.
type ChannelItemInput struct {
	Title     string   `json:"title"`
	Text      string   `json:"text"`
	Urgency   string   `json:"urgency,omitempty"`
	PageKinds []string `json:"page_kinds,omitempty"`
}

// ChannelItemPage is one page of GET /api/v1/channels/{id}/items.
type ChannelItemPage struct {
	Items      []ChannelItem `json:"items"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

// ChannelItemEventData is the Data of a channel.item event.
type ChannelItemEventData struct {
	ChannelID     int64  `json:"channel_id"`
	ItemID        int64  `json:"item_id"`
	Title         string `json:"title"`
	FromCabinetID int64  `json:"from_cabinet_id"`
}

// TakeRequest is the body of POST /api/v1/channel-items/{id}/take.
type TakeRequest struct {
	Targets   []string   `json:"targets,omitempty"`
	PublishAt *time.Time `json:"publish_at,omitempty"`
}

func cloneItem(it *ChannelItem) ChannelItem {
	out := *it
	out.PageKinds = slices.Clone(nonNil(it.PageKinds))
	out.TakenBy = slices.Clone(nonNil(it.TakenBy))
	return out
}

var errNotEditorial = &apiError{http.StatusForbidden, "forbidden", "only an editorial cabinet publishes thematic channels"}

func (s *Server) routesChannels() {
	s.handle("listChannels", "GET", "/api/v1/channels", content, s.listChannels)
	s.handle("createChannel", "POST", "/api/v1/channels", editors, s.createChannel)
	s.handle("subscribeChannel", "POST", "/api/v1/channels/{id}/subscription", editors, s.subscription(true))
	s.handle("unsubscribeChannel", "DELETE", "/api/v1/channels/{id}/subscription", editors, s.subscription(false))
	s.handle("listChannelItems", "GET", "/api/v1/channels/{id}/items", content, s.listChannelItems)
	s.handle("publishChannelItem", "POST", "/api/v1/channels/{id}/items", editors, s.publishChannelItem)
	s.handle("takeChannelItem", "POST", "/api/v1/channel-items/{id}/take", editors, s.takeChannelItem)
}

// channelView is a channel as the caller sees it.
func channelView(c *caller, ch *Channel) Channel {
	out := *ch
	out.Subscribed = slices.Contains(ch.Subscribers, c.CabinetID)
	if ch.CabinetID == c.CabinetID {
		out.Subscribers = slices.Clone(nonNil(ch.Subscribers))
	} else {
		out.Subscribers = []int64{}
	}
	return out
}

func (s *Server) createChannel(c *caller, r *http.Request) (int, any, error) {
	var in ChannelInput
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if strings.TrimSpace(in.Title) == "" || utf8.RuneCountInString(in.Title) > maxTopicRunes || utf8.RuneCountInString(in.Topic) > maxTopicRunes ||
		!utf8.ValidString(in.Title+in.Topic) {
		return 0, nil, invalid("title must be 1 to 500 characters, topic at most 500")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cabinets[c.CabinetID].Kind != KindEditorial {
		return 0, nil, errNotEditorial
	}
	s.nextID++
	ch := &Channel{ID: s.nextID, CabinetID: c.CabinetID, Title: in.Title, Topic: in.Topic, Subscribers: []int64{},
		CreatedAt: s.clock.Now().UTC()}
	s.planning.channels[ch.ID] = ch
	return http.StatusCreated, channelView(c, ch), nil
}

// channelOf returns the channel of the path if the caller's cabinet owns
// it or is below its cabinet (above from cabinetTree). The caller holds
// s.mu.
func (s *Server) channelOf(c *caller, r *http.Request, above []int64) (*Channel, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ch := s.planning.channels[id]
	if ch == nil || ch.CabinetID != c.CabinetID && !slices.Contains(above, ch.CabinetID) {
		return nil, errNotFound
	}
	return ch, nil
}

// listChannels lists the caller's own channels (an editorial cabinet)
// and the channels of the editorial cabinets above it.
func (s *Server) listChannels(c *caller, r *http.Request) (int, any, error) {
	above, _ := s.cabinetTree(c.CabinetID)
	s.mu.Lock()
	defer s.mu.Unlock()
	out := ChannelList{Items: []Channel{}}
	for _, ch := range sortedByID(s.planning.channels) {
		if ch.CabinetID == c.CabinetID || slices.Contains(above, ch.CabinetID) {
			out.Items = append(out.Items, channelView(c, ch))
		}
	}
	return http.StatusOK, out, nil
}

// subscription subscribes or unsubscribes the caller's cabinet, which
// must be below the channel's cabinet.
func (s *Server) subscription(on bool) handlerFunc {
	return func(c *caller, r *http.Request) (int, any, error) {
		above, _ := s.cabinetTree(c.CabinetID)
		s.mu.Lock()
		defer s.mu.Unlock()
		ch, err := s.channelOf(c, r, above)
		if err != nil {
			return 0, nil, err
		}
		if ch.CabinetID == c.CabinetID {
			return 0, nil, &apiError{http.StatusConflict, "conflict", "a cabinet does not subscribe to its own channel"}
		}
		cp := *ch
		cp.Subscribers = slices.DeleteFunc(slices.Clone(ch.Subscribers), func(id int64) bool { return id == c.CabinetID })
		if on {
			cp.Subscribers = append(cp.Subscribers, c.CabinetID)
			slices.Sort(cp.Subscribers)
		}
		s.planning.channels[cp.ID] = &cp
		return http.StatusOK, channelView(c, &cp), nil
	}
}

func (s *Server) publishChannelItem(c *caller, r *http.Request) (int, any, error) {
	var in ChannelItemInput
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Urgency == "" {
		in.Urgency = UrgencyGreen
	}
	switch {
	case strings.TrimSpace(in.Title) == "" || utf8.RuneCountInString(in.Title) > maxTopicRunes || !utf8.ValidString(in.Title):
		return 0, nil, invalid("title must be 1 to 500 characters")
	case strings.TrimSpace(in.Text) == "" || utf8.RuneCountInString(in.Text) > maxTextRunes || !utf8.ValidString(in.Text):
		return 0, nil, invalid("text must be 1 to 16384 characters")
	case !validUrgency(in.Urgency):
		return 0, nil, invalid("urgency must be green, orange or red")
	case !validKinds(in.PageKinds):
		return 0, nil, invalid("page kinds are vk, ok and telegram")
	}
	_, below := s.cabinetTree(c.CabinetID)
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.channelOf(c, r, nil)
	if err != nil {
		return 0, nil, err
	}
	now := s.clock.Now().UTC()
	s.nextID++
	kinds := slices.Clone(nonNil(in.PageKinds))
	slices.Sort(kinds)
	it := &ChannelItem{ID: s.nextID, ChannelID: ch.ID, CabinetID: c.CabinetID, AuthorID: c.ID, Title: in.Title, Text: in.Text,
		Urgency: in.Urgency, PageKinds: slices.Compact(kinds), TakenBy: []int64{}, CreatedAt: now}
	s.planning.items[it.ID] = it
	data := ChannelItemEventData{ChannelID: ch.ID, ItemID: it.ID, Title: it.Title, FromCabinetID: c.CabinetID}
	for _, sub := range ch.Subscribers {
		// A cabinet that left the subordination keeps its subscription
		// record but hears no more.
		if slices.Contains(below, sub) {
			s.emit(Event{Type: EventChannelItem, CabinetID: sub, UserID: c.ID, At: now, Data: data})
		}
	}
	return http.StatusCreated, cloneItem(it), nil
}

// itemView is an item as the caller sees it.
func itemView(c *caller, it *ChannelItem) ChannelItem {
	out := cloneItem(it)
	if it.CabinetID != c.CabinetID {
		out.TakenBy = []int64{}
		if slices.Contains(it.TakenBy, c.CabinetID) {
			out.TakenBy = []int64{c.CabinetID}
		}
	}
	return out
}

// listChannelItems lists a channel's items, newest first.
func (s *Server) listChannelItems(c *caller, r *http.Request) (int, any, error) {
	limit, cursor, err := listQuery(r)
	if err != nil {
		return 0, nil, err
	}
	var before int64
	if cursor != "" {
		if before, err = decodeCursor(cursor); err != nil {
			return 0, nil, err
		}
	}
	above, _ := s.cabinetTree(c.CabinetID)
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.channelOf(c, r, above)
	if err != nil {
		return 0, nil, err
	}
	all := sortedByID(s.planning.items)
	out := ChannelItemPage{Items: []ChannelItem{}}
	for i := len(all) - 1; i >= 0; i-- {
		it := all[i]
		if it.ChannelID != ch.ID || before > 0 && it.ID >= before {
			continue
		}
		if len(out.Items) == limit {
			out.NextCursor = encodeCursor(out.Items[limit-1].ID)
			break
		}
		out.Items = append(out.Items, itemView(c, it))
	}
	return http.StatusOK, out, nil
}

// takeChannelItem makes a draft of the caller's cabinet from an item of a
// channel above it.
func (s *Server) takeChannelItem(c *caller, r *http.Request) (int, any, error) {
	var req TakeRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	above, _ := s.cabinetTree(c.CabinetID)
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.planning.items[id]
	if it == nil || !slices.Contains(above, it.CabinetID) {
		return 0, nil, errNotFound
	}
	if err := kindsAllow(it.PageKinds, req.Targets); err != nil {
		return 0, nil, err
	}
	text, urgency := it.Text, it.Urgency
	status, v, err := s.newDraftLocked(c, PostInput{Text: &text, Urgency: &urgency, Targets: req.Targets, PublishAt: req.PublishAt})
	if err != nil {
		return 0, nil, err
	}
	if !slices.Contains(it.TakenBy, c.CabinetID) {
		cp := cloneItem(it)
		cp.TakenBy = append(cp.TakenBy, c.CabinetID)
		slices.Sort(cp.TakenBy)
		s.planning.items[cp.ID] = &cp
	}
	return status, v, nil
}
