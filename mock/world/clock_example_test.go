package world_test

import (
	"fmt"
	"time"

	"github.com/gospubliki/gosdk/mock/world"
)

// ExampleClock_AfterFunc schedules work on a frozen world clock: Advance
// runs what came due, in order, and returns once it has finished, so a
// test sees the result without sleeping.
func ExampleClock_AfterFunc() {
	clock := world.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	clock.AfterFunc(24*time.Hour, func() {
		fmt.Println("review decided at", clock.Now().Format("Jan 2 15:04"))
	})
	retry := clock.AfterFunc(time.Hour, func() { fmt.Println("never runs") })
	clock.AfterFunc(10*time.Minute, func() {
		fmt.Println("post published at", clock.Now().Format("15:04"))
		// Scheduled from a timer and due within the same Advance.
		clock.AfterFunc(5*time.Minute, func() { fmt.Println("report sent at", clock.Now().Format("15:04")) })
	})
	retry.Stop()

	clock.Advance(30 * time.Minute)
	fmt.Println("pending:", clock.Pending())
	clock.Advance(24 * time.Hour)
	// Output:
	// post published at 09:10
	// report sent at 09:15
	// pending: 1
	// review decided at Mar 2 09:00
}

// ExampleNewBudget caps the journals of two worlds (two tenants of one
// sandbox) together: once the budget is spent, the world that records
// replaces its own oldest entry.
func ExampleNewBudget() {
	budget := world.NewBudget(3, 0)
	a, _ := world.New(world.WithBudget(budget), world.WithEmptyScenario())
	b, _ := world.New(world.WithBudget(budget), world.WithEmptyScenario())
	for range 2 {
		a.Journal.Record(world.Entry{Party: "telegram", Method: "sendmessage"})
	}
	for range 3 {
		b.Journal.Record(world.Entry{Party: "telegram", Method: "getme"})
	}
	fmt.Println(a.Journal.Len(), b.Journal.Len(), budget.Journal().Used())
	// Output:
	// 2 1 3
}
