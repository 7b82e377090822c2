package esiamock_test

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/world"
)

// esiaClient builds the SDK client against the emulator, on the world
// clock, verifying tokens with the published certificates only.
func (e *env) esiaClient(mod func(*esia.Config)) *esia.Client {
	e.t.Helper()
	signer, err := esia.NewGOSTSigner(e.key, e.cert)
	if err != nil {
		e.t.Fatal(err)
	}
	cfg := esia.Config{
		BaseURL: e.ts.URL, ClientID: testClient, RedirectURL: testRedirect,
		Scopes: []string{"openid", "fullname", "email", "mobile", "usr_org"}, Signer: signer,
		AccessType: esia.AccessOffline, Certificates: [][]byte{e.srv.Keys().CertificatesPEM()},
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := esia.New(cfg, core.WithClock(core.NowFunc(e.w.Clock.Now)))
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// login runs AuthCodeURL → headless login → callback → Exchange.
func (e *env) login(c *esia.Client, l esiamock.Login, opts ...oauth2.AuthCodeOption) *oauth2.Token {
	e.t.Helper()
	ctx := context.Background()
	state := esia.NewState()
	u, err := c.AuthCodeURL(ctx, state, opts...)
	if err != nil {
		e.t.Fatal(err)
	}
	e.srv.EnqueueLogin(l)
	resp, err := e.client.Get(u)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	code, err := esia.ParseCallbackQuery(loc.Query(), state)
	if err != nil {
		e.t.Fatalf("callback: %v", err)
	}
	tok, err := c.Exchange(ctx, code)
	if err != nil {
		e.t.Fatalf("exchange: %v", err)
	}
	return tok
}

func TestClientBothGenerations(t *testing.T) {
	for _, tc := range []struct {
		name     string
		protocol esia.Protocol
		alg      string
		enc      esia.SecretEncoding
	}{
		{"v2-gost", esia.ProtocolV2, esiamock.AlgGOST, esia.EncodingRawURL},
		{"v2-rs256-padded", esia.ProtocolV2, esiamock.AlgRS256, esia.EncodingURL},
		{"legacy-gost-std", esia.ProtocolLegacy, esiamock.AlgGOST, esia.EncodingStd},
		{"legacy-rs256", esia.ProtocolLegacy, esiamock.AlgRS256, esia.EncodingRawURL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(s *esiamock.System) { s.JWTAlg = tc.alg })
			c := e.esiaClient(func(cfg *esia.Config) {
				cfg.Protocol, cfg.SecretEncoding = tc.protocol, tc.enc
				if tc.protocol == esia.ProtocolV2 {
					cfg.OrgScopes = []string{"org_shortname", "org_ogrn", "org_inn", "org_agencytype", "org_grps"}
				}
			})
			tok := e.login(c, chief)
			ac, idc, err := c.VerifyToken(tok)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if ac.SbjID != world.DefaultChiefOID || ac.ClientID != testClient || idc == nil {
				t.Fatalf("claims %+v %+v", ac, idc)
			}
			ctx := context.Background()
			ts := oauth2.StaticTokenSource(tok)
			p, err := c.Person(ctx, ts, world.DefaultChiefOID)
			if err != nil || p.LastName != "Иванова" {
				t.Fatalf("person %+v %v", p, err)
			}
			roles, err := c.Roles(ctx, ts, world.DefaultChiefOID)
			if err != nil || len(roles) != 1 || !roles[0].Chief {
				t.Fatalf("roles %+v %v", roles, err)
			}
			ct, err := c.Contacts(ctx, ts, world.DefaultChiefOID)
			if err != nil || len(ct) != 2 {
				t.Fatalf("contacts %+v %v", ct, err)
			}
			// Refresh (rotated).
			nt, err := c.Refresh(ctx, tok.RefreshToken)
			if err != nil {
				t.Fatalf("refresh: %v", err)
			}
			if nt.RefreshToken == tok.RefreshToken || nt.AccessToken == "" {
				t.Fatal("refresh did not rotate")
			}
			if _, err := c.Refresh(ctx, tok.RefreshToken); !errors.Is(err, esia.ErrInvalidGrant) {
				t.Fatalf("old refresh token: %v", err)
			}
			if tc.protocol == esia.ProtocolV2 {
				a, err := c.Authority(ctx, oauth2.StaticTokenSource(nt), world.DefaultMinistryOID, esia.AuthorityGroups())
				if err != nil {
					t.Fatalf("authority: %v", err)
				}
				if !a.Chief || a.Organization == nil || a.Organization.OGRN == "" || !a.InGroup(world.GroupCabinetInstitution) {
					t.Fatalf("authority %+v", a)
				}
			}
		})
	}
}

