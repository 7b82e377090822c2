package tgmock_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

type refuseTransport struct{}

func (refuseTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("refused in fuzzing")
}

// FuzzHandler sends random requests to the emulator: it must never panic
// and must always answer a valid envelope whose error_code equals the HTTP
// status.
func FuzzHandler(f *testing.F) {
	w, err := world.New()
	if err != nil {
		f.Fatal(err)
	}
	srv := tgmock.New(w, tgmock.WithMaxLongPoll(0), tgmock.WithWebhookClient(&http.Client{Transport: refuseTransport{}}))
	f.Cleanup(func() { _ = srv.Close() })
	token := tgmock.DefaultSettings().Bots[0].Token
	f.Add("sendMessage", "application/json", `{"chat_id":-1001000000001,"text":"hi","parse_mode":"HTML"}`, "")
	f.Add("sendPhoto", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a\"\r\n\r\nDATA\r\n--b--\r\n", "chat_id=-1001000000001")
	f.Add("sendMediaGroup", "application/json", `{"chat_id":"@minsvyaz29","media":[{"type":"photo","media":"attach://x"},{"type":"video","media":"http://a/b"}]}`, "")
	f.Add("getUpdates", "", "", "offset=-5&limit=0&timeout=3")
	f.Add("editMessageText", "application/x-www-form-urlencoded", "chat_id=-1001000000002&message_id=1&text=x", "")
	f.Add("sendPoll", "application/json", `{"chat_id":-1001000000002,"question":"q","options":["a",{"text":"b"}],"type":"quiz","correct_option_id":1}`, "")
	f.Add("setWebhook", "application/json", `{"url":"http://127.0.0.1:9/x","secret_token":"abc","allowed_updates":["message"]}`, "")
	f.Add("deleteWebhook", "", "", "")
	f.Add("getChatMember", "", "", "chat_id=-1001000000001&user_id=5000000001")
	f.Fuzz(func(t *testing.T, method, ct, body, query string) {
		if strings.ContainsAny(method, "?#% \x00") || strings.HasPrefix(method, "/") {
			return
		}
		req, err := http.NewRequest(http.MethodPost, "http://sandbox/bot"+token+"/"+method+"?"+query, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if got := rec.Header().Get("Content-Type"); got != "application/json" {
			t.Fatalf("content type %q", got)
		}
		var resp tgmock.Response
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("invalid envelope %q: %v", rec.Body.String(), err)
		}
		if resp.OK {
			if rec.Code != 200 || resp.Result == nil {
				t.Fatalf("bad success envelope %d %q", rec.Code, rec.Body.String())
			}
			return
		}
		if resp.ErrorCode != rec.Code || resp.Description == "" {
			t.Fatalf("bad error envelope %d %q", rec.Code, rec.Body.String())
		}
		// Reset the world now and then so state stays small.
		if w.Journal.Seq()%500 == 0 {
			w.Reset()
		}
	})
}
