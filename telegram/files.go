package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/internal/transport"
)

// upload is one file part of a multipart request.
type upload struct {
	// field is the top-level parameter the part replaces ("photo"); empty
	// for an attachment referenced as attach://<part> inside a JSON field.
	field string
	// part is the multipart part name.
	part string
	file *InputFile
}

// topUpload returns the upload of a top-level InputFile parameter, or nil
// when f is not uploaded content. It sets f's attach name.
func topUpload(field string, f *InputFile) []upload {
	if f == nil || !f.IsUpload() {
		return nil
	}
	f.attach = field
	return []upload{{field: field, part: field, file: f}}
}

// encodeMultipart encodes params as multipart/form-data: every top-level
// JSON field becomes a form field (strings verbatim, other values as JSON),
// except the fields replaced by uploads, and every upload becomes a file
// part.
func (c *Client) encodeMultipart(method string, params any, up []upload) ([]byte, string, error) {
	for _, u := range up {
		if u.file.reader != nil {
			data, err := io.ReadAll(io.LimitReader(u.file.reader, c.maxUpload+1))
			if err != nil {
				return nil, "", fmt.Errorf("telegram: %s: read %s: %w", method, u.part, err)
			}
			u.file.data, u.file.reader = data, nil
		}
		if int64(len(u.file.data)) > c.maxUpload {
			return nil, "", invalid(method, u.part, fmt.Sprintf("upload exceeds %d bytes", c.maxUpload))
		}
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, "", fmt.Errorf("telegram: %s: encode request: %w", method, err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, "", fmt.Errorf("telegram: %s: encode request: %w", method, err)
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if !slices.ContainsFunc(up, func(u upload) bool { return u.field == k }) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, k := range keys {
		v := fields[k]
		val := string(v)
		if len(v) > 0 && v[0] == '"' {
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, "", fmt.Errorf("telegram: %s: encode %s: %w", method, k, err)
			}
			val = s
		}
		if err := w.WriteField(k, val); err != nil {
			return nil, "", err
		}
	}
	for _, u := range up {
		h := make(textproto.MIMEHeader)
		name := u.file.name
		if name == "" {
			name = u.part
		}
		h.Set("Content-Disposition", `form-data; name="`+quoteParam(u.part)+`"; filename="`+quoteParam(name)+`"`)
		ct := u.file.contentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		pw, err := w.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		if _, err := pw.Write(u.file.data); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// quoteParam escapes a Content-Disposition parameter value and drops line
// breaks, so a filename cannot inject headers.
func quoteParam(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", "").Replace(s)
}

// GetFileRequest is the input of GetFile.
type GetFileRequest struct {
	// FileID is the file to prepare for download.
	FileID string `json:"file_id"`
}

// GetFile returns the File (with its file_path) for a file id; download the
// content with DownloadFile.
//
// Telegram API docs: https://core.telegram.org/bots/api#getfile
func (c *Client) GetFile(ctx context.Context, req *GetFileRequest, opts ...core.CallOption) (*File, error) {
	const method = "getFile"
	if req == nil || req.FileID == "" {
		return nil, invalid(method, "file_id", "empty")
	}
	return doCall[File](ctx, c, method, req, nil, callOpts{call: opts, idempotent: true})
}

// DownloadFileRequest is the input of DownloadFile.
type DownloadFileRequest struct {
	// FilePath is File.FilePath from GetFile.
	FilePath string
	// MaxBytes bounds the download; zero means the client's limit (default
	// 20 MiB, see WithMaxDownloadBytes).
	MaxBytes int64
}

// DownloadFile writes the content of a file obtained with GetFile to w and
// returns the number of bytes written. Nothing is written when the file is
// larger than the limit. The download URL contains the bot token; it is
// never logged or returned unredacted.
//
// A relative FilePath is downloaded from <base>/file/bot<token>/<path>. An
// absolute FilePath, which only a local Bot API server started with --local
// returns, is read from the local file system when the file exists there
// (the client runs beside the server) and otherwise downloaded like a
// relative path; with the hosted Bot API an absolute path is refused.
//
// Telegram API docs: https://core.telegram.org/bots/api#getfile
func (c *Client) DownloadFile(ctx context.Context, req *DownloadFileRequest, w io.Writer, opts ...core.CallOption) (int64, error) {
	const method = "downloadFile"
	if req == nil || req.FilePath == "" {
		return 0, invalid(method, "file_path", "empty")
	}
	if w == nil {
		return 0, invalid(method, "writer", "nil")
	}
	limit := req.MaxBytes
	if limit <= 0 {
		limit = c.maxDownload
	}
	p := req.FilePath
	if strings.HasPrefix(p, "/") {
		if !c.customBase {
			return 0, invalid(method, "file_path", "absolute path from the hosted Bot API")
		}
		n, err := c.readLocal(ctx, method, p, limit, w)
		if !errors.Is(err, fs.ErrNotExist) {
			return n, err
		}
	}
	rel := strings.TrimLeft(p, "/")
	segs := strings.Split(rel, "/")
	for i, s := range segs {
		if s == ".." || s == "." || s == "" {
			return 0, invalid(method, "file_path", "must not contain empty, . or .. segments")
		}
		segs[i] = pathEscape(s)
	}
	call := &transport.Call{
		Operation:        "telegram." + method,
		Method:           http.MethodGet,
		URL:              c.filePrefix + strings.Join(segs, "/"),
		Idempotent:       true,
		MaxResponseBytes: limit,
	}
	resp, err := c.tr.Do(ctx, call, opts...)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := &Error{Method: method, Code: resp.StatusCode, Description: http.StatusText(resp.StatusCode)}
		var env envelope[json.RawMessage]
		if json.Unmarshal(resp.Body, &env) == nil && env.Description != "" {
			apiErr.Description = c.tr.Redact(env.Description)
		}
		return 0, transport.Finish(call, resp, apiErr)
	}
	n, err := w.Write(resp.Body)
	if err != nil {
		return int64(n), fmt.Errorf("telegram: %s: write: %w", method, err)
	}
	return int64(n), nil
}

func pathEscape(s string) string {
	// url.PathEscape would also escape characters Telegram file paths never
	// contain; keep it simple and safe.
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte("-._~", ch) >= 0 {
			b.WriteByte(ch)
		} else {
			fmt.Fprintf(&b, "%%%02X", ch)
		}
	}
	return b.String()
}

// readLocal copies a file a local Bot API server stored on this machine.
func (c *Client) readLocal(ctx context.Context, method, p string, limit int64, w io.Writer) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	f, err := os.Open(path.Clean(p))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if !st.Mode().IsRegular() {
		return 0, invalid(method, "file_path", "not a regular file")
	}
	if st.Size() > limit {
		return 0, fmt.Errorf("telegram: %s: file of %d bytes exceeds the %d-byte limit", method, st.Size(), limit)
	}
	n, err := io.Copy(w, io.LimitReader(f, limit))
	if err != nil {
		return n, fmt.Errorf("telegram: %s: %w", method, err)
	}
	return n, nil
}