// TestClientRefreshSigningVariants: a system accepts exactly one refresh
// signed string, so a client signing the other is caught — both ways.
func TestClientRefreshSigningVariants(t *testing.T) {
	for _, tc := range []struct {
		name    string
		variant esiamock.RefreshVariant // the system's
		signing esia.RefreshSigning     // the client's
		ok      bool
	}{
		{"default system, default client", 0, esia.RefreshSignAuthorize, true},
		{"default system, token-signing client", 0, esia.RefreshSignToken, false},
		{"token system, token-signing client", esiamock.RefreshToken, esia.RefreshSignToken, true},
		{"token system, default client", esiamock.RefreshToken, esia.RefreshSignAuthorize, false},
		{"any", esiamock.RefreshAny, esia.RefreshSignToken, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(s *esiamock.System) { s.RefreshVariant = tc.variant })
			c := e.esiaClient(func(cfg *esia.Config) { cfg.RefreshSigning = tc.signing })
			tok := e.login(c, chief)
			_, err := c.Refresh(context.Background(), tok.RefreshToken)
			if tc.ok {
				if err != nil {
					t.Fatalf("refresh: %v", err)
				}
				return
			}
			var ee *esia.Error
			if !errors.As(err, &ee) || ee.Code != "ESIA-007053" {
				t.Fatalf("refresh with the other variant: %v, want ESIA-007053", err)
			}
		})
	}
}

func TestRefreshVariantText(t *testing.T) {
	var s esiamock.System
	if err := json.Unmarshal([]byte(`{"client_id":"X","refresh_variant":"refresh_token"}`), &s); err != nil || s.RefreshVariant != esiamock.RefreshToken {
		t.Fatalf("unmarshal: %v %v", s.RefreshVariant, err)
	}
	if err := json.Unmarshal([]byte(`{"refresh_variant":"both"}`), &s); err == nil {
		t.Fatal("an unknown variant must be refused")
	}
	out, _ := json.Marshal(esiamock.System{ClientID: "X", RefreshVariant: esiamock.RefreshRedirectURI})
	if !strings.Contains(string(out), `"refresh_variant":"redirect_uri"`) {
		t.Fatalf("marshal: %s", out)
	}
}

func TestClientSystemToken(t *testing.T) {
	e := newEnv(t, nil)
	c := e.esiaClient(nil)
	ctx := context.Background()
	tok, err := c.SystemToken(ctx, esia.ScopeOption("org_shortname?org_oid=1000001", "org_ogrn?org_oid=1000001", "org_emps?org_oid=1000001", "org_grps?org_oid=1000001"))
	if err != nil {
		t.Fatalf("system token: %v", err)
	}
	ts := oauth2.StaticTokenSource(tok)
	o, err := c.Organization(ctx, ts, world.DefaultMinistryOID)
	if err != nil || o.OGRN == "" {
		t.Fatalf("org %+v %v", o, err)
	}
	emps, err := c.Employees(ctx, ts, world.DefaultMinistryOID)
	if err != nil || len(emps) != 2 {
		t.Fatalf("emps %+v %v", emps, err)
	}
	groups, err := c.OrgGroups(ctx, ts, world.DefaultMinistryOID)
	if err != nil || len(groups) != 3 {
		t.Fatalf("groups %+v %v", groups, err)
	}
	// The user logs in with usr_org only; the system token reads the org.
	user := e.login(c, esiamock.Login{PersonOID: world.DefaultChiefOID})
	a, err := c.Authority(ctx, oauth2.StaticTokenSource(user), world.DefaultMinistryOID,
		esia.AuthorityOrgToken(ts), esia.AuthorityRequireGroup(world.GroupCabinetEditorial))
	if err != nil || !a.InGroup(world.GroupCabinetEditorial) {
		t.Fatalf("authority %+v %v", a, err)
	}
	// A plain employee is not chief or admin.
	emp := e.login(c, esiamock.Login{PersonOID: world.DefaultEmployeeOID})
	if _, err := c.Authority(ctx, oauth2.StaticTokenSource(emp), world.DefaultMinistryOID, esia.AuthorityOrgToken(ts)); !errors.Is(err, esia.ErrNotAuthorized) {
		t.Fatalf("employee authority: %v", err)
	}
}

