package transport

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wallPost is shaped like a VK/OK request struct.
type wallPost struct {
	OwnerID     int64    `url:"owner_id"`
	Message     string   `url:"message,omitempty"`
	Attachments []string `url:"attachments,comma,omitempty"`
	FromGroup   bool     `url:"from_group,int"`
	GUID        string   `url:"guid,omitempty"`
	Skipped     string   `url:"-"`
}

func TestEncodeForm(t *testing.T) {
	t.Parallel()
	b, err := EncodeForm(&wallPost{OwnerID: -42, Message: "Решаем вместе & co", Attachments: []string{"photo1_2", "doc3_4"}, FromGroup: true, Skipped: "x"})
	require.NoError(t, err)
	assert.Equal(t, "attachments=photo1_2%2Cdoc3_4&from_group=1&message=%D0%A0%D0%B5%D1%88%D0%B0%D0%B5%D0%BC+%D0%B2%D0%BC%D0%B5%D1%81%D1%82%D0%B5+%26+co&owner_id=-42", string(b))
	vals, err := url.ParseQuery(string(b))
	require.NoError(t, err)
	assert.Equal(t, "Решаем вместе & co", vals.Get("message"))
	assert.False(t, vals.Has("guid"), "omitempty")

	_, err = EncodeForm(42)
	require.Error(t, err, "not a struct")
}

func TestEncodeMultipart(t *testing.T) {
	t.Parallel()
	body, ct, err := EncodeMultipart(&wallPost{OwnerID: 7, Message: "hi"},
		FilePart{Field: "photo", FileName: `a "b".png`, ContentType: "image/png", Data: []byte{0x89, 'P', 'N', 'G'}},
		FilePart{Field: "file", FileName: "x.bin", Data: []byte("raw")})
	require.NoError(t, err)
	mt, params, err := mime.ParseMediaType(ct)
	require.NoError(t, err)
	assert.Equal(t, "multipart/form-data", mt)
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	form, err := r.ReadForm(1 << 20)
	require.NoError(t, err)
	assert.Equal(t, []string{"hi"}, form.Value["message"])
	assert.Equal(t, []string{"7"}, form.Value["owner_id"])
	assert.Equal(t, []string{"0"}, form.Value["from_group"])
	require.Len(t, form.File["photo"], 1)
	fh := form.File["photo"][0]
	assert.Equal(t, `a "b".png`, fh.Filename)
	assert.Equal(t, "image/png", fh.Header.Get("Content-Type"))
	f, err := fh.Open()
	require.NoError(t, err)
	data, _ := io.ReadAll(f)
	assert.Equal(t, []byte{0x89, 'P', 'N', 'G'}, data)
	assert.Equal(t, "application/octet-stream", form.File["file"][0].Header.Get("Content-Type"))

	_, _, err = EncodeMultipart(nil, FilePart{FileName: "x"})
	require.Error(t, err, "a file part needs a field")
}

// TestFormAndMultipartBodiesReplayOnRetries: a retried call sends the same
// typed body on every attempt.
func TestFormAndMultipartBodiesReplayOnRetries(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			_ = r.ParseForm()
		}
		mu.Lock()
		got = append(got, r.Header.Get("Content-Type")[:19]+"|"+r.FormValue("message")+"|"+r.FormValue("guid"))
		mu.Unlock()
		if hits.Add(1)%2 == 1 {
			w.WriteHeader(503)
		}
	}))
	defer srv.Close()
	c := newTestClient(t)
	form := &Call{Operation: "vk.wall.post", URL: srv.URL, DedupeKey: "g1"}
	require.NoError(t, form.SetForm(&wallPost{OwnerID: 1, Message: "m", GUID: "g1"}))
	resp, err := c.Do(t.Context(), form)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	mp := &Call{Operation: "vk.photos.save", URL: srv.URL, Idempotent: true}
	require.NoError(t, mp.SetMultipart(&wallPost{OwnerID: 1, Message: "p"}, FilePart{Field: "photo", FileName: "p.png", Data: []byte("png")}))
	resp, err = c.Do(t.Context(), mp)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, []string{
		"application/x-www-f|m|g1", "application/x-www-f|m|g1",
		"multipart/form-data|p|", "multipart/form-data|p|",
	}, got)
}
