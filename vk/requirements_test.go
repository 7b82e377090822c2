package vk

import (
	"context"
	"errors"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/social"
)

func settingsJSON(category int64) map[string]any {
	return map[string]any{
		"title": "Администрация", "description": "Официальная страница", "access": 0,
		"city_id": 1, "city_name": "Москва", "public_category": category, "public_subcategory": 0,
		"public_category_list": []any{
			map[string]any{"id": 1, "name": "Бренд или организация", "subcategories": []any{
				map[string]any{"id": 4011, "name": "Государственная организация"},
			}},
			map[string]any{"id": 2, "name": "Музыка"},
		},
		"subject": "1",
	}
}

func requirementsFake(t *testing.T, group func(m map[string]any), category int64, managersErr bool) *fakeVK {
	f := newFakeVK(t)
	f.handle("groups.getById", func(form url.Values) (any, *apiErr) {
		var gs []any
		for _, s := range strings.Split(form.Get("group_ids")+","+form.Get("group_id"), ",") {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil {
				gs = append(gs, groupJSON(id, group))
			}
		}
		return map[string]any{"groups": gs, "profiles": []any{}}, nil
	})
	f.handle("groups.getSettings", func(url.Values) (any, *apiErr) { return settingsJSON(category), nil })
	f.handle("groups.getMembers", func(form url.Values) (any, *apiErr) {
		if managersErr {
			return nil, &apiErr{Code: 15, Msg: "Access denied: you are not a manager"}
		}
		return map[string]any{"count": 2, "items": []any{
			map[string]any{"id": 1, "role": "creator"}, map[string]any{"id": 2, "role": "editor", "permissions": []string{"ads"}},
		}}, nil
	})
	return f
}

