package identifiers_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/identifiers"
)

type tcase struct {
	name  string
	in    string
	rule  identifiers.Rule // 0: valid
	pos   int
	want  int
	got   int
	check bool // compare want/got
}

func run(t *testing.T, k identifiers.Kind, validate func(string) error, cases []tcase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := validate(tc.in)
			e, ok := k.Check(tc.in)
			assert.Equal(t, tc.rule == 0, ok)
			assert.Equal(t, tc.rule == 0, k.Valid(tc.in))
			if tc.rule == 0 {
				require.NoError(t, err)
				assert.NoError(t, k.Validate(tc.in))
				assert.Equal(t, identifiers.Error{}, e)
				return
			}
			var ie *identifiers.Error
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, e, *ie, "Check and Validate agree")
			assert.ErrorIs(t, err, tc.rule)
			assert.Equal(t, tc.rule, ie.Rule)
			assert.Equal(t, tc.pos, ie.Pos)
			assert.Equal(t, len(tc.in), ie.Len)
			if tc.check {
				assert.Equal(t, tc.want, ie.Want, "want")
				assert.Equal(t, tc.got, ie.Got, "got")
			}
			if len(tc.in) >= 4 {
				assert.NotContains(t, err.Error(), tc.in, "the message never quotes the input")
			}
			assert.True(t, strings.HasPrefix(err.Error(), "identifiers: "), err.Error())
		})
	}
}

func TestOGRN(t *testing.T) {
	run(t, identifiers.KindOGRN, identifiers.ValidateOGRN, []tcase{
		{name: "Mintsifry", in: "1047702026701"},
		{name: "Rostelecom", in: "1027700198767"},
		{name: "check digit zero from remainder ten", in: "1000000000000"},
		{name: "fixture that fails", in: "1163123077777", rule: identifiers.RuleCheckDigit, pos: 12, want: 6, got: 7, check: true},
		{name: "typo", in: "1047702026702", rule: identifiers.RuleCheckDigit, pos: 12, want: 1, got: 2, check: true},
		{name: "short", in: "104770202670", rule: identifiers.RuleLength, pos: -1},
		{name: "long", in: "10477020267011", rule: identifiers.RuleLength, pos: -1},
		{name: "empty", in: "", rule: identifiers.RuleLength, pos: -1},
		{name: "letter", in: "10477O2026701", rule: identifiers.RuleDigit, pos: 5},
		{name: "space", in: " 047702026701", rule: identifiers.RuleDigit, pos: 0},
		{name: "OGRNIP given", in: "319290100017299", rule: identifiers.RuleLength, pos: -1},
	})
}

func TestOGRNIP(t *testing.T) {
	run(t, identifiers.KindOGRNIP, identifiers.ValidateOGRNIP, []tcase{
		{name: "real-looking", in: "319290100017299"},
		{name: "typo", in: "319290100017298", rule: identifiers.RuleCheckDigit, pos: 14, want: 9, got: 8, check: true},
		{name: "OGRN given", in: "1047702026701", rule: identifiers.RuleLength, pos: -1},
		{name: "dash", in: "3192901-0017299", rule: identifiers.RuleDigit, pos: 7},
	})
}

