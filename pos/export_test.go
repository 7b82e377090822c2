package pos

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const exportHeader = "ID ЛКО;ОГРН;Наименование организации;Тип;ОКАТО;ОКТМО;ОГРН верхнеуровневой организации;Подключение к сообщениям;Подключение к опросам;Сайт размещения виджета\n"

func TestLoadExportBadRows(t *testing.T) {
	win1251 := "\xc4\xe5\xf2\xf1\xea\xe8\xe9 \xf1\xe0\xe4" // «Детский сад» in Windows-1251
	rows := []string{
		"219141;1045405430620;Администрация Черепановского района;12.LCL;50257000000;50657000;;да;да;https://vk.com/cherepanovo, cherepanovo.ru", // 2 ok
		"300;" + ogrnCity + ";Мэрия;12.LCL;50401000000;50701000;;Да;Нет;",                                                                        // 3 ok
		";1025401020721;Детский сад №460;21.MCL;50401000000;;" + ogrnCity + ";;;",                                                                // 4 ok, no LKO
		"301;" + ogrnSchool + ";Школа;21.MCL;50401000000",                                                                                        // 5 columns
		"302;1045405430621;Ошибка;12.LCL;50401000000;50701000;;да;да;",                                                                           // 6 bad OGRN
		"300;" + ogrnHospital + ";Дубль;13.PVD;50401000000;50701000;;да;да;",                                                                     // 7 duplicate opaId
		"303;" + ogrnLoopA + ";" + win1251 + ";21.MCL;50401000000;50701000;;да;да;",                                                              // 8 encoding
		"x;" + ogrnLoopB + ";Б;21.MCL;50401000000;50701000;;да;да;",                                                                              // 9 opaId
		"304;" + ogrnOrphan + ";В;21.MCL;50401000000;50701000;;может быть;да;",                                                                   // 10 flag
		"305;" + ogrnAlone + ";Г;21.MCL;00401000000;50701000;;да;да;",                                                                            // 11 OKATO
		"306;" + ogrnNanao + ";Д;21.MCL;50401000000;5070;;да;да;",                                                                                // 12 OKTMO
		"307;1045405430620;Дубль ОГРН;12.LCL;50257000000;50657000;;да;да;",                                                                       // 13 duplicate OGRN
		"308;" + ogrnHospital + ";Е;13.PVD;50401000000;50701000;1;да;да;",                                                                        // 14 parent OGRN
		"309;" + ogrnHospital + ";\"Ж;13.PVD;50401000000;50701000;;да;да;\n",                                                                     // 15 quote to EOF
	}
	ex, err := LoadExport(strings.NewReader(exportHeader+strings.Join(rows, "\n")), Columns{Comma: ';'})
	if err != nil {
		t.Fatal(err)
	}
	type bad struct {
		line   int
		reason RowReason
	}
	var got []bad
	for _, b := range ex.Bad {
		got = append(got, bad{b.Line, b.Reason})
		if strings.Contains(b.Error(), "\xc4") {
			t.Errorf("error repeats invalid bytes: %q", b.Error())
		}
	}
	want := []bad{{5, ReasonColumns}, {6, ReasonOGRN}, {7, ReasonDuplicateOpaID}, {8, ReasonEncoding}, {9, ReasonOpaID},
		{10, ReasonFlag}, {11, ReasonOKATO}, {12, ReasonOKTMO}, {13, ReasonDuplicateOGRN}, {14, ReasonOGRN}, {15, ReasonSyntax}}
	if !slices.Equal(got, want) {
		t.Fatalf("bad rows %v\nwant %v\n%v", got, want, ex.Bad)
	}
	if len(ex.Orgs) != 3 || len(ex.LKOs) != 2 {
		t.Fatalf("loaded %d orgs, %d LKOs", len(ex.Orgs), len(ex.LKOs))
	}
	l := ex.LKOs[0]
	if l.OpaID != 219141 || !l.Appeals || !l.Polls || !slices.Equal(l.WidgetSites, []string{"https://vk.com/cherepanovo", "cherepanovo.ru"}) {
		t.Fatalf("LKO %+v", l)
	}
	if ex.LKOs[1].Polls || !ex.LKOs[1].Appeals {
		t.Fatalf("flags %+v", ex.LKOs[1])
	}
	d, err := ex.Directory(Forms{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := d.Resolve("1025401020721")
	if err != nil || r.AppealURL != "https://pos.gosuslugi.ru/form/?opaId=300&utm_source=vk&utm_medium=50&utm_campaign=1025401020721" || r.PollsURL != seedKindergarten {
		t.Fatalf("resolved %+v, %v", r, err)
	}
}

func TestLoadExportColumns(t *testing.T) {
	in := "\uFEFFogrn,extra,opa,appeals\n1045405430620,x,219141,yes\n"
	ex, err := LoadExport(strings.NewReader(in), Columns{OGRN: "OGRN", OpaID: "opa", Appeals: "Appeals", Comma: ','})
	if err != nil || len(ex.Bad) != 0 || len(ex.LKOs) != 1 || ex.LKOs[0].OpaID != 219141 || !ex.LKOs[0].Appeals {
		t.Fatalf("%+v, %v", ex, err)
	}
}

func TestLoadExportHeader(t *testing.T) {
	for _, in := range []string{"", "a;b\n1;2\n", "\xce\xc3\xd0\xcd;b\n"} {
		if _, err := LoadExport(strings.NewReader(in), Columns{}); !errors.Is(err, ErrExportHeader) {
			t.Errorf("LoadExport(%q): %v", in, err)
		}
	}
}

func TestLoadExportMissingColumns(t *testing.T) {
	ex, err := LoadExport(strings.NewReader("ОГРН;ID ЛКО\n1045405430620;5\n"), Columns{Comma: ';'})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.MissingColumns) != 8 || ex.MissingColumns[0] != "Наименование организации" || len(ex.LKOs) != 1 {
		t.Fatalf("%+v", ex)
	}
}
