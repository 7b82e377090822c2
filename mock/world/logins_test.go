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
		Phone:          fmt.Sprintf("+7(901)%07d", i),
		Email:          fmt.Sprintf("user%d@example.ru", i),
		SNILS:          world.NewSNILS(int64(100000 + i)),
		TelegramUserID: 6000000000 + int64(i),
	}
}

// bot returns a Telegram bot numbered i with username seed<i>_bot.
func bot(i int) world.Bot {
	id := 8000000000 + int64(i)
	return world.Bot{Network: world.NetworkTelegram, ID: id, Token: world.NewBotToken(id, 1),
		Username: fmt.Sprintf("seed%d_bot", i), FirstName: "Bot"}
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
		"telegram id":             dup(func(p *world.Person) { p.TelegramUserID = taken.TelegramUserID }),
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
	moved.Phone, moved.Email, moved.SNILS, moved.TelegramUserID = "+7(902)0000010", "moved10@example.ru", world.NewSNILS(900010), 6900000010
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
	got, err = w.PersonByTelegramID(6900000010)
	require.NoError(t, err)
	assert.Equal(t, moved.OID, got.OID)
	_, err = w.PersonByTelegramID(person(10).TelegramUserID)
	require.NoError(t, err, "the reused Telegram id belongs to the new person")

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

// TestBotsStayUniqueAtScale seeds 5 000 bots and checks that a taken token,
// id or username (in any case, per environment) is refused and that a
// removed bot's values are free again.
func TestBotsStayUniqueAtScale(t *testing.T) {
	t.Parallel()
	const n = 5000
	w, err := world.New()
	require.NoError(t, err)
	for i := range n {
		require.NoError(t, w.AddBot(bot(i)))
	}
	require.Len(t, w.Bots(world.NetworkTelegram), n+len(world.DefaultScenario().Bots))

	assert.ErrorIs(t, w.AddBot(bot(77)), world.ErrDuplicate, "a taken token")
	sameID := bot(77)
	sameID.Token, sameID.Username = world.NewBotToken(sameID.ID, 2), "fresh77_bot"
	assert.ErrorIs(t, w.AddBot(sameID), world.ErrDuplicate, "a taken id")
	sameName := bot(n)
	sameName.Username = "SEED77_Bot"
	assert.ErrorIs(t, w.AddBot(sameName), world.ErrDuplicate, "a taken username in another case")
	seededName := bot(n)
	seededName.Username = world.DefaultScenario().Bots[0].Username
	assert.ErrorIs(t, w.AddBot(seededName), world.ErrDuplicate, "the seeded bot's username")
	testEnv := sameName
	testEnv.TestEnv, testEnv.Token = true, world.NewBotToken(testEnv.ID, 3)
	assert.NoError(t, w.AddBot(testEnv), "the test environment has its own ids and usernames")

	require.NoError(t, w.RemoveBot(bot(77).Token))
	assert.NoError(t, w.AddBot(sameName), "a removed bot's username is free")
	assert.NoError(t, w.AddBot(sameID), "a removed bot's id is free")
	assert.ErrorIs(t, w.AddBot(bot(77)), world.ErrDuplicate, "the id is taken again")

	w.Reset()
	require.NoError(t, w.AddBot(bot(77)), "reset frees the added bots")
	sc := world.Scenario{Version: world.ScenarioVersion}
	for i := range n {
		sc.Bots = append(sc.Bots, bot(i))
	}
	require.NoError(t, w.Import(sc))
	assert.NoError(t, w.AddBot(seededName), "import drops the seeded bots")
	assert.ErrorIs(t, w.AddBot(sameName), world.ErrDuplicate)
	sc.Bots = append(sc.Bots, sameName)
	assert.ErrorIs(t, w.Import(sc), world.ErrDuplicate, "an imported scenario with a duplicate username is refused")
	assert.ErrorIs(t, sc.Validate(), world.ErrDuplicate)
}

// TestAddPersonAndBotCostDoesNotGrow checks that the login and bot checks
// are not scans of every entity: adding people and bots to a world of
// 20 000 of each costs about as much as adding them to an empty one (best
// of three runs, so a GC pause does not decide).
func TestAddPersonAndBotCostDoesNotGrow(t *testing.T) {
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
				require.NoError(t, ww.AddBot(bot(k)))
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
		sc.Bots = append(sc.Bots, bot(i))
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
	t.Logf("%d AddPerson+AddBot calls: %v into an empty world, %v into %d people and bots", batch, empty, full, big)
	assert.Less(t, full, 10*empty+5*time.Millisecond, "AddPerson and AddBot must not scan every entity")
}

func BenchmarkSeedPeopleAndBots(b *testing.B) {
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
					if err := w.AddBot(bot(i)); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
