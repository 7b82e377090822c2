package emu_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/world"
)

// decodingToy is the toy party with a typed journal view.
type decodingToy struct{ toy }

func (decodingToy) Decode(c *emu.Call, params map[string]string) *world.Decoded {
	return &world.Decoded{VK: &world.VKCall{Method: c.Method, Params: params}}
}

func benchPipeline(b *testing.B, a emu.Adapter) {
	w, err := world.New(world.WithEmptyScenario())
	if err != nil {
		b.Fatal(err)
	}
	h := emu.HandlerFunc(func(rw http.ResponseWriter, r *http.Request, c *emu.Call) { rw.WriteHeader(http.StatusOK) })
	res := emu.ResolverFunc(func(r *http.Request, c *emu.Call) (emu.Target, bool) {
		return emu.Target{Tenant: "t", World: w, Handler: h}, true
	})
	p := emu.New(a, res)
	req := httptest.NewRequest("GET", "/echo?key=k", http.NoBody)
	b.ReportAllocs()
	for b.Loop() {
		p.ServeHTTP(httptest.NewRecorder(), req)
	}
}

// BenchmarkPipelineJournal measures a journalled call through the
// pipeline without (plain) and with (decoded) the adapter's typed view.
func BenchmarkPipelineJournal(b *testing.B) {
	b.Run("plain", func(b *testing.B) { benchPipeline(b, toy{}) })
	b.Run("decoded", func(b *testing.B) { benchPipeline(b, decodingToy{}) })
}

// BenchmarkJournalRecord measures Journal.Record alone, with and without
// a decoded view.
func BenchmarkJournalRecord(b *testing.B) {
	params := map[string]string{"owner_id": "-1", "message": "x"}
	b.Run("plain", func(b *testing.B) {
		j := world.NewJournal(1024)
		b.ReportAllocs()
		for b.Loop() {
			j.Record(world.Entry{Party: "vk", Method: "wall.post", Params: params})
		}
	})
	b.Run("decoded", func(b *testing.B) {
		j := world.NewJournal(1024)
		b.ReportAllocs()
		for b.Loop() {
			j.Record(world.Entry{Party: "vk", Method: "wall.post", Params: params,
				Decoded: &world.Decoded{VK: &world.VKCall{Method: "wall.post", Params: params}}})
		}
	})
}
