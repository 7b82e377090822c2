package mock_test

import (
	"context"
	"fmt"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/govmark"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// Example_okGovMark runs OK's «Подтвердить через Госуслуги» flow without a
// browser: the chief of the ministry, the group's ADMIN, logs in to the ESIA
// emulator through OK's own registered system; OK checks her authority in
// the ministry and puts the group under review, decided on the world clock.
func Example_okGovMark() {
	sb, err := mock.New(mock.WithParties("esia", "ok"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sb.Close()
	cr := sb.Credentials.OK
	unmet, _ := sb.OK.GovConditions(cr.GroupID, world.DefaultChiefOID)
	fmt.Println("unmet conditions:", len(unmet))

	mark, err := sb.OK.RequestGovMark(context.Background(), cr.GroupID, world.DefaultChiefOID, world.DefaultMinistryOID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(okmock.GovStatusText(mark))

	sb.Clock.Advance(govmark.DefaultReviewDelay)
	p, _ := sb.World.Page(world.NetworkOK, cr.GroupID)
	fmt.Println(okmock.GovStatusText(p.Gov))
	// Output:
	// unmet conditions: 0
	// Рассматривается
	// Подтвержден
}
