package identifiers_test

import (
	"errors"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/identifiers"
)

// The oracles below are written independently of the package (regular
// expressions, math/big, plain string handling) so that the fuzz targets
// compare two implementations.

var (
	reDigits = regexp.MustCompile(`^[0-9]+$`)
	reKPP    = regexp.MustCompile(`^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$`)
	reSNILS  = regexp.MustCompile(`^(?:[0-9]{11}|[0-9]{3}-[0-9]{3}-[0-9]{3} [0-9]{2})$`)
)

func modOracle(s string, m int64) int64 {
	n, _ := new(big.Int).SetString(s, 10)
	return new(big.Int).Mod(n, big.NewInt(m)).Int64()
}

func oracleOGRN(s string, n int, m int64) bool {
	return len(s) == n && reDigits.MatchString(s) && modOracle(s[:n-1], m)%10 == int64(s[n-1]-'0')
}

func weightedOracle(s string, w ...int) int {
	sum := 0
	for i, k := range w {
		d, _ := strconv.Atoi(s[i : i+1])
		sum += d * k
	}
	return sum % 11 % 10
}

func oracleINN(s string) bool {
	if !reDigits.MatchString(s) {
		return false
	}
	d := func(i int) int { return int(s[i] - '0') }
	switch len(s) {
	case 10:
		return weightedOracle(s, 2, 4, 10, 3, 5, 9, 4, 6, 8) == d(9)
	case 12:
		return weightedOracle(s, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8) == d(10) &&
			weightedOracle(s, 3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8) == d(11)
	}
	return false
}

func oracleSNILS(s string) bool {
	if !reSNILS.MatchString(s) {
		return false
	}
	bare := strings.NewReplacer("-", "", " ", "").Replace(s)
	body, _ := strconv.Atoi(bare[:9])
	if body <= 1001998 {
		return true
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(bare[i]-'0') * (9 - i)
	}
	var want int
	switch {
	case sum < 100:
		want = sum
	case sum == 100 || sum == 101:
		want = 0
	default:
		want = sum % 101 % 100
	}
	got, _ := strconv.Atoi(bare[9:])
	return want == got
}

// checkConsistent asserts what every failure must satisfy and that Check,
// Validate and Valid agree with the oracle.
func checkConsistent(t *testing.T, k identifiers.Kind, validate func(string) error, s string, oracle bool) {
	t.Helper()
	err := validate(s)
	e, ok := k.Check(s)
	if ok != oracle || (err == nil) != oracle || k.Valid(s) != oracle {
		t.Fatalf("%v %q: oracle %v, Check %v, Validate %v", k, s, oracle, ok, err)
	}
	if ok {
		return
	}
	var ie *identifiers.Error
	if !errors.As(err, &ie) || *ie != e {
		t.Fatalf("%v %q: Validate %#v, Check %#v", k, s, err, e)
	}
	if !errors.Is(err, e.Rule) || e.Len != len(s) {
		t.Fatalf("%v %q: inconsistent %#v", k, s, e)
	}
	switch e.Rule {
	case identifiers.RuleLength:
		if e.Pos != -1 {
			t.Fatalf("%v %q: length error at %d", k, s, e.Pos)
		}
	case identifiers.RuleDigit:
		if e.Pos < 0 || e.Pos >= len(s) || (s[e.Pos] >= '0' && s[e.Pos] <= '9') {
			t.Fatalf("%v %q: digit error at %d", k, s, e.Pos)
		}
	case identifiers.RuleCheckDigit:
		if e.Pos < 0 || e.Pos >= len(s) || e.Want == e.Got || e.Want < 0 || e.Want > 99 {
			t.Fatalf("%v %q: check digit error %#v", k, s, e)
		}
	default:
		if e.Pos < 0 || e.Pos >= len(s) {
			t.Fatalf("%v %q: %#v", k, s, e)
		}
	}
	if len(s) >= 4 && strings.Contains(err.Error(), s) {
		t.Fatalf("%v: message quotes the input: %s", k, err)
	}
}

