package pos

import (
	"cmp"
	"encoding/csv"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
)

// String returns "code", "code (item N)" or "code (item N): detail".
func (r Reason) String() string {
	s := string(r.Code)
	if r.Item > 0 {
		s += " (item " + strconv.Itoa(r.Item) + ")"
	}
	if r.Detail != "" {
		s += ": " + r.Detail
	}
	return s
}

func statusRank(s Status) int {
	switch s {
	case StatusFailed:
		return 0
	case StatusUnverifiable:
		return 1
	}
	return 2
}

// Sorted returns the pages failures first, then unverifiable, then ok,
// each in the order of the audit.
func (r *AuditResult) Sorted() []PageResult {
	out := slices.Clone(r.Pages)
	slices.SortStableFunc(out, func(a, b PageResult) int { return cmp.Compare(statusRank(a.Status), statusRank(b.Status)) })
	return out
}

// CSVHeader is the header row of [WriteCSV].
var CSVHeader = []string{"network", "page_id", "page_url", "ogrn", "status", "reason_codes", "reasons"}

// WriteCSV writes the result as CSV, one row per page, failures first.
func WriteCSV(w io.Writer, r *AuditResult) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, p := range r.Sorted() {
		codes := make([]string, len(p.Reasons))
		texts := make([]string, len(p.Reasons))
		for i, rs := range p.Reasons {
			codes[i], texts[i] = string(rs.Code), rs.String()
		}
		if err := cw.Write([]string{p.Page.Network, strconv.FormatInt(p.Page.ID, 10), p.Page.URL, p.Page.OGRN,
			string(p.Status), strings.Join(codes, ";"), strings.Join(texts, "; ")}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

var reportTmpl = template.Must(template.New("report").Parse(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="ru">
<head><meta charset="utf-8"/><title>{{.Title}}</title>
<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}tr.failed{background:#fdd}tr.unverifiable{background:#ffd}</style>
</head>
<body>
<h1>{{.Title}}</h1>
<table id="summary"><tr><th>Pages</th><th>ok</th><th>failed</th><th>unverifiable</th><th>not audited</th></tr>
<tr><td>{{.Total}}</td><td class="ok">{{.OK}}</td><td class="failed">{{.Failed}}</td><td class="unverifiable">{{.Unverifiable}}</td><td class="remaining">{{.Remaining}}</td></tr></table>
<table id="pages"><tr><th>Status</th><th>Network</th><th>Page</th><th>OGRN</th><th>Reasons</th></tr>
{{range .Pages}}<tr class="{{.Status}}"><td>{{.Status}}</td><td>{{.Page.Network}}</td><td>{{if .Page.URL}}<a href="{{.Page.URL}}">{{.Page.URL}}</a>{{else}}{{.Page.ID}}{{end}}</td><td>{{.Page.OGRN}}</td><td>{{if .Reasons}}<ul>{{range .Reasons}}<li data-code="{{.Code}}">{{.String}}</li>{{end}}</ul>{{end}}</td></tr>
{{end}}</table>
</body>
</html>
`))

// WriteHTML writes the result as a page a person reads: the counts per
// status, then a table of the pages, failures first. The output is
// well-formed XHTML.
func WriteHTML(w io.Writer, title string, r *AuditResult) error {
	c := r.Counts()
	return reportTmpl.Execute(w, map[string]any{
		"Title": title, "Total": len(r.Pages) + r.Remaining, "OK": c[StatusOK], "Failed": c[StatusFailed],
		"Unverifiable": c[StatusUnverifiable], "Remaining": r.Remaining, "Pages": r.Sorted(),
	})
}
