package vkmock

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// post is a wall post.
type post struct {
	ID          int64
	OwnerID     int64
	FromID      int64
	CreatedBy   int64
	Date        time.Time
	Text        string
	Attachments []string
	PublishDate time.Time // postponed until
	Edited      time.Time
	Views       int
	Likes       int
	Reposts     int
	Comments    int
	Copyright   string
}

// Post is a wall post as the inspection helpers return it.
type Post struct {
	ID          int64     `json:"id"`
	OwnerID     int64     `json:"owner_id"`
	FromID      int64     `json:"from_id"`
	CreatedBy   int64     `json:"created_by,omitempty"`
	Date        time.Time `json:"date"`
	Text        string    `json:"text"`
	Attachments []string  `json:"attachments,omitempty"`
	Postponed   bool      `json:"postponed,omitempty"`
}

func (p *post) public() Post {
	return Post{ID: p.ID, OwnerID: p.OwnerID, FromID: p.FromID, CreatedBy: p.CreatedBy, Date: p.Date, Text: p.Text,
		Attachments: slices.Clone(p.Attachments), Postponed: !p.PublishDate.IsZero()}
}

type photo struct {
	ID, OwnerID, AlbumID, UserID int64
	Date                         time.Time
	AccessKey                    string
}

type video struct {
	ID, OwnerID        int64
	Title, Description string
	AccessKey          string
	Uploaded           bool
}

type poll struct {
	ID, OwnerID int64
	Question    string
	Answers     []string
	Anonymous   bool
	Multiple    bool
	EndDate     int64
	Created     time.Time
}

// uploadSession is an upload URL handed out by getWallUploadServer or
// video.save.
type uploadSession struct {
	kind    string // "photo" or "video"
	userID  int64
	groupID int64
	videoID int64
	expires time.Time
}

// uploadedFile is a file posted to an upload URL, waiting for its save
// call.
type uploadedFile struct {
	userID, groupID int64
	server          int64
	saved           bool
}

const uploadServerID = 854321

func (c *call) postObject(p *post) map[string]any {
	o := map[string]any{
		"id": p.ID, "owner_id": p.OwnerID, "from_id": p.FromID, "date": p.Date.Unix(), "text": p.Text,
		"post_type": "post", "comments": map[string]any{"count": p.Comments, "can_post": 1},
		"likes": map[string]any{"count": p.Likes}, "reposts": map[string]any{"count": p.Reposts},
		"views": map[string]any{"count": p.Views}, "marked_as_ads": 0, "is_pinned": 0,
		"hash": fmt.Sprintf("%x", sha256.Sum256([]byte(strconv.FormatInt(p.OwnerID, 10)+"_"+strconv.FormatInt(p.ID, 10))))[:18],
	}
	if p.CreatedBy != 0 {
		o["created_by"] = p.CreatedBy
	}
	if !p.PublishDate.IsZero() {
		o["post_type"] = "postpone"
		o["date"] = p.PublishDate.Unix()
	}
	if !p.Edited.IsZero() {
		o["edited"] = p.Edited.Unix()
	}
	if p.Copyright != "" {
		o["copyright"] = map[string]any{"link": p.Copyright, "name": p.Copyright, "type": "link"}
	}
	atts := []map[string]any{}
	for _, a := range p.Attachments {
		atts = append(atts, c.attachmentObject(a))
	}
	o["attachments"] = atts
	return o
}

func (c *call) attachmentObject(a string) map[string]any {
	if strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://") {
		return map[string]any{"type": "link", "link": map[string]any{"url": a, "title": a}}
	}
	typ, owner, id, _ := parseAttachment(a)
	o := map[string]any{"id": id, "owner_id": owner}
	return map[string]any{"type": typ, typ: o}
}

// parseAttachment splits "<type><owner>_<id>[_<key>]".
func parseAttachment(a string) (typ string, owner, id int64, ok bool) {
	for _, t := range []string{"photo", "video", "poll", "doc", "audio", "page", "note", "album", "market"} {
		if rest, found := strings.CutPrefix(a, t); found {
			parts := strings.Split(rest, "_")
			if len(parts) < 2 || len(parts) > 3 {
				return "", 0, 0, false
			}
			o, err1 := strconv.ParseInt(parts[0], 10, 64)
			i, err2 := strconv.ParseInt(parts[1], 10, 64)
			if err1 != nil || err2 != nil {
				return "", 0, 0, false
			}
			return t, o, i, true
		}
	}
	return "", 0, 0, false
}

