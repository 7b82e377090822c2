package pos

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/identifiers"
)

// Columns names the columns of an LKO export table by their header text,
// and the field separator. Empty names take the defaults of
// [DefaultColumns]; columns may come in any order and extra columns are
// ignored. Headers compare case-insensitively, ignoring surrounding spaces.
type Columns struct {
	OpaID       string // the LKO id; empty when the organisation has no LKO
	OGRN        string // the organisation's OGRN
	Name        string // its name
	Agency      string // its ESIA agency type ("11.REG", "12.LCL", ...)
	OKATO       string // its OKATO
	OKTMO       string // its OKTMO
	ParentOGRN  string // its parent's OGRN, or empty
	Appeals     string // connected for appeals: да/нет, true/false, 1/0
	Polls       string // connected for polls: same values
	WidgetSites string // widget sites, separated by ';', ',' or spaces
	// Comma is the field separator; 0 means ','. A spreadsheet saved as
	// CSV in a Russian locale uses ';'.
	Comma rune
}

// DefaultColumns are the header names LoadExport uses by default: those
// of the regional export table «Выгрузка по ЛКО в ПОС» as the sandbox's POS
// emulator writes it, comma-separated. That table has no agency type
// column (Agency "Тип" is then reported in [Export.MissingColumns]); its
// «ОГРН верхнеуровневой организации» names, for an organisation not
// connected for appeals, the body whose LKO it carries, and loads as
// [Org.ParentOGRN].
var DefaultColumns = Columns{
	OpaID:       "ID ЛКО",
	OGRN:        "ОГРН",
	Name:        "Наименование организации",
	Agency:      "Тип",
	OKATO:       "ОКАТО",
	OKTMO:       "ОКТМО",
	ParentOGRN:  "ОГРН верхнеуровневой организации",
	Appeals:     "Подключение к сообщениям",
	Polls:       "Подключение к опросам",
	WidgetSites: "Сайт размещения виджета",
	Comma:       ',',
}

// RowReason says why a row of an export was rejected.
type RowReason string

// Row reasons.
const (
	// ReasonEncoding: the row is not valid UTF-8 (e.g. a table saved in
	// Windows-1251). The loader does not guess encodings.
	ReasonEncoding RowReason = "encoding"
	// ReasonColumns: the row has another number of fields than the header.
	ReasonColumns RowReason = "columns"
	// ReasonSyntax: the row is not valid CSV (a stray quote).
	ReasonSyntax RowReason = "syntax"
	// ReasonOGRN: the OGRN (or the parent's) is missing or invalid.
	ReasonOGRN RowReason = "ogrn"
	// ReasonOpaID: the LKO id is not a positive number.
	ReasonOpaID RowReason = "opa-id"
	// ReasonDuplicateOpaID: the LKO id is already on an earlier row.
	ReasonDuplicateOpaID RowReason = "duplicate-opa-id"
	// ReasonDuplicateOGRN: the organisation is already on an earlier row.
	ReasonDuplicateOGRN RowReason = "duplicate-ogrn"
	// ReasonOKATO: the OKATO is invalid.
	ReasonOKATO RowReason = "okato"
	// ReasonOKTMO: the OKTMO is present but invalid.
	ReasonOKTMO RowReason = "oktmo"
	// ReasonFlag: a connection flag is not a yes/no value.
	ReasonFlag RowReason = "flag"
)

// RowError is a rejected row of an export.
type RowError struct {
	// Line is the row's line number in the file, from 1 (the header).
	Line int
	// Reason says why.
	Reason RowReason
	// Detail adds the column or the check that failed.
	Detail string
}

// Error implements error.
func (e RowError) Error() string {
	return fmt.Sprintf("pos: export line %d: %s: %s", e.Line, e.Reason, e.Detail)
}

// Export is what LoadExport read: the organisations and the LKOs of the
// valid rows, and every rejected row.
type Export struct {
	Orgs []Org
	LKOs []LKO
	Bad  []RowError
	// MissingColumns are the header names of [Columns] the table lacks;
	// their fields load as empty.
	MissingColumns []string
}

// ErrExportHeader reports an export whose header lacks a required column
// (OGRN) or is not UTF-8.
var ErrExportHeader = errors.New("pos: export header")

