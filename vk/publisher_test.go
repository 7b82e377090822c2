package vk

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/social"
)

// wallFake serves the wall, upload and poll methods of one community.
func wallFake(t *testing.T) (*fakeVK, func() int) {
	f := newFakeVK(t)
	var gm sync.Mutex
	guids := map[string]int64{}
	nposts := func() int { gm.Lock(); defer gm.Unlock(); return len(guids) }
	var next atomic.Int64
	f.handle("photos.getWallUploadServer", func(form url.Values) (any, *apiErr) {
		return map[string]any{"upload_url": f.srv.URL + "/upload/photo?gid=" + form.Get("group_id"), "album_id": -14, "user_id": 5}, nil
	})
	f.raw["/upload/photo"] = func(w http.ResponseWriter, r *http.Request) {
		last := f.requests()[len(f.requests())-1]
		if len(last.Files["photo"]) == 0 {
			_, _ = w.Write([]byte(`{"server":1,"photo":"[]","hash":"h"}`))
			return
		}
		_, _ = w.Write([]byte(`{"server":77,"photo":"[{\"photo\":\"abc\"}]","hash":"hh"}`))
	}
	f.handle("photos.saveWallPhoto", func(form url.Values) (any, *apiErr) {
		if form.Get("server") != "77" || form.Get("hash") != "hh" {
			return nil, &apiErr{Code: 121, Msg: "Invalid hash"}
		}
		return []any{map[string]any{"id": 900, "owner_id": -10, "album_id": -14}}, nil
	})
	f.handle("video.save", func(form url.Values) (any, *apiErr) {
		return map[string]any{"upload_url": f.srv.URL + "/upload/video", "video_id": 300, "owner_id": -10, "access_key": "ak"}, nil
	})
	f.raw["/upload/video"] = func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"video_id":300,"size":4}`))
	}
	f.handle("polls.create", func(form url.Values) (any, *apiErr) {
		var answers []string
		if err := json.Unmarshal([]byte(form.Get("add_answers")), &answers); err != nil || len(answers) < 2 {
			return nil, &apiErr{Code: 100, Msg: "add_answers"}
		}
		return map[string]any{"id": 55, "owner_id": -10, "question": form.Get("question")}, nil
	})
	f.handle("wall.post", func(form url.Values) (any, *apiErr) {
		g := form.Get("guid")
		gm.Lock()
		defer gm.Unlock()
		if g == "" {
			return nil, &apiErr{Code: 100, Msg: "guid required in this test"}
		}
		if id, ok := guids[g]; ok {
			return map[string]any{"post_id": id}, nil
		}
		id := next.Add(1) + 100
		guids[g] = id
		return map[string]any{"post_id": id}, nil
	})
	return f, nposts
}

func TestPublisherPublish(t *testing.T) {
	f, nposts := wallFake(t)
	c, clk := newTestClient(t, f, testUserToken, UserToken)
	p, err := NewPublisher(c, 10, PublisherOptions{Name: "Администрация"})
	if err != nil {
		t.Fatal(err)
	}
	if pi := p.Page(); pi.ID != "-10" || pi.Network != social.VK || pi.URL != "https://vk.com/club10" {
		t.Fatalf("page %+v", pi)
	}
	post := social.Post{Key: "cab-1", Text: "Новости", Media: []social.Media{
		{Kind: social.Photo, Filename: "a.jpg", Data: []byte("jpeg")},
		{Kind: social.Video, Filename: "v.mp4", Data: []byte("mp4!")},
	}, Poll: &social.Poll{Question: "Как дела?", Options: []string{"Хорошо", "Плохо"}}, Link: &social.Link{URL: "https://gosuslugi.ru"}}
	rc, err := p.Publish(context.Background(), post)
	if err != nil {
		t.Fatal(err)
	}
	if rc.PostID != "101" || rc.PageID != "-10" || rc.Key != "cab-1" || rc.Scheduled() || !rc.PublishedAt.Equal(clk.Now()) ||
		rc.URL != "https://vk.com/wall-10_101" || len(rc.Parts) != 1 {
		t.Fatalf("receipt %+v", rc)
	}
	var wp request
	for _, r := range f.requests() {
		if r.Method == "wall.post" {
			wp = r
		}
	}
	if wp.Form.Get("attachments") != "photo-10_900,video-10_300_ak,poll-10_55,https://gosuslugi.ru" ||
		wp.Form.Get("owner_id") != "-10" || wp.Form.Get("from_group") != "1" || wp.Form.Get("message") != "Новости" {
		t.Fatalf("wall.post form %v", wp.Form)
	}
	if wp.Form.Get("guid") != social.IdempotencyToken("cab-1", p.Page()) {
		t.Fatal("guid is not the post's idempotency token")
	}
	var videoUp request
	for _, r := range f.requests() {
		if r.Path == "/upload/video" {
			videoUp = r
		}
	}
	if string(videoUp.Files["video_file"]) != "mp4!" {
		t.Fatalf("video upload %+v", videoUp)
	}
	// The same post again: same guid, same post, nothing new on the wall.
	rc2, err := p.Publish(context.Background(), post)
	if err != nil || rc2.PostID != rc.PostID || nposts() != 1 {
		t.Fatalf("repeat: %v %+v (%d posts)", err, rc2, nposts())
	}
}

func TestPublisherScheduled(t *testing.T) {
	f, _ := wallFake(t)
	c, clk := newTestClient(t, f, testUserToken, UserToken)
	p, _ := NewPublisher(c, -10, PublisherOptions{})
	at := clk.Now().Add(3 * time.Hour).Truncate(time.Second)
	rc, err := p.Publish(context.Background(), social.Post{Text: "later", PublishAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if !rc.ScheduledAt.Equal(at) || !rc.PublishedAt.IsZero() {
		t.Fatalf("receipt %+v", rc)
	}
	rep := social.FanOutOptions{Clock: clk}.Run(context.Background(), social.Post{Text: "later 2", PublishAt: at}, p)
	if rep.Scheduled != 1 {
		t.Fatalf("report %+v", rep.Results)
	}
	last := f.requests()[len(f.requests())-1]
	if last.Form.Get("publish_date") != strconv.FormatInt(at.Unix(), 10) {
		t.Fatalf("publish_date %q", last.Form.Get("publish_date"))
	}
	// A time already due on the fan-out's clock is published at once.
	clk2 := coretest.NewClock(at.Add(time.Hour))
	p2, _ := NewPublisher(c, -10, PublisherOptions{})
	rep = social.FanOutOptions{Clock: clk2}.Run(context.Background(), social.Post{Text: "due", PublishAt: at}, p2)
	if rep.Published != 1 {
		t.Fatalf("report %+v", rep.Results)
	}
}

func TestPublisherUploadFailed(t *testing.T) {
	f, _ := wallFake(t)
	c, _ := newTestClient(t, f, testUserToken, UserToken)
	p, _ := NewPublisher(c, 10, PublisherOptions{})
	_, err := p.Publish(context.Background(), social.Post{Text: "x", Media: []social.Media{{Kind: social.Photo, Data: []byte{}}}})
	if !errors.Is(err, ErrUploadFailed) {
		t.Fatalf("err %v", err)
	}
	if f.count("wall.post") != 0 {
		t.Fatal("posted after a failed upload")
	}
	_, err = p.Publish(context.Background(), social.Post{Text: "x", Media: []social.Media{{Kind: social.Document, Data: []byte("d")}}})
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("document: %v", err)
	}
}

func TestPublisherEditDeleteStats(t *testing.T) {
	f, _ := wallFake(t)
	f.handle("wall.edit", func(form url.Values) (any, *apiErr) {
		id, _ := strconv.Atoi(form.Get("post_id"))
		return map[string]any{"post_id": id}, nil
	})
	var deleted atomic.Int32
	f.handle("wall.delete", func(form url.Values) (any, *apiErr) {
		if deleted.Add(1) > 1 {
			return nil, &apiErr{Code: 104, Msg: "Not found"}
		}
		return 1, nil
	})
	f.handle("wall.getById", func(form url.Values) (any, *apiErr) {
		if form.Get("posts") != "-10_101" {
			return nil, &apiErr{Code: 100, Msg: "posts"}
		}
		return map[string]any{"items": []any{map[string]any{"id": 101, "owner_id": -10, "text": "x",
			"views": map[string]any{"count": 50}, "likes": map[string]any{"count": 5},
			"comments": map[string]any{"count": 2}, "reposts": map[string]any{"count": 1}}}}, nil
	})
	f.handle("stats.getPostReach", func(form url.Values) (any, *apiErr) {
		return []any{map[string]any{"post_id": 101, "reach_total": 44}}, nil
	})
	f.handle("groups.getById", func(url.Values) (any, *apiErr) {
		return map[string]any{"groups": []any{groupJSON(10, nil)}}, nil
	})
	f.handle("stats.get", func(url.Values) (any, *apiErr) {
		return nil, &apiErr{Code: 7, Msg: "Permission to perform this action is denied"}
	})
	c, _ := newTestClient(t, f, testUserToken, UserToken)
	p, _ := NewPublisher(c, 10, PublisherOptions{})
	ctx := context.Background()
	rc, err := p.Publish(ctx, social.Post{Key: "k", Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Edit(ctx, rc, social.Post{Text: "y"}); err != nil {
		t.Fatal(err)
	}
	last := f.requests()[len(f.requests())-1]
	if last.Method != "wall.edit" || last.Form.Get("message") != "y" || last.Form.Get("post_id") != "101" {
		t.Fatalf("edit %+v", last)
	}
	st, err := p.PostStats(ctx, rc)
	if err != nil {
		t.Fatal(err)
	}
	if st.Views != 50 || st.Likes != 5 || st.Reach != 44 || !st.Available.Has(social.MetricReach|social.MetricViews) {
		t.Fatalf("stats %+v", st)
	}
	ps, err := p.PageStats(ctx)
	if err != nil || ps.Subscribers != 1200 || ps.Available.Has(social.MetricReach) {
		t.Fatalf("page stats %+v %v", ps, err)
	}
	if err := p.Delete(ctx, rc); err != nil {
		t.Fatal(err)
	}
	if err := p.Delete(ctx, rc); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := p.Edit(ctx, social.Receipt{Network: social.Telegram, PostID: "1"}, social.Post{Text: "z"}); err == nil {
		t.Fatal("foreign receipt accepted")
	}
}

func TestPublisherUnknownOutcome(t *testing.T) {
	f := newFakeVK(t)
	f.raw["/method/wall.post"] = func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad gateway", http.StatusBadGateway)
	}
	c, _ := newTestClient(t, f, testUserToken, UserToken)
	p, _ := NewPublisher(c, 10, PublisherOptions{})
	rep := social.FanOut(context.Background(), social.Post{Text: "x"}, p)
	if rep.Unknown != 1 {
		t.Fatalf("report %+v", rep.Results[0])
	}
	// Every attempt carried the same guid.
	var g string
	for _, r := range f.requests() {
		if g == "" {
			g = r.Form.Get("guid")
		}
		if r.Form.Get("guid") != g || g == "" {
			t.Fatal("guid changed between attempts")
		}
	}
	if len(f.requests()) < 2 {
		t.Fatal("a post with a guid was not retried")
	}
}

func TestMembersIterator(t *testing.T) {
	f := newFakeVK(t)
	f.handle("groups.getMembers", func(form url.Values) (any, *apiErr) {
		off, _ := strconv.Atoi(form.Get("offset"))
		cnt, _ := strconv.Atoi(form.Get("count"))
		var items []any
		for i := off; i < min(off+cnt, 5); i++ {
			items = append(items, map[string]any{"id": i + 1, "role": []string{"creator", "editor", "moderator", "administrator", "advertiser"}[i]})
		}
		return map[string]any{"count": 5, "items": items}, nil
	})
	c, _ := newTestClient(t, f, testCommunityToken, CommunityToken)
	var got []string
	for m, err := range c.Members(context.Background(), GetMembersRequest{GroupID: 1, Filter: "managers", Count: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, strconv.FormatInt(m.ID, 10)+m.Role)
	}
	if strings.Join(got, ",") != "1creator,2editor,3moderator,4administrator,5advertiser" || f.count("groups.getMembers") != 3 {
		t.Fatalf("members %v in %d calls", got, f.count("groups.getMembers"))
	}
	// Bare ids (no filter, no fields) decode too.
	var m MembersPage
	if err := json.Unmarshal([]byte(`{"count":2,"items":[3,4]}`), &m); err != nil || m.Items[1].ID != 4 {
		t.Fatalf("bare ids: %v %+v", err, m)
	}
}

func TestGroupsMethods(t *testing.T) {
	f := newFakeVK(t)
	f.handle("groups.edit", func(form url.Values) (any, *apiErr) { return 1, nil })
	f.handle("groups.addLink", func(form url.Values) (any, *apiErr) {
		return map[string]any{"id": 3, "url": form.Get("link"), "name": form.Get("text")}, nil
	})
	for _, m := range []string{"groups.editLink", "groups.deleteLink", "groups.reorderLink", "groups.setLongPollSettings", "groups.setCallbackSettings"} {
		f.handle(m, func(url.Values) (any, *apiErr) { return 1, nil })
	}
	f.handle("groups.addCallbackServer", func(url.Values) (any, *apiErr) { return map[string]any{"server_id": 4}, nil })
	f.handle("groups.getCallbackServers", func(url.Values) (any, *apiErr) {
		return map[string]any{"count": 1, "items": []any{map[string]any{"id": 4, "url": "https://x", "status": "ok"}}}, nil
	})
	f.handle("groups.getCallbackConfirmationCode", func(url.Values) (any, *apiErr) { return map[string]any{"code": "abc123"}, nil })
	c, _ := newTestClient(t, f, testUserToken, UserToken)
	ctx := context.Background()
	access, cat := AccessOpen, int64(7)
	if err := c.GroupsEdit(ctx, EditGroupRequest{GroupID: -5, Description: "d", Access: &access, PublicCategory: &cat}); err != nil {
		t.Fatal(err)
	}
	r := f.requests()[0]
	if r.Form.Get("group_id") != "5" || r.Form.Get("access") != "0" || r.Form.Get("public_category") != "7" || r.Form.Has("title") {
		t.Fatalf("edit form %v", r.Form)
	}
	l, err := c.GroupsAddLink(ctx, 5, "https://pos.gosuslugi.ru", "ПОС")
	if err != nil || l.ID != 3 || l.Name != "ПОС" {
		t.Fatalf("link %+v %v", l, err)
	}
	if err := c.GroupsEditLink(ctx, 5, 3, "t"); err != nil {
		t.Fatal(err)
	}
	if err := c.GroupsReorderLink(ctx, 5, 3, 0); err != nil {
		t.Fatal(err)
	}
	if err := c.GroupsDeleteLink(ctx, 5, 3); err != nil {
		t.Fatal(err)
	}
	if err := c.GroupsSetLongPollSettings(ctx, 5, true, EventSettings{APIVersion: "5.199", Events: map[string]bool{"wall_post_new": true}}); err != nil {
		t.Fatal(err)
	}
	last := f.requests()[len(f.requests())-1]
	if last.Form.Get("enabled") != "1" || last.Form.Get("wall_post_new") != "1" || last.Form.Get("api_version") != "5.199" {
		t.Fatalf("long poll settings %v", last.Form)
	}
	id, err := c.GroupsAddCallbackServer(ctx, 5, "https://example.org/vk", "gosdk", "s3cret")
	if err != nil || id != 4 {
		t.Fatal(id, err)
	}
	srvs, err := c.GroupsGetCallbackServers(ctx, 5)
	if err != nil || len(srvs) != 1 || srvs[0].Status != "ok" {
		t.Fatal(srvs, err)
	}
	if err := c.GroupsSetCallbackSettings(ctx, 5, 4, EventSettings{Events: map[string]bool{"message_new": false}}); err != nil {
		t.Fatal(err)
	}
	code, err := c.GroupsGetCallbackConfirmationCode(ctx, 5)
	if err != nil || code != "abc123" {
		t.Fatal(code, err)
	}
}

func TestGroupsGetByIDShapes(t *testing.T) {
	var g GroupsByID
	if err := json.Unmarshal([]byte(`[{"id":1,"name":"a","verified":1}]`), &g); err != nil || len(g.Groups) != 1 || !bool(g.Groups[0].Verified) {
		t.Fatalf("old shape: %v %+v", err, g)
	}
	if err := json.Unmarshal([]byte(`{"groups":[{"id":2,"is_government_organization":true}],"profiles":[]}`), &g); err != nil {
		t.Fatal(err)
	}
	if MarkOf(&g.Groups[0]) != social.MarkPresent {
		t.Fatal("bool true mark")
	}
	var none Group
	_ = json.Unmarshal([]byte(`{"id":3}`), &none)
	if MarkOf(&none) != social.MarkUnknown {
		t.Fatal("missing field is not unknown")
	}
	_ = json.Unmarshal([]byte(`{"id":3,"is_government_organization":0}`), &none)
	if MarkOf(&none) != social.MarkAbsent {
		t.Fatal("0 is not absent")
	}
}
