package vk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/internal/transport"
	"github.com/gospubliki/gosdk/social"
)

// GUIDWindow is how long VK de-duplicates wall.post by guid: the old
// official documentation says a guid «действует в течение одного часа». A
// repeat within the hour returns the first post; a repeat later posts
// again.
const GUIDWindow = time.Hour

// WallPostRequest is wall.post (user token with the wall scope).
type WallPostRequest struct {
	// OwnerID is the wall: negative for a community (-<group id>).
	OwnerID int64 `url:"owner_id"`
	// FromGroup posts on behalf of the community.
	FromGroup         bool     `url:"from_group,int,omitempty"`
	Message           string   `url:"message,omitempty"`
	Attachments       []string `url:"attachments,comma,omitempty"`
	Signed            bool     `url:"signed,int,omitempty"`
	PublishDate       int64    `url:"publish_date,omitempty"`
	CloseComments     bool     `url:"close_comments,int,omitempty"`
	MuteNotifications bool     `url:"mute_notifications,int,omitempty"`
	Copyright         string   `url:"copyright,omitempty"`
	// GUID de-duplicates the post for an hour. When empty it is derived
	// from Key (see WallPost); it is never random.
	GUID string `url:"guid,omitempty"`
	// Key identifies the publication (social.Post.Key); it is not sent.
	Key string `url:"-"`
}

// PostGUID returns the guid WallPost sends for a post with key on the wall
// ownerID: social.IdempotencyToken(key, the wall's social.PageInfo).
func PostGUID(key string, ownerID int64) string {
	return social.IdempotencyToken(key, PageOf(ownerID))
}

// PageOf returns the social.PageInfo of the wall ownerID ("-<group id>"
// for a community).
func PageOf(ownerID int64) social.PageInfo {
	return social.PageInfo{Network: social.VK, ID: strconv.FormatInt(ownerID, 10), URL: "https://vk.com/" + wallName(ownerID)}
}

func wallName(ownerID int64) string {
	if ownerID < 0 {
		return "club" + strconv.FormatInt(-ownerID, 10)
	}
	return "id" + strconv.FormatInt(ownerID, 10)
}

// WallPost calls wall.post and returns the post id. It always sends a
// guid: req.GUID, or PostGUID(req.Key, req.OwnerID), or, without a key, a
// digest of the content; the guid makes the call safe to retry (VK
// returns the first post for a repeated guid within GUIDWindow), so
// transport failures are retried too. When the retries run out after the
// request may have reached VK, the error matches core.ErrUnknownOutcome:
// the post may exist, and repeating the same request (same Key or GUID)
// within GUIDWindow is still safe; later, look for it with Wall first.
func (c *Client) WallPost(ctx context.Context, req WallPostRequest, opts ...core.CallOption) (int64, error) {
	if req.GUID == "" {
		key := req.Key
		if key == "" {
			key = contentKey(req)
		}
		req.GUID = PostGUID(key, req.OwnerID)
	}
	var out struct {
		PostID int64 `json:"post_id"`
	}
	if err := c.doKind(ctx, "wall.post", req, &out, callKind{dedupe: req.GUID, noBatch: true}, opts); err != nil {
		return 0, err
	}
	return out.PostID, nil
}

func contentKey(req WallPostRequest) string {
	return social.Post{Text: req.Message + "\x00" + strings.Join(req.Attachments, ",") + "\x00" +
		strconv.FormatInt(req.PublishDate, 10) + "\x00" + req.Copyright}.StableKey()
}

// WallEditRequest is wall.edit.
type WallEditRequest struct {
	OwnerID     int64    `url:"owner_id"`
	PostID      int64    `url:"post_id"`
	Message     string   `url:"message,omitempty"`
	Attachments []string `url:"attachments,comma,omitempty"`
	PublishDate int64    `url:"publish_date,omitempty"`
	Signed      bool     `url:"signed,int,omitempty"`
	Copyright   string   `url:"copyright,omitempty"`
}

