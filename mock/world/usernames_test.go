package world_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/world"
)

// channel returns a Telegram channel numbered i with username chan<i>.
func channel(i int) world.Page {
	return world.Page{
		Network: world.NetworkTelegram, ID: -1009000000000 - int64(i), Kind: world.PageChannel,
		Username: fmt.Sprintf("chan%d", i), Title: fmt.Sprintf("Канал %d", i),
	}
}

// TestUsernamesStayUniqueAtScale seeds 5 000 channels and checks that
// usernames are still refused when taken (case-insensitively, per network
// and environment) and become free again when a page is renamed, removed,
// reset away or replaced by an import.
func TestUsernamesStayUniqueAtScale(t *testing.T) {
	t.Parallel()
	const n = 5000
	w, err := world.New()
	require.NoError(t, err)
	seeded := len(w.Pages(world.NetworkTelegram))
	for i := range n {
		require.NoError(t, w.AddPage(channel(i)))
	}
	require.Equal(t, seeded+n, len(w.Pages(world.NetworkTelegram)))

	dup := channel(n)
	dup.Username = "CHAN4321"
	assert.ErrorIs(t, w.AddPage(dup), world.ErrDuplicate, "a taken username, in another case")
	dup.Username = "minsvyaz29"
	assert.ErrorIs(t, w.AddPage(dup), world.ErrDuplicate, "the seeded channel's username")
	other := channel(4321)
	other.ID = channel(n + 1).ID
	other.TestEnv = true
	assert.NoError(t, w.AddPage(other), "the test environment has its own usernames")
	vk := world.Page{Network: world.NetworkVK, ID: 4321, Kind: "page", Username: "chan4321", Title: "VK"}
	assert.NoError(t, w.AddPage(vk), "another network has its own usernames")
	same := channel(7)
	same.Title = "Переименован"
	assert.NoError(t, w.UpdatePage(same), "a page keeps its own username")
	same.Username = "Chan7"
	assert.NoError(t, w.UpdatePage(same), "a page may change the case of its own username")

	// Renaming frees the old username and takes the new one.
	renamed := channel(10)
	renamed.Username = "renamed10"
	require.NoError(t, w.UpdatePage(renamed))
	fresh := channel(n + 2)
	fresh.Username = "chan10"
	require.NoError(t, w.AddPage(fresh), "the old username is free after a rename")
	clash := channel(n + 3)
	clash.Username = "renamed10"
	assert.ErrorIs(t, w.AddPage(clash), world.ErrDuplicate, "the new username is taken")
	assert.ErrorIs(t, w.UpdatePage(func() world.Page { p := channel(11); p.Username = "RENAMED10"; return p }()), world.ErrDuplicate)
	assert.Equal(t, "chan11", mustPage(t, w, channel(11).ID).Username, "a refused update changes nothing")

	// ModifyPage renames too; a refused modification keeps the old name.
	require.NoError(t, w.ModifyPage(world.NetworkTelegram, channel(20).ID, func(p *world.Page) error { p.Username = "mod20"; return nil }))
	clash.Username = "chan20"
	require.NoError(t, w.AddPage(clash))
	assert.ErrorIs(t, w.ModifyPage(world.NetworkTelegram, channel(21).ID, func(p *world.Page) error { p.Username = "Mod20"; return nil }), world.ErrDuplicate)
	assert.ErrorIs(t, w.AddPage(func() world.Page { p := channel(n + 4); p.Username = "chan21"; return p }()), world.ErrDuplicate)

	// Making a page private frees its username; removing a page frees it.
	require.NoError(t, w.ModifyPage(world.NetworkTelegram, channel(30).ID, func(p *world.Page) error { p.Username = ""; return nil }))
	require.NoError(t, w.AddPage(func() world.Page { p := channel(n + 5); p.Username = "chan30"; return p }()))
	require.NoError(t, w.RemovePage(world.NetworkTelegram, channel(40).ID))
	require.NoError(t, w.AddPage(func() world.Page { p := channel(n + 6); p.Username = "chan40"; return p }()))

	// Reset restores the seed: added usernames are free again, seeded ones
	// are taken.
	w.Reset()
	require.NoError(t, w.AddPage(channel(0)))
	dup.Username = "MINSVYAZ29"
	assert.ErrorIs(t, w.AddPage(dup), world.ErrDuplicate)

	// Import replaces the index with the scenario's usernames.
	sc := world.DefaultScenario()
	sc.Pages = sc.Pages[:0]
	for i := range n {
		sc.Pages = append(sc.Pages, channel(i))
	}
	require.NoError(t, w.Import(sc))
	assert.NoError(t, w.AddPage(func() world.Page { p := channel(n); p.Username = "minsvyaz29"; return p }()), "the default channel is gone")
	assert.ErrorIs(t, w.AddPage(func() world.Page { p := channel(n + 1); p.Username = "chan99"; return p }()), world.ErrDuplicate)
	sc.Pages = append(sc.Pages, func() world.Page { p := channel(n + 7); p.Username = "Chan5"; return p }())
	assert.ErrorIs(t, w.Import(sc), world.ErrDuplicate, "an imported scenario with a duplicate username is refused")
	assert.ErrorIs(t, sc.Validate(), world.ErrDuplicate)
}

func mustPage(t *testing.T, w *world.World, id int64) world.Page {
	t.Helper()
	p, err := w.Page(world.NetworkTelegram, id)
	require.NoError(t, err)
	return p
}

// BenchmarkAddPage adds pages to an empty world and to one of 20 000
// pages: AddPage must not scan every page, so the two cost about the same
// (compare the sub-benchmarks' ns/op in one run).
func BenchmarkAddPage(b *testing.B) {
	for _, n := range []int{0, 20000} {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			sc := world.Scenario{Version: world.ScenarioVersion}
			for i := range n {
				sc.Pages = append(sc.Pages, channel(i))
			}
			w, err := world.New(world.WithScenario(sc))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			i := n
			for b.Loop() {
				if err := w.AddPage(channel(i)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkSeedChannels(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				w, err := world.New(world.WithEmptyScenario())
				if err != nil {
					b.Fatal(err)
				}
				for i := range n {
					if err := w.AddPage(channel(i)); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
