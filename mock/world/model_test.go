package world_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/mock/world"
)

// notes is a minimal party section: a list of notes, each about a person
// of the world.
type notes struct {
	items []note
}

type note struct {
	PersonOID int64  `json:"person_oid"`
	Text      string `json:"text"`
	Secret    string `json:"secret,omitempty"`
}

type notesJSON struct {
	Notes []note `json:"notes"`
}

func (n *notes) Name() string { return "notes" }

func (n *notes) Default() json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"notes":[{"person_oid":%d,"text":"chief","secret":"s3"}]}`, world.DefaultChiefOID))
}

func decodeNotes(raw json.RawMessage) ([]note, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var v notesJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return nil, world.Fieldf(world.ErrInvalid, "", "%v", err)
	}
	return v.Notes, nil
}

func (n *notes) Validate(raw json.RawMessage, shared world.Lookup) error {
	items, err := decodeNotes(raw)
	if err != nil {
		return err
	}
	for i, it := range items {
		if it.Text == "" {
			return world.Fieldf(world.ErrInvalid, world.Index("notes", i)+".text", "is empty")
		}
		if _, err := shared.Person(it.PersonOID); err != nil {
			return world.Fieldf(world.ErrNotFound, world.Index("notes", i)+".person_oid", "no person %d", it.PersonOID)
		}
	}
	return nil
}

func (n *notes) Import(raw json.RawMessage) error {
	items, err := decodeNotes(raw)
	n.items = items
	return err
}

func (n *notes) Seed(raw json.RawMessage, shared world.Lookup) error {
	if err := n.Validate(raw, shared); err != nil {
		return err
	}
	items, _ := decodeNotes(raw)
	n.items = append(n.items, items...)
	return nil
}

func (n *notes) Export(secrets bool) (json.RawMessage, error) {
	if len(n.items) == 0 {
		return nil, nil
	}
	items := append([]note(nil), n.items...)
	if !secrets {
		for i := range items {
			items[i].Secret = ""
		}
	}
	return json.Marshal(notesJSON{Notes: items})
}

func TestSectionsTravelWithTheWorld(t *testing.T) {
	sec := &notes{}
	w, err := world.New(world.WithSections(sec))
	require.NoError(t, err)
	assert.Equal(t, []string{"notes"}, w.SectionNames())
	assert.Same(t, world.Section(sec), w.Section("notes"))
	require.Len(t, sec.items, 1, "a default world seeds the section's default")

	// Export puts the section under its own top-level key.
	data, err := json.Marshal(w.Export())
	require.NoError(t, err)
	var top map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &top))
	assert.JSONEq(t, string(sec.Default()), string(top["notes"]))
	redacted, err := json.Marshal(w.Export(world.WithoutSecrets()))
	require.NoError(t, err)
	assert.NotContains(t, string(redacted), "s3")
	assert.NotContains(t, string(redacted), "Sandbox-Passw0rd")
	assert.Contains(t, string(data), "Sandbox-Passw0rd", "a full export keeps secrets so it imports back")

	// A scenario round-trips through JSON with its section.
	sc, err := world.ParseScenario(data)
	require.NoError(t, err)
	assert.Contains(t, sc.Sections, "notes")

	// Validation errors name the section and the field.
	bad := sc
	bad.Sections = map[string]json.RawMessage{"notes": json.RawMessage(`{"notes":[{"person_oid":1,"text":"x"}]}`)}
	err = w.Import(bad)
	require.Error(t, err)
	assert.ErrorIs(t, err, world.ErrNotFound)
	assert.EqualError(t, err, "notes.notes[0].person_oid: no person 1")
	require.Len(t, sec.items, 1, "a refused import changes nothing")
	bad.Sections = map[string]json.RawMessage{"notes": json.RawMessage(`{"notes":[{"person_oid":1,"text":"x","zz":1}]}`)}
	assert.ErrorContains(t, w.Import(bad), `notes: json: unknown field "zz"`)
	bad.Sections = map[string]json.RawMessage{"vk": json.RawMessage(`{}`)}
	assert.EqualError(t, w.Import(bad), `vk: no party of this world owns a section "vk" (sections: notes)`)

	// Import without the section empties it; Reset restores the import.
	empty := sc
	empty.Sections = nil
	require.NoError(t, w.Import(empty))
	assert.Empty(t, sec.items)
	require.NoError(t, w.Import(sc))
	sec.items = nil
	w.Reset()
	assert.Len(t, sec.items, 1)

	// Seed adds to the section, refusing by path.
	require.NoError(t, w.Seed(world.Scenario{Sections: map[string]json.RawMessage{
		"notes": json.RawMessage(fmt.Sprintf(`{"notes":[{"person_oid":%d,"text":"second"}]}`, world.DefaultEmployeeOID))}}))
	assert.Len(t, sec.items, 2)
	err = w.Seed(world.Scenario{Sections: map[string]json.RawMessage{"notes": json.RawMessage(`{"notes":[{"person_oid":1,"text":""}]}`)}})
	assert.EqualError(t, err, "notes.notes[0].text: is empty")
	err = w.Seed(world.Scenario{People: []world.Person{{OID: world.DefaultChiefOID, LastName: "A", FirstName: "B"}}})
	assert.ErrorIs(t, err, world.ErrDuplicate)
	assert.ErrorContains(t, err, "people[0]")

	// A name is registered once; shared keys are not section names.
	assert.ErrorIs(t, w.Register(&notes{}), world.ErrDuplicate)
	assert.ErrorIs(t, w.Register(named{"people"}), world.ErrInvalid)
}

// named is a notes section under another name.
type named struct{ name string }

func (n named) Name() string                                 { return n.name }
func (n named) Default() json.RawMessage                     { return nil }
func (n named) Validate(json.RawMessage, world.Lookup) error { return nil }
func (n named) Import(json.RawMessage) error                 { return nil }
func (n named) Seed(json.RawMessage, world.Lookup) error     { return nil }
func (n named) Export(bool) (json.RawMessage, error)         { return nil, nil }

func TestLateRegisterSeedsDefaultOnlyInADefaultWorld(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	sec := &notes{}
	require.NoError(t, w.Register(sec))
	assert.Len(t, sec.items, 1)
	sec.items = nil
	w.Reset()
	assert.Len(t, sec.items, 1, "the default joins what Reset restores")

	e, err := world.New(world.WithEmptyScenario())
	require.NoError(t, err)
	sec2 := &notes{items: []note{{Text: "stale"}}}
	require.NoError(t, e.Register(sec2))
	assert.Empty(t, sec2.items, "a non-default world starts the section empty")

	d, err := world.New()
	require.NoError(t, err)
	require.NoError(t, d.Import(world.Scenario{}))
	sec3 := &notes{}
	require.NoError(t, d.Register(sec3))
	assert.Empty(t, sec3.items, "after an import the world is no longer the default one")

	_, err = world.New(world.WithScenario(world.Scenario{Sections: map[string]json.RawMessage{"notes": json.RawMessage(`{}`)}}))
	assert.ErrorContains(t, err, `no party of this world owns a section "notes" (sections: none)`)
}

func TestScenarioErrorsNameTheField(t *testing.T) {
	base := func() world.Scenario { return withoutRegion(world.DefaultScenario()) }
	for name, tc := range map[string]struct {
		mutate func(*world.Scenario)
		want   string
		kind   error
	}{
		"person snils": {func(sc *world.Scenario) { sc.People[1].SNILS = "112-233-445 96" }, "people[1].snils: fails its checksum", world.ErrInvalid},
		"account network": {func(sc *world.Scenario) { sc.People[0].Accounts["max"] = world.Account{UserID: 1} },
			"people[0].accounts.max: unknown network (known: telegram, vk, ok)", world.ErrInvalid},
		"account id": {func(sc *world.Scenario) { sc.People[0].Accounts["vk"] = world.Account{} }, "people[0].accounts.vk.user_id: must be positive", world.ErrInvalid},
		"account taken": {func(sc *world.Scenario) { sc.People[1].Accounts["ok"] = sc.People[0].Accounts["ok"] },
			"people[1]: world: duplicate: login or account of person 1000000102 already used by person 1000000101", world.ErrDuplicate},
		"invented agency code": {func(sc *world.Scenario) { sc.Organizations[1].AgencyType = "21.REG" },
			"organizations[1].agency_type: unknown ESIA agency type (known: 10.FED, 11.REG, 12.LCL, 13.PVD, 20.GOV, 21.MCL, 30.FND, 31.PFN, 40.MFC, 41.LEG)", world.ErrInvalid},
		"agency type of a company": {func(sc *world.Scenario) { sc.Organizations[1].Type = world.OrgLegal },
			"organizations[1].agency_type: only an AGENCY has an agency type", world.ErrInvalid},
		"parent cycle": {func(sc *world.Scenario) { sc.Organizations[0].ParentOID = world.DefaultSubordinateOID },
			"organizations[0].parent_oid: makes the parent chain a cycle", world.ErrInvalid},
		"employee org": {func(sc *world.Scenario) { sc.Employees[0].OrgOID = 5 }, "employees[0].org_oid: no organization 5", world.ErrNotFound},
		"role of another network": {func(sc *world.Scenario) { sc.Pages[0].Admins[0].Role = world.RoleEditor },
			`pages[0].admins[0].role: "editor" is not a telegram role (known: creator, administrator)`, world.ErrInvalid},
		"ok role on vk": {func(sc *world.Scenario) {
			sc.Pages[0].Network, sc.Pages[0].Kind, sc.Pages[0].ID = world.NetworkVK, world.PageGroup, 1
			sc.Pages[0].Admins[0].Role = world.OKRoleAnalyst
		}, `pages[0].admins[0].role: "ANALYST" is not a vk role (known: creator, administrator, editor, moderator, advertiser)`, world.ErrInvalid},
		"two creators": {func(sc *world.Scenario) {
			sc.Pages[0].Admins = append(sc.Pages[0].Admins, world.PageAdmin{PersonOID: world.DefaultEmployeeOID, Role: world.RoleCreator})
		},
			"pages[0].admins: more than one creator", world.ErrInvalid},
		"kind": {func(sc *world.Scenario) { sc.Pages[2].Kind = world.PagePublic }, "pages[2].kind: a telegram page is channel, supergroup, group", world.ErrInvalid},
		"gov on telegram": {func(sc *world.Scenario) {
			sc.Pages[0].Gov = world.GovMark{Status: world.GovConfirmed, Since: time.Unix(1, 0)}
		}, "pages[0].gov.status: only VK and OK pages carry a «Госорганизация» mark", world.ErrInvalid},
		"admin person": {func(sc *world.Scenario) { sc.Pages[1].Admins[0].PersonOID = 9 }, "pages[1].admins[0].person_oid: no person 9", world.ErrNotFound},
		"version":      {func(sc *world.Scenario) { sc.Version = 1 }, "version: " + "version 1 scenarios are no longer read", world.ErrInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			sc := base()
			tc.mutate(&sc)
			err := sc.Validate()
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.kind)
			assert.Contains(t, err.Error(), tc.want)
			var fe *world.FieldError
			assert.True(t, errors.As(err, &fe), "a *FieldError")
		})
	}
}

func TestOrganizationsAndMunicipalChain(t *testing.T) {
	w, err := world.New(world.WithEmptyScenario())
	require.NoError(t, err)
	add := func(oid, parent int64, agency string) {
		t.Helper()
		require.NoError(t, w.AddOrganization(world.Organization{OID: oid, FullName: fmt.Sprint(oid), Type: world.OrgAgency, AgencyType: agency, ParentOID: parent}))
	}
	add(1, 0, world.AgencyRegional)
	add(2, 1, world.AgencyGovernment)
	add(3, 0, world.AgencyLocal)
	add(4, 3, world.AgencyMunicipal)
	add(5, 4, world.AgencyMunicipal) // a subordinate of a subordinate
	for oid, want := range map[int64]bool{1: false, 2: false, 3: false, 4: true, 5: true} {
		got, err := w.SubordinateOfMunicipal(oid)
		require.NoError(t, err)
		assert.Equal(t, want, got, "org %d", oid)
	}
	sup, err := w.Superiors(5)
	require.NoError(t, err)
	require.Len(t, sup, 2)
	assert.Equal(t, []int64{4, 3}, []int64{sup[0].OID, sup[1].OID})
	_, err = w.SubordinateOfMunicipal(99)
	assert.ErrorIs(t, err, world.ErrNotFound)
	oids := func(os []world.Organization) (out []int64) {
		for _, o := range os {
			out = append(out, o.OID)
		}
		return out
	}
	sub, err := w.Subordinates(3)
	require.NoError(t, err)
	assert.Equal(t, []int64{4, 5}, oids(sub), "transitive, sorted")
	sub, err = w.Subordinates(1)
	require.NoError(t, err)
	assert.Equal(t, []int64{2}, oids(sub), "another body's subordinates are not included")
	sub, err = w.Subordinates(5)
	require.NoError(t, err)
	assert.Empty(t, sub)
	_, err = w.Subordinates(99)
	assert.ErrorIs(t, err, world.ErrNotFound)
	// Moving the chain under a regional body changes the derived answer.
	o4, _ := w.Organization(4)
	o4.ParentOID, o4.AgencyType = 1, world.AgencyGovernment
	require.NoError(t, w.UpdateOrganization(o4))
	got, _ := w.SubordinateOfMunicipal(5)
	assert.False(t, got)
	o1, _ := w.Organization(1)
	o1.ParentOID = 5
	assert.ErrorContains(t, w.UpdateOrganization(o1), "parent_oid: makes the parent chain a cycle")
}

func TestAccountsArePerNetwork(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	chief, err := w.PersonByAccount(world.NetworkVK, 800000001)
	require.NoError(t, err)
	assert.Equal(t, world.DefaultChiefOID, chief.OID)
	tg, _ := chief.Account(world.NetworkTelegram)
	ok, _ := chief.Account(world.NetworkOK)
	assert.True(t, tg.TwoFactor)
	assert.False(t, ok.TwoFactor, "each network account has its own two-factor flag")
	_, has := chief.Account("max")
	assert.False(t, has)
}

// govPage returns a VK page in a state.
func govPage(id int64, g world.GovMark) world.Page {
	return world.Page{Network: world.NetworkVK, ID: id, Kind: world.PageGroup, Title: "Администрация",
		OwnerOrgOID: world.DefaultMinistryOID, Admins: []world.PageAdmin{{PersonOID: world.DefaultChiefOID, Role: world.RoleCreator}},
		Gov: g}
}

func TestGovMarkTransitions(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	seeded := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	states := map[world.GovStatus]world.GovMark{
		world.GovNone:        {},
		world.GovUnderReview: {Status: world.GovUnderReview, Since: seeded},
		world.GovConfirmed:   {Status: world.GovConfirmed, Since: seeded},
		world.GovRejected:    {Status: world.GovRejected, Since: seeded, Reasons: []string{"нет виджета ПОС"}},
		world.GovLost:        {Status: world.GovLost, Since: seeded},
	}
	type move struct {
		name string
		to   world.GovStatus
		do   func(w *world.World, id int64) (world.GovMark, error)
	}
	moves := []move{
		{"request", world.GovUnderReview, func(w *world.World, id int64) (world.GovMark, error) { return w.RequestGovMark(world.NetworkVK, id) }},
		{"confirm", world.GovConfirmed, func(w *world.World, id int64) (world.GovMark, error) { return w.ConfirmGovMark(world.NetworkVK, id) }},
		{"reject", world.GovRejected, func(w *world.World, id int64) (world.GovMark, error) {
			return w.RejectGovMark(world.NetworkVK, id, "нет адреса", "нет графика работы")
		}},
	}
	allowed := map[world.GovStatus][]world.GovStatus{
		world.GovNone:        {world.GovUnderReview},
		world.GovUnderReview: {world.GovConfirmed, world.GovRejected},
		world.GovConfirmed:   {},
		world.GovRejected:    {world.GovUnderReview},
		world.GovLost:        {world.GovUnderReview},
	}
	for from, mark := range states {
		for _, m := range moves {
			name := fmt.Sprintf("%s from %q", m.name, from)
			t.Run(name, func(t *testing.T) {
				w, err := world.New(world.WithFrozenClock(start))
				require.NoError(t, err)
				require.NoError(t, w.AddPage(govPage(1, mark)))
				got, err := m.do(w, 1)
				page, _ := w.Page(world.NetworkVK, 1)
				legal := false
				for _, to := range allowed[from] {
					legal = legal || to == m.to
				}
				if !legal {
					var te *world.GovTransitionError
					require.ErrorAs(t, err, &te)
					assert.ErrorIs(t, err, world.ErrGovTransition)
					assert.Equal(t, from, te.From)
					assert.Equal(t, m.to, te.To)
					assert.Equal(t, mark, page.Gov, "a refused transition changes nothing")
					return
				}
				require.NoError(t, err)
				assert.Equal(t, m.to, got.Status)
				assert.Equal(t, start, got.Since, "since is the world clock")
				assert.Equal(t, got, page.Gov)
				if m.to == world.GovRejected {
					assert.Equal(t, []string{"нет адреса", "нет графика работы"}, got.Reasons)
				} else {
					assert.Empty(t, got.Reasons)
				}
			})
		}
	}
}

func TestGovMarkLostOnNameOrOwnerChange(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	confirmed := world.GovMark{Status: world.GovConfirmed, Since: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	for name, tc := range map[string]struct {
		change func(p *world.Page)
		lost   bool
	}{
		"title":       {func(p *world.Page) { p.Title = "Новое имя" }, true},
		"owner org":   {func(p *world.Page) { p.OwnerOrgOID = world.DefaultSubordinateOID }, true},
		"creator":     {func(p *world.Page) { p.Admins[0].PersonOID = world.DefaultEmployeeOID }, true},
		"description": {func(p *world.Page) { p.Description = "другое описание" }, false},
		"new editor": {func(p *world.Page) {
			p.Admins = append(p.Admins, world.PageAdmin{PersonOID: world.DefaultEmployeeOID, Role: world.RoleEditor})
		}, false},
		"gov field ignored": {func(p *world.Page) { p.Gov = world.GovMark{} }, false},
	} {
		t.Run(name, func(t *testing.T) {
			w, err := world.New(world.WithFrozenClock(start))
			require.NoError(t, err)
			require.NoError(t, w.AddPage(govPage(7, confirmed)))
			require.NoError(t, w.ModifyPage(world.NetworkVK, 7, func(p *world.Page) error { tc.change(p); return nil }))
			p, _ := w.Page(world.NetworkVK, 7)
			if tc.lost {
				assert.Equal(t, world.GovMark{Status: world.GovLost, Since: start}, p.Gov)
			} else {
				assert.Equal(t, confirmed, p.Gov)
			}
			// UpdatePage follows the same rules.
			p.Title = "Ещё имя"
			require.NoError(t, w.UpdatePage(p))
			p, _ = w.Page(world.NetworkVK, 7)
			assert.NotEqual(t, world.GovConfirmed, p.Gov.Status)
		})
	}
	// Only VK and OK pages have the mark; a rejection needs reasons.
	w, err := world.New()
	require.NoError(t, err)
	_, err = w.RequestGovMark(world.NetworkTelegram, world.DefaultChannelID)
	assert.ErrorIs(t, err, world.ErrInvalid)
	_, err = w.RequestGovMark(world.NetworkOK, 404)
	assert.ErrorIs(t, err, world.ErrNotFound)
	require.NoError(t, w.AddPage(world.Page{Network: world.NetworkOK, ID: 5, Kind: world.PageGroup, Title: "ОК",
		Admins: []world.PageAdmin{{PersonOID: world.DefaultChiefOID, Role: world.OKRoleSuperModerator}}}))
	_, err = w.RequestGovMark(world.NetworkOK, 5)
	require.NoError(t, err)
	_, err = w.RejectGovMark(world.NetworkOK, 5)
	assert.ErrorIs(t, err, world.ErrInvalid)
	p, _ := w.Page(world.NetworkOK, 5)
	assert.Equal(t, world.GovUnderReview, p.Gov.Status)
}

func FuzzScenarioRoundTrip(f *testing.F) {
	def, _ := json.Marshal(world.DefaultScenario())
	f.Add(def)
	f.Add([]byte(`{"version":2,"telegram":{"bots":[]},"pages":[{"network":"vk","id":1,"kind":"group","title":"x","gov":{"status":"rejected","since":"2026-01-01T00:00:00Z","reasons":["r"]}}]}`))
	f.Add([]byte(`{"version":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := world.ParseScenario(data)
		if err != nil {
			return
		}
		again, err := json.Marshal(sc)
		if err != nil {
			t.Fatalf("a parsed scenario does not marshal: %v", err)
		}
		sc2, err := world.ParseScenario(again)
		if err != nil {
			t.Fatalf("a parsed scenario does not parse again: %v\n%s", err, again)
		}
		third, _ := json.Marshal(sc2)
		if !bytes.Equal(again, third) {
			t.Fatalf("round trip changed the scenario:\n%s\n%s", again, third)
		}
	})
}