func TestINN(t *testing.T) {
	legal := []tcase{
		{name: "Mintsifry", in: "7710474375"},
		{name: "Rostelecom", in: "7707049388"},
		{name: "typo", in: "7710474376", rule: identifiers.RuleCheckDigit, pos: 9, want: 5, got: 6, check: true},
		{name: "letter", in: "77104743x5", rule: identifiers.RuleDigit, pos: 8},
	}
	person := []tcase{
		{name: "ESIA test user", in: "585204118212"},
		{name: "first check digit", in: "585204118202", rule: identifiers.RuleCheckDigit, pos: 10, want: 1, got: 0, check: true},
		{name: "second check digit", in: "585204118213", rule: identifiers.RuleCheckDigit, pos: 11, want: 2, got: 3, check: true},
		{name: "unicode digit", in: "58520411821\u0663"[:12], rule: identifiers.RuleDigit, pos: 11},
	}
	run(t, identifiers.KindLegalINN, identifiers.ValidateLegalINN, append(legal[:len(legal):len(legal)],
		tcase{name: "person INN", in: "585204118212", rule: identifiers.RuleLength, pos: -1}))
	run(t, identifiers.KindPersonINN, identifiers.ValidatePersonINN, append(person[:len(person):len(person)],
		tcase{name: "legal INN", in: "7710474375", rule: identifiers.RuleLength, pos: -1}))
	run(t, identifiers.KindINN, identifiers.ValidateINN, append(append(legal, person...),
		tcase{name: "eleven", in: "77104743751", rule: identifiers.RuleLength, pos: -1}))

	var e *identifiers.Error
	require.ErrorAs(t, identifiers.ValidateINN("7710474376"), &e)
	assert.Equal(t, identifiers.KindINN, e.Kind)
	assert.Equal(t, "identifiers: INN: bad check digit at index 9 (want 5, got 6)", e.Error())
	require.ErrorAs(t, identifiers.ValidateINN("123"), &e)
	assert.Equal(t, "identifiers: INN: wrong length (3, want 10 or 12)", e.Error())
}

func TestKPP(t *testing.T) {
	run(t, identifiers.KindKPP, identifiers.ValidateKPP, []tcase{
		{name: "digits", in: "771001001"},
		{name: "letters in reason code (2019)", in: "7710AB001"},
		{name: "mixed reason code", in: "77105Z001"},
		{name: "lowercase reason code", in: "7710ab001", rule: identifiers.RuleReasonCode, pos: 4},
		{name: "Cyrillic-free ASCII only", in: "77100\xd0001", rule: identifiers.RuleReasonCode, pos: 5},
		{name: "letter in tax office", in: "77A0AB001", rule: identifiers.RuleDigit, pos: 2},
		{name: "letter in serial", in: "7710AB00Z", rule: identifiers.RuleDigit, pos: 8},
		{name: "short", in: "77100100", rule: identifiers.RuleLength, pos: -1},
	})
}

func TestSNILS(t *testing.T) {
	run(t, identifiers.KindSNILS, identifiers.ValidateSNILS, []tcase{
		{name: "ESIA test user (unchecked range)", in: "000-000-600 06"},
		{name: "unchecked range, any check number", in: "001-001-998 77"},
		{name: "checked", in: "112-233-445 95"},
		{name: "checked bare", in: "11223344595"},
		{name: "sum of 100 gives 00", in: "001-019-989 00"},
		{name: "sum of 201 gives 00", in: "002-999-989 00"},
		{name: "first checked number", in: "001-001-999 99", rule: identifiers.RuleCheckDigit, pos: 12, want: 65, got: 99, check: true},
		{name: "bad check number", in: "112-233-445 96", rule: identifiers.RuleCheckDigit, pos: 12, want: 95, got: 96, check: true},
		{name: "bad check number bare", in: "11223344507", rule: identifiers.RuleCheckDigit, pos: 9, want: 95, got: 7, check: true},
		{name: "hyphen instead of space", in: "112-233-445-95", rule: identifiers.RuleSeparator, pos: 11, want: ' ', got: '-', check: true},
		{name: "spaces only", in: "112 233 445 95", rule: identifiers.RuleSeparator, pos: 3, want: '-', got: ' ', check: true},
		{name: "letter", in: "112-2x3-445 95", rule: identifiers.RuleDigit, pos: 5},
		{name: "short", in: "1122334459", rule: identifiers.RuleLength, pos: -1},
		{name: "twelve", in: "112233445950", rule: identifiers.RuleLength, pos: -1},
	})
	var e *identifiers.Error
	require.ErrorAs(t, identifiers.ValidateSNILS("11223344507"), &e)
	assert.Equal(t, "identifiers: SNILS: bad check digit at index 9 (want 95, got 07)", e.Error())
}

