package pos

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/identifiers"
)

// The example links of the POS placement instruction, cleaned of the
// spaces its layout put into them.
const (
	seedAppeal       = "https://pos.gosuslugi.ru/form/?opaId=219141&utm_source=vk&utm_medium=50&utm_campaign=1045405430620"
	seedRegional     = "https://pos.gosuslugi.ru/og/org-activities?reg_code=50&utm_source=vk1&utm_medium=50&utm_campaign=1105476058930"
	seedMunicipal    = "https://pos.gosuslugi.ru/og/org-activities?mun_code=50657000&utm_source=vk2&utm_medium=50&utm_campaign=1045405430620"
	seedKindergarten = "https://pos.gosuslugi.ru/og/org-activities?mun_code=50701000&utm_source=vk2&utm_medium=50&utm_campaign=1025401020721"
)

func TestBuildersSeedExamples(t *testing.T) {
	var f Forms
	tests := []struct {
		name  string
		build func() (string, error)
		want  string
	}{
		{"appeal", func() (string, error) { return f.AppealLink(219141, "50", "1045405430620") }, seedAppeal},
		{"regional polls", func() (string, error) { return f.RegionalPollsLink("50", "1105476058930") }, seedRegional},
		{"municipal polls", func() (string, error) { return f.MunicipalPollsLink("50657000", "50", "1045405430620") }, seedMunicipal},
		{"subordinate polls, 11-digit OKTMO", func() (string, error) {
			return f.PollsLink(KindSubordinate, "50701000001", "50", "1025401020721")
		}, seedKindergarten},
		{"regional via PollsLink", func() (string, error) { return f.PollsLink(KindRegional, "", "50", "1105476058930") }, seedRegional},
		{"autonomous okrug", func() (string, error) { return f.RegionalPollsLink("7114", "1105476058930") },
			"https://pos.gosuslugi.ru/og/org-activities?reg_code=7114&utm_source=vk1&utm_medium=7114&utm_campaign=1105476058930"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.build()
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestBuildersBaseURL(t *testing.T) {
	f := Forms{BaseURL: "http://127.0.0.1:8080/"}
	got, err := f.AppealLink(7, "45", "1047702026701")
	want := "http://127.0.0.1:8080/form/?opaId=7&utm_source=vk&utm_medium=45&utm_campaign=1047702026701"
	if err != nil || got != want {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := f.Parse(got); err != nil {
		t.Fatalf("sandbox link does not parse against its base: %v", err)
	}
	if _, err := (Forms{}).Parse(got); !hasCodes(err, ProblemScheme, ProblemHost) {
		t.Fatalf("sandbox link against the real base: %v", err)
	}
}

func TestBuildersRejectBadParameters(t *testing.T) {
	var f Forms
	cases := []struct {
		name string
		err  func() error
		rule identifiers.Rule
	}{
		{"opaId zero", func() error { _, err := f.AppealLink(0, "50", "1045405430620"); return err }, 0},
		{"region", func() error { _, err := f.AppealLink(1, "5", "1045405430620"); return err }, identifiers.RuleLength},
		{"unknown region", func() error { _, err := f.RegionalPollsLink("00", "1045405430620"); return err }, identifiers.RuleRegion},
		{"ogrn check digit", func() error { _, err := f.AppealLink(1, "50", "1045405430621"); return err }, identifiers.RuleCheckDigit},
		{"oktmo", func() error { _, err := f.MunicipalPollsLink("5065700", "50", "1045405430620"); return err }, identifiers.RuleLength},
		{"body kind", func() error { _, err := f.PollsLink(KindUnknown, "50657000", "50", "1045405430620"); return err }, 0},
	}
	for _, c := range cases {
		err := c.err()
		if !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("%s: %v, want ErrInvalidParameter", c.name, err)
		}
		if c.rule != 0 && !errors.Is(err, c.rule) {
			t.Errorf("%s: %v, want rule %v", c.name, err, c.rule)
		}
	}
}

func TestParseSeedExamples(t *testing.T) {
	var f Forms
	cases := []struct {
		raw  string
		want Link
	}{
		{seedAppeal, Link{Kind: LinkAppeal, OpaID: 219141, UTMSource: "vk", UTMMedium: "50", UTMCampaign: "1045405430620"}},
		{seedRegional, Link{Kind: LinkRegionalPolls, RegCode: "50", UTMSource: "vk1", UTMMedium: "50", UTMCampaign: "1105476058930"}},
		{seedMunicipal, Link{Kind: LinkMunicipalPolls, MunCode: "50657000", UTMSource: "vk2", UTMMedium: "50", UTMCampaign: "1045405430620"}},
		{seedKindergarten, Link{Kind: LinkMunicipalPolls, MunCode: "50701000", UTMSource: "vk2", UTMMedium: "50", UTMCampaign: "1025401020721"}},
	}
	for _, c := range cases {
		got, err := f.Parse(c.raw)
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", c.raw, got, err, c.want)
		}
		if s := f.Build(got); s != c.raw {
			t.Errorf("round trip: %q, want %q", s, c.raw)
		}
	}
}

// The instruction's links as its text carries them, wrapped by its layout.
func TestParseSeedAsWritten(t *testing.T) {
	var f Forms
	cases := []struct {
		raw   string
		parts []string
		clean string
	}{
		{"https://pos.gosuslugi.ru/form/?opaId=219141&utm_source=vk&utm_me dium=50&utm_campaign=1045405430620",
			[]string{"utm_me dium=50"}, seedAppeal},
		{"https://pos.gosuslugi.ru/og/org- activities?mun_code=50657000&utm_source=vk2&utm_medium=50&utm_ campaign=1045405430620",
			[]string{"org- activities", "utm_ campaign=1045405430620"}, seedMunicipal},
		{"https://pos.gosuslugi.ru/og/org-\nactivities?mun_code= 50701000&utm_source=vk2&utm_medium=50&utm_ campaign= 1025401020721",
			[]string{"org-\nactivities", "mun_code= 50701000", "utm_ campaign= 1025401020721"}, seedKindergarten},
	}
	for _, c := range cases {
		got, err := f.Parse(c.raw)
		ps := Problems(err)
		var parts []string
		for _, p := range ps {
			if p.Code != ProblemSpace {
				t.Errorf("%q: unexpected problem %v", c.raw, p)
			}
			parts = append(parts, p.Part)
		}
		if !slices.Equal(parts, c.parts) {
			t.Errorf("%q: space parts %q, want %q", c.raw, parts, c.parts)
		}
		if f.Build(got) != c.clean {
			t.Errorf("%q: read as %q, want %q", c.raw, f.Build(got), c.clean)
		}
	}
}

func hasCodes(err error, codes ...ProblemCode) bool {
	var le *LinkError
	if !errors.As(err, &le) {
		return false
	}
	for _, c := range codes {
		if !le.Has(c) {
			return false
		}
	}
	return true
}

// Every problem code, each from a minimal mutation of a good link.
func TestParseProblems(t *testing.T) {
	var f Forms
	cases := []struct {
		name string
		raw  string
		want []Problem
	}{
		{"space", strings.Replace(seedAppeal, "opaId=", "opaId= ", 1), []Problem{{Code: ProblemSpace, Part: "opaId= 219141"}}},
		{"encoded space", strings.Replace(seedAppeal, "opaId=", "opaId=%20", 1), []Problem{{Code: ProblemEncodedSpace, Part: "opaId=%20219141"}}},
		{"no scheme", "pos.gosuslugi.ru/form/?opaId=1", []Problem{{Code: ProblemSyntax, Part: "pos.gosuslugi.ru/form/?opaId=1"}}},
		{"http", strings.Replace(seedAppeal, "https", "http", 1), []Problem{{Code: ProblemScheme, Part: "http"}}},
		{"host", strings.Replace(seedAppeal, "pos.gosuslugi.ru", "pos.gosuslugi.com", 1), []Problem{{Code: ProblemHost, Part: "pos.gosuslugi.com"}}},
		{"form without slash", strings.Replace(seedAppeal, "/form/", "/form", 1), []Problem{{Code: ProblemPath, Part: "/form"}}},
		{"polls path", strings.Replace(seedMunicipal, "org-activities", "org-activity", 1), []Problem{{Code: ProblemPath, Part: "/og/org-activity"}}},
		{"fragment", seedAppeal + "#x", []Problem{{Code: ProblemSyntax, Part: "#x"}}},
		{"no query", "https://pos.gosuslugi.ru/form/", []Problem{{Code: ProblemSyntax, Part: "missing query"}}},
		{"param without =", seedAppeal + "&fz59", []Problem{{Code: ProblemSyntax, Part: "fz59"}}},
		{"missing", strings.Replace(seedAppeal, "&utm_medium=50", "", 1), []Problem{{Code: ProblemMissingParam, Part: "utm_medium"}}},
		{"missing form param", strings.Replace(seedMunicipal, "mun_code=50657000&", "", 1),
			[]Problem{{Code: ProblemMissingParam, Part: "reg_code|mun_code"}}},
		{"duplicate", seedAppeal + "&utm_source=vk", []Problem{{Code: ProblemDuplicateParam, Part: "utm_source=vk"}}},
		{"unknown", seedAppeal + "&fz59=false", []Problem{{Code: ProblemUnknownParam, Part: "fz59=false"}}},
		{"reg_code on appeal", seedAppeal + "&reg_code=50", []Problem{{Code: ProblemUnknownParam, Part: "reg_code=50"}}},
		{"conflicting", seedMunicipal + "&reg_code=50", []Problem{{Code: ProblemConflictingParam, Part: "reg_code&mun_code"}}},
		{"order", "https://pos.gosuslugi.ru/form/?utm_source=vk&opaId=219141&utm_medium=50&utm_campaign=1045405430620",
			[]Problem{{Code: ProblemParamOrder, Part: "utm_source=vk&opaId=219141&utm_medium=50&utm_campaign=1045405430620"}}},
		{"opaId", strings.Replace(seedAppeal, "219141", "ID", 1), []Problem{{Code: ProblemOpaID, Part: "opaId=ID"}}},
		{"opaId leading zero", strings.Replace(seedAppeal, "219141", "0219141", 1), []Problem{{Code: ProblemOpaID, Part: "opaId=0219141"}}},
		{"region", strings.Replace(seedAppeal, "utm_medium=50", "utm_medium=REG-CODE", 1), []Problem{{Code: ProblemRegion, Part: "utm_medium=REG-CODE"}}},
		{"reg_code", strings.Replace(seedRegional, "reg_code=50", "reg_code=500", 1), []Problem{{Code: ProblemRegion, Part: "reg_code=500"}}},
		{"region mismatch", strings.Replace(seedRegional, "reg_code=50", "reg_code=45", 1), []Problem{{Code: ProblemRegionMismatch, Part: "utm_medium=50"}}},
		{"mun_code", strings.Replace(seedMunicipal, "50657000", "50657000001", 1), []Problem{{Code: ProblemMunCode, Part: "mun_code=50657000001"}}},
		{"ogrn", strings.Replace(seedAppeal, "1045405430620", "OGRN", 1), []Problem{{Code: ProblemOGRN, Part: "utm_campaign=OGRN"}}},
		{"ogrn checksum", strings.Replace(seedAppeal, "1045405430620", "1045405430621", 1), []Problem{{Code: ProblemOGRNChecksum, Part: "utm_campaign=1045405430621"}}},
		{"utm_source vk1 on municipal", strings.Replace(seedMunicipal, "vk2", "vk1", 1), []Problem{{Code: ProblemUTMSource, Part: "utm_source=vk1"}}},
		{"utm_source vk2 on regional", strings.Replace(seedRegional, "vk1", "vk2", 1), []Problem{{Code: ProblemUTMSource, Part: "utm_source=vk2"}}},
		{"utm_source vk1 on appeal", strings.Replace(seedAppeal, "=vk&", "=vk1&", 1), []Problem{{Code: ProblemUTMSource, Part: "utm_source=vk1"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.Parse(c.raw)
			got := Problems(err)
			for i := range got {
				got[i].Err = nil
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("Parse(%q) problems %v, want %v", c.raw, got, c.want)
			}
			if !strings.Contains(err.Error(), string(c.want[0].Code)) {
				t.Fatalf("message %q lacks the code", err)
			}
		})
	}
}

func TestParseProblemErrWrapsIdentifierError(t *testing.T) {
	_, err := Forms{}.Parse(strings.Replace(seedAppeal, "1045405430620", "1045405430621", 1))
	ps := Problems(err)
	var ie *identifiers.Error
	if len(ps) != 1 || !errors.As(ps[0].Err, &ie) || ie.Want != 0 || ie.Got != 1 {
		t.Fatalf("problems %v", ps)
	}
	if core := err.(*LinkError).ErrorCode(); core != "pos_bad_link" {
		t.Fatalf("ErrorCode %q", core)
	}
}

func TestCheck(t *testing.T) {
	var f Forms
	want, _ := f.Parse(seedMunicipal)
	if _, err := f.Check(seedMunicipal, want); err != nil {
		t.Fatalf("good link: %v", err)
	}
	appeal, _ := f.Parse(seedAppeal)
	cases := []struct {
		name string
		raw  string
		want Link
		code ProblemCode
	}{
		{"regional on municipal page", seedRegional, want, ProblemKindMismatch},
		{"other municipality", strings.Replace(seedMunicipal, "50657000", "50701000", 1), want, ProblemMunCodeMismatch},
		{"other owner", seedKindergarten, Link{Kind: LinkMunicipalPolls, MunCode: "50701000", UTMSource: "vk2", UTMMedium: "50", UTMCampaign: "1045405430620"}, ProblemOGRNMismatch},
		{"other region", strings.ReplaceAll(seedMunicipal, "=50&", "=45&"), want, ProblemRegionMismatch},
		{"other LKO", strings.Replace(seedAppeal, "219141", "219142", 1), appeal, ProblemOpaIDMismatch},
	}
	for _, c := range cases {
		_, err := f.Check(c.raw, c.want)
		if !hasCodes(err, c.code) {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		t    string
		want BodyKind
		utm  string
	}{
		{"11.REG", KindRegional, "vk1"}, {"12.LCL", KindMunicipal, "vk2"}, {"13.PVD", KindSubordinate, "vk2"},
		{"21.MCL", KindSubordinate, "vk2"}, {"", KindUnknown, ""},
	} {
		k := Classify(agency(c.t))
		if k != c.want || k.UTMSource() != c.utm {
			t.Errorf("Classify(%q) = %v (%q), want %v (%q)", c.t, k, k.UTMSource(), c.want, c.utm)
		}
	}
	if !SubordinateOfMunicipal([]esiaAgency{"13.PVD", "12.LCL", "11.REG"}) || SubordinateOfMunicipal([]esiaAgency{"11.REG"}) {
		t.Fatal("SubordinateOfMunicipal")
	}
}

func TestRoundTrip(t *testing.T) {
	forms := []Forms{{}, {BaseURL: "http://127.0.0.1:39001"}}
	ogrns := []string{"1045405430620", "1105476058930", "1027700198767", "1047702026701"}
	regions := []string{"50", "45", "11", "111", "711", "7114"}
	for _, f := range forms {
		for i, o := range ogrns {
			for _, r := range regions {
				opa := int64(1) << (i * 20)
				a, err1 := f.AppealLink(opa, r, o)
				p1, err2 := f.RegionalPollsLink(r, o)
				p2, err3 := f.MunicipalPollsLink("71100000001", r, o)
				if err := errors.Join(err1, err2, err3); err != nil {
					t.Fatal(err)
				}
				for _, c := range []struct {
					raw  string
					want Link
				}{
					{a, Link{Kind: LinkAppeal, OpaID: opa, UTMSource: "vk", UTMMedium: r, UTMCampaign: o}},
					{p1, Link{Kind: LinkRegionalPolls, RegCode: r, UTMSource: "vk1", UTMMedium: r, UTMCampaign: o}},
					{p2, Link{Kind: LinkMunicipalPolls, MunCode: "71100000", UTMSource: "vk2", UTMMedium: r, UTMCampaign: o}},
				} {
					got, err := f.Check(c.raw, c.want)
					if err != nil || got != c.want || f.Build(got) != c.raw {
						t.Fatalf("%q: %+v, %v", c.raw, got, err)
					}
				}
			}
		}
	}
}
