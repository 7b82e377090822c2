package mock_test

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/pos"
	"github.com/gospubliki/gosdk/vk"
)

// TestDefaultRegionCabinets logs every user of the region's cabinets in
// with the seeded password and checks the cabinet it lands in; the
// published logins stay the ministry's.
func TestDefaultRegionCabinets(t *testing.T) {
	ctx := context.Background()
	sb := mock.Start(t, mock.WithParties(gpmock.PartyName))
	creds, ok := sb.DefaultTenant().PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	require.True(t, ok)
	def := gpmock.DefaultState()
	for _, l := range []struct {
		got  mock.GospublikiLogin
		user int64
	}{{creds.LKOAdmin, 3}, {creds.Editor, 4}, {creds.Moderator, 5}} {
		i := slices.IndexFunc(def.Users, func(u gpmock.StateUser) bool { return u.ID == l.user })
		assert.Equal(t, def.Users[i].Phone, l.got.Phone, "the published logins are the ministry's")
	}

	r := world.DefaultRegion()
	reg := gpmock.RegionState(r)
	require.NotEmpty(t, reg.Users)
	kinds := map[gospubliki.CabinetKind]int{}
	for _, u := range reg.Users {
		c, err := gospubliki.New(core.WithBaseURL(creds.URL), core.WithRetry(0, 0, 0))
		require.NoError(t, err)
		_, err = c.Login(ctx, u.Phone, u.Password)
		require.NoError(t, err, "user %d", u.ID)
		cb, err := c.Cabinet(ctx)
		require.NoError(t, err)
		assert.Equal(t, u.CabinetID, cb.ID)
		kinds[cb.Kind]++
		// The user is an employee of the cabinet's organisation.
		_, err = sb.World.Employee(cb.OrgOID, u.PersonOID)
		require.NoError(t, err, "user %d in cabinet %d", u.ID, cb.ID)
		if cb.Kind == gospubliki.CabinetLKO {
			assert.Equal(t, world.DefaultCenterOID, cb.OrgOID)
			assert.Equal(t, r.LKOAdmin, u.PersonOID)
		}
	}
	assert.Equal(t, map[gospubliki.CabinetKind]int{gospubliki.CabinetEditorial: 4, gospubliki.CabinetInstitution: 3,
		gospubliki.CabinetLKO: 1}, kinds)
	for _, b := range r.BodiesOf(world.BodyMunicipality) {
		i := slices.IndexFunc(reg.Cabinets, func(c gpmock.Cabinet) bool { return c.OrgOID == b.OID })
		require.GreaterOrEqual(t, i, 0)
		assert.Equal(t, gpmock.KindEditorial, reg.Cabinets[i].Kind)
	}
}

