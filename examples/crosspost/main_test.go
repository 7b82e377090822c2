package main

import (
	"bytes"
	"regexp"
	"testing"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	s := out.String()
	for _, re := range []string{
		`(?m)^sandbox: Gospubliki cabinet at http://127\.0\.0\.1:\d+$`,
		`(?m)^editor logged in: editor \(editor\)$`,
		`(?m)^page vk:-\d+: «Госорганизация» \w+, \d+ of 8 requirements met, POS forms \w+$`,
		`(?m)^page telegram:-\d+: «Госорганизация» not_applicable, \d+ of \d+ requirements met, POS forms not applicable$`,
		`(?m)^post \d+: orange urgency, 3 pages, photo schedule\.png \(\d+ bytes\), submitted$`,
		`(?m)^moderator returned it: «Укажите новые часы приёма\.»$`,
		`(?m)^editor fixed it; moderator approved it for 10:00: scheduled$`,
		`(?m)^at 10:00 the post is published$`,
		`(?m)^  vk:-\d+ +published  id \d+  https://vk\.com/wall-\d+_\d+$`,
		`(?m)^  ok:\d+ +published  id \d+  https://ok\.ru/`,
		`(?m)^  telegram:-\d+ +published  id \d+  https://t\.me/minsvyaz29/\d+$`,
	} {
		if !regexp.MustCompile(re).MatchString(s) {
			t.Errorf("output lacks %s:\n%s", re, s)
		}
	}
}
