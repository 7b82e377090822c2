package ok_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/social"
)

// topicLog records the attachments mediatopic.post received per group.
type topicLog struct {
	mu     sync.Mutex
	byGid  map[string][]map[string]any
	nextID int
}

func (l *topicLog) handler(p url.Values) any {
	var a map[string]any
	if err := json.Unmarshal([]byte(p.Get("attachment")), &a); err != nil {
		return apiError{Code: ok.CodeParam, Msg: "attachment"}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byGid == nil {
		l.byGid = map[string][]map[string]any{}
	}
	l.byGid[p.Get("gid")] = append(l.byGid[p.Get("gid")], a)
	l.nextID++
	return fmt.Sprint(1000 + l.nextID)
}

func TestPublisherPublishesOneTopic(t *testing.T) {
	f := newFake(t)
	uploadServer(t, f)
	var log topicLog
	f.on("mediatopic.post", log.handler)
	clk := coretest.NewClock(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC))
	pub := f.client().Publisher("G1", ok.WithPageName("Администрация"), ok.WithPublishClock(clk))
	assert.Equal(t, social.PageInfo{Network: social.OK, ID: "G1", Name: "Администрация", URL: "https://ok.ru/group/G1"}, pub.Page())

	post := social.Post{Key: "cab-1", Text: "Новость", Media: []social.Media{{Kind: social.Photo, Filename: "a.jpg", Data: []byte("A")}},
		Link: &social.Link{URL: "https://pos.gosuslugi.ru"}, Poll: &social.Poll{Question: "Как вам?", Options: []string{"Хорошо", "Плохо"}, Anonymous: true}}
	rc, err := pub.Publish(context.Background(), post)
	require.NoError(t, err)
	assert.Equal(t, "1001", rc.PostID)
	assert.Equal(t, "cab-1", rc.Key)
	assert.Equal(t, "https://ok.ru/group/G1/topic/1001", rc.URL)
	assert.Equal(t, []social.Part{{ID: "1001", Kind: social.PartText, HasText: true}}, rc.Parts)
	assert.Equal(t, clk.Now(), rc.PublishedAt)
	assert.False(t, rc.Scheduled())
	att := log.byGid["G1"][0]
	assert.Equal(t, "true", att["onBehalfOfGroup"])
	media := att["media"].([]any)
	require.Len(t, media, 4)
	assert.Equal(t, "text", media[0].(map[string]any)["type"])
	assert.Equal(t, map[string]any{"type": "photo", "list": []any{map[string]any{"id": "TOKEN1"}}}, media[1])
	assert.Equal(t, "link", media[2].(map[string]any)["type"])
	assert.Equal(t, "SingleChoice,AnonymousVoting", media[3].(map[string]any)["options"])
	assert.NotContains(t, att, "publishAtMs")
}

func TestPublisherSchedulesOnOK(t *testing.T) {
	f := newFake(t)
	var log topicLog
	f.on("mediatopic.post", log.handler)
	clk := coretest.NewClock(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC))
	at := clk.Now().Add(3 * time.Hour)
	// The clock comes from the ctx, as FanOut passes it.
	ctx := social.WithClock(context.Background(), clk)
	rep := social.FanOutOptions{Clock: clk}.Run(ctx, social.Post{Text: "Завтра", PublishAt: at}, f.client().Publisher("G1"))
	require.Equal(t, 1, rep.Scheduled, "%+v", rep.Results)
	assert.Equal(t, at, rep.Results[0].Receipt.ScheduledAt)
	assert.Equal(t, fmt.Sprint(at.UnixMilli()), log.byGid["G1"][0]["publishAtMs"])

	// Due now (within a minute): published at once.
	rc, err := f.client().Publisher("G1", ok.WithPublishClock(clk)).Publish(ctx, social.Post{Text: "Сейчас", PublishAt: clk.Now().Add(30 * time.Second)})
	require.NoError(t, err)
	assert.False(t, rc.Scheduled())
	assert.NotContains(t, log.byGid["G1"][1], "publishAtMs")
}