// checkAttachments validates an attachments list against stored media.
func (c *call) checkAttachments(list []string) *apiError {
	links := 0
	if len(list) > 10 {
		return errInvalid("attachments", "is too long")
	}
	for _, a := range list {
		if strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://") {
			links++
			if links > 1 {
				return errCode(222)
			}
			continue
		}
		typ, owner, id, ok := parseAttachment(a)
		if !ok {
			return errInvalid("attachments", "is invalid")
		}
		found := false
		switch typ {
		case "photo":
			p := c.s.st.photos[id]
			found = p != nil && p.OwnerID == owner
		case "video":
			v := c.s.st.videos[id]
			found = v != nil && v.OwnerID == owner
		case "poll":
			p := c.s.st.polls[id]
			found = p != nil && p.OwnerID == owner
		default:
			found = true
		}
		if !found {
			return errInvalid("attachments", "is invalid")
		}
	}
	return nil
}

// wallPage returns the community of an owner_id and checks the user may
// post there.
func (c *call) wallPage() (world.Page, int64, *apiError) {
	owner, e := c.reqInt("owner_id")
	if e != nil {
		return world.Page{}, 0, e
	}
	if owner >= 0 {
		if owner == c.tok.UserID || owner == 0 {
			return world.Page{}, 0, errMsg(214, "the emulator keeps community walls only")
		}
		return world.Page{}, 0, errCode(214)
	}
	p, err := c.s.w.Page(world.NetworkVK, -owner)
	if err != nil {
		return p, 0, errInvalid("owner_id", "is invalid")
	}
	return p, owner, nil
}

func (c *call) canPost(p world.Page) bool {
	r := c.role(p)
	return r == world.RoleCreator || r == world.RoleAdministrator || r == world.RoleEditor
}

