package esia_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"time"

	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
)

// fakeESIA is a tiny stand-in for ESIA used by the examples: a token
// endpoint issuing GOST-signed tokens and two REST resources. The real
// emulator is mock/esiamock.
type fakeESIA struct {
	srv *httptest.Server
	key *gost.PrivateKey
}

func mustRead(name string) []byte {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		log.Fatal(err)
	}
	return b
}

func newFakeESIA() *fakeESIA {
	key, err := gost.ParsePrivateKeyPEM(mustRead("gost_esia_key.pem"))
	if err != nil {
		log.Fatal(err)
	}
	f := &fakeESIA{key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /aas/oauth2/v3/te", f.token)
	mux.HandleFunc("GET /rs/prns/1000328686/roles", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"stateFacts":["hasSize"],"size":1,"elements":[{"oid":1000474775,"prnOid":1000328686,
			"fullName":"Министерство цифрового развития","shortName":"Минцифры","ogrn":"1047702026701","type":"AGENCY",
			"chief":false,"admin":true,"active":true}]}`))
	})
	mux.HandleFunc("GET /rs/orgs/1000474775", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"oid":1000474775,"shortName":"Минцифры","ogrn":"1047702026701","inn":"7710474375",
			"kpp":"771001001","agencyType":"10.FED","agencyTerRange":"00","oktmo":"45382000","type":"AGENCY"}`))
	})
	f.srv = httptest.NewServer(mux)
	return f
}

func (f *fakeESIA) jwt(claims map[string]any) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(map[string]any{"ver": 1, "typ": "JWT", "sbt": "access", "alg": esia.AlgGOST}) + "." + enc(claims)
	sig, err := gost.SignMessage(rand.Reader, f.key, []byte(input))
	if err != nil {
		panic(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func (f *fakeESIA) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	now := time.Now().Unix()
	iss := "http://" + r.Host + "/" // ESIA writes http:// and a trailing slash
	access := f.jwt(map[string]any{"iss": iss, "client_id": r.PostForm.Get("client_id"), "urn:esia:sbj_id": 1000328686,
		"scope": "openid?oid=1000328686 usr_org?oid=1000328686", "nbf": now, "iat": now, "exp": now + 3600})
	id := f.jwt(map[string]any{"iss": iss, "aud": r.PostForm.Get("client_id"), "sub": 1000328686, "amr": "PWD",
		"nbf": now, "iat": now, "exp": now + 3600, "auth_time": now,
		"urn:esia:sbj": map[string]any{"urn:esia:sbj:typ": "P", "urn:esia:sbj:oid": 1000328686, "urn:esia:sbj:is_tru": true}})
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": access, "id_token": id, "token_type": "Bearer",
		"expires_in": 3600, "state": r.PostForm.Get("state"), "refresh_token": "6f1c4c4e-8a44-4b0f-9d1a-3c3f00000000"})
}

// exampleClient returns a client of the fake ESIA.
func exampleClient(baseURL string, opts ...core.Option) *esia.Client {
	key, err := gost.ParsePrivateKeyPEM(mustRead("gost_is_key.pem"))
	if err != nil {
		log.Fatal(err)
	}
	cert, err := gost.ParseCertificatePEM(mustRead("gost_is_cert.pem"))
	if err != nil {
		log.Fatal(err)
	}
	signer, err := esia.NewGOSTSigner(key, cert)
	if err != nil {
		log.Fatal(err)
	}
	c, err := esia.New(esia.Config{
		BaseURL:      baseURL,
		ClientID:     "MYIS",
		RedirectURL:  "https://is.example/esia/callback",
		Scopes:       []string{"openid", "usr_org"},
		OrgScopes:    []string{"org_fullname", "org_ogrn"},
		Signer:       signer,
		Certificates: [][]byte{mustRead("gost_esia_cert.pem")}, // ESIA's signing certificates
	}, opts...)
	if err != nil {
		log.Fatal(err)
	}
	return c
}

