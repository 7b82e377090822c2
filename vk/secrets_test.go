package vk

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
)

// TestNoTokenInErrorsLogsHooks provokes the error paths in both token
// transports and checks that the token appears nowhere.
func TestNoTokenInErrorsLogsHooks(t *testing.T) {
	answers := map[string]func(w http.ResponseWriter){
		"5xx":     func(w http.ResponseWriter) { http.Error(w, "upstream "+testUserToken, http.StatusBadGateway) },
		"badjson": func(w http.ResponseWriter) { _, _ = w.Write([]byte(`{"response":` + testUserToken)) },
		"echo": func(w http.ResponseWriter) {
			_, _ = w.Write([]byte(`{"error":{"error_code":5,"error_msg":"User authorization failed: invalid access_token (` + testUserToken + `).","request_params":[{"key":"access_token","value":"` + testUserToken + `"}]}}`))
		},
	}
	for name, answer := range answers {
		for _, inBody := range []bool{false, true} {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { answer(w) }))
			var logs bytes.Buffer
			var hooks []string
			opts := []core.Option{
				core.WithBaseURL(srv.URL), core.WithClock(coretest.NewAutoClock()),
				core.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
				core.WithRequestHook(func(_ context.Context, ri core.RequestInfo) { hooks = append(hooks, fmt.Sprintf("%+v", ri)) }),
				core.WithResponseHook(func(_ context.Context, ri core.ResponseInfo) { hooks = append(hooks, fmt.Sprintf("%+v", ri)) }),
			}
			if inBody {
				opts = append(opts, WithAccessTokenParam())
			}
			c, err := New(testUserToken, UserToken, opts...)
			if err != nil {
				t.Fatal(err)
			}
			_, err1 := c.GetGroup(context.Background(), 1)
			_, err2 := c.WallPost(context.Background(), WallPostRequest{OwnerID: -1, Message: "x"})
			srv.Close()
			_, err3 := c.GetGroup(context.Background(), 1) // refused connection
			ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
			_, err4 := c.GetGroup(ctx, 1)
			cancel()
			all := []string{logs.String(), strings.Join(hooks, "\n"), c.String(), fmt.Sprintf("%v %+v %#v", c, c, c)}
			for _, e := range []error{err1, err2, err3, err4} {
				if e == nil {
					t.Fatalf("%s: an error path returned no error", name)
				}
				all = append(all, e.Error(), fmt.Sprintf("%+v", e))
			}
			for _, s := range all {
				if strings.Contains(s, testUserToken) {
					t.Fatalf("%s (token in body %v): token leaked in %q", name, inBody, s)
				}
			}
		}
	}
}
