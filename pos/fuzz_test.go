package pos

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/identifiers"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{seedAppeal, seedRegional, seedMunicipal, seedKindergarten,
		"https://pos.gosuslugi.ru/og/org- activities?mun_code= 50701000&utm_source=vk2&utm_medium=50&utm_ campaign= 1025401020721",
		"https://pos.gosuslugi.ru/form/?opaId=%20&&&=#", "://?", ""} {
		f.Add(s)
	}
	var forms Forms
	f.Fuzz(func(t *testing.T, raw string) {
		l, err := forms.Parse(raw)
		if err == nil {
			// A link without problems is exactly what the builder writes.
			if got := forms.Build(l); got != raw {
				t.Fatalf("clean link %q rebuilds as %q", raw, got)
			}
			if identifiers.ValidateOGRN(l.UTMCampaign) != nil || identifiers.ValidateOKATORegion(l.UTMMedium) != nil {
				t.Fatalf("clean link %q with bad parts %+v", raw, l)
			}
			return
		}
		ps := Problems(err)
		if len(ps) == 0 {
			t.Fatalf("error without problems: %v", err)
		}
		for _, p := range ps {
			if p.Code == "" {
				t.Fatalf("problem without code: %v", ps)
			}
		}
		_, _ = forms.Check(raw, l)
	})
}

func FuzzLoadExport(f *testing.F) {
	f.Add([]byte(exportHeader + "219141;1045405430620;А;12.LCL;50257000000;50657000;;да;да;vk.com/x\n"))
	f.Add([]byte(exportHeader + "1;1045405430620;\"\xc4\";12.LCL;5;5;;да;да;\n\"\n"))
	f.Add([]byte("ОГРН\n1045405430620\n1045405430620\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		ex, err := LoadExport(bytes.NewReader(in), Columns{Comma: ';'})
		if err != nil {
			return
		}
		lines := bytes.Count(in, []byte("\n")) + 1
		for _, b := range ex.Bad {
			if b.Line < 2 || b.Line > lines {
				t.Fatalf("bad row line %d of %d", b.Line, lines)
			}
		}
		for _, o := range ex.Orgs {
			if identifiers.ValidateOGRN(o.OGRN) != nil || strings.ContainsRune(o.Name, '\uFFFD') && !bytes.ContainsRune(in, '\uFFFD') {
				t.Fatalf("loaded a bad org %+v", o)
			}
		}
		if _, err := ex.Directory(Forms{}); err != nil {
			t.Fatalf("valid rows do not make a directory: %v", err)
		}
	})
}