// TestDefaultRegionPOSAudit audits the region's VK communities with the
// pos package against the VK and POS emulators: the page with the wrong
// POS link fails on its link, and the others pass.
func TestDefaultRegionPOSAudit(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("vk", "pos"))
	var buf bytes.Buffer
	require.NoError(t, sb.POS.ExportCSV(&buf, posmock.ExportHeader{}))
	ex, err := pos.LoadExport(&buf, pos.Columns{})
	require.NoError(t, err)
	byOGRN := map[string]world.Organization{}
	for _, o := range sb.World.Organizations() {
		byOGRN[o.OGRN] = o
	}
	for i := range ex.Orgs {
		ex.Orgs[i].Agency = esia.AgencyType(byOGRN[ex.Orgs[i].OGRN].AgencyType)
	}
	c, err := vk.New(sb.Credentials.VK.ServiceToken, vk.ServiceToken, core.WithBaseURL(sb.VKURL), core.WithHTTPClient(sb.HTTPClient()))
	require.NoError(t, err)
	// The menus link the production POS, as the placement plan writes
	// them: the audit plans with that base.
	forms := pos.Forms{BaseURL: "https://pos.gosuslugi.ru"}
	dir, err := ex.Directory(forms)
	require.NoError(t, err)
	a := &pos.Auditor{Directory: dir, Forms: forms,
		Readers: map[string]pos.MenuReader{pos.NetworkVK: pos.VKMenus{Client: c}}, HTTPClient: sb.RealHostClient()}

	r := world.DefaultRegion()
	var pages []pos.AuditPage
	for _, p := range r.Pages {
		if p.Network == world.NetworkVK {
			o, err := sb.World.Organization(p.OwnerOrgOID)
			require.NoError(t, err)
			pages = append(pages, pos.AuditPage{Network: pos.NetworkVK, ID: p.ID, OGRN: o.OGRN, URL: "https://vk.com/" + p.Username})
		}
	}
	res, err := a.Audit(t.Context(), pages, nil)
	require.NoError(t, err)
	require.Len(t, res.Pages, len(pages))
	for _, pr := range res.Pages {
		wrong := slices.Contains(r.Defects(world.NetworkVK, pr.Page.ID), world.DefectWrongPOSLink)
		var codes []pos.ReasonCode
		for _, rs := range pr.Reasons {
			codes = append(codes, rs.Code)
		}
		if wrong {
			assert.Equal(t, pos.StatusFailed, pr.Status, "page %d", pr.Page.ID)
			assert.Contains(t, codes, pos.ReasonBadLink, "page %d", pr.Page.ID)
			continue
		}
		assert.Equal(t, pos.StatusOK, pr.Status, "page %d: %v", pr.Page.ID, pr.Reasons)
	}
}

// TestRegionOfAnotherSeed adds the region of another seed, sections
// included, to the default scenario: the sandbox starts with both regions,
// and the second one's broken page is where its description says.
func TestRegionOfAnotherSeed(t *testing.T) {
	r := world.NewRegion(7)
	sc := mock.DefaultScenario()
	r.AddTo(&sc)
	vst, err := vkmock.SettingsOf(sc)
	require.NoError(t, err)
	vst.Communities = append(vst.Communities, vkmock.RegionCommunities(r)...)
	require.NoError(t, vkmock.PutSettings(&sc, vst))
	ost, err := okmock.SettingsOf(sc)
	require.NoError(t, err)
	ost.Groups = append(ost.Groups, okmock.RegionGroups(r)...)
	require.NoError(t, okmock.PutSettings(&sc, ost))
	pst, err := posmock.SettingsOf(sc)
	require.NoError(t, err)
	pst.LKOs = append(pst.LKOs, posmock.RegionLKOs(r)...)
	require.NoError(t, posmock.PutSettings(&sc, pst))
	gst, err := gpmock.StateOf(sc)
	require.NoError(t, err)
	reg := gpmock.RegionState(r)
	gst.Cabinets, gst.Users = append(gst.Cabinets, reg.Cabinets...), append(gst.Users, reg.Users...)
	require.NoError(t, gpmock.PutState(&sc, gst))

	sb := mock.Start(t, mock.WithScenario(sc))
	def := world.DefaultRegion()
	assert.Len(t, sb.World.Organizations(), 2+len(def.Organizations)+len(r.Organizations))
	assert.Len(t, sb.POS.LKOs(), 2+len(posmock.RegionLKOs(def))+len(posmock.RegionLKOs(r)))
	wrong := r.PagesWith(world.DefectWrongPOSLink)
	require.Len(t, wrong, 1)
	b, ok := r.Body(wrong[0].OrgOID)
	require.True(t, ok)
	menu := sb.VK.Menu(wrong[0].ID)
	require.NotEmpty(t, menu)
	assert.NotContains(t, menu[0].URL, "opaId="+strconv.FormatInt(b.FormOpaID, 10)+"&")
	for _, p := range r.PagesWith("") {
		if p.Network == world.NetworkVK {
			b, _ := r.Body(p.OrgOID)
			assert.Contains(t, sb.VK.Menu(p.ID)[0].URL, "opaId="+strconv.FormatInt(b.FormOpaID, 10)+"&")
		}
	}
}