// TestAgencyCodesAreESIAs keeps the world's agency codes equal to the esia
// client's, so a classifier written against either reads the other's
// organisations right.
func TestAgencyCodesAreESIAs(t *testing.T) {
	want := []string{
		string(esia.AgencyFederal), string(esia.AgencyRegional), string(esia.AgencyLocal),
		string(esia.AgencySubordinate), string(esia.AgencyGovernment), string(esia.AgencyMunicipal),
		string(esia.AgencyFund), string(esia.AgencyPensionFund), string(esia.AgencyMFC), string(esia.AgencyLegalServing),
	}
	assert.Equal(t, want, world.AgencyTypes())
	assert.Equal(t, string(esia.AgencyGovernment), world.AgencyGovernment)
	assert.Equal(t, string(esia.AgencyMunicipal), world.AgencyMunicipal)
}

func TestSectionOfRegistersOnceAndReturnsTheRegistered(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	made := 0
	newNotes := func() *notes { made++; return &notes{} }

	first, err := world.SectionOf(w, "notes", newNotes)
	require.NoError(t, err)
	assert.Same(t, world.Section(first), w.Section("notes"), "the new section is registered")
	assert.Len(t, first.items, 1, "registration seeds the default in a default world")

	again, err := world.SectionOf(w, "notes", newNotes)
	require.NoError(t, err)
	assert.Same(t, first, again, "a registered section is returned as it is")
	assert.Equal(t, 1, made, "no second section is made")
}

