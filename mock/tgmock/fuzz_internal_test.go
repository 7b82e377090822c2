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

// FuzzTokenAndMediaGroup checks the answers to malformed tokens and
// sendMediaGroup's media parameter: never a panic, only the documented
// codes and Telegram-shaped descriptions.
func FuzzTokenAndMediaGroup(f *testing.F) {
	for _, s := range []string{"", "0:x", "123:MOCKabc", "abc:def", "-5:x", "18014398509481984:x", "[]", `[{"type":"photo","media":"x"}]`, "{}", "[1]", "null"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := tokenError(s)
		switch {
		case e.code == 401 && (e.desc == "Unauthorized" || e.desc == descInvalidToken):
		case e.code == 421 && e.desc == descUnallowedToken:
		default:
			t.Fatalf("token %q: %d %q", s, e.code, e.desc)
		}
		items, aerr := parseMediaGroup(s)
		if aerr != nil {
			if aerr.code != 400 || !strings.HasPrefix(aerr.desc, "Bad Request: ") {
				t.Fatalf("media %q: %d %q", s, aerr.code, aerr.desc)
			}
			return
		}
		if len(items) < 1 || len(items) > maxAlbum {
			t.Fatalf("media %q accepted with %d items", s, len(items))
		}
	})
}