func (c *call) wallPost() (any, *apiError) {
	p, owner, e := c.wallPage()
	if e != nil {
		return nil, e
	}
	if !c.canPost(p) {
		return nil, errCode(214)
	}
	msg := c.str("message")
	atts := splitList(c.str("attachments"))
	if pid, _, _ := c.int("post_id"); pid != 0 {
		return nil, errInvalid("post_id", "is invalid")
	}
	if strings.TrimSpace(msg) == "" && len(atts) == 0 {
		return nil, errInvalid("message", "is empty or invalid")
	}
	pub, e := c.optInt("publish_date", 0)
	if e != nil {
		return nil, e
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	st := c.s.st
	if e := c.checkAttachments(atts); e != nil {
		return nil, e
	}
	guid := c.str("guid")
	if guid != "" {
		k := guidKey{owner, guid}
		if g, ok := st.guids[k]; ok && c.now.Sub(g.at) < GuidWindow {
			return map[string]any{"post_id": g.postID}, nil
		}
	}
	dk := dayKey{p.ID, day(c.now)}
	if l := c.s.Limits(); !l.Disabled && st.dailyPosts[dk] >= l.DailyPosts {
		return nil, errMsg(214, fmt.Sprintf("you can only add %d posts a day", l.DailyPosts))
	}
	st.dailyPosts[dk]++
	st.nextPost[owner]++
	np := &post{ID: st.nextPost[owner], OwnerID: owner, FromID: owner, Date: c.now, Text: msg, Attachments: atts,
		Copyright: c.str("copyright")}
	if !c.flag("from_group") {
		np.FromID = c.tok.UserID
	} else if c.flag("signed") {
		np.CreatedBy = c.tok.UserID
	}
	if pub > 0 {
		when := time.Unix(pub, 0)
		if when.After(c.now) {
			np.PublishDate = when
		}
	}
	st.posts[owner] = append(st.posts[owner], np)
	st.prune(c.now, owner)
	if guid != "" {
		st.guids[guidKey{owner, guid}] = guidEntry{np.ID, c.now}
	}
	if np.PublishDate.IsZero() {
		c.s.emitLocked(p.ID, "wall_post_new", c.postObject(np))
	}
	return map[string]any{"post_id": np.ID}, nil
}

// findPost returns a post of owner; the caller holds s.mu.
func (s *Server) findPostLocked(owner, id int64) *post {
	for _, p := range s.st.posts[owner] {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (c *call) wallEdit() (any, *apiError) {
	p, owner, e := c.wallPage()
	if e != nil {
		return nil, e
	}
	id, e := c.reqInt("post_id")
	if e != nil {
		return nil, e
	}
	if !c.canPost(p) {
		return nil, errCode(210)
	}
	atts := splitList(c.str("attachments"))
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	ps := c.s.findPostLocked(owner, id)
	if ps == nil {
		return nil, errCode(210)
	}
	if e := c.checkAttachments(atts); e != nil {
		return nil, e
	}
	if strings.TrimSpace(c.str("message")) == "" && len(atts) == 0 {
		return nil, errInvalid("message", "is empty or invalid")
	}
	ps.Text, ps.Attachments, ps.Edited = c.str("message"), atts, c.now
	return map[string]any{"post_id": ps.ID}, nil
}

func (c *call) wallDelete() (any, *apiError) {
	p, owner, e := c.wallPage()
	if e != nil {
		return nil, e
	}
	id, e := c.reqInt("post_id")
	if e != nil {
		return nil, e
	}
	if !c.canPost(p) {
		return nil, errCode(210)
	}
	if per, ok := c.person(); ok {
		if a, _ := per.Account(world.NetworkVK); !a.TwoFactor {
			return nil, errCode(703)
		}
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	list := c.s.st.posts[owner]
	i := slices.IndexFunc(list, func(ps *post) bool { return ps.ID == id })
	if i < 0 {
		return nil, errCode(210)
	}
	c.s.st.posts[owner] = slices.Delete(list, i, i+1)
	return 1, nil
}

// visible reports whether the caller may read a community's wall.
func (c *call) visible(p world.Page) bool {
	return access(p, c.s.sec.Community(p.ID)) == 0 || isManager(c.role(p))
}

func (c *call) wallGetByID() (any, *apiError) {
	ids := splitList(c.str("posts"))
	if len(ids) == 0 {
		return nil, errMissing("posts")
	}
	items := []map[string]any{}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	for _, s := range ids {
		o, i, ok := strings.Cut(s, "_")
		owner, err1 := strconv.ParseInt(o, 10, 64)
		id, err2 := strconv.ParseInt(i, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			continue
		}
		if pg, err := c.s.w.Page(world.NetworkVK, -owner); err != nil || !c.visible(pg) {
			continue
		}
		if ps := c.s.findPostLocked(owner, id); ps != nil && (ps.PublishDate.IsZero() || c.canPostByOwner(owner)) {
			ps.Views++
			items = append(items, c.postObject(ps))
		}
	}
	return map[string]any{"items": items}, nil
}

func (c *call) canPostByOwner(owner int64) bool {
	p, err := c.s.w.Page(world.NetworkVK, -owner)
	return err == nil && c.canPost(p)
}

func (c *call) wallGet() (any, *apiError) {
	owner, missing, e := c.int("owner_id")
	if e != nil {
		return nil, e
	}
	if missing {
		if d := c.str("domain"); d != "" {
			p, ok := c.pageByName(d)
			if !ok {
				return nil, errInvalid("domain", "is invalid")
			}
			owner = -p.ID
		} else {
			return nil, errMissing("owner_id")
		}
	}
	pg, err := c.s.w.Page(world.NetworkVK, -owner)
	if err != nil {
		return nil, errInvalid("owner_id", "is invalid")
	}
	if !c.visible(pg) {
		return nil, errCode(15)
	}
	offset, e := c.optInt("offset", 0)
	if e != nil {
		return nil, e
	}
	count, e := c.optInt("count", 20)
	if e != nil {
		return nil, e
	}
	if count < 0 || count > 100 || offset < 0 {
		return nil, errInvalid("count", "should be from 0 to 100")
	}
	postponed := c.str("filter") == "postponed"
	if postponed && !c.canPost(pg) {
		return nil, errCode(15)
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	var list []*post
	for _, ps := range c.s.st.posts[owner] {
		if ps.PublishDate.IsZero() != postponed {
			list = append(list, ps)
		}
	}
	slices.Reverse(list)
	lo := min(int(offset), len(list))
	hi := min(lo+int(count), len(list))
	items := make([]map[string]any, 0, hi-lo)
	for _, ps := range list[lo:hi] {
		items = append(items, c.postObject(ps))
	}
	return map[string]any{"count": len(list), "items": items}, nil
}

// ---- uploads ----

func (c *call) photosGetWallUploadServer() (any, *apiError) {
	gid, missing, e := c.int("group_id")
	if e != nil {
		return nil, e
	}
	if !missing && gid != 0 {
		p, err := c.s.w.Page(world.NetworkVK, gid)
		if err != nil {
			return nil, errCode(125)
		}
		if !c.canPost(p) {
			return nil, errCode(203)
		}
	}
	key := newSecret(16)
	c.s.issueCred(key)
	c.s.mu.Lock()
	c.s.st.uploads[key] = &uploadSession{kind: "photo", userID: c.tok.UserID, groupID: gid, expires: c.now.Add(time.Hour)}
	c.s.st.prune(c.now, 0)
	c.s.mu.Unlock()
	out := map[string]any{"upload_url": c.s.base + "/upload/photo/" + key, "album_id": -14, "user_id": c.tok.UserID}
	if gid != 0 {
		out["group_id"] = gid
	}
	return out, nil
}

// hashOf signs an uploaded photo's descriptor.
func hashOf(photo string) string {
	m := hmac.New(sha256.New, []byte("vkmock-upload"))
	m.Write([]byte(photo))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// serveUpload answers a multipart upload to a URL the emulator handed out.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request, c *emu.Call, q *request) {
	kind, key, _ := strings.Cut(q.rest, "/")
	now := s.w.Clock.Now()
	s.mu.Lock()
	sess := s.st.uploads[key]
	if sess != nil && (sess.kind != kind || now.After(sess.expires)) {
		sess = nil
	}
	s.mu.Unlock()
	writeJSON := func(v any) {
		b, _ := json.Marshal(v)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(b)
	}
	if sess == nil || r.Method != http.MethodPost {
		c.Code, c.Description = 1, "invalid upload URL"
		writeJSON(map[string]any{"error": "ERR_UPLOAD_BAD_URL: invalid upload url", "error_code": 1, "error_descr": "invalid upload url"})
		return
	}
	field := "photo"
	if kind == "video" {
		field = "video_file"
	}
	var data []byte
	if fs := q.p.files[field]; len(fs) > 0 {
		if f, err := fs[0].Open(); err == nil {
			data, _ = io.ReadAll(io.LimitReader(f, DefaultMaxBody))
			_ = f.Close()
		}
	}
	if kind == "video" {
		if len(data) == 0 {
			c.Code, c.Description = 1, "no file"
			writeJSON(map[string]any{"error": "ERR_UPLOAD_FILE_NOT_UPLOADED: file not uploaded", "error_code": 1, "error_descr": "file not uploaded"})
			return
		}
		s.mu.Lock()
		if v := s.st.videos[sess.videoID]; v != nil {
			v.Uploaded = true
		}
		delete(s.st.uploads, key)
		s.mu.Unlock()
		writeJSON(map[string]any{"owner_id": -sess.groupID, "video_id": sess.videoID, "size": len(data),
			"video_hash": hashOf(strconv.FormatInt(sess.videoID, 10))})
		return
	}
	ct := http.DetectContentType(data)
	if len(data) == 0 || (ct != "image/jpeg" && ct != "image/png" && ct != "image/gif") {
		writeJSON(map[string]any{"server": uploadServerID, "photo": "[]", "hash": hashOf("[]")})
		return
	}
	sum := sha256.Sum256(data)
	desc, _ := json.Marshal([]map[string]any{{"photo": hex.EncodeToString(sum[:12]) + ":" + key[:8], "sizes": []any{},
		"kid": hex.EncodeToString(sum[12:20])}})
	h := hashOf(string(desc))
	s.mu.Lock()
	s.st.uploaded[h] = &uploadedFile{userID: sess.userID, groupID: sess.groupID, server: uploadServerID}
	s.mu.Unlock()
	writeJSON(map[string]any{"server": uploadServerID, "photo": string(desc), "hash": h})
}

func (c *call) photosSaveWallPhoto() (any, *apiError) {
	ph := c.str("photo")
	if ph == "" {
		return nil, errMissing("photo")
	}
	hash := c.str("hash")
	if hash == "" {
		return nil, errMissing("hash")
	}
	if ph == "[]" {
		return nil, errMsg(129, "photo is undefined")
	}
	gid, _, e := c.int("group_id")
	if e != nil {
		return nil, e
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	up := c.s.st.uploaded[hash]
	if up == nil || hashOf(ph) != hash || up.saved || up.groupID != gid || up.userID != c.tok.UserID {
		return nil, errCode(121)
	}
	up.saved = true
	owner := c.tok.UserID
	if gid != 0 {
		owner = -gid
	}
	p := &photo{ID: c.s.st.newID(), OwnerID: owner, AlbumID: -14, UserID: c.tok.UserID, Date: c.now, AccessKey: newSecret(9)}
	c.s.st.photos[p.ID] = p
	sizes := []map[string]any{}
	for _, sz := range []struct {
		t    string
		w, h int
	}{{"s", 75, 75}, {"m", 130, 130}, {"x", 604, 604}} {
		sizes = append(sizes, map[string]any{"type": sz.t, "width": sz.w, "height": sz.h,
			"url": c.s.base + "/photos/" + strconv.FormatInt(p.ID, 10) + "_" + sz.t + ".jpg"})
	}
	return []map[string]any{{"id": p.ID, "album_id": p.AlbumID, "owner_id": p.OwnerID, "user_id": p.UserID,
		"date": p.Date.Unix(), "text": c.str("caption"), "access_key": p.AccessKey, "sizes": sizes}}, nil
}

func (c *call) videoSave() (any, *apiError) {
	gid, _, e := c.int("group_id")
	if e != nil {
		return nil, e
	}
	owner := c.tok.UserID
	if gid != 0 {
		p, err := c.s.w.Page(world.NetworkVK, gid)
		if err != nil {
			return nil, errCode(125)
		}
		if !c.canPost(p) {
			return nil, errCode(203)
		}
		owner = -gid
	}
	if per, ok := c.person(); ok {
		if a, _ := per.Account(world.NetworkVK); !a.TwoFactor {
			return nil, errCode(704)
		}
	}
	key := newSecret(16)
	c.s.issueCred(key)
	c.s.mu.Lock()
	v := &video{ID: c.s.st.newID(), OwnerID: owner, Title: c.str("name"), Description: c.str("description"), AccessKey: newSecret(9)}
	c.s.st.videos[v.ID] = v
	c.s.st.uploads[key] = &uploadSession{kind: "video", userID: c.tok.UserID, groupID: gid, videoID: v.ID, expires: c.now.Add(24 * time.Hour)}
	c.s.mu.Unlock()
	title := v.Title
	if title == "" {
		title = "Без названия"
	}
	return map[string]any{"upload_url": c.s.base + "/upload/video/" + key, "video_id": v.ID, "owner_id": owner,
		"title": title, "description": v.Description, "access_key": v.AccessKey}, nil
}

func (c *call) pollsCreate() (any, *apiError) {
	q := strings.TrimSpace(c.str("question"))
	if q == "" {
		return nil, errMissing("question")
	}
	var answers []string
	if raw := c.str("add_answers"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &answers); err != nil {
			return nil, errInvalid("add_answers", "is invalid")
		}
	}
	if len(answers) == 0 || len(answers) > 10 {
		return nil, errInvalid("add_answers", "should contain 1 to 10 answers")
	}
	owner, _, e := c.int("owner_id")
	if e != nil {
		return nil, e
	}
	if owner == 0 {
		owner = c.tok.UserID
	}
	if owner < 0 {
		p, err := c.s.w.Page(world.NetworkVK, -owner)
		if err != nil {
			return nil, errInvalid("owner_id", "is invalid")
		}
		if !c.canPost(p) {
			return nil, errCode(250)
		}
	}
	end, e := c.optInt("end_date", 0)
	if e != nil {
		return nil, e
	}
	if end != 0 && end < 1550700000 {
		return nil, errInvalid("end_date", "is invalid")
	}
	c.s.mu.Lock()
	p := &poll{ID: c.s.st.newID(), OwnerID: owner, Question: q, Answers: answers, Anonymous: c.flag("is_anonymous"),
		Multiple: c.flag("is_multiple"), EndDate: end, Created: c.now}
	c.s.st.polls[p.ID] = p
	c.s.mu.Unlock()
	ans := make([]map[string]any, len(answers))
	for i, a := range answers {
		ans[i] = map[string]any{"id": p.ID*10 + int64(i) + 1, "text": a, "votes": 0, "rate": 0}
	}
	return map[string]any{"id": p.ID, "owner_id": owner, "created": c.now.Unix(), "question": q, "votes": 0,
		"answers": ans, "anonymous": p.Anonymous, "multiple": p.Multiple, "end_date": end, "closed": false,
		"is_board": false, "can_edit": true, "can_vote": true, "can_report": false, "can_share": true,
		"author_id": c.tok.UserID, "disable_unvote": c.flag("disable_unvote")}, nil
}

// ---- stats ----

func (c *call) statsGet() (any, *apiError) {
	p, e := c.group("group_id")
	if e != nil {
		return nil, e
	}
	if !isManager(c.role(p)) {
		return nil, errCode(7)
	}
	interval := c.str("interval")
	step := 24 * time.Hour
	switch interval {
	case "", "day":
	case "week":
		step = 7 * 24 * time.Hour
	case "month":
		step = 30 * 24 * time.Hour
	case "year":
		step = 365 * 24 * time.Hour
	case "all":
		step = 10 * 365 * 24 * time.Hour
	default:
		return nil, errInvalid("interval", "is invalid")
	}
	n, e := c.optInt("intervals_count", 1)
	if e != nil {
		return nil, e
	}
	if n < 1 || n > 100 {
		return nil, errInvalid("intervals_count", "should be from 1 to 100")
	}
	vc := c.s.sec.Community(p.ID)
	days := int(step / (24 * time.Hour))
	end := c.now.Truncate(24 * time.Hour).Add(24 * time.Hour)
	out := make([]map[string]any, 0, n)
	for i := int64(0); i < n; i++ {
		to := end.Add(-time.Duration(i) * step)
		from := to.Add(-step)
		out = append(out, map[string]any{
			"period_from": from.Unix(), "period_to": to.Unix(),
			"visitors": map[string]any{"views": vc.Stats.Views * days, "visitors": vc.Stats.Visitors * days},
			"reach":    map[string]any{"reach": vc.Stats.Reach * days, "reach_subscribers": vc.Stats.Reach * days / 2},
			"activity": map[string]any{"likes": 0, "comments": 0, "copies": 0, "subscribed": 0, "unsubscribed": 0},
		})
	}
	return out, nil
}

func (c *call) statsGetPostReach() (any, *apiError) {
	owner, e := c.reqInt("owner_id")
	if e != nil {
		return nil, e
	}
	raw := splitList(c.str("post_ids"))
	if len(raw) == 0 {
		return nil, errMissing("post_ids")
	}
	if len(raw) > 30 {
		return nil, errInvalid("post_ids", "is too long")
	}
	p, err := c.s.w.Page(world.NetworkVK, -owner)
	if err != nil {
		return nil, errInvalid("owner_id", "is invalid")
	}
	if !isManager(c.role(p)) {
		return nil, errCode(7)
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	out := []map[string]any{}
	for _, s := range raw {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, errInvalid("post_ids", "is invalid")
		}
		ps := c.s.findPostLocked(owner, id)
		if ps == nil {
			return nil, errCode(104)
		}
		out = append(out, map[string]any{"post_id": id, "reach_total": ps.Views, "reach_subscribers": ps.Views / 2,
			"reach_viral": 0, "reach_ads": 0, "links": 0, "to_group": 0, "join_group": 0, "report": 0, "hide": 0, "unsubscribe": 0})
	}
	return out, nil
}

// Posts returns a community's wall (postponed posts included), oldest
// first.
func (s *Server) Posts(groupID int64) []Post {
	s.sync()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Post{}
	for _, p := range s.st.posts[-groupID] {
		out = append(out, p.public())
	}
	return out
}