// WallEdit calls wall.edit (user token). Editing to the same content is
// harmless, so it is retried like a read.
func (c *Client) WallEdit(ctx context.Context, req WallEditRequest, opts ...core.CallOption) (int64, error) {
	var out struct {
		PostID int64 `json:"post_id"`
	}
	if err := c.doKind(ctx, "wall.edit", req, &out, callKind{idempotent: true}, opts); err != nil {
		return 0, err
	}
	return out.PostID, nil
}

// WallDelete calls wall.delete (user token).
func (c *Client) WallDelete(ctx context.Context, ownerID, postID int64, opts ...core.CallOption) error {
	req := struct {
		OwnerID int64 `url:"owner_id"`
		PostID  int64 `url:"post_id"`
	}{ownerID, postID}
	return c.doKind(ctx, "wall.delete", req, nil, callKind{idempotent: true}, opts)
}

// WallGetByID calls wall.getById for posts ("-1_1", "93388_21539"; see
// PostRef) and returns the 5.199 items.
func (c *Client) WallGetByID(ctx context.Context, posts []string, opts ...core.CallOption) ([]WallPost, error) {
	req := struct {
		Posts []string `url:"posts,comma"`
	}{posts}
	var raw json.RawMessage
	if err := c.do(ctx, "wall.getById", req, &raw, opts); err != nil {
		return nil, err
	}
	var out struct {
		Items []WallPost `json:"items"`
	}
	if len(raw) > 0 && raw[0] == '[' {
		err := json.Unmarshal(raw, &out.Items)
		return out.Items, err
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("vk: wall.getById: decode response: %w", err)
	}
	return out.Items, nil
}

// PostRef returns "<owner>_<post>".
func PostRef(ownerID, postID int64) string {
	return strconv.FormatInt(ownerID, 10) + "_" + strconv.FormatInt(postID, 10)
}

// UploadServer is the answer of photos.getWallUploadServer.
type UploadServer struct {
	UploadURL string `json:"upload_url"`
	AlbumID   int64  `json:"album_id"`
	UserID    int64  `json:"user_id"`
	GroupID   int64  `json:"group_id,omitempty"`
}

