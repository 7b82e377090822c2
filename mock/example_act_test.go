package mock_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// ExampleTenant_Act: a citizen files an appeal as a person would; a day
// later on the world clock the organisation's answer is in the outbox.
func ExampleTenant_Act() {
	sb, err := mock.New(mock.WithParties("pos"), mock.WithFrozenClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sb.Close()
	t := sb.DefaultTenant()
	res, err := t.Act(context.Background(), mock.POSAppeal{OpaID: posmock.DefaultMinistryOpaID, Description: "Яма во дворе",
		Applicant: posmock.Applicant{Email: "ivan@example.ru"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	appeal := res.(posmock.Appeal)
	t.Clock.Advance(24 * time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs, err := t.AwaitOutbox(ctx, world.OutboxFilter{Channel: world.ChannelPOS, To: fmt.Sprint(appeal.ID)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(msgs[0].To, msgs[0].Text, msgs[0].Meta["email"])
	// Output:
	// 5000001 Ответ направлен заявителю ivan@example.ru
}
