package mock_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/world"
)

func TestSandboxESIA(t *testing.T) {
	sb := mock.Start(t)
	if sb.ESIAURL == "" || sb.ESIA == nil || sb.URL("esia") != sb.ESIAURL {
		t.Fatalf("ESIA not started: %q", sb.ESIAURL)
	}
	cr := sb.Credentials.ESIA
	if cr.ClientID != esiamock.DefaultClientID || cr.PersonOID != world.DefaultChiefOID || cr.OrgOID != world.DefaultMinistryOID ||
		cr.Login == "" || cr.Password == "" || !strings.Contains(cr.ESIACertificatePEM, "BEGIN CERTIFICATE") {
		t.Fatalf("credentials %+v", cr)
	}
	for _, f := range []string{cr.KeyFile, cr.CertificateFile, cr.ESIACertificateFile} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("credential file: %v", err)
		}
	}
	key, err := gost.ParsePrivateKeyPEM([]byte(cr.KeyPEM))
	if err != nil {
		t.Fatal(err)
	}
	cert, err := gost.ParseCertificatePEM([]byte(cr.CertificatePEM))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := esia.NewGOSTSigner(key, cert)
	if err != nil {
		t.Fatal(err)
	}
	// Any loopback port is a registered callback.
	redirect := "http://127.0.0.1:18080/esia/callback"
	c, err := esia.New(esia.Config{
		BaseURL: sb.ESIAURL, ClientID: cr.ClientID, RedirectURL: redirect, Signer: signer,
		Scopes: []string{"openid", "fullname", "usr_org"}, OrgScopes: []string{"org_shortname", "org_ogrn", "org_grps"},
		Certificates: [][]byte{[]byte(cr.ESIACertificatePEM)},
	}, core.WithHTTPClient(sb.HTTPClient()), core.WithClock(core.NowFunc(sb.Clock.Now)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	state := esia.NewState()
	u, err := c.AuthCodeURL(ctx, state)
	if err != nil {
		t.Fatal(err)
	}
	// Enqueue through the control API, as a test in another process would.
	body, _ := json.Marshal(esiamock.Login{PersonOID: cr.PersonOID, OrgOID: cr.OrgOID})
	resp, err := http.Post(sb.ControlURL+"/_mock/esia/login", "application/json", strings.NewReader(string(body)))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("enqueue: %v %v", resp, err)
	}
	resp.Body.Close()
	hc := sb.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err = hc.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	code, err := esia.ParseCallbackQuery(loc.Query(), state)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.Exchange(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	ac, _, err := c.VerifyToken(tok)
	if err != nil || ac.Issuer != "http://"+strings.TrimPrefix(sb.ESIAURL, "http://")+"/" {
		t.Fatalf("verify: %+v %v", ac, err)
	}
	if _, ok := sb.Journal.Last(world.Filter{Party: "esia", Method: "v3/te", Status: 200}); !ok {
		t.Fatal("v3/te not journalled")
	}
	// The verification certificate is published on the control API too.
	resp, err = http.Get(sb.ControlURL + "/_mock/esia/cert.pem")
	if err != nil {
		t.Fatal(err)
	}
	pemBytes, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(pemBytes) != cr.ESIACertificatePEM {
		t.Fatal("control cert.pem differs from the credentials")
	}
	if m := sb.Manifest(); m["esia"] != sb.ESIAURL {
		t.Fatalf("manifest %v", m)
	}
}

func BenchmarkStartWithESIA(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sb, err := mock.New()
		if err != nil {
			b.Fatal(err)
		}
		_ = sb.Close()
	}
}

func TestSandboxESIARegisterSystem(t *testing.T) {
	sb := mock.Start(t)
	cc, err := esiamock.NewGOSTClientCredentials(rand.Reader, "MY_IS")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(esiamock.System{ClientID: "MY_IS", Certificates: []string{string(cc.CertificatePEM)}, RedirectURIs: []string{"https://app.example/cb"}})
	resp, err := http.Post(sb.ControlURL+"/_mock/esia/systems", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("register: %d", resp.StatusCode)
	}
	found := false
	for _, s := range sb.ESIA.Systems() {
		found = found || s.ClientID == "MY_IS"
	}
	if !found {
		t.Fatal("system not registered")
	}
	// A malformed system is refused.
	resp, err = http.Post(sb.ControlURL+"/_mock/esia/systems", "application/json", strings.NewReader(`{"client_id":"X","certificates":["junk"],"redirect_uris":["https://a/"]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("bad system: %d", resp.StatusCode)
	}
}

func TestESIAKeyFilesAreWrittenOnceAndShared(t *testing.T) {
	t.Parallel()
	a := mock.Start(t)
	b := mock.Start(t)
	ca, cb := a.Credentials.ESIA, b.Credentials.ESIA
	require.Equal(t, a.ESIA.Dir, b.ESIA.Dir, "sandboxes with the same keys share the files")
	for file, want := range map[string]string{
		ca.KeyFile: ca.KeyPEM, ca.CertificateFile: ca.CertificatePEM, ca.ESIACertificateFile: ca.ESIACertificatePEM,
	} {
		got, err := os.ReadFile(file)
		require.NoError(t, err)
		assert.Equal(t, want, string(got), file)
		st, err := os.Stat(file)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), file)
	}
	assert.Equal(t, ca.KeyFile, cb.KeyFile)
	require.NoError(t, a.Close())
	_, err := os.Stat(cb.KeyFile)
	require.NoError(t, err, "closing one sandbox keeps the shared files")
}
