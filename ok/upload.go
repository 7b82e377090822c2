package ok

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/internal/transport"
)

// File is the content of an upload.
type File struct {
	// Name is the file name sent to OK.
	Name string
	// ContentType is the media type (application/octet-stream when empty).
	ContentType string
	// Data is the content.
	Data []byte
}

// GetPhotoUploadURLRequest is the request of photosV2.getUploadUrl.
type GetPhotoUploadURLRequest struct {
	// GroupID uploads to a group (for its topics).
	GroupID string `url:"gid,omitempty"`
	// AlbumID uploads to an album.
	AlbumID string `url:"aid,omitempty"`
	// Count is the number of photos (1 when zero).
	Count int `url:"count"`
}

// PhotoUploadURL is the answer of photosV2.getUploadUrl.
type PhotoUploadURL struct {
	// UploadURL is where the photos are POSTed (multipart).
	UploadURL string `json:"upload_url"`
	// PhotoIDs are the ids reserved for the photos, in order.
	PhotoIDs []ID `json:"photo_ids"`
	// ExpiresMs is when the URL expires (epoch milliseconds).
	ExpiresMs int64 `json:"expires_ms"`
}

// GetPhotoUploadURL calls photosV2.getUploadUrl.
func (c *Client) GetPhotoUploadURL(ctx context.Context, req *GetPhotoUploadURLRequest, opts ...core.CallOption) (*PhotoUploadURL, error) {
	r := GetPhotoUploadURLRequest{}
	if req != nil {
		r = *req
	}
	if r.Count <= 0 {
		r.Count = 1
	}
	var out PhotoUploadURL
	if err := c.do(ctx, "photosV2.getUploadUrl", &r, &out, read(opts)); err != nil {
		return nil, err
	}
	if out.UploadURL == "" {
		return nil, &DecodeError{Method: "photosV2.getUploadUrl", Err: errNew("no upload_url in the answer")}
	}
	return &out, nil
}

// UploadPhotos uploads files for a group topic: photosV2.getUploadUrl,
// then one multipart POST of every file (fields pic1, pic2, ...) to the
// upload URL. It returns the upload tokens in the order of files, to be
// put in a topic with PhotoItem; group-topic photos need no
// photosV2.commit. An upload is safe to repeat (at worst it leaves an
// unused photo), so it is retried on transient failures.
func (c *Client) UploadPhotos(ctx context.Context, groupID string, files []File, opts ...core.CallOption) ([]string, error) {
	if len(files) == 0 {
		return nil, invalid("photosV2.upload", "no file")
	}
	up, err := c.GetPhotoUploadURL(ctx, &GetPhotoUploadURLRequest{GroupID: groupID, Count: len(files)}, opts...)
	if err != nil {
		return nil, err
	}
	parts := make([]transport.FilePart, len(files))
	for i, f := range files {
		parts[i] = transport.FilePart{Field: "pic" + strconv.Itoa(i+1), FileName: fileName(f.Name, "photo", i), ContentType: f.ContentType, Data: f.Data}
	}
	var out struct {
		Photos map[string]struct {
			Token string `json:"token"`
		} `json:"photos"`
	}
	if err := c.upload(ctx, "ok.photoUpload", up.UploadURL, parts, &out, opts); err != nil {
		return nil, err
	}
	tokens := make([]string, 0, len(files))
	if len(up.PhotoIDs) == len(files) {
		for _, id := range up.PhotoIDs {
			p, ok := out.Photos[string(id)]
			if !ok || p.Token == "" {
				tokens = nil
				break
			}
			tokens = append(tokens, p.Token)
		}
	}
	if tokens == nil && len(files) == 1 && len(out.Photos) == 1 {
		for _, p := range out.Photos {
			tokens = append(tokens, p.Token)
		}
	}
	if len(tokens) != len(files) || tokens[0] == "" {
		return nil, &DecodeError{Method: "photoUpload", Err: fmt.Errorf("%d tokens for %d photos", len(out.Photos), len(files))}
	}
	return tokens, nil
}

func fileName(name, kind string, i int) string {
	if name != "" {
		return name
	}
	return kind + strconv.Itoa(i+1)
}

// GetVideoUploadURLRequest is the request of video.getUploadUrl.
type GetVideoUploadURLRequest struct {
	// GroupID uploads to a group.
	GroupID string `url:"gid,omitempty"`
	// FileName is the video's file name.
	FileName string `url:"file_name"`
	// FileSize is its size in bytes (0 when unknown; OK accepts 16 KB to
	// 1 GB).
	FileSize int64 `url:"file_size"`
	// PostForm asks for an upload URL that accepts a multipart form.
	PostForm bool `url:"post_form,omitempty"`
}

// VideoUploadURL is the answer of video.getUploadUrl.
type VideoUploadURL struct {
	// UploadURL is where the video is POSTed.
	UploadURL string `json:"upload_url"`
	// VideoID is the new video's id, to be put in a topic with MovieItem.
	VideoID ID `json:"video_id"`
}

// GetVideoUploadURL calls video.getUploadUrl.
func (c *Client) GetVideoUploadURL(ctx context.Context, req *GetVideoUploadURLRequest, opts ...core.CallOption) (*VideoUploadURL, error) {
	if req == nil || req.FileName == "" {
		return nil, invalid("video.getUploadUrl", "no file name")
	}
	var out VideoUploadURL
	if err := c.do(ctx, "video.getUploadUrl", req, &out, read(opts)); err != nil {
		return nil, err
	}
	if out.UploadURL == "" || out.VideoID == "" {
		return nil, &DecodeError{Method: "video.getUploadUrl", Err: errNew("no upload_url or video_id in the answer")}
	}
	return &out, nil
}

// UploadVideo uploads a video for a group topic: video.getUploadUrl (with
// post_form), then a multipart POST of the file (field "file") to the
// upload URL. It returns the video id, to be put in a topic with
// MovieItem.
func (c *Client) UploadVideo(ctx context.Context, groupID string, f File, opts ...core.CallOption) (ID, error) {
	if len(f.Data) == 0 {
		return "", invalid("video.upload", "empty file")
	}
	up, err := c.GetVideoUploadURL(ctx, &GetVideoUploadURLRequest{GroupID: groupID, FileName: fileName(f.Name, "video", 0),
		FileSize: int64(len(f.Data)), PostForm: true}, opts...)
	if err != nil {
		return "", err
	}
	part := transport.FilePart{Field: "file", FileName: fileName(f.Name, "video", 0), ContentType: f.ContentType, Data: f.Data}
	if err := c.upload(ctx, "ok.videoUpload", up.UploadURL, []transport.FilePart{part}, nil, opts); err != nil {
		return "", err
	}
	return up.VideoID, nil
}

// upload POSTs parts to an upload URL and decodes a JSON answer into out
// (nil: any 2xx answer without an error body is success).
func (c *Client) upload(ctx context.Context, op, u string, parts []transport.FilePart, out any, opts []core.CallOption) error {
	call := &transport.Call{Operation: op, Method: http.MethodPost, URL: u, Idempotent: true}
	if err := call.SetMultipart(nil, parts...); err != nil {
		return err
	}
	resp, err := c.tr.Do(ctx, call, opts...)
	if err != nil {
		return err
	}
	if e := parseError(resp.Body); e != nil {
		e.Method = op[len("ok."):]
		e.Msg = c.Redact(e.Msg)
		e.Data = nil
		return e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &HTTPError{Method: op[len("ok."):], StatusCode: resp.StatusCode}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return &DecodeError{Method: op[len("ok."):], Err: err}
	}
	return nil
}