// PhotosGetWallUploadServer calls photos.getWallUploadServer (user token).
func (c *Client) PhotosGetWallUploadServer(ctx context.Context, groupID int64, opts ...core.CallOption) (*UploadServer, error) {
	var out UploadServer
	if err := c.doKind(ctx, "photos.getWallUploadServer", groupParam{abs(groupID)}, &out, callKind{idempotent: true, noBatch: true}, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// UploadedPhoto is the upload server's answer, passed to SaveWallPhoto.
type UploadedPhoto struct {
	Server int64  `json:"server"`
	Photo  string `json:"photo"`
	Hash   string `json:"hash"`
}

// UploadError is an error answered by an upload server.
type UploadError struct {
	// Code and Descr are the server's error_code/error and error_descr.
	Code  string
	Descr string
}

// ErrUploadFailed is matched by every *UploadError: the file was not
// accepted (including an answer with "photo":"[]").
var ErrUploadFailed = errors.New("vk: upload failed")

// Error implements error.
func (e *UploadError) Error() string {
	s := "vk: upload failed"
	if e.Code != "" {
		s += ": " + e.Code
	}
	if e.Descr != "" {
		s += ": " + e.Descr
	}
	return s
}

// Is reports whether target is ErrUploadFailed.
func (e *UploadError) Is(target error) bool { return target == ErrUploadFailed }

// ErrorCode implements core.CodedError.
func (e *UploadError) ErrorCode() string { return e.Code }

// upload posts one file as multipart field to an upload URL VK gave. No
// token goes to the upload server and no API limit is spent. Repeating an
// upload only stores another copy, so it is retried.
func (c *Client) upload(ctx context.Context, op, uploadURL, field, filename string, data []byte, opts []core.CallOption) ([]byte, error) {
	if filename == "" {
		filename = "file"
	}
	u, err := url.Parse(uploadURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("vk: %s: bad upload URL", op)
	}
	call := &transport.Call{Operation: "vk." + op, Method: http.MethodPost, URL: uploadURL, Idempotent: true}
	if err := call.SetMultipart(nil, transport.FilePart{Field: field, FileName: filename, Data: data}); err != nil {
		return nil, err
	}
	resp, err := c.tr.Do(ctx, call, opts...)
	if err != nil {
		return nil, err
	}
	var e struct {
		Error     any    `json:"error"`
		ErrorCode any    `json:"error_code"`
		Descr     string `json:"error_descr"`
	}
	if json.Unmarshal(resp.Body, &e) == nil && (e.Error != nil || e.ErrorCode != nil) {
		code := fmt.Sprint(e.Error)
		if e.ErrorCode != nil {
			code = fmt.Sprint(e.ErrorCode)
		}
		return nil, &UploadError{Code: c.tr.Redact(code), Descr: c.tr.Redact(e.Descr)}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &UploadError{Code: strconv.Itoa(resp.StatusCode), Descr: http.StatusText(resp.StatusCode)}
	}
	return resp.Body, nil
}

// UploadWallPhoto posts data as the multipart field photo to uploadURL
// (from PhotosGetWallUploadServer). An answer with "photo":"[]" is an
// *UploadError.
func (c *Client) UploadWallPhoto(ctx context.Context, uploadURL, filename string, data []byte, opts ...core.CallOption) (*UploadedPhoto, error) {
	body, err := c.upload(ctx, "photos.uploadWall", uploadURL, "photo", filename, data, opts)
	if err != nil {
		return nil, err
	}
	var out UploadedPhoto
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("vk: photo upload: decode answer: %w", err)
	}
	if p := strings.TrimSpace(out.Photo); p == "" || p == "[]" {
		return nil, &UploadError{Descr: "the upload server accepted no photo"}
	}
	return &out, nil
}

// SaveWallPhotoRequest is photos.saveWallPhoto.
type SaveWallPhotoRequest struct {
	GroupID int64  `url:"group_id,omitempty"`
	Photo   string `url:"photo"`
	Server  int64  `url:"server"`
	Hash    string `url:"hash"`
	Caption string `url:"caption,omitempty"`
}

// PhotosSaveWallPhoto calls photos.saveWallPhoto (user token; never
// batched).
func (c *Client) PhotosSaveWallPhoto(ctx context.Context, req SaveWallPhotoRequest, opts ...core.CallOption) ([]Photo, error) {
	req.GroupID = abs(req.GroupID)
	var out []Photo
	if err := c.doKind(ctx, "photos.saveWallPhoto", req, &out, callKind{noBatch: true}, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// UploadGroupWallPhoto runs the photo chain for a community wall:
// photos.getWallUploadServer, the multipart upload, photos.saveWallPhoto.
// Attach the result with Photo.Attachment.
func (c *Client) UploadGroupWallPhoto(ctx context.Context, groupID int64, filename string, data []byte, caption string, opts ...core.CallOption) (*Photo, error) {
	srv, err := c.PhotosGetWallUploadServer(ctx, groupID, opts...)
	if err != nil {
		return nil, err
	}
	up, err := c.UploadWallPhoto(ctx, srv.UploadURL, filename, data, opts...)
	if err != nil {
		return nil, err
	}
	ph, err := c.PhotosSaveWallPhoto(ctx, SaveWallPhotoRequest{GroupID: groupID, Photo: up.Photo, Server: up.Server, Hash: up.Hash, Caption: caption}, opts...)
	if err != nil {
		return nil, err
	}
	if len(ph) == 0 {
		return nil, &Error{Method: "photos.saveWallPhoto", Code: CodeInvalidPhoto, Msg: "no photo saved"}
	}
	return &ph[0], nil
}

// VideoSaveRequest is video.save.
type VideoSaveRequest struct {
	Name        string `url:"name,omitempty"`
	Description string `url:"description,omitempty"`
	GroupID     int64  `url:"group_id,omitempty"`
	AlbumID     int64  `url:"album_id,omitempty"`
	Wallpost    bool   `url:"wallpost,int,omitempty"`
	IsPrivate   bool   `url:"is_private,int,omitempty"`
	// Link imports a video from an address instead of an upload.
	Link       string `url:"link,omitempty"`
	NoComments bool   `url:"no_comments,int,omitempty"`
	Repeat     bool   `url:"repeat,int,omitempty"`
}

// VideoSaveResult is the answer of video.save.
type VideoSaveResult struct {
	UploadURL   string `json:"upload_url"`
	VideoID     int64  `json:"video_id"`
	OwnerID     int64  `json:"owner_id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	AccessKey   string `json:"access_key"`
}

// Attachment returns "video<owner>_<id>[_<access_key>]".
func (v VideoSaveResult) Attachment() string {
	return AttachmentID("video", v.OwnerID, v.VideoID, v.AccessKey)
}

// VideoSave calls video.save (user token).
func (c *Client) VideoSave(ctx context.Context, req VideoSaveRequest, opts ...core.CallOption) (*VideoSaveResult, error) {
	req.GroupID = abs(req.GroupID)
	var out VideoSaveResult
	if err := c.doKind(ctx, "video.save", req, &out, callKind{noBatch: true}, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// UploadVideo posts data as the multipart field video_file to the
// upload_url of VideoSave.
func (c *Client) UploadVideo(ctx context.Context, uploadURL, filename string, data []byte, opts ...core.CallOption) error {
	_, err := c.upload(ctx, "video.upload", uploadURL, "video_file", filename, data, opts)
	return err
}

// ImportVideo triggers the import of a video saved with a Link: a plain
// GET of its upload_url.
func (c *Client) ImportVideo(ctx context.Context, uploadURL string, opts ...core.CallOption) error {
	call := &transport.Call{Operation: "vk.video.import", Method: http.MethodGet, URL: uploadURL, Idempotent: true}
	resp, err := c.tr.Do(ctx, call, opts...)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return &UploadError{Code: strconv.Itoa(resp.StatusCode), Descr: http.StatusText(resp.StatusCode)}
	}
	return nil
}

// PollCreateRequest is polls.create.
type PollCreateRequest struct {
	Question    string `url:"question"`
	IsAnonymous bool   `url:"is_anonymous,int,omitempty"`
	IsMultiple  bool   `url:"is_multiple,int,omitempty"`
	EndDate     int64  `url:"end_date,omitempty"`
	// OwnerID is negative for a community.
	OwnerID int64 `url:"owner_id,omitempty"`
	// Answers are sent as add_answers, a JSON array (1–10 answers).
	Answers       []string `url:"-"`
	DisableUnvote bool     `url:"disable_unvote,int,omitempty"`
	BackgroundID  int      `url:"background_id,omitempty"`
}

// PollsCreate calls polls.create (user token).
func (c *Client) PollsCreate(ctx context.Context, req PollCreateRequest, opts ...core.CallOption) (*Poll, error) {
	vals, err := encodeParams(req)
	if err != nil {
		return nil, err
	}
	answers, _ := json.Marshal(req.Answers)
	vals.Set("add_answers", string(answers))
	var out Poll
	if err := c.call(ctx, "polls.create", vals, &out, callKind{}, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// StatsRequest is stats.get.
type StatsRequest struct {
	GroupID        int64  `url:"group_id"`
	TimestampFrom  int64  `url:"timestamp_from,omitempty"`
	TimestampTo    int64  `url:"timestamp_to,omitempty"`
	Interval       string `url:"interval,omitempty"` // day, week, month, year, all
	IntervalsCount int    `url:"intervals_count,omitempty"`
	Extended       bool   `url:"extended,int,omitempty"`
}

// StatsPeriod is one period of stats.get.
type StatsPeriod struct {
	PeriodFrom int64           `json:"period_from"`
	PeriodTo   int64           `json:"period_to"`
	Visitors   json.RawMessage `json:"visitors,omitempty"`
	Reach      json.RawMessage `json:"reach,omitempty"`
	Activity   json.RawMessage `json:"activity,omitempty"`
}

// ReachTotal returns reach.reach (the distinct people reached), when sent.
func (p StatsPeriod) ReachTotal() (int64, bool) { return jsonInt(p.Reach, "reach") }

// Views returns visitors.views, when sent.
func (p StatsPeriod) Views() (int64, bool) { return jsonInt(p.Visitors, "views") }

func jsonInt(raw json.RawMessage, key string) (int64, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return 0, false
	}
	v, ok := m[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(bytes.Trim(v, `"`)), 10, 64)
	return n, err == nil
}

// StatsGet calls stats.get (user token of a manager).
func (c *Client) StatsGet(ctx context.Context, req StatsRequest, opts ...core.CallOption) ([]StatsPeriod, error) {
	req.GroupID = abs(req.GroupID)
	var out []StatsPeriod
	if err := c.do(ctx, "stats.get", req, &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// PostReach is an entry of stats.getPostReach.
type PostReach struct {
	PostID           int64 `json:"post_id"`
	ReachTotal       int64 `json:"reach_total"`
	ReachSubscribers int64 `json:"reach_subscribers"`
	ReachViral       int64 `json:"reach_viral"`
	ReachAds         int64 `json:"reach_ads"`
	Links            int64 `json:"links"`
	ToGroup          int64 `json:"to_group"`
	JoinGroup        int64 `json:"join_group"`
	Report           int64 `json:"report"`
	Hide             int64 `json:"hide"`
	Unsubscribe      int64 `json:"unsubscribe"`
}

// MaxPostReachIDs is how many posts one stats.getPostReach call takes.
const MaxPostReachIDs = 30

// StatsGetPostReach calls stats.getPostReach (user token; at most 30 posts).
func (c *Client) StatsGetPostReach(ctx context.Context, ownerID int64, postIDs []int64, opts ...core.CallOption) ([]PostReach, error) {
	if len(postIDs) > MaxPostReachIDs {
		return nil, errors.New("vk: stats.getPostReach takes at most 30 posts")
	}
	ids := make([]string, len(postIDs))
	for i, id := range postIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	req := struct {
		OwnerID string   `url:"owner_id"`
		PostIDs []string `url:"post_ids,comma"`
	}{strconv.FormatInt(ownerID, 10), ids}
	var out []PostReach
	if err := c.do(ctx, "stats.getPostReach", req, &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// Execute calls execute with VKScript code (and Args from args) and
// decodes the response into out. The inner calls that failed are returned
// as execErrs (their slots in the response are false); err is the error
// of the execute itself. execute may change state, so it is not retried
// after it may have reached VK.
func (c *Client) Execute(ctx context.Context, code string, args url.Values, out any, opts ...core.CallOption) (execErrs []*Error, err error) {
	if err := c.checkKind("execute"); err != nil {
		return nil, err
	}
	vals := cloneValues(args)
	vals.Set("code", code)
	raw, execErrs, err := c.send(ctx, "execute", []byte(vals.Encode()), callKind{noBatch: true}, opts)
	if err != nil {
		return nil, err
	}
	return execErrs, decodeInto("execute", raw, out)
}

// WallGetRequest is wall.get.
type WallGetRequest struct {
	OwnerID int64 `url:"owner_id"`
	// Filter is owner, others, all, postponed or suggests.
	Filter string `url:"filter,omitempty"`
	Offset int    `url:"offset,omitempty"`
	// Count is the page size (at most 100; default 100).
	Count int `url:"count,omitempty"`
}

// WallPage is one page of wall.get.
type WallPage struct {
	Count int64      `json:"count"`
	Items []WallPost `json:"items"`
}

// WallGet calls wall.get once (user or service token).
func (c *Client) WallGet(ctx context.Context, req WallGetRequest, opts ...core.CallOption) (*WallPage, error) {
	var out WallPage
	if err := c.do(ctx, "wall.get", req, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// Wall iterates over a wall's posts, newest first, paging with offset and
// count (100 per call) from req.Offset. Use it to look for a post after an
// unknown outcome. Iteration stops after the first error, which is
// yielded.
func (c *Client) Wall(ctx context.Context, req WallGetRequest, opts ...core.CallOption) iter.Seq2[WallPost, error] {
	return func(yield func(WallPost, error) bool) {
		if req.Count <= 0 || req.Count > 100 {
			req.Count = 100
		}
		for {
			page, err := c.WallGet(ctx, req, opts...)
			if err != nil {
				yield(WallPost{}, err)
				return
			}
			for _, p := range page.Items {
				if !yield(p, nil) {
					return
				}
			}
			req.Offset += len(page.Items)
			if len(page.Items) == 0 || int64(req.Offset) >= page.Count {
				return
			}
		}
	}
}
