package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/mock/world"
)

func TestHeadless(t *testing.T) {
	for _, args := range [][]string{{"-headless"}, {"-headless", "-legacy"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(context.Background(), args, &out, &errb); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			s := out.String()
			for _, want := range []string{
				"user: Иванова Анна Сергеевна (oid 1000000101)",
				"organisation: Минцифры АО (oid 1000001",
				"chief=true admin=true active=true",
				world.GroupCabinetInstitution,
				"may act for the organisation: true",
			} {
				if !strings.Contains(s, want) {
					t.Fatalf("output lacks %q:\n%s", want, s)
				}
			}
		})
	}
}
