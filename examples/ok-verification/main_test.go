package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	s := out.String()
	for _, re := range []string{
		`(?m)^sandbox: OK API emulator at http://127\.0\.0\.1:\d+, ESIA emulator at http://127\.0\.0\.1:\d+$`,
		`(?m)^group: Минцифры Архангельской области \(id 70000000000001\), access CLOSED$`,
		// The report as seeded: what is missing, what cannot be seen.
		`(?m)^requirements of the group, as seeded:\n  \[MISSING\] open group \(open\): access type is CLOSED, not OPEN$`,
		`(?m)^  \[MISSING\] topic from «Госорганизации» \(category_government\): the group's topic \(Общество\) is not one of «Госорганизации»$`,
		`(?m)^  \[check by hand\] city \(city\): OK did not return city; cannot be checked through the API$`,
		`(?m)^settings page: state status «Не подтвержден», «Подтвердить через Госуслуги» is inactive, 4 condition\(s\) unmet:$`,
		`(?m)^  - У вас не включено подтверждение входа \(Двойная защита\)$`,
		`(?m)^pressing the button now: refused, the conditions are not met$`,
		// The fixes.
		`(?m)^  «Двойная защита» turned on in the administrator's OK settings$`,
		`(?m)^  access type set to «Открытая»$`,
		`(?m)^  city set to Архангельск$`,
		`(?m)^  topic set to «Госорганизация»$`,
		// The report after them: every condition met or for a person to
		// check; only the mark itself is missing.
		`(?m)^requirements after the fixes:\n  \[ok\] open group \(open\): access type OPEN\n  \[ok\] main photo \(photo\): present\n  \[ok\] city \(city\): Архангельск\n  \[ok\] topic from «Госорганизации» \(category_government\): Госорганизация\n  \[ok\] description \(description\): present\n  \[check by hand\] administrators use two-factor authentication \(admins_two_factor\): .*\n  \[MISSING\] «Госорганизация» mark \(gov_mark\): .*$`,
		`(?m)^settings page: «Подтвердить через Госуслуги» is active$`,
		`(?m)^pressed «Подтвердить через Госуслуги»; the browser went through:\n  Gosuslugi \(ESIA emulator\) /aas/oauth2/v2/ac\n  OK /gosuslugi/callback\n  OK /group/70000000000001/settings$`,
		`(?m)^Gosuslugi: logged in at the ESIA emulator as the chief of Минцифры АО \(OGRN \d{13}\)$`,
		`(?m)^settings page: state status «Рассматривается» since \d{4}-\d\d-\d\d \d\d:\d\d \(world clock\), button is inactive$`,
		`(?m)^gos_org through the API while under review: false$`,
		`(?m)^world clock advanced by 24h0m0s to `,
		`(?m)^settings page: state status «Подтвержден»$`,
		`(?m)^gos_org through the API: true$`,
		`(?m)^result: Минцифры Архангельской области carries the «Госорганизация» mark \(.*gos_org.*\)$`,
		`(?m)^  group\.getinfo +6 × 200$`,
		`(?m)^  web\.settings +5 × 200, 1 × 302, 1 × 409$`,
		`(?m)^  web\.gosuslugi +1 × 302$`,
		`(?m)^  14 requests in total$`,
	} {
		if !regexp.MustCompile(re).MatchString(s) {
			t.Errorf("output does not match %s", re)
		}
	}
	if strings.Contains(s, "MOCK") || strings.Contains(s, "access_token") {
		t.Error("a credential leaked into the output")
	}
	if t.Failed() {
		t.Logf("output:\n%s", s)
	}
}

func TestUnfinishedScenario(t *testing.T) {
	sc, err := unfinishedScenario()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sc.Pages {
		if p.Network == world.NetworkOK && p.ID == okmock.DefaultGroupID && (p.Open || p.City != "" || p.Topic == "Госорганизация") {
			t.Errorf("the OK group %d is already finished: %+v", p.ID, p)
		}
	}
	for _, p := range sc.People {
		if p.OID == world.DefaultChiefOID && p.Accounts[world.NetworkOK].TwoFactor {
			t.Error("the chief's «Двойная защита» is on")
		}
	}
}
