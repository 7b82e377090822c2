package vk

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/core"
)

const benchBody = `{"response":{"groups":[{"id":1,"name":"Администрация","screen_name":"adm","type":"page","is_closed":0,"verified":0,"has_photo":1,"description":"Официальная страница","city":{"id":1,"title":"Москва"},"is_government_organization":1,"members_count":1200}],"profiles":[]}}`

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchBody)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkRawNetHTTP is the floor: the same groups.getById request and
// decoding written by hand on net/http.
func BenchmarkRawNetHTTP(b *testing.B) {
	srv := benchServer(b)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	b.ReportAllocs()
	for b.Loop() {
		form := url.Values{"group_id": {"1"}, "fields": {strings.Join(DefaultGroupFields, ",")}, "v": {DefaultVersion}}
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/method/groups.getById", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+testUserToken)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var env struct {
			Response GroupsByID `json:"response"`
		}
		if err := json.Unmarshal(body, &env); err != nil || len(env.Response.Groups) != 1 {
			b.Fatal(err)
		}
	}
}

// BenchmarkClientGetGroup is the same call through the client (limiter
// disabled, so only the client's own overhead is measured).
func BenchmarkClientGetGroup(b *testing.B) {
	srv := benchServer(b)
	c, err := New(testUserToken, UserToken, core.WithBaseURL(srv.URL), WithRateLimits(Limits{}),
		core.WithHTTPClient(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		g, err := c.GetGroup(ctx, 1)
		if err != nil || g.ID != 1 {
			b.Fatal(err)
		}
	}
}
