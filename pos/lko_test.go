package pos

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/identifiers"
)

// ogrn returns a valid OGRN of the 12-digit body.
func ogrn(body string) string {
	return body + fmt.Sprint(identifiers.OGRNCheckDigit(body))
}

var (
	ogrnMinDigital  = "1105476058930" // regional ministry (the instruction's example)
	ogrnCherepanovo = "1045405430620" // district administration (the instruction's example)
	ogrnKindergart  = "1025401020721" // kindergarten No. 460 (the instruction's example)
	ogrnCity        = ogrn("102540000001")
	ogrnSchool      = ogrn("102540000002")
	ogrnHospital    = ogrn("102540000003")
	ogrnLoopA       = ogrn("102540000004")
	ogrnLoopB       = ogrn("102540000005")
	ogrnOrphan      = ogrn("102540000006")
	ogrnAlone       = ogrn("102540000007")
	ogrnNanao       = ogrn("102830000001")
)

func testDirectory(t *testing.T) *Directory {
	t.Helper()
	orgs := []Org{
		{OGRN: ogrnMinDigital, Name: "Минцифры НСО", Agency: esia.AgencyRegional, OKATO: "50401000000"},
		{OGRN: ogrnCherepanovo, Name: "Администрация Черепановского района", Agency: esia.AgencyLocal, OKATO: "50257000000", OKTMO: "50657000", ParentOGRN: ogrnMinDigital},
		{OGRN: ogrnSchool, Name: "Школа", Agency: esia.AgencyMunicipal, OKATO: "50257000000", OKTMO: "50657101001", ParentOGRN: ogrnCherepanovo},
		{OGRN: ogrnCity, Name: "Мэрия Новосибирска", Agency: esia.AgencyLocal, OKATO: "50401000000", OKTMO: "50701000"},
		{OGRN: ogrnKindergart, Name: "Детский сад №460", Agency: esia.AgencyMunicipal, OKATO: "50401000000", ParentOGRN: ogrnCity},
		{OGRN: ogrnHospital, Name: "Областная больница", Agency: esia.AgencySubordinate, OKATO: "50401000000", OKTMO: "50701000001", ParentOGRN: ogrnMinDigital},
		{OGRN: ogrnLoopA, Agency: esia.AgencySubordinate, OKATO: "50401000000", OKTMO: "50701000", ParentOGRN: ogrnLoopB},
		{OGRN: ogrnLoopB, Agency: esia.AgencySubordinate, OKATO: "50401000000", OKTMO: "50701000", ParentOGRN: ogrnLoopA},
		{OGRN: ogrnOrphan, Agency: esia.AgencySubordinate, OKATO: "50401000000", OKTMO: "50701000", ParentOGRN: ogrn("999999999999")},
		{OGRN: ogrnAlone, Agency: esia.AgencySubordinate, OKATO: "50401000000", OKTMO: "50701000"},
		{OGRN: ogrnNanao, Name: "Администрация НАО", Agency: esia.AgencyRegional, OKATO: "11100000000"},
	}
	lkos := []LKO{
		{OpaID: 100, OGRN: ogrnMinDigital, Appeals: true, Polls: true, WidgetSites: []string{"https://vk.com/mincifry_nso"}},
		{OpaID: 219141, OGRN: ogrnCherepanovo, Appeals: true, Polls: true, WidgetSites: []string{"vk.com/cherepanovo"}},
		{OpaID: 500, OGRN: ogrnSchool, Appeals: false, Polls: false},
		{OpaID: 300, OGRN: ogrnCity, Appeals: true, Polls: true},
		{OpaID: 400, OGRN: ogrnNanao, Appeals: true},
	}
	d, err := NewDirectory(Forms{}, orgs, lkos)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestResolve(t *testing.T) {
	d := testDirectory(t)
	cases := []struct {
		name               string
		ogrn               string
		kind               BodyKind
		appealFrom         string
		pollsFrom          string
		appealURL, pollURL string
	}{
		{"regional body", ogrnMinDigital, KindRegional, ogrnMinDigital, ogrnMinDigital,
			"https://pos.gosuslugi.ru/form/?opaId=100&utm_source=vk&utm_medium=50&utm_campaign=1105476058930", seedRegional},
		{"municipal body", ogrnCherepanovo, KindMunicipal, ogrnCherepanovo, ogrnCherepanovo, seedAppeal, seedMunicipal},
		{"not connected: the superior's LKO, own OGRN", ogrnKindergart, KindSubordinate, ogrnCity, ogrnCity,
			"https://pos.gosuslugi.ru/form/?opaId=300&utm_source=vk&utm_medium=50&utm_campaign=1025401020721", seedKindergarten},
		{"LKO not connected for appeals", ogrnSchool, KindSubordinate, ogrnCherepanovo, ogrnCherepanovo,
			"https://pos.gosuslugi.ru/form/?opaId=219141&utm_source=vk&utm_medium=50&utm_campaign=" + ogrnSchool,
			"https://pos.gosuslugi.ru/og/org-activities?mun_code=50657000&utm_source=vk2&utm_medium=50&utm_campaign=" + ogrnSchool},
		{"subordinate of a regional body: own municipality", ogrnHospital, KindSubordinate, ogrnMinDigital, ogrnHospital,
			"https://pos.gosuslugi.ru/form/?opaId=100&utm_source=vk&utm_medium=50&utm_campaign=" + ogrnHospital,
			"https://pos.gosuslugi.ru/og/org-activities?mun_code=50701000&utm_source=vk2&utm_medium=50&utm_campaign=" + ogrnHospital},
		{"autonomous okrug region code", ogrnNanao, KindRegional, ogrnNanao, ogrnNanao,
			"https://pos.gosuslugi.ru/form/?opaId=400&utm_source=vk&utm_medium=111&utm_campaign=" + ogrnNanao,
			"https://pos.gosuslugi.ru/og/org-activities?reg_code=111&utm_source=vk1&utm_medium=111&utm_campaign=" + ogrnNanao},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := d.Resolve(c.ogrn)
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != c.kind || r.AppealFrom.OGRN != c.appealFrom || r.PollsFrom.OGRN != c.pollsFrom {
				t.Fatalf("kind %v appeal from %s polls from %s", r.Kind, r.AppealFrom.OGRN, r.PollsFrom.OGRN)
			}
			if r.AppealURL != c.appealURL || r.PollsURL != c.pollURL {
				t.Fatalf("links\n %s\n %s\nwant\n %s\n %s", r.AppealURL, r.PollsURL, c.appealURL, c.pollURL)
			}
			// The links the resolution builds pass their own check.
			if _, err := (Forms{}).Check(r.AppealURL, r.Appeal); err != nil {
				t.Fatal(err)
			}
			if _, err := (Forms{}).Check(r.PollsURL, r.Polls); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	d := testDirectory(t)
	for _, c := range []struct {
		ogrn string
		want error
	}{
		{ogrnLoopA, ErrCycle}, {ogrnOrphan, ErrMissingParent}, {ogrnAlone, ErrNotConnected}, {ogrn("111111111111"), ErrUnknownOrg},
	} {
		_, err := d.Resolve(c.ogrn)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.ogrn[:12]) {
			t.Errorf("Resolve(%s) = %v, want %v naming it", c.ogrn, err, c.want)
		}
	}
	if _, err := d.Superiors(ogrnLoopB); !errors.Is(err, ErrCycle) {
		t.Errorf("Superiors of a loop: %v", err)
	}
	sup, err := d.Superiors(ogrnSchool)
	if err != nil || len(sup) != 2 || sup[0].OGRN != ogrnCherepanovo || sup[1].OGRN != ogrnMinDigital {
		t.Errorf("Superiors(school) = %v, %v", sup, err)
	}
}

func TestResolveNoMunicipality(t *testing.T) {
	d, err := NewDirectory(Forms{}, []Org{{OGRN: ogrnAlone, Agency: esia.AgencyLocal, OKATO: "50401000000"}},
		[]LKO{{OpaID: 1, OGRN: ogrnAlone, Appeals: true}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Resolve(ogrnAlone); !errors.Is(err, ErrNoMunicipality) {
		t.Fatalf("%v", err)
	}
}

func TestNewDirectoryRejects(t *testing.T) {
	good := Org{OGRN: ogrnAlone, OKATO: "50401000000"}
	cases := []struct {
		name string
		orgs []Org
		lkos []LKO
		want error
	}{
		{"bad OGRN", []Org{{OGRN: "1"}}, nil, identifiers.RuleLength},
		{"duplicate org", []Org{good, good}, nil, ErrDuplicate},
		{"LKO of unknown org", []Org{good}, []LKO{{OpaID: 1, OGRN: ogrnCity}}, ErrUnknownOrg},
		{"duplicate opaId", []Org{good, {OGRN: ogrnCity}}, []LKO{{OpaID: 1, OGRN: ogrnAlone}, {OpaID: 1, OGRN: ogrnCity}}, ErrDuplicate},
		{"two LKOs", []Org{good}, []LKO{{OpaID: 1, OGRN: ogrnAlone}, {OpaID: 2, OGRN: ogrnAlone}}, ErrDuplicate},
		{"opaId zero", []Org{good}, []LKO{{OGRN: ogrnAlone}}, ErrInvalidParameter},
	}
	for _, c := range cases {
		if _, err := NewDirectory(Forms{}, c.orgs, c.lkos); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestPlan(t *testing.T) {
	d := testDirectory(t)
	p, err := d.Plan(ogrnCherepanovo, "https://vk.com/cherepanovo/")
	if err != nil {
		t.Fatal(err)
	}
	want := [2]MenuItem{
		{Position: 1, Title: "Решаем вместе", Cover: "Сообщить о проблеме", URL: seedAppeal},
		{Position: 2, Title: "Решаем вместе", Cover: "Высказать мнение", URL: seedMunicipal},
	}
	if p.Items != want {
		t.Fatalf("items %+v", p.Items)
	}
	if len(p.Settings) != 1 || !p.Settings[0].On || p.Settings[0].OpaID != 219141 || p.Settings[0].Checkbox != "Сайт размещения виджета" {
		t.Fatalf("settings %+v", p.Settings)
	}
	// The kindergarten's plan asks for the city LKO's widget site, which is missing.
	p, err = d.Plan(ogrnKindergart, "https://vk.com/ds460")
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Settings[0]; s.On || s.OpaID != 300 || s.OGRN != ogrnCity || s.Site != "https://vk.com/ds460" {
		t.Fatalf("settings %+v", s)
	}
	text := p.String()
	for _, w := range []string{"[MISSING]", "Menu item 1: title «Решаем вместе», cover «Сообщить о проблеме»", CoverSetURL, "opaId=300"} {
		if !strings.Contains(text, w) {
			t.Errorf("plan text lacks %q:\n%s", w, text)
		}
	}
	if _, err := d.Plan(ogrnLoopA, "x"); !errors.Is(err, ErrCycle) {
		t.Fatalf("plan of a loop: %v", err)
	}
}

func TestWidgetSnippet(t *testing.T) {
	got := WidgetSnippet(262465, 2)
	want := "<script src='https://pos.gosuslugi.ru/bin/script.min.js'></script>\n" +
		"<div id='js-show-iframe-wrapper'><div class='pos-banner-fluid bf-2'><button class='pos-banner-btn_2' type='button'>Написать о проблеме</button></div></div>\n" +
		"<script>Widget(\"https://pos.gosuslugi.ru/form\", 262465)</script>\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	hostile := Forms{BaseURL: "http://h/'a&</script><x"}.WidgetSnippet(1, 18)
	if strings.Count(hostile, "</script>") != 2 || strings.Contains(hostile, "'a&") ||
		!strings.Contains(hostile, "&#39;a&amp;&lt;/script&gt;&lt;x") || !strings.Contains(hostile, `\u0026\u003c/script\u003e`) {
		t.Fatalf("not escaped:\n%s", hostile)
	}
}

func TestPollsConnected(t *testing.T) {
	d := testDirectory(t)
	for ogrn, want := range map[string]bool{ogrnMinDigital: true, ogrnKindergart: true, ogrnNanao: false, ogrnHospital: false} {
		r, err := d.Resolve(ogrn)
		if err != nil || r.PollsConnected != want {
			t.Errorf("%s: PollsConnected %v, %v; want %v", ogrn, r.PollsConnected, err, want)
		}
	}
	p, _ := d.Plan(ogrnNanao, "https://vk.com/nao")
	if !strings.Contains(p.String(), "not connected to POS for polls") {
		t.Errorf("plan lacks the polls note:\n%s", p)
	}
}

func TestRegionCodes(t *testing.T) {
	for i, okato := range []string{"11100000000", "71100000000", "71140000000"} {
		got, err := RegionCode(okato)
		if err != nil || got != AutonomousOkrugCodes[i] || ValidateRegionCode(got) != nil {
			t.Errorf("RegionCode(%s) = %q, %v; want %q", okato, got, err, AutonomousOkrugCodes[i])
		}
	}
	if got, _ := RegionCode("50401000000"); got != "50" {
		t.Errorf("RegionCode = %q", got)
	}
	for _, bad := range []string{"7", "00", "71141", "1111"} {
		if ValidateRegionCode(bad) == nil {
			t.Errorf("ValidateRegionCode(%q) accepted", bad)
		}
	}
	if m, err := MunicipalCode("50701000001"); err != nil || m != "50701000" {
		t.Errorf("MunicipalCode = %q, %v", m, err)
	}
	if _, err := MunicipalCode("5070100000"); err == nil {
		t.Error("MunicipalCode accepted 10 digits")
	}
	if ValidateOGRN(ogrnCity) != nil || ValidateOGRN("1045405430621") == nil || ValidateOKTMO("50701000") != nil {
		t.Error("re-exported validators")
	}
}
