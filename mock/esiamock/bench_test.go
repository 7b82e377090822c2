package esiamock_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/world"
)

// BenchmarkRoundTrip measures a full authorization round trip against the
// emulator over loopback HTTP: AuthCodeURL (signing) + headless login +
// Exchange (signing, token issue) + VerifyToken (both JWTs).
func BenchmarkRoundTrip(b *testing.B) {
	for _, alg := range []string{esiamock.AlgGOST, esiamock.AlgRS256} {
		b.Run(alg, func(b *testing.B) {
			e := newEnv(b, func(s *esiamock.System) { s.JWTAlg = alg })
			c := e.esiaClient(nil)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				state := esia.NewState()
				u, err := c.AuthCodeURL(ctx, state)
				if err != nil {
					b.Fatal(err)
				}
				e.srv.EnqueueLogin(chief)
				resp, err := e.client.Get(u)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				loc, _ := url.Parse(resp.Header.Get("Location"))
				code, err := esia.ParseCallbackQuery(loc.Query(), state)
				if err != nil {
					b.Fatal(err)
				}
				tok, err := c.Exchange(ctx, code)
				if err != nil {
					b.Fatal(err)
				}
				if _, _, err := c.VerifyToken(tok); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "logins/s")
		})
	}
}

// BenchmarkVerifyAccessToken measures the esia client's verification of an
// emulator-issued access token.
func BenchmarkVerifyAccessToken(b *testing.B) {
	for _, alg := range []string{esiamock.AlgGOST, esiamock.AlgRS256} {
		b.Run(alg, func(b *testing.B) {
			e := newEnv(b, func(s *esiamock.System) { s.JWTAlg = alg })
			c := e.esiaClient(nil)
			tok := e.login(c, chief)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := c.VerifyAccessToken(tok.AccessToken); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNew measures what a sandbox pays per start for ESIA: a server
// on a world plus the default system's registration (keys are shared).
func BenchmarkNew(b *testing.B) {
	w, err := world.New()
	if err != nil {
		b.Fatal(err)
	}
	cc, err := esiamock.DefaultClientCredentials()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := esiamock.DefaultKeys(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s, err := esiamock.New(w)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.RegisterSystem(esiamock.System{ClientID: cc.ClientID, Certificates: []string{string(cc.CertificatePEM)}, RedirectURIs: []string{testRedirect}}); err != nil {
			b.Fatal(err)
		}
	}
}
