package main

import (
	"bytes"
	"regexp"
	"strings"
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
		`(?m)^administrator logged in with phone and password: lko_admin \(lko_admin\)$`,
		`(?m)^page vk:-200000001: «Госорганизация» \w+, \d+ of 8 requirements met, POS forms \w+$`,
		`(?m)^page ok:70000000000001: «Госорганизация» \w+, \d+ of \d+ requirements met, POS forms \w+$`,
		`(?m)^page telegram:-1001000000001: «Госорганизация» not_applicable, \d+ of \d+ requirements met, POS forms not applicable$`,
		`(?m)^editor logged in through ESIA: editor \(editor, confirmed\) to the editorial cabinet of Минцифры АО$`,
		`(?m)^post \d+: orange urgency, 3 pages, photo schedule\.png \(70 bytes\), submitted$`,
		`(?m)^moderator returned it: «Укажите новые часы приёма\.»$`,
		`(?m)^editor fixed it; moderator approved it for 10:00: scheduled$`,
		`(?m)^at 10:00 the post is published$`,
		`(?m)^  vk:-200000001 +published  id \d+  https://vk\.com/wall-200000001_\d+  parts: \w+ \d+`,
		`(?m)^  ok:70000000000001 +published  id \d+  https://ok\.ru/group/70000000000001/topic/\d+  parts: `,
		`(?m)^  telegram:-1001000000001 +published  id \d+  https://t\.me/minsvyaz29/\d+  parts: `,
		`(?m)^a day later \(2026-03-03 10:00\): 4 resident\(s\) commented on VK; the sessions of yesterday expired$`,
		`(?m)^editor logged in through ESIA again$`,
		`(?m)^analytics of post \d+, per page and day:$`,
		`(?m)^  vk:-200000001 +2026-03-03  1 sample\(s\): views \d+, reach \d+, likes \d+, comments 4, `,
		`(?m)^analytics of the pages, per day:$`,
		`(?m)^  vk:-200000001 +2026-03-03  1 sample\(s\): views \d+, .*, subscribers [1-9]\d* `,
		`(?m)^  ok:70000000000001 +2026-03-03  1 sample\(s\): views \d+, `,
		`(?m)^  telegram:-1001000000001 +2026-03-03  1 sample\(s\): views \d+, `,
	} {
		if !regexp.MustCompile(re).MatchString(s) {
			t.Errorf("output lacks %s", re)
		}
	}
	// Each page published once.
	if n := strings.Count(s, " published  id "); n != 3 {
		t.Errorf("%d published lines, want 3", n)
	}
	if t.Failed() {
		t.Logf("output:\n%s", s)
	}
}
