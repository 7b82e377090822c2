package okmock

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/mock/world"
)

// FuzzRequest feeds arbitrary paths, queries and bodies through the whole
// emulator (parser, signature check, methods): it must answer, never
// panic, and a request whose signature it accepts must verify by the
// published algorithm.
func FuzzRequest(f *testing.F) {
	w, err := world.New(world.WithFrozenClock(world.DefaultScenario().People[0].BirthDate))
	if err != nil {
		f.Fatal(err)
	}
	st := SettingsFor(1)
	raw := []byte(`{"application":{"id":1,"key":"` + st.Application.Key + `","secret":"` + st.Application.Secret + `"}}`)
	sec := SectionOf(w)
	if err := sec.Import(raw); err != nil {
		f.Fatal(err)
	}
	s := New(w)
	v := url.Values{"application_key": {st.Application.Key}, "method": {"url.getInfo"}, "url": {"https://ok.ru/group/1"}, "format": {"json"}}
	v.Set("sig", Signature(v, st.Application.Secret))
	f.Add("/fb.do", v.Encode(), "")
	f.Add("/api/url/getInfo", "", v.Encode())
	f.Add("/fb.do", "method=mediatopic.post&application_key=x", `attachment={"media":[{"type":"poll","answers":[{}]}]}&sig=0`)
	f.Add("/api/a/b/c", "%zz", "=&=&&")
	f.Add("/upload/photo/x", "", "")
	f.Add("/oauth/token.do", "grant_type=refresh_token", "refresh_token=MOCK")
	f.Fuzz(func(t *testing.T, path, query, body string) {
		r := httptest.NewRequest(http.MethodPost, "http://ok.test/", strings.NewReader(body))
		r.URL.Path, r.URL.RawQuery = path, query
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		if rec.Code == 0 {
			t.Fatal("no answer")
		}
	})
}

// FuzzAttachment checks that the attachment parser never panics and that
// what it accepts respects the documented limits.
func FuzzAttachment(f *testing.F) {
	f.Add(`{"media":[{"type":"text","text":"Привет"}],"onBehalfOfGroup":"true","publishAtMs":"1700000000000"}`)
	f.Add(`{"media":[{"type":"photo","list":[{"id":"tok"},{"existing_photo_id":"1"}]},{"type":"link","url":"https://a.b/"}],"publishAt":"2015-11-05 19:09:13"}`)
	f.Add(`{"media":[{"type":"poll","question":"?","answers":[{"text":"Да"},{"text":"Нет"}],"options":"SingleChoice,AnonymousVoting"}]}`)
	f.Add(`{"media":[{"type":"movie","list":[{"id":123}]}]}`)
	f.Fuzz(func(t *testing.T, raw string) {
		media, _, _, err := ParseAttachment(raw)
		if err != nil {
			if err.Code == 0 || errorNames[err.Code] == "" {
				t.Fatalf("unnamed code %d", err.Code)
			}
			return
		}
		if len(media) == 0 || len(media) > MaxMediaBlocks {
			t.Fatalf("%d blocks accepted", len(media))
		}
		for _, m := range media {
			if m.Type == "poll" && (len(m.Answers) < 2 || len(m.Answers) > MaxPollAnswers) {
				t.Fatalf("poll with %d answers accepted", len(m.Answers))
			}
		}
	})
}

// FuzzSignature: the signature never depends on access_token or sig, and
// any change of another value changes it.
func FuzzSignature(f *testing.F) {
	f.Add("application_key", "ABCDEFGHIGKLMNOPK", "method", "events.get", "b1a2b89707a94624c43afae67d59274c")
	f.Add("text", "Привет, мир & = ;", "", "", "")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, secret string) {
		v := url.Values{}
		v.Set(k1, v1)
		v.Set(k2, v2)
		s1 := Signature(v, secret)
		v.Set("access_token", "x")
		v.Set("sig", "y")
		if (k1 != "access_token" && k1 != "sig" && k2 != "access_token" && k2 != "sig") && Signature(v, secret) != s1 {
			t.Fatal("access_token or sig changed the signature")
		}
		if secret != "" && !verifySignature(v, Signature(v, secret), secret) {
			t.Fatal("own signature refused")
		}
	})
}
