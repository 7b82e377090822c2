package esia

import (
	"net/url"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/esia/gost"
)

func FuzzParseJWT(f *testing.F) {
	f.Add("eyJ2ZXIiOjEsInR5cCI6IkpXVCIsInNidCI6ImFjY2VzcyIsImFsZyI6IkdPU1QzNDEwXzIwMTJfMjU2In0.eyJuYmYiOjE3MDEyNTQ1NzUsImV4cCI6MTcwMTI1ODE3NX0.AAAA")
	f.Add("e30.e30.")
	f.Add("a.b.c")
	f.Add("eyJhbGciOiJub25lIn0=.e30=.")
	f.Add("...")
	f.Fuzz(func(t *testing.T, tok string) {
		j, err := parseJWT(tok)
		if err != nil {
			return
		}
		if !strings.HasPrefix(tok, string(j.input)) {
			t.Fatalf("signing input %q is not a prefix of the token", j.input)
		}
		// Claims decoding must not panic either.
		var ap accessPayload
		_ = jsonUnmarshal(j.payload, &ap)
		var ip idPayload
		_ = jsonUnmarshal(j.payload, &ip)
		_ = ParseScopes(ap.Scope)
	})
}

func FuzzParseCallback(f *testing.F) {
	f.Add("code=abc&state=s1", "s1")
	f.Add("error=access_denied&error_description=ESIA-007004%3A+x&state=s1", "s1")
	f.Add("code=a&code=b&state=s1", "s1")
	f.Add("error_description=ESIA-0070", "s1")
	f.Fuzz(func(t *testing.T, rawQuery, expected string) {
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return
		}
		code, err := ParseCallbackQuery(q, expected)
		if err == nil {
			if code == "" || expected == "" || q.Get("state") != expected {
				t.Fatalf("accepted code %q with state %q (expected %q)", code, q.Get("state"), expected)
			}
			return
		}
		if !utf8.ValidString(err.Error()) || strings.ContainsAny(err.Error(), "\n\r") {
			t.Fatalf("unsafe error text %q", err.Error())
		}
	})
}

func FuzzParseErrorBody(f *testing.F) {
	f.Add(400, []byte(`{"error":"invalid_request","error_description":"ESIA-007014: The request doesn`+"`"+`t contain the mandatory parameter [state, client_id].","state":"x"}`))
	f.Add(401, []byte(`{"code":"ESIA-005011","message":"SecurityErrorEnum.invalidToken"}`))
	f.Add(500, []byte(`<html>oops</html>`))
	f.Add(400, []byte(`{"error":123}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := parseErrorBody("esia.fuzz", status, body)
		if e == nil {
			t.Fatal("nil error")
		}
		msg := e.Error()
		if !utf8.ValidString(msg) || strings.ContainsAny(msg, "\n\r") {
			t.Fatalf("unsafe error text %q", msg)
		}
		// OAuth codes are taken from error_description only when well formed;
		// REST codes are kept as ESIA sent them (cleaned).
		if e.OAuth != "" && e.Code != "" && codeFromDescription(string(e.Code)) != e.Code {
			t.Fatalf("bad code %q", e.Code)
		}
	})
}

// FuzzVerifyAccessToken runs whole verification (both algorithms, odd
// signature lengths) on arbitrary input; nothing may verify.
func FuzzVerifyAccessToken(f *testing.F) {
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	key, err := gost.ParsePrivateKeyPEM(read("gost_is_key.pem"))
	if err != nil {
		f.Fatal(err)
	}
	cert, err := gost.ParseCertificatePEM(read("gost_is_cert.pem"))
	if err != nil {
		f.Fatal(err)
	}
	signer, err := NewGOSTSigner(key, cert)
	if err != nil {
		f.Fatal(err)
	}
	c, err := New(Config{ClientID: "TESTIS01", RedirectURL: "https://is.example/cb", Signer: signer,
		Certificates: [][]byte{read("gost_esia_cert.pem"), read("rsa_esia_cert.pem")}, AcceptReversedGOST: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(strings.TrimSpace(string(read("jwt_gost_openssl.txt"))) + "x")
	f.Add("eyJhbGciOiJSUzI1NiJ9.e30.AAAA")
	f.Add("eyJhbGciOiJHT1NUMzQxMF8yMDEyXzI1NiJ9.e30.AAAA")
	f.Fuzz(func(t *testing.T, tok string) {
		if _, err := c.VerifyAccessToken(tok); err == nil {
			t.Fatalf("verified a fuzzed token %q", tok)
		}
		if _, err := c.VerifyIDToken(tok); err == nil {
			t.Fatalf("verified a fuzzed id token %q", tok)
		}
	})
}
