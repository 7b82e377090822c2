package ok_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/ok"
)

// refSignature is the documented algorithm written the plain way.
func refSignature(p url.Values, secret string) string {
	var keys []string
	for k := range p {
		if k != "sig" && k != "access_token" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	s := ""
	for _, k := range keys {
		s += k + "=" + strings.Join(p[k], ",")
	}
	sum := md5.Sum([]byte(s + secret))
	return hex.EncodeToString(sum[:])
}

// FuzzSignature checks the signature builder against the plain algorithm
// and checks that a signature survives the form encoding (values with
// "=", "&", "%", Cyrillic, empty values), as a server reading the body
// sees it.
func FuzzSignature(f *testing.F) {
	f.Add("application_key", vecAppKey, "method", "events.get", vecTokenSecret)
	f.Add("format", "json", "access_token", vecToken, vecSessionSecret)
	f.Add("text", "Привет, мир", "gid", "", "секрет")
	f.Add("attachment", `{"media":[{"type":"text","text":"a=b&c=d"}]}`, "q", "%26%3D+", "")
	f.Add("", "=", "&", "&=&", "\x00")
	f.Add("sig", "x", "Z", "\xff\xfe", "s")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, secret string) {
		p := url.Values{}
		p.Add(k1, v1)
		p.Add(k2, v2)
		got := ok.Signature(p, secret)
		if want := refSignature(p, secret); got != want {
			t.Fatalf("signature %s, plain algorithm %s", got, want)
		}
		// The form encoding round trip keeps the signature.
		p.Set("sig", got)
		parsed, err := url.ParseQuery(p.Encode())
		if err != nil {
			t.Fatalf("parse encoded form: %v", err)
		}
		if !ok.CheckSignature(parsed, secret) {
			t.Fatalf("signature lost in the form encoding of %q", p.Encode())
		}
		if k1 != "sig" && k1 != "access_token" {
			// Changing a signed value changes the signature.
			q := url.Values{}
			for k, vs := range parsed {
				q[k] = append([]string(nil), vs...)
			}
			q.Set(k1, q.Get(k1)+"x")
			if len(q[k1]) == 1 && ok.CheckSignature(q, secret) && k1 != k2 {
				t.Fatalf("a changed value kept the signature")
			}
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// FuzzDecodeAnswer feeds arbitrary answers to every decoder of the
// client: no panic, no secret in an error, and an error_code body is
// always an *ok.Error.
func FuzzDecodeAnswer(f *testing.F) {
	f.Add(200, "", []byte(`[{"uid":"1","name":"Г","gos_org":"true","members_count":"12","city":{"name":"Тула"}}]`))
	f.Add(200, "", []byte(`{"groups":[{"uid":1,"access_type":"open"}]}`))
	f.Add(200, "102", []byte(`{"error_code":102,"error_msg":"PARAM_SESSION_EXPIRED","error_data":null}`))
	f.Add(200, "", []byte(`{"error_code":"8","error_msg":"flood `+token+`","error_data":{"x":[1,2]}}`))
	f.Add(200, "100", []byte(`"123456"`))
	f.Add(200, "", []byte(`123456`))
	f.Add(200, "", []byte(`[{"name":"mediatopic.post","available":"false","callsLeft":"0"}]`))
	f.Add(200, "", []byte(`{"reach":[{"value":"3"},{"value":4}],"topic":{"likes":1}}`))
	f.Add(502, "", []byte(`<html>`))
	f.Add(200, "", []byte(`{"error_code":1e999}`))
	f.Add(200, "", []byte(`{"media_topics":[{"id":1,"created_ms":"x"}]}`))
	f.Fuzz(func(t *testing.T, status int, hdr string, body []byte) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			h := http.Header{}
			if hdr != "" && !strings.ContainsAny(hdr, "\r\n\x00") {
				h.Set("invocation-error", hdr)
			}
			return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
		})}
		c, err := ok.New(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret, AccessToken: token},
			core.WithHTTPClient(hc), core.WithRetry(0, 0, 0), core.WithRateLimitRetry(0, 0), core.WithLimiter(nil))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		var errs []error
		_, e := c.GetGroupInfo(ctx, &ok.GetGroupInfoRequest{GroupIDs: []string{"1"}})
		errs = append(errs, e)
		_, e = c.PostTopic(ctx, textTopic("1", "x"))
		errs = append(errs, e)
		_, e = c.GetCallsLeft(ctx, []string{"m"})
		errs = append(errs, e)
		_, e = c.GetStatTopic(ctx, &ok.GetStatTopicRequest{TopicID: "1"})
		errs = append(errs, e)
		_, e = c.GetTopics(ctx, &ok.GetTopicsRequest{TopicIDs: []string{"1"}})
		errs = append(errs, e)
		_, e = c.GetUserGroupsByIDs(ctx, &ok.GetUserGroupsByIDsRequest{GroupID: "1", UserIDs: []string{"2"}})
		errs = append(errs, e)
		_, e = c.CheckGroup(ctx, "1")
		errs = append(errs, e)
		for _, e := range errs {
			if e == nil {
				continue
			}
			msg := e.Error()
			var oe *ok.Error
			if asErr(e, &oe) {
				msg += string(oe.Data)
			}
			if strings.Contains(msg, token) || strings.Contains(msg, appSecret) {
				t.Fatalf("secret in error: %s", msg)
			}
		}
	})
}

// FuzzParseAttachment parses arbitrary attachments: no panic, and what
// parses and encodes again parses to the same attachment.
func FuzzParseAttachment(f *testing.F) {
	f.Add(`{"media":[{"type":"text","text":"Привет"}],"onBehalfOfGroup":"true"}`)
	f.Add(`{"media":[{"type":"photo","list":[{"id":"t"},{"existing_photo_id":1}]},{"type":"movie","list":[{"id":5}]}],"publishAtMs":"1772357400000"}`)
	f.Add(`{"media":[{"type":"poll","question":"?","answers":[{"text":"a"}],"options":"SingleChoice,AnonymousVoting"}],"publishAt":"2015-11-05 19:09:13"}`)
	f.Add(`{"media":[{"type":"link","url":"https://x"}],"disableComments":true,"publishAtMs":1e3}`)
	f.Add(`{"media":null}`)
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ok.ParseAttachment(s)
		if err != nil {
			return
		}
		b, err := json.Marshal(a)
		if err != nil {
			return // an unknown media type is kept but cannot be sent
		}
		again, err := ok.ParseAttachment(string(b))
		if err != nil {
			t.Fatalf("re-parse of %s: %v", b, err)
		}
		b2, err := json.Marshal(again)
		if err != nil || string(b) != string(b2) {
			t.Fatalf("round trip changed %s into %s (%v)", b, b2, err)
		}
	})
}
