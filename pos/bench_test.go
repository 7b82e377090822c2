package pos

import (
	"fmt"
	"net/url"
	"testing"
)

var sinkErr error
var sinkStr string

// The validators path of a link: OGRN, region code of an OKATO, municipal
// code of an OKTMO.
func BenchmarkValidators(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkErr = ValidateOGRN("1045405430620")
		sinkStr, sinkErr = RegionCode("71140000000")
		sinkStr, sinkErr = MunicipalCode("50701000001")
		sinkErr = ValidateRegionCode("7114")
	}
}

func BenchmarkAppendAppealLink(b *testing.B) {
	b.ReportAllocs()
	var f Forms
	buf := make([]byte, 0, 160)
	for b.Loop() {
		buf, sinkErr = f.AppendAppealLink(buf[:0], 219141, "50", "1045405430620")
	}
}

func BenchmarkAppendMunicipalPollsLink(b *testing.B) {
	b.ReportAllocs()
	var f Forms
	buf := make([]byte, 0, 160)
	for b.Loop() {
		buf, sinkErr = f.AppendMunicipalPollsLink(buf[:0], "50701000001", "50", "1025401020721")
	}
}

func BenchmarkAppealLink(b *testing.B) {
	b.ReportAllocs()
	var f Forms
	for b.Loop() {
		sinkStr, sinkErr = f.AppealLink(219141, "50", "1045405430620")
	}
}

// Baseline: the same link with fmt.Sprintf, unchecked.
func BenchmarkAppealLinkSprintfBaseline(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkStr = fmt.Sprintf("https://pos.gosuslugi.ru/form/?opaId=%d&utm_source=vk&utm_medium=%s&utm_campaign=%s", 219141, "50", "1045405430620")
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	var f Forms
	for b.Loop() {
		_, sinkErr = f.Parse(seedMunicipal)
	}
}

// Baseline: net/url parsing of the same link, without any check.
func BenchmarkParseURLBaseline(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		u, err := url.Parse(seedMunicipal)
		if err == nil {
			_ = u.Query()
		}
		sinkErr = err
	}
}
