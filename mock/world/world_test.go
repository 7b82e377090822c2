package world_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/world"
)

func TestIdentifierChecksums(t *testing.T) {
	// Real, published identifiers (Минцифры, Ростелеком) and a real ESIA test user.
	assert.True(t, world.ValidOGRN("1047702026701"))
	assert.True(t, world.ValidOGRN("1027700198767"))
	assert.False(t, world.ValidOGRN("1163123077777"))
	assert.True(t, world.ValidINN("7710474375"))
	assert.True(t, world.ValidINN("7707049388"))
	assert.True(t, world.ValidINN("585204118212"))
	assert.False(t, world.ValidINN("7710474376"))
	assert.True(t, world.ValidSNILS("000-000-600 06"))
	assert.True(t, world.ValidSNILS("112-233-445 95"))
	assert.False(t, world.ValidSNILS("112-233-445 96"))
	for seed := int64(0); seed < 2000; seed++ {
		o, i10, i12, s := world.NewOGRN(seed), world.NewLegalINN(seed), world.NewPersonINN(seed), world.NewSNILS(seed)
		require.True(t, world.ValidOGRN(o), o)
		require.True(t, world.ValidINN(i10) && len(i10) == 10, i10)
		require.True(t, world.ValidINN(i12) && len(i12) == 12, i12)
		require.True(t, world.ValidSNILS(s), s)
		require.Regexp(t, `^\d{3}-\d{3}-\d{3} \d{2}$`, s)
	}
	assert.Equal(t, world.NewOGRN(5), world.NewOGRN(5), "deterministic")
	assert.Equal(t, "+7(900)1234567", world.FormatPhone("8 900 123-45-67"))
	assert.Equal(t, "000-000-600 06", world.FormatSNILS("00000060006"))
}

func FuzzValidators(f *testing.F) {
	f.Add("1047702026701")
	f.Add("000-000-600 06")
	f.Add("+7(900)1234567")
	f.Fuzz(func(t *testing.T, s string) {
		_ = world.ValidOGRN(s)
		_ = world.ValidINN(s)
		_ = world.ValidSNILS(s)
		if n := world.NormalizePhone(s); n != "" && len(n) != 10 {
			t.Fatalf("phone %q", n)
		}
		_ = world.FormatSNILS(s)
	})
}

func TestDefaultScenario(t *testing.T) {
	sc := world.DefaultScenario()
	require.NoError(t, sc.Validate())
	w, err := world.New()
	require.NoError(t, err)
	min, err := w.Organization(world.DefaultMinistryOID)
	require.NoError(t, err)
	assert.Equal(t, world.OrgAgency, min.Type)
	assert.Equal(t, world.AgencyRegional, min.AgencyType)
	sub, err := w.Organization(world.DefaultSubordinateOID)
	require.NoError(t, err)
	assert.Equal(t, world.DefaultMinistryOID, sub.ParentOID)
	emps := w.Employees(world.DefaultMinistryOID)
	require.Len(t, emps, 2)
	assert.True(t, emps[0].Chief && emps[0].Admin)
	assert.Contains(t, emps[0].Groups, world.GroupCabinetInstitution)
	assert.False(t, emps[1].Chief || emps[1].Admin)
	assert.Equal(t, world.AgencyGovernment, sub.AgencyType, "a regional subordinate is a state institution")
	municipal, err := w.SubordinateOfMunicipal(world.DefaultSubordinateOID)
	require.NoError(t, err)
	assert.False(t, municipal)
	pages := w.PagesOf(world.DefaultMinistryOID)
	require.Len(t, pages, 4)
	vk, err := w.Page(world.NetworkVK, world.DefaultVKGroupID)
	require.NoError(t, err)
	assert.Equal(t, world.DefaultChiefOID, vk.Owner())
	assert.Equal(t, world.GovNone, vk.Gov.Status)
}

func TestEntitiesAreCopies(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	e, err := w.Employee(world.DefaultMinistryOID, world.DefaultChiefOID)
	require.NoError(t, err)
	e.Groups[0] = "mutated"
	e2, _ := w.Employee(world.DefaultMinistryOID, world.DefaultChiefOID)
	assert.Equal(t, world.GroupCabinetInstitution, e2.Groups[0])
	p, _ := w.Page("telegram", world.DefaultChannelID)
	p.Admins[0].Role = "x"
	p2, _ := w.Page("telegram", world.DefaultChannelID)
	assert.Equal(t, world.RoleCreator, p2.Admins[0].Role)
	pe, _ := w.Person(world.DefaultChiefOID)
	pe.Accounts[world.NetworkVK] = world.Account{UserID: 1}
	pe2, _ := w.Person(world.DefaultChiefOID)
	assert.Equal(t, int64(800000001), pe2.Accounts[world.NetworkVK].UserID)
}

