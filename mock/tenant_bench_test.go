package mock_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/tgmock"
)

// BenchmarkTenantRouting measures what finding a request's tenant costs:
// getMe served by one tenant's emulator directly (its own pipeline, one
// world) against the sandbox's party handler (credential index, then the
// tenant's emulator), for the default tenant and for one tenant among 101.
// In-process, so the network does not hide the difference.
//
//	go test -run '^$' -bench BenchmarkTenantRouting -benchmem ./mock/
func BenchmarkTenantRouting(b *testing.B) {
	sb := mock.Start(b, mock.WithParties("telegram"), mock.WithTelegramOptions(tgmock.WithoutLimits()))
	for range 100 {
		if _, err := sb.CreateTenant("", nil); err != nil {
			b.Fatal(err)
		}
	}
	ten, err := sb.Tenant("t50")
	if err != nil {
		b.Fatal(err)
	}
	run := func(h http.Handler, token string) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("GET", "/bot"+token+"/getMe", nil)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		}
	}
	b.Run("emulator", run(sb.Telegram.Server, sb.Credentials.Telegram.BotToken))
	b.Run("sandbox-default", run(sb.Handler("telegram"), sb.Credentials.Telegram.BotToken))
	b.Run("sandbox-tenant-of-101", run(sb.Handler("telegram"), ten.Credentials().Telegram.BotToken))
}

// BenchmarkCreateDeleteTenant measures a tenant's life: a world seeded
// with the default scenario, an emulator per party, its credentials
// indexed, then deleted.
//
//	go test -run '^$' -bench BenchmarkCreateDeleteTenant -benchmem ./mock/
func BenchmarkCreateDeleteTenant(b *testing.B) {
	sb := mock.Start(b)
	i := 0
	for b.Loop() {
		i++
		name := "bench-" + strconv.Itoa(i)
		if _, err := sb.CreateTenant(name, nil); err != nil {
			b.Fatal(err)
		}
		if err := sb.DeleteTenant(name); err != nil {
			b.Fatal(err)
		}
	}
}
