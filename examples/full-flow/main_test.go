package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// stepResults are the result lines of every step, in order.
var stepResults = []string{
	`  => \[1\] VK: «Заявка рассматривается»`,
	`  => \[2\] OK: «Рассматривается»`,
	`  => \[3\] both pages carry the «Госорганизация» mark`,
	`  => \[4\] POS forms placed on https://vk\.com/minsvyaz29 and https://ok\.ru/group/70000000000001: audit ok`,
	`  => \[5\] 3 pages connected: \[vk:-200000001 ok:70000000000001 telegram:-1001000000001\]`,
	`  => \[6\] post \d+ published on 3 of 3 pages, each once`,
	`  => \[7\] analytics of 3 page\(s\), and of post \d+ \(4 row\(s\)\)`,
}

func TestFullFlow(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(t.Context(), nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errb.String(), out.String())
	}
	s := out.String()
	want := append([]string{}, stepResults...)
	want = append(want,
		// What each step checked.
		`(?m)^    checked VK's requirements again: 6 of 8 met, missing: gov_mark, by hand: admins_two_factor$`,
		`(?m)^    fixed through the API \(groups\.edit\): category set to «Государственная организация» \(id 1002, found by name\)$`,
		`(?m)^    pressed «Подтвердить через Госуслуги»: Gosuslugi /aas/oauth2/v2/ac → VK /gov/callback$`,
		`(?m)^    checked the settings page: status «Не подтвержден», button active, 0 condition\(s\) unmet$`,
		`(?m)^    checked VK: is_government_organization true, management page «Подтвержден»$`,
		`(?m)^    checked OK: gos_org true, settings page «Подтвержден»$`,
		`(?m)^    sandbox clock: 2026-03-03 09:00 UTC$`,
		`(?m)^    appeal form: https://pos\.gosuslugi\.ru/form/\?opaId=900001&utm_source=vk&`,
		`(?m)^    checked the region's pages: 9 audited: 2 ok, 7 failed`,
		`(?m)^    checked vk:-200000001: credentials stored encrypted, «Госорганизация» present, 7 of 8 requirements met, POS forms ok$`,
		`(?m)^    checked ok:70000000000001: credentials stored encrypted, «Госорганизация» present, 6 of 7 requirements met, POS forms ok$`,
		`(?m)^    checked telegram:-1001000000001: credentials stored encrypted, «Госорганизация» not_applicable, `,
		// The publication: moderated, scheduled, published at its time,
		// one copy on each network, every part in the report.
		`(?m)^    the editor created post \d+ with a photo \(pages\.png, 70 bytes\) for 3 pages, to go out at 10:00; status submitted$`,
		`(?m)^    the moderator approved it: status scheduled$`,
		`(?m)^    checked the networks before its time: VK wall 0, OK group 0, Telegram channel 0 cop\(y/ies\) of the post$`,
		`(?m)^    sandbox clock: 2026-03-03 10:00 UTC, post published$`,
		`(?m)^      vk:-200000001 +published  https://vk\.com/wall-200000001_\d+  parts: \w+ \d+$`,
		`(?m)^      ok:70000000000001 +published  https://ok\.ru/group/70000000000001/topic/\d+  parts: \w+ \d+$`,
		`(?m)^      telegram:-1001000000001 +published  https://t\.me/minsvyaz29/\d+  parts: photo \d+(, \w+ \d+)*$`,
		`(?m)^    checked the networks after it: VK wall 1, OK group 1, Telegram channel 1 cop\(y/ies\) of the post$`,
		// The analytics: the residents who joined during the day.
		`(?m)^    2 of them commented on the post on VK$`,
		`(?m)^      vk:-200000001 +2026-03-04  1 sample\(s\): views \d+, reach \d+, likes \d+, comments 2, reposts \d+$`,
		`(?m)^    during the day 6 resident\(s\) joined the VK community and the OK group$`,
		`(?m)^    the editor logged in again \(yesterday's session expired\)$`,
		`(?m)^      vk:-200000001 +2026-03-04  1 sample\(s\): .*, subscribers \d+ \(\+6\)$`,
		`(?m)^      ok:70000000000001 +2026-03-04  1 sample\(s\): .*, subscribers \d+ \(\+6\)$`,
		`(?m)^      telegram:-1001000000001 +2026-03-04  1 sample\(s\): `,
		// Telegram has no post statistics: said once, not as empty rows.
		`(?m)^      telegram:-1001000000001 +no post statistics \(the Telegram Bot API has none\)$`,
		`(?m)^done: every step passed$`,
	)
	for _, re := range want {
		if !regexp.MustCompile(re).MatchString(s) {
			t.Errorf("output lacks %s", re)
		}
	}
	// Every step has exactly one result line, in order.
	results := regexp.MustCompile(`(?m)^  => \[(\d+)\] `).FindAllStringSubmatch(s, -1)
	if len(results) != len(stepResults) {
		t.Errorf("%d result lines, want %d", len(results), len(stepResults))
	}
	for i, m := range results {
		if m[1] != strconv.Itoa(i+1) {
			t.Errorf("result line %d is of step %s", i+1, m[1])
		}
	}
	// No page and no network object twice in the report.
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^      (\S+) +published  \S+  parts: (.*)$`).FindAllStringSubmatch(s, -1) {
		for _, part := range append([]string{m[1]}, strings.Split(m[2], ", ")...) {
			key := m[1] + "/" + part
			if seen[key] {
				t.Errorf("%s twice in the report", key)
			}
			seen[key] = true
		}
	}
	if len(seen) < 6 {
		t.Errorf("the report names %d pages and parts, want 3 pages with a part each at least", len(seen))
	}
	// Progress on the long steps, on stderr only.
	for _, bar := range []string{"review [", "] 24/24\n", "audit [", "] 9/9\n", "day [", "] 24/24\n"} {
		if !strings.Contains(errb.String(), bar) {
			t.Errorf("stderr lacks the progress %q", bar)
		}
	}
	if strings.Contains(s, "\r") {
		t.Error("a progress bar went to stdout")
	}
	// No secret reaches the output.
	for _, secret := range []string{"access_token=", "vk1.a.", "sandbox-"} {
		if strings.Contains(s, secret) {
			t.Errorf("the output shows %q", secret)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", s)
	}
}

// hookWriter is a goroutine-safe buffer that calls hook with each
// written chunk.
type hookWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	hook func(string)
}

func (w *hookWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.hook(string(p))
	return w.buf.Write(p)
}

// With -ui the sandbox stays up, the inspector's URL is printed and
// answers, and the end of the context (Ctrl-C, SIGTERM) ends it cleanly.
func TestUIKeepsTheSandboxRunning(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	urlRE := regexp.MustCompile(`inspector: (http://127\.0\.0\.1:\d+/_mock/ui/) `)
	var status int
	var ctype string
	out := &hookWriter{hook: func(chunk string) {
		m := urlRE.FindStringSubmatch(chunk)
		if m == nil {
			return
		}
		if resp, err := http.Get(m[1]); err == nil {
			status, ctype = resp.StatusCode, resp.Header.Get("Content-Type")
			resp.Body.Close()
		}
		cancel()
	}}
	var errb bytes.Buffer
	if code := run(ctx, []string{"-ui"}, out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	s := out.buf.String()
	if !urlRE.MatchString(s) || !strings.HasSuffix(s, "stopping the sandbox\n") {
		t.Fatalf("output:\n%s", s)
	}
	if status != http.StatusOK || !strings.HasPrefix(ctype, "text/html") {
		t.Fatalf("the inspector answered HTTP %d, %q while the sandbox ran", status, ctype)
	}
}

func TestBadFlag(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(t.Context(), []string{"-nope"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "-ui") {
		t.Fatalf("exit %d, usage %q", code, errb.String())
	}
}
