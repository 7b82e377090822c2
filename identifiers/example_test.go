package identifiers_test

import (
	"errors"
	"fmt"

	"github.com/gospubliki/gosdk/identifiers"
)

func ExampleValidateOGRN() {
	fmt.Println(identifiers.ValidateOGRN("1047702026701"))
	err := identifiers.ValidateOGRN("1047702026702")
	fmt.Println(err)
	fmt.Println(errors.Is(err, identifiers.RuleCheckDigit))
	var e *identifiers.Error
	if errors.As(err, &e) {
		fmt.Println(e.Kind, e.Pos, e.Want, e.Got)
	}
	// Output:
	// <nil>
	// identifiers: OGRN: bad check digit at index 12 (want 1, got 2)
	// true
	// OGRN 12 1 2
}

func ExampleValidateINN() {
	fmt.Println(identifiers.ValidateINN("7710474375"))   // legal entity
	fmt.Println(identifiers.ValidateINN("585204118212")) // person
	fmt.Println(identifiers.ValidateINN("58520411821"))
	// Output:
	// <nil>
	// <nil>
	// identifiers: INN: wrong length (11, want 10 or 12)
}

func ExampleValidateKPP() {
	fmt.Println(identifiers.ValidateKPP("7710AB001"))
	fmt.Println(identifiers.ValidateKPP("7710ab001"))
	// Output:
	// <nil>
	// identifiers: KPP: reason code character not a digit or an uppercase Latin letter at index 4
}

func ExampleValidateSNILS() {
	fmt.Println(identifiers.ValidateSNILS("000-000-600 06")) // below 001-001-998: no check number
	fmt.Println(identifiers.ValidateSNILS("112-233-445 95"))
	fmt.Println(identifiers.ValidateSNILS("112-233-445 96"))
	fmt.Println(identifiers.ValidateSNILS("112 233 445 95"))
	// Output:
	// <nil>
	// <nil>
	// identifiers: SNILS: bad check digit at index 12 (want 95, got 96)
	// identifiers: SNILS: wrong separator at index 3 (want '-')
}

func ExampleFormatSNILS() {
	s, err := identifiers.FormatSNILS("11223344595")
	fmt.Println(s, err)
	n, err := identifiers.NormalizeSNILS(s)
	fmt.Println(n, err)
	// Output:
	// 112-233-445 95 <nil>
	// 11223344595 <nil>
}

func ExampleValidateOKATORegion() {
	for _, code := range []string{"45", "11", "111", "02"} {
		fmt.Println(code, identifiers.ValidateOKATORegion(code))
	}
	// Output:
	// 45 <nil>
	// 11 <nil>
	// 111 <nil>
	// 02 identifiers: OKATO region: unknown region code
}

func ExampleValidateOKTMO() {
	fmt.Println(identifiers.ValidateOKTMO("11701000"))
	fmt.Println(identifiers.ValidateOKTMO("11701000001"))
	fmt.Println(identifiers.ValidateOKTMO("117010001"))
	// Output:
	// <nil>
	// <nil>
	// identifiers: OKTMO: wrong length (9, want 8 or 11)
}

func ExampleKind_Check() {
	// Check reports the failure as a value and never allocates.
	e, ok := identifiers.KindPersonINN.Check("585204118213")
	fmt.Println(ok, e.Rule, e.Pos, e.Want, e.Got)
	// Output:
	// false bad check digit 11 2 3
}

func ExampleOGRNCheckDigit() {
	body := "104770202670"
	fmt.Printf("%s%d\n", body, identifiers.OGRNCheckDigit(body))
	// Output:
	// 1047702026701
}

func ExampleOKATORegion() {
	for _, okato := range []string{"45000000000", "11401000000", "71140000000"} {
		region, err := identifiers.OKATORegion(okato)
		fmt.Println(region, err)
	}
	// Output:
	// 45 <nil>
	// 11 <nil>
	// 7114 <nil>
}
