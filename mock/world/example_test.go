package world_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/gospubliki/gosdk/mock/world"
)

// A VK community of the default ministry asks for the «Госорганизация»
// mark, gets it, and loses it when it is renamed.
func ExampleWorld_RequestGovMark() {
	w, err := world.New(world.WithFrozenClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	err = w.AddPage(world.Page{Network: world.NetworkVK, ID: 229000001, Kind: world.PageGroup,
		Title: "Минцифры Архангельской области", OwnerOrgOID: world.DefaultMinistryOID,
		Admins: []world.PageAdmin{
			{PersonOID: world.DefaultChiefOID, Role: world.RoleCreator},
			{PersonOID: world.DefaultEmployeeOID, Role: world.RoleEditor},
		}})
	if err != nil {
		panic(err)
	}
	g, _ := w.RequestGovMark(world.NetworkVK, 229000001)
	fmt.Println(g.Status, g.Since.Format(time.DateOnly))
	w.Clock.Advance(72 * time.Hour)
	g, _ = w.ConfirmGovMark(world.NetworkVK, 229000001)
	fmt.Println(g.Status, g.Since.Format(time.DateOnly))
	_ = w.ModifyPage(world.NetworkVK, 229000001, func(p *world.Page) error {
		p.Title = "Минцифры АО"
		return nil
	})
	p, _ := w.Page(world.NetworkVK, 229000001)
	fmt.Println(p.Gov.Status)
	_, err = w.ConfirmGovMark(world.NetworkVK, 229000001)
	fmt.Println(err)
	// Output:
	// under_review 2026-03-01
	// confirmed 2026-03-04
	// lost
	// vk page 229000001: world: a «Госорганизация» mark cannot go from lost to confirmed
}

// Scenario errors name the field by its JSON path.
func ExampleScenario_Validate() {
	sc := world.DefaultScenario()
	sc.Organizations[1].AgencyType = "21.REG"
	channel := slices.IndexFunc(sc.Pages, func(p world.Page) bool { return p.ID == world.DefaultChannelID })
	sc.Pages[channel].Admins[1].Role = world.RoleModerator // the channel's employee
	fmt.Println(sc.Validate())
	sc.Organizations[1].AgencyType = world.AgencyGovernment
	fmt.Println(sc.Validate())
	// Output:
	// organizations[1].agency_type: unknown ESIA agency type (known: 10.FED, 11.REG, 12.LCL, 13.PVD, 20.GOV, 21.MCL, 30.FND, 31.PFN, 40.MFC, 41.LEG)
	// pages[8].admins[1].role: "moderator" is not a telegram role (known: creator, administrator)
}
