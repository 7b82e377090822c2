package mock_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// Example_posForm: a form link of a subordinate organisation uses its superior body's LKO;
// an appeal filed through that form moves on the world clock.
func Example_posForm() {
	sb, err := mock.New(mock.WithParties("pos"), mock.WithFrozenClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sb.Close()
	lko, _ := sb.POS.AppealsLKO(world.DefaultSubordinateOID)
	resp, _ := http.PostForm(sb.POSURL+"/form/", url.Values{"opaId": {fmt.Sprint(lko.OpaID)}, "description": {"Не открывается сайт"}})
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, strings.Contains(string(page), `data-state="sent"`))
	sb.Clock.Advance(time.Hour)
	for _, a := range sb.POS.Appeals(lko.OpaID) {
		fmt.Println(a.ID, a.Status().Status)
	}
	fmt.Println(posmock.DefaultMinistryOpaID == lko.OpaID)
	// Output:
	// 200 true
	// 5000001 IN_WORK
	// true
}