// LoadExport reads the regional LKO export table ("Выгрузка по ЛКО в
// ПОС"): a CSV file in UTF-8 (a byte order mark is skipped) whose first
// row names the columns (see [Columns]). Only the OGRN column is required.
// Every row is checked on its own; a bad row is reported in Export.Bad with
// its line and reason and the rest still load. The error is non-nil only
// when the header is unusable or reading fails.
func LoadExport(r io.Reader, cols Columns) (*Export, error) {
	cols = cols.withDefaults()
	cr := csv.NewReader(r)
	cr.Comma = cols.Comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrExportHeader, err)
	}
	idx := map[string]int{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		if !utf8.ValidString(h) {
			return nil, fmt.Errorf("%w: not UTF-8 (column %d)", ErrExportHeader, i+1)
		}
		idx[strings.ToLower(strings.TrimSpace(h))] = i
	}
	col := func(name string) int {
		if i, ok := idx[strings.ToLower(strings.TrimSpace(name))]; ok {
			return i
		}
		return -1
	}
	ci := struct{ opa, ogrn, name, agency, okato, oktmo, parent, appeals, polls, sites int }{
		col(cols.OpaID), col(cols.OGRN), col(cols.Name), col(cols.Agency), col(cols.OKATO),
		col(cols.OKTMO), col(cols.ParentOGRN), col(cols.Appeals), col(cols.Polls), col(cols.WidgetSites),
	}
	if ci.ogrn < 0 {
		return nil, fmt.Errorf("%w: no column %q", ErrExportHeader, cols.OGRN)
	}
	width := len(header)
	ex := &Export{}
	for _, c := range []struct {
		name string
		i    int
	}{
		{cols.OpaID, ci.opa}, {cols.Name, ci.name}, {cols.Agency, ci.agency}, {cols.OKATO, ci.okato},
		{cols.OKTMO, ci.oktmo}, {cols.ParentOGRN, ci.parent}, {cols.Appeals, ci.appeals}, {cols.Polls, ci.polls},
		{cols.WidgetSites, ci.sites},
	} {
		if c.i < 0 {
			ex.MissingColumns = append(ex.MissingColumns, c.name)
		}
	}
	seenOGRN := map[string]int{}
	seenOpa := map[int64]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				ex.Bad = append(ex.Bad, RowError{Line: pe.StartLine, Reason: ReasonSyntax, Detail: pe.Err.Error()})
				continue
			}
			return ex, fmt.Errorf("pos: export: %w", err)
		}
		line, _ := cr.FieldPos(0) // a record read without error has a field
		bad := func(reason RowReason, format string, args ...any) {
			ex.Bad = append(ex.Bad, RowError{Line: line, Reason: reason, Detail: fmt.Sprintf(format, args...)})
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if enc := firstInvalidUTF8(rec); enc >= 0 {
			bad(ReasonEncoding, "column %d is not UTF-8", enc+1)
			continue
		}
		if len(rec) != width {
			bad(ReasonColumns, "%d fields, header has %d", len(rec), width)
			continue
		}
		get := func(i int) string {
			if i < 0 {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		o := Org{
			OGRN: get(ci.ogrn), Name: get(ci.name), Agency: esia.AgencyType(get(ci.agency)),
			OKATO: get(ci.okato), OKTMO: get(ci.oktmo), ParentOGRN: get(ci.parent),
		}
		if err := identifiers.ValidateOGRN(o.OGRN); err != nil {
			bad(ReasonOGRN, "OGRN: %v", err)
			continue
		}
		if o.ParentOGRN != "" {
			if err := identifiers.ValidateOGRN(o.ParentOGRN); err != nil {
				bad(ReasonOGRN, "parent OGRN: %v", err)
				continue
			}
		}
		if o.OKATO != "" {
			if err := identifiers.ValidateOKATO(o.OKATO); err != nil {
				bad(ReasonOKATO, "%v", err)
				continue
			}
		}
		if o.OKTMO != "" {
			if err := identifiers.ValidateOKTMO(o.OKTMO); err != nil {
				bad(ReasonOKTMO, "%v", err)
				continue
			}
		}
		appeals, ok1 := parseFlag(get(ci.appeals))
		polls, ok2 := parseFlag(get(ci.polls))
		if !ok1 || !ok2 {
			bad(ReasonFlag, "connection flag is not yes/no")
			continue
		}
		var opa int64
		if s := get(ci.opa); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n <= 0 {
				bad(ReasonOpaID, "not a positive number")
				continue
			}
			if first, dup := seenOpa[n]; dup {
				bad(ReasonDuplicateOpaID, "opaId %d already on line %d", n, first)
				continue
			}
			opa = n
		}
		if first, dup := seenOGRN[o.OGRN]; dup {
			bad(ReasonDuplicateOGRN, "OGRN %s already on line %d", o.OGRN, first)
			continue
		}
		seenOGRN[o.OGRN] = line
		ex.Orgs = append(ex.Orgs, o)
		if opa != 0 {
			seenOpa[opa] = line
			ex.LKOs = append(ex.LKOs, LKO{OpaID: opa, OGRN: o.OGRN, Appeals: appeals, Polls: polls, WidgetSites: splitSites(get(ci.sites))})
		}
	}
	return ex, nil
}

// Directory builds a [Directory] of the export's valid rows.
func (ex *Export) Directory(forms Forms) (*Directory, error) {
	return NewDirectory(forms, ex.Orgs, ex.LKOs)
}

func (c Columns) withDefaults() Columns {
	d := DefaultColumns
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&d.OpaID, c.OpaID)
	set(&d.OGRN, c.OGRN)
	set(&d.Name, c.Name)
	set(&d.Agency, c.Agency)
	set(&d.OKATO, c.OKATO)
	set(&d.OKTMO, c.OKTMO)
	set(&d.ParentOGRN, c.ParentOGRN)
	set(&d.Appeals, c.Appeals)
	set(&d.Polls, c.Polls)
	set(&d.WidgetSites, c.WidgetSites)
	if c.Comma != 0 {
		d.Comma = c.Comma
	}
	return d
}

func firstInvalidUTF8(rec []string) int {
	for i, f := range rec {
		if !utf8.ValidString(f) {
			return i
		}
	}
	return -1
}

func parseFlag(s string) (v, ok bool) {
	switch strings.ToLower(s) {
	case "", "нет", "no", "false", "0", "-":
		return false, true
	case "да", "yes", "true", "1", "+":
		return true, true
	}
	return false, false
}

func splitSites(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ';' || r == ',' || r == ' ' || r == '\n' || r == '\t' || r == '\r'
	})
	if len(f) == 0 {
		return nil
	}
	return f
}
