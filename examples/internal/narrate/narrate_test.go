package narrate

import (
	"bytes"
	"strings"
	"testing"
)

func TestSteps(t *testing.T) {
	var out bytes.Buffer
	n := New(&out, nil)
	n.Step("first")
	n.Checked("the page", "open")
	n.Say("a note %d", 1)
	n.Result("done in %d", 2)
	n.Step("second")
	n.Result("ok")
	n.Bar("never drawn")(1, 2)
	want := "\n[1] first\n    checked the page: open\n    a note 1\n  => [1] done in 2\n\n[2] second\n  => [2] ok\n"
	if out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
	if n.Number() != 2 {
		t.Fatalf("number %d", n.Number())
	}
}

func TestBar(t *testing.T) {
	var w bytes.Buffer
	bar := Bar(&w, "audit")
	for i := 0; i <= 200; i++ {
		bar(i, 200)
	}
	s := w.String()
	if got := strings.Count(s, "\r"); got != 101 {
		t.Fatalf("%d redraws, want one per percent (101)", got)
	}
	if !strings.HasSuffix(s, "\raudit ["+strings.Repeat("#", 40)+"] 200/200\n") {
		t.Fatalf("the bar does not end full: %q", s[len(s)-80:])
	}
	w.Reset()
	Bar(&w, "")(5, 0) // no division by zero; clamped
	if w.String() != "\r["+strings.Repeat("#", 40)+"] 1/1\n" {
		t.Fatalf("clamped bar %q", w.String())
	}
}