func TestCRUDErrors(t *testing.T) {
	w, err := world.New(world.WithEmptyScenario())
	require.NoError(t, err)
	p := world.Person{OID: 1, LastName: "Тест", FirstName: "Т", Phone: "+7(900)0000001", Email: "a@b.ru", SNILS: world.NewSNILS(1)}
	require.NoError(t, w.AddPerson(p))
	assert.ErrorIs(t, w.AddPerson(p), world.ErrDuplicate)
	p2 := p
	p2.OID = 2
	assert.ErrorIs(t, w.AddPerson(p2), world.ErrDuplicate, "same phone")
	_, err = w.Person(99)
	assert.ErrorIs(t, err, world.ErrNotFound)
	for _, login := range []string{"89000000001", "+7 900 000-00-01", "A@B.RU", world.NewSNILS(1), world.NormalizeSNILS(world.NewSNILS(1))} {
		got, err := w.PersonByLogin(login)
		require.NoError(t, err, login)
		assert.Equal(t, int64(1), got.OID)
	}
	assert.ErrorIs(t, w.AddPerson(world.Person{OID: 3, INN: "123"}), world.ErrInvalid)
	assert.ErrorIs(t, w.AddOrganization(world.Organization{OID: 5, FullName: "X", Type: world.OrgLegal, OGRN: "1163123077777"}), world.ErrInvalid)
	assert.ErrorIs(t, w.AddOrganization(world.Organization{OID: 5, FullName: "X", Type: world.OrgLegal, ParentOID: 77}), world.ErrNotFound)
	assert.ErrorIs(t, w.AddEmployee(world.Employee{PersonOID: 1, OrgOID: 5}), world.ErrNotFound)
	err = w.AddPerson(world.Person{OID: 4, SNILS: "112-233-445 96"})
	assert.EqualError(t, err, "person 4: snils: fails its checksum")
	var fe *world.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "snils", fe.Path)
	require.NoError(t, w.AddOrganization(world.Organization{OID: 5, FullName: "X", Type: world.OrgLegal}))
	require.NoError(t, w.AddEmployee(world.Employee{OrgOID: 5, PersonOID: 1, Active: true}))
	e, err := w.Employee(5, 1)
	require.NoError(t, err, "organisation first, person second")
	assert.True(t, e.Active)
	_, err = w.Employee(1, 5)
	assert.ErrorIs(t, err, world.ErrNotFound)
	require.NoError(t, w.RemoveEmployee(5, 1))
	assert.Empty(t, w.EmployeesOf(1))
}

func TestExportImportRoundTrip(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	sc := w.Export()
	data, err := json.Marshal(sc)
	require.NoError(t, err)
	parsed, err := world.ParseScenario(data)
	require.NoError(t, err)
	w2, err := world.New(world.WithScenario(parsed))
	require.NoError(t, err)
	data2, err := json.Marshal(w2.Export())
	require.NoError(t, err)
	assert.JSONEq(t, string(data), string(data2))
	want, _ := json.Marshal(func() world.Scenario { s := world.DefaultScenario(); return s }())
	var a, b world.Scenario
	require.NoError(t, json.Unmarshal(want, &a))
	require.NoError(t, json.Unmarshal(data, &b))
	assert.Equal(t, len(a.People), len(b.People))

	_, err = world.ParseScenario([]byte(`{"version":2,"people":[{"oid":1,"unknown":true}]}`))
	assert.ErrorIs(t, err, world.ErrInvalid)
	_, err = world.ParseScenario([]byte(`{"version":9}`))
	assert.ErrorIs(t, err, world.ErrInvalid)
	_, err = world.ParseScenario([]byte(`{"version":1,"people":[]}`))
	assert.ErrorIs(t, err, world.ErrInvalid)
	assert.ErrorContains(t, err, "version: version 1 scenarios are no longer read")
	_, err = world.ParseScenario([]byte(`{"people":[{"oid":1,"last_name":"A","first_name":"B","trusted":true,"telegram_user_id":5}]}`))
	assert.ErrorContains(t, err, `unknown field "telegram_user_id"`)
	assert.ErrorContains(t, err, "people[].accounts", "an unversioned version 1 file gets the hint")
}

func TestResetRestoresSeedAndRunsHooks(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	hooks := 0
	w.OnReset(func() { hooks++ })
	gen := w.Generation()
	require.NoError(t, w.RemovePage("telegram", world.DefaultChannelID))
	w.Journal.Record(world.Entry{Party: "x"})
	_, err = w.Faults.Add(world.Rule{Kind: world.FaultDropBefore})
	require.NoError(t, err)
	w.Reset()
	_, err = w.Page("telegram", world.DefaultChannelID)
	assert.NoError(t, err)
	assert.Zero(t, w.Journal.Count("", ""))
	assert.Empty(t, w.Faults.List())
	assert.Equal(t, 1, hooks)
	assert.NotEqual(t, gen, w.Generation())
}