func TestOKATORegion(t *testing.T) {
	run(t, identifiers.KindOKATORegion, identifiers.ValidateOKATORegion, []tcase{
		{name: "Moscow", in: "45"},
		{name: "Arkhangelsk", in: "11"},
		{name: "Bashkortostan", in: "80"},
		{name: "Krasnodar", in: "03"},
		{name: "Nenets okrug", in: "111"},
		{name: "Khanty-Mansi okrug", in: "711"},
		{name: "Yamalo-Nenets okrug", in: "7114"},
		{name: "not a region", in: "02", rule: identifiers.RuleRegion, pos: 0},
		{name: "Chukotka (77 is Moscow only as a tax region)", in: "77"},
		{name: "tax region of Tatarstan is not OKATO", in: "16", rule: identifiers.RuleRegion, pos: 0},
		{name: "zero", in: "00", rule: identifiers.RuleRegion, pos: 0},
		{name: "three digits", in: "451", rule: identifiers.RuleRegion, pos: 0},
		{name: "letter", in: "4a", rule: identifiers.RuleDigit, pos: 1},
		{name: "one digit", in: "4", rule: identifiers.RuleLength, pos: -1},
		{name: "full OKATO", in: "45000000000", rule: identifiers.RuleLength, pos: -1},
	})
	assert.True(t, identifiers.IsOKATORegion(45))
	assert.False(t, identifiers.IsOKATORegion(2))
	assert.False(t, identifiers.IsOKATORegion(-1))
	assert.False(t, identifiers.IsOKATORegion(100))
}

func TestOKTMO(t *testing.T) {
	run(t, identifiers.KindOKTMO, identifiers.ValidateOKTMO, []tcase{
		{name: "municipality", in: "11701000"},
		{name: "settlement", in: "11701000001"},
		{name: "nine", in: "117010001", rule: identifiers.RuleLength, pos: -1},
		{name: "letter", in: "1170100O", rule: identifiers.RuleDigit, pos: 7},
	})
}

func TestUnknownKind(t *testing.T) {
	e, ok := identifiers.Kind(0).Check("1")
	assert.False(t, ok)
	assert.Equal(t, identifiers.RuleLength, e.Rule)
	assert.Equal(t, "Kind(0)", identifiers.Kind(0).String())
	assert.Equal(t, "Rule(0)", identifiers.Rule(0).Error())
	assert.Equal(t, "Kind(200)", identifiers.Kind(200).String())
}

func TestRulesAreDistinctSentinels(t *testing.T) {
	err := identifiers.ValidateOGRN("1047702026702")
	assert.True(t, errors.Is(err, identifiers.RuleCheckDigit))
	assert.False(t, errors.Is(err, identifiers.RuleLength))
	assert.False(t, errors.Is(err, identifiers.RuleDigit))
	assert.Equal(t, "identifiers: OGRN: bad check digit at index 12 (want 1, got 2)", err.Error())
	assert.Equal(t, "identifiers: OGRN: not a digit at index 0", identifiers.ValidateOGRN("x047702026701").Error())
	assert.Equal(t, "identifiers: SNILS: wrong separator at index 11 (want ' ')", identifiers.ValidateSNILS("112-233-445-95").Error())
	assert.Equal(t, "identifiers: OKATO region: unknown region code", identifiers.ValidateOKATORegion("02").Error())
	assert.Equal(t, "identifiers: KPP: reason code character not a digit or an uppercase Latin letter at index 4",
		identifiers.ValidateKPP("7710ab001").Error())
}

func TestCheckDigits(t *testing.T) {
	assert.Equal(t, 1, identifiers.OGRNCheckDigit("104770202670"))
	assert.Equal(t, -1, identifiers.OGRNCheckDigit("10477020267"))
	assert.Equal(t, -1, identifiers.OGRNCheckDigit("10477020267x"))
	assert.Equal(t, 9, identifiers.OGRNIPCheckDigit("31929010001729"))
	assert.Equal(t, -1, identifiers.OGRNIPCheckDigit("3192901000172"))
	assert.Equal(t, 5, identifiers.LegalINNCheckDigit("771047437"))
	assert.Equal(t, -1, identifiers.LegalINNCheckDigit("77104743"))
	d11, d12 := identifiers.PersonINNCheckDigits("5852041182")
	assert.Equal(t, [2]int{1, 2}, [2]int{d11, d12})
	d11, d12 = identifiers.PersonINNCheckDigits("585204118")
	assert.Equal(t, [2]int{-1, -1}, [2]int{d11, d12})
	assert.Equal(t, 95, identifiers.SNILSCheckNumber("112233445"))
	assert.Equal(t, -1, identifiers.SNILSCheckNumber("11223344"))
}

