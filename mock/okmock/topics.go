package okmock

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// LongTokenLifetime is the lifetime of a LONG_ACCESS_TOKEN token (30
// days); other tokens issued by /oauth/token.do live [TokenLifetime].
const (
	LongTokenLifetime = 30 * 24 * time.Hour
	TokenLifetime     = 30 * time.Minute
)

// First ids of topics and videos (OK's ids are 14- and 13-digit
// numbers); each emulator counts up from them.
const (
	firstTopicID = 150000000000000
	firstVideoID = 7000000000000
)

// moscow is Europe/Moscow (UTC+3, no DST since 2014) for publishAt.
var moscow = time.FixedZone("MSK", 3*3600)

// Media is one media block of a topic.
type Media struct {
	Type     string   `json:"type"`
	Text     string   `json:"text,omitempty"`
	URL      string   `json:"url,omitempty"`
	PhotoIDs []string `json:"photo_ids,omitempty"`
	MovieIDs []string `json:"movie_ids,omitempty"`
	Question string   `json:"question,omitempty"`
	Answers  []string `json:"answers,omitempty"`
	Options  string   `json:"options,omitempty"`
}

// Topic is a mediatopic the emulator holds.
type Topic struct {
	ID              string    `json:"id"`
	GroupID         int64     `json:"group_id,omitempty"`
	AuthorOID       int64     `json:"author_oid"`
	OnBehalfOfGroup bool      `json:"on_behalf_of_group"`
	Media           []Media   `json:"media"`
	Created         time.Time `json:"created"`
	// PublishAt is the scheduled time (zero: published at once);
	// Published reports that the topic is visible.
	PublishAt time.Time `json:"publish_at,omitzero"`
	Published bool      `json:"published"`
}

type topic struct{ Topic }

type upload struct {
	kind    string
	groupID int64
	photoID []string
	videoID int64
	used    bool
}

// Topics returns the topics of a group (0: every topic), oldest first,
// scheduled ones included.
func (s *Server) Topics(groupID int64) []Topic {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Topic
	for _, id := range s.order {
		t := s.topics[id]
		if groupID == 0 || t.GroupID == groupID {
			cp := t.Topic
			cp.Media = append([]Media(nil), t.Media...)
			out = append(out, cp)
		}
	}
	return out
}

func (s *Server) countContent(groupID int64) (themes, photos, videos int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.topics {
		if t.GroupID != groupID || !t.Published {
			continue
		}
		themes++
		for _, m := range t.Media {
			photos += len(m.PhotoIDs)
			videos += len(m.MovieIDs)
		}
	}
	return
}

type rawAttachment struct {
	Media           []map[string]json.RawMessage `json:"media"`
	OnBehalfOfGroup json.RawMessage              `json:"onBehalfOfGroup"`
	PublishAt       string                       `json:"publishAt"`
	PublishAtMs     json.RawMessage              `json:"publishAtMs"`
}

func str(m map[string]json.RawMessage, k string) string {
	var s string
	if raw, ok := m[k]; ok {
		if json.Unmarshal(raw, &s) != nil {
			s = strings.Trim(string(raw), `"`)
		}
	}
	return s
}

func boolish(raw json.RawMessage) bool {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	return strings.EqualFold(s, "true")
}

