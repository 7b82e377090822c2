package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	s := out.String()
	for _, re := range []string{
		`(?m)^sandbox: VK API emulator at http://127\.0\.0\.1:\d+, ESIA emulator at http://127\.0\.0\.1:\d+$`,
		`(?m)^community: Минцифры Архангельской области \(id 200000001, vk\.com/minsvyaz29\)$`,
		// The report as seeded: what is missing, what cannot be seen.
		`(?m)^requirements of the community, as seeded:\n  \[ok\] community is open \(open\): open\n  \[ok\] main photo \(photo\): set\n  \[MISSING\] description \(description\): .*\n  \[MISSING\] city \(city\): .*\n  \[MISSING\] .* \(category_government\): category is 1001, want 1002$`,
		`(?m)^  \[ok\] managers and their roles \(managers\): id800000001 creator, id800000002 editor$`,
		`(?m)^  \[check by hand\] .* \(admins_two_factor\): cannot be checked through the API`,
		`(?m)^management page: «Не подтверждено», 4 thing\(s\) VK's reviewers will not accept:$`,
		`(?m)^  - У руководителя id800000002 не включена двойная защита$`,
		// The fixes.
		`(?m)^  public category set to «Государственная организация» \(id 1002, found by name in public_category_list\)$`,
		`(?m)^  city set to Архангельск \(VK city id 10\)$`,
		`(?m)^  Пётр Петров \(VK user 800000002\) turned on two-factor authentication$`,
		// After them only the mark itself is missing.
		`(?m)^requirements after the fixes:\n  \[ok\] .*\n  \[ok\] .*\n  \[ok\] description \(description\): set\n  \[ok\] city \(city\): Архангельск\n  \[ok\] .* \(category_government\): category 1002\n  \[ok\] .*\n  \[check by hand\] .*\n  \[MISSING\] «Госорганизация» mark \(gov_mark\): .*$`,
		`(?m)^management page: nothing missing$`,
		`(?m)^pressed «Подтвердить через Госуслуги»; the browser went through:\n  Gosuslugi \(ESIA emulator\) /aas/oauth2/v2/ac\n  VK /gov/callback$`,
		`(?m)^Gosuslugi: logged in at the ESIA emulator as the chief of Минцифры АО \(OGRN \d{13}\)$`,
		`(?m)^VK answered: «Заявка рассматривается»$`,
		`(?m)^is_government_organization through the API while under review: false$`,
		`(?m)^world clock advanced by 24h0m0s to `,
		`(?m)^management page: «Подтвержден»$`,
		`(?m)^is_government_organization through the API: true$`,
		`(?m)^result: Минцифры Архангельской области carries the «Госорганизация» mark \(.*is_government_organization.*\)$`,
	} {
		if !regexp.MustCompile(re).MatchString(s) {
			t.Errorf("output does not match %s", re)
		}
	}
	if strings.Contains(s, vkmock.SandboxTokenPrefix) || strings.Contains(s, "access_token=") {
		t.Error("a token leaked into the output")
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
		if p.Network == world.NetworkVK && p.ID == world.DefaultVKGroupID && (p.Description != "" || p.City != "") {
			t.Errorf("the VK community is already finished: %+v", p)
		}
	}
	for _, p := range sc.People {
		if p.OID == editorOID && p.Accounts[world.NetworkVK].TwoFactor {
			t.Error("the editor's two-factor authentication is on")
		}
	}
	st, err := vkmock.SettingsOf(sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st.Communities {
		if c.ID == world.DefaultVKGroupID && c.PublicCategory == vkmock.GovCategoryID {
			t.Error("the community's category is already the government one")
		}
	}
	// Every token of the default world is one the output must not show.
	sb := mock.Start(t, mock.WithParties("vk"))
	for _, tok := range []string{sb.Credentials.VK.UserToken, sb.Credentials.VK.CommunityToken} {
		if !strings.HasPrefix(tok, vkmock.SandboxTokenPrefix) {
			t.Errorf("a sandbox token without the prefix the leak check looks for")
		}
	}
}
