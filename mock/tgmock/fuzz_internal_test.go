package tgmock

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzDecodeParams(f *testing.F) {
	f.Add("application/json", `{"chat_id":1,"text":"x","n":null,"a":[1,2]}`, "q=1")
	f.Add("application/x-www-form-urlencoded", "chat_id=1&text=%D0%BF", "")
	f.Add("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a\"\r\n\r\nDATA\r\n--b--\r\n", "photo=")
	f.Add("multipart/form-data", "", "")
	f.Add("text/plain", "\x00\xff", "%zz")
	f.Fuzz(func(t *testing.T, ct, body, query string) {
		req, err := http.NewRequest(http.MethodPost, "http://x/bot1:a/m?"+query, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", ct)
		p, err := decodeParams(req, 1<<20)
		if err != nil {
			return
		}
		_ = p.journal()
		_, _ = p.file("photo")
		_, _ = p.int64("chat_id")
	})
}

func FuzzParseText(f *testing.F) {
	for _, s := range []string{"<b>x</b>", "<a href=\"u\">l</a>&amp;", "*b* _i_ __u__ ~s~ ||p|| `c` ```go\nx```", "[l](u)", ">quote\n>more", "\\", "<pre><code class=\"language-go\">x</code></pre>"} {
		f.Add(s, "HTML")
		f.Add(s, "MarkdownV2")
		f.Add(s, "Markdown")
	}
	f.Fuzz(func(t *testing.T, s, mode string) {
		text, ents, desc := parseText(s, mode)
		if desc != "" {
			if !strings.HasPrefix(desc, "Bad Request: ") {
				t.Fatalf("description %q lacks the prefix", desc)
			}
			return
		}
		if !utf8.ValidString(s) {
			return
		}
		n := utf16Len(text)
		for _, e := range ents {
			if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
				t.Fatalf("entity %+v outside text of %d units (%q -> %q)", e, n, s, text)
			}
		}
	})
}

func TestUTF16Len(t *testing.T) {
	for s, n := range map[string]int{"": 0, "abc": 3, "привет": 6, "😀": 2, "a😀b": 4} {
		if got := utf16Len(s); got != n {
			t.Errorf("utf16Len(%q) = %d, want %d", s, got, n)
		}
	}
	_ = bytes.MinRead
}
