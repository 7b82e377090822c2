package esiamock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/world"
)

// Example serves the ESIA emulator over a world and shows its error shape
// on the token endpoint: HTTP 400 with ESIA's code and wording.
func Example() {
	w, _ := world.New()
	srv, err := esiamock.New(w)
	if err != nil {
		fmt.Println(err)
		return
	}
	cc, _ := esiamock.DefaultClientCredentials()
	err = srv.RegisterSystem(esiamock.System{
		ClientID:     cc.ClientID,
		Certificates: []string{string(cc.CertificatePEM)},
		RedirectURIs: []string{"http://127.0.0.1:*"},
		// The only refresh signed string this system accepts (the esia
		// client's default).
		RefreshVariant: esiamock.RefreshRedirectURI,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()

	resp, err := http.PostForm(hs.URL+"/aas/oauth2/v3/te", url.Values{"grant_type": {"authorization_code"}, "client_id": {cc.ClientID}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var body struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	fmt.Println(resp.StatusCode, body.Error)
	fmt.Println(body.ErrorDescription)
	// Output:
	// 400 invalid_request
	// ESIA-007014: The request doesn`t contain the mandatory parameter [state, client_secret, client_certificate_hash, timestamp, code, redirect_uri, scope].
}
