package world_test

import (
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/mock/world"
)

func TestSummary(t *testing.T) {
	got := world.Summary([]world.Entry{
		{Seq: 1, Method: "sendmessage", Status: 200},
		{Seq: 2, Method: "getme", Status: 200},
		{Seq: 3, Method: "sendmessage", Status: 429},
		{Seq: 4, Method: "sendmessage", Status: 200},
		{Seq: 5, Method: "sendmessage", Status: 0},
	})
	want := []string{
		"sendmessage 1 × dropped, 2 × 200, 1 × 429",
		"getme       1 × 200",
		"5 requests in total",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := world.Summary(nil); len(got) != 1 || got[0] != "0 requests in total" {
		t.Fatalf("empty journal: %q", got)
	}
}