func ExampleClient_AuthCodeURL() {
	clock := func() time.Time { return time.Date(2025, 9, 2, 13, 0, 29, 0, time.FixedZone("MSK", 3*3600)) }
	c := exampleClient(esia.TestBaseURL, core.WithClock(core.NowFunc(clock)))

	state := "3fa85f64-5717-4562-b3fc-2c963f66afa6" // esia.NewState(), kept in the user's session
	verifier := oauth2.GenerateVerifier()           // optional PKCE
	raw, err := c.AuthCodeURL(context.Background(), state,
		oauth2.AccessTypeOffline, esia.ChallengeOption(verifier, esia.ChallengeS256))
	if err != nil {
		log.Fatal(err)
	}
	u, _ := url.Parse(raw)
	fmt.Println(u.Scheme + "://" + u.Host + u.Path)
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch k {
		case "client_secret", "code_challenge", "client_certificate_hash":
			fmt.Printf("%s: (%d chars)\n", k, len(q.Get(k)))
		default:
			fmt.Printf("%s: %s\n", k, q.Get(k))
		}
	}
	// Output:
	// https://esia-portal1.test.gosuslugi.ru/aas/oauth2/v2/ac
	// access_type: offline
	// client_certificate_hash: (64 chars)
	// client_id: MYIS
	// client_secret: (86 chars)
	// code_challenge: (43 chars)
	// code_challenge_method: S256
	// redirect_uri: https://is.example/esia/callback
	// response_type: code
	// scope: openid usr_org
	// scope_org: org_fullname org_ogrn
	// state: 3fa85f64-5717-4562-b3fc-2c963f66afa6
	// timestamp: 2025.09.02 13:00:29 +0300
}

func ExampleClient_Exchange() {
	fake := newFakeESIA()
	defer fake.srv.Close()
	c := exampleClient(fake.srv.URL)
	ctx := context.Background()

	// The browser comes back to the redirect URL.
	state := esia.NewState()
	callback := httptest.NewRequest(http.MethodGet, "/esia/callback?code=AUTH-CODE&state="+state, nil)
	code, err := esia.ParseCallback(callback, state)
	if err != nil {
		log.Fatal(err)
	}
	tok, err := c.Exchange(ctx, code) // signed client_secret, fresh state checked
	if err != nil {
		log.Fatal(err)
	}
	access, id, err := c.VerifyToken(tok) // signature, iss, client_id/aud, exp/nbf
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("user:", access.SbjID)
	fmt.Println("usr_org granted:", access.HasScope("usr_org"))
	fmt.Println("id token subject:", id.Subject, "trusted:", id.Sbj.IsTrusted, "amr:", id.AMR)
	fmt.Println("refresh token:", tok.RefreshToken != "")
	// Output:
	// user: 1000328686
	// usr_org granted: true
	// id token subject: 1000328686 trusted: true amr: [PWD]
	// refresh token: true
}

func ExampleClient_Authority() {
	fake := newFakeESIA()
	defer fake.srv.Close()
	c := exampleClient(fake.srv.URL)
	ctx := context.Background()

	tok, err := c.Exchange(ctx, "AUTH-CODE")
	if err != nil {
		log.Fatal(err)
	}
	// May this user request the «Госорганизация» mark for organisation 1000474775?
	a, err := c.Authority(ctx, c.TokenSource(ctx, tok), 1000474775)
	if err != nil {
		log.Fatal(err) // errors.Is(err, esia.ErrNotAuthorized) when not chief/admin
	}
	fmt.Println("chief:", a.Chief, "admin:", a.Admin)
	fmt.Println("org:", a.Organization.ShortName, a.Organization.OGRN, a.Organization.INN, a.Organization.AgencyType)
	// Output:
	// chief: false admin: true
	// org: Минцифры 1047702026701 7710474375 10.FED
}

func ExampleNewOpenSSLSigner() {
	// Keys kept in files for the openssl GOST engine
	// (apt-get install libengine-gost-openssl).
	signer, err := esia.NewOpenSSLSigner("openssl", "/etc/myis/key.pem", "/etc/myis/cert.pem")
	if err != nil {
		log.Print(err)
		return
	}
	_, _ = esia.New(esia.Config{ClientID: "MYIS", RedirectURL: "https://is.example/cb", Signer: signer})
}

func ExampleNewCommandSigner() {
	// CryptoPro CSP: csptest writes the signature in its own byte order,
	// which the signer reverses.
	signer := esia.NewCommandSigner("/opt/cprocsp/bin/amd64/csptest",
		"-keyset", "-sign", "GOST12_256", "-cont", `\\.\HDIMAGE\myis`, "-keytype", "exchange",
		"-in", esia.PlaceholderIn, "-out", esia.PlaceholderOut)
	block, _ := pem.Decode(mustRead("gost_is_cert.pem"))
	signer.Cert = block.Bytes // DER: client_certificate_hash is computed over DER, never PEM
	fmt.Println(signer.Reverse, len(signer.CertificateHash()))
	// Output: true 64
}
