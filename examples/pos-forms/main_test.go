package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-out", dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	s := out.String()
	for _, want := range []string{
		"/form/?opaId=900001&utm_source=vk&utm_medium=11&utm_campaign=",
		"/og/org-activities?reg_code=11&utm_source=vk1&utm_medium=11&utm_campaign=",
		"menu applied to vk.com/minsvyaz29",
		"audited 501 pages: 351 ok, 150 failed, 0 unverifiable",
	} {
		if !strings.Contains(s, want) {
			t.Fatalf("output lacks %q:\n%s", want, s)
		}
	}
	if !strings.Contains(errb.String(), "] 501/501") {
		t.Fatalf("no progress bar: %q", errb.String()[max(0, errb.Len()-100):])
	}
	f, err := os.Open(filepath.Join(dir, "report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 502 || rows[1][4] != "failed" || rows[501][4] != "ok" {
		t.Fatalf("%d rows, first %v, last %v", len(rows), rows[1], rows[len(rows)-1])
	}
	h, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(h), `<td class="failed">150</td>`) {
		t.Fatal("the HTML report lacks the failure count")
	}
}
