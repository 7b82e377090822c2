package transport

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"https://api.telegram.org/bot123:ABC-def_1/sendMessage", "https://api.telegram.org/bot" + Redacted + "/sendMessage"},
		{"https://api.telegram.org/file/bot123:ABC/photos/1.jpg", "https://api.telegram.org/file/bot" + Redacted + "/photos/1.jpg"},
		{"https://api.vk.ru/method/wall.post?access_token=vk1.a.xyz&v=5.199", "https://api.vk.ru/method/wall.post?access_token=" + Redacted + "&v=5.199"},
		{"client_id=X&client_secret=abc%2Bdef&code=123", "client_id=X&client_secret=" + Redacted + "&code=" + Redacted},
		{`{"access_token":"eyJ.a.b","token_type":"Bearer"}`, `{"access_token":"` + Redacted + `","token_type":"Bearer"}`},
		{"Authorization: Bearer eyJhbGciOi.x.y", "Authorization: Bearer " + Redacted},
		{"password=hunter2", "password=" + Redacted},
		{"nothing secret here", "nothing secret here"},
		{"https://api.ok.ru/fb.do?method=users.getInfo&session_key=-s-abc.def&sig=0f", "https://api.ok.ru/fb.do?method=users.getInfo&session_key=" + Redacted + "&sig=" + Redacted},
		{"uid=1&success_token=tok.123-x&next=1", "uid=1&success_token=" + Redacted + "&next=1"},
		{"group_id=1&secret_key=cb-S3cret&title=x", "group_id=1&secret_key=" + Redacted + "&title=x"},
		{`{"id":1,"secret_key":"cb-S3cret"}`, `{"id":1,"secret_key":"` + Redacted + `"}`},
		{`{"session_key":"-s-abc","success_token":"q.w.e","uid":1}`, `{"session_key":"` + Redacted + `","success_token":"` + Redacted + `","uid":1}`},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, Redact(c.in), c.in)
	}
}

func TestRedactorLiteralSecrets(t *testing.T) {
	t.Parallel()
	r := redactor{secrets: []string{"s3cr3t+/="}}
	in := "raw s3cr3t+/= query " + url.QueryEscape("s3cr3t+/=") + " path " + url.PathEscape("s3cr3t+/=")
	out := r.redact(in)
	assert.NotContains(t, out, "s3cr3t")
	err := r.scrubError(&url.Error{Op: "Post", URL: "http://h/bot1:TOK/x?token=s3cr3t+/=", Err: errors.New("EOF")})
	assert.NotContains(t, err.Error(), "TOK")
	assert.NotContains(t, err.Error(), "s3cr3t")
	var ue *url.Error
	assert.ErrorAs(t, err, &ue)
	assert.NotContains(t, ue.URL, "TOK", "the wrapped *url.Error is scrubbed too")
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{"/bot1:A/x", "access_token=abc&v=1", `{"password":"p"}`, "Bearer x.y", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Redact(s)
		if Redact(out) != out {
			t.Fatalf("redaction is not stable: %q -> %q -> %q", s, out, Redact(out))
		}
		if strings.Contains(s, "access_token=SECRETVALUE") && strings.Contains(out, "access_token=SECRETVALUE") {
			t.Fatalf("secret survived: %q", out)
		}
	})
}
