package posmock

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/mock/world"
)

// ExportHeader names the columns of the LKO export table, in order.
type ExportHeader struct {
	OGRN, Name, OpaID, Appeals, Polls, OKATO, OKTMO, ParentOpaID, ParentOGRN, WidgetSites string
}

// DefaultExportHeader is the header of the regional export table
// «Выгрузка по ЛКО в ПОС» as the emulator writes it.
var DefaultExportHeader = ExportHeader{
	OGRN: "ОГРН", Name: "Наименование организации", OpaID: "ID ЛКО",
	Appeals: "Подключение к сообщениям", Polls: "Подключение к опросам",
	OKATO: "ОКАТО", OKTMO: "ОКТМО", ParentOpaID: "ID верхнеуровневого ЛКО",
	ParentOGRN: "ОГРН верхнеуровневой организации", WidgetSites: "Сайт размещения виджета",
}

func (h ExportHeader) row() []string {
	return []string{h.OGRN, h.Name, h.OpaID, h.Appeals, h.Polls, h.OKATO, h.OKTMO, h.ParentOpaID, h.ParentOGRN, h.WidgetSites}
}

func yesNo(b bool) string {
	if b {
		return "Да"
	}
	return "Нет"
}

// ExportCSV writes the LKO export table of the world's state bodies and
// subordinate organisations (type AGENCY): one row each, with its own LKO
// (empty when it has none) and the LKO whose form it carries when not
// connected for appeals (ID and OGRN of the superior body). Widget sites
// are joined with "; ". A zero header is [DefaultExportHeader].
func (s *Server) ExportCSV(w io.Writer, h ExportHeader) error {
	if h == (ExportHeader{}) {
		h = DefaultExportHeader
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(h.row()); err != nil {
		return err
	}
	for _, o := range s.w.Organizations() {
		if o.Type != world.OrgAgency {
			continue
		}
		var own, parent string
		var l LKO
		if got, err := s.LKOOf(o.OID); err == nil {
			l, own = got, strconv.FormatInt(got.OpaID, 10)
		}
		var pOGRN string
		if !l.Appeals {
			if p, err := s.AppealsLKO(o.OID); err == nil {
				parent = strconv.FormatInt(p.OpaID, 10)
				if po, err := s.w.Organization(p.OrgOID); err == nil {
					pOGRN = po.OGRN
				}
			}
		}
		if err := cw.Write([]string{o.OGRN, o.FullName, own, yesNo(l.Appeals), yesNo(l.Polls), o.OKATO, o.OKTMO,
			parent, pOGRN, strings.Join(l.WidgetSites, "; ")}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
