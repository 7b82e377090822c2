package tgmock

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// upload is a file part of a multipart request.
type upload struct {
	filename    string
	contentType string
	data        []byte
}

// params are the decoded parameters of one request. String values are kept
// as sent; JSON values that are not strings are kept as their JSON text
// (numbers, booleans, objects, arrays), as the real server does.
type params struct {
	vals  map[string]string
	files map[string]*upload
}

// decodeError is a parameter-decoding failure; its text is the Bot API
// description answered to the client.
type decodeError string

func (e decodeError) Error() string { return string(e) }

const (
	errBadJSON      decodeError = "Bad Request: can't parse JSON encoded request"
	errBadMultipart decodeError = "Bad Request: can't parse multipart/form-data request"
	errTooLarge     decodeError = "Request Entity Too Large"
)

// decodeParams reads the parameters of r: the query string first, then the
// body (urlencoded form, JSON or multipart), whose values override the
// query's except that an empty body value never hides a query value. An empty
// or missing body means no body parameters, whatever the content type.
func decodeParams(r *http.Request, maxBody int64) (params, error) {
	p := params{vals: make(map[string]string, 8)}
	if q := r.URL.RawQuery; q != "" {
		vs, err := url.ParseQuery(q)
		if err == nil || len(vs) > 0 {
			for k, v := range vs {
				if len(v) > 0 {
					p.vals[k] = v[0]
				}
			}
		}
	}
	if r.Body == nil || r.Body == http.NoBody || r.Method == http.MethodGet && r.ContentLength <= 0 {
		return p, nil
	}
	ct, ctParams := mediaType(r.Header.Get("Content-Type"))
	body := http.MaxBytesReader(nil, r.Body, maxBody)
	if ct == "multipart/form-data" {
		return p, p.readMultipart(body, ctParams["boundary"])
	}
	data, err := io.ReadAll(body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return p, errTooLarge
		}
		return p, errBadMultipart
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return p, nil
	}
	switch ct {
	case "application/json":
		return p, p.readJSON(data)
	case "application/x-www-form-urlencoded", "":
		vs, err := url.ParseQuery(string(data))
		if err != nil && len(vs) == 0 {
			return p, nil
		}
		for k, v := range vs {
			if len(v) > 0 {
				p.set(k, v[0])
			}
		}
	}
	return p, nil
}

func (p *params) set(k, v string) {
	if v == "" {
		if _, ok := p.vals[k]; ok {
			return
		}
	}
	p.vals[k] = v
}

func (p *params) readJSON(data []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return errBadJSON
	}
	for k, raw := range m {
		if len(raw) == 0 {
			continue
		}
		switch raw[0] {
		case 'n': // null: absent
		case '"':
			// Fast path: a string without escapes is its bytes between the
			// quotes (the decoder above already validated the JSON).
			if bytes.IndexByte(raw, '\\') < 0 {
				p.set(k, string(raw[1:len(raw)-1]))
				continue
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return errBadJSON
			}
			p.set(k, s)
		default:
			p.set(k, string(raw))
		}
	}
	return nil
}

func (p *params) readMultipart(body io.Reader, boundary string) error {
	if boundary == "" {
		// An empty multipart body without a boundary still means "no
		// parameters" (go-telegram/bot sends getMe that way).
		data, err := io.ReadAll(body)
		if err != nil {
			return tooLargeOr(err, errBadMultipart)
		}
		if len(bytes.TrimSpace(data)) == 0 {
			return nil
		}
		return errBadMultipart
	}
	mr := multipart.NewReader(body, boundary)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if len(p.files) == 0 && isEmptyMultipart(err) {
				return nil
			}
			return tooLargeOr(err, errBadMultipart)
		}
		name := part.FormName()
		data, err := io.ReadAll(part)
		if err != nil {
			return tooLargeOr(err, errBadMultipart)
		}
		if name == "" {
			continue
		}
		if fn := part.FileName(); fn != "" || part.Header.Get("Content-Type") == "application/octet-stream" {
			if p.files == nil {
				p.files = make(map[string]*upload, 2)
			}
			p.files[name] = &upload{filename: fn, contentType: part.Header.Get("Content-Type"), data: data}
			continue
		}
		p.set(name, string(data))
	}
}

func isEmptyMultipart(err error) bool {
	return err == io.ErrUnexpectedEOF || strings.Contains(err.Error(), "EOF")
}

func tooLargeOr(err, other error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errTooLarge
	}
	return other
}

// str returns a parameter's value.
func (p *params) str(k string) string { return p.vals[k] }

// has reports whether a parameter is present (as a value or a file).
func (p *params) has(k string) bool {
	if _, ok := p.vals[k]; ok {
		return true
	}
	_, ok := p.files[k]
	return ok
}

// int64 parses an integer parameter; ok is false when it is absent or not an
// integer.
func (p *params) int64(k string) (int64, bool) {
	v, ok := p.vals[k]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		// JSON may send a float such as 1e3.
		f, ferr := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if ferr != nil || f != float64(int64(f)) {
			return 0, false
		}
		return int64(f), true
	}
	return n, true
}

// bool parses a boolean parameter the way the Bot API does ("true", "1").
func (p *params) bool(k string) bool {
	switch strings.ToLower(strings.TrimSpace(p.vals[k])) {
	case "true", "1", "yes", "on":
		return true
	}
	return false
}

// file resolves an InputFile parameter: a multipart file part of that name
// wins; otherwise a string that is "attach://<part>", a file_id or a URL.
func (p *params) file(k string) (up *upload, ref string) {
	if f, ok := p.files[k]; ok {
		return f, ""
	}
	return p.attach(p.vals[k])
}

// attach resolves an "attach://name" reference to a file part; other
// strings are returned as a reference (file_id or URL).
func (p *params) attach(v string) (*upload, string) {
	if name, ok := strings.CutPrefix(v, "attach://"); ok {
		if f, ok := p.files[name]; ok {
			return f, ""
		}
		return nil, v
	}
	return nil, v
}

// journal returns the parameters for the journal: values as sent, files as
// "<name> (<n> bytes)", secrets redacted. It takes over p.vals: call it only
// when the request is done.
func (p *params) journal() map[string]string {
	if len(p.vals) == 0 && len(p.files) == 0 {
		return nil
	}
	// The request is finished when the journal is written: reuse the map.
	m := p.vals
	for k, f := range p.files {
		m[k] = f.filename + " (" + strconv.Itoa(len(f.data)) + " bytes)"
	}
	if v, ok := m["secret_token"]; ok && v != "" {
		m["secret_token"] = "[redacted]"
	}
	if v, ok := m["url"]; ok && strings.Contains(v, "@") {
		if u, err := url.Parse(v); err == nil && u.User != nil {
			u.User = url.User("redacted")
			m["url"] = u.String()
		}
	}
	return m
}

// mediaType parses a Content-Type value, skipping the general parser for
// the common parameterless values.
func mediaType(v string) (string, map[string]string) {
	switch v {
	case "application/json", "application/x-www-form-urlencoded", "":
		return v, nil
	}
	ct, params, _ := mime.ParseMediaType(v)
	return ct, params
}
