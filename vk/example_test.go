package vk_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/vk"
)

// exampleVK is a tiny stand-in for api.vk.ru answering a few methods with
// VK's envelopes.
func exampleVK() *httptest.Server {
	mux := http.NewServeMux()
	answer := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"response": v})
	}
	mux.HandleFunc("/method/groups.getById", func(w http.ResponseWriter, r *http.Request) {
		answer(w, map[string]any{"groups": []any{map[string]any{
			"id": 1, "name": "Администрация города", "is_closed": 0, "has_photo": 1, "verified": 0,
			"description": "Официальная страница", "city": map[string]any{"id": 1, "title": "Москва"},
			"is_government_organization": 1,
		}}, "profiles": []any{}})
	})
	mux.HandleFunc("/method/groups.getSettings", func(w http.ResponseWriter, r *http.Request) {
		answer(w, map[string]any{"public_category": 4011, "public_category_list": []any{
			map[string]any{"id": 4011, "name": "Государственная организация"}}})
	})
	mux.HandleFunc("/method/groups.getMembers", func(w http.ResponseWriter, r *http.Request) {
		answer(w, map[string]any{"count": 1, "items": []any{map[string]any{"id": 7, "role": "creator"}}})
	})
	mux.HandleFunc("/method/wall.post", func(w http.ResponseWriter, r *http.Request) {
		answer(w, map[string]any{"post_id": 42})
	})
	mux.HandleFunc("/method/stats.get", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"error":{"error_code":15,"error_msg":"Access denied","request_params":[{"key":"method","value":"stats.get"}]}}`)
	})
	return httptest.NewServer(mux)
}

func ExampleClient_GetGroup() {
	srv := exampleVK()
	defer srv.Close()
	c, err := vk.New("community-token", vk.CommunityToken, core.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	g, err := c.GetGroup(context.Background(), 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(g.Name, "—", vk.MarkOf(g), "mark, blue check:", bool(g.Verified))
	// Output: Администрация города — present mark, blue check: false
}

// A watcher of communities' marks on a virtual clock: the first reading
// records the states, and the one an hour later sees the mark gone.
func ExampleClient_WatchMarks() {
	var readings atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		marked := 0
		if readings.Add(1) == 1 {
			marked = 1 // withdrawn before the second reading
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"response": map[string]any{"groups": []any{
			map[string]any{"id": 1, "name": "Администрация города", "is_government_organization": marked},
		}}})
	}))
	defer srv.Close()
	clk := coretest.NewAutoClock() // every wait passes at once
	c, _ := vk.New("service-token", vk.ServiceToken, core.WithBaseURL(srv.URL), core.WithLimiter(nil), core.WithClock(clk))
	ctx, cancel := context.WithCancel(context.Background())
	w := c.WatchMarks([]int64{1}, social.WatchOptions{Interval: time.Hour, OnChange: func(ch social.MarkChange) {
		fmt.Println(ch.After.PageID, ch.After.Name, ch.Kind, "at", ch.At.Sub(coretest.Epoch))
		cancel()
	}})
	fmt.Println(w.Run(ctx))
	// Output:
	// 1 Администрация города lost at 1h0m0s
	// context canceled
}

func ExampleError() {
	srv := exampleVK()
	defer srv.Close()
	c, _ := vk.New("user-token", vk.UserToken, core.WithBaseURL(srv.URL))
	_, err := c.StatsGet(context.Background(), vk.StatsRequest{GroupID: 1})
	var ve *vk.Error
	if errors.As(err, &ve) {
		fmt.Println(ve.Code, errors.Is(err, vk.ErrAccessDenied), core.ErrorCode(err))
	}
	// A method VK refuses for the token's kind fails before the network.
	cc, _ := vk.New("community-token", vk.CommunityToken, core.WithBaseURL(srv.URL))
	_, err = cc.WallPost(context.Background(), vk.WallPostRequest{OwnerID: -1, Message: "x"})
	fmt.Println(err)
	// Output:
	// 15 true 15
	// vk: wall.post takes a user token, not a community token (VK would answer error 27)
}

func ExamplePublisher_Publish() {
	srv := exampleVK()
	defer srv.Close()
	c, _ := vk.New("publisher-user-token", vk.UserToken, core.WithBaseURL(srv.URL))
	pub, err := vk.NewPublisher(c, 1, vk.PublisherOptions{Name: "Администрация города"})
	if err != nil {
		panic(err)
	}
	rep := social.FanOut(context.Background(), social.Post{Key: "news-2026-01-15", Text: "Приём граждан переносится на пятницу"}, pub)
	r := rep.Results[0]
	fmt.Println(r.Outcome, r.Receipt.URL)
	// Output: published https://vk.com/wall-1_42
}

func ExampleClient_CheckCommunity() {
	srv := exampleVK()
	defer srv.Close()
	// The stand-in server has no rate limits: no pacing needed.
	c, _ := vk.New("admin-user-token", vk.UserToken, core.WithBaseURL(srv.URL), core.WithLimiter(nil))
	rep, err := c.CheckCommunity(context.Background(), 1)
	if err != nil {
		panic(err)
	}
	for _, r := range rep.Requirements {
		fmt.Printf("%-20s %s\n", r.Code, r.Status)
	}
	// Output:
	// open                 met
	// photo                met
	// description          met
	// city                 met
	// category_government  met
	// managers             met
	// admins_two_factor    unverifiable
	// gov_mark             met
}

func ExampleNewCallbackHandler() {
	h := vk.NewCallbackHandler(vk.CallbackConfig{
		GroupID: 1, Confirmation: "a1b2c3d4", Secret: "s3cret",
		Handle: func(_ context.Context, e *vk.Event) error {
			if e.Post != nil {
				fmt.Println("new post:", e.Post.Text)
			}
			return nil
		},
	})
	send := func(body string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/vk", strings.NewReader(body)))
		fmt.Println(w.Code, w.Body.String())
	}
	send(`{"type":"confirmation","group_id":1,"secret":"s3cret"}`)
	send(`{"type":"wall_post_new","group_id":1,"event_id":"e1","secret":"s3cret","object":{"id":5,"text":"Новость"}}`)
	send(`{"type":"wall_post_new","group_id":1,"event_id":"e1","secret":"s3cret","object":{"id":5,"text":"Новость"}}`)
	// Output:
	// 200 a1b2c3d4
	// new post: Новость
	// 200 ok
	// 200 ok
}

func ExamplePostGUID() {
	// The guid of a post depends only on its key and the wall: a repeat
	// within VK's one-hour window cannot post twice.
	first, again := vk.PostGUID("news-1", -1), vk.PostGUID("news-1", -1)
	fmt.Println(first == again, first == vk.PostGUID("news-1", -2))
	// Output: true false
}

func ExampleWithBatching() {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		_ = r.ParseForm()
		// Three calls of one execute: answer one slot each.
		n := strings.Count(r.Form.Get("code"), "API.")
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"type": "group", "object_id": i + 1}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"response": out})
	}))
	defer srv.Close()
	c, _ := vk.New("community-token", vk.CommunityToken, core.WithBaseURL(srv.URL),
		vk.WithBatching(vk.BatchOptions{Window: 50 * time.Millisecond, MaxCalls: 3}))
	var wg sync.WaitGroup
	for _, name := range []string{"adm", "mfc", "gosuslugi"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = c.UtilsResolveScreenName(context.Background(), name)
		}()
	}
	wg.Wait()
	fmt.Println("HTTP requests:", requests.Load())
	// Output: HTTP requests: 1
}

func ExampleClient_LongPoll() {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/method/groups.getLongPollServer":
			_ = json.NewEncoder(w).Encode(map[string]any{"response": map[string]any{
				"key": "k", "server": srv.URL + "/lp", "ts": "1"}})
		case "/lp":
			if r.URL.Query().Get("ts") == "1" {
				_, _ = io.WriteString(w, `{"ts":"2","updates":[{"type":"wall_reply_new","event_id":"e1","group_id":1,"object":{"id":9,"post_id":5,"text":"Спасибо!"}}]}`)
				return
			}
			_, _ = io.WriteString(w, `{"ts":"2","updates":[]}`)
		}
	}))
	defer srv.Close()
	c, _ := vk.New("community-token", vk.CommunityToken, core.WithBaseURL(srv.URL))
	ctx, stop := context.WithCancel(context.Background())
	err := c.LongPoll(ctx, 1, func(_ context.Context, e *vk.Event) error {
		fmt.Printf("%s on post %d: %s\n", e.Type, e.Comment.PostID, e.Comment.Text)
		stop()
		return nil
	}, vk.LongPollOptions{Wait: 25})
	fmt.Println(err)
	// Output:
	// wall_reply_new on post 5: Спасибо!
	// context canceled
}
