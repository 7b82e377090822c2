package world_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/world"
)

// person returns a person numbered i with a phone, an e-mail, a SNILS and
// a Telegram account of its own.
func person(i int) world.Person {
	return world.Person{
		OID: 2000000000 + int64(i), LastName: "Иванов", FirstName: fmt.Sprint(i),
		Phone:    fmt.Sprintf("+7(901)%07d", i),
		Email:    fmt.Sprintf("user%d@example.ru", i),
		SNILS:    world.NewSNILS(int64(100000 + i)),
		Accounts: map[string]world.Account{world.NetworkTelegram: {UserID: 6000000000 + int64(i)}},
	}
}

// TestLoginsStayUniqueAtScale seeds 5 000 people and checks that each
// login is still refused when taken (a phone or SNILS in another spelling,
// an e-mail in another case, a Telegram id), that an update frees the old
// values and that reset and import rebuild the index.
func TestLoginsStayUniqueAtScale(t *testing.T) {
	t.Parallel()
	const n = 5000
	w, err := world.New()
	require.NoError(t, err)
	for i := range n {
		require.NoError(t, w.AddPerson(person(i)))
	}
	require.Len(t, w.People(), n+len(world.DefaultScenario().People))

	taken := person(1234)
	dup := func(f func(p *world.Person)) world.Person {
		p := person(n)
		f(&p)
		return p
	}
	for name, p := range map[string]world.Person{
		"phone, 8 and separators": dup(func(p *world.Person) { p.Phone = "8 901 000-12-34" }),
		"phone, bare 10 digits":   dup(func(p *world.Person) { p.Phone = "9010001234" }),
		"SNILS, bare digits":      dup(func(p *world.Person) { p.SNILS = world.NormalizeSNILS(taken.SNILS) }),
		"e-mail, another case":    dup(func(p *world.Person) { p.Email = "USER1234@Example.RU" }),
		"telegram id":             dup(func(p *world.Person) { p.Accounts = taken.Accounts }),
		"seeded phone":            dup(func(p *world.Person) { p.Phone = "+7(900)1234567" }),
	} {
		assert.ErrorIs(t, w.AddPerson(p), world.ErrDuplicate, name)
	}
	assert.NoError(t, w.AddPerson(person(n)), "a person with logins of its own")

	// A person keeps its own logins on update, in any spelling.
	same := person(7)
	same.Phone, same.Email = "89010000007", "User7@EXAMPLE.ru"
	require.NoError(t, w.UpdatePerson(same))

	// An update frees the old values and takes the new ones.
	moved := person(10)
	moved.Phone, moved.Email, moved.SNILS = "+7(902)0000010", "moved10@example.ru", world.NewSNILS(900010)
	moved.Accounts = map[string]world.Account{world.NetworkTelegram: {UserID: 6900000010}}
	require.NoError(t, w.UpdatePerson(moved))
	reuse := person(10)
	reuse.OID = person(n + 1).OID
	require.NoError(t, w.AddPerson(reuse), "the old logins are free after an update")
	assert.ErrorIs(t, w.UpdatePerson(func() world.Person { p := person(11); p.Email = "MOVED10@example.ru"; return p }()), world.ErrDuplicate)
	p11, err := w.Person(person(11).OID)
	require.NoError(t, err)
	assert.Equal(t, person(11).Email, p11.Email, "a refused update changes nothing")
	got, err := w.PersonByLogin("8 (902) 000-00-10")
	require.NoError(t, err)
	assert.Equal(t, moved.OID, got.OID)
	got, err = w.PersonByLogin("MOVED10@example.ru")
	require.NoError(t, err)
	assert.Equal(t, moved.OID, got.OID)
	got, err = w.PersonByLogin(world.NormalizeSNILS(moved.SNILS))
	require.NoError(t, err)
	assert.Equal(t, moved.OID, got.OID)
	got, err = w.PersonByAccount(world.NetworkTelegram, 6900000010)
	require.NoError(t, err)
	assert.Equal(t, moved.OID, got.OID)
	_, err = w.PersonByAccount(world.NetworkTelegram, person(10).Accounts[world.NetworkTelegram].UserID)
	require.NoError(t, err, "the reused Telegram id belongs to the new person")
	_, err = w.PersonByAccount(world.NetworkVK, 6900000010)
	assert.ErrorIs(t, err, world.ErrNotFound, "user ids are per network")
	vk := person(n + 3)
	vk.Accounts = map[string]world.Account{world.NetworkVK: {UserID: 6900000010}}
	require.NoError(t, w.AddPerson(vk), "the same user id on another network is another account")

	// Dropping a login frees it.
	bare := person(20)
	bare.Email, bare.Phone = "", ""
	require.NoError(t, w.UpdatePerson(bare))
	require.NoError(t, w.AddPerson(func() world.Person {
		p := person(n + 2)
		p.Email, p.Phone = person(20).Email, person(20).Phone
		return p
	}()))

	// Reset restores the seed's logins and frees the added ones.
	w.Reset()
	require.NoError(t, w.AddPerson(person(0)))
	assert.ErrorIs(t, w.AddPerson(dup(func(p *world.Person) { p.Phone = "+7(900)1234567" })), world.ErrDuplicate)

	// Import replaces the index with the scenario's people.
	sc := world.Scenario{Version: world.ScenarioVersion}
	for i := range n {
		sc.People = append(sc.People, person(i))
	}
	require.NoError(t, w.Import(sc))
	assert.NoError(t, w.AddPerson(dup(func(p *world.Person) { p.Phone = "+7(900)1234567" })), "the seeded person is gone")
	assert.ErrorIs(t, w.AddPerson(dup(func(p *world.Person) { p.Phone, p.OID = "+7(901)0000099", 1 })), world.ErrDuplicate)
	sc.People = append(sc.People, dup(func(p *world.Person) { p.OID, p.SNILS = 3, world.FormatSNILS(world.NormalizeSNILS(person(5).SNILS)) }))
	assert.ErrorIs(t, w.Import(sc), world.ErrDuplicate, "an imported scenario with a duplicate login is refused")
}