// ParseAttachment decodes mediatopic.post's attachment JSON, applying the
// documented limits (codes 600–607). It never panics.
func ParseAttachment(raw string) (media []Media, onBehalf bool, publishAt time.Time, err *apiError) {
	var a rawAttachment
	if e := json.Unmarshal([]byte(raw), &a); e != nil {
		return nil, false, time.Time{}, errf(CodeParam, "attachment is not valid JSON")
	}
	if len(a.Media) == 0 {
		return nil, false, time.Time{}, errf(CodeParam, "attachment has no media")
	}
	if len(a.Media) > MaxMediaBlocks {
		return nil, false, time.Time{}, errf(CodeMediaTopicBlockLimit, "too many media blocks")
	}
	type item struct {
		ID         json.RawMessage `json:"id"`
		PhotoID    json.RawMessage `json:"photoId"`
		ExistingID json.RawMessage `json:"existing_photo_id"`
	}
	ids := func(m map[string]json.RawMessage) ([]string, bool) {
		var list []item
		if json.Unmarshal(m["list"], &list) != nil || len(list) == 0 {
			return nil, false
		}
		var out []string
		for _, it := range list {
			v := it.ID
			if len(v) == 0 {
				v = it.PhotoID
			}
			if len(v) == 0 {
				v = it.ExistingID
			}
			s := strings.Trim(string(v), `"`)
			if s == "" {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	for _, m := range a.Media {
		md := Media{Type: str(m, "type")}
		switch md.Type {
		case "text":
			md.Text = str(m, "text")
			if utf8.RuneCountInString(md.Text) > MaxTextLength {
				return nil, false, time.Time{}, errf(CodeMediaTopicTextLimit, "text too long")
			}
		case "link":
			md.URL = str(m, "url")
			u, e := url.Parse(md.URL)
			if e != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return nil, false, time.Time{}, errf(CodeMediaTopicLinkFormat, "bad link")
			}
		case "photo":
			l, ok := ids(m)
			if !ok {
				return nil, false, time.Time{}, errf(CodeParam, "photo block needs a list of ids")
			}
			md.PhotoIDs = l
		case "movie":
			l, ok := ids(m)
			if !ok {
				return nil, false, time.Time{}, errf(CodeParam, "movie block needs a list of ids")
			}
			md.MovieIDs = l
		case "poll":
			md.Question, md.Options = str(m, "question"), str(m, "options")
			var answers []map[string]json.RawMessage
			if json.Unmarshal(m["answers"], &answers) != nil || md.Question == "" || len(answers) < 2 {
				return nil, false, time.Time{}, errf(CodeParam, "poll needs a question and answers")
			}
			if utf8.RuneCountInString(md.Question) > MaxPollQuestion {
				return nil, false, time.Time{}, errf(CodeMediaTopicPollQLimit, "poll question too long")
			}
			if len(answers) > MaxPollAnswers {
				return nil, false, time.Time{}, errf(CodeMediaTopicPollALimit, "too many poll answers")
			}
			for _, an := range answers {
				t := str(an, "text")
				if t == "" {
					return nil, false, time.Time{}, errf(CodeParam, "empty poll answer")
				}
				if utf8.RuneCountInString(t) > MaxPollAnswerText {
					return nil, false, time.Time{}, errf(CodeMediaTopicPollATLimit, "poll answer too long")
				}
				md.Answers = append(md.Answers, t)
			}
		default:
			return nil, false, time.Time{}, errf(CodeParam, "unsupported media type")
		}
		media = append(media, md)
	}
	onBehalf = boolish(a.OnBehalfOfGroup)
	if ms := strings.Trim(strings.TrimSpace(string(a.PublishAtMs)), `"`); ms != "" && ms != "null" {
		n, e := strconv.ParseInt(ms, 10, 64)
		if e != nil || n <= 0 {
			return nil, false, time.Time{}, errf(CodeParam, "invalid publishAtMs")
		}
		publishAt = time.UnixMilli(n).UTC()
	} else if a.PublishAt != "" {
		t, e := time.ParseInLocation("2006-01-02 15:04:05", a.PublishAt, moscow)
		if e != nil {
			return nil, false, time.Time{}, errf(CodeParam, "invalid publishAt")
		}
		publishAt = t.UTC()
	}
	return media, onBehalf, publishAt, nil
}

func (c *call) mediatopicPost() (any, *apiError) {
	typ := strings.ToUpper(c.params.Get("type"))
	if typ == "" {
		typ = "USER"
	}
	if c.params.Get("attachment") == "" {
		return nil, errf(CodeParam, "attachment is missing")
	}
	var page world.Page
	switch typ {
	case "GROUP_THEME", "GROUP_THEME_PROMO", "GROUP_SUGGESTED":
		p, e := c.groupID("gid")
		if e != nil {
			return nil, e
		}
		page = p
		if typ != "GROUP_SUGGESTED" && !canPost(c.role(p)) {
			return nil, errf(CodeParamPermission, "no right to post in the group")
		}
	case "USER", "USER_STATUS", "USER_NOTE":
		if c.params.Get("gid") != "" {
			return nil, errf(CodeParam, "gid needs type GROUP_THEME")
		}
	default:
		return nil, errf(CodeParam, "invalid type")
	}
	media, onBehalf, at, e := ParseAttachment(c.params.Get("attachment"))
	if e != nil {
		return nil, e
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range media {
		for _, id := range m.PhotoIDs {
			if _, ok := s.photos[id]; !ok && !s.photoID[id] {
				return nil, errf(CodeParam, "unknown photo token or id")
			}
		}
		for _, id := range m.MovieIDs {
			n, _ := strconv.ParseInt(id, 10, 64)
			if !s.videos[n] {
				return nil, errf(CodeParam, "unknown video id")
			}
		}
	}
	now := s.w.Clock.Now()
	if !at.IsZero() {
		if page.ID == 0 {
			return nil, errf(CodeParam, "only group topics can be scheduled")
		}
		if !at.After(now) {
			return nil, errf(CodeParam, "publishAt is in the past")
		}
	}
	s.seq++
	id := strconv.FormatInt(firstTopicID+s.seq, 10)
	t := &topic{Topic{ID: id, GroupID: page.ID, AuthorOID: c.person.OID, OnBehalfOfGroup: onBehalf,
		Media: media, Created: now, PublishAt: at, Published: at.IsZero()}}
	s.topics[id] = t
	s.order = append(s.order, id)
	if !at.IsZero() {
		gen := s.gen
		s.timers[id] = s.w.Clock.AfterFunc(at.Sub(now), func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.gen == gen {
				delete(s.timers, id)
				if t, ok := s.topics[id]; ok {
					t.Published = true
				}
			}
		})
	}
	return id, nil
}

func (s *Server) topicObject(t *topic) map[string]any {
	media := []map[string]any{}
	for _, m := range t.Media {
		o := map[string]any{"type": m.Type}
		switch m.Type {
		case "text":
			o["text"] = m.Text
		case "link":
			o["url"] = m.URL
		case "photo":
			o["photo_refs"] = m.PhotoIDs
		case "movie":
			o["movie_refs"] = m.MovieIDs
		case "poll":
			o["question"], o["answers"], o["options"] = m.Question, m.Answers, m.Options
		}
		media = append(media, o)
	}
	o := map[string]any{"id": t.ID, "created_ms": t.Created.UnixMilli(), "media": media,
		"is_delayed": !t.Published, "on_behalf_of_group": t.OnBehalfOfGroup}
	if t.GroupID != 0 {
		o["owner_ref"] = "group:" + strconv.FormatInt(t.GroupID, 10)
	}
	if !t.PublishAt.IsZero() {
		o["publish_at_ms"] = t.PublishAt.UnixMilli()
	}
	return o
}

func (c *call) mediatopicGetByIDs() (any, *apiError) {
	ids := splitList(c.params.Get("topic_ids"))
	if len(ids) == 0 {
		return nil, errf(CodeParam, "topic_ids is missing")
	}
	if len(ids) > 1 && c.params.Get("media_limit") == "" {
		return nil, errf(CodeParam, "media_limit is required for several topics")
	}
	s := c.s
	var groupIDs []int64
	out := []map[string]any{}
	s.mu.Lock()
	for _, id := range ids {
		t, ok := s.topics[id]
		if !ok {
			continue
		}
		if !t.Published {
			p, err := s.w.Page(world.NetworkOK, t.GroupID)
			if err != nil || !canPost(c.role(p)) {
				continue
			}
		}
		out = append(out, s.topicObject(t))
		if t.GroupID != 0 {
			groupIDs = append(groupIDs, t.GroupID)
		}
	}
	s.mu.Unlock()
	groups := []map[string]any{}
	for _, g := range groupIDs {
		if p, err := s.w.Page(world.NetworkOK, g); err == nil {
			groups = append(groups, s.groupObject(p, []string{"name"}, ""))
		}
	}
	return map[string]any{"media_topics": out, "entities": map[string]any{"groups": groups}}, nil
}

func (c *call) photoUploadURL() (any, *apiError) {
	count := 1
	if v := c.params.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 40 {
			return nil, errf(CodeParam, "count must be 1 to 40")
		}
		count = n
	}
	var gid int64
	if c.params.Get("gid") != "" {
		p, e := c.groupID("gid")
		if e != nil {
			return nil, e
		}
		if !canPost(c.role(p)) {
			return nil, errf(CodeParamPermission, "no right to upload to the group")
		}
		gid = p.ID
	}
	s := c.s
	uid := s.newID(16)
	up := &upload{kind: "photo", groupID: gid}
	for range count {
		up.photoID = append(up.photoID, s.newID(12))
	}
	s.mu.Lock()
	s.uploads[uid] = up
	s.mu.Unlock()
	if err := s.issued(uid); err != nil {
		return nil, errf(CodeSystem, "")
	}
	now := s.w.Clock.Now()
	return map[string]any{"upload_url": s.baseURL + "/upload/photo/" + uid, "photo_ids": up.photoID,
		"expires_ms": now.Add(24 * time.Hour).UnixMilli(), "ttl_ms": (24 * time.Hour).Milliseconds()}, nil
}

func (c *call) videoUploadURL() (any, *apiError) {
	name := c.params.Get("file_name")
	if name == "" {
		return nil, errf(CodeParam, "file_name is missing")
	}
	size, err := strconv.ParseInt(c.params.Get("file_size"), 10, 64)
	if err != nil || size < 0 {
		return nil, errf(CodeParam, "file_size is missing")
	}
	if size != 0 && size < 16<<10 {
		return nil, errf(CodeParam, "FileToSmall")
	}
	if size > 1<<30 {
		return nil, errf(CodeParam, "FileToLarge")
	}
	var gid int64
	if c.params.Get("gid") != "" {
		p, e := c.groupID("gid")
		if e != nil {
			return nil, e
		}
		if !canPost(c.role(p)) {
			return nil, errf(CodeParamPermission, "no right to upload to the group")
		}
		gid = p.ID
	}
	s := c.s
	uid := s.newID(16)
	s.mu.Lock()
	s.seq++
	vid := firstVideoID + s.seq
	s.uploads[uid] = &upload{kind: "video", groupID: gid, videoID: vid}
	s.mu.Unlock()
	if err := s.issued(uid); err != nil {
		return nil, errf(CodeSystem, "")
	}
	return map[string]any{"upload_url": s.baseURL + "/upload/video/" + uid, "video_id": vid}, nil
}

// serveUpload receives a multipart upload at a URL photosV2.getUploadUrl
// or video.getUploadUrl handed out.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request, ec *emu.Call, req *request) {
	fail := func(e *apiError) {
		ec.Code, ec.Description = e.Code, e.Msg
		writeError(w, e)
	}
	s.mu.Lock()
	up, ok := s.uploads[req.id]
	s.mu.Unlock()
	if !ok || up.kind != req.group || up.used {
		fail(errf(CodeParam, "invalid upload url"))
		return
	}
	if r.Method != http.MethodPost {
		fail(errf(CodeRequest, "upload with POST"))
		return
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil || r.MultipartForm == nil {
		fail(errf(CodeNotMultipart, "not a multipart request"))
		return
	}
	var files int
	for _, fs := range r.MultipartForm.File {
		files += len(fs)
	}
	if files == 0 {
		fail(errf(CodeParam, "no file"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	up.used = true
	if up.kind == "video" {
		s.videos[up.videoID] = true
		writeResult(w, map[string]any{"video_id": up.videoID})
		return
	}
	photos := map[string]map[string]string{}
	for i, id := range up.photoID {
		if i >= files {
			break
		}
		tok := s.newID(24)
		s.photos[tok] = id
		s.photoID[id] = true
		photos[id] = map[string]string{"token": tok}
	}
	writeResult(w, map[string]any{"photos": photos})
}

func (s *Server) views(p world.Page) int {
	if v := s.sec.Group(p.ID).Views; v > 0 {
		return v
	}
	return memberCount(p)/2 + 1
}

func (c *call) getStatTopic() (any, *apiError) {
	id := c.params.Get("topic_id")
	if id == "" {
		return nil, errf(CodeParam, "topic_id is missing")
	}
	s := c.s
	s.mu.Lock()
	t, ok := s.topics[id]
	var gid int64
	if ok {
		gid = t.GroupID
		ok = t.Published
	}
	s.mu.Unlock()
	if !ok || gid == 0 {
		return nil, errf(CodeNotFound, "topic not found")
	}
	p, err := s.w.Page(world.NetworkOK, gid)
	if err != nil || !canSeeStats(c.role(p)) {
		return nil, errf(CodeParamPermission, "no access to group statistics")
	}
	reach := s.views(p)
	return map[string]any{"topic": map[string]any{"id": id, "reach": reach, "reach_own": reach, "engagement": reach / 10,
		"feedback": reach / 20, "likes": reach / 20, "comments": reach / 100, "reshares": reach / 200}}, nil
}

func (c *call) getStatOverview() (any, *apiError) {
	p, e := c.groupID("gid")
	if e != nil {
		return nil, e
	}
	if !canSeeStats(c.role(p)) {
		return nil, errf(CodeParamPermission, "no access to group statistics")
	}
	themes, _, _ := c.s.countContent(p.ID)
	reach := c.s.views(p) * max(themes, 1)
	return map[string]any{"members_count": memberCount(p), "reach": reach, "engagement": reach / 10,
		"topics": themes, "feedback": reach / 20}, nil
}

// serveOAuth is /oauth/token.do: grant_type refresh_token (client_id,
// client_secret, refresh_token, in the body or the query) answers
// {"access_token","token_type","expires_in","refresh_token"} as JSON.
func (s *Server) serveOAuth(w http.ResponseWriter, r *http.Request, ec *emu.Call, req *request) {
	oerr := func(status int, code, desc string) {
		ec.Code, ec.Description = status, code
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(status)
		body, _ := json.Marshal(map[string]string{"error": code, "error_description": desc})
		_, _ = w.Write(body)
	}
	if r.Method != http.MethodPost {
		oerr(http.StatusBadRequest, "invalid_request", "use POST")
		return
	}
	p := req.params
	app := s.sec.Application()
	id, secret := p.Get("client_id"), p.Get("client_secret")
	if u, pw, ok := r.BasicAuth(); ok {
		id, secret = u, pw
	}
	if id == "" || id != strconv.FormatInt(app.ID, 10) || secret == "" || secret != app.Secret {
		oerr(http.StatusUnauthorized, "invalid_client", "unknown client or bad client_secret")
		return
	}
	if p.Get("grant_type") != "refresh_token" {
		oerr(http.StatusBadRequest, "unsupported_grant_type", "only refresh_token is supported")
		return
	}
	rt := p.Get("refresh_token")
	old, ok := s.sec.tokenBy(func(t Token) bool { return rt != "" && t.RefreshToken == rt })
	if !ok {
		oerr(http.StatusBadRequest, "invalid_grant", "invalid refresh token")
		return
	}
	life := TokenLifetime
	if old.Has(PermLongAccessToken) {
		life = LongTokenLifetime
	}
	nt := old
	nt.AccessToken = SandboxPrefix + s.newID(24)
	nt.SessionSecret = SandboxPrefix + s.newID(12)
	nt.ExpiresAt = s.w.Clock.Now().Add(life)
	if err := s.issued(nt.AccessToken); err != nil {
		oerr(http.StatusInternalServerError, "server_error", "")
		return
	}
	if err := s.sec.PutToken(nt, old.AccessToken); err != nil {
		oerr(http.StatusInternalServerError, "server_error", "")
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	body, _ := json.Marshal(map[string]any{"access_token": nt.AccessToken, "token_type": "session",
		"expires_in": int(life.Seconds()), "refresh_token": rt, "session_secret_key": nt.SessionSecret})
	_, _ = w.Write(body)
}
