package gpmock

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/social"
)

// MaxMediaBytes bounds an uploaded file.
const MaxMediaBytes = 10 << 20

// maxPostMedia bounds the files of one post (a Telegram album's size).
const maxPostMedia = 10

// MediaTypes are the content types an upload may declare; the content
// must sniff as the same type.
var MediaTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "application/pdf"}

// Media is an uploaded file as the API shows it.
type Media struct {
	ID          int64     `json:"id"`
	CabinetID   int64     `json:"cabinet_id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	UploadedBy  int64     `json:"uploaded_by,omitempty"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// StateMedia is an uploaded file in a scenario, with its content.
type StateMedia struct {
	Media
	Data []byte `json:"data"`
}

type mediaRec struct {
	Media
	data []byte
}

func (m *mediaRec) social() social.Media {
	kind := social.Document
	switch {
	case strings.HasPrefix(m.ContentType, "image/"):
		kind = social.Photo
	case strings.HasPrefix(m.ContentType, "video/"):
		kind = social.Video
	}
	return social.Media{Kind: kind, Filename: m.Filename, ContentType: m.ContentType, Data: m.data}
}

func (s *Server) routesMedia() {
	s.handle("uploadMedia", "POST", "/api/v1/media", content, s.uploadMedia)
	s.handle("getMedia", "GET", "/api/v1/media/{id}", content, s.getMedia)
}

// sniffMatches reports whether data looks like the declared type.
func sniffMatches(declared string, data []byte) bool {
	got := http.DetectContentType(data)
	if i := strings.IndexByte(got, ';'); i >= 0 {
		got = got[:i]
	}
	return got == declared
}

// uploadMedia stores the request body as a file of the caller's cabinet:
// Content-Type one of MediaTypes, at most MaxMediaBytes, the name in the
// filename query parameter.
func (s *Server) uploadMedia(c *caller, r *http.Request) (int, any, error) {
	ct := r.Header.Get("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.TrimSpace(strings.ToLower(ct))
	if !slices.Contains(MediaTypes, ct) {
		return 0, nil, invalid("Content-Type must be one of " + strings.Join(MediaTypes, ", "))
	}
	name := r.URL.Query().Get("filename")
	if name == "" || len(name) > 255 || !utf8.ValidString(name) || strings.ContainsAny(name, "/\\\x00") {
		return 0, nil, invalid("filename is 1 to 255 bytes without slashes")
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, MaxMediaBytes+1))
	if err != nil {
		return 0, nil, invalid("cannot read the file")
	}
	if len(data) > MaxMediaBytes {
		return 0, nil, &apiError{http.StatusRequestEntityTooLarge, "too_large", "a file is at most 10 MiB"}
	}
	if len(data) == 0 || !sniffMatches(ct, data) {
		return 0, nil, invalid("the content is not " + ct)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	m := &mediaRec{Media: Media{ID: s.nextID, CabinetID: c.CabinetID, Filename: name, ContentType: ct, Size: len(data),
		UploadedBy: c.ID, UploadedAt: s.clock.Now().UTC()}, data: data}
	s.media[m.ID] = m
	return http.StatusCreated, m.Media, nil
}

func (s *Server) getMedia(c *caller, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.media[id]
	if m == nil || !slices.Contains(s.visibleCabinets(c), m.CabinetID) {
		return 0, nil, errNotFound
	}
	return http.StatusOK, m.Media, nil
}

// checkMedia verifies that ids are files of the post's cabinet; the caller
// holds s.mu.
func (s *store) checkMedia(cabinetID int64, ids []int64) error {
	if len(ids) > maxPostMedia {
		return invalid("a post has at most 10 files")
	}
	for _, id := range ids {
		m := s.media[id]
		if m == nil || m.CabinetID != cabinetID {
			return invalid("unknown media id")
		}
	}
	return nil
}