// TestAddPersonCostDoesNotGrow checks that the login checks are not scans
// of every person: adding people to a world of 20 000 costs about as much
// as adding them to an empty one (best of three runs, so a GC pause does
// not decide).
func TestAddPersonCostDoesNotGrow(t *testing.T) {
	t.Parallel()
	const big, batch = 20000, 500
	best := func(w func() *world.World, from int) time.Duration {
		var d time.Duration
		for r := range 3 {
			ww := w()
			t0 := time.Now()
			for i := range batch {
				k := from + r*batch + i
				require.NoError(t, ww.AddPerson(person(k)))
			}
			if el := time.Since(t0); r == 0 || el < d {
				d = el
			}
		}
		return d
	}
	empty := best(func() *world.World {
		w, err := world.New(world.WithEmptyScenario())
		require.NoError(t, err)
		return w
	}, 0)
	sc := world.Scenario{Version: world.ScenarioVersion}
	for i := range big {
		sc.People = append(sc.People, person(i))
	}
	var w *world.World
	full := best(func() *world.World {
		if w == nil {
			var err error
			w, err = world.New(world.WithScenario(sc))
			require.NoError(t, err)
		}
		return w
	}, big)
	t.Logf("%d AddPerson calls: %v into an empty world, %v into %d people", batch, empty, full, big)
	assert.Less(t, full, 10*empty+5*time.Millisecond, "AddPerson must not scan every person")
}

func BenchmarkSeedPeople(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				w, err := world.New(world.WithEmptyScenario())
				if err != nil {
					b.Fatal(err)
				}
				for i := range n {
					if err := w.AddPerson(person(i)); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