func FuzzOGRN(f *testing.F) {
	for _, s := range []string{"1047702026701", "1027700198767", "1163123077777", "", "10477O2026701"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkConsistent(t, identifiers.KindOGRN, identifiers.ValidateOGRN, s, oracleOGRN(s, 13, 11))
		if len(s) == 13 && reDigits.MatchString(s) {
			if d := identifiers.OGRNCheckDigit(s[:12]); strconv.Itoa(d) != s[12:] && identifiers.ValidateOGRN(s) == nil {
				t.Fatalf("check digit %d for valid %q", d, s)
			}
		}
	})
}

func FuzzOGRNIP(f *testing.F) {
	for _, s := range []string{"319290100017299", "319290100017298", "3192901-0017299"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkConsistent(t, identifiers.KindOGRNIP, identifiers.ValidateOGRNIP, s, oracleOGRN(s, 15, 13))
	})
}

func FuzzINN(f *testing.F) {
	for _, s := range []string{"7710474375", "585204118212", "585204118213", "7710474376", "77104743751"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		oracle := oracleINN(s)
		checkConsistent(t, identifiers.KindINN, identifiers.ValidateINN, s, oracle)
		checkConsistent(t, identifiers.KindLegalINN, identifiers.ValidateLegalINN, s, oracle && len(s) == 10)
		checkConsistent(t, identifiers.KindPersonINN, identifiers.ValidatePersonINN, s, oracle && len(s) == 12)
	})
}

func FuzzKPP(f *testing.F) {
	for _, s := range []string{"771001001", "7710AB001", "7710ab001", "77A0AB001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkConsistent(t, identifiers.KindKPP, identifiers.ValidateKPP, s, reKPP.MatchString(s))
	})
}

func FuzzSNILS(f *testing.F) {
	for _, s := range []string{"000-000-600 06", "112-233-445 95", "11223344595", "112-233-445-95", "001-019-989 00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		oracle := oracleSNILS(s)
		checkConsistent(t, identifiers.KindSNILS, identifiers.ValidateSNILS, s, oracle)
		n, nerr := identifiers.NormalizeSNILS(s)
		fm, ferr := identifiers.FormatSNILS(s)
		if (nerr == nil) != oracle || (ferr == nil) != oracle {
			t.Fatalf("%q: normalize %v, format %v, oracle %v", s, nerr, ferr, oracle)
		}
		if oracle {
			if len(n) != 11 || len(fm) != 14 || identifiers.ValidateSNILS(n) != nil || identifiers.ValidateSNILS(fm) != nil ||
				strings.NewReplacer("-", "", " ", "").Replace(fm) != n {
				t.Fatalf("%q: normalized %q, formatted %q", s, n, fm)
			}
		}
	})
}

func FuzzOKATORegion(f *testing.F) {
	for _, s := range []string{"45", "111", "7114", "02", "4a", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		oracle := false
		if len(s) == 2 && reDigits.MatchString(s) {
			n, _ := strconv.Atoi(s)
			oracle = identifiers.IsOKATORegion(n) && n > 0
		}
		oracle = oracle || s == "111" || s == "711" || s == "7114"
		checkConsistent(t, identifiers.KindOKATORegion, identifiers.ValidateOKATORegion, s, oracle)
	})
}

func FuzzOKTMO(f *testing.F) {
	for _, s := range []string{"11701000", "11701000001", "117010001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		oracle := (len(s) == 8 || len(s) == 11) && reDigits.MatchString(s)
		checkConsistent(t, identifiers.KindOKTMO, identifiers.ValidateOKTMO, s, oracle)
	})
}

func FuzzOKATO(f *testing.F) {
	for _, s := range []string{"45000000000", "11100000000", "71140000000", "02000", "45"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		oracle := false
		if (len(s) == 2 || len(s) == 5 || len(s) == 8 || len(s) == 11) && reDigits.MatchString(s) {
			n, _ := strconv.Atoi(s[:2])
			oracle = identifiers.IsOKATORegion(n)
		}
		checkConsistent(t, identifiers.KindOKATO, identifiers.ValidateOKATO, s, oracle)
		region, err := identifiers.OKATORegion(s)
		if (err == nil) != oracle {
			t.Fatalf("%q: OKATORegion %v, oracle %v", s, err, oracle)
		}
		if oracle && (!strings.HasPrefix(s, region) || identifiers.ValidateOKATORegion(region) != nil) {
			t.Fatalf("%q: region %q", s, region)
		}
	})
}
