package ok_test

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/ok"
)

func TestAttachmentJSON(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	a := ok.Attachment{
		Media: []ok.MediaItem{
			ok.TextItem("Новости"), ok.PhotoItem("tok1", "tok2"), ok.MovieItem("55"), ok.LinkItem("https://gosuslugi.ru"),
			ok.PollItem("Да?", []string{"Да", "Нет"}, ok.PollSingleChoice, ok.PollAnonymousVoting),
		},
		OnBehalfOfGroup: true, DisableComments: true, PublishAt: at,
	}
	b, err := json.Marshal(a)
	require.NoError(t, err)
	assert.JSONEq(t, `{"media":[
		{"type":"text","text":"Новости"},
		{"type":"photo","list":[{"id":"tok1"},{"id":"tok2"}]},
		{"type":"movie","list":[{"id":"55"}]},
		{"type":"link","url":"https://gosuslugi.ru"},
		{"type":"poll","question":"Да?","answers":[{"text":"Да"},{"text":"Нет"}],"options":"SingleChoice,AnonymousVoting"}],
		"onBehalfOfGroup":"true","disableComments":"true","publishAtMs":"1772357400000"}`, string(b))
	a.PublishAtMoscow = true
	b, err = json.Marshal(a)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"publishAt":"2026-03-01 12:30:00"`)
	assert.NotContains(t, string(b), "publishAtMs")
	_, err = json.Marshal(ok.Attachment{Media: []ok.MediaItem{{Type: "music"}}})
	assert.Error(t, err)
}

func TestPostTopicAndGetTopics(t *testing.T) {
	f := newFake(t)
	f.on("mediatopic.post", func(p url.Values) any {
		assert.Equal(t, ok.TopicGroupTheme, p.Get("type"))
		assert.Equal(t, "G1", p.Get("gid"))
		var a map[string]any
		require.NoError(t, json.Unmarshal([]byte(p.Get("attachment")), &a))
		assert.Equal(t, "true", a["onBehalfOfGroup"])
		return 987654321 // OK answers the bare id
	})
	f.on("mediatopic.getByIds", func(p url.Values) any {
		assert.Equal(t, "987654321", p.Get("topic_ids"))
		assert.Equal(t, "3", p.Get("media_limit"))
		return map[string]any{"media_topics": []map[string]any{{"id": "987654321", "created_ms": 1772357400000,
			"media": []map[string]any{{"type": "text", "text": "hi"}}, "like_summary": map[string]any{"count": 4},
			"discussion_summary": map[string]any{"comments_count": 2}, "reshare_summary": map[string]any{"count": 1}}}}
	})
	c := f.client()
	id, err := c.PostTopic(context.Background(), textTopic("G1", "Привет"))
	require.NoError(t, err)
	assert.Equal(t, ok.ID("987654321"), id)
	ts, err := c.GetTopics(context.Background(), &ok.GetTopicsRequest{TopicIDs: []string{string(id)}})
	require.NoError(t, err)
	require.Len(t, ts, 1)
	assert.Equal(t, int64(4), ts[0].Likes)
	assert.Equal(t, int64(2), ts[0].Comments)
	assert.Equal(t, int64(1), ts[0].Reshares)
	assert.Equal(t, time.UnixMilli(1772357400000), ts[0].Created())
	assert.Len(t, ts[0].Media, 1)

	// Topic limits are typed.
	f.on("mediatopic.post", func(url.Values) any { return apiError{Code: ok.CodeMediaTopicTextLimit, Msg: "text too long"} })
	_, err = c.PostTopic(context.Background(), textTopic("G1", strings.Repeat("я", 10)))
	assert.ErrorIs(t, err, ok.ErrMediaTopicLimit)
	assert.Equal(t, "601", ((err).(*ok.Error)).ErrorCode())
}

// uploadServer answers photo and video uploads as OK's upload hosts do.
func uploadServer(t *testing.T, f *fakeOK) (photoFields, videoFields *[]string) {
	var pf, vf []string
	mux := http.NewServeMux()
	read := func(r *http.Request) []string {
		_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		require.NoError(t, err)
		mr := multipart.NewReader(r.Body, params["boundary"])
		var names []string
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			data, _ := io.ReadAll(p)
			names = append(names, p.FormName()+"="+p.FileName()+":"+string(data))
		}
		return names
	}
	mux.HandleFunc("/upload/photo", func(w http.ResponseWriter, r *http.Request) {
		pf = read(r)
		_, _ = io.WriteString(w, `{"photos":{"p1":{"token":"TOKEN1"},"p2":{"token":"TOKEN2"}}}`)
	})
	mux.HandleFunc("/upload/video", func(w http.ResponseWriter, r *http.Request) {
		vf = read(r)
		_, _ = io.WriteString(w, `{}`)
	})
	up := newServer(t, mux)
	f.on("photosV2.getUploadUrl", func(p url.Values) any {
		assert.Equal(t, "G1", p.Get("gid"))
		ids := []string{"p1", "p2"}[:len(strings.Repeat("x", atoi(p.Get("count"))))]
		return map[string]any{"upload_url": up + "/upload/photo", "photo_ids": ids, "expires_ms": 1}
	})
	f.on("video.getUploadUrl", func(p url.Values) any {
		assert.Equal(t, "clip.mp4", p.Get("file_name"))
		assert.Equal(t, "5", p.Get("file_size"))
		return map[string]any{"upload_url": up + "/upload/video", "video_id": 4242}
	})
	return &pf, &vf
}

func TestUploads(t *testing.T) {
	f := newFake(t)
	pf, vf := uploadServer(t, f)
	c := f.client()
	tokens, err := c.UploadPhotos(context.Background(), "G1", []ok.File{{Name: "a.jpg", Data: []byte("AAA")}, {Data: []byte("BBB")}})
	require.NoError(t, err)
	assert.Equal(t, []string{"TOKEN1", "TOKEN2"}, tokens)
	assert.Equal(t, []string{"pic1=a.jpg:AAA", "pic2=photo2:BBB"}, *pf)
	vid, err := c.UploadVideo(context.Background(), "G1", ok.File{Name: "clip.mp4", Data: []byte("VIDEO")})
	require.NoError(t, err)
	assert.Equal(t, ok.ID("4242"), vid)
	assert.Equal(t, []string{"file=clip.mp4:VIDEO"}, *vf)
	_, err = c.UploadPhotos(context.Background(), "G1", nil)
	assert.ErrorIs(t, err, ok.ErrInvalidRequest)
}

func TestParseAttachmentRoundTrip(t *testing.T) {
	at := time.UnixMilli(1772357400000)
	in := ok.Attachment{
		Media: []ok.MediaItem{ok.TextItem("Новости"), ok.PhotoItem("tok1"), ok.MovieItem("55"), ok.LinkItem("https://x.ru"),
			ok.PollItem("Да?", []string{"Да", "Нет"}, ok.PollSingleChoice)},
		OnBehalfOfGroup: true, PublishAt: at,
	}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	out, err := ok.ParseAttachment(string(b))
	require.NoError(t, err)
	assert.Equal(t, in, out)

	// OK's documented example: Moscow time, existing photos, boolean flags.
	out, err = ok.ParseAttachment(`{"media":[{"type":"photo","list":[{"existing_photo_id":"9"},{"id":12}]}],
		"onBehalfOfGroup":true,"publishAt":"2015-11-05 19:09:13","disableComments":"false"}`)
	require.NoError(t, err)
	assert.Equal(t, []ok.PhotoRef{{ExistingPhotoID: "9"}, {Token: "12"}}, out.Media[0].Photos)
	assert.True(t, out.OnBehalfOfGroup)
	assert.False(t, out.DisableComments)
	assert.Equal(t, time.Date(2015, 11, 5, 16, 9, 13, 0, time.UTC), out.PublishAt.UTC())
	_, err = ok.ParseAttachment(`{"media":[],"publishAt":"tomorrow"}`)
	assert.Error(t, err)
}