func TestClock(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := world.NewClock(start)
	assert.Equal(t, start, c.Now())
	c.Advance(time.Hour)
	assert.Equal(t, start.Add(time.Hour), c.Now())
	c.Unfreeze()
	assert.WithinDuration(t, start.Add(time.Hour), c.Now(), time.Second)
	c.Set(start)
	assert.WithinDuration(t, start, c.Now(), time.Second)
	real := world.NewClock(time.Time{})
	assert.WithinDuration(t, time.Now(), real.Now(), time.Second)
	real.Advance(24 * time.Hour)
	assert.WithinDuration(t, time.Now().Add(24*time.Hour), real.Now(), time.Second)
	real.Freeze()
	assert.True(t, real.Frozen())
}

func TestJournalAwaitAndFilters(t *testing.T) {
	j := world.NewJournal(10)
	waiting := make(chan struct{}, 4)
	world.SetAwaitHook(j, func() { waiting <- struct{}{} })
	awaitWaiting := func() {
		t.Helper()
		select {
		case <-waiting:
		case <-time.After(5 * time.Second):
			t.Fatal("Await never waited")
		}
	}
	seq := j.Seq()
	var wg sync.WaitGroup
	wg.Add(1)
	var got world.Entry
	go func() {
		defer wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var err error
		got, err = j.Await(ctx, world.Filter{Party: "telegram", Method: "SendMessage", AfterSeq: seq})
		assert.NoError(t, err)
	}()
	awaitWaiting()
	j.Record(world.Entry{Party: "telegram", Method: "getme"})
	awaitWaiting() // woken by an entry that does not match, it waits again
	j.Record(world.Entry{Party: "telegram", Method: "sendmessage", Params: map[string]string{"text": "x"}, Tenant: "a"})
	wg.Wait()
	assert.Equal(t, "x", got.Params["text"])
	assert.Equal(t, uint64(2), got.Seq)
	ctx, cancel := context.WithCancel(context.Background())
	world.SetAwaitHook(j, cancel) // cancelled once it waits
	_, err := j.Await(ctx, world.Filter{Method: "never"})
	assert.True(t, errors.Is(err, context.Canceled))
	world.SetAwaitHook(j, nil)
	for i := 0; i < 20; i++ {
		j.Record(world.Entry{Party: "p", Tenant: "b"})
	}
	assert.LessOrEqual(t, len(j.Entries(world.Filter{})), 10, "bounded")
	j.ResetTenant("b")
	assert.Zero(t, j.Count("p", ""))
	assert.Equal(t, "7000000001~", world.Fingerprint("7000000001:MOCKabc")[:11])
	assert.NotContains(t, world.Fingerprint("secret"), "secret")
}

func TestFaultRules(t *testing.T) {
	f := world.NewFaults()
	_, err := f.Add(world.Rule{Kind: "bogus"})
	assert.ErrorIs(t, err, world.ErrInvalidRule)
	_, err = f.Add(world.Rule{Kind: world.FaultError})
	assert.ErrorIs(t, err, world.ErrInvalidRule, "error rules need a code")
	id, err := f.Add(world.Rule{Party: "telegram", Method: "*", Kind: world.FaultError, Code: 500, Nth: 2, Tenant: "t1"})
	require.NoError(t, err)
	assert.Nil(t, f.Match("telegram", "getMe", "t1"))
	assert.Nil(t, f.Match("telegram", "getMe", "t2"), "other tenant does not count")
	hit := f.Match("telegram", "getMe", "t1")
	require.NotNil(t, hit)
	assert.Equal(t, 2, hit.Call)
	assert.Nil(t, f.Match("telegram", "getMe", "t1"))
	assert.Nil(t, f.Match("esia", "getMe", "t1"))
	assert.True(t, f.Remove(id))
	assert.False(t, f.Remove(id))
}

func TestClockAfter(t *testing.T) {
	c := world.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ch := c.After(24 * time.Hour)
	select {
	case <-ch:
		t.Fatal("fired early")
	default:
	}
	c.Advance(23 * time.Hour)
	select {
	case <-ch:
		t.Fatal("fired early")
	default:
	}
	c.Advance(time.Hour)
	select {
	case at := <-ch:
		assert.Equal(t, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), at)
	default:
		t.Fatal("did not fire on Advance")
	}
	running := world.NewClock(time.Time{})
	select {
	case <-running.After(30 * time.Millisecond):
	case <-time.After(2 * time.Second):
		t.Fatal("did not fire in real time")
	}
	<-running.After(0)
}

func FuzzParseScenario(f *testing.F) {
	data, _ := json.Marshal(world.DefaultScenario())
	f.Add(data)
	f.Add([]byte(`{"version":2,"pages":[{"network":"telegram","id":-1,"kind":"channel","title":"t","admins":[{"person_oid":5,"role":"creator"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := world.ParseScenario(data)
		if err != nil {
			return
		}
		w, err := world.New(world.WithScenario(sc))
		if len(sc.Sections) > 0 {
			if !errors.Is(err, world.ErrInvalid) {
				t.Fatalf("a section no party owns: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("validated scenario refused: %v", err)
		}
		w.Reset()
		_ = w.Export()
	})
}