func TestClientRejectsTamperedTokens(t *testing.T) {
	e := newEnv(t, nil)
	c := e.esiaClient(nil)
	tok := e.login(c, chief)
	id := esia.IDToken(tok)
	if _, _, err := c.VerifyToken(tok); err != nil {
		t.Fatal(err)
	}
	flip := func(s string) string {
		parts := strings.Split(s, ".")
		sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
		sig[5] ^= 1
		return parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
	}
	if _, err := c.VerifyAccessToken(flip(tok.AccessToken)); !errors.Is(err, esia.ErrTokenSignature) {
		t.Fatalf("flipped signature: %v", err)
	}
	// A payload edited to another subject no longer matches the signature.
	parts := strings.Split(tok.AccessToken, ".")
	pl, _ := base64.RawURLEncoding.DecodeString(parts[1])
	pl = []byte(strings.Replace(string(pl), "1000000101", "1000000102", 1))
	if _, err := c.VerifyAccessToken(parts[0] + "." + base64.RawURLEncoding.EncodeToString(pl) + "." + parts[2]); !errors.Is(err, esia.ErrTokenSignature) {
		t.Fatalf("edited payload: %v", err)
	}
	// iss: a client expecting the real ESIA refuses the emulator's tokens.
	prod := e.esiaClient(func(cfg *esia.Config) { cfg.Issuer = "http://esia.gosuslugi.ru/" })
	if _, err := prod.VerifyAccessToken(tok.AccessToken); !errors.Is(err, esia.ErrTokenIssuer) {
		t.Fatalf("issuer: %v", err)
	}
	// aud / client_id: another system refuses them.
	other := e.esiaClient(func(cfg *esia.Config) { cfg.ClientID = "OTHER_IS" })
	if _, err := other.VerifyIDToken(id); !errors.Is(err, esia.ErrTokenAudience) {
		t.Fatalf("audience: %v", err)
	}
	// A certificate that is not ESIA's (here: the client's own).
	stranger := e.esiaClient(func(cfg *esia.Config) { cfg.Certificates = [][]byte{[]byte(e.certPEM())} })
	if _, err := stranger.VerifyAccessToken(tok.AccessToken); !errors.Is(err, esia.ErrTokenSignature) {
		t.Fatalf("foreign certificate: %v", err)
	}
	// exp: one hour later (plus the leeway) on the world clock.
	e.w.Clock.Advance(time.Hour + 2*time.Minute)
	if _, err := c.VerifyAccessToken(tok.AccessToken); !errors.Is(err, esia.ErrTokenExpired) {
		t.Fatalf("expired: %v", err)
	}
	if _, err := c.VerifyIDToken(id); !errors.Is(err, esia.ErrTokenExpired) {
		t.Fatalf("expired id token: %v", err)
	}
}

func (e *env) certPEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: e.cert.Raw}))
}