func TestCheckCommunityAllMetButTwoFactor(t *testing.T) {
	f := requirementsFake(t, func(m map[string]any) { m["verified"] = 1 }, 4011, false)
	c, _ := newTestClient(t, f, testUserToken, UserToken)
	rep, err := c.CheckCommunity(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []social.RequirementCode{social.ReqOpen, social.ReqPhoto, social.ReqDescription, social.ReqCity, social.ReqCategoryGovernment, ReqManagers, social.ReqAdminsTwoFactor, social.ReqGovMark}
	if len(rep.Requirements) != len(want) {
		t.Fatalf("requirements %+v", rep.Requirements)
	}
	for i, r := range rep.Requirements {
		if r.Code != want[i] {
			t.Fatalf("order: %d is %s", i, r.Code)
		}
		wantStatus := social.RequirementMet
		if r.Code == social.ReqAdminsTwoFactor {
			wantStatus = social.RequirementUnverifiable
		}
		if r.Status != wantStatus {
			t.Fatalf("%s: %s (%s)", r.Code, r.Status, r.Detail)
		}
	}
	tf, _ := rep.Requirements.Find(social.ReqAdminsTwoFactor)
	if !strings.Contains(tf.Detail, "cannot be checked through the API") {
		t.Fatalf("2FA detail %q", tf.Detail)
	}
	if rep.Mark != social.MarkPresent || !rep.Verified || rep.GovCategoryID != 4011 || len(rep.Managers) != 2 || rep.Managers[1].Role != RoleEditor {
		t.Fatalf("report %+v", rep)
	}
	m, _ := rep.Requirements.Find(ReqManagers)
	if m.Detail != "id1 creator, id2 editor" {
		t.Fatalf("managers detail %q", m.Detail)
	}
	if rep.Requirements.AllMet() {
		t.Fatal("all met with an unverifiable item")
	}
}

func TestCheckCommunityNotMet(t *testing.T) {
	f := requirementsFake(t, func(m map[string]any) {
		m["is_closed"] = 1
		m["has_photo"] = 0
		m["description"] = ""
		delete(m, "city")
		delete(m, "is_government_organization")
	}, 2, false)
	c, _ := newTestClient(t, f, testUserToken, UserToken)
	rep, err := c.CheckCommunity(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	notMet := map[social.RequirementCode]bool{}
	for _, r := range rep.Requirements.NotMet() {
		notMet[r.Code] = true
	}
	for _, code := range []social.RequirementCode{social.ReqOpen, social.ReqPhoto, social.ReqDescription, social.ReqCity, social.ReqCategoryGovernment} {
		if !notMet[code] {
			t.Fatalf("%s not reported as not met: %+v", code, rep.Requirements)
		}
	}
	mark, _ := rep.Requirements.Find(social.ReqGovMark)
	if rep.Mark != social.MarkUnknown || mark.Status != social.RequirementUnverifiable {
		t.Fatalf("missing mark field: %v %+v", rep.Mark, mark)
	}
	cat, _ := rep.Requirements.Find(social.ReqCategoryGovernment)
	if !strings.Contains(cat.Detail, "want 4011") {
		t.Fatalf("category detail %q", cat.Detail)
	}
}

func TestCheckCommunityCommunityToken(t *testing.T) {
	f := requirementsFake(t, func(m map[string]any) { m["is_government_organization"] = 0 }, 4011, true)
	c, _ := newTestClient(t, f, testCommunityToken, CommunityToken)
	rep, err := c.CheckCommunity(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := rep.Requirements.Find(social.ReqCategoryGovernment)
	mg, _ := rep.Requirements.Find(ReqManagers)
	mark, _ := rep.Requirements.Find(social.ReqGovMark)
	if cat.Status != social.RequirementUnverifiable || !strings.Contains(cat.Detail, "community token") {
		t.Fatalf("category %+v", cat)
	}
	if mg.Status != social.RequirementUnverifiable || !strings.Contains(mg.Detail, "error 15") {
		t.Fatalf("managers %+v", mg)
	}
	if mark.Status != social.RequirementNotMet || rep.Mark != social.MarkAbsent {
		t.Fatalf("mark %+v", mark)
	}
	if f.count("groups.getSettings") != 0 {
		t.Fatal("getSettings called with a community token")
	}
}

func TestCheckCommunitiesBatched(t *testing.T) {
	f := requirementsFake(t, nil, 4011, false)
	ids := make([]int64, 120)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	run := func(opts ...core.Option) ([]*CommunityReport, int) {
		before := len(f.requests())
		clk := coretest.NewClock(time.Time{})
		all := append([]core.Option{core.WithBaseURL(f.srv.URL), core.WithClock(clk), WithRateLimits(Limits{})}, opts...)
		c, err := New(testUserToken, UserToken, all...)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go driveBatches(c, f, before, clk, len(ids), done)
		reps, err := c.CheckCommunities(context.Background(), ids)
		close(done)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range f.requests()[before:] {
			if !strings.HasPrefix(r.Path, "execute:") {
				n++
			}
		}
		return reps, n
	}
	plain, plainCalls := run()
	batched, batchedCalls := run(WithBatching(BatchOptions{Window: time.Millisecond}))
	for i := range ids {
		if plain[i] == nil || batched[i] == nil || plain[i].GroupID != ids[i] || batched[i].GroupID != ids[i] {
			t.Fatalf("report %d missing", i)
		}
		if !batched[i].Requirements.NotMet().AllMet() || len(batched[i].Managers) != 2 {
			t.Fatalf("batched report %d: %+v", i, batched[i])
		}
	}
	// Unbatched: 1 getById + 2 calls per community. Batched: 1 getById +
	// 240 calls in full executes of 25 and one of the 15 left.
	if plainCalls != 1+2*len(ids) {
		t.Fatalf("plain requests %d", plainCalls)
	}
	if want := 1 + (2*len(ids)+MaxExecuteCalls-1)/MaxExecuteCalls; batchedCalls != want {
		t.Fatalf("batched requests %d, want %d (plain %d)", batchedCalls, want, plainCalls)
	}
	t.Logf("requests for %d communities: %d plain, %d batched", len(ids), plainCalls, batchedCalls)
}

func TestReadMarks(t *testing.T) {
	f := newFakeVK(t)
	var mu sync.Mutex
	var calls []int
	f.handle("groups.getById", func(form url.Values) (any, *apiErr) {
		ids := strings.Split(form.Get("group_ids"), ",")
		mu.Lock()
		calls = append(calls, len(ids))
		mu.Unlock()
		var gs []any
		for _, s := range ids {
			id, _ := strconv.ParseInt(s, 10, 64)
			switch {
			case id == 13: // deleted: VK leaves it out
			case id%3 == 0:
				gs = append(gs, groupJSON(id, func(m map[string]any) { delete(m, "is_government_organization") }))
			case id%3 == 1:
				gs = append(gs, groupJSON(id, func(m map[string]any) { m["is_government_organization"] = 0 }))
			default:
				gs = append(gs, groupJSON(id, nil))
			}
		}
		return map[string]any{"groups": gs}, nil
	})
	c, _ := newTestClient(t, f, testServiceToken, ServiceToken)
	pages := []string{"-1", "club2", "3", "13"}
	for id := 100; len(pages) < 1001; id++ {
		pages = append(pages, strconv.Itoa(id))
	}
	states, err := c.ReadMarks(context.Background(), pages)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 3 || calls[0] != 500 || calls[1] != 500 || calls[2] != 1 {
		t.Fatalf("groups.getById calls of %v ids, want 500, 500, 1", calls)
	}
	if len(states) != 1000 {
		t.Fatalf("%d states, want 1000 (community 13 is gone)", len(states))
	}
	want := []social.MarkState{
		{Network: social.VK, PageID: "-1", Name: "Администрация", Mark: social.MarkAbsent},
		{Network: social.VK, PageID: "club2", Name: "Администрация", Mark: social.MarkPresent},
		{Network: social.VK, PageID: "3", Name: "Администрация", Mark: social.MarkUnknown},
	}
	for i, w := range want {
		if states[i] != w {
			t.Fatalf("state %d: %+v, want %+v", i, states[i], w)
		}
	}
	if _, err := c.ReadMarks(context.Background(), []string{"adm"}); err == nil || !strings.Contains(err.Error(), `"adm" is not a community id`) {
		t.Fatalf("a screen name: %v", err)
	}
}

func TestWatchMarksVirtualTime(t *testing.T) {
	f := newFakeVK(t)
	var mu sync.Mutex
	marks := map[int64]int{1: 1, 2: 1, 3: 0}
	fail := false
	f.handle("groups.getById", func(form url.Values) (any, *apiErr) {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			return nil, &apiErr{Code: 15, Msg: "Access denied"}
		}
		var gs []any
		for _, s := range strings.Split(form.Get("group_ids"), ",") {
			id, _ := strconv.ParseInt(s, 10, 64)
			gs = append(gs, groupJSON(id, func(m map[string]any) { m["is_government_organization"] = marks[id] }))
		}
		return map[string]any{"groups": gs}, nil
	})
	clk := coretest.NewClock(time.Time{})
	c, err := New(testServiceToken, ServiceToken, core.WithBaseURL(f.srv.URL), core.WithClock(clk), WithRateLimits(Limits{}))
	if err != nil {
		t.Fatal(err)
	}
	changes := make(chan social.MarkChange, 10)
	errs := make(chan error, 10)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	w := c.WatchMarks([]int64{1, 2, 3}, social.WatchOptions{Interval: time.Hour,
		OnChange: func(m social.MarkChange) { changes <- m }, OnError: func(err error) { errs <- err }})
	go func() { done <- w.Run(ctx) }()
	clk.WaitForTimers(1) // first poll done, waiting an hour on the client's clock
	mu.Lock()
	marks[2] = 0 // community 2 loses its mark
	mu.Unlock()
	clk.Advance(time.Hour)
	ch := <-changes
	if ch.Kind != social.MarkLost || ch.Before.PageID != "2" || ch.Before.Mark != social.MarkPresent || ch.After.Mark != social.MarkAbsent || !ch.At.Equal(coretest.Epoch.Add(time.Hour)) {
		t.Fatalf("change %+v", ch)
	}
	clk.WaitForTimers(1)
	mu.Lock()
	fail = true
	mu.Unlock()
	clk.Advance(time.Hour)
	var ve *Error
	if err := <-errs; !errors.As(err, &ve) || ve.Code != CodeAccessDenied {
		t.Fatalf("OnError got %v", err)
	}
	clk.WaitForTimers(1) // the watch goes on
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("watch returned %v", err)
	}
	select {
	case extra := <-changes:
		t.Fatalf("unexpected change %+v", extra)
	default:
	}
	if st, _ := w.State("2"); st.Mark != social.MarkAbsent {
		t.Fatalf("state of 2: %+v", st)
	}
}

// driveBatches ends the batching windows of a CheckCommunities run of n
// communities on the virtual clock clk (the fake had recorded before
// requests when the run began), at the one moment it is certain that no
// further call can join the batch: when every call that has not reached
// the fake yet is pending. The first call (groups.getById) is alone;
// the 2n calls that follow it depend on its answer. The window's timer is
// set when the first call of a batch is queued, so the Advance fires it.
func driveBatches(c *Client, f *fakeVK, before int, clk *coretest.Clock, n int, done <-chan struct{}) {
	if c.batcher == nil {
		return
	}
	for {
		select {
		case <-done:
			return
		default:
		}
		served := 0
		for _, r := range f.requests()[before:] {
			if strings.HasPrefix(r.Path, "execute:") || r.Method != "" && r.Method != "execute" {
				served++
			}
		}
		remaining := 1 // groups.getById
		if served > 0 {
			remaining = 1 + 2*n - served
		}
		c.batcher.mu.Lock()
		pending := len(c.batcher.pending)
		c.batcher.mu.Unlock()
		if pending > 0 && pending == remaining {
			clk.Advance(time.Second)
		}
		runtime.Gosched()
	}
}
