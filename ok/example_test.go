package ok_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"

	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/social"
)

// exampleOK is a tiny OK API: it checks the signature and answers a few
// methods the way OK does.
func exampleOK() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		p := r.Form
		w.Header().Set("Content-Type", "application/json")
		if !ok.CheckSignature(p, ok.SecretFromToken(p.Get("access_token"), "APP-SECRET")) {
			w.Header().Set("invocation-error", "104")
			_, _ = w.Write([]byte(`{"error_code":104,"error_msg":"PARAM_SIGNATURE : Invalid signature","error_data":null}`))
			return
		}
		var out any
		switch p.Get("method") {
		case "group.getInfo":
			out = []map[string]any{{"uid": "70000001743248", "name": "Госуслуги", "access_type": "OPEN", "photo_id": "1",
				"city": "Москва", "category": "Госорганизация", "description": "Официальный канал", "gos_org": true}}
		case "mediatopic.post":
			var a struct {
				Media []map[string]any `json:"media"`
			}
			_ = json.Unmarshal([]byte(p.Get("attachment")), &a)
			out = fmt.Sprintf("%d", 150000+len(a.Media))
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
}

func exampleClient(base string) *ok.Client {
	c, err := ok.New(ok.Credentials{ApplicationKey: "CBAEXAMPLE", ApplicationSecretKey: "APP-SECRET", AccessToken: "example-token"},
		core.WithBaseURL(base))
	if err != nil {
		panic(err)
	}
	return c
}

// The signature of OK's published example.
func ExampleSignature() {
	secret := ok.SecretFromToken("-s-84W-s3egarWUsbkq-IWTucuedzTKT8VUXIA.s4Xx8IW7", "ABC123DEF456GHI789JKL123")
	params := url.Values{"application_key": {"ABCDEFGHIGKLMNOPK"}, "format": {"json"}, "method": {"events.get"}}
	fmt.Println(secret)
	fmt.Println(ok.Signature(params, secret))
	fmt.Println(ok.Signature(params, "ae5362b5b588cc7294c2414d71b74d5d")) // a session secret key
	// Output:
	// b1a2b89707a94624c43afae67d59274c
	// 232c8eb921951c4dba9b72606f9ddb4c
	// 03a41413523ea8092507949d6e711963
}

func ExampleClient_GetGroupInfo() {
	srv := exampleOK()
	defer srv.Close()
	c := exampleClient(srv.URL)
	groups, err := c.GetGroupInfo(context.Background(), &ok.GetGroupInfoRequest{GroupIDs: []string{"70000001743248"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	g := groups[0]
	fmt.Println(g.Name, g.AccessType, g.City, *g.GosOrg)
	// Output: Госуслуги OPEN Москва true
}

func ExampleClient_PostTopic() {
	srv := exampleOK()
	defer srv.Close()
	c := exampleClient(srv.URL)
	id, err := c.PostTopic(context.Background(), &ok.PostTopicRequest{
		Type:    ok.TopicGroupTheme,
		GroupID: "70000001743248",
		Attachment: ok.Attachment{
			Media: []ok.MediaItem{
				ok.TextItem("Приём граждан переносится на четверг"),
				ok.PollItem("Удобно?", []string{"Да", "Нет"}, ok.PollSingleChoice),
			},
			OnBehalfOfGroup: true,
		},
	})
	fmt.Println(id, err)
	// Output: 150002 <nil>
}

func ExamplePublisher_Publish() {
	srv := exampleOK()
	defer srv.Close()
	pub := exampleClient(srv.URL).Publisher("70000001743248", ok.WithPageName("Госуслуги"))
	rep := social.FanOut(context.Background(), social.Post{Text: "Новости недели", Link: &social.Link{URL: "https://www.gosuslugi.ru"}}, pub)
	r := rep.Results[0]
	fmt.Println(r.Outcome, r.Receipt.URL)
	// Output: published https://ok.ru/group/70000001743248/topic/150002
}

func ExampleClient_CheckGroup() {
	srv := exampleOK()
	defer srv.Close()
	rs, err := exampleClient(srv.URL).CheckGroup(context.Background(), "70000001743248")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rs {
		fmt.Println(r.Code, r.Status)
	}
	fmt.Println("all met:", rs.AllMet())
	// Output:
	// open met
	// photo met
	// city met
	// category_government met
	// description met
	// admins_two_factor unverifiable
	// gov_mark met
	// all met: false
}

func ExampleError() {
	srv := exampleOK()
	defer srv.Close()
	// A wrong application secret key: OK answers 104 in an HTTP 200 body.
	c, _ := ok.New(ok.Credentials{ApplicationKey: "CBAEXAMPLE", ApplicationSecretKey: "WRONG", AccessToken: "example-token"},
		core.WithBaseURL(srv.URL))
	_, err := c.GetGroupInfo(context.Background(), &ok.GetGroupInfoRequest{GroupIDs: []string{"1"}})
	fmt.Println(err)
	fmt.Println(core.ErrorCode(err), strings.Contains(err.Error(), "example-token"))
	// Output:
	// ok: group.getInfo: 104 PARAM_SIGNATURE: PARAM_SIGNATURE : Invalid signature
	// 104 false
}

// A client that renews its token through OK's token endpoint when OK
// answers 102 (session expired).
func ExampleWithTokenSource() {
	cfg := &oauth2.Config{ClientID: "512000000000", ClientSecret: "APP-SECRET", Endpoint: ok.Endpoint,
		Scopes: []string{ok.ScopeValuableAccess + ";" + ok.ScopeGroupContent + ";" + ok.ScopeLongAccessToken}}
	src := ok.NewTokenSource(context.Background(), cfg, &oauth2.Token{AccessToken: "stored-token", RefreshToken: "stored-refresh"})
	c, err := ok.New(ok.Credentials{ApplicationKey: "CBAEXAMPLE", ApplicationSecretKey: "APP-SECRET"}, ok.WithTokenSource(src))
	fmt.Println(c, err)
	// Output: ok.Client{app CBAEXAMPLE, https://api.ok.ru} <nil>
}

// A watcher reads the groups' marks on the client's clock and reports a
// group that lost the mark.
func ExampleClient_WatchMarks() {
	var marked atomic.Bool
	marked.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode([]map[string]any{{"uid": "70000001743248", "name": "Госуслуги", "gos_org": marked.Load()}})
	}))
	defer srv.Close()
	w := exampleClient(srv.URL).WatchMarks([]string{"70000001743248"}, social.WatchOptions{})
	_, _ = w.Check(context.Background()) // the first reading records the state
	marked.Store(false)
	changes, err := w.Check(context.Background())
	for _, c := range changes {
		fmt.Println(c.Before.PageID, c.Kind, c.Before.Mark, "->", c.After.Mark)
	}
	fmt.Println(err)
	// Output:
	// 70000001743248 lost present -> absent
	// <nil>
}

// The user's groups, page by page along OK's anchor.
func ExampleClient_UserGroups() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.Form.Get("anchor") == "" {
			_, _ = w.Write([]byte(`{"groups":[{"groupId":"1","userId":"9"},{"groupId":"2","userId":"9"}],"anchor":"p2"}`))
			return
		}
		_, _ = w.Write([]byte(`{"groups":[{"groupId":"3","userId":"9"}],"anchor":"p3","has_more":false}`))
	}))
	defer srv.Close()
	for g, err := range exampleClient(srv.URL).UserGroups(context.Background(), nil) {
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Print(g.GroupID, " ")
	}
	fmt.Println()
	// Output: 1 2 3
}
