package pos_test

import (
	"fmt"
	"strings"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/pos"
)

func ExampleForms_AppealLink() {
	var forms pos.Forms // pos.gosuslugi.ru; set BaseURL for the sandbox
	link, err := forms.AppealLink(219141, "50", "1045405430620")
	fmt.Println(link, err)
	// Output: https://pos.gosuslugi.ru/form/?opaId=219141&utm_source=vk&utm_medium=50&utm_campaign=1045405430620 <nil>
}

func ExampleForms_PollsLink() {
	var forms pos.Forms
	regional, _ := forms.PollsLink(pos.Classify(esia.AgencyRegional), "", "50", "1105476058930")
	municipal, _ := forms.PollsLink(pos.Classify(esia.AgencyLocal), "50657000", "50", "1045405430620")
	fmt.Println(regional)
	fmt.Println(municipal)
	// Output:
	// https://pos.gosuslugi.ru/og/org-activities?reg_code=50&utm_source=vk1&utm_medium=50&utm_campaign=1105476058930
	// https://pos.gosuslugi.ru/og/org-activities?mun_code=50657000&utm_source=vk2&utm_medium=50&utm_campaign=1045405430620
}

func ExampleForms_Parse() {
	// A link copied from a wrapped document, with a typo in the OGRN and
	// the utm_source of a regional body.
	raw := "https://pos.gosuslugi.ru/og/org-activities?mun_code=50657000&utm_source=vk1&utm_me dium=50&utm_campaign=1045405430621"
	link, err := pos.Forms{}.Parse(raw)
	fmt.Println(link.Kind, link.MunCode)
	for _, p := range pos.Problems(err) {
		fmt.Println(p)
	}
	// Output:
	// municipal-polls 50657000
	// space: "utm_me dium=50"
	// wrong-utm-source: "utm_source=vk1"
	// ogrn-checksum: "utm_campaign=1045405430621"
}

func ExampleDirectory_Plan() {
	orgs := []pos.Org{
		{OGRN: "1045405430620", Name: "Администрация Черепановского района", Agency: esia.AgencyLocal, OKATO: "50257000000", OKTMO: "50657000"},
	}
	lkos := []pos.LKO{{OpaID: 219141, OGRN: "1045405430620", Appeals: true, Polls: true, WidgetSites: []string{"vk.com/cherepanovo"}}}
	dir, err := pos.NewDirectory(pos.Forms{}, orgs, lkos)
	if err != nil {
		panic(err)
	}
	plan, err := dir.Plan("1045405430620", "https://vk.com/cherepanovo")
	if err != nil {
		panic(err)
	}
	fmt.Print(plan)
	// Output:
	// Page https://vk.com/cherepanovo (Администрация Черепановского района, OGRN 1045405430620, municipal)
	// LKO 219141 (OGRN 1045405430620): «Функционирование ЛКО» → «Сайт/соцсети»: list https://vk.com/cherepanovo with «Сайт размещения виджета» on [ON]
	// Menu item 1: title «Решаем вместе», cover «Сообщить о проблеме», link https://pos.gosuslugi.ru/form/?opaId=219141&utm_source=vk&utm_medium=50&utm_campaign=1045405430620
	// Menu item 2: title «Решаем вместе», cover «Высказать мнение», link https://pos.gosuslugi.ru/og/org-activities?mun_code=50657000&utm_source=vk2&utm_medium=50&utm_campaign=1045405430620
	// Covers: https://pos.gosuslugi.ru/docs/docs/oblojki-electronnikh-form-pos.7z
}

func ExampleLoadExport() {
	// The table as the POS emulator exports it (DefaultColumns, comma-separated).
	table := "ОГРН,Наименование организации,ID ЛКО,Подключение к сообщениям,Подключение к опросам,ОКАТО,ОКТМО,ID верхнеуровневого ЛКО,ОГРН верхнеуровневой организации,Сайт размещения виджета\n" +
		"1045405430620,Администрация Черепановского района,219141,Да,Да,50257000000,50657000,,,vk.com/cherepanovo\n" +
		"1025401020721,Детский сад,,Нет,Нет,50401000000,50701000,219141,1045405430620,\n" +
		"1105476058930,Дубль,219141,Да,Да,50401000000,,,,\n" +
		"1045405430621,Опечатка,7,Да,Да,50401000000,,,,\n"
	ex, err := pos.LoadExport(strings.NewReader(table), pos.Columns{})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(ex.Orgs), "organisations,", len(ex.LKOs), "LKO")
	for _, bad := range ex.Bad {
		fmt.Println(bad.Line, bad.Reason)
	}
	fmt.Println("missing:", ex.MissingColumns)
	dir, _ := ex.Directory(pos.Forms{})
	r, err := dir.Resolve("1025401020721") // the table has no agency type: the appeal form only
	fmt.Println(r.AppealURL)
	fmt.Println(err)
	// Output:
	// 2 organisations, 1 LKO
	// 4 duplicate-opa-id
	// 5 ogrn
	// missing: [Тип]
	// https://pos.gosuslugi.ru/form/?opaId=219141&utm_source=vk&utm_medium=50&utm_campaign=1025401020721
	// pos: agency type unknown: 1025401020721
}

func ExampleWidgetSnippet() {
	fmt.Print(pos.WidgetSnippet(262465, 2))
	// Output:
	// <script src='https://pos.gosuslugi.ru/bin/script.min.js'></script>
	// <div id='js-show-iframe-wrapper'><div class='pos-banner-fluid bf-2'><button class='pos-banner-btn_2' type='button'>Написать о проблеме</button></div></div>
	// <script>Widget("https://pos.gosuslugi.ru/form", 262465)</script>
}
