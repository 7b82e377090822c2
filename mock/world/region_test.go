package world_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/identifiers"
	"github.com/gospubliki/gosdk/mock/world"
)

// withoutRegion returns sc without the entities of the default region:
// the default ministry's scenario, whose positions the tests that name
// fields by index rely on.
func withoutRegion(sc world.Scenario) world.Scenario {
	r := world.DefaultRegion()
	sc.People = slices.DeleteFunc(sc.People, func(p world.Person) bool {
		return slices.ContainsFunc(r.People, func(q world.Person) bool { return q.OID == p.OID })
	})
	sc.Organizations = slices.DeleteFunc(sc.Organizations, func(o world.Organization) bool {
		return slices.ContainsFunc(r.Organizations, func(q world.Organization) bool { return q.OID == o.OID })
	})
	sc.Employees = slices.DeleteFunc(sc.Employees, func(e world.Employee) bool {
		return slices.ContainsFunc(r.Employees, func(q world.Employee) bool { return q.OrgOID == e.OrgOID && q.PersonOID == e.PersonOID })
	})
	sc.Pages = slices.DeleteFunc(sc.Pages, func(p world.Page) bool {
		return slices.ContainsFunc(r.Pages, func(q world.Page) bool { return q.Network == p.Network && q.ID == p.ID })
	})
	return sc
}

func TestDefaultRegionShape(t *testing.T) {
	r := world.DefaultRegion()
	assert.Equal(t, world.DefaultRegionSeed, r.Seed)
	assert.Equal(t, world.DefaultMinistryOID, r.ROIV)
	w, err := world.New()
	require.NoError(t, err)

	// The exported constants name the default region's organisations.
	for oid, want := range map[int64]struct {
		kind   world.BodyKind
		agency string
		parent int64
	}{
		world.DefaultCityOID:             {world.BodyMunicipality, world.AgencyLocal, 0},
		world.DefaultDistrictOID:         {world.BodyMunicipality, world.AgencyLocal, 0},
		world.DefaultRegionalHospitalOID: {world.BodyHospital, world.AgencyGovernment, world.DefaultMinistryOID},
		world.DefaultDistrictHospitalOID: {world.BodyHospital, world.AgencyGovernment, world.DefaultMinistryOID},
		world.DefaultCitySchoolOID:       {world.BodySchool, world.AgencyMunicipal, world.DefaultCityOID},
		world.DefaultDistrictSchoolOID:   {world.BodySchool, world.AgencyMunicipal, world.DefaultDistrictOID},
		world.DefaultCenterOID:           {world.BodyCenter, world.AgencyGovernment, world.DefaultMinistryOID},
	} {
		o, err := w.Organization(oid)
		require.NoError(t, err, oid)
		b, ok := r.Body(oid)
		require.True(t, ok, oid)
		assert.Equal(t, want.kind, b.Kind, o.ShortName)
		assert.Equal(t, want.agency, o.AgencyType, o.ShortName)
		assert.Equal(t, want.parent, o.ParentOID, o.ShortName)
		assert.Equal(t, world.OrgAgency, o.Type)
		municipal, err := w.SubordinateOfMunicipal(oid)
		require.NoError(t, err)
		assert.Equal(t, want.kind == world.BodySchool, municipal, "schools are the municipalities' institutions: %s", o.ShortName)
		// Identifiers pass the checksums of the identifiers package.
		for k, v := range map[identifiers.Kind]string{identifiers.KindOGRN: o.OGRN, identifiers.KindLegalINN: o.INN,
			identifiers.KindKPP: o.KPP, identifiers.KindOKATO: o.OKATO, identifiers.KindOKTMO: o.OKTMO} {
			assert.NoError(t, k.Validate(v), "%s of %s", k, o.ShortName)
		}
		// The chief is an active employee, head and administrator.
		e, err := w.Employee(oid, b.Chief)
		require.NoError(t, err)
		assert.True(t, e.Chief && e.Admin && e.Active, o.ShortName)
		for _, s := range b.Staff {
			e, err := w.Employee(oid, s)
			require.NoError(t, err)
			assert.False(t, e.Chief || e.Admin)
		}
	}
	assert.Len(t, r.BodiesOf(world.BodyMunicipality), 2)
	assert.Len(t, r.BodiesOf(world.BodyROIV), 1)

	// Staff with a cabinet hold the cabinet's access group.
	for _, b := range r.Bodies[1:] {
		if b.Cabinet == 0 {
			continue
		}
		group := world.GroupCabinetInstitution
		if b.Kind == world.BodyMunicipality {
			group = world.GroupCabinetEditorial
		}
		for _, p := range append([]int64{b.Chief}, b.Staff...) {
			e, err := w.Employee(b.OID, p)
			require.NoError(t, err)
			assert.Contains(t, e.Groups, group, "employee %d of %d", p, b.OID)
		}
	}
	assert.Len(t, w.Employees(world.DefaultMinistryOID), 2, "the ministry's staff is the default scenario's")
	admin, err := w.Employee(world.DefaultCenterOID, r.LKOAdmin)
	require.NoError(t, err)
	assert.Contains(t, admin.Groups, world.GroupLKOAdmin)

	// Every person has a unique login and the three network accounts.
	for _, p := range r.People {
		got, err := w.PersonByLogin(p.Email)
		require.NoError(t, err)
		assert.Equal(t, p.OID, got.OID)
		assert.True(t, world.ValidSNILS(p.SNILS) && world.ValidINN(p.INN))
		assert.Len(t, p.Accounts, 3)
	}
}