func TestPublisherRefusesWhatOKCannotCarry(t *testing.T) {
	f := newFake(t)
	pub := f.client().Publisher("G1")
	for _, post := range []social.Post{
		{Text: "x", Media: []social.Media{social.MediaFromURL(social.Photo, "https://example.org/a.jpg")}},
		{Text: "x", Media: []social.Media{{Kind: social.Document, Data: []byte("d")}}},
		{},
	} {
		_, err := pub.Publish(context.Background(), post)
		assert.ErrorIs(t, err, ok.ErrInvalidRequest)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Empty(t, f.calls)
}

// A fan-out to 200 groups publishes each once; an unknown outcome is
// reported, never repeated.
func TestFanOutTwoHundredGroupsNoDuplicates(t *testing.T) {
	f := newFake(t)
	var log topicLog
	f.on("mediatopic.post", func(p url.Values) any {
		if p.Get("gid") == "G13" {
			return apiError{Code: ok.CodeService, Msg: "SERVICE"}
		}
		if p.Get("gid") == "G14" {
			return apiError{Code: ok.CodeFloodBlocked, Msg: "flood"}
		}
		return log.handler(p)
	})
	c := f.client()
	var pubs []social.Publisher
	for i := range 200 {
		pubs = append(pubs, c.Publisher(fmt.Sprintf("G%d", i)))
	}
	rep := social.FanOutOptions{Concurrency: 16}.Run(context.Background(), social.Post{Text: "Всем"}, pubs...)
	assert.Equal(t, 198, rep.Published)
	assert.Equal(t, 1, rep.Unknown)
	assert.Equal(t, 1, rep.Failed)
	assert.Equal(t, "2", rep.Results[13].Code)
	assert.Equal(t, "8", rep.Results[14].Code)
	assert.Equal(t, 200, f.hitCount("mediatopic.post"))
	for gid, topics := range log.byGid {
		assert.Len(t, topics, 1, gid)
	}
}

func TestPublisherStats(t *testing.T) {
	f := newFake(t)
	f.on("group.getStatTopic", func(p url.Values) any {
		assert.Equal(t, "T1", p.Get("topic_id"))
		return map[string]any{"reach": 100, "likes": "7", "comments": 3, "reshares": 1}
	})
	f.on("group.getCounters", func(url.Values) any { return map[string]any{"counters": map[string]any{"members": 5000}} })
	f.on("group.getStatOverview", func(url.Values) any {
		return map[string]any{"reach": []map[string]any{{"time": 1, "value": 10}, {"time": 2, "value": 15}}, "likes": 4}
	})
	clk := coretest.NewClock(time.Time{})
	pub := f.client().Publisher("G1", ok.WithPublishClock(clk))
	ps, err := pub.PostStats(context.Background(), social.Receipt{PostID: "T1"})
	require.NoError(t, err)
	assert.Equal(t, social.PostStats{Reach: 100, Likes: 7, Comments: 3, Reposts: 1,
		Available: social.MetricReach | social.MetricLikes | social.MetricComments | social.MetricReposts, At: clk.Now()}, ps)
	assert.False(t, ps.Available.Has(social.MetricViews), "views OK did not return are unknown, not zero")
	pg, err := pub.PageStats(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(5000), pg.Subscribers)
	assert.Equal(t, int64(25), pg.Reach, "a series is summed over the period")
	assert.True(t, pg.Available.Has(social.MetricSubscribers|social.MetricReach|social.MetricLikes))

	f.on("group.getStatTopic", func(url.Values) any { return apiError{Code: ok.CodeParamPermission, Msg: "no stats"} })
	_, err = pub.PostStats(context.Background(), social.Receipt{PostID: "T1"})
	assert.ErrorIs(t, err, ok.ErrPermissionDenied)
	_, err = pub.PostStats(context.Background(), social.Receipt{})
	assert.ErrorIs(t, err, ok.ErrInvalidRequest)
	assert.False(t, errors.Is(err, core.ErrUnknownOutcome))
}

// Without a clock of its own or in the ctx, the publisher reads the
// client's clock.
func TestPublisherFallsBackToClientClock(t *testing.T) {
	f := newFake(t)
	var log topicLog
	f.on("mediatopic.post", log.handler)
	clk := coretest.NewClock(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC))
	pub := f.client(core.WithClock(clk)).Publisher("G1")
	rc, err := pub.Publish(context.Background(), social.Post{Text: "x", PublishAt: clk.Now().Add(time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, clk.Now().Add(time.Hour), rc.ScheduledAt)
	rc, err = pub.Publish(context.Background(), social.Post{Text: "y"})
	require.NoError(t, err)
	assert.Equal(t, clk.Now(), rc.PublishedAt)
}

func TestPublisherVideoOnlyAndOptions(t *testing.T) {
	f := newFake(t)
	_, vf := uploadServer(t, f)
	var log topicLog
	var preview string
	f.on("mediatopic.post", func(p url.Values) any { preview = p.Get("text_link_preview"); return log.handler(p) })
	pub := f.client().Publisher("G1", ok.WithShortname("mincifry"), ok.WithoutComments(), ok.WithLinkPreview())
	assert.Equal(t, "https://ok.ru/mincifry", pub.Page().URL)
	rc, err := pub.Publish(context.Background(), social.Post{Media: []social.Media{{Kind: social.Video, Filename: "clip.mp4", Data: []byte("VIDEO")}}})
	require.NoError(t, err)
	assert.Equal(t, []social.Part{{ID: rc.PostID, Kind: social.PartVideo}}, rc.Parts)
	assert.Equal(t, []string{"file=clip.mp4:VIDEO"}, *vf)
	att := log.byGid["G1"][0]
	assert.Equal(t, "true", att["disableComments"])
	assert.Equal(t, []any{map[string]any{"type": "movie", "list": []any{map[string]any{"id": "4242"}}}}, att["media"])
	assert.Equal(t, "true", preview)

	// A failed upload publishes nothing.
	f.on("video.getUploadUrl", func(url.Values) any { return apiError{Code: ok.CodeParam, Msg: "PARAM : FileToSmall"} })
	_, err = pub.Publish(context.Background(), social.Post{Text: "x", Media: []social.Media{{Kind: social.Video, Data: []byte("V")}}})
	assert.ErrorIs(t, err, ok.ErrParam)
	assert.Len(t, log.byGid["G1"], 1)
}

func TestUploadHostFailures(t *testing.T) {
	for name, tc := range map[string]struct {
		status int
		body   string
		check  func(t *testing.T, err error)
	}{
		"error body": {200, `{"error_code":503,"error_msg":"PHOTO_INVALID_FORMAT"}`, func(t *testing.T, err error) {
			var e *ok.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, ok.CodePhotoInvalidFormat, e.Code)
		}},
		"status": {http.StatusRequestEntityTooLarge, ``, func(t *testing.T, err error) {
			var he *ok.HTTPError
			require.ErrorAs(t, err, &he)
			assert.Equal(t, http.StatusRequestEntityTooLarge, he.StatusCode)
		}},
		"bad json": {200, `{"photos":`, func(t *testing.T, err error) {
			var de *ok.DecodeError
			require.ErrorAs(t, err, &de)
		}},
		"no token": {200, `{"photos":{}}`, func(t *testing.T, err error) {
			var de *ok.DecodeError
			require.ErrorAs(t, err, &de)
		}},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			up := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}))
			f.on("photosV2.getUploadUrl", func(url.Values) any {
				return map[string]any{"upload_url": up + "/u", "photo_ids": []string{"p1"}}
			})
			_, err := f.client().UploadPhotos(context.Background(), "G1", []ok.File{{Data: []byte("x")}})
			tc.check(t, err)
		})
	}
}

// One limiter serves two clients of the same token: they share its
// budget.
func TestSharedLimiter(t *testing.T) {
	f := newFake(t)
	f.on("url.getInfo", func(url.Values) any { return map[string]any{"objectId": 1} })
	clk := coretest.NewAutoClock()
	cfg := ok.LimiterConfig(core.PerSecond(2), 1)
	cfg.Clock = clk
	shared := core.NewKeyedLimiter(cfg)
	a := f.client(core.WithLimiter(shared), core.WithClock(clk))
	b := f.client(core.WithLimiter(shared), core.WithClock(clk))
	start := clk.Now()
	for range 3 {
		_, err := a.GetURLInfo(context.Background(), "https://ok.ru/g")
		require.NoError(t, err)
		_, err = b.GetURLInfo(context.Background(), "https://ok.ru/g")
		require.NoError(t, err)
	}
	// Six calls at 2/s with a burst of 1: 2.5 s.
	assert.Equal(t, 2500*time.Millisecond, clk.Since(start))
	assert.Equal(t, 1, shared.Len())
	assert.NotNil(t, ok.NewLimiter(ok.DefaultRate(), ok.DefaultBurst))
}
