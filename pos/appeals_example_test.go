package pos_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/pos"
)

// The appeals client against the POS emulator: file an appeal for the
// ministry and follow its status as the emulator's clock moves.
func ExampleAppealsClient() {
	w, _ := world.New()
	pm := posmock.New(w)
	sc := world.DefaultScenario()
	_ = posmock.PutSettings(&sc, posmock.DefaultSettings())
	_ = w.Import(sc)
	srv := httptest.NewServer(pm)
	defer srv.Close()
	sys := pm.Section().Settings().Systems[0]
	ministry, _ := w.Organization(world.DefaultMinistryOID)

	c, err := pos.NewAppealsClient(pos.Credentials{Username: sys.Username, Password: sys.Password},
		core.WithBaseURL(srv.URL), core.WithClock(w.Clock))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	regions, err := c.Regions(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	region := regions[0].ID
	subjects, err := c.Subjects(ctx, region)
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := c.CreateAppeal(ctx, &pos.CreateAppealRequest{Description: "Не горит фонарь у дома 5",
		SubjectID: subjects[0].ID, RegionID: region, OrganizationInfo: pos.OrganizationInfo{OGRN: ministry.OGRN}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(subjects[0].Name, st.Status)
	w.Clock.Advance(2 * time.Hour)
	st, _ = c.Appeal(ctx, st.PosID)
	fmt.Println(st.Status, len(st.History))
	// Output:
	// Дороги NEW
	// IN_WORK 2
}