func TestSNILSNormalizeFormat(t *testing.T) {
	n, err := identifiers.NormalizeSNILS("112-233-445 95")
	require.NoError(t, err)
	assert.Equal(t, "11223344595", n)
	n, err = identifiers.NormalizeSNILS("11223344595")
	require.NoError(t, err)
	assert.Equal(t, "11223344595", n)
	f, err := identifiers.FormatSNILS("11223344595")
	require.NoError(t, err)
	assert.Equal(t, "112-233-445 95", f)
	f, err = identifiers.FormatSNILS("000-000-600 06")
	require.NoError(t, err)
	assert.Equal(t, "000-000-600 06", f)
	_, err = identifiers.NormalizeSNILS("112-233-445 96")
	assert.ErrorIs(t, err, identifiers.RuleCheckDigit)
	_, err = identifiers.FormatSNILS("1122334459")
	assert.ErrorIs(t, err, identifiers.RuleLength)
}

// TestNoAllocations proves the zero-allocation claims.
func TestNoAllocations(t *testing.T) {
	inputs := map[identifiers.Kind][]string{
		identifiers.KindOGRN:        {"1047702026701", "1047702026702", "x"},
		identifiers.KindOGRNIP:      {"319290100017299", "319290100017298"},
		identifiers.KindINN:         {"7710474375", "585204118212", "585204118213"},
		identifiers.KindKPP:         {"7710AB001", "7710ab001"},
		identifiers.KindSNILS:       {"112-233-445 95", "11223344596", "112 233 445 95"},
		identifiers.KindOKATORegion: {"45", "7114", "02"},
		identifiers.KindOKTMO:       {"11701000001", "1170100"},
	}
	for k, ins := range inputs {
		for _, s := range ins {
			valid := k.Valid(s)
			if n := testing.AllocsPerRun(100, func() { _, _ = k.Check(s) }); n != 0 {
				t.Errorf("%v.Check(%q): %v allocs", k, s, n)
			}
			if valid {
				if n := testing.AllocsPerRun(100, func() { _ = k.Validate(s) }); n != 0 {
					t.Errorf("%v.Validate(%q): %v allocs", k, s, n)
				}
			}
		}
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = identifiers.NormalizeSNILS("11223344595") }); n != 0 {
		t.Errorf("NormalizeSNILS of bare digits: %v allocs", n)
	}
}

func TestOKATO(t *testing.T) {
	run(t, identifiers.KindOKATO, identifiers.ValidateOKATO, []tcase{
		{name: "Moscow", in: "45000000000"},
		{name: "Arkhangelsk city", in: "11401000000"},
		{name: "Nenets okrug", in: "11100000000"},
		{name: "district level", in: "45286"},
		{name: "region level", in: "45"},
		{name: "unknown region", in: "02000000000", rule: identifiers.RuleRegion, pos: 0},
		{name: "nine digits", in: "450000000", rule: identifiers.RuleLength, pos: -1},
		{name: "letter", in: "4500000000O", rule: identifiers.RuleDigit, pos: 10},
	})
	for okato, want := range map[string]string{
		"45000000000": "45", "11401000000": "11", "11100000000": "111", "71100000000": "711",
		"71140000000": "7114", "71136000000": "71", "80": "80", "11100": "111",
	} {
		got, err := identifiers.OKATORegion(okato)
		require.NoError(t, err, okato)
		assert.Equal(t, want, got, okato)
		assert.NoError(t, identifiers.ValidateOKATORegion(got), okato)
	}
	_, err := identifiers.OKATORegion("02000000000")
	assert.ErrorIs(t, err, identifiers.RuleRegion)
	assert.Equal(t, "identifiers: OKATO: wrong length (3, want 2, 5, 8 or 11)", identifiers.ValidateOKATO("451").Error())
	if n := testing.AllocsPerRun(100, func() { _, _ = identifiers.OKATORegion("71140000000") }); n != 0 {
		t.Errorf("OKATORegion: %v allocs", n)
	}
}