func TestClientErrorsAndClockSkew(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	// The client signs with a clock one hour behind the world: 007015.
	skewed, err := esia.New(esia.Config{
		BaseURL: e.ts.URL, ClientID: testClient, RedirectURL: testRedirect, Scopes: []string{"openid"},
		Signer: mustSigner(t, e), Certificates: [][]byte{e.srv.Keys().CertificatesPEM()},
	}, core.WithClock(core.NowFunc(func() time.Time { return e.w.Clock.Now().Add(-time.Hour) })))
	if err != nil {
		t.Fatal(err)
	}
	_, err = skewed.SystemToken(ctx, esia.ScopeOption("org_shortname?org_oid=1000001"))
	var ee *esia.Error
	if !errors.As(err, &ee) || !strings.Contains(ee.Error(), "007015") {
		t.Fatalf("skewed clock: %v", err)
	}
	// A code replayed through the client.
	c := e.esiaClient(nil)
	state := esia.NewState()
	u, _ := c.AuthCodeURL(ctx, state)
	e.srv.EnqueueLogin(chief)
	resp, err := e.client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	code, err := esia.ParseCallbackQuery(loc.Query(), state)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exchange(ctx, code); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exchange(ctx, code); !errors.Is(err, esia.ErrInvalidGrant) {
		t.Fatalf("replayed code: %v", err)
	}
	// A callback whose state is not ours is refused by the client.
	if _, err := esia.ParseCallbackQuery(loc.Query(), esia.NewState()); !errors.Is(err, esia.ErrStateMismatch) {
		t.Fatalf("replayed state: %v", err)
	}
	// An error redirect from the emulator is decoded with its code.
	e.srv.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultEmployeeOID, OrgOID: world.DefaultSubordinateOID})
	c2 := e.esiaClient(func(cfg *esia.Config) { cfg.OrgScopes = []string{"org_shortname"} })
	state = esia.NewState()
	u, _ = c2.AuthCodeURL(ctx, state)
	resp, err = e.client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ = url.Parse(resp.Header.Get("Location"))
	if _, err := esia.ParseCallbackQuery(loc.Query(), state); !errors.As(err, &ee) || !strings.Contains(ee.Error(), "007194") {
		t.Fatalf("007194 redirect: %v", err)
	}
}

func mustSigner(t *testing.T, e *env) esia.Signer {
	s, err := esia.NewGOSTSigner(e.key, e.cert)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestClientRSASigner(t *testing.T) {
	// Fixed test-only RSA credentials (testdata/rsa_client_*.pem).
	keyPEM, _ := os.ReadFile("testdata/rsa_client_key.pem")
	certBytes, _ := os.ReadFile("testdata/rsa_client_cert.pem")
	kb, _ := pem.Decode(keyPEM)
	cb, _ := pem.Decode(certBytes)
	if kb == nil || cb == nil {
		t.Fatal("testdata/rsa_client_*.pem missing")
	}
	anyKey, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	k := anyKey.(*rsa.PrivateKey)
	der := cb.Bytes
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	// Without the RSA test mode the registration is refused.
	if _, err := esiamock.New(mustWorld(t)); err != nil {
		t.Fatal(err)
	}
	plain, _ := esiamock.New(mustWorld(t))
	if err := plain.RegisterSystem(esiamock.System{ClientID: "RSA_IS", Certificates: []string{certPEM}, RedirectURIs: []string{testRedirect}}); err == nil {
		t.Fatal("RSA certificate accepted without WithRSAClients")
	}
	for _, proto := range []esia.Protocol{esia.ProtocolV2, esia.ProtocolLegacy} {
		e := newEnv(t, func(s *esiamock.System) { s.Certificates = []string{certPEM}; s.JWTAlg = esiamock.AlgRS256 }, esiamock.WithRSAClients())
		signer, err := esia.NewRSASigner(k, cert)
		if err != nil {
			t.Fatal(err)
		}
		c := e.esiaClient(func(cfg *esia.Config) { cfg.Signer = signer; cfg.Protocol = proto })
		tok := e.login(c, chief)
		if _, _, err := c.VerifyToken(tok); err != nil {
			t.Fatalf("%v: %v", proto, err)
		}
	}
}

func mustWorld(t *testing.T) *world.World {
	w, err := world.New()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestConcurrentLogins(t *testing.T) {
	e := newEnv(t, nil)
	c := e.esiaClient(nil)
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 5; i++ {
				ctx := context.Background()
				state := esia.NewState()
				u, err := c.AuthCodeURL(ctx, state)
				if err != nil {
					errs <- err
					return
				}
				e.srv.EnqueueLogin(chief)
				resp, err := e.client.Get(u)
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				loc, _ := url.Parse(resp.Header.Get("Location"))
				code, err := esia.ParseCallbackQuery(loc.Query(), state)
				if err != nil {
					errs <- err
					return
				}
				tok, err := c.Exchange(ctx, code)
				if err == nil {
					_, _, err = c.VerifyToken(tok)
				}
				if err == nil {
					_, err = c.Refresh(ctx, tok.RefreshToken)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
