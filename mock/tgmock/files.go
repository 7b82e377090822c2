package tgmock

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"image"
	_ "image/gif" // register decoders for photo dimensions
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/gospubliki/gosdk/mock/emu"
)

// File kinds.
const (
	kindPhoto    = "photo"
	kindVideo    = "video"
	kindDocument = "document"
	kindAudio    = "audio"
)

const (
	maxPhotoUpload = 10 << 20
	maxFileUpload  = 50 << 20
)

// storedFile is a file known to the emulator. Files sent by URL are never
// fetched: they are synthetic, with no content.
type storedFile struct {
	id, uniqueID string
	kind         string
	path         string
	name, mime   string
	size         int64
	width        int
	height       int
	data         []byte
}

type fileStore struct {
	mu     sync.Mutex
	next   uint64
	byID   map[string]*storedFile
	byPath map[string]*storedFile
	order  []*storedFile // oldest first, for eviction
	bytes  int64
	limit  int64 // total bytes kept; 0: DefaultFileBytes
}

// DefaultFileBytes bounds the uploaded bytes an environment keeps; the
// oldest files are forgotten first (their file_id then answers "invalid
// file_id", like an expired file).
const DefaultFileBytes = 512 << 20

var filePrefix = map[string]string{kindPhoto: "AgAC", kindVideo: "BAAC", kindDocument: "BQAC", kindAudio: "CQAC"}
var fileDir = map[string]string{kindPhoto: "photos", kindVideo: "videos", kindDocument: "documents", kindAudio: "music"}

// add stores a new file and returns it.
func (fs *fileStore) add(test bool, kind, name, mime string, data []byte) *storedFile {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.next++
	var seed [9]byte
	binary.BigEndian.PutUint64(seed[:8], fs.next)
	if test {
		seed[8] = 1
	}
	sum := sha256.Sum256(append(seed[:], kind...))
	enc := base64.RawURLEncoding.EncodeToString(sum[:])
	f := &storedFile{
		id:       filePrefix[kind] + enc[:36] + strconv.FormatUint(fs.next, 36),
		uniqueID: "AQAD" + enc[36:42] + strconv.FormatUint(fs.next, 36),
		kind:     kind, name: name, mime: mime, data: data, size: int64(len(data)),
	}
	ext := path.Ext(name)
	if ext == "" {
		switch kind {
		case kindPhoto:
			ext = ".jpg"
		case kindVideo:
			ext = ".mp4"
		}
	}
	f.path = fileDir[kind] + "/file_" + strconv.FormatUint(fs.next, 10) + ext
	if kind == kindPhoto && len(data) > 0 {
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
			f.width, f.height = cfg.Width, cfg.Height
		}
	}
	if kind == kindPhoto && f.width == 0 {
		f.width, f.height = 1280, 720 // synthetic dimensions
	}
	fs.byID[f.id] = f
	fs.byPath[f.path] = f
	fs.order = append(fs.order, f)
	fs.bytes += f.size
	limit := fs.limit
	if limit <= 0 {
		limit = DefaultFileBytes
	}
	for fs.bytes > limit && len(fs.order) > 1 {
		old := fs.order[0]
		fs.order = fs.order[1:]
		fs.bytes -= old.size
		delete(fs.byID, old.id)
		delete(fs.byPath, old.path)
	}
	return f
}

func (fs *fileStore) get(id string) *storedFile {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.byID[id]
}

func (fs *fileStore) getPath(p string) *storedFile {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.byPath[p]
}

func (f *storedFile) photoSizes() []PhotoSize {
	return []PhotoSize{{FileID: f.id, FileUniqueID: f.uniqueID, Width: f.width, Height: f.height, FileSize: f.size}}
}

// inputFile resolves an InputFile parameter of the given kind: an upload, a
// file_id already known, or an HTTP(S) URL (stored as a synthetic file,
// never fetched).
func (c *call) inputFile(field, kind string) (*storedFile, *apiError) {
	up, ref := c.p.file(field)
	return c.resolveFile(up, ref, kind)
}

func (c *call) resolveFile(up *upload, ref, kind string) (*storedFile, *apiError) {
	fs := &c.env.files
	switch {
	case up != nil:
		if len(up.data) == 0 {
			return nil, errBadRequest("file must be non-empty")
		}
		limit := maxFileUpload
		if kind == kindPhoto {
			limit = maxPhotoUpload
		}
		if len(up.data) > limit {
			return nil, &apiError{413, "Request Entity Too Large", nil}
		}
		mime := up.contentType
		if mime == "" || mime == "application/octet-stream" {
			mime = http.DetectContentType(up.data)
		}
		return fs.add(c.env.test, kind, up.filename, mime, up.data), nil
	case ref == "":
		return nil, errBadRequest("there is no " + kind + " in the request")
	case strings.HasPrefix(ref, "attach://"):
		return nil, errBadRequest("wrong file identifier/HTTP URL specified")
	case strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://"):
		name := path.Base(strings.SplitN(strings.SplitN(ref, "?", 2)[0], "#", 2)[0])
		if name == "." || name == "/" {
			name = ""
		}
		return fs.add(c.env.test, kind, name, "", nil), nil
	}
	f := fs.get(ref)
	if f == nil {
		return nil, errBadRequest("wrong file identifier/HTTP URL specified")
	}
	if f.kind != kind && !(kind == kindDocument) {
		return nil, errBadRequest("can't use file of type " + kindTitle(f.kind) + " as " + kindTitle(kind))
	}
	return f, nil
}

func kindTitle(k string) string {
	if k == "" {
		return ""
	}
	return strings.ToUpper(k[:1]) + k[1:]
}

// getFile.
func (c *call) getFile() (any, *apiError) {
	id := c.p.str("file_id")
	if id == "" {
		return nil, errBadRequest("file_id is empty")
	}
	f := c.env.files.get(id)
	if f == nil {
		return nil, errBadRequest("invalid file_id")
	}
	if f.size > 20<<20 {
		return nil, errBadRequest("file is too big")
	}
	return File{FileID: f.id, FileUniqueID: f.uniqueID, FileSize: f.size, FilePath: f.path}, nil
}

// serveFile answers /file/bot<token>/<path>.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, c *emu.Call, e *env, b *bot, p string) {
	var f *storedFile
	if b != nil {
		f = e.files.getPath(p)
	}
	if f == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		aerr := errNotFound
		if b == nil {
			aerr = errUnauthorized
		}
		s.answer(w, c, aerr, nil)
		return
	}
	ct := f.mime
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(f.data)
	}
}
