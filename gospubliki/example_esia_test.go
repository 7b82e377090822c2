package gospubliki_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// The ministry's chief logs into the editorial cabinet through the
// sandbox's ESIA emulator (a headless login: no login page to fill in);
// an employee asking for an institution cabinet, which the ministry does
// not have, is refused with «Пользователь не найден».
func ExampleClient_LoginESIA() {
	sb, err := mock.New(mock.WithParties("esia", gpmock.PartyName))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sb.Close()
	ctx := context.Background()
	hc := sb.HTTPClient()
	c, _ := gospubliki.New(core.WithBaseURL(sb.URL(gpmock.PartyName)), core.WithHTTPClient(hc))

	esia := sb.DefaultTenant().ESIA
	esia.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultChiefOID, OrgOID: world.DefaultMinistryOID})
	s, err := c.LoginESIA(ctx, gospubliki.CabinetEditorial, gospubliki.FollowESIARedirects(hc))
	if err != nil {
		fmt.Println(err)
		return
	}
	cb, _ := c.Cabinet(ctx)
	fmt.Println(s.User.Role, s.User.Status, cb.Kind, cb.OrgName)

	esia.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultEmployeeOID, OrgOID: world.DefaultMinistryOID})
	_, err = c.LoginESIA(ctx, gospubliki.CabinetInstitution, gospubliki.FollowESIARedirects(hc))
	var e *gospubliki.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Message)
	}
	// Output:
	// lko_admin confirmed editorial Минцифры АО
	// user_not_found Пользователь не найден
}
