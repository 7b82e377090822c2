package transport

import (
	"bytes"
	"errors"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"sort"
	"strings"

	"github.com/google/go-querystring/query"
)

// FormContentType is the media type of a form-encoded body.
const FormContentType = "application/x-www-form-urlencoded"

// EncodeForm encodes v, a struct (or pointer to one) whose fields carry
// `url:"name,omitempty"` tags (github.com/google/go-querystring), as an
// application/x-www-form-urlencoded body. Parameters are sorted by name, so
// equal requests give equal bodies. The result is a byte slice, so the
// call can be replayed on every retry.
func EncodeForm(v any) ([]byte, error) {
	vals, err := query.Values(v)
	if err != nil {
		return nil, fmt.Errorf("transport: encode form: %w", err)
	}
	return []byte(vals.Encode()), nil
}

// SetForm makes the call's body the form encoding of v (see EncodeForm).
func (c *Call) SetForm(v any) error {
	b, err := EncodeForm(v)
	if err != nil {
		return err
	}
	c.Body, c.ContentType = b, FormContentType
	return nil
}

// FilePart is one file of a multipart body.
type FilePart struct {
	// Field is the form field name ("photo", "file").
	Field string
	// FileName is the file name sent to the party.
	FileName string
	// ContentType is the part's media type (application/octet-stream when
	// empty).
	ContentType string
	// Data is the file's content.
	Data []byte
}

// EncodeMultipart encodes the fields of v (as EncodeForm reads them, one
// part per value, sorted by name) followed by files as a multipart/form-data
// body, and returns the body and its Content-Type (with the boundary). The
// body is a byte slice, replayable for retries.
func EncodeMultipart(v any, files ...FilePart) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if v != nil {
		vals, err := query.Values(v)
		if err != nil {
			return nil, "", fmt.Errorf("transport: encode multipart: %w", err)
		}
		names := make([]string, 0, len(vals))
		for k := range vals {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			for _, val := range vals[k] {
				if err := w.WriteField(k, val); err != nil {
					return nil, "", fmt.Errorf("transport: encode multipart: %w", err)
				}
			}
		}
	}
	for _, f := range files {
		if f.Field == "" {
			return nil, "", errors.New("transport: encode multipart: file part without a field name")
		}
		ct := f.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h := make(textproto.MIMEHeader, 2)
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, quoteEscaper.Replace(f.Field), quoteEscaper.Replace(f.FileName)))
		h.Set("Content-Type", ct)
		pw, err := w.CreatePart(h)
		if err != nil {
			return nil, "", fmt.Errorf("transport: encode multipart: %w", err)
		}
		if _, err := pw.Write(f.Data); err != nil {
			return nil, "", fmt.Errorf("transport: encode multipart: %w", err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", fmt.Errorf("transport: encode multipart: %w", err)
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// SetMultipart makes the call's body the multipart encoding of v and files
// (see EncodeMultipart).
func (c *Call) SetMultipart(v any, files ...FilePart) error {
	b, ct, err := EncodeMultipart(v, files...)
	if err != nil {
		return err
	}
	c.Body, c.ContentType = b, ct
	return nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")
