package mock_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/esiamock"
)

// Example_esiaLogin logs a person in through the sandbox's ESIA without a
// browser: a headless login is queued, the authorization request is sent
// with the sandbox's fail-closed client, and the callback URL is read from
// the redirect instead of being followed (the app's callback is not a
// sandbox listener, so the fail-closed client would refuse it).
func Example_esiaLogin() {
	sb, err := mock.New(mock.WithParties("esia"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sb.Close()
	ctx := context.Background()

	// The default system's SANDBOX-ONLY key and certificate, and the
	// certificate that verifies the emulator's tokens.
	cr := sb.Credentials.ESIA
	key, err := gost.ParsePrivateKeyPEM([]byte(cr.KeyPEM))
	if err != nil {
		fmt.Println(err)
		return
	}
	cert, err := gost.ParseCertificatePEM([]byte(cr.CertificatePEM))
	if err != nil {
		fmt.Println(err)
		return
	}
	signer, err := esia.NewGOSTSigner(key, cert)
	if err != nil {
		fmt.Println(err)
		return
	}
	client, err := esia.New(esia.Config{
		BaseURL:  sb.ESIAURL,
		ClientID: cr.ClientID,
		// Any port of a loopback host is registered (mock.ESIARedirectURIs).
		RedirectURL:  "http://127.0.0.1:8080/callback",
		Scopes:       []string{"openid", "fullname"},
		Signer:       signer,
		Certificates: [][]byte{[]byte(cr.ESIACertificatePEM)},
	}, core.WithHTTPClient(sb.HTTPClient()), core.WithClock(core.NowFunc(sb.Clock.Now)))
	if err != nil {
		fmt.Println(err)
		return
	}

	// The next authorization request logs this person in, no pages shown.
	sb.ESIA.EnqueueLogin(esiamock.Login{PersonOID: cr.PersonOID})
	state := esia.NewState()
	authURL, err := client.AuthCodeURL(ctx, state)
	if err != nil {
		fmt.Println(err)
		return
	}
	hc := sb.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(authURL)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	callback, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.StatusCode, callback.Host+callback.Path)

	code, err := esia.ParseCallbackQuery(callback.Query(), state)
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, err := client.Exchange(ctx, code)
	if err != nil {
		fmt.Println(err)
		return
	}
	claims, _, err := client.VerifyToken(tok)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := client.Person(ctx, oauth2.StaticTokenSource(tok), claims.SbjID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(claims.SbjID == cr.PersonOID, p.LastName, p.FirstName)
	// Output:
	// 302 127.0.0.1:8080/callback
	// true Иванова Анна
}
