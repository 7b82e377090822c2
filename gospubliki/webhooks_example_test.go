package gospubliki_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock/gpmock"
)

// A receiver of the cabinet's webhooks: the handler checks the signature,
// the timestamp window and replays before the event reaches the code.
func ExampleWebhookVerifier_Handler() {
	secret := "whsec_example" // from Client.CreateWebhook, shown once
	v := gospubliki.NewWebhookVerifier(secret)
	h := v.Handler(func(ctx context.Context, ev *gospubliki.WebhookEvent) error {
		fmt.Println("event", ev.ID, ev.Type, "post", ev.PostID)
		return nil
	})
	// What the cabinet sends (mux.Handle("/hooks/gospubliki", h) in a real
	// receiver).
	body := `{"id":41,"webhook_id":7,"type":"post.published","cabinet_id":3,"post_id":12,"at":"2026-05-01T10:00:00Z"}`
	now := time.Now()
	send := func() int {
		r := httptest.NewRequest(http.MethodPost, "/hooks/gospubliki", strings.NewReader(body))
		r.Header.Set(gospubliki.HeaderWebhookTimestamp, strconv.FormatInt(now.Unix(), 10))
		r.Header.Set(gospubliki.HeaderWebhookSignature, gpmock.SignWebhook(secret, now, []byte(body)))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	fmt.Println(send())
	fmt.Println(send()) // the same request again: a replay
	// Output:
	// event 41 post.published post 12
	// 204
	// 409
}