func TestSectionOfReportsAFailedRegistration(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	// "people" is a shared key, so a section of that name cannot register.
	s, err := world.SectionOf(w, "people", func() named { return named{"people"} })
	assert.ErrorIs(t, err, world.ErrInvalid)
	assert.Equal(t, "people", s.Name(), "the new, unregistered section is still returned")
	assert.Nil(t, w.Section("people"))

	// A section of another type under the name is not mistaken for a T.
	require.NoError(t, w.Register(named{"notes"}))
	n, err := world.SectionOf(w, "notes", func() *notes { return &notes{} })
	assert.ErrorIs(t, err, world.ErrDuplicate)
	assert.NotNil(t, n)
	assert.Equal(t, world.Section(named{"notes"}), w.Section("notes"))
}

func TestDecodeSectionIsStrict(t *testing.T) {
	type content struct {
		N int `json:"n"`
	}
	for _, raw := range []string{"", "  ", "null", " null\n"} {
		v, err := world.DecodeSection[content](json.RawMessage(raw))
		require.NoError(t, err, "%q", raw)
		assert.Equal(t, content{}, v, "%q decodes to the zero value", raw)
	}
	v, err := world.DecodeSection[content](json.RawMessage(`{"n":3}`))
	require.NoError(t, err)
	assert.Equal(t, content{N: 3}, v)

	for raw, want := range map[string]string{
		`{"n":3,"zz":1}`: `unknown field "zz"`,
		`{"n":3} {}`:     "trailing data",
		`{"n":"x"}`:      "n: must be int, not a JSON string",
		`{"n":`:          "unexpected EOF",
	} {
		v, err := world.DecodeSection[content](json.RawMessage(raw))
		assert.ErrorIs(t, err, world.ErrInvalid, raw)
		assert.ErrorContains(t, err, want, raw)
		assert.Equal(t, content{}, v, "%s: a refused input yields the zero value", raw)
	}
}