// TestDefaultRegionDefects derives each page's defects from the world and
// checks them against the region's description: the owner's two-factor
// authentication on the page's network, the city and the mark.
func TestDefaultRegionDefects(t *testing.T) {
	r := world.DefaultRegion()
	w, err := world.New()
	require.NoError(t, err)
	require.Len(t, r.PageDefects, len(r.Pages))
	seen := map[world.Defect]int{}
	networks := map[string]int{}
	for i, rp := range r.PageDefects {
		p, err := w.Page(rp.Network, rp.ID)
		require.NoError(t, err)
		assert.Equal(t, r.Pages[i].ID, p.ID)
		networks[p.Network]++
		var got []world.Defect
		if p.Network != world.NetworkTelegram {
			owner, err := w.Person(p.Owner())
			require.NoError(t, err)
			if a, _ := owner.Account(p.Network); !a.TwoFactor {
				got = append(got, world.DefectNoTwoFactor)
			}
			if p.City == "" {
				got = append(got, world.DefectNoCity)
			}
			if p.Gov.Status == world.GovLost {
				got = append(got, world.DefectGovMarkLost)
			}
		}
		want := slices.DeleteFunc(slices.Clone(rp.Defects), func(d world.Defect) bool { return d == world.DefectWrongPOSLink })
		assert.ElementsMatch(t, want, got, "%s page %d (%s)", p.Network, p.ID, p.Title)
		for _, d := range rp.Defects {
			seen[d]++
		}
		assert.Equal(t, rp.Defects, r.Defects(rp.Network, rp.ID))
	}
	for _, d := range []world.Defect{world.DefectNoTwoFactor, world.DefectNoCity, world.DefectWrongPOSLink, world.DefectGovMarkLost} {
		assert.Positive(t, seen[d], "some page has %s", d)
		assert.Len(t, r.PagesWith(d), seen[d])
	}
	assert.NotEmpty(t, r.PagesWith(""), "some pages are compliant")
	for _, n := range world.Networks() {
		assert.GreaterOrEqual(t, networks[n], 3, n)
	}
	assert.Nil(t, r.Defects(world.NetworkVK, world.DefaultVKGroupID))
}

func TestRegionFromSeed(t *testing.T) {
	a, b := world.NewRegion(7), world.NewRegion(7)
	assert.Equal(t, a, b, "the same seed gives the same region")
	c := world.NewRegion(8)
	assert.NotEqual(t, a.Organizations[0].OID, c.Organizations[0].OID)
	assert.NotEqual(t, a.Organizations[0].OGRN, c.Organizations[0].OGRN)
	assert.NotEqual(t, a.Pages[0].Username, c.Pages[0].Username)

	// Regions of other seeds join the default scenario without a clash of
	// ids, logins or usernames.
	sc := world.DefaultScenario()
	a.AddTo(&sc)
	c.AddTo(&sc)
	require.NoError(t, sc.Validate())
	w, err := world.New(world.WithScenario(sc))
	require.NoError(t, err)
	assert.Len(t, w.Organizations(), 2+3*len(a.Organizations))
	assert.Len(t, w.Pages(""), len(world.DefaultScenario().Pages)+2*len(a.Pages))

	// OGRNs and INNs are unique across the three regions and the ministry.
	ogrn, inn := map[string]bool{}, map[string]bool{}
	for _, o := range w.Organizations() {
		assert.False(t, ogrn[o.OGRN] || inn[o.INN], o.ShortName)
		ogrn[o.OGRN], inn[o.INN] = true, true
	}
	// A negative seed is a seed like any other.
	neg := world.DefaultScenario()
	world.NewRegion(-3).AddTo(&neg)
	assert.NoError(t, neg.Validate())
}

func TestDefaultRegionIsACopy(t *testing.T) {
	a := world.DefaultRegion()
	assert.Equal(t, world.NewRegion(world.DefaultRegionSeed), a)
	a.People[0].Accounts[world.NetworkVK] = world.Account{UserID: 1}
	a.Pages[0].Admins[0].PersonOID = 1
	a.Bodies[1].Staff[0] = 1
	a.PageDefects[4].Defects[0] = "x"
	a.Employees[0].Groups[0] = "x"
	assert.Equal(t, world.NewRegion(world.DefaultRegionSeed), world.DefaultRegion(), "a caller's changes stay its own")
}
